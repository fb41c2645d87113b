//! BH918 wget-no-progress: `wget` prints a progress bar line by line into the build log.

use bulkhead_syntax::ShellCommand;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::Distro;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH918",
    name: "wget-no-progress",
    practice: Practice::PackageHygiene,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan {
        planned: "safe: add `--progress=dot:giga`",
        decision: "unsafe on Alpine/BusyBox, whose wget does not know the option",
    }),
    aliases: &["DL3047"],
    summary: "`wget` without `--progress`, `-q` or `-nv` floods the build log with progress lines.",
    doc: r#"
## What it does
Checks `wget` in `RUN` for an option that controls its output: `--progress=...`, `-q`/`--quiet`,
`-nv`/`--no-verbose`, or a log file (`-o`, `-a`). Off by default: it is about log size, not security.

## Why it matters
Without a terminal, GNU wget prints its progress as dots, one line per few kilobytes: a large download
adds thousands of lines to the build log, which hides the lines that matter and can hit CI log limits.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN wget https://example.com/big.tar.gz
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN wget --progress=dot:giga https://example.com/big.tar.gz
```

## Fix
"Add `--progress=dot:giga`" inserts the option after `wget`. It is safe on Debian, Ubuntu, RHEL-family
and SUSE stages, whose wget is GNU wget. Elsewhere it is unsafe: BusyBox wget (Alpine, BusyBox images)
does not know `--progress` and the step would fail; use `-q` there.

## How to silence
`# bulkhead ignore=BH918` on the line before the `RUN`, or leave the rule off (the default).
`# hadolint ignore=DL3047` works too.

## References
- GNU wget manual: `--progress`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, shell) in shell_commands::runs(ctx) {
        let gnu = ctx
            .model
            .stage_of(idx)
            .is_some_and(|stage| matches!(stage.distro, Distro::Debian | Distro::Ubuntu | Distro::Rhel | Distro::Suse));
        for command in shell.commands() {
            if command.program() != Some("wget") || controls_output(command) {
                continue;
            }
            let Some(name) = command.name.as_ref() else { continue };
            let edit = Edit::insert(shell.doc_range(name.range).end, " --progress=dot:giga");
            let title = "Add `--progress=dot:giga`";
            let fix = if gnu { Fix::safe(title, vec![edit]) } else { Fix::unsafe_(title, vec![edit]) };
            out.push(
                Finding::new(shell.doc_range(command.range), "`wget` without `--progress` or `-q` fills the build log")
                    .with_fix(fix),
            );
        }
    }
}

fn controls_output(command: &ShellCommand) -> bool {
    command.arg_values().any(|arg| {
        arg.starts_with("--progress")
            || arg.starts_with("--output-file")
            || arg.starts_with("--append-output")
            || matches!(arg, "--quiet" | "--no-verbose" | "-nv" | "--help" | "--version" | "-V")
            // One-letter clusters up to the first letter that takes a value: `-q`, `-qO-`, `-o log`.
            || arg.strip_prefix('-').is_some_and(|flags| {
                !flags.starts_with('-') && flags.chars().take_while(|c| c.is_ascii_alphabetic()).any(|c| matches!(c, 'q' | 'o' | 'a'))
            })
    })
}
