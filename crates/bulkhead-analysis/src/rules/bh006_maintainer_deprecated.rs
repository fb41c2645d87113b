//! BH006 maintainer-deprecated: `MAINTAINER` instead of the `org.opencontainers.image.authors` label.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH006",
    name: "maintainer-deprecated",
    practice: Practice::Correctness,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: `MAINTAINER x` → `LABEL org.opencontainers.image.authors=\"x\"`",
        decision: "",
    }),
    aliases: &[
        "DL4000",
        "DS-0022",
        "DS022",
        "AVD-DS-0022",
        "CKV_DOCKER_6",
        "MaintainerDeprecated",
        "maintainer-is-deprecated",
    ],
    summary: "`MAINTAINER` is deprecated; the OCI `org.opencontainers.image.authors` label replaces it.",
    doc: r#"
## What it does
Checks for the `MAINTAINER` instruction. (`ONBUILD MAINTAINER` is an error of its own: BH010.) It is a
hint: the instruction still works, and it does nothing unsafe; it only puts the owner where tools do
not look.

## Why it matters
`MAINTAINER` has been deprecated since Docker 1.13. It sets a legacy `Author` field that registries,
scanners and SBOM tools do not read, so whoever has to report a vulnerability in the image cannot find
its owner. The standard place is the `org.opencontainers.image.authors` label, which every OCI tool
shows.

## Example
```dockerfile
FROM alpine:3.20
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```

## Fix
"Replace with an `org.opencontainers.image.authors` label" (safe) rewrites the instruction, quoting
the value and escaping `"`, `\` and `$` so it stays literal. Not offered when a comment sits inside the
instruction's continuation lines. The image no longer has the legacy `Author` field; nothing that
runs in the container sees the difference.

## How to silence
`# bulkhead ignore=BH006` on the line before `MAINTAINER`, or `ignore = ["BH006"]` in `.bulkhead.toml`.
`# hadolint ignore=DL4000` and `# check=skip=MaintainerDeprecated` work too.

## References
- Docker docs: Dockerfile reference, `MAINTAINER` (deprecated)
- OCI image spec: pre-defined annotation keys
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for maintainer in ctx.file.instructions() {
        if maintainer.kind != InstructionKind::Maintainer {
            continue;
        }
        let mut finding = Finding::new(
            maintainer.keyword.range,
            "`MAINTAINER` is deprecated: set the `org.opencontainers.image.authors` label instead",
        );
        let has_comment = ctx.file.comments().iter().any(|c| maintainer.range.contains_range(c.range));
        if let (Some(rest), false) = (&maintainer.rest, has_comment) {
            let label = util::keyword_cased(ctx.file, "LABEL");
            let escaped = quote(rest.raw.trim(), maintainer.escape());
            let text = format!("{label} org.opencontainers.image.authors={escaped}");
            finding = finding.with_fix(Fix::safe(
                "Replace with an `org.opencontainers.image.authors` label",
                vec![Edit::replace(maintainer.range, text)],
            ));
        }
        out.push(finding);
    }
}

/// `value` in double quotes for `LABEL`, with the escape character, `"` and `$` escaped so it stays literal.
fn quote(value: &str, escape: char) -> String {
    let mut res = String::with_capacity(value.len() + 2);
    res.push('"');
    for ch in value.chars() {
        if ch == escape || ch == '"' || ch == '$' {
            res.push(escape);
        }
        res.push(ch);
    }
    res.push('"');
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes() {
        assert_eq!(quote(r#"Jane "J" <j@x> $HOME \"#, '\\'), r#""Jane \"J\" <j@x> \$HOME \\""#);
        assert_eq!(quote("a\\b", '`'), "\"a\\b\"");
    }
}
