//! `--format concise`: one line per finding, `path:line:col: CODE message`, the shape compilers print and
//! editors' and terminals' "file:line:col" links follow. Columns count characters. No summary line. Path and
//! message are made one line and free of terminal control characters ([`one_line`]).

use std::io::{self, Write};

use crate::output::one_line;
use crate::report::FileReport;

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    for report in reports {
        for diagnostic in &report.diagnostics {
            let at = report.position(diagnostic.range.start);
            let message = one_line(&diagnostic.message);
            let path = one_line(&report.path);
            writeln!(out, "{path}:{}:{}: {} {message}", at.line, at.column, diagnostic.code)?;
        }
    }
    out.flush()
}
