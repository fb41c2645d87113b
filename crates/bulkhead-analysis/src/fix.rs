//! Fixes are data: text edits plus a title and an applicability, and (rarely) new files to create beside
//! the Dockerfile.

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

/// A file that a fix creates in the directory of the Dockerfile (the directory its build-context facts
/// describe), such as the `.dockerignore` of BH801.
///
/// Invariant: the name is one plain path component (see [`is_plain_file_name`]), so a fix cannot name a
/// file anywhere else: no separator, no `..`, no drive or stream syntax. The engine never touches the disk:
/// the CLI writes the file on an explicit `--unsafe-fixes` and never over an existing one, the language
/// server only proposes it to the editor as a `CreateFile` inside the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NewFile {
    name: String,
    pub content: String,
}

impl NewFile {
    /// `None` when `name` is not a plain file name.
    pub fn new(name: impl Into<String>, content: impl Into<String>) -> Option<Self> {
        let name = name.into();
        is_plain_file_name(&name).then(|| Self { name, content: content.into() })
    }

    /// The file name, relative to the Dockerfile's directory.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// True for a name that stays in the directory it is joined to, on every platform: not empty, not `.` or
/// `..`, at most 255 bytes, and free of `/`, `\`, `:` (Windows drives and alternate streams), NUL and other
/// control characters.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.chars().any(|c| matches!(c, '/' | '\\' | ':') || c.is_control())
}

/// A fix: edits that are sorted by start and never overlap, and the files it creates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// Files created beside the Dockerfile. Empty for almost every fix.
    pub new_files: Vec<NewFile>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        Self { title: title.into(), applicability, edits, new_files: Vec::new() }
    }

    /// The fix also creates `file`.
    pub fn with_new_file(mut self, file: NewFile) -> Self {
        self.new_files.push(file);
        self
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    /// The covering range of all edits (`None` for a fix that only creates files).
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
    let (text, applied) = apply_fixes_listed(text, fixes);
    (text, applied.len())
}

/// [`apply_fixes`], returning the positions (in `fixes`) of the fixes it applied.
pub(crate) fn apply_fixes_listed<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, Vec<usize>) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    let mut taken: Vec<TextRange> = Vec::new();
    for (idx, fix) in fixes.into_iter().enumerate() {
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
        applied.push(idx);
    }
    let edits: Vec<Edit> = chosen.into_iter().cloned().collect();
    (apply_edits(text, &edits), applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_have_plain_names_only() {
        for name in [".dockerignore", "api.Dockerfile.dockerignore", "a b", "..x", "x.."] {
            assert_eq!(NewFile::new(name, "").map(|f| f.name().to_owned()).as_deref(), Some(name));
        }
        let long = "x".repeat(256);
        for name in ["", ".", "..", "../x", "a/b", "/etc/passwd", "a\\b", "C:x", "x:stream", "a\0b", "a\nb", &long] {
            assert!(NewFile::new(name, "").is_none(), "{name:?}");
        }
    }

    #[test]
    fn a_fix_may_only_create_a_file() {
        let file = NewFile::new(".dockerignore", ".git\n").unwrap();
        let fix = Fix::unsafe_("Create `.dockerignore`", Vec::new()).with_new_file(file.clone());
        assert_eq!(fix.range(), None);
        assert_eq!(fix.new_files, [file]);
        // Applying it to the text changes nothing: the file is the drivers' business.
        assert_eq!(apply_fixes("FROM a\n", [&fix]), ("FROM a\n".to_owned(), 1));
    }
}
