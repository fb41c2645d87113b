//! BH104 base-image-non-minimal: the final image is built on a full distribution or language image.

use bulkhead_syntax::{Instruction, InstructionKind, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::{self, Distro};
use crate::model::{Base, Stage, VarKind};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_copy;
use crate::rules::util_purpose;

pub(crate) const RULE: Rule = Rule {
    code: "BH104",
    name: "base-image-non-minimal",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: a known minimal variant (`python:X` → `X-slim`, `node:X` → `X-slim`, golang runtime → distroless/static); never glibc ↔ musl",
        decision: "golang → `distroless/base` unless the file builds with `CGO_ENABLED=0`: a cgo binary does not start on `static`",
    }),
    aliases: &[],
    summary: "The final image is built on a full distribution or language image instead of a minimal one.",
    doc: r#"
## What it does
Checks the image the final stage is built on (following `FROM <stage>` links back to an image) for a
full official image: `ubuntu`, `debian`, `centos`, `fedora` and the other distribution images, and
language images in their default variant (`python:3.12`, `node:20`, `golang`, `ruby`, `rust`,
`openjdk`, `maven`, `gcc`, `buildpack-deps`...). Tags marked `slim`, `alpine`, `minimal` or distroless
images are minimal already. Build stages are not checked: only the final image ships.

`php` is not a full image: its variants (`cli`, `apache`, `fpm`) are built on `debian:*-slim` and remove
the compilers they use for the extensions (`PHPIZE_DEPS`) in the same step. A base or toolbox image (a
bare shell or interpreter as its command, or no command of its own on `buildpack-deps` or a language
toolchain image,
as BH201 recognises them) is not checked either: the official `python`, `node`, `golang` and `ruby`
images are full on purpose, next to their `-slim` variants.

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
argument, when the image has no known slim variant (`ubuntu`), or when the reference is pinned by
digest.

A final `FROM golang` stage that only carries a binary built in another stage (a `COPY --from`, no
`RUN`, no shell-form `CMD`/`ENTRYPOINT`/`HEALTHCHECK`, no user by name) gets "Switch to
`gcr.io/distroless/static-debian12`" (unsafe) when the file builds with `CGO_ENABLED=0`, and "Switch to
`gcr.io/distroless/base-debian12`" (unsafe) otherwise: a Go binary built with cgo (the default when a C
compiler is present, as in the `golang` images) links against glibc and would not start on `static`.
Unsafe because the binary may still call programs the Go image had (a shell, `git`, anything started
through `os/exec`).

## How to silence
`# bulkhead ignore=BH104` on the line before the `FROM`, or `ignore = ["BH104"]` in `.bulkhead.toml`
for projects that need a full image on purpose (a CI or development image).

## References
- Docker docs: Dockerfile best practices, "Choose the right base image"
- CIS Docker Benchmark 4.3: Ensure that unnecessary packages are not installed in the container
- CWE-1104: Use of Unmaintained Third Party Components
"#,
    check: Check::File(check),
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
    // A base image for other Dockerfiles, or a toolbox, is full on purpose.
    if util_purpose::ships_build_tools_on_purpose(ctx) {
        return;
    }
    let kind = match image.name() {
        name if DISTRIBUTIONS.contains(&name) => {
            "a general-purpose distribution image: a shell, a package manager and tools the app does not need"
        }
        "buildpack-deps" => {
            "an image made for building software: compilers and hundreds of packages the app does not need"
        }
        _ => "a full language image: compilers, headers and hundreds of packages the app does not need",
    };
    let via =
        if root.index == final_stage.index { String::new() } else { format!(" (through stage {})", root.label()) };
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
    if !written.contains('$') && root.index == final_stage.index && image.is_official() && image.name() == "golang" {
        finding = finding.with_fixes(distroless_fix(ctx, final_stage, range));
    }
    out.push(finding);
}

/// "Switch to distroless" for a final `FROM golang` stage that only carries a binary built in another
/// stage: no `RUN`, no shell form, no user by name, a `COPY --from`.
fn distroless_fix(ctx: &RuleContext<'_>, stage: &Stage, range: TextRange) -> Option<Fix> {
    let mut copies_binary = false;
    for (_, instruction) in stage.instructions(ctx.file) {
        match instruction.kind {
            InstructionKind::Run | InstructionKind::Shell | InstructionKind::Onbuild => return None,
            InstructionKind::Cmd | InstructionKind::Entrypoint | InstructionKind::Healthcheck
                if !instruction.is_exec_form() && !is_healthcheck_none(instruction) =>
            {
                return None;
            }
            // Distroless knows only `root`, `nonroot` and `nobody` by name.
            InstructionKind::User => {
                let user = instruction.rest.as_ref().map(|r| r.value.trim().to_owned()).unwrap_or_default();
                let name = user.split(':').next().unwrap_or_default();
                if !(name.bytes().all(|b| b.is_ascii_digit()) || matches!(name, "root" | "nonroot" | "nobody")) {
                    return None;
                }
            }
            InstructionKind::Copy if util_copy::copies_from_elsewhere(instruction) => copies_binary = true,
            _ => {}
        }
    }
    if !copies_binary {
        return None;
    }
    // A binary linked against glibc (cgo, Go's default when a C compiler is there) needs `base`.
    let (image, why) = match static_build(ctx) {
        true => ("gcr.io/distroless/static-debian12", "the binary is built with `CGO_ENABLED=0`"),
        false => ("gcr.io/distroless/base-debian12", "glibc for a cgo binary, no shell or package manager"),
    };
    Some(Fix::unsafe_(format!("Switch to `{image}` ({why})"), vec![Edit::replace(range, image)]))
}

/// `HEALTHCHECK NONE`, which runs nothing.
fn is_healthcheck_none(instruction: &Instruction) -> bool {
    instruction.kind == InstructionKind::Healthcheck
        && instruction.rest.as_ref().is_some_and(|rest| rest.value.trim().eq_ignore_ascii_case("none"))
}

/// True when the file builds Go with cgo off: `ENV CGO_ENABLED=0` or `CGO_ENABLED=0 go build`.
fn static_build(ctx: &RuleContext<'_>) -> bool {
    let env_off = ctx
        .model
        .stages
        .iter()
        .flat_map(|stage| &stage.vars)
        .any(|var| var.kind == VarKind::Env && var.name == "CGO_ENABLED" && var.value.as_deref() == Some("0"));
    env_off
        || shell_commands::runs(ctx).any(|(_, _, shell)| {
            shell.commands().iter().any(|command| {
                command.program() == Some("go")
                    && command
                        .env
                        .iter()
                        .any(|(name, value)| name == "CGO_ENABLED" && value.value.as_deref() == Some("0"))
            })
        })
}
