#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora, OUT/<target>/, from scratch.

Everything is made here, never copied: by the library (fuzz-seeds, for what must come from
the targets' fixed hierarchy: TLS flights, validation bags; and the pki tool) and by the
OpenSSL CLI (certificates with every extension it can write, CSRs with attributes, CRLs with
entries and reasons, keys in every format and encryption, names in every string type, PEM
bundles; and TLS flights of openssl s_server and s_client talking to the fixture's
clients and servers). Certificates and CRLs that OpenSSL issues are signed by the fixed issuing CA
fuzz-seeds writes out, so that they chain to the validate target's anchor.

Only the Python standard library is used. Usage:
  make_corpus.py --out DIR --seeds-program fuzz-seeds [--pki-tool pki] [--openssl openssl]
"""

import argparse
import base64
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

PASSWORD = "fuzz-password"  # private_key.cpp decrypts with it when its first byte is odd
TARGETS = ["certificate", "pem_bundle", "csr", "crl", "name_text", "name_der", "extension",
           "private_key", "public_key", "pem", "validate", "tls_client", "tls_server"]

# Extension OIDs (DER content octets) in read_all.hpp's order; the extension target's selector.
EXTENSION_OIDS = [
    bytes.fromhex("551d11"), bytes.fromhex("551d12"), bytes.fromhex("551d0f"),
    bytes.fromhex("551d25"), bytes.fromhex("551d13"), bytes.fromhex("551d0e"),
    bytes.fromhex("551d23"), bytes.fromhex("551d1e"), bytes.fromhex("551d1f"),
    bytes.fromhex("551d20"), bytes.fromhex("2b06010505070101"),
]
WHOLE_EXTENSIONS_SELECTOR = len(EXTENSION_OIDS)

# The fixed validation time is 2030-01-01 (fuzz.hpp): OpenSSL's certificates are valid then.
NOT_BEFORE = "291001000000Z"
NOT_AFTER = "300601000000Z"


class Corpus:
    def __init__(self, out: Path):
        self.out = out
        self.counts = {}

    def add(self, target: str, name: str, data: bytes):
        directory = self.out / target
        directory.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
        self.counts[target] = self.counts.get(target, 0) + 1


class Tools:
    def __init__(self, openssl: str, pki_tool, work: Path):
        self.openssl = openssl
        self.pki_tool = pki_tool
        self.work = work

    def run(self, *args, stdin=None, cwd=None):
        result = subprocess.run(args, input=stdin, capture_output=True, cwd=cwd or self.work)
        if result.returncode != 0:
            raise RuntimeError("'%s' failed (%d): %s" % (" ".join(map(str, args)), result.returncode,
                                                          result.stderr.decode(errors="replace")))
        return result.stdout

    def ossl(self, *args, stdin=None):
        return self.run(self.openssl, *args, stdin=stdin)

    def pki(self, *args):
        return self.run(self.pki_tool, *args)


# --- DER walking -----------------------------------------------------------------------

def tlv(buf: bytes, offset: int):
    """(tag, header length, content length) of the DER value at offset."""
    tag = buf[offset]
    length = buf[offset + 1]
    header = 2
    if length & 0x80:
        octets = length & 0x7F
        length = int.from_bytes(buf[offset + 2:offset + 2 + octets], "big")
        header += octets
    return tag, header, length


def children(buf: bytes, offset: int):
    """The values inside the constructed value at offset, as (tag, start, end) triples."""
    _, header, length = tlv(buf, offset)
    position, end = offset + header, offset + header + length
    out = []
    while position < end:
        tag, h, l = tlv(buf, position)
        out.append((tag, position, position + h + l))
        position += h + l
    return out


def tbs_fields(cert: bytes):
    return children(cert, children(cert, 0)[0][1])


def certificate_names(cert: bytes):
    fields = tbs_fields(cert)
    if fields[0][0] == 0xA0:
        fields = fields[1:]
    issuer, subject = fields[2], fields[4]
    return [cert[issuer[1]:issuer[2]], cert[subject[1]:subject[2]]]


def certificate_extensions(cert: bytes):
    """The whole Extensions SEQUENCE, and each extension as (oid content, extnValue contents)."""
    for tag, start, end in tbs_fields(cert):
        if tag != 0xA3:
            continue
        sequence = children(cert, start)[0]
        items = []
        for _, item_start, _ in children(cert, sequence[1]):
            parts = children(cert, item_start)
            oid_tag, oid_start, oid_end = parts[0]
            _, oid_header, _ = tlv(cert, oid_start)
            _, value_start, value_end = parts[-1]
            _, value_header, _ = tlv(cert, value_start)
            items.append((cert[oid_start + oid_header:oid_end], cert[value_start + value_header:value_end]))
        return cert[sequence[1]:sequence[2]], items
    return None, []


def csr_subject(request: bytes):
    info = children(request, 0)[0]
    subject = children(request, info[1])[1]
    return request[subject[1]:subject[2]]


def pem_blocks(text: bytes, label: str):
    begin, end = b"-----BEGIN %s-----" % label.encode(), b"-----END %s-----" % label.encode()
    out, position = [], 0
    while True:
        start = text.find(begin, position)
        if start < 0:
            return out
        stop = text.find(end, start)
        out.append(base64.b64decode(b"".join(text[start + len(begin):stop].split())))
        position = stop + len(end)


def pem(label: str, der: bytes) -> bytes:
    body = base64.b64encode(der)
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label.encode(), b"\n".join(lines), label.encode())


# --- OpenSSL ---------------------------------------------------------------------------

CA_CONFIG = """
[ ca ]
default_ca = fuzz_ca
[ fuzz_ca ]
dir = {ca}
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = {hierarchy}/issuing.pem
private_key = {hierarchy}/issuing.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = optional

[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ leaf_everything ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, encipherOnly, decipherOnly
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, 1.3.6.1.4.1.311.10.3.4
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always, issuer:always
subjectAltName = @alt_names
issuerAltName = URI:http://ca.server.test/, email:ca@server.test, DNS:ca.server.test
crlDistributionPoints = crldp_full, crldp_relative
certificatePolicies = ia5org, 1.3.6.1.4.1.99999.2, @policy_section
authorityInfoAccess = OCSP;URI:http://ocsp.server.test/, caIssuers;URI:http://ca.server.test/ca.der
tlsfeature = status_request
nsComment = "fuzz comment"
1.3.6.1.4.1.99999.7 = ASN1:UTF8String:a private extension

[ alt_names ]
DNS.1 = server.test
DNS.2 = *.server.test
IP.1 = 192.0.2.1
IP.2 = 2001:db8::1
email.1 = admin@server.test
URI.1 = https://server.test/path?q=1
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@server.test
dirName.1 = dir_name
RID.1 = 1.2.3.4.5

[ dir_name ]
C = DE
O = Fuzz Directory
CN = Directory Name

[ crldp_full ]
fullname = URI:http://crl.server.test/a.crl, URI:ldap://crl.server.test/cn=a
reasons = keyCompromise, CACompromise, superseded
CRLissuer = dirName:dir_name

[ crldp_relative ]
relativename = relative_name

[ relative_name ]
CN = relative crl

[ policy_section ]
policyIdentifier = 1.3.6.1.4.1.99999.1
CPS.1 = "http://cps.server.test/"
userNotice.1 = @notice_section

[ notice_section ]
explicitText = "Explicit notice text"
organization = "Fuzz Org"
noticeNumbers = 1, 2, 3

[ leaf_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:server.test, IP:192.0.2.1
crlDistributionPoints = URI:http://crl.server.test/issuing.crl
authorityInfoAccess = OCSP;URI:http://ocsp.server.test/

[ leaf_client ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = email:device@server.test, URI:urn:uuid:6f9a029d-0000-4000-8000-000000000001

[ constrained_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
nameConstraints = critical, permitted;DNS:server.test, permitted;IP:192.0.2.0/255.255.255.0, permitted;IP:2001:db8::/ffff:ffff::, permitted;email:server.test, permitted;URI:.server.test, permitted;dirName:dir_name, excluded;DNS:bad.server.test, excluded;email:bad@server.test, excluded;IP:192.0.2.128/255.255.255.128
certificatePolicies = 2.5.29.32.0
policyConstraints = requireExplicitPolicy:0, inhibitPolicyMapping:1
inhibitAnyPolicy = 0
policyMappings = 1.3.6.1.4.1.99999.1:1.3.6.1.4.1.99999.3

[ request_extensions ]
subjectAltName = DNS:request.server.test, IP:192.0.2.9, email:req@server.test
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
"""

REQUEST_CONFIG = """
[ req ]
distinguished_name = req_dn
prompt = no
string_mask = {mask}
{extra}
[ req_dn ]
{dn}
[ attributes ]
challengePassword = a challenge password
unstructuredName = an unstructured name
[ request_extensions ]
subjectAltName = DNS:request.server.test, IP:192.0.2.9, email:req@server.test, URI:https://request.server.test/
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
basicConstraints = critical, CA:FALSE
"""

# Subjects for requests: (string_mask, RDN lines, multi-valued RDNs?).
SUBJECTS = [
    ("utf8only", "C = DE\nST = Berlin\nL = Berlin\nO = Fuzz GmbH\nOU = Unit\nCN = server.test\n"
     "emailAddress = admin@server.test\nserialNumber = 0042\n", False),
    ("default", "C = FR\nO = Soci\u00e9t\u00e9 \u00c9l\u00e9gante\nCN = \u6f22\u5b57 \U0001F510\n", False),
    ("nombstr", "O = Caf\u00e9 Cr\u00e8me\nCN = latin1 value\n", False),
    ("pkix", "1.DC = test\n2.DC = server\nUID = user-1\nCN = =+,;\\\"<> #special\\\\chars \n", False),
    ("utf8only", "CN = multi\nO = valued\n", True),
]


def openssl_material(tools: Tools, hierarchy: Path, corpus: Corpus, out: dict):
    work = tools.work
    ca = work / "ca"
    (ca / "new").mkdir(parents=True)
    (ca / "index.txt").write_text("")
    (ca / "serial").write_text("1000\n")
    (ca / "crlnumber").write_text("2000\n")
    config = work / "ca.cnf"
    config.write_text(CA_CONFIG.format(ca=ca, hierarchy=hierarchy))
    password_file = work / "password"
    password_file.write_text(PASSWORD + "\n")

    # Keys: every curve and size the library knows, and some it does not.
    keys = {}
    for name, args in [("ec-p256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
                       ("ec-p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]),
                       ("ec-p521", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]),
                       ("ec-secp256k1", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"]),
                       ("rsa-2048", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
                       ("ed25519", ["-algorithm", "ED25519"])]:
        path = work / (name + ".key")
        tools.ossl("genpkey", *args, "-out", path)
        keys[name] = path

    def add_private(name: str, data: bytes, encrypted: bool):
        # Selector bit 0: the password; bit 1: also round-trip through encrypted PKCS#8;
        # bit 2 (below): also sign.
        corpus.add("private_key", name, bytes([1 if encrypted else 0]) + data)
        if not encrypted:
            corpus.add("private_key", name + "-reseal", bytes([2]) + data)

    for name, path in keys.items():
        pkcs8_pem = path.read_bytes()
        add_private("openssl-%s-pkcs8.pem" % name, pkcs8_pem, False)
        pkcs8_der = tools.ossl("pkey", "-in", path, "-outform", "DER")
        add_private("openssl-%s-pkcs8.der" % name, pkcs8_der, False)
        corpus.add("private_key", "openssl-%s-pkcs8.der-sign" % name, bytes([4]) + pkcs8_der)
        corpus.add("pem", "openssl-%s-pkcs8.pem" % name, pkcs8_pem)
        if not name.startswith("ed"):
            traditional = tools.ossl("pkey", "-in", path, "-traditional")
            add_private("openssl-%s-traditional.pem" % name, traditional, False)
            corpus.add("pem", "openssl-%s-traditional.pem" % name, traditional)
            kind = "ec" if name.startswith("ec") else "rsa"
            add_private("openssl-%s-traditional.der" % name,
                        tools.ossl(kind, "-in", path, "-outform", "DER"), False)
            legacy = tools.ossl(kind, "-in", path, "-aes128", "-passout", "file:%s" % password_file)
            add_private("openssl-%s-legacy-aes128.pem" % name, legacy, True)
            corpus.add("pem", "openssl-%s-legacy-aes128.pem" % name, legacy)
        for scheme, args in [("pbes2-aes256-sha256", ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256"]),
                             ("pbes2-aes128-sha1", ["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"]),
                             ("pbes1-3des", ["-v1", "PBE-SHA1-3DES"])]:
            if scheme == "pbes1-3des" and name != "ec-p256":
                continue
            base = ["pkcs8", "-topk8", "-in", path, "-iter", "1000", "-passout", "file:%s" % password_file]
            sealed = tools.ossl(*base, *args)
            add_private("openssl-%s-%s.pem" % (name, scheme), sealed, True)
            add_private("openssl-%s-%s.der" % (name, scheme), tools.ossl(*base, *args, "-outform", "DER"), True)
            corpus.add("pem", "openssl-%s-%s.pem" % (name, scheme), sealed)
        public_pem = tools.ossl("pkey", "-in", path, "-pubout")
        corpus.add("public_key", "openssl-%s-spki.pem" % name, public_pem)
        corpus.add("public_key", "openssl-%s-spki.der" % name,
                   tools.ossl("pkey", "-in", path, "-pubout", "-outform", "DER"))
        corpus.add("pem", "openssl-%s-spki.pem" % name, public_pem)
    ec = keys["ec-p256"]
    add_private("openssl-ec-p256-sec1-no-public.pem", tools.ossl("ec", "-in", ec, "-no_public"), False)
    add_private("openssl-ec-p256-sec1-explicit.pem", tools.ossl("ec", "-in", ec, "-param_enc", "explicit"), False)
    corpus.add("public_key", "openssl-ec-p256-compressed.der",
               tools.ossl("ec", "-in", ec, "-pubout", "-conv_form", "compressed", "-outform", "DER"))
    corpus.add("public_key", "openssl-ec-p384-explicit.der",
               tools.ossl("ec", "-in", keys["ec-p384"], "-pubout", "-param_enc", "explicit", "-outform", "DER"))
    rsa = keys["rsa-2048"]
    corpus.add("public_key", "openssl-rsa-2048-pkcs1.pem", tools.ossl("rsa", "-in", rsa, "-RSAPublicKey_out"))
    corpus.add("public_key", "openssl-rsa-2048-pkcs1.der",
               tools.ossl("rsa", "-in", rsa, "-RSAPublicKey_out", "-outform", "DER"))

    # Requests with names in every string type, attributes and requested extensions.
    requests = []
    for index, (mask, dn, multi) in enumerate(SUBJECTS):
        cnf = work / ("req%d.cnf" % index)
        extra = "attributes = attributes\nreq_extensions = request_extensions\nutf8 = yes"
        cnf.write_text(REQUEST_CONFIG.format(mask=mask, extra=extra, dn=dn), encoding="utf-8")
        key = keys["rsa-2048" if index == 1 else "ec-p256"]
        args = ["req", "-new", "-config", cnf, "-key", key, "-outform", "DER"]
        if multi:
            args += ["-multivalue-rdn", "-subj", "/CN=multi+O=valued+OU=rdn/C=DE"]
        der = tools.ossl(*args)
        requests.append(der)
        corpus.add("csr", "openssl-request-%d.der" % index, der)
        corpus.add("csr", "openssl-request-%d.pem" % index, pem("CERTIFICATE REQUEST", der))
        corpus.add("name_der", "openssl-request-%d-subject" % index, csr_subject(der))
    ec_request = work / "ec.csr"
    tools.ossl("req", "-new", "-key", ec, "-subj", "/CN=server.test/O=PKI Fuzz", "-out", ec_request)
    rsa_request = work / "rsa.csr"
    tools.ossl("req", "-new", "-key", rsa, "-subj", "/CN=rsa.server.test/O=PKI Fuzz", "-out", rsa_request)
    for index, der in enumerate(requests[:2]):
        (work / ("request%d.der" % index)).write_bytes(der)

    # Certificates from the fixed issuing CA (openssl ca, dated around the fixed time).
    def issue(name, request, section, extra=()):
        path = work / (name + ".pem")
        args = ["ca", "-batch", "-config", config, "-in", request, "-out", path, "-notext",
                "-startdate", NOT_BEFORE, "-enddate", NOT_AFTER, "-preserveDN", *extra]
        if section:
            args += ["-extensions", section]
        tools.ossl(*args)
        der = pem_blocks(path.read_bytes(), "CERTIFICATE")[0]
        out["certificates"][name] = der
        return path, der

    request0 = work / "request0.csr"
    request0.write_bytes(pem("CERTIFICATE REQUEST", requests[0]))
    request1 = work / "request1.csr"
    request1.write_bytes(pem("CERTIFICATE REQUEST", requests[1]))
    everything_path, _ = issue("openssl-everything", ec_request, "leaf_everything")
    server_path, _ = issue("openssl-server", ec_request, "leaf_server")
    rsa_path, _ = issue("openssl-rsa-server", rsa_request, "leaf_server", ["-md", "sha384"])
    client_path, _ = issue("openssl-client", request1, "leaf_client")
    issue("openssl-v1", request0, None)
    issue("openssl-constrained-ca", ec_request, "constrained_ca", ["-md", "sha512"])
    out["bags"] += [("openssl-server", 1, ["openssl-server"]), ("openssl-rsa-server", 1, ["openssl-rsa-server"]),
                    ("openssl-everything", 1, ["openssl-everything"]), ("openssl-client", 16, ["openssl-client"])]

    # Self-signed certificates in the algorithms around the library's: RSA-PSS, P-384, P-521, Ed25519.
    for name, args in [("openssl-rsa-pss", ["-key", rsa, "-sigopt", "rsa_padding_mode:pss",
                                            "-sigopt", "rsa_pss_saltlen:32", "-sha256"]),
                       ("openssl-ec-p384", ["-key", keys["ec-p384"], "-sha384"]),
                       ("openssl-ec-p521", ["-key", keys["ec-p521"], "-sha512"]),
                       ("openssl-ec-sha1", ["-key", ec, "-sha1"]),
                       ("openssl-ed25519", ["-key", keys["ed25519"]])]:
        der = tools.ossl("req", "-x509", "-new", *args, "-subj", "/CN=%s/O=PKI Fuzz" % name, "-days", "30",
                         "-addext", "subjectAltName=DNS:%s.server.test" % name, "-outform", "DER")
        out["certificates"][name] = der

    # CRLs from the fixed issuing CA: one entry per reason OpenSSL writes, invalidity dates, a hold.
    for reason in ["keyCompromise", "CACompromise", "affiliationChanged", "superseded",
                   "cessationOfOperation", "certificateHold", "removeFromCRL", "unspecified"]:
        extra = ["-crl_hold", "holdInstructionReject"] if reason == "certificateHold" else \
            ["-crl_reason", reason]
        victim = work / ("revoked-%s.pem" % reason)
        tools.ossl("ca", "-batch", "-config", config, "-in", ec_request, "-out", victim, "-notext",
                   "-startdate", NOT_BEFORE, "-enddate", NOT_AFTER, "-extensions", "leaf_server")
        tools.ossl("ca", "-config", config, "-revoke", victim, *extra)
    tools.ossl("ca", "-config", config, "-revoke", server_path, "-crl_compromise", "20291201000000Z")
    tools.ossl("ca", "-config", config, "-revoke", client_path, "-crl_CA_compromise", "20291202000000Z")
    crl_path = work / "issuing.crl"
    tools.ossl("ca", "-config", config, "-gencrl", "-out", crl_path, "-crl_lastupdate", "291215000000Z",
               "-crl_nextupdate", "300115000000Z")
    out["crls"]["openssl-issuing-revocations"] = pem_blocks(crl_path.read_bytes(), "X509 CRL")[0]
    out["bags"] += [("openssl-server-revoked", 1, ["openssl-server", "openssl-issuing-revocations"])]
    corpus.add("pem", "openssl-issuing.crl", crl_path.read_bytes())
    # Without a crlnumber file OpenSSL writes a v1 CRL: no extensions at all.
    v1_config = work / "ca-v1.cnf"
    v1_config.write_text(config.read_text().replace("crlnumber = $dir/crlnumber\n", ""))
    v1_path = work / "v1.crl"
    tools.ossl("ca", "-config", v1_config, "-gencrl", "-out", v1_path, "-crl_lastupdate", "291215000000Z",
               "-crl_nextupdate", "300115000000Z", "-md", "sha384")
    out["crls"]["openssl-v1"] = pem_blocks(v1_path.read_bytes(), "X509 CRL")[0]


def pki_tool_material(tools: Tools, corpus: Corpus, out: dict):
    work = tools.work / "pki"
    work.mkdir()
    password_file = tools.work / "password"
    for algorithm in ["ec-p256", "ec-p384", "ec-p521", "rsa-2048"]:
        key = work / (algorithm + ".key")
        tools.pki("key", "generate", "--algorithm", algorithm, "--out", key)
        corpus.add("private_key", "pki-%s.pem" % algorithm, bytes([0]) + key.read_bytes())
        corpus.add("pem", "pki-%s.pem" % algorithm, key.read_bytes())
    # The tool's encrypted keys use the library's default PBKDF2 count (100 000): a seed that
    # slow would cost the private_key target most of its executions, so it goes to pem only.
    sealed = work / "sealed.key"
    tools.pki("key", "generate", "--algorithm", "ec-p256", "--out", sealed, "--password-file", password_file)
    corpus.add("pem", "pki-ec-p256-encrypted.pem", sealed.read_bytes())

    root_key, leaf_key = work / "ec-p384.key", work / "ec-p256.key"
    root = work / "root.crt"
    tools.pki("ca", "init", "--key", root_key, "--subject", "CN=Tool Root,O=PKI Fuzz,C=DE", "--days", "3650",
              "--out", root)
    issuing_key = work / "ec-p521.key"
    issuing_request = work / "issuing.csr"
    tools.pki("csr", "create", "--key", issuing_key, "--subject", "CN=Tool Issuing CA,O=PKI Fuzz",
              "--out", issuing_request)
    issuing = work / "issuing.crt"
    tools.pki("ca", "issue", "--ca-cert", root, "--ca-key", root_key, "--csr", issuing_request,
              "--profile", "intermediate-ca", "--path-len", "0", "--days", "1825", "--out", issuing)
    issued = []
    for name, subject, names, profile in [
            ("server", "CN=tool.server.test,O=PKI Fuzz", ["--dns", "tool.server.test", "--ip", "192.0.2.3",
                                                         "--ip", "2001:db8::3"], "tls-server"),
            ("client", "CN=device-42,O=PKI Fuzz", ["--email", "device@server.test",
                                                  "--uri", "urn:example:device:42"], "tls-client"),
            ("device", "CN=sensor,serialNumber=SN-0042,O=PKI Fuzz", ["--uri", "urn:example:sensor:42"],
             "device-identity")]:
        request = work / (name + ".csr")
        tools.pki("csr", "create", "--key", leaf_key, "--subject", subject, *names, "--out", request)
        corpus.add("csr", "pki-%s.pem" % name, request.read_bytes())
        corpus.add("csr", "pki-%s.der" % name, pem_blocks(request.read_bytes(), "CERTIFICATE REQUEST")[0])
        cert = work / (name + ".crt")
        tools.pki("ca", "issue", "--ca-cert", issuing, "--ca-key", issuing_key, "--csr", request,
                  "--profile", profile, "--days", "90", "--out", cert)
        issued.append(cert)
    self_signed = work / "self.crt"
    tools.pki("cert", "self-signed", "--key", leaf_key, "--subject", "CN=self.server.test", "--dns",
              "self.server.test", "--ip", "192.0.2.4", "--days", "30", "--out", self_signed)
    for path in [root, issuing, self_signed, *issued]:
        out["certificates"]["pki-" + path.stem] = pem_blocks(path.read_bytes(), "CERTIFICATE")[0]
    out["pki_chain"] = [issued[0], issuing, root]
    serials = []
    for cert in issued[:2]:
        text = tools.ossl("x509", "-in", cert, "-noout", "-serial").decode().strip()
        serials += ["--revoke", text.split("=", 1)[1]]
    crl = work / "issuing.crl"
    tools.pki("crl", "create", "--ca-cert", issuing, "--ca-key", issuing_key, *serials, "--days", "7",
              "--out", crl)
    empty = work / "empty.crl"
    tools.pki("crl", "create", "--ca-cert", root, "--ca-key", root_key, "--days", "7", "--out", empty)
    for path in [crl, empty]:
        out["crls"]["pki-" + path.stem] = pem_blocks(path.read_bytes(), "X509 CRL")[0]
        corpus.add("pem", "pki-%s.crl" % path.stem, path.read_bytes())


NAME_TEXTS = [
    "", "CN=server.test", "CN=server.test,O=PKI Fuzz,C=DE", "CN=a+O=b+OU=c,C=DE",
    "CN=Before\\, After,O=Acme\\, Inc.", "CN=\\#hash\\ leading and trailing\\ ", "CN=\\\"quoted\\\"\\;\\<\\>",
    "CN=caf\\C3\\A9", "CN=\u00e9l\u00e8ve \u6f22\u5b57", "CN=#0c03616263", "CN=#1e0400610062", "2.5.4.3=oid type",
    "OID.2.5.4.10=oid prefix", "commonName=long name,organizationName=Org,countryName=FR",
    "emailAddress=a@server.test,DC=server,DC=test", "1.2.3.4=#0403010203", "UID=user,serialNumber=42",
    "CN=x,  O=spaces after comma", "CN=" + "a" * 300, ",".join("CN=n%d" % i for i in range(40)),
    "CN=a\\2Bb\\2Cc", "C=DEU", "CN=trailing,", "CN", "=value", "CN=\\zz", "CN=#zz",
]


def distribute(corpus: Corpus, out: dict, tools: Tools):
    certificates, crls = out["certificates"], out["crls"]
    # A bundle of a few certificates: libFuzzer's -max_len follows the largest seed, and a
    # bundle of every certificate here would make each pem_bundle execution slow.
    bundle = b"".join(pem("CERTIFICATE", certificates[name]) for name in sorted(certificates)[::6])
    for name, der in sorted(certificates.items()):
        if not name.startswith("library-"):  # fuzz-seeds wrote those already
            corpus.add("certificate", name, der)
        corpus.add("pem", name + ".pem", pem("CERTIFICATE", der))
        for which, name_der in zip(["issuer", "subject"], certificate_names(der)):
            corpus.add("name_der", "%s-%s" % (name, which), name_der)
        whole, items = certificate_extensions(der)
        if whole is not None:
            corpus.add("extension", name + "-all", bytes([WHOLE_EXTENSIONS_SELECTOR]) + whole)
        for oid, value in items:
            if oid in EXTENSION_OIDS:
                index = EXTENSION_OIDS.index(oid)
                corpus.add("extension", "%s-%d" % (name, index), bytes([index]) + value)
        subject = tools.ossl("x509", "-inform", "DER", "-noout", "-subject", "-nameopt", "RFC2253",
                             stdin=der).decode("utf-8", "replace").strip()
        corpus.add("name_text", name, subject.split("=", 1)[1].encode() if "=" in subject else b"")
    for name, der in sorted(crls.items()):
        corpus.add("crl", name, der)
    for index, text in enumerate(NAME_TEXTS):
        corpus.add("name_text", "text-%02d" % index, text.encode("utf-8"))

    # Bundles: several, one, with other blocks and text around, one malformed, one unterminated.
    corpus.add("pem_bundle", "several", bundle)
    first = pem("CERTIFICATE", certificates[sorted(certificates)[0]])
    corpus.add("pem_bundle", "one", first)
    corpus.add("pem_bundle", "mixed", b"Subject: a comment\n" + first + b"\n" +
               pem("X509 CRL", next(iter(crls.values()))) + pem("PUBLIC KEY", b"\x30\x00") + first + b"trailer\n")
    corpus.add("pem_bundle", "duplicates", first + first + first)
    corpus.add("pem_bundle", "malformed", first + pem("CERTIFICATE", b"\x30\x03\x02\x01\x01"))
    corpus.add("pem_bundle", "unterminated", first + b"-----BEGIN CERTIFICATE-----\nMIIB\n")
    corpus.add("pem_bundle", "crlf", first.replace(b"\n", b"\r\n"))
    corpus.add("pem", "bundle", bundle)
    corpus.add("pem", "headers", b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
               b"DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")

    # Validation bags (validate.cpp): options byte, then DER values.
    issuing = pem_blocks((out["hierarchy"] / "issuing.pem").read_bytes(), "CERTIFICATE")[0]
    for name, options, parts in out["bags"]:
        values = [certificates.get(part) or crls[part] for part in parts]
        corpus.add("validate", name, bytes([options]) + values[0] + issuing + b"".join(values[1:]))
    if "pki_chain" in out:
        chain = b"".join(pem_blocks(path.read_bytes(), "CERTIFICATE")[0] for path in out["pki_chain"])
        corpus.add("validate", "pki-tool-chain-untrusted", bytes([0]) + chain)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(name: str, stderr: bytes):
    for line in stderr.decode(errors="replace").splitlines():
        print("make_corpus: %s: %s" % (name, line.replace("fuzz-seeds: ", "")))


def openssl_peers(tools: Tools, seeds_program: str, hierarchy: Path, corpus: Corpus):
    """TLS flights from the OpenSSL CLI: s_server answering the fixture clients, s_client
    talking to the fixture servers, over loopback (fuzz-seeds --connect / --serve)."""
    h = str(hierarchy)
    server_identity = ["-cert", h + "/server.pem", "-key", h + "/server.key", "-cert_chain", h + "/issuing.pem"]
    # (name, fixture client, s_server options)
    for name, client, options in [
            ("openssl-s_server-tls12", 0, ["-tls1_2"]),
            ("openssl-s_server-tls12-chacha", 0, ["-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305"]),
            ("openssl-s_server-tls12-no-ticket-cbc", 0, ["-tls1_2", "-no_ticket", "-cipher", "ECDHE-ECDSA-AES128-SHA256"]),
            ("openssl-s_server-tls12-mtls", 2, ["-tls1_2", "-Verify", "1", "-CAfile", h + "/root.pem"]),
            ("openssl-s_server-tls13", 1, ["-tls1_3"]),
            ("openssl-s_server-tls13-mtls", 3, ["-tls1_3", "-Verify", "1", "-CAfile", h + "/root.pem"])]:
        port = free_port()
        server = subprocess.Popen([tools.openssl, "s_server", "-accept", str(port), "-naccept", "1", "-www",
                                   *server_identity, *options], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tools.work)
        try:
            while b"ACCEPT" not in server.stdout.readline():
                if server.poll() is not None:
                    raise RuntimeError("openssl s_server did not start (%s)" % name)
            outfile = corpus.out / "tls_client" / name
            result = subprocess.run([seeds_program, "--connect", str(port), str(client), outfile],
                                    capture_output=True, timeout=30, cwd=tools.work)
            report(name, result.stderr)
            if result.returncode != 0:
                raise RuntimeError("fuzz-seeds --connect failed (%s)" % name)
            corpus.counts["tls_client"] = corpus.counts.get("tls_client", 0) + 1
        finally:
            server.kill()
            server.wait()
    client_identity = ["-cert", h + "/client.pem", "-key", h + "/client.key", "-cert_chain", h + "/issuing.pem"]
    # (name, fixture server, s_client options)
    for name, server_index, options in [
            ("openssl-s_client-tls12", 0, ["-tls1_2"]),
            ("openssl-s_client-tls12-groups", 0, ["-tls1_2", "-groups", "P-384:P-256", "-sigalgs",
                                                  "ECDSA+SHA384:ECDSA+SHA256"]),
            ("openssl-s_client-tls12-mtls", 2, ["-tls1_2", *client_identity]),
            ("openssl-s_client-tls13", 0, ["-tls1_3"]),
            ("openssl-s_client-tls13-mtls", 2, ["-tls1_3", *client_identity]),
            ("openssl-s_client-any", 3, [])]:
        outfile = corpus.out / "tls_server" / name
        server = subprocess.Popen([seeds_program, "--serve", str(server_index), str(outfile)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tools.work)
        try:
            line = server.stdout.readline().decode()
            if not line.startswith("port "):
                raise RuntimeError("fuzz-seeds --serve did not start (%s)" % name)
            client = subprocess.run([tools.openssl, "s_client", "-connect", "127.0.0.1:" + line.split()[1],
                                     "-servername", "server.test", "-ign_eof", "-quiet", *options],
                                    input=b"GET / HTTP/1.0\r\n\r\n", capture_output=True, timeout=30,
                                    cwd=tools.work)
            del client
            failed = server.wait(timeout=30) != 0
            report(name, server.stderr.read())
            if failed:
                raise RuntimeError("fuzz-seeds --serve failed (%s)" % name)
            corpus.counts["tls_server"] = corpus.counts.get("tls_server", 0) + 1
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seeds-program", required=True)
    parser.add_argument("--pki-tool")
    parser.add_argument("--openssl", default="openssl")
    args = parser.parse_args()

    out_dir = args.out.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    work = out_dir / "work"
    work.mkdir(parents=True)
    corpus = Corpus(out_dir)
    # The tools run in the work directory: paths given relative to here must still name them.
    def program(path):
        return str(Path(path).resolve()) if path and os.sep in path else path
    tools = Tools(program(args.openssl), program(args.pki_tool), work)
    args.seeds_program = program(args.seeds_program)

    for line in tools.run(args.seeds_program, out_dir).decode().splitlines():
        print("make_corpus: " + line.replace("fuzz-seeds: ", "fuzz-seeds "))
    for target in TARGETS:
        directory = out_dir / target
        if directory.is_dir():
            corpus.counts[target] = len(list(directory.iterdir()))
    material = {"certificates": {}, "crls": {}, "bags": [], "hierarchy": out_dir / "hierarchy"}
    # The library's own certificates (fuzz-seeds) also give names, extensions and bundles.
    for path in sorted((out_dir / "certificate").glob("library-*")):
        material["certificates"][path.name] = path.read_bytes()
    openssl_material(tools, out_dir / "hierarchy", corpus, material)
    openssl_peers(tools, args.seeds_program, out_dir / "hierarchy", corpus)
    if args.pki_tool:
        pki_tool_material(tools, corpus, material)
    distribute(corpus, material, tools)

    shutil.rmtree(work)
    for target in TARGETS:
        count = corpus.counts.get(target, 0)
        print("make_corpus: %-12s %3d seeds" % (target, count))
        if count == 0:
            print("make_corpus: no seed for %s" % target, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
