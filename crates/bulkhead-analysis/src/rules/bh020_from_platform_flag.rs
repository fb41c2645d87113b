//! BH020 from-platform-flag: `FROM --platform` with a constant platform, or the redundant
//! `--platform=$TARGETPLATFORM`.

use bulkhead_syntax::TextRange;

use crate::diagnostic::{Severity, Tag};
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH020",
    name: "from-platform-flag",
    practice: Practice::Correctness,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: delete a redundant `--platform=$TARGETPLATFORM`", decision: "" }),
    aliases: &[
        "DL3029",
        "DL3065",
        "RedundantTargetPlatform",
        "FromPlatformFlagConstDisallowed",
        "avoid-platform-with-from",
    ],
    summary: "`FROM --platform` pins a stage to a constant platform, or repeats the default `$TARGETPLATFORM`.",
    doc: r#"
## What it does
Checks the `--platform` flag of every `FROM`:
- a constant value such as `--platform=linux/amd64` (info);
- `--platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`), which is what `FROM` does anyway (hint).

Variables such as `$BUILDPLATFORM` (cross-compilation stages) are fine. The peers disagree on constants
in stages named after their platform (`FROM --platform=linux/arm64 alpine AS build-arm64`): hadolint
flags them, BuildKit does not. bulkhead follows BuildKit: when the stage name contains the platform's
OS or architecture, the pin is deliberate and visible to every reader, so it is not reported.

## Why it matters
A constant platform makes `docker build --platform` lie: an arm64 build of the file still runs the stage
as amd64, under emulation (slow) or with binaries for the wrong CPU in the final image, which then fails
on start or, worse, runs an image nobody tested. The redundant form is noise that suggests something
special is going on.

## Example
```dockerfile
FROM --platform=linux/amd64 python:3.12-slim
FROM --platform=$TARGETPLATFORM alpine:3.20
```

## Use instead
```dockerfile
FROM python:3.12-slim
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM --platform=linux/arm64 alpine:3.20 AS tools-arm64
```

## Fix
"Remove `--platform=$TARGETPLATFORM`" (safe: it is the default) deletes the flag. A constant platform
has no fix: drop it, use `$BUILDPLATFORM`, or name the stage after the platform.

## How to silence
`# bulkhead ignore=BH020` on the line before the `FROM`, `ignore = ["BH020"]` in `.bulkhead.toml`,
`# hadolint ignore=DL3029`, or `# check=skip=FromPlatformFlagConstDisallowed,RedundantTargetPlatform`.
Each BuildKit name skips its own findings only: a constant platform is BuildKit's
FromPlatformFlagConstDisallowed, `--platform=$TARGETPLATFORM` its RedundantTargetPlatform
(`# check=skip=all` skips both). hadolint's DL3029 silences the whole rule.

## References
- Docker docs: Multi-platform builds; build checks RedundantTargetPlatform, FromPlatformFlagConstDisallowed
- hadolint DL3029, DL3065
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let text = ctx.text();
    for stage in &ctx.model.stages {
        let Some(from) = ctx.file.instructions().get(stage.from) else { continue };
        let Some(flag) = from.flag("platform") else { continue };
        let Some(value) = &flag.value else { continue };
        let platform = value.value.trim();
        if matches!(platform, "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
            // The flag and the blanks after it, so the line keeps one space between words.
            let after = text.get(flag.range.end..).unwrap_or_default();
            let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
            let range = TextRange::new(flag.range.start, flag.range.end + blanks);
            out.push(
                Finding::new(
                    flag.range,
                    format!("`--platform={platform}` is redundant: `FROM` uses the target platform by default"),
                )
                .with_severity(Severity::Hint)
                .with_tag(Tag::Unnecessary)
                .with_alias("RedundantTargetPlatform")
                .with_fix(Fix::safe(format!("Remove `--platform={platform}`"), vec![Edit::delete(range)])),
            );
            continue;
        }
        if platform.contains('$') || platform.is_empty() {
            continue;
        }
        // A stage named after its platform (`AS build-arm64`) pins it on purpose.
        let name = stage.name.as_deref().unwrap_or_default().to_ascii_lowercase();
        let named_after =
            platform.to_ascii_lowercase().split(['/', ',']).any(|part| !part.is_empty() && name.contains(part));
        if named_after {
            continue;
        }
        out.push(
            Finding::new(
                flag.range,
                format!(
                    "`--platform={platform}` pins this stage to one platform: builds for other platforms get it anyway"
                ),
            )
            .with_alias("FromPlatformFlagConstDisallowed"),
        );
    }
}
