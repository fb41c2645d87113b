//! `bulkhead lsp` as editors start it: the built binary over real stdin/stdout.
//! The protocol itself is tested in depth in-process (crates/bulkhead-lsp/tests); this checks the
//! binary end to end: initialize, diagnostics for an opened file, hover, and both ways of ending.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bulkhead"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bulkhead lsp starts");
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

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the first message that `pick` accepts.
    fn wait_for(&self, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(left).expect("the server answers in time");
            if pick(&message) {
                return message;
            }
        }
    }

    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn exits_within(&mut self, limit: Duration) -> bool {
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

fn initialize(server: &mut Server) -> Value {
    let capabilities = json!({"general": {"positionEncodings": ["utf-16"]}});
    let result =
        server.request(1, "initialize", json!({"processId": null, "rootUri": null, "capabilities": capabilities}));
    server.notify("initialized", json!({}));
    result
}

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
