//! BH711 dangerous-capability: `cap_add` of a capability that reaches the host.

use crate::compose::{ComposeContext, level};
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};
use crate::rules::util_compose::list_values;

pub(crate) const RULE: Rule = Rule {
    code: "BH711",
    name: "dangerous-capability",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose service adds a capability that reaches the host (`ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`...).",
    doc: r#"
## What it does
Checks the `cap_add` list of every service (with or without the `CAP_` prefix, any case). It is an
**error** for the capabilities that amount to root on the host: `ALL`, `SYS_ADMIN`, `SYS_MODULE`,
`SYS_PTRACE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `DAC_OVERRIDE`, `BPF`, `SYS_BOOT`, `MAC_ADMIN`,
`MAC_OVERRIDE`. It is a **warning** for the ones that reach the host's network, clock or audit log:
`NET_ADMIN`, `NET_RAW`, `SYS_TIME`, `PERFMON`, `SYSLOG`, `AUDIT_CONTROL`, `SYS_RESOURCE`. Others
(`NET_BIND_SERVICE`, `CHOWN`, `SETUID`...) are not reported: they are in Docker's default set or stay
inside the container. A VPN or network tool that needs `NET_ADMIN` is still reported: say so with a
suppression comment where it is intended.

## Why it matters
`SYS_ADMIN` mounts file systems and escapes through cgroups; `SYS_MODULE` loads kernel code; `SYS_PTRACE`
reads other processes' memory; `DAC_READ_SEARCH` opens any host file by handle (the "shocker" escape).
`NET_ADMIN` rewrites the host's firewall and routes when combined with the host network.

## Example
```yaml
services:
  app:
    image: example/app:2.1
    cap_add:
      - SYS_ADMIN
```

## Use instead
```yaml
services:
  app:
    image: example/app:2.1
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
```

## Fix
None: the service may really need it, or need something narrower.

## How to silence
`# bulkhead ignore=BH711` on the line before the item or before `cap_add:`, or `ignore = ["BH711"]` in
`.bulkhead.toml`.

## References
- capabilities(7); Docker docs: Runtime privilege and Linux capabilities
- CWE-250: Execution with Unnecessary Privileges
"#,
    check: Check::Compose(check),
};

const HOST_ROOT: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "DAC_OVERRIDE",
    "BPF",
    "SYS_BOOT",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];
const HOST_REACH: &[&str] = &["NET_ADMIN", "NET_RAW", "SYS_TIME", "PERFMON", "SYSLOG", "AUDIT_CONTROL", "SYS_RESOURCE"];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        for (item, value) in list_values(file, service, "cap_add") {
            let upper = value.trim().to_ascii_uppercase();
            let cap = upper.strip_prefix("CAP_").unwrap_or(&upper);
            let error = HOST_ROOT.contains(&cap);
            if !error && !HOST_REACH.contains(&cap) {
                continue;
            }
            let what = if error { "amounts to root on the host" } else { "reaches the host" };
            out.push(
                Finding::new(
                    file.yaml.node(item).range,
                    format!("service `{}` adds capability `{cap}`, which {what}", service.name),
                )
                .with_severity(level(error)),
            );
        }
    }
}
