//! BH906 apt-no-install-recommends: `apt-get install` also installs recommended packages.

use bulkhead_syntax::{InstructionKind, ShellCommand, ShellWord, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::{shell_commands, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH906",
    name: "apt-no-install-recommends",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: `--no-install-recommends` after `apt-get install`", decision: "" }),
    aliases: &["DL3015", "DS-0029", "DS029"],
    summary: "`apt-get install` without `--no-install-recommends` installs packages nobody asked for.",
    doc: r#"
## What it does
Checks `apt-get install` and `apt install` in `RUN` for `--no-install-recommends` (or the equivalent
`-o APT::Install-Recommends=false`). Simulated (`-s`) and download-only (`-d`) runs install nothing and
are not checked. An earlier `RUN` of the stage that writes `APT::Install-Recommends`
into apt's configuration (`/etc/apt/apt.conf.d/`) exempts the stage. Only the stages that end up in
the final image are checked, as in BH901: extra packages in a build stage whose files are only copied
from cost build time, not a larger or more exposed image. An exec-form `RUN ["apt-get", "install", "-y",
"curl"]` is checked too: its strings are the command's words (no shell), and the fix adds
`"--no-install-recommends"` to the array.

## Why it matters
By default apt also installs every package the requested ones "recommend": documentation tools, extra
libraries, sometimes whole toolchains (installing `git` pulls in `openssh-client`, `less` and Perl
modules). Each extra package is more code to patch and more tools for an attacker, and often doubles the
size of the layer.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Fix
"Add `--no-install-recommends`" (unsafe) inserts the flag right after `install`. It is unsafe because
the build or the app may rely on a recommended package (`ca-certificates` for HTTPS with `curl` is the
classic one): add those packages by name. Not offered when the command says
`-o APT::Install-Recommends=true` itself: that is a deliberate choice on the same line, which the flag
would not override; remove the option by hand if recommends are not needed.

## How to silence
`# bulkhead ignore=BH906` on the line before the `RUN`, or `ignore = ["BH906"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3015` works too.

## References
- Docker docs: Dockerfile best practices, "apt-get"
- Debian: `apt.conf(5)`, `APT::Install-Recommends`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, shell) in shell_commands::runs(ctx) {
        if !ctx.model.in_final_lineage(idx) {
            continue;
        }
        if configured_before(ctx, idx) {
            continue;
        }
        for command in shell.commands() {
            out.extend(finding(command, shell.doc_range(command.range), |install| {
                Edit::insert(shell.doc_range(install.range).end, " --no-install-recommends")
            }));
        }
    }
    // Exec form (`RUN ["apt-get", "install", "-y", "curl"]`): the same command, run without a shell.
    for (idx, _, command) in shell_commands::exec_runs(ctx) {
        if ctx.model.in_final_lineage(idx) && !configured_before(ctx, idx) {
            out.extend(finding(&command, command.range, |install| {
                util_edit::insert_exec_arg(install, "--no-install-recommends")
            }));
        }
    }
}

/// The finding for `command` when it is an `apt-get install` (or `apt install`) without
/// `--no-install-recommends`, at `range`; `insert` adds the option after the `install` word.
fn finding(command: &ShellCommand, range: TextRange, insert: impl FnOnce(&ShellWord) -> Edit) -> Option<Finding> {
    if !shell_commands::is_invocation(command, &["apt-get", "apt"], &["install"]) {
        return None;
    }
    let setting = recommends_setting(command);
    if setting == Some(false) || shell_commands::simulates(command) {
        return None;
    }
    let install = command.args.iter().find(|a| a.value.as_deref() == Some("install"))?;
    let program = command.program().unwrap_or("apt-get");
    let finding = Finding::new(
        range,
        format!("`{program} install` without `--no-install-recommends` also installs recommended packages"),
    );
    // An explicit `-o APT::Install-Recommends=true` comes later on the line and would win.
    Some(match setting {
        None => finding.with_fix(Fix::unsafe_("Add `--no-install-recommends`", vec![insert(install)])),
        Some(_) => finding,
    })
}

/// The last setting of recommends on the command line: `Some(false)` for `--no-install-recommends` or
/// `-o APT::Install-Recommends=false` (also `-oAPT::...`, `--option=...`), `Some(true)` for `=true` or
/// `--install-recommends`.
fn recommends_setting(command: &ShellCommand) -> Option<bool> {
    let mut res = None;
    let mut values = command.arg_values().peekable();
    while let Some(value) = values.next() {
        match value {
            "--no-install-recommends" => res = Some(false),
            "--install-recommends" => res = Some(true),
            _ => {}
        }
        let setting = match value {
            "-o" | "--option" => values.peek().copied(),
            v => v.strip_prefix("--option=").or_else(|| v.strip_prefix("-o")),
        };
        if let Some((key, val)) = setting.and_then(|s| s.split_once('='))
            && key.eq_ignore_ascii_case("APT::Install-Recommends")
        {
            res = Some(!matches!(val.to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off"));
        }
    }
    res
}

/// True when a `RUN` before `at` in its stage (or the stages it is built `FROM`) writes an apt setting
/// about recommends (`echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/...`).
fn configured_before(ctx: &RuleContext<'_>, at: usize) -> bool {
    let instructions = ctx.file.instructions();
    let Some(stage) = ctx.model.stage_of(at) else { return false };
    ctx.model.ancestry(stage, at).into_iter().any(|(stage, limit)| {
        instructions.get(stage.from + 1..limit).unwrap_or_default().iter().any(|instruction| {
            let text = instruction.logical_text();
            instruction.kind == InstructionKind::Run && text.contains("Install-Recommends") && text.contains("apt.conf")
        })
    })
}
