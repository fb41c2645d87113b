//! Editor queries: navigation and rename, completion, symbols, folding, semantic tokens, inlay hints,
//! document links, signature help. Each is a pure function of a
//! parse and its [`Model`](crate::Model), in byte offsets; the language server converts coordinates and
//! names the LSP types.
//!
//! Invariant: no query panics on broken text, and every range a query returns lies inside the text, on
//! character boundaries.

pub mod completion;
pub mod folding;
pub mod hints;
pub mod links;
pub mod navigation;
pub mod signature;
pub mod symbols;
pub mod tokens;

pub use completion::{CompletionItem, CompletionKind, complete, resolve_documentation};
pub use folding::{Fold, FoldKind, folding_ranges};
pub use hints::{HintKind, HintKinds, InlayHint, inlay_hints};
pub use links::{Link, document_links};
pub use navigation::{NameIndex, Occurrence, SymbolKind, definition, prepare_rename, references, rename};
pub use signature::{Signature, SignatureHelp, signature_help};
pub use symbols::{DocumentSymbol, SymbolRole, document_symbols};
pub use tokens::{Token, TokenKind, semantic_tokens};
