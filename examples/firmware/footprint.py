#!/usr/bin/env python3
"""Writes a Markdown footprint report of firmware images.

    footprint.py --out report.md [--size arm-none-eabi-size] [--nm arm-none-eabi-nm]
                 NAME=IMAGE.elf[:RUN-OUTPUT] ...

For each image: its section sizes (arm-none-eabi-size -A) and, from the output of its run
under QEMU where given, the FOOTPRINT line's peak heap and stack. Images named pki-<set>
and baseline-<set> (sets: validate, csr, tls-client, mtls) are paired: the report gives
pki's size over the baseline's and the 15 largest symbols (arm-none-eabi-nm --size-sort
-C) that the pki image has and the baseline does not, which is where the excess goes.
The .text ratios are printed on stdout too. Without pki images it reports the baselines.
"""

import argparse
import os
import re
import subprocess
import sys

SETS = ("validate", "csr", "tls-client", "mtls")
# Sections that occupy flash (the vector table, code, constants, unwind and init tables).
FLASH_SECTIONS = (".vectors", ".text", ".rodata", ".ARM.extab", ".ARM.exidx", ".init_array",
                  ".fini_array")
FOOTPRINT_LINE = re.compile(r"^FOOTPRINT heap_peak=(\d+) stack_peak=(\d+)\s*$", re.M)
# nm symbol types that take memory: code, read-only data, data, bss (weak ones too).
SIZED_TYPES = set("tTrRdDbBwWvV")
TOP_SYMBOLS = 15
# Where a symbol comes from, by its name: the first matching prefix wins. C file-local
# functions (mbedTLS's and newlib's statics) have no prefix and land in "other".
ORIGINS = (("pki", ("pki::",)), ("firmware image", ("fw::", "fw_", "bl_")),
           ("C++ runtime and library", ("std::", "__gnu_cxx::", "__cxxabiv1::", "__cxa_", "operator ",
                                        "vtable for ", "typeinfo ", "guard variable ", "__gxx_")),
           ("mbedTLS and PSA", ("mbedtls_", "psa_", "mbedtls::")),
           ("other (C statics, libc, libgcc)", ("",)))


class Image:
    def __init__(self, name, elf, output):
        self.name, self.elf, self.output = name, elf, output
        self.sections = {}
        self.heap_peak = self.stack_peak = None
        self.done_ok = None

    def section(self, name):
        return self.sections.get(name, 0)

    @property
    def flash(self):
        return sum(self.section(s) for s in FLASH_SECTIONS) + self.section(".data")

    @property
    def static_ram(self):
        return self.section(".data") + self.section(".bss")

    @property
    def ram(self):
        if self.heap_peak is None:
            return None
        return self.static_ram + self.heap_peak + self.stack_peak


def parse_argument(text):
    name, sep, rest = text.partition("=")
    if not sep or not name or not rest:
        raise SystemExit(f"footprint: expected NAME=IMAGE.elf[:OUTPUT], got {text!r}")
    elf, _, output = rest.partition(":")
    return Image(name, elf, output or None)


def run(tool, *args):
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def read_sections(image, size_tool):
    """size -A lists every section with its size; keep the ones that are memory."""
    for line in run(size_tool, "-A", image.elf).splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0].startswith(".") and fields[1].isdigit():
            image.sections[fields[0]] = int(fields[1])


def read_run_output(image):
    if not image.output or not os.path.exists(image.output):
        return
    with open(image.output, errors="replace") as f:
        text = f.read()
    image.done_ok = re.search(r"^DONE OK\s*$", text, re.M) is not None
    matches = FOOTPRINT_LINE.findall(text)
    if matches:
        image.heap_peak, image.stack_peak = (int(v) for v in matches[-1])


def symbols(elf, nm_tool):
    """name -> (size, type) of every symbol that takes memory."""
    table = {}
    for line in run(nm_tool, "--size-sort", "-C", "-S", elf).splitlines():
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[2] in SIZED_TYPES:
            size = int(fields[1], 16)
            name = fields[3]
            if size > table.get(name, (0, ""))[0]:
                table[name] = (size, fields[2])
    return table


def number(value):
    return "n/a" if value is None else f"{value:,}"


def ratio(a, b):
    return "n/a" if not a or not b else f"{a / b:.2f}x"


def summary_table(images):
    rows = ["| image | .text | .rodata | .data | .bss | flash | heap peak | stack peak | RAM total | run |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for i in images:
        run_state = "n/a" if i.done_ok is None else ("DONE OK" if i.done_ok else "FAILED")
        rows.append(f"| {i.name} | {number(i.section('.text'))} | {number(i.section('.rodata'))} | "
                    f"{number(i.section('.data'))} | {number(i.section('.bss'))} | {number(i.flash)} | "
                    f"{number(i.heap_peak)} | {number(i.stack_peak)} | {number(i.ram)} | {run_state} |")
    return rows


def image_table(image):
    rows = [f"### {image.name}", "", f"`{image.elf}`", "", "| section / measure | bytes |", "|---|---:|"]
    for name, size in image.sections.items():
        if name in FLASH_SECTIONS or name in (".data", ".bss"):
            rows.append(f"| {name} | {size:,} |")
    rows.append(f"| heap peak (run) | {number(image.heap_peak)} |")
    rows.append(f"| stack peak (run) | {number(image.stack_peak)} |")
    return rows + [""]


def origin(symbol):
    return next(label for label, prefixes in ORIGINS if symbol.startswith(prefixes))


def origin_table(only_pki):
    totals = {}
    for size, _, name in only_pki:
        count, total = totals.get(origin(name), (0, 0))
        totals[origin(name)] = (count + 1, total + size)
    rows = ["| origin (by symbol name) | symbols | bytes |", "|---|---:|---:|"]
    for label, _ in ORIGINS:
        if label in totals:
            rows.append(f"| {label} | {totals[label][0]:,} | {totals[label][1]:,} |")
    return rows


def pair_section(set_name, pki, baseline, nm_tool):
    text_ratio = ratio(pki.section(".text"), baseline.section(".text"))
    rows = [f"### {set_name}: {pki.name} vs {baseline.name}", "",
            "| measure | pki | baseline | pki / baseline |", "|---|---:|---:|---:|"]
    for label, a, b in ((".text", pki.section(".text"), baseline.section(".text")),
                        (".rodata", pki.section(".rodata"), baseline.section(".rodata")),
                        ("flash", pki.flash, baseline.flash),
                        ("static RAM (.data + .bss)", pki.static_ram, baseline.static_ram),
                        ("heap peak", pki.heap_peak, baseline.heap_peak),
                        ("stack peak", pki.stack_peak, baseline.stack_peak),
                        ("RAM total", pki.ram, baseline.ram)):
        rows.append(f"| {label} | {number(a)} | {number(b)} | {ratio(a, b)} |")
    pki_symbols, baseline_symbols = symbols(pki.elf, nm_tool), symbols(baseline.elf, nm_tool)
    only_pki = sorted(((size, kind, name) for name, (size, kind) in pki_symbols.items()
                       if name not in baseline_symbols), reverse=True)
    only_baseline = sum(size for name, (size, _) in baseline_symbols.items() if name not in pki_symbols)
    rows += ["", f"Symbols only in {pki.name}: {len(only_pki)}, {sum(s for s, _, _ in only_pki):,} bytes; "
             f"only in {baseline.name}: {only_baseline:,} bytes.", ""]
    rows += origin_table(only_pki)
    rows += ["", f"The {TOP_SYMBOLS} largest symbols only in {pki.name}:", "",
             "| bytes | type | symbol |", "|---:|---|---|"]
    for size, kind, name in only_pki[:TOP_SYMBOLS]:
        escaped = name.replace("|", "\\|")
        rows.append(f"| {size:,} | {kind} | `{escaped}` |")
    print(f"{set_name}: .text {pki.name} / {baseline.name} = {text_ratio} "
          f"({pki.section('.text'):,} / {baseline.section('.text'):,} bytes)")
    return rows + [""]


def pairs(images):
    by_name = {i.name: i for i in images}
    for set_name in SETS:
        pki, baseline = by_name.get(f"pki-{set_name}"), by_name.get(f"baseline-{set_name}")
        if pki and baseline:
            yield set_name, pki, baseline


def report(images, nm_tool):
    lines = ["# Firmware footprint", "",
             "Cortex-M4F (QEMU mps2-an386), arm-none-eabi-gcc -Os, newlib-nano. Bytes. "
             "flash = code, constants and tables plus .data's initial values; heap peak = most "
             "heap taken from _sbrk after main started; stack peak = deepest stack since reset; "
             "RAM total = .data + .bss + heap peak + stack peak.", "",
             "## Images", ""]
    lines += summary_table(images) + ["", "## pki against the baseline", ""]
    found = list(pairs(images))
    if not found:
        lines += ["No pki-<set> image next to its baseline-<set> (sets: " + ", ".join(SETS) +
                  "): nothing to compare yet.", ""]
    for set_name, pki, baseline in found:
        lines += pair_section(set_name, pki, baseline, nm_tool)
    lines += ["## Sections per image", ""]
    for image in images:
        lines += image_table(image)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="Markdown file to write")
    parser.add_argument("--size", default="arm-none-eabi-size")
    parser.add_argument("--nm", default="arm-none-eabi-nm")
    parser.add_argument("images", nargs="+", metavar="NAME=IMAGE.elf[:RUN-OUTPUT]")
    args = parser.parse_args()
    images = [parse_argument(a) for a in args.images]
    for image in images:
        read_sections(image, args.size)
        read_run_output(image)
    with open(args.out, "w") as f:
        f.write(report(images, args.nm) + "\n")
    print(f"footprint: wrote {args.out} ({len(images)} images)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
