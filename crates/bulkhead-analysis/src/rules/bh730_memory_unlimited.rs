//! BH730 memory-unlimited: a Compose service without a memory limit.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::missing_limit;

pub(crate) const RULE: Rule = Rule {
    code: "BH730",
    name: "memory-unlimited",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: a limits block with values to review",
        decision: "the short form `mem_limit: 512m`, one key per rule",
    }),
    aliases: &[],
    summary: "A Compose service has no memory limit (`deploy.resources.limits.memory` or `mem_limit`).",
    doc: concat!(
        r#"
## What it does
Reports a service with no memory limit: neither `deploy.resources.limits.memory` or `mem_limit` (its own, an `extends` base's or a merged
anchor's), on the service's name. A service cut short by the file's YAML error is not reported.

"#,
        dev_stack_noise!("BH730", "709", "321", "388"),
        r#"

## Why it matters
A service without a memory limit can take all the host's memory: a leak or a request flood then has the kernel's OOM killer pick among every process of the host, other services and the Docker daemon included.

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
    mem_limit: 512m
```

## Fix
Adds `mem_limit: 512m` to the service. Unsafe: the value is a placeholder to review against what the service
really uses; too low and it is killed or throttled.

## How to silence
`# bulkhead ignore=BH730` on the line before the service's name, or `ignore = ["BH730"]` in
`.bulkhead.toml`.

## References
- Docker docs: Resource constraints; Compose file reference, `deploy.resources`
- CWE-770: Allocation of Resources Without Limits or Throttling
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    missing_limit(ctx, out, "memory", &["mem_limit"], "memory", "mem_limit: 512m");
}
