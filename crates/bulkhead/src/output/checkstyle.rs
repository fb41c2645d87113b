//! `--format checkstyle`: the Checkstyle XML report, which Jenkins (warnings-ng), reviewdog, Sonar and many
//! other tools read: a `<file>` per checked file (clean ones too), an `<error>` per finding with `line`,
//! `column` (one-based, characters), `severity` (`error`, `warning` or `info`; hints are `info`), `message`
//! and `source` (the rule code).

use std::io::{self, Write};

use bulkhead_analysis::Severity;

use crate::output::xml;
use crate::report::FileReport;

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for report in reports {
        writeln!(out, r#"  <file name="{}">"#, xml::attribute(&report.path))?;
        for diagnostic in &report.diagnostics {
            let at = report.position(diagnostic.range.start);
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "info",
            };
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="{}"/>"#,
                at.line,
                at.column,
                xml::attribute(&diagnostic.message),
                xml::attribute(diagnostic.code),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")?;
    out.flush()
}
