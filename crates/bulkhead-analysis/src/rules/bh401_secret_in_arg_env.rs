//! BH401 secret-in-arg-env: an `ARG` or `ENV` whose name says it holds a secret.

use bulkhead_syntax::{Instruction, InstructionKind, MountType, TextRange, Word};

use crate::compose::{ComposeFile, EnvVar, Service, block_insertion};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::image::ImageRef;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_compose::{add_flow_entry, append_item, flow_item_removal, is_flow, whole_lines};
use crate::rules::util_edit::{self, SecretTarget};
use crate::secrets;
use crate::vars::variable_refs;

pub(crate) const RULE: Rule = Rule {
    code: "BH401",
    name: "secret-in-arg-env",
    practice: Practice::NoSecrets,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe \"move to build secret\": delete the `ARG`/`ENV`, `--mount=type=secret,id=,env=` on the `RUN`s that use it, `# syntax=docker/dockerfile:1`",
        decision: "",
    }),
    aliases: &["DL3064", "DS-0031", "DS031", "SecretsUsedInArgOrEnv", "secret-in-build-arg"],
    summary: "An `ARG` or `ENV` whose name says it holds a secret (password, token, API key...).",
    doc: r#"
## What it does
Checks the names of `ARG` and `ENV` variables for secret words: `password`, `passwd`, `pwd`, `psw`, `pass`,
`passphrase`, `secret`, `token`, `credentials`, `creds`, `apikey`/`api_key`, `private_key`, `access_key`,
`client_key`, `app_key`, `license_key`, `encryption_key`, `signing_key`, `connection_string`. Names are split
into words at `_`, `-`, `.` and camelCase boundaries, and only whole words count: `KEYBOARD`, `TOKENIZERS`
and `GPG_KEY` (a public key fingerprint) are not secrets. Words glued together without a separator count
when they end in `password`, `passwd`, `secret` or `token` (`ROOTPASSWORD`, `APITOKEN`), or are `rootpass`,
`adminpass`, `dbpass`, `userpass`... (but not `bypass` or `KEEPASS`).

A name whose last word qualifies the secret instead of holding it is allowed: `*_FILE`, `*_PATH`, `*_DIR`,
`*_VERSION`, `*_URL`, `*_ID`, `*_NAME`, `*_USER`, `*_HOST`, `*_PORT`, `*_ENABLED`, `*_LENGTH`, `*_TYPE`...
(`POSTGRES_PASSWORD_FILE` points at a mounted secret, which is what you want). Names with `PUBLIC` are
allowed anywhere (`STRIPE_PUBLIC_KEY`). A boolean value (`ENV USE_TOKEN=false`) is not a secret either,
and neither is a path (`ENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json`, `./key.json`, `~/...`,
`$HOME/...`): the variable points at a file, whose copy into the image is BH402's business.
A password inside a URL value (`TOKEN_URL=https://user:pass@host`) is BH404's finding.

It is an error when the variable gets a literal value (`ENV DB_PASSWORD=hunter2`), and a warning when
only the name is declared or the value is another variable (`ARG NPM_TOKEN`, `ENV TOKEN=$TOKEN`). A
placeholder value is not a literal secret, so it is the warning too: one containing `fake`, `dummy`,
`example`, `placeholder`, `changeme`, `replaceme`, `not_a_real` or `redacted`, a template slot (`<token>`,
`{{ token }}`, `[token]`), one that says where the real one goes (`your-token-here`, `YOUR_TOKEN`,
`..._here`), or filler (`xxx`, `****`, one character repeated). The name still says a secret will be
passed here, and how it is passed (`--build-arg`, the image config) is what the warning is about.
Messages never show a value in full.

Unlike Semgrep (substrings, so `ARG KEYBOARD_LAYOUT` fires) and Trivy (final stage only), every stage
is checked: a build stage's `ARG` still ends up in `docker history` and in build provenance. hadolint
2.15 (DL3064) matches a fixed list of names and a few words (`password`, `secret`, `token`, `api_key`...),
so it misses abbreviations and other credentials: `ENV LDAP_ROOTPASS=...` and `ENV LICENSE_KEY=...` are
reported here and not there.

In a Compose file it checks each service's `environment` (map and list forms) and `build.args` with
the same name classifier, and reports a variable that gets a literal value written in the file (an
error): `POSTGRES_PASSWORD: hunter2`, `- API_TOKEN=abc123`, and a literal default
`${DB_PASSWORD:-hunter2}`. A name alone (`- API_TOKEN`, passed through from the shell), a reference
(`${API_TOKEN}`), a placeholder, a switch or a path is not reported. Example stacks and test fixtures
often carry throwaway passwords; they are still reported (a copied example is how they reach
production): silence a fixture with `# bulkhead global ignore=BH401`.

## Why it matters
Everything an `ENV` sets is stored in the image config: anyone who can pull the image reads it with
`docker inspect`, and every container started from it gets it in its environment (and in crash dumps,
`/proc/1/environ`, debug endpoints). `ARG` values are not in the config, but they are recorded in
`docker history` for every `RUN` that sees them, in the build cache and in provenance attestations.
A default in the Dockerfile is also committed to version control.

## Example
```dockerfile
FROM node:22-slim
ARG NPM_TOKEN
ENV DB_PASSWORD=hunter2-but-longer
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1
FROM node:22-slim
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
```
Build it with `docker build --secret id=npm_token,env=NPM_TOKEN .`: the token is available to that one
`RUN` and never written to a layer, the config or the history. Give run-time secrets (the database
password) to the container when it starts: `docker run -e`, Compose or Kubernetes secrets, or a
`*_FILE` variable that points at a mounted secret file.

## Fix
"Move `NAME` to a build secret" (unsafe) deletes the `ARG`/`ENV` (the whole instruction when it declares
nothing else, else just the `NAME=value` word), adds `--mount=type=secret,id=<name>,env=<NAME>` to every
`RUN` of the stage that uses `$NAME` or `${NAME}`, and makes sure the file starts with
`# syntax=docker/dockerfile:1` (secret mounts with `env=` need Dockerfile syntax 1.10 or later; an older
`docker/dockerfile:1.x` directive is updated). Build with `docker build --secret id=<name>,env=<NAME>`
(or `--secret id=<name>,src=<file>`).

It is unsafe because the build now needs the `--secret` flag, and because a tool may read the variable
without a visible `$NAME` (npm reads `NPM_TOKEN` from `.npmrc`): add the mount to those `RUN`s by hand.
The fix is not offered when the variable is used outside a `RUN` of its stage (`COPY`, `ENV`, `CMD`,
`FROM`, a later stage), for `ONBUILD` and global `ARG`s, or when no `RUN` uses it.

In a Compose file, "Move `NAME` to the Compose secret `<service>_<name>`" (unsafe) takes the variable out
of the service's `environment`, lists the secret under the service's `secrets:` and declares it at the
top level from `./secrets/<service>_<name>.txt`:
```yaml
services:
  db:
    image: postgres:17
    secrets:
      - db_postgres_password
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_postgres_password
secrets:
  db_postgres_password:
    file: ./secrets/db_postgres_password.txt
```
The fix cannot write that file: its title says to create it with the value (and to keep it out of version
control, the value is still in the file's history). The container then finds the value in the file
`/run/secrets/<service>_<name>`, not in the variable: for the official `postgres`, `mysql`, `mariadb` and
`mongo` images, whose entrypoints read `<VAR>_FILE` for their passwords, the variable becomes
`<VAR>_FILE: /run/secrets/...`; for any other image the variable is removed and nothing more is guessed,
so make the application read the file (many read `<VAR>_FILE`: check its docs). It works on the map and
list forms of `environment`, in block and flow style, and is not offered for a variable that the service
gets from an `extends` base or an anchor (shared with other services), for build arguments, or when the
top-level `secrets:` already has that name.

## Options
- `secrets.extra-words`: more words that mark a secret (`["pin", "otp"]`).
- `secrets.allow-words`: words that mark a name as not a secret (`["salt"]`).

## How to silence
`# bulkhead ignore=BH401` on the line before the instruction, or `ignore = ["BH401"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3064` and `# check=skip=SecretsUsedInArgOrEnv` work too.

## References
- Docker docs: Build secrets (`RUN --mount=type=secret`, `docker build --secret`)
- Docker docs: build checks, SecretsUsedInArgOrEnv
- CWE-798: Use of Hard-coded Credentials; CWE-538: Insertion of Sensitive Information into Externally-Accessible File
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, top) in ctx.file.instructions().iter().enumerate() {
        let (instruction, in_trigger) = match top.kind {
            InstructionKind::Onbuild => match top.trigger.as_deref() {
                Some(trigger) => (trigger, true),
                None => continue,
            },
            _ => (top, false),
        };
        if !matches!(instruction.kind, InstructionKind::Arg | InstructionKind::Env) {
            continue;
        }
        for decl in declarations(instruction) {
            // A switch (`USE_TOKEN=false`) or a path (`GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json`)
            // describes a secret; it does not hold one.
            let describes = |value: &str| secrets::describes_secret(value);
            if !secrets::is_secret_name(&decl.name, ctx.options) || decl.value.as_deref().is_some_and(describes) {
                continue;
            }
            let keyword = instruction.kind.keyword();
            let name = &decl.name;
            let literal = decl.value.as_deref().filter(|value| secrets::is_literal_secret(value));
            let finding = match (literal, instruction.kind) {
                (Some(value), InstructionKind::Env) => Finding::new(
                    decl.range,
                    format!(
                        "`ENV {name}` holds a literal secret {}: the image config keeps it, readable with `docker inspect`",
                        secrets::mask(value)
                    ),
                ),
                (Some(value), _) => Finding::new(
                    decl.range,
                    format!(
                        "`ARG {name}` has a literal secret default {}: it is in the Dockerfile and in `docker history`",
                        secrets::mask(value)
                    ),
                ),
                (None, InstructionKind::Env) => Finding::new(
                    decl.name_range,
                    format!("`ENV {name}` looks like a secret: the image config keeps its value for anyone who pulls the image"),
                )
                .with_severity(Severity::Warning),
                (None, _) => Finding::new(
                    decl.name_range,
                    format!(
                        "`{keyword} {name}` looks like a secret: build arguments show in `docker history` and build provenance"
                    ),
                )
                .with_severity(Severity::Warning),
            };
            let fix = if in_trigger { None } else { move_to_secret_fix(ctx, idx, instruction, &decl) };
            out.push(finding.with_fixes(fix));
        }
    }
}

/// One `NAME[=value]` of an `ARG`/`ENV`.
struct Declaration {
    name: String,
    value: Option<String>,
    /// The `NAME=value` text (the name alone when there is no value).
    range: TextRange,
    name_range: TextRange,
    /// Index in the instruction's words; `None` for the legacy `ENV NAME value` form.
    word: Option<usize>,
}

fn declarations(instruction: &Instruction) -> Vec<Declaration> {
    let words = &instruction.words;
    if instruction.kind == InstructionKind::Env
        && let Some(first) = words.first()
        && !first.value.contains('=')
    {
        // Legacy `ENV NAME value with spaces`.
        let rest = instruction.rest.as_ref();
        let value = rest.map(|rest| {
            let after = rest.value.get(first.raw.len().min(rest.value.len())..).unwrap_or_default();
            unquote(after.trim())
        });
        let range = rest.map_or(first.range, |rest| first.range.cover(rest.range));
        return vec![Declaration { name: first.value.to_string(), value, range, name_range: first.range, word: None }];
    }
    words
        .iter()
        .enumerate()
        .map(|(idx, word)| {
            let (name, value) = match word.value.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (word.value.to_string(), None),
            };
            Declaration { name_range: name_range(word, &name), name, value, range: word.range, word: Some(idx) }
        })
        .collect()
}

/// The range of the name inside a `NAME=value` word (names are never quoted in practice).
fn name_range(word: &Word, name: &str) -> TextRange {
    if word.raw.starts_with(name) && word.range.len() == word.raw.len() {
        TextRange::new(word.range.start, word.range.start + name.len())
    } else {
        word.range
    }
}

fn unquote(value: &str) -> String {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

/// The text of an instruction after its keyword, where a variable reference could be.
fn argument_text(instruction: &Instruction) -> &str {
    instruction.logical_text().get(instruction.keyword.raw.len()..).unwrap_or_default()
}

/// "Move to a build secret": delete the declaration, mount the secret in every `RUN` that uses it.
fn move_to_secret_fix(
    ctx: &RuleContext<'_>,
    decl_idx: usize,
    instruction: &Instruction,
    decl: &Declaration,
) -> Option<Fix> {
    let stage = ctx.model.stage_of(decl_idx)?;
    let name = decl.name.as_str();
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    // `ARG A=1 TOKEN=x B=$TOKEN`: a later word of the same instruction uses it.
    let uses = |text: &str| variable_refs(text).contains(&name);
    if instruction.words.iter().enumerate().any(|(idx, w)| Some(idx) != decl.word && uses(&w.value)) {
        return None;
    }
    let instructions = ctx.file.instructions();
    let mut runs = Vec::new();
    for (idx, other) in instructions.iter().enumerate().skip(decl_idx + 1) {
        let Some(other_stage) = ctx.model.stage_of(idx) else { continue };
        let same_stage = other_stage.index == stage.index;
        let descends = || ctx.model.ancestry(other_stage, 0).iter().any(|(s, _)| s.index == stage.index);
        if !same_stage && !descends() {
            continue;
        }
        let text = match (other.kind, other.shell.as_deref()) {
            (InstructionKind::Run, Some(shell)) => shell.source(),
            _ => argument_text(other),
        };
        if !uses(text) {
            continue;
        }
        if other.kind != InstructionKind::Run || !same_stage {
            return None;
        }
        runs.push(other);
    }
    if runs.is_empty() {
        return None;
    }
    let id = name.to_ascii_lowercase();
    let mut edits = Vec::new();
    match decl.word {
        Some(word_idx) if instruction.words.len() > 1 => {
            edits.push(util_edit::delete_word(&instruction.words, word_idx)?)
        }
        _ => edits.push(util_edit::delete_instruction(ctx.file, instruction)),
    }
    let unmounted = runs
        .into_iter()
        .filter(|run| !run.mounts().any(|mount| mount.kind() == MountType::Secret && mount.env() == Some(name)));
    edits.extend(util_edit::add_secret_mount(ctx.file, unmounted, &id, SecretTarget::Env(name)));
    Some(Fix::unsafe_(
        format!("Move `{name}` to a build secret (build with `docker build --secret id={id},env={name}`)"),
        edits,
    ))
}

fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        let mut variables = service.environment(file);
        let args = service.path(file, &["build", "args"]);
        let environment_len = variables.len();
        variables.extend(args.map(|args| crate::compose::variables(file, args.value)).unwrap_or_default());
        for (idx, variable) in variables.iter().enumerate() {
            // The value Compose runs with when no variable is set: unknown when it needs one without a
            // default (`Password=${DB_PASSWORD};Host=db` holds no literal secret).
            let (Some(raw), Some(value)) = (variable.raw.as_deref(), variable.value.as_deref()) else { continue };
            if secrets::describes_secret(value)
                || !secrets::is_literal_secret(value)
                || !secrets::is_secret_name(&variable.name, ctx.options)
            {
                continue;
            }
            let place = if idx < environment_len { "environment" } else { "build argument" };
            let mut finding = Finding::new(
                variable.value_range,
                format!(
                    "service `{}` sets {place} `{}` to a literal secret ({}): use a Compose secret or an unversioned `.env`",
                    service.name,
                    variable.name,
                    secrets::mask(raw)
                ),
            );
            if idx < environment_len
                && let Some(fix) = move_to_compose_secret(file, service, variable)
            {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// Official images whose entrypoint reads `<VAR>_FILE` in place of these variables (docker-library's
/// `file_env`): for them the fix can point the variable at the secret's file with certainty.
const FILE_ENV_IMAGES: &[(&str, &[&str])] = &[
    ("postgres", &["POSTGRES_PASSWORD"]),
    ("mysql", &["MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD"]),
    ("mariadb", &["MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD"]),
    ("mongo", &["MONGO_INITDB_ROOT_PASSWORD"]),
];

/// True when the service's image is one of [`FILE_ENV_IMAGES`] and reads `<name>_FILE`.
fn reads_file_variant(file: &ComposeFile, service: &Service, name: &str) -> bool {
    let Some(image) = service.get(file, "image").and_then(|entry| file.value(entry.value)) else { return false };
    let Some(image) = ImageRef::parse(&image) else { return false };
    image.is_official() && FILE_ENV_IMAGES.iter().any(|(repo, names)| image.name() == *repo && names.contains(&name))
}

/// "Move to a Compose secret": the variable leaves `environment` (for an image that reads `<VAR>_FILE`, it
/// becomes `<VAR>_FILE: /run/secrets/<name>`), the service lists the secret under `secrets:`, and the
/// top-level `secrets:` declares it from `./secrets/<name>.txt`, a file the user creates with the value
/// (the title says so). Only for a variable of the service's own `environment` (not an `extends` base's or
/// an anchor's, shared with others), written on lines of its own in block style or as an item of a flow
/// collection, in a file whose top level is a block mapping.
fn move_to_compose_secret(file: &ComposeFile, service: &Service, variable: &EnvVar) -> Option<Fix> {
    let text = file.text();
    let yaml = &file.yaml;
    let own = *service.maps.first()?;
    let env = yaml.entries(own).iter().copied().find(|e| !e.merged && yaml.scalar(e.key) == Some("environment"))?;
    let env_range = yaml.node(env.value).range;
    if !service.range.contains_range(env_range) || !env_range.contains_range(variable.range) {
        return None;
    }
    let secret: String = format!("{}_{}", service.name, variable.name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let path = format!("./secrets/{secret}.txt");
    let mut edits = Vec::new();
    // The variable: pointed at the secret's file, or removed.
    let map_form = yaml.is_map(env.value);
    let written = match map_form {
        true => TextRange::new(variable.range.start, variable.value_range.end),
        false => variable.range,
    };
    let file_variant = reads_file_variant(file, service, &variable.name);
    if file_variant {
        if text[variable.value_range.start..variable.value_range.end].contains('\n') {
            return None;
        }
        match map_form {
            true => {
                edits.push(Edit::replace(variable.range, format!("{}_FILE", variable.name)));
                edits.push(Edit::replace(variable.value_range, format!("/run/secrets/{secret}")));
            }
            false => edits.push(Edit::replace(variable.range, format!("{}_FILE=/run/secrets/{secret}", variable.name))),
        }
    } else if is_flow(file, env.value) {
        edits.push(Edit::delete(flow_item_removal(text, written)));
    } else {
        let count = if map_form { yaml.entries(env.value).len() } else { yaml.items(env.value).len() };
        // The last variable takes its `environment:` key with it (an empty one reads as null).
        let lines = match count {
            1 => whole_lines(text, file.entry_range(env))?,
            _ => whole_lines(text, written)?,
        };
        edits.push(Edit::delete(lines));
    }
    // The service's `secrets:` list.
    match yaml.entries(own).iter().find(|e| yaml.scalar(e.key) == Some("secrets")) {
        Some(entry) if !entry.merged && service.range.contains_range(yaml.node(entry.value).range) => {
            edits.push(append_item(file, entry.value, &secret)?)
        }
        Some(_) => return None,
        None if is_flow(file, own) => edits.push(add_flow_entry(file, own, "secrets", &format!("[{secret}]"))?),
        None => edits.push(service.insertion(file)?.edit(&["secrets:", &format!("  - {secret}")])),
    }
    // The top-level declaration.
    let root = yaml.root()?;
    let declaration = format!("file: {path}");
    match yaml.get(root, "secrets") {
        Some(entry) if yaml.get(entry.value, &secret).is_some() => return None,
        Some(entry) if yaml.is_map(entry.value) && is_flow(file, entry.value) => {
            edits.push(add_flow_entry(file, entry.value, &secret, &format!("{{{declaration}}}"))?)
        }
        Some(entry) if yaml.is_map(entry.value) => {
            edits.push(block_insertion(file, entry.value)?.edit(&[&format!("{secret}:"), &format!("  {declaration}")]))
        }
        Some(_) => return None,
        None => edits.push(block_insertion(file, root)?.edit(&[
            "secrets:",
            &format!("  {secret}:"),
            &format!("    {declaration}"),
        ])),
    }
    let reads = match file_variant {
        true => format!("`{}_FILE` points the image at it", variable.name),
        false => format!("the service reads it from `/run/secrets/{secret}`, no longer from `{}`", variable.name),
    };
    Some(Fix::unsafe_(
        format!(
            "Move `{}` to the Compose secret `{secret}` (create `{path}` holding the value, kept out of version control; {reads})",
            variable.name
        ),
        edits,
    ))
}
