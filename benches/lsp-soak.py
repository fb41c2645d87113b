#!/usr/bin/env python3
"""Soak: 100,000 random edits over an open 1k-line Dockerfile through `bulkhead lsp`, sampling resident
memory as it goes (start, peak, end), then checking the server's final diagnostics against
`bulkhead check` on the text the client holds: the server's copy has not drifted. Last, a fresh server opens
the final text: its resident size is the baseline the soaked server's end is compared with.

    cargo build --release -p bulkhead
    benches/lsp-soak.py            # EDITS=100000 (default), SEED=1 (default)

Edits are inserts, deletes and replacements at random places, with multi-byte text (é, 漢, 🐳), CRLF and
lone CR line breaks, continuations and instruction keywords; positions in UTF-8 (negotiated) and never
inside a CRLF pair. They go in bursts of 100 without waiting, then the diagnostics of the burst's last
version are awaited. Not a test: numbers go to docs/reliability.md.
"""
import importlib.util
import json
import os
import pathlib
import random
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lsp_latency", ROOT / "benches" / "lsp-latency.py")
lsp_latency = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lsp_latency)

EDITS = int(os.environ.get("EDITS", "100000"))
BURST = int(os.environ.get("BURST", "100"))
PIECES = ["a", "é", "漢", "🐳", " ", "\n", "\r\n", "\r", " \\\n", "RUN ", "FROM alpine\n", "$X", "${Y:-z}",
          "apt-get install -y ", "&& ", "'", '"', "#", "<<EOF\n", "EOF\n", "\t", "USER root\n", "ENV A=b\n"]


def position(text, pos):
    """The LSP position (UTF-8 columns) of character offset `pos`."""
    prefix = text[:pos]
    line = prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n")
    start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return {"line": line, "character": len(prefix[start:].encode())}


def safe(text, pos):
    """`pos`, moved off the middle of a CRLF pair (LSP positions cannot point there)."""
    if 0 < pos < len(text) and text[pos - 1] == "\r" and text[pos] == "\n":
        return pos + 1
    return pos


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Server(lsp_latency.Server):
    """Shows what the server logs as an error or a warning: a failed lint never publishes, so the log
    is where the reason is."""

    def answer(self, msg):
        if msg.get("method") == "window/logMessage" and msg["params"].get("type", 4) <= 2:
            print("server:", msg["params"]["message"][:500], file=sys.stderr, flush=True)
        super().answer(msg)


def main():
    rng = random.Random(int(os.environ.get("SEED", "1")))
    binary = ROOT / "target/release/bulkhead"
    server = Server([str(binary), "lsp"])
    caps = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}, "general": {"positionEncodings": ["utf-8"]}}
    init = server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": caps})
    assert init["result"]["capabilities"]["positionEncoding"] == "utf-8", init
    server.notify("initialized", {})
    path = lsp_latency.CORPUS / "large/large-1k.Dockerfile"
    text = path.read_text()
    size = len(text)
    uri = "file:///soak/Dockerfile"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 0, "text": text}})
    server.wait_diagnostics(uri, 0)
    pid = server.proc.pid
    start = rss_kib(pid, "VmRSS")
    samples = []
    t0 = time.perf_counter()
    for version in range(1, EDITS + 1):
        grow = len(text) < size * 0.8 or (len(text) < size * 1.2 and rng.random() < 0.5)
        a = safe(text, rng.randrange(len(text) + 1))
        b = a if grow else safe(text, min(len(text), a + rng.randrange(1, 40)))
        new = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 4))) if grow or rng.random() < 0.3 else ""
        change = {"range": {"start": position(text, a), "end": position(text, b)}, "text": new}
        text = text[:a] + new + text[b:]
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        if version % BURST == 0 or version == EDITS:
            server.wait_diagnostics(uri, version)
        if version % 5000 == 0:
            samples.append((version, rss_kib(pid, "VmRSS")))
            print(f"{version:>7} edits  RSS {samples[-1][1] / 1024:6.1f} MB  {len(text.splitlines()):>5} lines", flush=True)
    elapsed = time.perf_counter() - t0
    end = rss_kib(pid, "VmRSS")
    peak = rss_kib(pid, "VmHWM")

    # The server's view of the final text equals a fresh check of the client's text.
    pulled = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    got = sorted((d["code"], d["range"]["start"]["line"]) for d in pulled["result"]["items"])
    print(f"final diagnostics: {len(json.dumps(pulled)) / 1e6:.1f} MB of JSON, text {len(text.encode()) / 1e3:.0f} kB", flush=True)
    check = subprocess.run([str(binary), "check", "--format=json", "--no-config", "-"], input=text.encode(),
                           capture_output=True, check=False)
    want = sorted((f["code"], f["start"]["line"] - 1) for f in json.loads(check.stdout))
    server.close()
    same = got == want

    # The baseline for "end": a fresh server holding the same final text and its diagnostics. What the soaked
    # server holds beyond it is what 100,000 edits left behind (a leak grows it with the number of edits).
    fresh = Server([str(binary), "lsp"])
    fresh.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": caps})
    fresh.notify("initialized", {})
    fresh.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 0, "text": text}})
    fresh.wait_diagnostics(uri, 0)
    baseline = rss_kib(fresh.proc.pid, "VmRSS")
    fresh.close()
    print(f"\n| edits | seconds | RSS start MB | RSS peak MB | RSS end MB | fresh server, final text MB | final diagnostics = check |")
    print(f"|---|---|---|---|---|---|---|")
    print(f"| {EDITS} | {elapsed:.0f} | {start / 1024:.1f} | {peak / 1024:.1f} | {end / 1024:.1f} | {baseline / 1024:.1f} | {same} ({len(got)}) |")
    if not same:
        print("server:", got[:20], "\ncheck: ", want[:20], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
