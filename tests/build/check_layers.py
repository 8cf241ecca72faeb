#!/usr/bin/env python3
"""The folder list of include/pki reads as the data path, and a lower stage never includes a
higher one: core < keys < x509 < issue < validate < tls. Prints every offending #include and
exits 1; 0 when there is none. Usage: check_layers.py <include dir>"""
import os
import re
import sys

STAGES = ["core", "keys", "x509", "issue", "validate", "tls"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of(relative):
    top = relative.split("/", 1)[0]
    return top if top in STAGES else None


def main(include_dir):
    pki = os.path.join(include_dir, "pki")
    problems = []
    for directory, _, files in os.walk(pki):
        for name in files:
            if not name.endswith(".hpp"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, pki).replace(os.sep, "/")
            stage = stage_of(relative)
            if stage is None:
                if relative != "pki.hpp":
                    problems.append(f"{relative}: outside every stage folder ({', '.join(STAGES)})")
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for target in INCLUDE.findall(text):
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
                target_relative = os.path.relpath(resolved, pki).replace(os.sep, "/")
                if target_relative.startswith(".."):
                    problems.append(f"{relative}: includes {target}, outside include/pki")
                    continue
                if not os.path.exists(resolved):
                    problems.append(f"{relative}: includes {target}, which does not exist")
                    continue
                target_stage = stage_of(target_relative)
                if target_stage is None or STAGES.index(target_stage) > STAGES.index(stage):
                    problems.append(f"{relative} ({stage}) includes {target_relative} ({target_stage}): a higher stage")
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} violation(s) of {' < '.join(STAGES)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
