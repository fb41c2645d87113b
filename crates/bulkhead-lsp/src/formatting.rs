//! `textDocument/formatting` and `textDocument/rangeFormatting`: the engine's formatter
//! (`bulkhead_syntax::format`, the one `bulkhead fmt` runs) as minimal edits, one per changed line at
//! most, converted to positions.
//!
//! The indent is the document's `[format] indent` (`.bulkhead.toml`, or the editor's
//! `bulkhead.format.indent`), not the request's `tabSize`: the editor's tab size is a per-editor default,
//! and a file must come out the same from every editor and from `bulkhead fmt --check` in CI.

use bulkhead_syntax::format::{FormatOptions, format_edits, format_range_edits};
use bulkhead_syntax::{Dockerfile, TextEdit as Edit};
use tower_lsp_server::ls_types::{Range, TextEdit};

use crate::convert::Coords;

fn convert(edits: Vec<Edit>, coords: &Coords) -> Vec<TextEdit> {
    edits.into_iter().map(|edit| TextEdit { range: coords.range(edit.range), new_text: edit.new_text }).collect()
}

/// The edits that format the whole document.
pub fn document(file: &Dockerfile, options: &FormatOptions, coords: &Coords) -> Vec<TextEdit> {
    convert(format_edits(file.text(), options), coords)
}

/// The edits that format the instructions `range` touches.
pub fn range(file: &Dockerfile, range: Range, options: &FormatOptions, coords: &Coords) -> Vec<TextEdit> {
    convert(format_range_edits(file.text(), coords.text_range(range), options), coords)
}
