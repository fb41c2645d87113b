//! The server's first line of defence against a broken or hostile client: stdin is split into LSP frames
//! here, on a plain thread, before tower-lsp-server sees a byte.
//!
//! tower-lsp-server buffers a message until its `Content-Length` has arrived, whatever the length says;
//! this layer bounds what is held in memory:
//! - a header section longer than [`MAX_HEADER_BYTES`] or a header line that never ends is dropped;
//! - a message longer than [`MAX_MESSAGE_BYTES`] is read through and thrown away as it streams in, never
//!   buffered, and answered with an error for its `id` (found by a scan of its first bytes);
//! - a header section without a usable `Content-Length` is answered with a parse error;
//! - a body that is not JSON, or not a JSON-RPC message, is answered with a parse error or an invalid
//!   request error. This one matters most: tower-lsp-server reads its input through tokio-util's
//!   `FramedRead`, which ends the stream after the first decoding error, so a single malformed message
//!   would otherwise end the whole session.
//!
//! The rejections go to the server as a synthetic request, `bulkhead/rejectMessage`, that carries the
//! client's `id` (or `null`) and the reason; the server answers it with an error, so the client gets a
//! JSON-RPC error for the message it sent and the output stays one well-formed stream. Well-formed frames
//! pass through unchanged (the `Content-Type` header aside, which the LSP makes optional).
//!
//! This module owns the frame format on both sides: reading (`pump`), and writing ([`frame`],
//! [`notification`], and [`whole_frame_len`] for the output stream, which forwards whole frames only).

use std::io::{self, BufRead, BufReader, Read};

use serde_json::{Value, json};

/// The largest message the server accepts. A `didOpen` of a 50,000-line Dockerfile is about 2 MB.
pub const MAX_MESSAGE_BYTES: usize = 16 << 20;
/// The largest header section (all header lines of one message).
pub const MAX_HEADER_BYTES: usize = 8 << 10;
/// How much of a rejected message is scanned for its `id`.
const ID_SCAN_BYTES: usize = 64 << 10;
/// The synthetic request that reports a rejected message.
pub const REJECT_METHOD: &str = "bulkhead/rejectMessage";

/// Why a message was rejected: the error code and message its `bulkhead/rejectMessage` carries.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    /// No usable `Content-Length`: a JSON-RPC parse error.
    BadHeader(String),
    /// Over the size limit: an invalid request.
    TooLarge { bytes: u64 },
    /// The body is not JSON.
    NotJson(String),
    /// The body is JSON but not a JSON-RPC request, notification or response.
    NotJsonRpc,
}

impl Rejection {
    pub fn code(&self) -> i64 {
        match self {
            Rejection::BadHeader(_) | Rejection::NotJson(_) => -32700,
            Rejection::TooLarge { .. } | Rejection::NotJsonRpc => -32600,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Rejection::BadHeader(reason) => format!("malformed message header: {reason}"),
            Rejection::TooLarge { bytes } => {
                format!("message of {bytes} bytes exceeds the limit of {MAX_MESSAGE_BYTES} bytes; it was discarded")
            }
            Rejection::NotJson(reason) => format!("the message is not JSON: {reason}"),
            Rejection::NotJsonRpc => "the message is not a JSON-RPC 2.0 request, notification or response".to_owned(),
        }
    }
}

/// Reads frames from `input` and hands each one to `forward` as the bytes tower-lsp-server should read.
/// Returns at the end of input (also in the middle of a message) or when `forward` returns false.
pub fn pump(input: impl Read, mut forward: impl FnMut(Vec<u8>) -> bool) {
    let mut reader = BufReader::with_capacity(64 << 10, input);
    loop {
        let read = match read_frame(&mut reader) {
            Ok(Some(read)) => read,
            Ok(None) | Err(_) => return,
        };
        let read = match read {
            Frame::Message(body) => checked(body),
            rejected => rejected,
        };
        let (bytes, skip) = match read {
            // Tolerated as tower-lsp-server does: nothing to answer.
            Frame::Message(body) if body.is_empty() => continue,
            Frame::Message(body) => (frame(&body), 0),
            Frame::Rejected { id, rejection, skip } => (frame(reject_request(id, &rejection).as_bytes()), skip),
        };
        if !forward(bytes) {
            return;
        }
        // The rest of a rejected message is read after the client has its answer: a client that claims a
        // huge length and then waits hears back at once.
        if discard(&mut reader, skip).is_err() {
            return;
        }
    }
}

/// The message itself when tower-lsp-server can decode it (as a request, a notification or a response), else
/// its rejection.
fn checked(body: Vec<u8>) -> Frame {
    use tower_lsp_server::jsonrpc::{Request, Response};
    if body.is_empty()
        || serde_json::from_slice::<Request>(&body).is_ok()
        || serde_json::from_slice::<Response>(&body).is_ok()
    {
        return Frame::Message(body);
    }
    let rejection = match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
        Err(err) => Rejection::NotJson(err.to_string()),
        Ok(_) => Rejection::NotJsonRpc,
    };
    Frame::Rejected { id: top_level_id(&body).unwrap_or(Value::Null), rejection, skip: 0 }
}

/// A message body as a whole LSP frame: the `Content-Length` header, then the body. This is how
/// tower-lsp-server reads and writes messages.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// A JSON-RPC notification as a whole LSP frame.
pub(crate) fn notification(method: &str, params: &impl serde::Serialize) -> serde_json::Result<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    Ok(frame(&serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params })?))
}

/// The length of the first frame in `bytes` when it is whole: its header section and `Content-Length`
/// bytes of body (as [`frame`] writes them).
pub(crate) fn whole_frame_len(bytes: &[u8]) -> Option<usize> {
    let header_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let headers = std::str::from_utf8(&bytes[..header_end]).ok()?;
    let body_len: usize = headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    })?;
    let len = header_end.checked_add(body_len)?;
    (bytes.len() >= len).then_some(len)
}

/// The synthetic request for a rejected message.
fn reject_request(id: Value, rejection: &Rejection) -> String {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": REJECT_METHOD,
        "params": {"code": rejection.code(), "message": rejection.message()},
    })
    .to_string()
}

#[derive(Debug, PartialEq)]
enum Frame {
    Message(Vec<u8>),
    /// `skip`: how many bytes of the rejected message are still to be read and thrown away.
    Rejected {
        id: Value,
        rejection: Rejection,
        skip: u64,
    },
}

/// Reads the next frame; `None` at the end of input.
fn read_frame(reader: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<Result<u64, String>> = None;
    let mut header_bytes = 0;
    let mut seen_any = false;
    loop {
        let line = match read_line_bounded(reader, MAX_HEADER_BYTES)? {
            Line::Eof => return Ok(None),
            Line::TooLong => {
                return Ok(Some(Frame::Rejected {
                    id: Value::Null,
                    rejection: Rejection::BadHeader(format!("a header line is longer than {MAX_HEADER_BYTES} bytes")),
                    skip: 0,
                }));
            }
            Line::Complete(line) => line,
        };
        header_bytes += line.len();
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !seen_any {
                // Blank lines between messages: tolerated, as tower-lsp-server does.
                continue;
            }
            break;
        }
        seen_any = true;
        if header_bytes > MAX_HEADER_BYTES {
            return Ok(Some(Frame::Rejected {
                id: Value::Null,
                rejection: Rejection::BadHeader(format!("the header section is longer than {MAX_HEADER_BYTES} bytes")),
                skip: 0,
            }));
        }
        // After a message shorter than its Content-Length claimed, the rest of it runs into the next header
        // line: resynchronise on the header, as tower-lsp-server does (the short message already got its
        // parse error).
        let text = match text.to_ascii_lowercase().find("content-length:") {
            Some(at) => &text[at..],
            None => text,
        };
        let Some((name, value)) = text.split_once(':') else {
            length = Some(Err(format!("`{}` is not a header", shorten(text))));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            length =
                Some(value.parse::<u64>().map_err(|_| format!("Content-Length `{}` is not a number", shorten(value))));
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(reason)) => {
            return Ok(Some(Frame::Rejected { id: Value::Null, rejection: Rejection::BadHeader(reason), skip: 0 }));
        }
        None => {
            let reason = "no Content-Length header".to_owned();
            return Ok(Some(Frame::Rejected { id: Value::Null, rejection: Rejection::BadHeader(reason), skip: 0 }));
        }
    };
    if length > MAX_MESSAGE_BYTES as u64 {
        let prefix = read_prefix(reader, length.min(ID_SCAN_BYTES as u64) as usize)?;
        let id = top_level_id(&prefix).unwrap_or(Value::Null);
        let skip = length - prefix.len() as u64;
        return Ok(Some(Frame::Rejected { id, rejection: Rejection::TooLarge { bytes: length }, skip }));
    }
    let mut body = vec![0; length as usize];
    reader.read_exact(&mut body)?;
    Ok(Some(Frame::Message(body)))
}

/// A header line for error messages: at most 60 characters.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

enum Line {
    Complete(Vec<u8>),
    /// Longer than the limit: read through to its end and dropped.
    TooLong,
    Eof,
}

/// Reads one line (with its `\n`), holding at most `limit` bytes of it.
fn read_line_bounded(reader: &mut impl BufRead, limit: usize) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            // The input ended inside a line: nothing more will come to complete it.
            return Ok(Line::Eof);
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long && line.len() + used <= limit {
            line.extend_from_slice(chunk);
        } else {
            too_long = true;
            line.clear();
        }
        reader.consume(used);
        if done {
            return Ok(if too_long { Line::TooLong } else { Line::Complete(line) });
        }
    }
}

/// Reads up to `limit` bytes: what has arrived of the first `limit` (at least one read's worth).
fn read_prefix(reader: &mut impl BufRead, limit: usize) -> io::Result<Vec<u8>> {
    let available = reader.fill_buf()?;
    if available.is_empty() && limit > 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let prefix = available[..available.len().min(limit)].to_vec();
    reader.consume(prefix.len());
    Ok(prefix)
}

/// Reads `length` bytes without keeping them.
fn discard(reader: &mut impl BufRead, length: u64) -> io::Result<()> {
    let copied = io::copy(&mut reader.take(length), &mut io::sink())?;
    match copied == length {
        true => Ok(()),
        false => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// The value of the top-level `"id"` member of a (possibly truncated) JSON object: a number or a string.
fn top_level_id(json: &[u8]) -> Option<Value> {
    let mut depth = 0usize;
    let mut i = 0;
    // Whether the string that starts at `i` is an object key at depth 1.
    let mut expect_key = false;
    while i < json.len() {
        match json[i] {
            b'{' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => expect_key = depth == 1,
            b'"' => {
                let end = string_end(json, i)?;
                if expect_key && depth == 1 && &json[i..=end] == b"\"id\"" {
                    let rest = &json[end + 1..];
                    let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
                    if rest[colon] != b':' {
                        return None;
                    }
                    return scalar(&rest[colon + 1..]);
                }
                expect_key = false;
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the closing quote of the string that starts at `start`.
fn string_end(json: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A JSON number or string at the start of `text` (after whitespace).
fn scalar(text: &[u8]) -> Option<Value> {
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    let end = match text.first()? {
        b'"' => string_end(text, 0)? + 1,
        _ => text.iter().position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace()).unwrap_or(text.len()),
    };
    match serde_json::from_slice::<Value>(&text[..end]).ok()? {
        value @ (Value::Number(_) | Value::String(_)) => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_frame_len_needs_the_whole_body() {
        let whole = super::frame(br#"{"a":1}"#);
        assert_eq!(super::whole_frame_len(&whole), Some(whole.len()));
        assert_eq!(super::whole_frame_len(&whole[..whole.len() - 1]), None);
        assert_eq!(super::whole_frame_len(&whole[..10]), None);
        let mut two = whole.clone();
        two.extend_from_slice(&super::frame(b"{}"));
        assert_eq!(super::whole_frame_len(&two), Some(whole.len()));
    }

    #[test]
    fn notification_is_a_frame_of_json_rpc() {
        let frame = super::notification("x/y", &serde_json::json!({"k": [1, 2]})).unwrap();
        assert_eq!(super::whole_frame_len(&frame), Some(frame.len()));
        // And the reading side takes it back as one message.
        let mut bodies = Vec::new();
        super::pump(&frame[..], |forwarded| {
            bodies.push(forwarded);
            true
        });
        assert_eq!(bodies, std::slice::from_ref(&frame));
        let body = &frame[frame.iter().position(|&b| b == b'{').unwrap()..];
        let value: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(value, serde_json::json!({"jsonrpc": "2.0", "method": "x/y", "params": {"k": [1, 2]}}));
    }

    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = BufReader::with_capacity(7, input);
        std::iter::from_fn(|| read_frame(&mut reader).ok().flatten()).collect()
    }

    #[test]
    fn well_formed_frames_pass() {
        let input = b"Content-Length: 2\r\n\r\n{}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 3\r\n\r\n[1]";
        assert_eq!(frames(input), [Frame::Message(b"{}".to_vec()), Frame::Message(b"[1]".to_vec())]);
    }

    #[test]
    fn bad_headers_are_rejected_and_reading_goes_on() {
        let input = b"Content-Length: ten\r\n\r\nnoise\r\n\r\nContent-Length: 2\r\n\r\n{}";
        let got = frames(input);
        assert!(matches!(&got[0], Frame::Rejected { rejection: Rejection::BadHeader(r), .. } if r.contains("ten")));
        assert!(matches!(&got[1], Frame::Rejected { rejection: Rejection::BadHeader(r), .. } if r.contains("noise")));
        assert_eq!(got[2], Frame::Message(b"{}".to_vec()));
    }

    #[test]
    fn oversized_messages_are_discarded_with_their_id() {
        let body =
            format!(r#"{{"jsonrpc":"2.0","params":{{"id":"inner","x":"{}"}},"id":42,"method":"m"}}"#, "a".repeat(100));
        let mut input = format!("Content-Length: {}\r\n\r\n{body}", MAX_MESSAGE_BYTES + 1).into_bytes();
        input.extend(std::iter::repeat_n(b' ', MAX_MESSAGE_BYTES + 1 - body.len()));
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{exit}", exit.len()).as_bytes());
        let mut forwarded = Vec::new();
        pump(&input[..], |frame| {
            forwarded.push(String::from_utf8(frame).unwrap());
            true
        });
        assert_eq!(forwarded.len(), 2, "{forwarded:?}");
        let rejected: Value = serde_json::from_str(forwarded[0].split_once("\r\n\r\n").unwrap().1).unwrap();
        assert_eq!((&rejected["id"], &rejected["method"]), (&json!(42), &json!(REJECT_METHOD)));
        assert_eq!(rejected["params"]["code"], -32600);
        assert_eq!(forwarded[1], format!("Content-Length: {}\r\n\r\n{exit}", exit.len()));
    }

    #[test]
    fn bodies_that_tower_lsp_server_cannot_decode_are_rejected() {
        let rejection = |body: &str| match checked(body.as_bytes().to_vec()) {
            Frame::Rejected { id, rejection, .. } => Some((id, rejection.code())),
            Frame::Message(_) => None,
        };
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#), None);
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","method":"exit"}"#), None);
        assert_eq!(rejection(r#"{"jsonrpc":"2.0","id":3,"result":null}"#), None);
        assert_eq!(rejection("{not json"), Some((Value::Null, -32700)));
        assert_eq!(rejection("[1,2]"), Some((Value::Null, -32600)));
        assert_eq!(rejection(r#"{"jsonrpc":"1.0","id":9,"method":"x"}"#), Some((json!(9), -32600)));
        assert_eq!(rejection(r#"{"id":"a","method":17}"#), Some((json!("a"), -32600)));
    }

    #[test]
    fn resynchronises_after_a_short_content_length() {
        let got = frames(b"Content-Length: 3\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}");
        assert_eq!(got, [Frame::Message(b"{\"a".to_vec()), Frame::Message(b"{}".to_vec())]);
    }

    #[test]
    fn endless_header_line_is_dropped() {
        let mut input = vec![b'x'; MAX_HEADER_BYTES * 3];
        input.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\n{}");
        let got = frames(&input);
        assert!(matches!(&got[0], Frame::Rejected { rejection: Rejection::BadHeader(_), .. }));
        assert_eq!(got[1], Frame::Message(b"{}".to_vec()));
    }

    #[test]
    fn end_of_input_mid_message_ends_reading() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{\"a\""), []);
        assert_eq!(frames(b"Content-Len"), []);
    }

    #[test]
    fn ids() {
        assert_eq!(top_level_id(br#"{"id": "abc", "method": "x"}"#), Some(json!("abc")));
        assert_eq!(top_level_id(br#"{"params": {"id": 1}, "id" : 7}"#), Some(json!(7)));
        assert_eq!(top_level_id(br#"{"method": "id", "x": ["id", {"id": 3}]}"#), None);
        assert_eq!(top_level_id(br#"{"k": "a\"id\":9", "id": -1}"#), Some(json!(-1)));
        assert_eq!(top_level_id(br#"{"id": null}"#), None);
        assert_eq!(top_level_id(br#"{"params": "unterminated"#), None);
    }
}
