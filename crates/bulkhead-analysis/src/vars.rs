//! Variable substitution in instruction arguments: `$X`, `${X}`, `${X:-default}`, `${X-default}`,
//! `${X:+alt}`, `${X+alt}`, the forms Docker expands in `FROM`, `ENV`, `ARG`, `COPY`, `USER`, ...

/// What a variable look-up knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarValue<'a> {
    /// Declared with a known value.
    Known(&'a str),
    /// Declared, but its value comes from outside (a build argument without default, a platform arg).
    Unknown,
    /// Not declared at all.
    Undefined,
}

/// The names of the variables `raw` refers to (`$X`, `${X}`, `${X:-d}`, ...), in order, as written with
/// quotes: none inside single quotes, none escaped with a backslash, none that starts with a digit.
pub fn variable_refs(raw: &str) -> Vec<&str> {
    let mut res = Vec::new();
    let mut chars = raw.char_indices();
    let (mut in_single, mut in_double) = (false, false);
    while let Some((pos, ch)) = chars.next() {
        match ch {
            '\\' if !in_single => {
                chars.next();
            }
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '$' if !in_single => {
                let after = &raw[pos + 1..];
                let body = after.strip_prefix('{').unwrap_or(after);
                let len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                let name = &body[..len];
                if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
                    res.push(name);
                }
            }
            _ => {}
        }
    }
    res
}

/// A `$NAME` or `${NAME...}` in an instruction's raw text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte offset of the `$` in the raw text, and the length up to the end of the name (or the `}`).
    pub offset: usize,
    pub len: usize,
    /// `${NAME:-x}`, `${NAME-x}`, `${NAME:+x}`, `${NAME+x}`: the reference says what happens when unset.
    pub has_default: bool,
}

/// The variable references Docker expands in `raw` (a word as written), with where each stands: text in
/// single quotes and escaped dollars (`\$`, or `` `$ `` with the backtick escape) are literal. Unlike
/// [`variable_refs`], a reference's default (`${A:-$B}`) is part of it, not a reference of its own.
pub fn variable_refs_at(raw: &str, escape: char) -> Vec<VarRef> {
    let mut res = Vec::new();
    let bytes = raw.as_bytes();
    let mut in_single = false;
    let mut in_double = false;
    let mut idx = 0;
    while idx < bytes.len() {
        let ch = bytes[idx];
        if !in_single && escape.is_ascii() && ch == escape as u8 {
            idx += 2;
            continue;
        }
        match ch {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                let braced = bytes.get(idx + 1) == Some(&b'{');
                let name_start = idx + 1 + usize::from(braced);
                let name_len =
                    raw[name_start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                let name = &raw[name_start..name_start + name_len];
                if name_len > 0 && !name.as_bytes()[0].is_ascii_digit() {
                    let (len, has_default) = if braced {
                        let close = raw[name_start..].find('}').map_or(raw.len(), |c| name_start + c + 1);
                        let op = raw.get(name_start + name_len..close).unwrap_or_default();
                        (close - idx, op.starts_with([':', '-', '+']))
                    } else {
                        (1 + name_len, false)
                    };
                    res.push(VarRef { name: name.to_owned(), offset: idx, len, has_default });
                    idx += len.max(1);
                    continue;
                }
            }
            _ => {}
        }
        idx += 1;
    }
    res
}

/// The literal pieces of `text` between its variable references (`$NAME`, `${...}`).
pub fn literal_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        pieces.push(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let skip = if after.starts_with('{') {
            after.find('}').map_or(after.len(), |close| close + 1)
        } else {
            after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len())
        };
        rest = &after[skip..];
    }
    pieces.push(rest);
    pieces
}

/// How deep `${X:-${Y:-...}}` may nest before its value is taken as unknown. Expansion recurses once per
/// level and scans each level's text for its closing brace, so the limit bounds both the stack and the
/// time (at most this many scans of the text). Real files nest one deep (the whole corpus: 1).
pub const MAX_NESTING: usize = 32;

/// Expands every variable in `text`. Returns `None` when a variable's value cannot be known, and when
/// references nest deeper than [`MAX_NESTING`].
pub fn expand<'a>(text: &str, lookup: &dyn Fn(&str) -> VarValue<'a>) -> Option<String> {
    expand_nested(text, lookup, 0)
}

/// How deep `${` references nest in `text` (0 without any), counting the braces as [`expand`] matches
/// them.
pub fn nesting_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut braces, mut deepest, mut open) = (0usize, 0usize, Vec::new());
    for (idx, &byte) in bytes.iter().enumerate() {
        match byte {
            b'{' => {
                braces += 1;
                if idx > 0 && bytes[idx - 1] == b'$' {
                    open.push(braces);
                    deepest = deepest.max(open.len());
                }
            }
            b'}' => {
                if open.last() == Some(&braces) {
                    open.pop();
                }
                braces = braces.saturating_sub(1);
            }
            _ => {}
        }
    }
    deepest
}

fn expand_nested<'a>(text: &str, lookup: &dyn Fn(&str) -> VarValue<'a>, depth: usize) -> Option<String> {
    if depth > MAX_NESTING {
        return None;
    }
    let mut res = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < text.len() {
        let ch = bytes[pos];
        if ch == b'\\' && bytes.get(pos + 1) == Some(&b'$') {
            res.push('$');
            pos += 2;
            continue;
        }
        if ch != b'$' {
            // A byte search: `pos` may start a multi-byte character, and `$` and `\` are ASCII, so `next` is a
            // character boundary.
            let next =
                bytes[pos + 1..].iter().position(|&b| b == b'$' || b == b'\\').map_or(text.len(), |idx| pos + 1 + idx);
            res.push_str(&text[pos..next]);
            pos = next;
            continue;
        }
        if bytes.get(pos + 1) == Some(&b'{') {
            let close = find_close(text, pos + 2)?;
            let inner = &text[pos + 2..close];
            res.push_str(&expand_braced(inner, lookup, depth + 1)?);
            pos = close + 1;
        } else {
            let name_len = text[pos + 1..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            if name_len == 0 {
                res.push('$');
                pos += 1;
                continue;
            }
            let name = &text[pos + 1..pos + 1 + name_len];
            match lookup(name) {
                VarValue::Known(value) => res.push_str(value),
                VarValue::Undefined => {}
                VarValue::Unknown => return None,
            }
            pos += 1 + name_len;
        }
    }
    Some(res)
}

fn find_close(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1;
    for (idx, ch) in text[from..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(from + idx);
                }
            }
            _ => {}
        }
    }
    None
}

fn expand_braced<'a>(inner: &str, lookup: &dyn Fn(&str) -> VarValue<'a>, depth: usize) -> Option<String> {
    let name_len = inner.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let (name, op) = inner.split_at(name_len);
    let value = lookup(name);
    let (colon, op) = match op.strip_prefix(':') {
        Some(op) => (true, op),
        None => (false, op),
    };
    let set = |value: &VarValue<'_>| match value {
        VarValue::Known(v) => Some(!(colon && v.is_empty())),
        VarValue::Undefined => Some(false),
        VarValue::Unknown => None,
    };
    match op.chars().next() {
        None => match value {
            VarValue::Known(v) => Some(v.to_owned()),
            VarValue::Undefined => Some(String::new()),
            VarValue::Unknown => None,
        },
        Some('-') => match set(&value)? {
            true => match value {
                VarValue::Known(v) => Some(v.to_owned()),
                _ => None,
            },
            false => expand_nested(&op[1..], lookup, depth),
        },
        Some('+') => match set(&value)? {
            true => expand_nested(&op[1..], lookup, depth),
            false => Some(String::new()),
        },
        // `${X#pattern}`, `${X%pattern}` and other forms: only when the variable is unset is the result sure.
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        let names = |raw: &str| -> Vec<(String, bool)> {
            variable_refs_at(raw, '\\').into_iter().map(|r| (r.name, r.has_default)).collect()
        };
        assert_eq!(names("a-$B/${C}:${D:-x}"), [("B".into(), false), ("C".into(), false), ("D".into(), true)]);
        assert_eq!(names("'$A' \\$B \"$C\" $1 $"), [("C".into(), false)]);
        assert_eq!(variable_refs_at("x${AB}y", '\\')[0].len, 5);
    }

    #[test]
    fn finds_variable_references_with_offsets() {
        assert_eq!(variable_refs("$A/${B}:${C:-x}"), ["A", "B", "C"]);
        assert_eq!(variable_refs(r"'$A' \$B $ $1"), Vec::<&str>::new());
        assert_eq!(variable_refs(r#""$A" "'$B'""#), ["A", "B"]);
        assert_eq!(variable_refs("echo ${NPM_TOKEN} $X"), ["NPM_TOKEN", "X"]);
        assert_eq!(variable_refs("$NPM_TOKEN_FILE a=$NPM_TOKEN;"), ["NPM_TOKEN_FILE", "NPM_TOKEN"]);
    }

    fn lookup(name: &str) -> VarValue<'static> {
        match name {
            "TAG" => VarValue::Known("3.12"),
            "EMPTY" => VarValue::Known(""),
            "PLATFORM" => VarValue::Unknown,
            _ => VarValue::Undefined,
        }
    }

    #[test]
    fn text_with_multi_byte_characters() {
        // Found by the engine fuzzer: a slice started inside a multi-byte character.
        assert_eq!(expand("€debian:$TAG-ü", &lookup).as_deref(), Some("€debian:3.12-ü"));
        assert_eq!(expand("é\\x", &lookup).as_deref(), Some("é\\x"));
    }

    #[test]
    fn expands_known_forms() {
        assert_eq!(expand("python:$TAG-slim", &lookup).as_deref(), Some("python:3.12-slim"));
        assert_eq!(expand("python:${TAG}", &lookup).as_deref(), Some("python:3.12"));
        assert_eq!(expand("a:${NOPE:-1.0}", &lookup).as_deref(), Some("a:1.0"));
        assert_eq!(expand("a:${EMPTY:-x}${EMPTY-y}", &lookup).as_deref(), Some("a:x"));
        assert_eq!(expand("${TAG:+set}${NOPE:+no}", &lookup).as_deref(), Some("set"));
        assert_eq!(expand(r"cost \$5", &lookup).as_deref(), Some("cost $5"));
        assert_eq!(expand("img:$PLATFORM", &lookup), None);
        assert_eq!(expand("img:${PLATFORM:-x}", &lookup), None);
        assert_eq!(expand("${UNCLOSED", &lookup), None);
    }

    #[test]
    fn nesting_past_the_limit_is_unknown() {
        let nest = |depth: usize| format!("{}x{}", "${NOPE:-".repeat(depth), "}".repeat(depth));
        assert_eq!(nesting_depth(&nest(MAX_NESTING)), MAX_NESTING);
        assert_eq!(expand(&nest(MAX_NESTING), &lookup).as_deref(), Some("x"));
        assert_eq!(expand(&nest(MAX_NESTING + 1), &lookup), None);
        // Far past it: no stack overflow, and no scan per level.
        assert_eq!(nesting_depth(&nest(200_000)), 200_000);
        assert_eq!(expand(&nest(200_000), &lookup), None);
        assert_eq!(nesting_depth("a ${X} {b} ${Y:-${Z}} {${W}}"), 2);
        assert_eq!(nesting_depth("no references { here }"), 0);
    }
}
