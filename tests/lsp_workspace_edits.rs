//! Code actions that reach beyond the open document, over stdio against the built binary.
//!
//! - BH801's "Create `.dockerignore`" is a `CreateFile` in the workspace, offered only to clients that can
//!   create files; applied the way a client applies it (then `didChangeWatchedFiles`), BH801 goes away.
//! - Issue 7's guarantee: no code action of the server, on any file of the dev corpus and on documents
//!   behind a symbolic link or outside the workspace, edits or creates anything outside the workspace,
//!   whatever the workspace's `.bulkhead.toml` says. Every action offered is applied; afterwards nothing
//!   outside the workspace has changed.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde_json::{Value, json};
use stdio_server::{Server, initialize_with};

/// Client capabilities: UTF-16 positions, versioned edits, file watching, and the `create` resource
/// operation when `create` is set.
fn capabilities(create: bool) -> Value {
    let operations = if create { json!(["create", "rename", "delete"]) } else { json!([]) };
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "workspace": {
            "workspaceEdit": {"documentChanges": true, "resourceOperations": operations, "failureHandling": "abort"},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceFolders": true
        }
    })
}

fn file_uri(path: &Path) -> String {
    let mut res = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => res.push(byte as char),
            _ => res.push_str(&format!("%{byte:02X}")),
        }
    }
    res
}

fn uri_path(uri: &str) -> PathBuf {
    let raw = uri.strip_prefix("file://").unwrap_or_else(|| panic!("not a file URI: {uri}"));
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut idx = 0;
    while idx < bytes.len() {
        if bytes[idx] == b'%' {
            out.push(u8::from_str_radix(&raw[idx + 1..idx + 3], 16).unwrap());
            idx += 3;
        } else {
            out.push(bytes[idx]);
            idx += 1;
        }
    }
    PathBuf::from(String::from_utf8(out).unwrap())
}

/// Starts a server on the workspace folder `root`.
fn start(root: &Path, create: bool) -> Server {
    let mut server = Server::start();
    let folder = json!([{"uri": file_uri(root), "name": "ws"}]);
    let params = json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": folder,
        "capabilities": capabilities(create),
    });
    initialize_with(&mut server, params);
    server
}

/// Opens a document and returns the diagnostics first published for it.
fn open(server: &mut Server, uri: &str, text: &str) -> Vec<Value> {
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    let published = server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    published["params"]["diagnostics"].as_array().unwrap().clone()
}

/// Every code action for the whole document, all diagnostics given.
fn actions(server: &mut Server, id: i64, uri: &str, diagnostics: &[Value]) -> Vec<Value> {
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}});
    let response = server.request(
        id,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": diagnostics}}),
    );
    assert!(response.get("error").is_none(), "{response}");
    response["result"].as_array().cloned().unwrap_or_default()
}

/// Every URI an action's workspace edit names: edited documents, created, renamed and deleted files.
fn uris_of(action: &Value) -> Vec<String> {
    let edit = &action["edit"];
    let mut res: Vec<String> = edit["changes"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        match change["kind"].as_str() {
            Some("rename") => {
                res.extend([&change["oldUri"], &change["newUri"]].map(|u| u.as_str().unwrap().to_owned()))
            }
            Some(_) => res.push(change["uri"].as_str().unwrap().to_owned()),
            None => res.push(change["textDocument"]["uri"].as_str().unwrap().to_owned()),
        }
    }
    assert!(action.get("command").is_none(), "actions run no commands: {action}");
    res
}

/// True when `path` is inside `root` (canonical): as written, without `.` or `..`, and with the links of
/// its existing part resolved.
fn inside(root: &Path, path: &Path) -> bool {
    if !path.components().all(|c| matches!(c, Component::RootDir | Component::Normal(_))) || !path.starts_with(root) {
        return false;
    }
    let mut existing = path;
    while fs::symlink_metadata(existing).is_err() {
        existing = existing.parent().unwrap();
    }
    fs::canonicalize(existing).is_ok_and(|resolved| resolved.starts_with(root))
}

/// Byte offset of an LSP position (UTF-16 columns) in `text`.
fn offset(text: &str, position: &Value) -> usize {
    let (line, character) = (position["line"].as_u64().unwrap() as usize, position["character"].as_u64().unwrap());
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (idx, ch) in text[start..].char_indices() {
        if units >= character || ch == '\n' {
            return start + idx;
        }
        units += ch.len_utf16() as u64;
    }
    text.len()
}

fn apply_text_edits(text: &str, edits: &[Value]) -> String {
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(text, &e["range"]["start"]), offset(text, &e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = text.to_owned();
    for (start, end, new_text) in ranges {
        out.replace_range(start..end, new_text);
    }
    out
}

/// Applies a workspace edit as an editor does: resource operations on disk, honouring their options; text
/// edits to the open document in `open` (its buffer), to any other file on disk.
fn apply(edit: &Value, open: &mut (String, String)) {
    for change in edit["documentChanges"].as_array().into_iter().flatten() {
        match change["kind"].as_str() {
            Some("create") => {
                let path = uri_path(change["uri"].as_str().unwrap());
                let options = &change["options"];
                let exists = fs::symlink_metadata(&path).is_ok();
                assert!(!exists || options["ignoreIfExists"] == true, "create over an existing {}", path.display());
                assert_ne!(options["overwrite"], true, "a create that overwrites: {change}");
                if !exists {
                    fs::OpenOptions::new().write(true).create_new(true).open(&path).unwrap();
                }
            }
            Some(other) => panic!("unexpected resource operation {other}: {change}"),
            None => {
                let uri = change["textDocument"]["uri"].as_str().unwrap();
                let edits = change["edits"].as_array().unwrap();
                if uri == open.0 {
                    open.1 = apply_text_edits(&open.1, edits);
                } else {
                    let path = uri_path(uri);
                    let text = fs::read_to_string(&path).unwrap();
                    fs::write(&path, apply_text_edits(&text, edits)).unwrap();
                }
            }
        }
    }
    for (uri, edits) in edit["changes"].as_object().into_iter().flatten() {
        assert_eq!(*uri, open.0, "an edit of another document than the open one");
        open.1 = apply_text_edits(&open.1, edits.as_array().unwrap());
    }
}

const NODE_APP: &str = "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";

#[test]
fn create_dockerignore_is_offered_inside_the_workspace_and_applying_it_clears_bh801() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = fs::canonicalize(tmp.path()).unwrap();
    let doc = ws.join("app/Dockerfile");
    fs::create_dir_all(doc.parent().unwrap()).unwrap();
    fs::write(&doc, NODE_APP).unwrap();
    let uri = file_uri(&doc);

    // A client that cannot create files is not offered the action.
    let mut plain = start(&ws, false);
    let diagnostics = open(&mut plain, &uri, NODE_APP);
    let bh801: Vec<Value> = diagnostics.iter().filter(|d| d["code"] == "BH801").cloned().collect();
    assert_eq!(bh801.len(), 1, "{diagnostics:?}");
    let titles: Vec<String> =
        actions(&mut plain, 2, &uri, &bh801).iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect();
    assert!(!titles.iter().any(|t| t.starts_with("Create")), "{titles:?}");

    let mut server = start(&ws, true);
    let diagnostics = open(&mut server, &uri, NODE_APP);
    let bh801: Vec<Value> = diagnostics.iter().filter(|d| d["code"] == "BH801").cloned().collect();
    let offered = actions(&mut server, 2, &uri, &bh801);
    let action = offered
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Create `.dockerignore`"))
        .unwrap_or_else(|| panic!("no create action in {offered:?}"));
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], false, "an unsafe fix is not the preferred one");
    let created = ws.join("app/.dockerignore");
    let changes = action["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(
        changes[0],
        json!({"kind": "create", "uri": file_uri(&created), "options": {"overwrite": false, "ignoreIfExists": true}})
    );
    assert_eq!(changes[1]["textDocument"], json!({"uri": file_uri(&created), "version": null}));
    assert_eq!(changes.len(), 2, "the Dockerfile itself is not edited: {changes:?}");

    let mut buffer = (uri.clone(), NODE_APP.to_owned());
    apply(&action["edit"], &mut buffer);
    assert_eq!(buffer.1, NODE_APP);
    let content = fs::read_to_string(&created).unwrap();
    assert!(content.contains("\n**/node_modules\n") && content.contains("\n**/.env\n"), "{content}");

    server.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&created), "type": 1}]}));
    // The server re-reads the build context and publishes again, without BH801 (the wait fails otherwise).
    let codes = |m: &Value| -> Vec<String> {
        let diagnostics = m["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        diagnostics.iter().filter_map(|d| d["code"].as_str().map(str::to_owned)).collect()
    };
    let republished = server.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !codes(m).iter().any(|c| c == "BH801")
    });
    assert!(codes(&republished).iter().any(|c| c == "BH201"), "the other findings stay: {republished}");
    // With the file there, the action is not offered again, even for the old diagnostic.
    let again = actions(&mut server, 3, &uri, &bh801);
    assert!(!again.iter().any(|a| a["title"].as_str().unwrap().starts_with("Create")), "{again:?}");
}

/// Everything under `dir`, with contents, to compare before and after.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut res = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
                res.push((path, None));
            } else {
                res.push((path.clone(), fs::read(&path).ok()));
            }
        }
    }
    res.sort();
    res
}

#[test]
fn no_code_action_reaches_outside_the_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let base = fs::canonicalize(tmp.path()).unwrap();
    let (ws, outside) = (base.join("ws"), base.join("outside"));
    fs::create_dir_all(&ws).unwrap();
    fs::create_dir_all(outside.join("linked")).unwrap();
    // A configuration that tries every string it has on a path outside; none of them names a file to write.
    fs::write(
        ws.join(".bulkhead.toml"),
        "select = [\"ALL\"]\ntrusted-registries = [\"../outside\", \"/tmp\"]\n\
         [secrets]\nextra-words = [\"../outside/.dockerignore\"]\n",
    )
    .unwrap();
    // A folder of the workspace that is a link to a folder outside it, and a document outside altogether.
    std::os::unix::fs::symlink(outside.join("linked"), ws.join("escape")).unwrap();
    fs::write(outside.join("linked/Dockerfile"), NODE_APP).unwrap();
    fs::write(outside.join("Dockerfile"), NODE_APP).unwrap();

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dev");
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 472);
    let mut documents = Vec::new();
    for (idx, file) in files.iter().enumerate() {
        // Each in its own folder with no `.dockerignore`: every `COPY .` offers to create one.
        let path = ws.join(format!("corpus/{idx:03}/Dockerfile"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = String::from_utf8_lossy(&fs::read(file).unwrap()).into_owned();
        fs::write(&path, &text).unwrap();
        documents.push((path, text));
    }
    documents.push((ws.join("escape/Dockerfile"), NODE_APP.to_owned()));
    documents.push((outside.join("Dockerfile"), NODE_APP.to_owned()));
    let outside_before = snapshot_tree(&outside);

    let mut server = start(&ws, true);
    let (mut total, mut creating) = (0, 0);
    for (n, (path, text)) in documents.iter().enumerate() {
        let uri = file_uri(path);
        let diagnostics = open(&mut server, &uri, text);
        let offered = actions(&mut server, 10 + n as i64, &uri, &diagnostics);
        let own_folder_in_workspace =
            inside(&ws, path) && fs::canonicalize(path.parent().unwrap()).unwrap().starts_with(&ws);
        if !own_folder_in_workspace {
            // BH801 is there, so the missing create action is the workspace check at work.
            assert!(diagnostics.iter().any(|d| d["code"] == "BH801"), "{}: {diagnostics:?}", path.display());
        }
        for action in &offered {
            total += 1;
            for target in uris_of(action) {
                if target == uri {
                    // The open document itself: a buffer edit of what the user opened.
                    continue;
                }
                creating += 1;
                let target = uri_path(&target);
                assert!(
                    own_folder_in_workspace,
                    "{}: an action names {} for a document outside",
                    path.display(),
                    target.display()
                );
                assert!(
                    inside(&ws, &target),
                    "{}: an action names {} outside the workspace",
                    path.display(),
                    target.display()
                );
            }
            // Run it as a client would.
            let mut buffer = (uri.clone(), text.clone());
            apply(&action["edit"], &mut buffer);
        }
        // The next document's create must not find the file of this one: each folder is its own.
        server.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    }
    // Ten corpus files copy the whole context, some twice: each offers the file (a create and its content).
    assert!(total > 2000 && creating >= 20, "{total} actions, {creating} naming another file than the document");
    assert_eq!(snapshot_tree(&outside), outside_before, "something outside the workspace changed");
    assert!(!outside.join("linked/.dockerignore").exists() && !outside.join(".dockerignore").exists());
}
