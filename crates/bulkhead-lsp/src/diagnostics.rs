//! Findings as LSP diagnostics: the engine's report for one snapshot, converted when sent. `Diagnostic.data`
//! carries only the version and byte range of the finding; a code action finds the finding's fixes in the
//! stored lint of that version, so nothing is recomputed, every publish stays small (on a 10k-line file,
//! fixes in `data` made each publish 50% larger and twice as slow for the client to parse), and no edit a
//! client sends back is ever applied.
//!
//! Also the build-context facts of a document, read from disk by `bulkhead_project` as the CLI reads them.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex, OnceLock, TryLockError};

use bulkhead_analysis::{BuildContext, ImageRef, InstructionMemo, Report, Settings, Severity, Tag, doc_url};
use bulkhead_syntax::{Dockerfile, TextRange};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::notification::{Notification, PublishDiagnostics};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, PublishDiagnosticsParams, Range,
    Uri,
};

use crate::convert::{Coords, Encoding};

pub const SOURCE: &str = "bulkhead";

/// The lint of one snapshot of a document. Its LSP form is computed when it is sent ([`Self::items`]),
/// not kept: with every file of a workspace open, converted diagnostics would weigh more than the reports.
#[derive(Debug)]
pub struct Lint {
    /// The document generation (text + settings + build context) this was computed for.
    pub generation: u64,
    /// The document version the report's byte offsets refer to.
    pub version: i32,
    pub report: Report,
    /// The image references whose registry facts the rules use, when look-ups are on for the document
    /// (empty otherwise): listed here, on the lint's engine thread, so the handlers never parse for it.
    pub images: Vec<ImageRef>,
    /// The diagnostics of this lint as the JSON array that goes on the wire ([`Self::wire_items`]), made
    /// once per version for a client that pulls: on the engine thread right after the lint, and every pull
    /// of this version answers with these bytes. A push client sends the same bytes in its one publish and
    /// keeps nothing ([`publish_lint_frame`]): with every file of a workspace open, they would weigh more
    /// than the reports.
    wire: OnceLock<(Encoding, WireItems)>,
}

/// The wire bytes of a lint's diagnostics, or why they could not be made.
type WireItems = Result<Arc<[u8]>, String>;

impl Lint {
    /// `report.diagnostics` as LSP diagnostics, in the same order. `file` is the snapshot linted. The
    /// server sends [`Self::wire_items`]: this is the typed form the tests hold it equal to.
    #[cfg(test)]
    pub fn items(&self, file: &Dockerfile, encoding: Encoding) -> Vec<Diagnostic> {
        report_items(&self.report, &Coords::of(file, encoding), self.version)
    }

    /// The diagnostics as a JSON array, the same JSON as [`Self::items`] serialized (a test holds them
    /// equal), written straight from the report and kept: the first call serializes, the next ones share
    /// the bytes. `file` is the snapshot linted; `encoding` the session's, which never changes.
    pub fn wire_items(&self, file: &Dockerfile, encoding: Encoding) -> Result<Arc<[u8]>, String> {
        let (kept_for, wire) =
            self.wire.get_or_init(|| (encoding, self.serialize_items(file, encoding).map(Arc::from)));
        match *kept_for == encoding {
            true => wire.clone(),
            // Not in a session (its encoding is fixed at `initialize`): made again, not kept.
            false => self.serialize_items(file, encoding).map(Arc::from),
        }
    }

    /// The diagnostics as a JSON array, serialized now (what [`Self::wire_items`] keeps).
    fn serialize_items(&self, file: &Dockerfile, encoding: Encoding) -> Result<Vec<u8>, String> {
        serde_json::to_vec(&Wire { lint: self, coords: Coords::of(file, encoding) }).map_err(|err| err.to_string())
    }
}

/// A report's findings as LSP diagnostics, in the same order; `coords` are those of the text checked.
pub fn report_items(report: &Report, coords: &Coords<'_>, version: i32) -> Vec<Diagnostic> {
    // A link per rule, not per finding: parsing the URL was a tenth of the conversion.
    let mut links: HashMap<&str, Option<CodeDescription>> = HashMap::new();
    let mut link = |code: &'static str| {
        links
            .entry(code)
            .or_insert_with(|| Uri::from_str(&doc_url(code)).ok().map(|href| CodeDescription { href }))
            .clone()
    };
    report.diagnostics.iter().map(|diagnostic| to_lsp(coords, diagnostic, link(diagnostic.code), version)).collect()
}

/// What rides in `Diagnostic.data`: the version the byte offsets refer to and the finding's byte range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticData {
    pub version: i32,
    /// The finding's byte range, `[start, end]`.
    pub range: [usize; 2],
}

impl DiagnosticData {
    fn of(diagnostic: &bulkhead_analysis::Diagnostic, version: i32) -> Self {
        Self { version, range: [diagnostic.range.start, diagnostic.range.end] }
    }

    pub fn from_diagnostic(diagnostic: &Diagnostic) -> Option<Self> {
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }

    pub fn range(&self) -> TextRange {
        TextRange::new(self.range[0], self.range[1].max(self.range[0]))
    }
}

/// Lints a snapshot. Pure: the settings and build context were resolved before. With a memo of the
/// document's earlier lints, the instruction checks run on the changed instructions only (same report).
pub fn lint(
    file: &Dockerfile,
    build: &BuildContext,
    settings: &Settings,
    memo: Option<&Mutex<InstructionMemo>>,
    generation: u64,
    version: i32,
) -> Lint {
    // Another lint of the document holding the memo (a request's, beside the lint task) goes without. A
    // memo left poisoned by a panic during a check may be half updated: start a new one.
    let memo = memo.and_then(|memo| match memo.try_lock() {
        Ok(memo) => Some(memo),
        Err(TryLockError::Poisoned(poisoned)) => {
            let mut memo = poisoned.into_inner();
            *memo = InstructionMemo::new();
            Some(memo)
        }
        Err(TryLockError::WouldBlock) => None,
    });
    let report = match memo {
        Some(mut memo) => bulkhead_analysis::check_file_memo(file, build, settings, &mut memo),
        None => bulkhead_analysis::check_file(file, build, settings),
    };
    let images = if settings.registry.enabled { bulkhead_analysis::image_references(file) } else { Vec::new() };
    Lint { generation, version, report, images, wire: OnceLock::new() }
}

/// A `textDocument/publishDiagnostics` notification as a whole frame for [`crate::output::Output`].
pub fn publish_frame(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> serde_json::Result<Vec<u8>> {
    let params = PublishDiagnosticsParams { uri, diagnostics, version };
    crate::framing::notification(PublishDiagnostics::METHOD, &params)
}

/// The publish of a lint as a whole frame: the same JSON as [`publish_frame`] with [`Lint::items`] (a test
/// holds them equal), made of [`Lint::wire_items`], the diagnostics written straight from the report
/// without building the `Diagnostic` values first, which copied each finding's message, code, link and
/// data into new allocations: on a 10,000-line file that was half of the time from the end of the check
/// to the first byte on the wire.
pub fn publish_lint_frame(uri: &Uri, lint: &Lint, file: &Dockerfile, encoding: Encoding) -> Result<Vec<u8>, String> {
    let items = lint.serialize_items(file, encoding)?;
    let uri = serde_json::to_string(uri).map_err(|err| err.to_string())?;
    let head =
        format!(r#"{{"jsonrpc":"2.0","method":"{}","params":{{"uri":{uri},"diagnostics":"#, PublishDiagnostics::METHOD);
    let tail = format!(r#","version":{}}}}}"#, lint.version);
    let mut body = Vec::with_capacity(head.len() + items.len() + tail.len());
    body.extend_from_slice(head.as_bytes());
    body.extend_from_slice(&items);
    body.extend_from_slice(tail.as_bytes());
    Ok(crate::framing::frame(&body))
}

/// The full report of a pull for a lint, as the JSON of a `textDocument/diagnostic` result cut in three:
/// what comes before the diagnostics, the diagnostics ([`Lint::wire_items`], shared with every pull of
/// the version), and what comes after them. The same JSON as tower-lsp-server's serialization of a
/// `FullDocumentDiagnosticReport` with [`Lint::items`] (a test holds them equal).
pub fn pull_report_parts(
    lint: &Lint,
    file: &Dockerfile,
    encoding: Encoding,
    result_id: &str,
) -> Result<(String, Arc<[u8]>, &'static str), String> {
    let items = lint.wire_items(file, encoding)?;
    let result_id = serde_json::to_string(result_id).map_err(|err| err.to_string())?;
    Ok((format!(r#"{{"kind":"full","resultId":{result_id},"items":"#), items, "}"))
}

/// A lint's diagnostics as they go on the wire.
struct Wire<'a> {
    lint: &'a Lint,
    coords: Coords<'a>,
}

impl Serialize for Wire<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Item<'a> {
            range: Range,
            severity: DiagnosticSeverity,
            code: &'static str,
            code_description: Link<'a>,
            source: &'static str,
            message: &'a str,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            tags: Vec<DiagnosticTag>,
            data: DiagnosticData,
        }
        #[derive(Serialize)]
        struct Link<'a> {
            href: &'a str,
        }
        use serde::ser::SerializeSeq;
        let diagnostics = &self.lint.report.diagnostics;
        let mut links: HashMap<&str, String> = HashMap::new();
        let mut seq = serializer.serialize_seq(Some(diagnostics.len()))?;
        for diagnostic in diagnostics {
            let href = links.entry(diagnostic.code).or_insert_with(|| doc_url(diagnostic.code));
            seq.serialize_element(&Item {
                range: self.coords.range(diagnostic.range),
                severity: severity(diagnostic.severity),
                code: diagnostic.code,
                code_description: Link { href },
                source: SOURCE,
                message: &diagnostic.message,
                tags: tags(diagnostic),
                data: DiagnosticData::of(diagnostic, self.lint.version),
            })?;
        }
        seq.end()
    }
}

fn tags(diagnostic: &bulkhead_analysis::Diagnostic) -> Vec<DiagnosticTag> {
    diagnostic
        .tags
        .iter()
        .map(|tag| match tag {
            Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => DiagnosticTag::DEPRECATED,
        })
        .collect()
}

fn to_lsp(
    coords: &Coords<'_>,
    diagnostic: &bulkhead_analysis::Diagnostic,
    code_description: Option<CodeDescription>,
    version: i32,
) -> Diagnostic {
    let data = DiagnosticData::of(diagnostic, version);
    let tags = tags(diagnostic);
    Diagnostic {
        range: coords.range(diagnostic.range),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description,
        source: Some(SOURCE.to_owned()),
        message: diagnostic.message.clone(),
        related_information: None,
        tags: (!tags.is_empty()).then_some(tags),
        data: serde_json::to_value(data).ok(),
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The code of a diagnostic of ours.
pub fn code_of(diagnostic: &Diagnostic) -> Option<&str> {
    if diagnostic.source.as_deref() != Some(SOURCE) {
        return None;
    }
    match &diagnostic.code {
        Some(NumberOrString::String(code)) => Some(code),
        _ => None,
    }
}

/// The build context of a document: read from beside it on disk, as `bulkhead check` does
/// ([`bulkhead_project::build_context`]); `None` (unknown) for unsaved documents. With today's date.
pub fn build_context(path: Option<&Path>) -> BuildContext {
    // Today's date for the end-of-life rule (BH106).
    BuildContext { today: bulkhead_project::today(), ..path.map(bulkhead_project::build_context).unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use bulkhead_analysis::DockerignoreState;

    use super::*;

    #[test]
    fn data_names_the_version_and_byte_range() {
        let file = bulkhead_syntax::parse("FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        let lint = lint(&file, &BuildContext::default(), &Settings::default(), None, 1, 7);
        let items = lint.items(&file, Encoding::Utf16);
        let item = items.iter().find(|d| code_of(d) == Some("BH903")).unwrap();
        assert_eq!(item.code_description.as_ref().unwrap().href.as_str(), doc_url("BH903"));
        let data = DiagnosticData::from_diagnostic(item).unwrap();
        assert_eq!(data.version, 7);
        let finding = lint.report.diagnostics.iter().find(|d| d.code == "BH903").unwrap();
        assert_eq!(data.range(), finding.range);
        assert_eq!(&file.text()[data.range().start..data.range().end], "apk add curl");
    }

    /// The body of a frame as JSON.
    fn body(frame: &[u8]) -> serde_json::Value {
        let start = frame.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        serde_json::from_slice(&frame[start..]).unwrap()
    }

    /// The publish and the pulled report written straight from the report are those of the `Diagnostic`
    /// values, for every
    /// rule's spec files (every code, tags, fixes) and text with CRLF, CJK and emoji, in both encodings.
    #[test]
    fn the_wire_publish_and_pull_equal_the_typed_ones() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bulkhead-analysis/tests/specs");
        let mut texts: Vec<String> = std::fs::read_dir(specs)
            .unwrap()
            .flat_map(|rule| std::fs::read_dir(rule.unwrap().path()).unwrap())
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect();
        texts.push("FROM alpine\r\nLABEL note=\"漢字 🐳\"\r\nRUN apk add curl # 🐳\r\nMAINTAINER me\r\n".to_owned());
        let settings = Settings::from_config(&bulkhead_analysis::Config {
            select: Some(vec!["ALL".into()]),
            ..Default::default()
        })
        .unwrap();
        let uri = Uri::from_str("file:///w/Dockerfile").unwrap();
        let mut compared = 0;
        for text in &texts {
            let file = bulkhead_syntax::parse(text);
            let lint = lint(&file, &BuildContext::default(), &settings, None, 1, 4);
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let wire = publish_lint_frame(&uri, &lint, &file, encoding).unwrap();
                let typed = publish_frame(uri.clone(), lint.items(&file, encoding), Some(4)).unwrap();
                assert_eq!(body(&wire), body(&typed), "{text}");
                // The pulled report of the version: the same diagnostics, as tower-lsp-server would write the
                // typed report.
                let (head, items, tail) = pull_report_parts(&lint, &file, encoding, "7").unwrap();
                let pulled: serde_json::Value =
                    serde_json::from_slice(&[head.as_bytes(), &items, tail.as_bytes()].concat()).unwrap();
                let report = tower_lsp_server::ls_types::FullDocumentDiagnosticReport {
                    result_id: Some("7".to_owned()),
                    items: lint.items(&file, encoding),
                };
                let report = tower_lsp_server::ls_types::DocumentDiagnosticReport::Full(
                    tower_lsp_server::ls_types::RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: report,
                    },
                );
                assert_eq!(pulled, serde_json::to_value(report).unwrap(), "{text}");
                assert_eq!(pulled["items"], body(&wire)["params"]["diagnostics"]);
                compared += lint.report.diagnostics.len();
            }
        }
        assert!(compared > 500, "{compared} diagnostics compared");
    }

    #[test]
    fn reads_the_dockerignore_beside_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("api.Dockerfile");
        assert!(matches!(build_context(Some(&doc)).dockerignore, Some(DockerignoreState::Missing)));
        std::fs::write(dir.path().join(".dockerignore"), ".git\n").unwrap();
        std::fs::write(dir.path().join("api.Dockerfile.dockerignore"), ".env\n").unwrap();
        let Some(DockerignoreState::Present(ignore)) = build_context(Some(&doc)).dockerignore else { panic!() };
        assert_eq!(ignore.file_name, "api.Dockerfile.dockerignore");
        assert!(build_context(None).dockerignore.is_none());
    }
}
