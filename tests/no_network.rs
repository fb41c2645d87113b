//! The tool never touches the network unless the user turns registry look-ups on: every CLI command and a
//! full language-server session run under `strace`, and not one socket is opened. (Only sockets are
//! traced: a DNS look-up, a connection or a listener all start with `socket(2)`.)
//!
//! Needs `strace` (`.ci/run` installs it). The first test shows the tracing itself works, so the others
//! cannot pass by tracing nothing.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `program args` under strace with `stdin`; returns the socket-related system calls it made.
fn socket_calls(program: &str, args: &[&str], dir: &Path, stdin: &[u8]) -> Vec<String> {
    let trace = dir.join("strace.out");
    let mut child = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,socketpair,connect,bind,listen,sendto,sendmsg", "-o"])
        .arg(&trace)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| panic!("strace is needed for this test (apt-get install strace): {err}"));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let status = child.wait().unwrap();
    assert!(status.code().is_some(), "{program} {args:?} was killed: {status}");
    let text = fs::read_to_string(&trace).unwrap();
    fs::remove_file(&trace).unwrap();
    // Only lines that name a traced call: strace also prints exits, signals and threads caught mid-call at exit.
    let calls = ["socket(", "socketpair(", "connect(", "bind(", "listen(", "sendto(", "sendmsg("];
    text.lines().filter(|line| calls.iter().any(|call| line.contains(call))).map(str::to_owned).collect()
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    fs::copy(root.join("examples/Dockerfile"), dir.path().join("Dockerfile")).unwrap();
    fs::write(dir.path().join(".dockerignore"), ".git\n.env\n").unwrap();
    fs::write(dir.path().join(".bulkhead.toml"), "extend-select = [\"BH102\"]\ntrusted-registries = [\"docker.io\"]\n")
        .unwrap();
    dir
}

#[test]
fn the_trace_sees_sockets_when_there_are_some() {
    let dir = tempfile::tempdir().unwrap();
    let calls = socket_calls("python3", &["-c", "import socket; socket.socket().close()"], dir.path(), b"");
    assert!(calls.iter().any(|call| call.contains("socket(AF_INET")), "{calls:?}");
}

#[test]
fn cli_commands_open_no_socket() {
    let dir = workspace();
    let bulkhead = env!("CARGO_BIN_EXE_bulkhead");
    let dockerfile = fs::read(dir.path().join("Dockerfile")).unwrap();
    let runs: &[(&[&str], &[u8])] = &[
        (&["check", "--select", "ALL", "."], b""),
        (&["check", "--format", "sarif", "--diff", "--unsafe-fixes", "."], b""),
        (&["check", "--format", "json", "-", "--stdin-filename", "Dockerfile"], &dockerfile),
        (&["check", "--fix", "--unsafe-fixes", "Dockerfile"], b""),
        (&["rules", "--format", "json"], b""),
        (&["explain", "BH101"], b""),
        (&["check", "--select", "ALL", "--format", "gitlab", "."], b""),
        (&["check", "--select", "ALL", "--format", "rdjson", "."], b""),
        (&["check", "--select", "ALL", "--format", "junit", "."], b""),
        (&["completions", "bash"], b""),
        (&["man", "check"], b""),
        (&["--version"], b""),
    ];
    for (args, stdin) in runs {
        let calls = socket_calls(bulkhead, args, dir.path(), stdin);
        assert!(calls.is_empty(), "bulkhead {args:?} made socket calls: {calls:?}");
    }
}

#[test]
fn a_language_server_session_opens_no_socket() {
    let dir = workspace();
    let uri = format!("file://{}/Dockerfile", dir.path().display());
    let text = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    let messages = [
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "rootUri": format!("file://{}", dir.path().display()), "capabilities": {},
            "initializationOptions": {"select": ["ALL"]}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 6}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
            "end": {"line": 20, "character": 0}}, "context": {"diagnostics": []}}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/diagnostic", "params": {
            "textDocument": {"uri": uri}}}),
        serde_json::json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {"changes": [
            {"uri": format!("file://{}/.dockerignore", dir.path().display()), "type": 2}]}}),
        serde_json::json!({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}),
        serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
    ];
    let mut input = Vec::new();
    for message in messages {
        let body = message.to_string();
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    let calls = socket_calls(env!("CARGO_BIN_EXE_bulkhead"), &["lsp"], dir.path(), &input);
    assert!(calls.is_empty(), "bulkhead lsp made socket calls: {calls:?}");
}
