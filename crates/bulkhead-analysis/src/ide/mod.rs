//! Editor queries: navigation and rename, completion, symbols and folding. Each is a pure function of a
//! parse and its [`Model`](crate::Model), in byte offsets; the language server converts coordinates and
//! names the LSP types.
//!
//! Invariant: no query panics on broken text, and every range a query returns lies inside the text, on
//! character boundaries.

pub mod completion;
pub mod folding;
pub mod navigation;
pub mod symbols;

pub use completion::{CompletionItem, CompletionKind, complete, resolve_documentation};
pub use folding::{Fold, FoldKind, folding_ranges};
pub use navigation::{NameIndex, Occurrence, SymbolKind, definition, prepare_rename, references, rename};
pub use symbols::{DocumentSymbol, SymbolRole, document_symbols};
