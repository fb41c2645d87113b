//! Helpers for the secret rules: showing a secret in a message without revealing it.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("hunter2"), "`****`");
        assert_eq!(mask("supersecret"), "`su…` (11 characters)");
        assert_eq!(mask("ghp_0123456789abcdefghij"), "`ghp_…` (24 characters)");
        assert_eq!(mask("éééééééééé"), "`éé…` (10 characters)");
    }
}
