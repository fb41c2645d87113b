//! BH999 test-panic: a test-only rule (feature `test-panic-rule`) that panics on purpose, so the CLI and
//! the language server can show that one broken rule neither ends the session nor hides other findings.
//! Never compiled into a release build.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH999",
    name: "test-panic",
    practice: Practice::Correctness,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "Test only: panics when the text contains `PANIC-TEST`, flags each `TEST-MARKER`.",
    doc: r#"
## What it does
Exists only in test builds (cargo feature `test-panic-rule`) and is off unless selected. It panics when
the text contains `PANIC-TEST`, and otherwise reports each `TEST-MARKER`.

## Why it matters
A rule with a bug must not take the editor session or the CI run down with it: the engine catches the
panic, reports it as a rule failure, and the other rules still report. This rule lets tests prove it.

## Example
```dockerfile
FROM alpine:3.20
LABEL note=TEST-MARKER
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL note=ok
```

## How to silence
It is off by default; do not select it. `# bulkhead ignore=BH999` works like for any rule.

## References
- `crates/bulkhead-analysis/src/lib.rs`: `check_file` catches each rule's panic.
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let text = ctx.text();
    if text.contains("PANIC-TEST") {
        panic!("BH999 panics on purpose: the text contains PANIC-TEST");
    }
    for (offset, marker) in text.match_indices("TEST-MARKER") {
        out.push(Finding::new((offset..offset + marker.len()).into(), "`TEST-MARKER` found (test-only rule)"));
    }
}
