//! The editing features of `bulkhead lsp` through the built binary over stdio: each is advertised in
//! `initialize` and answers on a real document (positions in UTF-16, with a character outside the BMP
//! before the names so a byte/UTF-16 mix-up shows): definition, references, document highlight,
//! prepareRename and rename (refusals included), completion and its resolve, document and workspace
//! symbols, folding ranges, semantic tokens (full, range, delta), inlay hints, document links, signature
//! help.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use serde_json::{Value, json};
use stdio_server::{Server, initialize_params, initialize_with};

const URI: &str = "file:///tmp/bulkhead-editing-test/Dockerfile";
const TEXT: &str = "# 🐳 build\n\
ARG VERSION=3.20\n\
FROM alpine:${VERSION} AS build\n\
ARG VERSION\n\
RUN echo \"🐳 $VERSION\" > /v\n\
\n\
FROM alpine:${VERSION}\n\
COPY --from=build /v /v\n\
EXPOSE 8080\n";

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

fn started() -> Server {
    started_with_capabilities().0
}

/// A server with the document open, and the capabilities it announced.
fn started_with_capabilities() -> (Server, Value) {
    let mut server = Server::start();
    let mut params = initialize_params(Value::Null);
    params["capabilities"]["textDocument"] = json!({"completion": {"completionItem": {"snippetSupport": true}}});
    let result = initialize_with(&mut server, params);
    let caps = &result["result"]["capabilities"];
    for provider in [
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "foldingRangeProvider",
    ] {
        assert_eq!(caps[provider], true, "{provider} in {caps}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true, "{caps}");
    assert_eq!(caps["completionProvider"]["resolveProvider"], true, "{caps}");
    for provider in ["inlayHintProvider", "documentLinkProvider", "signatureHelpProvider", "semanticTokensProvider"] {
        assert!(caps[provider].is_object() || caps[provider] == true, "{provider} in {caps}");
    }
    let caps = caps.clone();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    (server, caps)
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({"start": {"line": line, "character": start}, "end": {"line": line, "character": end}})
}

#[test]
fn navigation_and_rename() {
    let mut server = started();
    // `$VERSION` in the RUN (line 4, after a 2-unit emoji) goes to the stage's `ARG VERSION` (line 3).
    let definition = server.request(2, "textDocument/definition", at(4, 14));
    assert_eq!(definition["result"]["range"], range(3, 4, 11), "{definition}");
    assert_eq!(definition["result"]["uri"], URI);
    // That re-declaration goes to the global one.
    let definition = server.request(3, "textDocument/definition", at(3, 6));
    assert_eq!(definition["result"]["range"], range(1, 4, 11), "{definition}");

    let mut params = at(1, 5);
    params["context"] = json!({"includeDeclaration": true});
    let refs = server.request(4, "textDocument/references", params.clone());
    let lines: Vec<u64> =
        refs["result"].as_array().unwrap().iter().map(|l| l["range"]["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4, 6], "{refs}");
    // Definition and references agree: every reference's definition is one of the references.
    for location in refs["result"].as_array().unwrap() {
        let start = &location["range"]["start"];
        let def = server.request(
            5,
            "textDocument/definition",
            at(start["line"].as_u64().unwrap() as u32, start["character"].as_u64().unwrap() as u32),
        );
        assert!(refs["result"].as_array().unwrap().iter().any(|l| l["range"] == def["result"]["range"]), "{def}");
    }
    params["context"] = json!({"includeDeclaration": false});
    let uses = server.request(6, "textDocument/references", params);
    assert_eq!(uses["result"].as_array().unwrap().len(), 3, "{uses}");

    let highlights = server.request(7, "textDocument/documentHighlight", at(7, 14));
    let kinds: Vec<&Value> = highlights["result"].as_array().unwrap().iter().map(|h| &h["kind"]).collect();
    assert_eq!(kinds, [&json!(3), &json!(2)], "declaration written, use read: {highlights}");

    let prepared = server.request(8, "textDocument/prepareRename", at(2, 28));
    assert_eq!(prepared["result"]["range"], range(2, 26, 31), "{prepared}");
    assert_eq!(prepared["result"]["placeholder"], "build");
    let mut rename = at(2, 28);
    rename["newName"] = json!("compile");
    let edit = server.request(9, "textDocument/rename", rename.clone());
    let edits = edit["result"]["changes"][URI].as_array().unwrap();
    let mut touched: Vec<(u64, &str)> =
        edits.iter().map(|e| (e["range"]["start"]["line"].as_u64().unwrap(), e["newText"].as_str().unwrap())).collect();
    touched.sort();
    assert_eq!(touched, [(2, "compile"), (7, "compile")], "{edit}");
    rename["newName"] = json!("9 lives");
    let refused = server.request(10, "textDocument/rename", rename);
    assert!(refused["error"]["message"].as_str().unwrap().contains("not a stage name"), "{refused}");
    let nothing = server.request(11, "textDocument/prepareRename", at(8, 8));
    assert!(nothing["error"]["message"].as_str().is_some(), "{nothing}");
}

#[test]
fn completion_symbols_and_folding() {
    let mut server = started();
    // A new line at the end: keywords, with the HEALTHCHECK for the exposed port.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": range(9, 0, 0), "text": "HE"}]}),
    );
    let completion = server.request(2, "textDocument/completion", at(9, 2));
    let items = completion["result"]["items"].as_array().unwrap();
    let health = items.iter().find(|i| i["label"] == "HEALTHCHECK (probe)").expect("a HEALTHCHECK snippet");
    assert_eq!(health["insertTextFormat"], 2);
    assert!(health["textEdit"]["newText"].as_str().unwrap().contains("127.0.0.1:${2:8080}/"), "{health}");
    assert_eq!(health["textEdit"]["range"], range(9, 0, 2));
    let resolved = server.request(3, "completionItem/resolve", health.clone());
    assert!(resolved["result"]["documentation"]["value"].as_str().unwrap().contains("HEALTHCHECK"), "{resolved}");
    // `$` in a RUN of the first stage: the stage's ARG, with its value.
    let completion = server.request(4, "textDocument/completion", at(4, 14));
    let items = completion["result"]["items"].as_array().unwrap();
    assert_eq!(items[0]["label"], "VERSION", "{completion}");
    assert_eq!(items[0]["detail"], "ARG VERSION = 3.20");

    let symbols = server.request(5, "textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    let names: Vec<&str> = symbols["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["VERSION", "build", "stage 1"], "{symbols}");
    assert_eq!(symbols["result"][1]["detail"], "alpine:${VERSION}");
    assert_eq!(symbols["result"][1]["children"].as_array().unwrap().len(), 2);
    let found = server.request(6, "workspace/symbol", json!({"query": "buil"}));
    assert_eq!(found["result"][0]["name"], "build", "{found}");
    assert_eq!(found["result"][0]["location"]["uri"], URI);

    let folds = server.request(7, "textDocument/foldingRange", json!({"textDocument": {"uri": URI}}));
    let spans: Vec<(u64, u64)> = folds["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, [(2, 4), (6, 9)], "{folds}");
}

/// Decodes semantic tokens into (line, character, length, type name, modifiers) with the legend.
fn decode(data: &Value, legend: &Value) -> Vec<(u64, u64, u64, String, u64)> {
    let data: Vec<u64> = data.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    let (mut line, mut character) = (0, 0);
    data.chunks(5)
        .map(|token| {
            if token[0] > 0 {
                character = 0;
            }
            line += token[0];
            character += token[1];
            let kind = legend["tokenTypes"][token[3] as usize].as_str().unwrap().to_owned();
            (line, character, token[2], kind, token[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_range_and_delta() {
    let (mut server, caps) = started_with_capabilities();
    let provider = &caps["semanticTokensProvider"];
    assert_eq!(provider["range"], true, "{caps}");
    assert_eq!(provider["full"]["delta"], true, "{caps}");
    let legend = provider["legend"].clone();
    assert_eq!(legend["tokenModifiers"][0], "declaration");

    let doc = json!({"textDocument": {"uri": URI}});
    let full = server.request(2, "textDocument/semanticTokens/full", doc.clone());
    let tokens = decode(&full["result"]["data"], &legend);
    let has = |tokens: &[(u64, u64, u64, String, u64)], want: (u64, u64, u64, &str, u64)| {
        tokens.iter().any(|t| (t.0, t.1, t.2, t.3.as_str(), t.4) == want)
    };
    // The comment after a 2-unit emoji is 10 UTF-16 units long (12 bytes).
    for want in [
        (0, 0, 10, "comment", 0),
        (1, 0, 3, "keyword", 0),
        (1, 4, 7, "variable", 1),
        (2, 5, 9, "namespace", 0),
        (2, 14, 7, "variable", 0),
        (2, 23, 2, "keyword", 0),
        (2, 26, 5, "class", 1),
        (4, 14, 7, "variable", 0),
        (7, 5, 6, "parameter", 0),
        (7, 12, 5, "class", 0),
        (8, 7, 4, "number", 0),
    ] {
        assert!(has(&tokens, want), "{want:?} in {tokens:?}");
    }
    let ranged = server.request(
        3,
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": URI}, "range": range(7, 0, 23)}),
    );
    let in_range = decode(&ranged["result"]["data"], &legend);
    assert_eq!(in_range.iter().map(|t| t.3.as_str()).collect::<Vec<_>>(), ["keyword", "parameter", "class"]);

    // Same tokens after an edit that keeps them: an empty delta; a new line: one edit that, applied to the
    // old data, gives the new full answer. Each edit brings the document to `version`, then asks for the
    // delta from the answer `previous`.
    let mut edit_then_delta = |version: i64, at: Value, text: &str, previous: &Value| {
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"range": at, "text": text}]}),
        );
        let params = json!({"textDocument": {"uri": URI}, "previousResultId": previous["result"]["resultId"]});
        server.request(version + 2, "textDocument/semanticTokens/full/delta", params)
    };
    let delta = edit_then_delta(2, range(8, 7, 11), "9090", &full);
    assert_eq!(delta["result"]["edits"], json!([]), "{delta}");
    let delta = edit_then_delta(3, range(5, 0, 0), "USER app\n", &delta);
    let edits = delta["result"]["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{delta}");
    let mut data: Vec<Value> = full["result"]["data"].as_array().unwrap().clone();
    let (start, count) =
        (edits[0]["start"].as_u64().unwrap() as usize, edits[0]["deleteCount"].as_u64().unwrap() as usize);
    data.splice(start..start + count, edits[0]["data"].as_array().unwrap().iter().cloned());
    let now = server.request(6, "textDocument/semanticTokens/full", doc);
    assert_eq!(Value::Array(data), now["result"]["data"]);
    // An unknown previous id gets the whole list.
    let unknown = server.request(
        7,
        "textDocument/semanticTokens/full/delta",
        json!({"textDocument": {"uri": URI}, "previousResultId": "nope"}),
    );
    assert_eq!(unknown["result"]["data"], now["result"]["data"]);
}

#[test]
fn inlay_hints_links_and_signature_help() {
    let mut server = started();
    let whole = json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0)});
    let mut whole = whole;
    whole["range"]["end"] = json!({"line": 99, "character": 0});
    let hints = server.request(2, "textDocument/inlayHint", whole.clone());
    let got: Vec<(u64, u64, &str)> = hints["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["position"]["character"].as_u64().unwrap(),
                h["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [(2, 22, "= 3.20"), (4, 27, "user: root (from alpine:3.20)"), (6, 22, "= 3.20")], "{hints}");
    // Each kind can be turned off.
    server
        .notify("workspace/didChangeConfiguration", json!({"settings": {"bulkhead": {"inlayHints": {"user": false}}}}));
    let hints = server.request(3, "textDocument/inlayHint", whole);
    let labels: Vec<&str> = hints["result"].as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["= 3.20", "= 3.20"], "{hints}");

    let links = server.request(4, "textDocument/documentLink", json!({"textDocument": {"uri": URI}}));
    let links = links["result"].as_array().unwrap();
    assert_eq!(links[0]["target"], "https://hub.docker.com/_/alpine", "{links:?}");
    assert_eq!(links[0]["range"], range(2, 5, 22));

    // On `--from=`, then on the source of a COPY.
    let help = server.request(5, "textDocument/signatureHelp", at(7, 8));
    let signature = &help["result"]["signatures"][help["result"]["activeSignature"].as_u64().unwrap() as usize];
    let label: Vec<u16> = signature["label"].as_str().unwrap().encode_utf16().collect();
    let active = |help: &Value| {
        let param = &signature["parameters"][help["result"]["activeParameter"].as_u64().unwrap() as usize]["label"];
        let (start, end) = (param[0].as_u64().unwrap() as usize, param[1].as_u64().unwrap() as usize);
        String::from_utf16(&label[start..end]).unwrap()
    };
    assert_eq!(active(&help), "--from=<stage|image|context>", "{help}");
    let help = server.request(6, "textDocument/signatureHelp", at(7, 19));
    assert_eq!(active(&help), "<src>…", "{help}");
    let none = server.request(7, "textDocument/signatureHelp", at(0, 3));
    assert_eq!(none["result"], Value::Null, "{none}");
}

/// A client that supports `workspace/inlayHint/refresh` is asked to request inlay hints again when the
/// inlay-hint settings change, and only then (not for other settings); a client without the support is
/// never asked.
#[test]
fn inlay_hint_settings_ask_the_client_to_refresh() {
    for supported in [true, false] {
        let mut server = Server::start();
        let mut params = initialize_params(Value::Null);
        params["capabilities"]["workspace"] = json!({"inlayHint": {"refreshSupport": supported}});
        initialize_with(&mut server, params);
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
        );
        // Changes the settings and counts the refresh requests that arrive before the answers to two
        // requests sent after it, the second 100 ms later (the refresh is sent without waiting for the
        // lint); answers each refresh as a client does.
        let refreshes = |server: &mut Server, first_id: i64, settings: Value| {
            server.notify("workspace/didChangeConfiguration", json!({"settings": {"bulkhead": settings}}));
            let seen = std::cell::RefCell::new(Vec::new());
            for id in [first_id, first_id + 1] {
                if id > first_id {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                server.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/foldingRange",
                    "params": {"textDocument": {"uri": URI}}}));
                server.wait_for(|m| {
                    if m["method"] == "workspace/inlayHint/refresh" {
                        seen.borrow_mut().push(m["id"].clone());
                    }
                    m["id"] == json!(id) && m.get("method").is_none()
                });
            }
            let seen = seen.into_inner();
            for id in &seen {
                server.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            seen.len()
        };
        let expected = usize::from(supported);
        assert_eq!(refreshes(&mut server, 10, json!({"inlayHints": {"user": false}})), expected, "{supported}");
        // Other settings only: the hints stay as they are.
        let other = json!({"inlayHints": {"user": false}, "ignore": ["BH201"]});
        assert_eq!(refreshes(&mut server, 20, other), 0, "{supported}");
        assert_eq!(refreshes(&mut server, 30, json!({"inlayHints": {"argValues": false}})), expected, "{supported}");
        // And the hints are the new settings' (the user hint back, the ARG values gone).
        let mut whole = json!({"textDocument": {"uri": URI}, "range": range(0, 0, 0)});
        whole["range"]["end"] = json!({"line": 99, "character": 0});
        let hints = server.request(40, "textDocument/inlayHint", whole);
        let labels: Vec<&str> =
            hints["result"].as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["user: root (from alpine:3.20)"], "{hints}");
    }
}
