//! What a rule is: metadata, documentation and a check function.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, ShellScript, TextRange, floor_char_boundary};

use crate::context::BuildContext;
use crate::diagnostic::{Severity, Tag};
use crate::fix::Fix;
use crate::model::Model;

/// The practice a rule teaches (sections of the practices document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Practice {
    MinimalBaseImage,
    NonRootUser,
    MultiStage,
    NoSecrets,
    ScanAndVerify,
    Healthcheck,
    RuntimeHardening,
    Dockerignore,
    PackageHygiene,
    Correctness,
}

impl Practice {
    pub fn title(self) -> &'static str {
        match self {
            Practice::MinimalBaseImage => "Minimal, pinned base images",
            Practice::NonRootUser => "Run as a non-root user",
            Practice::MultiStage => "Multi-stage builds",
            Practice::NoSecrets => "No secrets in images",
            Practice::ScanAndVerify => "Scan and verify what goes into the image",
            Practice::Healthcheck => "HEALTHCHECK",
            Practice::RuntimeHardening => "Runtime hardening",
            Practice::Dockerignore => ".dockerignore and the build context",
            Practice::PackageHygiene => "Package-manager hygiene and anti-patterns",
            Practice::Correctness => "Correctness and style",
        }
    }

    /// Why the rules of this practice have the severities they have: security impact, not any one peer's
    /// choice. `docs/rules/README.md` shows it above each practice's table.
    pub fn severity_rationale(self) -> &'static str {
        match self {
            Practice::MinimalBaseImage => {
                "A floating tag (`latest`, no tag) is a **warning**: the next build may silently get a different \
                 base, with different packages and a different user. A missing digest is a **hint** and off by \
                 default: pinning a digest also pins out security updates, so it is a policy choice. Pulling from \
                 a registry outside the configured allow-list is an **error** once you configure one. A full \
                 instead of a minimal base is **info**: more packages mean more CVEs to patch, but nothing is \
                 exploitable by itself."
            }
            Practice::NonRootUser => {
                "Running the final image as root is a **warning**: it turns any code execution in the app into \
                 root in the container, one kernel bug away from the host. It is not an error because some images \
                 (init systems, network tools) must run as root and say so with `USER root`. `sudo` in a build is \
                 a **warning**. A user given by name instead of UID is a **hint**: it only stops Kubernetes from \
                 verifying `runAsNonRoot`."
            }
            Practice::MultiStage => {
                "Stage-graph mistakes that make the build wrong or ambiguous (a stage copying from itself, two \
                 stages with one name) are **errors**. Build tools or a whole stage's filesystem in the final \
                 image are **warnings**: compilers and package headers are what an attacker uses after getting a \
                 shell. A `--from` that names no stage is a **warning**: Docker then pulls an image of that name."
            }
            Practice::NoSecrets => {
                "A literal secret anywhere in the file, a secret-named `ARG`/`ENV` with a value, and a copied key \
                 or `.env` file are **errors**: once in a layer or in the image config, anyone who can pull the \
                 image can read them, and deleting them in a later layer does not help. A secret-named variable \
                 without a value is a **warning** (the value arrives with `--build-arg` and lands in the image \
                 history). Setting a password in the image is a **warning**: the hash ships in `/etc/shadow`."
            }
            Practice::ScanAndVerify => {
                "Running a downloaded script unseen (`curl | sh`) and fetching code or packages over plain \
                 `http://` or `git://` are **warnings**: whoever controls the server or the network path \
                 decides what runs in the build. A download used without a checksum or signature check is a \
                 **warning** for executables and archives. Image scanners see what is installed; these rules \
                 see how it got there, which no scanner can."
            }
            Practice::Healthcheck => {
                "A missing `HEALTHCHECK` is **info** when the image serves a port (an orchestrator cannot tell a \
                 hung service from a healthy one) and a **hint** otherwise: it is about availability, not \
                 confidentiality. Several `CMD`/`ENTRYPOINT`/`HEALTHCHECK` in one stage is a **warning**: all but \
                 the last are silently ignored, so the file does not do what it says."
            }
            Practice::RuntimeHardening => {
                "Declaring the Docker socket as a volume is an **error**: a container with the socket controls \
                 the host. An SSH server or port 22 is a **warning**: a second, password- or key-based way in \
                 that bypasses `docker exec` and its audit trail. Exposing the Docker API's plaintext port \
                 2375 is a **warning** too: published, it is the socket without a password, but `EXPOSE` alone \
                 publishes nothing. A non-root user on a port below 1024 is \
                 **info**: since Docker 20.10 it works, but older runtimes and some Kubernetes set-ups make \
                 people add capabilities or go back to root for it. Capabilities, read-only root filesystems, \
                 resource limits and no-new-privileges are set at run time; the rules' docs show the flags."
            }
            Practice::Dockerignore => {
                "`COPY .` without a `.dockerignore` is a **warning**: `.git`, `.env` files and keys go into the \
                 image by accident. Copying a file the `.dockerignore` excludes is a **warning**: the build \
                 fails or copies something else than the author thinks."
            }
            Practice::PackageHygiene => {
                "Turning off TLS verification or package signature checks is an **error**: it lets anyone on the \
                 network path replace what gets installed. Package caches and lists left in the image, a missing \
                 `-y`, `apt` in scripts and updates in a separate layer are **warnings**: bigger images, stale \
                 indexes and builds that hang or install outdated packages. Extra recommended packages, `wget` \
                 next to `curl` and similar waste are **info**. Upgrading all packages is only a **hint**: it \
                 brings security fixes, and both hadolint and Trivy have dropped their rules against it. \
                 Reproducibility rules (unpinned package versions, consecutive `RUN`s) are off by default."
            }
            Practice::Correctness => {
                "Instructions Docker rejects or misreads (an invalid port, `COPY` of several sources to a \
                 non-directory, a variable that refers to itself, an invalid `ONBUILD`) are **errors**. What \
                 works but surprises (a relative `WORKDIR`, shell-form `CMD` that swallows signals, a pipe that \
                 hides a failed download) is a **warning**. Style (keyword casing, the legacy `ENV key value` \
                 form where it reads unambiguously) is a **hint**."
            }
        }
    }
}

/// Whether a rule's findings come with a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's planned fix and what bulkhead did about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixPlan {
    /// The rule plan's fix column, abridged: `safe: ...` or `unsafe: ...`.
    pub planned: &'static str,
    /// Why the rule's fix differs from the plan, or why it has none; empty when it is as planned.
    pub decision: &'static str,
}

/// Options that rules read (from `.bulkhead.toml` or editor settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOptions {
    /// Registries a base image may come from (empty: any).
    pub trusted_registries: Vec<String>,
    /// Extra words that make an ARG/ENV name a secret.
    pub extra_secret_words: Vec<String>,
    /// Words that make an ARG/ENV name not a secret.
    pub allowed_secret_words: Vec<String>,
    /// BH107: how many days old a base image's build may be before the hint to rebuild on a fresh one
    /// (`[registry] base-max-age`).
    pub base_max_age_days: u32,
}

impl Default for RuleOptions {
    fn default() -> Self {
        Self {
            trusted_registries: Vec::new(),
            extra_secret_words: Vec::new(),
            allowed_secret_words: Vec::new(),
            base_max_age_days: crate::config::DEFAULT_BASE_MAX_AGE_DAYS,
        }
    }
}

/// What a check function sees.
pub struct RuleContext<'a> {
    pub file: &'a Dockerfile,
    pub model: &'a Model,
    pub build: &'a BuildContext,
    pub options: &'a RuleOptions,
}

impl RuleContext<'_> {
    pub fn text(&self) -> &str {
        self.file.text()
    }
}

/// One finding before the registry stamps it with the rule's code, name and severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub range: TextRange,
    pub message: String,
    /// Overrides the rule's default severity for this finding (a rule with two levels).
    pub severity: Option<Severity>,
    pub fixes: Vec<Fix>,
    pub tags: Vec<Tag>,
    /// For a rule that covers several checks of another tool (BH015 is BuildKit's
    /// `ConsistentInstructionCasing`, `FromAsCasing` and `StageNameCasing`), the alias this finding is:
    /// a suppression by alias then silences only the findings of that alias. `None` for the rules whose
    /// every finding is every alias.
    pub alias: Option<&'static str>,
}

impl Finding {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self { range, message: message.into(), severity: None, fixes: Vec::new(), tags: Vec::new(), alias: None }
    }

    /// The alias (another tool's check name, one of the rule's `aliases`) this finding is.
    pub fn with_alias(mut self, alias: &'static str) -> Self {
        debug_assert!(!alias.is_empty());
        self.alias = Some(alias);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_fixes(mut self, fixes: impl IntoIterator<Item = Fix>) -> Self {
        self.fixes.extend(fixes);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

/// A rule. Codes are a contract: never renumber, never reuse.
pub struct Rule {
    /// `BH201`.
    pub code: &'static str,
    /// `root-user`: names what is flagged, reads well after "allow".
    pub name: &'static str,
    pub practice: Practice,
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub fix: FixAvailability,
    /// The fix the rule plan (RULES-PLAN.md, B1-B3) gives the rule, with bulkhead's decision where it
    /// differs; every rule with a fix has one. The spec harness checks the rule's specs against both and
    /// generates docs/rules/fixes.md from it.
    pub fix_plan: Option<FixPlan>,
    /// The same check in other tools (hadolint `DL3002`, BuildKit `JSONArgsRecommended`, Trivy
    /// `DS-0002`...): their suppression comments silence this rule too.
    pub aliases: &'static [&'static str],
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown: `## What it does`, `## Why it matters`, `## Example`, `## Use instead`, `## Fix`,
    /// `## How to silence`, `## References`.
    pub doc: &'static str,
    pub check: Check,
}

/// A check over the whole file.
pub type FileCheck = fn(&RuleContext<'_>, &mut Vec<Finding>);
/// A check over one instruction.
pub type InstructionCheck = fn(&InstructionContext<'_>, &mut Vec<Finding>);
/// A check over a Compose file.
pub type ComposeCheck = fn(&crate::compose::ComposeContext<'_>, &mut Vec<Finding>);

/// What a rule's check reads, which decides what the engine may reuse.
#[derive(Clone, Copy)]
pub enum Check {
    /// The whole file: stages, variables, other instructions. Runs on every check.
    File(FileCheck),
    /// One instruction at a time, by its own text: see [`InstructionContext`]. Its findings are kept by
    /// that text and reused, moved, while the text is unchanged, so on an editor's keystroke it runs on
    /// the edited instruction only.
    Instruction(InstructionCheck),
    /// Both: what one instruction shows by itself, and what needs the file (a rule whose `RUN` part is
    /// local but whose `ENV` part needs substituted values).
    Both { instruction: InstructionCheck, file: FileCheck },
    /// A Compose file only (`privileged: true`): the rule has nothing to say about a Dockerfile.
    Compose(ComposeCheck),
    /// The same concept in both kinds of file (the Docker socket mounted, a literal secret): one code, one
    /// page, a Dockerfile check and a Compose check.
    WithCompose { dockerfile: &'static Check, compose: ComposeCheck },
}

impl Check {
    pub fn file(self) -> Option<FileCheck> {
        match self {
            Check::File(file) | Check::Both { file, .. } => Some(file),
            Check::WithCompose { dockerfile, .. } => dockerfile.file(),
            Check::Instruction(_) | Check::Compose(_) => None,
        }
    }

    pub fn instruction(self) -> Option<InstructionCheck> {
        match self {
            Check::Instruction(instruction) | Check::Both { instruction, .. } => Some(instruction),
            Check::WithCompose { dockerfile, .. } => dockerfile.instruction(),
            Check::File(_) | Check::Compose(_) => None,
        }
    }

    pub fn compose(self) -> Option<ComposeCheck> {
        match self {
            Check::Compose(compose) | Check::WithCompose { compose, .. } => Some(compose),
            _ => None,
        }
    }

    /// True when the rule checks Dockerfiles.
    pub fn dockerfile(self) -> bool {
        self.file().is_some() || self.instruction().is_some()
    }
}

/// What an instruction check sees: one instruction of the file, and the rule options.
///
/// The contract: a check reads the instruction (its words, flags, heredocs, parsed shell) and the file's
/// text within [`Self::reach`] only (the instruction, the indentation before it on its line, and two bytes
/// on either side: enough to delete the instruction with its line break), never another instruction, the
/// stage or a variable's value; its findings and edits lie within that reach. Then its findings are a
/// function of that text, the escape character and whether the instruction has a parsed shell (which
/// depends on the stage's shell), which is what the engine keys them by. Test builds check the ranges;
/// `tests/instruction_memo.rs` checks the reuse against a full check over the corpus.
pub struct InstructionContext<'a> {
    pub file: &'a Dockerfile,
    pub instruction: &'a Instruction,
    pub options: &'a RuleOptions,
}

impl<'a> InstructionContext<'a> {
    /// The instruction itself, or for `ONBUILD X` its trigger `X`.
    pub fn target(&self) -> &'a Instruction {
        self.instruction.trigger.as_deref().unwrap_or(self.instruction)
    }

    /// The `RUN` (or `ONBUILD RUN` trigger) with its parsed shell, when this is one.
    pub fn run(&self) -> Option<(&'a Instruction, &'a ShellScript)> {
        let run = self.target();
        if run.kind != InstructionKind::Run {
            return None;
        }
        Some((run, run.shell.as_deref()?))
    }

    /// The text an instruction check may read: see the type's documentation.
    pub fn reach(&self) -> TextRange {
        reach(self.file, self.instruction)
    }
}

/// The reach of an instruction check on `instruction`: the instruction, the blanks before it on its line,
/// and two bytes on either side.
pub(crate) fn reach(file: &Dockerfile, instruction: &Instruction) -> TextRange {
    let text = file.text();
    let before = text.get(..instruction.range.start).unwrap_or_default();
    let line_start = before.trim_end_matches([' ', '\t']).len();
    // Whole characters: the bytes around may belong to a multi-byte one.
    let start = floor_char_boundary(text, line_start.saturating_sub(2));
    let end = floor_char_boundary(text, instruction.range.end + 2);
    TextRange::new(start, end)
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).field("name", &self.name).finish()
    }
}

/// Where the documentation page of the rule with this code lives (the page `docs/rules/` holds and
/// `bulkhead explain` prints): the link both drivers put on a finding.
pub fn doc_url(code: &str) -> String {
    format!("https://github.com/bulkhead-dev/bulkhead/blob/main/docs/rules/{code}.md")
}

/// The short form of a rule's documentation, for a reader at the keyboard (the editor's hover): why it
/// matters in a few lines, the before/after as changed lines, and how to silence it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleBrief {
    /// The first sentences of `## Why it matters`, at most [`BRIEF_WHY_CHARS`] characters (one sentence
    /// at least).
    pub why: String,
    /// `## Example` against the first code block of `## Use instead`: the lines that differ (`-` before,
    /// `+` after) with one line of context each side (` `), at most [`BRIEF_DIFF_LINES`] lines; empty when
    /// the doc has no pair of blocks.
    pub diff: Vec<String>,
    /// The first sentence of `## How to silence`.
    pub silence: String,
}

/// The longest [`RuleBrief::why`], in characters.
pub const BRIEF_WHY_CHARS: usize = 280;
/// The most lines of [`RuleBrief::diff`].
pub const BRIEF_DIFF_LINES: usize = 8;

/// The body of the `## {title}` section of a rule doc.
fn doc_section<'a>(doc: &'a str, title: &str) -> &'a str {
    let heading = format!("## {title}\n");
    let Some(start) = doc.find(&heading).map(|idx| idx + heading.len()) else {
        return "";
    };
    let end = doc[start..].find("\n## ").map_or(doc.len(), |idx| start + idx);
    doc[start..end].trim()
}

/// The lines of the first fenced code block of `text`.
fn first_code_block(text: &str) -> Option<Vec<&str>> {
    let mut lines = text.lines().skip_while(|line| !line.starts_with("```"));
    lines.next()?;
    Some(lines.take_while(|line| !line.starts_with("```")).collect())
}

/// Sentences of `paragraph` (joined into one line) up to `max` characters; the first one whatever its length.
fn first_sentences(paragraph: &str, max: usize) -> String {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() <= max {
        return text;
    }
    let mut end = None;
    for (idx, _) in text.match_indices(". ") {
        if end.is_some() && idx + 1 > max {
            break;
        }
        end = Some(idx + 1);
    }
    match end {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// Changed lines of `before` → `after`, with one line of context each side.
fn brief_diff(before: &[&str], after: &[&str]) -> Vec<String> {
    let prefix = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let max_suffix = before.len().min(after.len()) - prefix;
    let suffix = before.iter().rev().zip(after.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let mut lines = Vec::new();
    if prefix > 0 {
        lines.push(format!(" {}", before[prefix - 1]));
    }
    lines.extend(before[prefix..before.len() - suffix].iter().map(|line| format!("-{line}")));
    lines.extend(after[prefix..after.len() - suffix].iter().map(|line| format!("+{line}")));
    if suffix > 0 {
        lines.push(format!(" {}", before[before.len() - suffix]));
    }
    if lines.len() > BRIEF_DIFF_LINES {
        lines.truncate(BRIEF_DIFF_LINES - 1);
        lines.push(" ...".to_owned());
    }
    lines
}

impl Rule {
    /// The short form of the documentation (see [`RuleBrief`]).
    pub fn brief(&self) -> RuleBrief {
        let why = doc_section(self.doc, "Why it matters").split("\n\n").next().unwrap_or_default();
        let before = first_code_block(doc_section(self.doc, "Example"));
        let after = first_code_block(doc_section(self.doc, "Use instead"));
        let diff = match (before, after) {
            (Some(before), Some(after)) if before != after => brief_diff(&before, &after),
            _ => Vec::new(),
        };
        let silence = doc_section(self.doc, "How to silence").split("\n\n").next().unwrap_or_default();
        RuleBrief { why: first_sentences(why, BRIEF_WHY_CHARS), diff, silence: first_sentences(silence, 1) }
    }

    /// Where this rule's documentation page lives.
    pub fn doc_url(&self) -> String {
        doc_url(self.code)
    }

    /// True when `selector` (a code, a code prefix, a name or `ALL`) selects this rule.
    pub fn matches(&self, selector: &str) -> bool {
        let selector = selector.trim();
        (selector.eq_ignore_ascii_case("all") && !self.is_test_only())
            || self.name.eq_ignore_ascii_case(selector)
            || (!selector.is_empty()
                && self.code.len() >= selector.len()
                && self.code[..selector.len()].eq_ignore_ascii_case(selector))
    }

    /// True for a rule that exists only in test builds (cargo feature `test-panic-rule`, which a
    /// dev-dependency can switch on for the whole workspace's test build): generated docs, listings and
    /// corpus snapshots leave it out, so they are the same with and without the feature.
    pub fn is_test_only(&self) -> bool {
        self.code == "BH999"
    }

    /// The full documentation page: a header line with the metadata, then the doc text.
    pub fn render_doc(&self) -> String {
        let fix = match self.fix {
            FixAvailability::None => "no fix",
            FixAvailability::Sometimes => "fix sometimes available",
            FixAvailability::Always => "fix available",
        };
        let default = if self.enabled_by_default { "on by default" } else { "off by default" };
        let mut res = format!(
            "# {} {}\n\n{}\n\nPractice: {} · Severity: {} · {} · {}\n",
            self.code,
            self.name,
            self.summary,
            self.practice.title(),
            self.severity.as_str(),
            default,
            fix,
        );
        if !self.aliases.is_empty() {
            res.push_str(&format!("Same as: {}\n", self.aliases.join(", ")));
        }
        res.push('\n');
        res.push_str(self.doc.trim());
        res.push('\n');
        res
    }
}
