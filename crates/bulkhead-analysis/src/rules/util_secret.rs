//! Helpers for the secret rules: showing a secret in a message without revealing it, and telling a
//! secret from a placeholder or a path.

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
}
