//! BH017 empty-continuation: an empty line inside a line continuation.

use bulkhead_syntax::TextRange;

use crate::diagnostic::{Severity, Tag};
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};

pub(crate) const RULE: Rule = Rule {
    code: "BH017",
    name: "empty-continuation",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan { planned: "safe: delete the empty lines", decision: "" }),
    aliases: &["NoEmptyContinuation"],
    summary: "An empty line inside a line continuation: Docker skips it today, but it reads as the end of the instruction.",
    doc: r#"
## What it does
Checks instructions continued over several lines (a line ending in `\`, or the `# escape=` character)
for empty or whitespace-only lines between the first and the last line. Comment lines inside a
continuation are fine; heredoc bodies are not checked.

## Why it matters
Docker silently skips the empty line and joins the next line to the instruction, so what looks like the
end of a `RUN` is not: the "next" instruction below may actually be shell text of the `RUN` above,
and a reviewer reads a different build than the one that runs. BuildKit warns about it and has announced
that it will become an error.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl && \

    rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl && \
    rm -rf /var/lib/apt/lists/*
```

## Fix
"Remove the empty line" (safe) deletes the empty lines of the continuation; Docker skips them anyway, so
the build does not change.

## How to silence
`# bulkhead ignore=BH017` on the line before the instruction, `ignore = ["BH017"]` in
`.bulkhead.toml`, or `# check=skip=NoEmptyContinuation`.

## References
- Docker docs: build checks, NoEmptyContinuation
"#,
    check: Check::Instruction(check),
};

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let text = ctx.file.text();
    let index = ctx.file.line_index();
    let instruction = ctx.instruction;
    let span = instruction.line_range();
    let first = index.line_of(span.start);
    let last = index.line_of(span.end);
    for line in first + 1..last {
        let start = index.line_start(line);
        let end = index.line_content_end(text, line);
        let content = text.get(start..end).unwrap_or_default();
        if !content.chars().all(|c| c == ' ' || c == '\t') {
            continue;
        }
        let next = index.line_start(line + 1);
        let range = TextRange::new(start, next.max(end));
        out.push(
            Finding::new(
                TextRange::new(start, end),
                format!("empty line inside the continuation of `{}`", instruction.keyword.raw),
            )
            .with_tag(Tag::Unnecessary)
            .with_fix(Fix::safe("Remove the empty line", vec![Edit::delete(range)])),
        );
    }
}
