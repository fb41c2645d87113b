//! BH402 secret-file-in-image: `COPY`/`ADD` of a file that usually holds a secret (keys, `.env`,
//! credentials), or of the whole context while `.dockerignore` lets such files through.

use bulkhead_syntax::{Instruction, InstructionKind, Word};

use crate::context::DockerignoreState;
use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::model::{EffectiveUser, is_root_user};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_copy::{self, Source};
use crate::rules::util_edit::SecretTarget;
use crate::rules::{util, util_edit};
use crate::secrets;

pub(crate) const RULE: Rule = Rule {
    code: "BH402",
    name: "secret-file-in-image",
    practice: Practice::NoSecrets,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: a secret mount when only a later `RUN` reads the file; otherwise \"add to .dockerignore\"",
        decision: "the secret mount when a later `RUN` deletes the file (proof that only the build reads it); no \"add to .dockerignore\" edit of an existing file (BH801 creates a whole one when there is none)",
    }),
    aliases: &["DS-0031", "DS031"],
    summary: "`COPY`/`ADD` puts a file that usually holds a secret (a key, `.env`, credentials) into the image.",
    doc: r#"
## What it does
Checks the sources of `COPY` and `ADD` (from the build context, not `--from` another stage) for files that
usually hold secrets:
- environment files: `.env`, `.env.*` (but not `.env.example`, `.env.sample`, `.env.template`, `.env.dist`);
- private keys: `*.key`, `*.pem`, `id_rsa*`, `id_dsa*`, `id_ecdsa*`, `id_ed25519*` (`*.pub` excepted),
  `*.p12`, `*.pfx`, `*.jks`, `*.keystore`;
- credential files: `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.dockercfg`, `.htpasswd`,
  `credentials.json`, `*kubeconfig*`, and the folders `.ssh/`, `.aws/`, `.kube/`, `.gnupg/`.

Public material is left alone: `.pem` files named like certificates or CA bundles (`ca.pem`, `cert.pem`,
`fullchain.pem`), `.key` files named like package signing keys (`nginx_signing.key`, `repo.gpg.key`),
`known_hosts`, and URLs that `ADD` downloads. A `.key` file copied as a public key is not reported:
to a `.pub`, `.asc` or `.gpg` name, into a keyring folder (`/usr/share/keyrings/`, `/etc/apt/keyrings/`,
`/etc/apt/trusted.gpg.d/`, `/etc/pki/rpm-gpg/`, `/etc/apk/keys/`), or imported by a later `RUN` of
the stage (`gpg --import`, `apt-key add`, `rpm --import` of that file).

Severity says how sure the finding is. It is an error when the name hardly ever lies (`.env`, `id_rsa`,
`.ssh/`, `.aws/`, `.netrc`, `.git-credentials`, `credentials.json`, a kubeconfig), a warning when only
the name decides and such files are often harmless (`*.key`, `*.pem`, `.npmrc` without a token, key
stores, `.htpasswd` meant for the web server), and the message says so. In a build stage whose files
are only copied from (not the final stage or a stage it is built `FROM`), it is info: the file never
reaches the final image, only the build cache (`--cache-to ... mode=max`) and `--target` builds keep
it; a secret mount keeps it out of those too.

`COPY . <dst>` (the whole context) is a finding too, as a warning, when the context's `.dockerignore`
exists but does not exclude the usual secret files (`.env`, `*.pem`, `*.key`, `.npmrc`, `id_rsa`). When
there is no `.dockerignore` at all, BH801 reports the copy instead.

## Why it matters
A file copied into a layer stays in the image for good: deleting it in a later `RUN` only hides it, and
`docker save` or any registry pull gives it back. A leaked deploy key, cloud credential or `.env` file
lets whoever pulls the image (a public registry, a compromised CI cache, a customer) act as you.

## Example
```dockerfile
FROM python:3.12-slim
COPY .env /app/.env
COPY id_rsa /root/.ssh/id_rsa
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=ssh git clone git@github.com:example/private.git /app
```
Build with `docker build --ssh default .`. For a file that one step needs, mount it as a secret:
`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` and `docker build --secret id=npmrc,src=.npmrc`.
Give run-time configuration (`.env`) to the container when it starts: `docker run --env-file`, Compose
`env_file`, Kubernetes secrets. Exclude these files in `.dockerignore` so `COPY .` cannot pick them up.

## Fix
"Mount as a build secret" (unsafe) is offered when a later `RUN` of the stage deletes the copied file by
name (`COPY .npmrc /root/.npmrc` ... `RUN npm ci && rm /root/.npmrc`): only the steps up to that `RUN`
can have read it. The fix deletes the `COPY` and the `rm`, adds
`--mount=type=secret,id=<name>,target=<path>` to every `RUN` from the copy to the deletion, and makes
sure the file starts with `# syntax=docker/dockerfile:1`. Build with
`docker build --secret id=<name>,src=<file>`. It is unsafe because the build now needs that flag, and
the mounted file is read-only and owned by root (the fix is not offered when a `RUN` in between runs as
another user, changes the file with `chmod`, `chown`, `mv` or `sed`, or when another `COPY`, `ADD`, `USER`
or `WORKDIR` sits in between). It covers one plain
file copied with `COPY` (no `--chown` or `--from`, no variables or globs).

Otherwise there is no fix: a file the running app reads needs a run-time secret (`docker run --env-file`,
Compose or Kubernetes secrets), which the Dockerfile cannot express. For `COPY .` with a `.dockerignore`
that lets secrets through, add the patterns the message names to it (BH801's fix writes a complete file
when there is none).

## How to silence
`# bulkhead ignore=BH402` on the line before the `COPY`, or `ignore = ["BH402"]` in `.bulkhead.toml`.

## References
- Docker docs: Build secrets, SSH mounts; `.dockerignore`
- CWE-312: Cleartext Storage of Sensitive Information; CWE-538: Insertion of Sensitive Information into Externally-Accessible File
"#,
    check: Check::File(check),
};

/// Files a `.dockerignore` should keep out of a whole-context copy: what the message shows, and a path to test.
const CONTEXT_PROBES: &[(&str, &str)] =
    &[(".env", ".env"), ("*.pem", "server.pem"), ("*.key", "server.key"), (".npmrc", ".npmrc"), ("id_rsa", "id_rsa")];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    for (idx, instruction) in util_copy::copies(ctx) {
        if util_copy::copies_from_elsewhere(instruction) {
            continue;
        }
        let in_trigger = instructions.get(idx).is_some_and(|top| top.kind == InstructionKind::Onbuild);
        let keyword = instruction.kind.keyword();
        for source in util_copy::sources(instruction) {
            let Source::Word(word) = source else { continue };
            let value = if word.value.contains('$') {
                match ctx.model.expand_at(idx, &word.value) {
                    Some(value) => value,
                    None => continue,
                }
            } else {
                word.value.to_string()
            };
            if util_copy::is_url(&value) || util_copy::is_git_url(&value) {
                continue;
            }
            if util_copy::is_whole_context(&value) {
                // An ONBUILD copy runs in another build, whose `.dockerignore` is not known here.
                if !in_trigger && let Some(finding) = leaky_context(ctx, instruction, &value, word.range) {
                    out.push(finding);
                }
                continue;
            }
            if let Some((what, by_name)) = secrets::secret_file_kind(&value) {
                if imports_public_key(ctx, idx, instruction, &value) {
                    continue;
                }
                let shipped_stage = ctx.model.in_final_lineage(idx);
                let finding = match (shipped_stage, by_name) {
                    (false, _) => {
                        let stage = ctx.model.stage_of(idx).and_then(|s| s.name.as_deref()).unwrap_or("a build stage");
                        Finding::new(
                            word.range,
                            format!(
                                "`{keyword} {value}` puts {what} into `{stage}`, a stage the final image does not ship: only the build cache and `--target` builds keep it"
                            ),
                        )
                        .with_severity(Severity::Info)
                    }
                    (true, true) => Finding::new(
                        word.range,
                        format!("`{keyword} {value}` may put {what} into the image: only its name says so"),
                    )
                    .with_severity(Severity::Warning),
                    (true, false) => {
                        Finding::new(word.range, format!("`{keyword} {value}` puts {what} into the image"))
                    }
                };
                let fix = (!in_trigger).then(|| secret_mount_fix(ctx, idx, instruction, &value)).flatten();
                out.push(finding.with_fixes(fix));
            }
        }
    }
}

/// The whole-context finding, when the `.dockerignore` lets typical secret files through.
fn leaky_context(
    ctx: &RuleContext<'_>,
    instruction: &Instruction,
    source: &str,
    range: bulkhead_syntax::TextRange,
) -> Option<Finding> {
    let Some(DockerignoreState::Present(ignore)) = &ctx.build.dockerignore else { return None };
    // `COPY --exclude=...` keeps files out on its own terms: trust it.
    if instruction.flag("exclude").is_some() {
        return None;
    }
    let leaked: Vec<String> = CONTEXT_PROBES
        .iter()
        .filter(|(_, probe)| !ignore.excludes(probe))
        .map(|(shown, _)| format!("`{shown}`"))
        .collect();
    if leaked.is_empty() {
        return None;
    }
    let keyword = instruction.kind.keyword();
    let message = format!(
        "`{keyword} {source}` copies the whole build context, and `{}` does not exclude {}: such files would end up in the image",
        ignore.file_name,
        leaked.join(", ")
    );
    Some(Finding::new(range, message).with_severity(Severity::Warning))
}

/// "Mount as a build secret", for a file that the build copies in and a later `RUN` of the stage deletes by
/// name (`COPY .npmrc /root/.npmrc` ... `RUN npm ci && rm /root/.npmrc`): only the steps up to that `RUN`
/// can have read it, so they get it as a secret mount instead, and the copy and the `rm` go.
fn secret_mount_fix(ctx: &RuleContext<'_>, idx: usize, copy: &Instruction, source: &str) -> Option<Fix> {
    let copied = copied_file(ctx, idx, copy, source)?;
    let (runs, removal) = readers_until_removal(ctx, idx, &copied)?;
    let CopiedFile { name, target, .. } = copied;
    let (run_idx, (cmd_idx, arg_idx)) = removal;
    let instructions = ctx.file.instructions();
    let run = &instructions[run_idx];
    let shell = run.shell.as_deref()?;
    let command = &shell.commands()[cmd_idx];
    let paths = command.args.iter().filter(|a| !a.value.as_deref().is_some_and(|v| v.starts_with('-'))).count();
    let drop_rm = match paths {
        1 => util_edit::remove_command(ctx.file, run, run, shell, cmd_idx)?,
        _ => util_edit::delete_args(ctx.file, shell, command, arg_idx, 1)?,
    };
    let id: String = name
        .trim_start_matches('.')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '_' })
        .collect();
    if id.is_empty() {
        return None;
    }
    let mut edits = vec![util_edit::delete_instruction(ctx.file, copy), drop_rm];
    edits.extend(util_edit::add_secret_mount(ctx.file, runs, &id, SecretTarget::File(&target)));
    Some(Fix::unsafe_(
        format!("Mount `{source}` as a build secret (build with `docker build --secret id={id},src={source}`)"),
        edits,
    ))
}

/// Where a `COPY` of one plain file puts it: the file's name, its absolute path in the image, and the
/// destination as written when it is relative (a later `rm` may name it so).
struct CopiedFile<'a> {
    name: &'a str,
    target: String,
    relative: Option<String>,
}

/// The file a `COPY` copies, when it is one plain source file copied as the root user into a known place.
fn copied_file<'a>(ctx: &RuleContext<'_>, idx: usize, copy: &Instruction, source: &'a str) -> Option<CopiedFile<'a>> {
    let args: Vec<&Word> = copy.arg_values().collect();
    // One plain source file, copied as the root user into a known place.
    if copy.kind != InstructionKind::Copy
        || args.len() != 2
        || copy.flags.iter().any(|f| !matches!(f.name.as_str(), "chmod" | "link"))
    {
        return None;
    }
    let name = source.trim_end_matches('/').rsplit('/').next()?;
    if source.ends_with('/') || name.contains(['*', '?', '[', '$']) || args[1].value.contains('$') {
        return None;
    }
    let stage = ctx.model.stage_of(idx)?;
    let dest = args[1].value.as_str();
    let target = match dest.ends_with('/') {
        true => format!("{dest}{name}"),
        false => dest.to_owned(),
    };
    let workdir = ctx.model.workdirs_before(ctx.file, stage, idx).next();
    let target = match (util::is_absolute_path(&target), workdir) {
        (true, _) => target,
        (false, None) => format!("/{}", target.trim_start_matches("./")),
        (false, Some((wd_idx, wd))) => {
            let base = ctx.model.workdir_path(wd_idx, wd).filter(|p| util::is_absolute_path(p))?;
            format!("{}/{}", base.trim_end_matches('/'), target.trim_start_matches("./"))
        }
    };
    let target = util::normalize_path(&target);
    let relative = (!util::is_absolute_path(dest)).then(|| {
        let written = if dest.ends_with('/') { format!("{dest}{name}") } else { dest.to_owned() };
        written.trim_start_matches("./").to_owned()
    });
    Some(CopiedFile { name, target, relative })
}

/// Where an `rm` names a file: the instruction, the command in its shell, the argument.
type RmSite = (usize, (usize, usize));

/// The `RUN`s of the stage after the copy up to the one that deletes the file, which can have read it, and
/// where that `rm` is (instruction, command, argument). `None` when no `RUN` deletes it, or when a step
/// in between could read it otherwise, changes it (a secret mount is read-only) or runs as another user.
fn readers_until_removal<'a>(
    ctx: &'a RuleContext<'_>,
    idx: usize,
    copied: &CopiedFile<'_>,
) -> Option<(Vec<&'a Instruction>, RmSite)> {
    let stage = ctx.model.stage_of(idx)?;
    let (target, relative) = (copied.target.as_str(), &copied.relative);
    let instructions = ctx.file.instructions();
    let mut runs = Vec::new();
    let mut removal = None;
    for (later_idx, later) in instructions.iter().enumerate().take(stage.end).skip(idx + 1) {
        match later.kind {
            InstructionKind::Run => {}
            // Steps that could read the file in other ways, or a user who could not read the mount.
            InstructionKind::Copy | InstructionKind::Add | InstructionKind::Onbuild | InstructionKind::User => {
                return None;
            }
            // A relative `rm` would then name another file.
            InstructionKind::Workdir if relative.is_some() => return None,
            _ => continue,
        }
        let runs_as_root = match ctx.model.user_at(ctx.file, later_idx) {
            EffectiveUser::ImageDefault => true,
            EffectiveUser::Explicit { user, .. } => is_root_user(&user),
        };
        if !runs_as_root {
            return None;
        }
        let shell = later.shell.as_deref()?;
        let names_it = |v: &str| v == target || Some(v.trim_start_matches("./")) == relative.as_deref();
        // A secret mount is read-only: a step that changes the file would now fail.
        let changes_it = shell.commands().iter().any(|command| {
            matches!(command.program(), Some("chmod" | "chown" | "chgrp" | "mv" | "sed" | "truncate" | "touch" | "tee"))
                && command.arg_values().any(names_it)
        });
        if changes_it {
            return None;
        }
        runs.push(later);
        let removes = shell.commands().iter().enumerate().find_map(|(cmd_idx, command)| {
            if command.program() != Some("rm") {
                return None;
            }
            let arg_idx = command.args.iter().position(|arg| arg.value.as_deref().is_some_and(names_it))?;
            Some((cmd_idx, arg_idx))
        });
        if let Some(found) = removes {
            removal = Some((later_idx, found));
            break;
        }
    }
    Some((runs, removal?))
}

/// Where public keys for package and signature checks go.
const KEYRING_DIRS: &[&str] =
    &["/usr/share/keyrings/", "/etc/apt/keyrings/", "/etc/apt/trusted.gpg.d/", "/etc/pki/rpm-gpg/", "/etc/apk/keys/"];

/// True when a `.key` file is copied as a public key: to a `.pub`, `.asc` or `.gpg` name or into a
/// keyring folder, or imported by a later `RUN` of the stage (`gpg --import`, `apt-key add`, `rpm
/// --import` of the copied file).
fn imports_public_key(ctx: &RuleContext<'_>, idx: usize, copy: &Instruction, source: &str) -> bool {
    let name = source.rsplit('/').next().unwrap_or(source);
    if !name.to_ascii_lowercase().ends_with(".key") {
        return false;
    }
    let Some(dest) = copy.arg_values().last().map(|w| w.value.as_str()) else { return false };
    let copied = if dest.ends_with('/') { format!("{dest}{name}") } else { dest.to_owned() };
    let copied_name = copied.rsplit('/').next().unwrap_or(&copied).to_owned();
    if [".pub", ".asc", ".gpg"].iter().any(|ext| copied_name.ends_with(ext))
        || KEYRING_DIRS.iter().any(|dir| copied.starts_with(dir))
    {
        return true;
    }
    let Some(stage) = ctx.model.stage_of(idx) else { return false };
    let imports = |command: &bulkhead_syntax::ShellCommand| match command.program() {
        Some("gpg" | "gpg2") => command.has_arg("--import"),
        Some("apt-key") => command.has_arg("add"),
        Some("rpm") => command.has_arg("--import"),
        _ => false,
    };
    shell_commands::runs(ctx).filter(|(i, _, _)| *i > idx && *i < stage.end).any(|(_, _, shell)| {
        shell.commands().iter().any(|command| {
            imports(command) && command.arg_values().any(|arg| arg.rsplit('/').next() == Some(copied_name.as_str()))
        })
    })
}
