//! The document store: every open Dockerfile as a [`Document`] (text + incremental re-parse), its
//! version, what it is linted with, and the latest lint result.
//!
//! Invariant: the store is only touched synchronously (under the session's `std::sync::Mutex`, never
//! across an `.await`), so open/change/close notifications apply strictly in the order they arrived.
//!
//! Every change bumps the document's *generation*, and so does every change of its settings or build
//! context. A lint result carries the generation it was computed for and is stored or published only
//! while that generation is still current: a stale result can never reach the client.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bulkhead_analysis::{BuildContext, InstructionMemo, Settings};
use bulkhead_syntax::{Dockerfile, Document, LineIndex, ShellCache, TextEdit};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::convert::{Coords, Encoding};
use crate::diagnostics::Lint;

/// An open Dockerfile.
pub struct OpenDocument {
    pub version: i32,
    /// Bumped by every change of the text, the settings or the build context.
    pub generation: u64,
    /// The file on disk, when the URI is a `file:` URI.
    pub path: Option<PathBuf>,
    pub settings: Arc<Settings>,
    pub build: Arc<BuildContext>,
    /// The latest lint result, for [`Self::generation`] or an older one.
    pub lint: Option<Arc<Lint>>,
    /// The rule failures last reported to the client, so a panicking rule is logged once, not per keystroke.
    pub reported_failures: Vec<String>,
    /// A lint task is running for this document: at most one runs per document, and it lints the newest
    /// generation again when it finishes, so a burst of keystrokes costs one lint in flight, not one each.
    linting: bool,
    /// The text and its parse (re-parsed by every change, so the last snapshot is the current text).
    document: Document,
    /// The findings of the rules' instruction checks by instruction text, from the lints of earlier
    /// versions: a keystroke re-runs them on the edited instruction only. Made at the first change, so a
    /// document that is only read costs no memory for it.
    pub memo: Option<Arc<Mutex<InstructionMemo>>>,
}

impl OpenDocument {
    /// The parse of the current text.
    pub fn snapshot(&self) -> Arc<Dockerfile> {
        self.document.last_snapshot().clone()
    }

    /// A lint task runs for this document.
    pub fn is_linting(&self) -> bool {
        self.linting
    }

    /// The latest lint result when it is for the current text and settings.
    pub fn current_lint(&self) -> Option<Arc<Lint>> {
        self.lint.clone().filter(|lint| lint.generation == self.generation)
    }
}

/// What a `didChange` did.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Applied (the document's lint task picks it up). A `previous_version` not below the new one is the
    /// client's bug: the change is applied all the same, since the text must follow the client.
    Applied { previous_version: i32 },
    /// The document is not open (or not a Dockerfile): nothing was applied.
    NotOpen,
}

#[derive(Default)]
pub struct DocumentStore {
    docs: HashMap<Uri, OpenDocument>,
    /// Open documents that are not Dockerfiles: their changes are dropped without a warning.
    foreign: HashSet<Uri>,
    next_generation: u64,
    /// Shell parses, shared by every open document: a `RUN` that several files share is stored once.
    shells: ShellCache,
}

impl DocumentStore {
    fn bump(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    pub fn get(&self, uri: &Uri) -> Option<&OpenDocument> {
        self.docs.get(uri)
    }

    /// The shell parses of every open document (a handle to the one shared cache).
    pub fn shells(&self) -> ShellCache {
        self.shells.clone()
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.docs.keys().cloned().collect()
    }

    pub fn is_foreign(&self, uri: &Uri) -> bool {
        self.foreign.contains(uri)
    }

    /// Remembers a document the server does not lint, so its changes are dropped quietly.
    pub fn open_foreign(&mut self, uri: Uri) {
        self.docs.remove(&uri);
        self.foreign.insert(uri);
    }

    /// Opens (or reopens) a document and parses it.
    pub fn open(&mut self, uri: Uri, version: i32, text: &str, settings: Arc<Settings>, build: Arc<BuildContext>) {
        let generation = self.bump();
        let document = Document::with_cache(text, self.shells.clone());
        let doc = OpenDocument {
            version,
            generation,
            path: file_path(&uri),
            settings,
            build,
            lint: None,
            reported_failures: Vec::new(),
            linting: false,
            document,
            memo: None,
        };
        self.foreign.remove(&uri);
        self.docs.insert(uri, doc);
    }

    /// Applies the content changes of one `didChange`, in order, and re-parses.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) -> ChangeOutcome {
        let generation = self.bump();
        let Some(doc) = self.docs.get_mut(uri) else {
            return ChangeOutcome::NotOpen;
        };
        // Positions of the first change refer to the current snapshot; those of each later change to the
        // text after the changes before it, which is materialised only when a notification has several.
        for (change_idx, change) in changes.iter().enumerate() {
            let Some(range) = change.range else {
                doc.document.set_text(&change.text);
                continue;
            };
            let text_range = if change_idx == 0 {
                Coords::of(doc.document.last_snapshot(), encoding).text_range(range)
            } else {
                let text = doc.document.text();
                let index = LineIndex::new(text);
                Coords::new(text, &index, encoding).text_range(range)
            };
            doc.document.apply(&TextEdit { range: text_range, new_text: change.text.clone() });
        }
        doc.memo.get_or_insert_with(Arc::default);
        let previous_version = doc.version;
        doc.version = version;
        doc.generation = generation;
        doc.document.snapshot();
        ChangeOutcome::Applied { previous_version }
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.foreign.remove(uri);
        self.docs.remove(uri).is_some()
    }

    /// Gives a document new settings and build context. Returns its new generation.
    pub fn reconfigure(&mut self, uri: &Uri, settings: Arc<Settings>, build: Arc<BuildContext>) -> Option<u64> {
        let generation = self.bump();
        let doc = self.docs.get_mut(uri)?;
        doc.settings = settings;
        doc.build = build;
        doc.generation = generation;
        Some(generation)
    }

    /// Stores a lint result if it is still current. Returns the document's version when it was stored.
    pub fn store_lint(&mut self, uri: &Uri, lint: Arc<Lint>) -> Option<i32> {
        let doc = self.docs.get_mut(uri)?;
        if doc.generation != lint.generation {
            return None;
        }
        doc.lint = Some(lint);
        Some(doc.version)
    }

    /// Claims the document's lint slot. False when a lint task already runs for it (that task will lint
    /// the newest generation before it stops) or the document is not open.
    pub fn begin_lint(&mut self, uri: &Uri) -> bool {
        match self.docs.get_mut(uri) {
            Some(doc) if !doc.linting => {
                doc.linting = true;
                true
            }
            _ => false,
        }
    }

    /// Called by the lint task after it linted (or tried to lint) `attempted`: the generation to lint next
    /// when the document moved on meanwhile, else `None`, and the slot is released.
    pub fn end_lint(&mut self, uri: &Uri, attempted: u64) -> Option<u64> {
        let doc = self.docs.get_mut(uri)?;
        if doc.generation != attempted {
            return Some(doc.generation);
        }
        doc.linting = false;
        None
    }

    /// Releases the lint slot whatever happened (the lint task failed).
    pub fn release_lint(&mut self, uri: &Uri) {
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.linting = false;
        }
    }

    /// Records the rule failures of a lint; returns true when they differ from the last ones reported.
    pub fn note_failures(&mut self, uri: &Uri, failures: Vec<String>) -> bool {
        let Some(doc) = self.docs.get_mut(uri) else {
            return false;
        };
        if doc.reported_failures == failures {
            return false;
        }
        doc.reported_failures = failures;
        true
    }
}

/// True when the server lints this document: language id `dockerfile`, or a Dockerfile's file name
/// whatever the client calls the language.
pub fn is_dockerfile(uri: &Uri, language_id: &str) -> bool {
    language_id.eq_ignore_ascii_case("dockerfile") || is_dockerfile_name(&file_name(uri))
}

/// `Dockerfile`, `Containerfile`, `*.dockerfile`, `Dockerfile.*` and `Containerfile.*`, in any case.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

/// The last path segment of a URI, percent-decoded.
pub fn file_name(uri: &Uri) -> String {
    let path = uri.path().decode().to_string_lossy().into_owned();
    path.rsplit(['/', '\\', ':']).next().unwrap_or_default().to_owned()
}

/// The file system path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|path| path.into_owned())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;

    fn uri(text: &str) -> Uri {
        Uri::from_str(text).unwrap()
    }

    #[test]
    fn recognises_dockerfiles() {
        for name in ["Dockerfile", "dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.dev", "x.dockerfile"] {
            assert!(is_dockerfile(&uri(&format!("file:///w/{name}")), "plaintext"), "{name}");
        }
        assert!(is_dockerfile(&uri("untitled:Untitled-1"), "dockerfile"));
        assert!(is_dockerfile(&uri("untitled:Dockerfile"), "plaintext"));
        assert!(!is_dockerfile(&uri("file:///w/main.rs"), "rust"));
        assert!(!is_dockerfile(&uri("file:///w/Dockerfiles.md"), "markdown"));
        assert!(is_dockerfile(&uri("file:///w/my%20app.dockerfile"), "plaintext"));
    }

    #[test]
    fn applies_several_changes_in_order() {
        let mut store = DocumentStore::default();
        let doc_uri = uri("file:///w/Dockerfile");
        store.open(doc_uri.clone(), 1, "FROM a\n", Arc::default(), Arc::default());
        let at = |line, character| Position { line, character };
        let changes = [
            TextDocumentContentChangeEvent {
                range: Some(Range { start: at(1, 0), end: at(1, 0) }),
                range_length: None,
                text: "RUN 😀\n".into(),
            },
            // Refers to the text after the first change: line 1 now exists.
            TextDocumentContentChangeEvent {
                range: Some(Range { start: at(1, 6), end: at(1, 6) }),
                range_length: None,
                text: "!".into(),
            },
            // Past the end: clamps.
            TextDocumentContentChangeEvent {
                range: Some(Range { start: at(40, 0), end: at(41, 3) }),
                range_length: None,
                text: "CMD x".into(),
            },
        ];
        assert!(matches!(store.change(&doc_uri, 2, &changes, Encoding::Utf16), ChangeOutcome::Applied { .. }));
        assert_eq!(store.get(&doc_uri).unwrap().snapshot().text(), "FROM a\nRUN 😀!\nCMD x");
        assert_eq!(store.change(&uri("file:///w/other"), 1, &changes, Encoding::Utf16), ChangeOutcome::NotOpen);
    }

    /// The LSP position of byte `offset`, computed here independently of `convert.rs`: lines end at `\n`,
    /// `\r\n` or a lone `\r`; columns count UTF-8 bytes or UTF-16 units.
    fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
        let (mut line, mut col) = (0, 0);
        let mut chars = text[..offset].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => (line, col) = (line + 1, 0),
                c => col += if encoding == Encoding::Utf8 { c.len_utf8() } else { c.len_utf16() } as u32,
            }
        }
        Position { line, character: col }
    }

    /// A char boundary at or after `offset` that is not between the `\r` and `\n` of a CRLF.
    fn boundary(text: &str, mut offset: usize) -> usize {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset)
            || (offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
        {
            offset += 1;
        }
        offset
    }

    const PIECES: &[&str] = &[
        "a",
        "é",
        "漢",
        "🐳",
        " ",
        "\n",
        "\r\n",
        "\r",
        " \\\n",
        "RUN ",
        "FROM alpine\n",
        "$X",
        "${Y:-z}",
        "<<EOF\n",
        "EOF\n",
        "# c\n",
        "\"",
        "RUN apt-get install -y curl\n",
        "",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 64, ..Default::default() })]

        /// Random edit streams through the store (several changes per notification, positions in either
        /// encoding): the store's tree and lint always equal a fresh parse and lint of the client's text.
        #[test]
        fn random_edit_streams_match_a_fresh_parse(
            notifications in proptest::collection::vec(
                proptest::collection::vec((0.0f64..1.0, 0usize..12, 0usize..PIECES.len()), 1..4), 1..40),
            utf8 in proptest::bool::ANY,
        ) {
            let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let mut text = "FROM debian:bookworm\r\nRUN apt-get update && \\\n  apt-get install -y curl 漢\nUSER app\n".to_owned();
            let mut store = DocumentStore::default();
            let doc_uri = uri("file:///w/Dockerfile");
            let build = Arc::new(BuildContext::without_dockerignore());
            let settings = Arc::new(Settings::default());
            store.open(doc_uri.clone(), 0, &text, settings.clone(), build.clone());
            for (version, changes) in notifications.iter().enumerate() {
                let mut events = Vec::new();
                for &(at, len, piece) in changes {
                    let start = boundary(&text, (at * text.len() as f64) as usize);
                    let end = boundary(&text, start + len);
                    let range = Range { start: position(&text, start, encoding), end: position(&text, end, encoding) };
                    events.push(TextDocumentContentChangeEvent { range: Some(range), range_length: None, text: PIECES[piece].to_owned() });
                    text.replace_range(start..end, PIECES[piece]);
                }
                let outcome = store.change(&doc_uri, version as i32 + 1, &events, encoding);
                proptest::prop_assert!(matches!(outcome, ChangeOutcome::Applied { .. }), "{:?}", outcome);
                let snapshot = store.get(&doc_uri).unwrap().snapshot();
                proptest::prop_assert_eq!(snapshot.text(), text.as_str());
                let fresh = bulkhead_syntax::parse(&text);
                proptest::prop_assert_eq!(format!("{:?}", snapshot.instructions()), format!("{:?}", fresh.instructions()));
                // Each version is linted through the document's memo, as the server does, and equals a
                // fresh check of the same text.
                let memo = store.get(&doc_uri).unwrap().memo.clone();
                let ours = crate::diagnostics::lint(&snapshot, &build, &settings, memo.as_deref(), 0, 0).report;
                let fresh = bulkhead_analysis::check_file(&fresh, &build, &settings);
                proptest::prop_assert_eq!(format!("{:?}", ours.diagnostics), format!("{:?}", fresh.diagnostics));
            }
        }
    }
}
