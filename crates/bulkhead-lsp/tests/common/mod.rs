//! A small JSON-RPC client that drives the server in-process over `tokio::io::duplex` with real
//! Content-Length framing, plus an LSP position converter written independently of the server's.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const TIMEOUT: Duration = Duration::from_secs(60);

pub struct TestClient {
    writer: Option<WriteHalf<DuplexStream>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages from the server not consumed yet, in arrival order.
    backlog: VecDeque<Value>,
    next_id: i64,
    pub server: JoinHandle<()>,
    /// What the client answers to `workspace/configuration`.
    pub configuration: Value,
    /// The params of every `textDocument/publishDiagnostics`, in arrival order.
    pub published: Vec<Value>,
    pub utf8: bool,
}

/// Client capabilities: UTF-8 offered or not, versioned workspace edits, dynamic file watching.
pub fn capabilities(utf8: bool) -> Value {
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    json!({
        "general": { "positionEncodings": encodings },
        "workspace": {
            "workspaceEdit": { "documentChanges": true },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "configuration": true
        },
        "textDocument": { "publishDiagnostics": { "versionSupport": true } }
    })
}

impl TestClient {
    /// Starts a server and initializes it. Returns the client and the `initialize` result.
    pub async fn start(capabilities: Value, initialization_options: Option<Value>) -> (Self, Value) {
        Self::start_with(capabilities, initialization_options, bulkhead_lsp::EngineThreads::new()).await
    }

    /// [`Self::start`] on the given engine threads.
    pub async fn start_with(
        capabilities: Value,
        initialization_options: Option<Value>,
        engine: bulkhead_lsp::EngineThreads,
    ) -> (Self, Value) {
        let (client_side, server_side) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_side);
        let server = tokio::spawn(bulkhead_lsp::serve_with(server_read, server_write, engine));
        let (client_read, client_write) = tokio::io::split(client_side);
        let (tx, incoming) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(client_read);
            while let Some(message) = read_frame(&mut reader).await {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let utf8 = capabilities["general"]["positionEncodings"].as_array().is_some_and(|a| a.contains(&json!("utf-8")));
        let mut client = TestClient {
            writer: Some(client_write),
            incoming,
            backlog: VecDeque::new(),
            next_id: 1,
            server,
            configuration: Value::Null,
            published: Vec::new(),
            utf8,
        };
        let mut params = json!({ "processId": null, "rootUri": null, "capabilities": capabilities });
        if let Some(options) = initialization_options {
            params["initializationOptions"] = options;
        }
        let result = client.request("initialize", params).await.expect("initialize succeeds");
        client.notify("initialized", json!({})).await;
        (client, result)
    }

    async fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let writer = self.writer.as_mut().expect("the client's output is open");
        writer.write_all(frame.as_bytes()).await.unwrap();
        writer.flush().await.unwrap();
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params })).await;
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })).await;
        loop {
            let message = self.receive().await;
            if message.get("method").is_none() && message["id"] == json!(id) {
                return match message.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(message["result"].clone()),
                };
            }
            self.backlog.push_back(message);
        }
    }

    /// The next message from the server; requests from the server are answered on the way.
    async fn receive(&mut self) -> Value {
        let message = tokio::time::timeout(TIMEOUT, self.incoming.recv())
            .await
            .expect("the server answers in time")
            .expect("the server is running");
        self.handle(message).await
    }

    async fn handle(&mut self, message: Value) -> Value {
        if let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) {
            let result = match method {
                "workspace/configuration" => json!([self.configuration.clone()]),
                _ => Value::Null,
            };
            let id = id.clone();
            self.send(json!({ "jsonrpc": "2.0", "id": id, "result": result })).await;
        }
        if message["method"] == "textDocument/publishDiagnostics" {
            self.published.push(message["params"].clone());
        }
        message
    }

    /// Waits for a message from the server that `pred` accepts (looking at unconsumed ones first).
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(idx) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(idx).unwrap();
        }
        loop {
            let message = self.receive().await;
            if pred(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Messages already received that `pred` accepts, after a short pause for stragglers.
    pub async fn collect_for(&mut self, pause: Duration, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + pause;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            let message = self.handle(message).await;
            self.backlog.push_back(message);
        }
        self.backlog.iter().filter(|m| pred(m)).cloned().collect()
    }

    pub async fn wait_notification(&mut self, method: &str) -> Value {
        let method = method.to_owned();
        self.wait_for(move |m| m["method"] == method.as_str() && m.get("id").is_none()).await["params"].clone()
    }

    /// Drops unconsumed published diagnostics, so the next wait sees only new ones.
    pub fn forget_diagnostics(&mut self) {
        self.backlog.retain(|m| m["method"] != "textDocument/publishDiagnostics");
    }

    /// The diagnostics published for `uri` at `version`; publications for other versions are skipped.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let uri = uri.to_owned();
        loop {
            let message = self
                .wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str())
                .await;
            if message["params"]["version"] == json!(version) {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
        }
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "dockerfile", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document })).await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        let document = json!({ "uri": uri, "version": version });
        self.notify("textDocument/didChange", json!({ "textDocument": document, "contentChanges": changes })).await;
    }

    pub async fn hover(&mut self, uri: &str, position: Value) -> Value {
        let params = json!({ "textDocument": { "uri": uri }, "position": position });
        self.request("textDocument/hover", params).await.expect("hover succeeds")
    }

    pub async fn code_actions(
        &mut self,
        uri: &str,
        range: Value,
        diagnostics: Vec<Value>,
        only: Option<&str>,
    ) -> Vec<Value> {
        let mut context = json!({ "diagnostics": diagnostics });
        if let Some(only) = only {
            context["only"] = json!([only]);
        }
        let params = json!({ "textDocument": { "uri": uri }, "range": range, "context": context });
        let result = self.request("textDocument/codeAction", params).await.expect("codeAction succeeds");
        result.as_array().cloned().unwrap_or_default()
    }

    /// Closes the client's output: the server sees end of input.
    pub async fn close_input(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            writer.shutdown().await.unwrap();
        }
    }

    pub async fn server_stops(self) -> bool {
        tokio::time::timeout(Duration::from_secs(5), self.server).await.is_ok()
    }
}

async fn read_frame(reader: &mut BufReader<tokio::io::ReadHalf<DuplexStream>>) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

/// Line starts of a text as LSP counts lines (`\n`, `\r\n`, lone `\r`). Written apart from the server.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut idx = 0;
    while idx < bytes.len() {
        match bytes[idx] {
            b'\r' if bytes.get(idx + 1) == Some(&b'\n') => {
                idx += 2;
                starts.push(idx);
            }
            b'\r' | b'\n' => {
                idx += 1;
                starts.push(idx);
            }
            _ => idx += 1,
        }
    }
    starts
}

fn units(text: &str, utf8: bool) -> usize {
    if utf8 { text.len() } else { text.encode_utf16().count() }
}

/// The LSP position of a byte offset.
pub fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let starts = line_starts(text);
    let line = starts.iter().rposition(|&start| start <= offset).unwrap();
    json!({ "line": line, "character": units(&text[starts[line]..offset], utf8) })
}

pub fn range(text: &str, start: usize, end: usize, utf8: bool) -> Value {
    json!({ "start": position(text, start, utf8), "end": position(text, end, utf8) })
}

/// The byte offset of an LSP position (exact: the test only sends valid ones).
pub fn offset(text: &str, position: &Value, utf8: bool) -> usize {
    let starts = line_starts(text);
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start = starts[line];
    let mut counted = 0;
    for (idx, ch) in text[start..].char_indices() {
        if counted >= character {
            return start + idx;
        }
        counted += if utf8 { ch.len_utf8() } else { ch.len_utf16() };
    }
    text.len()
}

/// The text edits of a code action's workspace edit, for `uri`.
pub fn action_edits(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes
            .iter()
            .filter(|c| c["textDocument"]["uri"] == uri)
            .flat_map(|c| c["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// Applies LSP text edits (all relative to `text`) and returns the new text.
pub fn apply_text_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = offset(text, &e["range"]["start"], utf8);
            let end = offset(text, &e["range"]["end"], utf8);
            (start, end, e["newText"].as_str().unwrap().to_owned())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut res = text.to_owned();
    for (start, end, new_text) in spans {
        res.replace_range(start..end, &new_text);
    }
    res
}

/// The edits as `didChange` content changes that apply one after the other: from the last to the first.
pub fn as_content_changes(edits: &[Value], text: &str, utf8: bool) -> Value {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| std::cmp::Reverse(offset(text, &e["range"]["start"], utf8)));
    Value::Array(sorted.into_iter().map(|e| json!({ "range": e["range"], "text": e["newText"] })).collect())
}

/// `(code, severity, message, range)` of diagnostics as the server sends them.
pub fn summarize(diagnostics: &[Value]) -> Vec<(String, i64, String, Value)> {
    let mut res: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_i64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_owned(),
                d["range"].clone(),
            )
        })
        .collect();
    res.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    res
}

/// What the server must publish for `text`: the engine's report, converted by this module.
pub fn expected(
    text: &str,
    build: &bulkhead_analysis::BuildContext,
    settings: &bulkhead_analysis::Settings,
    utf8: bool,
) -> Vec<(String, i64, String, Value)> {
    let report = bulkhead_analysis::check(text, build, settings);
    let converted: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let severity = match d.severity {
                bulkhead_analysis::Severity::Error => 1,
                bulkhead_analysis::Severity::Warning => 2,
                bulkhead_analysis::Severity::Info => 3,
                bulkhead_analysis::Severity::Hint => 4,
            };
            json!({
                "code": d.code,
                "severity": severity,
                "message": d.message,
                "range": range(text, d.range.start, d.range.end, utf8),
            })
        })
        .collect();
    summarize(&converted)
}

/// A `file:` URI for a file name inside a fresh temporary folder (kept alive by the returned guard).
pub fn temp_uri(name: &str) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let uri = format!("file://{}", path.display());
    (dir, path, uri)
}
