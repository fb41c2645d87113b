//! What a `check` run hands the output formats: one [`FileReport`] per checked file, plain engine values
//! (byte ranges, strings, enums), and the helpers every format shares to place them. `check` builds these
//! and calls a format; `output` only reads them and never imports `check`.

use bulkhead_syntax::{ColumnUnit, LineCol, LineIndex, TextRange};

/// One checked file, as the output formats see it.
pub struct FileReport {
    /// As given on the command line or found by the walk, relative when the argument was.
    pub path: String,
    /// The text the findings refer to (after fixes with `--fix`).
    pub text: String,
    pub line_index: LineIndex,
    /// Sorted by position.
    pub diagnostics: Vec<bulkhead_analysis::Diagnostic>,
}

impl FileReport {
    /// A byte offset as a one-based line and a one-based column counted in characters.
    pub fn position(&self, offset: usize) -> LineCol {
        self.position_in(offset, ColumnUnit::Char)
    }

    /// A byte offset as a one-based line and a one-based column counted in `unit`.
    pub fn position_in(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        let at = self.line_index.line_col(&self.text, offset, unit);
        LineCol { line: at.line + 1, column: at.column + 1 }
    }

    /// The one-based lines a range covers, first and last: a range that ends with its line break (at the
    /// start of the next line) ends on the line before, as people count lines.
    pub fn lines(&self, range: TextRange) -> (u32, u32) {
        let first = self.position(range.start).line;
        let end = self.position(range.end.max(range.start));
        let last = match end.line > first && end.column == 1 {
            true => end.line - 1,
            false => end.line,
        };
        (first, last)
    }
}

/// `n` and the noun, singular or plural: `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
