//! The instruction layer: one value per Dockerfile instruction, with its keyword, flags, arguments,
//! heredocs and byte ranges.

use std::sync::Arc;

use crate::logical::LogicalText;
use crate::shell::ShellScript;
use crate::words::{self, Word};
use crate::{CompactText, TextRange};

/// The instruction keywords Docker knows, plus `Unknown` for anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstructionKind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl InstructionKind {
    pub const ALL: [InstructionKind; 18] = [
        Self::Add,
        Self::Arg,
        Self::Cmd,
        Self::Copy,
        Self::Entrypoint,
        Self::Env,
        Self::Expose,
        Self::From,
        Self::Healthcheck,
        Self::Label,
        Self::Maintainer,
        Self::Onbuild,
        Self::Run,
        Self::Shell,
        Self::Stopsignal,
        Self::User,
        Self::Volume,
        Self::Workdir,
    ];

    /// The kind of a keyword, case-insensitively.
    pub fn from_keyword(keyword: &str) -> Self {
        Self::ALL.into_iter().find(|kind| kind.keyword().eq_ignore_ascii_case(keyword)).unwrap_or(Self::Unknown)
    }

    /// The canonical upper-case keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Add => "ADD",
            Self::Arg => "ARG",
            Self::Cmd => "CMD",
            Self::Copy => "COPY",
            Self::Entrypoint => "ENTRYPOINT",
            Self::Env => "ENV",
            Self::Expose => "EXPOSE",
            Self::From => "FROM",
            Self::Healthcheck => "HEALTHCHECK",
            Self::Label => "LABEL",
            Self::Maintainer => "MAINTAINER",
            Self::Onbuild => "ONBUILD",
            Self::Run => "RUN",
            Self::Shell => "SHELL",
            Self::Stopsignal => "STOPSIGNAL",
            Self::User => "USER",
            Self::Volume => "VOLUME",
            Self::Workdir => "WORKDIR",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// Instructions whose arguments may carry heredocs.
    pub fn allows_heredocs(self) -> bool {
        matches!(self, Self::Run | Self::Copy | Self::Add)
    }

    /// Instructions whose arguments may be a JSON array (exec form).
    pub fn allows_json(self) -> bool {
        matches!(self, Self::Run | Self::Cmd | Self::Entrypoint | Self::Shell | Self::Copy | Self::Add | Self::Volume)
    }
}

/// A `--name` or `--name=value` flag before an instruction's arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The name without the leading dashes.
    pub name: String,
    pub value: Option<Word>,
    pub range: TextRange,
}

/// A heredoc attached to an instruction: `<<EOF` on the instruction line, a body, and a terminator line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, quotes removed.
    pub name: String,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// The delimiter was quoted: the body is not expanded.
    pub quoted: bool,
    /// The `<<EOF` marker on the instruction line.
    pub marker: TextRange,
    /// The body lines, from the start of the first to the end of the line break before the terminator.
    pub body: TextRange,
    /// The terminator line's content.
    pub terminator: TextRange,
}

/// One instruction of a Dockerfile.
#[derive(Clone, Debug)]
pub struct Instruction {
    pub kind: InstructionKind,
    /// The keyword as written.
    pub keyword: Word,
    /// From the keyword to the end of the last line of the instruction (line break excluded), heredoc
    /// bodies and terminators included.
    pub range: TextRange,
    pub flags: Vec<Flag>,
    /// The arguments after the flags as one word: raw text with continuations removed, and its range.
    /// `None` when the instruction has no arguments.
    pub rest: Option<Word>,
    /// The arguments after the flags split at unquoted whitespace (empty in exec form, and for a
    /// shell-form `RUN`: read [`Self::shell`] instead).
    pub words: Vec<Word>,
    /// The arguments as a JSON string array (exec form), when they are one.
    pub json: Option<Vec<Word>>,
    pub heredocs: Vec<Heredoc>,
    /// The instruction that `ONBUILD` registers.
    pub trigger: Option<Box<Instruction>>,
    /// The parsed shell of a shell-form `RUN` (and of an `ONBUILD RUN`'s trigger).
    pub shell: Option<Arc<ShellScript>>,
    pub(crate) logical: LogicalText,
    pub(crate) args_start: usize,
    pub(crate) escape: char,
}

impl Instruction {
    /// The flag called `name` (the last one wins, as in Docker).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|flag| flag.name.eq_ignore_ascii_case(name))
    }

    /// The first flag that BuildKit reads as a string but that has no `=value` (`COPY --from build src
    /// dst`): the builder rejects the instruction ("missing a value on flag"), and the word meant as its
    /// value is read as an argument.
    pub fn flag_missing_value(&self) -> Option<&Flag> {
        let takes_value: &[&str] = match self.kind {
            InstructionKind::Copy => &["from", "chown", "chmod", "exclude"],
            InstructionKind::Add => &["chown", "chmod", "checksum", "exclude"],
            InstructionKind::Run => &["mount", "network", "security"],
            InstructionKind::From => &["platform"],
            _ => &[],
        };
        self.flags
            .iter()
            .find(|flag| flag.value.is_none() && takes_value.iter().any(|name| flag.name.eq_ignore_ascii_case(name)))
    }

    /// The value of the flag called `name`.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name).and_then(|flag| flag.value.as_ref()).map(|value| value.value.as_str())
    }

    /// All flags called `name`.
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |flag| flag.name.eq_ignore_ascii_case(name))
    }

    /// The range of the instruction line (or lines, with continuations), heredoc bodies excluded.
    pub fn line_range(&self) -> TextRange {
        let span = self.logical.doc_span();
        TextRange::new(self.range.start, span.end.max(self.range.start))
    }

    /// The escape character in force for this instruction.
    pub fn escape(&self) -> char {
        self.escape
    }

    /// The arguments as values: the JSON strings in exec form, else the words.
    pub fn arg_values(&self) -> impl Iterator<Item = &Word> {
        self.json.as_deref().unwrap_or(&self.words).iter()
    }

    /// True for `RUN`/`CMD`/`ENTRYPOINT` in exec form.
    pub fn is_exec_form(&self) -> bool {
        self.json.is_some()
    }

    /// In exec form, the one command the instruction runs, no shell involved (see
    /// [`ShellCommand::from_exec_words`]: its ranges are document ranges).
    pub fn exec_command(&self) -> Option<crate::shell::ShellCommand> {
        crate::shell::ShellCommand::from_exec_words(self.json.as_deref()?)
    }

    /// The arguments starting at the `index`-th word (counted after the flags), as words or a JSON array.
    /// `HEALTHCHECK CMD ["a"]` uses this with index 1.
    pub fn tail_from_word(&self, index: usize) -> Tail {
        let Some(word) = self.words.get(index) else {
            return Tail::None;
        };
        let Some(logical_start) = self.logical.logical_of(word.range.start) else {
            return Tail::None;
        };
        let text = self.logical.as_str();
        if let Some(items) = words::parse_json_array(text, logical_start) {
            return Tail::Json(items.into_iter().map(|s| self.word_at(s.start, s.end, s.value)).collect());
        }
        let end = text.trim_end_matches(words::is_space).len();
        let raw = CompactText::new(text.get(logical_start..end).unwrap_or_default());
        Tail::Shell(Word {
            value: raw.clone(),
            raw,
            range: self.logical.doc_range(TextRange::new(logical_start, end.max(logical_start))),
        })
    }

    /// The instruction's joined text (keyword included), with escaped newlines and skipped lines removed.
    pub fn logical_text(&self) -> &str {
        self.logical.as_str()
    }

    /// The document range of a byte range of [`Self::logical_text`].
    pub fn doc_range_of_logical(&self, logical: TextRange) -> TextRange {
        self.logical.doc_range(logical)
    }

    pub(crate) fn word_at(&self, start: usize, end: usize, value: String) -> Word {
        let raw = CompactText::new(self.logical.as_str().get(start..end).unwrap_or_default());
        // Most words have no quotes or escapes: the value shares the raw text.
        let value = if raw == value { raw.clone() } else { value.into() };
        Word { raw, value, range: self.logical.doc_range(TextRange::new(start, end)) }
    }

    /// Logical offset where the arguments (flags included) start.
    pub fn args_offset(&self) -> usize {
        self.args_start
    }

    /// Moves every document offset by `delta` bytes: the instruction is reused from an earlier parse of a
    /// text that grew or shrank before it.
    pub(crate) fn shift(&mut self, delta: isize) {
        let range = |r: &mut TextRange| *r = shift_range(*r, delta);
        range(&mut self.range);
        self.keyword.range = shift_range(self.keyword.range, delta);
        for flag in &mut self.flags {
            range(&mut flag.range);
            if let Some(value) = &mut flag.value {
                range(&mut value.range);
            }
        }
        if let Some(rest) = &mut self.rest {
            range(&mut rest.range);
        }
        for word in self.words.iter_mut().chain(self.json.iter_mut().flatten()) {
            range(&mut word.range);
        }
        for heredoc in &mut self.heredocs {
            range(&mut heredoc.marker);
            range(&mut heredoc.body);
            range(&mut heredoc.terminator);
        }
        if let Some(trigger) = &mut self.trigger {
            trigger.shift(delta);
        }
        if let Some(shell) = &mut self.shell {
            match Arc::get_mut(shell) {
                Some(own) => own.shift(delta),
                None => {
                    let mut moved = ShellScript::clone(shell);
                    moved.shift(delta);
                    *shell = Arc::new(moved);
                }
            }
        }
        self.logical.shift(delta);
    }
}

/// `range` moved by `delta` bytes.
pub(crate) fn shift_range(range: TextRange, delta: isize) -> TextRange {
    TextRange::new(range.start.saturating_add_signed(delta), range.end.saturating_add_signed(delta))
}

/// The tail of an instruction from some word on (see [`Instruction::tail_from_word`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tail {
    None,
    Json(Vec<Word>),
    Shell(Word),
}

/// A parser directive at the top of the file (`# syntax=`, `# escape=`, `# check=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case name.
    pub name: String,
    pub value: String,
    pub range: TextRange,
    pub value_range: TextRange,
}

/// A comment line (a line whose first non-blank character is `#`), directives excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole line content, `#` included.
    pub range: TextRange,
    /// The text after `#`, trimmed.
    pub text: String,
    /// The comment sits inside an instruction's continuation (Docker drops it).
    pub in_continuation: bool,
}
