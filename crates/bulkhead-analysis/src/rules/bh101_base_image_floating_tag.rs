//! BH101 base-image-floating-tag: `FROM` an image without a tag or with `:latest`.

use crate::diagnostic::Severity;
use crate::model::Base;
use crate::rule::{FixAvailability, Finding, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH101",
    name: "base-image-floating-tag",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
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
No fix offline: choosing a version needs the registry's list of tags, and a placeholder would leave an
invalid image reference behind. A "pin tag" fix that looks up the current tag (and optionally its
digest) in the registry is planned, opt-in because it uses the network.

## How to silence
`# bulkhead ignore=BH101` on the line before the `FROM`, or `ignore = ["BH101"]` in `.bulkhead.toml`.
hadolint's `# hadolint ignore=DL3006` (no tag) and `DL3007` (`latest`) work too.

## References
- Docker docs: Dockerfile best practices, "FROM" and image pinning
- CIS Docker Benchmark 4.2: Ensure that containers use only trusted base images
- CWE-1357: Reliance on Insufficiently Trustworthy Component
"#,
    check,
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let Base::Image(image) = &stage.base else { continue };
        let Some(range) = stage.base_range else { continue };
        if image.digest.is_some() {
            continue;
        }
        let problem = match image.tag.as_deref() {
            None => "has no tag (Docker reads it as `:latest`)",
            Some("latest") => "uses the floating `:latest` tag",
            Some(_) => continue,
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
        out.push(Finding::new(range, format!("{subject} {problem}: each build may get a different image")));
    }
}
