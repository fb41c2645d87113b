//! BH912 apt-instead-of-apt-get: `apt`, the interactive front end, in a build script.

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH912",
    name: "apt-instead-of-apt-get",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: `apt` → `apt-get` for install/update/upgrade/remove/purge/autoremove; unsafe: list/search/show → `apt-cache`",
        decision: "`search`/`show` → `apt-cache` is safe (the same query); `upgrade` is unsafe (`apt-get upgrade` holds back new dependencies); `list` has no equivalent",
    }),
    aliases: &["DL3027", "CKV_DOCKER_9"],
    summary: "`apt` is meant for people at a terminal; scripts should call `apt-get` or `apt-cache`.",
    doc: r#"
## What it does
Checks `RUN` for commands run with `apt` (not `apt-get`, `apt-cache`, `apt-mark` or `apt-key`), in the
stages that end up in the final image. Build stages whose files are only copied from are not checked,
as in BH901: the worst `apt` can do there is break the build, which shows at once, and nothing of
that stage's package set ships.

## Why it matters
`apt` is the interactive front end: its output and defaults may change between releases, and it says
so itself ("WARNING: apt does not have a stable CLI interface. Use with caution in scripts."). A build
is a script. `apt-get` and `apt-cache` keep their behaviour stable, so the same Dockerfile keeps
building the same way on the next Debian or Ubuntu release, and their logs carry no progress bars.

## Example
```dockerfile
FROM ubuntu:24.04
RUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
```

## Fix
"Use `apt-get`" (safe) renames the program for `install`, `update`, `remove`, `purge`, `autoremove`,
`clean`, `autoclean`, `build-dep`, `source`, `download`, `satisfy` and `dist-upgrade`, which `apt-get`
runs the same way. For `upgrade` the fix is unsafe: `apt upgrade` also installs new dependencies, and
`apt-get upgrade` holds such packages back (add `--with-new-pkgs` to keep the old behaviour).
`full-upgrade` becomes `apt-get dist-upgrade` (safe, the same operation). "Use `apt-cache`" (safe)
covers `search`, `show`, `policy`, `depends`, `rdepends`, `showsrc` and `madison`. `apt list` and
`apt edit-sources` have no direct replacement and get no fix.

## How to silence
`# bulkhead ignore=BH912` on the line before the `RUN`, or `ignore = ["BH912"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3027` and `# checkov:skip=CKV_DOCKER_9` work too.

## References
- `apt(8)`, section "Script usage and differences from other APT tools"
"#,
    check: Check::File(check),
};

const APT_GET_SAME: &[&str] = &[
    "install",
    "update",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "autoclean",
    "build-dep",
    "source",
    "download",
    "satisfy",
    "dist-upgrade",
    "reinstall",
];
const APT_CACHE: &[&str] = &["search", "show", "policy", "depends", "rdepends", "showsrc", "madison", "showpkg"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, shell) in shell_commands::runs(ctx) {
        if !ctx.model.in_final_lineage(idx) {
            continue;
        }
        check_run(shell, out);
    }
}

fn check_run(shell: &bulkhead_syntax::ShellScript, out: &mut Vec<Finding>) {
    for command in shell.commands() {
        if command.program() != Some("apt") {
            continue;
        }
        let Some(name) = command.name.as_ref() else { continue };
        let sub = shell_commands::subcommand(command);
        let mut finding = Finding::new(
            shell.doc_range(command.range),
            match sub {
                Some(sub) => format!("`apt {sub}` in a build: `apt` has no stable interface for scripts"),
                None => "`apt` in a build: `apt` has no stable interface for scripts".to_owned(),
            },
        );
        // Only a plainly written program name is renamed (`apt`, `/usr/bin/apt`).
        let name_end = shell.doc_range(name.range).end;
        let plain = shell.text(name.range).ends_with("apt");
        let sub_word = command.args.iter().find(|a| a.value.as_deref() == sub);
        let fix = match (plain, sub) {
            (false, _) | (_, None) => None,
            (true, Some("full-upgrade")) => sub_word.map(|word| {
                Fix::safe(
                    "Use `apt-get dist-upgrade`",
                    vec![Edit::insert(name_end, "-get"), Edit::replace(shell.doc_range(word.range), "dist-upgrade")],
                )
            }),
            (true, Some("upgrade")) => Some(Fix::unsafe_("Use `apt-get`", vec![Edit::insert(name_end, "-get")])),
            (true, Some(sub)) if APT_GET_SAME.contains(&sub) => {
                Some(Fix::safe("Use `apt-get`", vec![Edit::insert(name_end, "-get")]))
            }
            (true, Some(sub)) if APT_CACHE.contains(&sub) => {
                Some(Fix::safe("Use `apt-cache`", vec![Edit::insert(name_end, "-cache")]))
            }
            _ => None,
        };
        if let Some(fix) = fix {
            finding = finding.with_fix(fix);
        }
        out.push(finding);
    }
}
