//! BH102 base-image-digest-unpinned: an image the build pulls is not pinned by digest.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH102",
    name: "base-image-digest-unpinned",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe (network): append `@sha256:<digest>` of the current tag",
        decision: "safe, not unsafe: the same image builds today, and stopping to follow the tag is what turning \
         the rule on asks for (the rule doc says why); registry look-ups only",
    }),
    aliases: &["dockerfile-source-not-pinned"],
    summary: "An image the build pulls (`FROM`, `COPY --from`) is not pinned by `@sha256:` digest.",
    doc: r#"
## What it does
Checks every image the build pulls for a `@sha256:...` digest: the `FROM` of every stage (build stages
too: what they compile ends up in the image), `COPY --from=<image>` and `RUN --mount=from=<image>`.
Earlier stage names, `scratch` and references whose value comes from a build argument without default
are not checked. A `--from` value that is a bare word (`--from=src`) is read as a named build context,
not an image. Only a well-formed digest pins: `@sha256:` and 64 lower-case hex digits, or `@sha512:`
and 128. `nginx:1.27@sha256` or a cut-off digest is reported, with what is wrong with it.

The rule is off by default (`extend-select = ["BH102"]` turns it on): pinning by digest means the image
no longer picks up the base image's security fixes until someone bumps the digest, so it only pays off
with a tool that does (Renovate, Dependabot). Semgrep checks `FROM` only; bulkhead also checks the other
two ways an image gets in, since a builder image or a copied binary is as much part of the supply chain.

## Why it matters
A tag is a movable pointer: `python:3.12-slim` is rebuilt every few weeks, and a compromised registry
account or a mistaken push changes what it points to without any change to the Dockerfile. A digest
names exactly one image: the build is reproducible, and a swapped image fails the pull instead of
running. Keeping the tag next to the digest (`python:3.12-slim@sha256:...`) keeps the file readable;
Docker uses the digest and ignores the tag.

## Example
```dockerfile
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /usr/local/bin/uv
```

## Use instead
```dockerfile
FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000
COPY --from=ghcr.io/astral-sh/uv:0.4@sha256:1111111111111111111111111111111111111111111111111111111111111111 /uv /usr/local/bin/uv
```
Look the digest up with `docker buildx imagetools inspect python:3.12-slim` (the "Digest" of the
multi-platform index) and let Renovate or Dependabot keep it current.

## Fix
None offline: the digest has to be read from the registry. With registry look-ups on
(`bulkhead check --online`, `[registry] enabled = true`, or the editor's `bulkhead.registry.enabled`),
"Pin to the current digest" appends `@sha256:<digest>` to a `FROM` or `COPY --from`/`ADD --from`
image: the digest the tag points to in the registry (for a multi-platform image, the index digest,
so every platform keeps building). References written with a build argument and
`RUN --mount=from=` get no fix.

The fix is **safe**, so `--fix` applies it: the build uses the very image the tag names today, the tag
stays in the file for readers, and the one thing that changes, later builds no longer following the
tag, is what turning this rule on asks for. Two limits to know: the digest is as fresh as the registry
cache (`[registry] cache-ttl`, 12 hours by default), so a tag moved within that time is pinned to its
previous image; and from then on base-image security fixes arrive only when the digest is bumped
(Renovate, Dependabot).

## How to silence
Leave the rule off (the default), or `# bulkhead ignore=BH102` on the line before the instruction.
Semgrep's `# nosemgrep: dockerfile-source-not-pinned` works too.

## References
- Docker docs: Image digests; Dockerfile best practices, "Pin base image versions"
- SLSA: Build provenance and hermetic, reproducible builds
- CWE-829: Inclusion of Functionality from Untrusted Control Sphere
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for image_use in ctx.model.image_uses(ctx.file) {
        let Some(image) = &image_use.image else { continue };
        if image.digest.as_deref().is_some_and(is_pinned_digest) {
            continue;
        }
        let via = image_use.via;
        let shown = if image_use.raw.contains('$') {
            format!("`{via}{}` (`{}`)", image_use.raw, image.raw)
        } else {
            format!("`{via}{}`", image.raw)
        };
        let message = match image.digest.as_deref() {
            Some(bad) => format!(
                "{shown} is not pinned: `@{bad}` is not a digest (`@sha256:` and 64 hex digits, or `@sha512:` and 128)"
            ),
            None => format!("{shown} is not pinned by digest: the tag can move to a different image"),
        };
        let finding = Finding::new(image_use.range, message);
        // The edit rewrites the reference as written: not for a build argument, nor inside a `--mount`.
        let digest = ctx.build.image_facts(image).and_then(|facts| facts.digest.as_deref()).filter(|d| is_digest(d));
        let fix = match digest {
            Some(digest) if !image_use.raw.contains('$') && !image_use.via.starts_with("RUN") => {
                let short = &digest[..digest.len().min(digest.find(':').unwrap_or(0) + 13)];
                let name_tag = image.raw.split_once('@').map_or(image.raw.as_str(), |(name_tag, _)| name_tag);
                let pinned = format!("{name_tag}@{digest}");
                Some(Fix::safe(
                    format!("Pin to the current digest (`{short}…`)"),
                    vec![Edit::replace(image_use.range, pinned)],
                ))
            }
            _ => None,
        };
        out.push(finding.with_fixes(fix));
    }
}

/// A digest that pins: `sha256:` and 64 lower-case hex digits, or `sha512:` and 128, as Docker accepts
/// them in a reference. `@sha256` alone, a short or upper-case hex string is not one.
fn is_pinned_digest(digest: &str) -> bool {
    let hex_of = |hex: &str, len: usize| {
        hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    match digest.split_once(':') {
        Some(("sha256", hex)) => hex_of(hex, 64),
        Some(("sha512", hex)) => hex_of(hex, 128),
        _ => false,
    }
}

/// `algorithm:hex`, as a registry reports a digest: anything else is not written into the file.
fn is_digest(digest: &str) -> bool {
    digest.split_once(':').is_some_and(|(algorithm, hex)| {
        !algorithm.is_empty()
            && algorithm.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && hex.len() >= 32
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}
