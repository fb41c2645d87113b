//! The one place where byte offsets meet LSP positions.
//!
//! The engine speaks byte offsets into the text it was given. LSP speaks (line, character) where the
//! character is counted in the encoding negotiated at `initialize`: UTF-8 bytes when the client offers it,
//! UTF-16 code units otherwise. Lines end at `\n`, `\r\n` or a lone `\r`, as [`LineIndex`] counts them.
//!
//! Invariant: every conversion goes through [`Coords`]; no other module does arithmetic on positions.
//! Out-of-range positions clamp (a line past the end is the end of the text, a column past the end of its
//! line is the end of that line), so a confused client can never make the server panic.

use bulkhead_analysis::Edit;
use bulkhead_syntax::{ColumnUnit, Dockerfile, LineCol, LineIndex, TextRange};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range, TextEdit};

/// The position encoding in force for a session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// `utf-8` when the client offers it, else the LSP default `utf-16`.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offers_utf8 = offered.unwrap_or_default().contains(&PositionEncodingKind::UTF8);
        if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }
}

/// A text with its line index, in one encoding: converts both ways.
#[derive(Clone, Copy)]
pub struct Coords<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> Coords<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Self {
        Self { text, index, encoding }
    }

    pub fn of(file: &'a Dockerfile, encoding: Encoding) -> Self {
        Self::new(file.text(), file.line_index(), encoding)
    }

    pub fn position(&self, offset: usize) -> Position {
        let LineCol { line, column } = self.index.line_col(self.text, offset, self.encoding.unit());
        Position { line, character: column }
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end) }
    }

    /// The byte offset of a position, clamped to the text.
    pub fn offset(&self, position: Position) -> usize {
        let line_col = LineCol { line: position.line, column: position.character };
        self.index.offset(self.text, line_col, self.encoding.unit())
    }

    /// The byte range of an LSP range; a range whose end comes before its start is empty at its start.
    pub fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }

    pub fn text_edit(&self, edit: &Edit) -> TextEdit {
        TextEdit { range: self.range(edit.range), new_text: edit.new_text.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
    }

    #[test]
    fn round_trips_and_clamps() {
        let text = "FROM a\r\nRUN echo 😀 中\rCMD x";
        let index = LineIndex::new(text);
        let x = text.find('中').unwrap();
        let utf16 = Coords::new(text, &index, Encoding::Utf16);
        assert_eq!(utf16.position(x), Position { line: 1, character: 12 });
        assert_eq!(utf16.offset(Position { line: 1, character: 12 }), x);
        let utf8 = Coords::new(text, &index, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position { line: 1, character: 14 });
        assert_eq!(utf8.position(text.find("CMD").unwrap()), Position { line: 2, character: 0 });
        assert_eq!(utf16.offset(Position { line: 0, character: 99 }), 6);
        assert_eq!(utf16.offset(Position { line: 99, character: 0 }), text.len());
        let backwards = Range { start: Position { line: 1, character: 2 }, end: Position { line: 0, character: 0 } };
        assert!(utf16.text_range(backwards).is_empty());
    }
}
