//! Output formats. Each turns [`FileReport`](crate::report::FileReport)s (plain engine values: byte
//! ranges, strings, enums) into its own representation; the JSON ones (JSON, SARIF, GitLab, rdjson) have their own serde types, converted
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

use std::borrow::Cow;

/// Where a file that a fix creates goes, shown like the report's own path: beside the Dockerfile.
pub fn new_file_path(report_path: &str, name: &str) -> String {
    let dir = std::path::Path::new(report_path).parent().unwrap_or(std::path::Path::new(""));
    dir.join(name).display().to_string()
}

/// `text` on one line and harmless on a terminal (for the line-per-finding formats): line breaks become
/// spaces, and the other control characters their visible pictures (`␛` for ESC, as the human format shows
/// them; U+FFFD for the C1 controls), so that a Dockerfile cannot send escape sequences to the terminal.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|ch| ch.is_control() && ch != '\t') {
        return text.into();
    }
    let visible = |ch: char| match ch {
        '\t' => ch,
        '\n' | '\r' => ' ',
        '\u{7f}' => '\u{2421}',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(ch)).unwrap_or('\u{fffd}'),
        _ if ch.is_control() => '\u{fffd}',
        _ => ch,
    };
    text.replace("\r\n", " ").chars().map(visible).collect::<String>().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_shows_controls() {
        assert!(matches!(one_line("plain\ttext é"), Cow::Borrowed(_)));
        assert_eq!(one_line("a\r\nb\nc\rd"), "a b c d");
        assert_eq!(one_line("\u{1b}[31mred\u{7f}\u{9b}2J\u{0}"), "\u{241b}[31mred\u{2421}\u{fffd}2J\u{2400}");
    }
}
