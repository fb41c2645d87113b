//! Fixes are data: text edits plus a title and an applicability.

use bulkhead_syntax::TextRange;

/// Replace `range` (bytes) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Self {
        Self { range, new_text: new_text.into() }
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Self {
        Self { range: TextRange::empty(offset), new_text: new_text.into() }
    }

    pub fn delete(range: TextRange) -> Self {
        Self { range, new_text: String::new() }
    }
}

/// When a fix may be applied without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the build's meaning: applied by `bulkhead check --fix` and "fix all".
    Safe,
    /// May change what the build does: offered in the editor, applied by `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A fix: edits that are sorted by start and never overlap.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        Self { title: title.into(), applicability, edits }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    /// The covering range of all edits.
    pub fn range(&self) -> Option<TextRange> {
        let first = self.edits.first()?;
        Some(self.edits.iter().fold(first.range, |acc, edit| acc.cover(edit.range)))
    }
}

/// Applies edits (sorted, non-overlapping) to `text`. Edits whose range is not valid for `text` are
/// skipped, as are edits that overlap an earlier one.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut res = String::with_capacity(text.len());
    let mut pos = 0;
    for edit in sorted {
        let range = edit.range;
        if range.start < pos || range.end > text.len() || range.start > range.end {
            continue;
        }
        if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
            continue;
        }
        res.push_str(&text[pos..range.start]);
        res.push_str(&edit.new_text);
        pos = range.end;
    }
    res.push_str(&text[pos..]);
    res
}

/// Applies as many fixes as possible in one pass: a fix whose edits overlap an already chosen fix waits
/// for the next pass. Returns the new text and how many fixes were applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut taken: Vec<TextRange> = Vec::new();
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|edit| {
            taken.iter().any(|t| {
                t.intersects(edit.range)
                    || (t.is_empty() || edit.range.is_empty())
                        && t.touches(edit.range.start)
                        && edit.range.touches(t.start)
            })
        });
        if overlaps {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.range));
        chosen.extend(fix.edits.iter());
        applied += 1;
    }
    let edits: Vec<Edit> = chosen.into_iter().cloned().collect();
    (apply_edits(text, &edits), applied)
}
