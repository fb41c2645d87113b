//! The findings of the default rule set over the 312 real Compose files of `../shared/corpus/compose`, as
//! snapshots: a per-rule count and every finding. Each snapshot was reviewed when accepted
//! (docs/rules/review-compose.md). Also: no rule fails, and a file with a YAML error has exactly one
//! BH000, at the error's place; every fix applies to its file and keeps the YAML parseable.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use bulkhead_analysis::compose::{ComposeFile, check_compose_file, compose_rules};
use bulkhead_analysis::{BuildContext, Settings, apply_edits};

/// Each corpus file's path in its repository (the manifest's `path` column), as `bulkhead check` run at the
/// repository's root names it: the rules read a development stack from it (`.devcontainer/`, `tests/`).
fn repo_paths() -> HashMap<String, String> {
    let manifest =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/manifest-compose-dev.tsv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let file = columns.next()?.to_owned();
            Some((file, columns.nth(2)?.to_owned()))
        })
        .collect()
}

#[test]
fn compose_corpus_findings() {
    let paths = support::corpus("compose", 312);
    let settings = Settings::default();
    let mut tally = support::Tally::new(compose_rules().map(|r| r.code));
    let mut errors = 0;
    let repo_paths = repo_paths();
    // Per rule, the findings by severity: the missing-key rules report development stacks as hints.
    let mut levels: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let file = ComposeFile::parse(&text);
        let name = path.file_name().unwrap().to_string_lossy();
        let build = BuildContext { file_path: Some(repo_paths[name.as_ref()].clone()), ..BuildContext::default() };
        let report = check_compose_file(&file, &build, &settings);
        for diagnostic in &report.diagnostics {
            *levels.entry(diagnostic.code).or_default().entry(diagnostic.severity.as_str()).or_default() += 1;
        }
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
    let mut summary = format!(
        "{} files, {errors} with a YAML error\n{}\nby severity\n",
        paths.len(),
        tally.summary(compose_rules().filter(|r| !r.is_test_only()))
    );
    for (code, counts) in &levels {
        let counts: Vec<String> = counts.iter().map(|(level, n)| format!("{level} {n}")).collect();
        let _ = writeln!(summary, "{code:<6} {}", counts.join(", "));
    }
    insta::assert_snapshot!("compose_corpus_summary", summary);
    insta::assert_snapshot!("compose_corpus_findings", tally.lines);
}
