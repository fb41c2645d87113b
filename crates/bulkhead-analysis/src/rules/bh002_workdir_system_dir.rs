//! BH002 workdir-system-dir: a `WORKDIR` inside the operating system's own directories.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH002",
    name: "workdir-system-dir",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DS-0030", "DS030", "AVD-DS-0030"],
    summary: "`WORKDIR` points into a system directory such as `/usr/bin`, `/etc` or `/proc`.",
    doc: r#"
## What it does
Checks `WORKDIR` (after expanding `ARG`/`ENV` defaults) for a directory the operating system owns:
`/bin`, `/sbin`, `/lib*`, `/usr/bin`, `/usr/sbin`, `/usr/lib*` and anything below them, `/boot`, `/dev`, `/proc`, `/sys` and anything below them, and the top of
`/usr`, `/usr/local`, `/usr/share`, `/etc` and `/var` themselves.

Not flagged: `/` (a common way to reset the directory), subdirectories of `/etc` such as `/etc/nginx`
(a service's own configuration folder is a reasonable place to work in), `/usr/src/...`,
`/usr/local/<app>`, `/usr/local/bin` (where locally built programs belong: a stage that copies binaries
there works as intended), `/root` and `/var/<app>`. Those are choices a careful reviewer accepts; flagging them
would bury the few real cases.

It stays silent when nothing after the `WORKDIR` (up to the stage's next `WORKDIR`) writes into it: no
`RUN`, and only `COPY`/`ADD` to absolute destinations (`WORKDIR /usr/bin` followed by `CMD ["./app"]`).

## Why it matters
The working directory is where `COPY . .`, `RUN make` and unpacked archives write. In `/usr/bin` or
`/lib` the app's files mix with the system's: a file named like a system binary or library replaces
it for every process in the container, a package upgrade can overwrite the app, and image scanners
and reviewers can no longer tell what the OS shipped from what you added. `/proc`, `/sys` and `/dev`
are kernel file systems at run time, so what the build writes there is hidden or lost.

## Example
```dockerfile
FROM debian:bookworm-slim
WORKDIR /usr/bin
COPY tool .
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
WORKDIR /opt/tool
COPY tool .
```

## How to silence
`# bulkhead ignore=BH002` on the line before the `WORKDIR`, or `ignore = ["BH002"]` in `.bulkhead.toml`.
Trivy's `DS-0030` id works too.

## References
- Filesystem Hierarchy Standard 3.0
- Trivy: DS-0030
"#,
    check: Check::File(check),
};

/// Directories the OS owns, with everything below them.
const SYSTEM_TREES: &[&str] = &[
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/libexec",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
];

/// Directories the OS owns whose subdirectories are fine to work in.
const SYSTEM_DIRS: &[&str] = &["/usr", "/etc", "/var", "/usr/local", "/usr/share"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, workdir) in util::instructions_of(ctx, InstructionKind::Workdir) {
        let Some(rest) = &workdir.rest else { continue };
        let Some(path) = ctx.model.workdir_path(idx, workdir) else { continue };
        let Some(normal) = normalize(&path) else { continue };
        let is_system = SYSTEM_DIRS.contains(&normal.as_str())
            || SYSTEM_TREES
                .iter()
                .any(|tree| normal.strip_prefix(tree).is_some_and(|below| below.is_empty() || below.starts_with('/')));
        if is_system && writes_there(ctx, idx) {
            out.push(Finding::new(
                rest.range,
                format!("`WORKDIR {path}` is a system directory: files the build writes there mix with the OS's own"),
            ));
        }
    }
}

/// An absolute Unix path without `.`, empty segments or a trailing slash; `..` is resolved. `None` for
/// a relative or Windows path.
fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    Some(util::normalize_path(path))
}

/// True when an instruction after the `WORKDIR` at `idx`, up to the stage's next `WORKDIR`, may write into
/// it: a `RUN`, or a `COPY`/`ADD` to a relative destination. A `WORKDIR /usr/bin` followed only by
/// `CMD ["./app"]` or `COPY x /usr/bin/` mixes nothing in because of the `WORKDIR`.
fn writes_there(ctx: &RuleContext<'_>, idx: usize) -> bool {
    // An `ONBUILD WORKDIR` applies in the images built on this one, whose instructions are not here.
    let Some(stage) = ctx.model.stage_of(idx).filter(|_| ctx.file.instructions()[idx].trigger.is_none()) else {
        return true;
    };
    for (_, instruction) in stage.instructions(ctx.file).filter(|(i, _)| *i > idx) {
        match instruction.kind {
            InstructionKind::Workdir => return false,
            InstructionKind::Run | InstructionKind::Onbuild => return true,
            InstructionKind::Copy | InstructionKind::Add => {
                let words = instruction.json.as_deref().unwrap_or(&instruction.words);
                if words.last().is_none_or(|dest| !dest.value.starts_with('/')) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("/usr//bin/").as_deref(), Some("/usr/bin"));
        assert_eq!(normalize("/opt/../usr/./lib").as_deref(), Some("/usr/lib"));
        assert_eq!(normalize("/").as_deref(), Some("/"));
        assert_eq!(normalize("app"), None);
    }
}
