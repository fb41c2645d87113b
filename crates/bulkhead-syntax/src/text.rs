//! Byte ranges and the line index that turns byte offsets into (line, column) pairs.
//!
//! The engine speaks byte offsets everywhere. Editors and humans want lines and columns, counted in UTF-8
//! bytes, UTF-16 code units (the LSP default) or characters (the CLI). This module is the one place that
//! knows how to convert.

use std::fmt;

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn empty(offset: usize) -> Self {
        Self { start: offset, end: offset }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub const fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when `offset` lies in the range or right at its end (a cursor touching the range).
    pub const fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub const fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn shifted(self, delta: usize) -> TextRange {
        TextRange::new(self.start + delta, self.end + delta)
    }

    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(range: std::ops::Range<usize>) -> Self {
        TextRange::new(range.start, range.end)
    }
}

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnUnit {
    /// UTF-8 bytes (LSP `utf-8` position encoding).
    Utf8,
    /// UTF-16 code units (LSP default).
    Utf16,
    /// Unicode scalar values (what the CLI prints).
    Char,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Line starts of a text. Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specification counts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
    /// True when the text is pure ASCII: then every unit count equals the byte count.
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut idx = 0;
        while let Some(found) = memchr2(b'\n', b'\r', &bytes[idx..]) {
            let at = idx + found;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                idx = at + 2;
            } else {
                idx = at + 1;
            }
            line_starts.push(idx);
        }
        line_starts.shrink_to_fit();
        Self { line_starts, len: text.len(), ascii: text.is_ascii() }
    }

    /// The index of `text`, an edit of the text this indexes that kept its first `prefix` and last `suffix`
    /// bytes: only the line starts in between are looked for again.
    pub(crate) fn edited(mut self, text: &str, prefix: usize, suffix: usize) -> LineIndex {
        let bytes = text.as_bytes();
        let delta = text.len() as isize - self.len as isize;
        // A line start depends on the bytes before it and at it: those before `prefix` and those after the
        // first byte of the suffix are unchanged.
        let keep = self.line_starts.partition_point(|&start| start < prefix);
        let tail_from = self.line_starts.partition_point(|&start| start <= self.len - suffix);
        let tail: Vec<usize> =
            self.line_starts[tail_from..].iter().map(|start| start.saturating_add_signed(delta)).collect();
        self.line_starts.truncate(keep);
        if keep == 0 {
            self.line_starts.push(0);
        }
        for at in prefix.max(1)..=text.len() - suffix {
            let starts_line = match bytes[at - 1] {
                b'\n' => true,
                b'\r' => bytes.get(at) != Some(&b'\n'),
                _ => false,
            };
            if starts_line {
                self.line_starts.push(at);
            }
        }
        self.line_starts.extend(tail);
        self.len = text.len();
        self.ascii = text.is_ascii();
        self
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where zero-based `line` starts; the text length for lines past the end.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// The zero-based line that holds `offset` (offsets past the end clamp to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Converts a byte offset into a line and a column counted in `unit`. Offsets inside a UTF-8 sequence
    /// or a line break are clamped to the start of that character.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = if self.ascii { offset - start } else { count_units(&text[start..offset], unit) };
        LineCol { line: line as u32, column: column as u32 }
    }

    /// Converts a line and column counted in `unit` back into a byte offset. Out-of-range positions are
    /// clamped: a line past the end gives the end of the text, a column past the end of its line gives the
    /// end of that line (before its line break).
    pub fn offset(&self, text: &str, position: LineCol, unit: ColumnUnit) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let start = self.line_starts[line];
        let end = self.line_content_end(text, line);
        let line_text = &text[start..end];
        let wanted = position.column as usize;
        if self.ascii {
            return start + wanted.min(line_text.len());
        }
        let mut units = 0;
        for (byte_idx, ch) in line_text.char_indices() {
            if units >= wanted {
                return start + byte_idx;
            }
            units += unit_len(ch, unit);
            if units > wanted {
                // The position points into the middle of a character (a UTF-16 surrogate pair): clamp to it.
                return start + byte_idx;
            }
        }
        end
    }

    /// End of a line's content, before its line break.
    pub fn line_content_end(&self, text: &str, line: usize) -> usize {
        let next = self.line_start(line + 1);
        let bytes = text.as_bytes();
        let mut end = next;
        if line + 1 < self.line_starts.len() {
            if end > 0 && bytes[end - 1] == b'\n' {
                end -= 1;
            }
            if end > 0 && bytes[end - 1] == b'\r' && end > self.line_starts[line] {
                end -= 1;
            }
        }
        end.max(self.line_starts[line])
    }
}

fn unit_len(ch: char, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => ch.len_utf8(),
        ColumnUnit::Utf16 => ch.len_utf16(),
        ColumnUnit::Char => 1,
    }
}

fn count_units(text: &str, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => text.len(),
        ColumnUnit::Utf16 => text.chars().map(char::len_utf16).sum(),
        ColumnUnit::Char => text.chars().count(),
    }
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn memchr2(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&byte| byte == a || byte == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_follow_lsp() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_of(3), 1);
        assert_eq!(index.line_of(5), 2);
        assert_eq!(index.line_content_end(text, 0), 1);
        assert_eq!(index.line_content_end(text, 3), text.len());
    }

    #[test]
    fn columns_in_every_unit() {
        let text = "RUN echo 😀é x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x, ColumnUnit::Utf8).column, x as u32);
        assert_eq!(index.line_col(text, x, ColumnUnit::Utf16).column, 9 + 2 + 1 + 1);
        assert_eq!(index.line_col(text, x, ColumnUnit::Char).column, 9 + 1 + 1 + 1);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let position = index.line_col(text, x, unit);
            assert_eq!(index.offset(text, position, unit), x);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "FROM a\nRUN 😀\n";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, column: 99 }, ColumnUnit::Utf16), 6);
        assert_eq!(index.offset(text, LineCol { line: 9, column: 0 }, ColumnUnit::Utf16), text.len());
        // Column 5 is the middle of the surrogate pair: clamp to the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.offset(text, LineCol { line: 1, column: 5 }, ColumnUnit::Utf16), emoji);
        assert_eq!(index.line_col(text, emoji + 1, ColumnUnit::Utf8).column, 4);
    }
}
