//! A long-lived document: the text in a rope, edited in place, and the latest parse as an immutable
//! snapshot.

use std::sync::Arc;

use ropey::Rope;

use crate::{Dockerfile, ShellCache, TextRange, parse_with_cache};

/// Replace the text of `range` (bytes of the current text) by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// An open document. Edits go into the rope; [`Document::snapshot`] re-parses when the text changed,
/// reusing the shell parses of `RUN` instructions whose text did not change.
pub struct Document {
    rope: Rope,
    cache: ShellCache,
    snapshot: Arc<Dockerfile>,
    dirty: bool,
}

impl Document {
    pub fn new(text: &str) -> Self {
        let mut cache = ShellCache::new();
        let snapshot = Arc::new(parse_with_cache(Arc::from(text), Some(&mut cache)));
        cache.sweep();
        Self { rope: Rope::from_str(text), cache, snapshot, dirty: false }
    }

    /// Applies one edit. Ranges are clamped to the text and to character boundaries, so no edit can
    /// panic; a range that ends before it starts is treated as empty.
    pub fn apply(&mut self, edit: &TextEdit) {
        let len = self.rope.len_bytes();
        let start = self.floor_boundary(edit.range.start.min(len));
        let end = self.floor_boundary(edit.range.end.clamp(start, len));
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        if start_char < end_char {
            self.rope.remove(start_char..end_char);
        }
        if !edit.new_text.is_empty() {
            self.rope.insert(start_char, &edit.new_text);
        }
        self.dirty = true;
    }

    /// Replaces the whole text.
    pub fn set_text(&mut self, text: &str) {
        self.rope = Rope::from_str(text);
        self.dirty = true;
    }

    fn floor_boundary(&self, offset: usize) -> usize {
        let mut offset = offset;
        while offset > 0 {
            let (chunk, chunk_start, _, _) = self.rope.chunk_at_byte(offset);
            if chunk.is_char_boundary(offset - chunk_start) {
                break;
            }
            offset -= 1;
        }
        offset
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The parse of the current text.
    pub fn snapshot(&mut self) -> Arc<Dockerfile> {
        if self.dirty {
            let text: Arc<str> = Arc::from(String::from(&self.rope));
            self.snapshot = Arc::new(parse_with_cache(text, Some(&mut self.cache)));
            self.cache.sweep();
            self.dirty = false;
        }
        self.snapshot.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_clamp_and_reparse() {
        let mut doc = Document::new("FROM alpine\nRUN apk add curl\n");
        doc.apply(&TextEdit { range: TextRange::new(19, 19), new_text: " --no-cache".into() });
        doc.apply(&TextEdit { range: TextRange::new(500, 400), new_text: "CMD [\"sh\"]\n".into() });
        let snapshot = doc.snapshot();
        assert_eq!(snapshot.text(), "FROM alpine\nRUN apk --no-cache add curl\nCMD [\"sh\"]\n");
        assert_eq!(snapshot.instructions().len(), 3);
        let mut doc = Document::new("RUN é\n");
        doc.apply(&TextEdit { range: TextRange::new(5, 6), new_text: String::new() });
        assert_eq!(doc.snapshot().text(), "RUN \n");
    }
}
