//! BH204 sudoers-grant: a `sudoers` rule that lets a user become root without a password.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_layer;

pub(crate) const RULE: Rule = Rule {
    code: "BH204",
    name: "sudoers-grant",
    practice: Practice::NonRootUser,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A `sudoers` grant in the image makes its non-root user root by another name.",
    doc: r#"
## What it does
Checks the `RUN`s of the final stage and the stages it is built `FROM` for a `sudoers` rule written into
the image (`echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers`, `... | tee /etc/sudoers.d/app`,
`sed` on `/etc/sudoers`): the literal text of the rule must appear in a command of a `RUN` that names a
`sudoers` file.

- A passwordless rule whose command list is `ALL` (`ALL=(ALL) NOPASSWD: ALL`, `ALL=(ALL:ALL) NOPASSWD:ALL`)
  is a **warning**: whoever runs as that user is root.
- `ALL=(ALL) ALL` without `NOPASSWD` is **info**: `sudo` asks for the user's password, which images
  usually do not set; one set in the image (BH403) makes it the same as the warning.
- A `NOPASSWD` rule for named commands is **info**: check that none of them lets the user out (`mount`,
  editors, interpreters, `chown`, `cp` and package managers all do).

Build stages are not checked: their `/etc/sudoers` ships only when copied.

## Why it matters
Running as a non-root user (BH201) limits what an attacker gets from code execution in the app. A
passwordless `sudo` rule gives it all back: `sudo sh` is one command away, and nothing in the image's
`USER` shows it.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/* \
 && useradd -u 10001 app && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app
USER 10001
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN useradd -u 10001 app
USER 10001
```
Do what needs root in the `Dockerfile` before `USER`, or in an entrypoint that starts as root and drops to
the user (`gosu`, `setpriv`).

## Fix
None: what the user needed root for decides what replaces the grant.

## How to silence
`# bulkhead ignore=BH204` on the line before the instruction, or `ignore = ["BH204"]` in `.bulkhead.toml`.

## References
- CIS Docker Benchmark 4.1: Ensure that a user for the container has been created
- sudoers(5)
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for shell in util_layer::final_runs(ctx).filter(|shell| shell.source().contains("sudoers")) {
        for command in shell.commands() {
            for arg in &command.args {
                let text = shell.text(arg.range);
                let Some((commands, passwordless)) = grant(text) else { continue };
                let all = commands.split(',').any(|c| c.trim() == "ALL");
                let (message, severity) = match (all, passwordless) {
                    (true, true) => (
                        "a passwordless `sudoers` rule lets this user run anything as root: the image's non-root \
                         user is root by another name"
                            .to_owned(),
                        Severity::Warning,
                    ),
                    (true, false) => (
                        "a `sudoers` rule lets this user run anything as root with its password: a password set in \
                         the image (BH403) makes it root"
                            .to_owned(),
                        Severity::Info,
                    ),
                    _ => (
                        format!(
                            "a passwordless `sudoers` rule for `{}`: make sure none of these commands lets the user \
                             out to a root shell",
                            commands.trim()
                        ),
                        Severity::Info,
                    ),
                };
                let mut finding = Finding::new(shell.doc_range(arg.range), message);
                if severity != RULE.severity {
                    finding = finding.with_severity(severity);
                }
                out.push(finding);
            }
        }
    }
}

/// The command list of a `sudoers` rule in the text, when the rule grants root (`ALL` or `NOPASSWD`):
/// `user host=(runas) [NOPASSWD:] commands`.
fn grant(text: &str) -> Option<(&str, bool)> {
    let text = text.trim_matches(|c| c == '"' || c == '\'');
    // The host list is the second field: `<user or %group> ALL=`.
    let eq = text.find(" ALL=").or_else(|| text.find("\tALL="))?;
    if text[..eq].trim().is_empty() {
        return None;
    }
    let rest = text[eq..].trim_start().strip_prefix("ALL=")?.trim_start();
    let rest = if rest.starts_with('(') { rest.split_once(')').map(|(_, r)| r)?.trim_start() } else { rest };
    let passwordless = rest.contains("NOPASSWD");
    let commands = rest.rsplit_once(':').filter(|(tags, _)| tags.contains("PASSWD")).map_or(rest, |(_, c)| c);
    let commands = commands.split(['\n', '\\']).next().unwrap_or_default();
    let all = commands.split(',').any(|c| c.trim() == "ALL");
    (all || passwordless).then_some((commands, passwordless))
}
