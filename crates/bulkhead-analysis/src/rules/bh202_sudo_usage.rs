//! BH202 sudo-usage: `sudo` as a command in `RUN`.

use bulkhead_syntax::{InstructionKind, ShellCommand, ShellScript, ShellWord, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge;
use crate::model::{Base, EffectiveUser, is_root_user};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH202",
    name: "sudo-usage",
    practice: Practice::NonRootUser,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: drop `sudo` and its options when the step runs as root", decision: "" }),
    aliases: &["DL3004", "DS-0010", "DS010", "CKV2_DOCKER_1"],
    summary: "`sudo` runs a command in `RUN`: switch users with `USER` instead.",
    doc: r#"
## What it does
Checks the shell commands of every `RUN` (and `ONBUILD RUN`) for `sudo` used as a command. The shell
is parsed, so `echo sudo`, `apt-get install sudo` or a quoted string do not count.

A `sudo` in a step that already runs as root is a hint: it changes nothing for that step (root needs
no sudo), and whether the image ships `sudo` is decided by what it installs, not by this call. A `sudo`
under another user (or an unknown one) is a warning: the image lets that user become root.

## Why it matters
`sudo` in a build step means the image ships `sudo` and a sudoers rule that lets its user become root.
An attacker who gets code execution as that "non-root" user is root one command later, which defeats
`USER`. `sudo` also behaves badly without a terminal (prompts, `requiretty`, environment reset), and
during the build it is pointless: steps run as root until a `USER` line says otherwise.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN sudo apt-get update
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update
```

When a step needs root after a `USER app` line, switch for that step and back:
`USER root`, the `RUN`, then `USER app`. Do not install `sudo` in the image.

## Fix
"Remove `sudo`" (unsafe) deletes `sudo` and its options when the step runs as root anyway (no `USER`
before it, or `USER root`). It is unsafe because `sudo` resets the environment, so the command may see
different variables without it. No fix is offered when `sudo` switches to another user (`-u`), starts a
shell (`-s`, `-i`), when the step runs as a non-root user (the step would then fail), or inside
`ONBUILD`, whose user is only known in the image built from this one.

## How to silence
`# bulkhead ignore=BH202` on the line before the `RUN`, or `ignore = ["BH202"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3004` works too.

## References
- Docker docs: Dockerfile best practices, `USER` ("avoid installing or using sudo")
- CIS Docker Benchmark 4.1: Ensure that a user for the container has been created
- CWE-250: Execution with Unnecessary Privileges
"#,
    check: Check::File(check),
};

/// `sudo` options that take no value and are harmless to drop with it.
const PLAIN_OPTIONS: &[&str] = &[
    "-E",
    "-H",
    "-n",
    "-S",
    "-k",
    "-A",
    "-P",
    "--preserve-env",
    "--set-home",
    "--non-interactive",
    "--stdin",
    "--reset-timestamp",
    "--askpass",
    "--preserve-groups",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    for (idx, _, shell) in shell_commands::runs(ctx) {
        let in_onbuild = instructions.get(idx).is_some_and(|i| i.kind == InstructionKind::Onbuild);
        for command in shell.commands() {
            if command.program() != Some("sudo") {
                continue;
            }
            let Some(name) = &command.name else { continue };
            let range = shell.doc_range(name.range);
            let generic = "`sudo` in `RUN`: switch users with `USER` instead of shipping sudo";
            let finding = match user_at(ctx, idx, in_onbuild) {
                // Already root: `sudo` changes nothing for the step, only the image's package list says more.
                Some(User::Root) => match remove_sudo(ctx, shell, command, name) {
                    Some(edit) => Finding::new(range, "`sudo` in `RUN` is not needed: this step already runs as root")
                        .with_fix(Fix::unsafe_("Remove `sudo`", vec![edit])),
                    None => Finding::new(range, generic),
                }
                .with_severity(Severity::Hint),
                Some(User::Other(user)) => Finding::new(
                    range,
                    format!(
                        "`sudo` in `RUN` while running as `{user}`: the image lets `{user}` become root; \
                         use `USER root` for this step instead"
                    ),
                ),
                None => Finding::new(range, generic),
            };
            out.push(finding);
        }
    }
}

enum User {
    Root,
    Other(String),
}

/// The user a `RUN` runs as, when known. `ONBUILD` triggers run in another build: unknown.
fn user_at(ctx: &RuleContext<'_>, idx: usize, in_onbuild: bool) -> Option<User> {
    if in_onbuild {
        return None;
    }
    match ctx.model.user_at(ctx.file, idx) {
        EffectiveUser::Explicit { known: false, .. } => None,
        EffectiveUser::Explicit { user, .. } if is_root_user(&user) => Some(User::Root),
        EffectiveUser::Explicit { user, .. } => Some(User::Other(user)),
        EffectiveUser::ImageDefault => {
            let stage = ctx.model.stage_of(idx)?;
            match ctx.model.root_base(stage) {
                Base::Image(image) if knowledge::nonroot_base_image(image).is_some() => None,
                _ => Some(User::Root),
            }
        }
    }
}

/// Deletes `sudo` and its options, up to the command it runs. `None` when an option changes what runs
/// (`-u`, `-s`, `-i`...) or when the options span lines.
fn remove_sudo(ctx: &RuleContext<'_>, shell: &ShellScript, command: &ShellCommand, name: &ShellWord) -> Option<Edit> {
    let mut last = name.range;
    let mut rest = command.args.iter();
    let target = loop {
        let arg = rest.next()?;
        let value = arg.value.as_deref()?;
        if value == "--" {
            last = arg.range;
            break rest.next()?;
        }
        if !value.starts_with('-') {
            break arg;
        }
        if !PLAIN_OPTIONS.contains(&value) && !value.starts_with("--preserve-env=") {
            return None;
        }
        last = arg.range;
    };
    // `sudo VAR=x cmd` keeps working as a shell prefix assignment; a lone `sudo` has nothing to run.
    target.value.as_deref().filter(|v| !v.is_empty())?;
    let start = shell.doc_range(name.range).start;
    let end = shell.doc_range(last).end;
    let text = ctx.text();
    if text.get(start..end)?.contains('\n') {
        return None;
    }
    // Take the blanks after the last removed word, on the same line.
    let blanks = text.get(end..)?.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
    Some(Edit::delete(TextRange::new(start, end + blanks)))
}
