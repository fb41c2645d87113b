//! BH713 new-privileges-allowed: a Compose service without `no-new-privileges:true`.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::{list_values, missing_key};

pub(crate) const RULE: Rule = Rule {
    code: "BH713",
    name: "new-privileges-allowed",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "add `security_opt: [no-new-privileges:true]`",
        decision: "unsafe (setuid tools stop working); only when the service has no `security_opt`",
    }),
    aliases: &[],
    summary: "A Compose service lets its processes gain privileges: no `security_opt: [no-new-privileges:true]`.",
    doc: concat!(
        r#"
## What it does
Reports a service whose `security_opt` has no `no-new-privileges:true` (or `no-new-privileges=true`, or
`no-new-privileges` alone). The finding is on the service's name; a service cut short by the file's YAML
error is not reported.

"#,
        dev_stack_noise!("BH713", "765", "361", "404"),
        r#"

## Why it matters
Without it, a process in the container can gain privileges through setuid and setgid binaries (`su`,
`sudo`, `passwd`, or one an attacker plants) and file capabilities. With it, `execve` never grants more
than the parent had, which closes the usual path from a compromised application user to root in the
container.

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
    security_opt:
      - no-new-privileges:true
```

## Fix
Adds `security_opt: [no-new-privileges:true]` when the service has no `security_opt`. Unsafe: an image
that relies on `sudo` or another setuid binary at run time stops working.

## How to silence
`# bulkhead ignore=BH713` on the line before the service's name, or `ignore = ["BH713"]` in
`.bulkhead.toml`.

## References
- Docker docs: `docker run --security-opt no-new-privileges`; Linux `PR_SET_NO_NEW_PRIVS`
- OWASP Docker Security Cheat Sheet, rule #4: Prevent in-container privilege escalation
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    missing_key(
        ctx,
        out,
        |file, service| {
            list_values(file, service, "security_opt").iter().any(|(_, opt)| {
                let opt = opt.trim().to_ascii_lowercase();
                matches!(opt.as_str(), "no-new-privileges" | "no-new-privileges:true" | "no-new-privileges=true")
            })
        },
        |service| {
            format!(
                "service `{}` lets its processes gain privileges (setuid binaries): add `no-new-privileges:true`",
                service.name
            )
        },
        (
            "Add `security_opt: [no-new-privileges:true]` (unsafe: setuid tools stop working)",
            &["security_opt:", "  - no-new-privileges:true"],
        ),
    );
}
