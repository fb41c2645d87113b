//! BH404 secret-literal-in-run: a token-shaped literal (cloud key, API token, private key, password in a
//! URL) written into the Dockerfile.

use bulkhead_syntax::TextRange;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, InstructionContext, Practice, Rule};
use crate::secrets;

pub(crate) const RULE: Rule = Rule {
    code: "BH404",
    name: "secret-literal-in-run",
    practice: Practice::NoSecrets,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A literal credential (cloud key, API token, private key, password in a URL) in the Dockerfile.",
    doc: r#"
## What it does
Looks for credentials written out in any instruction (`RUN`, `ENV`, `ARG`, `LABEL`, `ADD`, heredoc bodies...),
by their shape:
- AWS access key ids: `AKIA` or `ASIA` and 16 upper-case letters or digits (AWS' documentation example
  `...EXAMPLE` keys excepted);
- GitHub tokens: `ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_` followed by a long tail;
- GitLab personal access tokens `glpat-...`, Slack tokens `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`;
- OpenAI-style API keys: `sk-` and 20 or more characters mixing letters and digits;
- private key blocks: `-----BEGIN ... PRIVATE KEY-----`;
- passwords in URLs: `scheme://user:password@host` (not when the password is a variable, `user:${PASS}@`,
  or an obvious placeholder);
- `Authorization: Bearer <token>` and `Authorization: Basic <credentials>` headers with a literal value.

A placeholder is never a credential: a token tail, password or header value containing `fake`,
`dummy`, `example`, `placeholder`, `changeme`, `replaceme`, `not_a_real` or `redacted`, a template slot
(`<token>`, `{{ token }}`), one that says where the real one goes (`your-token-here`), or filler (`xxx`,
`****`, one character repeated), as BH401 decides for values.

Messages show the kind and the first characters only. Comments outside instructions are not checked.

## Why it matters
A credential in a Dockerfile is in version control, in every clone and fork, in CI logs, and, through
`ENV`, `LABEL` or the `RUN` command line, in the image history and config of every image built from it.
Deleting it later does not help: it stays in the Git history and in pushed images. Anyone who finds it
can use it until it is revoked.

## Example
```dockerfile
FROM alpine:3.20
RUN wget -q https://deploy:s3cr3t-Passw0rd@artifacts.example.com/app.tar.gz
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=artifacts,env=ARTIFACTS_AUTH \
    wget -q --header="Authorization: Basic ${ARTIFACTS_AUTH}" https://artifacts.example.com/app.tar.gz
```
Build with `docker build --secret id=artifacts,env=ARTIFACTS_AUTH .`.

## Fix
None: first revoke the credential (it has leaked), then pass its replacement as a build secret
(`RUN --mount=type=secret`) or at run time.

## How to silence
`# bulkhead ignore=BH404` on the line before the instruction (for a test fixture or a revoked sample
key), or `ignore = ["BH404"]` in `.bulkhead.toml`.

## References
- Docker docs: Build secrets
- GitHub docs: About secret scanning (token formats)
- CWE-798: Use of Hard-coded Credentials
"#,
    check: Check::Instruction(check),
};

/// A credential found in a text: byte range relative to the scanned text, what it is, and how to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Hit {
    range: std::ops::Range<usize>,
    kind: &'static str,
    shown: String,
}

fn check(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let instruction = ctx.instruction;
    let hits = scan(ctx.file.slice(instruction.range));
    if hits.is_empty() {
        return;
    }
    let keyword = match instruction.trigger.as_deref() {
        Some(trigger) => format!("ONBUILD {}", trigger.kind.keyword()),
        None => instruction.kind.keyword().to_owned(),
    };
    for hit in hits {
        let range = TextRange::new(instruction.range.start + hit.range.start, instruction.range.start + hit.range.end);
        let message =
            format!("`{keyword}` contains {} {}: revoke it and pass it as a build secret", hit.kind, hit.shown);
        out.push(Finding::new(range, message));
    }
}

/// Every credential in `text`, sorted, without overlaps (a specific token format wins over a URL password).
fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    // Most instructions hold none of the markers: one pass over the bytes decides which scanners can find
    // anything, so the editor's per-keystroke check stays cheap on large files.
    let markers = Markers::of(text);
    if markers.0 == 0 {
        return hits;
    }
    prefixed_tokens(text, &markers, &mut hits);
    if AWS.iter().any(|&marker| markers.has(marker)) {
        aws_keys(text, &mut hits);
    }
    if markers.has(PRIVATE_KEY) {
        private_keys(text, &mut hits);
    }
    if markers.has(URL) {
        url_passwords(text, &mut hits);
    }
    if markers.has(AUTHORIZATION) {
        auth_headers(text, &mut hits);
    }
    let mut res: Vec<Hit> = Vec::new();
    for hit in hits {
        if !res.iter().any(|kept| kept.range.start < hit.range.end && hit.range.start < kept.range.end) {
            res.push(hit);
        }
    }
    res.sort_by_key(|hit| hit.range.start);
    res
}

/// The markers each scanner starts from, in the order of [`Markers`]' bits: the token prefixes of
/// `prefixed_tokens` first, in the order of its table.
const MARKERS: &[&str] = &[
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "sk-",
    "AKIA",
    "ASIA",
    "-----BEGIN ",
    "://",
    "authorization:",
];
const AWS: [usize; 2] = [13, 14];
const PRIVATE_KEY: usize = 15;
const URL: usize = 16;
const AUTHORIZATION: usize = 17;

/// Which markers occur in a text, found in one pass (case-insensitively: a prefilter, the scanners decide).
/// Most instructions hold none, so the check stays cheap on every keystroke of a large file.
struct Markers(u32);

impl Markers {
    fn of(text: &str) -> Self {
        static SEARCH: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
        let search = SEARCH.get_or_init(|| {
            // A DFA: built once, the fastest search per byte, and the pattern set is tiny.
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(MARKERS)
                .ok()
        });
        let Some(search) = search else {
            return Self(u32::MAX);
        };
        let mut found = 0u32;
        for hit in search.find_overlapping_iter(text) {
            found |= 1 << hit.pattern().as_usize();
        }
        Self(found)
    }

    fn has(&self, marker: usize) -> bool {
        self.0 & (1 << marker) != 0
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// True when the byte before `idx` cannot be part of the same token.
fn starts_token(bytes: &[u8], idx: usize) -> bool {
    idx == 0 || bytes.get(idx - 1).is_some_and(|&b| !is_word_byte(b) && b != b'-')
}

/// Length of the run of bytes from `from` on that satisfy `accept`.
fn run_len(bytes: &[u8], from: usize, accept: impl Fn(u8) -> bool) -> usize {
    bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|&&b| accept(b)).count())
}

/// A token as messages show it: its first four characters (the public prefix) and its length.
fn show_prefix(token: &str) -> String {
    let prefix: String = token.chars().take(4).collect();
    format!("`{prefix}…` ({} characters)", token.chars().count())
}

/// GitHub, GitLab, Slack and OpenAI-style tokens: a known prefix and a long tail.
fn prefixed_tokens(text: &str, markers: &Markers, hits: &mut Vec<Hit>) {
    fn alnum(b: u8) -> bool {
        b.is_ascii_alphanumeric()
    }
    fn alnum_dash(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'-'
    }
    fn word_dash(b: u8) -> bool {
        is_word_byte(b) || b == b'-'
    }
    struct Format {
        prefix: &'static str,
        kind: &'static str,
        min_tail: usize,
        tail: fn(u8) -> bool,
        /// The tail must mix letters and digits.
        mixed: bool,
    }
    const fn format(
        prefix: &'static str,
        kind: &'static str,
        min_tail: usize,
        tail: fn(u8) -> bool,
        mixed: bool,
    ) -> Format {
        Format { prefix, kind, min_tail, tail, mixed }
    }
    const GITHUB: &str = "a GitHub token";
    const SLACK: &str = "a Slack token";
    const FORMATS: &[Format] = &[
        format("ghp_", GITHUB, 30, alnum, false),
        format("gho_", GITHUB, 30, alnum, false),
        format("ghs_", GITHUB, 30, alnum, false),
        format("ghu_", GITHUB, 30, alnum, false),
        format("ghr_", GITHUB, 30, alnum, false),
        format("github_pat_", GITHUB, 22, is_word_byte, false),
        format("glpat-", "a GitLab token", 20, word_dash, false),
        format("xoxb-", SLACK, 15, alnum_dash, true),
        format("xoxp-", SLACK, 15, alnum_dash, true),
        format("xoxa-", SLACK, 15, alnum_dash, true),
        format("xoxr-", SLACK, 15, alnum_dash, true),
        format("xoxs-", SLACK, 15, alnum_dash, true),
        format("sk-", "an API key", 20, word_dash, true),
    ];
    let bytes = text.as_bytes();
    for (marker, spec) in FORMATS.iter().enumerate() {
        debug_assert_eq!(MARKERS.get(marker), Some(&spec.prefix), "MARKERS follows FORMATS");
        if !markers.has(marker) {
            continue;
        }
        for (idx, _) in text.match_indices(spec.prefix) {
            if !starts_token(bytes, idx) {
                continue;
            }
            let tail_start = idx + spec.prefix.len();
            let tail_len = run_len(bytes, tail_start, spec.tail);
            if tail_len < spec.min_tail {
                continue;
            }
            let Some(token) = text.get(idx..tail_start + tail_len) else { continue };
            let tail = token.get(spec.prefix.len()..).unwrap_or_default();
            // Random tokens mix letters and digits; `sk-some-long-option-name` does not.
            if spec.mixed
                && !(tail.bytes().any(|b| b.is_ascii_digit()) && tail.bytes().any(|b| b.is_ascii_alphabetic()))
            {
                continue;
            }
            // `ghp_xxxxxxxx...`, `sk-FAKE...`: documentation and test fixtures.
            if secrets::is_placeholder(tail) {
                continue;
            }
            hits.push(Hit { range: idx..tail_start + tail_len, kind: spec.kind, shown: show_prefix(token) });
        }
    }
}

/// AWS access key ids: `AKIA`/`ASIA` and 16 upper-case letters or digits.
fn aws_keys(text: &str, hits: &mut Vec<Hit>) {
    let bytes = text.as_bytes();
    for prefix in ["AKIA", "ASIA"] {
        for (idx, _) in text.match_indices(prefix) {
            let tail_len = run_len(bytes, idx + 4, |b| b.is_ascii_uppercase() || b.is_ascii_digit());
            let after = bytes.get(idx + 4 + tail_len).copied();
            if !starts_token(bytes, idx) || tail_len != 16 || after.is_some_and(is_word_byte) {
                continue;
            }
            let Some(token) = text.get(idx..idx + 20) else { continue };
            if token.ends_with("EXAMPLE") || secrets::is_placeholder(token.get(4..).unwrap_or_default()) {
                continue;
            }
            hits.push(Hit { range: idx..idx + 20, kind: "an AWS access key id", shown: show_prefix(token) });
        }
    }
}

/// `-----BEGIN RSA PRIVATE KEY-----` and friends (OPENSSH, EC, DSA, ENCRYPTED, PGP ... BLOCK).
fn private_keys(text: &str, hits: &mut Vec<Hit>) {
    for (idx, _) in text.match_indices("-----BEGIN ") {
        let Some(after) = text.get(idx + 11..) else { continue };
        let Some(end) = after.find("-----") else { continue };
        let label = after.get(..end).unwrap_or_default();
        if end > 40 || !label.contains("PRIVATE KEY") {
            continue;
        }
        let header_end = idx + 11 + end + 5;
        hits.push(Hit {
            range: idx..header_end,
            kind: "a private key",
            shown: format!("(`{}`)", text.get(idx..header_end).unwrap_or_default()),
        });
    }
}

/// `scheme://user:password@host` with a literal password.
fn url_passwords(text: &str, hits: &mut Vec<Hit>) {
    let bytes = text.as_bytes();
    for (idx, _) in text.match_indices("://") {
        let scheme_len = text
            .get(..idx)
            .unwrap_or_default()
            .bytes()
            .rev()
            .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
            .count();
        let scheme = text.get(idx - scheme_len..idx).unwrap_or_default();
        if !scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) {
            continue;
        }
        let authority_start = idx + 3;
        let authority_len = run_len(bytes, authority_start, |b| {
            !b.is_ascii_whitespace() && !matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'\\' | b';' | b'|')
        });
        let authority = text.get(authority_start..authority_start + authority_len).unwrap_or_default();
        let Some((userinfo, host)) = authority.rsplit_once('@') else { continue };
        let Some((user, password)) = userinfo.split_once(':') else { continue };
        if host.is_empty() || !is_literal_password(password) {
            continue;
        }
        let password_start = authority_start + user.len() + 1;
        hits.push(Hit {
            range: password_start..password_start + password.len(),
            kind: "a password in a URL",
            shown: format!("(`{scheme}://{user}:****@{host}`)"),
        });
    }
}

/// A password that is written out: not a variable, a template placeholder or an obvious stand-in.
fn is_literal_password(password: &str) -> bool {
    const PLACEHOLDERS: &[&str] =
        &["password", "pass", "passwd", "pwd", "secret", "token", "pw", "changeme", "example", "anonymous", "guest"];
    !password.is_empty()
        && !password.contains(['$', '<', '>', '{', '}', '*', '%'])
        && !password.bytes().all(|b| matches!(b, b'x' | b'X' | b'.' | b'-' | b'_'))
        && !PLACEHOLDERS.contains(&password.to_ascii_lowercase().as_str())
        && !secrets::is_placeholder(password)
}

/// `Authorization: Bearer <token>` / `Authorization: Basic <credentials>` with a literal value.
fn auth_headers(text: &str, hits: &mut Vec<Hit>) {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    for (idx, _) in lower.match_indices("authorization:") {
        let mut pos = idx + "authorization:".len();
        pos += run_len(bytes, pos, |b| b == b' ' || b == b'\t');
        let rest = lower.get(pos..).unwrap_or_default();
        let scheme_len = if rest.starts_with("bearer") {
            6
        } else if rest.starts_with("basic") {
            5
        } else {
            continue;
        };
        let spaces = run_len(bytes, pos + scheme_len, |b| b == b' ' || b == b'\t');
        if spaces == 0 {
            continue;
        }
        let token_start = pos + scheme_len + spaces;
        let token_len =
            run_len(bytes, token_start, |b| !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'`' | b'\\'));
        let token = text.get(token_start..token_start + token_len).unwrap_or_default();
        if token.len() < 8 || !is_literal_password(token) {
            continue;
        }
        hits.push(Hit {
            range: token_start..token_start + token_len,
            kind: "a literal `Authorization` header",
            shown: secrets::mask(token),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, String)> {
        scan(text).into_iter().map(|hit| (hit.kind, text[hit.range].to_owned())).collect()
    }

    #[test]
    fn finds_tokens() {
        let github = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        assert_eq!(
            kinds(&format!("RUN git clone https://x-access-token:{github}@github.com/o/r")),
            [("a GitHub token", github.to_owned())]
        );
        assert_eq!(
            kinds("ENV AWS_ACCESS_KEY_ID=AKIAZ7VXQ2KD4MN5PLR3"),
            [("an AWS access key id", "AKIAZ7VXQ2KD4MN5PLR3".into())]
        );
        assert!(kinds("ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(kinds("ENV AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX").is_empty());
        assert!(kinds("ENV GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(kinds("RUN curl https://bob:NOT_A_REAL_PASSWORD@example.com/x").is_empty());
        assert_eq!(kinds("RUN curl https://bob:hunter2@example.com/x")[0].1, "hunter2");
        assert_eq!(kinds("RUN curl -H 'Authorization: Bearer abcdef123456' x")[0].1, "abcdef123456");
        assert_eq!(kinds("RUN echo '-----BEGIN OPENSSH PRIVATE KEY-----'")[0].0, "a private key");
        assert_eq!(kinds("ENV OPENAI_API_KEY=sk-proj-4fGh7Jk2Lm9Np3Qr5St8")[0].0, "an API key");
    }

    #[test]
    fn the_prefilter_knows_every_marker() {
        for (idx, marker) in MARKERS.iter().enumerate() {
            assert!(Markers::of(&format!("x{marker}x")).has(idx), "{marker}");
        }
        assert!(Markers::of("Authorization: Bearer").has(AUTHORIZATION));
        assert!(Markers::of("x Authorization://h").has(URL));
        let github = "github_pat_0123456789abcdefghijABCDEFGHIJ012345";
        assert_eq!(kinds(&format!("ENV T={github}")), [("a GitHub token", github.to_owned())]);
    }

    #[test]
    fn ignores_variables_and_lookalikes() {
        for text in [
            "RUN curl https://user:${PASS}@example.com",
            "RUN curl https://$USER:$PASS@example.com",
            "RUN git clone git@github.com:o/r.git",
            "RUN curl -H \"Authorization: Bearer $TOKEN\" x",
            "RUN mysql://user:password@db",
            "RUN apt-get install -y disk-0123456789-utilities-long-name",
            "RUN pip install sk-some-long-option-name-here",
            "LABEL url=https://example.com:8080/path@v1",
            "RUN echo -----BEGIN PUBLIC KEY-----",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }
}
