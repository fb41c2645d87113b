//! No file can take either driver down: every hostile shape (`support/hostile_shapes.rs`) through the real
//! binary. `bulkhead check` exits normally with a report that still has the finding of the file's last,
//! ordinary instruction; `bulkhead lsp` publishes diagnostics for it and answers the next request (a hover,
//! then semantic tokens, inlay hints, document links and signature help without an error). Before
//! the walks over shell trees became iterative, most of these aborted the process with a stack overflow.
//! Time and memory per shape are measured in docs/reliability.md, not asserted here.

#[path = "support/hostile_shapes.rs"]
mod hostile_shapes;
#[path = "support/stdio_server.rs"]
mod stdio_server;

use std::process::Command;

use hostile_shapes::{TAIL_CODE, shapes};
use serde_json::{Value, json};
use stdio_server::{Server, initialize};

/// The codes of a JSON report.
fn codes(report: &Value) -> Vec<&str> {
    report.as_array().unwrap().iter().filter_map(|finding| finding["code"].as_str()).collect()
}

#[test]
fn check_reports_on_every_hostile_shape() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, past_a_limit) in shapes() {
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, &text).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_bulkhead"))
            .args(["check", "--no-config", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Findings: exit code 1 (a signal would give no code at all).
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(codes(&report).contains(&TAIL_CODE), "{name}: {:?}", codes(&report));
        let limits: Vec<&Value> = report
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["code"] == "BH000")
            .filter(|finding| finding["message"].as_str().is_some_and(|m| m.contains("to analyse")))
            .collect();
        assert_eq!(!limits.is_empty(), past_a_limit, "{name}: {limits:?}");
    }
}

#[test]
fn the_server_survives_every_hostile_shape_and_answers_the_next_request() {
    let mut server = Server::start();
    initialize(&mut server);
    for (idx, (name, text, _)) in shapes().into_iter().enumerate() {
        let uri = format!("file:///tmp/bulkhead-hostile-shapes/{idx}/Dockerfile");
        let last_line = text.lines().count() - 1;
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        let published =
            server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str());
        let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
        assert!(diagnostics.iter().any(|d| d["code"] == TAIL_CODE), "{name}: {published}");
        // The next request is answered: a hover on the last instruction, about its finding.
        let hover = server.request(
            1000 + idx as i64,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": last_line, "character": 6}}),
        );
        let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
        assert!(markdown.contains(TAIL_CODE), "{name}: {hover}");
        // The editing requests that read the whole file answer too, without an error.
        let doc = json!({"textDocument": {"uri": uri}});
        let everything = json!({"start": {"line": 0, "character": 0}, "end": {"line": last_line + 1, "character": 0}});
        let at_end = json!({"line": last_line, "character": 6});
        for (offset, method, params) in [
            (1, "textDocument/semanticTokens/full", doc.clone()),
            (2, "textDocument/inlayHint", json!({"textDocument": {"uri": uri}, "range": everything})),
            (3, "textDocument/documentLink", doc.clone()),
            (4, "textDocument/signatureHelp", json!({"textDocument": {"uri": uri}, "position": at_end})),
        ] {
            let answer = server.request(20_000 + 10 * idx as i64 + offset, method, params);
            assert!(answer.get("error").is_none() && answer.get("result").is_some(), "{name}: {method}: {answer}");
        }
        server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }
    let shutdown = server.request(9999, "shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
}
