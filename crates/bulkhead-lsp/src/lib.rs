//! The bulkhead language server: LSP 3.17 over any byte stream, driving the same engine as
//! `bulkhead check`, so the editor shows exactly the findings CI reports.
//!
//! Invariant: this is the only crate that names LSP types. It translates: positions in `convert.rs`,
//! findings in `diagnostics.rs`, fixes in `code_action.rs`; the engine stays a pure function of text,
//! build-context facts and settings, and this crate does the I/O (`.dockerignore`, `.bulkhead.toml`, and
//! registry look-ups in the background when the user turns them on: `registry.rs`).

mod code_action;
mod compose;
mod convert;
mod diagnostics;
mod documents;
mod formatting;
pub mod framing;
mod hover;
mod ide;
mod output;
mod registry;
mod server;
mod session;
mod settings;
mod workspace;

/// The engine threads of a session; [`serve_with`] lets sessions in one process share them.
pub use session::EngineThreads;
/// How the server reads an editor's settings (`initializationOptions`, `workspace/didChangeConfiguration`):
/// public so the editor packages' tests can check every setting they expose is one the server reads.
pub use settings::{parse_client_settings, parse_client_settings_all};

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;
use tower_lsp_server::{LspService, Server};

/// Serves one session on stdin/stdout. Returns when the client sends `exit` or closes stdin.
///
/// Stdin is read on a plain thread rather than tokio's blocking pool: a read blocked on a client that
/// keeps stdin open after `exit` would otherwise hold up the runtime's shutdown, and with it the exit.
pub async fn run_stdio() {
    widen_stdout_pipe();
    serve(stdin_reader(), tokio::io::stdout()).await;
}

/// When stdout is a pipe (it is, under an editor), makes it hold a large publish whole: a 10,000-line
/// file's diagnostics are ~130 KB, twice the default 64 KiB, and a publish that does not fit is written
/// in pieces, each waiting for the editor to read the one before. 1 MiB is the largest size Linux gives
/// an unprivileged process by default; anything else (not a pipe, another system) leaves stdout as it is.
fn widen_stdout_pipe() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::pipe::fcntl_setpipe_size(std::io::stdout(), 1 << 20);
    }
}

/// Serves one session on a byte stream pair (tests use `tokio::io::duplex`). Returns when the client
/// sends `exit` or closes `input`. The session has engine threads of its own, started on its first large
/// job.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    serve_with(input, output, EngineThreads::new()).await;
}

/// [`serve`] on the given engine threads: a harness that runs session after session in one process (the
/// fuzz targets) shares one set rather than starting two threads for each.
pub async fn serve_with<I, O>(input: I, output: O, workers: EngineThreads)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (output, sink, writer) = output::stream(output);
    let (service, socket) = LspService::build(move |client| server::Backend::new(client, output, workers))
        .custom_method(framing::REJECT_METHOD, server::Backend::reject_message)
        .finish();
    tokio::join!(Server::new(input, sink, socket).serve(service), writer);
}

/// Stdin as an `AsyncRead`, fed frame by frame through [`framing::pump`] by a detached thread. At most a few
/// frames wait in the channel, so a client that sends faster than the server works is slowed down rather
/// than buffered without bound.
fn stdin_reader() -> ChannelReader {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(4);
    let spawned = std::thread::Builder::new().name("bulkhead-stdin".to_owned()).spawn(move || {
        framing::pump(std::io::stdin().lock(), |frame| tx.blocking_send(frame).is_ok());
    });
    if let Err(err) = spawned {
        eprintln!("bulkhead: cannot read stdin: {err}");
    }
    ChannelReader { rx, chunk: Vec::new(), pos: 0 }
}

struct ChannelReader {
    rx: mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl AsyncRead for ChannelReader {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, out: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.pos >= this.chunk.len() {
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    this.chunk = chunk;
                    this.pos = 0;
                }
                // End of input: a read of zero bytes.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let n = out.remaining().min(this.chunk.len() - this.pos);
        out.put_slice(&this.chunk[this.pos..this.pos + n]);
        this.pos += n;
        Poll::Ready(Ok(()))
    }
}
