//! BH201 root-user: the final stage runs as root.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::{self, Distro};
use crate::model::{Base, EffectiveUser, is_root_user};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH201",
    name: "root-user",
    practice: Practice::NonRootUser,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `USER` before the final `CMD`/`ENTRYPOINT`, creating the user the distro's way; `USER nonroot` on distroless; replace an explicit `USER root`",
        decision: "none when the final image ships a tool that drops privileges (`gosu`, `su-exec`, `setpriv`, `chroot --userspec`, s6): its entrypoint starts as root on purpose and a `USER` would break it",
    }),
    aliases: &["DL3002", "DS-0002", "DS002", "CKV_DOCKER_3", "CKV_DOCKER_8"],
    summary: "The final stage runs as root: no `USER`, or its last `USER` is root.",
    doc: r#"
## What it does
Checks the final stage (the image `docker build` produces) for the user its process runs as. It fires
when the stage and the stages it is built `FROM` never set `USER`, or when the last `USER` is `root`,
`0`, `root:<group>` or `0:<group>`.

It stays silent when the final stage is built `FROM scratch` and neither it nor a stage it is built
`FROM` sets `CMD` or `ENTRYPOINT`: such an image holds files to export (`docker build --output`) or to
copy from, and is not run as a container. A `scratch` image with an `ENTRYPOINT` is checked: it runs as
root (user 0) unless it says otherwise.

It stays silent when the base image is known to run as a non-root user already: distroless `:nonroot`,
Chainguard images, `*-rootless`, `*-unprivileged` and Bitnami images. It also stays silent when the last
`USER` comes from a build argument whose value it cannot know.

When the final image installs, copies or runs a tool that switches from root to another user (`gosu`,
`su-exec`, `setpriv`, `chroot --userspec`, `runuser`, s6-overlay and `s6-setuidgid`, `chpst -u`), its
entrypoint most likely starts as root on purpose (to fix volume ownership, then drop to the service user,
as the official postgres, redis and mysql images do): the finding is then **info**, says so, and offers no
fix, since a `USER` would break such an entrypoint. The entrypoint script itself is not read: check that it
does drop.

With registry look-ups on (`bulkhead check --online`, `[registry] enabled = true`, or the editor's
`bulkhead.registry.enabled`), the base image's own config decides instead of the built-in list: silent
when its `User` is set and is not `root` or `0`, a finding when it sets no user or root, whatever the
image's name suggests. When the look-up fails, the rule behaves as without the registry.

In a Compose file it checks each service: `user: root` (or `0`, `root:<group>`, `0:<group>`) is a
finding at the value; a service without `user:` that is built from a Dockerfile (`build:`) is a finding
when the stage it runs (`build.target`, else the last) never sets a non-root `USER`, as above (a
privilege-dropping tool makes it **info**); the message names the service and the Dockerfile. The
Dockerfile is the one Compose builds: `dockerfile` (default `Dockerfile`) in the `context` folder,
relative to the Compose file. When it cannot be read (not there, a remote context), or the service only
runs an `image:`, the user the image runs as is unknown and nothing is reported. A `user:` that needs a
variable without a default is unknown too.

Unlike hadolint's DL3002, a missing `USER` is a finding: most base images default to root, and "no
USER" is the common way images end up running as root.

## Why it matters
A process that runs as root in the container is root on the host's kernel: one container escape
(a kernel bug, a mounted Docker socket, a privileged flag) and the attacker owns the host. As a non-root
user, the same escape lands in an unprivileged account, and files the app should not change stay
read-only to it.

## Example
```dockerfile
FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
COPY app.py /app/
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD ["python", "/app/app.py"]
```

Leave the application files owned by root (plain `COPY`): the app can read them but not rewrite them.
Use `COPY --chown=app:app` only for what the app must write. At run time, add
`--cap-drop=ALL --security-opt=no-new-privileges` (Kubernetes: `runAsNonRoot: true`,
`allowPrivilegeEscalation: false`).

## Fix
"Add `USER`" (unsafe: the app may need to write files or bind ports below 1024) inserts a user
created the way the base image's distribution does it, and `USER` before the final `CMD`/`ENTRYPOINT`:
`addgroup -S`/`adduser -S` on Alpine and BusyBox, `groupadd`/`useradd --system` on Debian, Ubuntu and
RHEL, `USER nonroot` on distroless, a numeric `USER 65532:65532` on `scratch` and unknown bases. When
the file already creates a user, the fix switches to it.

## How to silence
`# bulkhead ignore=BH201` on the line before the final stage's `FROM` (or before the `USER root`
line; in a Compose file, before the service's name or its `user:`), or `ignore = ["BH201"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3002` works too.

## References
- Docker docs: Dockerfile best practices, `USER`
- CIS Docker Benchmark 4.1: Ensure that a user for the container has been created
- CWE-250: Execution with Unnecessary Privileges
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    let instructions = ctx.file.instructions();
    let Some(from) = instructions.get(stage.from) else { return };
    let last = stage.end.saturating_sub(1);
    let root_base = ctx.model.root_base(stage);
    if stage.distro == Distro::Windows || ctx.model.final_is_file_export(ctx.file) {
        return;
    }
    let finding = match ctx.model.user_at(ctx.file, last) {
        EffectiveUser::Explicit { known: false, .. } => return,
        EffectiveUser::Explicit { instruction, user, .. } if is_root_user(&user) => {
            let range = instructions[instruction].range;
            Finding::new(range, format!("the final stage's last `USER` is `{user}`: the container runs as root"))
        }
        EffectiveUser::Explicit { .. } => return,
        EffectiveUser::ImageDefault => {
            // The registry's answer, when there is one, is the truth about the base image's user.
            let facts = match root_base {
                Base::Image(image) => ctx.build.image_facts(image).map(|facts| (image, facts)),
                _ => None,
            };
            let what = match (root_base, facts) {
                (_, Some((_, facts))) if facts.runs_as_non_root() => return,
                (_, Some((image, facts))) => match &facts.user {
                    Some(user) => format!("`{}` runs as `{user}` (its image config in the registry)", image.raw),
                    None => format!("`{}` runs as root: its image config in the registry sets no user", image.raw),
                },
                (Base::Image(image), None) if knowledge::nonroot_base_image(image).is_some() => return,
                (Base::Scratch, _) => "`scratch` has no users".to_owned(),
                (Base::Image(image), None) => format!("`{}` runs as root by default", image.raw),
                _ => "the base image most likely runs as root".to_owned(),
            };
            Finding::new(from.range, format!("the final stage never sets `USER`: {what}"))
        }
    };
    // An image whose entrypoint switches user itself starts as root on purpose: a `USER` would break it.
    if let Some(tool) = drops_privileges(ctx) {
        let message = format!(
            "{}; it ships `{tool}`, so its entrypoint most likely starts as root on purpose and drops to a user \
             itself: check that it does, since a `USER` here would break it",
            finding.message
        );
        out.push(Finding::new(finding.range, message).with_severity(Severity::Info));
        return;
    }
    out.push(finding.with_fixes(add_user_fix(ctx, stage)));
}

/// A Compose service that runs as root: `user: root`, or no `user:` and a Dockerfile stage that never
/// switches to a non-root user.
fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        if let Some(entry) = service.get(file, "user") {
            if let Some(user) = file.value(entry.value).filter(|user| is_root_user(user)) {
                let message = format!("service `{}` runs as root (`user: {user}`)", service.name);
                out.push(Finding::new(file.yaml.node(entry.value).range, message));
            }
            continue;
        }
        if !service.complete {
            continue;
        }
        let Some((linked, stage)) = ctx.dockerfile_of(service) else { continue };
        if stage.distro == Distro::Windows {
            continue;
        }
        let dockerfile = &linked.file;
        let instructions = dockerfile.instructions();
        let line = |idx: usize| dockerfile.line_index().line_of(instructions[idx].range.start) + 1;
        let what = match linked.model.user_at(dockerfile, stage.end.saturating_sub(1)) {
            EffectiveUser::Explicit { known: false, .. } => continue,
            EffectiveUser::Explicit { instruction, user, .. } if is_root_user(&user) => {
                format!("ends with `USER {user}` (line {})", line(instruction))
            }
            EffectiveUser::Explicit { .. } => continue,
            EffectiveUser::ImageDefault => match linked.model.root_base(stage) {
                Base::Image(image) if knowledge::nonroot_base_image(image).is_some() => continue,
                Base::Image(image) => format!("never sets `USER` and `{}` runs as root by default", image.raw),
                Base::Scratch => "never sets `USER` and `scratch` has no users".to_owned(),
                _ => "never sets `USER` and its base image most likely runs as root".to_owned(),
            },
        };
        let message = format!(
            "service `{}` sets no `user:` and its Dockerfile {} {what}: the container runs as root",
            service.name,
            linked.describe(stage)
        );
        let lineage: Vec<usize> = linked.model.ancestry(stage, stage.end).iter().map(|(s, _)| s.index).collect();
        let finding = match dropping_tool(dockerfile, &linked.model, &lineage) {
            Some(tool) => Finding::new(
                service.key,
                format!(
                    "{message}; it ships `{tool}`, so its entrypoint most likely starts as root on purpose and drops \
                     to a user itself: check that it does"
                ),
            )
            .with_severity(Severity::Info),
            None => Finding::new(service.key, message),
        };
        out.push(finding);
    }
}

/// Tools an entrypoint uses to switch from root to another user, as they appear in the text that
/// installs, copies or runs them.
const PRIVILEGE_DROPPERS: &[(&str, &str)] = &[
    ("gosu", "gosu"),
    ("su-exec", "su-exec"),
    ("setpriv", "setpriv"),
    ("chroot --userspec", "chroot --userspec"),
    ("s6-setuidgid", "s6-setuidgid"),
    ("s6-overlay", "s6-overlay"),
    ("s6-applyuidgid", "s6-applyuidgid"),
    ("runuser", "runuser"),
    ("chpst -u", "chpst"),
    ("setuidgid", "setuidgid"),
];

/// The privilege-dropping tool the final image installs, copies or runs (`RUN`, `COPY`, `ADD`,
/// `ENTRYPOINT`, `CMD` of the final stage and the stages it is built `FROM`).
fn drops_privileges(ctx: &RuleContext<'_>) -> Option<&'static str> {
    dropping_tool(ctx.file, ctx.model, &ctx.model.final_lineage())
}

/// The privilege-dropping tool that the stages of `lineage` install, copy or run.
fn dropping_tool(file: &bulkhead_syntax::Dockerfile, model: &crate::model::Model, lineage: &[usize]) -> Option<&'static str> {
    let text = file.text();
    let in_lineage = |idx: usize| model.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index));
    file.instructions().iter().enumerate().filter(|(idx, _)| in_lineage(*idx)).find_map(
        |(_, instruction)| {
            if !matches!(
                instruction.kind,
                InstructionKind::Run
                    | InstructionKind::Copy
                    | InstructionKind::Add
                    | InstructionKind::Entrypoint
                    | InstructionKind::Cmd
            ) {
                return None;
            }
            let source = text.get(instruction.range.as_range()).unwrap_or_default();
            PRIVILEGE_DROPPERS.iter().find(|(needle, _)| contains_word(source, needle)).map(|(_, tool)| *tool)
        },
    )
}

/// True when `needle` occurs in `text` with no letter, digit, `-` or `_` right before or after it.
fn contains_word(text: &str, needle: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(needle).any(|(at, _)| {
        !text[..at].chars().next_back().is_some_and(is_word)
            && !text[at + needle.len()..].chars().next().is_some_and(is_word)
    })
}

/// Inserts the user creation and `USER` before the final `CMD`/`ENTRYPOINT` of the stage.
fn add_user_fix(ctx: &RuleContext<'_>, stage: &crate::model::Stage) -> Option<Fix> {
    let instructions = ctx.file.instructions();
    let nl = ctx.file.newline();
    let body: Vec<_> = stage.instructions(ctx.file).collect();
    // After everything that must still run as root; before the CMD/ENTRYPOINT that follow it.
    let last_work = body
        .iter()
        .rposition(|(_, i)| {
            !matches!(
                i.kind,
                InstructionKind::Cmd
                    | InstructionKind::Entrypoint
                    | InstructionKind::Healthcheck
                    | InstructionKind::Expose
                    | InstructionKind::Label
                    | InstructionKind::Stopsignal
                    | InstructionKind::Volume
            )
        })
        .map_or(0, |pos| pos + 1);
    let anchor = body[last_work..]
        .iter()
        .find(|(_, i)| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
        .map(|(idx, _)| *idx);
    let existing = ctx.model.created_user(ctx.file, stage);
    let (lines, title) = match (existing, stage.distro, stage.distro.create_user_command("app")) {
        (Some(user), _, _) => (vec![format!("USER {user}")], format!("Switch to the existing user `{user}`")),
        (None, Distro::Distroless, _) => {
            (vec!["USER nonroot".to_owned()], "Add `USER nonroot` (distroless' built-in user)".to_owned())
        }
        (None, _, Some(command)) => {
            (vec![format!("RUN {command}"), "USER app".to_owned()], "Create user `app` and add `USER app`".to_owned())
        }
        (None, _, None) => (
            vec!["USER 65532:65532".to_owned()],
            "Add `USER 65532:65532` (a numeric user needs no /etc/passwd entry)".to_owned(),
        ),
    };
    let edit = match anchor {
        Some(idx) => util_edit::insert_lines_before(ctx.file, &instructions[idx], &lines),
        None => {
            let end = instructions.get(stage.end.checked_sub(1)?)?.range.end;
            let text: String = lines.iter().map(|line| format!("{nl}{line}")).collect();
            Edit::insert(end, text)
        }
    };
    Some(Fix::unsafe_(title, vec![edit]))
}
