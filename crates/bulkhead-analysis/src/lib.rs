//! The bulkhead engine: `(text, build-context facts, settings) -> diagnostics with fixes`.
//!
//! Invariant: analysis is a pure function of its inputs. No I/O, no clock, no globals: the CLI and the
//! language server are two drivers of the same function, so a finding in the editor and in CI is the same.
//!
//! API boundary: plain data in (text, [`BuildContext`], [`Settings`]), plain data out ([`Diagnostic`],
//! [`Fix`], byte ranges). No LSP or JSON types.

pub mod compose;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod fix;
pub mod hadolint;
pub mod ide;
pub mod image;
pub mod knowledge;
pub mod memo;
pub mod model;
pub mod rule;
pub mod rules;
pub mod secrets;
pub mod suppress;
pub mod vars;

use std::panic::{AssertUnwindSafe, catch_unwind};

use bulkhead_syntax::Dockerfile;
use rayon::prelude::*;
use rule::Finding;

pub use compose::{ComposeFile, check_compose};
pub use config::{Config, ConfigError, FailOn, FormatConfig, RegistrySettings, Settings};
pub use context::{BaseImageFacts, BuildContext, Dockerignore, DockerignoreState, MAX_PIN_TAG_CANDIDATES};
pub use diagnostic::{Diagnostic, Severity, Tag};
pub use fix::{Applicability, Edit, Fix, NewFile, apply_edits, apply_fixes, is_plain_file_name};
pub use image::ImageRef;
pub use knowledge::eol::Date;
pub use memo::InstructionMemo;
pub use model::Model;
pub use rule::{
    BRIEF_DIFF_LINES, BRIEF_WHY_CHARS, Check, FixAvailability, FixPlan, InstructionContext, Practice, Rule, RuleBrief,
    RuleContext, RuleOptions, doc_url,
};
pub use rules::RULES;

/// The stack the drivers give every thread that runs the engine (the CLI's workers, the server's engine
/// and protocol threads). The engine walks shell trees, words and variables iteratively or to a small
/// depth limit (see docs/reliability.md), so it needs far less; this leaves a wide margin. It is address
/// space, not memory: only the pages a thread touches are resident.
pub const ENGINE_STACK_SIZE: usize = 16 << 20;

/// True in test builds that compile the test-only hooks (cargo feature `test-panic-rule`): the rule BH999,
/// and in the language server a hover that panics on purpose. Always false in a release build.
pub const TEST_HOOKS: bool = cfg!(feature = "test-panic-rule");

/// A rule that panicked: the other rules still reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFailure {
    pub code: &'static str,
    pub message: String,
}

/// The result of checking one file.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    pub failures: Vec<RuleFailure>,
}

/// Checks a parsed file.
pub fn check_file(file: &Dockerfile, build: &BuildContext, settings: &Settings) -> Report {
    check_file_with(file, build, settings, None, PARALLEL_FROM_BYTES)
}

/// Checks a parsed file, reusing the findings of instruction checks that `memo` holds for an unchanged
/// instruction (from checks of earlier versions of the file) and keeping the new ones. The report is the
/// same as [`check_file`]'s.
pub fn check_file_memo(
    file: &Dockerfile,
    build: &BuildContext,
    settings: &Settings,
    memo: &mut InstructionMemo,
) -> Report {
    check_file_with(file, build, settings, Some(memo), PARALLEL_FROM_BYTES)
}

fn check_file_with(
    file: &Dockerfile,
    build: &BuildContext,
    settings: &Settings,
    memo: Option<&mut InstructionMemo>,
    parallel_from: usize,
) -> Report {
    let model = Model::new(file);
    let suppressions = suppress::Suppressions::new(file);
    let ctx = RuleContext { file, model: &model, build, options: &settings.options };
    let rules: Vec<(&Rule, Severity)> = settings.enabled_rules().collect();
    let local: Vec<_> = rules.iter().filter_map(|(rule, _)| rule.check.instruction()).collect();
    let whole = |&(rule, _): &(&'static Rule, Severity)| run_file_check(&ctx, rule);
    // Rules are independent: on a large file they run on every core of the caller's rayon pool (the
    // editor's keystroke latency is the sum of the rules otherwise), file checks beside instruction checks.
    // Small files stay on this thread, where the hand-off would cost more than it saves. The result is the
    // same either way: rule order is kept and the findings are sorted below.
    let (file_outcomes, local_outcomes) = if file.text().len() >= parallel_from {
        rayon::join(|| rules.par_iter().map(whole).collect(), || memo::run(file, settings, &local, memo))
    } else {
        (rules.iter().map(whole).collect::<Vec<_>>(), memo::run(file, settings, &local, memo))
    };
    // One instruction outcome per rule with an instruction check, in rule order.
    let mut local_outcomes = local_outcomes.into_iter();
    let mut report = Report::default();
    for (&(rule, level), mut outcome) in rules.iter().zip(file_outcomes) {
        if rule.check.instruction().is_some() {
            let local = local_outcomes.next().unwrap_or(Ok(Vec::new()));
            outcome = match (outcome, local) {
                (Ok(mut findings), Ok(more)) => {
                    findings.extend(more);
                    Ok(findings)
                }
                (Err(message), _) | (_, Err(message)) => Err(message),
            };
        }
        match outcome {
            Ok(findings) => report.diagnostics.extend(diagnostics(&suppressions, rule, level, findings)),
            Err(message) => report.failures.push(RuleFailure { code: rule.code, message }),
        }
    }
    report.diagnostics.sort_by(|a, b| (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end)));
    report
}

/// The text size from which [`check_file`] runs its rules in parallel.
const PARALLEL_FROM_BYTES: usize = 16 * 1024;

/// The text a panic was raised with (`panic!("...")` gives a `&str` or a `String`), for reports and logs.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// A rule's file check: its findings, or the message of the panic it raised. Nothing for a rule with an
/// instruction check only.
fn run_file_check(ctx: &RuleContext<'_>, rule: &'static Rule) -> Result<Vec<Finding>, String> {
    let mut findings = Vec::new();
    if let Some(check) = rule.check.file() {
        catch_unwind(AssertUnwindSafe(|| check(ctx, &mut findings)))
            .map_err(|payload| panic_message(payload.as_ref()))?;
    }
    Ok(findings)
}

/// A rule's findings as diagnostics: the suppressed ones left out, the severities set.
fn diagnostics(
    suppressions: &suppress::Suppressions,
    rule: &'static Rule,
    level: Severity,
    findings: Vec<Finding>,
) -> impl Iterator<Item = Diagnostic> {
    findings.into_iter().filter(move |finding| !suppressions.is_suppressed(rule, finding)).map(move |finding| {
        // A per-finding severity is relative to the rule's default: keep the user's override when set.
        let severity = match finding.severity {
            Some(own) if level == rule.severity => own,
            _ => level,
        };
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity,
            message: finding.message,
            range: finding.range,
            fixes: finding.fixes,
            tags: finding.tags,
        }
    })
}

/// The images whose registry facts ([`BaseImageFacts`]) the rules and the hover can use: every `FROM`
/// image and every image `COPY --from`/`ADD --from` pulls, variables substituted, each once, in file
/// order. Stage names, `scratch` and references that hold a build argument of unknown value are not
/// images to look up. The drivers look these up (when the user turned registry look-ups on) and put
/// the answers in [`BuildContext::images`] under [`ImageRef::raw`].
pub fn image_references(file: &Dockerfile) -> Vec<ImageRef> {
    let model = Model::new(file);
    let (build, options) = (BuildContext::default(), RuleOptions::default());
    rules::registry_images(&RuleContext { file, model: &model, build: &build, options: &options })
}

/// Parses and checks a text.
pub fn check(text: &str, build: &BuildContext, settings: &Settings) -> Report {
    let file = bulkhead_syntax::parse(text);
    check_file(&file, build, settings)
}

/// Which fixes [`fix_all`] applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixSelection {
    /// Fixes that keep the build's meaning (`check --fix`, the editor's "fix all").
    Safe,
    /// Also the ones that may change what the image does (`--unsafe-fixes`).
    SafeAndUnsafe,
}

/// Why [`fix_all`] stopped before every fix was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixStop {
    /// Fixes still changed the text after [`MAX_FIX_PASSES`] passes.
    TooManyPasses,
    /// The next pass would have added a syntax error, so it was not taken.
    WouldBreakSyntax,
}

/// The result of [`fix_all`].
#[derive(Clone, Debug)]
pub struct FixAll {
    /// The text after the fixes.
    pub text: String,
    /// How many fixes were applied, over all passes.
    pub applied: usize,
    /// The findings that remain in `text` (with the files of `new_files` in place).
    pub report: Report,
    pub stopped: Option<FixStop>,
    /// Files the applied fixes create beside the Dockerfile, one per name (the first fix to name it wins).
    /// Nothing is written: the caller decides.
    pub new_files: Vec<NewFile>,
}

/// How many times [`fix_all`] re-checks and re-applies before giving up.
pub const MAX_FIX_PASSES: usize = 10;

/// Applies the first selected fix of every finding, re-checks, and repeats until nothing changes (fixes that
/// overlap wait for the next pass). A pass that would add a syntax error is not taken. A fix that creates a
/// file is taken once per file name; later passes see the build context with that file in place.
pub fn fix_all(text: &str, build: &BuildContext, settings: &Settings, selection: FixSelection) -> FixAll {
    fix_all_of(FileKind::Dockerfile, text, build, settings, selection)
}

/// What kind of file a text is: the drivers decide (by name, language id or `--kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Dockerfile,
    Compose,
}

impl FileKind {
    /// Checks a text of this kind. For a Compose file, `build` holds the Dockerfiles it builds.
    pub fn check(self, text: &str, build: &BuildContext, settings: &Settings) -> Report {
        match self {
            FileKind::Dockerfile => check(text, build, settings),
            FileKind::Compose => compose::check_compose(text, build, settings),
        }
    }

    /// The image references whose registry facts the checks of a text of this kind read, for a driver to
    /// look up when the user turned registry look-ups on ([`image_references`],
    /// [`compose::image_references`]). For a Compose file, `build` holds the Dockerfiles it builds.
    pub fn image_references(self, text: &str, build: &BuildContext) -> Vec<ImageRef> {
        match self {
            FileKind::Dockerfile => image_references(&bulkhead_syntax::parse(text)),
            FileKind::Compose => compose::image_references(&ComposeFile::parse(text), build),
        }
    }

    /// How many syntax errors the text has.
    pub fn syntax_errors(self, text: &str) -> usize {
        match self {
            FileKind::Dockerfile => bulkhead_syntax::parse(text).errors().len(),
            FileKind::Compose => usize::from(bulkhead_syntax::yaml::Yaml::parse(text).error().is_some()),
        }
    }
}

/// [`fix_all`] for a file of any kind.
pub fn fix_all_of(
    kind: FileKind,
    text: &str,
    build: &BuildContext,
    settings: &Settings,
    selection: FixSelection,
) -> FixAll {
    let errors_before = kind.syntax_errors(text);
    let mut out =
        FixAll { text: text.to_owned(), applied: 0, report: Report::default(), stopped: None, new_files: Vec::new() };
    let mut build = std::borrow::Cow::Borrowed(build);
    for pass in 0..=MAX_FIX_PASSES {
        out.report = kind.check(&out.text, &build, settings);
        let chosen: Vec<&Fix> = out
            .report
            .diagnostics
            .iter()
            .filter_map(|diagnostic| {
                let fixes = &diagnostic.fixes;
                fixes
                    .iter()
                    .find(|fix| fix.applicability == Applicability::Safe)
                    .or_else(|| fixes.first().filter(|_| selection == FixSelection::SafeAndUnsafe))
            })
            .collect();
        // A file is created once: a later fix naming a file already created (or claimed by a fix earlier in
        // this pass, such as the same `.dockerignore` offered on two `COPY .`) is dropped.
        let mut claimed: Vec<&str> = out.new_files.iter().map(NewFile::name).collect();
        let chosen: Vec<&Fix> = chosen
            .into_iter()
            .filter(|fix| {
                let fresh = fix.new_files.iter().all(|new| !claimed.contains(&new.name()));
                if fresh {
                    claimed.extend(fix.new_files.iter().map(NewFile::name));
                }
                fresh
            })
            .collect();
        if chosen.is_empty() {
            break;
        }
        if pass == MAX_FIX_PASSES {
            out.stopped = Some(FixStop::TooManyPasses);
            break;
        }
        let (next, applied) = fix::apply_fixes_listed(&out.text, chosen.iter().copied());
        let created: Vec<NewFile> = applied.iter().flat_map(|&idx| chosen[idx].new_files.iter().cloned()).collect();
        if applied.is_empty() || (next == out.text && created.is_empty()) {
            break;
        }
        if kind.syntax_errors(&next) > errors_before {
            out.stopped = Some(FixStop::WouldBreakSyntax);
            break;
        }
        for new in created {
            build = std::borrow::Cow::Owned(build.with_new_file(&new));
            out.new_files.push(new);
        }
        out.text = next;
        out.applied += applied.len();
    }
    out
}

#[cfg(test)]
mod parallel_tests {
    use super::*;

    #[test]
    fn rules_in_parallel_report_exactly_what_they_report_in_sequence() {
        let chunk = "FROM python:3\nRUN apt-get update && apt-get install -y curl gcc\nENV API_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nADD . /app\nRUN curl -k https://x | sh\n";
        let text = chunk.repeat(200);
        let file = bulkhead_syntax::parse(&text);
        let settings =
            Settings::from_config(&Config { select: Some(vec!["ALL".to_owned()]), ..Config::default() }).unwrap();
        let build = BuildContext::without_dockerignore();
        let sequential = check_file_with(&file, &build, &settings, None, usize::MAX);
        let parallel = check_file_with(&file, &build, &settings, None, 0);
        assert!(sequential.diagnostics.len() > 1_000);
        assert_eq!(format!("{:?}", sequential.diagnostics), format!("{:?}", parallel.diagnostics));
        assert_eq!(sequential.failures, parallel.failures);
    }
}
