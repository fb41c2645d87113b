//! BH801 copy-context-without-dockerignore: `COPY . <dst>` while the build context has no `.dockerignore`.

use bulkhead_syntax::InstructionKind;

use crate::context::DockerignoreState;
use crate::diagnostic::Severity;
use crate::rule::{Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util_copy::{self, Source};

pub(crate) const RULE: Rule = Rule {
    code: "BH801",
    name: "copy-context-without-dockerignore",
    practice: Practice::Dockerignore,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    aliases: &[],
    summary: "`COPY .` copies the whole build context, and the context has no `.dockerignore`.",
    doc: r#"
## What it does
Checks `COPY` and `ADD` instructions whose source is the whole build context (`.`, `./`, `*`) while the
context has no `.dockerignore` (nor a `<Dockerfile>.dockerignore` beside the Dockerfile). Copies from
another stage (`--from`) and `ONBUILD` copies (they run in someone else's context) are not checked.
When it is not known whether a `.dockerignore` exists (a Dockerfile read from standard input), the rule
stays silent.

## Why it matters
Without a `.dockerignore`, `COPY . .` copies everything in the directory into a layer: `.git` (the whole
history, sometimes with credentials in `.git/config`), `.env` files, private keys, local `node_modules`
and build output. Secrets leak into the image, the image grows, and every edit to an unrelated file
invalidates the build cache from that `COPY` on. The whole directory is also sent to the builder on
every build.

## Example
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src/ ./src/
```
Or keep `COPY . .` and add a `.dockerignore` beside the Dockerfile, for example:
```text
.git
.dockerignore
Dockerfile*
**/.env
**/.env.*
!**/.env.example
**/*.pem
**/*.key
**/id_rsa*
**/.npmrc
**/node_modules
**/__pycache__
target/
dist/
```

## Fix
None in the file itself: the cure is a new `.dockerignore` file, which a workspace edit of the language
server will create later. Write one with the content above, adjusted to your ecosystem's dependency and
build folders, or copy only what the build needs.

## How to silence
`# bulkhead ignore=BH801` on the line before the `COPY`, or `ignore = ["BH801"]` in `.bulkhead.toml`.
An empty `.dockerignore` silences it too, but then nothing is excluded.

## References
- Docker docs: Build context, `.dockerignore` files
- CWE-538: Insertion of Sensitive Information into Externally-Accessible File
"#,
    check,
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    if !matches!(ctx.build.dockerignore, Some(DockerignoreState::Missing)) {
        return;
    }
    for instruction in ctx.file.instructions() {
        if !matches!(instruction.kind, InstructionKind::Copy | InstructionKind::Add)
            || util_copy::copies_from_elsewhere(instruction)
        {
            continue;
        }
        let whole = util_copy::sources(instruction).into_iter().find_map(|source| match source {
            Source::Word(word) if util_copy::is_whole_context(&word.value) => Some(word),
            _ => None,
        });
        if let Some(word) = whole {
            let keyword = instruction.kind.keyword();
            out.push(Finding::new(
                instruction.line_range(),
                format!(
                    "`{keyword} {}` copies the whole build context, which has no `.dockerignore`: `.git`, `.env` files and keys go into the image",
                    word.value
                ),
            ));
        }
    }
}
