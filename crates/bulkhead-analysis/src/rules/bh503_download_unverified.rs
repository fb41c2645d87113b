//! BH503 download-unverified: an archive or executable fetched with `curl`/`wget` and used without a
//! checksum or signature check in the same step.

use bulkhead_syntax::{ShellCommand, ShellOperator, ShellScript};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::rules::util_fetch;

pub(crate) const RULE: Rule = Rule {
    code: "BH503",
    name: "download-unverified",
    practice: Practice::ScanAndVerify,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "An archive or executable downloaded in `RUN` is used without a checksum or signature check.",
    doc: r#"
## What it does
Checks `RUN` (and `ONBUILD RUN`) for a `curl`/`wget` (or `aria2c`, `fetch`) download of an archive,
package or executable when the same `RUN` checks no checksum or signature. A download counts as such when
- its URL (or the file it is saved to with `-o`/`-O`/`--output`) ends in an archive, package or
  executable name: `.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.tar.bz2`, `.tar.zst`, `.zip`, `.gz`, `.xz`,
  `.jar`, `.war`, `.deb`, `.rpm`, `.apk`, `.whl`, `.gem`, `.exe`, `.msi`, `.bin`, `.run`, `.AppImage`; or
- it is piped into an unpacker (`tar`, `unzip`, `gunzip`, `bsdtar`, `xz -d`...); or
- it is saved into a `bin` folder (`/usr/local/bin/tool`).

A check is any of: a checksum tool (`sha256sum -c`, `echo "<sum>  file" | sha256sum -c -`, `shasum -a 256`,
also its output compared with `grep` or `[`), `gpg --verify`, `gpgv`, `cosign verify*`, `minisign -V`,
`signify -V`, `openssl dgst` or `openssl sha512` (compared, as the official nginx image does), `rpm --checksig`, `slsa-verifier`, `gh attestation verify`.
A step that checks anything is trusted for all its downloads: a linter cannot tell which file a check
covers, and a wrong warning there would teach people to ignore the rule.

Not flagged, and why:
- signature and checksum files (`.asc`, `.sig`, `.sha256`, `SHA256SUMS`...): they are what verifies;
- signing keys (`.gpg`, `.asc`, `.key`, `.pub`, or piped into `gpg --import`/`--dearmor`, `apt-key add`,
  `rpm --import`): the vendor's HTTPS site is the root of trust its install guide documents, and the
  package manager then checks every package against the key. Pinning the key's fingerprint is better,
  but flagging every repository set-up would bury the downloads that are never checked at all;
- scripts piped into a shell: BH501 reports those;
- `ADD <url>`: BH915 asks for `--checksum` there;
- data (`curl https://api.github.com/... | jq`), anything whose name says nothing (`curl "$URL"` with no
  output name), and this machine (`localhost`).

## Why it matters
Whatever the server returns at build time goes into the image: a compromised release page, mirror or CDN,
or a replaced GitHub release asset, ships its binary to every build. A checksum written in the Dockerfile
pins the exact file that was reviewed, and a signature check proves who built it.

## Example
```dockerfile
FROM debian:12-slim
RUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl \
 && chmod +x /usr/local/bin/kubectl
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /usr/local/bin/kubectl" \
    | sha256sum -c - \
 && chmod +x /usr/local/bin/kubectl
```
or `ADD --checksum=sha256:<sum> <url> <dest>`.

## Fix
None: the checksum has to come from the publisher or from a download you reviewed.

## How to silence
`# bulkhead ignore=BH503` on the line before the instruction, or `ignore = ["BH503"]` in `.bulkhead.toml`.
Data that changes with every release of its publisher (a weekly GeoIP database, a CA or time-zone bundle
fetched fresh on purpose) has no checksum to pin: the comment is the honest answer there, ideally with the
reason beside it. Code and packages are not such data.

## References
- CWE-494: Download of Code Without Integrity Check
- OpenSSF Scorecard: Pinned-Dependencies
- Docker docs: `ADD --checksum`
"#,
    check: Check::Instruction(check),
};

const ARCHIVES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.xz",
    ".txz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
    ".tar.zst",
    ".zip",
    ".gz",
    ".xz",
    ".bz2",
    ".zst",
    ".7z",
    ".jar",
    ".war",
    ".deb",
    ".rpm",
    ".apk",
    ".whl",
    ".gem",
    ".exe",
    ".msi",
    ".bin",
    ".run",
    ".appimage",
    ".nupkg",
    ".vsix",
];
const UNPACKERS: &[&str] =
    &["tar", "bsdtar", "unzip", "funzip", "gunzip", "zcat", "unxz", "xzcat", "bunzip2", "unzstd"];
const KEY_CONSUMERS: &[&str] = &["gpg", "gpg2", "apt-key", "rpm", "tee"];

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some(shell) = util_fetch::unverified_run(ctx) else { return };
    let commands = shell.commands();
    for (i, command) in commands.iter().enumerate() {
        if !util_fetch::is_fetch(command) {
            continue;
        }
        let urls: Vec<&str> = util_fetch::urls(shell, command).map(|(_, url)| url).collect();
        let Some(&url) = urls.first() else { continue };
        if util_fetch::is_local(url) {
            continue;
        }
        let output = output_name(shell, command);
        let names: Vec<&str> = urls.iter().copied().chain(output).collect();
        if names.iter().any(|n| is_signature(n) || is_key(n)) {
            continue;
        }
        let consumer = pipe_consumer(commands, i);
        if consumer.is_some_and(|c| c.program().is_some_and(|p| KEY_CONSUMERS.contains(&p))) {
            continue;
        }
        let unpacked = consumer.is_some_and(|c| c.program().is_some_and(|p| UNPACKERS.contains(&p)));
        let named = names.iter().any(|n| is_archive(n));
        let into_bin = output.is_some_and(|o| o.contains("/bin/"));
        if !(unpacked || named || into_bin) {
            continue;
        }
        let program = command.program().unwrap_or_default();
        out.push(Finding::new(
            shell.doc_range(command.range),
            format!(
                "`{program}` downloads `{}` and the step never checks it: verify a checksum (`sha256sum -c`) or a \
                 signature before using it",
                file_name(url)
            ),
        ));
    }
}

/// The last path segment of a URL, without query or fragment.
fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    if name.is_empty() { url } else { name }
}

fn lower_name(name: &str) -> String {
    file_name(name).trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase()
}

fn is_archive(name: &str) -> bool {
    let name = lower_name(name);
    ARCHIVES.iter().any(|ext| name.ends_with(ext))
}

fn is_signature(name: &str) -> bool {
    let name = lower_name(name);
    [".asc", ".sig", ".sign", ".minisig", ".sha256", ".sha512", ".sha1", ".md5", ".sha256sum", ".sha512sum", ".pem"]
        .iter()
        .any(|ext| name.ends_with(ext))
        || name.contains("sha256sums")
        || name.contains("sha512sums")
        || name.contains("checksums")
        || name.contains("shasums")
}

fn is_key(name: &str) -> bool {
    let name = lower_name(name);
    [".gpg", ".key", ".pub", ".gpg.key", ".pgp"].iter().any(|ext| name.ends_with(ext))
        || name.contains("gpgkey")
        || name.contains("pubkey")
        || name.contains("keyring")
}

/// The file a download is saved to: `-o FILE`, `-O FILE` (wget), `--output FILE`, `--output-document=FILE`.
fn output_name<'a>(shell: &'a ShellScript, command: &ShellCommand) -> Option<&'a str> {
    let wget = command.program() == Some("wget");
    let mut args = command.args.iter().peekable();
    while let Some(arg) = args.next() {
        let Some(value) = arg.value.as_deref() else { continue };
        for long in ["--output=", "--output-document=", "-o=", "-O="] {
            if value.starts_with(long) {
                let text = shell.text(arg.range);
                return Some(text.split_once('=').map_or(text, |(_, v)| v));
            }
        }
        let takes = value == "--output"
            || value == "--output-document"
            || value.starts_with('-') && !value.starts_with("--") && value.ends_with(if wget { 'O' } else { 'o' });
        if takes {
            return args.next().map(|next| shell.text(next.range)).filter(|t| *t != "-");
        }
    }
    None
}

/// The last command of the pipe that starts at `commands[i]`, when it is piped.
fn pipe_consumer(commands: &[ShellCommand], i: usize) -> Option<&ShellCommand> {
    commands
        .iter()
        .skip(i + 1)
        .filter(|c| !c.in_substitution)
        .take_while(|c| c.operator == Some(ShellOperator::Pipe))
        .last()
}
