//! Semantic tokens: what each piece of an instruction is, for the editor's colours. Keywords (and `AS`,
//! the `CMD`/`NONE` of `HEALTHCHECK`, an `ONBUILD` trigger's keyword), flags and their values, variables
//! (declarations and uses, with the predefined platform arguments marked), stage names, image
//! references, quoted strings and exec-form JSON strings, `EXPOSE` ports, comments and parser directives.
//! Heredoc bodies are left to the client (it may highlight them as the shell or the file they hold).
//!
//! The tokens are sorted, never overlap, and lie inside the text on character boundaries; a token may
//! span a line continuation (the server splits it per line).

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange, Word};

use crate::ide::navigation::{NameIndex, SymbolKind};
use crate::model::{Base, Model, PLATFORM_ARGS};

/// What a token is; the server maps each to a standard LSP token type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Flag,
    /// A flag's value (`--network=none`: `none`).
    FlagValue,
    Variable,
    Stage,
    Image,
    String,
    Number,
    Comment,
    /// A parser directive's name (`# syntax=`), its value being a [`TokenKind::String`].
    Directive,
}

/// One semantic token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenKind,
    /// A declaration (`ARG X`, `AS name`) rather than a use.
    pub declaration: bool,
    /// A name Docker predefines (`TARGETPLATFORM`, `scratch`).
    pub predefined: bool,
}

impl Token {
    fn new(range: TextRange, kind: TokenKind) -> Self {
        Self { range, kind, declaration: false, predefined: false }
    }
}

/// The tokens of a file (of the instructions, comments and directives that touch `within`, when given),
/// sorted and disjoint.
pub fn semantic_tokens(file: &Dockerfile, model: &Model, names: &NameIndex, within: Option<TextRange>) -> Vec<Token> {
    let wanted =
        |range: TextRange| within.is_none_or(|w| range.start < w.end && w.start < range.end.max(range.start + 1));
    let mut base = Vec::new();
    for directive in file.directives().iter().filter(|d| wanted(d.range)) {
        let value = directive.value_range;
        if directive.range.contains_range(value) {
            base.push(Token::new(TextRange::new(directive.range.start, value.start), TokenKind::Directive));
            base.push(Token::new(value, TokenKind::String));
        } else {
            base.push(Token::new(directive.range, TokenKind::Directive));
        }
    }
    for comment in file.comments().iter().filter(|c| wanted(c.range)) {
        base.push(Token::new(comment.range, TokenKind::Comment));
    }
    let image_ranges: Vec<TextRange> = model.image_uses(file).into_iter().map(|image_use| image_use.range).collect();
    for (idx, instruction) in file.instructions().iter().enumerate() {
        if wanted(instruction.range) {
            instruction_tokens(model, idx, instruction, &image_ranges, &mut base);
        }
    }
    // Names are finer than what holds them (`alpine:${V}`, `--from=build`): they cut the token around them.
    let heredoc_bodies: Vec<TextRange> =
        file.instructions().iter().flat_map(|i| i.heredocs.iter().map(|h| h.body)).collect();
    let mut names: Vec<Token> = names
        .occurrences()
        .iter()
        .filter(|occ| occ.kind != SymbolKind::Heredoc && wanted(occ.range))
        .filter(|occ| !heredoc_bodies.iter().any(|body| body.contains_range(occ.range) && !body.is_empty()))
        .map(|occ| {
            let kind = if occ.kind == SymbolKind::Stage { TokenKind::Stage } else { TokenKind::Variable };
            let predefined = occ.kind == SymbolKind::Variable
                && occ.target.is_none()
                && PLATFORM_ARGS.contains(&file.slice(occ.range));
            Token { range: occ.range, kind, declaration: occ.declaration, predefined }
        })
        .collect();
    names.sort_by_key(|token| token.range.start);
    names.dedup_by(|b, a| b.range.start < a.range.end);
    let mut res = cut(base, &names);
    res.extend(names);
    res.retain(|token| {
        !token.range.is_empty()
            && token.range.end <= file.text().len()
            && file.text().is_char_boundary(token.range.start)
            && file.text().is_char_boundary(token.range.end)
    });
    res.sort_by_key(|token| (token.range.start, token.range.end));
    // Whatever the parse said, never hand out overlapping tokens: the first one wins.
    let mut end = 0;
    res.retain(|token| {
        let keep = token.range.start >= end;
        if keep {
            end = token.range.end;
        }
        keep
    });
    res
}

/// The tokens of one instruction's keyword, flags and arguments (names come from the index).
fn instruction_tokens(
    model: &Model,
    idx: usize,
    instruction: &Instruction,
    images: &[TextRange],
    out: &mut Vec<Token>,
) {
    if instruction.kind != InstructionKind::Unknown {
        out.push(Token::new(instruction.keyword.range, TokenKind::Keyword));
    }
    for flag in &instruction.flags {
        let name_end = flag.value.as_ref().map_or(flag.range.end, |value| value.range.start.saturating_sub(1));
        out.push(Token::new(TextRange::new(flag.range.start, name_end.max(flag.range.start)), TokenKind::Flag));
        if let Some(value) = &flag.value {
            // `COPY --from=` reports its image at the value, `RUN --mount=from=` at the flag.
            let image = images.contains(&value.range) || images.contains(&flag.range);
            let kind = if image { TokenKind::Image } else { TokenKind::FlagValue };
            out.push(Token::new(value.range, kind));
        }
    }
    if let Some(json) = &instruction.json {
        out.extend(json.iter().map(|word| Token::new(word.range, TokenKind::String)));
    }
    let words = &instruction.words;
    match instruction.kind {
        InstructionKind::From => {
            if let Some(stage) = model.stage_of(idx).filter(|stage| stage.from == idx)
                && let Some(range) = stage.base_range
            {
                match stage.base {
                    Base::Image(_) | Base::Unresolved(_) if images.contains(&range) => {
                        out.push(Token::new(range, TokenKind::Image));
                    }
                    Base::Scratch => {
                        out.push(Token { predefined: true, ..Token::new(range, TokenKind::Image) });
                    }
                    _ => {}
                }
            }
            if let Some(word) = words.get(1).filter(|word| word.value.eq_ignore_ascii_case("as")) {
                out.push(Token::new(word.range, TokenKind::Keyword));
            }
        }
        InstructionKind::Healthcheck => {
            if let Some(word) =
                words.first().filter(|w| matches!(w.value.to_ascii_uppercase().as_str(), "CMD" | "NONE"))
            {
                out.push(Token::new(word.range, TokenKind::Keyword));
            }
        }
        InstructionKind::Expose => {
            out.extend(words.iter().map(|word| Token::new(word.range, TokenKind::Number)));
        }
        InstructionKind::Onbuild => {
            if let Some(trigger) = &instruction.trigger {
                instruction_tokens(model, idx, trigger, images, out);
            }
        }
        // A shell-form `RUN` is the shell's: its words are not the instruction's.
        InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint | InstructionKind::Unknown => {}
        _ if instruction.json.is_none() => {
            for word in words {
                quoted(word, out);
            }
        }
        _ => {}
    }
}

/// A string token from the first quote of a one-line word to its end (`A="x y"`: `"x y"`).
fn quoted(word: &Word, out: &mut Vec<Token>) {
    if word.raw.contains('\n') || word.range.len() != word.raw.len() {
        return;
    }
    if let Some(quote) = word.raw.find(['"', '\'']) {
        out.push(Token::new(TextRange::new(word.range.start + quote, word.range.end), TokenKind::String));
    }
}

/// `base` with the ranges of `names` (sorted, disjoint) cut out of each token.
fn cut(base: Vec<Token>, names: &[Token]) -> Vec<Token> {
    let mut res = Vec::with_capacity(base.len());
    for token in base {
        let first = names.partition_point(|name| name.range.end <= token.range.start);
        let mut start = token.range.start;
        for name in names[first..].iter().take_while(|name| name.range.start < token.range.end) {
            if name.range.start > start {
                res.push(Token { range: TextRange::new(start, name.range.start), ..token });
            }
            start = start.max(name.range.end);
        }
        if start < token.range.end {
            res.push(Token { range: TextRange::new(start, token.range.end), ..token });
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, TokenKind, bool)> {
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        let names = NameIndex::new(&file, &model);
        semantic_tokens(&file, &model, &names, None)
            .into_iter()
            .map(|token| (file.slice(token.range).to_owned(), token.kind, token.declaration))
            .collect()
    }

    #[test]
    fn every_piece_of_a_file() {
        use TokenKind::*;
        let text = "# syntax=docker/dockerfile:1\n# a comment\nARG V=3.20\nFROM --platform=$BUILDPLATFORM alpine:${V} AS build\n\
                    ENV A=\"x y\"\nRUN --network=none echo $A\nEXPOSE 8080\nFROM scratch\nCOPY --from=build /a /\n\
                    COPY --from=nginx:1 /b /\nCMD [\"/a\"]\n";
        let got = tokens(text);
        let expected: Vec<(&str, TokenKind, bool)> = vec![
            ("# syntax=", Directive, false),
            ("docker/dockerfile:1", String, false),
            ("# a comment", Comment, false),
            ("ARG", Keyword, false),
            ("V", Variable, true),
            ("FROM", Keyword, false),
            ("--platform", Flag, false),
            ("$", FlagValue, false),
            ("BUILDPLATFORM", Variable, false),
            ("alpine:${", Image, false),
            ("V", Variable, false),
            ("}", Image, false),
            ("AS", Keyword, false),
            ("build", Stage, true),
            ("ENV", Keyword, false),
            ("A", Variable, true),
            ("\"x y\"", String, false),
            ("RUN", Keyword, false),
            ("--network", Flag, false),
            ("none", FlagValue, false),
            ("A", Variable, false),
            ("EXPOSE", Keyword, false),
            ("8080", Number, false),
            ("FROM", Keyword, false),
            ("scratch", Image, false),
            ("COPY", Keyword, false),
            ("--from", Flag, false),
            ("build", Stage, false),
            ("COPY", Keyword, false),
            ("--from", Flag, false),
            ("nginx:1", Image, false),
            ("CMD", Keyword, false),
            ("\"/a\"", String, false),
        ];
        let got: Vec<(&str, TokenKind, bool)> = got.iter().map(|(t, k, d)| (t.as_str(), *k, *d)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn heredoc_bodies_are_left_alone_and_tokens_never_overlap() {
        let text = "FROM alpine\nRUN <<EOF\necho $HOME\nEOF\nONBUILD RUN echo\nfrom\n--x\nCOPY --from= \\\n  a b\n";
        let got = tokens(text);
        assert!(!got.iter().any(|(text, _, _)| text == "HOME"), "{got:?}");
        assert!(got.iter().any(|(text, kind, _)| text == "RUN" && *kind == TokenKind::Keyword));
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        let all = semantic_tokens(&file, &model, &NameIndex::new(&file, &model), None);
        for pair in all.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start, "{pair:?}");
        }
    }

    #[test]
    fn a_range_request_gets_the_instructions_it_touches() {
        let text = "FROM alpine\nRUN a\nUSER app\n";
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        let names = NameIndex::new(&file, &model);
        let line = TextRange::new(12, 17);
        let got: Vec<&str> =
            semantic_tokens(&file, &model, &names, Some(line)).iter().map(|t| file.slice(t.range)).collect();
        assert_eq!(got, ["RUN"]);
    }
}
