//! `bulkhead lsp` as editors start it: the built binary over real stdin/stdout.
//! The protocol itself is tested in depth in-process (crates/bulkhead-lsp/tests); this checks the
//! binary end to end: initialize, diagnostics for an opened file, hover, and both ways of ending.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use std::time::Duration;

use serde_json::{Value, json};
use stdio_server::{Server, initialize};

const URI: &str = "file:///tmp/bulkhead-stdio-test/Dockerfile";
const TEXT: &str = "FROM alpine:3.20\nRUN apk add curl\nCMD [\"sh\"]\n";

#[test]
fn diagnostics_hover_and_clean_shutdown() {
    let mut server = Server::start();
    let result = initialize(&mut server);
    assert_eq!(result["result"]["serverInfo"]["name"], "bulkhead");
    assert_eq!(result["result"]["capabilities"]["positionEncoding"], "utf-16");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 3, "text": TEXT}}),
    );
    let published = server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 3);
    let codes: Vec<&str> =
        published["params"]["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"BH903") && codes.contains(&"BH201"), "{codes:?}");
    // Hover on `apk add curl` explains BH903.
    let hover = server.request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 1, "character": 6}}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.contains("BH903") && markdown.contains("## Why it matters"), "{markdown}");
    let shutdown = server.request(3, "shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    server.notify("exit", Value::Null);
    assert!(server.exits_within(Duration::from_secs(5)), "the server did not exit after `exit`");
}

#[test]
fn stdin_closing_without_exit_ends_the_server() {
    let mut server = Server::start();
    initialize(&mut server);
    server.request(2, "shutdown", Value::Null);
    // Helix, one quit in three: shutdown, then the pipe closes without `exit`.
    drop(server.stdin.take());
    assert!(server.exits_within(Duration::from_secs(5)), "the server did not exit when stdin closed");
}
