//! `bulkhead check`: find the files, resolve settings and build-context facts for each (and registry facts
//! about their base images when look-ups are on: `online.rs`), run the engine on all of them in parallel
//! (applying fixes with `--fix`, or showing them with `--diff`), then print the results in path order.
//!
//! A fix may create a file beside its Dockerfile (BH801's `.dockerignore`; unsafe, so only with
//! `--unsafe-fixes`). It is created after the parallel phase, in path order, in the Dockerfile's own folder,
//! and never over an existing file; `--diff` shows it as a new file.
//!
//! One bad file never stops the others: an unreadable or missing file, or an invalid `.bulkhead.toml`, is
//! reported on stderr and makes the exit code 2 once everything else has been checked.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::bail;
use bulkhead_analysis::config::RegistryConfig;
use bulkhead_analysis::{
    BaseImageFacts, BuildContext, Config, FileKind, FixSelection, FixStop, MAX_FIX_PASSES, NewFile, RULES, Settings,
    Severity, is_plain_file_name,
};
use bulkhead_syntax::LineIndex;
use rayon::prelude::*;

use crate::Status;
use crate::args::{CheckArgs, CheckFormat, FailOn, FileKindArg};
use crate::discover::{self, Input};
use crate::report::{FileReport, plural};
use crate::settings::SettingsResolver;
use crate::{online, output};

/// The name shown for stdin without `--stdin-filename`.
const STDIN_NAME: &str = "<stdin>";

/// A file to check with everything the engine needs besides its text.
struct Job {
    input: Input,
    /// Display path; also the sort key.
    path: PathBuf,
    /// Where the file lives, for `.dockerignore`; `None` for stdin without `--stdin-filename`.
    location: Option<PathBuf>,
    settings: Arc<Settings>,
    kind: FileKind,
}

/// Something to say on stderr about one file.
enum Note {
    /// A plain line: what `--fix` did beyond the file itself.
    Info(String),
    Warning(String),
    Error(String),
}

#[derive(Default)]
struct Outcome {
    report: Option<FileReport>,
    notes: Vec<Note>,
    fixes_applied: usize,
    /// With `--diff`: the unified diff of this file's fixes (empty when nothing changes).
    diff: String,
    /// Files the applied fixes create beside this Dockerfile: where (on disk, and as shown) and what.
    new_files: Vec<PlannedFile>,
}

/// A file a fix creates (BH801's `.dockerignore`), written by `run` after every file was checked, in path
/// order, so that two Dockerfiles of one folder cannot race for it.
struct PlannedFile {
    path: PathBuf,
    shown: String,
    content: String,
}

/// Which fixes a run applies, and whether it writes them or shows them.
#[derive(Clone, Copy)]
struct FixMode {
    apply: bool,
    unsafe_fixes: bool,
    write: bool,
}

pub fn run(args: CheckArgs) -> anyhow::Result<Status> {
    let mut resolver = SettingsResolver::new(cli_config(&args), args.config.as_deref(), args.no_config)?;
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from(if args.stdin_filename.is_some() { "-" } else { "." }));
    }
    let mode = fix_mode(&args, &paths)?;
    let mut status = Status::Clean;
    let discovered = discover::discover(&paths);
    if discovered.report_problems() {
        status = Status::Error;
    }
    let stdin = match discovered.inputs.contains(&Input::Stdin) {
        true => read_stdin(&mut status),
        false => None,
    };
    let jobs = make_jobs(discovered.inputs, stdin.is_some(), &args, &mut resolver, &mut status);
    let outcomes = check_all(&jobs, stdin.as_deref(), mode)?;
    let totals = Totals::of(outcomes, mode.write);
    for note in &totals.notes {
        if print_note(note) {
            status = Status::Error;
        }
    }

    if args.diff {
        // The diff is the output: findings are what `--fix` would leave, which the diff already implies.
        print!("{}", totals.diff);
        match totals.fixes_applied {
            0 => eprintln!("No fixes to apply."),
            _ => eprintln!(
                "Would apply {} in {}.",
                plural(totals.fixes_applied, "fix", "fixes"),
                plural(totals.files_fixed, "file", "files")
            ),
        }
        if totals.fixes_applied > 0 && status == Status::Clean {
            status = Status::Findings;
        }
        return Ok(status);
    }

    write_reports(args.format, &totals.reports, !args.fix)?;
    if args.fix {
        eprintln!("{}", fix_summary(totals.fixes_applied, totals.files_fixed));
    }
    if fails(fail_on(args.fail_on, &mut resolver), &totals.reports) && status == Status::Clean {
        status = Status::Findings;
    }
    Ok(status)
}

/// The configuration the command line gives, which `.bulkhead.toml` files extend.
fn cli_config(args: &CheckArgs) -> Config {
    Config {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        registry: RegistryConfig {
            enabled: args.online.then_some(true),
            credential_helpers: args.credential_helpers.then_some(true),
            ..RegistryConfig::default()
        },
        ..Config::default()
    }
}

/// Which fixes the flags ask for, or why they do not go together with each other or the `paths`.
fn fix_mode(args: &CheckArgs, paths: &[PathBuf]) -> anyhow::Result<FixMode> {
    let wants_stdin = paths.iter().any(|path| path.as_os_str() == "-");
    if args.stdin_filename.is_some() && !wants_stdin {
        bail!("--stdin-filename names the text read from `-`, which is not among the paths");
    }
    if args.fix && wants_stdin {
        bail!("--fix rewrites files in place and cannot be used with `-` (stdin); use --diff to see the fixes");
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        bail!("--unsafe-fixes says which fixes to apply: use it with --fix or --diff");
    }
    Ok(FixMode { apply: args.fix || args.diff, unsafe_fixes: args.unsafe_fixes, write: args.fix })
}

/// All of stdin, or `None` after reporting why it could not be read.
fn read_stdin(status: &mut Status) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    match io::stdin().read_to_end(&mut bytes) {
        Ok(_) => Some(bytes),
        Err(err) => {
            eprintln!("error: cannot read stdin: {err}");
            *status = Status::Error;
            None
        }
    }
}

/// One job per input with its settings, sorted by path. An input whose configuration file is broken is
/// not checked (the error is reported once per configuration file).
fn make_jobs(
    inputs: Vec<Input>,
    has_stdin: bool,
    args: &CheckArgs,
    resolver: &mut SettingsResolver,
    status: &mut Status,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    for input in inputs {
        let (path, location) = match &input {
            Input::File(path) => (path.clone(), Some(path.clone())),
            Input::Stdin if !has_stdin => continue,
            Input::Stdin => match &args.stdin_filename {
                Some(name) => (discover::normalize(name), Some(discover::normalize(name))),
                None => (PathBuf::from(STDIN_NAME), None),
            },
        };
        let settings = match &location {
            Some(location) => resolver.settings_for(location),
            None => resolver.settings_for_cwd(),
        };
        match settings {
            Ok(settings) => {
                let kind = kind_of(args.kind, &path);
                jobs.push(Job { input, path, location, settings, kind })
            }
            Err(message) => {
                if let Some(message) = message {
                    eprintln!("error: {message}");
                }
                *status = Status::Error;
            }
        }
    }
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    for note in resolver.take_notes() {
        eprintln!("warning: {note}");
    }
    jobs
}

/// Reads, looks up and checks every job in parallel, in job order. The engine runs on threads with its
/// own stack size, never on the main thread (whose stack the platform decides).
fn check_all(jobs: &[Job], stdin: Option<&[u8]>, mode: FixMode) -> anyhow::Result<Vec<Outcome>> {
    let workers = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("bulkhead-check-{i}"))
        .stack_size(bulkhead_analysis::ENGINE_STACK_SIZE)
        .build()?;
    Ok(workers.install(|| {
        let texts: Vec<Result<String, Note>> = jobs.par_iter().map(|job| read_text(job, stdin)).collect();
        let facts = look_up_images(jobs, &texts);
        jobs.par_iter()
            .zip(texts)
            .map(|(job, text)| match text {
                Ok(text) => check_one(job, text, facts.get(&job.settings.registry).cloned(), mode),
                Err(note) => Outcome { notes: vec![note], ..Outcome::default() },
            })
            .collect()
    }))
}

/// The outcomes of a run put together, after the files the fixes create are written (or diffed).
struct Totals {
    reports: Vec<FileReport>,
    fixes_applied: usize,
    files_fixed: usize,
    diff: String,
    notes: Vec<Note>,
}

impl Totals {
    fn of(outcomes: Vec<Outcome>, write: bool) -> Self {
        let mut totals =
            Totals { reports: Vec::new(), fixes_applied: 0, files_fixed: 0, diff: String::new(), notes: Vec::new() };
        let mut planned = Vec::new();
        for outcome in outcomes {
            totals.notes.extend(outcome.notes);
            if outcome.fixes_applied > 0 {
                totals.fixes_applied += outcome.fixes_applied;
                totals.files_fixed += 1;
            }
            totals.reports.extend(outcome.report);
            totals.diff.push_str(&outcome.diff);
            planned.extend(outcome.new_files);
        }
        let created = create_files(planned, write, &mut totals.diff);
        totals.notes.extend(created);
        totals
    }
}

/// Prints a note on stderr; true for an error.
fn print_note(note: &Note) -> bool {
    match note {
        Note::Info(message) => eprintln!("{message}"),
        Note::Warning(message) => eprintln!("warning: {message}"),
        Note::Error(message) => eprintln!("error: {message}"),
    }
    matches!(note, Note::Error(_))
}

/// Writes the findings in the chosen format on stdout.
fn write_reports(format: CheckFormat, reports: &[FileReport], show_fixes: bool) -> anyhow::Result<()> {
    match format {
        CheckFormat::Human => output::human::write(&mut anstream::stdout().lock(), reports, show_fixes)?,
        CheckFormat::Json => output::json::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Sarif => output::sarif::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Concise => output::concise::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Github => output::github::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Gitlab => output::gitlab::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Checkstyle => output::checkstyle::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Junit => output::junit::write(&mut io::stdout().lock(), reports)?,
        CheckFormat::Rdjson => output::rdjson::write(&mut io::stdout().lock(), reports)?,
    }
    Ok(())
}

/// True when a finding is at least as severe as the threshold asks.
fn fails(threshold: bulkhead_analysis::FailOn, reports: &[FileReport]) -> bool {
    reports.iter().flat_map(|report| &report.diagnostics).any(|diagnostic| threshold.fails(diagnostic.severity))
}

/// The threshold of the exit code: `--fail-on`, else `fail-on` of the configuration that governs the
/// current directory (where hadolint reads its `failure-threshold` too), else warning.
fn fail_on(flag: Option<FailOn>, resolver: &mut SettingsResolver) -> bulkhead_analysis::FailOn {
    use bulkhead_analysis::FailOn as Threshold;
    match flag {
        Some(FailOn::Error) => Threshold::Severity(Severity::Error),
        Some(FailOn::Warning) => Threshold::Severity(Severity::Warning),
        Some(FailOn::Info) => Threshold::Severity(Severity::Info),
        Some(FailOn::Hint) => Threshold::Severity(Severity::Hint),
        Some(FailOn::Never) => Threshold::Never,
        None => resolver
            .settings_for_cwd()
            .ok()
            .and_then(|settings| settings.fail_on)
            .unwrap_or(Threshold::Severity(Severity::Warning)),
    }
}

/// The text of a job's file (or stdin), or why it is not checked.
fn read_text(job: &Job, stdin: Option<&[u8]>) -> Result<String, Note> {
    let shown = job.path.display();
    let bytes = match &job.input {
        Input::File(path) => match fs::read(path) {
            Ok(bytes) => Cow::Owned(bytes),
            Err(err) => return Err(Note::Error(format!("{shown}: cannot read: {err}"))),
        },
        Input::Stdin => Cow::Borrowed(stdin.unwrap_or_default()),
    };
    // NUL bytes mean a binary file even when they happen to be valid UTF-8.
    let text = match bytes.contains(&0) {
        true => None,
        false => String::from_utf8(bytes.into_owned()).ok(),
    };
    text.ok_or_else(|| Note::Warning(format!("{shown}: not a UTF-8 text file, skipped")))
}

/// With registry look-ups on for some files: the image references of those files, looked up once each
/// (a Compose file's: the images its services run and the base images of the Dockerfiles they build, read
/// here as the check reads them). Warnings go to stderr here, before the results. Without look-ups:
/// nothing, and no network.
fn look_up_images(jobs: &[Job], texts: &[Result<String, Note>]) -> online::FactsByConfig {
    let wanted: BTreeSet<_> = jobs
        .par_iter()
        .zip(texts)
        .filter(|(job, _)| job.settings.registry.enabled)
        .filter_map(|(job, text)| Some((job, text.as_ref().ok()?)))
        .flat_map_iter(|(job, text)| {
            let build = match (&job.location, job.kind) {
                (Some(location), FileKind::Compose) => {
                    bulkhead_project::compose_context(location, text, bulkhead_project::read_dockerfile)
                }
                _ => BuildContext::default(),
            };
            let registry = &job.settings.registry;
            job.kind.image_references(text, &build).into_iter().map(|image| (registry.clone(), image))
        })
        .collect();
    if wanted.is_empty() {
        return online::FactsByConfig::new();
    }
    let (facts, warnings) = online::look_up(wanted);
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    facts
}

/// What a file is: `--kind`, else its name says.
fn kind_of(kind: FileKindArg, path: &std::path::Path) -> FileKind {
    match kind {
        FileKindArg::Dockerfile => FileKind::Dockerfile,
        FileKindArg::Compose => FileKind::Compose,
        FileKindArg::Auto => {
            match path.file_name().and_then(|name| name.to_str()).is_some_and(discover::is_compose_name) {
                true => FileKind::Compose,
                false => FileKind::Dockerfile,
            }
        }
    }
}

fn check_one(
    job: &Job,
    original: String,
    images: Option<Arc<BTreeMap<String, BaseImageFacts>>>,
    mode: FixMode,
) -> Outcome {
    let mut outcome = Outcome::default();
    let shown = job.path.display();
    let mut build = match (&job.location, job.kind) {
        (Some(location), FileKind::Dockerfile) => bulkhead_project::build_context(location),
        // A Compose file's context is the Dockerfiles its services build, beside it.
        (Some(location), FileKind::Compose) => {
            bulkhead_project::compose_context(location, &original, bulkhead_project::read_dockerfile)
        }
        (None, _) => BuildContext::default(),
    };
    build.today = bulkhead_project::today();
    if let Some(images) = images {
        build.images = images;
    }

    let (text, report) = match mode.apply {
        false => {
            let report = job.kind.check(&original, &build, &job.settings);
            (original.clone(), report)
        }
        true => {
            let selection = if mode.unsafe_fixes { FixSelection::SafeAndUnsafe } else { FixSelection::Safe };
            let fixed = bulkhead_analysis::fix_all_of(job.kind, &original, &build, &job.settings, selection);
            match fixed.stopped {
                Some(FixStop::TooManyPasses) => outcome.notes.push(Note::Warning(format!(
                    "{shown}: fixes still change the file after {MAX_FIX_PASSES} passes; stopped"
                ))),
                Some(FixStop::WouldBreakSyntax) => outcome
                    .notes
                    .push(Note::Warning(format!("{shown}: the remaining fixes would break the syntax; not applied"))),
                None => {}
            }
            outcome.fixes_applied = fixed.applied;
            outcome.new_files = planned_files(job, &fixed.new_files);
            (fixed.text, fixed.report)
        }
    };

    for failure in &report.failures {
        let name = RULES.iter().find(|rule| rule.code == failure.code).map_or("?", |rule| rule.name);
        outcome.notes.push(Note::Warning(format!(
            "{shown}: rule {} ({name}) crashed and was skipped: {}",
            failure.code, failure.message
        )));
    }
    if !mode.write && text != original {
        outcome.diff = unified_diff(&shown.to_string(), &original, &text);
    }
    if mode.write
        && text != original
        && let Input::File(path) = &job.input
        && let Err(err) = fs::write(path, &text)
    {
        outcome.notes.push(Note::Error(format!("{shown}: cannot write the fixed file: {err}")));
    }
    outcome.report = Some(FileReport {
        path: job.path.display().to_string(),
        line_index: LineIndex::new(&text),
        text,
        diagnostics: report.diagnostics,
    });
    outcome
}

/// Where the new files of a fix go: the Dockerfile's own folder (the file names are plain names, see
/// [`NewFile`]). Nothing for a text without a location (stdin without `--stdin-filename`).
fn planned_files(job: &Job, files: &[NewFile]) -> Vec<PlannedFile> {
    let Some(location) = &job.location else { return Vec::new() };
    let dir = location.parent().unwrap_or(Path::new(""));
    let shown = job.path.display().to_string();
    files
        .iter()
        .filter(|file| is_plain_file_name(file.name()))
        .map(|file| PlannedFile {
            path: dir.join(file.name()),
            shown: output::new_file_path(&shown, file.name()),
            content: file.content.clone(),
        })
        .collect()
}

/// Creates the planned files (`write`) or adds their diffs to `diff`, each path once; never over an existing
/// file or link (`create_new`). Returns the notes to print.
fn create_files(planned: Vec<PlannedFile>, write: bool, diff: &mut String) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for file in planned {
        if seen.contains(&file.path) {
            // Two Dockerfiles of one folder: the first (in path order) wrote it.
            continue;
        }
        seen.push(file.path.clone());
        if !write {
            diff.push_str(&new_file_diff(&file.shown, &file.content));
            continue;
        }
        let created = fs::OpenOptions::new().write(true).create_new(true).open(&file.path).and_then(|mut handle| {
            use std::io::Write as _;
            handle.write_all(file.content.as_bytes())
        });
        match created {
            Ok(()) => notes.push(Note::Info(format!("created {}", file.shown))),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                notes.push(Note::Warning(format!("{}: already exists, not overwritten", file.shown)));
            }
            Err(err) => notes.push(Note::Error(format!("{}: cannot create: {err}", file.shown))),
        }
    }
    notes
}

/// A new file as a unified diff from `/dev/null`, as `git diff` shows one.
fn new_file_diff(path: &str, content: &str) -> String {
    let diff = similar::TextDiff::from_lines("", content);
    diff.unified_diff().context_radius(3).header("/dev/null", &format!("b/{path}")).to_string()
}

/// A unified diff with `a/` and `b/` headers, as `git diff` and `patch -p1` expect.
fn unified_diff(path: &str, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

fn fix_summary(fixes: usize, files: usize) -> String {
    match fixes {
        0 => "No fixes applied.".to_owned(),
        _ => format!("Applied {} in {}.", plural(fixes, "fix", "fixes"), plural(files, "file", "files")),
    }
}
