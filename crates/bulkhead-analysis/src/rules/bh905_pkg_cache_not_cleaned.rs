//! BH905 pkg-cache-not-cleaned: yum, dnf, microdnf, zypper or yarn leave their download cache in the layer.

use bulkhead_syntax::ShellCommand;

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH905",
    name: "pkg-cache-not-cleaned",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: append `yum/dnf/microdnf clean all`, `zypper clean` or `yarn cache clean`",
        decision: "",
    }),
    aliases: &[
        "DL3032", "DL3036", "DL3040", "DL3060", "DS-0015", "DS015", "DS-0019", "DS019", "DS-0020", "DS020", "DS-0027",
        "DS027",
    ],
    summary: "`yum`/`dnf`/`microdnf`/`zypper install` or `yarn install` without cleaning the cache in the same `RUN`.",
    doc: r#"
## What it does
Checks each `RUN` that installs packages with `yum`, `dnf`, `microdnf`, `tdnf`, `zypper` or `yarn`, in
the stages whose files end up in the final image, for a clean of that tool's cache after its last install in the
same `RUN`: `yum clean all`, `dnf clean all`, `microdnf clean all`, `tdnf clean all`, `zypper clean`
(`zypper cc`), `yarn cache clean`, or an `rm -rf` of the cache folder (`/var/cache/yum`,
`/var/cache/dnf`, `/var/cache/zypp`, the yarn cache). A `RUN --mount=type=cache` (or tmpfs) on the cache
folder exempts the step, and so do build stages whose files are only copied from. yarn findings are
info, the others warnings. apt and apk have their own rules (BH901, BH903). dnf's and yum's short verbs
(`in`, `up`, `rei`) and `upgrade-minimal` are installs too. Any `clean` counts (`yum clean all`, `yum
clean packages`, `dnf clean metadata`): the rule does not judge which caches the step chose to keep.

## Why it matters
These tools keep the downloaded packages and repository metadata under `/var/cache`: tens to hundreds of
megabytes in the layer, shipped to every host and scanned on every push, for files nothing reads again.
Cleaning in a later `RUN` does not help: the earlier layer keeps them.

## Example
```dockerfile
FROM rockylinux:9
RUN dnf install -y nginx
```

## Use instead
```dockerfile
FROM rockylinux:9
RUN dnf install -y nginx && dnf clean all
```

## Fix
"Clean the cache in this `RUN`" (safe) appends ` && dnf clean all` (or the matching command) after the
last command of the `RUN`, or a last line in a `RUN <<EOF` script. Nothing later in the step needs the
cache. No fix is offered when the step ends in a background `&` or an `exit`, or when the shell has a
syntax error.

## How to silence
`# bulkhead ignore=BH905` on the line before the `RUN`, or mount a cache:
`RUN --mount=type=cache,target=/var/cache/dnf dnf install -y nginx`. `# hadolint ignore=DL3040` (and
DL3032, DL3036, DL3060) works too.

## References
- Docker docs: Dockerfile best practices
- `dnf(8)` and `yum(8)`: `clean all`; `zypper(8)`: `clean`; yarn docs: `yarn cache clean`
"#,
    check: Check::File(check),
};

/// One tool whose cache this rule checks.
struct Tool {
    programs: &'static [&'static str],
    installs: &'static [&'static str],
    cleans: &'static [&'static str],
    cache_dirs: &'static [&'static str],
}

/// What installs for yum and dnf (yum is dnf on RHEL 8 and later), short verbs included.
const RPM_INSTALLS: &[&str] = &[
    "install",
    "in",
    "groupinstall",
    "localinstall",
    "reinstall",
    "rei",
    "update",
    "up",
    "upgrade",
    "upgrade-minimal",
    "distro-sync",
];

const TOOLS: &[Tool] = &[
    Tool { programs: &["yum"], installs: RPM_INSTALLS, cleans: &["clean"], cache_dirs: &["/var/cache/yum"] },
    Tool {
        programs: &["dnf"],
        installs: RPM_INSTALLS,
        cleans: &["clean"],
        cache_dirs: &["/var/cache/dnf", "/var/cache/libdnf5"],
    },
    Tool {
        programs: &["microdnf"],
        installs: &["install", "reinstall", "update", "upgrade"],
        cleans: &["clean"],
        cache_dirs: &["/var/cache/yum", "/var/cache/dnf"],
    },
    Tool {
        programs: &["tdnf"],
        installs: &["install", "update", "upgrade"],
        cleans: &["clean"],
        cache_dirs: &["/var/cache/tdnf"],
    },
    Tool {
        programs: &["zypper"],
        installs: &["install", "in", "update", "up", "dist-upgrade", "dup", "patch"],
        cleans: &["clean", "cc"],
        cache_dirs: &["/var/cache/zypp"],
    },
    Tool {
        programs: &["yarn"],
        installs: &["install", "add", "global"],
        cleans: &["cache"],
        cache_dirs: &["/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/home/node/.cache/yarn", "/root/.yarn"],
    },
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, run, shell) in shell_commands::runs(ctx) {
        if !ctx.model.in_final_lineage(idx) {
            continue;
        }
        let commands = shell.commands();
        for tool in TOOLS {
            if shell_commands::has_cache_mount(run, tool.cache_dirs) {
                continue;
            }
            let Some(pos) = commands.iter().rposition(|c| installs(c, tool)) else { continue };
            let later = commands.get(pos + 1..).unwrap_or_default();
            if later.iter().any(|c| cleans(c, tool)) {
                continue;
            }
            let Some(command) = commands.get(pos) else { continue };
            let program = command.program().unwrap_or_default();
            let yarn = program == "yarn";
            let clean = if yarn {
                "yarn cache clean".to_owned()
            } else if program == "zypper" {
                "zypper clean --all".to_owned()
            } else {
                format!("{program} clean all")
            };
            let mut finding = Finding::new(
                shell.doc_range(command.range),
                format!("`{program}` leaves its download cache in the image: run `{clean}` in the same `RUN`"),
            );
            if yarn {
                finding = finding.with_severity(Severity::Info);
            }
            if let Some(edit) = util_edit::append_command(ctx.file, run, shell, &clean) {
                finding = finding.with_fix(Fix::safe("Clean the cache in this `RUN`", vec![edit]));
            }
            out.push(finding);
        }
    }
}

fn installs(command: &ShellCommand, tool: &Tool) -> bool {
    if !command.program().is_some_and(|p| tool.programs.contains(&p)) {
        return false;
    }
    match shell_commands::subcommand(command) {
        Some("global") => command.has_arg("add"),
        Some(sub) => tool.installs.contains(&sub),
        // A bare `yarn` installs the project's dependencies (`yarn --version` does not).
        None => {
            tool.programs == ["yarn"]
                && !command.arg_values().any(|a| matches!(a, "-v" | "--version" | "-h" | "--help"))
        }
    }
}

fn cleans(command: &ShellCommand, tool: &Tool) -> bool {
    if command.program().is_some_and(|p| tool.programs.contains(&p)) {
        return match shell_commands::subcommand(command) {
            Some("cache") => command.has_arg("clean"),
            Some(sub) => tool.cleans.contains(&sub),
            None => false,
        };
    }
    tool.cache_dirs.iter().any(|dir| shell_commands::removes_dir(command, dir))
}
