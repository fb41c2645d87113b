//! BH702 expose-port-22: the final image exposes SSH (port 22).

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::{util_edit, util_purpose};

pub(crate) const RULE: Rule = Rule {
    code: "BH702",
    name: "expose-port-22",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: remove `22` from `EXPOSE`, the line when it is left empty",
        decision: "",
    }),
    aliases: &["DS-0004", "DS004", "CKV_DOCKER_1"],
    summary: "The final image exposes port 22 (SSH).",
    doc: r#"
## What it does
Checks the final stage and the stages it is built `FROM` for `EXPOSE 22` (also `22/tcp`, or a variable
whose value is 22). Build stages are not checked: what they expose never reaches the image. Installing
or starting an SSH server is BH703 (ssh-server-installed).

When the final image's main process is the SSH daemon in the foreground (`CMD ["/usr/sbin/sshd", "-D"]`,
`dropbear -F`: a Git-over-SSH server, a bastion), SSH is the product: the finding is information, says so,
and has no fix (removing the port would remove what the image is for). BH703 describes how to keep such a
daemon safe.

## Why it matters
An SSH daemon in a container is a second way in, with its own keys and passwords to leak, brute-force
and patch, and it usually runs as root next to the app. Containers are meant to be replaced, not logged
into: `docker exec` and `kubectl exec` give a shell when one is needed, through the engine's own
authentication and audit trail.

## Example
```dockerfile
FROM ubuntu:24.04
EXPOSE 22 8080
```

## Use instead
```dockerfile
FROM ubuntu:24.04
EXPOSE 8080
```
Use `docker exec -it <container> sh` (or `kubectl exec`) to get a shell, and `docker cp` to move files.

## Fix
"Remove port 22 from `EXPOSE`" (unsafe: clients that connect to port 22 stop working) deletes `22` (or
`22/tcp`) from the `EXPOSE` instruction, and the whole instruction when nothing else is left. Remove the
SSH server itself too (BH703).

## How to silence
`# bulkhead ignore=BH702` on the line before the instruction, or `ignore = ["BH702"]` in `.bulkhead.toml`.

## References
- Docker docs: `docker exec`
- CIS Docker Benchmark 5.6: Ensure sshd is not run within containers
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let served = util_purpose::served_ssh_daemon(ctx);
    for port in ctx.model.final_exposed_ports(ctx.file) {
        if port.value != "22" && port.value != "22/tcp" {
            continue;
        }
        // SSH is what the image serves: removing the port would remove the product.
        if let Some(daemon) = &served {
            out.push(
                Finding::new(
                    port.range(),
                    format!(
                        "the final image exposes port 22 for `{daemon}`, its main process: SSH is what it \
                         serves, so keep password and root logins off and its host keys out of the image (BH703)"
                    ),
                )
                .with_severity(Severity::Info),
            );
            continue;
        }
        let fixes = util_edit::delete_word_or_instruction(ctx.file, port.instruction, port.word)
            .map(|edit| Fix::unsafe_("Remove port 22 from `EXPOSE`", vec![edit]));
        out.push(
            Finding::new(
                port.range(),
                "the final image exposes port 22 (SSH): use `docker exec` instead of an SSH server",
            )
            .with_fixes(fixes),
        );
    }
}
