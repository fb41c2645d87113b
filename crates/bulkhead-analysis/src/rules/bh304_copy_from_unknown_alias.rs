//! BH304 copy-from-unknown-alias: `COPY --from` names no earlier stage, so Docker pulls an image of that name.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util;
use crate::rules::util_stage::{self, RefKind};

pub(crate) const RULE: Rule = Rule {
    code: "BH304",
    name: "copy-from-unknown-alias",
    practice: Practice::MultiStage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: did-you-mean rename to the nearest stage (edit distance ≤ 2)",
        decision: "",
    }),
    aliases: &["DL3022"],
    summary: "`COPY --from` names no earlier stage: Docker pulls an image of that name instead.",
    doc: r#"
## What it does
Checks `COPY --from=<name>`, `ADD --from=<name>` and `RUN --mount=...,from=<name>` for a plain name
(no `/`, `:`, `@` or `.`, so it does not look like an image reference) that no earlier stage defines,
and for a stage number that does not exist yet. A name that only a *later* stage defines is reported
too, with its line: reading from a later stage is confusing at best, and the classic builder does not
allow it. Variables are substituted from `ARG`/`ENV` defaults; a name whose value is not known is left
alone.

hadolint's DL3022 also flags image references such as `--from=nginx:1.27`; bulkhead does not, because
copying from a pinned image is legitimate. An untagged bare name (`--from=nginx`) is flagged: it is
either a stage typo or an image that floats on `:latest`.

A bare name is also how a named build context is read (`docker buildx build --build-context
src=../lib`, bake's `contexts`): the Dockerfile cannot tell. So the finding is a **warning** when the name
is a near miss of a stage (the fix renames it), names a later stage or a stage number, or is a known
image (`nginx`, `alpine`: pulled untagged, on `:latest`), and **info** otherwise, with a message that says it may be a build context.

## Why it matters
A `--from` name that is not a stage is read as an image reference, and Docker pulls it from Docker
Hub. A typo such as `--from=buidler` therefore fetches `docker.io/library/buidler` (or fails, if nobody
has published it yet): a typo-squatting hole through which anyone who registers that name can put files
into your image.

## Example
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=biulder /out/app /app
```

## Use instead
```dockerfile
FROM golang:1.23 AS builder
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=builder /out/app /app
```

## Fix
"Use stage `<name>`" (unsafe: the build then reads another source) replaces the name by the earlier
stage name it most likely meant: the only one within two edits of it.

## How to silence
`# bulkhead ignore=BH304` on the line before the instruction, or `ignore = ["BH304"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3022` works too. To copy from an image on purpose, write its
full reference with a tag or digest (`--from=docker.io/library/nginx:1.27`).

## References
- Docker docs: Dockerfile reference, `COPY --from`
- hadolint DL3022
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for reference in util_stage::each_stage_ref(ctx) {
        if reference.kind == RefKind::From || reference.stage.is_some() {
            continue;
        }
        let Some(name) = reference.name.as_deref() else { continue };
        if name.is_empty() || name.contains(['/', ':', '@', '.']) {
            continue;
        }
        let stages = &ctx.model.stages;
        let message = if name.bytes().all(|b| b.is_ascii_digit()) {
            format!("`--from={name}`: there is no stage #{name} before this instruction (stages count from 0)")
        } else if let Some(later) =
            stages.iter().find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        {
            let line = ctx
                .file
                .instructions()
                .get(later.from)
                .map_or(0, |from| ctx.file.line_index().line_of(from.range.start) + 1);
            format!("`--from={name}` names the stage defined later on line {line}: only earlier stages can be read")
        } else {
            format!(
                "`--from={name}` names no stage: the build reads the named build context `{name}` when it is \
                 given one (`--build-context {name}=...`, bake's `contexts`), else pulls an image called `{name}`"
            )
        };
        // A bare name that is no typo of a stage and no known image (`nginx`, `alpine`: pulled untagged) is
        // most likely a named build context.
        let known_image = crate::image::ImageRef::parse(name)
            .is_some_and(|image| crate::knowledge::distro_of_image(&image) != crate::knowledge::Distro::Unknown);
        let context_like = !name.bytes().all(|b| b.is_ascii_digit())
            && !known_image
            && !stages.iter().any(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)));
        let own = ctx.model.stage_of(reference.instruction).map(|s| s.index);
        let candidates = stages
            .iter()
            .filter(|s| Some(s.index) != own && ctx.file.instructions().get(s.from).is_some())
            .filter(|s| s.from < reference.instruction)
            .filter_map(|s| s.name.as_deref());
        let suggestion = util::did_you_mean(name, candidates, 2);
        let fix = match (suggestion, reference.range) {
            (Some(stage), Some(range)) => {
                Some(Fix::unsafe_(format!("Use stage `{stage}`"), vec![Edit::replace(range, stage)]))
            }
            _ => None,
        };
        let message = match suggestion {
            // A near miss of a stage is a typo, not a build context.
            Some(stage) if context_like => format!(
                "`--from={name}` names no stage: Docker will pull an image called `{name}` instead (did you mean \
                 `{stage}`?)"
            ),
            Some(stage) => format!("{message} (did you mean `{stage}`?)"),
            None => message,
        };
        let mut finding = Finding::new(reference.report_range, message).with_fixes(fix);
        if context_like && suggestion.is_none() {
            finding = finding.with_severity(Severity::Info);
        }
        out.push(finding);
    }
}
