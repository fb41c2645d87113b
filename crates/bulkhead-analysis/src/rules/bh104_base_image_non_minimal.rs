//! BH104 base-image-non-minimal: the final image is built on a full distribution or language image.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::{self, Distro};
use crate::model::Base;
use crate::rule::{FixAvailability, Finding, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH104",
    name: "base-image-non-minimal",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    aliases: &[],
    summary: "The final image is built on a full distribution or language image instead of a minimal one.",
    doc: r#"
## What it does
Checks the image the final stage is built on (following `FROM <stage>` links back to an image) for a
full official image: `ubuntu`, `debian`, `centos`, `fedora` and the other distribution images, and
language images in their default variant (`python:3.12`, `node:20`, `golang`, `ruby`, `rust`, `php`,
`openjdk`, `maven`, `gcc`, `buildpack-deps`...). Tags marked `slim`, `alpine`, `minimal` or distroless
images are minimal already. Build stages are not checked: only the final image ships.

## Why it matters
A default language image is built on `buildpack-deps`: compilers, headers, `git`, `curl`, hundreds of
Debian packages. Each one is a CVE to patch and a tool for an attacker who gets a shell; the image is
several times larger to pull and to scan. The slim variant has the same libc and runtime; Alpine
(musl) and distroless (no shell, no package manager) are smaller still.

## Example
```dockerfile
FROM python:3.12
COPY app.py /app/
CMD ["python", "/app/app.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]
```

For compiled languages, build in a full image and copy the result into a small final stage:
`FROM golang:1.22 AS build` ... `FROM gcr.io/distroless/static-debian12` + `COPY --from=build`.

## Fix
"Switch to `<image>:<tag>-slim`" (unsafe) replaces the tag with the Debian slim variant of the same
version, from a built-in table (`python:3.12` → `python:3.12-slim`, `node:20-bookworm` →
`node:20-bookworm-slim`, `debian:bookworm` → `debian:bookworm-slim`). It is unsafe because the slim
image lacks packages a later `RUN` may need. The fix never switches from glibc to musl (Alpine) on its
own: that can break native wheels and binaries. No fix is offered when the tag comes from a build
argument, when the image has no known slim variant (`ubuntu`, `golang`, `php`), or when the reference
is pinned by digest.

## How to silence
`# bulkhead ignore=BH104` on the line before the `FROM`, or `ignore = ["BH104"]` in `.bulkhead.toml`
for projects that need a full image on purpose (a CI or development image).

## References
- Docker docs: Dockerfile best practices, "Choose the right base image"
- CIS Docker Benchmark 4.3: Ensure that unnecessary packages are not installed in the container
- CWE-1104: Use of Unmaintained Third Party Components
"#,
    check,
};

/// Distribution images (the rest of [`knowledge::is_full_image`] are language images).
const DISTRIBUTIONS: &[&str] =
    &["ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(final_stage) = ctx.model.final_stage() else { return };
    // The stage that names the image the final stage is ultimately built on.
    let Some(root) = ctx.model.final_lineage().last().and_then(|idx| ctx.model.stages.get(*idx)) else { return };
    let Base::Image(image) = &root.base else { return };
    let Some(range) = root.base_range else { return };
    if !knowledge::is_full_image(image) || knowledge::distro_of_image(image) == Distro::Windows {
        return;
    }
    let kind = match image.name() {
        name if DISTRIBUTIONS.contains(&name) => {
            "a general-purpose distribution image: a shell, a package manager and tools the app does not need"
        }
        "buildpack-deps" => "an image made for building software: compilers and hundreds of packages the app does not need",
        _ => "a full language image: compilers, headers and hundreds of packages the app does not need",
    };
    let via = if root.index == final_stage.index {
        String::new()
    } else {
        format!(" (through stage {})", root.label())
    };
    let message = format!("the final image is built on `{}`{via}, {kind}", image.raw);
    let mut finding = Finding::new(range, message);
    // The tag must be written out: a tag from a build argument is the user's choice to make.
    let written = ctx.file.slice(range);
    if !written.contains('$')
        && root.base_raw.as_deref() == Some(written)
        && let Some(variant) = knowledge::minimal_variant(image)
    {
        let new_ref = image.with_tag(&variant.tag);
        finding = finding.with_fix(Fix::unsafe_(
            format!("Switch to `{new_ref}` ({})", variant.note),
            vec![Edit::replace(range, new_ref.clone())],
        ));
    }
    out.push(finding);
}
