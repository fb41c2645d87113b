//! Inline suppressions: `# bulkhead ignore=BH201,root-user` silences the next instruction,
//! `# bulkhead global ignore=...` the whole file. The peers' syntaxes are honoured for the rules that map
//! to ours: `# hadolint ignore=DL3002`, `# hadolint global ignore=...` and BuildKit's
//! `# check=skip=JSONArgsRecommended` directive.

use bulkhead_syntax::{Dockerfile, TextRange};

use crate::rule::Rule;

/// Suppressions of one file.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    /// Selectors that apply to the whole file.
    global: Vec<String>,
    /// Selectors that apply to findings starting inside a range (the next instruction).
    scoped: Vec<(TextRange, Vec<String>)>,
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
                    res.global.extend(split_list(list));
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

    /// True when a finding of `rule` at `range` is suppressed.
    pub fn is_suppressed(&self, rule: &Rule, range: TextRange) -> bool {
        let matches = |selector: &String| {
            rule.matches(selector) || rule.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(selector))
        };
        self.global.iter().any(matches)
            || self.scoped.iter().any(|(scope, selectors)| scope.contains(range.start) && selectors.iter().any(matches))
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
