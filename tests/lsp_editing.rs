//! The editing features of `bulkhead lsp` through the built binary over stdio: each is advertised in
//! `initialize` and answers on a real document (positions in UTF-16, with a character outside the BMP
//! before the names so a byte/UTF-16 mix-up shows): definition, references, document highlight,
//! prepareRename and rename (refusals included), completion and its resolve, document and workspace
//! symbols, folding ranges.

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
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    server
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
