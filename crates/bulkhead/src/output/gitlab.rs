//! `--format gitlab`: a GitLab Code Quality report, the JSON array a CI job uploads as
//! `artifacts:reports:codequality` and merge requests show as findings that appeared or went away.
//!
//! Each finding has the fields GitLab documents as required: `description` (the code and the message),
//! `check_name` (the rule code), `fingerprint`, `severity` and `location.path` with `location.lines.begin`
//! (and `end`). Severities: error `critical`, warning `major`, info `minor`, hint `info` (`blocker` is not
//! used: bulkhead has no level above error).
//!
//! GitLab compares two reports by fingerprint, so it must stay the same while the finding does and differ
//! between findings: it hashes the path, the rule code and the text the finding covers, not its line, so
//! moving the code keeps it, and not the message, so rewording a message in a new release keeps it too.
//! When one file has the same finding on identical text twice, the second one's hash also takes its
//! occurrence number.

use std::collections::HashMap;
use std::io::{self, Write};

use bulkhead_analysis::Severity;
use bulkhead_syntax::floor_char_boundary;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::report::FileReport;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let mut issues = Vec::new();
    for report in reports {
        let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
        for diagnostic in &report.diagnostics {
            let text = covered_text(report, diagnostic.range.start, diagnostic.range.end);
            let occurrence = seen.entry((diagnostic.code, text)).or_default();
            let fingerprint = fingerprint(&report.path, diagnostic.code, text, *occurrence);
            *occurrence += 1;
            let (begin, end) = report.lines(diagnostic.range);
            issues.push(Issue {
                description: format!("{}: {}", diagnostic.code, diagnostic.message),
                check_name: diagnostic.code,
                fingerprint,
                severity: severity(diagnostic.severity),
                location: Location { path: &report.path, lines: Lines { begin, end } },
            });
        }
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)?;
    out.flush()
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Hint => "info",
    }
}

/// The text a finding covers, trimmed (indentation and the line break do not make a finding another).
fn covered_text(report: &FileReport, start: usize, end: usize) -> &str {
    let text = &report.text;
    let start = floor_char_boundary(text, start.min(text.len()));
    let end = floor_char_boundary(text, end.clamp(start, text.len()));
    text[start..end].trim()
}

/// A hex SHA-256 of the parts, each ended by a NUL so that no two lists of parts run together.
fn fingerprint(path: &str, code: &str, text: &str, occurrence: u32) -> String {
    let mut hasher = Sha256::new();
    for part in [path, code, text] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    if occurrence > 0 {
        hasher.update(occurrence.to_le_bytes());
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_by_every_part() {
        let base = fingerprint("Dockerfile", "BH201", "FROM alpine", 0);
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint("Dockerfile", "BH201", "FROM alpine", 0));
        for other in [
            fingerprint("app/Dockerfile", "BH201", "FROM alpine", 0),
            fingerprint("Dockerfile", "BH202", "FROM alpine", 0),
            fingerprint("Dockerfile", "BH201", "FROM alpine:3", 0),
            fingerprint("Dockerfile", "BH201", "FROM alpine", 1),
            // The separators keep the parts apart.
            fingerprint("DockerfileBH201", "", "FROM alpine", 0),
        ] {
            assert_ne!(base, other);
        }
    }
}
