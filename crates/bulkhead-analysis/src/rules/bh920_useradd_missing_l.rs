//! BH920 useradd-missing-l: `useradd` with a large UID fills `/var/log/lastlog` with zeros.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH920",
    name: "useradd-missing-l",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan { planned: "safe: add `-l`", decision: "" }),
    aliases: &["DL3046"],
    summary: "`useradd -u <large UID>` without `-l` writes a lastlog file of UID × 292 bytes into the layer.",
    doc: r#"
## What it does
Checks `useradd` in `RUN` for `-l` (`--no-log-init`) when it sets a literal UID of 32768 or more with
`-u`/`--uid`. A UID given by a variable is not checked (its value is unknown), and neither is `adduser`.

hadolint flags UIDs of six digits or more. bulkhead starts lower, at 32768, where the file reaches
about 9.5 MB: that size is worth a flag in any image.

## Why it matters
`useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by UID:
the entry for UID 100000 sits 29 MB into the file. On a normal disk the gap is sparse and free, but
image layers are tar files that store the zeros, so the image grows by tens of megabytes (or
gigabytes for UIDs near 2^31, which some platforms assign) for a login log nobody reads in a container.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN useradd -u 100000 -m app
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN useradd -l -u 100000 -m app
```

## Fix
"Add `-l`" (safe) inserts `-l` right after `useradd`: the user is the same, only the lastlog and
faillog entries are skipped.

## How to silence
`# bulkhead ignore=BH920` on the line before the `RUN`, or `ignore = ["BH920"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3046` works too.

## References
- `useradd(8)`: `-l`, `--no-log-init`
- moby/moby issue 5419 (sparse files in image layers)
"#,
    check: Check::Instruction(check),
};

/// From this UID on the lastlog file is about 9.5 MB (292 bytes per UID).
const LARGE_UID: u64 = 32_768;

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((_, shell)) = ctx.run() else { return };
    for command in shell.commands() {
        if command.program() != Some("useradd") {
            continue;
        }
        let no_log = command.arg_values().any(|a| a == "--no-log-init") || shell_commands::has_short_flag(command, 'l');
        if no_log {
            continue;
        }
        let Some(uid) = uid_of(command) else { continue };
        if uid < LARGE_UID {
            continue;
        }
        let Some(name) = command.name.as_ref() else { continue };
        out.push(
            Finding::new(
                shell.doc_range(command.range),
                format!("`useradd -u {uid}` without `-l` stores a lastlog file of about {} in the layer", size(uid)),
            )
            .with_fix(Fix::safe("Add `-l`", vec![Edit::insert(shell.doc_range(name.range).end, " -l")])),
        );
    }
}

/// The literal UID of `-u N`, `-uN`, `--uid N` or `--uid=N`.
fn uid_of(command: &bulkhead_syntax::ShellCommand) -> Option<u64> {
    let mut values = command.args.iter().map(|a| a.value.as_deref());
    while let Some(value) = values.next() {
        let Some(value) = value else { continue };
        let uid = match value {
            "-u" | "--uid" => values.next()??,
            v => match v.strip_prefix("--uid=").or_else(|| v.strip_prefix("-u").filter(|rest| !rest.is_empty())) {
                Some(uid) => uid,
                None => continue,
            },
        };
        return uid.parse().ok();
    }
    None
}

/// The size of lastlog for `uid` (292 bytes per entry), in MB or GB.
fn size(uid: u64) -> String {
    let megabytes = uid.saturating_mul(292) / 1_000_000;
    if megabytes >= 1000 { format!("{} GB", megabytes / 1000) } else { format!("{megabytes} MB") }
}
