//! End-to-end tests of the language server, in-process over duplex pipes with real framing.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use bulkhead_analysis::{BuildContext, Config, Settings};
use common::*;
use serde_json::{Value, json};

/// The build context the server gives a saved document without a `.dockerignore`: with today's date, as
/// the server passes it to the end-of-life rule (BH106).
fn saved_build() -> BuildContext {
    BuildContext { today: bulkhead_project::today(), ..BuildContext::without_dockerignore() }
}

const BAD: &str = "FROM alpine:3.20\nRUN apk add curl\nRUN apk update && apk add git\nCMD [\"/app/server\"]\n";

/// The codes of the rules these tests are about, sorted. Other rules' findings (a missing HEALTHCHECK...)
/// are checked wholesale by the tests that compare against `check()`.
fn codes(diagnostics: &[Value]) -> Vec<String> {
    const ABOUT: &[&str] = &["BH000", "BH201", "BH903", "BH999"];
    let mut res: Vec<String> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .filter(|code| ABOUT.contains(&code.as_str()))
        .collect();
    res.sort();
    res
}

fn settings(config: &str) -> Settings {
    Settings::from_config(&Config::from_toml(config).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_advertises_capabilities_and_negotiates_the_encoding() {
    let (mut client, result) = TestClient::start(capabilities(true), None).await;
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert!(caps["textDocumentSync"]["save"].is_object());
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix", "source.fixAll.bulkhead"]));
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], false);
    assert_eq!(result["serverInfo"]["name"], "bulkhead");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    // The client allows dynamic registration: the server watches build-context and config files.
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability").await;
    let registration = &registration["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/.dockerignore", "**/*.dockerignore", "**/.bulkhead.toml"]);

    let (_, result) = TestClient::start(capabilities(false), None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let (_, result) = TestClient::start(json!({}), None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_publishes_diagnostics_for_the_version() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    assert_eq!(summarize(&diagnostics), expected(BAD, &saved_build(), &Settings::default(), false));
    assert_eq!(codes(&diagnostics), ["BH201", "BH903", "BH903"]);
    let bh903 = diagnostics.iter().find(|d| d["code"] == "BH903").unwrap();
    assert_eq!(bh903["source"], "bulkhead");
    assert_eq!(
        bh903["codeDescription"]["href"],
        "https://github.com/bulkhead-dev/bulkhead/blob/main/docs/rules/BH903.md"
    );
    assert_eq!(bh903["data"]["version"], 1);
    // Closing clears them.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    let cleared =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()).await;
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
}

/// Types `text` into an empty document one character at a time (second half first, then the first half
/// in front of it, with typos fixed by backspace and a few multi-change notifications), then checks what
/// was published along the way and at the end.
async fn type_document(text: &str, utf8: bool) {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(utf8), None).await;
    client.open(&uri, "").await;
    let mut current = String::new();
    let mut version = 1;
    let mut texts: HashMap<i64, String> = HashMap::from([(1, String::new())]);
    let split = text[..text.len() / 2].rfind('\n').map_or(0, |idx| idx + 1);
    // Keystrokes as (offset in the text typed so far, character): the second half appended, then the
    // first half typed in front of it.
    let mut keystrokes: Vec<(usize, char)> = Vec::new();
    keystrokes.extend(text[split..].char_indices());
    keystrokes.extend(text[..split].char_indices());
    let mut idx = 0;
    while idx < keystrokes.len() {
        if idx % 97 == 13 {
            // A typo, fixed by the next notification.
            let at = keystrokes[idx].0;
            version += 1;
            client.change(&uri, version, json!([{ "range": range(&current, at, at, utf8), "text": "X" }])).await;
            current.insert(at, 'X');
            texts.insert(version, current.clone());
            version += 1;
            client.change(&uri, version, json!([{ "range": range(&current, at, at + 1, utf8), "text": "" }])).await;
            current.remove(at);
            texts.insert(version, current.clone());
        }
        // Every 50th notification carries two changes; the second refers to the text after the first.
        let n = if idx % 50 == 49 && idx + 1 < keystrokes.len() { 2 } else { 1 };
        let mut changes = Vec::new();
        for &(at, ch) in &keystrokes[idx..idx + n] {
            changes.push(json!({ "range": range(&current, at, at, utf8), "text": ch.to_string() }));
            current.insert(at, ch);
        }
        idx += n;
        version += 1;
        client.change(&uri, version, Value::Array(changes)).await;
        texts.insert(version, current.clone());
        if idx % 25 == 0 {
            // A pause in typing: the diagnostics of this very version arrive.
            client.diagnostics(&uri, version).await;
        }
    }
    assert_eq!(current, text, "the test typed the text");
    let build = saved_build();
    let settings = Settings::default();
    let last = client.diagnostics(&uri, version).await;
    assert_eq!(summarize(&last), expected(text, &build, &settings, utf8));
    // Every publication was for a version in order, and right for the text of that version.
    let published: Vec<&Value> = client.published.iter().filter(|p| p["uri"] == uri.as_str()).collect();
    let versions: Vec<i64> = published.iter().map(|p| p["version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "published out of order: {versions:?}");
    assert_eq!(versions.last(), Some(&version));
    for params in published {
        let v = params["version"].as_i64().unwrap();
        let diagnostics = params["diagnostics"].as_array().unwrap();
        assert_eq!(summarize(diagnostics), expected(&texts[&v], &build, &settings, utf8), "version {v}");
    }
    assert!(versions.len() > keystrokes.len() / 40, "too few publications to check: {}", versions.len());
}

const UNICODE: &str = "# syntax=docker/dockerfile:1\r\nFROM alpine:3.20\r\nLABEL description=\"多阶段 🐳 build\"\r\n\
RUN apk add curl \\\r\n    && echo \"héllo 😀 wörld\" > /tmp/x\r\nRUN echo 中文 && apk add git\r\nCMD [\"sh\", \"-c\", \"echo 🎉\"]\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_corpus_file_character_by_character() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/dev/docker-library__python__3.13__slim-bookworm__Dockerfile"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("corpus file {path}: {err}"));
    type_document(&text, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_emoji_and_cjk_in_utf16() {
    type_document(UNICODE, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_emoji_and_cjk_in_utf8() {
    type_document(UNICODE, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_explains_findings_and_keywords() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    let bh903 = diagnostics.iter().find(|d| d["code"] == "BH903").unwrap();
    let hover = client.hover(&uri, bh903["range"]["start"].clone()).await;
    let value = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    let message = bh903["message"].as_str().unwrap();
    assert!(value.starts_with(&format!("**BH903** `apk-missing-no-cache` · warning\n\n{message}")), "{value}");
    assert!(value.contains("**Why it matters:**") && value.contains("bulkhead explain BH903"), "{value}");
    // The short form: no full rule document.
    assert!(!value.contains("## What it does") && value.lines().count() <= 25, "{value}");
    let keyword = client.hover(&uri, json!({ "line": 3, "character": 1 })).await;
    assert!(keyword["contents"]["value"].as_str().unwrap().starts_with("**CMD**"), "{keyword}");
    assert_eq!(
        keyword["range"],
        json!({ "start": { "line": 3, "character": 0 }, "end": { "line": 3, "character": 3 } })
    );
    // Inside the FROM image name: the BH201 finding covers the FROM line here, so use an argument of CMD.
    assert_eq!(client.hover(&uri, json!({ "line": 3, "character": 6 })).await, Value::Null);
}

/// Applies an action's edits to the open document as incremental changes and returns the new text and
/// its diagnostics.
async fn apply_action(
    client: &mut TestClient,
    uri: &str,
    text: &str,
    version: i64,
    action: &Value,
) -> (String, Vec<Value>) {
    let edits = action_edits(action, uri);
    assert!(!edits.is_empty(), "{action}");
    if let Some(changes) = action["edit"]["documentChanges"].as_array() {
        assert_eq!(changes[0]["textDocument"]["version"], version);
    }
    let fixed = apply_text_edits(text, &edits, false);
    client.change(uri, version + 1, as_content_changes(&edits, text, false)).await;
    let diagnostics = client.diagnostics(uri, version + 1).await;
    assert_eq!(summarize(&diagnostics), expected(&fixed, &saved_build(), &Settings::default(), false));
    (fixed, diagnostics)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_quick_fix_removes_its_diagnostic() {
    let bad_files = [
        BAD,
        "FROM alpine:3.20\r\nRUN apk add \\\r\n    curl\r\nUSER root\r\n",
        "FROM node:22 AS build\nRUN npm ci\nFROM alpine:3.20\n  RUN apk add --virtual .deps curl && \\\n    apk del .deps\nCMD [\"node\", \"server.js\"]\n",
    ];
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    let mut n_fixes = 0;
    for (file_idx, text) in bad_files.iter().enumerate() {
        let (_dir, _, uri) = temp_uri(&format!("{file_idx}.Dockerfile"));
        client.open(&uri, text).await;
        let mut diagnostics = client.diagnostics(&uri, 1).await;
        let mut version = 1;
        // The engine's own findings for the same text: the server must offer exactly their fixes (those
        // that create files need a client that can create them, which this one cannot).
        let report = bulkhead_analysis::check(text, &saved_build(), &Settings::default());
        // Each fix is tried on the original text, restored between fixes (which makes a new version, and
        // new diagnostics: the old ones refer to another version).
        for diagnostic_idx in 0..diagnostics.len() {
            let diagnostic = diagnostics[diagnostic_idx].clone();
            let code = diagnostic["code"].as_str().unwrap().to_owned();
            let byte_range = |i: usize| diagnostic["data"]["range"][i].as_u64().unwrap() as usize;
            let finding = report
                .diagnostics
                .iter()
                .find(|d| d.code == code && (d.range.start, d.range.end) == (byte_range(0), byte_range(1)))
                .unwrap_or_else(|| panic!("the engine has no finding for {diagnostic}"));
            let expected: Vec<_> = finding.fixes.iter().filter(|fix| fix.new_files.is_empty()).collect();
            for (fix_idx, expected_fix) in expected.iter().enumerate() {
                // The same finding in the current version's diagnostics (the text was restored).
                let current = diagnostics[diagnostic_idx].clone();
                assert_eq!(
                    (&current["code"], &current["data"]["range"]),
                    (&diagnostic["code"], &diagnostic["data"]["range"])
                );
                let actions =
                    client.code_actions(&uri, current["range"].clone(), vec![current.clone()], Some("quickfix")).await;
                let fixes: Vec<&Value> =
                    actions.iter().filter(|a| !a["title"].as_str().unwrap().starts_with("Ignore")).collect();
                assert_eq!(fixes.len(), expected.len(), "{current} {actions:?}");
                let fix = fixes[fix_idx];
                assert_eq!(fix["kind"], "quickfix");
                assert_eq!(fix["diagnostics"][0]["code"], code.as_str());
                let safe = expected_fix.applicability == bulkhead_analysis::Applicability::Safe;
                let offered = (fix["title"].as_str().unwrap(), fix["isPreferred"].as_bool());
                assert_eq!(offered, (expected_fix.title.as_str(), Some(safe)));
                let before = diagnostics.iter().filter(|d| d["code"] == code.as_str()).count();
                let (_, after) = apply_action(&mut client, &uri, text, version, fix).await;
                let after = after.iter().filter(|d| d["code"] == code.as_str()).count();
                assert!(after < before, "fix `{}` left {code} in place", fix["title"]);
                n_fixes += 1;
                version += 2;
                client.change(&uri, version, json!([{ "text": text }])).await;
                diagnostics = client.diagnostics(&uri, version).await;
            }
            if !expected.is_empty() {
                // The first version's diagnostic refers to a text the document no longer has: no fix for it.
                let actions = client
                    .code_actions(&uri, diagnostic["range"].clone(), vec![diagnostic.clone()], Some("quickfix"))
                    .await;
                assert!(actions.is_empty(), "stale diagnostic got {actions:?}");
            }
        }
    }
    assert!(n_fixes >= 5, "only {n_fixes} fixes were tried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_every_safe_fix() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    client.diagnostics(&uri, 1).await;
    let whole = range(BAD, 0, 0, false);
    let actions = client.code_actions(&uri, whole, Vec::new(), Some("source.fixAll.bulkhead")).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.bulkhead");
    let (fixed, diagnostics) = apply_action(&mut client, &uri, BAD, 1, &actions[0]).await;
    assert_eq!(
        fixed,
        "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN apk update && apk add --no-cache git\nCMD [\"/app/server\"]\n"
    );
    // BH201's fix is unsafe: fix-all leaves it to the user.
    assert_eq!(codes(&diagnostics), ["BH201"]);
    // A plain `source` request includes fix-all; a quickfix request does not.
    let actions = client.code_actions(&uri, range(&fixed, 0, 0, false), Vec::new(), Some("source")).await;
    assert!(actions.is_empty(), "nothing left to fix safely: {actions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_comment_actions_silence_the_rule() {
    let text = "FROM alpine:3.20\r\nRUN apk add curl\r\n  RUN apk add git\r\nUSER app\r\n";
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, text).await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    assert_eq!(codes(&diagnostics), ["BH903", "BH903"]);
    let second = diagnostics.iter().filter(|d| d["code"] == "BH903").nth(1).unwrap().clone();
    let actions = client.code_actions(&uri, second["range"].clone(), vec![second.clone()], None).await;
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Ignore BH903 for this instruction") && titles.contains(&"Ignore BH903 for this file"),
        "{titles:?}"
    );
    let instruction = actions.iter().find(|a| a["title"] == "Ignore BH903 for this instruction").unwrap();
    let (fixed, after) = apply_action(&mut client, &uri, text, 1, instruction).await;
    assert_eq!(
        fixed,
        "FROM alpine:3.20\r\nRUN apk add curl\r\n  # bulkhead ignore=BH903\r\n  RUN apk add git\r\nUSER app\r\n"
    );
    assert_eq!(codes(&after), ["BH903"]);
    let first = after.iter().find(|d| d["code"] == "BH903").unwrap().clone();
    let actions = client.code_actions(&uri, first["range"].clone(), vec![first], None).await;
    let file_wide = actions.iter().find(|a| a["title"] == "Ignore BH903 for this file").unwrap();
    let (fixed, after) = apply_action(&mut client, &uri, &fixed, 2, file_wide).await;
    assert!(fixed.starts_with("# bulkhead global ignore=BH903\r\nFROM"), "{fixed}");
    assert!(codes(&after).is_empty(), "{after:?}");
}

/// A client that does not send `data` back gets the same quick fixes: the diagnostic is matched in LSP
/// coordinates, here on lines after multi-byte text and with CRLF line ends, in UTF-16 and UTF-8.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_without_data_match_by_range() {
    let text = "FROM alpine:3.20\r\nLABEL note=\"漢字 🐳\"\r\nRUN apk add curl  # 🐳\r\nRUN apk update && apk add git\r\nCMD [\"/app/server\"]\r\n";
    for utf8 in [false, true] {
        let (_dir, _, uri) = temp_uri("Dockerfile");
        let (mut client, _) = TestClient::start(capabilities(utf8), None).await;
        client.open(&uri, text).await;
        let diagnostics = client.diagnostics(&uri, 1).await;
        let mut compared = 0;
        for diagnostic in &diagnostics {
            let titles = |actions: &[Value]| -> Vec<String> {
                actions.iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect()
            };
            let with = client
                .code_actions(&uri, diagnostic["range"].clone(), vec![diagnostic.clone()], Some("quickfix"))
                .await;
            let mut bare = diagnostic.clone();
            bare.as_object_mut().unwrap().remove("data");
            let without = client.code_actions(&uri, bare["range"].clone(), vec![bare], Some("quickfix")).await;
            assert_eq!(titles(&with), titles(&without), "{diagnostic}");
            assert_eq!(
                with.iter().map(|a| &a["edit"]).collect::<Vec<_>>(),
                without.iter().map(|a| &a["edit"]).collect::<Vec<_>>()
            );
            compared += with.len();
        }
        // BH903 twice (safe fix) and the ignore actions at least.
        assert!(compared >= 4, "only {compared} actions compared (utf8: {utf8})");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_for_an_old_version_are_refused() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    client.change(&uri, 2, json!([{ "range": range(BAD, 0, 0, false), "text": "# hi\n" }])).await;
    client.diagnostics(&uri, 2).await;
    let stale = diagnostics[0].clone();
    let actions = client.code_actions(&uri, stale["range"].clone(), vec![stale], Some("quickfix")).await;
    assert!(actions.is_empty(), "{actions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_changes_relint_open_documents() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let init = json!({ "bulkhead": { "ignore": ["BH903"] } });
    let (mut client, _) = TestClient::start(capabilities(false), Some(init)).await;
    client.open(&uri, BAD).await;
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH201"]);
    // Some clients send their whole, empty settings: that does not reset the initialization options.
    client.notify("workspace/didChangeConfiguration", json!({ "settings": {} })).await;
    client.forget_diagnostics();
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "bulkhead": { "select": ["BH903"], "severity": { "BH903": "error" } } } }),
        )
        .await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    assert_eq!(codes(&diagnostics), ["BH903", "BH903"]);
    assert!(diagnostics.iter().all(|d| d["severity"] == 1));
    assert_eq!(
        summarize(&diagnostics),
        expected(BAD, &saved_build(), &settings("select = [\"BH903\"]\n[severity]\nBH903 = \"error\""), false)
    );
    // Invalid settings: shown once, the old ones stay.
    client.forget_diagnostics();
    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "ignore": ["BH12345"] } })).await;
    let shown = client.wait_notification("window/showMessage").await;
    assert!(shown["message"].as_str().unwrap().contains("BH12345"), "{shown}");
    client
        .notify("workspace/didChangeConfiguration", json!({ "settings": { "bulkhead": { "ignore": ["BH903"] } } }))
        .await;
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH201"]);
    let shown = client.collect_for(Duration::from_millis(200), |m| m["method"] == "window/showMessage").await;
    assert!(shown.is_empty(), "{shown:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_file_and_watched_file_changes_relint() {
    let (dir, _, uri) = temp_uri("api.Dockerfile");
    std::fs::write(dir.path().join(".bulkhead.toml"), "ignore = [\"BH201\"]\n").unwrap();
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH903", "BH903"]);
    std::fs::write(dir.path().join(".bulkhead.toml"), "select = [\"BH201\"]\n").unwrap();
    client.forget_diagnostics();
    let event = json!({ "changes": [{ "uri": format!("file://{}/.bulkhead.toml", dir.path().display()), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", event).await;
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH201"]);
    // A broken config file keeps the last good settings and says so.
    std::fs::write(dir.path().join(".bulkhead.toml"), "select = [").unwrap();
    client.forget_diagnostics();
    let event = json!({ "changes": [{ "uri": format!("file://{}/.bulkhead.toml", dir.path().display()), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", event).await;
    let shown = client.wait_notification("window/showMessage").await;
    assert!(shown["message"].as_str().unwrap().contains(".bulkhead.toml"), "{shown}");
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH201"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_replace_publishing_for_clients_that_pull() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let mut caps = capabilities(false);
    caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false });
    let (mut client, _) = TestClient::start(caps, None).await;
    client.open(&uri, BAD).await;
    let params = json!({ "textDocument": { "uri": uri } });
    let report = client.request("textDocument/diagnostic", params).await.unwrap();
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    assert_eq!(summarize(items), expected(BAD, &saved_build(), &Settings::default(), false));
    let params = json!({ "textDocument": { "uri": uri }, "previousResultId": report["resultId"] });
    let again = client.request("textDocument/diagnostic", params).await.unwrap();
    assert_eq!(again["kind"], "unchanged");
    let pushed =
        client.collect_for(Duration::from_millis(200), |m| m["method"] == "textDocument/publishDiagnostics").await;
    assert!(pushed.is_empty(), "a pulling client gets no pushed duplicates: {pushed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_unknown_documents_are_ignored_and_positions_clamp() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.change("file:///nowhere/Dockerfile", 2, json!([{ "text": "FROM x\n" }])).await;
    let logged = client.wait_notification("window/logMessage").await;
    assert!(logged["message"].as_str().unwrap().contains("not open"), "{logged}");
    // Not a Dockerfile: not linted.
    let readme =
        json!({ "uri": "file:///w/README.md", "languageId": "markdown", "version": 1, "text": "RUN apk add x" });
    client.notify("textDocument/didOpen", json!({ "textDocument": readme })).await;
    client.open(&uri, "FROM alpine:3.20\nUSER app\n").await;
    assert!(codes(&client.diagnostics(&uri, 1).await).is_empty());
    // Far past the end of the text: the insertion lands at the end.
    let past = json!({ "start": { "line": 40, "character": 7 }, "end": { "line": 41, "character": 0 } });
    client.change(&uri, 2, json!([{ "range": past, "text": "RUN apk add curl\n" }])).await;
    let diagnostics = client.diagnostics(&uri, 2).await;
    assert_eq!(codes(&diagnostics), ["BH903"]);
    let bh903 = diagnostics.iter().find(|d| d["code"] == "BH903").unwrap();
    assert_eq!(bh903["range"]["start"], json!({ "line": 2, "character": 4 }));
    assert_eq!(client.hover(&uri, json!({ "line": 99, "character": 99 })).await, Value::Null);
    let published =
        client.collect_for(Duration::from_millis(100), |m| m["params"]["uri"] == "file:///w/README.md").await;
    assert!(published.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_rule_is_logged_and_the_server_lives_on() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let init = json!({ "bulkhead": { "extendSelect": ["BH999"] } });
    let (mut client, _) = TestClient::start(capabilities(false), Some(init)).await;
    let text = "FROM alpine:3.20\nRUN apk add curl # PANIC-TEST\nCMD [\"/app/server\"]\n";
    client.open(&uri, text).await;
    let logged = client.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 2).await;
    assert!(logged["params"]["message"].as_str().unwrap().contains("BH999"), "{logged}");
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["BH201", "BH903"]);
    let hover = client.hover(&uri, json!({ "line": 1, "character": 5 })).await;
    assert!(hover["contents"]["value"].as_str().unwrap().contains("BH903"), "{hover}");
    // Without the trigger the rule works again.
    client.change(&uri, 2, json!([{ "text": "FROM alpine:3.20\nLABEL x=TEST-MARKER\nUSER app\n" }])).await;
    assert_eq!(codes(&client.diagnostics(&uri, 2).await), ["BH999"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_request_handler_gets_an_error_response_and_the_server_lives_on() {
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    let (broken, fine) = ("file:///w/broken/Dockerfile", "file:///w/fine/Dockerfile");
    client.open(broken, "FROM alpine:3.20\nLABEL x=PANIC-HOVER\n").await;
    client.open(fine, "FROM alpine:3.20\nRUN apk add curl\n").await;
    // The hover handler panics (a test-only hook): the request gets an internal error, and it is logged.
    let err = client.request("textDocument/hover", hover_params(broken, 1)).await.unwrap_err();
    assert_eq!(err["code"], -32603, "{err}");
    let logged = client.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1).await;
    assert!(logged["params"]["message"].as_str().unwrap().contains("hover failed"), "{logged}");
    // The session goes on: other requests on both documents are answered, edits are still linted.
    let hover = client.hover(fine, json!({ "line": 1, "character": 5 })).await;
    assert!(hover["contents"]["value"].as_str().unwrap().contains("BH903"), "{hover}");
    client.change(broken, 2, json!([{ "text": "FROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n" }])).await;
    assert_eq!(codes(&client.diagnostics(broken, 2).await), ["BH201", "BH903"]);
    let hover = client.hover(broken, json!({ "line": 1, "character": 5 })).await;
    assert!(hover["contents"]["value"].as_str().unwrap().contains("BH903"), "{hover}");
}

fn hover_params(uri: &str, line: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 2 } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_requests_and_protocol_notifications() {
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    let err = client.request("bulkhead/nonsense", json!({})).await.unwrap_err();
    assert_eq!(err["code"], -32601);
    client.notify("$/setTrace", json!({ "value": "verbose" })).await;
    client.notify("$/cancelRequest", json!({ "id": 999 })).await;
    assert_eq!(client.request("shutdown", Value::Null).await, Ok(Value::Null));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_then_exit_stops_the_server() {
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    assert_eq!(client.request("shutdown", Value::Null).await, Ok(Value::Null));
    client.notify("exit", Value::Null).await;
    // The client keeps its end open: the server stops all the same.
    assert!(client.server_stops().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_input_without_exit_stops_the_server() {
    let (_dir, _, uri) = temp_uri("Dockerfile");
    let (mut client, _) = TestClient::start(capabilities(false), None).await;
    client.open(&uri, BAD).await;
    client.diagnostics(&uri, 1).await;
    assert_eq!(client.request("shutdown", Value::Null).await, Ok(Value::Null));
    client.close_input().await;
    assert!(client.server_stops().await);
}

/// The engine threads start with the first job that needs them (formatting), not with the session: a
/// session that only lints small documents (on the protocol thread) and answers hovers never starts them.
/// Sessions given the same `EngineThreads` share them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_threads_start_on_the_first_job_that_needs_them() {
    let engine = bulkhead_lsp::EngineThreads::new();
    let (mut client, _) = TestClient::start_with(capabilities(true), None, engine.clone()).await;
    let uri = "file:///engine/Dockerfile";
    client.open(uri, "FROM alpine:3.20\nrun apk add curl\n").await;
    assert!(!client.diagnostics(uri, 1).await.is_empty());
    client.hover(uri, json!({ "line": 1, "character": 5 })).await;
    assert!(!engine.started(), "a small document's lint and a hover started the engine threads");
    let options = json!({ "tabSize": 4, "insertSpaces": true });
    let edits =
        client.request("textDocument/formatting", json!({ "textDocument": { "uri": uri }, "options": options }));
    assert!(edits.await.is_ok(), "formatting succeeds");
    assert!(engine.started());
    let (mut second, _) = TestClient::start_with(capabilities(true), None, engine.clone()).await;
    second.open(uri, "FROM alpine:3.20\n").await;
    let edits =
        second.request("textDocument/formatting", json!({ "textDocument": { "uri": uri }, "options": options }));
    assert!(edits.await.is_ok());
}
