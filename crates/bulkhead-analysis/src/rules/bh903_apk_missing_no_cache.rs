//! BH903 apk-missing-no-cache: `apk add` keeps its package index in the image.

use bulkhead_syntax::{InstructionKind, ShellCommand};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH903",
    name: "apk-missing-no-cache",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan {
        planned: "safe: `--no-cache` after `apk add`; unsafe: also drop `--update`/`-U` and a later `rm -rf /var/cache/apk/*`",
        decision: "",
    }),
    aliases: &["DL3019", "DS-0025", "DS025"],
    summary: "`apk add` without `--no-cache` leaves the package index in the image.",
    doc: r#"
## What it does
Checks `apk add` commands in `RUN` for `--no-cache`. A `RUN --mount=type=cache` on `/var/cache/apk`
exempts the command (the cache then lives outside the image), and so does `apk add --no-network`, which
installs from what is already there and downloads no index. So does an `rm -rf /var/cache/apk/*` (or of
`/var/cache/apk`, beside other paths too) later in the same `RUN`: `apk add --update curl && rm -rf
/var/cache/apk/*` is the older spelling of `--no-cache`, and the layer it saves holds no index.
An exec-form `RUN ["apk", "add", "curl"]` is checked too: its strings are the command's words (no shell,
so nothing can clean up after it in the same step), and the fix adds `"--no-cache"` to the array.

## Why it matters
Without `--no-cache`, `apk` downloads the package index into `/var/cache/apk` and the layer keeps it:
megabytes of stale metadata in every image, shipped to every host, and a record of what the build saw.
Smaller images pull faster and give scanners less to wade through.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## Fix
"Add `--no-cache`" (safe) inserts the flag right after `apk add`. `--no-cache` also refreshes the index,
so a separate `apk update` becomes unnecessary.

"Add `--no-cache` and drop what it makes redundant" (unsafe) also deletes `--update` (`-U`) from the
command. Unsafe only because it deletes text you wrote: the image is the same. It is offered in the editor when there is something to drop; `check --fix
--unsafe-fixes` takes the safe fix, as it does whenever a finding has one.

## How to silence
`# bulkhead ignore=BH903` on the line before the `RUN`, or mount a cache:
`RUN --mount=type=cache,target=/var/cache/apk apk add curl`. `# hadolint ignore=DL3019` works too.

## References
- Alpine wiki: Alpine Package Keeper, `--no-cache`
"#,
    check: Check::Instruction(check),
};

const MESSAGE: &str = "`apk add` without `--no-cache` keeps the package index in the image";

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let run = ctx.target();
    if run.kind != InstructionKind::Run || shell_commands::has_cache_mount(run, &["/var/cache/apk", "/etc/apk/cache"]) {
        return;
    }
    // Exec form: one command, no shell, its ranges in the document already.
    if let Some(command) = run.exec_command() {
        if keeps_index(&command)
            && let Some(add) = command.args.iter().find(|a| a.value.as_deref() == Some("add"))
        {
            let insert = util_edit::insert_exec_arg(add, "--no-cache");
            out.push(Finding::new(command.range, MESSAGE).with_fix(Fix::safe("Add `--no-cache`", vec![insert])));
        }
        return;
    }
    let Some(shell) = run.shell.as_deref() else { return };
    let commands = shell.commands();
    for command in commands.iter().filter(|c| keeps_index(c)) {
        // A later `rm -rf /var/cache/apk/*` in the same step removes the index before the layer is saved.
        let cleaned = commands.iter().any(|later| later.range.start >= command.range.end && cleans_apk_cache(later));
        if cleaned {
            continue;
        }
        let range = shell.doc_range(command.range);
        let Some(add) = command.args.iter().find(|a| a.value.as_deref() == Some("add")) else { continue };
        let insert = Edit::insert(shell.doc_range(add.range).end, " --no-cache");
        let mut tidy = vec![insert.clone()];
        // `--update` (`-U`): `--no-cache` reads a fresh index anyway.
        for (arg_idx, arg) in command.args.iter().enumerate() {
            if matches!(arg.value.as_deref(), Some("--update" | "--update-cache" | "-U")) {
                tidy.extend(util_edit::delete_args(ctx.file, shell, command, arg_idx, 1));
            }
        }
        let mut finding = Finding::new(range, MESSAGE).with_fix(Fix::safe("Add `--no-cache`", vec![insert]));
        if tidy.len() > 1 {
            finding = finding.with_fix(Fix::unsafe_("Add `--no-cache` and drop what it makes redundant", tidy));
        }
        out.push(finding);
    }
}

/// `apk add` without `--no-cache`. `--no-network` installs from local files only: no index is downloaded,
/// nothing is cached.
fn keeps_index(command: &ShellCommand) -> bool {
    command.program() == Some("apk")
        && shell_commands::subcommand(command) == Some("add")
        && !command.has_arg("--no-cache")
        && !command.has_arg("--no-network")
}

/// `rm` of the apk cache (`rm -rf /var/cache/apk/*`, also beside other paths).
fn cleans_apk_cache(command: &ShellCommand) -> bool {
    shell_commands::removes_dir(command, "/var/cache/apk")
}
