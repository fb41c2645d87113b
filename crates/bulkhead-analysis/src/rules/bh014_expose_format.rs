//! BH014 expose-format: `EXPOSE` with a `host:` part or an upper-case protocol.

use bulkhead_syntax::TextRange;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH014",
    name: "expose-format",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: lowercase the protocol; drop the `ip:`/`host:` part", decision: "" }),
    aliases: &["ExposeInvalidFormat", "ExposeProtoCasing"],
    summary: "`EXPOSE` with an `ip:` or `host:` part (ignored) or an upper-case protocol.",
    doc: r#"
## What it does
Checks each `EXPOSE` value (also in `ONBUILD`) for two forms Docker accepts but does not mean what they
say: a host part (`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:8080:80`) and a protocol in upper or mixed case
(`EXPOSE 53/UDP`). Ports outside 1-65535 and unknown protocols are BH013's.

## Why it matters
`EXPOSE` only documents which container port the app listens on; publishing, and choosing the host
address and port, happens at `docker run -p`. A host part is silently dropped, so `EXPOSE
127.0.0.1:8080:80` looks like a loopback-only binding but the image says nothing of the kind: whoever
runs it with `-P` publishes the port on every interface. Upper-case protocols work today only because
Docker lowercases them, and tools that read the image config literally may not.

## Example
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 127.0.0.1:8080:80/TCP
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 80/tcp
```
and bind the host address at run time: `docker run -p 127.0.0.1:8080:80 image`.

## Fix
"Drop the host part" (safe) deletes everything up to the last `:`; Docker ignores it already.
"Lowercase the protocol" (safe) rewrites `/TCP` as `/tcp`. Not offered for values that hold quotes or
variables.

## How to silence
`# bulkhead ignore=BH014` on the line before the `EXPOSE`, or `ignore = ["BH014"]` in `.bulkhead.toml`.
`# check=skip=ExposeInvalidFormat` and `# check=skip=ExposeProtoCasing` work too, each for its own
findings: the host part is BuildKit's ExposeInvalidFormat, the protocol's case its ExposeProtoCasing, so
skipping one keeps the other (`# check=skip=all` skips both).

## References
- Docker docs: Dockerfile reference, `EXPOSE`
- Docker docs: build checks, ExposeInvalidFormat and ExposeProtoCasing
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (word, value) in util::expose_words(ctx) {
        // Edits are made on the text as written, so only for a plain literal word.
        let literal = word.raw == value;
        let (ports, proto) = match value.split_once('/') {
            Some((ports, proto)) => (ports, Some(proto)),
            None => (value.as_str(), None),
        };
        if let Some(colon) = ports.rfind(':') {
            let host = ports.get(..=colon).unwrap_or_default();
            let mut finding = Finding::new(
                word.range,
                format!(
                    "`EXPOSE {value}`: the `{host}` part is ignored, `EXPOSE` cannot bind a host address or port; \
                     publish with `docker run -p`"
                ),
            )
            .with_alias("ExposeInvalidFormat");
            if literal {
                let range = TextRange::new(word.range.start, word.range.start + colon + 1);
                finding =
                    finding.with_fix(Fix::safe(format!("Drop the host part `{host}`"), vec![Edit::delete(range)]));
            }
            out.push(finding);
        }
        if let Some(proto) = proto
            && proto.chars().any(|c| c.is_ascii_uppercase())
            && ["tcp", "udp", "sctp"].contains(&proto.to_ascii_lowercase().as_str())
        {
            let lower = proto.to_ascii_lowercase();
            let mut finding =
                Finding::new(word.range, format!("`EXPOSE {value}`: write the protocol in lower case (`{lower}`)"))
                    .with_alias("ExposeProtoCasing");
            if literal {
                let range = TextRange::new(word.range.end - proto.len(), word.range.end);
                finding = finding.with_fix(Fix::safe("Lowercase the protocol", vec![Edit::replace(range, lower)]));
            }
            out.push(finding);
        }
    }
}
