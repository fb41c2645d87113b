//! BH003 run-cd-instead-of-workdir: a `RUN` that starts with `cd <dir> &&` where `WORKDIR` says it better.

use bulkhead_syntax::{ShellCommand, ShellMode, ShellOperator, ShellScript, TextRange};

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
    fix_plan: Some(FixPlan { planned: "unsafe: `RUN cd /abs && rest` → `WORKDIR /abs` + `RUN rest`", decision: "" }),
    aliases: &["DL3003", "DS-0013", "DS013", "AVD-DS-0013", "use-workdir"],
    summary: "`RUN cd /dir && ...`: `WORKDIR /dir` states the directory once for every later instruction.",
    doc: r#"
## What it does
Checks for a `RUN` (also `ONBUILD RUN`) that changes directory for the commands after it with `cd <literal
path>`: as its first command followed by `&&`, after `&&` in the middle of a chain (absolute paths only; no
fix, since moving it would split the `RUN`), or alone (`RUN cd /app`, which does nothing at all: the fix
turns it into `WORKDIR /app`).

hadolint and Trivy flag every `cd`. bulkhead does not flag a `RUN` that changes directory again or deletes
the directory later (`cd /usr/src/x && make && rm -rf /usr/src/x`, or `rm -rf /usr/src/x/*`), a `cd` into
`/tmp`, a `cd` to a variable, a relative `cd` in the middle of a chain (`tar -xf x.tgz && cd x-1.2 &&
make`), a `cd` in a subshell, or `cd` in a `RUN <<EOF` script: in those the directory change is deliberately
temporary, and `WORKDIR` would keep it for the rest of the stage. A `cd` to the directory a `WORKDIR` of the
stage (or of the stage it is built `FROM`) already set is not flagged either: it changes nothing, and a
`WORKDIR` fix would repeat the one that is there.

A `cd` is reported in the stages that make up the final image only: in a build stage whose files are only
copied from (`cd /go/src/x && go build`, `go get ... && cd /go/src/x && go build`), it is one step of a
build recipe, and a `WORKDIR` there changes nothing anyone runs (review 4 judged the findings there noise).

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
    for (idx, _, shell) in shell_commands::runs(ctx) {
        if shell.mode() != ShellMode::CommandLine {
            continue;
        }
        let commands = shell.commands();
        let leading = shell.source().len() - shell.source().trim_start().len();
        for (pos, cd) in commands.iter().enumerate() {
            if cd.program() != Some("cd") || cd.in_substitution {
                continue;
            }
            // The first command of the script, or one after `&&` at the top level (not in a subshell or
            // after an assignment).
            let first = pos == 0 && cd.range.start == leading;
            let after_and = pos > 0
                && cd.operator == Some(ShellOperator::And)
                && shell.source().get(..cd.range.start).is_some_and(|before| before.trim_end().ends_with("&&"));
            if !first && !after_and {
                continue;
            }
            // In a stage that never ships, a step of a build recipe.
            if !ctx.model.in_final_lineage(idx) {
                continue;
            }
            let next = commands.get(pos + 1);
            if next.is_some_and(|n| n.operator != Some(ShellOperator::And)) {
                continue;
            }
            let [path] = cd.args.as_slice() else { continue };
            let Some(path) = path.value.as_deref() else { continue };
            if path.starts_with('-') || is_temporary(path) || (after_and && !path.starts_with('/')) {
                continue;
            }
            let later = commands.get(pos + 1..).unwrap_or_default();
            // Any other directory change in the `RUN`, before or after, makes this one a step of a script.
            let moves_again = commands
                .iter()
                .enumerate()
                .any(|(k, c)| k != pos && matches!(c.program(), Some("cd" | "pushd" | "popd")));
            let temporary = moves_again
                || later.iter().any(|command| match command.program() {
                    // Deleting the directory or its contents afterwards makes it a scratch directory.
                    Some("rm") => command.arg_values().any(|arg| {
                        let dir = path.trim_end_matches('/');
                        arg.strip_prefix(dir).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                    }),
                    _ => false,
                });
            // Going where the stage already works changes nothing that `WORKDIR` would.
            if temporary || current_workdir(ctx, idx).is_some_and(|dir| same_dir(&dir, path)) {
                continue;
            }
            out.push(finding(ctx, idx, shell, cd, path, next, after_and));
        }
    }
}

/// The absolute `WORKDIR` in force at instruction `idx`, when the file sets one.
fn current_workdir(ctx: &RuleContext<'_>, idx: usize) -> Option<String> {
    let stage = ctx.model.stage_of(idx)?;
    let (at, workdir) = ctx.model.workdirs_before(ctx.file, stage, idx).next()?;
    ctx.model.workdir_path(at, workdir).filter(|path| path.starts_with('/'))
}

fn same_dir(a: &str, b: &str) -> bool {
    let trim = |p: &str| if p.len() > 1 { p.trim_end_matches('/').to_owned() } else { p.to_owned() };
    trim(a) == trim(b)
}

#[allow(clippy::too_many_arguments)]
fn finding(
    ctx: &RuleContext<'_>,
    idx: usize,
    shell: &ShellScript,
    cd: &ShellCommand,
    path: &str,
    next: Option<&ShellCommand>,
    after_and: bool,
) -> Finding {
    let cd_range = shell.doc_range(cd.range);
    let Some(next) = next else {
        let mut finding = Finding::new(
            cd_range,
            format!("`RUN cd {path}` does nothing: the directory lasts for this `RUN` only; use `WORKDIR {path}`"),
        );
        let top = ctx.file.instructions().get(idx).filter(|top| top.trigger.is_none() && !after_and);
        if let (Some(top), true) = (top, plain(path)) {
            let line = format!("{} {path}", util::keyword_cased(ctx.file, "WORKDIR"));
            finding =
                finding.with_fix(Fix::unsafe_(format!("Use `WORKDIR {path}`"), vec![Edit::replace(top.range, line)]));
        }
        return finding;
    };
    let mut finding = Finding::new(
        cd_range,
        format!("`cd {path}` lasts for this `RUN` only: use `WORKDIR {path}` to set the directory"),
    );
    // A `cd` in the middle of a chain would need the `RUN` split in two: no fix.
    if after_and {
        return finding;
    }
    let delete = TextRange::new(cd_range.start, shell.doc_range(next.range).start);
    let has_comment = ctx.file.comments().iter().any(|c| delete.contains_range(c.range));
    let top = ctx.file.instructions().get(idx);
    if let (Some(top), true, false) = (top, plain(path), has_comment) {
        let workdir = util::keyword_cased(ctx.file, "WORKDIR");
        let line = if top.trigger.is_some() {
            format!("{} {workdir} {path}", util::keyword_cased(ctx.file, "ONBUILD"))
        } else {
            format!("{workdir} {path}")
        };
        finding = finding.with_fix(Fix::unsafe_(
            format!("Use `WORKDIR {path}`"),
            vec![util_edit::insert_lines_before(ctx.file, top, &[line]), Edit::delete(delete)],
        ));
    }
    finding
}

/// `WORKDIR` expands `$` and treats quotes and escapes its own way: only plain absolute paths are moved.
fn plain(path: &str) -> bool {
    path.starts_with('/') && !path.contains(['$', ' ', '\t', '\\', '"', '\''].as_slice())
}

/// True for a scratch directory a `RUN` works in and throws away.
fn is_temporary(path: &str) -> bool {
    ["/tmp", "/var/tmp", "/dev/shm"]
        .iter()
        .any(|tmp| path.strip_prefix(tmp).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}
