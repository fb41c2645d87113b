//! BH101 base-image-floating-tag: `FROM` an image without a tag or with `:latest`.

use crate::context::{BaseImageFacts, MAX_PIN_TAG_CANDIDATES};
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit, Fix};
use crate::image::ImageRef;
use crate::knowledge::eol;
use crate::model::{Base, Stage};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH101",
    name: "base-image-floating-tag",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe \"pin tag\": the newest concrete tag from the registry (offline: a placeholder)",
        decision: "registry look-ups only (no placeholder offline: it would leave an invalid reference); up to three \
         candidates; safe for `latest` and a tag the registry shows to be the same image, else unsafe",
    }),
    aliases: &["DL3006", "DL3007", "DS-0001", "DS001", "CKV_DOCKER_7"],
    summary: "`FROM` an image without a tag or with `:latest`: every build may get a different base.",
    doc: r#"
## What it does
Checks every `FROM` for an image reference without a tag (`FROM ubuntu`, which Docker reads as
`ubuntu:latest`) or with the `:latest` tag. `ARG` defaults used in `FROM` are resolved first, so
`ARG TAG=latest` + `FROM node:${TAG}` is caught too.

It never flags `scratch`, an earlier stage's name, or a reference pinned by digest (`@sha256:...`).
When the reference holds a build argument without a default, its value is unknown and the rule stays
silent.

Build stages are checked as well as the final one: a floating compiler image makes the build
unreproducible even when only its output ships. The message says when the final stage is concerned.

With registry look-ups on (`bulkhead check --online`, `[registry] enabled = true`, or the editor's
`bulkhead.registry.enabled`), the registry's list of tags also shows which other tags float: a tag
that more precise tags of the same variant extend (`python:3-slim` while `3.13.1-slim` exists,
`node:20-alpine` while `20.11.1-alpine` exists) moves with every release. Such a tag is reported as
a **hint**: a minor-version tag that picks up patch releases is a reasonable choice, but the build is
not reproducible. A tag with no more precise sibling (`3.13.1-slim`) is not reported.

In a Compose file it checks each service's `image:` (interpolated: `app:${TAG:-latest}` counts,
`app:${TAG}` is unknown) for no tag or `:latest`, unless the service also has `build:` (then `image:`
names what is built, not what is pulled). No fix there.

## Why it matters
`latest` is just the tag a publisher pushed last. The same Dockerfile builds on a different image
tomorrow: a new major version that breaks the app, a changed default user, or a compromised upstream
push that every rebuild picks up without anyone reviewing it. A concrete tag makes base-image updates
an explicit change that can be reviewed, scanned and rolled back; a digest makes it exact.

## Example
```dockerfile
FROM ubuntu
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Fix
None offline: choosing a version needs the registry's list of tags, and a placeholder would leave an
invalid image reference behind. With registry look-ups on, "Pin to `<image>:<tag>`" is offered for
up to three concrete tags that keep the variant (`python:3-slim` → `python:3.13.1-slim`,
`python:3.12.8-slim`, ...; `ubuntu` → `ubuntu:24.04`), newest first; `--unsafe-fixes` applies the
first. A reference written with a build argument (`FROM node:${TAG}`) gets no fix: the edit would
replace the argument.

For `latest` (or no tag), a tag the registry shows to point to the very image `latest` points to
today (the same digest) is a **safe** fix, titled "(the same image today)": the build does not
change, and the only thing that does, later builds no longer following `latest`, is what this
warning asks for; `--fix` applies it. Every other pin is **unsafe**: a candidate that is another
image is chosen by version number only (`latest` may lag behind a new release, or point to another
major version), and pinning a floating version tag such as `3-slim` trades its patch updates for
reproducibility, which is a choice to review, not a mechanical fix. In every case the image stops
receiving the base image's updates until someone bumps the tag (Renovate, Dependabot), and the
registry's answer is as fresh as its cache (`[registry] cache-ttl`, 12 hours by default).

## How to silence
`# bulkhead ignore=BH101` on the line before the `FROM`, or `ignore = ["BH101"]` in `.bulkhead.toml`.
hadolint's `# hadolint ignore=DL3006` (no tag) and `DL3007` (`latest`) work too.

## References
- Docker docs: Dockerfile best practices, "FROM" and image pinning
- CIS Docker Benchmark 4.2: Ensure that containers use only trusted base images
- CWE-1357: Reliance on Insufficiently Trustworthy Component
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Base::Image(image) = &stage.base else { continue };
        let Some(range) = stage.base_range else { continue };
        if image.digest.is_some() {
            continue;
        }
        // Candidates are about the reference they were listed for: the facts stored under it exactly.
        let facts = ctx.build.images.get(&image.raw);
        let candidates = facts.map_or(&[][..], |facts| &facts.tag_candidates[..]);
        let (problem, alias) = match image.tag.as_deref() {
            None => ("has no tag (Docker reads it as `:latest`)".to_owned(), false),
            Some("latest") => ("uses the floating `:latest` tag".to_owned(), false),
            Some(tag) => match candidates.first() {
                Some(precise) => {
                    (format!("uses `{tag}`, a floating tag that more precise tags extend (`{precise}`)"), true)
                }
                None => continue,
            },
        };
        // Show what an `ARG` default made of the reference.
        let shown = match stage.base_raw.as_deref() {
            Some(raw) if raw.contains('$') => format!("`{raw}` (resolves to `{}`)", image.raw),
            _ => format!("`{}`", image.raw),
        };
        let subject = if ctx.model.is_final(stage) {
            format!("the final stage's base image {shown}")
        } else {
            format!("the base image {shown} of build stage {}", stage.label())
        };
        let mut finding = Finding::new(range, format!("{subject} {problem}: each build may get a different image"))
            .with_fixes(facts.map(|facts| pin_tag_fixes(ctx, stage, image, facts, !alias)).unwrap_or_default());
        if alias {
            finding = finding.with_severity(Severity::Hint);
        }
        out.push(finding);
    }
}

/// "Pin tag": one fix per concrete candidate tag (the registry's, newest first), rewriting the image
/// word. Safe for `latest` (`may_be_safe`) and a tag of the very image it names today; unsafe
/// otherwise. None when the word holds a variable, which the edit would replace. A candidate past its end
/// of life (BH106, on the date of the check) is not offered.
fn pin_tag_fixes(
    ctx: &RuleContext<'_>,
    stage: &Stage,
    image: &ImageRef,
    facts: &BaseImageFacts,
    may_be_safe: bool,
) -> Vec<Fix> {
    let (Some(range), Some(raw)) = (stage.base_range, stage.base_raw.as_deref()) else { return Vec::new() };
    if raw.contains('$') {
        return Vec::new();
    }
    facts
        .tag_candidates
        .iter()
        .take(MAX_PIN_TAG_CANDIDATES)
        .filter(|tag| {
            let pinned = ImageRef::parse(&image.with_tag(tag));
            let ended = |today| pinned.iter().flat_map(eol::end_of_life).any(|eol| eol.date < today);
            !ctx.build.today.is_some_and(ended)
        })
        .map(|tag| {
            let pinned = image.with_tag(tag);
            let (title, applicability) = match (facts.same_image_tags.contains(tag), may_be_safe) {
                (true, true) => (format!("Pin to `{pinned}` (the same image today)"), Applicability::Safe),
                (true, false) => (format!("Pin to `{pinned}` (the same image today)"), Applicability::Unsafe),
                (false, _) => (format!("Pin to `{pinned}`"), Applicability::Unsafe),
            };
            Fix::new(title, applicability, vec![Edit::replace(range, pinned)])
        })
        .collect()
}

fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in file.services.iter().filter(|service| service.get(file, "build").is_none()) {
        let Some(entry) = service.get(file, "image") else { continue };
        let Some(image) = file.value(entry.value).as_deref().and_then(ImageRef::parse) else { continue };
        if image.digest.is_some() {
            continue;
        }
        let problem = match image.tag.as_deref() {
            None => "has no tag (Docker reads it as `:latest`)",
            Some("latest") => "uses the floating `:latest` tag",
            Some(_) => continue,
        };
        out.push(Finding::new(
            file.yaml.node(entry.value).range,
            format!("service `{}` image `{}` {problem}: each pull may get a different image", service.name, image.raw),
        ));
    }
}
