//! BH004 copy-multi-src-dest-slash: `COPY`/`ADD` with several sources and a destination without `/`.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_copy;

pub(crate) const RULE: Rule = Rule {
    code: "BH004",
    name: "copy-multi-src-dest-slash",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan { planned: "safe: append `/` to the destination", decision: "" }),
    aliases: &["DL3021", "DS-0011", "DS011", "AVD-DS-0011"],
    summary: "`COPY`/`ADD` with more than one source needs a destination that ends with `/`.",
    doc: r#"
## What it does
Checks `COPY` and `ADD` (also in `ONBUILD`, shell and exec form, heredoc sources included) that name
more than one source for a destination that does not end with `/`. Variables in the destination are
expanded from `ARG`/`ENV` defaults; a destination whose value is not known is not flagged. A single
wildcard source (`COPY *.json /app`) is not flagged either: whether it matches several files is only
known at build time. A destination of `.` or `..`, or one ending in `/.` or `/..`, is a directory to
the builder (BuildKit copies `COPY a b .` into the working directory) and is not flagged. A flag that
needs a value written without one (`COPY --from build src dst`) is BH000's syntax error: the builder
rejects the line, and its sources are not what they seem, so no slash is suggested.

## Why it matters
Docker refuses the instruction ("the destination must be a directory and end with a /"), so the build
breaks. With older builders the same line could instead copy each source over the previous one into a
single file: the image silently lacks files the app needs.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt setup.py /app
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY requirements.txt setup.py /app/
```

## Fix
"Add `/` to the destination" (safe) appends the slash. With several sources the destination can only
be a directory, so this is what the line already means.

## How to silence
`# bulkhead ignore=BH004` on the line before the instruction, or `ignore = ["BH004"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3021` works too.

## References
- Docker docs: Dockerfile reference, `COPY` (several sources)
"#,
    check: Check::File(check),
};

/// A destination the builder reads as a directory: one ending in `/` (or `\\` on Windows), and `.`, `..` or
/// a path ending in `/.` or `/..`.
fn is_directory(path: &str) -> bool {
    let last = path.rsplit(['/', '\\']).next().unwrap_or(path);
    path.ends_with(['/', '\\']) || last == "." || last == ".."
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, copy) in util_copy::copies(ctx) {
        // `COPY --from build src dst`: the builder rejects the flag (BH000), and `build` is no source.
        if copy.flag_missing_value().is_some() {
            continue;
        }
        let n_sources = util_copy::sources(copy).len();
        if n_sources < 2 {
            continue;
        }
        let Some(dest) = copy.arg_values().last() else { continue };
        let Some(path) = ctx.model.expand_at(idx, &dest.value) else { continue };
        if is_directory(&path) {
            continue;
        }
        // Insert inside the closing quote of a quoted destination (`"/app"` in exec form).
        let closing_quote = dest.raw.len() >= 2 && (dest.raw.ends_with('"') || dest.raw.ends_with('\''));
        let insert_at = if closing_quote { dest.range.end - 1 } else { dest.range.end };
        let keyword = copy.kind.keyword();
        out.push(
            Finding::new(
                dest.range,
                format!(
                    "`{keyword}` with {n_sources} sources needs a directory destination ending in `/`, not `{path}`"
                ),
            )
            .with_fix(Fix::safe("Add `/` to the destination", vec![Edit::insert(insert_at, "/")])),
        );
    }
}
