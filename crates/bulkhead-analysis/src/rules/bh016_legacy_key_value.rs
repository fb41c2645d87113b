//! BH016 legacy-key-value: `ENV key value` / `LABEL key value`, the legacy whitespace-separated form.

use bulkhead_syntax::{Instruction, InstructionKind};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH016",
    name: "legacy-key-value",
    practice: Practice::Correctness,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "safe: `ENV k v` → `ENV k=\"v\"`", decision: "" }),
    aliases: &["LegacyKeyValueFormat"],
    summary: "`ENV key value` or `LABEL key value`: the legacy form, where the value is everything after the key.",
    doc: r#"
## What it does
Checks `ENV` and `LABEL` instructions (`ONBUILD` triggers included) written in the legacy
`KEY value` form, without `=`.

A hint, except where the legacy form most likely hides a mistake: a value word that reads as another
assignment (`ENV OPTS -Xmx1g MODE=prod`) is a warning. The severity follows the risk, not BuildKit,
which warns about every occurrence: `ENV PATH /opt/bin:$PATH` means exactly what it says, nothing
about it weakens the image, and on real files the rule fires on a large share of all `ENV` and `LABEL`
lines (1,233 findings in 383 of the 472 Dockerfiles of the test corpus), which as warnings would bury
the findings that matter.

## Why it matters
In the legacy form the value is the whole rest of the line, so `ENV OPTS -Xmx1g MODE=prod` sets one
variable `OPTS` to `-Xmx1g MODE=prod` instead of two variables, and a trailing space or a comment-looking
word becomes part of the value. The `KEY=value` form says where the value ends, allows several pairs per
instruction, and is the only form Docker documents today; BuildKit warns about the legacy one and it may
be removed.

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME /srv/app
LABEL maintainer "ops@example.com"
```

## Use instead
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/srv/app
LABEL maintainer="ops@example.com"
```

## Fix
"Write `KEY=value`" (safe) joins the key and the value with `=`. A one-word value is kept as written; a
value of several words is wrapped in double quotes when it holds no quotes, backslashes or runs of
spaces. Other values, and instructions continued over several lines, get no fix.

## How to silence
`# bulkhead ignore=BH016` on the line before the instruction, `ignore = ["BH016"]` in
`.bulkhead.toml`, or `# check=skip=LegacyKeyValueFormat`.

## References
- Docker docs: Dockerfile reference, `ENV` and `LABEL`; build checks, LegacyKeyValueFormat
"#,
    check: Check::Instruction(check),
};

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let instruction = ctx.instruction;
    let target = match instruction.kind {
        InstructionKind::Onbuild => match instruction.trigger.as_deref() {
            Some(trigger) => trigger,
            None => return,
        },
        _ => instruction,
    };
    if !matches!(target.kind, InstructionKind::Env | InstructionKind::Label) {
        return;
    }
    let Some(key) = target.words.first() else { return };
    if key.raw.contains('=') || target.words.len() < 2 {
        return;
    }
    let keyword = target.kind.keyword();
    let name = &key.value;
    // `ENV OPTS -Xmx1g MODE=prod`: `MODE=prod` is part of `OPTS`, which is rarely what was meant.
    let finding = match target.words.iter().skip(1).find(|w| looks_like_assignment(&w.value)) {
        Some(word) => Finding::new(
            key.range,
            format!(
                "`{keyword} {name} ...` uses the legacy form: `{}` is part of the value of `{name}`, not a \
                 separate key; write `{keyword} {name}=...`",
                word.value
            ),
        )
        .with_severity(Severity::Warning),
        None => Finding::new(
            key.range,
            format!("`{keyword} {name} ...` uses the legacy form: write `{keyword} {name}=...`"),
        ),
    };
    out.push(finding.with_fixes(fix(ctx, target)));
}

/// `NAME=value` with a variable-like name (`MODE=prod`, not `-Dkey=value`).
fn looks_like_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

fn fix(ctx: &InstructionContext<'_>, instruction: &Instruction) -> Option<Fix> {
    let (key, values) = instruction.words.split_first()?;
    let (first, last) = (values.first()?, values.last()?);
    let range = key.range.cover(last.range);
    let text = ctx.file.slice(range);
    if text.contains('\n') || text.contains('\r') || key.raw.contains(['"', '\'', '\\']) {
        return None;
    }
    let value = if values.len() == 1 {
        first.raw.to_string()
    } else {
        let joined = ctx.file.slice(first.range.cover(last.range));
        let plain = !joined.contains(['"', '\'', '\\', '\t']) && !joined.contains("  ");
        if !plain {
            return None;
        }
        format!("\"{joined}\"")
    };
    Some(Fix::safe("Write `KEY=value`", vec![Edit::replace(range, format!("{}={value}", key.raw))]))
}
