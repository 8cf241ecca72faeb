"""Mutated certificate chains for the differential test (tests/differential/run.py).

A chain is root -> intermediate -> leaf for the host example.test, built as DER by hand
(the extensions' values, names and public keys encoded by Python's cryptography) so that a
mutation can write what cryptography's builder refuses to: serial 0, a v1 certificate, a
duplicate extension, notBefore after notAfter, a flipped signature byte. Every choice comes
from random.Random(seed) and a key pool drawn once per run: the seed fixes the chains'
structure and fields, not their key or signature bytes (ECDSA and RSA key generation are
random), and no mutation's verdict depends on those bytes.
"""

from __future__ import annotations

import datetime
import ipaddress
import random
from dataclasses import dataclass, field
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "example.test"
IP_HOST = "192.0.2.10"
VALIDATION_TIME = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
DV_POLICY = "2.23.140.1.2.1"  # CA/B Forum domain-validated
OTHER_POLICY = "1.3.6.1.4.1.55555.1.1"
UNKNOWN_EXTENSION = "1.3.6.1.4.1.55555.2.1"

# ---------------------------------------------------------------------------------------
# DER


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def explicit(number: int, content: bytes) -> bytes:
    return tlv(0xA0 | number, content)


def integer_content(n: int) -> bytes:
    """The minimal two's-complement content octets of an INTEGER."""
    size = max(1, (n + (n < 0)).bit_length() // 8 + 1)
    raw = n.to_bytes(size, "big", signed=True)
    while len(raw) > 1 and ((raw[0] == 0 and raw[1] < 0x80) or (raw[0] == 0xFF and raw[1] >= 0x80)):
        raw = raw[1:]
    return raw


def integer(n: int) -> bytes:
    return tlv(0x02, integer_content(n))


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray()
    for value in [arcs[0] * 40 + arcs[1]] + arcs[2:]:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, bytes(body))


def boolean(value: bool) -> bytes:
    return tlv(0x01, b"\xff" if value else b"\x00")


def octet_string(content: bytes) -> bytes:
    return tlv(0x04, content)


def bit_string(content: bytes) -> bytes:
    return tlv(0x03, b"\x00" + content)


def time(moment: datetime.datetime, generalized: bool = False) -> bytes:
    """UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5), or
    GeneralizedTime when asked."""
    if generalized or moment.year >= 2050:
        return tlv(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode())
    return tlv(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())


NULL = b"\x05\x00"

# ---------------------------------------------------------------------------------------
# Keys


@dataclass(eq=False)
class Key:
    private: object
    kind: str  # "ec" or "rsa"
    label: str  # "p256", "rsa2048", ...
    spki: bytes = b""
    key_id: bytes = b""

    def __post_init__(self) -> None:
        public = self.private.public_key()
        self.spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.key_id = x509.SubjectKeyIdentifier.from_public_key(public).digest


class KeyPool:
    """Keys drawn once per run: EC keys from the seed, RSA keys at random (slow to derive)."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"keys-{seed}")

        def ec_key(curve: ec.EllipticCurve, label: str) -> Key:
            # Below 2^190: a valid scalar for every curve used here (P-192's order is ~2^192).
            return Key(ec.derive_private_key(rng.randrange(1, 2**190), curve), "ec", label)

        self.p256 = [ec_key(ec.SECP256R1(), "p256") for _ in range(24)]
        self.p384 = ec_key(ec.SECP384R1(), "p384")
        self.p192 = ec_key(ec.SECP192R1(), "p192")
        self.secp256k1 = ec_key(ec.SECP256K1(), "secp256k1")
        self.rsa2048 = [Key(rsa.generate_private_key(65537, 2048), "rsa", "rsa2048") for _ in range(3)]
        self.rsa1024 = Key(rsa.generate_private_key(65537, 1024), "rsa", "rsa1024")

    def distinct_p256(self, rng: random.Random, count: int) -> list[Key]:
        return rng.sample(self.p256, count)


# ---------------------------------------------------------------------------------------
# Certificates

SIGNATURE_ALGORITHMS = {
    ("ec", "sha256"): (seq(oid("1.2.840.10045.4.3.2")), hashes.SHA256),
    ("ec", "sha384"): (seq(oid("1.2.840.10045.4.3.3")), hashes.SHA384),
    ("ec", "sha1"): (seq(oid("1.2.840.10045.4.1")), hashes.SHA1),
    ("rsa", "sha256"): (seq(oid("1.2.840.113549.1.1.11"), NULL), hashes.SHA256),
    ("rsa", "sha1"): (seq(oid("1.2.840.113549.1.1.5"), NULL), hashes.SHA1),
}

OID_BC = "2.5.29.19"
OID_KU = "2.5.29.15"
OID_EKU = "2.5.29.37"
OID_SAN = "2.5.29.17"
OID_NC = "2.5.29.30"
OID_SKI = "2.5.29.14"
OID_AKI = "2.5.29.35"
OID_CP = "2.5.29.32"
OID_PC = "2.5.29.36"


@dataclass
class Ext:
    oid: str
    critical: bool
    value: bytes | None  # None: the authority key identifier of the issuer's key, at rendering

    def der(self, issuer_key: Key) -> bytes:
        value = self.value
        if value is None:
            value = seq(tlv(0x80, issuer_key.key_id))
        return seq(oid(self.oid), *([boolean(True)] if self.critical else []), octet_string(value))


def name(*attributes: tuple) -> bytes:
    return x509.Name([x509.NameAttribute(o, v) for o, v in attributes]).public_bytes()


EMPTY_NAME = seq()


@dataclass
class Cert:
    role: str
    key: Key
    subject: bytes
    issuer: "Cert | None"  # None: self-signed
    not_before: datetime.datetime
    not_after: datetime.datetime
    serial: bytes
    exts: list[Ext] = field(default_factory=list)
    version: int = 3
    issuer_name: bytes | None = None  # overrides the issuer's subject
    hash: str | None = None  # the signature's hash; default by the signing key
    generalized_time: bool = False
    corrupt_signature: bool = False
    _der: bytes | None = None

    def find(self, ext_oid: str) -> Ext | None:
        return next((e for e in self.exts if e.oid == ext_oid), None)

    def set(self, ext_oid: str, critical: bool, value: bytes | None) -> None:
        existing = self.find(ext_oid)
        if existing is None:
            self.exts.append(Ext(ext_oid, critical, value))
        else:
            existing.critical, existing.value = critical, value

    def drop(self, ext_oid: str) -> None:
        self.exts = [e for e in self.exts if e.oid != ext_oid]

    def signer(self) -> "Cert":
        return self if self.issuer is None else self.issuer

    def der(self) -> bytes:
        if self._der is None:
            signer = self.signer()
            digest = self.hash or ("sha384" if signer.key.label == "p384" else "sha256")
            algorithm, hash_class = SIGNATURE_ALGORITHMS[(signer.key.kind, digest)]
            parts = []
            if self.version != 1:
                parts.append(explicit(0, integer(self.version - 1)))
            parts += [
                tlv(0x02, self.serial),
                algorithm,
                self.issuer_name if self.issuer_name is not None else signer.subject,
                seq(time(self.not_before, self.generalized_time), time(self.not_after, self.generalized_time)),
                self.subject,
                self.key.spki,
            ]
            if self.version == 3 and self.exts:
                parts.append(explicit(3, seq(*(e.der(signer.key) for e in self.exts))))
            tbs = seq(*parts)
            if signer.key.kind == "ec":
                signature = signer.key.private.sign(tbs, ec.ECDSA(hash_class()))
            else:
                signature = signer.key.private.sign(tbs, padding.PKCS1v15(), hash_class())
            if self.corrupt_signature:
                signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
            self._der = seq(tbs, algorithm, bit_string(signature))
        return self._der

    def pem(self) -> str:
        return _pem(self.der())


def _pem(der: bytes) -> str:
    import base64

    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def random_serial(rng: random.Random) -> bytes:
    return bytes([rng.randrange(1, 0x80)]) + rng.randbytes(15)


# Extension values


def bc(ca: bool, path_len: int | None = None) -> bytes:
    return x509.BasicConstraints(ca=ca, path_length=path_len).public_bytes()


def ku(**flags: bool) -> bytes:
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    values = {n: flags.get(n, False) for n in names}
    return x509.KeyUsage(**values).public_bytes()


def eku(*purposes: x509.ObjectIdentifier) -> bytes:
    return x509.ExtendedKeyUsage(list(purposes)).public_bytes()


def san(*names: x509.GeneralName) -> bytes:
    return x509.SubjectAlternativeName(list(names)).public_bytes()


def ski(key: Key) -> bytes:
    return octet_string(key.key_id)


def policies(*oids: str) -> bytes:
    return x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(o), None) for o in oids]).public_bytes()


SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
ANY_EKU = ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE

# ---------------------------------------------------------------------------------------
# Chains


@dataclass
class Chain:
    index: int
    mutations: list[str]
    root: Cert
    intermediate: Cert
    leaf: Cert
    trusted: list[Cert]
    untrusted: list[Cert]
    purpose: str = "server"  # or "client"
    host: str | None = HOST
    host_kind: str = "DNS"  # or "IP"
    time: datetime.datetime = VALIDATION_TIME


def ca_cert(role: str, key: Key, subject: bytes, issuer: Cert | None, rng: random.Random,
            days_before: int, days_after: int) -> Cert:
    cert = Cert(role, key, subject, issuer, VALIDATION_TIME - days_before * DAY,
                VALIDATION_TIME + days_after * DAY, random_serial(rng))
    cert.set(OID_BC, True, bc(True))
    cert.set(OID_KU, True, ku(key_cert_sign=True, crl_sign=True))
    if issuer is not None:
        cert.set(OID_EKU, False, eku(SERVER_AUTH, CLIENT_AUTH))
        cert.set(OID_CP, False, policies(DV_POLICY))
    cert.set(OID_SKI, False, ski(key))
    if issuer is not None:
        cert.set(OID_AKI, False, None)
    return cert


def base_chain(index: int, rng: random.Random, pool: KeyPool, purpose: str) -> Chain:
    root_key, int_key, leaf_key = pool.distinct_p256(rng, 3)
    if rng.random() < 0.15:
        leaf_key = rng.choice(pool.rsa2048)
    org = (NameOID.ORGANIZATION_NAME, "pki differential")
    root = ca_cert("root", root_key, name((NameOID.COMMON_NAME, f"Differential Root {index}"), org), None,
                   rng, 365, 3650)
    intermediate = ca_cert("intermediate", int_key,
                           name((NameOID.COMMON_NAME, f"Differential Intermediate {index}"), org), root, rng, 180, 1825)
    leaf = Cert("leaf", leaf_key, name((NameOID.COMMON_NAME, HOST)), intermediate, VALIDATION_TIME - 30 * DAY,
                VALIDATION_TIME + 60 * DAY, random_serial(rng))
    usage = {"digital_signature": True}
    if leaf_key.kind == "rsa":
        usage["key_encipherment"] = True
    leaf.set(OID_KU, True, ku(**usage))
    leaf.set(OID_EKU, False, eku(SERVER_AUTH if purpose == "server" else CLIENT_AUTH))
    leaf.set(OID_SAN, False, san(x509.DNSName(HOST)))
    leaf.set(OID_CP, False, policies(DV_POLICY))
    leaf.set(OID_SKI, False, ski(leaf_key))
    leaf.set(OID_AKI, False, None)
    return Chain(index, [], root, intermediate, leaf, [root], [intermediate], purpose,
                 HOST if purpose == "server" else None)


# ---------------------------------------------------------------------------------------
# Mutations. Each has a kind (its name), slots (two mutations of one chain never share a
# slot or a slot prefix: "leaf" conflicts with "leaf.san"; a mutation that changes which
# certificates form the path holds the slots of those it would mask or reinterpret, such as
# a second path around the intermediate and root, or the intermediate made a trust anchor),
# the purposes it applies to, and a function that changes the chain's fields before
# anything is signed.


@dataclass
class Mutation:
    kind: str
    slots: tuple[str, ...]
    apply: Callable[[Chain, random.Random, KeyPool], None]
    purposes: tuple[str, ...] = ("server", "client")


MUTATIONS: list[Mutation] = []


def mutation(kind: str, slots: str | tuple[str, ...], purposes: tuple[str, ...] = ("server", "client")):
    def register(fn: Callable[[Chain, random.Random, KeyPool], None]):
        MUTATIONS.append(Mutation(kind, (slots,) if isinstance(slots, str) else slots, fn, purposes))
        return fn

    return register


def _second_intermediate(c: Chain, rng: random.Random, pool: KeyPool) -> Cert:
    """Puts a second CA between the intermediate and the leaf; returns it."""
    key = next(k for k in pool.p256 if k not in (c.root.key, c.intermediate.key, c.leaf.key))
    second = ca_cert("intermediate2", key, name((NameOID.COMMON_NAME, f"Differential Issuing CA {c.index}"),
                                                (NameOID.ORGANIZATION_NAME, "pki differential")),
                     c.intermediate, rng, 90, 900)
    c.leaf.issuer = second
    c.untrusted.append(second)
    return second


@mutation("control-unmutated", "control")  # never paired (see generate)
def _(c, rng, pool):
    pass


# Basic constraints
@mutation("bc-missing-in-intermediate", "int.bc")
def _(c, rng, pool):
    c.intermediate.drop(OID_BC)


@mutation("bc-noncritical-in-intermediate", "int.bc")
def _(c, rng, pool):
    c.intermediate.set(OID_BC, False, bc(True))


@mutation("bc-ca-false-in-intermediate", "int.bc")
def _(c, rng, pool):
    c.intermediate.set(OID_BC, True, bc(False))


@mutation("bc-pathlen0-with-further-ca", "structure")
def _(c, rng, pool):
    c.intermediate.set(OID_BC, True, bc(True, 0))
    _second_intermediate(c, rng, pool)


@mutation("bc-pathlen1-with-further-ca", "structure")
def _(c, rng, pool):
    c.intermediate.set(OID_BC, True, bc(True, 1))
    _second_intermediate(c, rng, pool)


@mutation("bc-ca-true-in-leaf", "leaf.bc")
def _(c, rng, pool):
    c.leaf.set(OID_BC, True, bc(True))


@mutation("bc-pathlen-without-ca-in-leaf", "leaf.bc")
def _(c, rng, pool):
    c.leaf.set(OID_BC, True, seq(integer(0)))


@mutation("bc-ca-false-in-leaf", "leaf.bc")
def _(c, rng, pool):
    c.leaf.set(OID_BC, True, bc(False))


@mutation("bc-missing-in-root", "root.bc")
def _(c, rng, pool):
    c.root.drop(OID_BC)


# Key usage
@mutation("ku-absent-in-intermediate", "int.ku")
def _(c, rng, pool):
    c.intermediate.drop(OID_KU)


@mutation("ku-no-keycertsign-in-intermediate", "int.ku")
def _(c, rng, pool):
    c.intermediate.set(OID_KU, True, ku(digital_signature=True, crl_sign=True))


@mutation("ku-noncritical-in-intermediate", "int.ku")
def _(c, rng, pool):
    c.intermediate.set(OID_KU, False, ku(key_cert_sign=True, crl_sign=True))


@mutation("ku-absent-in-root", "root.ku")
def _(c, rng, pool):
    c.root.drop(OID_KU)


@mutation("ku-absent-in-leaf", "leaf.ku")
def _(c, rng, pool):
    c.leaf.drop(OID_KU)


@mutation("ku-crlsign-only-in-leaf", "leaf.ku")
def _(c, rng, pool):
    c.leaf.set(OID_KU, True, ku(crl_sign=True))


@mutation("ku-keyencipherment-only-in-ec-leaf", "leaf.ku")
def _(c, rng, pool):
    if c.leaf.key.kind != "ec":
        c.leaf.key = rng.choice([k for k in pool.p256 if k not in (c.root.key, c.intermediate.key)])
        c.leaf.set(OID_SKI, False, ski(c.leaf.key))
    c.leaf.set(OID_KU, True, ku(key_encipherment=True))


@mutation("ku-keycertsign-in-leaf", "leaf.ku")
def _(c, rng, pool):
    c.leaf.set(OID_KU, True, ku(digital_signature=True, key_cert_sign=True))


# Extended key usage
@mutation("eku-missing-in-leaf", "leaf.eku")
def _(c, rng, pool):
    c.leaf.drop(OID_EKU)


@mutation("eku-clientauth-only-in-leaf", "leaf.eku", ("server",))
def _(c, rng, pool):
    c.leaf.set(OID_EKU, False, eku(CLIENT_AUTH))


@mutation("eku-serverauth-only-in-leaf", "leaf.eku", ("client",))
def _(c, rng, pool):
    c.leaf.set(OID_EKU, False, eku(SERVER_AUTH))


@mutation("eku-any-only-in-leaf", "leaf.eku")
def _(c, rng, pool):
    c.leaf.set(OID_EKU, False, eku(ANY_EKU))


@mutation("eku-intermediate-excludes-purpose", "int.eku")
def _(c, rng, pool):
    other = ExtendedKeyUsageOID.CODE_SIGNING
    c.intermediate.set(OID_EKU, False, eku(other))


@mutation("eku-missing-in-intermediate", "int.eku")
def _(c, rng, pool):
    c.intermediate.drop(OID_EKU)


@mutation("eku-in-root", "root.eku")
def _(c, rng, pool):
    c.root.set(OID_EKU, False, eku(SERVER_AUTH, CLIENT_AUTH))


# Subject alternative names and host names
@mutation("san-missing", "leaf.san", ("server",))
def _(c, rng, pool):
    c.leaf.drop(OID_SAN)


@mutation("san-wrong-host", "leaf.san", ("server",))
def _(c, rng, pool):
    c.leaf.subject = name((NameOID.COMMON_NAME, "other.test"))
    c.leaf.set(OID_SAN, False, san(x509.DNSName("other.test")))


def _wildcard(c: Chain, pattern: str, host: str) -> None:
    c.host = host
    c.leaf.subject = name((NameOID.COMMON_NAME, pattern))
    c.leaf.set(OID_SAN, False, san(x509.DNSName(pattern)))


@mutation("san-wildcard-matches-one-label", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "*.example.test", "www.example.test")


@mutation("san-wildcard-not-the-parent", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "*.example.test", "example.test")


@mutation("san-wildcard-not-two-labels", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "*.example.test", "a.www.example.test")


@mutation("san-wildcard-partial-label", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "w*.example.test", "www.example.test")


@mutation("san-wildcard-under-a-tld", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "*.test", "example.test")


@mutation("san-wildcard-not-leftmost", "leaf.san", ("server",))
def _(c, rng, pool):
    _wildcard(c, "www.*.test", "www.example.test")


@mutation("san-uppercase-dns", "leaf.san", ("server",))
def _(c, rng, pool):
    c.leaf.subject = name((NameOID.COMMON_NAME, "EXAMPLE.Test"))
    c.leaf.set(OID_SAN, False, san(x509.DNSName("EXAMPLE.Test")))


@mutation("san-empty-subject-critical-san", "leaf.san")
def _(c, rng, pool):
    c.leaf.subject = EMPTY_NAME
    c.leaf.set(OID_SAN, True, san(x509.DNSName(HOST)))


@mutation("san-empty-subject-noncritical-san", "leaf.san")
def _(c, rng, pool):
    c.leaf.subject = EMPTY_NAME
    c.leaf.set(OID_SAN, False, san(x509.DNSName(HOST)))


@mutation("san-critical-with-subject", "leaf.san")
def _(c, rng, pool):
    c.leaf.set(OID_SAN, True, san(x509.DNSName(HOST)))


@mutation("san-ip-matches", "leaf.san", ("server",))
def _(c, rng, pool):
    c.host, c.host_kind = IP_HOST, "IP"
    c.leaf.subject = name((NameOID.ORGANIZATION_NAME, "pki differential"))
    c.leaf.set(OID_SAN, False, san(x509.IPAddress(ipaddress.ip_address(IP_HOST))))


@mutation("san-ip-for-a-dns-host", "leaf.san", ("server",))
def _(c, rng, pool):
    c.leaf.subject = name((NameOID.ORGANIZATION_NAME, "pki differential"))
    c.leaf.set(OID_SAN, False, san(x509.IPAddress(ipaddress.ip_address(IP_HOST))))


@mutation("san-empty-sequence", "leaf.san")
def _(c, rng, pool):
    c.leaf.set(OID_SAN, False, seq())


@mutation("cn-not-in-san", "leaf.san")
def _(c, rng, pool):
    c.leaf.subject = name((NameOID.COMMON_NAME, "www.other.test"))


@mutation("subject-empty-in-intermediate", "int.subject")
def _(c, rng, pool):
    c.intermediate.subject = EMPTY_NAME


# Name constraints, in the intermediate (or the root)
def _nc(permitted: list[str] | None, excluded: list[str] | None) -> bytes:
    return x509.NameConstraints(permitted_subtrees=[x509.DNSName(d) for d in permitted] if permitted else None,
                                excluded_subtrees=[x509.DNSName(d) for d in excluded] if excluded else None).public_bytes()


@mutation("nc-permitted-dns-satisfied", "int.nc")
def _(c, rng, pool):
    c.intermediate.set(OID_NC, True, _nc(["example.test"], None))


@mutation("nc-permitted-dns-violated", "int.nc")
def _(c, rng, pool):
    c.intermediate.set(OID_NC, True, _nc(["other.test"], None))


@mutation("nc-excluded-dns-violated", "int.nc")
def _(c, rng, pool):
    c.intermediate.set(OID_NC, True, _nc(None, ["example.test"]))


@mutation("nc-noncritical-satisfied", "int.nc")
def _(c, rng, pool):
    c.intermediate.set(OID_NC, False, _nc(["example.test"], None))


@mutation("nc-in-root-violated", "root.nc")
def _(c, rng, pool):
    c.root.set(OID_NC, True, _nc(["other.test"], None))


# Key identifiers
@mutation("aki-missing-in-leaf", "leaf.aki")
def _(c, rng, pool):
    c.leaf.drop(OID_AKI)


@mutation("aki-missing-in-intermediate", "int.aki")
def _(c, rng, pool):
    c.intermediate.drop(OID_AKI)


@mutation("aki-mismatch-in-leaf", "leaf.aki")
def _(c, rng, pool):
    c.leaf.set(OID_AKI, False, seq(tlv(0x80, rng.randbytes(20))))


@mutation("aki-critical-in-leaf", "leaf.aki")
def _(c, rng, pool):
    c.leaf.set(OID_AKI, True, None)


@mutation("ski-missing-in-intermediate", "int.ski")
def _(c, rng, pool):
    c.intermediate.drop(OID_SKI)


@mutation("ski-missing-in-leaf", "leaf.ski")
def _(c, rng, pool):
    c.leaf.drop(OID_SKI)


@mutation("ski-missing-in-root", "root.ski")
def _(c, rng, pool):
    c.root.drop(OID_SKI)


@mutation("aki-of-another-key-in-root", "root.aki")
def _(c, rng, pool):
    c.root.set(OID_AKI, False, seq(tlv(0x80, rng.randbytes(20))))


# Validity
@mutation("validity-leaf-expired", "leaf.validity")
def _(c, rng, pool):
    c.leaf.not_before, c.leaf.not_after = c.time - 90 * DAY, c.time - DAY


@mutation("validity-leaf-not-yet-valid", "leaf.validity")
def _(c, rng, pool):
    c.leaf.not_before, c.leaf.not_after = c.time + DAY, c.time + 90 * DAY


@mutation("validity-intermediate-expired", "int.validity")
def _(c, rng, pool):
    c.intermediate.not_before, c.intermediate.not_after = c.time - 900 * DAY, c.time - DAY


@mutation("validity-root-expired", "root.validity")
def _(c, rng, pool):
    c.root.not_before, c.root.not_after = c.time - 3000 * DAY, c.time - DAY


@mutation("validity-leaf-notbefore-after-notafter", "leaf.validity")
def _(c, rng, pool):
    c.leaf.not_before, c.leaf.not_after = c.time + 10 * DAY, c.time - 10 * DAY


@mutation("validity-leaf-generalizedtime-before-2050", "leaf.validity")
def _(c, rng, pool):
    c.leaf.generalized_time = True


@mutation("validity-leaf-400-days", "leaf.validity")
def _(c, rng, pool):
    c.leaf.not_before, c.leaf.not_after = c.time - 30 * DAY, c.time + 370 * DAY


# Serial numbers
@mutation("serial-zero-in-leaf", "leaf.serial")
def _(c, rng, pool):
    c.leaf.serial = b"\x00"


@mutation("serial-negative-in-leaf", "leaf.serial")
def _(c, rng, pool):
    c.leaf.serial = bytes([0x80 | rng.randrange(0, 0x80)]) + rng.randbytes(7)


@mutation("serial-21-octets-in-leaf", "leaf.serial")
def _(c, rng, pool):
    c.leaf.serial = bytes([rng.randrange(1, 0x80)]) + rng.randbytes(20)


@mutation("serial-20-octets-with-sign-octet-in-leaf", "leaf.serial")
def _(c, rng, pool):
    c.leaf.serial = b"\x00" + bytes([0x80 | rng.randrange(0, 0x80)]) + rng.randbytes(19)


@mutation("serial-zero-in-intermediate", "int.serial")
def _(c, rng, pool):
    c.intermediate.serial = b"\x00"


# Versions (a v1 certificate has no extensions)
@mutation("version-v1-leaf", "leaf")
def _(c, rng, pool):
    c.leaf.version = 1


@mutation("version-v1-intermediate", "int")
def _(c, rng, pool):
    c.intermediate.version = 1


@mutation("version-v1-root", "root")
def _(c, rng, pool):
    c.root.version = 1


# Certificate policies
@mutation("policies-absent-in-leaf", "leaf.policy")
def _(c, rng, pool):
    c.leaf.drop(OID_CP)


@mutation("policy-constraints-explicit-unmatched", "int.policy")
def _(c, rng, pool):
    c.intermediate.set(OID_PC, True, x509.PolicyConstraints(require_explicit_policy=0,
                                                            inhibit_policy_mapping=None).public_bytes())
    c.leaf.set(OID_CP, False, policies(OTHER_POLICY))


@mutation("policy-constraints-explicit-matched", "int.policy")
def _(c, rng, pool):
    c.intermediate.set(OID_PC, True, x509.PolicyConstraints(require_explicit_policy=0,
                                                            inhibit_policy_mapping=None).public_bytes())


# Algorithms
@mutation("alg-sha1-signed-leaf", "leaf.sig")
def _(c, rng, pool):
    c.leaf.hash = "sha1"


@mutation("alg-sha1-signed-intermediate", "int.sig")
def _(c, rng, pool):
    c.intermediate.hash = "sha1"


@mutation("alg-sha1-self-signed-root", "root.sig")
def _(c, rng, pool):
    c.root.hash = "sha1"


def _set_key(cert: Cert, key: Key) -> None:
    cert.key = key
    if cert.find(OID_SKI) is not None:
        cert.set(OID_SKI, False, ski(key))


@mutation("alg-rsa1024-leaf", "leaf.key")
def _(c, rng, pool):
    _set_key(c.leaf, pool.rsa1024)
    c.leaf.set(OID_KU, True, ku(digital_signature=True, key_encipherment=True))


@mutation("alg-rsa1024-intermediate", "int.key")
def _(c, rng, pool):
    _set_key(c.intermediate, pool.rsa1024)


@mutation("alg-p192-leaf", "leaf.key")
def _(c, rng, pool):
    _set_key(c.leaf, pool.p192)
    c.leaf.set(OID_KU, True, ku(digital_signature=True))


@mutation("alg-secp256k1-leaf", "leaf.key")
def _(c, rng, pool):
    _set_key(c.leaf, pool.secp256k1)
    c.leaf.set(OID_KU, True, ku(digital_signature=True))


@mutation("alg-p384-intermediate", "int.key")
def _(c, rng, pool):
    _set_key(c.intermediate, pool.p384)


@mutation("alg-rsa2048-intermediate", "int.key")
def _(c, rng, pool):
    _set_key(c.intermediate, rng.choice(pool.rsa2048))


# Extensions in general
@mutation("ext-unknown-critical-in-leaf", "leaf.ext")
def _(c, rng, pool):
    c.leaf.exts.append(Ext(UNKNOWN_EXTENSION, True, octet_string(b"differential")))


@mutation("ext-unknown-noncritical-in-leaf", "leaf.ext")
def _(c, rng, pool):
    c.leaf.exts.append(Ext(UNKNOWN_EXTENSION, False, octet_string(b"differential")))


@mutation("ext-unknown-critical-in-intermediate", "int.ext")
def _(c, rng, pool):
    c.intermediate.exts.append(Ext(UNKNOWN_EXTENSION, True, octet_string(b"differential")))


@mutation("ext-duplicate-san-in-leaf", "leaf.ext")
def _(c, rng, pool):
    original = c.leaf.find(OID_SAN)
    c.leaf.exts.append(Ext(OID_SAN, original.critical, original.value))


@mutation("ext-duplicate-bc-in-intermediate", "int.ext")
def _(c, rng, pool):
    c.intermediate.exts.append(Ext(OID_BC, True, bc(True)))


# Paths and issuers
def _unrelated_ca(c: Chain, rng: random.Random, pool: KeyPool, n: int) -> Cert:
    key = rng.choice(pool.p256)
    stranger_root = ca_cert("stranger-root", rng.choice(pool.p256),
                            name((NameOID.COMMON_NAME, f"Stranger Root {c.index}-{n}")), None, rng, 100, 1000)
    return ca_cert("stranger", key, name((NameOID.COMMON_NAME, f"Stranger CA {c.index}-{n}")), stranger_root,
                   rng, 100, 1000)


@mutation("path-extra-unrelated-intermediates", "path.extra")
def _(c, rng, pool):
    extra = [_unrelated_ca(c, rng, pool, n) for n in range(2)]
    c.untrusted = extra[:1] + c.untrusted + extra[1:]


@mutation("path-decoy-with-intermediate-subject", "path.extra")
def _(c, rng, pool):
    key = next(k for k in pool.p256 if k not in (c.root.key, c.intermediate.key, c.leaf.key))
    decoy = ca_cert("decoy", key, c.intermediate.subject, c.root, rng, 180, 1825)
    c.untrusted = [decoy] + c.untrusted


def _cross_sign(c: Chain, rng: random.Random, pool: KeyPool, first_expired: bool) -> None:
    """The intermediate's key certified by a second root too; both roots trusted."""
    used = (c.root.key, c.intermediate.key, c.leaf.key)
    key = next(k for k in pool.p256 if k not in used)
    other_root = ca_cert("root2", key, name((NameOID.COMMON_NAME, f"Differential Other Root {c.index}")), None,
                         rng, 365, 3650)
    cross = Cert("intermediate-cross", c.intermediate.key, c.intermediate.subject, other_root,
                 c.intermediate.not_before, c.intermediate.not_after, random_serial(rng),
                 [Ext(e.oid, e.critical, e.value) for e in c.intermediate.exts])
    if first_expired:
        c.intermediate.not_before, c.intermediate.not_after = c.time - 900 * DAY, c.time - DAY
    c.trusted = c.trusted + [other_root]
    c.untrusted = [c.intermediate, cross] + [u for u in c.untrusted if u is not c.intermediate]


@mutation("path-cross-signed-two-paths", ("int", "root"))
def _(c, rng, pool):
    _cross_sign(c, rng, pool, first_expired=False)


@mutation("path-cross-signed-first-path-expired", ("int", "root"))
def _(c, rng, pool):
    _cross_sign(c, rng, pool, first_expired=True)


@mutation("path-missing-intermediate", ("path.int", "int"))
def _(c, rng, pool):
    c.untrusted = [u for u in c.untrusted if u is not c.intermediate]


@mutation("path-intermediate-as-trust-anchor", ("path.int", "int", "root"))
def _(c, rng, pool):
    c.trusted = [c.intermediate]
    c.untrusted = [u for u in c.untrusted if u is not c.intermediate]


@mutation("issuer-name-wrong-in-leaf", "leaf.issuer")
def _(c, rng, pool):
    c.leaf.issuer_name = name((NameOID.COMMON_NAME, f"Somebody Else {c.index}"))


@mutation("issuer-name-case-folded-in-leaf", "leaf.issuer")
def _(c, rng, pool):
    # The same name to RFC 5280 7.1 (caseIgnoreMatch), other bytes.
    c.leaf.issuer_name = name((NameOID.COMMON_NAME, f"DIFFERENTIAL intermediate {c.index}"),
                              (NameOID.ORGANIZATION_NAME, "PKI Differential"))


@mutation("signature-flipped-in-leaf", "leaf.sig")
def _(c, rng, pool):
    c.leaf.corrupt_signature = True


@mutation("signature-flipped-in-intermediate", "int.sig")
def _(c, rng, pool):
    c.intermediate.corrupt_signature = True


@mutation("signature-flipped-in-root", "root.sig")
def _(c, rng, pool):
    c.root.corrupt_signature = True


BY_KIND = {m.kind: m for m in MUTATIONS}
assert len(BY_KIND) == len(MUTATIONS), "two mutations share a kind"


def _conflict(a: Mutation, b: Mutation) -> bool:
    return any(x == y or x.startswith(y + ".") or y.startswith(x + ".") for x in a.slots for y in b.slots)


def generate(seed: int, count: int, client_share: float = 0.1) -> tuple[list[Chain], KeyPool]:
    """`count` chains for `seed`: first each mutation kind alone (so that every kind has a
    verdict of its own to compare combinations with), then one or two kinds at random."""
    pool = KeyPool(seed)
    rng = random.Random(seed)
    chains = []
    singles = [(m, p) for m in MUTATIONS for p in m.purposes]
    for index in range(count):
        if index < len(singles):
            first, purpose = singles[index]
            chosen = [first]
        else:
            purpose = "client" if rng.random() < client_share else "server"
            candidates = [m for m in MUTATIONS if purpose in m.purposes]
            chosen = [rng.choice(candidates)]
            if rng.random() < 0.5 and chosen[0].kind != "control-unmutated":
                others = [m for m in candidates if m.kind != "control-unmutated" and not _conflict(m, chosen[0])]
                chosen.append(rng.choice(others))
        chain_rng = random.Random(f"{seed}-{index}")
        chain = base_chain(index, chain_rng, pool, purpose)
        for m in sorted(chosen, key=lambda m: m.kind):  # one order whichever was drawn first
            m.apply(chain, chain_rng, pool)
        chain.mutations = sorted(m.kind for m in chosen)
        chains.append(chain)
    return chains, pool
