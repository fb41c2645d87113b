//! Edit helpers for fixes: deleting a whole instruction or one of its words, inserting lines before an
//! instruction, and writing JSON strings for exec-form arrays.

use bulkhead_syntax::{Dockerfile, Instruction, TextRange, Word};

use crate::fix::Edit;

/// Deletes an instruction with its line break, so no blank line is left behind. Comments on the lines
/// before it stay. At the end of a file without a final line break, the line break before it goes instead.
pub fn delete_instruction(file: &Dockerfile, instruction: &Instruction) -> Edit {
    let text = file.text();
    let index = file.line_index();
    let line_start = index.line_start(index.line_of(instruction.range.start));
    let indent = text.get(line_start..instruction.range.start).unwrap_or_default();
    // An ONBUILD trigger or an instruction sharing its line with something else: delete the range alone.
    let start = if indent.chars().all(|c| c == ' ' || c == '\t') { line_start } else { instruction.range.start };
    let end = instruction.range.end;
    let after = text.get(end..).unwrap_or_default();
    if after.starts_with("\r\n") {
        return Edit::delete(TextRange::new(start, end + 2));
    }
    if after.starts_with('\n') || after.starts_with('\r') {
        return Edit::delete(TextRange::new(start, end + 1));
    }
    // Last line of the file: take the line break before it.
    let before = text.get(..start).unwrap_or_default();
    let newline_len = if before.ends_with("\r\n") {
        2
    } else if before.ends_with('\n') || before.ends_with('\r') {
        1
    } else {
        0
    };
    Edit::delete(TextRange::new(start - newline_len, end))
}

/// Deletes `words[idx]` and the blank (or continuation) between it and its neighbour: the one before it,
/// or the one after it for the first word. `None` when `idx` is out of range.
pub fn delete_word(words: &[Word], idx: usize) -> Option<Edit> {
    let word = words.get(idx)?;
    let range = match idx.checked_sub(1).and_then(|prev| words.get(prev)) {
        Some(prev) => TextRange::new(prev.range.end, word.range.end),
        None => match words.get(idx + 1) {
            Some(next) => TextRange::new(word.range.start, next.range.start),
            None => word.range,
        },
    };
    Some(Edit::delete(range))
}

/// Inserts `lines` before `instruction`, each on its own line with the instruction's indentation.
pub fn insert_lines_before(file: &Dockerfile, instruction: &Instruction, lines: &[String]) -> Edit {
    let index = file.line_index();
    let line_start = index.line_start(index.line_of(instruction.range.start));
    let indent = file.text().get(line_start..instruction.range.start).unwrap_or_default();
    let indent = if indent.chars().all(|c| c == ' ' || c == '\t') { indent } else { "" };
    let nl = file.newline();
    let text: String = lines.iter().map(|line| format!("{indent}{line}{nl}")).collect();
    Edit::insert(line_start, text)
}

/// Inserts `lines` after `instruction`, each on a new line.
pub fn insert_lines_after(file: &Dockerfile, instruction: &Instruction, lines: &[String]) -> Edit {
    let nl = file.newline();
    let text: String = lines.iter().map(|line| format!("{nl}{line}")).collect();
    Edit::insert(instruction.range.end, text)
}

/// `value` as a JSON string literal, quotes included.
pub fn json_string(value: &str) -> String {
    let mut res = String::with_capacity(value.len() + 2);
    res.push('"');
    for ch in value.chars() {
        match ch {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            ch if (ch as u32) < 0x20 => res.push_str(&format!("\\u{:04x}", ch as u32)),
            ch => res.push(ch),
        }
    }
    res.push('"');
    res
}

/// A JSON array of strings, `["a", "b"]`, the way exec form is usually written.
pub fn json_array<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|item| json_string(item.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn deleted(text: &str, idx: usize) -> String {
        let file = bulkhead_syntax::parse(text);
        let edit = delete_instruction(&file, &file.instructions()[idx]);
        apply_edits(text, &[edit])
    }

    #[test]
    fn deletes_whole_lines() {
        assert_eq!(deleted("FROM a\nCMD x\nCMD y\n", 1), "FROM a\nCMD y\n");
        assert_eq!(deleted("FROM a\r\n  CMD x \\\r\n   y\r\nCMD z\r\n", 1), "FROM a\r\nCMD z\r\n");
        assert_eq!(deleted("FROM a\nCMD x", 1), "FROM a");
        assert_eq!(deleted("FROM a\n# keep\nCMD x\n", 1), "FROM a\n# keep\n");
    }

    #[test]
    fn json() {
        assert_eq!(json_array(&["nginx", "-g", "daemon off;"]), r#"["nginx", "-g", "daemon off;"]"#);
        assert_eq!(json_string("a\"b\\c\u{1}"), r#""a\"b\\c\u0001""#);
    }
}
