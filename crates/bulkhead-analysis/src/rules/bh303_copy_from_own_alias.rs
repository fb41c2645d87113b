//! BH303 copy-from-own-alias: `COPY --from` (or `RUN --mount=from=`) names the stage it is in.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_stage::{self, RefKind};

pub(crate) const RULE: Rule = Rule {
    code: "BH303",
    name: "copy-from-own-alias",
    practice: Practice::MultiStage,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3023", "DS-0006", "DS006", "copy-from-own-alias"],
    summary: "`COPY --from` or `RUN --mount=from=` names the stage it is in.",
    doc: r#"
## What it does
Checks `COPY --from=<name>`, `ADD --from=<name>` and `RUN --mount=...,from=<name>` for a name (or
stage number) that is the stage the instruction itself belongs to. Names match case-insensitively, as
Docker matches them.

## Why it matters
A stage cannot read from itself: BuildKit stops with a circular-dependency error, and older builders
read the name as an image on Docker Hub and pull whatever is published under it, which is an easy way
to run someone else's files in your build. Usually the name was copied from the stage above and never
changed.

## Example
```dockerfile
FROM node:22-slim AS build
WORKDIR /app
COPY --from=build /app/dist /srv
```

## Use instead
```dockerfile
FROM node:22-slim AS build
WORKDIR /app
RUN npm ci && npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
```

## How to silence
`# bulkhead ignore=BH303` on the line before the instruction, or `ignore = ["BH303"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3023` works too. There is rarely a reason to: the build fails.

## References
- Docker docs: Multi-stage builds, "Name your build stages"
- hadolint DL3023, Trivy DS-0006
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for reference in util_stage::each_stage_ref(ctx) {
        if reference.kind == RefKind::From {
            continue;
        }
        let Some(stage) = ctx.model.stage_of(reference.instruction) else { continue };
        if reference.stage != Some(stage.index) {
            continue;
        }
        let what = match reference.kind {
            RefKind::MountFrom => "`RUN --mount` reads",
            _ => "`COPY --from` copies",
        };
        out.push(Finding::new(
            reference.report_range,
            format!("{what} from `{}`, the stage it is in: a stage cannot read from itself", reference.written),
        ));
    }
}
