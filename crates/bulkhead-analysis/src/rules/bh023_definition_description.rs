//! BH023 definition-description: the comment above an `ARG` or a named `FROM` does not start with the name.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::suppress;

pub(crate) const RULE: Rule = Rule {
    code: "BH023",
    name: "definition-description",
    practice: Practice::Correctness,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["InvalidDefinitionDescription"],
    summary: "The comment right above an `ARG` or `FROM ... AS` is not in the form `# <name> <description>` (off by default).",
    doc: r#"
## What it does
For every `ARG NAME` and `FROM ... AS name` with comment lines right above it, checks that the first
line of that comment block starts with the name (`# NAME what it is for`). Build tools (`docker buildx build --call=outline`)
read such comments as the documentation of build arguments and targets. Suppression comments are not
checked. Like BuildKit's InvalidDefinitionDescription, which is experimental, the rule is off by default.

## Why it matters
It is documentation hygiene, not security: a description that does not start with the name is not shown
by `--call=outline`, so people building the image do not learn what an argument is for and guess.

## Example
```dockerfile
# The Go toolchain to build with
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}
```

## Use instead
```dockerfile
# GO_VERSION is the Go toolchain to build with
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}
```

## How to silence
Leave the rule off (the default), or add an empty line between the comment and the instruction.
`# check=skip=InvalidDefinitionDescription` works too.

## References
- Docker docs: build checks, InvalidDefinitionDescription; `docker buildx build --call=outline`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let index = ctx.file.line_index();
    for instruction in ctx.file.instructions() {
        let name = match instruction.kind {
            InstructionKind::Arg if instruction.words.len() == 1 => {
                instruction.words.first().map(|w| w.value.split('=').next().unwrap_or_default().to_owned())
            }
            InstructionKind::From => instruction
                .words
                .get(2)
                .filter(|_| instruction.words.get(1).is_some_and(|w| w.value.eq_ignore_ascii_case("as")))
                .map(|w| w.value.to_string()),
            _ => None,
        };
        let Some(name) = name.filter(|n| !n.is_empty()) else { continue };
        // The block of comment lines right above the instruction: its first line is the description.
        let comments = ctx.file.comments();
        let mut line = index.line_of(instruction.range.start);
        let mut block = None;
        while let Some(comment) =
            comments.iter().find(|c| !c.in_continuation && line > 0 && index.line_of(c.range.start) == line - 1)
        {
            block = Some(comment);
            line -= 1;
        }
        let Some(comment) = block else { continue };
        if suppress::parse_comment(&comment.text).is_some() || comment.text.is_empty() {
            continue;
        }
        if comment.text.split_whitespace().next() == Some(name.as_str()) {
            continue;
        }
        out.push(Finding::new(
            comment.range,
            format!("the comment above `{name}` should start with `{name}` to describe it: `# {name} <description>`"),
        ));
    }
}
