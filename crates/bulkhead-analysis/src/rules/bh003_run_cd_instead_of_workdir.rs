//! BH003 run-cd-instead-of-workdir: a `RUN` that starts with `cd <dir> &&` where `WORKDIR` says it better.

use bulkhead_syntax::{ShellMode, ShellOperator, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::{util, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH003",
    name: "run-cd-instead-of-workdir",
    practice: Practice::Correctness,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `RUN cd /abs && rest` → `WORKDIR /abs` + `RUN rest`",
        decision: "",
    }),
    aliases: &["DL3003", "DS-0013", "DS013", "AVD-DS-0013", "use-workdir"],
    summary: "`RUN cd /dir && ...`: `WORKDIR /dir` states the directory once for every later instruction.",
    doc: r#"
## What it does
Checks for a `RUN` (also `ONBUILD RUN`) whose first command is `cd <literal path>` followed by `&&`.

hadolint and Trivy flag every `cd`. bulkhead does not flag a `cd` in the middle of a chain, a `RUN`
that changes directory again or deletes the directory later (`cd /usr/src/x && make && rm -rf
/usr/src/x`, or `rm -rf /usr/src/x/*`), a `cd` into `/tmp`, a `cd` to a variable, or `cd` in a `RUN <<EOF` script: in those the
directory change is deliberately temporary, and `WORKDIR` would keep it for the rest of the stage.

## Why it matters
A directory set with `cd` lasts for one `RUN`. The next `RUN`, `COPY` or `CMD` silently runs somewhere
else, which is how files end up copied into `/` and commands run against the wrong tree. `WORKDIR`
says where the stage works once, creates the directory, and shows up in `docker inspect`, so a
reviewer can see where the app lives.

## Example
```dockerfile
FROM golang:1.22
COPY . /src
RUN cd /src && go build -o /out/app .
```

## Use instead
```dockerfile
FROM golang:1.22
COPY . /src
WORKDIR /src
RUN go build -o /out/app .
```

## Fix
"Use `WORKDIR <dir>`" (unsafe) inserts `WORKDIR <dir>` before the `RUN` and removes `cd <dir> &&`. It
is offered for absolute paths only. Unsafe because the new directory also applies to every later
instruction of the stage (relative `COPY` destinations, `RUN`, `CMD`) and `WORKDIR` creates a directory
that `cd` would have failed on.

## How to silence
`# bulkhead ignore=BH003` on the line before the `RUN`, or `ignore = ["BH003"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3003` works too.

## References
- Docker docs: Dockerfile reference, `WORKDIR`; Building best practices, `WORKDIR`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, run, shell) in shell_commands::runs(ctx) {
        if shell.mode() != ShellMode::CommandLine {
            continue;
        }
        let commands = shell.commands();
        let (Some(cd), Some(next)) = (commands.first(), commands.get(1)) else { continue };
        // The `cd` must open the script, not sit in a subshell or after an assignment.
        let leading = shell.source().len() - shell.source().trim_start().len();
        if cd.program() != Some("cd") || cd.range.start != leading || next.operator != Some(ShellOperator::And) {
            continue;
        }
        let [path] = cd.args.as_slice() else { continue };
        let Some(path) = path.value.as_deref() else { continue };
        if path.starts_with('-') || is_temporary(path) {
            continue;
        }
        let later = commands.get(1..).unwrap_or_default();
        let temporary = later.iter().any(|command| match command.program() {
            Some("cd" | "pushd" | "popd") => true,
            // Deleting the directory or its contents afterwards makes it a scratch directory.
            Some("rm") => command.arg_values().any(|arg| {
                let dir = path.trim_end_matches('/');
                arg.strip_prefix(dir).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            }),
            _ => false,
        });
        if temporary {
            continue;
        }
        let cd_range = shell.doc_range(cd.range);
        let mut finding = Finding::new(
            cd_range,
            format!("`cd {path}` lasts for this `RUN` only: use `WORKDIR {path}` to set the directory"),
        );
        let delete = TextRange::new(cd_range.start, shell.doc_range(next.range).start);
        let has_comment = ctx.file.comments().iter().any(|c| delete.contains_range(c.range));
        let top = ctx.file.instructions().get(idx);
        // `WORKDIR` expands `$` and treats quotes and escapes its own way: only plain absolute paths are moved.
        let plain = path.starts_with('/') && !path.contains(['$', ' ', '\t', '\\', '"', '\''].as_slice());
        if let (Some(top), true, false) = (top, plain, has_comment) {
            let workdir = util::keyword_like(run, "WORKDIR");
            let line = if top.trigger.is_some() {
                format!("{} {workdir} {path}", util::keyword_like(top, "ONBUILD"))
            } else {
                format!("{workdir} {path}")
            };
            finding = finding.with_fix(Fix::unsafe_(
                format!("Use `WORKDIR {path}`"),
                vec![util_edit::insert_lines_before(ctx.file, top, &[line]), Edit::delete(delete)],
            ));
        }
        out.push(finding);
    }
}

/// True for a scratch directory a `RUN` works in and throws away.
fn is_temporary(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/dev/shm"].iter().any(|tmp| {
        path.strip_prefix(tmp).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}
