//! Logical text: the pieces of one instruction joined the way Docker joins them, with a map back to the
//! document.
//!
//! An instruction may span several physical lines (escaped newlines, comment and blank lines inside the
//! continuation). Docker sees the lines joined, with the escape characters and the skipped lines removed.
//! Tokens are found in that joined text; the map turns their offsets back into document byte ranges.

use crate::TextRange;

/// One contiguous piece of document text inside a logical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    logical: usize,
    doc: usize,
    len: usize,
}

/// Text assembled from document pieces, with offsets that map back to the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalText {
    text: String,
    map: SegmentMap,
}

impl LogicalText {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `doc_text`, which starts at document offset `doc_start`.
    pub fn push(&mut self, doc_text: &str, doc_start: usize) {
        self.map.push(self.text.len(), doc_text.len(), doc_start);
        self.text.push_str(doc_text);
    }

    /// Appends text that does not come from the document (a separator). It maps to the document offset
    /// where the previous piece ended.
    pub fn push_synthetic(&mut self, text: &str) {
        self.text.push_str(text);
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text and the map, apart (a shell script shares its text with the parse cache).
    pub fn into_parts(self) -> (String, SegmentMap) {
        (self.text, self.map)
    }

    /// Drops spare capacity: a parse is kept for as long as its document is open.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        if let Segments::Many(many) = &mut self.map.segments {
            many.shrink_to_fit();
        }
    }

    pub fn shift(&mut self, delta: isize) {
        self.map.shift(delta);
    }

    pub fn doc_start(&self, logical: usize) -> usize {
        self.map.doc_start(logical)
    }

    pub fn doc_range(&self, logical: TextRange) -> TextRange {
        self.map.doc_range(logical)
    }

    pub fn pieces(&self, logical: TextRange) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.map.pieces(logical)
    }

    pub fn doc_span(&self) -> TextRange {
        self.map.doc_span()
    }

    pub fn logical_of(&self, doc: usize) -> Option<usize> {
        self.map.logical_of(doc)
    }
}

/// The segments of a map: most instructions are one line, one segment, kept without an allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Segments {
    #[default]
    None,
    One(Segment),
    Many(Vec<Segment>),
}

impl Segments {
    fn as_slice(&self) -> &[Segment] {
        match self {
            Self::None => &[],
            Self::One(seg) => std::slice::from_ref(seg),
            Self::Many(many) => many,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Segment] {
        match self {
            Self::None => &mut [],
            Self::One(seg) => std::slice::from_mut(seg),
            Self::Many(many) => many,
        }
    }

    fn push(&mut self, seg: Segment) {
        *self = match std::mem::take(self) {
            Self::None => Self::One(seg),
            Self::One(first) => Self::Many(vec![first, seg]),
            Self::Many(mut many) => {
                many.push(seg);
                Self::Many(many)
            }
        };
    }
}

impl std::ops::Deref for Segments {
    type Target = [Segment];
    fn deref(&self) -> &[Segment] {
        self.as_slice()
    }
}

/// The map from logical offsets to document offsets of a [`LogicalText`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SegmentMap {
    segments: Segments,
    /// Where the first piece was pushed, even an empty one: what offsets map to when no piece has text.
    origin: Option<usize>,
}

impl SegmentMap {
    fn push(&mut self, logical: usize, len: usize, doc_start: usize) {
        self.origin.get_or_insert(doc_start);
        if len == 0 {
            return;
        }
        // Invariant: segments are sorted by both their logical and their document offsets.
        if let Some(last) = self.segments.as_mut_slice().last_mut()
            && last.doc + last.len == doc_start
        {
            last.len += len;
        } else {
            self.segments.push(Segment { logical, doc: doc_start, len });
        }
    }

    /// Moves every document offset by `delta` (the text before it grew or shrank).
    pub fn shift(&mut self, delta: isize) {
        for seg in self.segments.as_mut_slice() {
            seg.doc = seg.doc.saturating_add_signed(delta);
        }
        if let Some(origin) = &mut self.origin {
            *origin = origin.saturating_add_signed(delta);
        }
    }

    /// Document offset of a logical offset, for the start of a range: an offset on a segment boundary maps
    /// to the start of the following segment.
    pub fn doc_start(&self, logical: usize) -> usize {
        let idx = self.segments.partition_point(|seg| seg.logical <= logical);
        match idx.checked_sub(1).and_then(|idx| self.segments.get(idx)) {
            Some(seg) if logical < seg.logical + seg.len => seg.doc + (logical - seg.logical),
            Some(seg) => match self.segments.get(idx) {
                // In synthetic text between two segments: the start of the next segment.
                Some(next) => next.doc,
                None => seg.doc + seg.len,
            },
            None => self.segments.first().map_or(self.origin.unwrap_or(0), |seg| seg.doc),
        }
    }

    /// Document offset of a logical offset, for the end of a range: an offset on a segment boundary maps to
    /// the end of the preceding segment.
    pub fn doc_end(&self, logical: usize) -> usize {
        let idx = self.segments.partition_point(|seg| seg.logical < logical);
        match idx.checked_sub(1).and_then(|idx| self.segments.get(idx)) {
            Some(seg) => seg.doc + (logical - seg.logical).min(seg.len),
            None => self.segments.first().map_or(self.origin.unwrap_or(0), |seg| seg.doc),
        }
    }

    /// Document range of a logical range.
    pub fn doc_range(&self, logical: TextRange) -> TextRange {
        let start = self.doc_start(logical.start);
        if logical.is_empty() {
            return TextRange::empty(start);
        }
        TextRange::new(start, self.doc_end(logical.end).max(start))
    }

    /// The document pieces of a logical range: `(logical start, document start, length)` each.
    pub fn pieces(&self, logical: TextRange) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let first = self.segments.partition_point(|seg| seg.logical + seg.len <= logical.start);
        self.segments[first..].iter().map_while(move |seg| {
            if seg.logical >= logical.end {
                return None;
            }
            let start = seg.logical.max(logical.start);
            let end = (seg.logical + seg.len).min(logical.end);
            Some((start, seg.doc + (start - seg.logical), end - start))
        })
    }

    /// The document range covered by the whole text.
    pub fn doc_span(&self) -> TextRange {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => TextRange::new(first.doc, last.doc + last.len),
            _ => TextRange::empty(self.origin.unwrap_or(0)),
        }
    }

    /// Logical offset of a document offset, if the offset lies inside a piece of this text.
    pub fn logical_of(&self, doc: usize) -> Option<usize> {
        self.segments
            .iter()
            .find(|seg| seg.doc <= doc && doc <= seg.doc + seg.len)
            .map(|seg| seg.logical + (doc - seg.doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_segments() {
        // "RUN a \\\n  b" joined as "RUN a   b".
        let mut text = LogicalText::new();
        text.push("RUN a ", 0);
        text.push("  b", 8);
        assert_eq!(text.as_str(), "RUN a   b");
        assert_eq!(text.doc_start(6), 8);
        assert_eq!(text.doc_range(TextRange::new(4, 6)), TextRange::new(4, 6));
        assert_eq!(text.doc_range(TextRange::new(4, 9)), TextRange::new(4, 11));
        assert_eq!(text.logical_of(10), Some(8));
    }
}
