//! Compose files in the server: their own documents, linted by the engine's Compose check, with the
//! same diagnostics, hover (the finding first) and code actions (the engine's fixes, ignore comments) as
//! Dockerfiles. A Compose document is never parsed as a Dockerfile, and a Dockerfile never as YAML.
//!
//! A Compose file is small and its check fast (a 1,000-line file in about 2 ms), so a change is linted
//! at once in its handler, with no task or memo; the publish goes through the session's publish lock and
//! is dropped when a newer version was linted meanwhile.
//!
//! A service with `build:` is linked to its Dockerfile: the document's context holds the text of each
//! Dockerfile it builds, the open document's text before the disk ([`context`]). Changing, opening or
//! closing such a Dockerfile lints the Compose documents that build it again ([`dockerfile_changed`]).
//! (A Dockerfile's own findings do not depend on Compose files, so nothing goes the other way; its hover
//! on `USER`/`HEALTHCHECK` names the services that override them: [`dockerfile_overrides`].)
//!
//! Invariant, as for Dockerfiles: the store is touched only synchronously, before the first `.await`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_analysis::model::Model;
use bulkhead_analysis::suppress::parse_comment;
use bulkhead_analysis::{
    Applicability, BuildContext, ComposeFile, Edit, FileKind, FixSelection, ImageRef, Report, Settings, apply_edits,
};
use bulkhead_syntax::{ColumnUnit, Dockerfile, InstructionKind, LineIndex, TextRange};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionParams, Diagnostic, DocumentDiagnosticParams, Hover, MessageType, Position,
    TextDocumentContentChangeEvent, Uri,
};

use crate::code_action::{self, FIX_ALL_KIND};
use crate::convert::{Coords, Encoding};
use crate::diagnostics::{self, code_of};
use crate::documents::file_path;
use crate::session::{Session, State};

/// The language ids editors give Compose files: VS Code's Docker extension and Helix (`dockercompose`),
/// Neovim (`yaml.docker-compose`), and Helix's language name.
const LANGUAGE_IDS: &[&str] = &["dockercompose", "yaml.docker-compose", "docker-compose"];

/// What the server lints a document as: a Dockerfile by its language id, a Compose file by its language
/// id, then either by its file name (`compose.yaml` as `yaml`; `Dockerfile` as `plaintext`). `None`: not
/// ours.
pub fn kind_of(uri: &Uri, language_id: &str) -> Option<FileKind> {
    if language_id.eq_ignore_ascii_case("dockerfile") {
        return Some(FileKind::Dockerfile);
    }
    if LANGUAGE_IDS.iter().any(|id| id.eq_ignore_ascii_case(language_id)) {
        return Some(FileKind::Compose);
    }
    if bulkhead_project::is_compose_name(&crate::documents::file_name(uri)) {
        return Some(FileKind::Compose);
    }
    crate::documents::is_dockerfile(uri, language_id).then_some(FileKind::Dockerfile)
}

/// An open Compose file.
pub struct ComposeDoc {
    pub version: i32,
    /// The file on disk, when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
    text: String,
    index: LineIndex,
    settings: Arc<Settings>,
    /// The linked Dockerfiles' texts (see [`context`]).
    build: Arc<BuildContext>,
    /// Where those Dockerfiles are (read or not): a change of one of them lints this document again.
    linked: Vec<PathBuf>,
    /// Bumped by every change of the text or of what it is linted with.
    generation: u64,
    /// The lint of the current generation (linted at once, so never an older one once stored).
    lint: Option<Arc<ComposeLint>>,
}

/// The lint of one version of a Compose document.
pub struct ComposeLint {
    pub generation: u64,
    pub version: i32,
    pub report: Report,
    /// With registry look-ups on: the images whose facts the check reads
    /// ([`bulkhead_analysis::FileKind::image_references`]).
    pub images: Vec<ImageRef>,
}

impl ComposeDoc {
    fn coords(&self, encoding: Encoding) -> Coords<'_> {
        Coords::new(&self.text, &self.index, encoding)
    }

    fn current_lint(&self) -> Option<Arc<ComposeLint>> {
        self.lint.clone().filter(|lint| lint.generation == self.generation)
    }
}

#[derive(Default)]
pub struct ComposeDocs {
    docs: HashMap<Uri, ComposeDoc>,
    next_generation: u64,
}

impl ComposeDocs {
    fn bump(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    pub fn contains(&self, uri: &Uri) -> bool {
        self.docs.contains_key(uri)
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.docs.remove(uri).is_some()
    }
}

/// What a lint needs, taken under the lock.
struct Job {
    generation: u64,
    version: i32,
    text: String,
    settings: Arc<Settings>,
    build: Arc<BuildContext>,
}

impl State {
    fn compose_job(&self, uri: &Uri) -> Option<Job> {
        let doc = self.compose.docs.get(uri)?;
        Some(Job {
            generation: doc.generation,
            version: doc.version,
            text: doc.text.clone(),
            settings: doc.settings.clone(),
            build: doc.build.clone(),
        })
    }
}

/// Opens a Compose document and lints it.
pub async fn open(session: &Arc<Session>, uri: Uri, version: i32, text: String) {
    let path = file_path(&uri);
    let (resolved, _) = session.configure(path.as_deref());
    let (build, linked) = context(session, path.as_deref(), &text, &resolved.settings);
    {
        let mut state = session.lock();
        state.docs.open_foreign(uri.clone());
        let compose = &mut state.compose;
        let generation = compose.bump();
        let index = LineIndex::new(&text);
        let settings = resolved.settings;
        let doc = ComposeDoc { version, path, text, index, settings, build, linked, generation, lint: None };
        compose.docs.insert(uri.clone(), doc);
    }
    lint_and_publish(session, &uri).await;
    for message in resolved.messages {
        session.show(MessageType::WARNING, message).await;
    }
}

/// Applies a `didChange` to a Compose document and lints it. False when `uri` is not an open Compose
/// document (the Dockerfile store handles it).
pub async fn change(
    session: &Arc<Session>,
    uri: &Uri,
    version: i32,
    changes: &[TextDocumentContentChangeEvent],
) -> bool {
    let (applied, path, text, settings) = {
        let mut state = session.lock();
        let encoding = state.encoding;
        let compose = &mut state.compose;
        let generation = compose.bump();
        let Some(doc) = compose.docs.get_mut(uri) else { return false };
        for change in changes {
            match change.range {
                Some(range) => {
                    let range = doc.coords(encoding).text_range(range);
                    doc.text.replace_range(range.as_range(), &change.text);
                }
                None => doc.text = change.text.clone(),
            }
            doc.index = LineIndex::new(&doc.text);
        }
        let previous = doc.version;
        doc.version = version;
        doc.generation = generation;
        (previous, doc.path.clone(), doc.text.clone(), doc.settings.clone())
    };
    // The services may now build other Dockerfiles.
    let (build, linked) = context(session, path.as_deref(), &text, &settings);
    if let Some(doc) = session.lock().compose.docs.get_mut(uri) {
        (doc.build, doc.linked) = (build, linked);
    }
    if version <= applied {
        session.log(MessageType::WARNING, format!("{}: version {version} after {applied}", uri.as_str())).await;
    }
    lint_and_publish(session, uri).await;
    true
}

/// The build context of a Compose document at `path`: the Dockerfiles its services build, each the open
/// document's text when it is open, else the file on disk; and where they all are; with look-ups on, the
/// registry facts the session knows (never a look-up here: [`look_up_images`] starts them after a lint).
/// No Dockerfiles for an unsaved document (no folder to resolve paths against).
fn context(
    session: &Session,
    path: Option<&Path>,
    text: &str,
    settings: &Settings,
) -> (Arc<BuildContext>, Vec<PathBuf>) {
    let facts = |build: BuildContext| session.lock().registry.attach(build, &settings.registry);
    let Some(path) = path else { return (Arc::new(facts(BuildContext::default())), Vec::new()) };
    let linked = std::cell::RefCell::new(Vec::new());
    let build = bulkhead_project::compose_context(path, text, |dockerfile| {
        linked.borrow_mut().push(dockerfile.to_path_buf());
        let open = {
            let state = session.lock();
            state.docs.uris().into_iter().find_map(|uri| {
                let doc = state.docs.get(&uri).filter(|doc| doc.path.as_deref() == Some(dockerfile))?;
                Some(doc.snapshot().text().to_owned())
            })
        };
        open.or_else(|| bulkhead_project::read_dockerfile(dockerfile))
    });
    (Arc::new(facts(build)), linked.into_inner())
}

/// After a Dockerfile was opened, changed or closed: lints the open Compose documents that build it.
pub async fn dockerfile_changed(session: &Arc<Session>, uri: &Uri) {
    let Some(path) = file_path(uri) else { return };
    let uris: Vec<Uri> = {
        let state = session.lock();
        state.compose.docs.iter().filter(|(_, doc)| doc.linked.contains(&path)).map(|(uri, _)| uri.clone()).collect()
    };
    relint(session, uris, false).await;
}

/// Lints the current version of a Compose document, stores it, and publishes it to a pushing client.
async fn lint_and_publish(session: &Arc<Session>, uri: &Uri) {
    let Some(lint) = lint(session, uri) else { return };
    let (push, encoding) = {
        let state = session.lock();
        (!state.caps.pull_diagnostics, state.encoding)
    };
    if !push {
        return;
    }
    let frame = {
        let state = session.lock();
        let Some(doc) = state.compose.docs.get(uri) else { return };
        let items = diagnostics::report_items(&lint.report, &doc.coords(encoding), lint.version);
        diagnostics::publish_frame(uri.clone(), items, Some(lint.version))
    };
    let generation = lint.generation;
    session.publish_if(frame, |state| state.compose.docs.get(uri).is_some_and(|d| d.generation == generation)).await;
}

/// The current lint of a Compose document, linting it now when it has none (and then, with look-ups on,
/// looking up in the background the images it lists that have no facts yet).
fn lint(session: &Arc<Session>, uri: &Uri) -> Option<Arc<ComposeLint>> {
    let job = {
        let state = session.lock();
        let doc = state.compose.docs.get(uri)?;
        if let Some(lint) = doc.current_lint() {
            return Some(lint);
        }
        state.compose_job(uri)?
    };
    let report = crate::session::guard("lint", || FileKind::Compose.check(&job.text, &job.build, &job.settings));
    let report = match report {
        Ok(report) => report,
        Err(message) => {
            eprintln!("bulkhead: {message}");
            Report::default()
        }
    };
    let images = match job.settings.registry.enabled {
        true => FileKind::Compose.image_references(&job.text, &job.build),
        false => Vec::new(),
    };
    let lint = Arc::new(ComposeLint { generation: job.generation, version: job.version, report, images });
    {
        let mut state = session.lock();
        let doc = state.compose.docs.get_mut(uri)?;
        if doc.generation == job.generation {
            doc.lint = Some(lint.clone());
        }
    }
    look_up_images(session, uri, &lint);
    Some(lint)
}

/// After a lint of a Compose document: the images it lists without facts are looked up in the
/// background, as for Dockerfiles (`Session::look_up_images`); each answer lints the document again.
fn look_up_images(session: &Arc<Session>, uri: &Uri, lint: &ComposeLint) {
    if lint.images.is_empty() {
        return;
    }
    let plan = {
        let mut state = session.lock();
        let Some(doc) = state.compose.docs.get(uri) else { return };
        if doc.generation != lint.generation || !doc.settings.registry.enabled {
            return;
        }
        let (settings, have) = (doc.settings.registry.clone(), doc.build.images.clone());
        state.registry.plan(uri, &settings, &have, &lint.images, std::time::Instant::now())
    };
    session.start_lookups(uri, plan);
}

/// Lints Compose documents again with the registry facts the session found since their context was made.
pub async fn refresh_facts(session: Arc<Session>, uris: Vec<Uri>) {
    relint(&session, uris, false).await;
}

/// Settings and linked Dockerfiles resolved again for every open Compose document, which is linted again.
pub async fn reconfigure_all(session: &Arc<Session>) {
    let uris: Vec<Uri> = session.lock().compose.docs.keys().cloned().collect();
    relint(session, uris, true).await;
}

/// Lints the given Compose documents again, reading their settings (`reconfigure`) and linked
/// Dockerfiles anew.
async fn relint(session: &Arc<Session>, uris: Vec<Uri>, reconfigure: bool) {
    let pull = session.lock().caps.pull_diagnostics;
    if pull && !uris.is_empty() {
        // Asks the client to pull again (the lints happen then).
        session.relint(Vec::new());
    }
    for uri in uris {
        let Some((path, text)) = session.lock().compose.docs.get(&uri).map(|d| (d.path.clone(), d.text.clone())) else {
            continue;
        };
        let settings = match reconfigure {
            true => session.configure(path.as_deref()).0.settings,
            false => match session.lock().compose.docs.get(&uri) {
                Some(doc) => doc.settings.clone(),
                None => continue,
            },
        };
        let (build, linked) = context(session, path.as_deref(), &text, &settings);
        {
            let mut state = session.lock();
            let compose = &mut state.compose;
            let generation = compose.bump();
            let Some(doc) = compose.docs.get_mut(&uri) else { continue };
            doc.settings = settings;
            (doc.build, doc.linked) = (build, linked);
            doc.generation = generation;
        }
        if !pull {
            lint_and_publish(session, &uri).await;
        }
    }
}

/// The hover at `position` of a Compose document: the findings there, most severe first.
pub fn hover(session: &Arc<Session>, uri: &Uri, position: Position) -> Option<Option<Hover>> {
    if !session.lock().compose.contains(uri) {
        return None;
    }
    let lint = lint(session, uri);
    let state = session.lock();
    let Some(doc) = state.compose.docs.get(uri) else { return Some(None) };
    let Some(lint) = lint.filter(|lint| lint.version == doc.version) else { return Some(None) };
    let coords = doc.coords(state.encoding);
    let offset = coords.offset(position);
    let (sections, range) = crate::hover::finding_sections(&lint.report, offset);
    let Some(range) = range else { return Some(None) };
    Some(Some(crate::hover::markdown(sections.join("\n\n---\n\n"), coords.range(range))))
}

/// The pulled diagnostics of a Compose document: `(result id, items)`, or `None` when it is not one.
pub fn pull(session: &Arc<Session>, params: &DocumentDiagnosticParams) -> Option<(String, Vec<Diagnostic>)> {
    let uri = &params.text_document.uri;
    session.lock().compose.docs.get(uri)?;
    let lint = lint(session, uri)?;
    let state = session.lock();
    let doc = state.compose.docs.get(uri)?;
    let items = diagnostics::report_items(&lint.report, &doc.coords(state.encoding), lint.version);
    Some((format!("compose-{}", lint.generation), items))
}

/// The code actions of a Compose document: each fix of a finding in the request, "ignore" comments for
/// the entry and the file, and the safe fixes all at once. `None` when it is not a Compose document.
pub fn code_actions(session: &Arc<Session>, params: &CodeActionParams) -> Option<Vec<CodeAction>> {
    let uri = &params.text_document.uri;
    session.lock().compose.docs.get(uri)?;
    let lint = lint(session, uri);
    let state = session.lock();
    let doc = state.compose.docs.get(uri)?;
    let coords = doc.coords(state.encoding);
    let document_changes = state.caps.document_changes;
    let edit = |edits: &[Edit]| -> Option<tower_lsp_server::ls_types::WorkspaceEdit> {
        let fixed = apply_edits(&doc.text, edits);
        let worse = FileKind::Compose.syntax_errors(&fixed) > FileKind::Compose.syntax_errors(&doc.text);
        (fixed != doc.text && !worse)
            .then(|| code_action::document_edit(uri, doc.version, document_changes, &coords, edits))
    };
    let only = params.context.only.as_deref();
    let mut actions = Vec::new();
    let lint = lint.filter(|lint| lint.version == doc.version);
    if let Some(lint) = lint.filter(|_| code_action::wants(only, CodeActionKind::QUICKFIX.as_str())) {
        let mut ignore_titles = Vec::new();
        for diagnostic in &params.context.diagnostics {
            let Some(code) = code_of(diagnostic) else { continue };
            let Some(finding) = code_action::finding_in(&lint.report, doc.version, diagnostic, code, &coords) else {
                continue;
            };
            for fix in finding.fixes.iter().filter(|fix| fix.new_files.is_empty()) {
                let Some(edit) = edit(&fix.edits) else { continue };
                let preferred = Some(fix.applicability == Applicability::Safe);
                actions.push(code_action::quick_fix(fix.title.clone(), diagnostic, edit, preferred));
            }
            let ignores = [
                (
                    format!("Ignore {code} for this entry"),
                    ignore_entry_edit(&doc.text, &doc.index, code, finding.range),
                ),
                (format!("Ignore {code} for this file"), ignore_file_edit(&doc.text, code)),
            ];
            for (title, ignore) in ignores {
                let Some(ignore) = ignore.filter(|_| !ignore_titles.contains(&title)) else { continue };
                let Some(edit) = edit(&[ignore]) else { continue };
                ignore_titles.push(title.clone());
                actions.push(code_action::quick_fix(title, diagnostic, edit, None));
            }
        }
    }
    if code_action::wants(only, FIX_ALL_KIND) {
        let fixed =
            bulkhead_analysis::fix_all_of(FileKind::Compose, &doc.text, &doc.build, &doc.settings, FixSelection::Safe);
        if fixed.text != doc.text
            && let Some(edit) = edit(&[code_action::changed_lines(&doc.text, &fixed.text)])
        {
            actions.push(CodeAction {
                title: "Fix all safely fixable bulkhead findings".to_owned(),
                kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
                edit: Some(edit),
                ..CodeAction::default()
            });
        }
    }
    Some(actions)
}

/// `# bulkhead ignore=CODE` on its own line above the line the finding starts on, indented like it (the
/// comment covers the entry or item that starts on the next line: a service's name covers the service),
/// or `,CODE` appended to such a comment already there.
fn ignore_entry_edit(text: &str, index: &LineIndex, code: &str, finding: TextRange) -> Option<Edit> {
    let line = index.line_of(finding.start);
    let line_start = index.line_start(line);
    let content = &text[line_start..index.line_content_end(text, line)];
    let indent = &content[..content.len() - content.trim_start_matches(' ').len()];
    code_action::ignore_comment_above(text, index, line, indent, code, newline(text))
}

/// `# bulkhead global ignore=CODE` on the first line, or `,CODE` appended to such a comment on it.
fn ignore_file_edit(text: &str, code: &str) -> Option<Edit> {
    let after_bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let first = text[after_bom..].split(['\r', '\n']).next().unwrap_or_default();
    let comment = first.trim_start().strip_prefix('#').and_then(parse_comment);
    if let Some(comment) = comment.filter(|c| c.tool == "bulkhead" && c.global) {
        if comment.selectors.iter().any(|s| s.eq_ignore_ascii_case(code)) {
            return None;
        }
        return Some(Edit::insert(after_bom + first.trim_end().len(), format!(",{code}")));
    }
    Some(Edit::insert(after_bom, format!("# bulkhead global ignore={code}{}", newline(text))))
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The Compose file names looked for beside a Dockerfile, as Compose looks for them in a folder.
const BESIDE: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

/// For the hover on a Dockerfile's `USER` or `HEALTHCHECK` keyword at `offset`: the Compose services that
/// run this instruction's stage (their `build:` names this Dockerfile, and their `target`, else the last
/// stage, is that stage or is built `FROM` it) and set `user:` or `healthcheck:`, which win over it at run
/// time. The Compose files are the open ones that build this Dockerfile (the link that re-lints them when
/// it changes) and those beside it on disk (`compose.yaml`...). `None` when no service overrides it.
pub fn dockerfile_overrides(session: &Session, path: &Path, file: &Dockerfile, offset: usize) -> Option<String> {
    let (index, instruction) =
        file.instructions().iter().enumerate().find(|(_, i)| i.keyword.range.touches(offset) && i.trigger.is_none())?;
    let (key, what) = match InstructionKind::from_keyword(&instruction.keyword.value) {
        InstructionKind::User => ("user", "`USER`"),
        InstructionKind::Healthcheck => ("healthcheck", "`HEALTHCHECK`"),
        _ => return None,
    };
    let model = Model::new(file);
    let stage = model.stage_of(index)?.index;
    let dir = path.parent()?;
    // The candidates: open documents that build this Dockerfile, then the files beside it.
    let mut candidates: Vec<(PathBuf, String)> = {
        let state = session.lock();
        state
            .compose
            .docs
            .values()
            .filter(|doc| doc.linked.iter().any(|linked| linked == path))
            .filter_map(|doc| Some((doc.path.clone()?, doc.text.clone())))
            .collect()
    };
    for name in BESIDE {
        let beside = dir.join(name);
        if !candidates.iter().any(|(open, _)| *open == beside)
            && let Some(text) = bulkhead_project::read_dockerfile(&beside)
        {
            candidates.push((beside, text));
        }
    }
    let mut lines = Vec::new();
    for (compose_path, text) in candidates {
        let compose = ComposeFile::parse(&text);
        let compose_dir = compose_path.parent().unwrap_or(Path::new("."));
        let index = LineIndex::new(&text);
        for service in &compose.services {
            let Some(build) = service.build(&compose) else { continue };
            let Some(linked) = build.dockerfile_path() else { continue };
            if compose_dir.join(&linked) != path {
                continue;
            }
            let runs = match &build.target {
                Some(target) => model.stage_by_name(target),
                None => model.final_stage().map(|stage| stage.index),
            };
            let Some(runs) = runs.and_then(|runs| model.stages.get(runs)) else { continue };
            if !model.ancestry(runs, usize::MAX).iter().any(|(ancestor, _)| ancestor.index == stage) {
                continue;
            }
            let Some(entry) = service.get(&compose, key) else { continue };
            let line = index.line_col(&text, compose.yaml.node(entry.key).range.start, ColumnUnit::Char).line + 1;
            let set = match key {
                "user" => format!("`user: {}`", compose.written(entry.value)),
                _ => "its own `healthcheck:`".to_owned(),
            };
            let place = place_link(dir, &compose_path, line);
            lines.push(format!("- service `{}` in {place} sets {set}", service.name));
        }
    }
    if lines.is_empty() {
        return None;
    }
    Some(format!("**Compose overrides this {what}** when it runs the service:\n\n{}", lines.join("\n")))
}

/// Where a Compose entry is, for the Dockerfile's hover: the file's path relative to the Dockerfile's
/// folder (`compose.yaml`, `../compose.yaml`) and the line, as a markdown link to the file at that line
/// (`file:///...#L4`, which VS Code opens at the line). The link text carries the path and the line, so
/// an editor that shows only a link's text (Helix, Neovim with concealing) or the raw markdown (Neovim
/// without it) still reads `compose.yaml` line 4.
fn place_link(dockerfile_dir: &Path, compose: &Path, line: u32) -> String {
    let shown = relative_path(dockerfile_dir, compose);
    match Uri::from_file_path(compose) {
        Some(uri) => format!("[`{shown}` line {line}]({}#L{line})", uri.as_str()),
        None => format!("`{shown}` line {line}"),
    }
}

/// `path` relative to the folder `from` (both absolute): `compose.yaml`, `../compose.yaml`,
/// `deploy/compose.yaml`; the path itself when they share no root.
fn relative_path(from: &Path, path: &Path) -> String {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), path.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.display().to_string();
    }
    let ups = std::iter::repeat_n("..".to_owned(), from.len() - common);
    let rest = to[common..].iter().map(|part| part.as_os_str().to_string_lossy().into_owned());
    ups.chain(rest).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    #[test]
    fn compose_places_relative_to_the_dockerfile() {
        let dir = Path::new("/w/api");
        assert_eq!(relative_path(dir, Path::new("/w/api/compose.yaml")), "compose.yaml");
        assert_eq!(relative_path(dir, Path::new("/w/compose.yaml")), "../compose.yaml");
        assert_eq!(relative_path(dir, Path::new("/w/deploy/prod/compose.yml")), "../deploy/prod/compose.yml");
        assert_eq!(
            place_link(dir, Path::new("/w/my stack/compose.yaml"), 4),
            "[`../my stack/compose.yaml` line 4](file:///w/my%20stack/compose.yaml#L4)"
        );
    }

    use super::*;

    #[test]
    fn kinds_by_language_id_and_name() {
        let uri = |text: &str| Uri::from_str(text).unwrap();
        let compose = Some(FileKind::Compose);
        assert_eq!(kind_of(&uri("file:///w/stack.yml"), "dockercompose"), compose);
        assert_eq!(kind_of(&uri("file:///w/stack.yml"), "yaml.docker-compose"), compose);
        assert_eq!(kind_of(&uri("file:///w/docker-compose.prod.yml"), "yaml"), compose);
        assert_eq!(kind_of(&uri("file:///w/stack.yml"), "yaml"), None);
        assert_eq!(kind_of(&uri("file:///w/values.yaml"), "yaml"), None);
        assert_eq!(kind_of(&uri("file:///w/Dockerfile"), "plaintext"), Some(FileKind::Dockerfile));
        assert_eq!(kind_of(&uri("file:///w/compose.yaml"), "dockerfile"), Some(FileKind::Dockerfile));
    }

    #[test]
    fn ignore_comments() {
        let text = "services:\r\n  web:\r\n    privileged: true\r\n";
        let index = LineIndex::new(text);
        let at = text.find("true").unwrap();
        let edit = ignore_entry_edit(text, &index, "BH710", TextRange::new(at, at + 4)).unwrap();
        assert_eq!(
            apply_edits(text, &[edit]),
            "services:\r\n  web:\r\n    # bulkhead ignore=BH710\r\n    privileged: true\r\n"
        );
        let text = "services:\n  # bulkhead ignore=BH712\n  web:\n    image: x\n";
        let index = LineIndex::new(text);
        let at = text.find("web").unwrap();
        let edit = ignore_entry_edit(text, &index, "BH713", TextRange::new(at, at + 3)).unwrap();
        assert_eq!(apply_edits(text, &[edit]), "services:\n  # bulkhead ignore=BH712,BH713\n  web:\n    image: x\n");
        assert!(ignore_entry_edit(text, &index, "BH712", TextRange::new(at, at + 3)).is_none());
        let edit = ignore_file_edit(text, "BH720").unwrap();
        assert!(apply_edits(text, &[edit]).starts_with("# bulkhead global ignore=BH720\nservices:"));
        let text = "# bulkhead global ignore=BH720\nservices: {}\n";
        let edit = ignore_file_edit(text, "BH730").unwrap();
        assert_eq!(apply_edits(text, &[edit]), "# bulkhead global ignore=BH720,BH730\nservices: {}\n");
    }
}
