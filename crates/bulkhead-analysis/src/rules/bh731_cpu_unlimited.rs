//! BH731 cpu-unlimited: a Compose service without a CPU limit.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule};
use crate::rules::util_compose::dev_stack_noise;
use crate::rules::util_compose::missing_limit;

pub(crate) const RULE: Rule = Rule {
    code: "BH731",
    name: "cpu-unlimited",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: a limits block with values to review",
        decision: "the short form `cpus: 1.0`, one key per rule",
    }),
    aliases: &[],
    summary: "A Compose service has no CPU limit (`deploy.resources.limits.cpus`, `cpus` or `cpu_quota`).",
    doc: concat!(
        r#"
## What it does
Reports a service with no CPU limit: neither `deploy.resources.limits.cpus`, `cpus` or `cpu_quota` (its own, an `extends` base's or a merged
anchor's), on the service's name. A service cut short by the file's YAML error is not reported.

"#,
        dev_stack_noise!("BH731", "753", "365", "388"),
        r#"

## Why it matters
A service without a CPU limit can starve every other service of the host: a busy loop, a crypto miner an attacker starts, or a traffic spike takes every core.

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
    cpus: 1.0
```

## Fix
Adds `cpus: 1.0` to the service. Unsafe: the value is a placeholder to review against what the service
really uses; too low and it is killed or throttled.

## How to silence
`# bulkhead ignore=BH731` on the line before the service's name, or `ignore = ["BH731"]` in
`.bulkhead.toml`.

## References
- Docker docs: Resource constraints; Compose file reference, `deploy.resources`
- CWE-770: Allocation of Resources Without Limits or Throttling
"#
    ),
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    missing_limit(ctx, out, "cpus", &["cpus", "cpu_quota"], "CPU", "cpus: 1.0");
}
