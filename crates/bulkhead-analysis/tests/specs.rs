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
//! the drivers would have looked them up; without one the file is linted as offline.
//!
//! The doc text of every rule is tested too: its `## Example` block must trigger the rule, its
//! `## Use instead` block must not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_analysis::{
    Applicability, BaseImageFacts, BuildContext, Config, Diagnostic, FileKind, Fix, FixSelection, RULES, Rule,
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
    Env { build, config, kind: kind_of(path).unwrap_or(FileKind::Dockerfile) }
}

#[test]
fn specs() {
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
        let build = Env {
            build: BuildContext::with_dockerignore(".dockerignore", ".git\n.env\n"),
            config: config.clone(),
            kind,
        };
        let fired = lint(&example, &build, rule);
        let build_missing = Env { build: BuildContext::without_dockerignore(), config, kind };
        let fired_missing = lint(&example, &build_missing, rule);
        assert!(!fired.is_empty() || !fired_missing.is_empty(), "{}: the Example does not trigger the rule", rule.code);
        let quiet = lint(&instead, &build, rule);
        assert!(quiet.is_empty(), "{}: Use instead triggers the rule:\n{}", rule.code, render(&instead, &quiet));
    }
}

/// The fix column of `RULES-PLAN.md` B1-B3 (abridged), with bulkhead's decision where it differs from the
/// plan or the fix is missing. [`fix_table_is_up_to_date`] checks each rule against it.
const PLANNED_FIXES: &[(&str, &str, &str)] = &[
    // B1. Security practices
    (
        "BH712",
        "unsafe: add `cap_drop: [ALL]` to the Compose service, keeping `cap_add`",
        "only when the service has no `cap_drop` at all",
    ),
    (
        "BH713",
        "add `security_opt: [no-new-privileges:true]`",
        "unsafe (setuid tools stop working); only when the service has no `security_opt`",
    ),
    (
        "BH720",
        "unsafe: `read_only: true` and `tmpfs: [/tmp]`",
        "`read_only: true` alone when the service has a `tmpfs`",
    ),
    ("BH730", "unsafe: a limits block with values to review", "the short form `mem_limit: 512m`, one key per rule"),
    ("BH731", "unsafe: a limits block with values to review", "the short form `cpus: 1.0`, one key per rule"),
    ("BH732", "unsafe: a limits block with values to review", "the short form `pids_limit: 200`, one key per rule"),
    (
        "BH101",
        "unsafe \"pin tag\": the newest concrete tag from the registry (offline: a placeholder)",
        "registry look-ups only (no placeholder offline: it would leave an invalid reference); up to three \
         candidates; safe for `latest` and a tag the registry shows to be the same image, else unsafe",
    ),
    (
        "BH102",
        "unsafe (network): append `@sha256:<digest>` of the current tag",
        "safe, not unsafe: the same image builds today, and stopping to follow the tag is what turning \
         the rule on asks for (the rule doc says why); registry look-ups only",
    ),
    (
        "BH104",
        "unsafe: a known minimal variant (`python:X` → `X-slim`, `node:X` → `X-slim`, golang runtime → distroless/static); never glibc ↔ musl",
        "golang → `distroless/base` unless the file builds with `CGO_ENABLED=0`: a cgo binary does not start on `static`",
    ),
    (
        "BH201",
        "unsafe: `USER` before the final `CMD`/`ENTRYPOINT`, creating the user the distro's way; `USER nonroot` on distroless; replace an explicit `USER root`",
        "",
    ),
    ("BH202", "unsafe: drop `sudo` and its options when the step runs as root", ""),
    ("BH203", "unsafe: the UID instead of the name when the file creates the user with `-u N`", ""),
    ("BH304", "unsafe: did-you-mean rename to the nearest stage (edit distance ≤ 2)", ""),
    ("BH305", "unsafe: rename the later stage (`name-2`) and its later references", ""),
    ("BH306", "unsafe: rename the stage and its references", ""),
    (
        "BH401",
        "unsafe \"move to build secret\": delete the `ARG`/`ENV`, `--mount=type=secret,id=,env=` on the `RUN`s that use it, `# syntax=docker/dockerfile:1`",
        "",
    ),
    (
        "BH402",
        "unsafe: a secret mount when only a later `RUN` reads the file; otherwise \"add to .dockerignore\"",
        "the secret mount when a later `RUN` deletes the file (proof that only the build reads it); no \"add to .dockerignore\" edit of an existing file (BH801 creates a whole one when there is none)",
    ),
    (
        "BH601",
        "unsafe `HEALTHCHECK` with a probe the image has and the `EXPOSE`d port; a second action adds `HEALTHCHECK NONE`",
        "",
    ),
    ("BH602", "safe: delete the earlier occurrences in the stage", ""),
    ("BH702", "unsafe: remove `22` from `EXPOSE`, the line when it is left empty", ""),
    (
        "BH705",
        "(not in the plan; added for the runtime practice) unsafe: remove `2375` from `EXPOSE`, the line when it is left empty",
        "",
    ),
    ("BH801", "unsafe \"create .dockerignore\" (a new file, content for the detected ecosystem)", ""),
    // B2. Package hygiene and anti-patterns
    ("BH901", "safe: append `&& rm -rf /var/lib/apt/lists/*`", ""),
    ("BH902", "unsafe: merge into the next installing `RUN`", ""),
    (
        "BH903",
        "safe: `--no-cache` after `apk add`; unsafe: also drop `--update`/`-U` and a later `rm -rf /var/cache/apk/*`",
        "",
    ),
    ("BH904", "safe: `--no-cache-dir` after `pip install`", ""),
    ("BH905", "safe: append `yum/dnf/microdnf clean all`, `zypper clean` or `yarn cache clean`", ""),
    ("BH906", "unsafe: `--no-install-recommends` after `apt-get install`", ""),
    ("BH907", "unsafe: remove the upgrade command", ""),
    (
        "BH910",
        "unsafe (network): look up the current version",
        "not done: the engine makes no network calls, and pinning versions from a lookup works against security updates; lock files are the better tool",
    ),
    ("BH911", "safe: `-y` after `install`; zypper: `zypper -n install`", ""),
    (
        "BH912",
        "safe: `apt` → `apt-get` for install/update/upgrade/remove/purge/autoremove; unsafe: list/search/show → `apt-cache`",
        "`search`/`show` → `apt-cache` is safe (the same query); `upgrade` is unsafe (`apt-get upgrade` holds back new dependencies); `list` has no equivalent",
    ),
    ("BH913", "unsafe: remove the switch or the `ENV`/`ARG` assignment", ""),
    ("BH914", "unsafe: remove the switch; `--force-yes` → `-y`", ""),
    (
        "BH915",
        "safe: `ADD` → `COPY` for local non-archive sources; unsafe for URLs: add a `--checksum=sha256:` placeholder",
        "no placeholder for URLs: it would break the build, and the checksum must come from the publisher",
    ),
    ("BH916", "unsafe: `--chown` on the `COPY`, delete the `chown` (or its `RUN`)", ""),
    ("BH918", "safe: add `--progress=dot:giga`", "unsafe on Alpine/BusyBox, whose wget does not know the option"),
    ("BH919", "unsafe: merge with ` && \\`", ""),
    ("BH920", "safe: add `-l`", ""),
    // B3. Correctness and style
    ("BH003", "unsafe: `RUN cd /abs && rest` → `WORKDIR /abs` + `RUN rest`", ""),
    ("BH004", "safe: append `/` to the destination", ""),
    ("BH006", "safe: `MAINTAINER x` → `LABEL org.opencontainers.image.authors=\"x\"`", ""),
    (
        "BH007",
        "safe: JSON array when the text has no shell syntax; otherwise unsafe `[\"/bin/sh\",\"-c\",\"exec …\"]`",
        "",
    ),
    (
        "BH008",
        "unsafe: `SHELL [\"/bin/bash\",\"-o\",\"pipefail\",\"-c\"]` before the `RUN` (ash on Alpine), only with a shell that exists",
        "",
    ),
    ("BH009", "unsafe: `RUN ln -sf /bin/bash /bin/sh` → `SHELL [\"/bin/bash\",\"-c\"]`", ""),
    ("BH011", "safe: split into two `ENV` instructions", ""),
    ("BH014", "safe: lowercase the protocol; drop the `ip:`/`host:` part", ""),
    ("BH015", "safe: keywords in the file's majority case; lowercase stage names and their references", ""),
    ("BH016", "safe: `ENV k v` → `ENV k=\"v\"`", ""),
    ("BH017", "safe: delete the empty lines", ""),
    ("BH018", "unsafe: did-you-mean rename", ""),
    ("BH019", "unsafe: `ARG NAME=<default>` before the first `FROM`", ""),
    ("BH020", "safe: delete a redundant `--platform=$TARGETPLATFORM`", ""),
];

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
    for (code, planned, decision) in PLANNED_FIXES {
        let rule = RULES.iter().find(|r| r.code == *code).unwrap_or_else(|| panic!("{code}: no such rule"));
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
        PLANNED_FIXES.len()
    );
    out
}

#[test]
fn fix_table_is_up_to_date() {
    // Every rule with a fix is in the plan's table, and the other way round.
    for rule in RULES.iter().filter(|r| !r.is_test_only() && r.fix != bulkhead_analysis::FixAvailability::None) {
        assert!(
            PLANNED_FIXES.iter().any(|(code, ..)| *code == rule.code),
            "{}: a fix the table does not list",
            rule.code
        );
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
