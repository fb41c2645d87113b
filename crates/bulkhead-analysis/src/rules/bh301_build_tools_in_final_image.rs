//! BH301 build-tools-in-final-image: compilers and development tools installed, or a build run, in the
//! stages that make up the final image.

use bulkhead_syntax::{InstructionKind, ShellCommand, ShellScript};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_purpose;

pub(crate) const RULE: Rule = Rule {
    code: "BH301",
    name: "build-tools-in-final-image",
    practice: Practice::MultiStage,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "The final image installs compilers or development tools, or builds the app in place.",
    doc: r#"
## What it does
Checks the stages that end up in the final image (the final stage and the stages it is built `FROM`)
for package installs (`apt-get`/`apt`, `apk`, `dnf`/`yum`/`microdnf`, `zypper`) of compilers and
development tools: `build-essential`, `build-base`, `gcc`, `g++`, `clang`, `make`, `cmake`, autotools,
`pkg-config`, `git`, `vim`, `nano`, Go and Rust toolchains, and `*-dev` / `*-devel` header packages.

Packages removed again in the same `RUN` do not count: `apt-get purge`/`remove` naming them,
`apt-mark auto '.*'` followed by `apt-get purge --auto-remove` (the official images' pattern), or
`apk add --virtual .build-deps ...` followed by `apk del .build-deps`. A removal in a later `RUN` does
not help: the tools stay in the earlier layer.

`git`, `vim` and `nano` are listed only beside a compiler or headers: alone they are runtime tools of
many apps (a git server, a CI image, a mail client's editor), not a sign of a build. Header packages
(`*-dev`) with no compiler in the same install are info: without a compiler they add size, not a
toolchain, and some images install one for the unversioned `.so` link only it ships (`libpcap-dev`).

A base or toolbox image is not checked (see BH201 for how it is recognised: a bare shell or interpreter
as its command, or no command of its own on `buildpack-deps` or a language toolchain image such as
`golang`, `rust` or `python`): the official `python`,
`golang` and `ruby` images ship compilers and headers on purpose, so that the images built on them can
compile native extensions, and their `-slim` variants are the minimal ones.

With lower severity (info), it also flags a build run in the final image (`go build`, `cargo build`,
`npm run build`, `mvn package`, `gradle build`, `make`...) unless the same `RUN` removes the build
dependencies afterwards: the usual sign of a single-stage build.

## Why it matters
A compiler, `git` and header files in a running container are a gift to an attacker who gets a shell:
they can build exploits and tools in place. They also add hundreds of megabytes and many CVEs that the
app never needs at run time. A multi-stage build compiles in one stage and copies only the result into
a small final stage, so none of it ships.

## Example
```dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
CMD ["python", "-m", "app"]
```

## How to silence
`# bulkhead ignore=BH301` on the line before the `RUN`, or `ignore = ["BH301"]` in `.bulkhead.toml` for
images that are development environments, or compile at run time (lkp-tests), on purpose.

## References
- Docker docs: Multi-stage builds
- CIS Docker Benchmark 4.3: Ensure that unnecessary packages are not installed in the container
- CWE-1104: Use of Unmaintained Third Party Components
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    // A base image for other Dockerfiles, or a toolbox, has its build tools on purpose.
    if util_purpose::ships_build_tools_on_purpose(ctx) {
        return;
    }
    for stage_idx in ctx.model.final_lineage() {
        let Some(stage) = ctx.model.stages.get(stage_idx) else { continue };
        for (_, run) in stage.instructions(ctx.file) {
            if run.kind != InstructionKind::Run {
                continue;
            }
            let Some(shell) = run.shell.as_deref() else { continue };
            check_run(shell, out);
        }
    }
}

fn check_run(shell: &ShellScript, out: &mut Vec<Finding>) {
    let commands = shell.commands();
    let mut compiled = false;
    for (pos, command) in commands.iter().enumerate() {
        let later = commands.get(pos + 1..).unwrap_or_default();
        if let Some(install) = install_of(command) {
            let tools: Vec<&str> = install
                .packages
                .iter()
                .map(|p| p.as_str())
                .filter(|p| is_build_tool(p) && !removed_later(&install, p, later))
                .collect();
            let kinds: Vec<ToolKind> = tools.iter().filter_map(|t| tool_kind(t)).collect();
            // `git`, an editor, alone: a runtime tool of many apps (git servers, CI images, mail clients).
            let reported = kinds.iter().any(|k| *k != ToolKind::Everyday);
            if reported && !install.virtual_name.as_deref().is_some_and(|v| removed_later(&install, v, later)) {
                let list = tools.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
                let verb = command_label(command);
                let range = shell.doc_range(command.range);
                out.push(match kinds.contains(&ToolKind::Toolchain) {
                    true => Finding::new(range, format!("`{verb}` puts build tools into the final image: {list}")),
                    // Headers with no compiler beside them are size, not a toolchain; some are installed for
                    // the unversioned `.so` link only they ship.
                    false => Finding::new(
                        range,
                        format!(
                            "`{verb}` puts development packages into the final image: {list} (headers, no compiler in \
                             the same install: check that the app needs them at run time)"
                        ),
                    )
                    .with_severity(Severity::Info),
                });
            }
        }
        if !compiled && let Some(what) = compile_of(command) {
            compiled = true;
            if !later.iter().any(|c| removal_of(c).is_some()) {
                out.push(
                    Finding::new(
                        shell.doc_range(command.range),
                        format!(
                            "`{what}` runs in the final image, so its toolchain and sources ship: build in an earlier stage and copy the result"
                        ),
                    )
                    .with_severity(Severity::Info),
                );
            }
        }
    }
}

/// The package manager families this rule knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Manager {
    Apt,
    Apk,
    Rpm,
    Zypper,
}

fn manager_of(command: &ShellCommand) -> Option<Manager> {
    match command.program()? {
        "apt-get" | "apt" | "aptitude" => Some(Manager::Apt),
        "apk" => Some(Manager::Apk),
        "dnf" | "yum" | "microdnf" | "tdnf" => Some(Manager::Rpm),
        "zypper" => Some(Manager::Zypper),
        _ => None,
    }
}

/// Options that take the next word as their value, per manager, after the subcommand.
fn option_takes_value(manager: Manager, option: &str) -> bool {
    let list: &[&str] = match manager {
        Manager::Apt => &["-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release"],
        Manager::Apk => {
            &["-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--cache-dir", "-t", "--virtual"]
        }
        Manager::Rpm => {
            &["-x", "--exclude", "-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo"]
        }
        Manager::Zypper => &["-t", "--type", "-r", "--repo", "--from"],
    };
    list.contains(&option)
}

struct Install {
    manager: Manager,
    /// Package names, versions and architectures stripped.
    packages: Vec<String>,
    /// `apk add --virtual .name`.
    virtual_name: Option<String>,
}

/// The packages an install command installs.
fn install_of(command: &ShellCommand) -> Option<Install> {
    let manager = manager_of(command)?;
    let sub = shell_commands::subcommand(command)?;
    let installs = match manager {
        Manager::Apt => matches!(sub, "install"),
        Manager::Apk => sub == "add",
        Manager::Rpm => matches!(sub, "install" | "groupinstall"),
        Manager::Zypper => matches!(sub, "install" | "in"),
    };
    if !installs {
        return None;
    }
    let (packages, virtual_name) = operands(command, manager, sub);
    Some(Install { manager, packages, virtual_name })
}

/// The package operands after the subcommand, and the value of `--virtual`/`-t` for apk.
fn operands(command: &ShellCommand, manager: Manager, sub: &str) -> (Vec<String>, Option<String>) {
    let mut packages = Vec::new();
    let mut virtual_name = None;
    let mut seen_sub = false;
    let mut value_of: Option<String> = None;
    for arg in &command.args {
        let Some(value) = arg.value.as_deref() else {
            value_of = None;
            continue;
        };
        if let Some(option) = value_of.take() {
            if manager == Manager::Apk && (option == "-t" || option == "--virtual") && seen_sub {
                virtual_name = Some(package_name(value));
            }
            continue;
        }
        if let Some(name) = value.strip_prefix("--virtual=") {
            virtual_name = Some(package_name(name));
            continue;
        }
        if value.starts_with('-') {
            if option_takes_value(manager, value) {
                value_of = Some(value.to_owned());
            }
            continue;
        }
        if !seen_sub {
            seen_sub = value == sub;
            continue;
        }
        packages.push(package_name(value));
    }
    (packages, virtual_name)
}

/// `gcc=4:12.2.0-3` → `gcc`; `libc6-dev:amd64` → `libc6-dev`; `golang-go/bookworm-backports` →
/// `golang-go`; apk's `make~4.4` → `make`.
fn package_name(operand: &str) -> String {
    let end = operand.find(['=', ':', '/', '<', '>', '~', '@']).unwrap_or(operand.len());
    operand.get(..end).unwrap_or(operand).to_ascii_lowercase()
}

/// Compilers, build systems, development headers, version control and editors.
/// What a build tool is, for how the finding weighs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ToolKind {
    /// Compilers, build systems and toolchains.
    Toolchain,
    /// Header packages (`*-dev`, `*-devel`, kernel headers).
    Headers,
    /// Version control and editors, which many apps also use at run time.
    Everyday,
}

fn tool_kind(package: &str) -> Option<ToolKind> {
    if !is_build_tool(package) {
        return None;
    }
    Some(match package {
        "git" | "git-core" | "vim" | "vim-nox" | "vim-enhanced" | "nano" => ToolKind::Everyday,
        "linux-headers" | "kernel-headers" => ToolKind::Headers,
        _ if package.ends_with("-dev") || package.ends_with("-devel") => ToolKind::Headers,
        _ => ToolKind::Toolchain,
    })
}

fn is_build_tool(package: &str) -> bool {
    const TOOLS: &[&str] = &[
        "build-essential",
        "build-base",
        "alpine-sdk",
        "gcc",
        "g++",
        "gcc-c++",
        "clang",
        "llvm",
        "make",
        "cmake",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "ninja-build",
        "meson",
        "git",
        "git-core",
        "vim",
        "vim-nox",
        "vim-enhanced",
        "nano",
        "golang",
        "golang-go",
        "go",
        "rust",
        "rustc",
        "cargo",
        "rustup",
        "linux-headers",
        "kernel-headers",
    ];
    if TOOLS.contains(&package) || package.ends_with("-dev") || package.ends_with("-devel") {
        return true;
    }
    // Versioned compilers: `gcc-12`, `g++-12`, `clang-16`, `llvm-16`, `golang-1.22`.
    ["gcc-", "g++-", "clang-", "llvm-", "golang-"].iter().any(|prefix| {
        package
            .strip_prefix(prefix)
            .is_some_and(|version| !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    })
}

/// Packages (or apk virtual groups) a removal command takes out again.
struct Removal {
    manager: Manager,
    names: Vec<String>,
    /// `apt-get purge --auto-remove` / `apt-get autoremove`: removes every package marked automatic.
    auto_remove: bool,
}

fn removal_of(command: &ShellCommand) -> Option<Removal> {
    let manager = manager_of(command)?;
    let sub = shell_commands::subcommand(command)?;
    let removes = match manager {
        Manager::Apt => matches!(sub, "purge" | "remove" | "autoremove" | "autopurge"),
        Manager::Apk => sub == "del",
        Manager::Rpm => matches!(sub, "remove" | "erase" | "autoremove"),
        Manager::Zypper => matches!(sub, "remove" | "rm"),
    };
    if !removes {
        return None;
    }
    let (names, _) = operands(command, manager, sub);
    let auto_remove = manager == Manager::Apt
        && (matches!(sub, "autoremove" | "autopurge")
            || command.has_arg("--auto-remove")
            || command.has_arg("--autoremove"));
    Some(Removal { manager, names, auto_remove })
}

/// True when a later command of the same `RUN` removes `name`, which `install` installed.
fn removed_later(install: &Install, name: &str, later: &[ShellCommand]) -> bool {
    // `apt-mark auto '.*'` (or `apt-mark showmanual | xargs apt-mark auto`) marks everything installed so
    // far as automatic; a later auto-remove purges whatever nothing else needs (the official images'
    // "build, then clean up" pattern).
    let mut marked_auto = false;
    for command in later {
        marked_auto |= marks_auto(command);
        let Some(removal) = removal_of(command) else { continue };
        if removal.manager != install.manager {
            continue;
        }
        if removal.names.iter().any(|n| n == name) || (marked_auto && removal.auto_remove) {
            return true;
        }
    }
    false
}

/// `apt-mark auto ...`, also run through `xargs`.
fn marks_auto(command: &ShellCommand) -> bool {
    let mut words = command.name.iter().chain(&command.args).filter_map(|w| w.value.as_deref());
    words.any(|w| w.rsplit('/').next() == Some("apt-mark")) && words.find(|w| !w.starts_with('-')) == Some("auto")
}

/// `apt-get install`, `apk add`: the program and its subcommand, for messages.
fn command_label(command: &ShellCommand) -> String {
    match (command.program(), shell_commands::subcommand(command)) {
        (Some(program), Some(sub)) => format!("{program} {sub}"),
        (Some(program), None) => program.to_owned(),
        _ => "install".to_owned(),
    }
}

/// A command that compiles the app: `go build`, `npm run build`, `make`...
fn compile_of(command: &ShellCommand) -> Option<String> {
    let program = command.program()?;
    let args: Vec<&str> = command.arg_values().filter(|a| !a.starts_with('-')).collect();
    let first = args.first().copied();
    let second = args.get(1).copied();
    let hit = match program {
        "go" => matches!(first, Some("build" | "install")),
        "cargo" => matches!(first, Some("build" | "install")),
        "npm" | "pnpm" => matches!((first, second), (Some("run" | "run-script"), Some("build")) | (Some("build"), _)),
        "yarn" => matches!((first, second), (Some("run"), Some("build")) | (Some("build"), _)),
        "mvn" | "mvnw" => args.iter().any(|a| matches!(*a, "package" | "install" | "verify")),
        "gradle" | "gradlew" => {
            args.iter().any(|a| matches!(*a, "build" | "assemble" | "bootJar" | "jar" | "installDist"))
        }
        "dotnet" => matches!(first, Some("build" | "publish")),
        "make" | "gmake" => !args.iter().any(|a| matches!(*a, "clean" | "test" | "check")),
        _ => false,
    };
    if !hit {
        return None;
    }
    Some(match (program, first, second) {
        ("make" | "gmake", _, _) => program.to_owned(),
        ("mvn" | "mvnw" | "gradle" | "gradlew", _, _) => {
            let goal = args.iter().find(|a| !a.contains(':')).copied().unwrap_or_default();
            format!("{program} {goal}").trim_end().to_owned()
        }
        (_, Some(first), Some("build")) => format!("{program} {first} build"),
        (_, Some(first), _) => format!("{program} {first}"),
        _ => program.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use bulkhead_syntax::TextRange;

    use super::*;

    #[test]
    fn build_tools() {
        for tool in ["gcc", "g++-12", "libssl-dev", "openssl-devel", "build-base", "golang-1.22", "git"] {
            assert!(is_build_tool(tool), "{tool}");
        }
        for other in ["gcc-12-base", "libgcc-s1", "curl", "udev", "ca-certificates", "libpq5", "golang-src-x"] {
            assert!(!is_build_tool(other), "{other}");
        }
    }

    #[test]
    fn package_names() {
        assert_eq!(package_name("gcc=4:12.2.0-3"), "gcc");
        assert_eq!(package_name("libc6-dev:amd64"), "libc6-dev");
        assert_eq!(package_name("golang-go/bookworm-backports"), "golang-go");
    }

    #[test]
    fn ranges_are_document_ranges() {
        let file = bulkhead_syntax::parse("FROM x\nRUN apk add gcc\n");
        let shell = file.instructions()[1].shell.as_deref().unwrap();
        let mut out = Vec::new();
        check_run(shell, &mut out);
        assert_eq!(out[0].range, TextRange::new(11, 22));
    }
}
