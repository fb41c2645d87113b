//! Helpers shared by rules: finding instructions, commands and insertion points.

use bulkhead_syntax::{Instruction, InstructionKind, ShellCommand, ShellScript};

use crate::model::Stage;
use crate::rule::RuleContext;

/// Instructions of a stage (`FROM` excluded) with their indices.
pub fn stage_instructions<'a>(
    ctx: &'a RuleContext<'_>,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let instructions = ctx.file.instructions();
    stage.body().filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
}

/// Every `RUN` of the file with its shell, `ONBUILD RUN` triggers included.
pub fn runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, &'a ShellScript)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(|(idx, instruction)| {
        let run = match instruction.kind {
            InstructionKind::Run => instruction,
            InstructionKind::Onbuild => instruction.trigger.as_deref().filter(|t| t.kind == InstructionKind::Run)?,
            _ => return None,
        };
        Some((idx, run, run.shell.as_deref()?))
    })
}

/// True when the `RUN` has a `--mount=type=cache` (or tmpfs) mount on one of `targets` or on a folder
/// that holds it (a mount on `/root/.cache` covers `/root/.cache/pip`; one on `/var/cache/apk/x` does not
/// cover `/var/cache/apk`).
pub fn has_cache_mount(run: &Instruction, targets: &[&str]) -> bool {
    run.flags_named("mount").any(|flag| {
        let Some(value) = &flag.value else { return false };
        let mut kind = "";
        let mut target = "";
        for part in value.value.split(',') {
            let (key, val) = part.split_once('=').unwrap_or((part, ""));
            match key.trim() {
                "type" => kind = val.trim(),
                "target" | "dst" | "destination" => target = val.trim(),
                _ => {}
            }
        }
        if !(kind == "cache" || kind == "tmpfs") || target.is_empty() {
            return false;
        }
        let target = target.trim_end_matches('/');
        targets.iter().any(|t| {
            let t = t.trim_end_matches('/');
            t.strip_prefix(target).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    })
}

/// The subcommand of a package manager invocation: the first literal argument that is not an option or
/// the value of one (`apt-get -o Dpkg::Options::=--force-confold install`, `apk -X <url> add`).
pub fn subcommand(command: &ShellCommand) -> Option<&str> {
    let takes_value: &[&str] = match command.program() {
        Some("apt-get" | "apt" | "apt-cache") => {
            &["-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release"]
        }
        Some("apk") => {
            &["-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--cache-dir", "--repositories-file"]
        }
        Some("dnf" | "yum" | "microdnf" | "tdnf") => {
            &["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude"]
        }
        Some("zypper") => &["--root", "-R", "--config", "-c"],
        _ => &[],
    };
    let mut skip_next = false;
    for arg in &command.args {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        // Non-literal words (`$APT_OPTS`) are skipped, as options usually are.
        let Some(value) = arg.value.as_deref() else { continue };
        if value.starts_with('-') {
            skip_next = takes_value.contains(&value);
            continue;
        }
        return Some(value);
    }
    None
}

/// True when a command is `program` (by base name) running `sub`.
pub fn is_invocation(command: &ShellCommand, programs: &[&str], sub: &[&str]) -> bool {
    command.program().is_some_and(|p| programs.contains(&p)) && subcommand(command).is_some_and(|s| sub.contains(&s))
}

/// A user the stage (or its `FROM` ancestors) creates with `useradd`/`adduser`, by literal name.
pub fn created_user(ctx: &RuleContext<'_>, stage: &Stage) -> Option<String> {
    for (stage, limit) in ctx.model.ancestry(stage, stage.end) {
        let instructions = ctx.file.instructions().get(stage.from + 1..limit).unwrap_or_default();
        for instruction in instructions.iter().rev() {
            let Some(shell) = instruction.shell.as_deref() else { continue };
            for command in shell.commands().iter().rev() {
                if matches!(command.program(), Some("useradd" | "adduser")) {
                    // The user name is the last literal argument that is not an option or its value.
                    let args: Vec<&str> = command.arg_values().collect();
                    if let Some(name) = args.last().filter(|a| !a.starts_with('-') && !a.contains('$')) {
                        return Some((*name).to_owned());
                    }
                }
            }
        }
    }
    None
}

/// True for an absolute path: `/x`, or on Windows `C:\x`, `C:/x` and `\x`.
pub fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), Some(b'\\' | b'/'));
    path.starts_with('/') || path.starts_with('\\') || drive
}

/// The path of a `WORKDIR`, quotes removed and variables expanded as instruction `at` sees them; `None`
/// when a variable's value is not known.
pub fn workdir_path(ctx: &RuleContext<'_>, at: usize, workdir: &Instruction) -> Option<String> {
    let rest = workdir.rest.as_ref()?;
    let raw = rest.value.trim();
    let unquoted =
        ['"', '\''].iter().find_map(|q| raw.strip_prefix(*q).and_then(|v| v.strip_suffix(*q))).unwrap_or(raw);
    ctx.model.expand_at(at, unquoted)
}

/// The `WORKDIR`s in force before instruction `at` of `stage`: those of the stage before `at`, then
/// those of its `FROM <stage>` ancestors, nearest first, with their indices.
pub fn workdirs_before<'a>(
    ctx: &'a RuleContext<'_>,
    stage: &'a Stage,
    at: usize,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let instructions = ctx.file.instructions();
    ctx.model.ancestry(stage, at).into_iter().flat_map(move |(stage, limit)| {
        (stage.from + 1..limit.min(stage.end))
            .rev()
            .filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
            .filter(|(_, i)| i.kind == InstructionKind::Workdir)
    })
}

/// Every instruction of `kind` with its index, `ONBUILD` triggers included (with the `ONBUILD`'s index).
pub fn instructions_of<'a>(
    ctx: &'a RuleContext<'_>,
    kind: InstructionKind,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(move |(idx, instruction)| {
        let target = match instruction.kind {
            InstructionKind::Onbuild => instruction.trigger.as_deref()?,
            _ => instruction,
        };
        (target.kind == kind).then_some((idx, target))
    })
}

/// The exec-form `SHELL` in force at instruction `at` (the stage before `at`, then its `FROM`
/// ancestors), as its words; `None` when the stage runs the default shell.
pub fn shell_at<'a>(ctx: &'a RuleContext<'_>, stage: &'a Stage, at: usize) -> Option<&'a [bulkhead_syntax::Word]> {
    let instructions = ctx.file.instructions();
    ctx.model.ancestry(stage, at).into_iter().find_map(|(stage, limit)| {
        (stage.from + 1..limit.min(stage.end))
            .rev()
            .filter_map(|idx| instructions.get(idx))
            .find(|i| i.kind == InstructionKind::Shell)
            .and_then(|i| i.json.as_deref())
    })
}

/// Keyword text in the case the file wrote `like` in: `workdir` after a lower-case `run`.
pub fn keyword_like(like: &Instruction, keyword: &str) -> String {
    if like.keyword.raw.chars().all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_owned()
    }
}
