//! BH011 env-self-reference: an `ENV` pair that reads a variable set earlier in the same `ENV`.

use bulkhead_syntax::{InstructionKind, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util;
use crate::vars::variable_refs;

pub(crate) const RULE: Rule = Rule {
    code: "BH011",
    name: "env-self-reference",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: split into two `ENV` instructions", decision: "" }),
    aliases: &["DL3044"],
    summary: "`ENV A=1 B=$A`: `$A` is the value from before this `ENV`, not the `A=1` next to it.",
    doc: r#"
## What it does
Checks `ENV` instructions (also in `ONBUILD`) in `key=value` form for a value that references a
variable assigned earlier in the same instruction (`ENV APP_HOME=/app APP_BIN=$APP_HOME/bin`). A
variable that extends its own earlier value (`ENV PATH=/app/bin:$PATH`) is fine and is not flagged.
References inside single quotes and escaped `\$` are not references.

## Why it matters
Docker expands all values of one `ENV` before setting any of them, so `$APP_HOME` above is empty (or
whatever an earlier instruction set), and `APP_BIN` becomes `/bin`. The build goes on with a wrong
path: binaries are installed or looked up in the wrong place, and a `PATH` built this way can put a
world-writable or attacker-controlled directory first.

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
```

## Use instead
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/app
ENV APP_BIN=$APP_HOME/bin
```

## Fix
"Split into separate `ENV` instructions" (safe) starts a new `ENV` line before each pair that reads a
variable of its own line. It changes the value of the referencing variable, from what Docker computed
to what the line says; the old value is practically always the bug (an empty or stale path). Not
offered when a comment sits between the pairs.

## How to silence
`# bulkhead ignore=BH011` on the line before the `ENV`, or `ignore = ["BH011"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3044` works too.

## References
- Docker docs: Dockerfile reference, Environment replacement and `ENV`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, env) in util::instructions_of(ctx, InstructionKind::Env) {
        // Legacy `ENV KEY value` sets one variable: nothing to read from itself.
        if env.words.is_empty() || !env.words.iter().all(|w| w.raw.contains('=')) {
            continue;
        }
        let mut assigned: Vec<&str> = Vec::new();
        // Indices of the words that start a new `ENV`, and the first offence for the message.
        let mut splits: Vec<usize> = Vec::new();
        let mut first: Option<(usize, String)> = None;
        for (word_idx, word) in env.words.iter().enumerate() {
            let Some((key, value)) = word.raw.split_once('=') else { continue };
            let refs = variable_refs(value);
            if let Some(name) = refs.iter().find(|name| assigned.contains(name)) {
                splits.push(word_idx);
                first.get_or_insert((word_idx, (*name).to_owned()));
                assigned.clear();
            }
            assigned.push(key);
        }
        let Some((word_idx, name)) = first else { continue };
        let Some(word) = env.words.get(word_idx) else { continue };
        let mut finding = Finding::new(
            word.range,
            format!(
                "`{}` reads `${name}` from before this `ENV`, not the `{name}` set earlier on the same line",
                word.raw
            ),
        );
        if let Some(fix) = split_fix(ctx, idx, env, &splits) {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
}

/// Starts a new `ENV` before each word in `splits`.
fn split_fix(ctx: &RuleContext<'_>, idx: usize, env: &bulkhead_syntax::Instruction, splits: &[usize]) -> Option<Fix> {
    let top = ctx.file.instructions().get(idx)?;
    let index = ctx.file.line_index();
    let line_start = index.line_start(index.line_of(top.range.start));
    let indent = ctx.file.text().get(line_start..top.range.start).unwrap_or_default();
    let indent = if indent.chars().all(|c| c == ' ' || c == '\t') { indent } else { "" };
    let keyword = match &top.trigger {
        Some(_) => format!("{} {}", top.keyword.raw, env.keyword.raw),
        None => env.keyword.raw.to_string(),
    };
    let mut edits = Vec::new();
    for &split in splits {
        let (prev, word) = (env.words.get(split.checked_sub(1)?)?, env.words.get(split)?);
        let gap = TextRange::new(prev.range.end, word.range.start);
        if ctx.file.comments().iter().any(|c| gap.contains_range(c.range)) {
            return None;
        }
        edits.push(Edit::replace(gap, format!("{}{indent}{keyword} ", ctx.file.newline())));
    }
    Some(Fix::safe("Split into separate `ENV` instructions", edits))
}
