//! BH706 chmod-world-writable: `chmod 777` (or `a+w`) on a path that ships in the image.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_layer;

pub(crate) const RULE: Rule = Rule {
    code: "BH706",
    name: "chmod-world-writable",
    practice: Practice::RuntimeHardening,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "`chmod 777` (or `o+w`) makes a path of the final image writable by every user.",
    doc: r#"
## What it does
Checks `chmod` in the `RUN`s of the final stage and the stages it is built `FROM` for a mode that lets every
user write: `777`, `0777`, `666`, `-R 777`, and symbolic modes that add `w` for others (`o+w`, `a+w`,
`a+rwx`, `ugo+rwx`, `+w` is not counted: it follows the umask).

Not flagged: a mode with the sticky bit (`1777`, `+t`), which is what shared folders such as `/tmp` and
`$GEM_HOME` in the official images use so that users cannot delete each other's files; `/tmp`, `/var/tmp`
and `/dev/shm`; a path the same `RUN` removes again before it ends (a temporary folder made readable
for the `_apt` user, as the official nginx image does); build stages, whose files ship only when copied.

It is **info**: in a container that runs one process as one user, a world-writable path matters when
something else, an exploited service running as another user or a sidecar sharing the volume, can write
there.

## Why it matters
Every user in the container can replace or add files there: code, configuration or plugins that the app
later loads. The usual reason, letting an arbitrary UID (OpenShift) write, has a narrower answer: give the
folder to group 0 and let the group write, since such users always belong to group 0.

## Example
```dockerfile
FROM node:20-slim
COPY . /app
RUN chmod -R 777 /app
USER 1000
```

## Use instead
```dockerfile
FROM node:20-slim
COPY --chown=1000:0 . /app
RUN chmod -R g=u /app
USER 1000
```

## Fix
None: which user or group should write is a choice the linter cannot make.

## How to silence
`# bulkhead ignore=BH706` on the line before the instruction, or `ignore = ["BH706"]` in `.bulkhead.toml`.

## References
- CWE-732: Incorrect Permission Assignment for Critical Resource
- Red Hat OpenShift: "Support arbitrary user IDs" (group 0 and `g=u`)
"#,
    check: Check::File(check),
};

/// Paths meant to be shared by every user.
const SHARED: &[&str] = &["/tmp", "/var/tmp", "/dev/shm"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for shell in util_layer::final_runs(ctx) {
        for (i, command) in shell.commands().iter().enumerate() {
            if command.program() != Some("chmod") {
                continue;
            }
            let args: Vec<&str> = command.args.iter().map(|a| a.value.as_deref().unwrap_or("")).collect();
            let Some(mode_at) = args.iter().position(|a| !a.starts_with('-') || is_numeric(a)) else { continue };
            let mode = args[mode_at];
            if !world_writable(mode) {
                continue;
            }
            let paths: Vec<&str> =
                command.args.iter().skip(mode_at + 1).map(|a| util_layer::path_text(shell, a)).collect();
            let kept: Vec<&&str> = paths
                .iter()
                .filter(|p| !p.starts_with('-') && !SHARED.contains(p) && !util_layer::removed_later(shell, i, p))
                .collect();
            let Some(first) = kept.first() else { continue };
            let Some(mode_word) = command.args.get(mode_at) else { continue };
            out.push(Finding::new(
                shell.doc_range(bulkhead_syntax::TextRange::new(command.range.start, mode_word.range.end)),
                format!(
                    "`chmod {mode}` lets every user of the container write to `{first}`: give it to the app's \
                     user or group instead"
                ),
            ));
        }
    }
}

fn is_numeric(arg: &str) -> bool {
    !arg.is_empty() && arg.bytes().all(|b| (b'0'..=b'7').contains(&b))
}

/// True for a mode that gives others write access without the sticky bit.
fn world_writable(mode: &str) -> bool {
    if is_numeric(mode) {
        let digits: Vec<u8> = mode.bytes().map(|b| b - b'0').collect();
        let others = digits.last().copied().unwrap_or(0);
        let special = if digits.len() >= 4 { digits[digits.len() - 4] } else { 0 };
        return others & 2 != 0 && special & 1 == 0;
    }
    if mode.contains('t') {
        return false;
    }
    mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else { return false };
        let (who, perms) = clause.split_at(op);
        (who.contains('o') || who.contains('a')) && perms.contains('w')
    })
}
