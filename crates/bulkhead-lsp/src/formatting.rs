//! `textDocument/formatting` and `textDocument/rangeFormatting`: the engine's formatter
//! (`bulkhead_syntax::format`, the one `bulkhead fmt` runs) as minimal edits, one per changed line at
//! most, converted to positions. It formats the server's parse of the document (no parse of its own) and
//! checks its result with one parse that reuses the shells of unchanged `RUN`s.
//!
//! The indent is the document's `[format] indent` (`.bulkhead.toml`, or the editor's
//! `bulkhead.format.indent`), not the request's `tabSize`: the editor's tab size is a per-editor default,
//! and a file must come out the same from every editor and from `bulkhead fmt --check` in CI.

use bulkhead_syntax::format::{FormatOptions, format_file_edits, format_file_range_edits};
use bulkhead_syntax::{Dockerfile, ShellCache, TextEdit as Edit};
use tower_lsp_server::ls_types::{Range, TextEdit};

use crate::convert::Coords;

fn convert(edits: Vec<Edit>, coords: &Coords) -> Vec<TextEdit> {
    edits.into_iter().map(|edit| TextEdit { range: coords.range(edit.range), new_text: edit.new_text }).collect()
}

/// The edits that format the whole document: the server's parse is the formatter's, and `shells` (the
/// store's cache, which holds this parse's shells) makes the check of the result re-parse only the
/// `RUN`s whose text the formatting changes.
pub fn document(file: &Dockerfile, options: &FormatOptions, shells: &mut ShellCache, coords: &Coords) -> Vec<TextEdit> {
    convert(format_file_edits(file, options, shells), coords)
}

/// The edits that format the instructions `range` touches.
pub fn range(
    file: &Dockerfile,
    range: Range,
    options: &FormatOptions,
    shells: &mut ShellCache,
    coords: &Coords,
) -> Vec<TextEdit> {
    convert(format_file_range_edits(file, coords.text_range(range), options, shells), coords)
}
