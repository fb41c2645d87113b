//! BH916 chown-after-copy: `RUN chown` on files a `COPY` just wrote, which stores them twice.

use bulkhead_syntax::{InstructionKind, ShellCommand};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::{util, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH916",
    name: "chown-after-copy",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `--chown` on the `COPY`, delete the `chown` (or its `RUN`)",
        decision: "",
    }),
    aliases: &[],
    summary: "`RUN chown` on the destination of an earlier `COPY`/`ADD` stores every copied file twice; use `COPY --chown`.",
    doc: r#"
## What it does
Checks `RUN chown <owner> <path>` against the `COPY` and `ADD` instructions earlier in the same stage:
when the path is the destination of a `COPY`/`ADD` that has no `--chown` (relative paths are resolved
against the stage's literal `WORKDIR`), the `chown` is reported.

## Why it matters
Image layers record whole files: changing the owner of a file that an earlier layer added copies the
whole file into the new layer. `COPY . /app` followed by `RUN chown -R app:app /app` stores the
application twice, doubling the layer size and the pull time. `COPY --chown=app:app . /app` writes the
files with the right owner in one layer. Consider also whether the app needs to own its code at all:
files owned by root and readable by the app cannot be rewritten by an attacker who takes over the process.

## Example
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY . .
RUN chown -R node:node /app
USER node
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY --chown=node:node . .
USER node
```

## Fix
"Use `COPY --chown`" (unsafe) adds `--chown=<owner>` to the matching `COPY`/`ADD` instructions and
removes the `chown` command (or the whole `RUN` when it held nothing else). It is unsafe because
`chown -R` also changes files that other steps created under the path, and the folders above the
destination; it is offered only when no `RUN` sits between the copy and the `chown`, the `chown`
names a single path, and its only options are `-R`, `-h` or `-v`.

## How to silence
`# bulkhead ignore=BH916` on the line before the `RUN`, or `ignore = ["BH916"]` in `.bulkhead.toml`.

## References
- Docker docs: Dockerfile reference, `COPY --chown`
- Docker docs: "Best practices", minimizing the number of layers and their size
"#,
    check: Check::File(check),
};

/// A `COPY`/`ADD` of the stage without `--chown`, with its resolved destination.
struct Copy {
    idx: usize,
    dest: String,
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    for stage in &ctx.model.stages {
        // The base image's working directory is unknown until the stage sets one.
        let mut workdir: Option<String> = None;
        let mut copies: Vec<Copy> = Vec::new();
        let mut last_run: Option<usize> = None;
        for (idx, instruction) in stage.instructions(ctx.file) {
            match instruction.kind {
                InstructionKind::Workdir => {
                    let path = instruction.words.first().map(|w| w.value.as_str()).unwrap_or_default();
                    workdir = resolve(workdir.as_deref(), path);
                }
                InstructionKind::Copy | InstructionKind::Add if instruction.flag("chown").is_none() => {
                    let dest = instruction.arg_values().last().map(|w| w.value.as_str());
                    if let Some(dest) = dest.and_then(|d| resolve(workdir.as_deref(), d)) {
                        copies.push(Copy { idx, dest });
                    }
                }
                InstructionKind::Run => {
                    if let Some(shell) = instruction.shell.as_deref() {
                        for (cmd_idx, command) in shell.commands().iter().enumerate() {
                            let Some((owner, paths, plain)) = chown_of(command) else { continue };
                            for path in &paths {
                                let Some(path) = resolve(workdir.as_deref(), path) else { continue };
                                let matching: Vec<&Copy> = copies.iter().filter(|c| c.dest == path).collect();
                                let Some(first) = matching.first() else { continue };
                                let mut finding = Finding::new(
                                    shell.doc_range(command.range),
                                    format!(
                                        "`chown {owner} {path}` after `COPY` stores the copied files twice: use `COPY --chown={owner}`"
                                    ),
                                );
                                let no_run_between = last_run.is_none_or(|run| run < first.idx);
                                let removal = (plain && paths.len() == 1 && no_run_between)
                                    .then(|| {
                                        util_edit::remove_command(ctx.file, instruction, instruction, shell, cmd_idx)
                                    })
                                    .flatten();
                                if let Some(removal) = removal {
                                    let mut edits: Vec<Edit> = matching
                                        .iter()
                                        .filter_map(|c| instructions.get(c.idx))
                                        .map(|copy| Edit::insert(copy.keyword.range.end, format!(" --chown={owner}")))
                                        .collect();
                                    edits.push(removal);
                                    finding = finding.with_fix(Fix::unsafe_("Use `COPY --chown`", edits));
                                }
                                out.push(finding);
                            }
                        }
                    }
                    last_run = Some(idx);
                }
                _ => {}
            }
        }
    }
}

/// `chown [-R] owner path...`: the literal owner, the paths, and whether the options are all plain
/// (`-R`, `-h`, `-v` and their long forms).
fn chown_of(command: &ShellCommand) -> Option<(String, Vec<String>, bool)> {
    if command.program() != Some("chown") {
        return None;
    }
    let mut plain = true;
    let mut operands = Vec::new();
    for arg in &command.args {
        let value = arg.value.as_deref()?;
        if value.starts_with('-') {
            plain &=
                matches!(value, "-R" | "-h" | "-v" | "-Rv" | "-Rh" | "--recursive" | "--no-dereference" | "--verbose");
            continue;
        }
        if value.contains(['$', '*', '?']) {
            return None;
        }
        operands.push(value.to_owned());
    }
    let (owner, paths) = operands.split_first()?;
    if paths.is_empty() || owner.starts_with("--reference") {
        return None;
    }
    Some((owner.clone(), paths.to_vec(), plain))
}

/// `path` resolved against `workdir`, normalised without a trailing `/`; `None` when it holds a variable
/// or the working directory is unknown.
fn resolve(workdir: Option<&str>, path: &str) -> Option<String> {
    if path.contains('$') || path.is_empty() {
        return None;
    }
    let joined = if path.starts_with('/') { path.to_owned() } else { format!("{}/{path}", workdir?) };
    Some(util::normalize_path(&joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths() {
        assert_eq!(resolve(Some("/app"), ".").as_deref(), Some("/app"));
        assert_eq!(resolve(Some("/app"), "./src/").as_deref(), Some("/app/src"));
        assert_eq!(resolve(None, "/srv/").as_deref(), Some("/srv"));
        assert_eq!(resolve(None, "src"), None);
        assert_eq!(resolve(Some("/"), "$HOME"), None);
    }
}
