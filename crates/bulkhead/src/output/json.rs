//! `--format json`: an array of findings, sorted by path then position. Lines and columns are one-based,
//! columns count characters.

use std::io::{self, Write};

use bulkhead_analysis::{Diagnostic, Fix};
use serde::Serialize;

use bulkhead_analysis::doc_url;

use crate::output::new_file_path;
use crate::report::FileReport;

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    start: JsonPosition,
    end: JsonPosition,
    fixes: Vec<JsonFix<'a>>,
    url: String,
}

#[derive(Serialize)]
struct JsonPosition {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'a str,
    edits: Vec<JsonEdit<'a>>,
    /// Files the fix creates beside the Dockerfile (BH801's `.dockerignore`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    new_files: Vec<JsonNewFile<'a>>,
}

#[derive(Serialize)]
struct JsonNewFile<'a> {
    path: String,
    content: &'a str,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: JsonPosition,
    end: JsonPosition,
    new_text: &'a str,
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let findings: Vec<JsonFinding<'_>> = reports
        .iter()
        .flat_map(|report| report.diagnostics.iter().map(move |diagnostic| finding(report, diagnostic)))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)?;
    out.flush()
}

fn finding<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic) -> JsonFinding<'a> {
    JsonFinding {
        path: &report.path,
        code: diagnostic.code,
        name: diagnostic.name,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        start: json_position(report, diagnostic.range.start),
        end: json_position(report, diagnostic.range.end),
        fixes: diagnostic.fixes.iter().map(|fix| json_fix(report, fix)).collect(),
        url: doc_url(diagnostic.code),
    }
}

fn json_fix<'a>(report: &FileReport, fix: &'a Fix) -> JsonFix<'a> {
    JsonFix {
        title: &fix.title,
        applicability: fix.applicability.as_str(),
        edits: fix
            .edits
            .iter()
            .map(|edit| JsonEdit {
                start: json_position(report, edit.range.start),
                end: json_position(report, edit.range.end),
                new_text: &edit.new_text,
            })
            .collect(),
        new_files: fix
            .new_files
            .iter()
            .map(|file| JsonNewFile { path: new_file_path(&report.path, file.name()), content: &file.content })
            .collect(),
    }
}

fn json_position(report: &FileReport, offset: usize) -> JsonPosition {
    let at = report.position(offset);
    JsonPosition { line: at.line, column: at.column }
}
