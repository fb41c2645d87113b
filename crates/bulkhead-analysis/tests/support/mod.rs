//! What several test files of this crate share.
#![allow(dead_code)] // Each test file uses its own part of it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bulkhead_analysis::{Applicability, Diagnostic, Fix, apply_edits};
use bulkhead_syntax::{ColumnUnit, LineIndex, TextRange};

/// The date the tests judge end-of-life dates against (BH106), in place of today's.
pub const TODAY: bulkhead_analysis::Date = bulkhead_analysis::Date::new(2026, 12, 1);

/// The files of `shared/corpus/<folder>`, sorted by name; there must be `count` of them. The corpus lives
/// beside the repository.
pub fn corpus(folder: &str, count: usize) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("corpus missing at {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), count);
    paths
}

/// The 472 real Dockerfiles of `shared/corpus/dev`, sorted by name.
pub fn dev_corpus() -> Vec<PathBuf> {
    corpus("dev", 472)
}

/// The findings of a corpus run for its snapshots: one line per finding (`file:line:col CODE message`),
/// and per rule the number of findings and of files with one.
pub struct Tally {
    pub lines: String,
    pub counts: BTreeMap<&'static str, (usize, usize)>,
}

impl Tally {
    /// A tally that lists every one of `codes`, found or not.
    pub fn new(codes: impl IntoIterator<Item = &'static str>) -> Self {
        Self { lines: String::new(), counts: codes.into_iter().map(|code| (code, (0, 0))).collect() }
    }

    /// Adds the findings of the file `path` whose text is `text`.
    pub fn add(&mut self, path: &Path, text: &str, diagnostics: &[Diagnostic]) {
        let name = path.file_name().unwrap().to_string_lossy();
        let index = LineIndex::new(text);
        let mut files_hit = BTreeSet::new();
        for diagnostic in diagnostics {
            let position = index.line_col(text, diagnostic.range.start, ColumnUnit::Char);
            let _ = writeln!(
                self.lines,
                "{name}:{}:{} {} {}",
                position.line + 1,
                position.column + 1,
                diagnostic.code,
                diagnostic.message
            );
            let entry = self.counts.entry(diagnostic.code).or_default();
            entry.0 += 1;
            if files_hit.insert(diagnostic.code) {
                entry.1 += 1;
            }
        }
    }

    /// The per-rule table: code, findings, files, name.
    pub fn summary<'r>(&self, rules: impl IntoIterator<Item = &'r bulkhead_analysis::Rule>) -> String {
        let mut summary = String::from("code   findings  files  name\n");
        for rule in rules {
            let (n, files) = self.counts[rule.code];
            let _ = writeln!(summary, "{:<6} {n:>8} {files:>6}  {}", rule.code, rule.name);
        }
        summary
    }
}

/// A text before fixes, parsed once, with what [`checked_fix`] compares against.
pub struct Original {
    pub text: String,
    file: bulkhead_syntax::Dockerfile,
    comments: Vec<String>,
    targets: Vec<(String, String, TextRange)>,
}

impl Original {
    pub fn new(text: &str) -> Self {
        let file = bulkhead_syntax::parse(text);
        Self { text: text.to_owned(), comments: comments(&file), targets: suppression_targets(&file), file }
    }
}

/// Applies one fix and checks what holds for every fix whatever its rule: it changes the text (or creates a
/// file), a file it creates is unsafe, it adds no syntax error, keeps the line endings of a CRLF file, keeps
/// every comment (but those inside an instruction it deletes whole), and keeps every suppression comment
/// with the instruction it was written for. Returns the fixed text, or what is wrong.
pub fn checked_fix(original: &Original, fix: &Fix) -> Result<String, String> {
    let text = original.text.as_str();
    let fixed = apply_edits(text, &fix.edits);
    let title = &fix.title;
    if fixed == text && fix.new_files.is_empty() {
        return Err(format!("fix `{title}` changes nothing"));
    }
    // Creating a file changes the build context: only on an explicit `--unsafe-fixes`.
    if !fix.new_files.is_empty() && fix.applicability != Applicability::Unsafe {
        return Err(format!("fix `{title}` creates a file but is safe"));
    }
    let after = bulkhead_syntax::parse(&fixed);
    if after.errors().len() > original.file.errors().len() {
        return Err(format!("fix `{title}` breaks the syntax:\n{fixed}"));
    }
    let lone_lf = |t: &str| t.matches('\n').count() - t.matches("\r\n").count();
    if text.contains("\r\n") && lone_lf(&fixed) != lone_lf(text) {
        return Err(format!("fix `{title}` mixes line endings"));
    }
    let (comments_after, deleted) = (comments(&after), deleted_comments(&original.file, fix));
    for comment in &original.comments {
        let count = |list: &[String]| list.iter().filter(|c| *c == comment).count();
        if count(&comments_after) + count(&deleted) < count(&original.comments) {
            return Err(format!("fix `{title}` drops the comment {comment:?}:\n{fixed}"));
        }
    }
    let targets_after = suppression_targets(&after);
    for (comment, target, range) in &original.targets {
        // Unless the fix rewrites that instruction. An insertion at its start goes before it.
        let rewritten = fix.edits.iter().any(|e| match e.range.is_empty() {
            true => range.start < e.range.start && e.range.start <= range.end,
            false => e.range.start < range.end && range.start < e.range.end,
        });
        if !rewritten && !targets_after.iter().any(|(c, t, _)| c == comment && t == target) {
            return Err(format!("fix `{title}` moves `# {comment}` away from `{target}`:\n{fixed}"));
        }
    }
    Ok(fixed)
}

/// The comments of a file (`# ...` lines outside heredocs and parser directives), each once per occurrence.
fn comments(file: &bulkhead_syntax::Dockerfile) -> Vec<String> {
    let mut res: Vec<String> = file.comments().iter().map(|c| c.text.trim().to_owned()).collect();
    res.sort();
    res
}

/// The comments inside the instructions that one of the fix's edits deletes whole (continuation comments
/// of a deleted instruction go with it).
fn deleted_comments(file: &bulkhead_syntax::Dockerfile, fix: &Fix) -> Vec<String> {
    let gone: Vec<TextRange> = file
        .instructions()
        .iter()
        .filter(|i| {
            fix.edits
                .iter()
                .any(|e| e.new_text.is_empty() && e.range.start <= i.range.start && i.range.end <= e.range.end)
        })
        .map(|i| i.range)
        .collect();
    file.comments()
        .iter()
        .filter(|c| gone.iter().any(|r| r.start <= c.range.start && c.range.end <= r.end))
        .map(|c| c.text.trim().to_owned())
        .collect()
}

/// Each suppression comment (`# bulkhead ignore=`, `# hadolint ignore=`) with the first line of the
/// instruction it applies to, and that instruction's range.
fn suppression_targets(file: &bulkhead_syntax::Dockerfile) -> Vec<(String, String, TextRange)> {
    let instructions = file.instructions();
    let mut res = Vec::new();
    for comment in file.comments().iter().filter(|c| !c.in_continuation) {
        let Some(parsed) = bulkhead_analysis::suppress::parse_comment(&comment.text) else { continue };
        if parsed.global {
            continue;
        }
        let idx = instructions.partition_point(|i| i.range.start < comment.range.end);
        if let Some(target) = instructions.get(idx) {
            let first_line = file.slice(target.range).lines().next().unwrap_or_default().to_owned();
            res.push((comment.text.clone(), first_line, target.range));
        }
    }
    res
}
