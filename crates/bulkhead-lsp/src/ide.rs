//! The editing features over LSP: definition, references, document highlight, rename, completion,
//! document and workspace symbols, folding, semantic tokens. The queries are `bulkhead_analysis::ide`'s, on the parse the
//! document store keeps and a [`Model`] cached per parse; this module converts coordinates and types.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, Weak};

use bulkhead_analysis::ide::{self, CompletionKind, FoldKind, HintKind, HintKinds, SymbolRole, TokenKind};
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
/// it after a change, so a burst of requests at one version builds them once. Also the semantic tokens
/// last sent for each document, which a `full/delta` request diffs against.
#[derive(Default)]
pub struct Models {
    cache: HashMap<Uri, (Weak<Dockerfile>, Derived)>,
    tokens: HashMap<Uri, (String, Arc<Vec<SemanticToken>>)>,
    next_result: u64,
}

impl Models {
    fn get(&self, uri: &Uri, file: &Arc<Dockerfile>) -> Option<Derived> {
        let (parse, derived) = self.cache.get(uri)?;
        std::ptr::eq(parse.as_ptr(), Arc::as_ptr(file)).then(|| derived.clone())
    }

    pub fn forget(&mut self, uri: &Uri) {
        self.cache.remove(uri);
        self.tokens.remove(uri);
    }
}

/// What every query reads: the parse, its model, the document's build context, the encoding.
pub struct Snapshot {
    pub file: Arc<Dockerfile>,
    pub model: Arc<Model>,
    pub build: Arc<BuildContext>,
    pub encoding: Encoding,
    pub snippets: bool,
    /// The inlay hints the editor wants.
    pub hints: HintKinds,
    names: Arc<OnceLock<ide::NameIndex>>,
}

impl Snapshot {
    /// The snapshot of an open document; the model is built (outside the lock) when this parse has none.
    pub fn of(session: &Session, uri: &Uri) -> Option<Self> {
        let (file, build, encoding, snippets, hints, cached) = {
            let state = session.lock();
            let doc = state.docs.get(uri)?;
            let file = doc.snapshot();
            let cached = state.models.get(uri, &file);
            (file, doc.build.clone(), state.encoding, state.caps.snippets, state.settings.hints, cached)
        };
        let (model, names) = match cached {
            Some(derived) => derived,
            None => {
                let derived = (Arc::new(Model::new(&file)), Arc::default());
                session.lock().models.cache.insert(uri.clone(), (Arc::downgrade(&file), derived.clone()));
                derived
            }
        };
        Some(Self { file, model, build, encoding, snippets, hints, names })
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

/// The token types of the legend, in the order [`token_type`] indexes them.
const TOKEN_TYPES: [SemanticTokenType; 10] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::STRING,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::CLASS,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::MACRO,
    SemanticTokenType::ENUM_MEMBER,
];

/// The token modifiers of the legend: bit 0 and bit 1.
const TOKEN_MODIFIERS: [SemanticTokenModifier; 2] =
    [SemanticTokenModifier::DECLARATION, SemanticTokenModifier::DEFAULT_LIBRARY];

/// A token kind's index in [`TOKEN_TYPES`]: flags are parameters, their values enum members (a choice
/// the flag offers), stage names classes (as in the outline), images namespaces, directives macros.
fn token_type(kind: TokenKind) -> u32 {
    match kind {
        TokenKind::Keyword => 0,
        TokenKind::Flag => 1,
        TokenKind::String => 2,
        TokenKind::Variable => 3,
        TokenKind::Stage => 4,
        TokenKind::Image => 5,
        TokenKind::Number => 6,
        TokenKind::Comment => 7,
        TokenKind::Directive => 8,
        TokenKind::FlagValue => 9,
    }
}

/// The tokens of a document (of `range`, when given), encoded relative to each other, one per line
/// piece: a token over a line continuation becomes one token per line.
fn encoded_tokens(snap: &Snapshot, range: Option<Range>) -> Vec<SemanticToken> {
    let coords = snap.coords();
    let within = range.map(|range| coords.text_range(range));
    let tokens = ide::semantic_tokens(&snap.file, &snap.model, snap.names(), within);
    let (text, lines) = (snap.file.text(), snap.file.line_index());
    let mut res = Vec::with_capacity(tokens.len());
    let mut previous = Position::default();
    for token in tokens {
        let modifiers = u32::from(token.declaration) | (u32::from(token.predefined) << 1);
        for line in lines.line_of(token.range.start)..=lines.line_of(token.range.end) {
            let start = token.range.start.max(lines.line_start(line));
            let end = token.range.end.min(lines.line_content_end(text, line));
            if start >= end {
                continue;
            }
            let (from, to) = (coords.position(start), coords.position(end));
            let delta_start =
                if from.line == previous.line { from.character - previous.character } else { from.character };
            res.push(SemanticToken {
                delta_line: from.line - previous.line,
                delta_start,
                length: to.character.saturating_sub(from.character),
                token_type: token_type(token.kind),
                token_modifiers_bitset: modifiers,
            });
            previous = from;
        }
    }
    res
}

/// `textDocument/semanticTokens/full`: every token, remembered under a new result id for a later delta.
pub fn semantic_tokens_full(session: &Session, uri: &Uri) -> Option<SemanticTokensResult> {
    let snap = Snapshot::of(session, uri)?;
    let data = Arc::new(encoded_tokens(&snap, None));
    let result_id = remember_tokens(session, uri, data.clone());
    Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: Some(result_id), data: data.to_vec() }))
}

/// `textDocument/semanticTokens/full/delta`: the edit from the tokens sent under `previous` to today's
/// (the whole list when the server no longer has them).
pub fn semantic_tokens_delta(session: &Session, uri: &Uri, previous: &str) -> Option<SemanticTokensFullDeltaResult> {
    let snap = Snapshot::of(session, uri)?;
    let data = Arc::new(encoded_tokens(&snap, None));
    let old = session.lock().models.tokens.get(uri).filter(|(id, _)| id == previous).map(|(_, old)| old.clone());
    let result_id = remember_tokens(session, uri, data.clone());
    let Some(old) = old else {
        return Some(SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
            result_id: Some(result_id),
            data: data.to_vec(),
        }));
    };
    let prefix = old.iter().zip(data.iter()).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(data.len()) - prefix;
    let suffix = old.iter().rev().zip(data.iter().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let edits = if old.len() == data.len() && prefix == old.len() {
        Vec::new()
    } else {
        // Positions in the flat array of five integers per token.
        vec![SemanticTokensEdit {
            start: (prefix * 5) as u32,
            delete_count: ((old.len() - prefix - suffix) * 5) as u32,
            data: Some(data[prefix..data.len() - suffix].to_vec()),
        }]
    };
    Some(SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id: Some(result_id), edits }))
}

/// `textDocument/semanticTokens/range`.
pub fn semantic_tokens_range(snap: &Snapshot, range: Range) -> SemanticTokensRangeResult {
    SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data: encoded_tokens(snap, Some(range)) })
}

fn remember_tokens(session: &Session, uri: &Uri, data: Arc<Vec<SemanticToken>>) -> String {
    let mut state = session.lock();
    state.models.next_result += 1;
    let result_id = state.models.next_result.to_string();
    state.models.tokens.insert(uri.clone(), (result_id.clone(), data));
    result_id
}

/// `textDocument/inlayHint`: the hints of the instructions `range` touches, the kinds the settings allow.
pub fn inlay_hints(snap: &Snapshot, range: Range) -> Vec<InlayHint> {
    let coords = snap.coords();
    let within = coords.text_range(range);
    ide::inlay_hints(&snap.file, &snap.model, &snap.build, within, snap.hints)
        .into_iter()
        .map(|hint| InlayHint {
            position: coords.position(hint.offset),
            label: InlayHintLabel::String(hint.label),
            kind: Some(match hint.kind {
                HintKind::ArgValue => InlayHintKind::PARAMETER,
                HintKind::User | HintKind::StageIndex => InlayHintKind::TYPE,
            }),
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(
                match hint.kind {
                    HintKind::User => "The user this runs as (no `USER` earlier in this stage)",
                    HintKind::ArgValue => "The value this variable has in the `FROM` line",
                    HintKind::StageIndex => "The stage this index means",
                }
                .to_owned(),
            )),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

/// `textDocument/documentLink`: image references and the rule codes of ignore comments.
pub fn document_links(snap: &Snapshot) -> Vec<DocumentLink> {
    let coords = snap.coords();
    ide::document_links(&snap.file, &snap.model)
        .into_iter()
        // A link whose target is not a URI is no link.
        .filter_map(|link| {
            Some(DocumentLink {
                range: coords.range(link.range),
                target: Some(link.target.parse().ok()?),
                tooltip: Some(link.tooltip),
                data: None,
            })
        })
        .collect()
}

/// `textDocument/signatureHelp`: the forms of the instruction at the cursor.
pub fn signature_help(snap: &Snapshot, position: Position) -> Option<SignatureHelp> {
    let help = ide::signature_help(&snap.file, snap.offset(position))?;
    let signatures = help
        .signatures
        .into_iter()
        .map(|signature| {
            // The labels are ASCII but for `…`: count UTF-16 units, as the protocol's offsets do.
            let units = |byte: usize| signature.label[..byte].encode_utf16().count() as u32;
            SignatureInformation {
                label: signature.label.to_owned(),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: signature.documentation.to_owned(),
                })),
                parameters: Some(
                    signature
                        .parameters
                        .iter()
                        .map(|param| ParameterInformation {
                            label: ParameterLabel::LabelOffsets([units(param.start), units(param.end)]),
                            documentation: None,
                        })
                        .collect(),
                ),
                active_parameter: None,
            }
        })
        .collect();
    Some(SignatureHelp {
        signatures,
        active_signature: Some(help.active_signature as u32),
        active_parameter: help.active_parameter.map(|p| p as u32),
    })
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
    caps.semantic_tokens_provider =
        Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: SemanticTokensLegend {
                token_types: TOKEN_TYPES.to_vec(),
                token_modifiers: TOKEN_MODIFIERS.to_vec(),
            },
            range: Some(true),
            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
            work_done_progress_options: Default::default(),
        }));
    caps.inlay_hint_provider = Some(OneOf::Left(true));
    caps.document_link_provider =
        Some(DocumentLinkOptions { resolve_provider: Some(false), work_done_progress_options: Default::default() });
    caps.signature_help_provider = Some(SignatureHelpOptions {
        trigger_characters: Some(vec![" ".to_owned()]),
        retrigger_characters: Some(vec!["=".to_owned(), ",".to_owned()]),
        work_done_progress_options: Default::default(),
    });
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
