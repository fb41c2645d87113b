//! BH712 capabilities-not-dropped: a Compose service without `cap_drop: [ALL]`.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::{list_values, missing_key};

pub(crate) const RULE: Rule = Rule {
    code: "BH712",
    name: "capabilities-not-dropped",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: add `cap_drop: [ALL]` to the Compose service, keeping `cap_add`",
        decision: "only when the service has no `cap_drop` at all",
    }),
    aliases: &[],
    summary: "A Compose service keeps Docker's default capabilities: no `cap_drop: [ALL]`.",
    doc: concat!(
        r#"
## What it does
Reports a service whose `cap_drop` (its own, an `extends` base's or a merged anchor's) does not contain
`ALL`. The finding is on the service's name. A service that the file's YAML error cut short is not
reported: its `cap_drop` may be below the error. A service with `privileged: true` is reported too
(BH710 says more).

"#,
        dev_stack_noise!("BH712", "769", "365", "404"),
        r#"

## Why it matters
Docker gives every container 14 capabilities (`CHOWN`, `DAC_OVERRIDE`, `SETUID`, `NET_RAW`, `MKNOD`...)
that most services never use. Each is kernel attack surface an exploit can use; dropping them all and
adding back the few needed is the least-privilege default.

## Example
```yaml
services:
  api:
    image: example/api:3.2
```

## Use instead
```yaml
services:
  api:
    image: example/api:3.2
    cap_drop:
      - ALL
```

## Fix
Adds `cap_drop: [ALL]` to the service, keeping its `cap_add` list. Unsafe: an image whose entrypoint
switches user (`gosu`, `su-exec`, `chown` of a volume) needs `SETUID`, `SETGID` or `CHOWN` back in
`cap_add`; try the service after applying it. Offered only when `cap_drop` is not there at all.

## How to silence
`# bulkhead ignore=BH712` on the line before the service's name, or `ignore = ["BH712"]` in
`.bulkhead.toml`.

## References
- capabilities(7); Docker docs: Runtime privilege and Linux capabilities
- OWASP Docker Security Cheat Sheet, rule #3: Limit capabilities
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    missing_key(
        ctx,
        out,
        |file, service| list_values(file, service, "cap_drop").iter().any(|(_, cap)| cap.eq_ignore_ascii_case("ALL")),
        |service| format!("service `{}` keeps Docker's default capabilities: add `cap_drop: [ALL]`", service.name),
        ("Add `cap_drop: [ALL]` (unsafe: add back what the service needs)", &["cap_drop:", "  - ALL"]),
    );
}
