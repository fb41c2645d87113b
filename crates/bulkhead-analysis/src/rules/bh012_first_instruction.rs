//! BH012 first-instruction: the first instruction (after `ARG`s) is not `FROM`.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH012",
    name: "first-instruction",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3061"],
    summary: "A Dockerfile must start with `FROM` (only `ARG`, comments and parser directives may come before).",
    doc: r#"
## What it does
Checks that the first instruction is `FROM`. Parser directives (`# syntax=`, `# escape=`), comments,
blank lines and `ARG` instructions (used in `FROM`) may come before it; anything else is flagged once,
at the first offending instruction.

## Why it matters
Docker refuses the file ("no build stage in current context"), so nothing is built. When a template or
generator produced the file, the error usually means a part went missing, for example the `FROM` that
pinned the base image. A fragment that only makes sense after a `FROM` is not a Dockerfile on its own.

## Example
```dockerfile
RUN echo hello
FROM alpine:3.20
```

## Use instead
```dockerfile
ARG ALPINE_VERSION=3.20
FROM alpine:${ALPINE_VERSION}
RUN echo hello
```

## How to silence
`# bulkhead ignore=BH012` on the line before the instruction, or `ignore = ["BH012"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3061` works too.

## References
- Docker docs: Dockerfile reference, Format and `FROM`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(first) = ctx.file.instructions().iter().find(|i| i.kind != InstructionKind::Arg) else { return };
    if first.kind == InstructionKind::From {
        return;
    }
    let keyword = first.kind.keyword();
    let keyword = if first.kind == InstructionKind::Unknown { first.keyword.raw.as_str() } else { keyword };
    out.push(Finding::new(
        first.keyword.range,
        format!("`{keyword}` before the first `FROM`: only `ARG` may come before it, Docker rejects the file"),
    ));
}
