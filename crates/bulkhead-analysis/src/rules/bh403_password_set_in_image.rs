//! BH403 password-set-in-image: a `RUN` sets an account password (`chpasswd`, `passwd --stdin`,
//! `useradd -p`, `usermod -p`).

use bulkhead_syntax::{ShellCommand, ShellOperator, ShellScript, ShellWord, TextRange};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::secrets;

pub(crate) const RULE: Rule = Rule {
    code: "BH403",
    name: "password-set-in-image",
    practice: Practice::NoSecrets,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["CKV2_DOCKER_17"],
    summary: "A `RUN` sets an account password (`chpasswd`, `passwd --stdin`, `useradd -p`, `usermod -p`).",
    doc: r#"
## What it does
Checks every `RUN` (heredoc scripts and `ONBUILD RUN` included) for commands that give an account a
password:
- `chpasswd`, usually fed by `echo user:password |`;
- `passwd --stdin user` (RHEL), and `passwd` fed by a pipe;
- `useradd -p <hash>`, `usermod -p <hash>` (also `--password`).

Locking an account is not a finding: `useradd -p '*'` or `-p '!'`, `passwd -l`, `passwd -d` are left
alone. When the password is a literal, the message shows it masked (a few characters and its length).

Checkov's CKV2_DOCKER_17 looks for `chpasswd` only. bulkhead covers the other ways too, and checks every
stage: even in a build stage that never ships, the password sits in the Dockerfile, in version control and
in the build cache.

## Why it matters
A password set at build time is the same in every container started from the image, and anyone who can
pull the image can read it: a literal is in the image history (`docker history --no-trunc`) and in the
Dockerfile's repository; a hash in `/etc/shadow` is cracked offline; a build argument is recorded in the
history too. A password is also only useful to a login service (SSH, `su`), which a container should
not have. Containers need no passwords: `docker exec` gives a shell, and the app reads its credentials
at run time.

## Example
```dockerfile
FROM debian:12-slim
RUN useradd --create-home app && echo 'app:changeme' | chpasswd
USER app
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN useradd --create-home app
USER app
```
An account created without a password is locked: nobody can log in with one. Pass the credentials the
application needs at run time (a mounted secret file, the orchestrator's secrets), and build-time ones
with `RUN --mount=type=secret`.

## How to silence
`# bulkhead ignore=BH403` on the line before the `RUN`, or `ignore = ["BH403"]` in `.bulkhead.toml`.
Checkov's `# checkov:skip=CKV2_DOCKER_17` works too.

## References
- Docker docs: Build secrets (`RUN --mount=type=secret`)
- CWE-259: Use of Hard-coded Password
- CWE-798: Use of Hard-coded Credentials
"#,
    check: Check::Instruction(check),
};

/// `useradd -p` values that lock the account instead of setting a password.
const LOCKED: &[&str] = &["*", "!", "!!", "!*", "x"];

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((_, shell)) = ctx.run() else { return };
    let commands = shell.commands();
    for (pos, command) in commands.iter().enumerate() {
        // The command writing into this one's standard input, if it is an `echo`/`printf`.
        let producer = pos
            .checked_sub(1)
            .and_then(|prev| commands.get(prev))
            .filter(|_| command.operator == Some(ShellOperator::Pipe))
            .filter(|prev| matches!(prev.program(), Some("echo" | "printf")));
        let range_start = producer.map_or(command.range.start, |p| p.range.start);
        let range = shell.doc_range(TextRange::new(range_start, command.range.end));
        let message = match command.program() {
            Some("chpasswd") => Some(chpasswd_message(shell, command, producer)),
            Some("passwd") => passwd_message(command, producer),
            Some(program @ ("useradd" | "usermod")) => {
                password_option(shell, command).and_then(|value| option_message(shell, program, command, value))
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(Finding::new(range, message));
        }
    }
}

fn chpasswd_message(shell: &ShellScript, command: &ShellCommand, producer: Option<&ShellCommand>) -> String {
    let hashed = command.has_arg("-e") || command.has_arg("--encrypted");
    let what = if hashed { "a password hash" } else { "a password" };
    let Some(producer) = producer else {
        return format!("`chpasswd` gives an account {what} baked into the image: containers need no passwords");
    };
    let Some(arg) = producer.args.iter().find(|arg| arg.value.as_deref().is_none_or(|v| !v.starts_with('-'))) else {
        return format!("`chpasswd` gives an account {what} baked into the image: containers need no passwords");
    };
    match arg.value.as_deref() {
        Some(line) => {
            let line = line.split(['\n']).next().unwrap_or(line);
            let line = line.split("\\n").next().unwrap_or(line);
            match line.split_once(':') {
                Some((user, password)) => format!(
                    "`chpasswd` sets {what} for `{user}` to the literal {}: anyone who can read the image or the Dockerfile has it",
                    secrets::mask(password)
                ),
                None => {
                    format!("`chpasswd` gives an account {what} baked into the image: containers need no passwords")
                }
            }
        }
        None if is_random(shell.text(arg.range)) => {
            format!("`chpasswd` gives an account {what} baked into the image: containers need no passwords")
        }
        None => format!(
            "`chpasswd` sets {what} from `{}`: the value stays in the image history and `/etc/shadow`",
            shell.text(arg.range)
        ),
    }
}

/// True for a value generated at build time that nobody knows (`$(head -c32 /dev/urandom | base64)`): as a
/// `useradd -p` hash it matches no password, so it locks the account.
fn is_random(raw: &str) -> bool {
    ["/dev/urandom", "/dev/random", "openssl rand", "pwgen", "uuidgen", "$RANDOM", "${RANDOM}"]
        .iter()
        .any(|marker| raw.contains(marker))
}

fn passwd_message(command: &ShellCommand, producer: Option<&ShellCommand>) -> Option<String> {
    const NOT_SETTING: &[&str] = &[
        "-l", "--lock", "-d", "--delete", "-e", "--expire", "-S", "--status", "-u", "--unlock", "-n", "-x", "-w", "-i",
    ];
    if command.arg_values().any(|arg| NOT_SETTING.contains(&arg)) {
        return None;
    }
    if !command.has_arg("--stdin") && producer.is_none() {
        return None;
    }
    let user = command
        .args
        .iter()
        .rev()
        .filter_map(|arg| arg.value.as_deref())
        .find(|arg| !arg.starts_with('-'))
        .unwrap_or("root");
    Some(format!("`passwd` reads a password for `{user}` from the build: it is baked into the image and its history"))
}

/// The value of `-p`/`--password` of a `useradd`/`usermod`.
fn password_option<'a>(shell: &ShellScript, command: &'a ShellCommand) -> Option<&'a ShellWord> {
    let mut args = command.args.iter();
    while let Some(arg) = args.next() {
        match arg.value.as_deref() {
            Some("-p" | "--password") => return args.next(),
            // `--password=<hash>` keeps the value in the same word, literal or not.
            _ if shell.text(arg.range).starts_with("--password=") => return Some(arg),
            _ => {}
        }
    }
    None
}

fn option_message(shell: &ShellScript, program: &str, command: &ShellCommand, value: &ShellWord) -> Option<String> {
    let user = command.arg_values().last().filter(|arg| !arg.starts_with('-')).unwrap_or("the user");
    let Some(literal) = value.value.as_deref() else {
        let raw = shell.text(value.range);
        if is_random(raw) {
            return None;
        }
        return Some(format!(
            "`{program} -p {}` sets the password hash of `{user}` from a variable: it stays in the image history and `/etc/shadow`",
            raw.strip_prefix("--password=").unwrap_or(raw)
        ));
    };
    let literal = literal.strip_prefix("--password=").unwrap_or(literal);
    if LOCKED.contains(&literal) {
        return None;
    }
    if literal.is_empty() {
        return Some(format!("`{program} -p ''` gives `{user}` an empty password: anyone can log in as it"));
    }
    Some(format!(
        "`{program} -p` sets the password hash of `{user}` to the literal {}: it can be cracked offline from the image",
        secrets::mask(literal)
    ))
}
