//! Tokens inside one instruction: whitespace-separated words that respect quotes, `--flag[=value]`
//! prefixes, and JSON string arrays (exec form), all found in the instruction's logical text.

use crate::{CompactText, TextRange};

/// A word of an instruction's arguments. Its texts are [`CompactText`]s: they read as `&str`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The text as written (quotes kept), with continuations removed.
    pub raw: CompactText,
    /// The text with quotes removed and escapes applied; variables are not expanded.
    pub value: CompactText,
    /// Document byte range of the raw text.
    pub range: TextRange,
}

/// A word found in logical text, before its range is mapped to the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawWord {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

pub(crate) fn is_space(ch: char) -> bool {
    matches!(ch, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r' | '\n')
}

/// Splits `text[from..]` into words at unquoted whitespace. Single quotes are literal, double quotes allow
/// `escape` before `"`, `escape` and `$`; outside quotes `escape` escapes the next character.
pub(crate) fn split_words(text: &str, from: usize, escape: char) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut pos = from;
    while let Some(word) = next_word(text, pos, escape) {
        pos = word.end;
        words.push(word);
    }
    words
}

/// The next word at or after `pos`, if any.
pub(crate) fn next_word(text: &str, pos: usize, escape: char) -> Option<RawWord> {
    let rest = text.get(pos..)?;
    let skipped = rest.len() - rest.trim_start_matches(is_space).len();
    let start = pos + skipped;
    if start >= text.len() {
        return None;
    }
    let mut value = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text[start..].char_indices().peekable();
    let mut end = text.len();
    while let Some((idx, ch)) = chars.next() {
        match quote {
            None if is_space(ch) => {
                end = start + idx;
                break;
            }
            None if ch == '\'' || ch == '"' => quote = Some(ch),
            None if ch == escape => match chars.next() {
                Some((_, next)) => value.push(next),
                None => value.push(ch),
            },
            Some('"') if ch == escape => match chars.peek() {
                Some(&(_, next)) if next == '"' || next == escape || next == '$' => {
                    value.push(next);
                    chars.next();
                }
                _ => value.push(ch),
            },
            Some(open) if ch == open => quote = None,
            _ => value.push(ch),
        }
    }
    Some(RawWord { start, end, value })
}

/// One string of a JSON array, with its logical range (quotes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// Parses `text[from..]` as a JSON array of strings that fills the rest of the text (whitespace aside), the
/// way Docker decides between exec form and shell form. Anything else gives `None`.
pub(crate) fn parse_json_array(text: &str, from: usize) -> Option<Vec<JsonString>> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, from);
    if bytes.get(pos) != Some(&b'[') {
        return None;
    }
    pos = skip_ws(bytes, pos + 1);
    let mut items = Vec::new();
    if bytes.get(pos) == Some(&b']') {
        pos += 1;
    } else {
        loop {
            let item = parse_json_string(text, pos)?;
            pos = skip_ws(bytes, item.end);
            items.push(item);
            match bytes.get(pos) {
                Some(b',') => pos = skip_ws(bytes, pos + 1),
                Some(b']') => {
                    pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(bytes, pos) == bytes.len()).then_some(items)
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        pos += 1;
    }
    pos
}

fn parse_json_string(text: &str, start: usize) -> Option<JsonString> {
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((idx, ch)) = chars.next() {
        match ch {
            '"' => {
                return Some(JsonString { start, end: start + idx + 1, value });
            }
            '\\' => {
                let (_, esc) = chars.next()?;
                match esc {
                    '"' | '\\' | '/' => value.push(esc),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    't' => value.push('\t'),
                    'u' => {
                        let code = parse_hex4(&mut chars)?;
                        if (0xD800..0xDC00).contains(&code) {
                            // A surrogate pair: the low half must follow.
                            if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
                                return None;
                            }
                            let low = parse_hex4(&mut chars)?;
                            let combined = 0x10000 + ((code - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                            value.push(char::from_u32(combined)?);
                        } else {
                            value.push(char::from_u32(code)?);
                        }
                    }
                    _ => return None,
                }
            }
            ch if (ch as u32) < 0x20 => return None,
            ch => value.push(ch),
        }
    }
    None
}

fn parse_hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let mut code = 0;
    for _ in 0..4 {
        code = code * 16 + chars.next()?.1.to_digit(16)?;
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, escape: char) -> Vec<String> {
        split_words(text, 0, escape).into_iter().map(|w| w.value).collect()
    }

    #[test]
    fn words_respect_quotes_and_escapes() {
        assert_eq!(values(r#"A="x y" B='$z' C=a\ b"#, '\\'), ["A=x y", "B=$z", "C=a b"]);
        assert_eq!(values(r#""unterminated word"#, '\\'), ["unterminated word"]);
        assert_eq!(values(r"C:\path\to `x", '`'), [r"C:\path\to", "x"]);
    }

    #[test]
    fn json_arrays() {
        let parsed = parse_json_array(r#" ["a", "b\"c", "\u00e9\ud83d\ude00"] "#, 0).unwrap();
        let values: Vec<_> = parsed.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(values, ["a", "b\"c", "é😀"]);
        assert_eq!(&r#" ["a", "b\"c"#[parsed[0].start..parsed[0].end], "\"a\"");
        assert!(parse_json_array("[]", 0).unwrap().is_empty());
        assert!(parse_json_array(r#"["a" "b"]"#, 0).is_none());
        assert!(parse_json_array(r#"["a"] x"#, 0).is_none());
        assert!(parse_json_array(r#"["a", 1]"#, 0).is_none());
        assert!(parse_json_array(r#"["a"#, 0).is_none());
    }
}
