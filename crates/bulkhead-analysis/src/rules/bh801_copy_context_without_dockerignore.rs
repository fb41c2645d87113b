//! BH801 copy-context-without-dockerignore: `COPY . <dst>` while the build context has no `.dockerignore`.

use bulkhead_syntax::{Instruction, InstructionKind, MountType, ShellCommand};

use crate::context::DockerignoreState;
use crate::diagnostic::Severity;
use crate::fix::{Fix, NewFile};
use crate::knowledge::dockerignore::{self, Facts, Kind};
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_copy::{self, Source};

pub(crate) const RULE: Rule = Rule {
    code: "BH801",
    name: "copy-context-without-dockerignore",
    practice: Practice::Dockerignore,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan {
        planned: "unsafe \"create .dockerignore\" (a new file, content for the detected ecosystem)",
        decision: "",
    }),
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
"Create `.dockerignore`" (unsafe) creates the file beside the Dockerfile; nothing in the Dockerfile
changes. The language server proposes it as a new file in the workspace (never outside it, never over an
existing file); `bulkhead check --fix --unsafe-fixes` writes it (never over an existing file) and `--diff`
shows it as a new file. It is unsafe because it changes what the build sees: a step after `COPY . .` that
reads a listed file (a `.env` that a front-end build inlines, an `.npmrc` with the registry address, a
certificate in a `.pem`) now fails or builds something else. Review the file before the next build.

The content follows what the Dockerfile shows, and each entry is chosen not to break the build:
- always: `.git`, environment files (`.env`, `.env.*`, but `.env.example` stays), private keys and
  certificates (`*.pem`, `*.key`, `id_rsa*`, `id_ed25519*`..., `*.p12`, `*.pfx`, public `id_*.pub` stay),
  credential files (`.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.aws/`, `.ssh/`,
  `.docker/config.json`, `*kubeconfig*`), and `Dockerfile*` and `.dockerignore` (the builder reads them
  anyway). A project's own `.docker/` folder often holds build files, so only its `config.json`, where
  `docker login` keeps credentials, is listed;
- per ecosystem, detected from the base images, the commands `RUN` calls and the files `COPY` names:
  Node.js `npm-debug.log*`, `yarn-error.log*`; Python `__pycache__`, `*.py[cod]`, `.pytest_cache`,
  `.mypy_cache`; Go `*.test`; Gradle `.gradle`. These are caches and logs that no build reads;
- dependency and build folders only when the Dockerfile makes them itself: `node_modules` when a `RUN`
  installs the packages (`npm ci`, `yarn`, `pnpm install`), `.venv` when one runs `pip install`,
  `poetry install`, `uv sync` or `pipenv install`, `target/` when `cargo build` or `mvn package` runs,
  `build/` when `gradle build` runs. A Dockerfile that copies a prebuilt `target/app.jar` or relies on
  the local `node_modules` keeps them;
- `.git` is left out when a `RUN` calls `git` on the checkout (`git describe`, `git rev-parse`): that
  step reads it. Build steps that read Git metadata without calling `git` (setuptools-scm, a Go build
  with `-buildvcs`) need `.git` removed from the file by hand;
- every path the Dockerfile copies by name (`COPY`/`ADD` sources and `RUN --mount=type=bind` sources)
  and that an entry above would exclude gets a `!path` line at the end, which sends it to the builder
  again: `COPY .env.production ./` or `COPY Dockerfile /` keep working (BH402 still reports the secret).

## How to silence
`# bulkhead ignore=BH801` on the line before the `COPY`, or `ignore = ["BH801"]` in `.bulkhead.toml`.
An empty `.dockerignore` silences it too, but then nothing is excluded.

## References
- Docker docs: Build context, `.dockerignore` files
- CWE-538: Insertion of Sensitive Information into Externally-Accessible File
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    if !matches!(ctx.build.dockerignore, Some(DockerignoreState::Missing)) {
        return;
    }
    let mut fix: Option<Option<Fix>> = None;
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
            let finding = Finding::new(
                instruction.line_range(),
                format!(
                    "`{keyword} {}` copies the whole build context, which has no `.dockerignore`: `.git`, `.env` files and keys go into the image",
                    word.value
                ),
            );
            // Every finding offers the same file; it is worked out once.
            let fix = fix.get_or_insert_with(|| create_dockerignore(ctx)).clone();
            out.push(finding.with_fixes(fix));
        }
    }
}

/// "Create `.dockerignore`" with content fitted to the Dockerfile.
fn create_dockerignore(ctx: &RuleContext<'_>) -> Option<Fix> {
    let facts = facts_of(ctx);
    let content = dockerignore::content(&facts, ctx.file.newline());
    let file = NewFile::new(".dockerignore", content)?;
    let names = facts.titles();
    let title = match names.is_empty() {
        true => "Create `.dockerignore`".to_owned(),
        false => format!("Create `.dockerignore` ({})", names.join(", ")),
    };
    Some(Fix::unsafe_(title, Vec::new()).with_new_file(file))
}

/// What the Dockerfile shows about the project: base images, commands, the context paths it names.
fn facts_of(ctx: &RuleContext<'_>) -> Facts {
    let mut facts = Facts::default();
    for stage in &ctx.model.stages {
        if let Base::Image(image) = &stage.base {
            facts.base_image(image.name());
        }
    }
    // In file order, so that the `!path` lines follow the Dockerfile. `ONBUILD` triggers run in another
    // build, with its own context.
    for (idx, instruction) in ctx.file.instructions().iter().enumerate() {
        match instruction.kind {
            InstructionKind::Run => {
                for command in instruction.shell.as_deref().map(|s| s.commands()).unwrap_or_default() {
                    read_command(&mut facts, command);
                }
                for path in bind_sources(instruction) {
                    facts.name(&path);
                }
            }
            InstructionKind::Copy | InstructionKind::Add if !util_copy::copies_from_elsewhere(instruction) => {
                for source in util_copy::sources(instruction) {
                    let Source::Word(word) = source else { continue };
                    let value = match word.value.contains('$') {
                        true => ctx.model.expand_at(idx, &word.value),
                        false => Some(word.value.to_string()),
                    };
                    let Some(value) = value else { continue };
                    let remote = util_copy::is_url(&value) || util_copy::is_git_url(&value);
                    if !remote && !util_copy::is_whole_context(&value) {
                        facts.name(&value);
                    }
                }
            }
            _ => {}
        }
    }
    facts
}

/// What a `RUN` command shows: an ecosystem seen, its folders made, the Git checkout read.
fn read_command(facts: &mut Facts, command: &ShellCommand) {
    let Some(program) = command.program() else { return };
    let args: Vec<&str> = command.arg_values().filter(|a| !a.starts_with('-')).collect();
    let first = args.first().copied();
    match program {
        "npm" | "pnpm" if matches!(first, Some("ci" | "install" | "i" | "add")) => facts.make(Kind::Node),
        "yarn" if matches!(first, None | Some("install" | "add")) => facts.make(Kind::Node),
        "npm" | "npx" | "pnpm" | "yarn" | "corepack" => facts.see(Kind::Node),
        _ if shell_commands::is_pip(command) => match command.has_arg("install") {
            true => facts.make(Kind::Python),
            false => facts.see(Kind::Python),
        },
        "poetry" | "pipenv" if matches!(first, Some("install" | "sync")) => facts.make(Kind::Python),
        "uv" if matches!(first, Some("sync" | "pip")) => facts.make(Kind::Python),
        "poetry" | "pipenv" | "uv" => facts.see(Kind::Python),
        "go" => facts.see(Kind::Go),
        "cargo" if matches!(first, Some("build" | "b" | "install")) => facts.make(Kind::Rust),
        "cargo" => facts.see(Kind::Rust),
        "mvn" | "mvnw" if args.iter().any(|a| matches!(*a, "package" | "install" | "verify" | "compile")) => {
            facts.make(Kind::Maven)
        }
        "mvn" | "mvnw" => facts.see(Kind::Maven),
        "gradle" | "gradlew"
            if args
                .iter()
                .any(|a| matches!(*a, "build" | "assemble" | "bootJar" | "jar" | "installDist" | "shadowJar")) =>
        {
            facts.make(Kind::Gradle)
        }
        "gradle" | "gradlew" => facts.see(Kind::Gradle),
        // `git clone` fetches from elsewhere; `git config`, `git init` and `git --version` read no checkout.
        "git" if !matches!(first, None | Some("clone" | "config" | "init" | "ls-remote")) => facts.reads_git = true,
        _ => {}
    }
}

/// The context paths a `RUN` bind-mounts (`--mount=type=bind,source=x`; bind is the default type), not the
/// ones mounted from another stage or image.
fn bind_sources(run: &Instruction) -> Vec<String> {
    run.mounts()
        .filter(|mount| mount.kind() == MountType::Bind && mount.from().is_none())
        .filter_map(|mount| Some(mount.source()?.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuildContext, Settings, check};

    /// The content the fix proposes for `text`, and the build context after creating it.
    fn proposed(text: &str) -> (String, BuildContext) {
        let report = check(text, &BuildContext::without_dockerignore(), &Settings::default());
        let finding = report.diagnostics.iter().find(|d| d.code == "BH801").expect("BH801 fires");
        let file = &finding.fixes[0].new_files[0];
        assert_eq!(file.name(), ".dockerignore");
        (file.content.clone(), BuildContext::without_dockerignore().with_new_file(file))
    }

    #[test]
    fn named_copies_stay_in_the_context() {
        let text = "FROM node:22\nCOPY .env.production Dockerfile ./\nCOPY certs/*.pem /certs/\n\
                    RUN --mount=type=bind,source=id_rsa.key,target=/k true\nCOPY . .\n";
        let (content, build) = proposed(text);
        assert!(content.ends_with("!.env.production\n!Dockerfile\n!certs/*.pem\n!id_rsa.key\n"), "{content}");
        let Some(DockerignoreState::Present(ignore)) = &build.dockerignore else { panic!() };
        for path in [".env.production", "Dockerfile", "certs/*.pem", "id_rsa.key"] {
            assert!(!ignore.excludes(path), "{path}");
        }
        for path in [".env", ".git/config", "keys/server.pem", ".aws/credentials", "id_ed25519"] {
            assert!(ignore.excludes(path), "{path}");
        }
        assert!(!ignore.excludes("id_ed25519.pub") && !ignore.excludes(".env.example"));
    }

    #[test]
    fn folders_are_listed_only_when_the_build_makes_them() {
        let (content, _) = proposed("FROM node:22\nCOPY . .\nCMD [\"node\", \"index.js\"]\n");
        assert!(!content.contains("node_modules\n") && content.contains("`node_modules` not listed"), "{content}");
        let (content, _) = proposed("FROM node:22\nCOPY . .\nRUN npm ci\n");
        assert!(content.contains("\n**/node_modules\n"), "{content}");
        let (content, _) = proposed("FROM eclipse-temurin:21\nCOPY target/app.jar /app.jar\nCOPY . .\n");
        assert!(!content.contains("target"), "{content}");
        let (content, _) = proposed("FROM maven:3\nCOPY . .\nRUN mvn -B package\n");
        assert!(content.contains("\ntarget\n"), "{content}");
    }

    #[test]
    fn git_stays_when_a_step_reads_it() {
        let (content, _) = proposed("FROM golang:1.23\nCOPY . .\nRUN git describe --tags > /version\n");
        assert!(!content.contains("\n.git\n") && content.contains("`.git` is not listed"), "{content}");
        let (content, _) = proposed("FROM golang:1.23\nRUN git clone https://example.com/x.git\nCOPY . .\n");
        assert!(content.contains("\n.git\n"), "{content}");
    }

    #[test]
    fn crlf_files_get_crlf_content() {
        let (content, _) = proposed("FROM python:3.12\r\nCOPY . .\r\n");
        assert!(content.lines().count() > 10 && content.matches('\n').count() == content.matches("\r\n").count());
    }
}
