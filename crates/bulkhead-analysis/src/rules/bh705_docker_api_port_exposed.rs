//! BH705 docker-api-port-exposed: the final image exposes the Docker Engine API's plaintext port, 2375.

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH705",
    name: "docker-api-port-exposed",
    practice: Practice::RuntimeHardening,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "(not in the plan; added for the runtime practice) unsafe: remove `2375` from `EXPOSE`, the line when it is left empty",
        decision: "",
    }),
    aliases: &[],
    summary: "The final image exposes port 2375, the Docker Engine API without TLS.",
    doc: r#"
## What it does
Checks the final stage and the stages it is built `FROM` for `EXPOSE 2375` (also `2375/tcp`, a variable
whose value is 2375, or a TCP range that holds it). Port 2376, the API behind TLS with client
certificates, is not flagged. Build stages are not checked: what they expose never reaches the image.

## Why it matters
Port 2375 is where a Docker daemon listens when it is started with `-H tcp://0.0.0.0:2375` and no TLS.
Whoever reaches that port can start a privileged container that mounts the host's root filesystem:
it is the Docker socket (BH701) without even a file permission in the way, and scanners find such
ports on the internet within minutes. An image that declares it is usually a Docker-in-Docker image
meant for a private CI network; `EXPOSE` alone publishes nothing, so this is a warning, not an error,
but one `-P` or `ports:` entry turns it into remote root.

## Example
```dockerfile
FROM docker:27-dind
EXPOSE 2375
```

## Use instead
```dockerfile
FROM docker:27-dind
ENV DOCKER_TLS_CERTDIR=/certs
EXPOSE 2376
```
Run the daemon with TLS and client certificates (`--tlsverify`), or let clients reach it through the
Unix socket over SSH (`DOCKER_HOST=ssh://user@host`).

## Fix
"Remove port 2375 from `EXPOSE`" (unsafe: clients that connect to 2375 stop working, and the daemon
still listens where its own flags say) deletes `2375` (or `2375/tcp`) from the instruction, and the
whole instruction when nothing else is left. Not offered for a range or a variable. Configure TLS as
above before removing it.

## How to silence
`# bulkhead ignore=BH705` on the line before the instruction, or `ignore = ["BH705"]` in `.bulkhead.toml`.

## References
- Docker docs: Protect the Docker daemon socket; Docker-in-Docker TLS (`DOCKER_TLS_CERTDIR`)
- CWE-306: Missing Authentication for Critical Function
"#,
    check: Check::File(check),
};

/// The Docker Engine API without TLS.
const PLAINTEXT_API_PORT: u16 = 2375;

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for port in ctx.model.final_exposed_ports(ctx.file) {
        let (ports, protocol) = port.value.split_once('/').unwrap_or((&port.value, "tcp"));
        if protocol != "tcp" {
            continue;
        }
        let exact = ports.parse::<u16>().ok() == Some(PLAINTEXT_API_PORT);
        if !exact && !range_holds(ports, PLAINTEXT_API_PORT) {
            continue;
        }
        let written = &port.instruction.words[port.word].value;
        let removable = exact && !written.contains('$');
        let fixes = removable
            .then(|| util_edit::delete_word_or_instruction(ctx.file, port.instruction, port.word))
            .flatten()
            .map(|edit| Fix::unsafe_("Remove port 2375 from `EXPOSE`", vec![edit]));
        out.push(
            Finding::new(
                port.range(),
                "the final image exposes port 2375, the Docker API without TLS: published, it gives anyone who reaches it root on the host",
            )
            .with_fixes(fixes),
        );
    }
}

/// True for a port range `low-high` that holds `port`.
fn range_holds(ports: &str, port: u16) -> bool {
    let Some((low, high)) = ports.split_once('-') else { return false };
    matches!((low.trim().parse::<u16>(), high.trim().parse::<u16>()), (Ok(low), Ok(high)) if (low..=high).contains(&port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(range_holds("2370-2380", 2375));
        assert!(range_holds("2375-2375", 2375));
        assert!(!range_holds("2376-2380", 2375));
        assert!(!range_holds("2375", 2375));
        assert!(!range_holds("a-b", 2375));
    }
}
