//! BH715 host-namespace: a Compose service shares a namespace with the host.

use crate::compose::{ComposeContext, level};
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH715",
    name: "host-namespace",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A Compose service shares the host's network, PID, IPC, user or UTS namespace.",
    doc: r#"
## What it does
Checks `network_mode`, `pid`, `ipc`, `userns_mode` and `uts` for `host`. `pid: host` is an **error**
(the container sees and signals every host process, and with `SYS_PTRACE` reads their memory);
`network_mode: host`, `ipc: host`, `userns_mode: host` and `uts: host` are **warnings**. Home-automation
and monitoring stacks use `network_mode: host` on purpose (multicast discovery, node metrics): silence it
there with a comment that says why.

## Why it matters
Namespaces are what makes a container a container. With the host's network the service reaches every
port bound to the host's `localhost` (databases, the Docker API, cloud metadata proxies) and can bind
any host port; with the host's IPC it reads shared memory of host processes; `userns_mode: host` turns
off user-namespace remapping, so root in the container is root on the host.

## Example
```yaml
services:
  agent:
    image: example/agent:1.0
    pid: host
```

## Use instead
```yaml
services:
  agent:
    image: example/agent:1.0
    ports:
      - "127.0.0.1:9100:9100"
```

## How to silence
`# bulkhead ignore=BH715` on the line before the key, or `ignore = ["BH715"]` in `.bulkhead.toml`.

## References
- Docker docs: `docker run --network host`, `--pid`, `--ipc`, `--userns`, `--uts`
- CWE-653: Improper Isolation or Compartmentalization
"#,
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        for (key, what) in [
            ("pid", "process"),
            ("network_mode", "network"),
            ("ipc", "IPC"),
            ("userns_mode", "user"),
            ("uts", "UTS (host name)"),
        ] {
            let Some(entry) = service.get(file, key) else { continue };
            if file.value(entry.value).is_some_and(|value| value.trim() == "host") {
                out.push(
                    Finding::new(
                        file.entry_range(entry),
                        format!("service `{}` shares the host's {what} namespace (`{key}: host`)", service.name),
                    )
                    .with_severity(level(key == "pid")),
                );
            }
        }
    }
}
