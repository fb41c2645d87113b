//! The editing features over LSP: definition, references, document highlight, rename, completion,
//! document and workspace symbols, folding. The queries are `bulkhead_analysis::ide`'s, on the parse the
//! document store keeps and a [`Model`] cached per parse; this module converts coordinates and types.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, Weak};

use bulkhead_analysis::ide::{self, CompletionKind, FoldKind, SymbolRole};
use bulkhead_analysis::{BuildContext, Model};
use bulkhead_syntax::Dockerfile;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types::*;

use crate::convert::{Coords, Encoding};
use crate::session::Session;

/// What the queries derive from a parse: its model, and its name index once a navigation request needs it.
type Derived = (Arc<Model>, Arc<OnceLock<ide::NameIndex>>);

/// The model (and name index) of each open document's latest parse, built at the first request that needs
/// it after a change, so a burst of requests at one version builds them once.
#[derive(Default)]
pub struct Models {
    cache: HashMap<Uri, (Weak<Dockerfile>, Derived)>,
}

impl Models {
    fn get(&self, uri: &Uri, file: &Arc<Dockerfile>) -> Option<Derived> {
        let (parse, derived) = self.cache.get(uri)?;
        std::ptr::eq(parse.as_ptr(), Arc::as_ptr(file)).then(|| derived.clone())
    }

    pub fn forget(&mut self, uri: &Uri) {
        self.cache.remove(uri);
    }
}

/// What every query reads: the parse, its model, the document's build context, the encoding.
pub struct Snapshot {
    pub file: Arc<Dockerfile>,
    pub model: Arc<Model>,
    pub build: Arc<BuildContext>,
    pub encoding: Encoding,
    pub snippets: bool,
    names: Arc<OnceLock<ide::NameIndex>>,
}

impl Snapshot {
    /// The snapshot of an open document; the model is built (outside the lock) when this parse has none.
    pub fn of(session: &Session, uri: &Uri) -> Option<Self> {
        let (file, build, encoding, snippets, cached) = {
            let state = session.lock();
            let doc = state.docs.get(uri)?;
            let file = doc.snapshot();
            let cached = state.models.get(uri, &file);
            (file, doc.build.clone(), state.encoding, state.caps.snippets, cached)
        };
        let (model, names) = match cached {
            Some(derived) => derived,
            None => {
                let derived = (Arc::new(Model::new(&file)), Arc::default());
                session.lock().models.cache.insert(uri.clone(), (Arc::downgrade(&file), derived.clone()));
                derived
            }
        };
        Some(Self { file, model, build, encoding, snippets, names })
    }

    /// The name index of the parse, built at the first navigation request.
    fn names(&self) -> &ide::NameIndex {
        self.names.get_or_init(|| ide::NameIndex::new(&self.file, &self.model))
    }

    fn coords(&self) -> Coords<'_> {
        Coords::of(&self.file, self.encoding)
    }

    fn offset(&self, position: Position) -> usize {
        self.coords().offset(position)
    }
}

fn refused(message: String) -> Error {
    Error { code: ErrorCode::InvalidParams, message: message.into(), data: None }
}

pub fn definition(snap: &Snapshot, uri: &Uri, position: Position) -> Option<GotoDefinitionResponse> {
    let target = snap.names().definition(snap.offset(position))?;
    Some(GotoDefinitionResponse::Scalar(Location { uri: uri.clone(), range: snap.coords().range(target) }))
}

pub fn references(snap: &Snapshot, uri: &Uri, position: Position, include_declaration: bool) -> Vec<Location> {
    let coords = snap.coords();
    snap.names()
        .references(snap.offset(position))
        .into_iter()
        .filter(|occ| include_declaration || !occ.declaration)
        .map(|occ| Location { uri: uri.clone(), range: coords.range(occ.range) })
        .collect()
}

pub fn highlights(snap: &Snapshot, position: Position) -> Vec<DocumentHighlight> {
    let coords = snap.coords();
    snap.names()
        .references(snap.offset(position))
        .into_iter()
        .map(|occ| DocumentHighlight {
            range: coords.range(occ.range),
            kind: Some(if occ.declaration { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
        })
        .collect()
}

pub fn prepare_rename(snap: &Snapshot, position: Position) -> Result<PrepareRenameResponse, Error> {
    let (range, _) = snap.names().prepare_rename(&snap.file, snap.offset(position)).map_err(refused)?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: snap.coords().range(range),
        placeholder: snap.file.slice(range).to_owned(),
    })
}

pub fn rename(snap: &Snapshot, uri: &Uri, position: Position, new_name: &str) -> Result<WorkspaceEdit, Error> {
    let edits = snap.names().rename(&snap.file, &snap.model, snap.offset(position), new_name).map_err(refused)?;
    let coords = snap.coords();
    let edits = edits.iter().map(|edit| coords.text_edit(edit)).collect();
    Ok(WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() })
}

pub fn completion(snap: &Snapshot, position: Position) -> CompletionResponse {
    let coords = snap.coords();
    let items = ide::complete(&snap.file, &snap.model, &snap.build, snap.offset(position));
    let items = items
        .into_iter()
        .enumerate()
        .map(|(rank, item)| {
            let (new_text, format) = match (item.snippet, snap.snippets) {
                (true, true) => (item.insert, InsertTextFormat::SNIPPET),
                (true, false) => (plain_text(&item.insert), InsertTextFormat::PLAIN_TEXT),
                (false, _) => (item.insert, InsertTextFormat::PLAIN_TEXT),
            };
            CompletionItem {
                kind: Some(completion_kind(item.kind)),
                detail: item.detail,
                // The analysis orders items by relevance; keep that order in clients that sort.
                sort_text: Some(format!("{rank:04}")),
                filter_text: Some(item.label.clone()),
                insert_text_format: Some(format),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range: coords.range(item.replace), new_text })),
                data: item.doc_key.map(|key| json!({ "doc": key })),
                label: item.label,
                ..CompletionItem::default()
            }
        })
        .collect();
    CompletionResponse::List(CompletionList { is_incomplete: false, items })
}

/// `completionItem/resolve`: the documentation of an item, from the key it carries.
pub fn resolve(mut item: CompletionItem) -> CompletionItem {
    let key = item.data.as_ref().and_then(|data| data["doc"].as_str());
    if let Some(markdown) = key.and_then(ide::resolve_documentation) {
        item.documentation =
            Some(Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: markdown }));
    }
    item
}

/// A snippet as plain text, for a client without snippet support: each placeholder's default, no tab stops.
fn plain_text(snippet: &str) -> String {
    let mut res = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => res.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                // `${1:default}`, `${1|a,b|}` (the first choice) or `${1}`.
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                let mode = chars.next();
                if mode == Some('}') {
                    continue;
                }
                let mut depth = 1;
                let mut first_choice = true;
                while let Some(ch) = chars.next() {
                    let escaped = if ch == '\\' { chars.next() } else { None };
                    match (mode, escaped, ch) {
                        (Some(':'), Some(literal), _) => res.push(literal),
                        (Some('|'), Some(literal), _) if first_choice => res.push(literal),
                        (_, Some(_), _) => {}
                        (_, None, '}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        (Some('|'), None, ',' | '|') => first_choice = false,
                        (Some('|'), None, ch) if first_choice => res.push(ch),
                        (Some(':'), None, '$') => {}
                        (Some(':'), None, '{') => depth += 1,
                        (Some(':'), None, ch) => res.push(ch),
                        _ => {}
                    }
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            ch => res.push(ch),
        }
    }
    res
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::Snippet => CompletionItemKind::SNIPPET,
        CompletionKind::Flag => CompletionItemKind::PROPERTY,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Stage => CompletionItemKind::CLASS,
        CompletionKind::Image => CompletionItemKind::MODULE,
        CompletionKind::Directive => CompletionItemKind::KEYWORD,
        CompletionKind::Rule => CompletionItemKind::REFERENCE,
    }
}

fn symbol_kind(role: SymbolRole) -> SymbolKind {
    match role {
        SymbolRole::Stage => SymbolKind::CLASS,
        SymbolRole::Instruction => SymbolKind::FUNCTION,
        SymbolRole::Variable => SymbolKind::VARIABLE,
    }
}

pub fn document_symbols(snap: &Snapshot) -> Vec<DocumentSymbol> {
    let coords = snap.coords();
    fn convert(coords: &Coords<'_>, symbol: ide::DocumentSymbol) -> DocumentSymbol {
        let children: Vec<DocumentSymbol> = symbol.children.into_iter().map(|child| convert(coords, child)).collect();
        #[allow(deprecated)]
        DocumentSymbol {
            name: symbol.name,
            detail: symbol.detail,
            kind: symbol_kind(symbol.role),
            tags: None,
            deprecated: None,
            range: coords.range(symbol.range),
            selection_range: coords.range(symbol.selection),
            children: (!children.is_empty()).then_some(children),
        }
    }
    ide::document_symbols(&snap.file, &snap.model).into_iter().map(|symbol| convert(&coords, symbol)).collect()
}

/// The stages and variables of one document whose name contains `query` (case-insensitively; an empty
/// query matches all).
pub fn workspace_symbols(snap: &Snapshot, uri: &Uri, query: &str) -> Vec<WorkspaceSymbol> {
    let coords = snap.coords();
    let query = query.to_lowercase();
    let mut res = Vec::new();
    let mut push = |symbol: &ide::DocumentSymbol, container: Option<&str>| {
        if symbol.role != SymbolRole::Instruction && symbol.name.to_lowercase().contains(&query) {
            res.push(WorkspaceSymbol {
                name: symbol.name.clone(),
                kind: symbol_kind(symbol.role),
                tags: None,
                container_name: container.map(str::to_owned),
                location: OneOf::Left(Location { uri: uri.clone(), range: coords.range(symbol.selection) }),
                data: None,
            });
        }
    };
    for symbol in ide::document_symbols(&snap.file, &snap.model) {
        push(&symbol, None);
        for child in &symbol.children {
            push(child, Some(&symbol.name));
        }
    }
    res
}

pub fn folding_ranges(snap: &Snapshot) -> Vec<FoldingRange> {
    let coords = snap.coords();
    ide::folding_ranges(&snap.file, &snap.model)
        .into_iter()
        .map(|fold| FoldingRange {
            start_line: coords.position(fold.range.start).line,
            start_character: None,
            end_line: coords.position(fold.range.end).line,
            end_character: None,
            kind: Some(match fold.kind {
                FoldKind::Comment => FoldingRangeKind::Comment,
                FoldKind::Stage | FoldKind::Instruction | FoldKind::Heredoc => FoldingRangeKind::Region,
            }),
            collapsed_text: None,
        })
        .collect()
}

/// The capabilities of the editing features, for `initialize`.
pub fn capabilities(caps: &mut ServerCapabilities) {
    caps.definition_provider = Some(OneOf::Left(true));
    caps.references_provider = Some(OneOf::Left(true));
    caps.document_highlight_provider = Some(OneOf::Left(true));
    caps.rename_provider = Some(OneOf::Right(RenameOptions {
        prepare_provider: Some(true),
        work_done_progress_options: Default::default(),
    }));
    caps.completion_provider = Some(CompletionOptions {
        resolve_provider: Some(true),
        trigger_characters: Some(["$", "{", "-", "=", ",", ":", " "].map(str::to_owned).to_vec()),
        ..CompletionOptions::default()
    });
    caps.document_symbol_provider = Some(OneOf::Left(true));
    caps.workspace_symbol_provider = Some(OneOf::Left(true));
    caps.folding_range_provider = Some(FoldingRangeProviderCapability::Simple(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(plain_text("FROM ${1:image} AS ${2:name}"), "FROM image AS name");
        assert_eq!(plain_text("--network=${1|default,none,host|}"), "--network=default");
        assert_eq!(plain_text("CMD [\"${1:executable}\"${2}]"), "CMD [\"executable\"]");
        assert_eq!(plain_text("--platform=${1:\\$BUILDPLATFORM}"), "--platform=$BUILDPLATFORM");
        assert_eq!(plain_text("USER ${1:65532:65532}$0"), "USER 65532:65532");
    }
}
