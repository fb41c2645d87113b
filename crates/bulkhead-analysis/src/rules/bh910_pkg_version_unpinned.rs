//! BH910 pkg-version-unpinned: packages installed without a version.

use bulkhead_syntax::ShellCommand;

use crate::diagnostic::Severity;
use crate::rule::{FixAvailability, Finding, Practice, Rule, RuleContext};
use crate::rules::util;

pub(crate) const RULE: Rule = Rule {
    code: "BH910",
    name: "pkg-version-unpinned",
    practice: Practice::PackageHygiene,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::None,
    aliases: &["DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062"],
    summary: "Packages installed without a version (`apt-get install curl`, `pip install flask`, `npm install -g pm2`...).",
    doc: r#"
## What it does
Checks installs for packages named without a version: `apt-get`/`apt install pkg` (pin: `pkg=1.2`),
`apk add pkg` (`pkg=1.2`, `pkg~1.2`), `yum`/`dnf`/`microdnf install pkg` (`pkg-1.2`), `zypper install
pkg` (`pkg=1.2`), `pip install pkg` (`pkg==1.2`, `~=`, a URL or path), `npm install pkg` (`pkg@1.2`),
`gem install pkg` (`-v 1.2` or `pkg:1.2`) and `go install pkg` (`pkg@v1.2`; `@latest` counts as
unpinned). Local files, paths, URLs and requirement files are not checked.

Off by default, and a hint: pinning every package is about reproducibility, not security, and it works
against security updates (a pinned version stays vulnerable until someone bumps it, and distribution
mirrors drop old versions, which breaks the build). Turn it on for images that must rebuild
byte-for-byte.

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
    check,
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (_, _, shell) in util::runs(ctx) {
        for command in shell.commands() {
            let Some((tool, unpinned)) = unpinned(command) else { continue };
            let Some(first) = unpinned.first() else { continue };
            let more = match unpinned.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            out.push(Finding::new(
                shell.doc_range(command.range),
                format!("`{tool}` installs `{first}`{more} without a version: the build takes whatever is newest"),
            ));
        }
    }
}

/// A package manager's install subcommands, the options that take a value, and the pin test.
type Manager = (&'static [&'static str], &'static [&'static str], fn(&str) -> bool);

/// The tool and the unpinned package operands of an install command.
fn unpinned(command: &ShellCommand) -> Option<(String, Vec<String>)> {
    let program = command.program()?;
    let (sub, takes_value, pinned): Manager = if util::is_pip(command) {
        (
            &["install"],
            &[
                "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url",
                "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host", "--platform",
                "--python-version", "--only-binary", "--no-binary", "--src", "--cache-dir", "--progress-bar", "-C",
                "--config-settings", "--upgrade-strategy", "--implementation", "--abi", "--report",
            ],
            |p| p.contains("==") || p.contains("~=") || p.contains('@') || p.contains("<=") || p.contains('<'),
        )
    } else {
        match program {
            "apt-get" | "apt" => (&["install"], &["-o", "-c", "-t", "--target-release", "--option"], |p| p.contains('=')),
            "apk" => (&["add"], &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch"], |p| {
                p.contains(['=', '~', '<', '>'])
            }),
            "yum" | "dnf" | "microdnf" | "tdnf" => (
                &["install"],
                &["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude"],
                |p| p.split('-').skip(1).any(|part| part.starts_with(|c: char| c.is_ascii_digit())),
            ),
            "zypper" => (&["install", "in"], &["-t", "--type", "-r", "--repo", "--from"], |p| p.contains(['=', '<', '>'])),
            "npm" => (&["install", "i", "add"], &["--prefix", "--registry", "--tag", "-w", "--workspace"], |p| {
                p.get(1..).is_some_and(|rest| rest.contains('@'))
            }),
            "gem" => (&["install"], &["-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s"], |p| {
                p.contains(':')
            }),
            "go" => (&["install"], &["-o", "-p", "-tags", "-ldflags", "-gcflags", "-mod"], |p| {
                p.rsplit_once('@').is_some_and(|(_, version)| version != "latest")
            }),
            _ => return None,
        }
    };
    let values: Vec<&str> = command.arg_values().collect();
    let sub_idx = values.iter().position(|v| !v.starts_with('-'))?;
    if !sub.contains(values.get(sub_idx)?) {
        return None;
    }
    // gem's `-v 1.2` pins the gems of the command.
    if program == "gem" && values.iter().any(|v| matches!(*v, "-v" | "--version") || v.starts_with("--version=")) {
        return None;
    }
    let mut res = Vec::new();
    let mut skip = false;
    for value in values.get(sub_idx + 1..)? {
        if std::mem::take(&mut skip) {
            continue;
        }
        if value.starts_with('-') {
            skip = takes_value.contains(value);
            continue;
        }
        // npm's scoped packages (`@scope/name`) are names, not paths.
        let is_file = value.contains('/') && !(program == "npm" && value.starts_with('@'))
            || value.starts_with('.')
            || [".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".zip", ".tgz", ".gem"].iter().any(|ext| value.ends_with(ext));
        // A Go package outside a module proxy: a relative path or a first element without a dot.
        let is_local_module = program == "go"
            && (value.starts_with(['.', '/']) || !value.split('/').next().unwrap_or_default().contains('.'));
        if is_file && program != "go" || is_local_module || value.contains('$') || pinned(value) {
            continue;
        }
        res.push((*value).to_owned());
    }
    let tool = util::subcommand(command).map_or_else(|| program.to_owned(), |s| format!("{program} {s}"));
    Some((tool, res))
}
