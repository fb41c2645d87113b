//! BH718 host-resource-access: a Compose service reaches the host through `devices`, a sysctl that is
//! not namespaced, or `cgroup_parent`.

use crate::compose::{ComposeContext, variables};
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH718",
    name: "host-resource-access",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose service gets a host device, sets a sysctl that reaches the host, or picks its `cgroup_parent`.",
    doc: r#"
## What it does
Checks every service of a Compose file (its own keys, the ones it `extends` in the same file, and the
ones a merge key brings in), values interpolated, for three ways out of the container's isolation:
- each item of `devices:` (`/dev/fuse`, `/dev/dri:/dev/dri`, a CDI name): the host's device is handed in;
- a `sysctls:` key (map or list form) that is not namespaced, so it would set the host's kernel: any key but
  `net.*`, `fs.mqueue.*` and the IPC ones (`kernel.msg*`, `kernel.sem`, `kernel.shm*`); and the `net.*`
  keys too when the service has `network_mode: host`, whose network namespace is the host's;
- `cgroup_parent:`: the service runs in a cgroup the file chooses on the host instead of Docker's.

A `net.*` sysctl of a service on its own network (`net.ipv4.ip_forward=1` in a VPN container) stays in
the container and is not reported.

## Why it matters
A device node is a door into a kernel driver: a process that can open `/dev/mem`, a disk or a GPU talks to
the host's kernel and hardware directly, past the namespaces that isolate the rest of the container. A
sysctl that is not namespaced changes the whole host (Docker refuses most of them, and a runtime that
accepts them hands the container the host's kernel settings). A `cgroup_parent` outside Docker's own
hierarchy escapes the limits and accounting set for containers.

## Example
```yaml
services:
  transcoder:
    image: example/transcoder:3.2
    devices:
      - /dev/dri:/dev/dri
```

## Use instead
```yaml
services:
  transcoder:
    image: example/transcoder:3.2
```
Hand a device in only when the service cannot work without it, and then only that device (never `/dev`
or a disk); keep sysctls to the namespaced ones on the service's own network; leave `cgroup_parent` unset.

## Fix
None: whether the service needs the device is for you to decide.

## How to silence
`# bulkhead ignore=BH718` on the line before the item or key (or before the service's name), or
`ignore = ["BH718"]` in `.bulkhead.toml`.

## References
- Docker docs: Compose file reference, `devices`, `sysctls`, `cgroup_parent`; `docker run --sysctl`
- CIS Docker Benchmark 5.17: Ensure that host devices are not directly exposed to containers
"#,
    check: Check::Compose(check),
};

/// The IPC sysctls Docker namespaces (besides the `fs.mqueue.*` and `net.*` families).
const NAMESPACED_IPC: &[&str] = &[
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let name = &service.name;
        if let Some(entry) = service.get(file, "devices") {
            for item in file.list(entry.value) {
                let Some(device) = file.value(item) else { continue };
                let host = device.split(':').next().unwrap_or_default().trim().to_owned();
                let message = format!(
                    "service `{name}` gets the host device `{host}`: it talks to the host's kernel driver directly"
                );
                out.push(Finding::new(file.yaml.node(item).range, message));
            }
        }
        let host_network =
            service.get(file, "network_mode").and_then(|e| file.value(e.value)).is_some_and(|m| m == "host");
        if let Some(entry) = service.get(file, "sysctls") {
            for sysctl in variables(file, entry.value) {
                let key = sysctl.name.to_ascii_lowercase();
                let namespaced = key.starts_with("fs.mqueue.") || NAMESPACED_IPC.contains(&key.as_str());
                let why = match key.starts_with("net.") {
                    true if host_network => {
                        "the service shares the host's network (`network_mode: host`), so it sets the host's"
                    }
                    true => continue,
                    false if namespaced => continue,
                    false => "it is not namespaced, so it sets the host's kernel",
                };
                out.push(Finding::new(sysctl.range, format!("service `{name}` sets sysctl `{}`: {why}", sysctl.name)));
            }
        }
        if let Some(entry) = service.get(file, "cgroup_parent")
            && let Some(parent) = file.value(entry.value).filter(|parent| !parent.trim().is_empty())
        {
            let message = format!(
                "service `{name}` sets `cgroup_parent: {parent}`: it runs in a cgroup of the host's, outside Docker's limits"
            );
            out.push(Finding::new(file.entry_range(entry), message));
        }
    }
}
