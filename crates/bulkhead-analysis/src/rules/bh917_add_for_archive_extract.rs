//! BH917 add-for-archive-extract: a local archive is copied into a layer and then unpacked.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_copy;

pub(crate) const RULE: Rule = Rule {
    code: "BH917",
    name: "add-for-archive-extract",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3010"],
    summary: "A local tar archive is `COPY`'d and then unpacked with `tar` in a later `RUN`: the archive stays in a layer.",
    doc: r#"
## What it does
Checks `COPY` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`...) that a later `RUN` of
the same stage unpacks with `tar`. Off by default: hadolint (DL3010) suggests `ADD`, which unpacks
local archives by itself, but BH915 asks for `COPY` over `ADD`, so the two would argue. bulkhead's
recommended way avoids both: mount the archive for the one `RUN` that unpacks it.

## Why it matters
The copied archive is stored in its own layer, and deleting it later does not shrink the image: the
image carries the archive and its unpacked contents. `ADD app.tar.gz /opt/` unpacks in one layer, and
`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`
unpacks without ever storing the archive, while keeping the extraction explicit.

## Example
```dockerfile
FROM debian:bookworm-slim
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt
```

## How to silence
`# bulkhead ignore=BH917` on the line before the `COPY`, or leave the rule off (the default).
`# hadolint ignore=DL3010` works too.

## References
- Docker docs: Dockerfile reference, `ADD` (automatic extraction) and `RUN --mount=type=bind`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let body: Vec<_> = stage.instructions(ctx.file).collect();
        for (pos, (_, copy)) in body.iter().enumerate() {
            if copy.kind != InstructionKind::Copy || util_copy::copies_from_elsewhere(copy) {
                continue;
            }
            for source in util_copy::sources(copy) {
                let util_copy::Source::Word(word) = source else { continue };
                if !util_copy::is_archive(&word.value) || word.value.contains('$') {
                    continue;
                }
                let base = word.value.rsplit('/').next().unwrap_or(&word.value).to_owned();
                let later = body.get(pos + 1..).unwrap_or_default();
                let unpacked = later.iter().any(|(_, run)| {
                    run.shell.as_deref().is_some_and(|shell| {
                        shell.commands().iter().any(|c| {
                            c.program() == Some("tar")
                                && c.arg_values().any(|a| a.ends_with(&format!("/{base}")) || a == base)
                        })
                    })
                });
                if unpacked {
                    out.push(Finding::new(
                        word.range,
                        format!("`{base}` is copied and then unpacked: the archive stays in a layer of the image"),
                    ));
                }
            }
        }
    }
}
