//! BH013 expose-invalid-port: `EXPOSE` with a port outside 1-65535 or an unknown protocol.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH013",
    name: "expose-invalid-port",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3011", "DS-0008", "DS008", "AVD-DS-0008", "invalid-port"],
    summary: "`EXPOSE` names a port outside 1-65535, a backwards range or a protocol other than tcp, udp, sctp.",
    doc: r#"
## What it does
Checks each `EXPOSE` value (also in `ONBUILD`): a port from 1 to 65535, or a range `8000-8010` whose
start is not above its end, optionally followed by `/tcp`, `/udp` or `/sctp`. Variables are expanded
from `ARG`/`ENV` defaults; a value whose variable is not known (a build argument without default, a
variable from the base image) is not flagged. The old `host:container` form is left to BH014, which
drops the host part; the container port is still checked here.

## Why it matters
Docker rejects the value and the build fails, or, for a port that merely looks plausible (`80800`), the
image documents a port nothing listens on. Orchestrators and scanners read `EXPOSE` to decide what to
publish and probe, so a wrong value means a health check or a network policy aimed at the wrong port.

## Example
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 80800
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 8080
```

## How to silence
`# bulkhead ignore=BH013` on the line before the `EXPOSE`, or `ignore = ["BH013"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3011` works too.

## References
- Docker docs: Dockerfile reference, `EXPOSE`
- CIS Docker Benchmark: only needed ports are open on the container
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (word, value) in util::expose_words(ctx) {
        // One word may expand to several (`ARG PORTS="80 443"`).
        for item in value.split_whitespace() {
            if let Some(problem) = port_problem(item) {
                out.push(Finding::new(word.range, format!("`EXPOSE {item}`: {problem}")));
            }
        }
    }
}

/// What is wrong with one `EXPOSE` value, if anything.
fn port_problem(item: &str) -> Option<String> {
    let (ports, proto) = match item.split_once('/') {
        Some((ports, proto)) => (ports, Some(proto)),
        None => (item, None),
    };
    // `ip:host:container`: only the container port counts (BH014 flags the rest).
    let ports = ports.rsplit(':').next().unwrap_or(ports);
    if let Some(proto) = proto
        && !["tcp", "udp", "sctp"].contains(&proto.to_ascii_lowercase().as_str())
    {
        return Some(format!("`{proto}` is not a protocol; use `tcp`, `udp` or `sctp`"));
    }
    let (start, end) = match ports.split_once('-') {
        Some((start, end)) => (start, Some(end)),
        None => (ports, None),
    };
    let parse = |text: &str| text.parse::<u32>().ok().filter(|port| (1..=65535).contains(port));
    let invalid = |text: &str| match text {
        "" => "a port number is missing".to_owned(),
        text => format!("`{text}` is not a port from 1 to 65535"),
    };
    let Some(first) = parse(start) else { return Some(invalid(start)) };
    if let Some(end) = end {
        let Some(last) = parse(end) else { return Some(invalid(end)) };
        if last < first {
            return Some(format!("the range `{ports}` ends before it starts"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        for ok in ["80", "80/tcp", "53/UDP", "8000-8010", "9000/sctp", "127.0.0.1:80:8080", "8080:80", "65535"] {
            assert_eq!(port_problem(ok), None, "{ok}");
        }
        for bad in ["0", "65536", "80/http", "8010-8000", "http", "80-", "-1", "8o", "/tcp"] {
            assert!(port_problem(bad).is_some_and(|problem| !problem.contains("``")), "{bad}");
        }
    }
}
