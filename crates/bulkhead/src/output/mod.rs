//! Output formats. Each turns [`FileReport`](crate::report::FileReport)s (plain engine values: byte ranges, strings, enums) into its
//! own representation; the JSON ones (JSON, SARIF, GitLab, rdjson) have their own serde types, converted
//! by hand, and the XML ones (checkstyle, JUnit) write their few elements through [`xml`]'s escaping.

pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
mod xml;

/// Where a rule's documentation page lives.
pub fn rule_url(code: &str) -> String {
    format!("https://github.com/bulkhead-dev/bulkhead/blob/main/docs/rules/{code}.md")
}

/// Where a file that a fix creates goes, shown like the report's own path: beside the Dockerfile.
pub fn new_file_path(report_path: &str, name: &str) -> String {
    let dir = std::path::Path::new(report_path).parent().unwrap_or(std::path::Path::new(""));
    dir.join(name).display().to_string()
}

/// A message on one line: line breaks become spaces (for the line-per-finding formats).
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    match text.contains(['\n', '\r']) {
        true => text.replace("\r\n", " ").replace(['\n', '\r'], " ").into(),
        false => text.into(),
    }
}
