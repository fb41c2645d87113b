#!/usr/bin/env python3
"""Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from ../shared/corpus.

engine: every dev Dockerfile as it is. lsp: per file, a session tail (didChange to that text, hover,
codeAction, fix-all) framed as the client would send it. config: sample .bulkhead.toml and .dockerignore files.
compose: every Compose file of ../shared/corpus/compose. dockerfile, lsp_model (structure-aware: the bytes are
choices of tests/support/hostile_model.rs): a few byte patterns; libFuzzer grows them.
"""
import json
import pathlib

here = pathlib.Path(__file__).resolve().parent
dev = here.parent.parent / "shared" / "corpus" / "dev"
files = sorted(dev.iterdir())
compose = here.parent.parent / "shared" / "corpus" / "compose"
out = {name: here / "corpus" / name for name in ("engine", "lsp", "config", "compose", "dockerfile", "lsp_model")}
for path in out.values():
    path.mkdir(parents=True, exist_ok=True)


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


uri = "file:///fuzz/Dockerfile"
for i, path in enumerate(files):
    text = path.read_bytes()
    (out["engine"] / path.name).write_bytes(text)
    decoded = text.decode("utf-8", "replace")
    lines = decoded.count("\n")
    session = b"".join([
        frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": decoded}]}}),
        frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 3}, "contentChanges": [{
                "range": {"start": {"line": lines // 2, "character": 0}, "end": {"line": lines // 2, "character": 3}},
                "text": "RUN apt-get install -y gcc && "}]}}),
        frame({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": i % max(lines, 1), "character": 4}}}),
        frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
            "context": {"diagnostics": [], "only": ["quickfix", "source.fixAll.bulkhead"]}}}),
        frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}}),
    ])
    if i % 4 == 0:
        (out["lsp"] / path.name).write_bytes(session)

configs = {
    "select.toml": 'select = ["ALL"]\nignore = ["BH601"]\n[severity]\nBH201 = "error"\n',
    "full.toml": 'extend-select = ["BH102"]\ntrusted-registries = ["docker.io", "ghcr.io/acme"]\n'
                 '[secrets]\nextra-words = ["pin"]\nallow-words = ["public"]\n',
    "node.dockerignore": "node_modules\n**/.git\n!README.md\n*.pem\n.env*\n",
    "negations.dockerignore": "*\n!src/\n!package.json\nsrc/**/*.test.js\n# comment\n\n/abs\n..\\weird\n",
}
for name, text in configs.items():
    (out["config"] / name).write_text(text)
for i, path in enumerate(sorted(p for p in compose.rglob("*") if p.is_file())):
    (out["compose"] / f"{i:03}-{path.name}").write_bytes(path.read_bytes())
for name in ("dockerfile", "lsp_model"):
    for i, pattern in enumerate([b"", bytes(range(256)), bytes(range(255, -1, -1)), b"\x03\x07" * 64, b"\xff" * 64]):
        (out[name] / f"pattern-{i}").write_bytes(pattern)
print({name: len(list(path.iterdir())) for name, path in out.items()})
