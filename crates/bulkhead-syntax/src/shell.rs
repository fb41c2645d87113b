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
use std::sync::{Arc, Mutex, Weak};

use tree_sitter::{Node, Parser};

use crate::TextRange;
use crate::logical::SegmentMap;

/// A word of a shell command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// Range in the shell source (see [`ShellScript::doc_range`]).
    pub range: TextRange,
    /// The word's value when it is fully literal (quotes removed, escapes applied); `None` when it
    /// holds an expansion or command substitution.
    pub value: Option<String>,
}

/// How a command is joined to the command before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShellOperator {
    /// `a && b`: runs when the previous command succeeded.
    And,
    /// `a || b`: runs when the previous command failed.
    Or,
    /// `a | b`: reads the previous command's output.
    Pipe,
    /// `a; b` or a new line: runs whatever the previous command did.
    Sequence,
    /// `a & b`: the previous command runs in the background.
    Background,
}

/// One simple command: `NAME=value program arg...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// Range in the shell source of the whole command (redirections excluded).
    pub range: TextRange,
    /// The operator between this command and the previous one; `None` for the first command of the
    /// script and for a command nested in a substitution.
    pub operator: Option<ShellOperator>,
    /// Prefix assignments (`DEBIAN_FRONTEND=noninteractive apt-get ...`): name and value.
    pub env: Vec<(String, ShellWord)>,
    pub name: Option<ShellWord>,
    pub args: Vec<ShellWord>,
    /// The command runs inside a command or process substitution (`$(...)`, backticks, `<(...)`), at
    /// any depth: its pipes are that substitution's, which the shell's `pipefail` does not reach.
    pub in_substitution: bool,
    /// Where the base name starts in `name`'s value: rules ask for [`Self::program`] of every command, so
    /// the `/` search is done once, at parse time.
    program_start: usize,
}

impl ShellCommand {
    /// The command an exec-form instruction runs without a shell (`RUN ["apk", "add", "curl"]`): the JSON
    /// strings are its words, each fully literal. Unlike a parsed command's, its ranges (the command's and
    /// each word's, quotes included) are document ranges: there is no shell source to map from. `None` for an
    /// empty array.
    pub fn from_exec_words(words: &[crate::Word]) -> Option<Self> {
        let (first, rest) = words.split_first()?;
        let literal = |word: &crate::Word| ShellWord { range: word.range, value: Some(word.value.to_string()) };
        let end = words.last().map_or(first.range.end, |word| word.range.end);
        Some(ShellCommand {
            range: TextRange::new(first.range.start, end),
            operator: None,
            env: Vec::new(),
            name: Some(literal(first)),
            args: rest.iter().map(literal).collect(),
            in_substitution: false,
            program_start: first.value.rfind('/').map_or(0, |slash| slash + 1),
        })
    }

    /// The program's base name (`/usr/bin/apt-get` → `apt-get`), when literal.
    pub fn program(&self) -> Option<&str> {
        let value = self.name.as_ref()?.value.as_deref()?;
        Some(value.get(self.program_start..).unwrap_or(value))
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
    /// Assignments that are statements of their own (`deps='a b'; ...`, `export X=1`), in source order.
    /// Prefix assignments of a command are in its [`ShellCommand::env`] instead.
    pub assignments: Vec<(String, ShellWord)>,
    /// The parser found a syntax error.
    pub has_error: bool,
    /// End of the last top-level statement (comments excluded), in source coordinates.
    pub last_statement_end: Option<usize>,
    /// The source was longer than [`MAX_SHELL_BYTES`] and was not parsed: no commands, no assignments.
    pub too_large: bool,
}

/// The longest shell source of a `RUN` handed to tree-sitter-bash. Its parse takes 40 times the text in
/// memory at its peak for a long script (its stack holds every statement), and 500 times for a long
/// pipeline, so a megabyte heredoc script alone took the process over 100 MB; a longer script is not
/// parsed, and the analysis reports it (BH000). The longest `RUN` of the corpus is about 7 KiB.
pub const MAX_SHELL_BYTES: usize = 64 << 10;

/// How the shell text of an instruction was assembled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellMode {
    /// The instruction's own command line, heredoc bodies (if any) following as data.
    CommandLine,
    /// `RUN <<EOF`: the heredoc body is the script.
    HeredocScript,
}

/// The shell of one instruction: its source text, the parse, and the map back to the document.
///
/// The text and the parse are shared by every `RUN` with the same shell text, in every document that uses
/// the same [`ShellCache`]; the map is this instruction's own.
#[derive(Clone, Debug)]
pub struct ShellScript {
    source: Arc<str>,
    map: SegmentMap,
    parsed: Arc<ParsedShell>,
    mode: ShellMode,
}

impl ShellScript {
    /// A parsed script and the map from its text to the document.
    pub(crate) fn new(source: Arc<str>, map: SegmentMap, parsed: Arc<ParsedShell>, mode: ShellMode) -> Self {
        Self { source, map, parsed, mode }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn mode(&self) -> ShellMode {
        self.mode
    }

    pub fn commands(&self) -> &[ShellCommand] {
        &self.parsed.commands
    }

    /// Assignments that are statements of their own, in source order (see [`ParsedShell::assignments`]).
    pub fn assignments(&self) -> &[(String, ShellWord)] {
        &self.parsed.assignments
    }

    pub fn has_error(&self) -> bool {
        self.parsed.has_error
    }

    /// True when the script was longer than [`MAX_SHELL_BYTES`] and was not parsed (no commands).
    pub fn too_large(&self) -> bool {
        self.parsed.too_large
    }

    /// Text of a range in source coordinates.
    pub fn text(&self, range: TextRange) -> &str {
        self.source.get(range.as_range()).unwrap_or_default()
    }

    /// Document range of a range in source coordinates.
    pub fn doc_range(&self, range: TextRange) -> TextRange {
        self.map.doc_range(range)
    }

    /// Document offset right after the last top-level statement, where a command can be appended.
    pub fn last_statement_end(&self) -> Option<usize> {
        self.parsed.last_statement_end.map(|end| self.map.doc_end(end))
    }

    /// Moves the script's text by `delta` bytes in the document.
    pub(crate) fn shift(&mut self, delta: isize) {
        self.map.shift(delta);
    }
}

/// Parses of shell sources by text. Cloning gives a handle to the same cache, so one cache can serve
/// every open document: a `RUN` that several files share is parsed and stored once. An entry lives as
/// long as some parse result (a [`ShellScript`]) uses it; [`Self::sweep`] forgets the others, and so does
/// the cache itself as it grows.
#[derive(Clone, Default)]
pub struct ShellCache {
    inner: Arc<Mutex<CacheEntries>>,
}

#[derive(Default)]
struct CacheEntries {
    entries: HashMap<Arc<str>, Weak<ParsedShell>>,
    /// Sweep when the map reaches this size.
    sweep_at: usize,
}

impl CacheEntries {
    fn sweep(&mut self) {
        self.entries.retain(|_, parsed| parsed.strong_count() > 0);
        self.sweep_at = (self.entries.len() * 2).max(64);
    }
}

impl ShellCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, CacheEntries> {
        // A panic while holding the lock leaves a consistent map (every change is one step): carry on.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn get_or_parse(&self, source: String) -> (Arc<str>, Arc<ParsedShell>) {
        if let Some((text, parsed)) = self.entries().entries.get_key_value(source.as_str())
            && let Some(parsed) = parsed.upgrade()
        {
            return (text.clone(), parsed);
        }
        // Parse without holding the lock.
        let parsed = Arc::new(parse_script(&source));
        let text: Arc<str> = Arc::from(source);
        let mut entries = self.entries();
        entries.entries.insert(text.clone(), Arc::downgrade(&parsed));
        if entries.entries.len() >= entries.sweep_at {
            entries.sweep();
        }
        (text, parsed)
    }

    /// Forgets the parses that no parse result uses any more.
    pub fn sweep(&mut self) {
        self.entries().sweep();
    }

    pub fn len(&self) -> usize {
        self.entries().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Shells whose syntax is POSIX enough for tree-sitter-bash.
pub fn is_posix_shell(program: &str) -> bool {
    let base = program.rsplit('/').next().unwrap_or(program);
    matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox")
}

thread_local! {
    static BASH: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// [`parse_shell`] for a script from a file (a `RUN`, a shell-form `CMD`): one longer than
/// [`MAX_SHELL_BYTES`] is left unparsed, [`ParsedShell::too_large`].
pub fn parse_script(source: &str) -> ParsedShell {
    if source.len() > MAX_SHELL_BYTES {
        return ParsedShell {
            commands: Vec::new(),
            assignments: Vec::new(),
            has_error: false,
            last_statement_end: None,
            too_large: true,
        };
    }
    parse_shell(source)
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
        return ParsedShell {
            commands: Vec::new(),
            assignments: Vec::new(),
            has_error: true,
            last_statement_end: None,
            too_large: false,
        };
    };
    let root = tree.root_node();
    let mut commands = Vec::new();
    let mut assignments = Vec::new();
    collect_commands(root, source, &mut commands, &mut assignments);
    // Parses are kept while documents are open: no spare capacity.
    commands.shrink_to_fit();
    assignments.shrink_to_fit();
    for command in &mut commands {
        command.args.shrink_to_fit();
        command.env.shrink_to_fit();
    }
    let mut cursor = root.walk();
    let last_statement_end = root
        .named_children(&mut cursor)
        .filter(|node| node.kind() != "comment" && node.kind() != "heredoc_body")
        .last()
        .map(|node| node.end_byte());
    ParsedShell { commands, assignments, has_error: root.has_error(), last_statement_end, too_large: false }
}

/// Where the walk of [`collect_commands`] stands among the children of one node.
struct Level<'tree> {
    /// The node whose children these are.
    parent_kind: &'tree str,
    /// The operator before the parent node (what its first element inherits in a list or pipeline).
    parent_op: Option<ShellOperator>,
    /// The last child visited so far that is not a comment: its kind, and whether it is named.
    prev: Option<(&'tree str, bool)>,
    /// Inside a command or process substitution (`$(...)`, backticks, `<(...)`), at any depth.
    in_substitution: bool,
}

impl Level<'_> {
    /// The operator that joins the next child to what comes before it.
    fn operator(&self) -> Option<ShellOperator> {
        let Some((prev, named)) = self.prev else {
            // The first element of a list or pipeline is joined by whatever joins the whole.
            return match self.parent_kind {
                "list" | "pipeline" | "redirected_statement" | "negated_command" => self.parent_op,
                _ => None,
            };
        };
        match prev {
            "&&" => Some(ShellOperator::And),
            "||" => Some(ShellOperator::Or),
            "|" | "|&" => Some(ShellOperator::Pipe),
            "&" => Some(ShellOperator::Background),
            ";" | ";;" => Some(ShellOperator::Sequence),
            _ if named && matches!(self.parent_kind, "program" | "compound_statement" | "do_group" | "subshell") => {
                Some(ShellOperator::Sequence)
            }
            _ => None,
        }
    }
}

/// Collects the commands and statement assignments of a tree, in source order.
///
/// Iterative, with a cursor: a tree is as deep as its text nests (`((((`, `$($(`) or chains (`a && b && c`
/// is a left-leaning list as deep as the chain is long), so a recursive walk would overflow the stack on a
/// hostile file, and `Node::parent`/`Node::prev_sibling` each cost the depth of the node. The walk keeps
/// what it needs of the ancestors (their kinds, the operator before each) on a heap stack instead.
fn collect_commands<'tree>(
    root: Node<'tree>,
    source: &str,
    out: &mut Vec<ShellCommand>,
    assignments: &mut Vec<(String, ShellWord)>,
) {
    let mut cursor = root.walk();
    let mut levels: Vec<Level<'tree>> = Vec::new();
    loop {
        let node = cursor.node();
        if node.is_named() {
            let (op, parent_kind, in_substitution) = match levels.last() {
                Some(level) => (level.operator(), Some(level.parent_kind), level.in_substitution),
                None => (None, None, false),
            };
            match node.kind() {
                "command" => out.push(command(node, source, op, in_substitution)),
                "variable_assignment" if parent_kind != Some("command") => assignments.push(assignment(node, source)),
                _ => {}
            }
            if cursor.goto_first_child() {
                let in_substitution =
                    in_substitution || matches!(node.kind(), "command_substitution" | "process_substitution");
                levels.push(Level { parent_kind: node.kind(), parent_op: op, prev: None, in_substitution });
                continue;
            }
        }
        // On to the next sibling, climbing as far as needed; each node left behind becomes the `prev` of
        // its next sibling.
        loop {
            let left = cursor.node();
            if let Some(level) = levels.last_mut()
                && left.kind() != "comment"
            {
                level.prev = Some((left.kind(), left.is_named()));
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            levels.pop();
        }
    }
}

/// `name=value`: the name and the value (an empty literal when there is none).
fn assignment(node: Node<'_>, source: &str) -> (String, ShellWord) {
    let name = node.child_by_field_name("name").map(|n| source[n.byte_range()].to_owned()).unwrap_or_default();
    let value = match node.child_by_field_name("value") {
        Some(value) => word(value, source),
        None => ShellWord { range: TextRange::empty(node.end_byte()), value: Some(String::new()) },
    };
    (name, value)
}

fn command(node: Node<'_>, source: &str, operator: Option<ShellOperator>, in_substitution: bool) -> ShellCommand {
    let mut res = ShellCommand {
        range: TextRange::new(node.start_byte(), node.end_byte()),
        operator,
        env: Vec::new(),
        name: None,
        args: Vec::new(),
        in_substitution,
        program_start: 0,
    };
    let mut cursor = node.walk();
    for (idx, child) in node.children(&mut cursor).enumerate() {
        let field = node.field_name_for_child(idx as u32);
        match (field, child.kind()) {
            (_, "variable_assignment") => res.env.push(assignment(child, source)),
            (Some("name"), _) => {
                let inner = child.named_child(0).unwrap_or(child);
                let name = word(inner, source);
                res.program_start = name.value.as_deref().and_then(|v| v.rfind('/')).map_or(0, |slash| slash + 1);
                res.name = Some(name);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn programs(source: &str) -> Vec<(Option<String>, Option<ShellOperator>)> {
        parse_shell(source).commands.into_iter().map(|c| (c.program().map(str::to_owned), c.operator)).collect()
    }

    #[test]
    fn commands_and_operators() {
        use ShellOperator::*;
        let got = programs("set -eux; apt-get update && apt-get install -y x || true\ncurl -s x | sh & wait");
        let want = [
            ("set", None),
            ("apt-get", Some(Sequence)),
            ("apt-get", Some(And)),
            ("true", Some(Or)),
            ("curl", Some(Sequence)),
            ("sh", Some(Pipe)),
            ("wait", Some(Background)),
        ];
        assert_eq!(got, want.map(|(p, o)| (Some(p.to_owned()), o)));
    }

    #[test]
    fn statement_assignments() {
        let parsed = parse_shell("deps=' a b '; export MODE=fast X=\"$Y\"; DEBIAN_FRONTEND=x apt-get install $deps");
        let got: Vec<(&str, Option<&str>)> =
            parsed.assignments.iter().map(|(name, value)| (name.as_str(), value.value.as_deref())).collect();
        assert_eq!(got, [("deps", Some(" a b ")), ("MODE", Some("fast")), ("X", None)]);
        // `export` is a declaration, not a command; the prefix assignment stays with its command.
        assert_eq!(parsed.commands.len(), 1);
        assert_eq!(parsed.commands[0].env[0].0, "DEBIAN_FRONTEND");
    }

    #[test]
    fn literal_values() {
        let parsed = parse_shell(
            r#"DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y 'a b' "c\"d" e\ f "$X" pre"fix""#,
        );
        let command = &parsed.commands[0];
        assert_eq!(command.program(), Some("apt-get"));
        assert_eq!(command.env[0].0, "DEBIAN_FRONTEND");
        let values: Vec<_> = command.args.iter().map(|a| a.value.as_deref()).collect();
        assert_eq!(values, [Some("install"), Some("-y"), Some("a b"), Some("c\"d"), Some("e f"), None, Some("prefix")]);
    }

    #[test]
    fn commands_in_substitutions() {
        let parsed = parse_shell("v=$(curl -s x | sed 1q) && tar x <(a | b) `c | d` && e | f \"$(g)\"");
        let got: Vec<(&str, bool)> =
            parsed.commands.iter().map(|c| (c.program().unwrap_or_default(), c.in_substitution)).collect();
        let want = [
            ("curl", true),
            ("sed", true),
            ("tar", false),
            ("a", true),
            ("b", true),
            ("c", true),
            ("d", true),
            ("e", false),
            ("f", false),
            ("g", true),
        ];
        assert_eq!(got, want);
    }

    /// Shapes that nest or chain far deeper than any real script: the walk neither overflows the stack
    /// nor slows down with the depth (a recursive walk aborted the process on each of these).
    #[test]
    fn deep_and_long_shells() {
        let chain = vec!["true"; 30_000].join(" && ");
        let parsed = parse_shell(&chain);
        assert_eq!(parsed.commands.len(), 30_000);
        assert_eq!(parsed.commands[0].operator, None);
        assert!(parsed.commands[1..].iter().all(|c| c.operator == Some(ShellOperator::And)));

        let depth = 20_000;
        // `( (` nests subshells; `((` opens an arithmetic command, nested as deep.
        let subshells = format!("{}true{} | cat", "( ".repeat(depth), " )".repeat(depth));
        let want = [(Some("true".to_owned()), None), (Some("cat".to_owned()), Some(ShellOperator::Pipe))];
        assert_eq!(programs(&subshells), want);
        let arithmetic = format!("{}1{} | cat", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(programs(&arithmetic), want[1..]);

        let depth = 5_000;
        let nested = format!("{}x{}", "echo $(".repeat(depth), ")".repeat(depth));
        let parsed = parse_shell(&nested);
        assert_eq!(parsed.commands.len(), depth + 1);
        assert!(parsed.commands.iter().all(|c| c.operator.is_none()));
        assert!(parsed.commands[..depth].iter().all(|c| c.program() == Some("echo")));

        let ifs = format!("{}true; {}", "if true; then ".repeat(depth), "fi; ".repeat(depth));
        assert_eq!(parse_shell(&ifs).commands.len(), depth + 1);
    }

    #[test]
    fn comments_between_commands_keep_the_operator() {
        use ShellOperator::*;
        let got = programs("a &&\n# note\nb; (c) | { d; }\n# trailing\ne");
        let want = [("a", None), ("b", Some(And)), ("c", None), ("d", None), ("e", Some(Sequence))];
        assert_eq!(got, want.map(|(p, o)| (Some(p.to_owned()), o)));
    }

    #[test]
    fn scripts_past_the_size_limit_are_not_parsed() {
        let line = "echo hello\n";
        let at_limit = line.repeat(MAX_SHELL_BYTES / line.len());
        let parsed = parse_script(&at_limit);
        assert!(!parsed.too_large);
        assert_eq!(parsed.commands.len(), MAX_SHELL_BYTES / line.len());
        let parsed = parse_script(&line.repeat(MAX_SHELL_BYTES / line.len() + 1));
        assert!(parsed.too_large && !parsed.has_error && parsed.commands.is_empty());
        // Through the whole parse: the script is kept, unparsed; the next `RUN` is parsed as usual.
        let text = format!("FROM alpine\nRUN <<EOF\n{}EOF\nRUN apk add curl\n", line.repeat(10_000));
        let file = crate::parse(&text);
        let shells: Vec<_> = file.instructions().iter().filter_map(|i| i.shell.as_deref()).collect();
        assert!(shells[0].too_large() && shells[0].commands().is_empty());
        assert!(!shells[1].too_large() && shells[1].commands()[0].program() == Some("apk"));
    }
}
