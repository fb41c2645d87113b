//! Downloads in `RUN`: which commands fetch, what they fetch, and whether the same step verifies it.
//! Shared by the "scan and verify" rules (BH501, BH502, BH503).

use bulkhead_syntax::{ShellCommand, ShellScript, ShellWord};

use crate::rule::InstructionContext;

/// Programs that download what a URL argument names.
pub const FETCHERS: &[&str] = &["curl", "wget", "aria2c", "fetch", "http", "https", "xh"];

/// True when the command downloads (`curl`, `wget`...).
pub fn is_fetch(command: &ShellCommand) -> bool {
    command.program().is_some_and(|p| FETCHERS.contains(&p))
}

/// The URL-looking arguments of a command, as written (variables unexpanded), with their words. An
/// option's value after `=` (`--index-url=http://...`) counts, and so does a pip requirement with a
/// VCS prefix (`git+http://...`).
pub fn urls<'a>(shell: &'a ShellScript, command: &'a ShellCommand) -> impl Iterator<Item = (&'a ShellWord, &'a str)> {
    command.args.iter().filter_map(move |arg| {
        let text = unquote(shell.text(arg.range));
        let text = text.split_once('=').filter(|(key, _)| key.starts_with('-')).map_or(text, |(_, value)| value);
        let text = unquote(text);
        let text = ["git+", "hg+", "svn+", "bzr+"].iter().find_map(|p| text.strip_prefix(p)).unwrap_or(text);
        text.contains("://").then_some((arg, text))
    })
}

fn unquote(text: &str) -> &str {
    text.trim_matches(|c| c == '"' || c == '\'')
}

/// True when the URL's host is this machine (`localhost`, `127.x`, `[::1]`): nothing crosses a network.
pub fn is_local(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| h.trim_start_matches('[')).unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    host == "localhost" || host.starts_with("127.") || host == "::1" || host == "0.0.0.0"
}

/// Checksum tools: they verify when given `-c`/`--check`, or when their output is compared (`sha256sum f |
/// grep -q "$SUM"`, `[ "$(sha256sum f)" = ... ]`), which a linter cannot tell from printing it, so any
/// use counts.
const CHECKSUMS: &[&str] =
    &["sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "md5sum", "b2sum", "shasum", "cksum", "rhash"];

/// True when the command checks a download: a checksum (`sha256sum`, `shasum -a 256 -c`), a signature
/// (`gpg --verify`, `gpgv`, `cosign verify`, `minisign -V`, `signify -V`, `openssl dgst`/`sha512`,
/// `rpm --checksig`, `pgp`), or `sq verify`.
pub fn verifies(command: &ShellCommand) -> bool {
    let Some(program) = command.program() else { return false };
    let has = |options: &[&str]| command.arg_values().any(|arg| options.contains(&arg));
    match program {
        _ if CHECKSUMS.contains(&program) => true,
        "gpg" | "gpg2" => has(&["--verify", "--verify-files"]),
        "gpgv" | "gpgv2" => true,
        "cosign" => command.arg_values().any(|a| a.starts_with("verify")),
        "sq" | "sqv" => program == "sqv" || has(&["verify"]),
        "minisign" | "signify" | "signify-openbsd" => has(&["-V"]),
        // `openssl dgst -verify`, and digests compared with a known value (`openssl sha512 -r f`).
        "openssl" => command.arg_values().any(|a| {
            matches!(a, "-verify" | "dgst" | "sha1" | "sha256" | "sha384" | "sha512" | "md5" | "sha3-256" | "sha3-512")
        }),
        "rpm" => has(&["--checksig", "-K"]),
        "slsa-verifier" | "gh" => has(&["verify", "verify-artifact"]) || program == "slsa-verifier",
        _ => false,
    }
}

/// True when some command of the script verifies a download (see [`verifies`]).
pub fn step_verifies(shell: &ShellScript) -> bool {
    shell.commands().iter().any(verifies)
}

/// The shell of the `RUN` (or `ONBUILD RUN`) being checked, unless the step verifies what it downloads.
pub fn unverified_run<'a>(ctx: &InstructionContext<'a>) -> Option<&'a ShellScript> {
    let (_, shell) = ctx.run()?;
    (!step_verifies(shell)).then_some(shell)
}
