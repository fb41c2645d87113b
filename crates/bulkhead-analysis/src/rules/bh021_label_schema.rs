//! BH021 label-schema: `LABEL` keys that break Docker's key conventions or misspell an OCI annotation.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH021",
    name: "label-schema",
    practice: Practice::Correctness,
    severity: Severity::Info,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3048"],
    summary: "A `LABEL` key breaks Docker's key format, uses a reserved namespace or misspells an OCI key (off by default).",
    doc: r#"
## What it does
Checks every `LABEL` key (`ONBUILD` triggers included) against three things, with no configuration:
- Docker's key format: lower-case letters, digits, `.` and `-`, starting and ending with a letter or
  digit, without `..` or `--` (hadolint's DL3048);
- the namespaces Docker reserves for itself: `com.docker.*`, `io.docker.*`, `org.dockerproject.*`;
- keys under `org.opencontainers.image.` that are not one of the OCI image annotations (`source`,
  `revision`, `licenses`, `created`...), which are almost always typos (`org.opencontainers.image.sources`).

hadolint 2.15's DL3048 accepts `_` in keys (`registry_image`); Docker's guideline lists only lower-case
letters, digits, `.` and `-`, and bulkhead follows the guideline, so underscore keys are reported here
and not there.

hadolint's configurable label schema (required labels, value formats) is not implemented: a
schema belongs in policy tooling, and a half-implemented one would give false confidence.

## Why it matters
Scanners, registries and provenance tools read `org.opencontainers.image.source` and `.revision` to tie
an image to its code and to its vulnerability reports. A misspelled key is silently ignored, so the image
looks unattributed; a key in Docker's namespace may be overwritten or misread by the engine.

## Example
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.sources="https://github.com/example/app"
LABEL Maintainer="ops@example.com"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/example/app"
LABEL org.opencontainers.image.authors="ops@example.com"
```

## How to silence
`# bulkhead ignore=BH021` on the line before the `LABEL`, or leave the rule off (the default).
`# hadolint ignore=DL3048` works too.

## References
- OCI image spec: Pre-defined annotation keys
- Docker docs: Docker object labels, "Key format recommendations"
"#,
    check: Check::File(check),
};

const OCI_KEYS: &[&str] = &[
    "created",
    "authors",
    "url",
    "documentation",
    "source",
    "version",
    "revision",
    "vendor",
    "licenses",
    "ref.name",
    "title",
    "description",
    "base.digest",
    "base.name",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for instruction in ctx.file.instructions() {
        let label = match instruction.kind {
            InstructionKind::Onbuild => match instruction.trigger.as_deref() {
                Some(trigger) => trigger,
                None => continue,
            },
            _ => instruction,
        };
        if label.kind != InstructionKind::Label {
            continue;
        }
        let legacy = label.words.first().is_some_and(|w| !w.raw.contains('='));
        let keys = label.words.iter().take(if legacy { 1 } else { usize::MAX });
        for word in keys {
            let key = word.value.split('=').next().unwrap_or_default();
            if key.contains('$') || key.is_empty() {
                continue;
            }
            if let Some(problem) = problem(key) {
                out.push(Finding::new(word.range, format!("label key `{key}` {problem}")));
            }
        }
    }
}

fn problem(key: &str) -> Option<String> {
    if let Some(name) = key.strip_prefix("org.opencontainers.image.")
        && !OCI_KEYS.contains(&name)
    {
        return Some(match util::did_you_mean(name, OCI_KEYS.iter().copied(), 2) {
            Some(known) => format!("is not an OCI annotation (did you mean `org.opencontainers.image.{known}`?)"),
            None => "is not one of the OCI image annotations".to_owned(),
        });
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."].iter().any(|ns| key.starts_with(ns)) {
        return Some("uses a namespace Docker reserves for itself".to_owned());
    }
    let chars_ok = key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends_ok = key.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && key.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
    if !chars_ok || !ends_ok || key.contains("..") || key.contains("--") {
        return Some(
            "breaks Docker's key format: lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit"
                .to_owned(),
        );
    }
    None
}
