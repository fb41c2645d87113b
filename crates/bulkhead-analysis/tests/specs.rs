//! Spec tests: every rule has `tests/specs/<CODE>-<name>/` with `invalid*.Dockerfile` (each must give at
//! least one finding of the rule) and `valid*.Dockerfile` (must give none). Each invalid file has a snapshot
//! showing the findings under the code, every fix's diff, and the text after fixing.
//!
//! The harness enforces the fix contract: every fix applies, keeps the file parseable (no new syntax
//! errors), removes its finding, and applying the safe fixes converges (re-applying changes nothing).
//! A `<file>.dockerignore` beside a spec file is the build context's `.dockerignore`; without one the
//! context has none. A `<file>.bulkhead.toml` beside it is the configuration (its options; the rule under
//! test is always the only one selected). A `<file>.registry.toml` beside it holds registry facts, one
//! table per image reference (`["python:3-slim"]` with the keys of `BaseImageFacts` in kebab-case), as
//! the drivers would have looked them up; without one the file is linted as offline.
//!
//! The doc text of every rule is tested too: its `## Example` block must trigger the rule, its
//! `## Use instead` block must not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_analysis::{
    Applicability, BaseImageFacts, BuildContext, Config, Diagnostic, RULES, Rule, Settings, apply_edits, apply_fixes,
    check,
};
use bulkhead_syntax::{ColumnUnit, LineIndex};

fn settings_for(rule: &Rule, config: &Config) -> Settings {
    Settings::from_config(&Config { select: Some(vec![rule.code.to_owned()]), ..config.clone() }).unwrap()
}

/// The facts and configuration a spec file is linted with.
struct Env {
    build: BuildContext,
    config: Config,
}

fn lint(text: &str, env: &Env, rule: &Rule) -> Vec<Diagnostic> {
    check(text, &env.build, &settings_for(rule, &env.config)).diagnostics
}

fn syntax_errors(text: &str) -> usize {
    bulkhead_syntax::parse(text).errors().len()
}

fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let start = index.line_col(text, diagnostic.range.start, ColumnUnit::Char);
        let end = index.line_col(text, diagnostic.range.end, ColumnUnit::Char);
        let _ = writeln!(
            out,
            "{}:{} {} {} [{}]: {}",
            start.line + 1,
            start.column + 1,
            diagnostic.code,
            diagnostic.name,
            diagnostic.severity.as_str(),
            diagnostic.message
        );
        // Carets under the first line of the range.
        let line_start = index.line_start(start.line as usize);
        let line_end = index.line_content_end(text, start.line as usize);
        let _ = writeln!(out, "  | {}", &text[line_start..line_end]);
        let width = if end.line == start.line {
            (end.column - start.column).max(1)
        } else {
            (text[line_start..line_end].chars().count() as u32).saturating_sub(start.column).max(1)
        };
        let _ = writeln!(out, "  | {}{}", " ".repeat(start.column as usize), "^".repeat(width as usize));
        for fix in &diagnostic.fixes {
            let fixed = apply_edits(text, &fix.edits);
            let _ = writeln!(out, "  fix ({}): {}", fix.applicability.as_str(), fix.title);
            let diff = similar::TextDiff::from_lines(text, &fixed);
            for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
                for line in hunk.to_string().lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
    }
    out
}

/// Applies safe fixes until nothing changes; panics when it does not converge.
fn fix_all(text: &str, env: &Env, rule: &Rule) -> String {
    let mut current = text.to_owned();
    for _ in 0..10 {
        let diagnostics = lint(&current, env, rule);
        let safe: Vec<_> = diagnostics
            .iter()
            .flat_map(|d| d.fixes.iter().filter(|f| f.applicability == Applicability::Safe).take(1))
            .collect();
        if safe.is_empty() {
            return current;
        }
        let (next, applied) = apply_fixes(&current, safe);
        assert!(applied > 0);
        if next == current {
            return current;
        }
        current = next;
    }
    panic!("{}: safe fixes do not converge", rule.code);
}

fn check_fix_contract(path: &Path, text: &str, env: &Env, rule: &Rule, diagnostics: &[Diagnostic]) {
    let errors_before = syntax_errors(text);
    for diagnostic in diagnostics {
        for fix in &diagnostic.fixes {
            let fixed = apply_edits(text, &fix.edits);
            assert_ne!(fixed, text, "{}: fix `{}` changes nothing", path.display(), fix.title);
            assert!(
                syntax_errors(&fixed) <= errors_before,
                "{}: fix `{}` breaks the syntax:\n{fixed}",
                path.display(),
                fix.title
            );
            let lone_lf = |t: &str| t.matches('\n').count() - t.matches("\r\n").count();
            if text.contains("\r\n") {
                assert_eq!(
                    lone_lf(&fixed),
                    lone_lf(text),
                    "{}: fix `{}` mixes line endings",
                    path.display(),
                    fix.title
                );
            }
            let after = lint(&fixed, env, rule);
            let still_there =
                after.iter().any(|d| d.message == diagnostic.message && d.range.start == diagnostic.range.start);
            assert!(
                after.len() < diagnostics.len() || !still_there,
                "{}: fix `{}` does not remove its finding:\n{fixed}",
                path.display(),
                fix.title
            );
        }
    }
    let once = fix_all(text, env, rule);
    let twice = fix_all(&once, env, rule);
    assert_eq!(once, twice, "{}: safe fixes are not idempotent", path.display());
}

fn spec_dirs() -> Vec<(PathBuf, &'static Rule)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut res = Vec::new();
    for rule in RULES {
        let dir = root.join(format!("{}-{}", rule.code, rule.name));
        assert!(dir.is_dir(), "rule {} has no spec folder {}", rule.code, dir.display());
        res.push((dir, *rule));
    }
    res
}

fn spec_env(path: &Path) -> Env {
    let sidecar = PathBuf::from(format!("{}.dockerignore", path.display()));
    let mut build = match std::fs::read_to_string(&sidecar) {
        Ok(content) => BuildContext::with_dockerignore(".dockerignore", &content),
        Err(_) => BuildContext::without_dockerignore(),
    };
    let config_path = PathBuf::from(format!("{}.bulkhead.toml", path.display()));
    let config = match std::fs::read_to_string(&config_path) {
        Ok(content) => Config::from_toml(&content).unwrap_or_else(|err| panic!("{}: {err}", config_path.display())),
        Err(_) => Config::default(),
    };
    let registry_path = PathBuf::from(format!("{}.registry.toml", path.display()));
    if let Ok(content) = std::fs::read_to_string(&registry_path) {
        let facts: BTreeMap<String, BaseImageFacts> =
            toml::from_str(&content).unwrap_or_else(|err| panic!("{}: {err}", registry_path.display()));
        build.images = Arc::new(facts);
    }
    Env { build, config }
}

#[test]
fn specs() {
    for (dir, rule) in spec_dirs() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        let mut n_invalid = 0;
        let mut n_valid = 0;
        for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "Dockerfile")) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).unwrap();
            let env = spec_env(path);
            let diagnostics = lint(&text, &env, rule);
            if name.starts_with("valid") {
                n_valid += 1;
                assert!(
                    diagnostics.is_empty(),
                    "{}: expected no findings, got:\n{}",
                    path.display(),
                    render(&text, &diagnostics)
                );
            } else {
                n_invalid += 1;
                assert!(!diagnostics.is_empty(), "{}: expected findings of {}", path.display(), rule.code);
                assert!(diagnostics.iter().all(|d| d.code == rule.code));
                check_fix_contract(path, &text, &env, rule, &diagnostics);
                let fixed = fix_all(&text, &env, rule);
                let mut snapshot =
                    format!("---- input ----\n{text}\n---- findings ----\n{}", render(&text, &diagnostics));
                if fixed != text {
                    let _ = write!(snapshot, "---- after safe fixes ----\n{fixed}");
                }
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_path(&dir);
                settings.set_prepend_module_to_snapshot(false);
                settings.set_omit_expression(true);
                settings.bind(|| insta::assert_snapshot!(name.clone(), snapshot));
            }
        }
        assert!(n_invalid >= 1 && n_valid >= 1, "{}: needs invalid and valid spec files", rule.code);
    }
}

/// The fenced `dockerfile` block under a `## Heading` of a rule's doc.
fn doc_block(doc: &str, heading: &str) -> Option<String> {
    let section = doc.split(heading).nth(1)?;
    let section = section.split("\n## ").next()?;
    let start = section.find("```dockerfile\n")? + "```dockerfile\n".len();
    let end = section[start..].find("```")? + start;
    Some(section[start..end].to_owned())
}

#[test]
fn doc_examples_trigger_and_use_instead_does_not() {
    for rule in RULES {
        let example = doc_block(rule.doc, "## Example").unwrap_or_else(|| panic!("{}: no Example block", rule.code));
        let instead =
            doc_block(rule.doc, "## Use instead").unwrap_or_else(|| panic!("{}: no Use instead block", rule.code));
        // Options that rules off without configuration need (BH103); the other rules ignore them.
        let config = Config { trusted_registries: vec!["registry.example.com".to_owned()], ..Config::default() };
        let build =
            Env { build: BuildContext::with_dockerignore(".dockerignore", ".git\n.env\n"), config: config.clone() };
        let fired = lint(&example, &build, rule);
        let build_missing = Env { build: BuildContext::without_dockerignore(), config };
        let fired_missing = lint(&example, &build_missing, rule);
        assert!(!fired.is_empty() || !fired_missing.is_empty(), "{}: the Example does not trigger the rule", rule.code);
        let quiet = lint(&instead, &build, rule);
        assert!(quiet.is_empty(), "{}: Use instead triggers the rule:\n{}", rule.code, render(&instead, &quiet));
    }
}
