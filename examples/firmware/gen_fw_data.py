#!/usr/bin/env python3
"""Generates the firmware images' test PKI and embeds it into fw_data.h.

A root CA, an intermediate CA (pathlen 0), a device leaf (clientAuth) and a server leaf
(serverAuth), all P-256 with ECDSA-SHA256, valid from 2026-01-01 to 2036-01-01 so that the
images can validate at one constant time. The keys are derived from fixed labels, so every
build embeds the same keys (the signatures differ: ECDSA is randomised here).

Writes <out-dir>/fw_data.h and, for checks on the host, <out-dir>/pki/<name>.pem.
Works with python3-cryptography 38 (Debian 12) and later.
"""

import argparse
import datetime
import hashlib
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2036, 1, 1, tzinfo=datetime.timezone.utc)
# Inside the validity of every certificate, far from both ends.
VALIDATION_TIME = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)

DEVICE_HOST = "device-0042.example.net"
SERVER_HOST = "broker.example.net"
WRONG_HOST = "evil.example.net"


def fixed_key(label):
    """A P-256 key whose scalar is SHA-256 of the label (reduced below the group order)."""
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    scalar = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Devices"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def key_usage(digital_signature=False, cert_sign=False):
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False,
                         decipher_only=False)


def issue(subject, key, issuer_name, issuer_key, serial, extensions):
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(serial)
               .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical)
    return builder.sign(issuer_key, hashes.SHA256())


def ca_extensions(path_length):
    return [(x509.BasicConstraints(ca=True, path_length=path_length), True),
            (key_usage(cert_sign=True), True)]


def leaf_extensions(host, usage):
    return [(x509.BasicConstraints(ca=False, path_length=None), True),
            (key_usage(digital_signature=True), True),
            (x509.ExtendedKeyUsage([usage]), False),
            (x509.SubjectAlternativeName([x509.DNSName(host)]), False)]


def make_pki():
    root_key, ca_key = fixed_key("fw root"), fixed_key("fw intermediate")
    device_key, server_key = fixed_key("fw device"), fixed_key("fw server")
    root_name, ca_name = name("Example Firmware Root CA"), name("Example Firmware Device CA")
    root = issue(root_name, root_key, root_name, root_key, 0x1001, ca_extensions(None))
    ca = issue(ca_name, ca_key, root_name, root_key, 0x2001, ca_extensions(0))
    device = issue(name(DEVICE_HOST), device_key, ca_name, ca_key, 0x3042,
                   leaf_extensions(DEVICE_HOST, ExtendedKeyUsageOID.CLIENT_AUTH))
    server = issue(name(SERVER_HOST), server_key, ca_name, ca_key, 0x3001,
                   leaf_extensions(SERVER_HOST, ExtendedKeyUsageOID.SERVER_AUTH))
    return {"root": root, "intermediate": ca, "device": device, "server": server}, \
        {"device_key": device_key, "server_key": server_key}


def der_and_pem(certificates, keys):
    """name -> (DER bytes, PEM text); keys as unencrypted PKCS#8."""
    out = {}
    for label, cert in certificates.items():
        out[label] = (cert.public_bytes(serialization.Encoding.DER),
                      cert.public_bytes(serialization.Encoding.PEM).decode())
    for label, key in keys.items():
        encode = lambda encoding: key.private_bytes(encoding, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption())
        out[label] = (encode(serialization.Encoding.DER), encode(serialization.Encoding.PEM).decode())
    return out


def c_bytes(label, data):
    rows = [", ".join(f"0x{b:02x}" for b in data[i:i + 12]) for i in range(0, len(data), 12)]
    body = ",\n    ".join(rows)
    return (f"static const unsigned char fw_{label}_der[] FW_DATA_UNUSED = {{\n    {body}}};\n"
            f"static const size_t fw_{label}_der_len FW_DATA_UNUSED = sizeof fw_{label}_der;\n")


def c_string(label, text):
    lines = "\n".join(f'    "{line}\\n"' for line in text.splitlines())
    return (f"static const char fw_{label}_pem[] FW_DATA_UNUSED =\n{lines};\n"
            f"/* Includes the terminating NUL, as mbedTLS's PEM parsers want. */\n"
            f"static const size_t fw_{label}_pem_len FW_DATA_UNUSED = sizeof fw_{label}_pem;\n")


def unix(moment):
    return int(moment.timestamp())


def header(objects):
    parts = [
        "/* Generated by examples/firmware/gen_fw_data.py: the firmware images' test PKI.\n"
        " * Do not edit. Every key here is public: test use only. */\n",
        "#ifndef FW_DATA_H\n#define FW_DATA_H\n\n#include <stddef.h>\n\n",
        "#define FW_DATA_UNUSED __attribute__((unused))\n\n",
        f"/* Every certificate is valid from {NOT_BEFORE:%Y-%m-%d} to {NOT_AFTER:%Y-%m-%d} (UTC). */\n",
        f"#define FW_NOT_BEFORE {unix(NOT_BEFORE)}LL\n",
        f"#define FW_NOT_AFTER {unix(NOT_AFTER)}LL\n",
        f"/* The time to validate at: {VALIDATION_TIME:%Y-%m-%dT%H:%M:%SZ}, in Unix seconds. */\n",
        f"#define FW_VALIDATION_TIME {unix(VALIDATION_TIME)}LL\n\n",
        "/* The names the peers must present, and one that neither has. */\n",
        f'#define FW_DEVICE_HOST "{DEVICE_HOST}"\n',
        f'#define FW_SERVER_HOST "{SERVER_HOST}"\n',
        f'#define FW_WRONG_HOST "{WRONG_HOST}"\n\n',
        "/* root: self-signed trust anchor; intermediate: CA with pathlen 0, issued by root;\n"
        " * device: clientAuth leaf for FW_DEVICE_HOST; server: serverAuth leaf for\n"
        " * FW_SERVER_HOST; both issued by intermediate. *_key: PKCS#8 private keys. */\n\n",
    ]
    for label, (der, pem) in objects.items():
        parts.append(c_bytes(label, der))
        parts.append(c_string(label, pem))
        parts.append("\n")
    parts.append("#endif\n")
    return "".join(parts)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args()
    objects = der_and_pem(*make_pki())
    for label, (_, pem) in objects.items():
        write(os.path.join(args.out_dir, "pki", label + ".pem"), pem)
    write(os.path.join(args.out_dir, "fw_data.h"), header(objects))


if __name__ == "__main__":
    main()
