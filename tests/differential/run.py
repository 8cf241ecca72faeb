#!/usr/bin/env python3
"""Differential test of chain validation: pki, pyca/cryptography and OpenSSL on mutated chains.

Generates --count chains from --seed (tests/differential/chains.py), gets each chain's
verdict from
  - pki: one run of pki-limbo-harness on all chains as x509-limbo cases with "webpki::" ids
    (policy::web_server for servers, the harness's web client profile for clients), and
    `pki verify` on every --cli-every'th chain, which must agree with the harness;
  - pyca: cryptography.x509.verification's server (or client) verifier;
  - OpenSSL: `openssl verify -x509_strict -attime ... -purpose ... -verify_hostname ...`;
and classifies every disagreement by its mutation kinds and verdict pattern. It fails
(exit 1) when a disagreement kind is not listed in disagreements.json, when pki accepts a
chain both others reject and no listed kind explains it, when a listed single-mutation kind
no longer appears, when a verdict is missing, when `pki verify` and the harness disagree,
or when fewer than --min-count chains were made. Exit 2: the run itself could not happen
(a missing program or Python module).

  python3 tests/differential/run.py --seed 1 --count 2000 \\
      --harness build/default/tests/pki-limbo-harness --pki build/default/examples/pki/pki
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import datetime
import json
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERIFIERS = ("pki", "pyca", "openssl")


def fatal(message: str) -> None:
    print(f"differential: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import cryptography
    from cryptography import x509
    from cryptography.x509 import verification
except ImportError as e:  # never a skip: the test cannot judge anything without pyca
    fatal(f"Python's cryptography with x509.verification (42 or later) is required: {e}. "
          "Install it: apt-get install python3-cryptography (Debian 13) or pip install 'cryptography>=42'")

import warnings  # noqa: E402

# Serial 0 and negative serials: parsed with a deprecation warning, which says nothing here.
warnings.filterwarnings("ignore", category=cryptography.utils.CryptographyDeprecationWarning)
sys.path.insert(0, str(HERE))
import chains as generator  # noqa: E402


def iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def case_id(prefix: str, seed: int, chain: generator.Chain) -> str:
    return f"{prefix}::differential::s{seed}-{chain.index:05d}::{'+'.join(chain.mutations)}"


def limbo_case(identifier: str, chain: generator.Chain) -> dict:
    peer = None if chain.host is None else {"kind": chain.host_kind, "value": chain.host}
    return {
        "id": identifier,
        "conflicts_with": [],
        "features": [],
        "importance": "undetermined",
        "description": "differential chain (tests/differential): mutations " + ", ".join(chain.mutations)
        + "; no expected result, the verdicts of three validators are compared",
        "validation_kind": "SERVER" if chain.purpose == "server" else "CLIENT",
        "trusted_certs": [c.pem() for c in chain.trusted],
        "untrusted_intermediates": [c.pem() for c in chain.untrusted],
        "peer_certificate": chain.leaf.pem(),
        "peer_certificate_key": None,
        "validation_time": iso(chain.time),
        "signature_algorithms": [],
        "key_usage": [],
        "extended_key_usage": ["serverAuth" if chain.purpose == "server" else "clientAuth"],
        "expected_result": None,
        "expected_peer_name": peer,
        "expected_peer_names": [],
        "max_chain_depth": None,
        "crls": [],
    }


def run_harness(harness: str, cases: list[dict], work: Path) -> dict[str, dict]:
    path = work / "limbo.json"
    path.write_text(json.dumps({"version": 1, "testcases": cases}))
    done = subprocess.run([harness, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        fatal(f"{harness} exited with {done.returncode}: {done.stderr.strip()}")
    return {r["id"]: r for r in json.loads(done.stdout)["results"]}


def pyca_verdict(chain: generator.Chain) -> tuple[str, str]:
    def load(cert: generator.Cert):
        try:
            return x509.load_der_x509_certificate(cert.der())
        except Exception as e:  # noqa: BLE001 - any refusal to parse is a verdict
            return str(e) or type(e).__name__

    leaf = load(chain.leaf)
    if isinstance(leaf, str):
        return "reject", f"leaf does not parse: {leaf}"
    roots = [r for r in map(load, chain.trusted) if not isinstance(r, str)]
    if not roots:
        return "reject", "no trust anchor parses"
    intermediates = [i for i in map(load, chain.untrusted) if not isinstance(i, str)]
    try:
        builder = verification.PolicyBuilder().store(verification.Store(roots)).time(chain.time)
        if chain.purpose == "server":
            if chain.host_kind == "IP":
                import ipaddress

                subject = x509.IPAddress(ipaddress.ip_address(chain.host))
            else:
                subject = x509.DNSName(chain.host)
            builder.build_server_verifier(subject).verify(leaf, intermediates)
        else:
            builder.build_client_verifier().verify(leaf, intermediates)
    except Exception as e:  # noqa: BLE001 - VerificationError, or a field pyca refuses late
        return "reject", f"{type(e).__name__}: {e}"
    return "accept", ""


def write_files(chain: generator.Chain, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "root.pem").write_text("".join(c.pem() for c in chain.trusted))
    (directory / "untrusted.pem").write_text("".join(c.pem() for c in chain.untrusted))
    (directory / "leaf.pem").write_text(chain.leaf.pem())


def openssl_verdict(openssl: str, chain: generator.Chain, directory: Path) -> tuple[str, str]:
    command = [openssl, "verify", "-x509_strict", "-attime", str(int(chain.time.timestamp())),
               "-purpose", "sslserver" if chain.purpose == "server" else "sslclient",
               "-CAfile", str(directory / "root.pem")]
    if chain.host is not None:
        command += ["-verify_ip" if chain.host_kind == "IP" else "-verify_hostname", chain.host]
    if chain.untrusted:
        command += ["-untrusted", str(directory / "untrusted.pem")]
    command.append(str(directory / "leaf.pem"))
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 0:
        return "accept", ""
    if done.returncode != 2:  # 2: verification failed; anything else is no verdict (usage, a file)
        return "none", f"exit {done.returncode}: {done.stderr.strip()}"
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("error")]
    return "reject", (lines[0] if lines else (done.stdout + done.stderr).strip().splitlines()[-1])


def cli_verdict(pki: str, chain: generator.Chain, directory: Path) -> tuple[str, str]:
    command = [pki, "verify", "--trust", str(directory / "root.pem"), "--at", iso(chain.time),
               "--purpose", chain.purpose]
    if chain.host is not None:
        command += ["--host", chain.host]
    if chain.untrusted:
        command += ["--untrusted", str(directory / "untrusted.pem")]
    command.append(str(directory / "leaf.pem"))
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 0:
        return "accept", ""
    if done.returncode in (1, 2):  # 2: a trust anchor that does not parse (read strictly)
        text = (done.stdout + done.stderr).strip().splitlines()
        return "reject", f"exit {done.returncode}: " + (text[-1] if text else "")
    return "crash", f"exit {done.returncode}: {done.stderr.strip()}"


def label(record: dict) -> str:
    """The mutation kinds of a chain, "@client" after them for a client certificate."""
    return "+".join(record["mutations"]) + ("@client" if record["purpose"] == "client" else "")


def single_label(mutation: str, purpose: str) -> str:
    return mutation + ("@client" if purpose == "client" else "")


def pattern_text(verdicts: dict[str, str]) -> str:
    return ", ".join(f"{v} {verdicts[v]}" for v in VERIFIERS)


def compose(patterns: list[set[tuple[str, ...]]]) -> set[tuple[str, ...]]:
    """Verdict patterns of a chain whose mutations act independently: each validator rejects
    when it rejects any one of them alone."""
    out: set[tuple[str, ...]] = {("accept",) * len(VERIFIERS)}
    for options in patterns:
        out = {tuple("reject" if "reject" in (a, b) else "accept" for a, b in zip(left, right))
               for left in out for right in options}
    return out


def explained(own: tuple[str, ...], parts: list[set[tuple[str, ...]]]) -> bool:
    """Whether a chain of several mutations behaves as their composition, or as that of some
    of them (one mutation can hide another: a leaf that already is a CA is not also judged
    for a keyCertSign that only a non-CA may not have), but never with pki accepting what the
    composition of all of them has it reject."""
    if own[0] == "accept" and all(p[0] == "reject" for p in compose(parts)):
        return False
    return any(own in compose(list(subset))
               for size in range(1, len(parts) + 1) for subset in itertools.combinations(parts, size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--min-count", type=int, default=0, help="fail when fewer chains were generated")
    parser.add_argument("--harness", required=True, help="the pki-limbo-harness program")
    parser.add_argument("--pki", required=True, help="the pki command-line tool")
    parser.add_argument("--openssl", default="openssl")
    parser.add_argument("--cli-every", type=int, default=20, help="run `pki verify` on every N'th chain")
    parser.add_argument("--known", default=str(HERE / "disagreements.json"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--work", help="keep the chains, the limbo file and results.json here")
    parser.add_argument("--findings", help="write PEM files of chains pki accepts and both others reject here")
    args = parser.parse_args()

    for program in (args.harness, args.pki, args.openssl):
        if shutil.which(program) is None:
            fatal(f"{program}: no such program")
    started = time.monotonic()
    timings = {}
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="pki-differential-"))
    shutil.rmtree(work / "chains", ignore_errors=True)  # no chain of an earlier, longer run
    if args.findings:
        shutil.rmtree(args.findings, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    known_file = json.loads(Path(args.known).read_text())
    known = {}
    for entry in known_file["kinds"]:
        for purpose in entry["purposes"]:
            known[f"{single_label(entry['mutations'], purpose)}: {pattern_text(entry)}"] = entry
    docs = HERE.parent.parent / "docs" / "conformance.md"
    if docs.exists():  # a source tree: each listed kind is explained there
        section = docs.read_text().partition("## Differential testing")[2]
        undocumented = sorted({e["mutations"] for e in known_file["kinds"] if f"`{e['mutations']}`" not in section})
        if undocumented:
            fatal(f"{docs}, section 'Differential testing', does not name: {', '.join(undocumented)}")

    chain_list, _ = generator.generate(args.seed, args.count)
    timings["generate"] = time.monotonic() - started
    problems: list[str] = []
    if len(chain_list) < max(args.count, args.min_count):
        problems.append(f"only {len(chain_list)} chains were generated ({max(args.count, args.min_count)} required)")

    mark = time.monotonic()
    sampled = [c for c in chain_list if args.cli_every > 0 and c.index % args.cli_every == 0]
    cases = [limbo_case(case_id("webpki", args.seed, c), c) for c in chain_list]
    cases += [limbo_case(case_id("rfc5280", args.seed, c), c) for c in sampled]
    harness = run_harness(args.harness, cases, work)
    timings["pki-limbo-harness"] = time.monotonic() - mark

    mark = time.monotonic()
    pyca = [pyca_verdict(c) for c in chain_list]
    timings["pyca"] = time.monotonic() - mark

    mark = time.monotonic()
    directories = [work / "chains" / f"{c.index:05d}" for c in chain_list]
    for chain, directory in zip(chain_list, directories):
        write_files(chain, directory)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        openssl = list(pool.map(lambda cd: openssl_verdict(args.openssl, *cd), zip(chain_list, directories)))
        timings["openssl"] = time.monotonic() - mark
        mark = time.monotonic()
        cli = dict(zip((c.index for c in sampled),
                       pool.map(lambda c: cli_verdict(args.pki, c, directories[c.index]), sampled)))
    timings["pki verify"] = time.monotonic() - mark

    records = []
    for chain, (pyca_result, pyca_why), (ossl_result, ossl_why) in zip(chain_list, pyca, openssl):
        result = harness.get(case_id("webpki", args.seed, chain))
        if result is None or result["actual_result"] not in ("SUCCESS", "FAILURE"):
            problems.append(f"chain {chain.index}: no pki verdict ({result})")
            continue
        if ossl_result == "none":
            problems.append(f"chain {chain.index}: no OpenSSL verdict ({ossl_why})")
            continue
        pki_result = "accept" if result["actual_result"] == "SUCCESS" else "reject"
        records.append({
            "index": chain.index, "mutations": chain.mutations, "purpose": chain.purpose,
            "verdicts": {"pki": pki_result, "pyca": pyca_result, "openssl": ossl_result},
            "why": {"pki": result.get("context") or "", "pyca": pyca_why, "openssl": ossl_why},
        })

    # pki verify (rfc5280 + name constraints + purpose + hostname + modern_algorithms) sits
    # between the harness's rfc5280 profile and web_server: it must accept what web_server
    # accepts, reject what rfc5280_server rejects, and may reject what rfc5280_server
    # accepts only for an algorithm (modern_algorithms).
    cli_checked = 0
    for chain in sampled:
        verdict, why = cli[chain.index]
        web = harness.get(case_id("webpki", args.seed, chain), {}).get("actual_result")
        rfc = harness.get(case_id("rfc5280", args.seed, chain), {}).get("actual_result")
        if rfc not in ("SUCCESS", "FAILURE"):
            problems.append(f"chain {chain.index}: no rfc5280 verdict from the harness ({rfc})")
            continue
        cli_checked += 1
        algorithm = any(m.startswith("alg-") for m in chain.mutations)
        if verdict == "crash":
            problems.append(f"chain {chain.index}: pki verify crashed: {why}")
        elif web == "SUCCESS" and verdict != "accept":
            problems.append(f"chain {chain.index} ({'+'.join(chain.mutations)}): web_server accepts, pki verify rejects: {why}")
        elif rfc == "FAILURE" and verdict == "accept":
            problems.append(f"chain {chain.index} ({'+'.join(chain.mutations)}): rfc5280_server rejects, pki verify accepts")
        elif rfc == "SUCCESS" and verdict == "reject" and not algorithm:
            problems.append(f"chain {chain.index} ({'+'.join(chain.mutations)}): rfc5280_server accepts, pki verify rejects: {why}")

    # Single-mutation chains give each kind's own pattern; a chain of two mutations whose
    # pattern is their composition is explained by them.
    singles: dict[str, set[tuple[str, ...]]] = collections.defaultdict(set)
    for r in records:
        if len(r["mutations"]) == 1:
            singles[label(r)].add(tuple(r["verdicts"][v] for v in VERIFIERS))
    patterns = collections.Counter()
    seen_kinds = collections.Counter()
    composed = collections.Counter()
    unexplained = collections.defaultdict(list)
    accepted_alone = []
    for r in records:
        verdicts = r["verdicts"]
        patterns[pattern_text(verdicts)] += 1
        if len(set(verdicts.values())) == 1:
            continue
        own = tuple(verdicts[v] for v in VERIFIERS)
        key = f"{label(r)}: {pattern_text(verdicts)}"
        parts = [single_label(m, r["purpose"]) for m in r["mutations"]]
        alone_accepting = verdicts["pki"] == "accept" and verdicts["pyca"] == verdicts["openssl"] == "reject"
        if key in known:
            seen_kinds[key] += 1
        elif len(parts) > 1 and all(p in singles for p in parts) and explained(own, [singles[p] for p in parts]):
            composed[key] += 1
        else:
            unexplained[key].append(r)
        if alone_accepting:
            accepted_alone.append((key, r))

    for key, rs in sorted(unexplained.items()):
        sample = rs[0]
        problems.append(f"unlisted disagreement kind '{key}' ({len(rs)} chains, e.g. chain {sample['index']}): "
                        + "; ".join(f"{v}: {sample['why'][v] or 'accepted'}" for v in VERIFIERS))
    if len(chain_list) >= len([1 for m in generator.MUTATIONS for _ in m.purposes]):
        for key, entry in known.items():
            if "+" not in key.partition(":")[0] and key not in seen_kinds:
                problems.append(f"listed kind '{key}' no longer appears: update disagreements.json "
                                "and docs/conformance.md")

    if args.findings and accepted_alone:
        findings = Path(args.findings)
        written = set()
        for key, r in accepted_alone:
            if key in written:
                continue
            written.add(key)
            target = findings / f"s{args.seed}-{r['index']:05d}-{'+'.join(r['mutations'])}"
            write_files(chain_list[r["index"]], target)
            (target / "verdicts.json").write_text(json.dumps(r, indent=1) + "\n")

    (work / "results.json").write_text(json.dumps({"seed": args.seed, "records": records}, indent=1))
    total = time.monotonic() - started
    print(f"differential: seed {args.seed}, {len(chain_list)} chains ({len(singles)} mutation kinds alone, "
          f"{sum(1 for r in records if len(r['mutations']) > 1)} chains of two), pki profile web_server "
          f"(webpki:: ids), cryptography {cryptography.__version__}")
    print("verdict patterns:")
    for text, n in patterns.most_common():
        print(f"  {n:6d}  {text}")
    print(f"listed disagreement kinds seen ({len(seen_kinds)}):")
    for key, n in sorted(seen_kinds.items()):
        print(f"  {n:6d}  {key}")
    print(f"two-mutation disagreements explained by their kinds alone: {sum(composed.values())} chains, "
          f"{len(composed)} kinds")
    alone_kinds = collections.Counter(key for key, _ in accepted_alone)
    print(f"pki accepts, pyca and OpenSSL reject: {len(accepted_alone)} chains, {len(alone_kinds)} kinds "
          f"({sum(1 for k in alone_kinds if k in known)} listed, the others composed of listed kinds):")
    for key, n in sorted(alone_kinds.items()):
        if key in known:
            print(f"  {n:6d}  {key}")
    composite = sorted(k for k in alone_kinds if k not in known)
    if composite:
        print(f"  {sum(alone_kinds[k] for k in composite):6d}  in {len(composite)} kinds of two listed ones, such as "
              + "; ".join(k.partition(":")[0] for k in composite[:3]))
    print(f"pki verify on {cli_checked} sampled chains (every {args.cli_every}th) against the harness")
    print("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()) + f", total {total:.1f}s")
    print(f"work directory: {work}")
    if problems:
        print(f"FAILED: {len(problems)} problems", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print("differential: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
