//! BH022 shellcheck: a small, honest subset of ShellCheck on `RUN`: a `cd` whose failure is ignored.

use bulkhead_syntax::{InstructionKind, ShellOperator};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH022",
    name: "shellcheck",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["SC2164"],
    summary: "A `cd` in `RUN` whose failure is ignored, so the next commands run in the wrong directory (off by default).",
    doc: r#"
## What it does
This is not ShellCheck. bulkhead parses the shell of every `RUN` (heredoc scripts and `ONBUILD RUN`
included) but implements only one ShellCheck check, SC2164: a `cd` followed by another command with
`;` or a new line instead of `&&` (or `||`), in a script that did not run `set -e` before it and in a
stage whose `SHELL` has no `-e`. For the full set, run ShellCheck itself (hadolint embeds it). The rule
is off by default.

## Why it matters
`RUN` uses `/bin/sh -c` without `-e`: when `cd /src/app` fails (a typo, a folder the `COPY` did not
create), the shell carries on in the old directory, and `rm -rf *` or `make install` run somewhere
else. The step may even succeed, producing an image built from the wrong files.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN cd /src/app; make install
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
WORKDIR /src/app
RUN make install
```

## How to silence
`# bulkhead ignore=BH022` on the line before the `RUN`, or leave the rule off (the default).
`# hadolint ignore=SC2164` works too.

## References
- ShellCheck SC2164: "Use `cd ... || exit` in case cd fails"
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, shell) in shell_commands::runs(ctx) {
        if errexit_shell(ctx, idx) {
            continue;
        }
        let commands = shell.commands();
        let mut errexit = false;
        for (pos, command) in commands.iter().enumerate() {
            if command.program() == Some("set")
                && command
                    .arg_values()
                    .any(|a| (a.starts_with('-') && !a.starts_with("--") && a.contains('e')) || a == "errexit")
            {
                errexit = true;
            }
            if errexit || command.program() != Some("cd") {
                continue;
            }
            let Some(next) = commands.get(pos + 1) else { continue };
            if next.operator != Some(ShellOperator::Sequence) {
                continue;
            }
            out.push(Finding::new(
                shell.doc_range(command.range),
                "`cd` is followed by `;` or a new line: if it fails, the next commands run in the wrong directory (SC2164)",
            ));
        }
    }
}

/// True when the stage's `SHELL` before instruction `idx` runs with `-e`.
fn errexit_shell(ctx: &RuleContext<'_>, idx: usize) -> bool {
    let Some(stage) = ctx.model.stage_of(idx) else { return false };
    let instructions = ctx.file.instructions();
    let shell =
        (stage.from + 1..idx).rev().filter_map(|i| instructions.get(i)).find(|i| i.kind == InstructionKind::Shell);
    shell.and_then(|s| s.json.as_ref()).is_some_and(|args| {
        args.iter().any(|a| a.value.starts_with('-') && !a.value.starts_with("--") && a.value.contains('e'))
    })
}
