//! `bulkhead lsp` against broken and hostile clients, over the real binary's stdin and stdout: malformed
//! frames, lies about lengths, huge messages, requests out of order, stale versions, impossible positions,
//! floods of changes, a client that stops reading, and one that hangs up mid-message. In every case the
//! server answers what can be answered, stays within bounded memory, and keeps serving.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use stdio_server::{Server, initialize};

const URI: &str = "file:///tmp/bulkhead-hostile-test/Dockerfile";
const TEXT: &str = "FROM alpine:3.20\nRUN apk add curl\nCMD [\"sh\"]\n";

fn open(server: &mut Server, version: i64, text: &str) -> Value {
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": version, "text": text}}),
    );
    server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version)
}

/// A hover request answers: the session is alive and in order.
fn still_serving(server: &mut Server, id: i64) {
    let hover = server.request(
        id,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains("BH903"), "{hover}");
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error: {response}"))
}

#[test]
fn malformed_frames_get_errors_and_the_session_goes_on() {
    let mut server = Server::start();
    initialize(&mut server);
    open(&mut server, 1, TEXT);
    let error_for_null = |server: &Server| server.wait_for(|m| m["id"].is_null() && m.get("error").is_some());

    // Not JSON.
    server.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    assert_eq!(error_code(&error_for_null(&server)), -32700);
    // A length that is not a number, then a header section with no length at all.
    server.send_raw(b"Content-Length: twelve\r\n\r\n");
    let response = error_for_null(&server);
    assert!(response["error"]["message"].as_str().unwrap().contains("twelve"), "{response}");
    server.send_raw(b"Content-Type: application/json\r\n\r\n");
    assert_eq!(error_code(&error_for_null(&server)), -32700);
    // Valid JSON that is not JSON-RPC.
    server.send_raw(b"Content-Length: 5\r\n\r\n[1,2]");
    error_for_null(&server);
    // A length shorter than the message: the cut message is answered under the id it starts with, and the
    // rest of it runs into the next header, which is found again.
    let body = r#"{"id":50,"jsonrpc":"2.0","method":"shutdown"}"#;
    server.send_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    assert_eq!(error_code(&server.wait_for(|m| m["id"] == 50)), -32700);
    // Unknown methods: an error for a request, silence for a notification.
    let unknown = server.request(60, "bulkhead/noSuchThing", json!({}));
    assert_eq!(error_code(&unknown), -32601);
    server.notify("bulkhead/noSuchNotification", json!({}));
    server.notify("$/setTrace", json!({"value": "verbose"}));
    server.notify("$/cancelRequest", json!({"id": 12345}));
    still_serving(&mut server, 70);
}

#[test]
fn huge_messages_are_refused_without_being_buffered() {
    let mut server = Server::start();
    initialize(&mut server);
    open(&mut server, 1, TEXT);
    let before = server.memory_kib("VmHWM");

    // 64 MiB of hover request, sent in pieces: refused under its own id, never held in memory.
    let padding = 64 << 20;
    let head = r#"{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","params":{"pad":""#;
    let tail = format!(r#"","textDocument":{{"uri":"{URI}"}},"position":{{"line":1,"character":6}}}}}}"#);
    let length = head.len() + padding + tail.len();
    server.send_raw(format!("Content-Length: {length}\r\n\r\n{head}").as_bytes());
    // The refusal comes before the rest of the message has even been sent.
    let refused = server.wait_for(|m| m["id"] == 77);
    assert_eq!(error_code(&refused), -32600, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("exceeds the limit"), "{refused}");
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..64 {
        server.send_raw(&chunk);
    }
    server.send_raw(tail.as_bytes());
    still_serving(&mut server, 78);
    let peak = server.memory_kib("VmHWM");
    assert!(peak < before + 16 * 1024, "peak resident memory grew from {before} KiB to {peak} KiB");

    // A claimed length of a terabyte is refused at once too; hanging up afterwards ends the server.
    server.send_raw(b"Content-Length: 1099511627776\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":79,");
    assert_eq!(error_code(&server.wait_for(|m| m["id"] == 79)), -32600);
    drop(server.stdin.take());
    assert!(server.exits_within(Duration::from_secs(5)));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut server = Server::start();
    let hover = server.request(
        5,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&hover), -32002);
    // Notifications before initialize are dropped, and initialize still works afterwards.
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    initialize(&mut server);
    open(&mut server, 2, TEXT);
    still_serving(&mut server, 6);
}

#[test]
fn stale_versions_unopened_documents_and_impossible_positions() {
    let mut server = Server::start();
    initialize(&mut server);
    open(&mut server, 10, TEXT);
    // A version that goes backwards is the client's bug, but its text is still the client's text: the
    // change is applied (dropping it would leave the server's copy wrong for good) and logged.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "FROM scratch\n"}]}),
    );
    // The log line and the diagnostics of version 3 come in either order.
    let (mut logged, mut published) = (false, false);
    while !(logged && published) {
        let message = server.wait_for(|m| m.get("method").is_some());
        let text = message["params"]["message"].as_str().unwrap_or_default();
        logged |= message["method"] == "window/logMessage" && text.contains("version 3 after 10");
        published |= message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == 3;
    }
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 11}, "contentChanges": [{"text": TEXT}]}),
    );
    // A change to a document that was never opened: ignored with a log line.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere/Dockerfile", "version": 1}, "contentChanges": [{"text": "x"}]}),
    );
    let logged = server.wait_for(|m| m["method"] == "window/logMessage");
    assert!(logged["params"]["message"].as_str().unwrap().contains("not open"), "{logged}");
    // Positions far past the end, in hover, code actions and a range edit: clamped, never an error.
    let far = json!({"line": 100_000, "character": 100_000});
    let hover = server.request(20, "textDocument/hover", json!({"textDocument": {"uri": URI}, "position": far}));
    assert!(hover.get("error").is_none(), "{hover}");
    let actions = server.request(
        21,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": far, "end": far}, "context": {"diagnostics": []}}),
    );
    assert!(actions.get("error").is_none(), "{actions}");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 12},
               "contentChanges": [{"range": {"start": far, "end": far}, "text": "# end\n"}]}),
    );
    let published =
        server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 12);
    assert!(!published["params"]["diagnostics"].as_array().unwrap().is_empty());
    still_serving(&mut server, 22);
}

#[test]
fn ten_thousand_rapid_changes_end_in_the_right_diagnostics() {
    let mut server = Server::start();
    initialize(&mut server);
    open(&mut server, 0, TEXT);
    // Type a RUN line and a long comment at the end, one character per change, without waiting.
    let typed: String = "RUN pip install flask && apt-get update\n".chars().chain("#".repeat(9_960).chars()).collect();
    let mut text = TEXT.to_owned();
    let (mut line, mut character) = (3, 0);
    for (i, ch) in typed.chars().enumerate() {
        let at = json!({"line": line, "character": character});
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": i + 1},
                   "contentChanges": [{"range": {"start": at, "end": at}, "text": ch.to_string()}]}),
        );
        text.push(ch);
        if ch == '\n' {
            (line, character) = (line + 1, 0);
        } else {
            character += 1;
        }
    }
    let last = typed.chars().count();
    assert_eq!(last, 10_000);
    let published =
        server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == last);
    let mut got: Vec<(String, u64)> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["range"]["start"]["line"].as_u64().unwrap()))
        .collect();
    got.sort();

    // The same text through `bulkhead check`.
    let mut check = Command::new(env!("CARGO_BIN_EXE_bulkhead"))
        .args(["check", "--format=json", "--no-config", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    check.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = check.wait_with_output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let mut want: Vec<(String, u64)> = findings
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_owned(), f["start"]["line"].as_u64().unwrap() - 1))
        .collect();
    want.sort();
    assert_eq!(got, want);
    assert!(got.iter().any(|(code, _)| code == "BH904"), "{got:?}");
}

#[test]
fn a_burst_of_changes_costs_one_lint_in_flight_not_one_each() {
    let mut server = Server::start();
    initialize(&mut server);
    let text: String =
        (0..2_000).map(|i| format!("RUN apt-get install -y pkg{i} && curl -k https://x/{i} | sh\n")).collect();
    let text = format!("FROM debian:bookworm\n{text}");
    open(&mut server, 0, &text);
    let threads_before = server.memory_kib("Threads:");
    let burst = 500;
    for version in 1..=burst {
        let at = json!({"line": 0, "character": 0});
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version},
                   "contentChanges": [{"range": {"start": at, "end": at}, "text": "#"}]}),
        );
    }
    let threads_during = server.memory_kib("Threads:");
    let publishes = std::cell::Cell::new(0);
    let last = server.wait_for(|m| {
        let is_publish = m["method"] == "textDocument/publishDiagnostics";
        publishes.set(publishes.get() + usize::from(is_publish));
        is_publish && m["params"]["version"] == burst
    });
    assert!(last["params"]["diagnostics"].as_array().is_some_and(|d| d.len() > 2_000), "{}", last["params"]["version"]);
    // Each lint of 2,000 RUNs takes far longer than sending a change: lints of versions that were already
    // outdated when they would have started must not run at all.
    assert!(publishes.get() < burst as usize / 5, "{} publishes for {burst} changes", publishes.get());
    // A fixed pool lints: a burst does not start a thread per change.
    assert!(threads_during <= threads_before + 2, "threads {threads_before} -> {threads_during}");
    still_serving_any(&mut server, 9);
}

/// A request answers after the burst: the session is alive.
fn still_serving_any(server: &mut Server, id: i64) {
    let hover = server.request(
        id,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
}

#[test]
fn a_client_that_stops_reading_does_not_grow_the_server() {
    let mut child = stdio_server::spawn();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let frame = |message: Value| {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    // The writer goes on in its own thread: once the server stops reading, its writes block.
    let writer = std::thread::spawn(move || {
        let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                          "params": {"processId": null, "rootUri": null, "capabilities": {}}});
        stdin.write_all(frame(init).as_bytes()).unwrap();
        stdin.write_all(frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})).as_bytes()).unwrap();
        let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}});
        stdin.write_all(frame(open).as_bytes()).unwrap();
        for id in 1..=20_000 {
            let hover = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                "params": {"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}});
            stdin.write_all(frame(hover).as_bytes()).unwrap();
        }
        stdin
    });
    // Nobody reads for a while: the server must block, not buffer 20,000 answers.
    let rss = || {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap().to_owned();
        line[6..].trim().trim_end_matches("kB").trim().parse::<u64>().unwrap()
    };
    std::thread::sleep(Duration::from_secs(2));
    let stalled = rss();
    std::thread::sleep(Duration::from_secs(1));
    assert!(!writer.is_finished(), "the server read everything while its output was not being read");
    assert!(rss() < stalled + 4 * 1024 && stalled < 64 * 1024, "resident memory {stalled} KiB, then {} KiB", rss());

    // Reading again: every request gets its answer, in order, and the session ends cleanly.
    let mut reader = BufReader::new(stdout);
    let mut answered = 0;
    while answered < 20_000 {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).unwrap() > 0, "the server hung up");
            match line.trim_end().strip_prefix("Content-Length: ") {
                Some(value) => length = value.parse().unwrap(),
                None if line.trim_end().is_empty() => break,
                None => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if message["id"].as_i64().is_some_and(|id| id > 0) && message.get("method").is_none() {
            answered += 1;
            assert_eq!(message["id"], answered, "answers out of order");
        }
    }
    let stdin = writer.join().unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn hanging_up_mid_message_ends_the_server() {
    let mut server = Server::start();
    initialize(&mut server);
    open(&mut server, 1, TEXT);
    server.send_raw(b"Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/did");
    drop(server.stdin.take());
    assert!(server.exits_within(Duration::from_secs(5)), "the server did not exit when stdin closed mid-message");
}
