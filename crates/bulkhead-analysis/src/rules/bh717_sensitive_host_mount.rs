//! BH717 sensitive-host-mount: a Compose service mounts a sensitive host path.

use crate::compose::{ComposeContext, level};
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH717",
    name: "sensitive-host-mount",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose service mounts a sensitive host path (`/`, `/etc`, `/proc`, `/sys`, `/root`, `/var/lib/docker`...).",
    doc: r#"
## What it does
Checks the host side of every bind mount in `volumes` (short `src:dst[:mode]` and long `type: bind` with
`source`), interpolated, for `/`, `/etc`, `/proc`, `/sys`, `/root`, `/boot`, `/dev`, `/var/run`, `/run`,
`/var/lib/docker` and what is under `/root`, `/boot`, `/proc`, `/sys`, `/var/lib/docker`, plus the
credential files of `/etc` (`/etc/shadow`, `/etc/sudoers`, `/etc/ssh`, `/etc/docker`, `/etc/kubernetes`).
A **warning** when mounted read-only (`:ro`, `read_only: true`), an **error** when writable. Everyday
read-only files of `/etc` (`/etc/localtime`, `/etc/timezone`, `/etc/hosts`, certificates) are not
reported, and the runtime sockets are BH701's finding. Monitoring agents (node-exporter, cAdvisor) mount
`/proc` and `/sys` read-only by design: that is the warning, to silence where intended.

## Why it matters
A writable `/etc` or `/` lets the container add a user or a cron job to the host; `/var/lib/docker` holds
every other container's files; `/proc` and `/sys` expose the host's processes and kernel settings;
`/root` holds the host's SSH keys and credentials.

## Example
```yaml
services:
  backup:
    image: example/backup:1.0
    volumes:
      - /:/host
```

## Use instead
```yaml
services:
  backup:
    image: example/backup:1.0
    volumes:
      - /srv/data:/data:ro
```

## How to silence
`# bulkhead ignore=BH717` on the line before the item, or `ignore = ["BH717"]` in `.bulkhead.toml`.

## References
- Docker docs: Bind mounts; OWASP Docker Security Cheat Sheet, rule #8: Set filesystem and volumes to read-only
- CWE-668: Exposure of Resource to Wrong Sphere
"#,
    check: Check::Compose(check),
};

/// Reported when mounted exactly.
const EXACT: &[&str] = &["/", "/etc", "/proc", "/sys", "/root", "/boot", "/dev", "/var/run", "/run", "/var/lib/docker"];
/// Reported with everything under them.
const TREES: &[&str] = &[
    "/root",
    "/boot",
    "/proc",
    "/sys",
    "/var/lib/docker",
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssh",
    "/etc/docker",
    "/etc/kubernetes",
];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        for mount in service.volumes(file) {
            let Some(path) = sensitive(&mount.source) else { continue };
            let how = if mount.read_only { "read-only" } else { "writable" };
            out.push(
                Finding::new(mount.range, format!("service `{}` mounts the host's `{path}` ({how})", service.name))
                    .with_severity(level(!mount.read_only)),
            );
        }
    }
}

/// The host path, normalised, when it is sensitive.
fn sensitive(source: &str) -> Option<String> {
    if !source.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = source.split('/').filter(|part| !part.is_empty() && *part != ".").collect();
    if parts.contains(&"..") {
        return None;
    }
    let path = format!("/{}", parts.join("/"));
    let under = |tree: &&str| path.strip_prefix(tree).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    (EXACT.contains(&path.as_str()) || TREES.iter().any(under)).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(sensitive("/").as_deref(), Some("/"));
        assert_eq!(sensitive("//etc/").as_deref(), Some("/etc"));
        assert_eq!(sensitive("/proc/1/ns").as_deref(), Some("/proc/1/ns"));
        assert!(sensitive("/etc/localtime").is_none());
        assert!(sensitive("/var/run/docker.sock").is_none());
        assert!(sensitive("./data").is_none());
        assert!(sensitive("db-data").is_none());
        assert!(sensitive("/rootfs").is_none());
    }
}
