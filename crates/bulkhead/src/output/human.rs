//! `--format human`: a code frame per finding (annotate-snippets), then a summary line.
//!
//! Always rendered with styles; the caller writes through `anstream`, which drops them when stdout is not
//! a terminal (and honours `NO_COLOR` / `CLICOLOR_FORCE`).

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use bulkhead_analysis::{Applicability, Diagnostic, Severity};
use bulkhead_syntax::floor_char_boundary;

use crate::report::{FileReport, plural};
use bulkhead_analysis::doc_url;

/// `suggest_fix`: mention `--fix` when safe fixes are left (not after `--fix` itself ran).
pub fn write(out: &mut dyn Write, reports: &[FileReport], suggest_fix: bool) -> io::Result<()> {
    let renderer = Renderer::styled();
    for report in reports {
        for diagnostic in &report.diagnostics {
            let url = doc_url(diagnostic.code);
            writeln!(out, "{}\n", renderer.render(&[group(report, diagnostic, &url)]))?;
        }
    }
    summary(out, reports, suggest_fix)?;
    out.flush()
}

fn group<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic, url: &'a str) -> Group<'a> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::NOTE.with_name("hint"),
    };
    // Only the lines the finding covers go to the renderer: a frame costs the same in a 50,000-line file.
    let text = &report.text;
    let index = &report.line_index;
    let start = floor_char_boundary(text, diagnostic.range.start);
    let end = floor_char_boundary(text, diagnostic.range.end.max(start));
    let start_line = index.line_of(start);
    let mut end_line = index.line_of(end);
    // A range that ends with its line break ends on the line before.
    if end_line > start_line && index.line_start(end_line) == end {
        end_line -= 1;
    }
    let frame_start = index.line_start(start_line);
    let frame_end = index.line_content_end(text, end_line).max(frame_start);
    let span_start = start.clamp(frame_start, frame_end) - frame_start;
    let span_end = end.clamp(frame_start, frame_end) - frame_start;
    let snippet = Snippet::source(&text[frame_start..frame_end])
        .line_start(start_line + 1)
        .path(report.path.as_str())
        .annotation(AnnotationKind::Primary.span(span_start..span_end));
    let fixes = diagnostic.fixes.iter().map(|fix| {
        let kind = match fix.applicability {
            Applicability::Safe => "safe fix",
            Applicability::Unsafe => "unsafe fix",
        };
        Level::HELP.message(format!("{} ({kind})", fix.title))
    });
    level.primary_title(diagnostic.message.as_str()).id(diagnostic.code).id_url(url).element(snippet).elements(fixes)
}

fn summary(out: &mut dyn Write, reports: &[FileReport], suggest_fix: bool) -> io::Result<()> {
    if reports.is_empty() {
        return Ok(());
    }
    let files = plural(reports.len(), "file", "files");
    let diagnostics: Vec<&Diagnostic> = reports.iter().flat_map(|report| &report.diagnostics).collect();
    if diagnostics.is_empty() {
        return writeln!(out, "No problems found in {files}.");
    }
    let mut counts = Vec::new();
    for (severity, one, many) in [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "infos"),
        (Severity::Hint, "hint", "hints"),
    ] {
        let n = diagnostics.iter().filter(|diagnostic| diagnostic.severity == severity).count();
        if n > 0 {
            counts.push(plural(n, one, many));
        }
    }
    let with_findings = reports.iter().filter(|report| !report.diagnostics.is_empty()).count();
    let place = match with_findings == reports.len() {
        true => files,
        false => format!("{with_findings} of {files}"),
    };
    writeln!(out, "Found {} ({}) in {place}.", plural(diagnostics.len(), "problem", "problems"), counts.join(", "))?;
    let fixable = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.fixes.iter().any(|fix| fix.applicability == Applicability::Safe))
        .count();
    if suggest_fix && fixable > 0 {
        writeln!(out, "{} a safe fix: run `bulkhead check --fix`.", plural(fixable, "problem has", "problems have"))?;
    }
    Ok(())
}
