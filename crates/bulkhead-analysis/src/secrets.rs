//! Telling a secret by its name and its value, for every rule that looks for secrets (BH401 on `ARG`/`ENV`
//! names and values, BH402 on copied file names, BH403 and BH404 on literals in `RUN`) and for Compose
//! `environment:` values.
//!
//! The public API:
//! - [`is_secret_name`]: does a variable name say it holds a secret (`DB_PASSWORD`, `npmToken`), with the
//!   user's extra and allowed words from [`RuleOptions`]; [`name_words`] is how names are split.
//! - [`describes_secret`]: a value that configures or points at a secret (`false`, `/run/secrets/x`)
//!   rather than holds one.
//! - [`is_literal_secret`]: a value that holds a literal (not empty, not a `$REFERENCE`, not a
//!   placeholder); [`is_placeholder`] (`changeme`, `FAKE_...`, `<token>`) and [`is_reference`] alone.
//! - [`secret_file_kind`]: what a file holds when its name says it is a secret (`.env`, `id_rsa`,
//!   `server.key`), and whether only the name says so.
//! - [`mask`]: a secret as a message may show it.
//!
//! Everything here is pure text: no file, model or context.

use crate::rule::RuleOptions;

/// Single words that mark a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "pwd",
    "psw",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "creds",
    "apikey",
    "apikeys",
    "privatekey",
    "accesskey",
    "secretkey",
    "authtoken",
    "accesstoken",
    "refreshtoken",
    "clientsecret",
    "connectionstring",
];

/// Word sequences that mark a secret (the single-word forms above cover `secret_key`, `auth_token`...).
const SECRET_PHRASES: &[&[&str]] = &[
    &["api", "key"],
    &["private", "key"],
    &["access", "key"],
    &["client", "key"],
    &["app", "key"],
    &["license", "key"],
    &["encryption", "key"],
    &["signing", "key"],
    &["master", "key"],
    &["account", "key"],
    &["ssh", "key"],
    &["deploy", "key"],
    &["connection", "string"],
];

/// A last word that says the variable describes a secret rather than holds it.
const QUALIFIER_WORDS: &[&str] = &[
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "directory",
    "version",
    "url",
    "uri",
    "endpoint",
    "id",
    "ids",
    "name",
    "names",
    "user",
    "username",
    "host",
    "hostname",
    "port",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "length",
    "len",
    "type",
    "mode",
    "method",
    "format",
    "size",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "lifetime",
    "location",
    "header",
    "field",
    "prefix",
    "suffix",
    "policy",
    "min",
    "max",
    "limit",
    "limits",
    "days",
    "count",
    "algorithm",
    "provider",
    "store",
    "mount",
    "env",
    "var",
    "hint",
    "prompt",
    "auth",
];

/// Words that make the whole name harmless wherever they appear.
const PUBLIC_WORDS: &[&str] = &["public", "publishable", "pub"];

/// Names that contain a secret word but are well known not to be secrets.
const KNOWN_NOT_SECRET: &[&str] = &["PWD", "OLDPWD"];

/// Splits a variable name into lower-case words at `_`, `-`, `.` and camelCase boundaries.
pub fn name_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (pos, &ch) in chars.iter().enumerate() {
        if matches!(ch, '_' | '-' | '.') {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if ch.is_uppercase() && !current.is_empty() {
            let prev = pos.checked_sub(1).and_then(|p| chars.get(p)).copied().unwrap_or(' ');
            let next = chars.get(pos + 1).copied().unwrap_or(' ');
            // `dbPassword` → db|Password; `APIKey` → API|Key; `AWS` stays whole.
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next.is_lowercase()) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when `words` contains `phrase` as consecutive words.
fn contains_phrase<S: AsRef<str>>(words: &[String], phrase: &[S]) -> bool {
    !phrase.is_empty()
        && words.windows(phrase.len()).any(|window| window.iter().zip(phrase).all(|(w, p)| w == p.as_ref()))
}

/// True when a variable name says it holds a secret (`DB_PASSWORD`, `npmToken`, `AWS_SECRET_ACCESS_KEY`,
/// `LDAP_ROOTPASS`), by its words: a secret word or phrase, or one of `options.extra_secret_words`; a
/// public word (`PUBLIC_KEY`), one of `options.allowed_secret_words` or a last word that describes the
/// secret rather than holds it (`PASSWORD_FILE`, `TOKEN_URL`) makes it not one.
pub fn is_secret_name(name: &str, options: &RuleOptions) -> bool {
    if KNOWN_NOT_SECRET.contains(&name) {
        return false;
    }
    let words = name_words(name);
    let allowed = |word: &String| options.allowed_secret_words.iter().any(|allowed| allowed == word);
    if words.iter().any(|w| PUBLIC_WORDS.contains(&w.as_str()) || allowed(w)) {
        return false;
    }
    if words.last().is_some_and(|last| QUALIFIER_WORDS.contains(&last.as_str())) {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()) || is_secret_compound(w))
        || SECRET_PHRASES.iter().any(|phrase| contains_phrase(&words, phrase))
        || options.extra_secret_words.iter().any(|extra| contains_phrase(&words, &name_words(extra)))
}

/// Words written without separators: `ROOTPASSWORD`, `APITOKEN`, `LDAP_ROOTPASS`.
fn is_secret_compound(word: &str) -> bool {
    ["password", "passwd", "secret", "token"].iter().any(|suffix| word.ends_with(suffix))
        || word
            .strip_suffix("pass")
            .is_some_and(|head| ["root", "admin", "db", "user", "master", "ldap", "mysql", "redis"].contains(&head))
}

/// True when a value describes a secret rather than holds it: a switch (`USE_TOKEN=false`) or a path
/// (`GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json`).
pub fn describes_secret(value: &str) -> bool {
    is_flag_value(value) || is_path(value)
}

/// True for a switch value (`true`, `off`, `0`...): the variable configures a secret, it does not hold one.
pub fn is_flag_value(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "none" | "null")
}

/// True when a value is a literal that can hold a secret: not empty, not a plain reference to another
/// variable (`$TOKEN`, `${TOKEN}`, `${TOKEN:-}`), not a placeholder (`changeme`, `FAKE_...`, `<token>`).
pub fn is_literal_secret(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty() && !is_reference(value) && !is_placeholder(value)
}

/// True for a plain reference to another variable, which puts no literal in the value: `$X`, `${X}`,
/// `${X:-}`, `${X:?message}`, `${X:-$Y}`.
pub fn is_reference(value: &str) -> bool {
    let is_name = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if let Some(inner) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
        let name_len = inner.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let (name, op) = inner.split_at(name_len);
        if !is_name(name) {
            return false;
        }
        // `${X}`, `${X:-}`, `${X-}`, `${X:?message}`: no literal can end up in the value.
        let op = op.strip_prefix(':').unwrap_or(op);
        return op.is_empty()
            || op == "-"
            || op.starts_with('?')
            || op.strip_prefix('-').is_some_and(|d| d.starts_with('$'));
    }
    value.strip_prefix('$').is_some_and(is_name)
}

/// What a source path holds when its name says it is a secret file, for the message, and whether only the
/// name says so: `server.key`, `*.pem`, `.npmrc`, key stores and `.htpasswd` are as often public, empty of
/// credentials or meant to ship, while `id_rsa`, `.env`, `.aws/` and `.git-credentials` hardly ever are.
pub fn secret_file_kind(path: &str) -> Option<(&'static str, bool)> {
    let kind = secret_file_name(path)?;
    let by_name = kind.starts_with("a private key")
        || kind.starts_with("a PEM")
        || kind.starts_with("npm")
        || kind.starts_with("a key store")
        || kind.starts_with("password hashes");
    Some((kind, by_name))
}

/// What a path holds when its name says it is a secret file (`.env`, `id_rsa`, `.aws/credentials`), for
/// a message; `None` for other names and the public parts (`.pub`, `known_hosts`, `ca.pem`).
pub fn secret_file_name(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let components: Vec<&str> = lower.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    let base = *components.last()?;
    for dir in &components {
        let what = match *dir {
            ".ssh" => "SSH keys",
            ".aws" => "AWS credentials",
            ".kube" => "Kubernetes credentials",
            ".gnupg" => "GPG private keys",
            _ => continue,
        };
        // Public parts of those folders.
        if base == "known_hosts" || (base == "config" && *dir == ".ssh") || base.ends_with(".pub") {
            return None;
        }
        return Some(what);
    }
    if let Some(suffix) = base.strip_prefix(".env") {
        let example = [".example", ".sample", ".template", ".dist", ".defaults"].contains(&suffix);
        if !example && (suffix.is_empty() || suffix.starts_with('.') || suffix.starts_with('*')) {
            return Some("an environment file (usually passwords and API keys)");
        }
    }
    if base.ends_with(".pub") {
        return None;
    }
    let ssh_key = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].iter().any(|prefix| base.starts_with(prefix));
    if ssh_key {
        return Some("an SSH private key");
    }
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    if base.ends_with(".pem") && !is_certificate_name(stem) {
        return Some("a PEM file (often a private key)");
    }
    if base.ends_with(".key") && !is_signing_key_name(stem) {
        return Some("a private key");
    }
    if [".p12", ".pfx", ".jks", ".keystore"].iter().any(|ext| base.ends_with(ext)) {
        return Some("a key store (certificates with their private keys)");
    }
    match base {
        ".npmrc" => Some("npm configuration (often a registry token)"),
        ".pypirc" => Some("PyPI credentials"),
        ".netrc" => Some("login credentials (`.netrc`)"),
        ".git-credentials" => Some("Git credentials"),
        ".dockercfg" => Some("registry credentials"),
        ".htpasswd" => Some("password hashes"),
        "credentials.json" => Some("a credentials file"),
        _ if base.contains("kubeconfig") => Some("a kubeconfig (cluster credentials)"),
        _ => None,
    }
}

/// `.pem` names that are certificates or CA bundles, which are public.
fn is_certificate_name(stem: &str) -> bool {
    if stem.contains("key") || stem.contains("priv") {
        return false;
    }
    let words: Vec<&str> = stem.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    ["cert", "chain", "bundle", "public", "trust", "rootca", "cacert"].iter().any(|part| stem.contains(part))
        || words.iter().any(|word| matches!(*word, "ca" | "pub" | "root" | "crt"))
}

/// `.key` names of package-repository signing keys, which are public.
fn is_signing_key_name(stem: &str) -> bool {
    ["signing", "gpg", "pgp", "release", "archive", "keyring", "pub", "apt", "repo"]
        .iter()
        .any(|part| stem.contains(part))
}

/// A secret value as messages may show it: a few leading characters and the length, or `****` for short
/// values, where any shown character gives too much away.
pub fn mask(value: &str) -> String {
    let n_chars = value.chars().count();
    if n_chars < 8 {
        return "`****`".to_owned();
    }
    let shown = if n_chars < 16 { 2 } else { 4 };
    let prefix: String = value.chars().take(shown).collect();
    format!("`{prefix}…` ({n_chars} characters)")
}

/// Parts of a value that mark it as a stand-in for a secret, not the secret itself.
const PLACEHOLDER_PARTS: &[&str] = &[
    "fake",
    "dummy",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "replaceme",
    "replace_me",
    "replace-me",
    "not_a_real",
    "not-a-real",
    "notareal",
    "redacted",
];

/// True when a value is an obvious stand-in for a secret: it contains a placeholder word (`FAKE_KEY`,
/// `NOT_A_REAL_TOKEN`, `changeme`, `example`, `dummy`, `redacted`), is a template slot (`<token>`,
/// `{{ token }}`, `[password]`), says where the real one goes (`your-api-key-here`, `YOUR_TOKEN`), or is
/// made of filler only (`xxx`, `****`, `...`, one character repeated).
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let wrapped = |open: &str, close: &str| lower.starts_with(open) && lower.ends_with(close);
    let mut chars = value.chars();
    let first = chars.next();
    !value.is_empty()
        && (PLACEHOLDER_PARTS.iter().any(|part| lower.contains(part))
            || wrapped("<", ">")
            || wrapped("{{", "}}")
            || wrapped("[", "]")
            || lower.starts_with("your")
            || lower.ends_with("_here")
            || lower.ends_with("-here")
            || value.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_'))
            || value.chars().count() > 1 && chars.all(|c| Some(c) == first))
}

/// True when a value is a file path (`/secrets/sa.json`, `./key.json`, `~/.config/x`, `$HOME/.aws/config`):
/// a variable holding a path points at a secret, it does not hold one.
pub fn is_path(value: &str) -> bool {
    let value = value.trim();
    let after_variable =
        value.strip_prefix("${").and_then(|rest| rest.split_once('}')).map(|(_, rest)| rest).or_else(|| {
            let rest = value.strip_prefix('$')?;
            Some(rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        });
    let path = after_variable.unwrap_or(value);
    value.len() > 1
        && !value.contains(char::is_whitespace)
        && (path.starts_with('/') || value.starts_with("./") || value.starts_with("../") || value.starts_with("~/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for value in [
            "FAKE_AWS_SECRET",
            "NOT_A_REAL_TOKEN",
            "changeme",
            "example-password",
            "dummy",
            "xxx",
            "XXXXXXXX",
            "****",
            "<your token>",
            "{{ token }}",
            "your-api-key-here",
            "YOUR_TOKEN",
            "token_goes_here",
            "aaaaaaaa",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["hunter2", "s3cr3t-Passw0rd", "ghp_0123456789abcdefghij", "a", "xoxb-123-abc"] {
            assert!(!is_placeholder(value), "{value}");
        }
    }

    #[test]
    fn paths() {
        for value in
            ["/secrets/sa.json", "./key.json", "~/.config/gcloud/key.json", "$HOME/.aws/credentials", "${DIR}/k"]
        {
            assert!(is_path(value), "{value}");
        }
        for value in ["hunter2", "/", "a/b", "$TOKEN", "/run/secrets/a b", "https://x/y"] {
            assert!(!is_path(value), "{value}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask("hunter2"), "`****`");
        assert_eq!(mask("supersecret"), "`su…` (11 characters)");
        assert_eq!(mask("ghp_0123456789abcdefghij"), "`ghp_…` (24 characters)");
        assert_eq!(mask("éééééééééé"), "`éé…` (10 characters)");
    }

    fn secret(name: &str) -> bool {
        let options = RuleOptions { extra_secret_words: vec!["pin".into()], ..RuleOptions::default() };
        is_secret_name(name, &options)
    }

    #[test]
    fn splits_names() {
        assert_eq!(name_words("dbPassword"), ["db", "password"]);
        assert_eq!(name_words("APIKey"), ["api", "key"]);
        assert_eq!(name_words("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
        assert_eq!(name_words("my.api-key"), ["my", "api", "key"]);
    }

    #[test]
    fn secret_names() {
        for name in [
            "LDAP_ROOTPASS",
            "ADMINPASSWORD",
            "DB_PASSWORD",
            "NPM_TOKEN",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_PAT_TOKEN",
            "APP_KEY",
            "SIM_PIN",
            "DOCKERHUB_PSW",
        ] {
            assert!(secret(name), "{name}");
        }
        for name in [
            "GPG_KEY",
            "KEYBOARD",
            "KEEPASSXC_VERSION",
            "BYPASS_PROXY",
            "TOKENIZERS_PARALLELISM",
            "PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "PWD",
            "PUBLIC_KEY",
        ] {
            assert!(!secret(name), "{name}");
        }
    }

    #[test]
    fn values_and_references() {
        assert!(is_literal_secret("hunter2"));
        assert!(is_literal_secret("${X:-hunter2}"));
        assert!(!is_literal_secret("$TOKEN") && !is_literal_secret("${TOKEN}"));
        assert!(!is_literal_secret("${TOKEN:-}") && is_flag_value("False") && !is_literal_secret(""));
        assert!(!is_literal_secret("NOT_A_REAL_SECRET") && !is_literal_secret("changeme"));
    }

    #[test]
    fn secret_files() {
        for path in [
            ".env",
            "./.env.production",
            "config/.env*",
            "certs/server.key",
            "tls/privkey.pem",
            "id_ed25519",
            "home/.ssh/",
            ".aws/credentials",
            "my-kubeconfig.yaml",
            "cert.p12",
            ".npmrc",
            "*.pem",
        ] {
            assert!(secret_file_name(path).is_some(), "{path}");
        }
        for path in [
            ".env.example",
            ".environment",
            "ca.pem",
            "fullchain.pem",
            "nginx_signing.key",
            "id_rsa.pub",
            ".ssh/known_hosts",
            "keyboard.txt",
            "src/",
        ] {
            assert!(secret_file_name(path).is_none(), "{path}");
        }
    }
}
