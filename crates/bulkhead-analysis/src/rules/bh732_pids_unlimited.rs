//! BH732 pids-unlimited: a Compose service without a process-count limit.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::missing_limit;

pub(crate) const RULE: Rule = Rule {
    code: "BH732",
    name: "pids-unlimited",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: a limits block with values to review",
        decision: "the short form `pids_limit: 200`, one key per rule",
    }),
    aliases: &[],
    summary: "A Compose service has no process-count limit (`deploy.resources.limits.pids` or `pids_limit`).",
    doc: concat!(
        r#"
## What it does
Reports a service with no process-count limit: neither `deploy.resources.limits.pids` or `pids_limit` (its own, an `extends` base's or a merged
anchor's), on the service's name. A service cut short by the file's YAML error is not reported.

"#,
        dev_stack_noise!("BH732", "766", "362", "404"),
        r#"

## Why it matters
A service without a limit on its number of processes can fork-bomb the host: the kernel's process table is shared by every container, and when it is full nothing on the host can start a process.

## Example
```yaml
services:
  worker:
    image: example/worker:1.0
```

## Use instead
```yaml
services:
  worker:
    image: example/worker:1.0
    pids_limit: 200
```

## Fix
Adds `pids_limit: 200` to the service. Unsafe: the value is a placeholder to review against what the service
really uses; too low and it is killed or throttled.

## How to silence
`# bulkhead ignore=BH732` on the line before the service's name, or `ignore = ["BH732"]` in
`.bulkhead.toml`.

## References
- Docker docs: Resource constraints; Compose file reference, `deploy.resources`
- CWE-770: Allocation of Resources Without Limits or Throttling
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    missing_limit(ctx, out, "pids", &["pids_limit"], "process-count", "pids_limit: 200");
}
