//! The server's output: one ordered stream of whole LSP frames, written by one writer.
//!
//! Two producers share it. tower-lsp-server writes its responses and client messages into a
//! [`FrameSink`], which forwards them frame by frame; and the session sends its `publishDiagnostics` as
//! frames it serialized itself where it linted, straight from the engine's report ([`Output::send`]).
//! tower-lsp's `Client` would first convert the diagnostics into a `serde_json::Value` tree and then
//! serialize that tree on the protocol task: on a 10,000-line file that was 2.4 ms of every keystroke's
//! 8 ms.
//!
//! A response can also be written from bytes made elsewhere ([`Output::splice`]): tower-lsp-server turns
//! every handler's result into a `serde_json::Value` tree before it serializes it (`IntoResponse` calls
//! `serde_json::to_value`; even a `RawValue` would be parsed into a tree there), and its router keeps the
//! built-in handler of a standard method, so a pulled diagnostic report, which is the same diagnostics as a
//! publish, would be converted and serialized again on the protocol task for every pull. Instead the
//! handler stashes the bytes here and returns a placeholder report whose `resultId` is a marker (a nonce
//! per session and a counter); the sink, which sees tower-lsp's frames whole, replaces the response that
//! carries the marker with one made of the stashed bytes, under the same `id`. Everything else about the
//! request (its lifecycle, cancellation, the order of the frames) stays tower-lsp's.
//!
//! Invariants: the writer only ever sees whole frames, so the two producers never interleave inside one;
//! frames of one producer keep their order; the channel is bounded, so a client that stops reading slows
//! both producers down instead of growing a queue. When tower-lsp-server ends the session (it shuts its
//! sink down after `exit` or at the end of input), the writer writes what was queued before and stops;
//! a publish that comes later is dropped, as there is nobody left to read it.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::PollSender;

/// How many frames may wait for the writer.
const QUEUE: usize = 8;

/// How many spliced results wait for their response at most: a handler stashes one just before it
/// returns, so only the requests in flight (tower-lsp runs four at once) have one; older ones belong to
/// responses that never came (the request was cancelled after its handler returned) and are forgotten.
const SPLICED_KEPT: usize = 16;

/// Responses with no spliced result are never looked at beyond this length (a placeholder is ~100 bytes).
const PLACEHOLDER_MAX_BYTES: usize = 512;

/// A handle to send whole frames to the writer. Cloning gives another handle to the same stream.
#[derive(Clone)]
pub struct Output {
    frames: mpsc::Sender<Vec<u8>>,
    spliced: Spliced,
}

impl Output {
    /// Sends a frame made by [`notification`]. Waits while the queue is full; after the end of the session
    /// the frame is dropped.
    pub async fn send(&self, frame: Vec<u8>) {
        let _ = self.frames.send(frame).await;
    }

    /// Stashes a response's result, the JSON `head`, `body` and `tail` put together, and returns the
    /// marker to put where the result's placeholder says (see the module doc): the response that carries
    /// it goes out with this result instead.
    pub fn splice(&self, head: String, body: Arc<[u8]>, tail: &'static str) -> String {
        self.spliced.stash(SplicedResult { head, body, tail })
    }
}

/// A response's result in three parts (the shared part, a version's diagnostics, is not copied).
struct SplicedResult {
    head: String,
    body: Arc<[u8]>,
    tail: &'static str,
}

/// The stashed results by token, shared by [`Output`] and [`FrameSink`].
#[derive(Clone)]
struct Spliced {
    /// `bulkhead-spliced-<nonce>-`: what every marker of this session starts with.
    prefix: Arc<str>,
    stash: Arc<Mutex<Stash>>,
}

/// The next token and the stashed results by token.
type Stash = (u64, VecDeque<(u64, SplicedResult)>);

impl Spliced {
    fn new() -> Self {
        // A nonce per session: no text a client sends can make a marker of this one.
        let nonce = std::collections::hash_map::RandomState::new().build_hasher().finish();
        Self { prefix: format!("bulkhead-spliced-{nonce:016x}-").into(), stash: Arc::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, VecDeque<(u64, SplicedResult)>)> {
        self.stash.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn stash(&self, result: SplicedResult) -> String {
        let mut stash = self.lock();
        stash.0 += 1;
        let token = stash.0;
        if stash.1.len() >= SPLICED_KEPT {
            stash.1.pop_front();
        }
        stash.1.push_back((token, result));
        format!("{}{token}", self.prefix)
    }

    /// The frame to write instead of `frame` when it is a response whose result carries a marker of ours
    /// as its `resultId`; `None` for every other frame.
    fn replace(&self, frame: &[u8]) -> Option<Vec<u8>> {
        let body_start = frame.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let body = &frame[body_start..];
        if body.len() > PLACEHOLDER_MAX_BYTES || !contains(body, self.prefix.as_bytes()) {
            return None;
        }
        let response: serde_json::Value = serde_json::from_slice(body).ok()?;
        let marker = response.get("result")?.get("resultId")?.as_str()?;
        let token: u64 = marker.strip_prefix(&*self.prefix)?.parse().ok()?;
        let id = serde_json::to_string(response.get("id")?).ok()?;
        let result = {
            let mut stash = self.lock();
            let at = stash.1.iter().position(|(t, _)| *t == token)?;
            stash.1.remove(at)?.1
        };
        let head = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"#);
        let mut out = Vec::with_capacity(head.len() + result.head.len() + result.body.len() + result.tail.len() + 1);
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(result.head.as_bytes());
        out.extend_from_slice(&result.body);
        out.extend_from_slice(result.tail.as_bytes());
        out.push(b'}');
        Some(crate::framing::frame(&out))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// The output stream: the handle for the session, the sink for tower-lsp-server, and the writer, a future
/// that writes every frame to `out` in the order the frames were queued, and ends with the session.
pub fn stream<O: AsyncWrite>(out: O) -> (Output, FrameSink, impl Future<Output = ()>) {
    let (frames, queued) = mpsc::channel(QUEUE);
    let (end, ended) = oneshot::channel();
    let spliced = Spliced::new();
    let sink = FrameSink {
        frames: PollSender::new(frames.clone()),
        pending: Vec::new(),
        end: Some(end),
        spliced: spliced.clone(),
    };
    (Output { frames, spliced }, sink, write_frames(queued, ended, out))
}

async fn write_frames<O: AsyncWrite>(mut queued: mpsc::Receiver<Vec<u8>>, mut ended: oneshot::Receiver<()>, out: O) {
    let mut out = std::pin::pin!(out);
    loop {
        let frame = tokio::select! {
            biased;
            frame = queued.recv() => frame,
            // The sink is shut down or dropped: write what it queued before (it queued that first), then stop.
            _ = &mut ended => {
                while let Ok(frame) = queued.try_recv() {
                    if out.write_all(&frame).await.is_err() {
                        return;
                    }
                }
                let _ = out.flush().await;
                return;
            }
        };
        let Some(frame) = frame else { break };
        if out.write_all(&frame).await.is_err() {
            // The client is gone: nothing more can be delivered.
            return;
        }
        if queued.is_empty() && out.flush().await.is_err() {
            return;
        }
    }
    let _ = out.flush().await;
}

/// What tower-lsp-server writes to: collects its bytes and forwards each frame once it is whole.
pub struct FrameSink {
    frames: PollSender<Vec<u8>>,
    /// Bytes written but not forwarded yet: whole frames waiting for room in the queue, then at most one
    /// partial frame.
    pending: Vec<u8>,
    end: Option<oneshot::Sender<()>>,
    spliced: Spliced,
}

impl FrameSink {
    /// Forwards every whole frame in `pending`.
    fn poll_forward(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some(len) = crate::framing::whole_frame_len(&self.pending) {
            if ready!(self.frames.poll_reserve(cx)).is_err() {
                return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
            }
            let rest = self.pending.split_off(len);
            let frame = std::mem::replace(&mut self.pending, rest);
            let frame = self.spliced.replace(&frame).unwrap_or(frame);
            if self.frames.send_item(frame).is_err() {
                return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
            }
        }
        Poll::Ready(Ok(()))
    }

    fn finish(&mut self) {
        self.frames.close();
        if let Some(end) = self.end.take() {
            let _ = end.send(());
        }
    }
}

impl AsyncWrite for FrameSink {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Take new bytes only once the frames before them have left: the queue's bound holds for this
        // producer too.
        ready!(this.poll_forward(cx))?;
        this.pending.extend_from_slice(buf);
        // Forward what is whole now; if the queue is full, it leaves with the next write or flush.
        let _ = this.poll_forward(cx)?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_forward(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let res = ready!(this.poll_forward(cx));
        this.finish();
        Poll::Ready(res)
    }
}

impl Drop for FrameSink {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    fn frame(body: &str) -> Vec<u8> {
        crate::framing::frame(body.as_bytes())
    }

    /// Frames written in pieces by one producer and whole by the other come out whole and in order, and
    /// the writer stops when the sink shuts down, after what was queued before.
    #[tokio::test]
    async fn producers_never_interleave_inside_a_frame() {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (output, mut sink, writer) = stream(server);
        let writer = tokio::spawn(writer);
        let first = frame(r#"{"id":1}"#);
        // Half a frame from tower-lsp, a whole one from the session, then the rest.
        sink.write_all(&first[..7]).await.unwrap();
        output.send(frame(r#"{"id":2}"#)).await;
        sink.write_all(&first[7..]).await.unwrap();
        sink.write_all(&frame(r#"{"id":3}"#)).await.unwrap();
        sink.shutdown().await.unwrap();
        writer.await.unwrap();
        // Sent after the end: dropped, and the writer is gone.
        output.send(frame(r#"{"id":4}"#)).await;
        let mut written = Vec::new();
        let mut client = client;
        drop(output);
        client.read_to_end(&mut written).await.unwrap();
        let expected: Vec<u8> = [frame(r#"{"id":2}"#), first, frame(r#"{"id":3}"#)].concat();
        assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());
    }

    /// A response whose `resultId` is a marker of this session goes out with the stashed result under the
    /// same id; a forged or unknown marker, and every other frame, pass unchanged.
    #[tokio::test]
    async fn a_spliced_result_replaces_its_placeholder() {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (output, mut sink, writer) = stream(server);
        let writer = tokio::spawn(writer);
        let marker =
            output.splice(r#"{"kind":"full","resultId":"9","items":"#.to_owned(), Arc::from(&b"[1,2]"[..]), "}");
        let placeholder = |id: &str, marker: &str| {
            frame(&format!(
                r#"{{"jsonrpc":"2.0","result":{{"kind":"full","resultId":"{marker}","items":[]}},"id":{id}}}"#
            ))
        };
        let forged = placeholder("5", "bulkhead-spliced-0000000000000000-1");
        let unknown = placeholder("6", &format!("{}99", marker.trim_end_matches(char::is_numeric)));
        sink.write_all(&placeholder(r#""a""#, &marker)).await.unwrap();
        // Used once: the same marker again is left alone.
        let again = placeholder("7", &marker);
        for frame in [&forged, &unknown, &again] {
            sink.write_all(frame).await.unwrap();
        }
        sink.shutdown().await.unwrap();
        writer.await.unwrap();
        drop(output);
        let mut written = Vec::new();
        let mut client = client;
        client.read_to_end(&mut written).await.unwrap();
        let spliced = frame(r#"{"jsonrpc":"2.0","id":"a","result":{"kind":"full","resultId":"9","items":[1,2]}}"#);
        let expected: Vec<u8> = [spliced, forged, unknown, again].concat();
        assert_eq!(String::from_utf8(written).unwrap(), String::from_utf8(expected).unwrap());
    }
}
