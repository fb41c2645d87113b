//! BH007 exec-form-cmd-entrypoint: `CMD`/`ENTRYPOINT` in shell form, where `/bin/sh` becomes PID 1.

use bulkhead_syntax::{Instruction, InstructionKind, shell};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::Distro;
use crate::model::{Base, Stage};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH007",
    name: "exec-form-cmd-entrypoint",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: JSON array when the text has no shell syntax; otherwise unsafe `[\"/bin/sh\",\"-c\",\"exec …\"]`",
        decision: "",
    }),
    aliases: &["DL3025", "JSONArgsRecommended", "prefer-json-notation"],
    summary: "`CMD`/`ENTRYPOINT` in shell form: the shell is PID 1 and the app does not get stop signals.",
    doc: r#"
## What it does
Checks `CMD` and `ENTRYPOINT` (also in `ONBUILD`) for the shell form (`CMD nginx -g 'daemon off;'`)
instead of the exec form (`CMD ["nginx", "-g", "daemon off;"]`). Findings in stages that do not reach the
final image are hints; in the final stage and its `FROM` ancestors they are warnings.

Windows stages and stages whose `SHELL` is not a POSIX shell (`cmd`, `powershell`) are not checked:
there, the shell form is the usual way to write a command. Unlike BuildKit's JSONArgsRecommended, a
`SHELL ["/bin/bash", "-c"]` does not exempt a stage: bash as PID 1 has the same signal problem (the
fixes then use that shell instead of `/bin/sh`).

## Why it matters
In shell form Docker runs `/bin/sh -c "<text>"`. The shell becomes PID 1 and does not forward `SIGTERM`
to the app, so `docker stop` waits its 10-second timeout and then kills the app with `SIGKILL`: no
graceful shutdown, open connections dropped, files half-written. (Some shells replace themselves with
a lone command, but which ones, and for which text, varies between bash, dash and BusyBox: exec form
does not depend on it.) A shell-form `ENTRYPOINT` also silently
ignores `CMD` and `docker run` arguments, and on images without a shell (distroless, `scratch`) the
container cannot start at all.

## Example
```dockerfile
FROM python:3.12-slim
CMD gunicorn --bind 0.0.0.0:8000 app:app
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```
If you need the shell (variables, `&&`), end with `exec` so the app replaces it:
`CMD ["/bin/sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT} app:app"]`.

## Fix
- "Use exec form" (safe when the text has no shell syntax: no `$`, quotes, backticks, backslashes,
  `|&;<>*?()~{}[]#`, assignments or shell built-ins) splits the text at blanks into a JSON array and drops
  a leading `exec`. It is unsafe instead for an `ENTRYPOINT` when the stage also sets `CMD` (exec form
  passes `CMD` to the entry point, shell form ignored it), and for a `CMD` when the stage or an ancestor
  sets `ENTRYPOINT` (the entry point then receives the split words instead of `/bin/sh -c ...`). An
  `ENTRYPOINT` set by the base image is not visible here: check it if you use one.
- "Wrap in `/bin/sh -c` with `exec`" (unsafe) keeps the shell for text with shell syntax:
  `["/bin/sh", "-c", "exec <text>"]`, with the stage's `SHELL` instead of `/bin/sh -c` when there is one.
  `exec` is only added in front of a single simple command, so the app replaces the shell; for a longer
  script the signal problem stays, and the script should end with `exec`. Not offered on images without a
  shell.

## How to silence
`# bulkhead ignore=BH007` on the line before the instruction, or `ignore = ["BH007"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3025` and `# check=skip=JSONArgsRecommended` work too.

## References
- Docker docs: Dockerfile reference, shell and exec form; `docker stop`
- Docker docs: build checks, JSONArgsRecommended
"#,
    check: Check::File(check),
};

/// Shell built-ins and keywords: text starting with one needs the shell.
const BUILTINS: &[&str] = &[
    "cd", "export", "set", "unset", "source", ".", "eval", "trap", "ulimit", "umask", "read", "wait", "shift", "if",
    "for", "while", "until", "case", "function", "alias", "local", "return", "!", "[[", "{", "[", "test",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let lineage = ctx.model.final_lineage();
    for (idx, top) in ctx.file.instructions().iter().enumerate() {
        let instruction = match top.kind {
            InstructionKind::Onbuild => match top.trigger.as_deref() {
                Some(trigger) => trigger,
                None => continue,
            },
            _ => top,
        };
        if !matches!(instruction.kind, InstructionKind::Cmd | InstructionKind::Entrypoint) || instruction.is_exec_form()
        {
            continue;
        }
        let Some(rest) = &instruction.rest else { continue };
        let Some(stage) = ctx.model.stage_of(idx) else { continue };
        if stage.distro == Distro::Windows {
            continue;
        }
        let custom_shell = effective_shell(ctx, stage, idx);
        if custom_shell.as_ref().is_some_and(|sh| !sh.first().is_some_and(|program| shell::is_posix_shell(program))) {
            continue;
        }
        let keyword = instruction.kind.keyword();
        let text = rest.value.trim();
        let words: Vec<&str> = text.split_whitespace().collect();
        let program_idx = usize::from(words.first() == Some(&"exec"));
        let simple = !has_shell_syntax(text, instruction.escape()) || is_simple_command(text);
        let program = match words.get(program_idx) {
            Some(program) if simple => format!("`{program}`"),
            _ => "the app".to_owned(),
        };
        let no_shell = custom_shell.is_none() && !stage.distro.has_shell();
        let message = if no_shell {
            format!(
                "shell-form `{keyword}` runs `/bin/sh -c`, which {} images do not have: the container cannot start",
                stage.distro.name()
            )
        } else {
            let shell = custom_shell.as_ref().map_or_else(|| "/bin/sh -c".to_owned(), |sh| sh.join(" "));
            format!(
                "shell-form `{keyword}` wraps {program} in `{shell}`: `SIGTERM` from `docker stop` may never reach it"
            )
        };
        let mut finding = Finding::new(rest.range, message);
        if !lineage.contains(&stage.index) {
            finding = finding.with_severity(Severity::Hint);
        }
        // A comment line inside the continuation would be lost by rewriting the arguments.
        let has_comment = ctx.file.comments().iter().any(|c| rest.range.contains_range(c.range));
        if !has_comment {
            let split_words = words.get(program_idx..).unwrap_or_default();
            if !has_shell_syntax(text, instruction.escape()) && !split_words.is_empty() {
                let edit = Edit::replace(rest.range, util_edit::json_array(split_words));
                let title = "Use exec form";
                let fix = if split_changes_meaning(ctx, stage, instruction) {
                    Fix::unsafe_(title, vec![edit])
                } else {
                    Fix::safe(title, vec![edit])
                };
                finding = finding.with_fix(fix);
            } else if !no_shell {
                let mut array = custom_shell.unwrap_or_else(|| vec!["/bin/sh".to_owned(), "-c".to_owned()]);
                let (script, title) = if is_simple_command(text) {
                    (format!("exec {text}"), format!("Wrap in `{}` with `exec`", array.join(" ")))
                } else {
                    (text.to_owned(), format!("Wrap in `{}` (exec form)", array.join(" ")))
                };
                array.push(script);
                finding = finding
                    .with_fix(Fix::unsafe_(title, vec![Edit::replace(rest.range, util_edit::json_array(&array))]));
            }
        }
        out.push(finding);
    }
}

/// The `SHELL` in force at instruction `at` (this stage, then its `FROM` ancestors); `None` for the default.
fn effective_shell(ctx: &RuleContext<'_>, stage: &Stage, at: usize) -> Option<Vec<String>> {
    let instructions = ctx.file.instructions();
    let mut current = stage;
    let mut limit = at;
    for _ in 0..=ctx.model.stages.len() {
        let found = (current.from + 1..limit.min(current.end))
            .rev()
            .filter_map(|idx| instructions.get(idx))
            .find(|i| i.kind == InstructionKind::Shell)
            .and_then(|i| i.json.as_ref());
        if let Some(json) = found {
            return Some(json.iter().map(|w| w.value.to_string()).collect());
        }
        match current.base {
            Base::Stage(parent) if parent < current.index => {
                current = ctx.model.stages.get(parent)?;
                limit = current.end;
            }
            _ => return None,
        }
    }
    None
}

/// True when the text needs a shell to mean what it says.
fn has_shell_syntax(text: &str, escape: char) -> bool {
    const SPECIAL: &str = "$'\"`\\|&;<>*?()~{}[]#";
    if text.chars().any(|c| SPECIAL.contains(c) || c == escape || c == '\n') {
        return true;
    }
    let mut words = text.split_whitespace();
    let first = match words.next() {
        Some("exec") => words.next(),
        other => other,
    };
    first.is_none_or(|word| word.contains('=') || BUILTINS.contains(&word))
}

/// True when splitting into exec form changes what runs, beyond who is PID 1.
fn split_changes_meaning(ctx: &RuleContext<'_>, stage: &Stage, instruction: &Instruction) -> bool {
    let in_stage = |kind| stage.instructions(ctx.file).any(|(_, i)| i.kind == kind);
    match instruction.kind {
        // Exec form appends `CMD` to the entry point; shell form ignored it.
        InstructionKind::Entrypoint => in_stage(InstructionKind::Cmd),
        // An entry point receives the split words instead of `/bin/sh -c <text>`.
        _ => {
            let mut current = Some(stage);
            let mut steps = 0;
            while let Some(stage) = current {
                if stage.instructions(ctx.file).any(|(_, i)| i.kind == InstructionKind::Entrypoint) {
                    return true;
                }
                steps += 1;
                current = match stage.base {
                    Base::Stage(parent) if parent < stage.index && steps <= ctx.model.stages.len() => {
                        ctx.model.stages.get(parent)
                    }
                    _ => None,
                };
            }
            false
        }
    }
}

/// True when `text` is one simple command without assignments or redirections, so `exec` can prefix it.
fn is_simple_command(text: &str) -> bool {
    if text.starts_with("exec ") {
        return false;
    }
    let parsed = shell::parse_script(text);
    let [command] = parsed.commands.as_slice() else { return false };
    !parsed.has_error
        && command.env.is_empty()
        && command.range.start == 0
        && command.range.end == text.len()
        && command.program().is_some_and(|program| !BUILTINS.contains(&program))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_syntax() {
        assert!(!has_shell_syntax("nginx -g daemon", '\\'));
        assert!(!has_shell_syntax("exec gunicorn app:app", '\\'));
        assert!(has_shell_syntax("echo $HOME", '\\'));
        assert!(has_shell_syntax("FOO=1 run", '\\'));
        assert!(has_shell_syntax("cd /app", '\\'));
        assert!(has_shell_syntax("run `x`", '\\'));
        assert!(has_shell_syntax(r"C:\app", '`'));
    }

    #[test]
    fn simple_commands() {
        assert!(is_simple_command("gunicorn --bind 0.0.0.0:${PORT} app:app"));
        assert!(!is_simple_command("a && b"));
        assert!(!is_simple_command("run > /log"));
        assert!(!is_simple_command("FOO=1 run"));
        assert!(!is_simple_command("exec run"));
    }
}
