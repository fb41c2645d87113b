//! Output formats. Each turns [`FileReport`]s (plain engine values: byte ranges, strings, enums) into its
//! own representation; JSON and SARIF have their own serde types here, converted by hand.

pub mod human;
pub mod json;
pub mod sarif;

use bulkhead_syntax::{ColumnUnit, LineCol};

use crate::check::FileReport;

pub use bulkhead_analysis::doc_url as rule_url;

/// A byte offset as a one-based line and a one-based column counted in characters.
pub fn position(report: &FileReport, offset: usize) -> LineCol {
    let at = report.line_index.line_col(&report.text, offset, ColumnUnit::Char);
    LineCol { line: at.line + 1, column: at.column + 1 }
}

/// Where a file that a fix creates goes, shown like the report's own path: beside the Dockerfile.
pub fn new_file_path(report_path: &str, name: &str) -> String {
    let dir = std::path::Path::new(report_path).parent().unwrap_or(std::path::Path::new(""));
    dir.join(name).display().to_string()
}
