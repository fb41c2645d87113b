//! `--format sarif`: one SARIF 2.1.0 run.
//!
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), as in the JSON and human formats.
//! `tool.driver.rules` lists the rules that have results, in code order, with their documentation as help.
//! Paths are relative URIs against `%SRCROOT%` (the directory bulkhead ran in) unless they were absolute.

use std::collections::BTreeMap;
use std::io::{self, Write};

use bulkhead_analysis::{Applicability, Diagnostic, RULES, Rule, Severity};
use serde::Serialize;

use bulkhead_analysis::doc_url;

use crate::output::new_file_path;
use crate::report::FileReport;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/bulkhead-dev/bulkhead";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: MultiformatMessage<'a>,
    full_description: MultiformatMessage<'a>,
    help: MultiformatMessage<'a>,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct MultiformatMessage<'a> {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<&'a str>,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Message,
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    // The rules with results, in code order; a result points at its rule by index.
    let used: BTreeMap<&str, &Rule> = reports
        .iter()
        .flat_map(|report| &report.diagnostics)
        .filter_map(|diagnostic| RULES.iter().copied().find(|rule| rule.code == diagnostic.code))
        .map(|rule| (rule.code, rule))
        .collect();
    let rule_index: BTreeMap<&str, usize> = used.keys().enumerate().map(|(idx, code)| (*code, idx)).collect();
    let mut results = Vec::new();
    for report in reports {
        let artifact = artifact_location(&report.path);
        for diagnostic in &report.diagnostics {
            let rule_index = rule_index.get(diagnostic.code).copied().unwrap_or_default();
            results.push(result(report, diagnostic, rule_index, &artifact));
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "bulkhead",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: used.values().map(|rule| descriptor(rule)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)?;
    out.flush()
}

fn descriptor(rule: &Rule) -> ReportingDescriptor<'_> {
    let doc = rule.doc.trim();
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: MultiformatMessage { text: rule.summary.to_owned(), markdown: None },
        full_description: MultiformatMessage {
            text: what_it_does(doc).unwrap_or_else(|| rule.summary.to_owned()),
            markdown: None,
        },
        help: MultiformatMessage { text: doc.to_owned(), markdown: Some(doc) },
        help_uri: doc_url(rule.code),
        default_configuration: Configuration { enabled: rule.enabled_by_default, level: level(rule.severity) },
    }
}

fn result<'a>(
    report: &FileReport,
    diagnostic: &'a Diagnostic,
    rule_index: usize,
    artifact: &ArtifactLocation,
) -> SarifResult<'a> {
    let fixes = diagnostic
        .fixes
        .iter()
        .map(|fix| SarifFix {
            description: Message {
                text: match fix.applicability {
                    Applicability::Safe => fix.title.clone(),
                    Applicability::Unsafe => format!("{} (unsafe)", fix.title),
                },
            },
            artifact_changes: std::iter::once(ArtifactChange {
                artifact_location: artifact.clone(),
                replacements: fix
                    .edits
                    .iter()
                    .map(|edit| Replacement {
                        deleted_region: region(report, edit.range.start, edit.range.end),
                        inserted_content: Message { text: edit.new_text.clone() },
                    })
                    .collect(),
            })
            .filter(|change| !change.replacements.is_empty())
            // A file the fix creates: its whole content inserted at the start of a new artifact.
            .chain(fix.new_files.iter().map(|file| ArtifactChange {
                artifact_location: artifact_location(&new_file_path(&report.path, file.name())),
                replacements: vec![Replacement {
                    deleted_region: Region { start_line: 1, start_column: 1, end_line: 1, end_column: 1 },
                    inserted_content: Message { text: file.content.clone() },
                }],
            }))
            .collect(),
        })
        .collect();
    SarifResult {
        rule_id: diagnostic.code,
        rule_index,
        level: level(diagnostic.severity),
        message: Message { text: diagnostic.message.clone() },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact.clone(),
                region: region(report, diagnostic.range.start, diagnostic.range.end),
            },
        }],
        fixes,
    }
}

/// The first paragraph of the doc's `## What it does` section, on one line.
fn what_it_does(doc: &str) -> Option<String> {
    let (_, rest) = doc.split_once("## What it does")?;
    let paragraph = rest.trim_start().split("\n\n").next()?;
    let res = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    (!res.is_empty() && !res.starts_with('#')).then_some(res)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn region(report: &FileReport, start: usize, end: usize) -> Region {
    let start = report.position(start);
    let end = report.position(end);
    Region { start_line: start.line, start_column: start.column, end_line: end.line, end_column: end.column }
}

fn artifact_location(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        ArtifactLocation { uri: format!("file://{}", encode_uri_path(&path)), uri_base_id: None }
    } else {
        ArtifactLocation { uri: encode_uri_path(&path), uri_base_id: Some("%SRCROOT%") }
    }
}

/// Percent-encodes what may not appear in a URI path (and `:`, which would read as a scheme).
fn encode_uri_path(path: &str) -> String {
    let mut res = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte);
        if keep {
            res.push(byte as char);
        } else {
            res.push_str(&format!("%{byte:02X}"));
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(artifact_location("a b/Dockerfile").uri, "a%20b/Dockerfile");
        assert_eq!(artifact_location("<stdin>").uri, "%3Cstdin%3E");
        assert_eq!(artifact_location("c:d/é").uri, "c%3Ad/%C3%A9");
        let absolute = artifact_location("/srv/app/Dockerfile");
        assert_eq!(absolute.uri, "file:///srv/app/Dockerfile");
        assert!(absolute.uri_base_id.is_none());
    }
}
