//! BH740 internal-port-published: a Compose service that looks internal (a database, a cache, a broker)
//! publishes its port on every interface of the host.

use crate::compose::{ComposeContext, ComposeFile, NodeId, Service};
use crate::diagnostic::Severity;
use crate::image::ImageRef;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH740",
    name: "internal-port-published",
    practice: Practice::RuntimeHardening,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A database, cache or broker service publishes its port on every interface of the host.",
    doc: r#"
## What it does
Checks the `ports:` of every service that looks internal: its image is a well-known database, cache,
search engine or message broker (`postgres`, `mysql`, `mariadb`, `mongo`, `redis`, `valkey`,
`memcached`, `elasticsearch`, `opensearch`, `rabbitmq`, `kafka`, `zookeeper`, `etcd`, `clickhouse`,
`cassandra`, `couchdb`, `influxdb`, `nats`), or the container port published is one of their default
ports (5432, 3306, 27017, 6379, 11211, 9200, 5672, 9092, 2181, 2379, 8123, 9042, 5984, 8086, 4222). It
reports a published port without a host address (`"5432:5432"`, `"5432"`) or bound to `0.0.0.0`/`::`,
in the short and the long (`published`, `host_ip`) forms; `expose:` publishes nothing and is not checked.
Values are interpolated; an unknown one is not reported. It is **info**: a development stack often
publishes its database on purpose.

## Why it matters
Docker publishes a port on every interface of the host by default, and its rules go before the host's
firewall (ufw, firewalld): a database published as `5432:5432` on a server is reachable from the
internet, usually with a default or weak password. Other services of the same Compose file reach it by
its service name on the Compose network without any published port.

## Example
```yaml
services:
  db:
    image: postgres:16
    ports:
      - "5432:5432"
```

## Use instead
```yaml
services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
```
Or publish nothing: the other services reach it as `db:5432`.

## Fix
None: whether the port is meant for other hosts is for you to decide.

## How to silence
`# bulkhead ignore=BH740` on the line before the port (or before the service's name), or
`ignore = ["BH740"]` in `.bulkhead.toml`.

## References
- Docker docs: Packet filtering and firewalls (published ports bypass ufw and firewalld)
- Docker docs: Compose file reference, `ports`
"#,
    check: Check::Compose(check),
};

/// Images of services that other services use and people should not reach: the last path component.
const INTERNAL_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "memcached",
    "elasticsearch",
    "opensearch",
    "rabbitmq",
    "kafka",
    "zookeeper",
    "etcd",
    "clickhouse-server",
    "cassandra",
    "couchdb",
    "influxdb",
    "nats",
];

/// Their default ports.
const INTERNAL_PORTS: &[u16] =
    &[5432, 3306, 27017, 6379, 11211, 9200, 5672, 9092, 2181, 2379, 8123, 9042, 5984, 8086, 4222];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let Some(entry) = service.get(file, "ports") else { continue };
        let image = internal_image(file, service);
        for item in file.list(entry.value) {
            let Some((host_ip, container)) = published(file, item) else { continue };
            if !matches!(host_ip.as_deref(), None | Some("0.0.0.0" | "::" | "[::]")) {
                continue;
            }
            let what = match (&image, INTERNAL_PORTS.contains(&container)) {
                (Some(image), _) => format!("`{image}`"),
                (None, true) => format!("{container} is a well-known database, cache or broker port"),
                (None, false) => continue,
            };
            out.push(Finding::new(
                file.yaml.node(item).range,
                format!(
                    "service `{}` ({what}) publishes port {container} on every interface of the host: bind it to \
                     127.0.0.1, or publish nothing (other services reach it by name)",
                    service.name
                ),
            ));
        }
    }
}

/// The image's name when it is one of [`INTERNAL_IMAGES`].
fn internal_image(file: &ComposeFile, service: &Service) -> Option<String> {
    let image = ImageRef::parse(&file.value(service.get(file, "image")?.value)?)?;
    let name = image.path.rsplit('/').next()?.to_ascii_lowercase();
    INTERNAL_IMAGES.contains(&name.as_str()).then_some(name)
}

/// A published port: its host address (when given) and container port (the start of a range).
fn published(file: &ComposeFile, item: NodeId) -> Option<(Option<String>, u16)> {
    let port = |text: &str| text.split(['/', '-']).next()?.trim().parse::<u16>().ok();
    if file.yaml.is_map(item) {
        let field = |key: &str| file.yaml.get(item, key).and_then(|e| file.value(e.value));
        field("published")?;
        return Some((field("host_ip").filter(|ip| !ip.is_empty()), port(&field("target")?)?));
    }
    let spec = file.value(item)?;
    // `[ip:]host:container[/proto]`; an IPv6 address is in brackets.
    let (address, rest) = match spec.strip_prefix('[') {
        Some(bracketed) => {
            let (ip, rest) = bracketed.split_once(']')?;
            (Some(format!("[{ip}]")), rest.strip_prefix(':')?.to_owned())
        }
        None => (None, spec.clone()),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let (host_ip, container) = match (address, parts.as_slice()) {
        (Some(ip), [_, container]) => (Some(ip), *container),
        (None, [ip, _, container]) => (Some((*ip).to_owned()), *container),
        (None, [_, container] | [container]) => (None, *container),
        _ => return None,
    };
    Some((host_ip, port(container)?))
}
