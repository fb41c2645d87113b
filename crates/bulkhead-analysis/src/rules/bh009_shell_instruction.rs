//! BH009 shell-instruction: `RUN ln -s /bin/bash /bin/sh` replaces the system shell instead of using `SHELL`.

use bulkhead_syntax::{ShellMode, ShellOperator, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::{util, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH009",
    name: "shell-instruction",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `RUN ln -sf /bin/bash /bin/sh` → `SHELL [\"/bin/bash\",\"-c\"]`",
        decision: "",
    }),
    aliases: &["DL4005", "use-shell-instruction"],
    summary: "`RUN ln -s ... /bin/sh` swaps the image's `/bin/sh`; `SHELL` changes the build's shell instead.",
    doc: r#"
## What it does
Checks `RUN` (also `ONBUILD RUN`) for `ln -s <shell> /bin/sh` (any `-s` option combination, such as
`ln -sf`), the old trick for running later `RUN`s with bash.

## Why it matters
The symlink changes `/bin/sh` for everything in the image, not just the build: every script, cron job,
`system()` call and package maintainer script that expects a POSIX `sh` (dash, BusyBox ash) now gets
bash, with different behaviour, and a package upgrade can silently restore the original link. `SHELL`
changes only the shell Docker uses for `RUN` (and shell-form `CMD`/`ENTRYPOINT`), is visible in the
Dockerfile, and leaves the system's `/bin/sh` alone.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN ln -sf /bin/bash /bin/sh
RUN source /etc/profile && env
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-c"]
RUN source /etc/profile && env
```

## Fix
"Use `SHELL [\"/bin/bash\", \"-c\"]`" (unsafe) replaces a `RUN` that only makes the link with a `SHELL`
instruction, or, when the link is the first command of a longer `&&` chain, inserts the `SHELL` before
the `RUN` and removes `ln ... &&`. Unsafe because programs that call `/bin/sh` at run time get the
original shell back. Not offered in `ONBUILD` or when comments sit inside the removed text.

## How to silence
`# bulkhead ignore=BH009` on the line before the `RUN`, or `ignore = ["BH009"]` in `.bulkhead.toml`.
`# hadolint ignore=DL4005` works too.

## References
- Docker docs: Dockerfile reference, `SHELL`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, shell) in shell_commands::runs(ctx) {
        let commands = shell.commands();
        for (cmd_idx, command) in commands.iter().enumerate() {
            if command.program() != Some("ln") {
                continue;
            }
            let args: Vec<&str> = command.arg_values().collect();
            let symbolic = args
                .iter()
                .any(|a| *a == "--symbolic" || a.starts_with('-') && !a.starts_with("--") && a.contains('s'));
            let operands: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
            let ([source, "/bin/sh"], true) = (operands.as_slice(), symbolic) else { continue };
            let range = shell.doc_range(command.range);
            let mut finding = Finding::new(
                range,
                format!("`ln` makes `{source}` the image's `/bin/sh`: use `SHELL` to change the shell of `RUN`"),
            );
            let shell_path = if source.starts_with('/') { (*source).to_owned() } else { format!("/bin/{source}") };
            let array = util_edit::json_array(&[shell_path.as_str(), "-c"]);
            let title = format!("Use `SHELL {array}`");
            let line = format!("{} {array}", util::keyword_cased(ctx.file, "SHELL"));
            let top = ctx.file.instructions().get(idx).filter(|top| top.trigger.is_none());
            let leading = shell.source().len() - shell.source().trim_start().len();
            let fixable = shell.mode() == ShellMode::CommandLine
                && cmd_idx == 0
                && command.range.start == leading
                && !source.contains(['$', ' ', '"', '\\']);
            let alone = commands.len() == 1
                && shell.text(TextRange::new(command.range.end, shell.source().len())).trim().is_empty();
            let fix = match (top, commands.get(1)) {
                (Some(top), _) if fixable && alone => Some(Fix::unsafe_(title, vec![Edit::replace(top.range, line)])),
                (Some(top), Some(next)) if fixable && next.operator == Some(ShellOperator::And) => {
                    let delete = TextRange::new(range.start, shell.doc_range(next.range).start);
                    let has_comment = ctx.file.comments().iter().any(|c| delete.contains_range(c.range));
                    let insert = util_edit::insert_lines_before(ctx.file, top, &[line]);
                    (!has_comment).then(|| Fix::unsafe_(title, vec![insert, Edit::delete(delete)]))
                }
                _ => None,
            };
            if let Some(fix) = fix {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}
