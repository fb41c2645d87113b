//! BH903 apk-missing-no-cache: `apk add` keeps its package index in the image.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{FixAvailability, Finding, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH903",
    name: "apk-missing-no-cache",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    aliases: &["DL3019", "DS-0025", "DS025"],
    summary: "`apk add` without `--no-cache` leaves the package index in the image.",
    doc: r#"
## What it does
Checks `apk add` commands in `RUN` for `--no-cache`. A `RUN --mount=type=cache` on `/var/cache/apk`
exempts the command (the cache then lives outside the image), and so does `apk add --no-network`, which
installs from what is already there and downloads no index.

## Why it matters
Without `--no-cache`, `apk` downloads the package index into `/var/cache/apk` and the layer keeps it:
megabytes of stale metadata in every image, shipped to every host, and a record of what the build saw.
Smaller images pull faster and give scanners less to wade through.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## Fix
"Add `--no-cache`" (safe) inserts the flag right after `apk add`. `--no-cache` also refreshes the index,
so a separate `apk update` becomes unnecessary.

## How to silence
`# bulkhead ignore=BH903` on the line before the `RUN`, or mount a cache:
`RUN --mount=type=cache,target=/var/cache/apk apk add curl`. `# hadolint ignore=DL3019` works too.

## References
- Alpine wiki: Alpine Package Keeper, `--no-cache`
"#,
    check,
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (_, run, shell) in util::runs(ctx) {
        if util::has_cache_mount(run, &["/var/cache/apk", "/etc/apk/cache"]) {
            continue;
        }
        for command in shell.commands() {
            if command.program() != Some("apk") || util::subcommand(command) != Some("add") {
                continue;
            }
            // `--no-network` installs from local files only: no index is downloaded, nothing is cached.
            if command.has_arg("--no-cache") || command.has_arg("--no-network") {
                continue;
            }
            let range = shell.doc_range(command.range);
            let Some(add) = command.args.iter().find(|a| a.value.as_deref() == Some("add")) else { continue };
            let insert_at = shell.doc_range(add.range).end;
            out.push(
                Finding::new(range, "`apk add` without `--no-cache` keeps the package index in the image")
                    .with_fix(Fix::safe("Add `--no-cache`", vec![Edit::insert(insert_at, " --no-cache")])),
            );
        }
    }
}
