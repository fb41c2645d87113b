//! Spec tests: every rule has `tests/specs/<CODE>-<name>/` with `invalid*.Dockerfile` (each must give at
//! least one finding of the rule) and `valid*.Dockerfile` (must give none). Each invalid file has a snapshot
//! showing the findings under the code, every fix's diff, and the text after fixing.
//!
//! The harness enforces the fix contract: every fix applies, keeps the file parseable (no new syntax
//! errors), keeps the line endings and every comment, removes its finding, and applying the safe fixes
//! converges (re-applying changes nothing). Files with fixes also snapshot the text after every fix, safe
//! and unsafe, pass after pass (with the files the fixes create), and the findings left: that run must
//! converge, be idempotent and leave no finding that still has a fix.
//! A `<file>.dockerignore` beside a spec file is the build context's `.dockerignore`; without one the
//! context has none. A `<file>.bulkhead.toml` beside it is the configuration (its options; the rule under
//! test is always the only one selected). A `<file>.registry.toml` beside it holds registry facts, one
//! table per image reference (`["python:3-slim"]` with the keys of `BaseImageFacts` in kebab-case), as
//! the drivers would have looked them up; without one the file is linted as offline (for a Compose spec,
//! each of them must be one the drivers look up: `FileKind::image_references`). For a Compose spec,
//! a `<file>.build/` folder beside it is the Compose file's folder for the Dockerfiles its services build
//! (`build: ./app` reads `<file>.build/app/Dockerfile`), as the drivers would have read them, and a
//! `<file>.path` beside it the path the drivers name the file with (`.devcontainer/compose.yaml`).
//!
//! The doc text of every rule is tested too: its `## Example` block must trigger the rule, its
//! `## Use instead` block must not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_analysis::compose::{ComposeFile, linked_dockerfile_paths};
use bulkhead_analysis::{
    Applicability, BaseImageFacts, BuildContext, Config, Diagnostic, FileKind, Fix, FixPlan, FixSelection, RULES, Rule,
    Settings, apply_edits, apply_fixes,
};
use bulkhead_syntax::{ColumnUnit, LineIndex};

mod support;

fn settings_for(rule: &Rule, config: &Config) -> Settings {
    Settings::from_config(&Config { select: Some(vec![rule.code.to_owned()]), ..config.clone() }).unwrap()
}

/// The facts and configuration a spec file is linted with, and its kind (`*.compose.yaml` is a Compose
/// file).
struct Env {
    build: BuildContext,
    config: Config,
    kind: FileKind,
}

fn lint(text: &str, env: &Env, rule: &Rule) -> Vec<Diagnostic> {
    env.kind.check(text, &env.build, &settings_for(rule, &env.config)).diagnostics
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    match () {
        _ if name.ends_with(".Dockerfile") => Some(FileKind::Dockerfile),
        _ if name.ends_with(".compose.yaml") => Some(FileKind::Compose),
        _ => None,
    }
}

fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    let mut shown_files = Vec::new();
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
            for file in &fix.new_files {
                if shown_files.contains(&file) {
                    let _ = writeln!(out, "    new file {}: the same as above", file.name());
                    continue;
                }
                shown_files.push(file);
                let _ = writeln!(out, "    new file {}:", file.name());
                for line in file.content.lines() {
                    let _ = writeln!(out, "    + {line}");
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

/// The build context after a fix: its new files in place.
fn env_after(env: &Env, fix: &Fix) -> Env {
    let build = fix.new_files.iter().fold(env.build.clone(), |build, file| build.with_new_file(file));
    Env { build, config: env.config.clone(), kind: env.kind }
}

fn check_fix_contract(path: &Path, text: &str, env: &Env, rule: &Rule, diagnostics: &[Diagnostic]) {
    let original = support::Original::new(text);
    for diagnostic in diagnostics {
        for fix in &diagnostic.fixes {
            let fixed = match env.kind {
                FileKind::Dockerfile => {
                    support::checked_fix(&original, fix).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
                }
                FileKind::Compose => {
                    let fixed = apply_edits(text, &fix.edits);
                    assert_ne!(fixed, text, "{}: fix `{}` changes nothing", path.display(), fix.title);
                    assert!(
                        env.kind.syntax_errors(&fixed) <= env.kind.syntax_errors(text),
                        "{}: fix `{}` breaks the YAML:\n{fixed}",
                        path.display(),
                        fix.title
                    );
                    assert_eq!(fixed.matches("\r\n").count() > 0, text.matches("\r\n").count() > 0);
                    fixed
                }
            };
            let after = lint(&fixed, &env_after(env, fix), rule);
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

/// Fixes that may leave a finding of the default rules that was not there before, each with why: the
/// rule whose fix it is, the start of the fix's title, the rule of the new finding, and the reason.
const NEW_FINDING_EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "BH019",
        "Declare `ARG",
        "BH106",
        "declaring the argument with its default makes the base image known: the end of life is the image's, which \
         the file named already",
    ),
    (
        "BH104",
        "Switch to `debian:stable-slim`",
        "BH105",
        "the untagged `debian` floated already (BH101): its slim variant floats the same way, under BH105's name",
    ),
    (
        "BH104",
        "Switch to `gcr.io/distroless/",
        "BH101",
        "distroless publishes no version tags: only a digest pins it, which BH101 offers with registry look-ups on",
    ),
    (
        "BH201",
        "Switch to the existing user",
        "BH203",
        "the file creates the user without a fixed UID: switching to it by name is the fix for root, and only the line \
         that creates the user can give it a UID",
    ),
    (
        "BH202",
        "Remove `sudo`",
        "BH902",
        "the package rules read the command `sudo` ran only once it is gone: the problem was there behind `sudo`",
    ),
    (
        "BH902",
        "Merge into the next installing `RUN`",
        "BH901",
        "the lists the lone refresh left in its own layer now sit in the installing `RUN`, where BH901's fix removes them",
    ),
];

/// The default rules' findings of a text, as `CODE message` (positions move when a fix adds lines).
fn default_findings(text: &str, env: &Env) -> Vec<String> {
    let settings = Settings::from_config(&env.config).unwrap();
    let mut res: Vec<String> = env
        .kind
        .check(text, &env.build, &settings)
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    res.sort();
    res
}

/// A fix must leave the file clean of every default rule it could touch, not only its own: applying any
/// fix of any finding makes no finding of the default rules that was not there before (but the
/// [`NEW_FINDING_EXCEPTIONS`]). Findings are compared by rule: a rule with more findings after the fix
/// than before made a new one (its messages may quote lines and stage names that the fix moved or
/// renamed, so they are not compared one by one); the messages shown are the ones that were not there.
fn check_no_new_findings(
    path: &Path,
    text: &str,
    env: &Env,
    diagnostics: &[Diagnostic],
    problems: &mut Vec<String>,
    used: &mut [bool],
) {
    let before = default_findings(text, env);
    let count = |findings: &[String], code: &str| findings.iter().filter(|f| f.split(' ').next() == Some(code)).count();
    for diagnostic in diagnostics {
        for fix in &diagnostic.fixes {
            let fixed = apply_edits(text, &fix.edits);
            let after = default_findings(&fixed, &env_after(env, fix));
            let mut new: Vec<&String> = after
                .iter()
                .filter(|finding| {
                    let code = finding.split(' ').next().unwrap_or_default();
                    count(&after, code) > count(&before, code) && !before.contains(finding)
                })
                .collect();
            new.retain(|finding| {
                let exception = NEW_FINDING_EXCEPTIONS.iter().position(|(code, title, new_code, _)| {
                    *code == diagnostic.code && fix.title.starts_with(title) && finding.starts_with(new_code)
                });
                if let Some(pos) = exception {
                    used[pos] = true;
                }
                exception.is_none()
            });
            if !new.is_empty() {
                let new: Vec<&str> = new.iter().map(|f| f.as_str()).collect();
                problems.push(format!(
                    "{}: fix `{}` of {} makes new findings:\n{}\n---- fixed text ----\n{fixed}",
                    path.display(),
                    fix.title,
                    diagnostic.code,
                    new.join("\n")
                ));
            }
        }
    }
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
    build.today = Some(support::TODAY);
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
    let path_sidecar = PathBuf::from(format!("{}.path", path.display()));
    build.file_path = std::fs::read_to_string(&path_sidecar).ok().map(|named| named.trim().to_owned());
    let kind = kind_of(path).unwrap_or(FileKind::Dockerfile);
    let folder = PathBuf::from(format!("{}.build", path.display()));
    if kind == FileKind::Compose && folder.is_dir() {
        let file = ComposeFile::parse(&std::fs::read_to_string(path).unwrap());
        let linked = linked_dockerfile_paths(&file)
            .into_iter()
            .filter_map(|linked| Some((linked.clone(), Arc::from(std::fs::read_to_string(folder.join(&linked)).ok()?))))
            .collect();
        build.linked_dockerfiles = Arc::new(linked);
    }
    // The drivers look up only what the checks list: a fact the list lacks would never reach them.
    if kind == FileKind::Compose {
        let listed = kind.image_references(&std::fs::read_to_string(path).unwrap(), &build);
        for raw in build.images.keys() {
            assert!(listed.iter().any(|image| image.raw == *raw), "{}: `{raw}` is not looked up", path.display());
        }
    }
    Env { build, config, kind }
}

#[test]
fn specs() {
    let mut new_findings = Vec::new();
    let mut exceptions_used = vec![false; NEW_FINDING_EXCEPTIONS.len()];
    for (dir, rule) in spec_dirs() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        let mut n_invalid = 0;
        let mut n_valid = 0;
        for path in entries.iter().filter(|p| kind_of(p).is_some()) {
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
                check_no_new_findings(path, &text, &env, &diagnostics, &mut new_findings, &mut exceptions_used);
                let fixed = fix_all(&text, &env, rule);
                let mut snapshot =
                    format!("---- input ----\n{text}\n---- findings ----\n{}", render(&text, &diagnostics));
                if fixed != text {
                    let _ = write!(snapshot, "---- after safe fixes ----\n{fixed}");
                }
                if diagnostics.iter().any(|d| !d.fixes.is_empty()) {
                    snapshot.push_str(&all_fixes_section(path, &text, &fixed, &env, rule));
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
    assert!(
        new_findings.is_empty(),
        "{} fixes make new findings:\n\n{}",
        new_findings.len(),
        new_findings.join("\n\n")
    );
    // An exception no spec needs any more goes.
    for (exception, used) in NEW_FINDING_EXCEPTIONS.iter().zip(&exceptions_used) {
        assert!(used, "the new-finding exception {exception:?} is not needed by any spec: remove it");
    }
}

/// Every finding's first fix, safe or unsafe, applied pass after pass (as `check --fix --unsafe-fixes`
/// does), for the snapshot: the text (unless it is the safe fixes' text), the files created, and the findings
/// of the rule that are left, which are the ones without a fix. Checks that this converges, adds no syntax
/// error and is idempotent: fixing the result again changes nothing.
fn all_fixes_section(path: &Path, text: &str, safe_fixed: &str, env: &Env, rule: &Rule) -> String {
    let settings = settings_for(rule, &env.config);
    let all = bulkhead_analysis::fix_all_of(env.kind, text, &env.build, &settings, FixSelection::SafeAndUnsafe);
    assert_eq!(all.stopped, None, "{}: fixing everything does not converge", path.display());
    let errors = |text: &str| env.kind.syntax_errors(text);
    assert!(errors(&all.text) <= errors(text), "{}: fixing everything breaks the syntax", path.display());
    let build = all.new_files.iter().fold(env.build.clone(), |build, file| build.with_new_file(file));
    let again = bulkhead_analysis::fix_all_of(env.kind, &all.text, &build, &settings, FixSelection::SafeAndUnsafe);
    assert_eq!(
        (again.applied, again.text.as_str(), again.new_files.len()),
        (0, all.text.as_str(), 0),
        "{}: fixing everything is not idempotent",
        path.display()
    );
    let mut out = String::from("---- after all fixes, safe and unsafe ----\n");
    match all.text == safe_fixed {
        true => out.push_str("(the text after safe fixes)\n"),
        false => {
            out.push_str(&all.text);
            if !all.text.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    // Their content is in the findings above.
    for file in &all.new_files {
        let _ = writeln!(out, "---- new file {} ----", file.name());
    }
    out.push_str("---- left after all fixes ----\n");
    let left = &again.report.diagnostics;
    assert!(
        left.iter().all(|d| d.fixes.is_empty()),
        "{}: a finding with a fix is left after fixing everything",
        path.display()
    );
    match left.is_empty() {
        true => out.push_str("none\n"),
        false => {
            let index = LineIndex::new(&all.text);
            for diagnostic in left {
                let at = index.line_col(&all.text, diagnostic.range.start, ColumnUnit::Char);
                let _ = writeln!(out, "{}:{} {}: {}", at.line + 1, at.column + 1, diagnostic.code, diagnostic.message);
            }
        }
    }
    out
}

/// The fenced `dockerfile` (or for a Compose-only rule `yaml`) block under a `## Heading` of a rule's doc.
fn doc_block(doc: &str, heading: &str, fence: &str) -> Option<String> {
    let section = doc.split(heading).nth(1)?;
    let section = section.split("\n## ").next()?;
    let start = section.find(fence)? + fence.len();
    let end = section[start..].find("```")? + start;
    Some(section[start..end].to_owned())
}

#[test]
fn doc_examples_trigger_and_use_instead_does_not() {
    for rule in RULES {
        let (fence, kind) = match rule.check.dockerfile() {
            true => ("```dockerfile\n", FileKind::Dockerfile),
            false => ("```yaml\n", FileKind::Compose),
        };
        let example =
            doc_block(rule.doc, "## Example", fence).unwrap_or_else(|| panic!("{}: no Example block", rule.code));
        let instead = doc_block(rule.doc, "## Use instead", fence)
            .unwrap_or_else(|| panic!("{}: no Use instead block", rule.code));
        // Options that rules off without configuration need (BH103); the other rules ignore them.
        let config = Config { trusted_registries: vec!["registry.example.com".to_owned()], ..Config::default() };
        // Registry facts for the examples of the rules that need look-ups on (BH107's old build).
        let stale = BaseImageFacts { created: Some("2025-01-10T08:00:00Z".to_owned()), ..BaseImageFacts::default() };
        let images = BTreeMap::from([(
            "python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8".to_owned(),
            stale,
        )]);
        let build = Env {
            build: BuildContext {
                today: Some(support::TODAY),
                images: Arc::new(images),
                ..BuildContext::with_dockerignore(".dockerignore", ".git\n.env\n")
            },
            config: config.clone(),
            kind,
        };
        let fired = lint(&example, &build, rule);
        let build_missing = Env {
            build: BuildContext { today: Some(support::TODAY), ..BuildContext::without_dockerignore() },
            config,
            kind,
        };
        let fired_missing = lint(&example, &build_missing, rule);
        assert!(!fired.is_empty() || !fired_missing.is_empty(), "{}: the Example does not trigger the rule", rule.code);
        let quiet = lint(&instead, &build, rule);
        assert!(quiet.is_empty(), "{}: Use instead triggers the rule:\n{}", rule.code, render(&instead, &quiet));
    }
}

/// What the spec files of one rule show about its fixes.
#[derive(Default)]
struct FixesSeen {
    safe: bool,
    unsafe_: bool,
    creates_files: bool,
    /// Spec files with at least one fix, with their line-ending and layout traits.
    files: Vec<String>,
    /// `file: message` of every finding in an `invalid-*` spec that has no fix.
    findings_without_fix: Vec<String>,
}

fn fixes_seen(rule: &Rule) -> FixesSeen {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/specs/{}-{}", rule.code, rule.name));
    let mut seen = FixesSeen::default();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| kind_of(p).is_some()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("invalid") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let findings = lint(&text, &spec_env(path), rule);
        seen.findings_without_fix
            .extend(findings.iter().filter(|d| d.fixes.is_empty()).map(|d| format!("{name}: {}", d.message)));
        let fixes: Vec<Fix> = findings.into_iter().flat_map(|d| d.fixes).collect();
        if fixes.is_empty() {
            continue;
        }
        seen.safe |= fixes.iter().any(|f| f.applicability == Applicability::Safe);
        seen.unsafe_ |= fixes.iter().any(|f| f.applicability == Applicability::Unsafe);
        seen.creates_files |= fixes.iter().any(|f| !f.new_files.is_empty());
        let file = bulkhead_syntax::parse(&text);
        let mut traits = Vec::new();
        if text.contains("\r\n") {
            traits.push("CRLF");
        }
        if file.instructions().iter().any(|i| !i.heredocs.is_empty()) {
            traits.push("heredoc");
        }
        if file.instructions().iter().any(|i| text[i.line_range().as_range()].contains('\n')) {
            traits.push("continuation");
        }
        if !file.comments().is_empty() {
            traits.push("comments");
        }
        let index = file.line_index();
        let indented = file.instructions().iter().any(|i| {
            let start = index.line_start(index.line_of(i.range.start));
            start < i.range.start && text[start..i.range.start].chars().all(|c| c == ' ' || c == '\t')
        });
        if indented {
            traits.push("indented");
        }
        match traits.is_empty() {
            true => seen.files.push(format!("`{name}`")),
            false => seen.files.push(format!("`{name}` ({})", traits.join(", "))),
        }
    }
    seen
}

/// The rules with a planned fix (their metadata's `fix_plan`), in the order of the rule plan: B1 security
/// practices (BH1xx-BH8xx), B2 package hygiene (BH9xx), B3 correctness and style (BH0xx).
fn planned_fixes() -> Vec<(&'static Rule, FixPlan)> {
    let section = |code: &str| match code.as_bytes().get(2) {
        Some(b'9') => 1,
        Some(b'0') => 2,
        _ => 0,
    };
    let mut res: Vec<(&'static Rule, FixPlan)> =
        RULES.iter().filter_map(|rule| Some((*rule, rule.fix_plan?))).collect();
    res.sort_by_key(|(rule, _)| (section(rule.code), rule.code));
    res
}

fn fix_table() -> String {
    let mut out = String::from(
        "# Fixes: the plan and what is there\n\n\
         Generated by `crates/bulkhead-analysis/tests/specs.rs` (`fix_table_is_up_to_date`) from the rules' spec \
         files; do not edit by hand (`BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test specs`).\n\n\
         One row per rule whose fix column in the rule plan (RULES-PLAN.md, B1-B3) is not \"-\". *Has* is what the \
         rule's spec files show: the applicabilities of the fixes offered, and whether a fix creates a file. \
         Each spec file listed is one case of the `specs` test, whose snapshot \
         (`crates/bulkhead-analysis/tests/specs/<CODE>-<name>/<file>.snap`) shows every fix's diff, the text \
         after the safe fixes and after all fixes (safe and unsafe, pass after pass), and the findings left. \
         The harness checks that every fix changes the text (or creates a file), adds no syntax error, keeps \
         the line endings and every comment, removes its finding, and that both runs converge and are \
         idempotent. `fix_corpus` (`safe_fixes_over_the_corpus`, `all_fixes_over_the_corpus`) does the same \
         over the 472 files of the dev corpus.\n\n\
         | rule | planned fix | has | decision | spec files with fixes |\n|---|---|---|---|---|\n",
    );
    let (mut done, mut missing) = (0, 0);
    let planned_fixes = planned_fixes();
    for (rule, FixPlan { planned, decision }) in &planned_fixes {
        let code = rule.code;
        let seen = fixes_seen(rule);
        // A rule that promises a fix on every finding (`bulkhead rules`, the docs: "yes") keeps it.
        assert!(
            rule.fix != bulkhead_analysis::FixAvailability::Always || seen.findings_without_fix.is_empty(),
            "{code} declares `FixAvailability::Always`, but these spec findings have no fix: {:?}",
            seen.findings_without_fix
        );
        let mut has: Vec<&str> = Vec::new();
        if seen.safe {
            has.push("safe");
        }
        if seen.unsafe_ {
            has.push("unsafe");
        }
        if seen.creates_files {
            has.push("new file");
        }
        match has.is_empty() {
            true => {
                missing += 1;
                assert!(!decision.is_empty(), "{code}: the plan has a fix, the rule has none, and no reason is given");
                assert_eq!(
                    rule.fix,
                    bulkhead_analysis::FixAvailability::None,
                    "{code}: declares a fix, but no spec file shows one"
                );
            }
            false => {
                done += 1;
                assert_ne!(rule.fix, bulkhead_analysis::FixAvailability::None, "{code}: has fixes but declares none");
                // A planned safe fix must be there, or the difference explained.
                assert!(
                    !planned.starts_with("safe") || seen.safe || !decision.is_empty(),
                    "{code}: the plan's safe fix is missing"
                );
            }
        }
        let has = match has.is_empty() {
            true => "**none**".to_owned(),
            false => has.join(", "),
        };
        let files = match seen.files.is_empty() {
            true => "-".to_owned(),
            false => seen.files.join("<br>"),
        };
        let cell = |text: &str| text.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| [{code}]({code}.md) `{}` | {} | {has} | {} | {files} |",
            rule.name,
            cell(planned),
            cell(if decision.is_empty() { "as planned" } else { decision }),
        );
    }
    let _ = write!(
        out,
        "\n{} planned fixes: {done} with a fix, {missing} without (see *decision*).\n",
        planned_fixes.len()
    );
    out
}

#[test]
fn fix_table_is_up_to_date() {
    // Every rule with a fix says what was planned for it, and a rule that declares no fix shows none.
    for rule in RULES.iter().filter(|r| !r.is_test_only()) {
        match rule.fix {
            bulkhead_analysis::FixAvailability::None => {
                let seen = fixes_seen(rule);
                assert!(
                    !seen.safe && !seen.unsafe_ && !seen.creates_files,
                    "{}: declares no fix, but its specs show one",
                    rule.code
                );
            }
            _ => assert!(rule.fix_plan.is_some(), "{}: a fix without a `fix_plan` in its metadata", rule.code),
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules/fixes.md");
    let expected = fix_table();
    if std::env::var_os("BULKHEAD_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "docs/rules/fixes.md is stale; run `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test specs`"
    );
}
