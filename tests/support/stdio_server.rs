//! A small LSP client for tests: `bulkhead lsp` started as a child process, spoken to over its real stdin
//! and stdout.
#![allow(dead_code)] // Each test file uses its own part of it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Server {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub incoming: Receiver<Value>,
}

/// `bulkhead lsp` with piped stdin and stdout, nobody reading yet.
pub fn spawn() -> Child {
    spawn_with_env(&[])
}

/// [`spawn`] with extra environment variables (a private cache directory, a docker config).
pub fn spawn_with_env(env: &[(&str, &std::path::Path)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_bulkhead"))
        .arg("lsp")
        // A fixed date for the end-of-life rule (BH106), so that what the tests expect does not age.
        .env("BULKHEAD_TODAY", "2026-12-01")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("bulkhead lsp starts")
}

impl Server {
    /// Starts the server with a thread that reads and parses everything it writes.
    pub fn start() -> Self {
        Self::start_with_env(&[])
    }

    /// [`Self::start`] with extra environment variables.
    pub fn start_with_env(env: &[(&str, &std::path::Path)]) -> Self {
        let mut child = spawn_with_env(env);
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Server { child, stdin, incoming }
    }

    /// Writes bytes as they are: for broken frames.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// A memory figure of the server process from `/proc/<pid>/status`, in KiB: `VmRSS` now, `VmHWM` peak.
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|line| line.starts_with(field)).unwrap();
        line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().unwrap()
    }

    pub fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the first message that `pick` accepts.
    pub fn wait_for(&self, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(left).expect("the server answers in time");
            if std::env::var("LSP_DEBUG").is_ok() {
                eprintln!("<- {message}");
            }
            if pick(&message) {
                return message;
            }
        }
    }

    pub fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn exits_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        false
    }
}

pub fn initialize(server: &mut Server) -> Value {
    initialize_with(server, initialize_params(Value::Null))
}

/// The params of `initialize` (UTF-16 positions) with these `initializationOptions`.
pub fn initialize_params(options: Value) -> Value {
    let capabilities = json!({"general": {"positionEncodings": ["utf-16"]}});
    json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options})
}

/// `initialize` (id 1) with these params, then `initialized`.
pub fn initialize_with(server: &mut Server, params: Value) -> Value {
    let result = server.request(1, "initialize", params);
    server.notify("initialized", json!({}));
    result
}

/// `text` with LSP edits applied (ASCII text: characters are bytes), last edit first.
pub fn apply_lsp_edits(text: &str, edits: &Value) -> String {
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(idx, _)| idx + 1)).collect();
    let offset = |p: &Value| starts[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize;
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_owned()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}
