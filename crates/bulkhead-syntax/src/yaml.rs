//! YAML with positions, for Compose files.
//!
//! [`Yaml::parse`] turns text into a tree of [`YamlNode`]s (scalars, sequences, mappings), each with the
//! byte range it was written at. saphyr-parser gives the events (why this parser: docs/compose.md); this
//! module builds the tree from them with an explicit stack, so nothing here recurses as deep as the text
//! nests (the parser itself caps flow nesting and keeps its own state on the heap).
//!
//! Anchors and aliases are resolved by sharing: an alias is the id of the anchored node, so a document of
//! nested aliases (the "billion laughs") is a small graph, never expanded. Merge keys (`<<: *base`,
//! `<<: [*a, *b]`) are resolved into the mapping that holds them, their entries copied (own keys win, then
//! the first merged mapping that has the key); the number of aliases and of copied entries is capped
//! ([`MAX_ALIASES`], [`MAX_MERGED_ENTRIES`]), and going over the cap is the document's error.
//!
//! Invariant: parsing never fails and never panics. A text with an error keeps the tree that was built up
//! to the error (open mappings and sequences closed where the error is, and marked incomplete), plus one
//! [`YamlError`] at the error's place. Only the first document of a stream is read.

use std::collections::HashMap;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::text::TextRange;

/// The index of a node in [`Yaml::nodes`].
pub type NodeId = usize;

/// The most aliases one document may use.
pub const MAX_ALIASES: usize = 10_000;
/// The most mapping entries that merge keys may copy in one document.
pub const MAX_MERGED_ENTRIES: usize = 100_000;

/// A scalar, a sequence or a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlValue {
    /// The value as YAML reads it (quotes, escapes and block indentation removed). `plain` is true for an
    /// unquoted scalar: only those can be `null`, `true` or a number.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<NodeId>),
    Map(Vec<Entry>),
}

/// One entry of a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
    /// True for an entry that a merge key (`<<: *x`) brought in: it is written elsewhere.
    pub merged: bool,
}

/// A node and where it is written. An aliased node is written at its anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlNode {
    pub value: YamlValue,
    pub range: TextRange,
    /// False for a mapping or sequence that the document's error cut short.
    pub complete: bool,
}

/// The document's error: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub range: TextRange,
    pub message: String,
}

/// A comment on a line of its own (`# ...`): the range and text after `#`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlComment {
    pub range: TextRange,
    pub text: String,
}

/// A parsed YAML document.
#[derive(Clone, Debug)]
pub struct Yaml {
    text: Arc<str>,
    nodes: Vec<YamlNode>,
    root: Option<NodeId>,
    error: Option<YamlError>,
    comments: Vec<YamlComment>,
}

/// Character index (what the parser's marks count) to byte offset.
struct Offsets {
    /// Empty for an ASCII text, where they are the same.
    bytes: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(idx, _)| idx).chain(std::iter::once(text.len())).collect()
        };
        Self { bytes, len: text.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match self.bytes.is_empty() {
            true => char_index.min(self.len),
            false => self.bytes.get(char_index).copied().unwrap_or(self.len),
        }
    }

    fn range(&self, span: &Span) -> TextRange {
        let start = self.byte(span.start.index());
        TextRange::new(start, self.byte(span.end.index()).max(start))
    }
}

/// A mapping or sequence being read.
struct Frame {
    start: usize,
    anchor: usize,
    is_map: bool,
    children: Vec<NodeId>,
}

struct Builder {
    nodes: Vec<YamlNode>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    root: Option<NodeId>,
    aliases: usize,
    merged: usize,
}

impl Builder {
    fn add(&mut self, node: YamlNode, anchor: usize) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(node);
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        id
    }

    /// A finished node goes to the mapping or sequence around it, or is the document.
    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            Some(frame) => frame.children.push(id),
            None => {
                self.root.get_or_insert(id);
            }
        }
    }

    /// Closes the innermost mapping or sequence at `end` (bytes).
    fn close(&mut self, end: usize, complete: bool) -> Result<(), String> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        let end =
            frame.children.iter().map(|&child| self.nodes[child].range.end).fold(end.max(frame.start), usize::max);
        let range = TextRange::new(frame.start, end);
        let value = match frame.is_map {
            false => YamlValue::Seq(frame.children),
            true => YamlValue::Map(self.entries(frame.children)?),
        };
        let id = self.add(YamlNode { value, range, complete }, frame.anchor);
        self.attach(id);
        Ok(())
    }

    /// A mapping's entries from its children (key, value, key, value...), merge keys resolved.
    fn entries(&mut self, children: Vec<NodeId>) -> Result<Vec<Entry>, String> {
        let mut own = Vec::with_capacity(children.len() / 2);
        let mut merges = Vec::new();
        for pair in children.chunks(2) {
            let &[key, value] = pair else { continue };
            match &self.nodes[key].value {
                YamlValue::Scalar { value: name, plain: true } if name == "<<" => merges.push(value),
                _ => own.push(Entry { key, value, merged: false }),
            }
        }
        for source in merges {
            let sources = match &self.nodes[source].value {
                YamlValue::Map(_) => vec![source],
                YamlValue::Seq(items) => items.clone(),
                YamlValue::Scalar { .. } => Vec::new(),
            };
            for source in sources {
                let YamlValue::Map(entries) = &self.nodes[source].value else { continue };
                for entry in entries {
                    let name = self.key_text(entry.key);
                    if own.iter().any(|have: &Entry| self.key_text(have.key) == name) {
                        continue;
                    }
                    self.merged += 1;
                    if self.merged > MAX_MERGED_ENTRIES {
                        return Err(format!("merge keys copy more than {MAX_MERGED_ENTRIES} entries"));
                    }
                    own.push(Entry { merged: true, ..*entry });
                }
            }
        }
        Ok(own)
    }

    fn key_text(&self, key: NodeId) -> Option<&str> {
        match &self.nodes[key].value {
            YamlValue::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
}

impl Yaml {
    /// Parses a text. Never fails: see the module's documentation.
    ///
    /// One leniency, for Docker's parser (go-yaml) accepts it and real Compose files rely on it: a
    /// multi-line flow collection closed by a `]` or `}` on its own line at the indentation of its key
    /// (`command: [` ... `]` under `command`), which YAML 1.2 forbids. When the strict parse stops there,
    /// the bracket is moved to the end of the line before it (`"x"` `\n    ]` becomes `"x"]` `\n    `: the same
    /// length, so every other byte keeps its offset) and the text is parsed again, a few times at most.
    pub fn parse(text: &str) -> Yaml {
        let mut yaml = Self::parse_strict(text);
        let mut lenient: Option<String> = None;
        for _ in 0..MAX_LENIENT_BRACKETS {
            let Some(at) = yaml.error.as_ref().and_then(|e| misplaced_bracket(lenient.as_deref().unwrap_or(text), e))
            else {
                break;
            };
            let mut moved = lenient.take().unwrap_or_else(|| text.to_owned());
            let line_break = moved[..at].rfind('\n').unwrap_or(0);
            let line_break = if moved[..line_break].ends_with('\r') { line_break - 1 } else { line_break };
            let bracket = moved[at..=at].to_owned();
            moved.replace_range(line_break..=at, &format!("{bracket}{}", &moved[line_break..at]));
            let mut again = Self::parse_strict(&moved);
            again.text = text.into();
            again.comments = comments(text, &again.nodes);
            yaml = again;
            lenient = Some(moved);
        }
        yaml
    }

    fn parse_strict(text: &str) -> Yaml {
        let offsets = Offsets::new(text);
        let mut builder = Builder {
            nodes: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            aliases: 0,
            merged: 0,
        };
        let mut parser = Parser::new_from_str(text);
        let mut error = None;
        let mut documents = 0;
        let mut last_end = 0;
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(err)) => {
                    let at = offsets.byte(err.marker().index());
                    let message = err.info().to_owned();
                    error = Some(YamlError { range: error_range(text, at), message });
                    break;
                }
            };
            let range = offsets.range(&span);
            let outcome = match event {
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                    Ok(())
                }
                Event::Scalar(value, style, anchor, _) => {
                    let plain = style == ScalarStyle::Plain;
                    let value = YamlValue::Scalar { value: value.into_owned(), plain };
                    // A block scalar's span runs to where the next token starts: end at its last character.
                    let written = text[range.start..range.end].trim_end();
                    let range = TextRange::new(range.start, range.start + written.len());
                    let id = builder.add(YamlNode { value, range, complete: true }, anchor);
                    builder.attach(id);
                    Ok(())
                }
                Event::Alias(anchor) => {
                    builder.aliases += 1;
                    match builder.anchors.get(&anchor).copied() {
                        _ if builder.aliases > MAX_ALIASES => Err(format!("more than {MAX_ALIASES} aliases")),
                        Some(id) => {
                            builder.attach(id);
                            Ok(())
                        }
                        None => Err("an alias to an unknown anchor".to_owned()),
                    }
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    let is_map = matches!(event, Event::MappingStart(..));
                    builder.stack.push(Frame { start: range.start, anchor, is_map, children: Vec::new() });
                    Ok(())
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    // A flow collection ends at its `]` or `}`; a block one at its last child (its end
                    // event is where the next token starts).
                    let flow = builder.stack.last().is_some_and(|frame| text[frame.start..].starts_with(['[', '{']));
                    builder.close(if flow { range.end } else { 0 }, true)
                }
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => Ok(()),
            };
            if let Err(message) = outcome {
                error = Some(YamlError { range: error_range(text, range.start), message });
                break;
            }
            last_end = last_end.max(range.end);
        }
        // What the error cut short: closed where it stopped, marked incomplete.
        while !builder.stack.is_empty() {
            if builder.close(last_end, false).is_err() {
                // Over the merge cap while closing: the frames left are dropped.
                builder.stack.clear();
            }
        }
        let comments = comments(text, &builder.nodes);
        Yaml { text: text.into(), nodes: builder.nodes, root: builder.root, error, comments }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The document's top node; `None` for an empty text (or one whose first node has an error).
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &YamlNode {
        &self.nodes[id]
    }

    pub fn nodes(&self) -> &[YamlNode] {
        &self.nodes
    }

    pub fn error(&self) -> Option<&YamlError> {
        self.error.as_ref()
    }

    pub fn comments(&self) -> &[YamlComment] {
        &self.comments
    }

    /// The scalar's value, or `None` for a mapping or sequence.
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].value {
            YamlValue::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// True for a plain scalar that YAML reads as null (`null`, `~`, nothing).
    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(&self.nodes[id].value, YamlValue::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A mapping's entries (none for anything else).
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match &self.nodes[id].value {
            YamlValue::Map(entries) => entries,
            _ => &[],
        }
    }

    /// A sequence's items (none for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match &self.nodes[id].value {
            YamlValue::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entry of a mapping under a key.
    pub fn get(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.entries(map).iter().copied().find(|entry| self.scalar(entry.key) == Some(key))
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].value, YamlValue::Map(_))
    }

    pub fn is_seq(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].value, YamlValue::Seq(_))
    }

    /// For a literal block scalar (`|`, `|-`, `|+`, `|2`), where each line of its value is written: one
    /// `(value offset, text offset)` pair per line of the value, so that an offset into the value maps to
    /// the text ([`LiteralLines::to_text`]). `None` for any other node, and for a block scalar whose lines
    /// do not read back exactly (a folded `>` scalar, tabs in the indentation).
    pub fn literal_lines(&self, id: NodeId) -> Option<LiteralLines> {
        let value = self.scalar(id)?;
        let range = self.nodes[id].range;
        let text = &self.text[..];
        // The scanner's span starts at the content: the header (`|`, `|-`...) ends the line before it.
        let first = text[..range.start].rfind('\n').map_or(0, |idx| idx + 1);
        if first == 0 || value.starts_with('\n') {
            return None;
        }
        let header_start = text[..first - 1].rfind('\n').map_or(0, |idx| idx + 1);
        let header = text[header_start..first - 1].trim_end_matches('\r');
        let header = header.split(" #").next().unwrap_or(header).trim_end();
        let indicator = header.rsplit([' ', '\t']).next().unwrap_or(header);
        let digits_or_chomping = |c: char| matches!(c, '-' | '+') || c.is_ascii_digit();
        if !indicator.starts_with('|') || !indicator[1..].chars().all(digits_or_chomping) {
            return None;
        }
        // The block's indentation: that of its first line with content.
        let indent = text[first..range.end]
            .split('\n')
            .find(|line| !line.trim().is_empty())
            .map_or(0, |line| line.len() - line.trim_start_matches(' ').len());
        let mut pos = first;
        let mut lines = Vec::new();
        let mut value_offset = 0;
        let value_lines: Vec<&str> = value.split('\n').collect();
        // A kept or clipped final line break leaves an empty last item that is not written.
        let count = if value.ends_with('\n') { value_lines.len() - 1 } else { value_lines.len() };
        for line in &value_lines[..count] {
            let end = text[pos..].find('\n').map_or(text.len(), |idx| pos + idx);
            let source = text[pos..end].trim_end_matches('\r');
            let start = match source.trim().is_empty() && line.is_empty() {
                true => pos + indent.min(source.len()),
                false if source.len() >= indent && source[..indent].bytes().all(|b| b == b' ') => pos + indent,
                false => return None,
            };
            if !line.is_empty() && text[start..pos + source.len()] != **line {
                return None;
            }
            lines.push((value_offset, start, line.len()));
            value_offset += line.len() + 1;
            pos = (end + 1).min(text.len());
        }
        Some(LiteralLines { lines })
    }
}

/// Where the lines of a literal block scalar's value are written: see [`Yaml::literal_lines`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralLines {
    /// Per line: its offset in the value, in the text, and its length.
    lines: Vec<(usize, usize, usize)>,
}

impl LiteralLines {
    /// The text offset of an offset into the value (a line's end maps to its end in the text).
    pub fn to_text(&self, offset: usize) -> Option<usize> {
        let idx = self.lines.partition_point(|(start, _, _)| *start <= offset).checked_sub(1)?;
        let (value_start, text_start, len) = self.lines[idx];
        Some(text_start + (offset - value_start).min(len))
    }

    /// A value range as a text range.
    pub fn range_to_text(&self, range: TextRange) -> Option<TextRange> {
        Some(TextRange::new(self.to_text(range.start)?, self.to_text(range.end)?))
    }
}

/// An error's range: the character at `at` (or nothing at the end of the text).
/// How many flow brackets the lenient parse moves in one file.
const MAX_LENIENT_BRACKETS: usize = 16;

/// The byte offset of a `]` or `}` that stopped the strict parse with "invalid indentation" while it
/// stands alone at the start of its line (after blanks), and the line before it can take it at its end
/// (it has text and no `#`, which could start a comment that would swallow the bracket).
fn misplaced_bracket(text: &str, error: &YamlError) -> Option<usize> {
    if error.message != "invalid indentation" {
        return None;
    }
    let line_start = text[..error.range.start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let at = line_start + indent;
    if !text[at..].starts_with([']', '}']) {
        return None;
    }
    let before = text[..line_start].trim_end_matches(['\n', '\r']);
    let previous = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    (!previous.trim().is_empty() && !previous.contains('#') && line_start > 0).then_some(at)
}

fn error_range(text: &str, at: usize) -> TextRange {
    let at = crate::floor_char_boundary(text, at);
    let len = text[at..].chars().next().filter(|c| *c != '\n' && *c != '\r').map_or(0, char::len_utf8);
    TextRange::new(at, at + len)
}

/// The comments on lines of their own, outside multi-line scalars.
fn comments(text: &str, nodes: &[YamlNode]) -> Vec<YamlComment> {
    let mut scalars: Vec<TextRange> = nodes
        .iter()
        .filter(|node| {
            matches!(node.value, YamlValue::Scalar { .. }) && text[node.range.start..node.range.end].contains('\n')
        })
        .map(|node| node.range)
        .collect();
    scalars.sort_by_key(|range| range.start);
    let mut res = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_start_matches([' ', '\t']);
        let Some(comment) = content.strip_prefix('#') else { continue };
        let hash = start + (line.len() - content.len());
        let inside = scalars.partition_point(|range| range.start <= hash);
        if inside > 0 && scalars[inside - 1].contains(hash) {
            continue;
        }
        let comment = comment.trim_end_matches(['\n', '\r']);
        res.push(YamlComment { range: TextRange::new(hash, hash + 1 + comment.len()), text: comment.to_owned() });
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(yaml: &Yaml, id: NodeId) -> &str {
        let range = yaml.node(id).range;
        &yaml.text()[range.start..range.end]
    }

    #[test]
    fn keys_and_values_have_their_ranges() {
        let text = "services:\n  web:\n    cmd: |\n      a\n\n    image: \"nginx:1\"\n    ports: [\"80:80\", 443]\n    é: 'x'\n";
        let yaml = Yaml::parse(text);
        assert!(yaml.error().is_none());
        let root = yaml.root().unwrap();
        let services = yaml.get(root, "services").unwrap().value;
        let web = yaml.get(services, "web").unwrap();
        assert_eq!(at(&yaml, web.key), "web");
        let image = yaml.get(web.value, "image").unwrap();
        assert_eq!(at(&yaml, image.key), "image");
        assert_eq!(at(&yaml, yaml.get(web.value, "cmd").unwrap().value), "a");
        assert_eq!(at(&yaml, image.value), "\"nginx:1\"");
        assert_eq!(yaml.scalar(image.value), Some("nginx:1"));
        let ports = yaml.get(web.value, "ports").unwrap().value;
        assert_eq!(at(&yaml, ports), "[\"80:80\", 443]");
        let items: Vec<&str> = yaml.items(ports).iter().map(|&id| at(&yaml, id)).collect();
        assert_eq!(items, ["\"80:80\"", "443"]);
        let accented = yaml.get(web.value, "é").unwrap();
        assert_eq!(at(&yaml, accented.value), "'x'");
        assert!(at(&yaml, web.value).starts_with("cmd") && at(&yaml, web.value).ends_with("'x'"));
    }

    #[test]
    fn merge_keys_and_aliases() {
        let text = "x-base: &base\n  privileged: true\n  user: root\nweb:\n  <<: *base\n  user: app\n  image: *base\n";
        let yaml = Yaml::parse(text);
        let web = yaml.get(yaml.root().unwrap(), "web").unwrap().value;
        let keys: Vec<_> = yaml.entries(web).iter().map(|e| (yaml.scalar(e.key).unwrap(), e.merged)).collect();
        assert_eq!(keys, [("user", false), ("image", false), ("privileged", true)]);
        assert_eq!(yaml.scalar(yaml.get(web, "user").unwrap().value), Some("app"));
        // A merged entry is written at the anchor.
        assert_eq!(at(&yaml, yaml.get(web, "privileged").unwrap().value), "true");
        assert!(yaml.is_map(yaml.get(web, "image").unwrap().value));
    }

    #[test]
    fn an_error_keeps_what_came_before_it_once() {
        let text = "services:\n  web:\n    privileged: true\n  db:\n    image: [x\n";
        let yaml = Yaml::parse(text);
        let error = yaml.error().expect("an error");
        assert!(error.range.start >= text.find("[x").unwrap(), "{error:?}");
        let services = yaml.get(yaml.root().unwrap(), "services").unwrap().value;
        assert!(!yaml.node(services).complete);
        let web = yaml.get(services, "web").unwrap().value;
        assert!(yaml.node(web).complete);
        assert_eq!(yaml.scalar(yaml.get(web, "privileged").unwrap().value), Some("true"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for text in [
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
            "- ".repeat(100_000),
            "a:\n".to_owned() + &" - x\n".repeat(10),
        ] {
            let yaml = Yaml::parse(&text);
            let _ = yaml.error();
        }
        let block: String = (0..20_000).map(|depth| format!("{}k:\n", " ".repeat(depth))).collect();
        let _ = Yaml::parse(&block);
    }

    #[test]
    fn billion_laughs_stays_small() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..30 {
            let prev = format!("*a{}", level - 1);
            text.push_str(&format!("a{level}: &a{level} [{}]\n", vec![prev; 10].join(", ")));
        }
        let yaml = Yaml::parse(&text);
        assert!(yaml.error().is_none());
        assert!(yaml.nodes().len() < 1_000, "{}", yaml.nodes().len());
        // Too many aliases is the document's error.
        let many = format!("a: &a x\nb: [{}]\n", vec!["*a"; MAX_ALIASES + 1].join(", "));
        assert!(Yaml::parse(&many).error().unwrap().message.contains("aliases"));
        // Merges that copy too much.
        let mut merges = String::from("m0: &m0 {");
        merges.push_str(&(0..1000).map(|k| format!("k{k}: 1")).collect::<Vec<_>>().join(", "));
        merges.push_str("}\n");
        for level in 0..200 {
            merges.push_str(&format!("n{level}: {{<<: *m0, own: 1}}\n"));
        }
        assert!(Yaml::parse(&merges).error().unwrap().message.contains("merge"));
    }

    #[test]
    fn comments_on_their_own_lines_outside_block_scalars() {
        let text = "# top\na: |\n  # not a comment\n  x\n  # bulkhead ignore=BH710\nb: 1 # trailing\n";
        let yaml = Yaml::parse(text);
        let comments: Vec<&str> = yaml.comments().iter().map(|c| c.text.as_str()).collect();
        // The indented `#` lines belong to the block scalar.
        assert_eq!(comments, [" top"]);
    }

    #[test]
    fn literal_lines_map_back() {
        for text in [
            "a:\n  b: |\n    FROM x\n\n      RUN y  \n    USER 1\nc: 1\n",
            "a:\r\n  b: |-\r\n    FROM x\r\n    USER 1\r\n",
            "b: |+ # kept\n  FROM x\n\n",
        ] {
            let yaml = Yaml::parse(text);
            assert!(yaml.error().is_none(), "{text:?}");
            let node = yaml
                .nodes()
                .iter()
                .position(|n| matches!(&n.value, YamlValue::Scalar { value, .. } if value.starts_with("FROM")))
                .unwrap();
            let value = yaml.scalar(node).unwrap().to_owned();
            let lines = yaml.literal_lines(node).unwrap();
            // Every character of the value but the line breaks is where the text has it.
            for (offset, c) in value.char_indices().filter(|(_, c)| *c != '\n') {
                let at = lines.to_text(offset).unwrap();
                assert_eq!(text[at..].chars().next(), Some(c), "{text:?} at {offset}");
            }
        }
        // A folded or quoted scalar does not map back.
        for text in ["b: >\n  FROM x\n  USER 1\n", "b: \"FROM x\\nUSER 1\"\n", "b: FROM x\n"] {
            let yaml = Yaml::parse(text);
            let node = yaml
                .nodes()
                .iter()
                .position(|n| matches!(&n.value, YamlValue::Scalar { value, .. } if value.starts_with("FROM")))
                .unwrap();
            assert!(yaml.literal_lines(node).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_flow_sequence_closed_at_its_keys_indentation_parses_as_docker_reads_it() {
        // go-yaml (Docker's parser) takes this; YAML 1.2 does not. Same for CRLF and a flow mapping.
        for eol in ["\n", "\r\n"] {
            let text = [
                "services:",
                "  flagd:",
                "    command: [",
                "      \"start\",",
                "      \"--uri\"",
                "    ]",
                "    environment: {",
                "      A: b",
                "    }",
                "    read_only: true",
                "",
            ]
            .join(eol);
            let yaml = Yaml::parse(&text);
            assert!(yaml.error().is_none(), "{:?}", yaml.error());
            assert_eq!(yaml.text(), text);
            let root = yaml.root().unwrap();
            let flagd = yaml.get(yaml.get(root, "services").unwrap().value, "flagd").unwrap().value;
            let command = yaml.get(flagd, "command").unwrap().value;
            let words: Vec<&str> = yaml.items(command).iter().filter_map(|&id| yaml.scalar(id)).collect();
            assert_eq!(words, ["start", "--uri"]);
            let read_only = yaml.node(yaml.get(flagd, "read_only").unwrap().value).range;
            assert_eq!(&text[read_only.start..read_only.end], "true");
        }
        // A bracket after a comment line is not moved into the comment: the error stays.
        let text = "a:\n  b: [\n    1, # one\n  ]\n";
        assert_eq!(Yaml::parse(text).error(), Yaml::parse_strict(text).error());
    }
}
