//! BH908 nonsensical-command: a `RUN` calls a command that does nothing useful during a build.

use bulkhead_syntax::ShellCommand;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH908",
    name: "nonsensical-command",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3001"],
    summary: "`RUN` calls an interactive or system command (`ssh`, `vim`, `shutdown`, `service`, `ps`...) that makes no sense in a build.",
    doc: r#"
## What it does
Checks `RUN` for commands that need a terminal, a running system or a live process table, none of which
a build step has: interactive editors (`vim`, `vi`, `nvim`, `nano`, `emacs`) without a scripted mode, `ssh`, `top`/`htop`, `ps`, `free`, `ifconfig`, `mount`/`umount`, `shutdown`, `reboot`,
`halt`, `poweroff`, and service control (`service x start`, `systemctl start x`, `kill`) in a `RUN` that
does nothing else.

Service control is reported only when the `RUN` does nothing but control processes. The common
`service mysql start && mysql < seed.sql && service mysql stop` really uses the service inside the
step, so it is left alone, as is `systemctl enable`, which only writes links. Editors run in a scripted
mode (`vim -es`, `vim +PlugInstall +qall`, `nvim --headless`) are fine.

## Why it matters
A build step runs once, without a terminal, and its processes end with it: a service started in one
`RUN` is not running in the next one or in the container, an editor waits for keys that never come
(the build hangs or fails), and `ps`, `free` or `ifconfig` print facts about the build machine that no
one reads. These lines are usually copied from an interactive session. They make the build slower and
the Dockerfile misleading, and `ssh` in a build often hints at keys baked into the image.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN service nginx start
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
CMD ["nginx", "-g", "daemon off;"]
```

## How to silence
`# bulkhead ignore=BH908` on the line before the `RUN`, or `ignore = ["BH908"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3001` works too.

## References
- Docker docs: Dockerfile reference, `RUN` and `CMD`
"#,
    check: Check::Instruction(check),
};

const NONSENSE: &[&str] =
    &["ssh", "top", "htop", "ps", "free", "ifconfig", "mount", "umount", "shutdown", "reboot", "halt", "poweroff"];
const EDITORS: &[&str] = &["vim", "vi", "nvim", "nano", "emacs"];

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((_, shell)) = ctx.run() else { return };
    let commands = shell.commands();
    let only_process_control = commands.iter().all(controls_processes);
    for command in commands {
        let Some(program) = command.program() else { continue };
        let reason = if NONSENSE.contains(&program) {
            Some("has nothing to act on during a build")
        } else if EDITORS.contains(&program) && !scripted_editor(command) {
            Some("waits for a terminal the build does not have")
        } else if only_process_control && controls_processes(command) {
            Some("controls a process that does not outlive this `RUN`")
        } else {
            None
        };
        let Some(reason) = reason else { continue };
        out.push(Finding::new(shell.doc_range(command.range), format!("`{program}` {reason}")));
    }
}

/// `service x start|stop|restart|reload|status`, `systemctl start|stop|restart|reload|status x`,
/// `kill`, `killall`, `pkill`.
fn controls_processes(command: &ShellCommand) -> bool {
    const ACTIONS: &[&str] = &["start", "stop", "restart", "reload", "status", "force-reload"];
    match command.program() {
        Some("service") => command.arg_values().nth(1).is_some_and(|a| ACTIONS.contains(&a)),
        Some("systemctl") => command.arg_values().find(|a| !a.starts_with('-')).is_some_and(|a| ACTIONS.contains(&a)),
        Some("kill" | "killall" | "pkill") => true,
        _ => false,
    }
}

/// An editor run without a terminal on purpose: Ex mode, `+cmd`/`-c cmd`, a script (`-s`), headless.
fn scripted_editor(command: &ShellCommand) -> bool {
    command.args.iter().any(|arg| arg.value.is_none())
        || command.arg_values().any(|arg| {
            arg.starts_with('+')
                || matches!(
                    arg,
                    "-c" | "-s"
                        | "-e"
                        | "-es"
                        | "-Es"
                        | "-E"
                        | "-u"
                        | "--headless"
                        | "--cmd"
                        | "--batch"
                        | "-batch"
                        | "--script"
                        | "--version"
                        | "-h"
                        | "--help"
                )
                || arg.starts_with("--eval")
        })
}
