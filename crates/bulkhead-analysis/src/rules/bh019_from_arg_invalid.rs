//! BH019 from-arg-invalid: a `FROM` uses a variable no global `ARG` declares, or the `ARG` defaults give
//! an empty or invalid image name.

use bulkhead_syntax::{Instruction, TextRange, Word};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::{util, util_edit, util_stage};
use crate::vars::{self, VarValue};

pub(crate) const RULE: Rule = Rule {
    code: "BH019",
    name: "from-arg-invalid",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: `ARG NAME=<default>` before the first `FROM`", decision: "" }),
    aliases: &["UndefinedArgInFrom", "InvalidDefaultArgInFrom"],
    summary: "`FROM` uses a variable no `ARG` before the first `FROM` declares, or the defaults give no valid image.",
    doc: r#"
## What it does
Checks the image and the `--platform` value of every `FROM` for variables:
- a variable that no `ARG` before the first `FROM` declares (the platform arguments `BUILDPLATFORM`,
  `TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`... are predeclared there). An `ARG` inside a stage does
  not count: `FROM` lines only see the global ones;
- an image that is empty or not a valid reference when the `ARG` defaults are used (an `ARG` without a
  default counts as empty, as in a build without `--build-arg`), such as `FROM alpine:$TAG` with
  `ARG TAG`.

## Why it matters
An undeclared variable expands to nothing, so `FROM node:${NODE_VERSION}-slim` quietly becomes
`node:-slim` (an error) or `FROM ${REGISTRY}app` becomes `app` from Docker Hub: the build pulls an image
from a place nobody chose. A missing default makes every build depend on remembering the right
`--build-arg`; a default keeps the build reproducible and reviewable.

## Example
```dockerfile
ARG PYTHON_VERSION
FROM python:${PYTHON_VERSION}-slim
FROM ${REGISTRY}/base:1.0
```

## Use instead
```dockerfile
ARG PYTHON_VERSION=3.12
ARG REGISTRY=ghcr.io/example
FROM python:${PYTHON_VERSION}-slim
FROM ${REGISTRY}/base:1.0
```

## Fix
For an undeclared variable: "Use `<name>`" (unsafe) when a declared global `ARG` is within two edits of
it (a typo), else "Declare `ARG <name>` before the first `FROM`" (unsafe: the build still needs the
value passed in, or a default you choose). When a stage declares the `ARG` with a default, the fix
declares the same default in the global scope. An invalid default has no fix: only you know the right value.

## How to silence
`# bulkhead ignore=BH019` on the line before the `FROM`, `ignore = ["BH019"]` in `.bulkhead.toml`, or
`# check=skip=UndefinedArgInFrom,InvalidDefaultArgInFrom`. Each BuildKit name skips its own findings
only: an undeclared variable is BuildKit's UndefinedArgInFrom, an empty or invalid image with the
defaults its InvalidDefaultArgInFrom (`# check=skip=all` skips both).

## References
- Docker docs: Dockerfile reference, "Understand how ARG and FROM interact"; build checks
  UndefinedArgInFrom, InvalidDefaultArgInFrom
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    let Some(first_from) = ctx.model.stages.first().and_then(|s| instructions.get(s.from)) else { return };
    for stage in &ctx.model.stages {
        let Some(from) = instructions.get(stage.from) else { continue };
        let mut words: Vec<&Word> = from.words.first().into_iter().collect();
        words.extend(from.flag("platform").and_then(|f| f.value.as_ref()));
        let mut undefined = false;
        for word in &words {
            for var in vars::variable_refs_at(&word.raw, from.escape()) {
                // `${X:-default}` says what happens when `X` is unset.
                if var.has_default
                    || crate::model::PLATFORM_ARGS.contains(&var.name.as_str())
                    || ctx.model.definition(stage.from, &var.name).is_some()
                {
                    continue;
                }
                undefined = true;
                let range = ref_range(word, var.offset, var.len);
                out.push(undeclared(ctx, stage.from, first_from, &var, range));
            }
        }
        if undefined {
            continue;
        }
        let Some(image) = from.words.first().filter(|w| w.raw.contains('$')) else { continue };
        // An `ARG` without a default expands to nothing; a default whose value is not known (it
        // depends on `TARGETPLATFORM`, say) is left alone.
        let lookup = |name: &str| match ctx.model.definition(stage.from, name) {
            Some(def) => match def.value.as_deref() {
                Some(value) => VarValue::Known(value),
                None if ctx.file.slice(def.range).contains('=') => VarValue::Unknown,
                None => VarValue::Known(""),
            },
            None => VarValue::Unknown,
        };
        let Some(expanded) = vars::expand(&image.value, &lookup) else { continue };
        if util_stage::resolve(ctx, stage.from, &expanded).is_some() || expanded.eq_ignore_ascii_case("scratch") {
            continue;
        }
        if let Some(problem) = invalid_reference(&expanded) {
            out.push(
                Finding::new(
                    image.range,
                    format!(
                        "with the `ARG` defaults, `{}` gives {problem}: set a default or pass `--build-arg`",
                        image.raw
                    ),
                )
                .with_alias("InvalidDefaultArgInFrom"),
            );
        }
    }
}

fn undeclared(
    ctx: &RuleContext<'_>,
    at: usize,
    first_from: &Instruction,
    var: &vars::VarRef,
    range: Option<TextRange>,
) -> Finding {
    let name = &var.name;
    let globals = ctx.model.global_args.iter().map(|d| d.name.as_str());
    let in_stage = ctx.model.stages.iter().flat_map(|s| &s.vars).find(|d| d.name == *name && d.instruction < at);
    let mut message = match in_stage {
        Some(def) => {
            let line = ctx.file.line_index().line_of(def.range.start) + 1;
            format!(
                "`${name}` in `FROM` is declared on line {line}, inside a stage: `FROM` only sees `ARG`s before the first `FROM`"
            )
        }
        None => {
            format!("`${name}` in `FROM` is not declared by an `ARG` before the first `FROM`: it expands to nothing")
        }
    };
    let fix = match util::did_you_mean(name, globals, 2) {
        Some(suggestion) => {
            message.push_str(&format!(" (did you mean `{suggestion}`?)"));
            range.map(|range| {
                let name_start = range.start + if ctx.file.slice(range).starts_with("${") { 2 } else { 1 };
                let edit = Edit::replace(TextRange::new(name_start, name_start + name.len()), suggestion);
                Fix::unsafe_(format!("Use `{suggestion}`"), vec![edit])
            })
        }
        None => {
            // Move the stage's declaration, default included, to the global scope.
            let declaration = in_stage.map_or(name.as_str(), |def| ctx.file.slice(def.range));
            Some(Fix::unsafe_(
                format!("Declare `ARG {declaration}` before the first `FROM`"),
                vec![util_edit::insert_lines_before(ctx.file, first_from, &[format!("ARG {declaration}")])],
            ))
        }
    };
    Finding::new(range.unwrap_or(first_from.keyword.range), message).with_fixes(fix).with_alias("UndefinedArgInFrom")
}

/// The document range of `raw[offset..offset + len]` of a word, when the word sits on one line as written.
pub(crate) fn ref_range(word: &Word, offset: usize, len: usize) -> Option<TextRange> {
    (word.range.len() == word.raw.len())
        .then(|| TextRange::new(word.range.start + offset, word.range.start + offset + len))
}

/// What is wrong with an image reference, if anything.
fn invalid_reference(reference: &str) -> Option<&'static str> {
    if reference.is_empty() {
        return Some("an empty image name");
    }
    let (name_tag, digest) = match reference.split_once('@') {
        Some((name_tag, digest)) => (name_tag, Some(digest)),
        None => (reference, None),
    };
    let last_slash = name_tag.rfind('/').map_or(0, |idx| idx + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(idx) => (&name_tag[..last_slash + idx], Some(&name_tag[last_slash + idx + 1..])),
        None => (name_tag, None),
    };
    let path = name
        .split_once('/')
        .filter(|(host, _)| host.contains(['.', ':']) || *host == "localhost")
        .map_or(name, |(_, p)| p);
    let path_ok = !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && part.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                && part.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
        });
    if !path_ok {
        return Some("an invalid image name");
    }
    let tag_ok = |tag: &str| {
        tag.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    if tag.is_some_and(|tag| !tag_ok(tag)) {
        return Some("an empty or invalid tag");
    }
    if digest.is_some_and(|d| d.split_once(':').is_none_or(|(algo, hex)| algo.is_empty() || hex.is_empty())) {
        return Some("an invalid digest");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        assert_eq!(invalid_reference("alpine:"), Some("an empty or invalid tag"));
        assert_eq!(invalid_reference(""), Some("an empty image name"));
        assert_eq!(invalid_reference("/app:1"), Some("an invalid image name"));
        assert_eq!(invalid_reference("node:-slim"), Some("an empty or invalid tag"));
        assert_eq!(invalid_reference("-slim"), Some("an invalid image name"));
        assert_eq!(invalid_reference("localhost:5000/a/b:1@sha256:ab"), None);
        assert_eq!(invalid_reference("Ubuntu"), Some("an invalid image name"));
    }
}
