//! BH802 copy-ignored-file: `COPY`/`ADD` names a path that `.dockerignore` excludes from the context.

use bulkhead_syntax::InstructionKind;

use crate::context::DockerignoreState;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_copy::{self, Source};

pub(crate) const RULE: Rule = Rule {
    code: "BH802",
    name: "copy-ignored-file",
    practice: Practice::Dockerignore,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["CopyIgnoredFile"],
    summary: "`COPY`/`ADD` names a path that `.dockerignore` excludes: the build fails or copies nothing.",
    doc: r#"
## What it does
Checks every `COPY` and `ADD` source that comes from the build context (not `--from`, not a URL, not a
heredoc) against the context's `.dockerignore` (or `<Dockerfile>.dockerignore`), variables substituted.
It fires when the path itself, or a folder that holds it, is excluded. Sources with wildcards and the
whole context (`.`) are not checked, since which files they match is only known on disk, and neither is
a folder when a `!` pattern may bring some of its files back. The one exception: a `.dockerignore` that
excludes everything (`*`, `**`) with no `!` pattern after it makes `COPY . /app` copy nothing at all,
which is reported. `ONBUILD` copies run in another build's
context and are skipped. Without `.dockerignore` contents (a Dockerfile on standard input) the rule is
silent.

## Why it matters
An excluded path is never sent to the builder, so the `COPY` fails with "not found", often only in CI,
where the `.dockerignore` is the one from the repository rather than a developer's. The usual quick cure
is to delete the `.dockerignore` line, and that line is frequently the one keeping `.env` files, keys or
`.git` out of every image. Better to see the conflict when writing the Dockerfile and decide then:
copy what the build needs from somewhere else, or pass a secret with `RUN --mount=type=secret`.

## Example
With `.env` in `.dockerignore`:
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY package.json .env ./
RUN npm ci
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY package.json ./
RUN --mount=type=secret,id=dotenv,target=/app/.env npm ci
```
Build with `docker build --secret id=dotenv,src=.env .`: the file is there for that one `RUN` and never
stored in a layer.

## How to silence
`# bulkhead ignore=BH802` on the line before the `COPY`, or `ignore = ["BH802"]` in `.bulkhead.toml`.
BuildKit's `# check=skip=CopyIgnoredFile` works too.

## References
- Docker docs: `.dockerignore` files; Build checks, CopyIgnoredFile
- Docker docs: Build secrets
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(DockerignoreState::Present(ignore)) = &ctx.build.dockerignore else { return };
    for (idx, instruction) in ctx.file.instructions().iter().enumerate() {
        if !matches!(instruction.kind, InstructionKind::Copy | InstructionKind::Add)
            || util_copy::copies_from_elsewhere(instruction)
        {
            continue;
        }
        for source in util_copy::sources(instruction) {
            let Source::Word(word) = source else { continue };
            let Some(path) = ctx.model.expand_at(idx, &word.value) else { continue };
            if util_copy::is_whole_context(&path)
                && let Some(all) = excludes_everything(ignore)
            {
                out.push(Finding::new(
                    word.range,
                    format!(
                        "`{} {}`: `{}` excludes every file (`{all}`) and brings none back with `!`, so this copies \
                         nothing",
                        instruction.kind.keyword(),
                        word.value,
                        ignore.file_name
                    ),
                ));
                continue;
            }
            if util_copy::is_url(&path)
                || util_copy::is_git_url(&path)
                || util_copy::is_whole_context(&path)
                || path.contains(['*', '?', '['])
                || path.split('/').any(|part| part == "..")
            {
                continue;
            }
            let clean = path.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
            if clean.is_empty() || clean == "." {
                continue;
            }
            let Some(pattern) = ignore.excluded_by(clean) else { continue };
            // A later `!pattern` may bring back files below the folder: then the copy is partial on purpose.
            let prefix = format!("{clean}/");
            let reincluded = ignore.patterns.iter().any(|p| {
                let text = p.text.trim_start_matches("./").trim_start_matches('/');
                p.negated && (text.starts_with(&prefix) || text.starts_with("**"))
            });
            if reincluded {
                continue;
            }
            let keyword = instruction.kind.keyword();
            let shown = if word.value.contains('$') {
                format!("`{keyword} {}` (`{path}`)", word.value)
            } else {
                format!("`{keyword} {}`", word.value)
            };
            out.push(Finding::new(
                word.range,
                format!(
                    "{shown}: `{}` excludes it (`{}`), so the builder never gets it and the build fails with \"not found\"",
                    ignore.file_name, pattern.text
                ),
            ));
        }
    }
}

/// The pattern that excludes the whole context (`*`, `**`, `/*`, `**/*`) when no `!` pattern after it
/// brings anything back.
fn excludes_everything(ignore: &crate::context::Dockerignore) -> Option<&str> {
    let at = ignore.patterns.iter().rposition(|p| {
        !p.negated && matches!(p.text.trim_start_matches("./").trim_start_matches('/'), "*" | "**" | "**/*")
    })?;
    let later = ignore.patterns.get(at + 1..).unwrap_or_default();
    (!later.iter().any(|p| p.negated)).then(|| ignore.patterns[at].text.as_str())
}
