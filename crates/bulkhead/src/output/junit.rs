//! `--format junit`: a JUnit XML report, for CI systems that show test results (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines, CircleCI).
//!
//! A `<testsuite>` per checked file, named by its path; a failing `<testcase>` per finding, named by the rule
//! code and position, whose `<failure>` carries the message (attribute) and the location, rule name and
//! documentation link (text). A clean file has one passing test case, so every checked file shows. The
//! counts on `<testsuites>` and each `<testsuite>` add up. Every finding is a failure here whatever
//! `--fail-on` says: the exit code is where the threshold applies.

use std::io::{self, Write};

use bulkhead_analysis::doc_url;

use crate::output::xml;
use crate::report::FileReport;

pub fn write(out: &mut dyn Write, reports: &[FileReport]) -> io::Result<()> {
    let failures: usize = reports.iter().map(|report| report.diagnostics.len()).sum();
    let tests: usize = reports.iter().map(|report| report.diagnostics.len().max(1)).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="bulkhead" tests="{tests}" failures="{failures}" errors="0">"#)?;
    for report in reports {
        let path = xml::attribute(&report.path);
        let failures = report.diagnostics.len();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
            failures.max(1)
        )?;
        if failures == 0 {
            writeln!(out, r#"    <testcase name="no findings" classname="{path}" file="{path}"/>"#)?;
        }
        for diagnostic in &report.diagnostics {
            let at = report.position(diagnostic.range.start);
            writeln!(
                out,
                r#"    <testcase name="{} at {}:{}" classname="{path}" file="{path}" line="{}">"#,
                xml::attribute(diagnostic.code),
                at.line,
                at.column,
                at.line,
            )?;
            let details = format!(
                "{}:{}:{}: {} {} ({}): {}\n{}",
                report.path,
                at.line,
                at.column,
                diagnostic.severity.as_str(),
                diagnostic.code,
                diagnostic.name,
                diagnostic.message,
                doc_url(diagnostic.code)
            );
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                xml::attribute(&diagnostic.message),
                xml::attribute(diagnostic.code),
                xml::text(&details),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    out.flush()
}
