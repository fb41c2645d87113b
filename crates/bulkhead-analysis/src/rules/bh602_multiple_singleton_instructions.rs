//! BH602 multiple-singleton-instructions: a stage has more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::{Severity, Tag};
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH602",
    name: "multiple-singleton-instructions",
    practice: Practice::Healthcheck,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan { planned: "safe: delete the earlier occurrences in the stage", decision: "" }),
    aliases: &[
        "DL3012",
        "DL4003",
        "DL4004",
        "DS-0007",
        "DS007",
        "DS-0016",
        "DS016",
        "DS-0023",
        "DS023",
        "MultipleInstructionsDisallowed",
        "multiple-cmd-instructions",
        "multiple-entrypoint-instructions",
    ],
    summary: "A stage has more than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK`: only the last one counts.",
    doc: r#"
## What it does
Checks each stage for repeated `CMD`, `ENTRYPOINT` and `HEALTHCHECK` instructions and reports every one
but the last, which is the only one that takes effect. `ONBUILD` triggers are not counted (they run in
another build), and instructions in different stages do not conflict.

## Why it matters
The earlier instruction is dead code that reads as if it mattered: a reviewer checks the health probe
or the entry point that never runs, while the image does something else. It is usually a leftover of a
merge or of a copied snippet, and it may hide the command you meant to ship.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "-m", "http.server"]
CMD ["gunicorn", "app:app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["gunicorn", "app:app"]
```

## Fix
"Remove the overridden instruction" (safe) deletes the earlier instruction and its line break; the last
one stays. The image does not change: Docker ignores the earlier one anyway. (An `ENTRYPOINT` clears an
inherited `CMD` only when the stage sets no `CMD` of its own, which deleting an earlier `ENTRYPOINT` or
`CMD` does not change.)

## How to silence
`# bulkhead ignore=BH602` on the line before the earlier instruction, or `ignore = ["BH602"]` in
`.bulkhead.toml`. `# hadolint ignore=DL4003` (CMD), `DL4004` (ENTRYPOINT), `DL3012` (HEALTHCHECK) and
`# check=skip=MultipleInstructionsDisallowed` work too.

## References
- Docker docs: Dockerfile reference, `CMD` ("only the last CMD takes effect"), `ENTRYPOINT`, `HEALTHCHECK`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let index = ctx.file.line_index();
    for stage in &ctx.model.stages {
        let body: Vec<_> = stage.instructions(ctx.file).collect();
        for kind in [InstructionKind::Cmd, InstructionKind::Entrypoint, InstructionKind::Healthcheck] {
            let same: Vec<_> = body.iter().filter(|(_, i)| i.kind == kind).map(|(_, i)| *i).collect();
            let Some((last, earlier)) = same.split_last() else { continue };
            let last_line = index.line_of(last.range.start) + 1;
            let keyword = kind.keyword();
            for instruction in earlier {
                out.push(
                    Finding::new(
                        instruction.line_range(),
                        format!("this `{keyword}` has no effect: the `{keyword}` on line {last_line} overrides it"),
                    )
                    .with_tag(Tag::Unnecessary)
                    .with_fix(Fix::safe(
                        format!("Remove the overridden `{keyword}`"),
                        vec![util_edit::delete_instruction(ctx.file, instruction)],
                    )),
                );
            }
        }
    }
}
