//! BH001 workdir-relative: a relative `WORKDIR` whose meaning depends on the base image.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH001",
    name: "workdir-relative",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[
        "DL3000",
        "DS-0009",
        "DS009",
        "AVD-DS-0009",
        "CKV_DOCKER_10",
        "WorkdirRelativePath",
        "use-absolute-workdir",
    ],
    summary: "A relative `WORKDIR` resolves against a working directory the base image chooses.",
    doc: r#"
## What it does
Checks `WORKDIR` for a relative path (`WORKDIR app`) when no absolute `WORKDIR` came before it in the
stage or in the stages it is built `FROM`. Variables are expanded from `ARG`/`ENV` defaults; a path
whose variable is set by the base image (`WORKDIR $GOPATH`) is not known and not flagged.

A relative `WORKDIR` after an absolute one (`WORKDIR /srv` then `WORKDIR app`) is not flagged: its
meaning is fixed by this file, as BuildKit's WorkdirRelativePath also decides. hadolint, Trivy and
Checkov flag every relative `WORKDIR`; bulkhead flags only those that depend on something outside the
file, which is the actual risk. An `ONBUILD WORKDIR` runs in the image built on this one, right after
its `FROM`, so any absolute `WORKDIR` of this stage fixes its meaning too.

## Why it matters
A relative `WORKDIR` is resolved against the base image's working directory, which the image's
maintainer can change in any release. Your files then land somewhere else: `COPY . .` may write into
`/` or into a directory the app's user cannot read, `CMD` stops finding its script, and a path that a
security policy (a read-only root filesystem with one writable volume) relies on silently moves.

## Example
```dockerfile
FROM node:20-alpine
WORKDIR app
COPY . .
```

## Use instead
```dockerfile
FROM node:20-alpine
WORKDIR /app
COPY . .
```

## How to silence
`# bulkhead ignore=BH001` on the line before the `WORKDIR`, or `ignore = ["BH001"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3000` and `# check=skip=WorkdirRelativePath` work too.

## References
- Docker docs: Dockerfile reference, `WORKDIR`
- Docker docs: build checks, WorkdirRelativePath
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, top) in ctx.file.instructions().iter().enumerate() {
        let (workdir, in_onbuild) = match top.kind {
            InstructionKind::Onbuild => match top.trigger.as_deref() {
                Some(trigger) => (trigger, true),
                None => continue,
            },
            _ => (top, false),
        };
        if workdir.kind != InstructionKind::Workdir {
            continue;
        }
        let Some(rest) = &workdir.rest else { continue };
        let Some(path) = ctx.model.workdir_path(idx, workdir) else { continue };
        if path.is_empty() || util::is_absolute_path(&path) {
            continue;
        }
        let Some(stage) = ctx.model.stage_of(idx) else { continue };
        // A trigger runs right after the child's `FROM`, in the working directory this whole image ends with.
        let limit = if in_onbuild { stage.end } else { idx };
        if ctx
            .model
            .workdirs_before(ctx.file, stage, limit)
            .any(|(at, earlier)| ctx.model.workdir_path(at, earlier).is_some_and(|p| util::is_absolute_path(&p)))
        {
            continue;
        }
        let message = if in_onbuild {
            format!(
                "relative `ONBUILD WORKDIR {path}` resolves against the working directory of whatever image builds on this one"
            )
        } else {
            format!(
                "relative `WORKDIR {path}` resolves against the base image's working directory; use an absolute path"
            )
        };
        out.push(Finding::new(rest.range, message));
    }
}
