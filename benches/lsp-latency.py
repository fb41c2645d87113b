#!/usr/bin/env python3
"""Per-keystroke latency of a Dockerfile language server: the time from a `didChange` to the
`publishDiagnostics` of that version (p50/p95/p99), cold start to the `initialize` result, and resident
memory with many files open. Drives any stdio server, so bulkhead and a peer run through the same code.

    cargo build --release -p bulkhead
    benches/lsp-latency.py [--peer [--peer-50k]]
    benches/lsp-latency.py --compose   # keystroke -> diagnostics in Compose files (bulkhead only)
    benches/lsp-latency.py --requests [--peer]
                                        # the editing requests instead of keystrokes: each request
                                        # (completion, definition, references, rename, hover, inlay
                                        # hints, semantic tokens...) on the 151-line and large-10k files,
                                        # both servers open side by side and asked in turn, sample by
                                        # sample; a request the peer does not advertise is not asked.
                                        # ONLY=hover,links runs the requests whose label has one of
                                        # those words
                                        # bulkhead (target/release/bulkhead lsp); --peer adds
                                        # dockerfile-language-server-nodejs, installed from npm into
                                        # target/lsp-peer on first use (its 50k-line input only with
                                        # --peer-50k: about 2 s per keystroke)
    FEATURES=1: after each didChange, also ask what an editor asks after an edit (semantic tokens
    full/delta with the last result id, inlay hints for the 100 lines around the cursor), without
    waiting for the answers, as an editor does; the sample is still didChange -> diagnostics.
    PULL=1: the client pulls diagnostics (`textDocument/diagnostic` after each didChange, as VS Code
    does); the sample is didChange -> the pull's answer.
    INPUTS=large-10k,large-50k types only the inputs whose label has one of those words.
    KEYSTROKES=200 (default 300) sets how many characters are typed per input; BULKHEAD=path runs that
    binary instead of $CARGO_TARGET_DIR/release/bulkhead (default target/release/bulkhead).
    LSP_STDERR=file appends the servers' stderr there (default: discarded).

The client's own JSON parsing is part of every sample (a 10k-line file's diagnostics are ~130 KB per
publish): the harness uses orjson when it is installed (`pip install orjson`), as an editor's native
parser would be, and says which parser it used. Python's garbage collector is off while a file is typed
(its pauses are the harness's, not the server's).

Not a test: numbers go to docs/performance.md.
"""
import gc, json, os, subprocess, sys, time, statistics, pathlib

try:
    import orjson

    loads, PARSER = orjson.loads, "orjson"
except ImportError:
    loads, PARSER = json.loads, "json (pip install orjson for less client overhead)"

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
KEYSTROKES = int(os.environ.get("KEYSTROKES", "300"))


class Server:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.environ.get('LSP_STDERR','/dev/null'),'ab'))
        self.next_id = 1
        # Answers to requests sent without waiting (`request_async`), by id.
        self.answers = {}

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("server closed")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return loads(self.proc.stdout.read(length))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self.read()
            if msg.get("id") == rid and "method" not in msg:
                return msg
            self.answer(msg)

    def request_async(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def answer(self, msg):
        if "id" in msg and "method" not in msg:
            self.answers[msg["id"]] = msg
            return
        # Server-to-client requests (registerCapability, workspace/configuration): answer them.
        if "id" in msg and "method" in msg:
            result = [{}] * len(msg["params"].get("items", [])) if msg["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version):
        while True:
            msg = self.read()
            if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                v = msg["params"].get("version")
                if v is None or v >= version:
                    return
            else:
                self.answer(msg)

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def start(argv):
    t0 = time.perf_counter()
    server = Server(argv)
    caps = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}, "general": {"positionEncodings": ["utf-16"]}}
    if os.environ.get("PULL"):
        caps["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
    if os.environ.get("FEATURES"):
        caps["textDocument"]["semanticTokens"] = {"requests": {"full": {"delta": True}, "range": True}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}
        caps["textDocument"]["inlayHint"] = {}
    server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": caps})
    cold = (time.perf_counter() - t0) * 1000
    server.notify("initialized", {})
    return server, cold


DOCKERFILE_TYPED = "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
# A service typed at the end of a Compose file's `services:` (its last top-level key in the input): every
# prefix is a YAML state an editor goes through, half-typed keys and errors included.
COMPOSE_TYPED = "  typed:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n    environment:\n      API_TOKEN: abc123\n"


def typing(argv, path, compose=False):
    """Types a line at the end of the file, one character per didChange, waiting for each version's
    diagnostics. `compose`: the file is a Compose file (language id `dockercompose`), and a service is
    typed."""
    server, _ = start(argv)
    text = path.read_text()
    uri = f"file:///bench/{path.name}/" + ("compose.yaml" if compose else "Dockerfile")
    language = "dockercompose" if compose else "dockerfile"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}})
    pull, features = bool(os.environ.get("PULL")), bool(os.environ.get("FEATURES"))
    doc = {"textDocument": {"uri": uri}}
    if pull:
        server.request("textDocument/diagnostic", doc)
    else:
        server.wait_diagnostics(uri, 1)
    lines = text.split("\n")
    line, col = len(lines) - 1, len(lines[-1])
    tokens_id = None
    if features and not compose:
        tokens_id = server.request("textDocument/semanticTokens/full", doc)["result"]["resultId"]
    typed = ((COMPOSE_TYPED if compose else DOCKERFILE_TYPED) * 10)[:KEYSTROKES]
    samples = []
    version = 1
    # Python's own garbage collector would pause the client in the middle of samples (orjson makes
    # thousands of objects per 10k-line publish; a full collection took ~3 ms at p99): that is the
    # harness's latency, not the server's. Collect once before, and not while measuring.
    gc.collect()
    gc.disable()
    for ch in typed:
        version += 1
        change = {"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch}
        t0 = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        asked = []
        if features and not compose:
            # What an editor asks after an edit, answered whenever the server is ready.
            asked.append(server.request_async("textDocument/semanticTokens/full/delta", {**doc, "previousResultId": tokens_id}))
            visible = {"start": {"line": max(0, line - 50), "character": 0}, "end": {"line": line + 50, "character": 0}}
            asked.append(server.request_async("textDocument/inlayHint", {**doc, "range": visible}))
        if pull:
            server.request("textDocument/diagnostic", doc)
        else:
            server.wait_diagnostics(uri, version)
        samples.append((time.perf_counter() - t0) * 1000)
        # The next delta is against the tokens of this version: wait for them (not timed).
        for rid in asked:
            while rid not in server.answers:
                server.answer(server.read())
            answer = server.answers.pop(rid)
            if rid == asked[0]:
                tokens_id = (answer.get("result") or {}).get("resultId", tokens_id)
        if ch == "\n":
            line, col = line + 1, 0
        else:
            col += 1
    gc.enable()
    server.close()
    return samples


def memory(argv):
    server, _ = start(argv)
    files = sorted((CORPUS / "dev").iterdir())
    for i, path in enumerate(files):
        uri = f"file:///bench/{i}/Dockerfile"
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": path.read_text(errors="replace")}})
        server.wait_diagnostics(uri, 1)
    rss = server.rss_mb()
    server.close()
    return rss, len(files)


def request_positions(text):
    """Where the requests go: the last `$NAME` / `${NAME}` use of a variable the file declares (with
    ARG or ENV), the name's first character; else the last `$` use."""
    import re
    declared = set(re.findall(r"^\s*(?:ARG|ENV)\s+([A-Za-z_][A-Za-z0-9_]*)", text, re.M | re.I))
    best = None
    for number, line in enumerate(text.split("\n")):
        for m in re.finditer(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", line):
            if m.group(1) in declared or best is None:
                best = (number, m.start(1), m.group(1))
    return best


# (label, method, capability, params builder from (uri, line, character, line count)).
REQUESTS = [
    ("completion after $", "textDocument/completion", "completionProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
    ("definition", "textDocument/definition", "definitionProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
    ("references", "textDocument/references", "referencesProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}, "context": {"includeDeclaration": True}}),
    ("document highlight", "textDocument/documentHighlight", "documentHighlightProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
    ("rename", "textDocument/rename", "renameProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}, "newName": "RENAMED_X"}),
    ("hover", "textDocument/hover", "hoverProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
    ("signature help", "textDocument/signatureHelp", "signatureHelpProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "position": {"line": l, "character": c}}),
    ("inlay hints (100 lines)", "textDocument/inlayHint", "inlayHintProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "range": {"start": {"line": max(0, l - 50), "character": 0}, "end": {"line": l + 50, "character": 0}}}),
    ("semantic tokens (full)", "textDocument/semanticTokens/full", "semanticTokensProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}}),
    ("semantic tokens (100 lines)", "textDocument/semanticTokens/range", "semanticTokensProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "range": {"start": {"line": max(0, l - 50), "character": 0}, "end": {"line": l + 50, "character": 0}}}),
    ("document symbols", "textDocument/documentSymbol", "documentSymbolProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}}),
    ("folding ranges", "textDocument/foldingRange", "foldingRangeProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}}),
    ("document links", "textDocument/documentLink", "documentLinkProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}}),
    ("formatting", "textDocument/formatting", "documentFormattingProvider",
     lambda uri, l, c, n: {"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}}),
]


def requests(servers, rounds):
    """Each editing request on each input, the servers asked in turn sample by sample (so a busy moment
    of the machine falls on both); the document does not change between samples."""
    inputs = [
        ("151 lines", CORPUS / "dev/docker-library__python__3.13__slim-bookworm__Dockerfile"),
        ("large-10k", CORPUS / "large/large-10k.Dockerfile"),
    ]
    print(f"client JSON parser: {PARSER}; {rounds} samples per request (p50 / p99 ms)\n")
    print("| request | input | " + " | ".join(name for name, _ in servers) + " |")
    print("|---|---|" + "---|" * len(servers))
    for label, path in inputs:
        text = path.read_text()
        line, character, name = request_positions(text)
        started = []
        for server_name, argv in servers:
            server = Server(argv)
            # What an editor says it supports: the peer offers semantic tokens only to a client that
            # announces them.
            token_caps = {"requests": {"full": {"delta": True}, "range": True}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}
            caps = {
                "textDocument": {"publishDiagnostics": {"versionSupport": True}, "semanticTokens": token_caps, "rename": {"prepareSupport": True}},
                "general": {"positionEncodings": ["utf-16"]},
            }
            init = server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": caps})
            server.notify("initialized", {})
            uri = f"file:///bench/{path.name}/Dockerfile"
            server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
            server.wait_diagnostics(uri, 1)
            started.append((server, init["result"]["capabilities"], uri))
        only = os.environ.get("ONLY")
        for req_label, method, capability, params in REQUESTS:
            if only and not any(word in req_label for word in only.split(",")):
                continue
            samples = [[] for _ in started]
            offered = [bool(caps.get(capability)) for _, caps, _ in started]
            gc.collect()
            gc.disable()
            for _ in range(rounds):
                for i, (server, caps, uri) in enumerate(started):
                    if not offered[i]:
                        continue
                    t0 = time.perf_counter()
                    answer = server.request(method, params(uri, line, character, text.count("\n")))
                    elapsed = (time.perf_counter() - t0) * 1000
                    if "error" in answer:
                        offered[i] = False
                        continue
                    samples[i].append(elapsed)
            gc.enable()
            cells = []
            for i in range(len(started)):
                if not samples[i]:
                    cells.append("not offered")
                else:
                    cells.append(f"{pct(samples[i], 50):.2f} / {pct(samples[i], 99):.2f}")
            print(f"| {req_label} | {label} (at `{name}`, line {line + 1}) | " + " | ".join(cells) + " |", flush=True)
        for server, _, _ in started:
            server.close()


def compose_typing(argv):
    """Keystroke to diagnostics in Compose files: a typical one (jaeger's ScyllaDB example: 91 lines, 7 services) and the
    generated 1,000-line one of the criterion bench, rebuilt here the same way."""
    import tempfile
    big = pathlib.Path(tempfile.mkdtemp()) / "compose-1k.yaml"
    big.write_text(compose_1k())
    inputs = [
        ("typical (91 lines, 7 services)", CORPUS / "compose/jaegertracing__jaeger__docker-compose__scylladb__docker-compose.yml"),
        (f"generated ({compose_1k().count(chr(10))} lines)", big),
    ]
    print(f"client JSON parser: {PARSER}; {KEYSTROKES} keystrokes per input\n")
    print("| server | Compose input | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
    for label, path in inputs:
        samples = typing(argv, path, compose=True)
        print(f"| bulkhead | {label} | {pct(samples, 50):.2f} | {pct(samples, 95):.2f} | {pct(samples, 99):.2f} |", flush=True)


def compose_1k():
    """The 40-service Compose file of crates/bulkhead-analysis/benches/engine.rs (compose_1k), `services:`
    last so that typing at the end adds a service."""
    text = "x-logging: &logging\n  driver: json-file\n  options:\n    max-size: 10m\nservices:\n"
    for idx in range(40):
        text += (
            f"  service-{idx}:\n    image: example/service-{idx}:${{TAG:-1.{idx}}}\n    logging: *logging\n    environment:\n"
            f"      DB_HOST: db\n      DB_PASSWORD: ${{DB_PASSWORD}}\n      API_TOKEN: literal-token-{idx}\n    env_file: .env\n"
            f"    volumes:\n      - ./data/{idx}:/data\n      - type: bind\n        source: /var/run/docker.sock\n"
            f"        target: /var/run/docker.sock\n    ports:\n      - \"80{idx:02}:80\"\n    cap_add: [NET_ADMIN]\n"
            f"    deploy:\n      resources:\n        limits:\n          memory: 512M\n    healthcheck:\n"
            f"      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n    restart: unless-stopped\n"
            f"    user: \"1000\"\n    tmpfs: [/tmp]\n"
        )
    return text


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    binary = os.environ.get("BULKHEAD") or str(pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release/bulkhead")
    servers = [("bulkhead", [binary, "lsp"])]
    if "--peer" in sys.argv:
        peer = ROOT / "target/lsp-peer/node_modules/.bin/docker-langserver"
        if not peer.exists():
            subprocess.run(["npm", "install", "--silent", "--prefix", str(ROOT / "target/lsp-peer"),
                            "dockerfile-language-server-nodejs@0.14"], check=True)
        servers.append(("dockerfile-language-server-nodejs", [str(peer), "--stdio"]))
    if "--requests" in sys.argv:
        requests(servers, int(os.environ.get("ROUNDS", "200")))
        return
    if "--compose" in sys.argv:
        compose_typing(servers[0][1])
        return
    inputs = [
        ("small (50 lines)", CORPUS / "dev/nodejs__docker-node__26__bullseye__Dockerfile"),
        ("typical (151 lines)", CORPUS / "dev/docker-library__python__3.13__slim-bookworm__Dockerfile"),
        ("large-1k", CORPUS / "large/large-1k.Dockerfile"),
        ("large-10k", CORPUS / "large/large-10k.Dockerfile"),
        ("large-50k", CORPUS / "large/large-50k.Dockerfile"),
    ]
    print(f"client JSON parser: {PARSER}\n")
    print(f"| server | input | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
    only = os.environ.get("INPUTS")
    inputs = [(label, path) for label, path in inputs if not only or any(w in label for w in only.split(","))]
    for name, argv in servers:
        for label, path in inputs:
            if name != "bulkhead" and label == "large-50k" and "--peer-50k" not in sys.argv:
                print(f"| {name} | {label} | not run (about 2 s per keystroke: pass --peer-50k) | | |", flush=True)
                continue
            samples = typing(argv, path)
            print(f"| {name} | {label} | {pct(samples, 50):.2f} | {pct(samples, 95):.2f} | {pct(samples, 99):.2f} |", flush=True)
    if only:
        return
    print(f"\n| server | cold start to initialize ms (median of 5) | RSS MB, all dev files open |\n|---|---|---|")
    for name, argv in servers:
        colds = []
        for _ in range(5):
            server, cold = start(argv)
            colds.append(cold)
            server.close()
        rss, n = memory(argv)
        print(f"| {name} | {statistics.median(colds):.1f} | {rss:.1f} ({n} files) |", flush=True)


if __name__ == "__main__":
    main()
