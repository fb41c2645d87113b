//! BH904 pip-missing-no-cache-dir: `pip install` keeps its download cache in the image.

use bulkhead_syntax::{Instruction, MountType, ShellCommand, ShellScript, ShellWord};

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH904",
    name: "pip-missing-no-cache-dir",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan { planned: "safe: `--no-cache-dir` after `pip install`", decision: "" }),
    aliases: &["DL3042"],
    summary: "`pip install` without `--no-cache-dir` leaves pip's download cache in the image.",
    doc: r#"
## What it does
Checks `pip install`, `pip3 install`, `pip3.12 install` and `python -m pip install` (any `python`,
`python3`, `python3.12`) in `RUN` for `--no-cache-dir`. An exec-form `RUN ["pip", "install", "flask"]`
is checked too, and its fix adds `"--no-cache-dir"` to the array.

These exempt the command: `PIP_NO_CACHE_DIR` set by an earlier `ENV` or `ARG` of the stage (or of the
stages it is built `FROM`), `PIP_NO_CACHE_DIR=1 pip install ...` on the command itself, `export
PIP_NO_CACHE_DIR=1` earlier in the same `RUN` (without `export` pip does not see it), and a
`RUN --mount=type=cache` on pip's cache (`/root/.cache/pip`, `/root/.cache`, or another user's
`~/.cache`).

## Why it matters
pip keeps every wheel and source archive it downloads in `~/.cache/pip`. In an image that cache is dead
weight, often hundreds of megabytes for scientific stacks, copied to every host that pulls the image, and
a second copy of code that scanners then report twice.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```

## Fix
"Add `--no-cache-dir`" (safe) inserts the flag right after `install`. It changes only where pip keeps
downloads, not what it installs.

## How to silence
`# bulkhead ignore=BH904` on the line before the `RUN`, set `ENV PIP_NO_CACHE_DIR=1` once in the stage,
or mount a cache: `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`.
`# hadolint ignore=DL3042` works too.

## References
- pip documentation: Caching, `--no-cache-dir`, `PIP_NO_CACHE_DIR`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, run, commands) in shell_commands::all_runs(ctx) {
        if has_pip_cache_mount(run) || env_disables_cache(ctx, idx) {
            continue;
        }
        for command in commands.commands() {
            let Some(install) = pip_install(command) else { continue };
            if command.arg_values().any(|a| a == "--no-cache-dir" || a == "--no-cache") {
                continue;
            }
            if command.env.iter().any(|(name, value)| name == "PIP_NO_CACHE_DIR" && disables(value)) {
                continue;
            }
            if commands.shell().is_some_and(|shell| exported_before(shell, command)) {
                continue;
            }
            let insert = commands.insert_after(install, "--no-cache-dir");
            out.push(
                Finding::new(
                    commands.doc_range(command.range),
                    "`pip install` without `--no-cache-dir` keeps pip's download cache in the image",
                )
                .with_fix(Fix::safe("Add `--no-cache-dir`", vec![insert])),
            );
        }
    }
}

/// The `install` word of `pip install ...` or `python -m pip install ...`.
fn pip_install(command: &ShellCommand) -> Option<&ShellWord> {
    let program = command.program()?;
    let mut args = command.args.iter();
    if is_versioned(program, "python") {
        // Interpreter options before `-m pip` take no value, except `-X` and `-W`.
        loop {
            let value = args.next()?.value.as_deref()?;
            match value {
                "-m" => break,
                "-mpip" => return install_word(args),
                "-X" | "-W" => {
                    args.next()?;
                }
                v if v.starts_with('-') => {}
                _ => return None,
            }
        }
        if args.next()?.value.as_deref()? != "pip" {
            return None;
        }
        return install_word(args);
    }
    if is_versioned(program, "pip") {
        return install_word(args);
    }
    None
}

/// The first non-option word among pip's arguments, when it is `install`.
fn install_word<'a>(mut args: impl Iterator<Item = &'a ShellWord>) -> Option<&'a ShellWord> {
    let word = args.find(|arg| arg.value.as_deref().is_none_or(|v| !v.starts_with('-')))?;
    (word.value.as_deref() == Some("install")).then_some(word)
}

/// `pip`, `pip3`, `pip3.12` (with `name` = "pip").
fn is_versioned(program: &str, name: &str) -> bool {
    program
        .strip_prefix(name)
        .is_some_and(|version| version.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !version.starts_with('.'))
}

/// A cache or tmpfs mount on pip's cache folder, or on a `.cache` folder that holds it.
fn has_pip_cache_mount(run: &Instruction) -> bool {
    if shell_commands::has_cache_mount(run, &["/root/.cache/pip"]) {
        return true;
    }
    run.mounts().any(|mount| {
        matches!(mount.kind(), MountType::Cache | MountType::Tmpfs)
            && mount.target().is_some_and(|target| {
                let target = target.trim_end_matches('/');
                target.ends_with("/.cache") || target.ends_with("/.cache/pip")
            })
    })
}

/// True when a value of `PIP_NO_CACHE_DIR` turns the cache off: any value but an empty or false one. A
/// value that is not literal counts as set.
/// `export PIP_NO_CACHE_DIR=1` earlier in the same `RUN`: pip, a child process, sees it. A plain
/// `PIP_NO_CACHE_DIR=1;` without `export` stays in the shell and does not count.
fn exported_before(shell: &ShellScript, command: &ShellCommand) -> bool {
    let source = shell.source();
    shell.assignments().iter().any(|(name, value)| {
        let before = source.get(..value.range.start).unwrap_or_default();
        let statement_start = before.rfind([';', '&', '|', '\n', '(', '{']).map_or(0, |pos| pos + 1);
        let statement = before.get(statement_start..).unwrap_or_default();
        name == "PIP_NO_CACHE_DIR"
            && value.range.start < command.range.start
            && disables(value)
            && statement.split_whitespace().next() == Some("export")
    })
}

fn disables(value: &ShellWord) -> bool {
    value.value.as_deref().is_none_or(is_truthy)
}

fn is_truthy(value: &str) -> bool {
    !matches!(value.trim().to_ascii_lowercase().as_str(), "" | "0" | "false" | "no" | "off")
}

/// True when an `ENV` or `ARG` declared earlier in the stage (or its `FROM` ancestors) sets
/// `PIP_NO_CACHE_DIR`.
fn env_disables_cache(ctx: &RuleContext<'_>, at: usize) -> bool {
    const NAME: &str = "PIP_NO_CACHE_DIR";
    let Some(stage) = ctx.model.stage_of(at) else { return false };
    ctx.model
        .ancestry(stage, at)
        .into_iter()
        .find_map(|(stage, limit)| stage.vars.iter().rev().find(|d| d.instruction < limit && d.name == NAME))
        // `ARG PIP_NO_CACHE_DIR` without a default: set by `--build-arg`, most likely to disable it.
        .is_some_and(|def| def.value.as_deref().is_none_or(is_truthy))
}
