//! Inline suppressions: `# bulkhead ignore=BH201,root-user` silences the next instruction,
//! `# bulkhead global ignore=...` the whole file. The peers' syntaxes are honoured for the rules that map
//! to ours: `# hadolint ignore=DL3002`, `# hadolint global ignore=...` and BuildKit's
//! `# check=skip=JSONArgsRecommended` directive.

use bulkhead_syntax::{Dockerfile, TextRange};

use crate::rule::{Finding, Rule};

/// BuildKit's build checks, the names `# check=skip=` takes.
pub(crate) const BUILDKIT_CHECKS: &[&str] = &[
    "ConsistentInstructionCasing",
    "CopyIgnoredFile",
    "DuplicateStageName",
    "ExposeInvalidFormat",
    "ExposeProtoCasing",
    "FromAsCasing",
    "FromPlatformFlagConstDisallowed",
    "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom",
    "InvalidDefinitionDescription",
    "JSONArgsRecommended",
    "LegacyKeyValueFormat",
    "MaintainerDeprecated",
    "MultipleInstructionsDisallowed",
    "NoEmptyContinuation",
    "RedundantTargetPlatform",
    "ReservedStageName",
    "SecretsUsedInArgOrEnv",
    "StageNameCasing",
    "UndefinedArgInFrom",
    "UndefinedVar",
    "WorkdirRelativePath",
];

/// Suppressions of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// Selectors that apply to the whole file.
    global: Vec<String>,
    /// Selectors that apply to findings starting inside a range (the next instruction).
    scoped: Vec<(TextRange, Vec<String>)>,
    /// The names of BuildKit's `# check=skip=` directive: they silence the rules that are BuildKit's checks
    /// only (`all` is all of those, not every rule: the directive is about BuildKit's build checks).
    check_skip: Vec<String>,
}

/// A parsed suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuppressionComment {
    pub global: bool,
    pub selectors: Vec<String>,
    /// `bulkhead`, `hadolint` or `check`.
    pub tool: &'static str,
}

/// Parses a comment's text (after `#`) as a suppression.
pub fn parse_comment(text: &str) -> Option<SuppressionComment> {
    let text = text.trim();
    let (tool, rest) = if let Some(rest) = text.strip_prefix("bulkhead") {
        ("bulkhead", rest)
    } else if let Some(rest) = text.strip_prefix("hadolint") {
        ("hadolint", rest)
    } else {
        return None;
    };
    let rest = rest.trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, rest),
    };
    let list = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?;
    let selectors = split_list(list);
    (!selectors.is_empty()).then_some(SuppressionComment { global, selectors, tool })
}

fn split_list(list: &str) -> Vec<String> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Suppressions {
    pub fn new(file: &Dockerfile) -> Self {
        let mut res = Suppressions::default();
        if let Some(check) = file.directive("check") {
            for part in check.value.split(';') {
                if let Some(list) = part.trim().strip_prefix("skip=") {
                    res.check_skip.extend(split_list(list));
                }
            }
        }
        let instructions = file.instructions();
        for comment in file.comments() {
            let Some(parsed) = parse_comment(&comment.text) else {
                continue;
            };
            if parsed.global {
                res.global.extend(parsed.selectors);
                continue;
            }
            // Inside a continuation the comment belongs to the instruction around it; otherwise to the next
            // instruction that starts after it.
            let idx = instructions.partition_point(|i| i.range.start < comment.range.end);
            let target = if comment.in_continuation {
                idx.checked_sub(1)
                    .and_then(|prev| instructions.get(prev))
                    .filter(|i| i.range.contains(comment.range.start))
            } else {
                instructions.get(idx)
            };
            if let Some(target) = target {
                res.scoped.push((target.range, parsed.selectors));
            }
        }
        res
    }

    /// Selectors for the whole file.
    pub fn add_global(&mut self, selectors: Vec<String>) {
        self.global.extend(selectors);
    }

    /// Selectors for the findings that start inside `scope`.
    pub fn add_scoped(&mut self, scope: TextRange, selectors: Vec<String>) {
        self.scoped.push((scope, selectors));
    }

    /// True when `finding` of `rule` is suppressed. An alias silences the findings that are that alias: all
    /// of a rule's findings, or, when the finding names the BuildKit check it is (BH014, BH015, BH019 and
    /// BH020 each cover several), only those of that check among the BuildKit names; another tool's alias
    /// (`DL3029`) still silences the whole rule.
    pub fn is_suppressed(&self, rule: &Rule, finding: &Finding) -> bool {
        let is_alias = |selector: &str| {
            let is_check = |name: &str| BUILDKIT_CHECKS.iter().any(|check| check.eq_ignore_ascii_case(name));
            rule.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(selector))
                && finding.alias.is_none_or(|own| own.eq_ignore_ascii_case(selector) || !is_check(selector))
        };
        let matches = |selector: &String| rule.matches(selector) || is_alias(selector);
        let is_buildkit_check = || {
            rule.aliases.iter().any(|alias| BUILDKIT_CHECKS.contains(alias))
                && finding.alias.is_none_or(|own| BUILDKIT_CHECKS.contains(&own))
        };
        let skipped = |selector: &String| {
            if selector.eq_ignore_ascii_case("all") {
                is_buildkit_check()
            } else {
                BUILDKIT_CHECKS.iter().any(|check| check.eq_ignore_ascii_case(selector)) && is_alias(selector)
            }
        };
        let start = finding.range.start;
        self.global.iter().any(matches)
            || self.check_skip.iter().any(skipped)
            || self.scoped.iter().any(|(scope, selectors)| scope.contains(start) && selectors.iter().any(matches))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments() {
        let parsed = parse_comment(" bulkhead ignore=BH201, root-user").unwrap();
        assert_eq!(parsed.selectors, ["BH201", "root-user"]);
        assert!(!parsed.global);
        assert!(parse_comment("hadolint global ignore=DL3006").unwrap().global);
        assert!(parse_comment("bulkhead is great").is_none());
        assert!(parse_comment("bulkhead ignore=").is_none());
    }
}
