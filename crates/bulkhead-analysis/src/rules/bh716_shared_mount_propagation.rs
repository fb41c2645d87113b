//! BH716 shared-mount-propagation: a Compose bind mount with `shared` or `rshared` propagation.

use crate::compose::{ComposeContext, ComposeFile, Service, level};
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};
use crate::rules::util_compose::list_values;

pub(crate) const RULE: Rule = Rule {
    code: "BH716",
    name: "shared-mount-propagation",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose bind mount propagates mounts back to the host (`shared` or `rshared`).",
    doc: r#"
## What it does
Checks every bind mount of a service's `volumes` for `shared` or `rshared` propagation: the long syntax's
`bind: {propagation: rshared}` and the short syntax's mode option (`/mnt/data:/data:rshared`,
`/srv:/srv:ro,shared`). A **warning**; an **error** when the service can also make mounts: it runs
`privileged: true` or adds `SYS_ADMIN` (or `ALL`) in `cap_add`. `slave` and `rslave` (mounts made on the
host show up in the container, never the other way: what node-exporter and cAdvisor use) and the default
`rprivate` are not reported.

## Why it matters
With `shared` propagation a mount made inside the container under that path appears on the host too, and
in every other container that shares the host path: a container that can mount (`SYS_ADMIN`, privileged)
can then lay a filesystem over a host directory, hide what is there or expose a device to other
containers. Propagation is rarely needed outside storage drivers and CSI plugins, which run privileged on
purpose; everything else is better off with the default, `rprivate`.

## Example
```yaml
services:
  agent:
    image: example/agent:1.0
    volumes:
      - /mnt/data:/data:rshared
```

## Use instead
```yaml
services:
  agent:
    image: example/agent:1.0
    volumes:
      - /mnt/data:/data
```
or `rslave` when the container must see mounts the host makes later.

## How to silence
`# bulkhead ignore=BH716` on the line before the item, or `ignore = ["BH716"]` in `.bulkhead.toml`.

## References
- Docker docs: Bind mounts, "Configure bind propagation"; Linux kernel docs: Shared Subtrees
- CWE-668: Exposure of Resource to Wrong Sphere
"#,
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let mounter = can_mount(file, service);
        for mount in service.volumes(file) {
            let Some(mode) = mount.propagation.as_deref().filter(|mode| matches!(*mode, "shared" | "rshared")) else {
                continue;
            };
            let consequence = match mounter {
                true => "and it can mount (privileged or `SYS_ADMIN`): mounts it makes there appear on the host",
                false => "mounts made there in the container appear on the host",
            };
            out.push(
                Finding::new(
                    mount.range,
                    format!(
                        "service `{}` mounts `{}` with `{mode}` propagation, {consequence}",
                        service.name, mount.source
                    ),
                )
                .with_severity(level(mounter)),
            );
        }
    }
}

/// True when the service's processes can make mounts: privileged, or `SYS_ADMIN`/`ALL` added.
fn can_mount(file: &ComposeFile, service: &Service) -> bool {
    let privileged = service.get(file, "privileged").is_some_and(|entry| file.is_true(entry.value));
    privileged
        || list_values(file, service, "cap_add").iter().any(|(_, cap)| {
            let cap = cap.trim().to_ascii_uppercase();
            matches!(cap.trim_start_matches("CAP_"), "SYS_ADMIN" | "ALL")
        })
}
