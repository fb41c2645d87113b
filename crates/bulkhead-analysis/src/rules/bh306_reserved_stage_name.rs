//! BH306 reserved-stage-name: a stage is called `scratch` or `context`.

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_stage;

pub(crate) const RULE: Rule = Rule {
    code: "BH306",
    name: "reserved-stage-name",
    practice: Practice::MultiStage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: rename the stage and its references", decision: "" }),
    aliases: &["DL3063", "ReservedStageName"],
    summary: "A stage is named `scratch` or `context`, names Docker reserves.",
    doc: r#"
## What it does
Checks the `AS` name of every stage for the reserved words `scratch` and `context` (in any case).

## Why it matters
`scratch` already means "the empty image" and `context` is how BuildKit names the build context (and
`--build-context` sources). A stage with one of these names makes `FROM scratch` or `COPY --from=context`
ambiguous: depending on the builder the reference reads the stage, the empty image or the build context,
so files may come from somewhere other than the reviewer thinks. BuildKit warns about it and may refuse
it in the future.

## Example
```dockerfile
FROM alpine:3.20 AS context
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=context /etc/ssl/certs /etc/ssl/certs
```

## Use instead
```dockerfile
FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=certs /etc/ssl/certs /etc/ssl/certs
```

## Fix
"Rename the stage to `<name>-stage`" (unsafe: `--target` on the command line or in CI scripts may use
the old name) renames the stage and every reference to it (`COPY --from`, `RUN --mount=from=`, `FROM`).
`FROM scratch` is left alone: it is read as the empty image. The fix is not offered when a reference
holds a variable or quotes.

## How to silence
`# bulkhead ignore=BH306` on the line before the `FROM`, or `ignore = ["BH306"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3063` and `# check=skip=ReservedStageName` work too.

## References
- Docker docs: build checks, ReservedStageName
- hadolint DL3063
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let mut refs = None;
    for stage in &ctx.model.stages {
        let (Some(name), Some(range)) = (stage.name.as_deref(), stage.name_range) else { continue };
        let lower = name.to_ascii_lowercase();
        if lower != "scratch" && lower != "context" {
            continue;
        }
        let refs = refs.get_or_insert_with(|| util_stage::stage_refs(ctx));
        let new_name = util_stage::unused_stage_name(ctx, &format!("{lower}-stage"));
        let fix = util_stage::rename_stage(ctx, refs, stage.index, &new_name)
            .map(|edits| Fix::unsafe_(format!("Rename the stage to `{new_name}`"), edits));
        out.push(
            Finding::new(range, format!("`{name}` is a reserved name and should not name a stage")).with_fixes(fix),
        );
    }
}
