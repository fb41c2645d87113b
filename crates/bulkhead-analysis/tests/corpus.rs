//! The findings of the default rule set over the whole dev corpus, as snapshots: a per-rule count and
//! every finding. A change in behaviour shows up here at a glance; each snapshot was reviewed for false
//! positives when accepted. The corpus has no build contexts, so `.dockerignore` facts are unknown.

mod support;

use bulkhead_analysis::{BuildContext, RULES, Settings, check};

#[test]
fn dev_corpus_findings() {
    let paths = support::dev_corpus();
    let settings = Settings::default();
    let build = BuildContext { today: Some(support::TODAY), ..BuildContext::default() };
    let mut tally = support::Tally::new(RULES.iter().map(|r| r.code));
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let report = check(&text, &build, &settings);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
        tally.add(path, &text, &report.diagnostics);
    }
    let summary = tally.summary(RULES.iter().copied().filter(|r| !r.is_test_only() && r.check.dockerfile()));
    insta::assert_snapshot!("dev_corpus_summary", summary);
    insta::assert_snapshot!("dev_corpus_findings", tally.lines);
}
