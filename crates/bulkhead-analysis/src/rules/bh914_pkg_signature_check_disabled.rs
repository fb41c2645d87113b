//! BH914 pkg-signature-check-disabled: a package manager is told to install unsigned or unverified packages.

use bulkhead_syntax::{Instruction, MountType, ShellCommand, ShellScript};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH914",
    name: "pkg-signature-check-disabled",
    practice: Practice::PackageHygiene,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: remove the switch; `--force-yes` → `-y`", decision: "" }),
    aliases: &["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
    summary: "Package signature checks are turned off (`--allow-unauthenticated`, `--allow-untrusted`, `--nogpgcheck`, `rpm --nosignature`...).",
    doc: r#"
## What it does
Checks `RUN` commands for the switches that make a package manager accept packages or repositories it
cannot verify:
- apt: `--allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes` (which also accepts
  unauthenticated packages), `-o APT::Get::AllowUnauthenticated=true`,
  `-o Acquire::AllowInsecureRepositories=true`, and `[trusted=yes]` / `[allow-insecure=yes]` in a
  repository line written by the `RUN`;
- apk: `--allow-untrusted`;
- yum, dnf, microdnf, tdnf: `--nogpgcheck`, `--setopt=gpgcheck=0` (any `*gpgcheck` key);
- rpm, when it installs (`-i`, `-U`, `-F`): `--nosignature`, `--nodigest`, `--nofiledigest`, `--noverify`
  (queries such as `rpm -qa --nodigest` install nothing and are not reported);
- zypper: `--no-gpg-checks`, `--no-gpgcheck`.

Packages that are local files under a bind mount from another stage or image of the same build
(`RUN --mount=type=bind,from=builder,target=/tmp/packages apk add --allow-untrusted /tmp/packages/*.apk`)
are reported as information, not an error: the build made or chose them, no mirror stands in between, and
unsigned is how a build stage's own packages come out. The switch still accepts any unverified dependency
the same command fetches from a repository, which the message says; apk's `--no-network` (or signing the
packages in the build stage with a key the final stage trusts) makes it clean. A local package copied from the
build context gets the error: nothing in the file says where it came from.

## Why it matters
Package signatures are what makes a mirror, a proxy or a plain-HTTP repository safe to use: the package
must be signed by the distribution's key, whoever served it. Turn the check off and anyone who can
answer for the mirror (a compromised mirror, a poisoned cache, a machine in the middle of an `http://`
repository) can hand the build a package of their choice. It installs as root and ships in the image.

## Example
```dockerfile
FROM alpine:3.20
COPY mytool.apk /tmp/
RUN apk add --no-cache --allow-untrusted /tmp/mytool.apk
```

## Use instead
```dockerfile
FROM alpine:3.20
COPY mytool.apk /tmp/
COPY keys/builder.rsa.pub /etc/apk/keys/
RUN apk add --no-cache /tmp/mytool.apk
```

## Fix
"Remove the switch" (unsafe) deletes the flag (with its value). `--force-yes` becomes `-y` when the
command has no other "yes" flag, so the install stays non-interactive. It is unsafe because the install
fails until the repository's signing key is added (`/etc/apt/keyrings` with `signed-by=`,
`/etc/apk/keys`, `rpm --import`): that failure is the point. `[trusted=yes]` in a repository line gets
no fix.

## How to silence
`# bulkhead ignore=BH914` on the line before the `RUN`, or `ignore = ["BH914"]` in `.bulkhead.toml`.
Checkov's `# checkov:skip=CKV2_DOCKER_7` (and the other ids above) works too.

## References
- CWE-494: Download of Code Without Integrity Check
- Debian wiki: SecureApt; `apt-get(8)`: `--allow-unauthenticated`; `dnf.conf(5)`: `gpgcheck`
"#,
    check: Check::Instruction(check),
};

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((run, shell)) = ctx.run() else { return };
    for command in shell.commands() {
        let Some(program) = command.program() else { continue };
        let built_here = built_packages_source(run, shell, command);
        let args = &command.args;
        let doc = |i: usize, n: usize| {
            let first = args.get(i)?;
            let last = args.get(i + n - 1)?;
            Some(shell.doc_range(first.range.cover(last.range)))
        };
        let delete = |i: usize, n: usize| util_edit::delete_args(ctx.file, shell, command, i, n);
        let mut push = |i: usize, n: usize, message: String, edit: Option<Edit>| {
            let Some(range) = doc(i, n) else { return };
            let mut finding = match &built_here {
                Some(source) => Finding::new(
                    range,
                    format!(
                        "`{program}` installs local packages from `{source}` without checking their signatures; no \
                         repository serves them, but the switch also accepts any unverified dependency the command \
                         fetches"
                    ),
                )
                .with_severity(Severity::Info),
                None => Finding::new(range, message),
            };
            if let Some(edit) = edit {
                finding = finding.with_fix(Fix::unsafe_("Remove the switch", vec![edit]));
            }
            out.push(finding);
        };
        let flags: &[&str] = match program {
            "apt-get" | "apt" | "aptitude" => {
                &["--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"]
            }
            "apk" => &["--allow-untrusted"],
            "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" => &["--nogpgcheck"],
            "rpm" if rpm_installs(command) => &["--nosignature", "--nodigest", "--nofiledigest", "--noverify"],
            "zypper" => &["--no-gpg-checks", "--no-gpgcheck"],
            _ => &[],
        };
        for (i, arg) in args.iter().enumerate() {
            let Some(value) = arg.value.as_deref() else { continue };
            if !flags.contains(&value) {
                continue;
            }
            let edit = if value == "--force-yes" && !answers_yes(command) {
                shell_word_range(shell, arg).map(|range| Edit::replace(range, "-y"))
            } else {
                delete(i, 1)
            };
            let what = if value == "--force-yes" { " (it also accepts unauthenticated packages)" } else { "" };
            push(i, 1, format!("`{program} {value}` installs packages without checking their signatures{what}"), edit);
        }
        let settings: Vec<shell_commands::OptionSetting> = match program {
            "apt-get" | "apt" | "aptitude" => shell_commands::option_settings(command, &["-o", "--option"])
                .into_iter()
                .filter(|s| {
                    let key = s.key.to_ascii_lowercase();
                    (key == "apt::get::allowunauthenticated" || key == "acquire::allowinsecurerepositories")
                        && shell_commands::is_true(&s.value)
                })
                .collect(),
            "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" => {
                shell_commands::option_settings(command, &["--setopt"])
                    .into_iter()
                    .filter(|s| s.key.to_ascii_lowercase().ends_with("gpgcheck") && shell_commands::is_false(&s.value))
                    .collect()
            }
            _ => Vec::new(),
        };
        for setting in settings {
            push(
                setting.arg_idx,
                setting.n_args,
                format!("`{program}` setting `{}={}` turns off package signature checks", setting.key, setting.value),
                delete(setting.arg_idx, setting.n_args),
            );
        }
        // A repository line written by the RUN: `echo "deb [trusted=yes] http://... ./" > ...list`.
        for (i, value) in command.arg_values().enumerate() {
            // Cheap test first: almost no argument holds a `[`, and only those are lower-cased.
            if !value.contains('[') {
                continue;
            }
            let lower = value.to_ascii_lowercase();
            if ["trusted=yes", "allow-insecure=yes"].iter().any(|option| lower.contains(option)) && lower.contains('[')
            {
                let option = if lower.contains("trusted=yes") { "trusted=yes" } else { "allow-insecure=yes" };
                let Some(arg_idx) =
                    args.iter().enumerate().filter(|(_, a)| a.value.is_some()).nth(i).map(|(idx, _)| idx)
                else {
                    continue;
                };
                push(
                    arg_idx,
                    1,
                    format!("`[{option}]` makes apt accept this repository without a valid signature"),
                    None,
                );
            }
        }
    }
}

/// Where the packages come from when every package the command names is a local package file (`.apk`,
/// `.deb`, `.rpm`, globs and variables allowed) under the target of one of the `RUN`'s bind mounts from
/// another stage or image (`--mount=type=bind,from=builder,target=/tmp/packages`): the mount's `from`.
/// Such packages were built or chosen by the file itself, with no repository in between.
fn built_packages_source(run: &Instruction, shell: &ShellScript, command: &ShellCommand) -> Option<String> {
    let mounts: Vec<(String, String)> = run
        .mounts()
        .filter(|m| m.kind() == MountType::Bind)
        .filter_map(|m| Some((m.from()?.to_owned(), m.target()?.trim_end_matches('/').to_owned())))
        .filter(|(_, target)| !target.is_empty())
        .collect();
    if mounts.is_empty() {
        return None;
    }
    let mut packages = command
        .args
        .iter()
        .map(|arg| shell.text(arg.range).trim_matches(['"', '\'']))
        .filter(|arg| !arg.starts_with('-'))
        .skip_while(|arg| matches!(*arg, "add" | "install" | "localinstall" | "reinstall" | "upgrade" | "in"))
        .peekable();
    packages.peek()?;
    let mut source = None;
    for package in packages {
        let name = package.trim_end_matches('*');
        if ![".apk", ".deb", ".rpm"].iter().any(|ext| name.ends_with(ext)) {
            return None;
        }
        let (from, _) = mounts
            .iter()
            .find(|(_, target)| package.strip_prefix(target.as_str()).is_some_and(|rest| rest.starts_with('/')))?;
        source = Some(from.clone());
    }
    source
}

/// `-y`, `--yes`, `--assume-yes` or `-qq` on an apt command.
fn answers_yes(command: &ShellCommand) -> bool {
    shell_commands::has_short_flag(command, 'y')
        || command.arg_values().any(|a| matches!(a, "--yes" | "--assume-yes" | "-qq"))
}

/// The document range of a plainly written word.
fn shell_word_range(
    shell: &bulkhead_syntax::ShellScript,
    word: &bulkhead_syntax::ShellWord,
) -> Option<bulkhead_syntax::TextRange> {
    (word.value.as_deref() == Some(shell.text(word.range))).then(|| shell.doc_range(word.range))
}

/// `rpm -i`, `-U`, `-F` (also in clusters such as `-ivh`) or their long forms; not a query (`-qi`).
fn rpm_installs(command: &ShellCommand) -> bool {
    command.arg_values().any(|arg| {
        matches!(arg, "--install" | "--upgrade" | "--freshen" | "--reinstall")
            || arg.strip_prefix('-').is_some_and(|flags| {
                !flags.starts_with('-')
                    && flags.chars().all(|c| c.is_ascii_alphabetic())
                    && !flags.contains(['q', 'V', 'e', 'K'])
                    && flags.contains(['i', 'U', 'F'])
            })
    })
}
