#!/usr/bin/env python3
"""Draws the blind review's sample: N findings at random, with a fixed seed, from bulkhead's findings on a
corpus (default rules, no configuration), each with the lines it points at, for a person to judge as TP,
wrong or noise before looking at the rule's code. The verdicts and rates go into docs/rules/review.md.

    cargo build -p bulkhead                      (or --release; the binary is found in target/)
    benches/review-sample.py [--seed S] [--n N] [--corpus DIR] [--out FILE]
    benches/review-sample.py --by-severity [--per-severity error=40,warning=80,info=40,hint=40] [--seed S]

Defaults: seed 13, 200 findings, ../shared/corpus/dev, target/review/sample.md. Each file is read on standard
input, so `.dockerignore` facts are unknown, as in the corpus snapshot test. The same binary, corpus, seed
and N give the same sample; a rule change that adds or drops findings changes the draw, which is why the
review records the commit it was drawn at. Writes a markdown list with one numbered entry per finding and an
empty `verdict:` line to fill in, and prints the per-rule and per-severity counts of the sample.

`--by-severity` draws a stratified sample instead (the plain draw stays the default): the given number of
findings from each severity, all of a severity that has fewer, each severity drawn from its own stream of the
seeded generator in the fixed order error, warning, info, hint (so the same seed, binary and corpus give the
same sample). The header then gives each severity's population and draw, which the review needs to re-weight
the rates to the population's severity mix.
"""
import argparse
import collections
import json
import os
import pathlib
import random
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=13)
parser.add_argument("--n", type=int, default=200)
parser.add_argument("--by-severity", action="store_true", help="stratified draw, see --per-severity")
parser.add_argument(
    "--per-severity",
    default="error=40,warning=80,info=40,hint=40",
    help="with --by-severity: how many findings to draw per severity, e.g. error=40,warning=80,info=40,hint=40",
)
parser.add_argument("--corpus", type=pathlib.Path, default=ROOT.parent / "shared" / "corpus" / "dev")
target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
parser.add_argument("--out", type=pathlib.Path, default=target / "review" / "sample.md")
args = parser.parse_args()

binary = next((target / p / "bulkhead" for p in ("release", "debug") if (target / p / "bulkhead").exists()), None)
if binary is None:
    raise SystemExit("build bulkhead first: cargo build -p bulkhead")
files = sorted(p for p in args.corpus.iterdir() if p.is_file() and not p.name.startswith("README"))
findings = []
# Each file on standard input: the corpus files sit outside their build contexts, so their `.dockerignore`
# is unknown, as in the corpus snapshot test (a file path would make BH801 see "no .dockerignore").
for path in files:
    run = subprocess.run(
        [str(binary), "check", "--no-config", "--format", "json", "-"], input=path.read_bytes(), capture_output=True
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"{path}: {run.stderr.decode()}")
    for finding in json.loads(run.stdout):
        finding["path"] = str(path)
        findings.append(finding)
# A stable order before drawing, independent of how the chunks ran.
findings.sort(key=lambda f: (f["path"], f["start"]["line"], f["start"]["column"], f["code"], f["message"]))
SEVERITIES = ("error", "warning", "info", "hint")
population = collections.Counter(f["severity"] for f in findings)
if args.by_severity:
    quota = {}
    for part in args.per_severity.split(","):
        name, _, count = part.strip().partition("=")
        if name not in SEVERITIES or not count.isdigit():
            raise SystemExit(f"--per-severity: expected severity=count (severities {', '.join(SEVERITIES)}): {part!r}")
        quota[name] = int(count)
    rng = random.Random(args.seed)
    sample = []
    for severity in SEVERITIES:
        if severity in quota:
            stratum = [f for f in findings if f["severity"] == severity]
            sample += rng.sample(stratum, min(quota[severity], len(stratum)))
    unknown = set(population) - set(SEVERITIES)
    if unknown:
        raise SystemExit(f"unknown severities in the findings: {sorted(unknown)}")
else:
    sample = random.Random(args.seed).sample(findings, min(args.n, len(findings)))
sample.sort(key=lambda f: (f["code"], f["path"], f["start"]["line"]))

args.out.parent.mkdir(parents=True, exist_ok=True)
drawn = collections.Counter(f["severity"] for f in sample)
how = f"stratified by severity ({args.per_severity})" if args.by_severity else "plain draw"
lines = [
    f"# Review sample: {len(sample)} of {len(findings)} findings, seed {args.seed}, {args.corpus.name}, {how}",
    "",
    "population / drawn by severity: "
    + ", ".join(f"{s} {population[s]} / {drawn[s]}" for s in SEVERITIES if population[s] or drawn[s]),
    "",
]
for n, f in enumerate(sample, 1):
    path = pathlib.Path(f["path"])
    text = path.read_text(errors="replace").splitlines()
    start, end = f["start"]["line"], f["end"]["line"]
    shown = text[max(start - 3, 0) : min(end + 2, len(text))]
    lines += [
        f"## {n}. {f['code']} [{f['severity']}] {path.name}:{start}:{f['start']['column']}",
        "",
        f["message"],
        "",
        "```dockerfile",
        *shown,
        "```",
        "verdict: ",
        "",
    ]
args.out.write_text("\n".join(lines))
by_rule = collections.Counter(f["code"] for f in sample)
print(f"{len(findings)} findings, {len(sample)} drawn (seed {args.seed}, {how}) -> {args.out}")
print("population by severity:", ", ".join(f"{s} {population[s]}" for s in SEVERITIES if population[s]))
print("drawn by severity:", ", ".join(f"{s} {drawn[s]}" for s in SEVERITIES if drawn[s]))
for code, count in sorted(by_rule.items()):
    print(f"{code} {count}")
