//! A long-lived document: the text, edited in place, and the latest parse as an immutable snapshot.

use std::sync::Arc;

use crate::{Dockerfile, ShellCache, TextRange, floor_char_boundary, parse_with_cache, reparse};

/// Replace the text of `range` (bytes of the current text) by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// An open document. Edits go into a copy of the text; [`Document::snapshot`] re-parses when the text
/// changed, incrementally ([`reparse`]): the instructions the edits did not touch are reused, and so are
/// the shell parses of unchanged `RUN`s.
///
/// The text is held once, by the snapshot, between edits: no rope beside it. An edit copies the text
/// (a `memmove` of a few hundred kilobytes at most), which the snapshot needs anyway.
pub struct Document {
    /// The text with the edits since the last snapshot, when there are some.
    pending: Option<String>,
    cache: ShellCache,
    snapshot: Arc<Dockerfile>,
}

impl Document {
    pub fn new(text: &str) -> Self {
        Self::with_cache(text, ShellCache::new())
    }

    /// A document whose shell parses go through `cache`, which other documents may share.
    pub fn with_cache(text: &str, mut cache: ShellCache) -> Self {
        let snapshot = Arc::new(parse_with_cache(Arc::from(text), Some(&mut cache)));
        Self { pending: None, cache, snapshot }
    }

    /// The current text, edits included.
    pub fn text(&self) -> &str {
        self.pending.as_deref().unwrap_or(self.snapshot.text())
    }

    /// Applies one edit. Ranges are clamped to the text and to character boundaries, so no edit can
    /// panic; a range that ends before it starts is treated as empty.
    pub fn apply(&mut self, edit: &TextEdit) {
        let snapshot = &self.snapshot;
        let text = self.pending.get_or_insert_with(|| snapshot.text().to_owned());
        let start = floor_char_boundary(text, edit.range.start);
        let end = floor_char_boundary(text, edit.range.end.max(start));
        text.replace_range(start..end, &edit.new_text);
    }

    /// Replaces the whole text.
    pub fn set_text(&mut self, text: &str) {
        self.pending = Some(text.to_owned());
    }

    pub fn len(&self) -> usize {
        self.text().len()
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// The parse of the current text. Re-parsing reuses the previous snapshot's instructions in place
    /// when nobody else holds it (else a copy of them).
    pub fn snapshot(&mut self) -> Arc<Dockerfile> {
        if let Some(text) = self.pending.take() {
            let previous = std::mem::replace(&mut self.snapshot, Arc::new(crate::parse("")));
            let previous = Arc::unwrap_or_clone(previous);
            self.snapshot = Arc::new(reparse(previous, Arc::from(text), Some(&mut self.cache)));
        }
        self.snapshot.clone()
    }

    /// The snapshot as of the last [`Self::snapshot`] call (edits since then not included).
    pub fn last_snapshot(&self) -> &Arc<Dockerfile> {
        &self.snapshot
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
