//! Dockerfile syntax for bulkhead.
//!
//! [`parse`] turns text into a [`Dockerfile`]: parser directives, comments and [`Instruction`]s with
//! their flags, words, JSON arrays, heredocs and byte ranges, and for every shell-form `RUN` the shell
//! commands parsed with tree-sitter-bash. [`Document`] keeps a text (no rope) and re-parses it after edits,
//! reusing the shell parses of unchanged instructions.
//!
//! Invariant: parsing never fails and never panics. Broken text gives instructions plus [`SyntaxError`]s,
//! and an error stays inside the instruction that has it.
//!
//! Invariant: this crate knows nothing of LSP, JSON or files. Offsets are bytes into the text; [`LineIndex`]
//! converts them to lines and columns.

mod compact;
mod document;
pub mod format;
mod instruction;
mod lexer;
mod logical;
mod mount;
pub mod shell;
mod shell_pass;
mod text;
mod words;
pub mod yaml;

use std::sync::Arc;

pub use compact::CompactText;
pub use document::{Document, TextEdit};
pub use instruction::{Comment, Directive, Flag, Heredoc, Instruction, InstructionKind, Tail};
pub use mount::{Mount, MountOption, MountType};
pub use shell::{ShellCache, ShellCommand, ShellMode, ShellOperator, ShellScript, ShellWord};
pub use text::{ColumnUnit, LineCol, LineIndex, TextRange, floor_char_boundary};
pub use words::Word;

/// What kind of syntax error the lexer found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    UnknownInstruction,
    MissingArguments,
    UnterminatedHeredoc,
    InvalidEscape,
    /// A flag that needs a value written without one (`COPY --from build src dst`).
    MissingFlagValue,
}

/// A syntax error: the instruction (or directive) is kept, and this says what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
}

/// A parsed Dockerfile: an immutable value, cheap to share.
#[derive(Clone, Debug)]
pub struct Dockerfile {
    text: Arc<str>,
    line_index: LineIndex,
    directives: Vec<Directive>,
    escape: char,
    instructions: Vec<Instruction>,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
    /// What an incremental re-parse needs.
    spans: lexer::Spans,
}

impl Dockerfile {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        self.text.clone()
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// The directive called `name` (lower case), if present.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The escape character: `\` unless `# escape=`` ` `` says otherwise.
    pub fn escape(&self) -> char {
        self.escape
    }

    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }

    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The line break the file uses: `\r\n` when its first line break is one, else `\n`.
    pub fn newline(&self) -> &'static str {
        match self.text.find('\n') {
            Some(idx) if idx > 0 && self.text.as_bytes()[idx - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// The text of a range (empty when the range is not valid for this text).
    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or_default()
    }

    /// The instruction whose range holds `offset` (a cursor at its end counts).
    pub fn instruction_at(&self, offset: usize) -> Option<&Instruction> {
        let idx = self.instructions.partition_point(|i| i.range.end < offset);
        self.instructions.get(idx).filter(|i| i.range.touches(offset))
    }
}

/// Parses a Dockerfile.
pub fn parse(text: &str) -> Dockerfile {
    parse_with_cache(Arc::from(text), None)
}

/// Parses a Dockerfile, reusing shell parses from `cache` when given. Without one, a cache of this parse
/// alone still parses each distinct shell script once: a file that repeats a `RUN` (a long file made of
/// many similar stages) shares one parse, which is most of a check's time.
pub fn parse_with_cache(text: Arc<str>, cache: Option<&mut ShellCache>) -> Dockerfile {
    let lexed = lexer::lex(&text);
    let line_index = LineIndex::new(&text);
    match cache {
        Some(cache) => build(text, line_index, lexed, Some(cache)),
        None => build(text, line_index, lexed, Some(&ShellCache::new())),
    }
}

/// Parses `text`, an edited version of `previous`'s text, reusing what the edit cannot have changed: the
/// instructions before and after it (moved by the edit's change in length), the line starts outside it,
/// and shell parses from `cache`. The result is the same as [`parse_with_cache`]'s: the cost is that of
/// the instructions the edit touches, plus a copy-sized pass over the rest.
pub fn reparse(previous: Dockerfile, text: Arc<str>, cache: Option<&mut ShellCache>) -> Dockerfile {
    let Dockerfile { text: old_text, line_index, directives, escape, instructions, comments, errors, spans } = previous;
    let old = lexer::Lexed { directives, escape, instructions, comments, errors, spans };
    let (prefix, suffix) = lexer::common_ends(old_text.as_bytes(), text.as_bytes());
    let line_index = line_index.edited(&text, prefix, suffix);
    let lexed = lexer::relex(old, &old_text, &text, prefix, suffix);
    build(text, line_index, lexed, cache.as_deref())
}

fn build(text: Arc<str>, line_index: LineIndex, lexed: lexer::Lexed, cache: Option<&ShellCache>) -> Dockerfile {
    let mut instructions = lexed.instructions;
    shell_pass::attach(&text, lexed.escape, &mut instructions, cache);
    Dockerfile {
        line_index,
        directives: lexed.directives,
        escape: lexed.escape,
        instructions,
        comments: lexed.comments,
        errors: lexed.errors,
        spans: lexed.spans,
        text,
    }
}
