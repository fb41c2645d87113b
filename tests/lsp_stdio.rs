//! `bulkhead lsp` as editors start it: the built binary over real stdin/stdout.
//! The protocol itself is tested in depth in-process (crates/bulkhead-lsp/tests); this checks the
//! binary end to end: initialize, diagnostics for an opened file, hover, both ways of ending, and
//! registry look-ups in the background against Debian's `docker-registry` on loopback.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bulkhead_test_registry as registry_support;
use serde_json::{Value, json};
use stdio_server::{Server, apply_lsp_edits, initialize, initialize_params, initialize_with};

const URI: &str = "file:///tmp/bulkhead-stdio-test/Dockerfile";
const TEXT: &str = "FROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n";

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
    assert!(markdown.contains("**BH903**") && markdown.contains("**Why it matters:**"), "{markdown}");
    let shutdown = server.request(3, "shutdown", Value::Null);
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    server.notify("exit", Value::Null);
    assert!(server.exits_within(Duration::from_secs(5)), "the server did not exit after `exit`");
}

#[test]
fn document_and_range_formatting_answer_minimal_edits() {
    let mut server = Server::start();
    let result = initialize(&mut server);
    assert_eq!(result["result"]["capabilities"]["documentFormattingProvider"], true);
    assert_eq!(result["result"]["capabilities"]["documentRangeFormattingProvider"], true);
    let uri = "file:///tmp/bulkhead-stdio-format/Dockerfile";
    let text = "from alpine:3.20\n\n\nrun echo a \\\n  && echo \"b   c\"   \nRUN <<EOF\n  body  \nEOF\n";
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let whole = server.request(2, "textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": options}));
    let edits = &whole["result"];
    let expected = "FROM alpine:3.20\n\nRUN echo a \\\n    && echo \"b   c\"\nRUN <<EOF\n  body  \nEOF\n";
    assert_eq!(apply_lsp_edits(text, edits), expected, "{edits}");
    // Minimal: the keyword edit is the keyword alone, and the heredoc body gets none.
    assert_eq!(edits[0]["newText"], "FROM");
    assert_eq!(edits[0]["range"]["end"]["character"], 4);
    assert!(edits.as_array().unwrap().iter().all(|e| e["range"]["start"]["line"].as_u64() < Some(5)), "{edits}");
    // A range on the RUN's second line formats that whole RUN and nothing else.
    let range = json!({"start": {"line": 4, "character": 1}, "end": {"line": 4, "character": 3}});
    let ranged = server.request(
        3,
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": uri}, "range": range, "options": options}),
    );
    let lines: Vec<u64> =
        ranged["result"].as_array().unwrap().iter().map(|e| e["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4], "{ranged}");
    // Formatting the formatted text changes nothing.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": expected}]}),
    );
    let again = server.request(4, "textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": options}));
    assert_eq!(again["result"], json!([]));
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

/// Every message until one that `done` accepts (included), or panics after 30 s.
fn messages_until(server: &Server, mut done: impl FnMut(&Value) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = server.incoming.recv_timeout(left).unwrap_or_else(|_| panic!("timed out after {seen:#?}"));
        let stop = done(&message);
        seen.push(message);
        if stop {
            return seen;
        }
    }
}

fn codes_of(publish: &Value) -> Vec<String> {
    let diagnostics = publish["params"]["diagnostics"].as_array().unwrap();
    diagnostics.iter().filter_map(|d| d["code"].as_str().map(str::to_owned)).collect()
}

fn published(uri: &str, done: impl Fn(&[String]) -> bool) -> impl Fn(&Value) -> bool {
    move |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && done(&codes_of(m))
}

#[test]
fn registry_facts_arrive_in_the_background_and_are_published() {
    let registry = registry_support::Registry::start();
    let config = registry_support::config_json("amd64", "1000", "2024-05-06T07:08:09Z", true);
    let image = registry_support::push_image(&registry, "app", &config);
    for tag in ["1", "1.4.2", "1.3.0"] {
        registry.push_manifest("app", tag, registry_support::OCI_MANIFEST, &image.manifest);
    }
    // In front of the registry: counts the requests for the manifest of `app:1` and slows them, so both
    // documents ask for the image while its look-up is still running.
    let manifests = Arc::new(AtomicUsize::new(0));
    let (upstream, counter) = (registry.url(""), manifests.clone());
    let front = registry_support::serve(Arc::new(move |request: &registry_support::Request, _port: u16| {
        if request.target.ends_with("/app/manifests/1") {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
        }
        registry_support::forward(request, &upstream)
    }));
    let closed = registry_support::free_port();
    let dir = tempfile::tempdir().unwrap();
    let (cache, docker) = (dir.path().join("cache"), dir.path().join("docker"));
    std::fs::create_dir_all(&docker).unwrap();
    let mut server = Server::start_with_env(&[("XDG_CACHE_HOME", &cache), ("DOCKER_CONFIG", &docker)]);
    let options = json!({"select": ["BH101", "BH102", "BH201", "BH601"], "registry": {"enabled": true}});
    initialize_with(&mut server, initialize_params(options));

    let app = format!("127.0.0.1:{front}/app:1");
    let gone = format!("127.0.0.1:{closed}/gone:1");
    let (uri_a, uri_b) =
        ("file:///tmp/bulkhead-registry-test/a/Dockerfile", "file:///tmp/bulkhead-registry-test/b/Dockerfile");
    let text_a = format!("FROM {app}\nEXPOSE 8080\nCMD [\"app\"]\n");
    let text_b = format!("FROM {gone} AS tools\n\nFROM {app}\nCMD [\"app\"]\n");
    for (uri, text) in [(uri_a, &text_a), (uri_b, &text_b)] {
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }
    // First without facts (BH201, BH601 as offline), then again once the look-ups answered.
    let with_facts = |uri: &'static str| published(uri, |codes| !codes.iter().any(|c| c == "BH201"));
    let (done_a, done_b) = (with_facts(uri_a), with_facts(uri_b));
    let (mut final_a, mut final_b) = (None, None);
    let mut seen = messages_until(&server, |m| {
        if done_a(m) {
            final_a = Some(m.clone());
        }
        if done_b(m) {
            final_b = Some(m.clone());
        }
        final_a.is_some() && final_b.is_some()
    });
    let first_a = seen.iter().find(|m| published(uri_a, |_| true)(m)).unwrap();
    assert_eq!(codes_of(first_a), ["BH201", "BH601", "BH102"], "{first_a}");
    let final_a = final_a.unwrap();
    assert_eq!(codes_of(&final_a), ["BH101", "BH102"], "{final_a}");
    let floating = &final_a["params"]["diagnostics"][0];
    assert_eq!(floating["severity"], 4, "a floating minor tag is a hint: {floating}");
    assert_eq!(manifests.load(Ordering::SeqCst), 1, "one look-up for the image both documents use");

    // Hover on the image shows what the registry said.
    let hover = server.request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri_a}, "position": {"line": 0, "character": 8}}),
    );
    let markdown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    for needle in ["**In the registry**", "| default user | `1000` |", "| created | `2024-05-06T07:08:09Z` |"] {
        assert!(markdown.contains(needle), "{needle} not in {markdown}");
    }
    assert!(markdown.contains(&format!("| digest | `{}` |", image.manifest_digest)), "{markdown}");
    assert!(markdown.contains("| exposed ports | `8080/tcp`, `9090/tcp` |"), "{markdown}");
    assert!(markdown.contains("| healthcheck | `CMD-SHELL wget"), "{markdown}");

    // The fixes: pin tag (unsafe, newest first) and pin digest.
    let actions = server.request(
        3,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri_a}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
               "context": {"diagnostics": final_a["params"]["diagnostics"]}}),
    );
    let titles: Vec<&str> = actions["result"].as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    let pin_tag = format!("Pin to `127.0.0.1:{front}/app:1.4.2` (the same image today)");
    assert!(titles.contains(&pin_tag.as_str()), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("Pin to the current digest")), "{titles:?}");

    // The unreachable registry: one log message, not repeated when the document changes.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_b, "version": 2}, "contentChanges": [{"text": format!("{text_b}# edited\n")}]}),
    );
    seen.extend(messages_until(&server, |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri_b && m["params"]["version"] == 2
    }));
    server.send(json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown", "params": null}));
    seen.extend(messages_until(&server, |m| m["id"] == 4));
    let logs: Vec<&str> = seen
        .iter()
        .filter(|m| m["method"] == "window/logMessage")
        .filter_map(|m| m["params"]["message"].as_str())
        .filter(|message| message.contains(&gone))
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].contains("connection refused") && logs[0].contains("linting without its facts"), "{logs:?}");
    server.notify("exit", Value::Null);
    assert!(server.exits_within(Duration::from_secs(5)));
}

/// Under an editor, stdout is a pipe: the server widens it to 1 MiB, so a large publish (a 10,000-line
/// file's diagnostics are ~130 KB) is written whole, not in 64 KiB pieces that each wait for the editor.
#[cfg(target_os = "linux")]
#[test]
fn the_stdout_pipe_holds_a_large_publish() {
    use std::io::{Read, Write};
    // Where this process may not have 1 MiB pipes (a lower `/proc/sys/fs/pipe-max-size`, or the user's pipe
    // quota used up), neither may the server: it keeps its pipe as it is, and there is nothing to check.
    let (probe, _) = rustix::pipe::pipe().unwrap();
    if rustix::pipe::fcntl_setpipe_size(&probe, 1 << 20).is_err() {
        eprintln!("skipped: this machine does not give 1 MiB pipes");
        return;
    }
    let mut child = stdio_server::spawn();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    assert!(rustix::pipe::fcntl_getpipe_size(&stdout).unwrap() < 1 << 20, "a new pipe is smaller (64 KiB)");
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize_params(Value::Null)})
        .to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
    // The answer to `initialize` comes after the server set its output up.
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"Content-Length: ");
    assert_eq!(rustix::pipe::fcntl_getpipe_size(&stdout).unwrap(), 1 << 20);
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A pulling client and a pushed-to one get the same diagnostics for the same version of a document, the
/// pulled report written by the server from the diagnostics it serialized with the lint (spliced into the
/// response, `output.rs`): on a document large enough to be linted on the engine threads, with text where
/// UTF-16 positions differ from bytes, after an open and after a change.
#[test]
fn pulled_and_pushed_diagnostics_of_a_version_are_the_same() {
    let stage = "FROM alpine:3.20\r\nLABEL note=\"漢字 🐳\"\r\nARG NPM_TOKEN\r\nRUN apk add curl && npm ci --token \"$NPM_TOKEN\" # 🐳\r\nMAINTAINER me\r\n";
    let text = stage.repeat(200);
    assert!(text.len() > 16 * 1024, "linted on the engine threads");
    let change = |version: i64| {
        json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
            "text": "RUN cd /tmp && wget http://example.com/x.tgz 🐳\r\n",
        }]})
    };
    let open = json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": text}});

    let mut push = Server::start();
    initialize(&mut push);
    push.notify("textDocument/didOpen", open.clone());
    let is_publish = |version: i64| {
        move |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
    };
    let pushed_1 = push.wait_for(is_publish(1))["params"]["diagnostics"].clone();
    push.notify("textDocument/didChange", change(2));
    let pushed_2 = push.wait_for(is_publish(2))["params"]["diagnostics"].clone();

    let mut pull = Server::start();
    let mut params = initialize_params(Value::Null);
    params["capabilities"]["textDocument"] = json!({"diagnostic": {"dynamicRegistration": false}});
    initialize_with(&mut pull, params);
    pull.notify("textDocument/didOpen", open);
    let doc = json!({"textDocument": {"uri": URI}});
    let pulled_1 = pull.request(2, "textDocument/diagnostic", doc.clone())["result"].clone();
    pull.notify("textDocument/didChange", change(2));
    let pulled_2 = pull.request(3, "textDocument/diagnostic", doc.clone())["result"].clone();

    for (pushed, pulled) in [(&pushed_1, &pulled_1), (&pushed_2, &pulled_2)] {
        assert_eq!(pulled["kind"], "full", "{pulled}");
        let items = pulled["items"].as_array().unwrap();
        assert!(items.len() > 600, "{} diagnostics", items.len());
        assert_eq!(&pulled["items"], pushed, "the pulled diagnostics differ from the pushed ones");
    }
    assert!(pushed_2 != pushed_1, "the change changed the findings");
    let result_id = pulled_2["resultId"].as_str().unwrap();
    assert!(!result_id.contains("spliced"), "the placeholder's marker went out: {result_id}");
    assert_ne!(pulled_1["resultId"], pulled_2["resultId"]);
    // The same version again: unchanged, under the result id the client was given.
    let again = pull.request(
        4,
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}, "previousResultId": result_id}),
    );
    assert_eq!(again["result"], json!({"kind": "unchanged", "resultId": result_id}), "{again}");
    // Without the previous result id: the full report again, the same bytes.
    let full_again = pull.request(5, "textDocument/diagnostic", doc)["result"].clone();
    assert_eq!(full_again, pulled_2);
    for mut server in [push, pull] {
        server.request(9, "shutdown", Value::Null);
        server.notify("exit", Value::Null);
        assert!(server.exits_within(Duration::from_secs(5)));
    }
}
