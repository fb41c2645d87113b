//! BH603 healthcheck-disabled: a Compose service switches its health check off.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH603",
    name: "healthcheck-disabled",
    practice: Practice::Healthcheck,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose service switches its health check off (`disable: true` or `test: [\"NONE\"]`).",
    doc: r#"
## What it does
Checks every service of a Compose file (its own keys, the ones it `extends` in the same file, and the
ones a merge key brings in) for a `healthcheck:` that switches the check off: `disable: true`
(interpolated; a variable without a default is unknown and not reported) or a `test` whose first item is
`NONE` (`test: ["NONE"]`, `test: NONE`). Either also switches off a `HEALTHCHECK` the image has. It is
**info**: turning the check off can be deliberate (a one-shot job, an image whose check needs a tool the
container lacks).

## Why it matters
Without a health check Docker only knows that the process is alive. A deadlocked or wedged app keeps
receiving traffic and is never restarted, and `depends_on: condition: service_healthy` cannot wait for
it. Switching off the image's own check throws away the probe its authors wrote.

## Example
```yaml
services:
  api:
    image: example/api:2.1
    healthcheck:
      disable: true
```

## Use instead
```yaml
services:
  api:
    image: example/api:2.1
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/health"]
      interval: 30s
      timeout: 3s
      retries: 3
```

## Fix
None: which probe fits the service is for you to decide.

## How to silence
`# bulkhead ignore=BH603` on the line before `healthcheck:` (BH601's "disable" fix writes it, recording
the decision), or `ignore = ["BH603"]` in `.bulkhead.toml`.

## References
- Docker docs: Compose file reference, `healthcheck`
- CIS Docker Benchmark 4.6: Ensure that HEALTHCHECK instructions have been added to container images
"#,
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let Some(healthcheck) = service.get(file, "healthcheck").filter(|entry| file.yaml.is_map(entry.value)) else {
            continue;
        };
        let field = |key: &str| file.yaml.get(healthcheck.value, key);
        let (entry, how) = match (field("disable"), field("test")) {
            (Some(disable), _) if file.is_true(disable.value) => (disable, "`disable: true`"),
            (_, Some(test))
                if file
                    .list(test.value)
                    .first()
                    .and_then(|&item| file.value(item))
                    .is_some_and(|v| v.trim() == "NONE") =>
            {
                (test, "`test: [\"NONE\"]`")
            }
            _ => continue,
        };
        out.push(Finding::new(
            file.entry_range(entry),
            format!(
                "service `{}` switches its health check off ({how}): Docker cannot tell a hung app from a healthy one",
                service.name
            ),
        ));
    }
}
