//! BH720 writable-root-filesystem: a Compose service without `read_only: true`.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::missing_key;

pub(crate) const RULE: Rule = Rule {
    code: "BH720",
    name: "writable-root-filesystem",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `read_only: true` and `tmpfs: [/tmp]`",
        decision: "`read_only: true` alone when the service has a `tmpfs`",
    }),
    aliases: &[],
    summary: "A Compose service's root filesystem is writable: no `read_only: true`.",
    doc: concat!(
        r#"
## What it does
Reports a service without `read_only: true` (its own, an `extends` base's or a merged anchor's), on the
service's name. A service cut short by the file's YAML error is not reported. Databases and other
stateful services are reported too: their state belongs in a volume, which stays writable.

"#,
        dev_stack_noise!("BH720", "762", "359", "403"),
        r#"

## Why it matters
A writable root filesystem lets an attacker who gets code execution drop tools, modify binaries and
configuration the application trusts, and persist across restarts of the process. Read-only, the
places the service may write are the volumes and `tmpfs` mounts you list.

## Example
```yaml
services:
  web:
    image: example/web:1.0
```

## Use instead
```yaml
services:
  web:
    image: example/web:1.0
    read_only: true
    tmpfs:
      - /tmp
```

## Fix
Adds `read_only: true` and, when the service has no `tmpfs`, `tmpfs: [/tmp]`. Unsafe: a service that
writes elsewhere (caches, PID files, `/var/run`) fails until you add those paths as `tmpfs` or volumes.

## How to silence
`# bulkhead ignore=BH720` on the line before the service's name, or `ignore = ["BH720"]` in
`.bulkhead.toml`.

## References
- Docker docs: `docker run --read-only`; OWASP Docker Security Cheat Sheet, rule #8
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    let mut found = Vec::new();
    let with_tmpfs: &[&str] = &["read_only: true", "tmpfs:", "  - /tmp"];
    missing_key(
        ctx,
        &mut found,
        |file, service| service.get(file, "read_only").is_some_and(|entry| file.is_true(entry.value)),
        |service| format!("service `{}` has a writable root filesystem: add `read_only: true`", service.name),
        ("Add `read_only: true` and a `/tmp` tmpfs (unsafe: list the paths it writes)", with_tmpfs),
    );
    for mut finding in found {
        // A service with its own `tmpfs` gets `read_only: true` alone.
        let service = file.services.iter().find(|service| service.key == finding.range);
        if let Some(service) = service.filter(|service| service.get(file, "tmpfs").is_some()) {
            finding.fixes.clear();
            if let Some(insertion) = service.insertion(file).filter(|_| service.get(file, "read_only").is_none()) {
                finding
                    .fixes
                    .push(insertion.fix("Add `read_only: true` (unsafe: list the paths it writes)", &with_tmpfs[..1]));
            }
        }
        out.push(finding);
    }
}
