//! BH203 user-non-numeric: the final stage's `USER` is a name, not a numeric UID.

use bulkhead_syntax::TextRange;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{EffectiveUser, is_root_user};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH203",
    name: "user-non-numeric",
    practice: Practice::NonRootUser,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: the UID instead of the name when the file creates the user with `-u N`",
        decision: "",
    }),
    aliases: &["DL3066"],
    summary: "The final stage's `USER` is a name: Kubernetes `runAsNonRoot` cannot verify it.",
    doc: r#"
## What it does
Checks the `USER` the final image runs as (the last `USER` of the final stage or of the stages it is
built `FROM`) and fires when the user part is a name (`USER app`, `USER app:app`) rather than a numeric
UID (`USER 10001`, `USER 10001:app`). `USER root` is left to BH201 (root-user), and Windows images are
not checked.

hadolint's DL3066 skips every `USER` that uses a build argument. bulkhead substitutes the argument's
default and checks that value, since it is what a plain `docker build` produces; a `USER $UID` without a
default is not checked.

## Why it matters
Kubernetes' `runAsNonRoot: true` (and the Pod Security "restricted" profile) is the cluster-side guard
that a container does not run as root. The kubelet reads the image's user from its metadata and cannot
look a name up in the image's `/etc/passwd`, so it refuses to start a container whose image says
`USER app` ("image has non-numeric user, cannot verify user is non-root"). The usual workaround is to set
`runAsUser` in every manifest, which hides the UID the image was built for, or to drop the check. A
numeric `USER` makes the guard work as is, also on runtimes that start containers without reading
`/etc/passwd`.

## Example
```dockerfile
FROM debian:12-slim
RUN useradd --system --uid 10001 app
USER app
CMD ["/usr/local/bin/app"]
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN useradd --system --uid 10001 app
USER 10001
CMD ["/usr/local/bin/app"]
```
Pick a UID above 10000 so it does not collide with a host account, and run with
`--cap-drop=ALL --security-opt no-new-privileges` (Kubernetes: `runAsNonRoot: true`,
`allowPrivilegeEscalation: false`, `capabilities: {drop: [ALL]}`).

## Fix
"Use the numeric UID" (unsafe: a later change to the user-creation line must keep the UID in step)
replaces the name with the UID when the file creates the user with a literal `-u`/`--uid`, or when the
user is a well-known one (distroless `nonroot` is 65532, the official `node` images' `node` is 1000,
`nobody` is 65534 on Debian, Ubuntu and Alpine). A group created with a literal `-g`/`--gid` is replaced
by its GID the same way.

## How to silence
`# bulkhead ignore=BH203` on the line before the `USER`, or `ignore = ["BH203"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3066` works too.

## References
- Kubernetes docs: Configure a Security Context for a Pod or Container (`runAsNonRoot`)
- Kubernetes docs: Pod Security Standards, "restricted" profile
- Docker docs: Dockerfile reference, `USER`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some((stage, EffectiveUser::Explicit { instruction: user_idx, user, known: true })) =
        ctx.model.final_user(ctx.file)
    else {
        return;
    };
    if is_root_user(&user) {
        return;
    }
    let (name, group) = match user.split_once(':') {
        Some((name, group)) => (name.trim(), Some(group.trim())),
        None => (user.trim(), None),
    };
    if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    let Some(rest) = ctx.file.instructions().get(user_idx).and_then(|i| i.rest.as_ref()) else { return };
    let mut finding = Finding::new(
        rest.range,
        format!("`USER {user}` names the user: Kubernetes `runAsNonRoot` cannot verify a name, use a numeric UID"),
    );
    // The fix edits the text in place: only for a literal value written on one line.
    let literal = !rest.raw.contains('$') && ctx.file.slice(rest.range) == rest.raw;
    if literal && let Some(uid) = ctx.model.user_id(ctx.file, stage, name) {
        let gid = group.and_then(|group| ctx.model.group_id(ctx.file, stage, group));
        let new_text = match (group, gid) {
            (Some(_), Some(gid)) => format!("{uid}:{gid}"),
            (Some(group), None) => format!("{uid}:{group}"),
            (None, _) => uid.clone(),
        };
        let range = TextRange::new(rest.range.start, rest.range.start + rest.raw.trim_end().len());
        finding = finding.with_fix(Fix::unsafe_(
            format!("Use the numeric UID: `USER {new_text}`"),
            vec![Edit::replace(range, new_text)],
        ));
    }
    out.push(finding);
}
