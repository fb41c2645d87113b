//! BH008 pipefail: a pipe in `RUN` under a shell without `pipefail`, so a failing command goes unnoticed.

use bulkhead_syntax::{ShellCommand, ShellOperator, TextRange, shell};

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::knowledge::Distro;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::{util, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH008",
    name: "pipefail",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: `SHELL [\"/bin/bash\",\"-o\",\"pipefail\",\"-c\"]` before the `RUN` (ash on Alpine), only with a shell that exists",
        decision: "",
    }),
    aliases: &["DL4006", "set-pipefail"],
    summary: "A pipe in `RUN` without `pipefail`: only the last command's failure fails the build.",
    doc: r#"
## What it does
Checks `RUN` (also `ONBUILD RUN` and `RUN <<EOF` scripts) for a pipe (`a | b`) when the shell running
it does not have `pipefail` set: the default `/bin/sh -c`, or a `SHELL` (in the stage or a stage it is
built `FROM`) whose options lack `-o pipefail`. A `set -o pipefail` (or `set -euo pipefail`) earlier in
the same `RUN` counts; one in an earlier `RUN` does not, since each `RUN` starts a new shell. Stages
whose `SHELL` is not a POSIX shell (PowerShell, `cmd`), Windows stages and distroless or `scratch` stages
(which have no shell at all) are not checked.

What the pipe can hide depends on the pipe's last command, whose status is the pipe's:
- **Fails closed: no finding.** A consumer that fails on empty or cut-off input fails the `RUN` by
  itself: `tar` extracting or listing (`tar -xz`, `tar xf -`: "unexpected EOF"), `gpg --dearmor`,
  `--import` and `--verify`, `apt-key add -`, `rpm --import`, `sha256sum -c` (and the other `*sum -c`),
  the decompressors (`gunzip`, `gzip -d`, `xz -d`, `bunzip2`, `zstd -d`, `zcat`; `unzip` cannot
  read a pipe at all), and `grep` (also `egrep`, `fgrep`, `rg`), which exits 1 when it selects no line, as
  on empty input (`locale -a | grep en_US.utf8`, a finding of the blind review). A plain `tar -x` of an uncompressed archive cut exactly between two members is
  the one gap left; it is rare enough not to outweigh the hundreds of `curl | tar -xz` lines.
- **Fails open: a warning when a download feeds it.** A consumer that succeeds on nothing: the
  shells (`sh`, `bash`, `dash`, `ash`, `zsh`, `ksh`, `busybox`), the interpreters (`python*`, `perl`,
  `ruby`, `node`, `php`, `lua`), and the programs that store or pass on what they get (`tee`, `cat`,
  `dd`, `sed`, `awk`, `jq`, `base64`, `sort`, `head`, `tail`, `cut`, `tr`, and `xargs`, which runs its
  command once even on empty input). A download (`curl`, `wget`, `git`, ...) piped into one of these
  is where a failure means a missing or tampered artifact.
- **Everything else is info**: another command on the left (`find | xargs`, `dpkg-query | awk`), or a
  consumer this rule does not know (`grep`, a project's own tool), which may or may not notice.

A pipe fed by `echo` or `printf` (`echo "$SHA  file" | sha256sum -c -`) is not flagged at all: those
cannot fail in a way that matters. A pipe inside a command substitution (`v=$(curl -s URL | jq -r
.tag)`, backticks, `<(...)`) is not flagged either: `pipefail` on the shell does not change the status of
a substitution, so neither the finding nor its fix could help. hadolint flags every pipe alike; on the
official images that buries the few risky downloads among hundreds of checksum and extract lines.

## Why it matters
A pipeline's exit status is that of its last command. In `curl -fsSL https://example.com/key | gpg
--dearmor > key.gpg` a failed download (a 404, a TLS error, a captive portal) still "succeeds" and the
build goes on with an empty or wrong key; with `wget -O- ... | tar x` a truncated archive goes
unnoticed. The image is built, tagged and shipped without the thing the step was meant to install or
verify. With `pipefail`, the first failing command fails the `RUN`.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/install.sh | tee /tmp/install.sh
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | tee /tmp/install.sh
```
or start the `RUN` with `set -o pipefail &&` where the shell supports it.

## Fix
"Set `SHELL` with `pipefail`" (unsafe) inserts a `SHELL` line before the `RUN`: the stage's `SHELL`
program with `-o pipefail` when it is bash, zsh, ksh or ash; else `["/bin/bash", "-o", "pipefail", "-c"]`
on Debian, Ubuntu, RHEL-family and SUSE bases, which ship bash, and `["/bin/ash", "-eo", "pipefail",
"-c"]` on Alpine and BusyBox, which do not. No fix is offered when the shell of the base image is not
known, so the fix never names a shell that is not there. Unsafe because the `SHELL` applies to every
later `RUN` of the stage (and to shell-form `CMD`), which may now fail where it passed before.

## How to silence
`# bulkhead ignore=BH008` on the line before the `RUN`, or `ignore = ["BH008"]` in `.bulkhead.toml`.
`# hadolint ignore=DL4006` works too.

## References
- Docker docs: Building best practices, using pipes
- bash manual: `set -o pipefail`
"#,
    check: Check::File(check),
};

/// Commands that only print what they are given: a failure on the left of the pipe is not a concern.
const PRINTERS: &[&str] = &["echo", "printf", "true", "yes"];

/// Commands that fetch over the network, whose failure a pipe most often hides.
const DOWNLOADERS: &[&str] = &["curl", "wget", "git", "aria2c", "fetch", "http", "svn", "hg", "scp", "rsync"];

/// What a pipe from `left` into `last` (the pipeline's last command) deserves: a warning when a download
/// feeds a consumer that succeeds on nothing, nothing when the consumer fails closed or `left` only prints,
/// info otherwise.
fn severity(left: &ShellCommand, last: &ShellCommand) -> Option<Severity> {
    if left.program().is_some_and(|p| PRINTERS.contains(&p)) {
        return None;
    }
    let downloads = left.program().is_some_and(|p| DOWNLOADERS.contains(&p));
    match consumer(last) {
        Consumer::FailsClosed => None,
        Consumer::FailsOpen if downloads => Some(Severity::Warning),
        _ => Some(Severity::Info),
    }
}

/// How the last command of a pipe treats empty or cut-off input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Consumer {
    /// It fails on it (`tar -x`, `gpg --dearmor`, `sha256sum -c`): the pipe fails anyway.
    FailsClosed,
    /// It succeeds on it (`sh`, `python3`, `tee`, `cat`): the build goes on with nothing.
    FailsOpen,
    /// Not known either way.
    Unknown,
}

/// Programs that run, print or store whatever they are given, nothing included.
const FAIL_OPEN: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ash", "ksh", "mksh", "busybox", "perl", "ruby", "node", "nodejs", "php", "lua",
    "tee", "cat", "dd", "sed", "awk", "gawk", "mawk", "jq", "base64", "xargs", "sort", "head", "tail", "cut", "tr",
];

/// Decompressors that fail on empty or truncated input.
const DECOMPRESSORS: &[&str] =
    &["gunzip", "zcat", "unxz", "xzcat", "bunzip2", "bzcat", "unzstd", "zstdcat", "unzip", "funzip", "unlzma"];

/// Checksum tools, which fail closed when they check (`-c`).
const CHECKSUMS: &[&str] =
    &["sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "md5sum", "b2sum", "shasum", "cksum"];

fn consumer(command: &ShellCommand) -> Consumer {
    let Some(program) = command.program() else { return Consumer::Unknown };
    let has = |options: &[&str]| command.arg_values().any(|arg| options.contains(&arg));
    let fails_closed = match program {
        // Extracting or listing an archive: both read it whole.
        "tar" | "bsdtar" => {
            command.arg_values().next().is_some_and(|first| !first.starts_with('-') && first.contains(['x', 't']))
                || has(&["--extract", "--get", "--list"])
                || ['x', 't'].iter().any(|&letter| shell_commands::has_short_flag(command, letter))
        }
        "gpg" | "gpg2" => has(&["--dearmor", "--dearmour", "--import", "--verify"]),
        "apt-key" => has(&["add"]),
        // grep selects no line from empty input and exits 1: `locale -a | grep en_US` fails with `locale`.
        "grep" | "egrep" | "fgrep" | "rg" => true,
        "rpm" => has(&["--import"]),
        "gzip" | "xz" | "bzip2" | "zstd" | "lzma" => {
            has(&["--decompress"]) || shell_commands::has_short_flag(command, 'd')
        }
        _ if DECOMPRESSORS.contains(&program) => true,
        _ if CHECKSUMS.contains(&program) => has(&["-c", "--check"]),
        _ => false,
    };
    if fails_closed {
        Consumer::FailsClosed
    } else if FAIL_OPEN.contains(&program) || program.starts_with("python") {
        Consumer::FailsOpen
    } else {
        Consumer::Unknown
    }
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, _, script) in shell_commands::runs(ctx) {
        // A script that does not parse fails the build anyway; its pipes cannot be trusted.
        if script.has_error() {
            continue;
        }
        let commands = script.commands();
        // A pipe inside `$(...)` is the substitution's own: `pipefail` on the shell does not reach its
        // status, so neither a finding nor the `SHELL` fix can help there.
        let top: Vec<(usize, &ShellCommand)> =
            commands.iter().enumerate().filter(|(_, c)| !c.in_substitution).collect();
        // Each pipe as (index of the command after it, the command before it, the last command of the pipeline,
        // the severity it deserves).
        let pipes: Vec<(usize, &ShellCommand, &ShellCommand, Severity)> = top
            .iter()
            .enumerate()
            .filter(|(_, (_, right))| right.operator == Some(ShellOperator::Pipe))
            .filter_map(|(pos, &(i, right))| {
                let left = top.get(pos.checked_sub(1)?)?.1;
                let last = top
                    .get(pos + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|(_, c)| c.operator == Some(ShellOperator::Pipe))
                    .last()
                    .map_or(right, |(_, c)| c);
                Some((i, left, last, severity(left, last)?))
            })
            .collect();
        let worst = pipes.iter().find(|p| p.3 == Severity::Warning).or(pipes.first());
        let Some(&(pipe_idx, left, right, level)) = worst else { continue };
        let Some(stage) = ctx.model.stage_of(idx) else { continue };
        // Windows runs `cmd`; distroless and scratch have no shell for the `RUN` at all.
        if !stage.distro.has_shell() {
            continue;
        }
        let custom = ctx.model.shell_at(ctx.file, stage, idx);
        if let Some(words) = custom {
            let program = words.first().map(|w| w.value.as_str()).unwrap_or_default();
            if !shell::is_posix_shell(program) || words.iter().any(|w| w.value == "pipefail") {
                continue;
            }
        }
        let set_before = commands.get(..pipe_idx).unwrap_or_default().iter().any(|c| {
            c.program() == Some("set") && c.has_arg("pipefail") || c.program() == Some("set") && c.has_arg("-opipefail")
        });
        if set_before {
            continue;
        }
        let shell_text = custom
            .map(|words| words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "/bin/sh -c".to_owned());
        let name = |c: &ShellCommand| c.program().map_or("a command".to_owned(), |p| format!("`{p}`"));
        let range = script.doc_range(TextRange::new(left.range.start, right.range.end));
        let mut finding = Finding::new(
            range,
            format!(
                "`{shell_text}` without `pipefail`: if {} fails, the pipe into {} still succeeds",
                name(left),
                name(right)
            ),
        );
        if level != RULE.severity {
            finding = finding.with_severity(level);
        }
        let top = ctx.file.instructions().get(idx).filter(|top| top.trigger.is_none());
        if let (Some(top), Some(array)) = (top, pipefail_shell(stage.distro, custom)) {
            let line = format!("{} {}", util::keyword_cased(ctx.file, "SHELL"), util_edit::json_array(&array));
            finding = finding.with_fix(Fix::unsafe_(
                format!("Set `SHELL {}`", util_edit::json_array(&array)),
                vec![util_edit::insert_lines_before(ctx.file, top, &[line])],
            ));
        }
        out.push(finding);
    }
}

/// A `SHELL` array with `pipefail` that exists on the stage: the current shell when it knows `pipefail`,
/// else bash where the distribution ships it and BusyBox ash on Alpine.
fn pipefail_shell(distro: Distro, custom: Option<&[bulkhead_syntax::Word]>) -> Option<Vec<String>> {
    if let Some((program, rest)) = custom.and_then(|words| words.split_first()) {
        let base = program.value.rsplit('/').next().unwrap_or_default();
        if matches!(base, "bash" | "zsh" | "ksh" | "mksh" | "ash") {
            let mut res = vec![program.value.to_string(), "-o".to_owned(), "pipefail".to_owned()];
            res.extend(rest.iter().map(|w| w.value.to_string()));
            return Some(res);
        }
    }
    let array: &[&str] = match distro {
        Distro::Debian | Distro::Ubuntu | Distro::Rhel | Distro::Suse => &["/bin/bash", "-o", "pipefail", "-c"],
        Distro::Alpine | Distro::Busybox => &["/bin/ash", "-eo", "pipefail", "-c"],
        _ => return None,
    };
    Some(array.iter().map(|s| (*s).to_owned()).collect())
}
