//! `bulkhead rules` and `bulkhead explain`: the registry as a table, as JSON, or one rule's documentation.

use std::io::{self, Write};

use anyhow::bail;
use bulkhead_analysis::{FixAvailability, RULES, Rule, rules};
use serde::Serialize;

use crate::Status;
use crate::args::RulesFormat;
use bulkhead_analysis::doc_url;

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    enabled_by_default: bool,
    fix: &'static str,
    practice: &'static str,
    summary: &'static str,
    /// The same check in other tools (hadolint, BuildKit, Trivy, Checkov, Semgrep ids).
    aliases: &'static [&'static str],
    url: String,
}

pub fn list(format: RulesFormat) -> anyhow::Result<Status> {
    let mut out = io::stdout().lock();
    match format {
        RulesFormat::Human => write_table(&mut out)?,
        RulesFormat::Json => {
            let rules: Vec<JsonRule> = RULES
                .iter()
                .filter(|rule| !rule.is_test_only())
                .map(|rule| JsonRule {
                    code: rule.code,
                    name: rule.name,
                    severity: rule.severity.as_str(),
                    enabled_by_default: rule.enabled_by_default,
                    fix: fix_availability(rule),
                    practice: rule.practice.title(),
                    summary: rule.summary,
                    aliases: rule.aliases,
                    url: doc_url(rule.code),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rules)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Status::Clean)
}

pub fn explain(code_or_name: &str) -> anyhow::Result<Status> {
    let Some(rule) = rules::find(code_or_name.trim()) else {
        bail!("unknown rule `{code_or_name}`: run `bulkhead rules` to list them");
    };
    let mut out = io::stdout().lock();
    out.write_all(rule.render_doc().as_bytes())?;
    out.flush()?;
    Ok(Status::Clean)
}

fn fix_availability(rule: &Rule) -> &'static str {
    match rule.fix {
        FixAvailability::None => "none",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}

fn write_table(out: &mut dyn Write) -> io::Result<()> {
    let header = ["CODE", "NAME", "SEVERITY", "DEFAULT", "FIX", "PRACTICE"];
    let rows: Vec<[&str; 6]> = RULES
        .iter()
        .filter(|rule| !rule.is_test_only())
        .map(|rule| {
            [
                rule.code,
                rule.name,
                rule.severity.as_str(),
                if rule.enabled_by_default { "on" } else { "off" },
                fix_availability(rule),
                rule.practice.title(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (idx, cell) in row.iter().enumerate() {
            if idx + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[idx]));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
