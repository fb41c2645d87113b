//! BH910 pkg-version-unpinned: packages installed without a version.

use bulkhead_syntax::{ShellCommand, ShellScript, ShellWord};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;

pub(crate) const RULE: Rule = Rule {
    code: "BH910",
    name: "pkg-version-unpinned",
    practice: Practice::PackageHygiene,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::None,
    fix_plan: Some(FixPlan {
        planned: "unsafe (network): look up the current version",
        decision: "not done: the engine makes no network calls, and pinning versions from a lookup works against security updates; lock files are the better tool",
    }),
    aliases: &["DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062"],
    summary: "Packages installed without a version (`apt-get install curl`, `pip install flask`, `npm install -g pm2`...).",
    doc: r#"
## What it does
Checks installs for packages named without a version:

| tool | pinned forms |
|---|---|
| `apt-get install`, `apt install` | `pkg=1.2` (`pkg/bookworm-backports` is a release, not a version) |
| `apk add` | `pkg=1.2`, `pkg~1.2`, `pkg<2` |
| `yum`/`dnf`/`microdnf`/`tdnf install` | `pkg-1.2` |
| `zypper install` | `pkg=1.2`, `pkg<2` |
| `pip install`, `python -m pip install`, `uv pip install`, `uv tool install`, `pipx install` | `pkg==1.2`, `pkg~=1.2`, `pkg<2`, `pkg @ <url>`; `git+<url>@<ref>` |
| `npm install`, `yarn add`, `yarn global add`, `pnpm add` | `pkg@1.2`, `pkg@^1.2`, `pkg@~1.2`; `user/repo#<ref>` |
| `gem install` | `pkg:1.2`, `-v 1.2` |
| `go get` | `pkg@v1.2.3`, `pkg@<tag>`, `pkg@<commit>` |
| `go install pkg@...`, `go run pkg@...` | `@v1.2.3`, `@<tag>`, `@<commit>` (`@latest`, `@upgrade`, `@patch` and branch names float) |
| `cargo install` | `crate@1.2`, `--version 1.2`; `--git <url>` with `--rev` or `--tag` |

A lower bound alone (`pkg>=1.2`, `pkg@>=1`) and a dist-tag (`pkg@latest`, `pkg@next`) do not pin. Local
files, folders, URLs of fixed files, requirement files, `dnf` groups (`@group`) and version values that
come from a variable are not checked. A package list in a variable is: `apk add $buildDeps` is checked
against the value the `RUN` assigns earlier (`buildDeps='gcc make'; ...`, or `buildDeps='...' set -x`)
or the `ENV`/`ARG` value the instruction sees. Exec-form `RUN ["apt-get", "install", "-y", "curl"]` is checked
like the shell form.

`go install pkg` and `go run pkg` without `@version` are not reported: in module mode they build the
version the current module's `go.mod` and `go.sum` require, which is pinned, and outside a module they
fail ("requires a version"); in the old GOPATH mode they build source already on disk, fetched by an
earlier `go get` or `git clone`, which is where the pin belongs. `go get pkg` without a version is
reported: it takes the newest release into `go.mod` inside a module, and the default branch in GOPATH
mode.

Off by default, and a hint: pinning every package is about reproducibility, not security, and it works
against security updates (a pinned version stays vulnerable until someone bumps it, and distribution
mirrors drop old versions, which breaks the build). Turn it on for images that must rebuild
byte-for-byte.

Peers disagree. hadolint (DL3008, DL3013, DL3016, DL3018, DL3062...) checks `apt-get` but not `apt`,
reads `$VAR` as an unpinned package name whatever its value, takes any `@` suffix as a pin (`@latest`
is the exception for Go, not for npm), accepts `pip install 'pkg>=1.2'`, and reports `go install pkg`
and `go run file.go` without a version. bulkhead follows what each tool actually resolves, as described
above.

## Why it matters
Unpinned installs take whatever version the index offers on the day of the build: two builds of one
Dockerfile can differ, and a breaking or compromised new release lands without review.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask==3.0.3
```

## Fix
None. The plan's fix (look up the current version in the registry) needs the network, and bulkhead's
analysis makes no network calls; it is left out. Lock files (`requirements.txt` with hashes,
`package-lock.json`) are the better tool for language packages.

## How to silence
Leave the rule off (the default), `# bulkhead ignore=BH910` on the line before the `RUN`, or the
hadolint ids above (`# hadolint ignore=DL3008`).

## References
- Docker docs: Dockerfile best practices, "apt-get" (version pinning)
- pip docs: "Repeatable installs"
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, run) in shell_commands::all_runs(ctx) {
        for command in run.commands() {
            let Some((tool, unpinned)) = unpinned(ctx, idx, run.shell(), command) else { continue };
            let Some(first) = unpinned.first() else { continue };
            let more = match unpinned.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            out.push(Finding::new(
                run.doc_range(command.range),
                format!(
                    "`{tool}` installs `{first}`{more} without a pinned version: the build takes whatever is newest"
                ),
            ));
        }
    }
}

/// How an install operand names its version.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spec {
    /// A local file or folder, a URL of a fixed file, or something with no version to pin.
    Skip,
    Pinned,
    Unpinned,
}

/// An install command of a package manager.
struct Installer {
    programs: &'static [&'static str],
    /// The words between the program and the packages (`install`; yarn's `global add`).
    subcommands: &'static [&'static [&'static str]],
    /// Options followed by a value.
    takes_value: &'static [&'static str],
    /// Options that pin every package of the command, or make it local (`gem install -v 1.2`, `cargo
    /// install --path .`).
    pins_all: &'static [&'static str],
    /// Only the first operand is a package, the rest are its arguments (`go run pkg@v1 -flag`).
    first_only: bool,
    spec: fn(&str) -> Spec,
}

impl Installer {
    /// An installer whose packages are pinned one by one, each operand a package.
    const fn new(
        programs: &'static [&'static str],
        subcommands: &'static [&'static [&'static str]],
        takes_value: &'static [&'static str],
        spec: fn(&str) -> Spec,
    ) -> Self {
        Self { programs, subcommands, takes_value, pins_all: &[], first_only: false, spec }
    }
}

const PIP_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--trusted-host",
    "--platform",
    "--python-version",
    "--only-binary",
    "--no-binary",
    "--src",
    "--cache-dir",
    "--progress-bar",
    "-C",
    "--config-settings",
    "--upgrade-strategy",
    "--implementation",
    "--abi",
    "--report",
    "--python",
    "-p",
    "--pip-args",
    "--suffix",
    "--with",
    "--from",
];
const RPM_VALUE_OPTIONS: &[&str] =
    &["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude"];
const NPM_VALUE_OPTIONS: &[&str] =
    &["--prefix", "--registry", "--tag", "-w", "--workspace", "--cwd", "--filter", "-C", "--dir"];
const GO_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-p",
    "-C",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pgo",
    "-exec",
    "-toolexec",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-pkgdir",
];

const INSTALLERS: &[Installer] = &[
    Installer::new(&["apt-get", "apt"], &[&["install"]], &["-o", "-c", "-t", "--target-release", "--option"], |p| {
        pinned_if(!local(p, &[".deb"]), p.contains('='))
    }),
    Installer::new(
        &["apk"],
        &[&["add"]],
        &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--repositories-file"],
        |p| pinned_if(!local(p, &[".apk"]), p.contains(['=', '~', '<', '>'])),
    ),
    // `@group` and `cap(...)` provides have no version of their own.
    Installer::new(&["yum", "dnf", "microdnf", "tdnf"], &[&["install"]], RPM_VALUE_OPTIONS, |p| {
        let versioned = p.split('-').skip(1).any(|part| part.starts_with(|c: char| c.is_ascii_digit()));
        pinned_if(!local(p, &[".rpm"]) && !p.starts_with('@') && !p.contains('('), versioned)
    }),
    Installer::new(&["zypper"], &[&["install"], &["in"]], &["-t", "--type", "-r", "--repo", "--from"], |p| {
        pinned_if(!local(p, &[".rpm"]), p.contains(['=', '<', '>']))
    }),
    Installer::new(&["pip", "pipx"], &[&["install"]], PIP_VALUE_OPTIONS, pip_spec),
    Installer::new(&["uv"], &[&["pip", "install"], &["tool", "install"]], PIP_VALUE_OPTIONS, pip_spec),
    Installer::new(&["npm"], &[&["install"], &["i"], &["add"]], NPM_VALUE_OPTIONS, npm_spec),
    Installer::new(&["yarn"], &[&["add"], &["global", "add"]], NPM_VALUE_OPTIONS, npm_spec),
    Installer::new(&["pnpm"], &[&["add"], &["install"], &["i"]], NPM_VALUE_OPTIONS, npm_spec),
    Installer {
        pins_all: &["-v", "--version"],
        ..Installer::new(
            &["gem"],
            &[&["install"]],
            &["-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s"],
            |p| pinned_if(!local(p, &[".gem"]), p.contains(':')),
        )
    },
    // Without `@version`, `go install` and `go run` build the version the current module's go.mod requires
    // (or fail outside a module), so only an explicit floating query is unpinned.
    Installer::new(&["go"], &[&["install"]], GO_VALUE_OPTIONS, go_build_spec),
    Installer { first_only: true, ..Installer::new(&["go"], &[&["run"]], GO_VALUE_OPTIONS, go_build_spec) },
    // `go get pkg` takes the newest version: into go.mod inside a module, the default branch in GOPATH mode.
    Installer::new(&["go"], &[&["get"]], GO_VALUE_OPTIONS, |p| match p.split_once('@') {
        _ if go_local(p) => Spec::Skip,
        Some((_, "none")) => Spec::Skip,
        Some((_, version)) => go_version(version),
        None => Spec::Unpinned,
    }),
    Installer {
        pins_all: &["--version", "--vers", "--path", "--rev", "--tag"],
        ..Installer::new(
            &["cargo"],
            &[&["install"]],
            &[
                "--version",
                "--vers",
                "--git",
                "--branch",
                "--tag",
                "--rev",
                "--path",
                "--root",
                "--index",
                "--registry",
                "-F",
                "--features",
                "--target",
                "--target-dir",
                "--profile",
                "-j",
                "--jobs",
                "--bin",
                "--example",
                "--config",
                "-Z",
                "--color",
            ],
            |p| p.split_once('@').map_or(Spec::Unpinned, |(_, version)| pinned_if(true, semver_like(version))),
        )
    },
];

/// The tool and the unpinned packages of an install command.
fn unpinned(
    ctx: &RuleContext<'_>,
    at: usize,
    shell: Option<&ShellScript>,
    command: &ShellCommand,
) -> Option<(String, Vec<String>)> {
    let program = command.program()?;
    let pip = shell_commands::is_pip(command);
    let args = &command.args;
    // `python3 -m pip install`: the pip arguments start after `pip`.
    let start = match program {
        _ if !pip || program.starts_with("pip") => 0,
        _ => args.iter().position(|a| matches!(a.value.as_deref(), Some("pip" | "-mpip")))? + 1,
    };
    let (installer, first_operand, path) = INSTALLERS
        .iter()
        .filter(|i| i.programs.contains(if pip { &"pip" } else { &program }))
        .find_map(|i| subcommand_end(i, args, start).map(|(end, path)| (i, end, path)))?;
    let operands = args.get(first_operand..)?;
    let pins_all = |value: &str| {
        installer.pins_all.iter().any(|o| value == *o || value.strip_prefix(o).is_some_and(|v| v.starts_with('=')))
    };
    if operands.iter().filter_map(|a| a.value.as_deref()).any(pins_all) {
        return None;
    }
    let mut res = Vec::new();
    let mut skip = false;
    for arg in operands {
        if std::mem::take(&mut skip) {
            continue;
        }
        if let Some(option) = arg.value.as_deref().filter(|v| v.starts_with('-')) {
            skip = installer.takes_value.contains(&option);
            continue;
        }
        // Variables the file or the script sets (`apk add $buildDeps`) count with their value.
        // Exec form: every word is literal.
        let words = match shell {
            Some(shell) => shell_commands::shell_arg_words(ctx, at, shell, command, arg),
            None => arg.value.clone().map(|value| vec![value]),
        };
        let words = words.unwrap_or_default();
        for word in words.into_iter().filter(|w| !w.starts_with('-') && !w.contains('$')) {
            if (installer.spec)(&word) == Spec::Unpinned {
                res.push(word);
            }
        }
        if installer.first_only {
            break;
        }
    }
    // `cargo install --git <url>` without `--rev` or `--tag` builds the branch head.
    if program == "cargo"
        && let Some(pos) = operands.iter().position(|a| a.value.as_deref() == Some("--git"))
    {
        res = operands.get(pos + 1).and_then(|a| a.value.clone()).into_iter().collect();
    }
    let tool = match start {
        0 => format!("{program} {}", path.join(" ")),
        _ => format!("{program} -m pip {}", path.join(" ")),
    };
    Some((tool, res))
}

/// The index of the first argument after the installer's subcommand words (options before them are
/// skipped), and those words.
fn subcommand_end(installer: &Installer, args: &[ShellWord], start: usize) -> Option<(usize, &'static [&'static str])> {
    let mut words: Vec<&str> = Vec::new();
    let mut skip = false;
    for (idx, arg) in args.iter().enumerate().skip(start) {
        if std::mem::take(&mut skip) {
            continue;
        }
        let value = arg.value.as_deref()?;
        if value.starts_with('-') {
            skip = installer.takes_value.contains(&value);
            continue;
        }
        words.push(value);
        if let Some(path) = installer.subcommands.iter().find(|path| **path == words.as_slice()) {
            return Some((idx + 1, path));
        }
        if !installer.subcommands.iter().any(|path| path.starts_with(&words)) {
            return None;
        }
    }
    None
}

/// `Unpinned` or `Pinned` for a package operand, `Skip` when it is not one.
fn pinned_if(package: bool, pinned: bool) -> Spec {
    match (package, pinned) {
        (false, _) => Spec::Skip,
        (true, true) => Spec::Pinned,
        (true, false) => Spec::Unpinned,
    }
}

/// A path, a URL or a package file rather than a name in the index.
fn local(operand: &str, extensions: &[&str]) -> bool {
    operand.starts_with(['.', '/', '~']) || operand.contains("://") || extensions.iter().any(|e| operand.ends_with(e))
}

/// A version or a bounded range: `1.2.3`, `v1.2`, `^1.2`, `~1.2`, `=1.2`, `<2`.
fn semver_like(version: &str) -> bool {
    version.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '^' | '~' | '=' | '<'))
        || version.strip_prefix('v').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// pip's requirement forms: `name==1.2`, `name~=1.2`, `name<2` and `name @ <url>` pin; `name`, `name>=1`
/// do not; `git+https://...` pins with `@<ref>` after the repository path.
fn pip_spec(operand: &str) -> Spec {
    if let Some(vcs) = ["git+", "hg+", "svn+", "bzr+"].iter().find_map(|s| operand.find(s).map(|i| &operand[i..])) {
        let url = vcs.split('#').next().unwrap_or_default();
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_scheme.split_once('/').map_or("", |(_, path)| path);
        return pinned_if(true, path.contains('@'));
    }
    let file = [".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip"];
    let pinned = operand.contains("==") || operand.contains("~=") || operand.contains('<') || operand.contains('@');
    pinned_if(!local(operand, &file) && !operand.contains('/'), pinned)
}

/// npm's package forms: `name@1.2`, `name@^1.2` pin; `name`, `name@latest` and other dist-tags do not; a
/// git dependency (`user/repo`, `github:user/repo`, `git+https://...`) pins with `#<ref>`.
fn npm_spec(operand: &str) -> Spec {
    if operand.starts_with("file:") || local(operand, &[".tgz", ".tar.gz"]) {
        return Spec::Skip;
    }
    let git = ["git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:"].iter().any(|s| operand.starts_with(s))
        || !operand.starts_with('@') && operand.contains('/');
    if git {
        return pinned_if(true, operand.contains('#'));
    }
    let version = operand.get(1..).and_then(|rest| rest.rfind('@')).and_then(|at| operand.get(at + 2..));
    pinned_if(true, version.is_some_and(semver_like))
}

/// A Go package that is not fetched: a relative or absolute path, a `.go` file, or a standard-library or
/// meta package (`tool`, `all`, `std`), whose first path element has no dot.
fn go_local(operand: &str) -> bool {
    let path = operand.split('@').next().unwrap_or_default();
    path.starts_with(['.', '/']) || path.ends_with(".go") || !path.split('/').next().unwrap_or_default().contains('.')
}

/// `go install` and `go run`: only an explicit `@version` is checked.
fn go_build_spec(operand: &str) -> Spec {
    match operand.split_once('@') {
        Some((_, version)) if !go_local(operand) => go_version(version),
        _ => Spec::Skip,
    }
}

/// A Go module query: a version (`v1.2.3`, or a prefix such as `v1.2`), a tag that starts with a digit
/// (`2023.1.7`) and a commit hash pin; `latest`, `upgrade`, `patch` and branch names (`main`) do not.
fn go_version(version: &str) -> Spec {
    let hash = version.len() >= 7 && version.bytes().all(|b| b.is_ascii_hexdigit());
    pinned_if(true, hash || semver_like(version))
}
