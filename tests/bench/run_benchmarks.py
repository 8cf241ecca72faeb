#!/usr/bin/env python3
"""Runs pki-bench (and times the x509-limbo harness) and writes docs/BENCHMARKS.md.

It builds nothing: build pki-bench and pki-limbo-harness first (README: "Benchmarks").
Every case of pki-bench is registered as CASE/pki, CASE/mbedtls and, where OpenSSL does
the same job, CASE/openssl; the report pairs them by CASE and puts the ratio
pki / mbedTLS (median CPU time over the repetitions) beside the targets of issue 14.

--smoke runs every case once (a minimum time far below one iteration) and checks that
each ran, none failed and every pki case has its mbedTLS twin; it never judges a time.
The exit status is non-zero only when pki-bench or the harness broke, never for a
target that is not met.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BUILD = REPO / "build" / "default"

# What the smoke run gives Google Benchmark as its minimum time: far below one iteration
# of any case, so each runs exactly once. (Google Benchmark 1.7 takes seconds as a plain
# number; 1.8 also accepts "1x", and still this form.)
SMOKE_MIN_TIME = "0.000001"


# --- Running ----------------------------------------------------------------------------


def run_bench(bench: Path, args: list[str], out_json: Path, quiet: bool) -> dict:
    """Runs pki-bench with Google Benchmark flags; its JSON, or exits on failure."""
    cmd = [str(bench), f"--benchmark_out={out_json}", "--benchmark_out_format=json", *args]
    print("running:", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL if quiet else None, check=False)
    if not out_json.exists():
        sys.exit(f"pki-bench wrote no JSON (exit status {result.returncode})")
    data = json.loads(out_json.read_text())
    failed = [b for b in data.get("benchmarks", []) if b.get("error_occurred") or b.get("skipped")]
    for b in failed:
        print(f"case failed: {b['name']}: {b.get('error_message', '')}", file=sys.stderr)
    if result.returncode != 0 or failed:
        sys.exit(f"pki-bench failed (exit status {result.returncode}, {len(failed)} failed cases)")
    return data


def time_limbo(harness: Path, input_gz: Path, runs: int) -> dict:
    """Wall and CPU seconds of the harness on the gunzipped limbo file (median of runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "limbo.json"
        with gzip.open(input_gz, "rb") as src, plain.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            proc = subprocess.run([str(harness), str(plain)], stdout=subprocess.DEVNULL, check=False)
            wall = time.monotonic() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                sys.exit(f"{harness} failed with exit status {proc.returncode}")
            walls.append(wall)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "runs": runs,
            "walls": walls, "cpus": cpus}


# --- Reading the results ----------------------------------------------------------------

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
NOT_COUNTERS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "skipped", "label",
}


def collect(data: dict) -> dict[str, dict[str, dict]]:
    """{CASE: {column: {cpu, real, iterations, reps, counters}}} from the iteration rows."""
    rows: dict[str, list[dict]] = {}
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        # A case's own settings (MinTime, Iterations, ...) make Google Benchmark append
        # "/min_time:2.000" and the like to its name; the pairing goes by CASE/column.
        run_name = re.sub(r"(/(min_time|min_warmup_time|iterations|repeats|threads|real_time|manual_time):[^/]*)+$",
                          "", b.get("run_name", b["name"]))
        rows.setdefault(run_name, []).append(b)
    cases: dict[str, dict[str, dict]] = {}
    for run_name, reps in rows.items():
        case, _, column = run_name.rpartition("/")
        if not case:
            continue
        scale = UNIT_NS[reps[0].get("time_unit", "ns")]
        counters = {k: v for k, v in reps[0].items() if k not in NOT_COUNTERS and isinstance(v, (int, float))}
        cases.setdefault(case, {})[column] = {
            "cpu": statistics.median(r["cpu_time"] * scale for r in reps),
            "cpu_min": min(r["cpu_time"] * scale for r in reps),
            "real": statistics.median(r["real_time"] * scale for r in reps),
            "cpu_spread": spread([r["cpu_time"] * scale for r in reps]),
            "iterations": int(statistics.median(r["iterations"] for r in reps)),
            "reps": len(reps),
            "counters": counters,
        }
    return cases


def spread(values: list[float]) -> float:
    """(max - min) / median: how much the repetitions disagreed."""
    if len(values) < 2:
        return 0.0
    mid = statistics.median(values)
    return (max(values) - min(values)) / mid if mid else 0.0


def ratio(cases: dict, case: str, key: str = "cpu") -> float | None:
    c = cases.get(case, {})
    if "pki" not in c or "mbedtls" not in c or not c["mbedtls"][key]:
        return None
    return c["pki"][key] / c["mbedtls"][key]


def counter(cases: dict, case: str, column: str, name: str) -> float | None:
    return cases.get(case, {}).get(column, {}).get("counters", {}).get(name)


# --- Formatting -------------------------------------------------------------------------


def fmt_time(ns: float | None) -> str:
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}" if ns / scale < 100 else f"{ns / scale:.0f} {unit}"
    return f"{ns:.0f} ns"


def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}"


def fmt_count(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:.1f}"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**not met**")


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


# --- The targets of issue 14 --------------------------------------------------------------


def target_rows(cases: dict, limbo: dict | None) -> list[list[str]]:
    """One row per line of the issue's table: what was measured (ratios of medians, and of
    the fastest repetitions), the target, and the verdict (on the medians)."""
    rows = []

    def ratios(cs: list[str], key: str) -> list[float | None]:
        return [ratio(cases, c, key) for c in cs]

    def listing(cs: list[str], key: str, named: bool) -> str:
        rs = ratios(cs, key)
        if named:
            return ", ".join(f"{c} {fmt_ratio(r)}" for c, r in zip(cs, rs))
        return " / ".join(fmt_ratio(r) for r in rs)

    def at_most(cs: list[str], limit: float) -> bool | None:
        rs = ratios(cs, "cpu")
        return None if any(r is None for r in rs) else all(r <= limit for r in rs)

    signing = ["sign_ecdsa_p256", "verify_ecdsa_p256", "sign_rsa2048", "verify_rsa2048"]
    rows.append(["ECDSA P-256, RSA-2048 sign / verify", "0.97–1.02", listing(signing, "cpu", True),
                 listing(signing, "cpu_min", False), "<= 1.03", verdict(at_most(signing, 1.03))])

    r = ratio(cases, "parse_leaf")
    pa, ma = counter(cases, "parse_leaf", "pki", "allocations"), counter(cases, "parse_leaf", "mbedtls", "allocations")
    size = counter(cases, "parse_leaf", "pki", "der_bytes")
    ok = None if r is None or pa is None or ma is None else (r <= 1.3 and pa <= ma)
    rows.append([f"parse a typical {fmt_count(size)}-byte TLS leaf", "2.82, 61 allocations vs 21",
                 f"{fmt_ratio(r)}, {fmt_count(pa)} allocations vs {fmt_count(ma)}",
                 fmt_ratio(ratio(cases, "parse_leaf", "cpu_min")), "<= 1.3, allocations <= mbedTLS's", verdict(ok)])

    rows.append(["validate a 3-certificate chain (real crypto)", "0.98–1.01", fmt_ratio(ratio(cases, "validate_chain3")),
                 fmt_ratio(ratio(cases, "validate_chain3", "cpu_min")), "<= 1.03",
                 verdict(at_most(["validate_chain3"], 1.03))])

    overhead = ["validate_chain3_stubbed", "validate_chain8_stubbed", "validate_chain3_decoys100_stubbed"]
    r3, r8, r100 = ratios(overhead, "cpu")
    lin, flat = linearity(cases, "pki"), flatness(cases, "pki")
    ok = None
    if None not in (r3, r8, r100, lin, flat):
        ok = r3 <= 1.5 and r8 <= 1.5 and r100 <= 1.5 and lin <= 1.25 and flat <= 1.2
    m3, m8, m100 = ratios(overhead, "cpu_min")
    rows.append(["library overhead with signature math switched off",
                 "2.2–2.3; 2.7 for an 8-chain; 14x with 100 decoy intermediates",
                 f"{fmt_ratio(r3)}; {fmt_ratio(r8)} for an 8-chain; {fmt_ratio(r100)} with 100 decoys "
                 f"(pki's time per certificate, 8-chain over 3-chain: {fmt_ratio(lin)}; pki with 100 decoys "
                 f"over none: {fmt_ratio(flat)})",
                 f"{fmt_ratio(m3)}; {fmt_ratio(m8)}; {fmt_ratio(m100)}",
                 "<= 1.5, linear in chain length, flat in decoys", verdict(ok)])

    def tls_row(label: str, then: str, cs: list[str]):
        checks = "; ".join(f"{fmt_count(counter(cases, c, 'pki', 'signature_checks'))} signature checks vs "
                           f"{fmt_count(counter(cases, c, 'mbedtls', 'signature_checks'))}" for c in cs)
        rows.append([label, then, f"{listing(cs, 'cpu', False)} ({checks})", listing(cs, "cpu_min", False),
                     "<= 1.05", verdict(at_most(cs, 1.05))])

    tls_row("TLS 1.3 full handshake, EC server", "1.2 (4 signature checks vs 3)", ["tls13_full"])
    tls_row("TLS 1.3 resumed handshake", "1.8 (re-verifies the saved path: 2 checks vs 0)", ["tls13_resumed"])
    tls_row("TLS 1.3 mutual TLS full / resumed", "1.35 / 1.84 (9 checks vs 6)", ["tls13_mtls_full", "tls13_mtls_resumed"])

    ph, mh = counter(cases, "parse_leaf", "pki", "bytes_held"), counter(cases, "parse_leaf", "mbedtls", "bytes_held")
    ok = None if ph is None or mh is None else ph <= mh
    rows.append(["memory held by a parsed certificate", "4.3 KB vs 2.6 KB", f"{kb(ph)} vs {kb(mh)}", "",
                 "<= mbedTLS's", verdict(ok)])

    r = ratio(cases, "parse_debian_roots")
    n = counter(cases, "parse_debian_roots", "pki", "anchors")
    rows.append([f"load the {fmt_count(n)} Debian roots", "1.2", fmt_ratio(r),
                 fmt_ratio(ratio(cases, "parse_debian_roots", "cpu_min")), "<= 1.0",
                 verdict(None if r is None else r <= 1.0)])

    # Item 3: the cache's gain is pki over pki, cold over cached (mbedTLS has no such cache).
    cold = cases.get("validate_100_leaves", {}).get("pki", {})
    warm = cases.get("validate_100_leaves_link_cache", {}).get("pki", {})
    gain = cold["cpu"] / warm["cpu"] if cold.get("cpu") and warm.get("cpu") else None
    gain_min = cold["cpu_min"] / warm["cpu_min"] if cold.get("cpu_min") and warm.get("cpu_min") else None
    checks = (f"{fmt_count(counter(cases, 'validate_100_leaves', 'pki', 'signature_checks'))} signature checks "
              f"cold, {fmt_count(counter(cases, 'validate_100_leaves_link_cache', 'pki', 'signature_checks'))} cached")
    rows.append(["verified-link cache: 100 distinct leaves under one intermediate (cold / cached)", "no cache",
                 f"{fmt_ratio(gain)}x faster ({checks})", f"{fmt_ratio(gain_min)}x", ">= 1.8x faster",
                 verdict(None if gain is None else gain >= 1.8)])

    label, then = "x509-limbo dev file through the harness", "4.2 s wall, 2.8 s CPU"
    if limbo is None:
        rows.append([label, then, "not run", "", "< 2.5 s wall", "—"])
    else:
        rows.append([label, then, f"{limbo['wall']:.2f} s wall, {limbo['cpu']:.2f} s CPU (median of {limbo['runs']})",
                     f"{min(limbo['walls']):.2f} s wall", "< 2.5 s wall", verdict(limbo["wall"] < 2.5)])
    return rows


def seal_rows(cases: dict) -> list[list[str]]:
    """Issue 17's target: the sealed-file format beside raw PSA AEAD over the same 100 MiB."""
    rows = []
    for case, label in (("seal_100MiB", "seal 100 MiB"), ("open_100MiB", "open 100 MiB")):
        r = ratio(cases, case)
        p = cases.get(case, {}).get("pki", {})
        mib_s = None if not p.get("real") else 100 / (p["real"] / 1e9)
        rows.append([label, f"`{case}`", fmt_ratio(r), fmt_ratio(ratio(cases, case, "cpu_min")),
                     "—" if mib_s is None else f"{mib_s:.0f} MiB/s", "<= 1.05",
                     verdict(None if r is None else r <= 1.05)])
    return rows


def kb(v: float | None) -> str:
    return "—" if v is None else f"{v / 1000:.1f} KB"


def linearity(cases: dict, column: str) -> float | None:
    """Time per certificate of the 8-chain over that of the 3-chain (stubbed): about 1 or
    below when the work grows linearly (a fixed part makes it fall), above when faster."""
    t3 = cases.get("validate_chain3_stubbed", {}).get(column, {}).get("cpu")
    t8 = cases.get("validate_chain8_stubbed", {}).get(column, {}).get("cpu")
    return None if not t3 or not t8 else (t8 / 8) / (t3 / 3)


def flatness(cases: dict, column: str) -> float | None:
    """Time with 100 decoy intermediates over time with none (stubbed): 1 when flat."""
    t0 = cases.get("validate_chain3_stubbed", {}).get(column, {}).get("cpu")
    t100 = cases.get("validate_chain3_decoys100_stubbed", {}).get(column, {}).get("cpu")
    return None if not t0 or not t100 else t100 / t0


# --- The report ---------------------------------------------------------------------------


def machine(context: dict) -> list[str]:
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = context.get("load_avg", [])
    return [
        f"- CPU: {model}, {context.get('num_cpus', os.cpu_count())} cores "
        f"({context.get('mhz_per_cpu', '?')} MHz; frequency scaling "
        f"{'on' if context.get('cpu_scaling_enabled') else 'off'})",
        f"- OS: {platform.platform()}",
        f"- Compiler: {context.get('compiler', '?')}; {context.get('mbedtls_version', '?')} "
        f"(Debian 13's static archives); {context.get('openssl_version', '?')}; pki {context.get('pki_version', '?')}",
        f"- Google Benchmark: Debian's libbenchmark (its own build type: {context.get('library_build_type', '?')}; "
        "that is the harness's loop, not the code measured)",
        f"- Date: {context.get('date', '?')}; load average when pki-bench started: "
        + (", ".join(f"{x:.2f}" for x in load) if load else "?"),
    ]


def growth_rows(cases: dict) -> list[list[str]]:
    rows = []
    names = [("validate_chain2_stubbed", "chain of 2"), ("validate_chain3_stubbed", "chain of 3"),
             ("validate_chain5_stubbed", "chain of 5"), ("validate_chain8_stubbed", "chain of 8"),
             ("validate_chain3_decoys10_stubbed", "chain of 3 + 10 decoys"),
             ("validate_chain3_decoys100_stubbed", "chain of 3 + 100 decoys"),
             ("validate_chain3_debian_anchors_stubbed", "chain of 3, Debian roots + test root as anchors")]
    for case, label in names:
        c = cases.get(case, {})
        p, m = c.get("pki", {}), c.get("mbedtls", {})
        rows.append([label, f"`{case}`", fmt_time(p.get("cpu")), fmt_time(m.get("cpu")), fmt_ratio(ratio(cases, case)),
                     fmt_count(p.get("counters", {}).get("signature_checks")),
                     fmt_count(p.get("counters", {}).get("allocations")),
                     fmt_count(m.get("counters", {}).get("allocations")),
                     fmt_count(p.get("counters", {}).get("anchors"))])
    return rows


def count_rows(cases: dict) -> list[list[str]]:
    rows = []
    for case in cases:
        c = cases[case]
        rows.append([f"`{case}`",
                     fmt_count(counter(cases, case, "pki", "signature_checks")),
                     fmt_count(counter(cases, case, "mbedtls", "signature_checks")),
                     fmt_count(counter(cases, case, "pki", "allocations")),
                     fmt_count(counter(cases, case, "mbedtls", "allocations")),
                     fmt_count(counter(cases, case, "openssl", "allocations")) if "openssl" in c else "—"])
    return rows


def raw_rows(cases: dict) -> list[list[str]]:
    rows = []
    for case, columns in cases.items():
        for column in ("pki", "mbedtls", "openssl"):
            if column not in columns:
                continue
            r = columns[column]
            extra = ", ".join(f"{k}={fmt_count(v)}" for k, v in sorted(r["counters"].items()))
            rows.append([f"`{case}/{column}`", fmt_time(r["cpu"]), fmt_time(r["real"]),
                         f"{100 * r['cpu_spread']:.0f}%", str(r["iterations"]), str(r["reps"]), extra])
    return rows


def render(data: dict, cases: dict, limbo: dict | None, settings: dict) -> str:
    ctx = data.get("context", {})
    lines = ["# Benchmarks", "",
             "<!-- Generated by tests/bench/run_benchmarks.py; regenerate rather than edit. -->", "",
             "pki beside raw mbedTLS doing the same job with mbedTLS's own calls (and OpenSSL as a "
             "reference), measured by `pki-bench` (tests/bench, Google Benchmark, g++ -O2), one process, "
             f"{settings['repetitions']} repetitions of every case interleaved at random "
             f"(`--benchmark_enable_random_interleaving`), each repetition running for at least "
             f"{settings['min_time']} s. A ratio is pki's median CPU time over mbedTLS's; below 1 pki is faster.",
             "",
             "**The machine is shared** with other developers' builds (2 cores): absolute times move with "
             "their load (a busy neighbour on the other core slows the same code by up to half again), and "
             "the spread column below says how much the repetitions of a case disagreed. The ratios use "
             "medians of CPU time (not wall time) to damp that; the ratio of the fastest repetitions, the "
             "least disturbed ones, is given beside them as a cross-check.", ""]
    if settings.get("smoke"):
        lines += ["**Smoke run**: every case ran once; the times below mean nothing.", ""]
    lines += ["## Against the targets of issue 14", ""]
    lines += table(["operation", "then (issue 14)", "now: pki / mbedTLS (medians)", "fastest repetitions",
                    "target", "verdict (medians)"], target_rows(cases, limbo))
    lines += ["", "Rows: sign and verify include hashing the message; parse copies the DER in both libraries; "
              "validation gets parsed certificates, the host name and the current time, under "
              "`policy::web_server` for pki and `mbedtls_x509_crt_verify_with_profile` (SHA-2, RSA >= 2048, the "
              "NIST curves) plus the serverAuth check for mbedTLS; handshakes run both ends of TLS 1.3 in one "
              "thread over the same in-memory pipe, each side's session made and freed in the iteration; "
              "\"memory held\" is the heap a parsed certificate keeps (malloc_usable_size of its blocks) plus "
              "the object itself (`certificate<>`, `mbedtls_x509_crt`).", "",
              "## Encryption: the sealed-file format beside raw PSA AEAD (issue 17)", "",
              "`pki::sealed_file` (HPKE-sealed header, 64 KiB AES-GCM chunks) against one "
              "`psa_aead_encrypt` / `psa_aead_decrypt` per chunk into the same frames with the same nonces "
              "and associated data: the ratio is what the format's setup, header and bookkeeping cost.", ""]
    lines += table(["operation", "case", "pki / PSA (medians)", "fastest repetitions", "pki throughput",
                    "target", "verdict (medians)"], seal_rows(cases))
    lines += ["", "## Growth with the signature math switched off", "",
              "The mbedTLS functions doing the public-key math of a signature check are wrapped at link time "
              "and answer \"valid\" without computing, in pki and mbedTLS alike (hashing stays): what is left is "
              "each library's own work. Decoys are CA certificates with the issuing CA's name and other keys, "
              "sent after the real one.", ""]
    lines += table(["case", "name", "pki", "mbedTLS", "pki / mbedTLS", "signature checks", "pki allocations",
                    "mbedTLS allocations", "anchors"], growth_rows(cases))
    lp, lm = linearity(cases, "pki"), linearity(cases, "mbedtls")
    fp, fm = flatness(cases, "pki"), flatness(cases, "mbedtls")
    lines += ["", f"Time per certificate, 8-chain over 3-chain: pki {fmt_ratio(lp)}, mbedTLS {fmt_ratio(lm)} "
              "(1 or below: linear). Time with 100 decoys over none: pki "
              f"{fmt_ratio(fp)}, mbedTLS {fmt_ratio(fm)} (1: flat).", "",
              "## Signature checks and allocations per operation", "",
              "Counted on one operation outside the timed loop (after a first, uncounted one). Signature "
              "checks are those of both ends of a handshake, chains and CertificateVerify alike; OpenSSL's "
              "are not counted (its math is not mbedTLS's).", ""]
    lines += table(["case", "pki signature checks", "mbedTLS signature checks", "pki allocations",
                    "mbedTLS allocations", "OpenSSL allocations"], count_rows(cases))
    lines += ["", "OpenSSL 3.0 decodes a certificate's public key through its provider decoders when it "
              "parses the certificate, which is most of what its parse and root-loading columns spend "
              "(and allocate)."]
    lines += ["", "## Every case", "",
              "Medians over the repetitions; spread is (max - min) / median of the CPU times.", ""]
    lines += table(["case/column", "CPU", "wall", "spread", "iterations", "repetitions", "counters"], raw_rows(cases))
    if limbo is not None:
        lines += ["", "x509-limbo harness runs (wall / CPU, s): " +
                  "; ".join(f"{w:.2f} / {c:.2f}" for w, c in zip(limbo["walls"], limbo["cpus"]))]
    lines += ["", "## Machine", ""] + machine(ctx)
    lines += ["", f"The whole run (pki-bench and the limbo timing) took {settings['elapsed'] / 60:.1f} minutes.", "",
              "## Regenerating", "",
              "```sh",
              "bash .ci/install-bench.sh            # libbenchmark-dev, libssl-dev",
              "cmake --preset default",
              "cmake --build build/default --target pki-bench pki-limbo-harness -j2",
              "python3 tests/bench/run_benchmarks.py  # writes docs/BENCHMARKS.md",
              "```", "",
              "`run_benchmarks.py --help` lists the knobs (repetitions, minimum time, a case filter); one case by "
              "hand: `build/default/tests/bench/pki-bench --benchmark_filter='^parse_leaf/'`. "
              "`ctest --test-dir build/default -R bench.smoke` runs every case once.", ""]
    return "\n".join(lines)


# --- Smoke checks -------------------------------------------------------------------------


def smoke_check(data: dict, cases: dict) -> list[str]:
    problems = []
    if not cases:
        problems.append("no case ran")
    for b in data["benchmarks"]:
        if b.get("iterations", 0) < 1:
            problems.append(f"{b['name']} ran no iteration")
    for case, columns in cases.items():
        if "pki" not in columns or "mbedtls" not in columns:
            problems.append(f"{case} lacks its pki or mbedtls column (has {sorted(columns)})")
        for column in columns:
            if column not in ("pki", "mbedtls", "openssl"):
                problems.append(f"{case}/{column}: unknown column")
    for case in ("parse_leaf", "validate_chain3", "validate_chain3_stubbed", "tls13_full", "seal_100MiB",
                 "open_100MiB", "validate_100_leaves", "validate_100_leaves_link_cache"):
        if case not in cases:
            problems.append(f"the case {case} the report needs is missing")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BUILD / "tests" / "bench" / "pki-bench")
    parser.add_argument("--limbo-harness", type=Path, default=DEFAULT_BUILD / "tests" / "pki-limbo-harness")
    parser.add_argument("--limbo-input", type=Path,
                        default=REPO.parent / "shared" / "conformance" / "x509-limbo" / "limbo-dev.json.gz")
    parser.add_argument("--limbo-runs", type=int, default=3)
    parser.add_argument("--no-limbo", action="store_true", help="skip timing the limbo harness")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also keep pki-bench's JSON here")
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument("--min-time", default="0.2", help="seconds each repetition of a case runs at least")
    parser.add_argument("--filter", help="only the cases matching this regex (Google Benchmark's filter)")
    parser.add_argument("--smoke", action="store_true", help="every case once; check, never judge a time")
    args = parser.parse_args()

    if not args.bench.exists():
        sys.exit(f"{args.bench} does not exist: build it first (cmake --build build/default --target pki-bench)")
    started = time.monotonic()
    flags = []
    if args.filter:
        flags.append(f"--benchmark_filter={args.filter}")
    if args.smoke:
        flags.append(f"--benchmark_min_time={SMOKE_MIN_TIME}")
        settings = {"repetitions": 1, "min_time": SMOKE_MIN_TIME, "smoke": True}
    else:
        flags += [f"--benchmark_min_time={args.min_time}", f"--benchmark_repetitions={args.repetitions}",
                  "--benchmark_enable_random_interleaving=true"]
        settings = {"repetitions": args.repetitions, "min_time": args.min_time}

    with tempfile.TemporaryDirectory() as tmp:
        out_json = Path(tmp) / "bench.json"
        data = run_bench(args.bench, flags, out_json, quiet=args.smoke)
        if args.json:
            shutil.copyfile(out_json, args.json)
    cases = collect(data)

    if args.smoke:
        problems = smoke_check(data, cases)
        for p in problems:
            print("smoke:", p, file=sys.stderr)
        if problems:
            return 1
    limbo = None
    if not args.smoke and not args.no_limbo:
        if not args.limbo_harness.exists():
            sys.exit(f"{args.limbo_harness} does not exist: build it (target pki-limbo-harness) or pass --no-limbo")
        print(f"timing {args.limbo_harness} on {args.limbo_input}", flush=True)
        limbo = time_limbo(args.limbo_harness, args.limbo_input, args.limbo_runs)

    settings["elapsed"] = time.monotonic() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(data, cases, limbo, settings))
    print(f"wrote {args.output}")
    for row in target_rows(cases, limbo) + [[r[0], "", r[2], r[3], r[5], r[6]] for r in seal_rows(cases)]:
        print(f"  {row[0]}: {row[2]} [fastest: {row[3]}] (target {row[4]}: {row[5]})")
    if args.smoke:
        print(f"smoke: {sum(len(c) for c in cases.values())} runs of {len(cases)} cases, all ran, none failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
