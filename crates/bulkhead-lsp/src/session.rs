//! The state of one session and the work that outlives a handler: linting a snapshot off the protocol
//! task and publishing the result only while it is current.
//!
//! Concurrency: tower-lsp runs up to four handlers at once, but polls each one first in arrival order.
//! Handlers therefore touch [`State`] only through [`Session::lock`], synchronously, before their first
//! `.await`: notifications apply strictly in order. The expensive part (rules) runs on a blocking thread
//! on an immutable snapshot; its result is stored and published only if the document's generation did
//! not move meanwhile, and the check and the send happen under one publish lock, so an older result can
//! never overtake a newer one on the wire. A burst of keystrokes coalesces: at most one lint task runs
//! per document ([`Session::schedule_lint`]); changes that arrive while it runs only move the generation,
//! and the task lints the newest one when it finishes. So a client that sends a hundred changes at once
//! costs one lint in flight and one after, not a hundred lints competing for the cores and the memory.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use futures::FutureExt;

use bulkhead_syntax::Dockerfile;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{MessageType, Uri};

use crate::convert::Encoding;
use crate::diagnostics::{self, Lint};
use crate::documents::DocumentStore;
use crate::output::Output;
use crate::registry::RegistryState;
use crate::settings::SettingsStore;
use crate::workspace::WorkspaceRoots;

/// What the client said it can do, as far as the server cares.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientCaps {
    /// The client pulls diagnostics (`textDocument/diagnostic`): do not push them as well, or it shows
    /// every finding twice.
    pub pull_diagnostics: bool,
    /// The client can be asked to pull again (`workspace/diagnostic/refresh`).
    pub diagnostic_refresh: bool,
    /// Workspace edits may carry the document version (`documentChanges`).
    pub document_changes: bool,
    pub watched_files_registration: bool,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    /// The client can be asked to request inlay hints again (`workspace/inlayHint/refresh`).
    pub inlay_hint_refresh: bool,
    /// Workspace edits may create files (`documentChanges` with the `create` resource operation).
    pub create_files: bool,
    /// Completion items may be snippets with tab stops.
    pub snippets: bool,
}

#[derive(Default)]
pub struct State {
    pub encoding: Encoding,
    pub caps: ClientCaps,
    pub docs: DocumentStore,
    pub settings: SettingsStore,
    pub registry: RegistryState,
    /// The client's workspace folders: where a code action may propose a new file.
    pub workspace: WorkspaceRoots,
    /// The model of each open document's parse, for the editing features.
    pub models: crate::ide::Models,
    /// The open Compose files (`compose.rs`): apart from the Dockerfiles, never parsed as one.
    pub compose: crate::compose::ComposeDocs,
}

pub struct Session {
    pub client: Client,
    /// Where diagnostics are published: frames serialized where the lint ran (see `output.rs`).
    output: Output,
    state: Mutex<State>,
    publish: tokio::sync::Mutex<()>,
    /// Woken whenever a lint task stores a lint or stops: [`Session::diagnostics_first`] waits on it.
    linted: tokio::sync::Notify,
    /// The threads that run the engine (lints, fix-all, formatting): see [`EngineThreads`].
    workers: EngineThreads,
}

/// The threads that run the engine for a session: a fixed few, one per core up to [`MAX_WORKERS`], rather
/// than tokio's blocking pool, which starts a thread per waiting job and lets each one grow its own
/// allocator arena (under bursts of edits that was most of the server's resident memory). They start on
/// the first job, not with the session: a session whose documents are all small (linted on the protocol
/// thread) never starts them, and starting two threads with large stacks was a third of a short session's
/// cost. A clone shares the same threads: a harness that runs many sessions in one process (the fuzz
/// targets) passes one to [`crate::serve_with`] for all of them. Work queued behind a stuck job waits only
/// for a free thread; the protocol thread never waits for an engine thread.
#[derive(Clone, Default)]
pub struct EngineThreads {
    pool: Arc<std::sync::OnceLock<Option<rayon::ThreadPool>>>,
}

impl EngineThreads {
    /// A set of engine threads, none started yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pool, started on first use; `None` if no thread could be started.
    fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool
            .get_or_init(|| {
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_WORKERS);
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("bulkhead-engine-{i}"))
                    .stack_size(bulkhead_analysis::ENGINE_STACK_SIZE)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Whether the threads have been started (tests).
    pub fn started(&self) -> bool {
        self.pool.get().is_some()
    }
}

/// The most engine threads a session uses.
const MAX_WORKERS: usize = 2;

/// Documents smaller than this are linted on the protocol thread (see [`Session::lint`]): about 400
/// lines, where a lint takes well under a millisecond.
const INLINE_LINT_BELOW: usize = 16 * 1024;

/// The longest a request waits for the lint of the current text in [`Session::diagnostics_first`].
const DIAGNOSTICS_FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Runs synchronous work, turning a panic into an error message.
pub fn guard<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work))
        .map_err(|payload| format!("bulkhead: {what} failed: {}", bulkhead_analysis::panic_message(payload.as_ref())))
}

impl Session {
    pub fn new(client: Client, output: Output, workers: EngineThreads) -> Self {
        Self {
            client,
            output,
            state: Mutex::new(State::default()),
            publish: tokio::sync::Mutex::new(()),
            linted: tokio::sync::Notify::new(),
            workers,
        }
    }

    /// Runs CPU work on the engine threads and waits for it without blocking the protocol. A panic in
    /// `work` becomes an error message (the pool's threads never see it, so it cannot abort the process).
    pub async fn compute<T: Send + 'static>(
        &self,
        what: &'static str,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let job = move || guard(what, work);
        let Some(workers) = self.workers.pool() else {
            // No thread could be started for the pool: tokio's blocking pool is the fallback.
            return tokio::task::spawn_blocking(job).await.map_err(|err| format!("bulkhead: {what} failed: {err}"))?;
        };
        let (send, receive) = tokio::sync::oneshot::channel();
        workers.spawn(move || {
            let _ = send.send(job());
        });
        receive.await.map_err(|_| format!("bulkhead: {what} failed: the engine thread stopped"))?
    }

    /// The state. A handler that panicked while holding the lock leaves it poisoned; the state itself is
    /// still consistent (every mutation is a single step), so carry on with it.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub async fn log(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        eprintln!("bulkhead: {message}");
        self.client.log_message(typ, message).await;
    }

    pub async fn show(&self, typ: MessageType, message: impl Into<String>) {
        let message = message.into();
        eprintln!("bulkhead: {message}");
        self.client.show_message(typ, message).await;
    }

    /// Lints `uri` in the background unless a lint task already runs for it (that one picks up the newest
    /// generation when it finishes). Never waits: called from the handlers of keystrokes.
    pub fn schedule_lint(self: &Arc<Self>, uri: Uri) {
        if !self.lock().docs.begin_lint(&uri) {
            return;
        }
        let session = self.clone();
        tokio::spawn(async move {
            let task = AssertUnwindSafe(session.lint_until_current(&uri)).catch_unwind();
            let failed = task.await.is_err();
            if failed {
                session.lock().docs.release_lint(&uri);
            }
            session.linted.notify_waiters();
            if failed {
                session.log(MessageType::ERROR, format!("the lint task of {} failed", uri.as_str())).await;
            }
        });
    }

    /// The body of a document's lint task: lints the current generation until no change arrived meanwhile.
    async fn lint_until_current(self: &Arc<Self>, uri: &Uri) {
        let mut generation = match self.lock().docs.get(uri) {
            Some(doc) => doc.generation,
            None => return,
        };
        loop {
            self.lint(uri, generation).await;
            match self.lock().docs.end_lint(uri, generation) {
                Some(newer) => generation = newer,
                None => return,
            }
        }
    }

    /// Lints the current snapshot of `uri` if it is still at `generation`, stores the result and
    /// publishes it (unless the client pulls). Returns the lint when it is current.
    pub async fn lint(self: &Arc<Self>, uri: &Uri, generation: u64) -> Option<Arc<Lint>> {
        // Let a burst of changes that is already queued land first.
        tokio::task::yield_now().await;
        let (snapshot, build, settings, encoding, version, push, memo) = {
            let state = self.lock();
            let doc = state.docs.get(uri)?;
            if doc.generation != generation {
                return None;
            }
            if let Some(lint) = doc.current_lint() {
                return Some(lint);
            }
            let push = !state.caps.pull_diagnostics;
            let memo = doc.memo.clone();
            (doc.snapshot(), doc.build.clone(), doc.settings.clone(), state.encoding, doc.version, push, memo)
        };
        let inline = snapshot.text().len() < INLINE_LINT_BELOW;
        let target = uri.clone();
        let work = move || {
            let lint = diagnostics::lint(&snapshot, &build, &settings, memo.as_deref(), generation, version);
            // The publish, serialized with the lint (on the engine thread for a large document); for a client
            // that pulls, the diagnostics every pull of this version answers with.
            let frame = if push {
                Some(diagnostics::publish_lint_frame(&target, &lint, &snapshot, encoding))
            } else {
                // An error is kept in the lint and reported by the pull that meets it.
                let _ = lint.wire_items(&snapshot, encoding);
                None
            };
            (lint, frame)
        };
        // A small document lints in a fraction of a millisecond: here, on the protocol thread, which saves
        // the two thread hand-offs to an engine thread and back (on a busy machine each can cost more than
        // the lint). A large one goes to the engine threads, where its rules run on every core.
        let outcome = if inline { guard("lint", work) } else { self.compute("lint", work).await };
        let (lint, frame) = match outcome {
            Ok((lint, frame)) => (Arc::new(lint), frame),
            Err(message) => {
                self.log(MessageType::ERROR, message).await;
                return None;
            }
        };
        let failures: Vec<String> =
            lint.report.failures.iter().map(|f| format!("rule {} panicked: {}", f.code, f.message)).collect();
        let new_failures = self.lock().docs.note_failures(uri, failures.clone());
        if new_failures {
            for failure in failures {
                self.log(MessageType::WARNING, format!("{failure} (in {}); the other rules still ran", uri.as_str()))
                    .await;
            }
        }
        let _publishing = self.publish.lock().await;
        self.lock().docs.store_lint(uri, lint.clone())?;
        if let Some(frame) = frame {
            self.send(frame).await;
        }
        self.linted.notify_waiters();
        self.look_up_images(uri, &lint);
        Some(lint)
    }

    /// Waits while a lint task runs for `uri` and has not stored the lint of its current text, at most
    /// [`DIAGNOSTICS_FIRST_WAIT`]. The requests an editor sends with every keystroke (semantic tokens,
    /// inlay hints) call it first, so that on a large file they run after the lint the user waits for
    /// instead of beside it on the same two cores (a third of the server's CPU per keystroke on
    /// `large-10k`: docs/performance.md). The same for a client that pulls diagnostics: its pull waits for
    /// that lint too.
    pub async fn diagnostics_first(&self, uri: &Uri) {
        let deadline = tokio::time::Instant::now() + DIAGNOSTICS_FIRST_WAIT;
        loop {
            // Registered before the check, so a lint stored in between still wakes this waiter.
            let notified = self.linted.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let waiting = {
                let state = self.lock();
                state.docs.get(uri).is_some_and(|doc| doc.is_linting() && doc.current_lint().is_none())
            };
            if !waiting || tokio::time::timeout_at(deadline, notified).await.is_err() {
                return;
            }
        }
    }

    /// The current snapshot of a document with its lint, linting it first when needed.
    pub async fn snapshot_with_lint(self: &Arc<Self>, uri: &Uri) -> Option<(Arc<Dockerfile>, Arc<Lint>)> {
        // A document that keeps changing under a slow lint is retried a few times, then given up on.
        for _ in 0..5 {
            let (snapshot, generation, lint) = {
                let state = self.lock();
                let doc = state.docs.get(uri)?;
                (doc.snapshot(), doc.generation, doc.current_lint())
            };
            if let Some(lint) = lint {
                return Some((snapshot, lint));
            }
            if let Some(lint) = self.lint(uri, generation).await {
                return Some((snapshot, lint));
            }
        }
        None
    }

    /// Clears the diagnostics of a closed document.
    pub async fn clear(&self, uri: Uri) {
        let _publishing = self.publish.lock().await;
        if !self.lock().caps.pull_diagnostics {
            self.send(diagnostics::publish_frame(uri, Vec::new(), None)).await;
        }
    }

    /// Publishes a frame made outside the lint tasks (a Compose document's), serialized with every other
    /// publish, and only if `current` still holds once it is this frame's turn: a stale one is dropped.
    pub async fn publish_if(&self, frame: serde_json::Result<Vec<u8>>, current: impl FnOnce(&State) -> bool) {
        let _publishing = self.publish.lock().await;
        let still_current = current(&self.lock());
        if still_current {
            self.send(frame).await;
        }
    }

    /// The marker under which the response that carries it is written with this result instead (see
    /// `output.rs`).
    pub fn splice(&self, head: String, body: Arc<[u8]>, tail: &'static str) -> String {
        self.output.splice(head, body, tail)
    }

    /// Sends a frame made by [`diagnostics::publish_frame`]; one that could not be made is logged instead.
    async fn send<E: std::fmt::Display>(&self, frame: Result<Vec<u8>, E>) {
        match frame {
            Ok(frame) => self.output.send(frame).await,
            Err(err) => self.log(MessageType::ERROR, format!("cannot serialize diagnostics: {err}")).await,
        }
    }

    /// Resolves settings and build context again for every open document and re-lints them all.
    pub async fn reconfigure_all(self: &Arc<Self>) {
        let uris = self.lock().docs.uris();
        let mut messages = Vec::new();
        let mut relint = Vec::new();
        // A settings or configuration change is the moment to retry registry look-ups that failed.
        self.lock().registry.forget_failures();
        for uri in uris {
            let path = self.lock().docs.get(&uri).and_then(|doc| doc.path.clone());
            // File I/O outside the lock; a document closed meanwhile is skipped by `reconfigure`.
            let build = diagnostics::build_context(path.as_deref());
            let mut state = self.lock();
            let resolved = state.settings.resolve(path.as_deref());
            messages.extend(resolved.messages);
            let build = Arc::new(state.registry.attach(build, &resolved.settings.registry));
            if state.docs.reconfigure(&uri, resolved.settings, build).is_some() {
                relint.push(uri);
            }
        }
        for message in messages {
            self.show(MessageType::WARNING, message).await;
        }
        self.relint(relint);
        crate::compose::reconfigure_all(self).await;
    }

    /// Replaces the editor's settings layer (from `didChangeConfiguration` or `workspace/configuration`):
    /// re-lints with the new settings, and asks a client that supports it to request inlay hints again
    /// when the hint settings changed (the hints it shows are otherwise those of the old settings until
    /// the next edit). A bad settings object keeps the old one and is shown once.
    pub async fn set_client_settings(self: &Arc<Self>, value: &serde_json::Value) {
        let (outcome, refresh_hints) = {
            let mut state = self.lock();
            let before = state.settings.hints;
            let outcome = state.settings.set_client(value);
            (outcome, state.caps.inlay_hint_refresh && state.settings.hints != before)
        };
        if refresh_hints {
            // A request whose answer may never come: not awaited.
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.inlay_hint_refresh().await;
            });
        }
        match outcome {
            Ok(true) => self.reconfigure_all().await,
            Ok(false) | Err(None) => {}
            Err(Some(message)) => {
                self.show(MessageType::ERROR, format!("{message}; keeping the previous settings")).await;
            }
        }
    }

    /// Lints documents whose generation was just bumped (pushing clients), or asks a pulling client to
    /// pull again.
    pub fn relint(self: &Arc<Self>, relint: Vec<Uri>) {
        let pull = self.lock().caps;
        if pull.pull_diagnostics {
            if pull.diagnostic_refresh {
                // A request: the answer may never come (the client may be gone), so do not wait for it here.
                let client = self.client.clone();
                tokio::spawn(async move {
                    let _ = client.workspace_diagnostic_refresh().await;
                });
            }
            return;
        }
        for uri in relint {
            self.schedule_lint(uri);
        }
    }

    /// Settings and build context (with the registry facts known so far, when look-ups are on) for a
    /// document about to be opened (reads files).
    pub fn configure(&self, path: Option<&Path>) -> (crate::settings::Resolved, Arc<bulkhead_analysis::BuildContext>) {
        let build = diagnostics::build_context(path);
        let mut state = self.lock();
        let resolved = state.settings.resolve(path);
        let build = state.registry.attach(build, &resolved.settings.registry);
        (resolved, Arc::new(build))
    }
}

/// Registry look-ups (see `registry.rs`): started after a lint is stored, never on a handler's path.
impl Session {
    /// After a lint of `uri` was stored: looks up the references it lists that have no facts yet, and
    /// gives the document facts the session learnt since its build context was made.
    pub fn look_up_images(self: &Arc<Self>, uri: &Uri, lint: &Lint) {
        if lint.images.is_empty() {
            return;
        }
        let plan = {
            let mut state = self.lock();
            let Some(doc) = state.docs.get(uri) else { return };
            if doc.generation != lint.generation || !doc.settings.registry.enabled {
                return;
            }
            let (settings, have) = (doc.settings.registry.clone(), doc.build.images.clone());
            state.registry.plan(uri, &settings, &have, &lint.images, Instant::now())
        };
        self.start_lookups(uri, plan);
    }

    /// Runs a look-up plan for `uri` (a Dockerfile or a Compose document): gives it the facts the session
    /// already has, and starts the look-ups in the background, each answer re-linting the documents that
    /// wait for it.
    pub fn start_lookups(self: &Arc<Self>, uri: &Uri, plan: crate::registry::Plan) {
        if plan.refresh {
            self.refresh_facts(HashSet::from([uri.clone()]));
        }
        for lookup in plan.start {
            let session = self.clone();
            tokio::spawn(async move {
                let raw = lookup.image.raw.clone();
                let (found, message) = lookup.run().await;
                let waiting = session.lock().registry.finish(&raw, found, Instant::now());
                if let Some(message) = message {
                    session.log(MessageType::WARNING, message).await;
                }
                session.refresh_facts(waiting);
            });
        }
    }

    /// Gives open documents with look-ups on the session's current facts and lints them again.
    fn refresh_facts(self: &Arc<Self>, uris: HashSet<Uri>) {
        let mut relint = Vec::new();
        let mut compose = Vec::new();
        {
            let mut state = self.lock();
            for uri in uris {
                if state.compose.contains(&uri) {
                    compose.push(uri);
                    continue;
                }
                let Some(doc) = state.docs.get(&uri) else { continue };
                if !doc.settings.registry.enabled {
                    continue;
                }
                let settings = doc.settings.clone();
                let build = state.registry.attach((*doc.build).clone(), &settings.registry);
                if state.docs.reconfigure(&uri, settings, Arc::new(build)).is_some() {
                    relint.push(uri);
                }
            }
        }
        if !relint.is_empty() {
            self.relint(relint);
        }
        if !compose.is_empty() {
            tokio::spawn(crate::compose::refresh_facts(self.clone(), compose));
        }
    }
}
