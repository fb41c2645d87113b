//! The `LanguageServer` implementation: each handler converts its parameters, calls the module for its
//! concern, and converts back. Every handler is guarded: a panic becomes an error response (requests) or
//! a log message (notifications), and the session carries on.
//!
//! Invariant: notification handlers apply their change to the document store before their first
//! `.await` (see `session.rs`).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use bulkhead_analysis::FileKind;

use crate::code_action::{self, FIX_ALL_KIND, Target};
use crate::compose;
use crate::convert::{Coords, Encoding};
use crate::diagnostics::{self, DiagnosticData, SOURCE, code_of};
use crate::documents::{ChangeOutcome, file_path};
use crate::formatting;
use crate::hover;
use crate::ide::{self, Snapshot};
use crate::output::Output;
use crate::session::{ClientCaps, EngineThreads, Session, guard};
use crate::workspace::WorkspaceRoots;

pub struct Backend {
    session: Arc<Session>,
    /// A problem with `initializationOptions`, shown once the client can receive messages.
    startup_message: std::sync::Mutex<Option<String>>,
}

impl Backend {
    pub fn new(client: Client, output: Output, workers: EngineThreads) -> Self {
        Self { session: Arc::new(Session::new(client, output, workers)), startup_message: std::sync::Mutex::new(None) }
    }

    /// Runs a handler, turning a panic into `None` and a logged error.
    async fn guarded<T>(&self, method: &str, handler: impl Future<Output = T>) -> Option<T> {
        match AssertUnwindSafe(handler).catch_unwind().await {
            Ok(res) => Some(res),
            Err(payload) => {
                let detail = bulkhead_analysis::panic_message(payload.as_ref());
                self.session.log(MessageType::ERROR, format!("{method} failed: {detail}")).await;
                None
            }
        }
    }

    /// Runs a request handler: a panic becomes an internal error response.
    async fn request<T>(&self, method: &str, handler: impl Future<Output = Result<T>>) -> Result<T> {
        self.guarded(method, handler).await.unwrap_or_else(|| Err(internal_error(format!("{method} failed"))))
    }

    /// `bulkhead/rejectMessage`, which only [`crate::framing`] sends: answers a message that was rejected before
    /// parsing (malformed header, over the size limit) with the error it carries, under the client's `id`.
    pub async fn reject_message(&self, params: serde_json::Value) -> Result<()> {
        let code = params["code"].as_i64().unwrap_or(-32700);
        let message = params["message"].as_str().unwrap_or("malformed message").to_owned();
        self.session.log(MessageType::ERROR, format!("rejected a message from the client: {message}")).await;
        Err(Error { code: code.into(), message: message.into(), data: None })
    }

    async fn open(&self, params: DidOpenTextDocumentParams) {
        let TextDocumentItem { uri, language_id, version, text } = params.text_document;
        match compose::kind_of(&uri, &language_id) {
            Some(FileKind::Dockerfile) => {}
            Some(FileKind::Compose) => return compose::open(&self.session, uri, version, text).await,
            None => {
                self.session.lock().docs.open_foreign(uri);
                return;
            }
        }
        let path = file_path(&uri);
        let (resolved, build) = self.session.configure(path.as_deref());
        self.session.lock().docs.open(uri.clone(), version, &text, resolved.settings, build);
        self.session.schedule_lint(uri.clone());
        compose::dockerfile_changed(&self.session, &uri).await;
        for message in resolved.messages {
            self.session.show(MessageType::WARNING, message).await;
        }
    }

    async fn change(&self, params: DidChangeTextDocumentParams) {
        let VersionedTextDocumentIdentifier { uri, version } = params.text_document;
        if compose::change(&self.session, &uri, version, &params.content_changes).await {
            return;
        }
        let outcome = {
            let mut state = self.session.lock();
            if state.docs.is_foreign(&uri) {
                return;
            }
            let encoding = state.encoding;
            state.docs.change(&uri, version, &params.content_changes, encoding)
        };
        match outcome {
            ChangeOutcome::Applied { previous_version } => {
                self.session.schedule_lint(uri.clone());
                compose::dockerfile_changed(&self.session, &uri).await;
                if version <= previous_version {
                    let message = format!("{}: version {version} after {previous_version}", uri.as_str());
                    self.session.log(MessageType::WARNING, message).await;
                }
            }
            ChangeOutcome::NotOpen => {
                let message = format!("ignoring a change to {}: the document is not open", uri.as_str());
                self.session.log(MessageType::WARNING, message).await;
            }
        }
    }

    async fn hover_at(&self, params: HoverParams) -> Result<Option<Hover>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position_params;
        if let Some(hover) = compose::hover(&self.session, &text_document.uri, position) {
            return Ok(hover);
        }
        let Some((file, lint)) = self.session.snapshot_with_lint(&text_document.uri).await else {
            return Ok(None);
        };
        // Test builds only: a handler that panics outside any inner guard, to prove `request` turns it into
        // an error response and the session carries on.
        if bulkhead_analysis::TEST_HOOKS && file.text().contains("PANIC-HOVER") {
            panic!("test hook: hover on a document containing PANIC-HOVER");
        }
        let (encoding, build) = {
            let state = self.session.lock();
            (state.encoding, state.docs.get(&text_document.uri).map(|doc| doc.build.clone()).unwrap_or_default())
        };
        guard("hover", || {
            let coords = Coords::of(&file, encoding);
            let offset = coords.offset(position);
            let mut hover = hover::hover(&file, &lint.report, &build, offset, &coords);
            // On `USER`/`HEALTHCHECK`: the Compose services that override it.
            let overrides = crate::documents::file_path(&text_document.uri)
                .and_then(|path| compose::dockerfile_overrides(&self.session, &path, &file, offset));
            if let (Some(hover), Some(section)) = (hover.as_mut(), overrides)
                && let HoverContents::Markup(markup) = &mut hover.contents
            {
                markup.value.push_str("\n\n---\n\n");
                markup.value.push_str(&section);
            }
            hover
        })
        .map_err(internal_error)
    }

    /// Runs an editing query on the snapshot of an open document (`None` when it is not open).
    async fn query<T>(&self, method: &str, uri: &Uri, work: impl FnOnce(&Snapshot) -> Result<T>) -> Result<Option<T>> {
        let handler = async {
            let Some(snapshot) = Snapshot::of(&self.session, uri) else { return Ok(None) };
            work(&snapshot).map(Some)
        };
        self.request(method, handler).await
    }

    async fn code_actions(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        if let Some(actions) = compose::code_actions(&self.session, &params) {
            return Ok(Some(actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()));
        }
        let uri = params.text_document.uri;
        let only = params.context.only.as_deref();
        let (file, version, current, build, settings, encoding, document_changes, roots) = {
            let state = self.session.lock();
            let Some(doc) = state.docs.get(&uri) else {
                return Ok(None);
            };
            let caps = state.caps;
            // New files only for a client that can create them, and only inside its workspace folders.
            let roots = caps.create_files.then(|| state.workspace.clone());
            let (file, version, current) = (doc.snapshot(), doc.version, doc.current_lint());
            (
                file,
                version,
                current,
                doc.build.clone(),
                doc.settings.clone(),
                state.encoding,
                caps.document_changes,
                roots,
            )
        };
        let mut actions = Vec::new();
        let diagnostics = &params.context.diagnostics;
        if code_action::wants(only, CodeActionKind::QUICKFIX.as_str())
            && diagnostics.iter().any(|d| code_of(d).is_some())
        {
            // The quick fixes are the stored lint's. Lint now only when it is missing and a diagnostic of the
            // request may be of this version: one of another version gets no fix anyway, and a client asks
            // for actions at every cursor move while the user types.
            let this_version =
                |d: &Diagnostic| DiagnosticData::from_diagnostic(d).is_none_or(|data| data.version == version);
            let linted = match current {
                Some(lint) => Some((file.clone(), lint)),
                None if diagnostics.iter().any(this_version) => self.session.snapshot_with_lint(&uri).await,
                None => None,
            };
            if let Some((file, lint)) = linted {
                let version = lint.version;
                let fixes = guard("code action", || {
                    let target =
                        Target { uri: &uri, file: &file, version, encoding, document_changes, roots: roots.as_ref() };
                    code_action::quick_fixes(&target, diagnostics, &lint)
                })
                .map_err(internal_error)?;
                actions.extend(fixes);
            }
        }
        if code_action::wants(only, FIX_ALL_KIND) {
            let uri = uri.clone();
            let work = move || {
                // "Fix all" applies safe fixes, which never create files.
                let target = Target { uri: &uri, file: &file, version, encoding, document_changes, roots: None };
                code_action::fix_all(&target, &build, &settings)
            };
            actions.extend(self.session.compute("fix all", work).await.map_err(internal_error)?);
        }
        Ok(Some(actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()))
    }

    /// Formats the whole document (`range: None`) or the instructions a range touches, on the engine threads.
    async fn format(&self, uri: &Uri, range: Option<Range>) -> Result<Option<Vec<TextEdit>>> {
        let (file, options, encoding, mut shells) = {
            let state = self.session.lock();
            let Some(doc) = state.docs.get(uri) else {
                return Ok(None);
            };
            (doc.snapshot(), doc.settings.format, state.encoding, state.docs.shells())
        };
        let work = move || {
            let coords = Coords::of(&file, encoding);
            match range {
                Some(range) => formatting::range(&file, range, &options, &mut shells, &coords),
                None => formatting::document(&file, &options, &mut shells, &coords),
            }
        };
        let edits = self.session.compute("formatting", work).await.map_err(internal_error)?;
        Ok(Some(edits))
    }

    async fn pull_diagnostics(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let unchanged = |result_id: String| {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            })
        };
        let full = |result_id: Option<String>, items: Vec<Diagnostic>| {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
            })
        };
        let previous = params.previous_result_id.as_ref();
        if let Some((result_id, items)) = compose::pull(&self.session, &params) {
            let report = if previous == Some(&result_id) { unchanged(result_id) } else { full(Some(result_id), items) };
            return Ok(DocumentDiagnosticReportResult::Report(report));
        }
        let uri = &params.text_document.uri;
        // A pull right after a change finds the lint task at work on that change: wait for its result
        // rather than lint the same text a second time beside it (without the memo) on the same cores.
        self.session.diagnostics_first(uri).await;
        let Some((file, lint)) = self.session.snapshot_with_lint(uri).await else {
            return Ok(DocumentDiagnosticReportResult::Report(full(None, Vec::new())));
        };
        let result_id = lint.generation.to_string();
        if previous == Some(&result_id) {
            return Ok(DocumentDiagnosticReportResult::Report(unchanged(result_id)));
        }
        // The report of this version, made of the diagnostics serialized once per version with the lint
        // (`Lint::wire_items`), written into the response by the output stream (`output.rs`): here, a
        // placeholder that names it.
        let encoding = self.session.lock().encoding;
        let parts = guard("diagnostic", || diagnostics::pull_report_parts(&lint, &file, encoding, &result_id));
        let (head, body, tail) = parts.and_then(|parts| parts).map_err(internal_error)?;
        let marker = self.session.splice(head, body, tail);
        Ok(DocumentDiagnosticReportResult::Report(full(Some(marker), Vec::new())))
    }

    async fn configuration_changed(&self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() {
            self.pull_configuration();
            return;
        }
        self.apply_client_settings(&params.settings).await;
    }

    async fn apply_client_settings(&self, value: &serde_json::Value) {
        self.session.set_client_settings(value).await;
    }

    /// Asks a client that signalled a change without sending settings for the `bulkhead` section.
    fn pull_configuration(&self) {
        if !self.session.lock().caps.configuration {
            return;
        }
        let session = self.session.clone();
        // A request whose answer may never come: not awaited by the notification handler.
        tokio::spawn(async move {
            let item = ConfigurationItem { scope_uri: None, section: Some(SOURCE.to_owned()) };
            let Ok(values) = session.client.configuration(vec![item]).await else {
                return;
            };
            let Some(value) = values.into_iter().next() else { return };
            session.set_client_settings(&json!({ SOURCE: value })).await;
        });
    }

    fn register_watchers(&self) {
        let watchers = ["**/.dockerignore", "**/*.dockerignore", "**/.bulkhead.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "bulkhead-watched-files".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        let session = self.session.clone();
        tokio::spawn(async move {
            if let Err(err) = session.client.register_capability(vec![registration]).await {
                session.log(MessageType::WARNING, format!("could not watch .dockerignore files: {err}")).await;
            }
        });
    }
}

fn internal_error(message: impl Into<String>) -> Error {
    Error { message: message.into().into(), ..Error::internal_error() }
}

fn client_caps(capabilities: &ClientCapabilities) -> ClientCaps {
    let workspace = capabilities.workspace.as_ref();
    ClientCaps {
        pull_diagnostics: capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some()),
        diagnostic_refresh: workspace.and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support)
            == Some(true),
        document_changes: workspace.and_then(|w| w.workspace_edit.as_ref()).and_then(|e| e.document_changes)
            == Some(true),
        watched_files_registration: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            == Some(true),
        configuration: workspace.and_then(|w| w.configuration) == Some(true),
        inlay_hint_refresh: workspace.and_then(|w| w.inlay_hint.as_ref()).and_then(|i| i.refresh_support) == Some(true),
        create_files: workspace.and_then(|w| w.workspace_edit.as_ref()).is_some_and(|edit| {
            edit.document_changes == Some(true)
                && edit.resource_operations.as_ref().is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
        }),
        snippets: capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            == Some(true),
    }
}

fn server_capabilities(encoding: Encoding) -> ServerCapabilities {
    let mut caps = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL_KIND)]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        // The folders bound where a code action may propose a new file: keep them current.
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some(SOURCE.to_owned()),
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    ide::capabilities(&mut caps);
    caps
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let handler = async {
            let encoding =
                Encoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
            let mut state = self.session.lock();
            state.encoding = encoding;
            state.caps = client_caps(&params.capabilities);
            state.workspace = WorkspaceRoots::from_initialize(&params);
            if let Some(options) = &params.initialization_options
                && let Err(Some(message)) = state.settings.set_client(options)
            {
                *self.startup_message.lock().unwrap_or_else(|p| p.into_inner()) = Some(message);
            }
            Ok(InitializeResult {
                capabilities: server_capabilities(encoding),
                server_info: Some(ServerInfo {
                    name: "bulkhead".to_owned(),
                    version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                }),
                offset_encoding: None,
            })
        };
        self.request("initialize", handler).await
    }

    async fn initialized(&self, _: InitializedParams) {
        let handler = async {
            if self.session.lock().caps.watched_files_registration {
                self.register_watchers();
            }
            let message = self.startup_message.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(message) = message {
                self.session.show(MessageType::ERROR, format!("{message}; using the defaults")).await;
            }
        };
        self.guarded("initialized", handler).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        self.guarded("didOpen", self.open(params)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.guarded("didChange", self.change(params)).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let handler = async {
            // Without file watching, a save is the moment to notice a changed `.dockerignore` or config.
            let watching = self.session.lock().caps.watched_files_registration;
            let is_ours = {
                let state = self.session.lock();
                let uri = &params.text_document.uri;
                state.docs.get(uri).is_some() || state.compose.contains(uri)
            };
            if !watching && is_ours {
                self.session.reconfigure_all().await;
            }
        };
        self.guarded("didSave", handler).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let handler = async {
            let uri = params.text_document.uri;
            let was_open = {
                let mut state = self.session.lock();
                state.models.forget(&uri);
                let compose = state.compose.close(&uri);
                state.docs.close(&uri) || compose
            };
            if was_open {
                self.session.clear(uri.clone()).await;
                compose::dockerfile_changed(&self.session, &uri).await;
            }
        };
        self.guarded("didClose", handler).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.guarded("didChangeConfiguration", self.configuration_changed(params)).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let handler = async {
            let relevant = params.changes.iter().any(|event| {
                let path = file_path(&event.uri);
                let name = path.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
                name.is_some_and(|name| bulkhead_project::is_watched_file(&name))
            });
            if relevant {
                self.session.reconfigure_all().await;
            }
        };
        self.guarded("didChangeWatchedFiles", handler).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let handler = async {
            let event = params.event;
            self.session.lock().workspace.change(&event.added, &event.removed);
        };
        self.guarded("didChangeWorkspaceFolders", handler).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.request("hover", self.hover_at(params)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.request("codeAction", self.code_actions(params)).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.request("textDocument/formatting", self.format(&params.text_document.uri, None)).await
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let range = Some(params.range);
        self.request("textDocument/rangeFormatting", self.format(&params.text_document.uri, range)).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        self.request("textDocument/diagnostic", self.pull_diagnostics(params)).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position_params;
        let uri = text_document.uri;
        self.query("textDocument/definition", &uri, |snap| Ok(ide::definition(snap, &uri, position)))
            .await
            .map(Option::flatten)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position;
        let (uri, declaration) = (text_document.uri, params.context.include_declaration);
        self.query("textDocument/references", &uri, |snap| Ok(ide::references(snap, &uri, position, declaration))).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position_params;
        self.query("textDocument/documentHighlight", &text_document.uri, |snap| Ok(ide::highlights(snap, position)))
            .await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let TextDocumentPositionParams { text_document, position } = params;
        self.query("textDocument/prepareRename", &text_document.uri, |snap| ide::prepare_rename(snap, position)).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position;
        let (uri, new_name) = (text_document.uri, params.new_name);
        self.query("textDocument/rename", &uri, |snap| ide::rename(snap, &uri, position, &new_name)).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position;
        self.query("textDocument/completion", &text_document.uri, |snap| Ok(ide::completion(snap, position))).await
    }

    async fn completion_resolve(&self, item: CompletionItem) -> Result<CompletionItem> {
        self.request("completionItem/resolve", async { Ok(ide::resolve(item)) }).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let symbols = |snap: &Snapshot| Ok(DocumentSymbolResponse::Nested(ide::document_symbols(snap)));
        self.query("textDocument/documentSymbol", &uri, symbols).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let handler = async {
            let uris = self.session.lock().docs.uris();
            let mut symbols = Vec::new();
            for uri in uris {
                if let Some(snap) = Snapshot::of(&self.session, &uri) {
                    symbols.extend(ide::workspace_symbols(&snap, &uri, &params.query));
                }
            }
            Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
        };
        self.request("workspace/symbol", handler).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.query("textDocument/foldingRange", &params.text_document.uri, |snap| Ok(ide::folding_ranges(snap))).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let handler = async {
            self.session.diagnostics_first(&uri).await;
            Ok(ide::semantic_tokens_full(&self.session, &uri))
        };
        self.request("textDocument/semanticTokens/full", handler).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let (uri, previous) = (params.text_document.uri, params.previous_result_id);
        let handler = async {
            self.session.diagnostics_first(&uri).await;
            Ok(ide::semantic_tokens_delta(&self.session, &uri, &previous))
        };
        self.request("textDocument/semanticTokens/full/delta", handler).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let (uri, range) = (params.text_document.uri, params.range);
        self.session.diagnostics_first(&uri).await;
        self.query("textDocument/inlayHint", &uri, |snap| Ok(ide::inlay_hints(snap, range))).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.query("textDocument/documentLink", &params.text_document.uri, |snap| Ok(ide::document_links(snap))).await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let TextDocumentPositionParams { text_document, position } = params.text_document_position_params;
        self.query("textDocument/signatureHelp", &text_document.uri, |snap| Ok(ide::signature_help(snap, position)))
            .await
            .map(Option::flatten)
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let range = params.range;
        self.query("textDocument/semanticTokens/range", &params.text_document.uri, |snap| {
            Ok(ide::semantic_tokens_range(snap, range))
        })
        .await
    }
}
