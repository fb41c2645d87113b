//! `--format github`: GitHub Actions workflow commands, one per finding, which the runner turns into
//! annotations on the pull request and the run's summary:
//!
//! `::warning file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CODE::MESSAGE`
//!
//! Errors are `::error`, warnings `::warning`, infos and hints `::notice`. Lines and columns are one-based,
//! columns count characters. A command is one line: the runner's escaping turns `%`, CR and LF in the message
//! into `%25`, `%0D`, `%0A`, and in a property also `:` and `,` into `%3A` and `%2C` (a path or title with a
//! comma would otherwise end the property).

use std::io::{self, Write};

use bulkhead_analysis::Severity;

use crate::report::FileReport;

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        for diagnostic in &report.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let start = report.position(diagnostic.range.start);
            let end = report.position(diagnostic.range.end.max(diagnostic.range.start));
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&report.path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(diagnostic.code),
                escape_data(&diagnostic.message),
            )?;
        }
    }
    out.flush()
}

/// The escaping of a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The escaping of a command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
