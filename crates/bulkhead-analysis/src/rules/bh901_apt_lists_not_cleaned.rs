//! BH901 apt-lists-not-cleaned: `apt-get update` leaves the package lists in a layer of the final image.

use bulkhead_syntax::{Instruction, ShellCommand, ShellScript};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH901",
    name: "apt-lists-not-cleaned",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: append `&& rm -rf /var/lib/apt/lists/*`", decision: "" }),
    aliases: &["DL3009"],
    summary: "`apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same `RUN` keeps the package lists.",
    doc: r#"
## What it does
Checks each `RUN` that runs `apt-get update` (or `apt update`, `aptitude update`) and installs or
upgrades packages, in the stages that end up in the final image, for a removal of `/var/lib/apt/lists` in the same `RUN`
(`rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean` on apt 2.7 and later).
Build stages whose files are only copied from are not checked. A `RUN --mount=type=cache` or
`--mount=type=tmpfs` on `/var/lib/apt/lists` (or `/var/lib/apt`) exempts the step: the lists never
reach the layer.

## Why it matters
`apt-get update` downloads the package index of every configured repository, often 20-50 MB, into
`/var/lib/apt/lists`. Left there, it ships in every copy of the image, and it is stale the moment the
image is built: a later `apt-get install` in a derived image uses old lists and can install outdated,
vulnerable versions. Deleting it in a later `RUN` does not help, because the earlier layer keeps it.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
```

## Fix
"Remove the apt lists in this `RUN`" (safe) appends ` && rm -rf /var/lib/apt/lists/*` after the last
command of the `RUN`, or adds `rm -rf /var/lib/apt/lists/*` as the last line of a `RUN <<EOF` script.
Nothing later in the step can need the lists: they are only read by `apt-get install`, which ran.
No fix is offered when the step ends in something the appended command would change (a background
`&`, an `exit`), when a mount sits inside the lists folder (`rm` would fail on it), or when the shell
has a syntax error.

## How to silence
`# bulkhead ignore=BH901` on the line before the `RUN`, or use a cache mount:
`RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && ...`.
`# hadolint ignore=DL3009` works too.

## References
- Docker docs: Dockerfile best practices, "apt-get"
- Debian: `apt-get(8)`, the `/var/lib/apt/lists` directory
"#,
    check: Check::File(check),
};

const CLEANUP: &str = "rm -rf /var/lib/apt/lists/*";
const APT: &[&str] = &["apt-get", "apt", "aptitude"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let lineage = ctx.model.final_lineage();
    for (idx, run, shell) in shell_commands::runs(ctx) {
        if !ctx.model.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index)) {
            continue;
        }
        if shell_commands::has_cache_mount(run, &["/var/lib/apt/lists"]) {
            continue;
        }
        let commands = shell.commands();
        let Some(update) = commands.iter().find(|c| shell_commands::is_invocation(c, APT, &["update"])) else {
            continue;
        };
        let installs = commands.iter().any(|c| {
            shell_commands::is_invocation(
                c,
                APT,
                &["install", "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade", "build-dep"],
            )
        });
        if !installs || commands.iter().any(cleans_lists) {
            continue;
        }
        let program = update.program().unwrap_or("apt-get");
        let mut finding = Finding::new(
            shell.doc_range(update.range),
            format!("`{program} update` leaves the package lists in the image: remove them in the same `RUN`"),
        );
        if let Some(edit) = cleanup_edit(ctx, run, shell) {
            finding = finding.with_fix(Fix::safe("Remove the apt lists in this `RUN`", vec![edit]));
        }
        out.push(finding);
    }
}

/// `rm -rf /var/lib/apt/lists/*` (or the folder, or `/var/lib/apt`), `find /var/lib/apt/lists ... -delete`,
/// or `apt-get dist-clean` (apt 2.7+, Debian trixie: `clean` plus the lists).
fn cleans_lists(command: &ShellCommand) -> bool {
    if shell_commands::is_invocation(command, APT, &["dist-clean", "distclean"]) {
        return true;
    }
    let covers = |arg: &str| {
        let path = arg.trim_end_matches('*').trim_end_matches('/');
        path == "/var/lib/apt" || path.starts_with("/var/lib/apt/lists")
    };
    match command.program() {
        Some("rm") => command.arg_values().any(covers),
        Some("find") => command.arg_values().next().is_some_and(covers) && command.has_arg("-delete"),
        _ => false,
    }
}

/// The edit that removes the lists at the end of the step, when the step's end is plain.
fn cleanup_edit(ctx: &RuleContext<'_>, run: &Instruction, shell: &ShellScript) -> Option<Edit> {
    // `rm` cannot remove a mount point: with a mount inside the lists folder, the step would fail.
    let mounts_inside =
        run.mounts().any(|mount| mount.target().is_some_and(|target| target.starts_with("/var/lib/apt/lists/")));
    if mounts_inside {
        return None;
    }
    util_edit::append_command(ctx.file, run, shell, CLEANUP)
}
