//! The findings of the default rule set over the 312 real Compose files of `../shared/corpus/compose`, as
//! snapshots: a per-rule count and every finding. Each snapshot was reviewed when accepted
//! (docs/rules/review-compose.md). Also: no rule fails, and a file with a YAML error has exactly one
//! BH000, at the error's place; every fix applies to its file and keeps the YAML parseable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use bulkhead_analysis::compose::{ComposeFile, compose_rules};
use bulkhead_analysis::{Settings, apply_edits, check_compose};
use bulkhead_syntax::{ColumnUnit, LineIndex};

#[test]
fn compose_corpus_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/compose");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("corpus missing at {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 312);
    let settings = Settings::default();
    let mut counts: BTreeMap<&str, (usize, usize)> = compose_rules().map(|r| (r.code, (0, 0))).collect();
    let (mut all, mut errors) = (String::new(), 0);
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let report = check_compose(&text, &settings);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
        let file = ComposeFile::parse(&text);
        let syntax: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "BH000").collect();
        match file.yaml.error() {
            Some(error) => {
                errors += 1;
                assert_eq!(syntax.len(), 1, "{}", path.display());
                assert_eq!(syntax[0].range, error.range);
            }
            None => assert!(syntax.is_empty(), "{}", path.display()),
        }
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
            for fix in &diagnostic.fixes {
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
    }
    let mut summary = format!("{} files, {errors} with a YAML error\ncode   findings  files  name\n", paths.len());
    for rule in compose_rules().filter(|r| !r.is_test_only()) {
        let (n, files) = counts[rule.code];
        let _ = writeln!(summary, "{:<6} {n:>8} {files:>6}  {}", rule.code, rule.name);
    }
    insta::assert_snapshot!("compose_corpus_summary", summary);
    insta::assert_snapshot!("compose_corpus_findings", all);
}
