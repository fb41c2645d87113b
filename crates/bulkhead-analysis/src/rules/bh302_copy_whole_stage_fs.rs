//! BH302 copy-whole-stage-fs: `COPY --from=<stage> / <dst>` copies another stage's whole filesystem.

use crate::diagnostic::Severity;
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::{util_copy, util_stage};

pub(crate) const RULE: Rule = Rule {
    code: "BH302",
    name: "copy-whole-stage-fs",
    practice: Practice::MultiStage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3067"],
    summary: "`COPY --from=<stage> /` copies a whole filesystem, build tools and all, into the image.",
    doc: r#"
## What it does
Checks `COPY --from=...` and `ADD --from=...` in the stages that make up the final image (the final
stage and the stages it is built `FROM`) for a source that is the root of the other stage or image:
`/`, `/.` or `/*`.

Unlike hadolint's DL3067, build stages that never reach the final image are not checked: copying a
helper image whole into a build stage (`COPY --from=tonistiigi/xx / /` is a common idiom) ships
nothing, and flagging it would bury the one copy that matters.

It stays silent when the source stage is built `FROM scratch` (directly or through other stages): such a
stage holds only what the file copied into it, so copying all of it is the usual way to collect
artifacts ("export" stages).

It stays silent too for the helper images that are made to be copied whole: `tonistiigi/xx` (Docker's
cross-compilation helpers, whose documentation says `COPY --from=xx / /`), copied directly or through a
stage built `FROM` it, under any tag or digest. Such an image is built `FROM scratch` and holds a few
small scripts (`xx-go`, `xx-apk`, `xx-apt`...) and nothing else: no compiler, package manager, cache or
source, so none of the risks below, and the copy is what its authors ask for. This is decided by name
because the image's contents cannot be seen offline, and the list is kept short on purpose: an image
is added only when it is built `FROM scratch` and documents the whole-root copy. Copying any other
image whole (`COPY --from=busybox / /`, `COPY --from=golang:1.23 / /`) is reported: whether it ships
a shell or a toolchain is exactly what the rule cannot know. Whether the helper itself is trusted is
not this rule's question: pin it like any image (BH101, BH102).

## Why it matters
A multi-stage build exists to leave the compiler, the package manager, caches and source code behind.
Copying `/` of the build stage brings all of them back: the final image is as large as the build image,
has a shell and package manager for an attacker, and may hold credentials and `.git` folders the build
stage saw. It also hides what the image really contains, which defeats reviews and scanners.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build / /
ENTRYPOINT ["/out/app"]
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
```

## How to silence
`# bulkhead ignore=BH302` on the line before the `COPY`, or `ignore = ["BH302"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3067` works too. Better: collect the artifacts in a `FROM scratch` stage and copy
that one whole, which this rule allows.

## References
- Docker docs: Multi-stage builds
- hadolint DL3067
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let lineage = ctx.model.final_lineage();
    for (idx, copy) in util_copy::copies(ctx) {
        if !ctx.model.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index)) {
            continue;
        }
        let Some(from) = copy.flag("from").and_then(|flag| flag.value.as_ref()) else { continue };
        let whole = util_copy::sources(copy).into_iter().find_map(|source| match source {
            util_copy::Source::Word(word) if matches!(word.value.as_str(), "/" | "/." | "/*") => Some(word),
            _ => None,
        });
        let Some(source) = whole else { continue };
        // An ONBUILD trigger copies in another build: its stage names mean nothing here.
        let own = ctx.file.instructions().get(idx).is_some_and(|i| std::ptr::eq(i, copy));
        let stage = if own { util_stage::resolve(ctx, idx, &from.value) } else { None };
        let made_to_copy_whole = match stage.and_then(|s| ctx.model.stages.get(s)) {
            Some(stage) => match ctx.model.root_base(stage) {
                Base::Scratch => true,
                Base::Image(image) => is_whole_copy_helper(&image.raw),
                Base::Unresolved(raw) => is_whole_copy_helper(raw),
                _ => false,
            },
            None => own && is_whole_copy_helper(&from.value),
        };
        if made_to_copy_whole {
            continue;
        }
        let what = match stage.and_then(|s| ctx.model.stages.get(s)) {
            Some(stage) => format!("stage {}", stage.label()),
            None => format!("`{}`", from.value),
        };
        out.push(Finding::new(
            source.range,
            format!(
                "`COPY --from={} {}` copies the whole filesystem of {what} into this image",
                from.value, source.value
            ),
        ));
    }
}

/// Images built `FROM scratch` to be copied whole (`COPY --from=<image> / /`), by repository on Docker Hub.
const WHOLE_COPY_HELPERS: &[&str] = &["tonistiigi/xx"];

/// True when `reference` (any tag or digest, variables left in the tag allowed) is one of
/// [`WHOLE_COPY_HELPERS`].
fn is_whole_copy_helper(reference: &str) -> bool {
    let name = reference.split('@').next().unwrap_or_default();
    let name = match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    };
    let name = name.strip_prefix("docker.io/").or_else(|| name.strip_prefix("index.docker.io/")).unwrap_or(name);
    WHOLE_COPY_HELPERS.iter().any(|helper| helper.eq_ignore_ascii_case(name))
}
