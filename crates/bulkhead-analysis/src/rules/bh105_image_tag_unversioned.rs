//! BH105 image-tag-unversioned: an image tag with no version in it (`node:alpine`, `python:slim`,
//! `debian:sid`), and images in `COPY --from`/`RUN --mount=from` that float like an untagged `FROM`.

use crate::diagnostic::Severity;
use crate::image::ImageRef;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH105",
    name: "image-tag-unversioned",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "An image tag without a version (`node:alpine`, `lts`, `stable`), or an unpinned `COPY --from` image.",
    doc: r#"
## What it does
Checks every image the build pulls: `FROM`, `COPY --from=<image>`, `ADD --from=<image>` and
`RUN --mount=from=<image>`.
- A tag with no version in it floats across major versions like `latest` does: `node:alpine`,
  `python:slim`, `ruby:alpine`, `docker:dind`, `alpine:edge`, `debian:sid-slim`, `node:lts`, `nginx:stable`,
  `nginx:mainline`. A tag counts as versionless when every part of it (split on `-`) is a variant or channel
  word (`alpine`, `slim`, `dind`, `lts`, `stable`, `current`, `edge`, `mainline`, `rolling`, `nightly`,
  `unstable`, `sid`, `rawhide`, `testing`...).
- For the official language images (`golang`, `node`, `python`, `ruby`, `php`, `openjdk`,
  `eclipse-temurin`, `rust`...), the tag must start with the language's version: `golang:alpine3.20` and
  `golang:bookworm` pin the distribution but not Go.
- In `COPY --from`, `ADD --from` and `RUN --mount=from`, an image with no tag or `:latest` too (for `FROM`
  that is BH101).

Not flagged: a digest (`@sha256:...`), a Debian or Ubuntu codename (`debian:bookworm-slim`,
`buildpack-deps:trixie`, `ubuntu:noble`: each names one release), tags of other images that hold no
channel word (`myorg/tool:install` may well be fixed: only its owner knows), and references with a
variable whose value is unknown. A tag that a more precise one extends (`python:3.12` next to `3.12.4`) is
BH101's hint, with registry look-ups on.

## Why it matters
The next build may get a different major version: a new runtime, a new distribution release, removed
packages, a changed default user. A build that worked yesterday breaks, or worse, ships something no one
tested. `COPY --from=<image>` takes files from that image just like `FROM` does.

## Example
```dockerfile
FROM node:alpine
COPY --from=golang:alpine /usr/local/go /usr/local/go
```

## Use instead
```dockerfile
FROM node:20.15-alpine3.20
COPY --from=golang:1.22.5-alpine3.20 /usr/local/go /usr/local/go
```

## Fix
None: which version the build meant is the author's choice. With registry look-ups, BH101 offers concrete
tags for `latest`.

## How to silence
`# bulkhead ignore=BH105` on the line before the instruction, or `ignore = ["BH105"]` in `.bulkhead.toml`.
A tag that floats on purpose is the case for the comment: a bootstrap toolchain copied in only to build
its successor (`COPY --from=golang:alpine /usr/local/go /usr/local/go-bootstrap`) should be the newest
release, whatever it is; say so above the line.

## References
- Docker docs: "Best practices: pin base image versions"
"#,
    check: Check::File(check),
};

/// Tag parts that name a variant or a release channel, never a version.
const CHANNELS: &[&str] = &[
    "alpine",
    "slim",
    "dind",
    "rootless",
    "lts",
    "stable",
    "current",
    "edge",
    "mainline",
    "rolling",
    "nightly",
    "unstable",
    "sid",
    "rawhide",
    "testing",
    "devel",
    "dev",
    "beta",
    "rc",
    "canary",
    "next",
    "experimental",
    "windowsservercore",
    "nanoserver",
    "jdk",
    "jre",
    "full",
    "cli",
    "fpm",
    "apache",
    "zts",
    "git",
    "onbuild",
];

/// Debian and Ubuntu codenames and versioned-only images: a codename is one release.
const CODENAMES: &[&str] = &[
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "xenial", "bionic", "focal",
    "jammy", "noble", "oracular", "plucky", "questing",
];

/// Official images whose tag must start with the language or tool version.
const VERSIONED_RUNTIMES: &[&str] = &[
    "golang",
    "node",
    "python",
    "ruby",
    "php",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "rust",
    "perl",
    "elixir",
    "erlang",
    "haskell",
    "julia",
    "swift",
    "dart",
    "gradle",
    "maven",
    "pypy",
    "groovy",
    "clojure",
    "docker",
    "nginx",
    "httpd",
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "mongo",
    "tomcat",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for image_use in ctx.model.image_uses(ctx.file) {
        let Some(image) = &image_use.image else { continue };
        if image.digest.is_some() {
            continue;
        }
        let from = image_use.via == "FROM ";
        let problem = match image.tag.as_deref() {
            None | Some("latest") if from => continue,
            None => "has no tag (Docker reads it as `:latest`)".to_owned(),
            Some("latest") => "uses the floating `:latest` tag".to_owned(),
            Some(tag) => match unversioned(image, tag) {
                Some(problem) => problem,
                None => continue,
            },
        };
        out.push(Finding::new(
            image_use.range,
            format!("`{}{}` {problem}: each build may get a different major version", image_use.via, image.raw),
        ));
    }
}

/// Why a tag floats, when it does.
fn unversioned(image: &ImageRef, tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('-').collect();
    let official = image.is_official();
    let name = image.name();
    if official && VERSIONED_RUNTIMES.contains(&name) {
        let starts_versioned = lower.trim_start_matches('v').starts_with(|c: char| c.is_ascii_digit());
        if !starts_versioned {
            return Some(format!("has no {name} version in its tag `{tag}`"));
        }
        return None;
    }
    if parts.iter().any(|p| CODENAMES.contains(p) && *p != "sid") || lower.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    parts.iter().all(|p| CHANNELS.contains(p)).then(|| format!("has no version in its tag `{tag}`"))
}
