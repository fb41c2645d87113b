//! The little XML the checkstyle and JUnit formats write: escaping for text and attribute values. Hand
//! written rather than a dependency: both formats are flat lists of elements, and the only hard part is that
//! any string (a path, a message quoting the Dockerfile) must come out as well-formed XML 1.0.

/// `text` as XML character data: `&`, `<` and `>` escaped, and the characters XML 1.0 cannot carry at all
/// (control characters other than tab, LF and CR; U+FFFE, U+FFFF) replaced by U+FFFD.
pub fn text(text: &str) -> String {
    escape(text, false)
}

/// `text` as an attribute value between double quotes: as [`text`], plus both quotes, and tab, LF and CR as
/// character references (a parser would turn them into spaces otherwise).
pub fn attribute(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut res = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' if attribute => res.push_str("&quot;"),
            '\'' if attribute => res.push_str("&apos;"),
            '\t' if attribute => res.push_str("&#9;"),
            '\n' if attribute => res.push_str("&#10;"),
            '\r' => res.push_str("&#13;"),
            '\t' | '\n' => res.push(ch),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => res.push('\u{fffd}'),
            _ => res.push(ch),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(text("a < b && c > \"d\"\n"), "a &lt; b &amp;&amp; c &gt; \"d\"\n");
        assert_eq!(attribute("it's \"x\"\t\r\n"), "it&apos;s &quot;x&quot;&#9;&#13;&#10;");
        assert_eq!(text("\u{1}\u{1b}[31m\u{ffff}"), "\u{fffd}\u{fffd}[31m\u{fffd}");
        assert_eq!(text("]]> café ☕"), "]]&gt; café ☕");
    }
}
