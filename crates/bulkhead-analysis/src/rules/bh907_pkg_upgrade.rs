//! BH907 pkg-upgrade: a `RUN` upgrades every package of the base image.

use bulkhead_syntax::ShellCommand;

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH907",
    name: "pkg-upgrade",
    practice: Practice::PackageHygiene,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: remove the upgrade command", decision: "" }),
    aliases: &["DL3035", "DL3005", "DL3017", "DL3031", "DL3039", "DS-0024", "DS024"],
    summary: "`apt-get upgrade`, `apk upgrade`, `dnf upgrade` or `zypper dup` upgrades the whole base image in a layer.",
    doc: r#"
## What it does
Checks `RUN` for commands that upgrade every installed package: `apt-get upgrade`, `apt-get
dist-upgrade`/`full-upgrade` (and `apt`), `apk upgrade`, `yum`/`dnf`/`microdnf`/`tdnf` `update`,
`upgrade` or `distro-sync` without package names, and `zypper update`, `patch` or `dist-upgrade`.
An upgrade of named packages (`dnf upgrade openssl`) is not reported, and neither is a `zypper patch`
that picks its patches (`--cve=...`, `--bugzilla=...`, `--category security`, `-g`, `--severity`,
`--date`). Upgrades are a hint; a
distribution upgrade (`dist-upgrade`, `full-upgrade`, `distro-sync`, `zypper dup`) is info, because it
can move the image to packages the base image's maintainers never tested together.

The peers disagree here. hadolint removed its upgrade rules (DL3005, DL3017, DL3031, DL3039) and Trivy
deprecated DS-0024, because upgrading in the build brings security fixes the base image lacks; Semgrep
still warns. bulkhead sides with the security fixes: an upgrade is not wrong, so this is a hint that
explains the trade-off, never a warning. The retired hadolint codes stay aliases, so an old
`# hadolint ignore=DL3005` (or `ignored:` in `.hadolint.yaml`) still silences it.

## Why it matters
An in-image upgrade makes the build depend on the day it ran: two builds of the same Dockerfile get
different packages, and a cached layer silently keeps last month's. It also duplicates every upgraded
file in a new layer. The better fix is upstream: a current, pinned base image (rebuilt when its
maintainers publish fixes) gives the same security fixes reproducibly. Where the base image is slow to
update, keeping the upgrade is a reasonable choice: silence the hint.

## Example
```dockerfile
FROM alpine:3.20
RUN apk upgrade --no-cache && apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20.3
RUN apk add --no-cache curl
```

## Fix
"Remove the upgrade" (unsafe) deletes the upgrade command from its `&&`/`;` chain (or the whole `RUN`
when it is the only command, or when the rest is only the index refresh it needed, `apt-get update`,
which alone would be BH902's finding). It is unsafe because the image then lacks the fixes the upgrade brought
until the base image is bumped. It is not offered when the command is joined by a pipe or `||`, or
when a comment sits in the removed text.

## How to silence
`# bulkhead ignore=BH907` on the line before the `RUN`, or `ignore = ["BH907"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3035` works too.

## References
- hadolint issues #677 and #964 (why the upgrade rules were removed)
- Docker docs: Dockerfile best practices, "apt-get"
"#,
    check: Check::Instruction(check),
};

/// Whether a command upgrades everything, and how far.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Upgrade {
    Packages,
    Distribution,
}

fn upgrade_of(command: &ShellCommand) -> Option<Upgrade> {
    let program = command.program()?;
    let sub = shell_commands::subcommand(command)?;
    match program {
        "apt-get" | "apt" | "aptitude" => match sub {
            "upgrade" | "safe-upgrade" => Some(Upgrade::Packages),
            "dist-upgrade" | "full-upgrade" => Some(Upgrade::Distribution),
            _ => None,
        },
        "apk" => (sub == "upgrade" && operands_after(command, sub) == 0).then_some(Upgrade::Packages),
        "yum" | "dnf" | "microdnf" | "tdnf" => match sub {
            "update" | "upgrade" | "upgrade-minimal" | "update-minimal" if operands_after(command, sub) == 0 => {
                Some(Upgrade::Packages)
            }
            "distro-sync" | "distrosync" | "dsync" => Some(Upgrade::Distribution),
            _ => None,
        },
        "zypper" => match sub {
            "update" | "up" if operands_after(command, sub) == 0 => Some(Upgrade::Packages),
            // `zypper patch --cve=...`, `--bugzilla=...`, `--category security`, `-g`: chosen patches only.
            "patch" if operands_after(command, sub) == 0 && !selects_patches(command) => Some(Upgrade::Packages),
            "dist-upgrade" | "dup" => Some(Upgrade::Distribution),
            _ => None,
        },
        _ => None,
    }
}

/// `zypper patch` options that pick some patches instead of all of them.
fn selects_patches(command: &ShellCommand) -> bool {
    const SELECTORS: &[&str] =
        &["--cve", "--bugzilla", "-b", "--bz", "--issues", "--category", "-g", "--severity", "--date"];
    command
        .arg_values()
        .any(|arg| SELECTORS.iter().any(|s| arg == *s || arg.strip_prefix(s).is_some_and(|rest| rest.starts_with('='))))
}

/// How many package names follow the subcommand (options and non-literal words do not count; options
/// that take a value are rare with upgrades, so their values may be counted, which only hides a finding).
fn operands_after(command: &ShellCommand, sub: &str) -> usize {
    let mut values = command.arg_values().skip_while(|a| *a != sub).skip(1);
    let mut count = 0;
    while let Some(value) = values.next() {
        if matches!(value, "-x" | "--exclude" | "--setopt" | "--repo" | "-r" | "--enablerepo" | "--disablerepo") {
            values.next();
        } else if !value.starts_with('-') {
            count += 1;
        }
    }
    count
}

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((run, shell)) = ctx.run() else { return };
    for (cmd_idx, command) in shell.commands().iter().enumerate() {
        let Some(kind) = upgrade_of(command) else { continue };
        let program = command.program().unwrap_or_default();
        let sub = shell_commands::subcommand(command).unwrap_or_default();
        let message = match kind {
            Upgrade::Packages => format!(
                "`{program} {sub}` upgrades the base image's packages in a layer: the build depends on when it ran"
            ),
            Upgrade::Distribution => {
                format!("`{program} {sub}` upgrades the distribution inside the image: prefer a newer base image")
            }
        };
        let mut finding = Finding::new(shell.doc_range(command.range), message);
        if kind == Upgrade::Distribution {
            finding = finding.with_severity(Severity::Info);
        }
        // An index refresh left alone would be BH902's finding: it was there for the upgrade, so it goes too.
        let only_refreshes_left =
            shell.commands().iter().enumerate().filter(|(idx, _)| *idx != cmd_idx).all(|(_, c)| is_index_refresh(c));
        let edit = match only_refreshes_left {
            true => Some(util_edit::delete_instruction(ctx.file, ctx.instruction)),
            false => util_edit::remove_command(ctx.file, ctx.instruction, run, shell, cmd_idx),
        };
        if let Some(edit) = edit {
            finding = finding.with_fix(Fix::unsafe_("Remove the upgrade", vec![edit]));
        }
        out.push(finding);
    }
}

/// A package index refresh: `apt-get update`, `apk update`, `dnf makecache`, `zypper refresh`.
fn is_index_refresh(command: &ShellCommand) -> bool {
    let sub = shell_commands::subcommand(command);
    match command.program() {
        Some("apt-get" | "apt" | "apk") => sub == Some("update"),
        Some("dnf" | "yum" | "microdnf") => sub == Some("makecache"),
        Some("zypper") => matches!(sub, Some("refresh" | "ref")),
        _ => false,
    }
}
