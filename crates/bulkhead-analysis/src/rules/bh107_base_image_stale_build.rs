//! BH107 base-image-stale-build: with registry look-ups on, a base image was built longer ago than the
//! configured age.

use crate::diagnostic::Severity;
use crate::knowledge::eol::Date;
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH107",
    name: "base-image-stale-build",
    practice: Practice::ScanAndVerify,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "With registry look-ups on, a base image was built longer ago than `[registry] base-max-age` (180 days).",
    doc: r#"
## What it does
With registry look-ups on (`bulkhead check --online`, `[registry] enabled = true`, or the editor's
`bulkhead.registry.enabled`), reads the build time (`created`) in the config of each image a `FROM`
names, for the platform the build targets (the single manifest, or the matching entry of a
multi-platform index), and hints when it is older than `[registry] base-max-age` (default `180d`) on the
date of the check. Every `FROM` counts, build stages too: an old compiler or SDK in a build stage puts
its old standard library into the binaries the final image ships.

Offline (the default) it reports nothing: the build time is only in the registry. A `created` before
Docker existed (1970-01-01, which reproducible builds such as distroless, ko and Nix images write) says
nothing about the image's age and is not reported; neither is a time that cannot be read.

## Why it matters
A base image is a snapshot of packages on the day it was built. Official images are rebuilt whenever
their distribution ships a security update, so a current tag points to a recent build. An old build
means that no update reached it: the digest or tag is pinned and nobody bumped it, or its publisher
stopped maintaining it. Either way every vulnerability fixed upstream since that day is still in the
image, and rebuilding the same Dockerfile does not help until the `FROM` points to a fresh build.

## Example
```dockerfile
FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8
COPY app.py /app/
CMD ["python", "/app/app.py"]
```
(with registry look-ups on, when that digest was built more than 180 days before the check)

## Use instead
```dockerfile
FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]
```
A tag the publisher keeps rebuilding, or the same pin moved to the tag's current build (BH102 pins the
current digest online), with a bot such as Renovate or Dependabot bumping it from then on.

## Fix
None: which build to move to is a decision to test, and BH101 and BH102 offer the pins.

## How to silence
`# bulkhead ignore=BH107` on the line before the `FROM`, `ignore = ["BH107"]` in `.bulkhead.toml`, or
a longer age: `[registry] base-max-age = "365d"`.

## References
- Docker docs: Dockerfile best practices, "Rebuild your images often"
- NIST SP 800-190, Application Container Security Guide, 4.1.1 (image vulnerabilities)
"#,
    check: Check::File(check),
};

/// Docker's first release: a `created` before it is a placeholder, not a build time.
const DOCKER_RELEASED: Date = Date::new(2013, 3, 20);

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(today) = ctx.build.today else { return };
    let max_age = i64::from(ctx.options.base_max_age_days);
    for stage in &ctx.model.stages {
        let (Base::Image(image), Some(range)) = (&stage.base, stage.base_range) else { continue };
        let Some(created) = ctx.build.image_facts(image).and_then(|facts| facts.created.as_deref()) else { continue };
        // RFC 3339: the date is the first ten characters; the time of day and zone do not matter here.
        let Some(built) = created.get(..10).and_then(Date::parse).filter(|date| *date >= DOCKER_RELEASED) else {
            continue;
        };
        let age = today.days_since_epoch() - built.days_since_epoch();
        if age > max_age {
            out.push(Finding::new(
                range,
                format!(
                    "`{}` was built on {built}, {age} days ago (more than {max_age}): no security update since \
                     reached it; move the pin or tag to a current build",
                    image.raw
                ),
            ));
        }
    }
}
