//! BH024 inline-ignore-pragma: a comment that silences findings for the next instruction.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::suppress;

pub(crate) const RULE: Rule = Rule {
    code: "BH024",
    name: "inline-ignore-pragma",
    practice: Practice::Correctness,
    severity: Severity::Info,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL1001"],
    summary: "An inline `# bulkhead ignore=` or `# hadolint ignore=` comment silences findings (policy rule, off by default).",
    doc: r#"
## What it does
Reports every inline suppression comment: `# bulkhead ignore=...` and `# hadolint ignore=...` on the line
before an instruction. File-wide `global ignore` comments and the `# check=skip=` directive are not
reported: they are visible at the top of the file. The rule is off by default; turn it on where
suppressions must go through configuration that reviewers see in one place.

## Why it matters
An inline pragma is easy to add and easy to miss in review: one comment can silence a root-user or
secret finding for good, and copies of it travel with copied snippets. Teams that want every exception
to be deliberate keep them in `.bulkhead.toml` (`ignore`, per-file settings) instead.

## Example
```dockerfile
FROM alpine:3.20
# bulkhead ignore=BH201
USER root
```

## Use instead
```dockerfile
FROM alpine:3.20
USER 65532:65532
```

## How to silence
Turn the rule off (it is off by default), or `ignore = ["BH024"]` in `.bulkhead.toml`. An inline
`# bulkhead ignore=BH024` would itself be reported.

## References
- hadolint DL1001
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for comment in ctx.file.comments() {
        let Some(parsed) = suppress::parse_comment(&comment.text) else { continue };
        if parsed.global {
            continue;
        }
        out.push(Finding::new(
            comment.range,
            format!("inline `# {} ignore=` pragma silences {}", parsed.tool, parsed.selectors.join(", ")),
        ));
    }
}
