//! What a rule is: metadata, documentation and a check function.

use bulkhead_syntax::{Dockerfile, TextRange};

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
            Practice::Healthcheck => "HEALTHCHECK",
            Practice::RuntimeHardening => "Runtime hardening",
            Practice::Dockerignore => ".dockerignore and the build context",
            Practice::PackageHygiene => "Package-manager hygiene and anti-patterns",
            Practice::Correctness => "Correctness and style",
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

/// Options that rules read (from `.bulkhead.toml` or editor settings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// Registries a base image may come from (empty: any).
    pub trusted_registries: Vec<String>,
    /// Extra words that make an ARG/ENV name a secret.
    pub extra_secret_words: Vec<String>,
    /// Words that make an ARG/ENV name not a secret.
    pub allowed_secret_words: Vec<String>,
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
}

impl Finding {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Self { range, message: message.into(), severity: None, fixes: Vec::new(), tags: Vec::new() }
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
    /// The same check in other tools (hadolint `DL3002`, BuildKit `JSONArgsRecommended`, Trivy
    /// `DS-0002`...): their suppression comments silence this rule too.
    pub aliases: &'static [&'static str],
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown: `## What it does`, `## Why it matters`, `## Example`, `## Use instead`, `## Fix`,
    /// `## How to silence`, `## References`.
    pub doc: &'static str,
    pub check: fn(&RuleContext<'_>, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).field("name", &self.name).finish()
    }
}

impl Rule {
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
