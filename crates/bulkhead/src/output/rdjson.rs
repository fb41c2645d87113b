//! `--format rdjson`: the Reviewdog Diagnostic Format's `DiagnosticResult` JSON, which `reviewdog -f=rdjson`
//! reads to comment on pull requests (and to offer fixes as suggested changes).
//!
//! Positions follow the format: lines one-based, columns one-based **UTF-8 byte** counts (not characters
//! as in the other formats), ends exclusive. Severities: `ERROR`, `WARNING`, `INFO` (hints too). A fix
//! becomes a suggestion when it is one edit to the Dockerfile itself: reviewdog treats each suggestion as a
//! whole replacement, so a fix of several edits, or one that creates a file, cannot be one.

use std::io::{self, Write};

use bulkhead_analysis::{Diagnostic, Severity};
use bulkhead_syntax::ColumnUnit;
use serde::Serialize;

use crate::report::FileReport;
use bulkhead_analysis::doc_url;

const SOURCE: Source = Source { name: "bulkhead", url: "https://github.com/bulkhead-dev/bulkhead" };

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Clone, Copy, Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: &'a str,
    location: Location<'a>,
    severity: &'static str,
    source: Source,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    range: Range,
    text: &'a str,
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let diagnostics = reports
        .iter()
        .flat_map(|report| report.diagnostics.iter().map(move |diagnostic| convert(report, diagnostic)))
        .collect();
    let result = DiagnosticResult { source: SOURCE, diagnostics };
    serde_json::to_writer_pretty(&mut *out, &result)?;
    writeln!(out)?;
    out.flush()
}

fn convert<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic) -> RdDiagnostic<'a> {
    let suggestions = diagnostic
        .fixes
        .iter()
        .filter(|fix| fix.new_files.is_empty())
        .filter_map(|fix| match fix.edits.as_slice() {
            [edit] => Some(Suggestion { range: range(report, edit.range.start, edit.range.end), text: &edit.new_text }),
            _ => None,
        })
        .collect();
    RdDiagnostic {
        message: &diagnostic.message,
        location: Location { path: &report.path, range: range(report, diagnostic.range.start, diagnostic.range.end) },
        severity: match diagnostic.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info | Severity::Hint => "INFO",
        },
        source: SOURCE,
        code: Code { value: diagnostic.code, url: doc_url(diagnostic.code) },
        suggestions,
    }
}

fn range(report: &FileReport, start: usize, end: usize) -> Range {
    let at = |offset| {
        let at = report.position_in(offset, ColumnUnit::Utf8);
        Position { line: at.line, column: at.column }
    };
    Range { start: at(start), end: at(end.max(start)) }
}
