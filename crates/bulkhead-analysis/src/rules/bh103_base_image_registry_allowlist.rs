//! BH103 base-image-registry-allowlist: an image comes from a registry outside `trusted-registries`.

use crate::diagnostic::Severity;
use crate::image::ImageRef;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::vars;

pub(crate) const RULE: Rule = Rule {
    code: "BH103",
    name: "base-image-registry-allowlist",
    practice: Practice::MinimalBaseImage,
    severity: Severity::Error,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3026"],
    summary: "An image the build pulls comes from a registry that `trusted-registries` does not list.",
    doc: r#"
## What it does
When `.bulkhead.toml` lists `trusted-registries`, checks every image the build pulls against it: the
`FROM` of every stage, `COPY --from=<image>` and `RUN --mount=from=<image>`. Earlier stage names and
`scratch` are never flagged. The rule runs as soon as `trusted-registries` is set, and does nothing
without it.

An entry matches:
- a registry host: `registry.example.com`, `localhost:5000`;
- Docker Hub as `docker.io` (images written without a registry, `python:3.12`, come from there;
  `index.docker.io` and `registry-1.docker.io` are the same);
- every subdomain with `*.`: `*.dkr.ecr.eu-west-1.amazonaws.com`;
- a registry and a path prefix: `docker.io/library` (official images only), `ghcr.io/acme`.

hadolint's DL3026 checks `FROM` only, and skips references built from variables. bulkhead also checks
`COPY --from` and `--mount=from`, since an image copied from is pulled from a registry just the same
and its files land in the image. A reference whose registry comes from a build argument without default
cannot be verified: it is reported as a warning, since `--build-arg` could point it anywhere.

## Why it matters
An allow-list is how an organisation makes sure images come only from registries it mirrors, scans and
controls. An image pulled straight from a public registry skips that scanning, can be swapped by
whoever controls the upstream account, and fails the build when the public registry rate-limits or
goes down. A `COPY --from=` a public image brings in binaries from outside the list just as a `FROM`
would.

## Example
With `trusted-registries = ["registry.example.com"]`:
```dockerfile
FROM ghcr.io/acme/base:1.4
COPY app /app
```

## Use instead
```dockerfile
FROM registry.example.com/mirror/acme/base:1.4
COPY app /app
```

## Options
- `trusted-registries`: the registries (or registry/path prefixes) images may come from.

## How to silence
Add the registry to `trusted-registries`, or `# bulkhead ignore=BH103` on the line before the
instruction. `# hadolint ignore=DL3026` works too.

## References
- hadolint DL3026
- CIS Docker Benchmark 4.2: Ensure that containers use only trusted base images
- CWE-829: Inclusion of Functionality from Untrusted Control Sphere
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let trusted = &ctx.options.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let listed = trusted.iter().map(|entry| format!("`{entry}`")).collect::<Vec<_>>().join(", ");
    for image_use in ctx.model.image_uses(ctx.file) {
        let via = image_use.via;
        // A variable in the tag or after the registry's path still leaves the registry known.
        let (image, shown) = match image_use.image {
            Some(image) => {
                let shown = image.raw.clone();
                (Some(image), shown)
            }
            None => (partially_known(&image_use.raw), image_use.raw.clone()),
        };
        let Some(image) = image else {
            out.push(
                Finding::new(
                    image_use.range,
                    format!(
                        "`{via}{shown}`: the registry is only known at build time and cannot be checked against the trusted registries ({listed})"
                    ),
                )
                .with_severity(Severity::Warning),
            );
            continue;
        };
        if trusted.iter().any(|entry| is_trusted(&image, entry)) {
            continue;
        }
        out.push(Finding::new(
            image_use.range,
            format!(
                "`{via}{shown}` comes from `{}`, which is not a trusted registry ({listed})",
                image.registry_or_default()
            ),
        ));
    }
}

/// The reference with its unknown variables replaced by a placeholder, when they cannot change the
/// registry or the path before them: every variable comes after the last `/` (`ghcr.io/acme/${NAME}`) or,
/// without any `/`, after the `:` of the tag (`docker:${VERSION}-dind`).
fn partially_known(raw: &str) -> Option<ImageRef> {
    let first_var = raw.find('$')?;
    let head = &raw[..first_var];
    let known = match raw.rfind('/') {
        Some(last_slash) => last_slash < first_var,
        None => head.contains(':'),
    };
    if !known {
        return None;
    }
    ImageRef::parse(&vars::literal_pieces(raw).join("x"))
}

/// True when `image` comes from the registry (or registry/path prefix) `entry`.
fn is_trusted(image: &ImageRef, entry: &str) -> bool {
    let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
    let (host, path_prefix) = match entry.split_once('/') {
        Some((host, path)) => (host.to_owned(), Some(path.to_owned())),
        None => (entry, None),
    };
    let registry = if image.is_docker_hub() { "docker.io" } else { image.registry_or_default() };
    let host = match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "hub.docker.com" => "docker.io",
        other => other,
    };
    let host_matches = match host.strip_prefix("*.") {
        Some(suffix) => registry.strip_suffix(suffix).is_some_and(|head| head.ends_with('.')),
        None => registry == host,
    };
    let path = image.path.to_ascii_lowercase();
    host_matches
        && path_prefix.is_none_or(|prefix| {
            path.strip_prefix(&prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(image: &str, entry: &str) -> bool {
        is_trusted(&ImageRef::parse(image).unwrap(), entry)
    }

    #[test]
    fn entries_match_hosts_wildcards_and_paths() {
        assert!(trusted("python:3.12", "docker.io"));
        assert!(trusted("index.docker.io/library/python:3.12", "docker.io"));
        assert!(trusted("python:3.12", "DOCKER.IO/library"));
        assert!(!trusted("bitnami/redis:7", "docker.io/library"));
        assert!(trusted("123.dkr.ecr.eu-west-1.amazonaws.com/app:1", "*.dkr.ecr.eu-west-1.amazonaws.com"));
        assert!(!trusted("dkr.ecr.eu-west-1.amazonaws.com/app:1", "*.dkr.ecr.eu-west-1.amazonaws.com"));
        assert!(trusted("ghcr.io/acme/tools/x:1", "ghcr.io/acme"));
        assert!(!trusted("ghcr.io/acmeevil/x:1", "ghcr.io/acme"));
        assert!(!trusted("ghcr.io/acme/x:1", "docker.io"));
        assert!(trusted("localhost:5000/x", "localhost:5000"));
    }

    #[test]
    fn registry_known_despite_variables() {
        let registry = |raw: &str| partially_known(raw).map(|image| image.registry_or_default().to_owned());
        assert_eq!(registry("docker:${ENGINE_VERSION}-dind").as_deref(), Some("docker.io"));
        assert_eq!(registry("ghcr.io/acme/${NAME}:1").as_deref(), Some("ghcr.io"));
        assert_eq!(registry("${REGISTRY}/acme/app"), None);
        assert_eq!(registry("${IMAGE}"), None);
        assert_eq!(registry("app-${VARIANT}"), None);
    }
}
