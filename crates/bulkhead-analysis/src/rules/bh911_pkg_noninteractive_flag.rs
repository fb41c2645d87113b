//! BH911 pkg-noninteractive-flag: a package manager command that asks for confirmation.

use bulkhead_syntax::{InstructionKind, ShellCommand};

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH911",
    name: "pkg-noninteractive-flag",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: `-y` after `install`; zypper: `zypper -n install`", decision: "" }),
    aliases: &["DL3014", "DL3030", "DL3034", "DL3038", "DS-0021", "DS021"],
    summary: "`apt-get`/`yum`/`dnf`/`microdnf`/`zypper` install, upgrade or remove without `-y` (zypper: `-n`) waits for an answer.",
    doc: r#"
## What it does
Checks `apt-get` and `apt` (`install`, `upgrade`, `dist-upgrade`, `full-upgrade`, `remove`, `purge`,
`autoremove`, `build-dep`), `yum`, `dnf` and `tdnf` (`install`, `update`, `upgrade`, `remove`, `erase`,
`reinstall`, `groupinstall`, `localinstall`, `distro-sync`, `autoremove`) and `zypper` (`install`,
`update`, `remove`, `patch`, `dist-upgrade`) for the flag that answers "yes": `-y`, `--yes`,
`--assume-yes`/`--assumeyes` (or quiet level 2, which implies it for apt-get: `-qq`, `-q -q`,
`--quiet --quiet`, `-q=2`; or
`-o APT::Get::Assume-Yes=true`), and for zypper `-n`/`--non-interactive` before the subcommand or
`-y`/`--no-confirm` after it. `yes | apt-get install ...`, simulated runs (`apt-get install -s`) and a stage whose earlier `RUN` writes
`Assume-Yes` into apt's configuration are fine. An exec-form `RUN ["apt-get", "install", "curl"]` is
checked the same way (its strings are the command's words), and its fix adds `"-y"` (`"-n"`) to the
array.

`microdnf` (`install`, `update`, `upgrade`, `remove`, `reinstall`, `download` excluded) is checked too: it
asks since 3.6 when its configuration says `assumeyes=0`, and the builds of UBI 9 and Oracle Linux 9 do
(Oracle's WebLogic image tool added `-y` for OL9 for that reason; microdnf pull request 94 kept "yes" as the
compiled-in default for older containers). `-y` exists since microdnf 3.6 (RHEL 8.4): its fix is unsafe,
since a microdnf older than that rejects the flag.

The peers check only `install`; the other subcommands ask the same question, so bulkhead checks them too.

## Why it matters
A build has no terminal: the package manager asks "Do you want to continue? [Y/n]", reads end of file
and aborts, so the build fails, or, with a terminal attached (`docker run -it` of a build script),
hangs until someone types. Either way the step is not reproducible in CI.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Fix
"Add `-y`" (safe) inserts `-y` right after the subcommand (`apt-get install -y`); for zypper, "Add `-n`"
inserts the global `-n` right after `zypper`. Both only answer the question the build cannot answer.

## How to silence
`# bulkhead ignore=BH911` on the line before the `RUN`, or `ignore = ["BH911"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3014` (DL3030, DL3034, DL3038) works too.

## References
- `apt-get(8)`: `-y`, `--assume-yes`; `dnf(8)`: `-y`; `zypper(8)`: `--non-interactive`
"#,
    check: Check::File(check),
};

const APT_SUBS: &[&str] =
    &["install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "build-dep"];
const RPM_SUBS: &[&str] = &[
    "install",
    "update",
    "upgrade",
    "remove",
    "erase",
    "reinstall",
    "groupinstall",
    "localinstall",
    "distro-sync",
    "autoremove",
    "groupremove",
    "downgrade",
];
const MICRODNF_SUBS: &[&str] = &["install", "update", "upgrade", "remove", "reinstall"];
const ZYPPER_SUBS: &[&str] =
    &["install", "in", "update", "up", "remove", "rm", "patch", "dist-upgrade", "dup", "source-install", "si"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, run) in shell_commands::all_runs(ctx) {
        let commands = run.commands();
        for (cmd_idx, command) in commands.iter().enumerate() {
            let Some(program) = command.program() else { continue };
            let Some(sub) = shell_commands::subcommand(command) else { continue };
            let needs = match program {
                "apt-get" | "apt" => {
                    APT_SUBS.contains(&sub)
                        && !apt_assumes_yes(command)
                        && !shell_commands::simulates(command)
                        && !apt_configured(ctx, idx)
                }
                "yum" | "dnf" | "tdnf" => RPM_SUBS.contains(&sub) && !assumes_yes(command, &["--assumeyes"]),
                "microdnf" => MICRODNF_SUBS.contains(&sub) && !assumes_yes(command, &["--assumeyes"]),
                "zypper" => {
                    ZYPPER_SUBS.contains(&sub)
                        && !assumes_yes(command, &["--non-interactive", "--no-confirm"])
                        && !shell_commands::has_short_flag(command, 'n')
                }
                _ => false,
            };
            // `yes | apt-get install ...` answers the question.
            let fed_by_yes = cmd_idx
                .checked_sub(1)
                .and_then(|prev| commands.get(prev))
                .is_some_and(|prev| prev.program() == Some("yes"))
                && command.operator == Some(bulkhead_syntax::ShellOperator::Pipe);
            if !needs || fed_by_yes {
                continue;
            }
            let flag = if program == "zypper" { "-n" } else { "-y" };
            let mut finding = Finding::new(
                run.doc_range(command.range),
                format!("`{program} {sub}` without `{flag}` asks for confirmation and fails or hangs in a build"),
            );
            let fix = if program == "zypper" {
                command.name.as_ref().map(|name| Fix::safe("Add `-n`", vec![run.insert_after(name, "-n")]))
            } else {
                command.args.iter().find(|a| a.value.as_deref() == Some(sub)).map(|word| {
                    let edit = vec![run.insert_after(word, "-y")];
                    // microdnf before 3.6 (RHEL 8.3 and older) rejects `-y`.
                    if program == "microdnf" { Fix::unsafe_("Add `-y`", edit) } else { Fix::safe("Add `-y`", edit) }
                })
            };
            if let Some(fix) = fix {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// `-y` (also in a cluster such as `-qy`), `--yes`, or one of `long`.
fn assumes_yes(command: &ShellCommand, long: &[&str]) -> bool {
    shell_commands::has_short_flag(command, 'y') || command.arg_values().any(|a| a == "--yes" || long.contains(&a))
}

/// apt's ways of answering yes: `-y`, `--yes`, `--assume-yes`, `-qq` (quiet level 2 implies `-y`),
/// `--force-yes`, `-o APT::Get::Assume-Yes=true`, `-q=2`.
fn apt_assumes_yes(command: &ShellCommand) -> bool {
    if assumes_yes(command, &["--assume-yes", "--force-yes", "-q=2", "--quiet=2"]) {
        return true;
    }
    // The quiet level adds up over `-q`, `-qq`, `--quiet`, in any mix: level 2 answers yes.
    let quiet: usize = command
        .arg_values()
        .map(|a| match a.strip_prefix('-') {
            Some("-quiet") => 1,
            Some(flags) if !flags.starts_with('-') && flags.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                flags.matches('q').count()
            }
            _ => 0,
        })
        .sum();
    let qq = quiet >= 2;
    qq || command.arg_values().any(|a| a.to_ascii_lowercase().contains("apt::get::assume-yes=true"))
}

/// A `RUN` earlier in the stage (or its `FROM` ancestors) writes `Assume-Yes` into apt's configuration.
fn apt_configured(ctx: &RuleContext<'_>, at: usize) -> bool {
    let instructions = ctx.file.instructions();
    let Some(stage) = ctx.model.stage_of(at) else { return false };
    ctx.model.ancestry(stage, at).into_iter().any(|(stage, limit)| {
        instructions.get(stage.from + 1..limit).unwrap_or_default().iter().any(|instruction| {
            instruction.kind == InstructionKind::Run && instruction.logical_text().contains("Assume-Yes")
        })
    })
}
