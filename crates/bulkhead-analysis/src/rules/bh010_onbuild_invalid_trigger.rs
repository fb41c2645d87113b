//! BH010 onbuild-invalid-trigger: `ONBUILD` with a trigger Docker refuses (`ONBUILD`, `FROM`, `MAINTAINER`).

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH010",
    name: "onbuild-invalid-trigger",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3043"],
    summary: "`ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed.",
    doc: r#"
## What it does
Checks the instruction that `ONBUILD` registers: it may not be `ONBUILD`, `FROM` or `MAINTAINER`.

## Why it matters
Docker rejects these triggers, so the build fails; older builders accepted some of them and failed only
later, in the build of every image that uses yours as a base, far from the line that caused it. A
trigger that cannot run also means the hardening step the author meant to inherit (a `USER`, a cleanup)
never happens downstream.

## Example
```dockerfile
FROM alpine:3.20
ONBUILD FROM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
ONBUILD COPY . /app/
```

## How to silence
`# bulkhead ignore=BH010` on the line before the `ONBUILD`, or `ignore = ["BH010"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3043` works too.

## References
- Docker docs: Dockerfile reference, `ONBUILD`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for onbuild in ctx.file.instructions() {
        if onbuild.kind != InstructionKind::Onbuild {
            continue;
        }
        let Some(trigger) = onbuild.trigger.as_deref() else { continue };
        let why = match trigger.kind {
            InstructionKind::Onbuild => "chaining `ONBUILD ONBUILD` is not allowed",
            InstructionKind::From => "a trigger cannot start a new stage",
            InstructionKind::Maintainer => "`MAINTAINER` cannot be a trigger (and is deprecated)",
            _ => continue,
        };
        out.push(Finding::new(
            trigger.keyword.range,
            format!("`ONBUILD {}` is rejected by Docker: {why}", trigger.kind.keyword()),
        ));
    }
}
