//! The formatter: one engine behind `bulkhead fmt` and the server's document and range formatting.
//!
//! It works line by line on the text and never re-flows: every line of the input stays a line of the
//! output (blank lines aside), so `&&` chains stay broken where the author broke them. What it changes:
//!
//! - instruction keywords (and `AS` in `FROM`, `CMD`/`NONE` after `HEALTHCHECK`'s flags, the trigger of
//!   `ONBUILD`) in upper case, one space after each keyword;
//! - an instruction's first line at column 0, its continuation lines indented by `indent` spaces per level
//!   (the distinct indentations the instruction already uses, in order, become levels 1, 2, ...);
//! - trailing spaces and tabs removed, blank lines made empty, at most one blank line in a row, none at the
//!   end of the file, a line break after the last line.
//!
//! What it never touches: heredoc bodies and terminators, the text of comments, parser directives, and a
//! continuation line that starts inside a quoted string (its indentation is part of the string). An
//! instruction with a syntax error is left as it is; after a heredoc without a terminator (the lines that
//! follow may be its body) nothing is touched.
//!
//! Safety net: the result is parsed again and compared with the input, instruction by instruction
//! ([`equivalent`]: same kind, flags, words, JSON, heredoc bodies, shell words). An instruction that does
//! not compare equal is put back as it was; if the structure itself differs, the input is returned as is.
//! What that costs: nothing when the formatting changes nothing (an already formatted file); else one
//! parse of the result through the shell cache the input was parsed with, so only the `RUN`s whose text
//! the formatting changed are parsed by tree-sitter again. The editor's path ([`format_file_edits`]) formats the parse
//! the server already has; a range formatting checks only the instructions it changes.
//! Offsets are bytes; each line keeps its own line break (CRLF stays CRLF).

use std::sync::Arc;

use crate::{
    Dockerfile, Instruction, InstructionKind, ShellCache, ShellScript, ShellWord, SyntaxErrorKind, TextEdit, TextRange,
    parse_with_cache,
};

/// How to format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FormatOptions {
    /// Spaces per continuation level.
    pub indent: usize,
}

/// The largest `indent` accepted.
pub const MAX_INDENT: usize = 16;

impl Default for FormatOptions {
    fn default() -> Self {
        Self { indent: 4 }
    }
}

/// The result of formatting a text, with what the safety net did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    /// Instructions put back as they were because their formatted text did not parse the same.
    pub restored: usize,
    /// The formatted text did not parse to the same structure: `text` is the input.
    pub gave_up: bool,
}

/// The formatted text.
pub fn format_text(text: &str, options: &FormatOptions) -> String {
    format_report(text, options).text
}

/// The formatted text, with what the safety net did.
pub fn format_report(text: &str, options: &FormatOptions) -> Formatted {
    let mut cache = ShellCache::new();
    let doc = parse_with_cache(Arc::from(text), Some(&mut cache));
    let plan = Plan::new(&doc, options, &mut cache, None);
    Formatted { text: plan.render(text), restored: plan.restored, gave_up: plan.gave_up }
}

/// The edits that format `text`: one per changed line at most, each as small as the line allows, in
/// order and not overlapping.
pub fn format_edits(text: &str, options: &FormatOptions) -> Vec<TextEdit> {
    let mut cache = ShellCache::new();
    format_file_edits(&parse_with_cache(Arc::from(text), Some(&mut cache)), options, &mut cache)
}

/// The edits that format the lines `range` touches, widened to whole instructions.
pub fn format_range_edits(text: &str, range: TextRange, options: &FormatOptions) -> Vec<TextEdit> {
    let mut cache = ShellCache::new();
    format_file_range_edits(&parse_with_cache(Arc::from(text), Some(&mut cache)), range, options, &mut cache)
}

/// [`format_edits`] of an already parsed file (an editor's current parse). `cache` should hold the
/// file's shell parses (the cache it was parsed with): the safety net's parse of the result then
/// re-parses only the shells whose text the formatting changed.
pub fn format_file_edits(file: &Dockerfile, options: &FormatOptions, cache: &mut ShellCache) -> Vec<TextEdit> {
    let plan = Plan::new(file, options, cache, None);
    plan.edits(file.text(), 0, plan.lines.len())
}

/// [`format_range_edits`] of an already parsed file; `cache` as for [`format_file_edits`]. Only the
/// instructions the range touches are formatted, and checked.
pub fn format_file_range_edits(
    file: &Dockerfile,
    range: TextRange,
    options: &FormatOptions,
    cache: &mut ShellCache,
) -> Vec<TextEdit> {
    let plan = Plan::new(file, options, cache, Some(range));
    match plan.window {
        Some((first, last)) => plan.edits(file.text(), first, last + 1),
        None => Vec::new(),
    }
}

/// One physical line: `content_end` excludes the line break (`\n`, `\r\n`), `end` includes it.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let (mut content_end, end) = match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(idx) => (pos + idx, pos + idx + 1),
            None => (text.len(), text.len()),
        };
        // As the lexer does: a `\r` before the line break (or the end) is part of the break.
        if content_end > pos && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        lines.push(Line { start: pos, content_end, end });
        pos = end;
    }
    lines
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    Keep,
    Replace(String),
    Delete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Other,
    Directive,
    Instruction(usize),
}

struct Plan {
    lines: Vec<Line>,
    out: Vec<Out>,
    /// Per line, the first and last line of the item (instruction or single line) it belongs to.
    item: Vec<(usize, usize)>,
    /// The lines a range formatting may change (first and last, whole items).
    window: Option<(usize, usize)>,
    newline: &'static str,
    restored: usize,
    gave_up: bool,
}

impl Plan {
    /// Plans the formatting of `doc` (of the lines `range` touches, widened to whole items, when given)
    /// and checks the result with one parse of it, through `cache`, when it differs from the input.
    fn new(doc: &Dockerfile, options: &FormatOptions, cache: &mut ShellCache, range: Option<TextRange>) -> Self {
        let text = doc.text();
        let lines = split_lines(text);
        let mut plan = Plan {
            out: vec![Out::Keep; lines.len()],
            item: (0..lines.len()).map(|idx| (idx, idx)).collect(),
            lines,
            window: None,
            newline: doc.newline(),
            restored: 0,
            gave_up: false,
        };
        if doc.errors().iter().any(|e| e.kind == SyntaxErrorKind::InvalidEscape) {
            return plan;
        }
        let mut verbatim = vec![false; doc.instructions().len()];
        // Each round puts back at least one more instruction; a few rounds are plenty in practice.
        for _ in 0..4 {
            plan.out = vec![Out::Keep; plan.lines.len()];
            plan.fill(text, doc, options, &verbatim);
            if let Some(range) = range {
                plan.restrict(range);
            }
            plan.restored = verbatim.iter().filter(|v| **v).count();
            let formatted = plan.render(text);
            if formatted == text {
                return plan;
            }
            match compare(doc, &parse_with_cache(Arc::from(formatted), Some(cache))) {
                Ok(()) => return plan,
                Err(Mismatch::Instruction(idx)) if !verbatim[idx] => verbatim[idx] = true,
                Err(_) => break,
            }
        }
        plan.out = vec![Out::Keep; plan.lines.len()];
        plan.restored = 0;
        plan.gave_up = true;
        plan
    }

    /// Keeps only the changes to the lines `range` touches, widened to whole items (after [`Self::fill`],
    /// which knows the items).
    fn restrict(&mut self, range: TextRange) {
        if self.lines.is_empty() {
            return;
        }
        let first = self.line_of(range.start);
        let mut last = self.line_of(range.end.max(range.start));
        // A selection that ends at the start of a line does not select that line.
        if last > first && self.lines[last].start == range.end {
            last -= 1;
        }
        let (first, last) = (self.item[first].0, self.item[last].1);
        self.window = Some((first, last));
        self.out[..first].fill(Out::Keep);
        self.out[last + 1..].fill(Out::Keep);
    }

    /// The index of the line holding `offset` (the last line for an offset at or past the end).
    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|line| line.start <= offset).saturating_sub(1)
    }

    fn fill(&mut self, text: &str, doc: &Dockerfile, options: &FormatOptions, verbatim: &[bool]) {
        let n = self.lines.len();
        if n == 0 {
            return;
        }
        let cased = upper_keywords(text, doc);
        let mut role = vec![Role::Other; n];
        for directive in doc.directives() {
            role[self.line_of(directive.range.start)] = Role::Directive;
        }
        let mut frozen_from = n;
        for (idx, ins) in doc.instructions().iter().enumerate() {
            let first = self.line_of(ins.range.start);
            let last = self.line_of(ins.range.end).max(first);
            role[first..=last].fill(Role::Instruction(idx));
            self.item[first..=last].fill((first, last));
            let unterminated = doc
                .errors()
                .iter()
                .any(|e| e.kind == SyntaxErrorKind::UnterminatedHeredoc && ins.range.touches(e.range.start));
            if unterminated {
                frozen_from = frozen_from.min(first);
            }
        }
        let first_code = self.lines.iter().position(|line| !is_blank(&text[line.start..line.content_end]));
        let leading_comment = first_code.is_some_and(|idx| text[self.lines[idx].start..].trim_start().starts_with('#'));
        let last_code = self.lines.iter().rposition(|line| !is_blank(&text[line.start..line.content_end]));
        let mut seen_instruction = false;
        let mut previous_blank = false;
        let mut idx = 0;
        while idx < frozen_from {
            let line = self.lines[idx];
            let content = &text[line.start..line.content_end];
            match role[idx] {
                Role::Instruction(ins_idx) => {
                    let (first, last) = self.item[idx];
                    let ins = &doc.instructions()[ins_idx];
                    if !verbatim[ins_idx] && !has_error(doc, ins) {
                        self.format_instruction(text, &cased, ins, first, options);
                    }
                    seen_instruction = true;
                    previous_blank = false;
                    idx = last + 1;
                    continue;
                }
                Role::Directive => self.out[idx] = replace(content, trim_end(content)),
                Role::Other if is_blank(content) => {
                    let leading = first_code.is_none_or(|first| idx < first);
                    let trailing = last_code.is_none_or(|last| idx > last);
                    self.out[idx] = if trailing || previous_blank || (leading && !leading_comment) {
                        Out::Delete
                    } else {
                        replace(content, "")
                    };
                    previous_blank = true;
                    idx += 1;
                    continue;
                }
                Role::Other => {
                    // A comment (anything else is inside an instruction). Before the first instruction, its
                    // indentation is what keeps a `# name=value` comment from reading as a directive.
                    let body = if seen_instruction { content.trim_start_matches([' ', '\t']) } else { content };
                    self.out[idx] = replace(content, trim_end(body));
                }
            }
            previous_blank = false;
            idx += 1;
        }
    }

    /// Formats the lines of one instruction, from `first` (where its keyword is) on.
    fn format_instruction(
        &mut self,
        text: &str,
        cased: &str,
        ins: &Instruction,
        first: usize,
        options: &FormatOptions,
    ) {
        let line_end = self.line_of(ins.line_range().end);
        let head = self.lines[first];
        let keyword = ins.keyword.range;
        if keyword.end > head.content_end || keyword.len() != ins.keyword.raw.len() {
            return;
        }
        // The first line: at column 0, one space after the keyword(s).
        let mut gaps = vec![keyword.end];
        if let Some(trigger) = &ins.trigger
            && trigger.keyword.range.end <= head.content_end
        {
            gaps.push(trigger.keyword.range.end);
        }
        let mut first_line = String::new();
        let mut pos = ins.range.start;
        for gap in gaps {
            let after = &cased[gap..head.content_end];
            let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
            if ws > 0 && gap + ws < head.content_end {
                first_line.push_str(&cased[pos..gap]);
                first_line.push(' ');
                pos = gap + ws;
            }
        }
        first_line.push_str(&cased[pos..head.content_end]);
        self.out[first] = replace(&text[head.start..head.content_end], trim_end(&first_line));

        // Continuation lines: levels from the indentations the instruction uses.
        let shell_like = matches!(
            ins.kind,
            InstructionKind::Run
                | InstructionKind::Cmd
                | InstructionKind::Entrypoint
                | InstructionKind::Shell
                | InstructionKind::Healthcheck
                | InstructionKind::Onbuild
        );
        let escape = if shell_like { '\\' } else { ins.escape() };
        let logical = ins.logical_text();
        let mut starts = Vec::new();
        for idx in first + 1..=line_end {
            let line = self.lines[idx];
            let content = &text[line.start..line.content_end];
            if is_blank(content) || content.trim_start().starts_with('#') {
                starts.push(None);
            } else {
                starts.push(ins.logical.logical_of(line.start));
            }
        }
        let wanted: Vec<usize> = starts.iter().flatten().copied().collect();
        let quoted = quote_states(logical, ins.args_offset(), shell_like, escape, &wanted);
        let mut free = Vec::new();
        let mut qi = 0;
        for (k, start) in starts.iter().enumerate() {
            let idx = first + 1 + k;
            let line = self.lines[idx];
            let content = &cased[line.start..line.content_end];
            let Some(start) = start else {
                free.push(None);
                continue;
            };
            let in_quote = quoted[qi];
            qi += 1;
            let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
            let glued = !logical[..*start].ends_with(|c: char| c.is_ascii_whitespace());
            if in_quote || (glued && (indent == 0 || options.indent == 0)) {
                free.push(None);
            } else {
                free.push(Some(width(&content[..indent])));
            }
        }
        let mut levels: Vec<usize> = free.iter().flatten().copied().collect();
        levels.sort_unstable();
        levels.dedup();
        let new_indent = |w: usize| {
            let rank = levels.partition_point(|l| *l < w);
            " ".repeat(options.indent * (rank + 1))
        };
        let mut next_indent = " ".repeat(options.indent);
        for k in (0..starts.len()).rev() {
            let idx = first + 1 + k;
            let line = self.lines[idx];
            let original = &text[line.start..line.content_end];
            let content = &cased[line.start..line.content_end];
            let body = content.trim_start_matches([' ', '\t']);
            let new = if is_blank(content) {
                String::new()
            } else if starts[k].is_none() && body.starts_with('#') {
                format!("{next_indent}{}", trim_end(body))
            } else if let Some(w) = free[k] {
                next_indent = new_indent(w);
                format!("{next_indent}{}", trim_end(body))
            } else {
                trim_end(content).to_owned()
            };
            self.out[idx] = replace(original, &new);
        }
    }

    fn render(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let last_kept = self.out.iter().rposition(|o| *o != Out::Delete);
        for (idx, line) in self.lines.iter().enumerate() {
            match &self.out[idx] {
                Out::Delete => continue,
                Out::Keep => out.push_str(&text[line.start..line.content_end]),
                Out::Replace(new) => out.push_str(new),
            }
            out.push_str(&text[line.content_end..line.end]);
            if Some(idx) == last_kept && !text[line.content_end..line.end].ends_with('\n') && !self.gave_up {
                out.push_str(self.newline);
            }
        }
        out
    }

    /// Edits for lines `from..to`.
    fn edits(&self, text: &str, from: usize, to: usize) -> Vec<TextEdit> {
        let mut edits = Vec::new();
        let last_kept = self.out.iter().rposition(|o| *o != Out::Delete);
        for idx in from..to.min(self.lines.len()) {
            let line = self.lines[idx];
            match &self.out[idx] {
                Out::Keep => {}
                Out::Delete => {
                    edits.push(TextEdit { range: TextRange::new(line.start, line.end), new_text: String::new() })
                }
                Out::Replace(new) => {
                    let old = &text[line.start..line.content_end];
                    let prefix = common_prefix(old, new);
                    let suffix = common_suffix(&old[prefix..], &new[prefix..]);
                    edits.push(TextEdit {
                        range: TextRange::new(line.start + prefix, line.content_end - suffix),
                        new_text: new[prefix..new.len() - suffix].to_owned(),
                    });
                }
            }
            if Some(idx) == last_kept && !text[line.content_end..line.end].ends_with('\n') && !self.gave_up {
                edits.push(TextEdit { range: TextRange::empty(line.end), new_text: self.newline.to_owned() });
            }
        }
        // Deleting a line and appending the break to the one before: join touching edits.
        let mut merged: Vec<TextEdit> = Vec::with_capacity(edits.len());
        for edit in edits {
            match merged.last_mut() {
                Some(last) if last.range.end == edit.range.start => {
                    last.range.end = edit.range.end;
                    last.new_text.push_str(&edit.new_text);
                }
                _ => merged.push(edit),
            }
        }
        merged
    }
}

/// `Keep` when `new` is `old`, else the replacement.
fn replace(old: &str, new: &str) -> Out {
    if old == new { Out::Keep } else { Out::Replace(new.to_owned()) }
}

fn trim_end(text: &str) -> &str {
    text.trim_end_matches([' ', '\t'])
}

fn is_blank(text: &str) -> bool {
    text.chars().all(|c| matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}' | '\r'))
}

/// Columns of an indentation: a tab counts as four.
fn width(indent: &str) -> usize {
    indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

fn common_prefix(a: &str, b: &str) -> usize {
    let mut len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(len) || !b.is_char_boundary(len) {
        len -= 1;
    }
    len
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut len = a.bytes().rev().zip(b.bytes().rev()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(a.len() - len) || !b.is_char_boundary(b.len() - len) {
        len -= 1;
    }
    len
}

fn has_error(doc: &Dockerfile, ins: &Instruction) -> bool {
    doc.errors().iter().any(|e| ins.range.touches(e.range.start) || ins.range.intersects(e.range))
}

/// The text with the keywords the formatter upper-cases upper-cased (ASCII: same length, same offsets).
fn upper_keywords(text: &str, doc: &Dockerfile) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut upper = |range: TextRange, raw: &str| {
        // Only a keyword written in one piece (not split by a continuation).
        if range.len() == raw.len() && raw.is_ascii() && text.get(range.as_range()) == Some(raw) {
            bytes[range.as_range()].make_ascii_uppercase();
        }
    };
    for ins in doc.instructions() {
        let mut current = Some(ins);
        while let Some(ins) = current {
            if ins.kind != InstructionKind::Unknown {
                upper(ins.keyword.range, &ins.keyword.raw);
            }
            match ins.kind {
                InstructionKind::From if ins.words.len() == 3 && ins.words[1].raw.eq_ignore_ascii_case("as") => {
                    upper(ins.words[1].range, &ins.words[1].raw);
                }
                InstructionKind::Healthcheck
                    if ins
                        .words
                        .first()
                        .is_some_and(|w| w.raw.eq_ignore_ascii_case("cmd") || w.raw.eq_ignore_ascii_case("none")) =>
                {
                    upper(ins.words[0].range, &ins.words[0].raw);
                }
                _ => {}
            }
            current = ins.trigger.as_deref();
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
    Comment,
}

/// For each offset of `offsets` (ascending logical offsets of `logical`), whether it lies inside a
/// single- or double-quoted string. Scanning starts at `from` (the arguments). `shell_like`: a `#` at the
/// start of a word starts a comment that runs to the end.
fn quote_states(logical: &str, from: usize, shell_like: bool, escape: char, offsets: &[usize]) -> Vec<bool> {
    let mut states = Vec::with_capacity(offsets.len());
    let mut next = 0;
    let mut state = Quote::None;
    let mut escaped = false;
    let mut word_start = true;
    for (pos, ch) in logical.char_indices() {
        while next < offsets.len() && offsets[next] <= pos {
            states.push(matches!(state, Quote::Single | Quote::Double) || (escaped && offsets[next] == pos));
            next += 1;
        }
        if pos < from {
            continue;
        }
        if escaped {
            escaped = false;
            word_start = false;
            continue;
        }
        match state {
            Quote::Comment => {}
            Quote::Single if ch == '\'' => state = Quote::None,
            Quote::Single => {}
            Quote::Double if ch == escape => escaped = true,
            Quote::Double if ch == '"' => state = Quote::None,
            Quote::Double => {}
            Quote::None => match ch {
                c if c == escape => escaped = true,
                '\'' => state = Quote::Single,
                '"' => state = Quote::Double,
                '#' if shell_like && word_start => state = Quote::Comment,
                _ => {}
            },
        }
        word_start = state == Quote::None && (ch.is_whitespace() || matches!(ch, ';' | '&' | '|' | '(' | ')'));
    }
    while next < offsets.len() {
        states.push(matches!(state, Quote::Single | Quote::Double));
        next += 1;
    }
    states
}

/// Why two parses are not equivalent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Directives, escape, the number of instructions, comments or errors differ.
    Structure(String),
    /// The instruction at this index differs.
    Instruction(usize),
}

/// Whether `after` (a formatted text) parses to the same file as `before`: the same directives, escape,
/// comments and syntax errors, and instruction by instruction the same kind, flags, JSON strings, words,
/// heredocs and shell words; the text around words is compared with whitespace runs folded, and
/// keywords the formatter upper-cases without case.
pub fn equivalent(before: &Dockerfile, after: &Dockerfile) -> Result<(), Mismatch> {
    compare(before, after)
}

fn compare(a: &Dockerfile, b: &Dockerfile) -> Result<(), Mismatch> {
    let directives =
        |d: &Dockerfile| d.directives().iter().map(|d| (d.name.clone(), d.value.clone())).collect::<Vec<_>>();
    if directives(a) != directives(b) || a.escape() != b.escape() {
        return Err(Mismatch::Structure("directives differ".into()));
    }
    let comments = |d: &Dockerfile| d.comments().iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    if comments(a) != comments(b) {
        return Err(Mismatch::Structure("comments differ".into()));
    }
    if a.instructions().len() != b.instructions().len() {
        return Err(Mismatch::Structure(format!(
            "{} instructions became {}",
            a.instructions().len(),
            b.instructions().len()
        )));
    }
    for (idx, (x, y)) in a.instructions().iter().zip(b.instructions()).enumerate() {
        if !same_instruction(a, x, b, y) {
            return Err(Mismatch::Instruction(idx));
        }
    }
    let errors = |d: &Dockerfile| d.errors().iter().map(|e| e.kind).collect::<Vec<_>>();
    if errors(a) != errors(b) {
        return Err(Mismatch::Structure("syntax errors differ".into()));
    }
    Ok(())
}

fn fold_space(text: &str) -> String {
    text.split(|c: char| c.is_ascii_whitespace() || c == '\u{b}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn same_instruction(a: &Dockerfile, x: &Instruction, b: &Dockerfile, y: &Instruction) -> bool {
    if x.kind != y.kind || x.keyword.value != y.keyword.value {
        return false;
    }
    let flags = |i: &Instruction| {
        i.flags.iter().map(|f| (f.name.clone(), f.value.as_ref().map(|v| v.value.clone()))).collect::<Vec<_>>()
    };
    if flags(x) != flags(y) {
        return false;
    }
    // Words the formatter upper-cases compare without case.
    let caseless = matches!(x.kind, InstructionKind::From | InstructionKind::Healthcheck | InstructionKind::Onbuild);
    let same_text = |p: &str, q: &str| if caseless { p.eq_ignore_ascii_case(q) } else { p == q };
    let rest = |i: &Instruction| i.rest.as_ref().map(|r| fold_space(&r.value));
    match (rest(x), rest(y)) {
        (Some(p), Some(q)) if same_text(&p, &q) => {}
        (None, None) => {}
        _ => return false,
    }
    let words_equal = |p: &[crate::Word], q: &[crate::Word]| {
        p.len() == q.len() && p.iter().zip(q).all(|(v, w)| same_text(&v.value, &w.value))
    };
    if !words_equal(&x.words, &y.words) {
        return false;
    }
    match (&x.json, &y.json) {
        (Some(p), Some(q)) if p.len() == q.len() && p.iter().zip(q).all(|(v, w)| v.value == w.value) => {}
        (None, None) => {}
        _ => return false,
    }
    let heredocs_equal = x.heredocs.len() == y.heredocs.len()
        && x.heredocs.iter().zip(&y.heredocs).all(|(h, k)| {
            h.name == k.name
                && h.strip_tabs == k.strip_tabs
                && h.quoted == k.quoted
                && a.slice(h.body) == b.slice(k.body)
        });
    if !heredocs_equal {
        return false;
    }
    match (&x.trigger, &y.trigger) {
        (Some(p), Some(q)) if same_instruction(a, p, b, q) => {}
        (None, None) => {}
        _ => return false,
    }
    match (&x.shell, &y.shell) {
        (Some(p), Some(q)) => same_shell(p, q),
        (None, None) => true,
        _ => false,
    }
}

fn same_shell(p: &ShellScript, q: &ShellScript) -> bool {
    let word = |s: &ShellScript, w: &ShellWord| (w.value.clone(), s.text(w.range).to_owned());
    let words = |s: &ShellScript| {
        let mut out = Vec::new();
        for command in s.commands() {
            out.push((format!("{:?}/{}", command.operator, command.in_substitution), None));
            for (name, value) in &command.env {
                out.push((name.clone(), Some(word(s, value))));
            }
            for w in command.name.iter().chain(&command.args) {
                out.push((String::new(), Some(word(s, w))));
            }
        }
        for (name, value) in s.assignments() {
            out.push((name.clone(), Some(word(s, value))));
        }
        out
    };
    p.has_error() == q.has_error() && p.mode() == q.mode() && words(p) == words(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_text(text, &FormatOptions::default())
    }

    #[test]
    fn keywords_spaces_and_indentation() {
        let text = "from  alpine:3.20 as build\n  run apk add curl \\\n  && echo hi  \\  \n      && echo deeper\n\n\n\ncmd\t[\"sh\"]   \n";
        assert_eq!(
            fmt(text),
            "FROM alpine:3.20 AS build\nRUN apk add curl \\\n    && echo hi  \\\n        && echo deeper\n\nCMD [\"sh\"]\n"
        );
    }

    #[test]
    fn strings_heredocs_and_comments_stay() {
        let text = "RUN echo \"a \\\n   b\" \\\n # note  \n  && true\nrun <<EOF\n  body  \nEOF\n  # top comment\n";
        assert_eq!(
            fmt(text),
            "RUN echo \"a \\\n   b\" \\\n    # note\n    && true\nRUN <<EOF\n  body  \nEOF\n# top comment\n"
        );
    }

    #[test]
    fn crlf_escape_and_final_newline() {
        let text = "# escape=`\r\nfrom alpine\r\nrun echo a `\r\n  b";
        assert_eq!(fmt(text), "# escape=`\r\nFROM alpine\r\nRUN echo a `\r\n    b\r\n");
    }

    #[test]
    fn broken_instruction_is_left_alone() {
        let text = "from alpine\nfrobnicate   x  \ncopy --from  a b\nrun echo   ok  \n";
        assert_eq!(fmt(text), "FROM alpine\nfrobnicate   x  \ncopy --from  a b\nRUN echo   ok\n");
        let unterminated = "from alpine\nrun cat <<EOF\nrun   not an instruction  \n";
        assert_eq!(fmt(unterminated), "FROM alpine\nrun cat <<EOF\nrun   not an instruction  \n");
    }

    #[test]
    fn idempotent_and_minimal_edits() {
        let text = "from alpine\n\n\n\nrun echo a \\\n\t&& b\n";
        let once = fmt(text);
        assert_eq!(fmt(&once), once);
        let edits = format_edits(text, &FormatOptions::default());
        let mut applied = text.to_owned();
        for edit in edits.iter().rev() {
            applied.replace_range(edit.range.as_range(), &edit.new_text);
        }
        assert_eq!(applied, once);
        assert_eq!(edits[0], TextEdit { range: TextRange::new(0, 4), new_text: "FROM".into() });
        // A range on the last instruction leaves the first alone.
        let ranged = format_range_edits(text, TextRange::new(17, 18), &FormatOptions::default());
        assert!(ranged.iter().all(|e| e.range.start >= 15), "{ranged:?}");
    }
}
