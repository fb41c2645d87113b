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
    stage
        .body()
        .filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
}

/// Every `RUN` of the file with its shell, `ONBUILD RUN` triggers included.
pub fn runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, &'a ShellScript)> + 'a {
    ctx.file
        .instructions()
        .iter()
        .enumerate()
        .filter_map(|(idx, instruction)| {
            let run = match instruction.kind {
                InstructionKind::Run => instruction,
                InstructionKind::Onbuild => instruction
                    .trigger
                    .as_deref()
                    .filter(|t| t.kind == InstructionKind::Run)?,
                _ => return None,
            };
            Some((idx, run, run.shell.as_deref()?))
        })
}

/// True when the `RUN` has a `--mount=type=cache` (or tmpfs) mount on `target` or under it.
pub fn has_cache_mount(run: &Instruction, targets: &[&str]) -> bool {
    run.flags_named("mount").any(|flag| {
        let Some(value) = &flag.value else {
            return false;
        };
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
        (kind == "cache" || kind == "tmpfs")
            && targets
                .iter()
                .any(|t| target.trim_end_matches('/') == t.trim_end_matches('/') || target.starts_with(t))
    })
}

/// The subcommand of a package manager invocation: the first literal argument that is not an option.
pub fn subcommand(command: &ShellCommand) -> Option<&str> {
    command.arg_values().find(|arg| !arg.starts_with('-'))
}

/// True when a command is `program` (by base name) running `sub`.
#[allow(dead_code)] // For the rules being written; keeps `clippy -D warnings` green until one uses it.
pub fn is_invocation(command: &ShellCommand, programs: &[&str], sub: &[&str]) -> bool {
    command.program().is_some_and(|p| programs.contains(&p)) && subcommand(command).is_some_and(|s| sub.contains(&s))
}

/// A user the stage (or its `FROM` ancestors) creates with `useradd`/`adduser`, by literal name.
pub fn created_user(ctx: &RuleContext<'_>, stage: &Stage) -> Option<String> {
    let mut current = Some(stage);
    let mut seen = 0;
    while let Some(stage) = current {
        for (_, instruction) in stage_instructions(ctx, stage).collect::<Vec<_>>().into_iter().rev() {
            let Some(shell) = instruction.shell.as_deref() else {
                continue;
            };
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
        seen += 1;
        current = match stage.base {
            crate::model::Base::Stage(parent) if parent < stage.index && seen <= ctx.model.stages.len() => {
                ctx.model.stages.get(parent)
            }
            _ => None,
        };
    }
    None
}
