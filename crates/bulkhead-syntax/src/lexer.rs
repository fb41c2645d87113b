//! The lexer: splits a Dockerfile into parser directives, comments and instructions the way BuildKit's
//! parser does (escape character, continuations with comment and blank lines, heredocs, CRLF, BOM), then
//! tokenizes each instruction into flags, words and JSON arrays.
//!
//! It never fails: half-typed and broken text still yields every instruction it can see, plus syntax
//! errors. Recovery is local to one instruction: an unknown keyword is an `Unknown` instruction of its
//! own line, a heredoc without a terminator is ignored (the following lines are lexed normally), so one
//! broken instruction never hides the others.

use crate::instruction::{Comment, Directive, Flag, Heredoc, Instruction, InstructionKind, shift_range};
use crate::logical::LogicalText;
use crate::words::{self, Word, is_space};
use crate::{CompactText, SyntaxError, SyntaxErrorKind, TextRange};

/// Everything the lexer finds in one text.
#[derive(Clone, Debug)]
pub(crate) struct Lexed {
    pub directives: Vec<Directive>,
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// What [`relex`] needs to reuse this result for an edited text.
    pub spans: Spans,
}

/// Where the lexer looked: what makes its work reusable after an edit.
///
/// The lexer reads a text as a sequence of items (blank lines, comment lines, instructions with their
/// continuation and heredoc lines), and each item depends only on the text from its first line on. An
/// item's `seen` is the end of the text it read; reading up to the end of the text counts as seeing the
/// end, `text.len() + 1`, since appending text would change it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Spans {
    /// End of what the parser directives at the top depend on.
    header_seen: usize,
    /// Where the first item starts (after the directives).
    body_start: usize,
    /// Every comment and instruction item, in order.
    items: Vec<ItemSpan>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ItemSpan {
    /// Start of the item's first line.
    start: usize,
    /// Where the next item starts.
    next: usize,
    seen: usize,
}

impl ItemSpan {
    fn shift(self, delta: isize) -> Self {
        Self {
            start: self.start.saturating_add_signed(delta),
            next: self.next.saturating_add_signed(delta),
            seen: self.seen.saturating_add_signed(delta),
        }
    }
}

/// One physical line: content excludes the line break (`\n`, and a `\r` before it).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    next: usize,
    /// End of the text read to find the line: after its `\n`, or past the end of the text (see [`Spans`]).
    seen: usize,
}

fn line_at(text: &str, start: usize) -> Line {
    let bytes = text.as_bytes();
    let (mut content_end, next, seen) = match bytes[start..].iter().position(|&b| b == b'\n') {
        Some(idx) => (start + idx, start + idx + 1, start + idx + 1),
        None => (text.len(), text.len(), text.len() + 1),
    };
    if content_end > start && bytes[content_end - 1] == b'\r' {
        content_end -= 1;
    }
    Line { start, content_end, next, seen }
}

fn is_blank(text: &str) -> bool {
    text.chars().all(is_space)
}

pub(crate) fn lex(text: &str) -> Lexed {
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut directives = Vec::new();
    let mut errors = Vec::new();
    let mut escape = '\\';
    // Reading the first bytes, for the BOM, counts; running out of directive lines sees the end.
    let mut header_seen = text.len() + 1;

    // Parser directives: known `# name=value` lines at the very top, each at most once.
    while pos < text.len() {
        let line = line_at(text, pos);
        header_seen = line.seen.max(3);
        let Some(directive) = parse_directive(text, line) else {
            break;
        };
        if directives.iter().any(|d: &Directive| d.name == directive.name) {
            break;
        }
        if directive.name == "escape" {
            match directive.value.as_str() {
                "\\" => escape = '\\',
                "`" => escape = '`',
                _ => errors.push(SyntaxError {
                    kind: SyntaxErrorKind::InvalidEscape,
                    range: directive.value_range,
                    message: format!("invalid escape character `{}`: use `\\` or `` ` ``", directive.value),
                }),
            }
        }
        directives.push(directive);
        pos = line.next;
        header_seen = text.len() + 1;
    }

    let mut lexer = Lexer::new(text, escape);
    lexer.errors = errors;
    // Every item starts on a line of its own: sized for one per line, the lists never grow by doubling
    // (a file of 20,000 one-line instructions held 32,768 places, and twice that while growing). Pages of
    // the spare places are never written, so they cost no resident memory, and are given back below.
    let lines = text.as_bytes()[pos.min(text.len())..].iter().filter(|&&b| b == b'\n').count() + 1;
    lexer.instructions = Vec::with_capacity(lines);
    lexer.spans.items = Vec::with_capacity(lines);
    let spans = Spans { header_seen, body_start: pos, items: Vec::new() };
    lexer.run(pos, |_| false);
    let mut lexed = lexer.finish_lex(directives, spans);
    // A parse lives as long as its document is open: no spare capacity. (An incremental re-parse keeps
    // the capacity it has, since it appends.)
    lexed.instructions.shrink_to_fit();
    lexed.comments.shrink_to_fit();
    lexed.spans.items.shrink_to_fit();
    lexed
}

/// Lexes `text`, an edit of the text `previous` was lexed from, reusing the items of `previous` that the
/// edit cannot have changed: those before it whose reading stopped before it, and those after it once the
/// lexer reaches one of their starts. The result equals `lex(text)`.
/// `prefix` and `suffix` are the lengths of the texts' common ends ([`common_ends`]).
pub(crate) fn relex(previous: Lexed, old_text: &str, text: &str, prefix: usize, suffix: usize) -> Lexed {
    let old = previous;
    if prefix < old.spans.header_seen {
        return lex(text);
    }
    let delta = text.len() as isize - old_text.len() as isize;
    // Items before the edit.
    let kept = old.spans.items.iter().take_while(|item| item.seen <= prefix).count();
    let restart = kept.checked_sub(1).map_or(old.spans.body_start, |idx| old.spans.items[idx].next);
    let Lexed { directives, escape, mut instructions, mut comments, mut errors, spans: old_spans } = old;
    let mut tail_instructions = instructions.split_off(instructions.partition_point(|i| i.range.start < restart));
    let mut tail_comments = comments.split_off(comments.partition_point(|c| c.range.start < restart));
    let mut tail_errors = errors.split_off(errors.partition_point(|e| e.range.start < restart));
    let mut items = old_spans.items;
    let mut tail_items = items.split_off(kept);

    let mut lexer = Lexer::new(text, escape);
    lexer.instructions = instructions;
    lexer.comments = comments;
    lexer.errors = errors;
    let spans = Spans { header_seen: old_spans.header_seen, body_start: old_spans.body_start, items };
    let changed_end = text.len() - suffix;
    let old_bytes = old_text.as_bytes();
    // The old lexer started an item at `old_pos` when it is a line start of the old text that no old item
    // straddles: from there on, both texts and so both lexes are the same.
    let resync = |pos: usize| -> Option<usize> {
        if pos < changed_end {
            return None;
        }
        let old_pos = pos.checked_add_signed(-delta)?;
        if old_pos >= old_text.len() || old_bytes.get(old_pos.checked_sub(1)?) != Some(&b'\n') {
            return None;
        }
        let idx = tail_items.partition_point(|item| item.start < old_pos);
        let straddled = idx.checked_sub(1).and_then(|idx| tail_items.get(idx)).is_some_and(|item| item.next > old_pos);
        (!straddled).then_some(old_pos)
    };
    let mut resynced = None;
    lexer.spans = spans;
    lexer.run(restart, |pos| {
        resynced = resync(pos);
        resynced.is_some()
    });
    if let Some(old_pos) = resynced {
        let shift = |r: TextRange| shift_range(r, delta);
        let from = tail_instructions.partition_point(|i| i.range.start < old_pos);
        for mut instruction in tail_instructions.drain(from..) {
            if delta != 0 {
                instruction.shift(delta);
            }
            lexer.instructions.push(instruction);
        }
        let from = tail_comments.partition_point(|c| c.range.start < old_pos);
        lexer.comments.extend(tail_comments.drain(from..).map(|c| Comment { range: shift(c.range), ..c }));
        let from = tail_errors.partition_point(|e| e.range.start < old_pos);
        lexer.errors.extend(tail_errors.drain(from..).map(|e| SyntaxError { range: shift(e.range), ..e }));
        let from = tail_items.partition_point(|item| item.start < old_pos);
        lexer.spans.items.extend(tail_items.drain(from..).map(|item| item.shift(delta)));
    }
    let spans = std::mem::take(&mut lexer.spans);
    lexer.finish_lex(directives, spans)
}

/// The lengths of the longest common prefix and suffix of two texts (not overlapping in either).
pub(crate) fn common_ends(old: &[u8], new: &[u8]) -> (usize, usize) {
    const CHUNK: usize = 64;
    let max = old.len().min(new.len());
    let mut prefix = 0;
    while prefix + CHUNK <= max && old[prefix..prefix + CHUNK] == new[prefix..prefix + CHUNK] {
        prefix += CHUNK;
    }
    while prefix < max && old[prefix] == new[prefix] {
        prefix += 1;
    }
    let max_suffix = max - prefix;
    let mut suffix = 0;
    while suffix + CHUNK <= max_suffix
        && old[old.len() - suffix - CHUNK..old.len() - suffix] == new[new.len() - suffix - CHUNK..new.len() - suffix]
    {
        suffix += CHUNK;
    }
    while suffix < max_suffix && old[old.len() - suffix - 1] == new[new.len() - suffix - 1] {
        suffix += 1;
    }
    (prefix, suffix)
}

fn parse_directive(text: &str, line: Line) -> Option<Directive> {
    let content = &text[line.start..line.content_end];
    let after_hash = content.strip_prefix('#')?;
    let name_start = after_hash.len() - after_hash.trim_start().len();
    let body = after_hash.trim_start();
    let eq = body.find('=')?;
    let name = body[..eq].trim_end();
    if !name.chars().all(|c| c.is_ascii_alphanumeric()) || name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if !matches!(lower.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    let raw_value = &body[eq + 1..];
    let value = raw_value.trim();
    let value_offset = line.start + 1 + name_start + eq + 1 + (raw_value.len() - raw_value.trim_start().len());
    Some(Directive {
        name: lower,
        value: value.to_owned(),
        range: TextRange::new(line.start, line.content_end),
        value_range: TextRange::new(value_offset, value_offset + value.len()),
    })
}

struct Lexer<'a> {
    text: &'a str,
    escape: char,
    instructions: Vec<Instruction>,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
    spans: Spans,
    /// End of the text read by the current item.
    seen: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str, escape: char) -> Self {
        Self {
            text,
            escape,
            instructions: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            spans: Spans::default(),
            seen: 0,
        }
    }

    /// Lexes items from `pos` to the end of the text, or until `stop` says so at the start of an item.
    fn run(&mut self, mut pos: usize, mut stop: impl FnMut(usize) -> bool) {
        while pos < self.text.len() {
            if stop(pos) {
                return;
            }
            self.seen = 0;
            let next = self.item(pos);
            if self.seen > 0 {
                self.spans.items.push(ItemSpan { start: pos, next, seen: self.seen });
            }
            pos = next;
        }
    }

    fn finish_lex(mut self, directives: Vec<Directive>, mut spans: Spans) -> Lexed {
        spans.items.append(&mut self.spans.items);
        Lexed {
            directives,
            escape: self.escape,
            instructions: self.instructions,
            comments: self.comments,
            errors: self.errors,
            spans,
        }
    }

    /// Reads the line at `pos`, noting how far the current item read.
    fn line(&mut self, pos: usize) -> Line {
        let line = line_at(self.text, pos);
        self.seen = self.seen.max(line.seen);
        line
    }

    /// Lexes the item (blank line, comment or instruction) that starts at `pos`; returns where the next
    /// item starts. Blank lines leave [`Self::seen`] at zero: they produce nothing.
    fn item(&mut self, pos: usize) -> usize {
        let text = self.text;
        let line = line_at(text, pos);
        let content = &text[line.start..line.content_end];
        let indent = content.len() - content.trim_start_matches(is_space).len();
        let start = line.start + indent;
        if start >= line.content_end {
            return line.next;
        }
        self.seen = line.seen;
        if text[start..].starts_with('#') {
            self.push_comment(start, line.content_end, false);
            return line.next;
        }
        self.instruction(start, line)
    }

    fn push_comment(&mut self, start: usize, end: usize, in_continuation: bool) {
        let body = &self.text[start + 1..end];
        self.comments.push(Comment {
            range: TextRange::new(start, end),
            text: body.trim().to_owned(),
            in_continuation,
        });
    }

    /// The content of a line without a trailing escape character; `None` when the line does not continue.
    fn continued(&self, start: usize, content_end: usize) -> Option<usize> {
        let content = self.text[start..content_end].trim_end_matches([' ', '\t']);
        content.strip_suffix(self.escape).map(|stripped| start + stripped.len())
    }

    fn instruction(&mut self, start: usize, first: Line) -> usize {
        let text = self.text;
        let mut logical = LogicalText::new();
        let mut last_end;
        let mut next;
        match self.continued(start, first.content_end) {
            None => {
                logical.push(&text[start..first.content_end], start);
                return self.finish(logical, start, first.content_end, first.next);
            }
            Some(piece_end) => {
                logical.push(&text[start..piece_end], start);
                last_end = first.content_end;
                next = first.next;
            }
        }
        // Continuation lines. Blank lines and comment lines inside a continuation are skipped.
        loop {
            if next >= text.len() {
                // Continued up to the end: text appended later joins this instruction.
                self.seen = text.len() + 1;
                break;
            }
            let line = self.line(next);
            let content = &text[line.start..line.content_end];
            if is_blank(content) {
                next = line.next;
                continue;
            }
            let indent = content.len() - content.trim_start_matches(is_space).len();
            if content[indent..].starts_with('#') {
                self.push_comment(line.start + indent, line.content_end, true);
                next = line.next;
                continue;
            }
            last_end = line.content_end;
            next = line.next;
            match self.continued(line.start, line.content_end) {
                Some(piece_end) => logical.push(&text[line.start..piece_end], line.start),
                None => {
                    logical.push(content, line.start);
                    break;
                }
            }
        }
        self.finish(logical, start, last_end, next)
    }

    /// Tokenizes a complete logical line, then reads its heredoc bodies. Returns where the next item starts.
    fn finish(&mut self, mut logical: LogicalText, start: usize, line_end: usize, next: usize) -> usize {
        logical.shrink_to_fit();
        let mut instruction = tokenize(logical, self.escape, start, line_end);
        let mut next = next;
        if instruction.kind.allows_heredocs() && instruction.json.is_none() {
            let markers = heredoc_markers(&instruction);
            let mut heredocs = Vec::new();
            for marker in markers {
                match self.heredoc_body(&marker, next) {
                    Some((heredoc, after)) => {
                        instruction.range.end = heredoc.terminator.end;
                        heredocs.push(heredoc);
                        next = after;
                    }
                    None => {
                        self.errors.push(SyntaxError {
                            kind: SyntaxErrorKind::UnterminatedHeredoc,
                            range: marker.marker,
                            message: format!("heredoc `{}` has no terminator line", marker.name),
                        });
                        break;
                    }
                }
            }
            instruction.heredocs = heredocs;
        }
        self.check(&instruction);
        self.instructions.push(instruction);
        next
    }

    /// Finds the terminator of a heredoc whose body starts at `body_start`.
    fn heredoc_body(&mut self, marker: &Heredoc, body_start: usize) -> Option<(Heredoc, usize)> {
        let text = self.text;
        let mut pos = body_start;
        while pos < text.len() {
            let line = line_at(text, pos);
            let mut content = &text[line.start..line.content_end];
            let mut content_start = line.start;
            if marker.strip_tabs {
                let stripped = content.trim_start_matches('\t');
                content_start += content.len() - stripped.len();
                content = stripped;
            }
            if content == marker.name {
                let heredoc = Heredoc {
                    body: TextRange::new(body_start, line.start),
                    terminator: TextRange::new(content_start, line.content_end),
                    ..marker.clone()
                };
                self.seen = self.seen.max(line.seen);
                return Some((heredoc, line.next));
            }
            pos = line.next;
        }
        // Looked for the terminator up to the end of the text: text appended later may hold it.
        self.seen = text.len() + 1;
        None
    }

    fn check(&mut self, instruction: &Instruction) {
        let kind = instruction.kind;
        if kind == InstructionKind::Unknown {
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::UnknownInstruction,
                range: instruction.keyword.range,
                message: format!("unknown instruction `{}`", instruction.keyword.raw),
            });
        } else if instruction.rest.is_none() && !matches!(kind, InstructionKind::Unknown) {
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::MissingArguments,
                range: instruction.keyword.range,
                message: format!("`{}` needs arguments", kind.keyword()),
            });
        }
        // `ENV NAME` with nothing after the name: the builder rejects it ("ENV must have two arguments").
        if kind == InstructionKind::Env
            && let [name] = instruction.words.as_slice()
            && !name.raw.contains('=')
        {
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::MissingArguments,
                range: name.range,
                message: format!(
                    "`ENV {}` has no value: write `ENV {}=<value>` (the builder rejects a name alone)",
                    name.value, name.value
                ),
            });
        }
        // `ENV A=1 B`: once the first pair has `=`, every word needs one ("can't find = in B").
        if kind == InstructionKind::Env
            && instruction.words.first().is_some_and(|w| w.raw.contains('='))
            && let Some(bare) = instruction.words.iter().find(|w| !w.raw.contains('='))
        {
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::MissingArguments,
                range: bare.range,
                message: format!("`{}` has no `=`: in `ENV name=value ...` every word is a pair", bare.value),
            });
        }
        if let Some(flag) = instruction.flag_missing_value() {
            let name = &flag.name;
            self.errors.push(SyntaxError {
                kind: SyntaxErrorKind::MissingFlagValue,
                range: flag.range,
                message: format!(
                    "`--{name}` needs a value: write `--{name}=<value>` (the builder rejects a flag without `=`)"
                ),
            });
        }
        if let Some(trigger) = &instruction.trigger {
            self.check(trigger);
        }
    }
}

/// Tokenizes one logical instruction line into keyword, flags, words and JSON array.
fn tokenize(logical: LogicalText, escape: char, start: usize, line_end: usize) -> Instruction {
    let text = logical.as_str();
    let keyword_end = text.find(is_space).unwrap_or(text.len());
    let keyword_raw = &text[..keyword_end];
    let kind = InstructionKind::from_keyword(keyword_raw);
    let keyword = Word {
        raw: keyword_raw.into(),
        value: keyword_raw.to_ascii_uppercase().into(),
        range: logical.doc_range(TextRange::new(0, keyword_end)),
    };
    let args_start = skip_space(text, keyword_end);
    let mut instruction =
        untokenized(kind, keyword, TextRange::new(start, line_end.max(start)), logical, args_start, escape);
    tokenize_args(&mut instruction, args_start);
    instruction
}

/// Fills flags, rest, words, JSON and the ONBUILD trigger from logical offset `args_start` on.
fn tokenize_args(instruction: &mut Instruction, args_start: usize) {
    let escape = instruction.escape;
    let text = instruction.logical.as_str().to_owned();
    let mut pos = args_start;
    if instruction.kind != InstructionKind::Unknown && instruction.kind != InstructionKind::Onbuild {
        while let Some(word) = words::next_word(&text, pos, escape) {
            let raw = &text[word.start..word.end];
            if !raw.starts_with("--") || raw.len() == 2 {
                break;
            }
            let flag_text = &word.value[2..];
            let (name, value) = match flag_text.split_once('=') {
                Some((name, value)) => {
                    let value_start = raw.find('=').map_or(word.end, |idx| word.start + idx + 1);
                    (name.to_owned(), Some(instruction.word_at(value_start, word.end, value.to_owned())))
                }
                None => (flag_text.to_owned(), None),
            };
            instruction.flags.push(Flag {
                name,
                value,
                range: instruction.logical.doc_range(TextRange::new(word.start, word.end)),
            });
            pos = word.end;
        }
    }
    let rest_start = skip_space(&text, pos);
    let rest_end = text.trim_end_matches(is_space).len().max(rest_start);
    if rest_start < rest_end {
        let raw = CompactText::new(&text[rest_start..rest_end]);
        instruction.rest = Some(Word {
            value: raw.clone(),
            raw,
            range: instruction.logical.doc_range(TextRange::new(rest_start, rest_end)),
        });
    }
    if instruction.kind == InstructionKind::Onbuild {
        if instruction.rest.is_some() {
            let trigger = tokenize_trigger(instruction, rest_start);
            instruction.trigger = Some(Box::new(trigger));
        }
        return;
    }
    if instruction.kind.allows_json()
        && let Some(items) = words::parse_json_array(&text, rest_start)
    {
        instruction.json = Some(items.into_iter().map(|s| instruction.word_at(s.start, s.end, s.value)).collect());
        return;
    }
    // A shell-form RUN is read through its parsed shell; splitting its (often long) text into words
    // would only cost time.
    if instruction.kind == InstructionKind::Run {
        return;
    }
    instruction.words = words::split_words(&text, rest_start, escape)
        .into_iter()
        .map(|w| instruction.word_at(w.start, w.end, w.value))
        .collect();
}

/// An instruction with its keyword and text, before its arguments are tokenized.
fn untokenized(
    kind: InstructionKind,
    keyword: Word,
    range: TextRange,
    logical: LogicalText,
    args_start: usize,
    escape: char,
) -> Instruction {
    Instruction {
        kind,
        keyword,
        range,
        flags: Vec::new(),
        rest: None,
        words: Vec::new(),
        json: None,
        heredocs: Vec::new(),
        trigger: None,
        shell: None,
        logical,
        args_start,
        escape,
    }
}

/// The instruction an `ONBUILD` registers: the same logical text, tokenized from the trigger keyword on.
fn tokenize_trigger(onbuild: &Instruction, from: usize) -> Instruction {
    let text = onbuild.logical.as_str();
    let keyword_end = text[from..].find(is_space).map_or(text.len(), |idx| from + idx);
    let keyword_raw = &text[from..keyword_end];
    let kind = InstructionKind::from_keyword(keyword_raw);
    let start = onbuild.logical.doc_start(from);
    let mut trigger = untokenized(
        kind,
        onbuild.word_at(from, keyword_end, keyword_raw.to_ascii_uppercase()),
        TextRange::new(start, onbuild.range.end.max(start)),
        onbuild.logical.clone(),
        skip_space(text, keyword_end),
        onbuild.escape,
    );
    let args_start = trigger.args_start;
    if kind != InstructionKind::Onbuild {
        tokenize_args(&mut trigger, args_start);
    }
    trigger
}

fn skip_space(text: &str, pos: usize) -> usize {
    let rest = &text[pos.min(text.len())..];
    pos + (rest.len() - rest.trim_start_matches(is_space).len())
}

/// The heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`) in an instruction's arguments, in order. Markers
/// may follow other shell text (`cat<<EOF`), but never sit inside quotes, and `<<<` is a here-string.
fn heredoc_markers(instruction: &Instruction) -> Vec<Heredoc> {
    let mut markers = Vec::new();
    let Some(rest) = &instruction.rest else {
        return markers;
    };
    let Some(rest_start) = instruction.logical.logical_of(rest.range.start) else {
        return markers;
    };
    let raw = rest.raw.as_str();
    let mut search_from = 0;
    while let Some(found) = unquoted_find(raw, "<<", search_from) {
        let after = &raw[found + 2..];
        search_from = found + 2;
        if after.starts_with('<') || (found > 0 && raw.as_bytes()[found - 1] == b'<') {
            search_from += 1;
            continue;
        }
        let (strip_tabs, after) = match after.strip_prefix('-') {
            Some(after) => (true, after),
            None => (false, after),
        };
        let (quoted, name) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let Some(close) = after[1..].find(q) else {
                    continue;
                };
                (true, &after[1..1 + close])
            }
            _ => {
                let end = after.find(|c: char| "<>|&;()\"'`".contains(c) || c.is_whitespace());
                (false, &after[..end.unwrap_or(after.len())])
            }
        };
        if name.is_empty() {
            continue;
        }
        let marker_len = 2 + usize::from(strip_tabs) + name.len() + if quoted { 2 } else { 0 };
        let marker = instruction.logical.doc_range(TextRange::new(rest_start + found, rest_start + found + marker_len));
        markers.push(Heredoc {
            name: name.to_owned(),
            strip_tabs,
            quoted,
            marker,
            body: TextRange::default(),
            terminator: TextRange::default(),
        });
        search_from = found + marker_len;
    }
    markers
}

/// Finds `needle` in `haystack[from..]` outside single and double quotes.
fn unquoted_find(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (idx, ch) in haystack.char_indices() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if ch == '"' || ch == '\'' => quote = Some(ch),
            None if idx >= from && haystack[idx..].starts_with(needle) => return Some(idx),
            None => {}
        }
    }
    None
}
