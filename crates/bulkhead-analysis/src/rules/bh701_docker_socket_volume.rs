//! BH701 docker-socket-volume: `VOLUME` on the Docker (or another container runtime's) socket.

use bulkhead_syntax::{Instruction, InstructionKind};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH701",
    name: "docker-socket-volume",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["dockerfile-dockerd-socket-mount"],
    summary: "`VOLUME` declares the Docker socket (or another container runtime's socket) as a mount point.",
    doc: r#"
## What it does
Checks `VOLUME` instructions, in shell and JSON form and with variables substituted, for the Docker
socket (`/var/run/docker.sock`, `/run/docker.sock`) and the sockets of other container runtimes that give
the same control (containerd, CRI-O, Podman). Every stage is checked, `ONBUILD VOLUME` included: a
`VOLUME` line documents how the image expects to be run, wherever it is.

Semgrep checks only `/var/run/docker.sock`; `/run` is the same directory on current distributions, and
the other runtimes' sockets are just as dangerous, so bulkhead checks them all. A `host:container`
pair written as for `docker run -v` (`VOLUME /run/docker.sock:/run/docker.sock`) counts when either
side is a socket: `VOLUME` cannot mount the host's path, but the line says the image expects it.

In a Compose file it checks the host side of every service's `volumes` (short `src:dst` and long
`source:`), interpolated: mounting a runtime socket there is exactly what the `VOLUME` line invites.
Read-only (`:ro`) does not help: the socket is an API, and writing to it is not what `ro` prevents.

## Why it matters
A `VOLUME` on the socket is an invitation to run the container with `-v /var/run/docker.sock:/var/run/docker.sock`.
Whoever can talk to that socket can start a privileged container with the host's `/` mounted, so any code
execution in this container (a vulnerable dependency, an injected command) becomes root on the host. It
also defeats every other runtime hardening flag (`--cap-drop=ALL`, `--read-only`,
`--security-opt no-new-privileges`, `--memory`/`--cpus` limits): the attacker simply starts a new container
without them.

## Example
```dockerfile
FROM docker:27-cli
VOLUME /var/run/docker.sock
CMD ["docker", "ps"]
```

## Use instead
```dockerfile
FROM docker:27-cli
ENV DOCKER_HOST=tcp://docker-proxy:2375
CMD ["docker", "ps"]
```
When a tool really needs the engine API, put a filtering proxy in front of it (for example
tecnativa/docker-socket-proxy, allowing only the endpoints the tool reads), use a rootless Docker daemon,
or give CI jobs their own builder (BuildKit, kaniko) instead of the host's engine.

## How to silence
`# bulkhead ignore=BH701` on the line before the `VOLUME`, or `ignore = ["BH701"]` in `.bulkhead.toml`.
Semgrep's `# nosemgrep: dockerfile-dockerd-socket-mount` works too.

## References
- Docker docs: Protect the Docker daemon socket; Docker Engine security, "Docker daemon attack surface"
- OWASP Docker Security Cheat Sheet, rule #1: Do not expose the Docker daemon socket
- CWE-250: Execution with Unnecessary Privileges
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

/// Sockets that give full control over the host's containers, with the runtime each belongs to.
const RUNTIME_SOCKETS: &[(&str, &str)] = &[
    ("/var/run/docker.sock", "Docker"),
    ("/run/docker.sock", "Docker"),
    ("/var/run/containerd/containerd.sock", "containerd"),
    ("/run/containerd/containerd.sock", "containerd"),
    ("/var/run/crio/crio.sock", "CRI-O"),
    ("/run/crio/crio.sock", "CRI-O"),
    ("/var/run/podman/podman.sock", "Podman"),
    ("/run/podman/podman.sock", "Podman"),
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, instruction) in ctx.file.instructions().iter().enumerate() {
        let volume: &Instruction = match instruction.kind {
            InstructionKind::Volume => instruction,
            InstructionKind::Onbuild => match instruction.trigger.as_deref() {
                Some(trigger) if trigger.kind == InstructionKind::Volume => trigger,
                _ => continue,
            },
            _ => continue,
        };
        for word in volume.arg_values() {
            let Some(path) = ctx.model.expand_at(idx, &word.value) else { continue };
            // `VOLUME /run/docker.sock:/run/docker.sock`, written as if it were `docker run -v`: Docker
            // makes a volume of that literal path, but the intent is the host's socket.
            let Some((socket, runtime)) = path.split(':').find_map(runtime_socket) else { continue };
            out.push(Finding::new(
                word.range,
                format!(
                    "`VOLUME {socket}` asks for the host's {runtime} socket: whoever runs code in the container controls the host"
                ),
            ));
        }
    }
}

fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        for mount in service.volumes(file) {
            let Some((socket, runtime)) = runtime_socket(&mount.source) else { continue };
            out.push(Finding::new(
                mount.range,
                format!(
                    "service `{}` mounts the host's {runtime} socket `{socket}`: whoever runs code in it controls the host",
                    service.name
                ),
            ));
        }
    }
}

/// The runtime socket `path` names (`//` and a trailing `/` ignored).
fn runtime_socket(path: &str) -> Option<(&'static str, &'static str)> {
    let mut normalized = String::with_capacity(path.len());
    for part in path.split('/').filter(|part| !part.is_empty() && *part != ".") {
        normalized.push('/');
        normalized.push_str(part);
    }
    RUNTIME_SOCKETS.iter().copied().find(|(socket, _)| *socket == normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_paths() {
        assert_eq!(runtime_socket("/var/run/docker.sock/").map(|s| s.1), Some("Docker"));
        assert_eq!(runtime_socket("//run//docker.sock").map(|s| s.0), Some("/run/docker.sock"));
        assert_eq!(runtime_socket("/run/containerd/containerd.sock").map(|s| s.1), Some("containerd"));
        assert!(runtime_socket("/var/run").is_none());
        assert!(runtime_socket("/data/docker.sock.bak").is_none());
    }
}
