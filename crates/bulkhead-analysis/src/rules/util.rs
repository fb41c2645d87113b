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

/// True when a literal argument is a cluster of one-letter options (`-fsSL`) that holds `letter`.
/// Options with a glued value (`-oFoo=bar`) and long options do not count.
pub fn has_short_flag(command: &ShellCommand, letter: char) -> bool {
    command.arg_values().any(|arg| is_short_cluster_with(arg, letter))
}

/// `-fsSLk` holds `k`; `--insecure` and `-o=x` hold nothing.
pub fn is_short_cluster_with(arg: &str, letter: char) -> bool {
    arg.strip_prefix('-').is_some_and(|flags| {
        !flags.is_empty() && flags.chars().all(|c| c.is_ascii_alphanumeric()) && flags.contains(letter)
    })
}

/// True when instruction `idx` belongs to a stage whose files reach the final image (the final stage and
/// the stages it is built `FROM`).
pub fn in_final_lineage(ctx: &RuleContext<'_>, idx: usize) -> bool {
    let lineage = ctx.model.final_lineage();
    ctx.model.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index))
}

/// `apt-get install -s` (and its synonyms) only prints what would happen; `-d` only downloads.
pub fn simulates(command: &ShellCommand) -> bool {
    command.arg_values().any(|arg| {
        matches!(arg, "--simulate" | "--just-print" | "--dry-run" | "--recon" | "--no-act" | "--download-only")
            || arg.strip_prefix('-').is_some_and(|flags| {
                // A cluster of one-letter flags (`-sy`), not an option with a glued value (`-oFoo=bar`).
                !flags.starts_with(['-', 'o', 'c', 't', 'a'])
                    && flags.bytes().all(|b| b.is_ascii_lowercase())
                    && flags.contains(['s', 'd'])
            })
    })
}

/// True when the program is a Python interpreter running `-m pip`, or `pip`, `pip3`, `pip3.12`.
pub fn is_pip(command: &ShellCommand) -> bool {
    let Some(program) = command.program() else { return false };
    let versioned = |name: &str| {
        program
            .strip_prefix(name)
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !v.starts_with('.'))
    };
    if versioned("pip") {
        return true;
    }
    versioned("python") && {
        let mut args = command.arg_values();
        args.any(|a| a == "-m") && args.next() == Some("pip") || command.has_arg("-mpip")
    }
}

/// A `key=value` setting given on a command line through an option such as apt's `-o` or dnf's `--setopt`:
/// the index of its first argument, how many arguments it spans, and the setting.
pub struct OptionSetting {
    pub arg_idx: usize,
    pub n_args: usize,
    pub key: String,
    pub value: String,
}

/// Every literal setting of `command` given with one of `options` (`-o`, `--option`, `--setopt`), in the
/// forms `-o k=v`, `-ok=v` (one-letter options only) and `--setopt=k=v`.
pub fn option_settings(command: &ShellCommand, options: &[&str]) -> Vec<OptionSetting> {
    let mut res = Vec::new();
    let args = &command.args;
    for (arg_idx, arg) in args.iter().enumerate() {
        let Some(value) = arg.value.as_deref() else { continue };
        let (setting, n_args) = if options.contains(&value) {
            let Some(next) = args.get(arg_idx + 1).and_then(|a| a.value.as_deref()) else { continue };
            (next, 2)
        } else if let Some(setting) = options.iter().find_map(|option| {
            let rest = value.strip_prefix(option)?;
            if option.starts_with("--") { rest.strip_prefix('=') } else { Some(rest).filter(|r| !r.is_empty()) }
        }) {
            (setting, 1)
        } else {
            continue;
        };
        let Some((key, val)) = setting.split_once('=') else { continue };
        res.push(OptionSetting { arg_idx, n_args, key: key.trim().to_owned(), value: val.trim().to_owned() });
    }
    res
}

/// True for a value that switches a setting off: `false`, `0`, `no`, `off` (any case).
pub fn is_false(value: &str) -> bool {
    matches!(value.trim().trim_matches(['"', '\'']).to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
}

/// True for a value that switches a setting on: `true`, `1`, `yes`, `on` (any case).
pub fn is_true(value: &str) -> bool {
    matches!(value.trim().trim_matches(['"', '\'']).to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}
