//! The server's output: one ordered stream of whole LSP frames, written by one writer.
//!
//! Two producers share it. tower-lsp-server writes its responses and client messages into a
//! [`FrameSink`], which forwards them frame by frame; and the session sends its `publishDiagnostics` as
//! frames it serialized itself where it linted, straight from the engine's report ([`Output::send`]).
//! tower-lsp's `Client` would first convert the diagnostics into a `serde_json::Value` tree and then
//! serialize that tree on the protocol task: on a 10,000-line file that was 2.4 ms of every keystroke's
//! 8 ms.
//!
//! Invariants: the writer only ever sees whole frames, so the two producers never interleave inside one;
//! frames of one producer keep their order; the channel is bounded, so a client that stops reading slows
//! both producers down instead of growing a queue. When tower-lsp-server ends the session (it shuts its
//! sink down after `exit` or at the end of input), the writer writes what was queued before and stops;
//! a publish that comes later is dropped, as there is nobody left to read it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::PollSender;

/// How many frames may wait for the writer.
const QUEUE: usize = 8;

/// A handle to send whole frames to the writer. Cloning gives another handle to the same stream.
#[derive(Clone)]
pub struct Output {
    frames: mpsc::Sender<Vec<u8>>,
}

impl Output {
    /// Sends a frame made by [`notification`]. Waits while the queue is full; after the end of the session
    /// the frame is dropped.
    pub async fn send(&self, frame: Vec<u8>) {
        let _ = self.frames.send(frame).await;
    }
}

/// The output stream: the handle for the session, the sink for tower-lsp-server, and the writer, a future
/// that writes every frame to `out` in the order the frames were queued, and ends with the session.
pub fn stream<O: AsyncWrite>(out: O) -> (Output, FrameSink, impl Future<Output = ()>) {
    let (frames, queued) = mpsc::channel(QUEUE);
    let (end, ended) = oneshot::channel();
    let sink = FrameSink { frames: PollSender::new(frames.clone()), pending: Vec::new(), end: Some(end) };
    (Output { frames }, sink, write_frames(queued, ended, out))
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
}
