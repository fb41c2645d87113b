//! The findings of the default rule set over the whole dev corpus, as snapshots: a per-rule count and
//! every finding. A change in behaviour shows up here at a glance; each snapshot was reviewed for false
//! positives when accepted. The corpus has no build contexts, so `.dockerignore` facts are unknown.

use std::collections::BTreeMap;
use std::fmt::Write as _;

mod support;

use bulkhead_analysis::{BuildContext, RULES, Settings, check};
use bulkhead_syntax::{ColumnUnit, LineIndex};

#[test]
fn dev_corpus_findings() {
    let paths = support::dev_corpus();
    let settings = Settings::default();
    let build = BuildContext::default();
    let mut counts: BTreeMap<&str, (usize, usize)> = RULES.iter().map(|r| (r.code, (0, 0))).collect();
    let mut all = String::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let report = check(&text, &build, &settings);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
        let name = path.file_name().unwrap().to_string_lossy();
        let index = LineIndex::new(&text);
        let mut files_hit = std::collections::BTreeSet::new();
        for diagnostic in &report.diagnostics {
            let position = index.line_col(&text, diagnostic.range.start, ColumnUnit::Char);
            let _ = writeln!(
                all,
                "{name}:{}:{} {} {}",
                position.line + 1,
                position.column + 1,
                diagnostic.code,
                diagnostic.message
            );
            let entry = counts.entry(diagnostic.code).or_default();
            entry.0 += 1;
            if files_hit.insert(diagnostic.code) {
                entry.1 += 1;
            }
        }
    }
    let mut summary = String::from("code   findings  files  name\n");
    for rule in RULES.iter().filter(|r| !r.is_test_only() && r.check.dockerfile()) {
        let (n, files) = counts[rule.code];
        let _ = writeln!(summary, "{:<6} {n:>8} {files:>6}  {}", rule.code, rule.name);
    }
    insta::assert_snapshot!("dev_corpus_summary", summary);
    insta::assert_snapshot!("dev_corpus_findings", all);
}
