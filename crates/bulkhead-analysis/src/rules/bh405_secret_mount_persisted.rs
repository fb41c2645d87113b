//! BH405 secret-mount-persisted: a `RUN --mount=type=secret` step writes the secret into the layer.

use bulkhead_syntax::{MountType, ShellCommand, ShellOperator, ShellScript};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::rules::util_layer;

pub(crate) const RULE: Rule = Rule {
    code: "BH405",
    name: "secret-mount-persisted",
    practice: Practice::NoSecrets,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A build secret mounted with `--mount=type=secret` is copied into the image's layer.",
    doc: r#"
## What it does
Checks `RUN` instructions that mount a secret (`--mount=type=secret`) for a command that copies it into
a file of the layer:
- `cp`, `install`, `rsync` or `dd if=` of the secret's file (`/run/secrets/<id>`, or the mount's `target=`);
- `cat`, `head`, `tail`, `base64`, `sed`... of that file written to a file with `>`/`>>` or `| tee`;
- `echo`/`printf` of the secret's variable (a mount with `env=NAME`) written to a file the same ways.

Not flagged: a copy that the same `RUN` removes before it ends (`cp /run/secrets/npmrc ~/.npmrc && npm ci &&
rm ~/.npmrc`: the layer is taken after the step, so it never holds the file), and writes to `/dev/*`.
Reads of the secret that keep it in the process (`--mount=...,env=TOKEN` and `curl -H "$TOKEN"`,
`$(cat /run/secrets/x)` as an argument) are what secret mounts are for; that a program such as `git
clone https://$TOKEN@host/` writes the URL into `.git/config` is not followed.

It is an **error**: a secret in a layer is readable by anyone who can pull the image, as if it had been
copied in with `COPY` (BH402).

## Why it matters
A secret mount exists only while its `RUN` runs and is never stored in the image: that is its whole point.
Copying its content to a file outside the mount puts it in the layer, and no later `RUN rm` removes it from
the layer that holds it.

## Example
```dockerfile
# syntax=docker/dockerfile:1
FROM node:20-slim
RUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc /root/.npmrc && npm ci
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1
FROM node:20-slim
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
```
or remove the copy in the same `RUN` (`&& rm /root/.npmrc`).

## Fix
None: mounting the secret where the tool reads it (`target=`) is the usual change, and the right target is
the tool's.

## How to silence
`# bulkhead ignore=BH405` on the line before the instruction, or `ignore = ["BH405"]` in `.bulkhead.toml`.

## References
- Docker docs: "Build secrets" (`RUN --mount=type=secret`)
- CWE-538: Insertion of Sensitive Information into Externally-Accessible File or Directory
"#,
    check: Check::Instruction(check),
};

/// Programs that copy a file to a destination given as their last argument.
const COPIERS: &[&str] = &["cp", "install", "rsync"];

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((run, shell)) = ctx.run() else { return };
    let mut files = Vec::new();
    let mut vars = Vec::new();
    for mount in run.mounts().filter(|m| m.kind() == MountType::Secret) {
        if let Some(env) = mount.env() {
            vars.push(env.to_owned());
            if mount.target().is_none() {
                continue;
            }
        }
        match (mount.target(), mount.secret_id()) {
            (Some(target), _) => files.push(target.to_owned()),
            (None, Some(id)) => files.push(format!("/run/secrets/{id}")),
            _ => {}
        }
    }
    if files.is_empty() && vars.is_empty() {
        return;
    }
    let commands = shell.commands();
    for (i, command) in commands.iter().enumerate() {
        if command.in_substitution {
            continue;
        }
        let reads_file = |c: &ShellCommand| {
            c.args.iter().any(|arg| {
                let text = util_layer::path_text(shell, arg);
                let text = text.strip_prefix("if=").unwrap_or(text);
                files.iter().any(|f| f == text)
            })
        };
        let program = command.program().unwrap_or_default();
        let dest = if COPIERS.contains(&program) && reads_file(command) {
            command.args.last().map(|arg| util_layer::path_text(shell, arg).to_owned())
        } else if reads_file(command) || prints_var(shell, command, &vars) {
            written_to(shell, commands, i)
        } else {
            None
        };
        let Some(dest) = dest else { continue };
        if dest.starts_with("/dev/") || files.contains(&dest) || util_layer::removed_later(shell, i, &dest) {
            continue;
        }
        out.push(Finding::new(
            shell.doc_range(command.range),
            format!(
                "the build secret is written to `{dest}`, which stays in the image's layer: mount the secret \
                 where it is read (`target=`) or remove the copy in the same `RUN`"
            ),
        ));
    }
}

/// True when `echo`/`printf` prints one of the secret variables.
fn prints_var(shell: &ShellScript, command: &ShellCommand, vars: &[String]) -> bool {
    matches!(command.program(), Some("echo" | "printf"))
        && command.args.iter().any(|arg| {
            let text = shell.text(arg.range);
            vars.iter().any(|v| text.contains(&format!("${v}")) || text.contains(&format!("${{{v}}}")))
        })
}

/// The file a command's output goes to: a `>`/`>>` redirection after it, or `| tee FILE`.
fn written_to(shell: &ShellScript, commands: &[ShellCommand], i: usize) -> Option<String> {
    let command = commands.get(i)?;
    let next = commands.iter().skip(i + 1).find(|c| !c.in_substitution);
    let gap_end = next.map_or(shell.source().len(), |n| n.range.start);
    let gap = shell.source().get(command.range.end..gap_end).unwrap_or_default();
    if let Some(at) = gap.find('>') {
        let after = gap[at..].trim_start_matches('>');
        if !after.starts_with('&') {
            let target = after.split_whitespace().next()?.trim_matches(|c| c == '"' || c == '\'');
            let target = target.split(['&', ';', '|']).next().unwrap_or_default();
            return (!target.is_empty()).then(|| target.to_owned());
        }
    }
    let (next_idx, next) = commands
        .iter()
        .enumerate()
        .skip(i + 1)
        .find(|(_, c)| !c.in_substitution)
        .filter(|(_, n)| n.operator == Some(ShellOperator::Pipe))?;
    if next.program() != Some("tee") {
        // `cat secret | base64 -d > file`: follow the pipe.
        return written_to(shell, commands, next_idx);
    }
    let file = next.args.iter().map(|a| util_layer::path_text(shell, a)).find(|a| !a.starts_with('-'))?;
    Some(file.to_owned())
}
