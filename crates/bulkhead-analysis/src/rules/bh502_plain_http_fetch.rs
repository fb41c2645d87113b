//! BH502 plain-http-fetch: code or packages fetched over `http://` or `git://`, which anyone on the path can
//! replace.

use bulkhead_syntax::{InstructionKind, ShellCommand};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::rules::{shell_commands, util_copy, util_fetch};

pub(crate) const RULE: Rule = Rule {
    code: "BH502",
    name: "plain-http-fetch",
    practice: Practice::ScanAndVerify,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "Code or packages fetched over plain `http://` or `git://` without a checksum check.",
    doc: r#"
## What it does
Checks the URLs that fetch code or packages:
- in `RUN`: arguments of `curl`, `wget` (and `aria2c`, `fetch`, `httpie`), `git clone`/`fetch`/`pull`/
  `submodule`/`remote add`, and `pip`/`pip3`/`python -m pip install` (`--index-url`, `--extra-index-url`,
  `--find-links`, `-i`, `-f`, and `git+git://`, `git+http://` requirements);
- `ADD http://...` and `ADD git://...`.

A URL is flagged when it starts with `http://` or `git://`. Not flagged: hosts on this machine
(`localhost`, `127.x`, `[::1]`); a `RUN` that also checks a checksum or signature (`sha256sum`,
`gpg --verify`, `cosign verify`: the transport then does not decide what is used), and an `ADD` with
`--checksum`. Package-manager sources (`deb http://deb.debian.org/...` in `sources.list`, `yum` repos) are
not read: apt, dnf and apk verify every package against the repository's signing key, so plain HTTP there
is the distributions' own, safe, default. A URL held in a variable is skipped.

## Why it matters
Over plain HTTP (and the unauthenticated `git://` protocol) anyone on the network path, a hostile Wi-Fi,
a compromised router or proxy, can hand the build a different file. Code fetched that way runs in the build
and ships in the image with nothing to show it was swapped.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --index-url http://pypi.internal/simple/ app
RUN curl -fsSLo /tmp/tool.tgz http://example.com/tool-1.2.tgz && tar -xzf /tmp/tool.tgz -C /usr/local
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --index-url https://pypi.internal/simple/ app
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool-1.2.tgz \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/tool.tgz" | sha256sum -c - \
 && tar -xzf /tmp/tool.tgz -C /usr/local
```

## Fix
None: whether the server answers on `https://` is something only a request can tell, and the linter makes
none. Switching the scheme is usually all it takes.

## How to silence
`# bulkhead ignore=BH502` on the line before the instruction, or `ignore = ["BH502"]` in `.bulkhead.toml`.

## References
- CWE-319: Cleartext Transmission of Sensitive Information; CWE-494: Download of Code Without Integrity Check
- Git documentation: "The Git Protocol" (no authentication)
"#,
    check: Check::Instruction(check),
};

fn is_plain(url: &str) -> bool {
    let lower = url.get(..7).map(str::to_ascii_lowercase).unwrap_or_default();
    (lower == "http://" || lower.starts_with("git://")) && !util_fetch::is_local(url)
}

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let target = ctx.target();
    if matches!(target.kind, InstructionKind::Add) {
        if target.flag("checksum").is_some() {
            return;
        }
        for source in util_copy::sources(target) {
            let util_copy::Source::Word(word) = source else { continue };
            if is_plain(&word.value) {
                out.push(Finding::new(word.range, message("`ADD`", &word.value)));
            }
        }
        return;
    }
    let Some(shell) = util_fetch::unverified_run(ctx) else { return };
    for command in shell.commands().iter().filter(|c| fetches_code(c)) {
        let program = command.program().unwrap_or_default();
        for (word, url) in util_fetch::urls(shell, command) {
            if is_plain(url) {
                out.push(Finding::new(shell.doc_range(word.range), message(&format!("`{program}`"), url)));
            }
        }
    }
}

fn message(by: &str, url: &str) -> String {
    let scheme = url.split("://").next().unwrap_or_default();
    format!(
        "{by} fetches `{}` over plain `{scheme}://`: anyone on the network path can swap it; use `https://` (or \
         verify a checksum)",
        shorten(url)
    )
}

fn shorten(url: &str) -> String {
    if url.chars().count() <= 60 {
        return url.to_owned();
    }
    let head: String = url.chars().take(57).collect();
    format!("{head}...")
}

/// Commands whose URL arguments are code or packages.
fn fetches_code(command: &ShellCommand) -> bool {
    util_fetch::is_fetch(command)
        || shell_commands::is_invocation(
            command,
            &["git"],
            &["clone", "fetch", "pull", "submodule", "remote", "ls-remote"],
        )
        || shell_commands::is_pip(command)
}
