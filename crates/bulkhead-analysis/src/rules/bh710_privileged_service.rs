//! BH710 privileged-service: a Compose service with `privileged: true`.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH710",
    name: "privileged-service",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["privileged-service"],
    summary: "A Compose service runs with `privileged: true`.",
    doc: r#"
## What it does
Checks every service of a Compose file (its own keys, the ones it `extends` in the same file, and the
ones a merge key `<<: *x` brings in) for `privileged: true`, interpolated (`${PRIV:-true}` counts; a
variable without a default is unknown and not reported). In a dev-container or test-fixture file it is
still reported: a privileged container is root on the host wherever it runs.

## Why it matters
A privileged container gets every capability, every device of the host, no seccomp or AppArmor
profile, and writable `/sys`: a process in it can load kernel modules, mount the host's disks and escape
to the host in a few commands. It switches off every other hardening flag of the service.

## Example
```yaml
services:
  agent:
    image: example/agent:1.4
    privileged: true
```

## Use instead
```yaml
services:
  agent:
    image: example/agent:1.4
    cap_add: [NET_BIND_SERVICE]
    devices: ["/dev/fuse"]
```
Grant the one capability or device the service needs (`cap_add`, `devices`) instead of all of them.

## Fix
None: which capability or device the service needs is for you to find out.

## How to silence
`# bulkhead ignore=BH710` on the line before `privileged:` (or before the service's name), or
`ignore = ["BH710"]` in `.bulkhead.toml`.

## References
- Docker docs: Runtime privilege and Linux capabilities
- OWASP Docker Security Cheat Sheet, rule #3: Limit capabilities
- CWE-250: Execution with Unnecessary Privileges
"#,
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let Some(entry) = service.get(file, "privileged") else { continue };
        if file.is_true(entry.value) {
            out.push(Finding::new(
                file.entry_range(entry),
                format!("service `{}` runs privileged: every capability and device of the host", service.name),
            ));
        }
    }
}
