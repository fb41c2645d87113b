//! The shell inside `RUN`, parsed with tree-sitter-bash into commands (program, arguments, prefix
//! assignments) with their ranges.
//!
//! The shell text of one instruction is assembled as Docker hands it to `/bin/sh -c`: the logical line
//! after the flags, followed by the heredoc bodies, or the first heredoc's body alone when the instruction
//! is nothing but heredoc markers (`RUN <<EOF`). Each instruction is parsed on its own, so an unterminated
//! quote in one `RUN` never leaks into the next. Parses are pure functions of the shell text, which lets
//! [`ShellCache`] reuse them across edits: typing in one `RUN` re-parses only that `RUN`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use tree_sitter::{Node, Parser};

use crate::TextRange;
use crate::instruction::{Instruction, InstructionKind};
use crate::logical::LogicalText;

/// A word of a shell command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// Range in the shell source (see [`ShellScript::doc_range`]).
    pub range: TextRange,
    /// The word's value when it is fully literal (quotes removed, escapes applied); `None` when it
    /// holds an expansion or command substitution.
    pub value: Option<String>,
}

/// One simple command: `NAME=value program arg...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// Range in the shell source of the whole command (redirections excluded).
    pub range: TextRange,
    /// Prefix assignments (`DEBIAN_FRONTEND=noninteractive apt-get ...`): name and value.
    pub env: Vec<(String, ShellWord)>,
    pub name: Option<ShellWord>,
    pub args: Vec<ShellWord>,
}

impl ShellCommand {
    /// The program's base name (`/usr/bin/apt-get` → `apt-get`), when literal.
    pub fn program(&self) -> Option<&str> {
        let value = self.name.as_ref()?.value.as_deref()?;
        Some(value.rsplit('/').next().unwrap_or(value))
    }

    /// Literal argument values, in order (non-literal arguments are skipped).
    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().filter_map(|arg| arg.value.as_deref())
    }

    /// True when a literal argument equals `value`.
    pub fn has_arg(&self, value: &str) -> bool {
        self.arg_values().any(|arg| arg == value)
    }
}

/// The parse of one shell source, independent of where that source sits in the document.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedShell {
    pub commands: Vec<ShellCommand>,
    /// The parser found a syntax error.
    pub has_error: bool,
    /// End of the last top-level statement (comments excluded), in source coordinates.
    pub last_statement_end: Option<usize>,
}

/// How the shell text of an instruction was assembled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellMode {
    /// The instruction's own command line, heredoc bodies (if any) following as data.
    CommandLine,
    /// `RUN <<EOF`: the heredoc body is the script.
    HeredocScript,
}

/// The shell of one instruction: its source text, the parse, and the map back to the document.
#[derive(Debug)]
pub struct ShellScript {
    source: LogicalText,
    parsed: Arc<ParsedShell>,
    mode: ShellMode,
}

impl ShellScript {
    pub fn source(&self) -> &str {
        self.source.as_str()
    }

    pub fn mode(&self) -> ShellMode {
        self.mode
    }

    pub fn commands(&self) -> &[ShellCommand] {
        &self.parsed.commands
    }

    pub fn has_error(&self) -> bool {
        self.parsed.has_error
    }

    /// Text of a range in source coordinates.
    pub fn text(&self, range: TextRange) -> &str {
        self.source.as_str().get(range.as_range()).unwrap_or_default()
    }

    /// Document range of a range in source coordinates.
    pub fn doc_range(&self, range: TextRange) -> TextRange {
        self.source.doc_range(range)
    }

    /// Document offset right after the last top-level statement, where a command can be appended.
    pub fn last_statement_end(&self) -> Option<usize> {
        self.parsed.last_statement_end.map(|end| self.source.doc_end(end))
    }
}

/// Parses of shell sources by text, kept across edits by a long-lived document.
#[derive(Default)]
pub struct ShellCache {
    entries: HashMap<String, (Arc<ParsedShell>, u64)>,
    generation: u64,
}

impl ShellCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn get_or_parse(&mut self, source: &str) -> Arc<ParsedShell> {
        let generation = self.generation;
        if let Some((parsed, seen)) = self.entries.get_mut(source) {
            *seen = generation;
            return parsed.clone();
        }
        let parsed = Arc::new(parse_shell(source));
        self.entries.insert(source.to_owned(), (parsed.clone(), generation));
        parsed
    }

    /// Forgets parses not used since the previous call: call once per document snapshot.
    pub fn sweep(&mut self) {
        let keep = self.generation;
        self.entries.retain(|_, (_, seen)| *seen == keep);
        self.generation += 1;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Shells whose syntax is POSIX enough for tree-sitter-bash.
pub fn is_posix_shell(program: &str) -> bool {
    let base = program.rsplit('/').next().unwrap_or(program);
    matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox")
}

/// Attaches a parsed shell to every shell-form `RUN` (and `ONBUILD RUN`) whose shell is POSIX.
pub(crate) fn attach(text: &str, instructions: &mut [Instruction], mut cache: Option<&mut ShellCache>) {
    let mut posix = true;
    for instruction in instructions.iter_mut() {
        match instruction.kind {
            InstructionKind::From => posix = true,
            InstructionKind::Shell => {
                if let Some(program) = instruction.json.as_ref().and_then(|json| json.first()) {
                    posix = is_posix_shell(&program.value);
                }
            }
            _ => {}
        }
        if !posix {
            continue;
        }
        let target = match instruction.kind {
            InstructionKind::Run => Some(&mut *instruction),
            InstructionKind::Onbuild => {
                instruction.trigger.as_deref_mut().filter(|trigger| trigger.kind == InstructionKind::Run)
            }
            _ => None,
        };
        let Some(run) = target else { continue };
        if let Some((source, mode)) = shell_source(text, run) {
            let parsed = match cache.as_deref_mut() {
                Some(cache) => cache.get_or_parse(source.as_str()),
                None => Arc::new(parse_shell(source.as_str())),
            };
            run.shell = Some(Arc::new(ShellScript { source, parsed, mode }));
        }
    }
}

/// Assembles the shell text Docker runs for a shell-form `RUN`.
fn shell_source(text: &str, run: &Instruction) -> Option<(LogicalText, ShellMode)> {
    if run.json.is_some() {
        return None;
    }
    let rest = run.rest.as_ref()?;
    let rest_start = run.logical.logical_of(rest.range.start)?;
    let rest_end = rest_start + rest.raw.len();
    let only_markers =
        !run.heredocs.is_empty() && run.words.iter().all(|word| run.heredocs.iter().any(|h| h.marker == word.range));
    if only_markers {
        let body = run.heredocs.first()?.body;
        let body_text = text.get(body.as_range())?;
        if let Some(interpreter) = body_text.strip_prefix("#!") {
            let program = interpreter.split_whitespace().next().unwrap_or_default();
            let program = if program.ends_with("/env") {
                interpreter.split_whitespace().nth(1).unwrap_or_default()
            } else {
                program
            };
            if !is_posix_shell(program) {
                return None;
            }
        }
        let mut source = LogicalText::new();
        source.push(body_text, body.start);
        return Some((source, ShellMode::HeredocScript));
    }
    let mut source = LogicalText::new();
    push_logical_range(&mut source, run, rest_start, rest_end);
    if let (Some(first), Some(last)) = (run.heredocs.first(), run.heredocs.last()) {
        source.push_synthetic("\n");
        let tail = TextRange::new(first.body.start, last.terminator.end);
        source.push(text.get(tail.as_range())?, tail.start);
    }
    Some((source, ShellMode::CommandLine))
}

/// Copies a logical range of an instruction into `out`, piece by piece, so the map stays exact.
fn push_logical_range(out: &mut LogicalText, instruction: &Instruction, start: usize, end: usize) {
    let logical = &instruction.logical;
    let text = logical.as_str();
    let mut pos = start;
    while pos < end {
        let doc = logical.doc_start(pos);
        // Extend while the document offsets stay contiguous.
        let mut piece_end = pos + 1;
        while piece_end < end && logical.doc_start(piece_end) == doc + (piece_end - pos) {
            piece_end += 1;
        }
        while !text.is_char_boundary(piece_end) {
            piece_end += 1;
        }
        out.push(&text[pos..piece_end], doc);
        pos = piece_end;
    }
}

thread_local! {
    static BASH: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses shell text with tree-sitter-bash. Never fails: a parser that cannot start gives no commands.
pub fn parse_shell(source: &str) -> ParsedShell {
    let tree = BASH.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&tree_sitter_bash::LANGUAGE.into()).ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(source, None)
    });
    let Some(tree) = tree else {
        return ParsedShell { commands: Vec::new(), has_error: true, last_statement_end: None };
    };
    let root = tree.root_node();
    let mut commands = Vec::new();
    collect_commands(root, source, &mut commands);
    let mut cursor = root.walk();
    let last_statement_end = root
        .named_children(&mut cursor)
        .filter(|node| node.kind() != "comment" && node.kind() != "heredoc_body")
        .last()
        .map(|node| node.end_byte());
    ParsedShell { commands, has_error: root.has_error(), last_statement_end }
}

fn collect_commands(node: Node<'_>, source: &str, out: &mut Vec<ShellCommand>) {
    if node.kind() == "command" {
        out.push(command(node, source));
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        collect_commands(child, source, out);
    }
}

fn command(node: Node<'_>, source: &str) -> ShellCommand {
    let mut res = ShellCommand {
        range: TextRange::new(node.start_byte(), node.end_byte()),
        env: Vec::new(),
        name: None,
        args: Vec::new(),
    };
    let mut cursor = node.walk();
    for (idx, child) in node.children(&mut cursor).enumerate() {
        let field = node.field_name_for_child(idx as u32);
        match (field, child.kind()) {
            (_, "variable_assignment") => {
                let name =
                    child.child_by_field_name("name").map(|n| source[n.byte_range()].to_owned()).unwrap_or_default();
                let value = match child.child_by_field_name("value") {
                    Some(value) => word(value, source),
                    None => ShellWord { range: TextRange::empty(child.end_byte()), value: Some(String::new()) },
                };
                res.env.push((name, value));
            }
            (Some("name"), _) => {
                let inner = child.named_child(0).unwrap_or(child);
                res.name = Some(word(inner, source));
            }
            (Some("argument"), _) => res.args.push(word(child, source)),
            _ => {}
        }
    }
    res
}

fn word(node: Node<'_>, source: &str) -> ShellWord {
    ShellWord { range: TextRange::new(node.start_byte(), node.end_byte()), value: literal(node, source) }
}

/// The literal value of a word node, or `None` when it contains an expansion.
fn literal(node: Node<'_>, source: &str) -> Option<String> {
    let text = &source[node.byte_range()];
    match node.kind() {
        "word" | "number" => Some(unescape_unquoted(text)),
        "raw_string" => Some(text.trim_start_matches('\'').trim_end_matches('\'').to_owned()),
        "string" => {
            let mut res = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" => res.push_str(&unescape_double(&source[child.byte_range()])),
                    _ => return None,
                }
            }
            Some(res)
        }
        "concatenation" => {
            let mut res = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                res.push_str(&literal(child, source)?);
            }
            Some(res)
        }
        _ => None,
    }
}

fn unescape_unquoted(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(next) => res.push(next),
            }
        } else {
            res.push(ch);
        }
    }
    res
}

fn unescape_double(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, chars.peek()) {
            ('\\', Some(&next)) if matches!(next, '"' | '\\' | '$' | '`') => {
                res.push(next);
                chars.next();
            }
            ('\\', Some('\n')) => {
                chars.next();
            }
            _ => res.push(ch),
        }
    }
    res
}
