//! The findings of the default rule set over the 312 real Compose files of `../shared/corpus/compose`, as
//! snapshots: a per-rule count and every finding. Each snapshot was reviewed when accepted
//! (docs/rules/review-compose.md). Also: no rule fails, and a file with a YAML error has exactly one
//! BH000, at the error's place; every fix applies to its file and keeps the YAML parseable.

mod support;

use bulkhead_analysis::compose::{ComposeFile, check_compose_file, compose_rules};
use bulkhead_analysis::{Settings, apply_edits};

#[test]
fn compose_corpus_findings() {
    let paths = support::corpus("compose", 312);
    let settings = Settings::default();
    let mut tally = support::Tally::new(compose_rules().map(|r| r.code));
    let mut errors = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let file = ComposeFile::parse(&text);
        let report = check_compose_file(&file, &Default::default(), &settings);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
        let syntax: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "BH000").collect();
        match file.yaml.error() {
            Some(error) => {
                errors += 1;
                assert_eq!(syntax.len(), 1, "{}", path.display());
                assert_eq!(syntax[0].range, error.range);
            }
            None => assert!(syntax.is_empty(), "{}", path.display()),
        }
        tally.add(path, &text, &report.diagnostics);
        for fix in report.diagnostics.iter().flat_map(|diagnostic| &diagnostic.fixes) {
            let fixed = apply_edits(&text, &fix.edits);
            let after = ComposeFile::parse(&fixed);
            assert!(
                after.yaml.error().is_none() || file.yaml.error().is_some(),
                "{}: fix `{}` breaks the YAML:\n{fixed}",
                path.display(),
                fix.title
            );
        }
    }
    let summary = format!(
        "{} files, {errors} with a YAML error\n{}",
        paths.len(),
        tally.summary(compose_rules().filter(|r| !r.is_test_only()))
    );
    insta::assert_snapshot!("compose_corpus_summary", summary);
    insta::assert_snapshot!("compose_corpus_findings", tally.lines);
}
