//! BH501 remote-script-piped-to-shell: `curl ... | sh`, a downloaded script run unseen.

use bulkhead_syntax::{ShellCommand, ShellOperator, ShellScript};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::rules::util_fetch;

pub(crate) const RULE: Rule = Rule {
    code: "BH501",
    name: "remote-script-piped-to-shell",
    practice: Practice::ScanAndVerify,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["curl-pipe-bash"],
    summary: "A script downloaded with `curl`/`wget` is piped into a shell or interpreter and run unverified.",
    doc: r#"
## What it does
Checks `RUN` (and `ONBUILD RUN`) for a download piped straight into an interpreter that runs what it reads
(`curl -fsSL URL | sh`, `| bash -s -- args`, `| sudo -E bash -`, `| python3 -`, `wget -qO- URL | sh`), and for
the same thing through a substitution (`sh -c "$(curl -fsSL URL)"`, `bash <(curl -fsSL URL)`).

Not flagged: an interpreter that is given its own program and reads the download as data
(`curl URL | python3 -c 'import json,sys; ...'`, `| perl -ne ...`, `| node script.js`), and a `RUN` that also
checks a checksum or signature (`sha256sum -c`, `gpg --verify`, `cosign verify`): that check cannot be on
the piped script itself, but a step that verifies something was written by someone thinking about it, and
a linter cannot tell what it covers; BH503 reads the same signal.

## Why it matters
The script runs as root in the build with whatever the server returns at that moment: a compromised
vendor site, CDN or mirror runs its code in your image, and nothing in the Dockerfile records which script
ran. HTTPS only proves who served it, not what. A download cut short can also run half a script.

## Example
```dockerfile
FROM debian:12-slim
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
```

## Use instead
```dockerfile
FROM debian:12-slim
ADD --checksum=sha256:0f3b7bcb0bd1a6b4b8a7ff0d9bbf5a4b8a9b1f0e1c5a4f0a1cc1c3b4b7c3a9a1 \
    https://deb.nodesource.com/setup_20.x /tmp/setup.sh
RUN bash /tmp/setup.sh && rm /tmp/setup.sh
```
Better still, install from the vendor's signed package repository or an official image (`node:20-slim`).

## Fix
None: the checksum of the script you reviewed is something only you can supply.

## How to silence
`# bulkhead ignore=BH501` on the line before the instruction, or `ignore = ["BH501"]` in `.bulkhead.toml`.

## References
- Docker docs: `ADD --checksum`
- OpenSSF Scorecard: Pinned-Dependencies ("downloadThenRun")
"#,
    check: Check::Instruction(check),
};

/// Interpreters that run the program they read on standard input when given none of their own.
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "fish", "busybox"];
const INTERPRETERS: &[&str] = &["perl", "ruby", "node", "nodejs", "php", "lua", "pwsh", "deno", "bun"];

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some(shell) = util_fetch::unverified_run(ctx) else { return };
    let commands = shell.commands();
    for (i, command) in commands.iter().enumerate() {
        let Some(interpreter) = runs_stdin(command).or_else(|| runs_substitution(shell, command)) else { continue };
        let fetch = if command.operator == Some(ShellOperator::Pipe) {
            // The pipe's producers: the commands before this one joined to it by pipes.
            let start = commands[..i]
                .iter()
                .rposition(|c| c.operator != Some(ShellOperator::Pipe) && !c.in_substitution)
                .unwrap_or(0);
            commands[start..i].iter().find(|c| util_fetch::is_fetch(c) && !c.in_substitution)
        } else {
            commands
                .iter()
                .find(|c| c.in_substitution && util_fetch::is_fetch(c) && command.range.contains_range(c.range))
        };
        let Some(fetch) = fetch else { continue };
        let program = fetch.program().unwrap_or_default();
        let start = fetch.range.start.min(command.range.start);
        let end = fetch.range.end.max(command.range.end);
        out.push(Finding::new(
            shell.doc_range(bulkhead_syntax::TextRange::new(start, end)),
            format!(
                "a script downloaded with `{program}` is run by `{interpreter}` unseen: download it, check its \
                 checksum, then run it"
            ),
        ));
    }
}

/// The interpreter, when the command runs what it reads on standard input (`sh`, `bash -s -- x`,
/// `sudo -E bash -`, `python3 -`), not a program of its own (`python3 -c ...`, `node script.js`).
fn runs_stdin(command: &ShellCommand) -> Option<String> {
    if command.operator != Some(ShellOperator::Pipe) {
        return None;
    }
    let (program, args) = unwrap_sudo(command)?;
    if !is_interpreter(program) {
        return None;
    }
    for arg in args {
        match arg {
            "-" | "-s" | "--" => return Some(program.to_owned()),
            "-c" | "-e" | "-E" | "-n" | "-p" | "-m" | "-r" | "--eval" | "--print" | "-ne" | "-pe" | "-lne" => {
                return None;
            }
            _ if arg.starts_with('-') => {}
            // A script file of its own: standard input is its data.
            _ => return None,
        }
    }
    Some(program.to_owned())
}

/// The shell, when the command runs a downloaded script through a substitution: `sh -c "$(curl ...)"`,
/// `bash <(curl ...)`, `source <(curl ...)`.
fn runs_substitution(shell: &ShellScript, command: &ShellCommand) -> Option<String> {
    let (program, _) = unwrap_sudo(command)?;
    if !(SHELLS.contains(&program) || matches!(program, "source" | "." | "eval")) {
        return None;
    }
    // The substitution must be the program itself: `bash <(curl ...)`, `bash -c "$(curl ...)"`,
    // `eval "$(curl ...)"`; `bash -c "echo $(curl ...)"` only prints it.
    let whole = |raw: &str| {
        let raw = raw.trim_matches('"');
        (raw.starts_with("$(") || raw.starts_with("<(") || raw.starts_with('`')) && raw.ends_with([')', '`'])
    };
    command.args.iter().any(|arg| whole(shell.text(arg.range))).then(|| program.to_owned())
}

/// The program and its literal arguments, looking through `sudo [-E] [-u user]` and `env [-i] [X=y]`.
fn unwrap_sudo(command: &ShellCommand) -> Option<(&str, Vec<&str>)> {
    let program = command.program()?;
    let args: Vec<&str> = command.arg_values().collect();
    if !matches!(program, "sudo" | "env" | "doas") {
        return Some((program, args));
    }
    let mut rest = args.into_iter().peekable();
    while let Some(&arg) = rest.peek() {
        if arg == "-u" || arg == "-g" {
            rest.next();
            rest.next();
        } else if arg.starts_with('-') || arg.contains('=') {
            rest.next();
        } else {
            break;
        }
    }
    let inner = rest.next()?;
    let inner = inner.rsplit('/').next().unwrap_or(inner);
    Some((inner, rest.collect()))
}

fn is_interpreter(program: &str) -> bool {
    SHELLS.contains(&program) || INTERPRETERS.contains(&program) || is_python(program)
}

fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}
