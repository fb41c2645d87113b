//! BH902 pkg-update-alone: a `RUN` refreshes the package index but installs nothing with it.

use bulkhead_syntax::{InstructionKind, ShellCommand};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH902",
    name: "pkg-update-alone",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: merge into the next installing `RUN`", decision: "" }),
    aliases: &["DS-0017", "DS017", "CKV_DOCKER_5"],
    summary: "A `RUN` refreshes the package index (`apt-get update`, `apk update`) without installing in the same step.",
    doc: r#"
## What it does
Checks each `RUN` that refreshes a package index (`apt-get update`, `apt update`, `apk update`,
`zypper refresh`, `dnf makecache`, `yum makecache`) for a command after it, in the same `RUN`, that
installs or upgrades packages with that index (docker/xx's `xx-apt-get install` counts). A refresh
followed by a script or by `xargs` that may install is not reported, and neither is one whose index
the same `RUN` deletes again (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`, `rm -rf
/var/cache/apk/*`, `dnf clean all`, `zypper clean`): that layer keeps no index, stale or not.
`aptitude` counts as apt, and dnf's short verbs (`in`, `up`, `rei`, `upgrade-minimal`) as installs. An
exec-form `RUN ["apt-get", "update"]` runs that one command and nothing after it, so it is always
reported.

bulkhead checks each `RUN` on its own, as Trivy does, and not the whole file as Checkov does (Checkov
passes when some other `RUN` installs): the problem is the layer cache, and the cache works per `RUN`.

## Why it matters
Docker caches each `RUN` by its text. `RUN apt-get update` on its own line is cached the first time and
never runs again, while a later `RUN apt-get install ...` is rebuilt whenever its package list changes.
That install then reads an index that may be months old: it installs outdated, vulnerable versions, or
fails because the mirror no longer has them. Refreshing and installing in one `RUN` keeps them together.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Fix
"Merge into the next installing `RUN`" (unsafe) deletes the lone `RUN` and puts its command in front of
the next `RUN` of the stage that installs with the same package manager (`RUN apt-get update && ...`).
It is unsafe because the instructions between the two now run before the refresh. It is offered only
when the lone `RUN` is the refresh command alone, with no `--mount` or other flags; an exec-form refresh
moves as shell words (`RUN ["apt-get", "update"]` becomes `apt-get update && `), and only into a
shell-form `RUN`.

## How to silence
`# bulkhead ignore=BH902` on the line before the `RUN`, or `ignore = ["BH902"]` in `.bulkhead.toml`.
`# trivy:ignore:DS-0017` and `# checkov:skip=CKV_DOCKER_5` work too.

## References
- Docker docs: Dockerfile best practices, "apt-get" (cache busting)
- Trivy DS-0017, Checkov CKV_DOCKER_5
"#,
    check: Check::File(check),
};

/// A package index refresh and the commands that use the index, per package manager.
struct Family {
    programs: &'static [&'static str],
    refresh: &'static [&'static str],
    installs: &'static [&'static str],
    /// Subcommands that delete the index again (`apt-get dist-clean`, `dnf clean all`).
    clears: &'static [&'static str],
    /// Where the index lives: an `rm` of it deletes it again.
    index_dir: &'static str,
}

const FAMILIES: &[Family] = &[
    Family {
        programs: &["apt-get", "apt", "aptitude"],
        refresh: &["update"],
        installs: &[
            "install",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "safe-upgrade",
            "build-dep",
            "source",
            "download",
            "satisfy",
        ],
        clears: &["dist-clean", "distclean"],
        index_dir: "/var/lib/apt/lists",
    },
    Family {
        programs: &["apk"],
        refresh: &["update"],
        installs: &["add", "upgrade", "fix", "fetch"],
        clears: &[],
        index_dir: "/var/cache/apk",
    },
    Family {
        programs: &["zypper"],
        refresh: &["refresh", "ref"],
        installs: &["install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si"],
        clears: &["clean", "cc"],
        index_dir: "/var/cache/zypp",
    },
    Family {
        programs: &["dnf", "yum", "microdnf", "tdnf"],
        refresh: &["makecache"],
        installs: &[
            "install",
            "in",
            "update",
            "up",
            "upgrade",
            "upgrade-minimal",
            "groupinstall",
            "distro-sync",
            "reinstall",
            "rei",
            "localinstall",
        ],
        clears: &["clean"],
        index_dir: "/var/cache/dnf",
    },
];

fn family_of(command: &ShellCommand) -> Option<&'static Family> {
    let program = command.program()?;
    FAMILIES.iter().find(|f| f.programs.contains(&program))
}

/// True when `command` uses the index of `family`: an install, also through docker/xx's cross-compiling
/// wrappers (`xx-apt-get install`, `xx-apk add`).
fn uses_index(command: &ShellCommand, family: &Family) -> bool {
    if shell_commands::is_invocation(command, family.programs, family.installs) {
        return true;
    }
    let Some(program) = command.program().and_then(|p| p.strip_prefix("xx-")) else { return false };
    family.programs.contains(&program)
        && shell_commands::subcommand(command).is_some_and(|sub| family.installs.contains(&sub))
}

/// A command that may install packages in a way the rule cannot see: a script, a shell, `xargs`, `make`,
/// or a program given by a variable.
fn may_install(command: &ShellCommand) -> bool {
    let Some(name) = command.name.as_ref() else { return false };
    let Some(value) = name.value.as_deref() else { return true };
    let program = command.program().unwrap_or(value);
    value.contains('/') && !value.starts_with("/usr/bin/") && !value.starts_with("/bin/")
        || program.ends_with(".sh")
        || matches!(
            program,
            "sh" | "bash" | "xargs" | "make" | "eval" | "source" | "." | "install_packages" | "apt-fast"
        )
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    for (idx, run, commands_of) in shell_commands::all_runs(ctx) {
        let commands = commands_of.commands();
        for (cmd_idx, command) in commands.iter().enumerate() {
            let Some(family) = family_of(command) else { continue };
            if !shell_commands::is_invocation(command, family.programs, family.refresh) {
                continue;
            }
            let later = commands.get(cmd_idx + 1..).unwrap_or_default();
            let used = later.iter().any(|c| uses_index(c, family) || may_install(c));
            // Deleting the index again in the same step leaves no stale index in the layer.
            let cleared = later.iter().any(|c| {
                shell_commands::is_invocation(c, family.programs, family.clears)
                    || shell_commands::removes_dir(c, family.index_dir)
            });
            if used || cleared {
                continue;
            }
            let program = command.program().unwrap_or("apt-get");
            let sub = shell_commands::subcommand(command).unwrap_or("update");
            let mut finding = Finding::new(
                commands_of.doc_range(command.range),
                format!(
                    "`{program} {sub}` is not followed by an install in the same `RUN`: a cached layer keeps a stale index"
                ),
            );
            let is_onbuild = instructions.get(idx).is_some_and(|i| i.kind == InstructionKind::Onbuild);
            if !is_onbuild
                && commands.len() == 1
                && run.flags.is_empty()
                && let Some(refresh) = refresh_text(&commands_of, command)
                && let Some(fix) = merge_fix(ctx, idx, family, &refresh)
            {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// The refresh command as shell text: as written in a shell; an exec-form array's words joined by
/// spaces when none of them needs quoting (`["apt-get", "update"]` is `apt-get update`).
fn refresh_text(run: &shell_commands::RunCommands<'_>, command: &ShellCommand) -> Option<String> {
    if let Some(shell) = run.shell() {
        return Some(shell.text(command.range).to_owned());
    }
    let plain =
        |word: &str| !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:+,@".contains(&b));
    let words: Vec<&str> =
        command.name.iter().chain(&command.args).map(|w| w.value.as_deref()).collect::<Option<_>>()?;
    words.iter().all(|w| plain(w)).then(|| words.join(" "))
}

/// Deletes the lone `RUN` at `idx` and prefixes the next installing `RUN` of the stage with `refresh &&`.
fn merge_fix(ctx: &RuleContext<'_>, idx: usize, family: &Family, refresh: &str) -> Option<Fix> {
    let instructions = ctx.file.instructions();
    let lone = instructions.get(idx)?;
    if !lone.heredocs.is_empty() || refresh.contains(['\n', '#', '\\']) {
        return None;
    }
    let stage = ctx.model.stage_of(idx)?;
    let (_, next) = stage.instructions(ctx.file).filter(|(i, _)| *i > idx).find(|(_, instruction)| {
        instruction.kind == InstructionKind::Run
            && instruction.shell.as_deref().is_some_and(|shell| {
                shell.commands().iter().any(|c| shell_commands::is_invocation(c, family.programs, family.installs))
            })
    })?;
    let shell = next.shell.as_deref()?;
    if shell.mode() != bulkhead_syntax::ShellMode::CommandLine {
        return None;
    }
    let rest = next.rest.as_ref()?;
    let refresh = refresh.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(Fix::unsafe_(
        "Merge into the next installing `RUN`",
        vec![util_edit::delete_instruction(ctx.file, lone), Edit::insert(rest.range.start, format!("{refresh} && "))],
    ))
}
