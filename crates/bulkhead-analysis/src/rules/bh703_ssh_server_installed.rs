//! BH703 ssh-server-installed: the final image installs an SSH server or starts `sshd`.

use bulkhead_syntax::{Instruction, InstructionKind, TextRange};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::{shell_commands, util_purpose};

pub(crate) const RULE: Rule = Rule {
    code: "BH703",
    name: "ssh-server-installed",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "The final image installs an SSH server (`openssh-server`, `dropbear`) or starts `sshd`.",
    doc: r#"
## What it does
Checks the final stage and the stages it is built `FROM` (heredoc scripts and `ONBUILD RUN` included)
for package installs of an SSH server, and `CMD`/`ENTRYPOINT` for starting one:
- apt: `openssh-server`, `ssh` (a meta-package that pulls the server in), `dropbear`, `dropbear-bin`;
- apk: `openssh`, `openssh-server`, `openssh-server-pam`, `dropbear`;
- dnf, yum, microdnf, tdnf: `openssh-server`, `dropbear`;
- zypper: `openssh`, `openssh-server`, `dropbear`;
- `CMD`/`ENTRYPOINT` running `sshd` or `dropbear`, or `service ssh start`.

`openssh` alone counts only where it contains the server (Alpine, SUSE): on RHEL-family systems it is
the shared files the client needs too. Build stages are not checked: what they install never reaches the
image. `EXPOSE 22` is BH702's business.

## Why it matters
An SSH daemon is a second way into the container next to the app, with its own keys and passwords to
leak, brute-force and patch, and it usually runs as root, so the container cannot drop to a non-root
user or `--cap-drop=ALL`. It also means running two processes without a proper init, and it tempts people
to change running containers by hand instead of rebuilding them. `docker exec` and `kubectl exec` give a
shell when one is needed, through the engine's authentication and audit trail.

## Example
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \
    && rm -rf /var/lib/apt/lists/*
COPY app /usr/local/bin/app
CMD service ssh start && exec /usr/local/bin/app
```

## Use instead
```dockerfile
FROM ubuntu:24.04
COPY app /usr/local/bin/app
USER 10001
CMD ["/usr/local/bin/app"]
```
Get a shell with `docker exec -it <container> sh` (or `kubectl exec`, or `kubectl debug` for images
without a shell), move files with `docker cp`, and run the container with `--cap-drop=ALL --read-only
--security-opt no-new-privileges`, which an SSH daemon would not survive. A container whose job is to be
an SSH endpoint (a bastion, a Git server) is the exception, see below.

### When SSH is the product
When the final image's main process is the SSH daemon in the foreground (`CMD ["/usr/sbin/sshd",
"-D"]`, `dropbear -F`, also behind a wrapper script such as `ENTRYPOINT ["/start.sh"]` that runs the
`CMD`, or `sh -c "exec sshd -D"`), the container exists to serve SSH: a Git-over-SSH server (`git-shell` accounts, gitolite), a
bastion or jump host, an SFTP drop. Then `docker exec` is no replacement and the advice above would
remove the product, so the findings are **info** and say so instead. They stay, because such a daemon
still needs care: `PasswordAuthentication no` and `PermitRootLogin no` in `sshd_config`, host keys
generated when the container first starts or mounted, never baked into the image (BH406 reports keys
generated at build time), and `AllowUsers` or `ForceCommand` limiting what the accounts can do. An image
that starts `sshd` beside another main process (a supervisor, `sshd && exec app`) keeps the warning:
there SSH is a second way in, not the service.

## How to silence
`# bulkhead ignore=BH703` on the line before the instruction, or `ignore = ["BH703"]` in `.bulkhead.toml`
(for instance in the repository of an SSH bastion image, once its `sshd_config` is reviewed).

## References
- CIS Docker Benchmark 5.6: Ensure sshd is not run within containers
- Docker docs: `docker exec`
"#,
    check: Check::File(check),
};

const INSTALLERS: &[&str] = &["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"];

/// True when `package` holds an SSH server under `program`.
fn is_ssh_server(program: &str, package: &str) -> bool {
    match program {
        "apt-get" | "apt" => matches!(package, "openssh-server" | "ssh" | "dropbear" | "dropbear-bin"),
        "apk" => matches!(package, "openssh" | "openssh-server" | "openssh-server-pam" | "dropbear"),
        "zypper" => matches!(package, "openssh" | "openssh-server" | "dropbear"),
        _ => matches!(package, "openssh-server" | "dropbear"),
    }
}

/// Why the lower severity: SSH is what the image serves.
const SERVED: &str = "is this image's main process, so SSH is what the image serves (a Git server, a \
bastion): keep password and root login off, and host keys out of the image";

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let served = util_purpose::served_ssh_daemon(ctx);
    // What follows the finding's "what": the advice, or, when SSH is the image's service, why it is info.
    let report = |range: TextRange, what: String| match &served {
        Some(daemon) => Finding::new(range, format!("{what}; `{daemon}` {SERVED}")).with_severity(Severity::Info),
        None => Finding::new(range, format!("{what}: use `docker exec` for a shell")),
    };
    for stage_idx in ctx.model.final_lineage() {
        let Some(stage) = ctx.model.stages.get(stage_idx) else { continue };
        for (_, instruction) in stage.instructions(ctx.file) {
            let target: &Instruction = match instruction.kind {
                InstructionKind::Onbuild => match instruction.trigger.as_deref() {
                    Some(trigger) => trigger,
                    None => continue,
                },
                _ => instruction,
            };
            match target.kind {
                InstructionKind::Run => installs(target, &report, out),
                InstructionKind::Cmd | InstructionKind::Entrypoint => starts(target, &report, out),
                _ => {}
            }
        }
    }
}

fn installs(run: &Instruction, report: &impl Fn(TextRange, String) -> Finding, out: &mut Vec<Finding>) {
    let Some(shell) = run.shell.as_deref() else { return };
    for command in shell.commands() {
        let Some(program) = command.program() else { continue };
        if !shell_commands::is_invocation(command, INSTALLERS, &["install", "add", "in"]) {
            continue;
        }
        for arg in &command.args {
            let Some(value) = arg.value.as_deref() else { continue };
            let package = value.split(['=', '>', '<', '~']).next().unwrap_or(value);
            if is_ssh_server(program, package) {
                let what = format!("`{program}` installs an SSH server (`{package}`) into the final image");
                out.push(report(shell.doc_range(arg.range), what));
            }
        }
    }
}

fn starts(instruction: &Instruction, report: &impl Fn(TextRange, String) -> Finding, out: &mut Vec<Finding>) {
    // Exec-form items and `sh -c` strings hold whole command lines: look at every token.
    let line: Vec<&str> = instruction.arg_values().map(|word| word.value.as_str()).collect();
    let line = line.join(" ");
    let tokens: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '"' | '\''))
        .filter(|token| !token.is_empty())
        .collect();
    let by_name = tokens.iter().find_map(|token| {
        let program = token.rsplit('/').next().unwrap_or(token);
        matches!(program, "sshd" | "dropbear").then_some(program)
    });
    let by_service = tokens.windows(3).any(|w| {
        w.first() == Some(&"service") && matches!(w.get(1), Some(&("ssh" | "sshd"))) && w.get(2) == Some(&"start")
    });
    let daemon = match (by_name, by_service) {
        (Some(program), _) => program,
        (None, true) => "sshd",
        (None, false) => return,
    };
    let range = instruction.rest.as_ref().map_or(instruction.line_range(), |rest| rest.range);
    let keyword = instruction.kind.keyword();
    out.push(report(range, format!("`{keyword}` starts an SSH server (`{daemon}`) in the container")));
}
