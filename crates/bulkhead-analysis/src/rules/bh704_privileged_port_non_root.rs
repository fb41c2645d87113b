//! BH704 privileged-port-non-root: the final image runs as a non-root user and exposes a port below 1024.

use crate::diagnostic::Severity;
use crate::knowledge;
use crate::model::{Base, EffectiveUser, is_root_user};
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH704",
    name: "privileged-port-non-root",
    practice: Practice::RuntimeHardening,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "The final image runs as a non-root user and exposes a port below 1024.",
    doc: r#"
## What it does
Checks the final image: when it runs as a non-root user (its last `USER` is not `root`/`0`, or the base
image is known to run as non-root, such as distroless `:nonroot`), each `EXPOSE`d port below 1024 (also
`80/tcp` and a range starting below 1024, with variables substituted) is reported. Images that run as
root are BH201's business; a `USER` whose value comes from a build argument without default is not
checked. Windows images are not checked.

## Why it matters
On Linux, binding a port below 1024 needs `CAP_NET_BIND_SERVICE`, unless the kernel's
`net.ipv4.ip_unprivileged_port_start` says otherwise. Docker 20.10 and later set it to 0 inside
containers, so the image works under `docker run`, but many Kubernetes nodes, rootless Podman and older
engines keep the default of 1024, and there the app fails at start with "permission denied". The usual
"fixes" undo the hardening: adding `NET_BIND_SERVICE` back after `--cap-drop=ALL`, going back to
`USER root`, or giving the binary file capabilities (`setcap`), which need the capability in the
container's bounding set and do nothing under `--security-opt no-new-privileges`.
A port of 1024 or above needs nothing: the container keeps `--cap-drop=ALL`, and the published port on
the host can still be 80 (`-p 80:8080`, a Kubernetes Service `port: 80, targetPort: 8080`).

## Example
```dockerfile
FROM nginx:1.27-alpine
USER nginx
EXPOSE 80
```

## Use instead
```dockerfile
FROM nginxinc/nginx-unprivileged:1.27-alpine
USER 101
EXPOSE 8080
```
Run it with `docker run -p 80:8080 --cap-drop=ALL --read-only --tmpfs /tmp --security-opt no-new-privileges
--memory 256m --cpus 1`; in Kubernetes set `capabilities: {drop: [ALL]}`, `readOnlyRootFilesystem: true`,
`allowPrivilegeEscalation: false` and `resources.limits`.

## Fix
None: `EXPOSE` only documents the port, and changing it without changing where the application listens
(its configuration, a `--port` flag, `PORT`) would make the image lie. Change the application's port,
then `EXPOSE` the new one.

## How to silence
`# bulkhead ignore=BH704` on the line before the `EXPOSE`, or `ignore = ["BH704"]` in `.bulkhead.toml`
(for instance when every runtime you deploy to sets `ip_unprivileged_port_start=0`).

## References
- Linux man page capabilities(7): `CAP_NET_BIND_SERVICE`
- Linux kernel docs: `net.ipv4.ip_unprivileged_port_start`
- Kubernetes docs: Configure a Security Context (`capabilities`, `sysctls`)
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some((stage, effective)) = ctx.model.final_user(ctx.file) else { return };
    let user = match effective {
        EffectiveUser::Explicit { user, known: true, .. } if !is_root_user(&user) => format!("`{user}`"),
        EffectiveUser::Explicit { .. } => return,
        EffectiveUser::ImageDefault => match ctx.model.root_base(stage) {
            Base::Image(image) if knowledge::nonroot_base_image(image).is_some() => {
                format!("the base image's non-root user (`{}`)", image.raw)
            }
            _ => return,
        },
    };
    for exposed in ctx.model.final_exposed_ports(ctx.file) {
        let Some(port) = privileged_port(&exposed.value) else { continue };
        out.push(Finding::new(
            exposed.range(),
            format!(
                "port {port} is below 1024 but the image runs as {user}: binding it needs `CAP_NET_BIND_SERVICE` on many hosts; listen on a port >= 1024 (for example {}) and publish it as {port}",
                suggested_port(port)
            ),
        ));
    }
}

/// The first port of an `EXPOSE` value (`80`, `80/tcp`, `80-90/udp`) when it is privileged (1-1023).
fn privileged_port(value: &str) -> Option<u16> {
    let ports = value.split('/').next().unwrap_or(value);
    let first = ports.split('-').next().unwrap_or(ports);
    let port: u16 = first.trim().parse().ok()?;
    (1..1024).contains(&port).then_some(port)
}

/// The conventional unprivileged twin of a port: 80 → 8080, 443 → 8443, 22 → 2222, else port + 8000.
fn suggested_port(port: u16) -> u16 {
    match port {
        22 => 2222,
        _ => port + 8000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        assert_eq!(privileged_port("80"), Some(80));
        assert_eq!(privileged_port("443/tcp"), Some(443));
        assert_eq!(privileged_port("1000-2000/udp"), Some(1000));
        assert_eq!(privileged_port("1024"), None);
        assert_eq!(privileged_port("0"), None);
        assert_eq!(privileged_port("http"), None);
        assert_eq!(suggested_port(443), 8443);
    }
}
