//! [`CompactText`]: an immutable string that keeps up to 22 bytes inline and longer text in one exact-size
//! heap allocation, shared by its clones. Most words of a Dockerfile (keywords, names, short values) are that short, and each
//! `String` of them cost a heap allocation of at least 32 bytes beside its own 24: a file of 20,000
//! one-line instructions held a dozen such allocations per instruction.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

const INLINE: usize = 22;

/// An immutable string, 24 bytes, inline up to 22 bytes; a clone of a longer one shares its text. It reads as a `&str` (`Deref`, `as_str`), compares
/// with `str`, `&str` and `String`, and converts from and into `String`.
#[derive(Clone)]
pub struct CompactText(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Arc<str>),
}

impl CompactText {
    pub fn new(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Self(Repr::Inline { len: text.len() as u8, bytes })
        } else {
            Self(Repr::Heap(text.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever built from a whole `&str` (see `new`), so always valid UTF-8.
            Repr::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Repr::Heap(text) => text,
        }
    }

    /// The bytes of the text, without the UTF-8 check [`Self::as_str`] makes on inline text: what
    /// comparing and hashing read (a name index hashes and compares on every look-up).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(text) => text.as_bytes(),
        }
    }

    pub fn into_string(self) -> String {
        self.as_str().to_owned()
    }
}

impl Default for CompactText {
    fn default() -> Self {
        Self::new("")
    }
}

impl Deref for CompactText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for CompactText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for CompactText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CompactText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for CompactText {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for CompactText {}

impl PartialOrd for CompactText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CompactText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // UTF-8 bytes sort as their characters do.
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for CompactText {
    /// As `str` hashes (`Hasher::write_str`'s default: the bytes, then `0xff`), so that a map keyed by
    /// `CompactText` can be searched with a `&str` ([`Borrow`]).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for CompactText {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<CompactText> for $other {
            fn eq(&self, other: &CompactText) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String);

impl From<&str> for CompactText {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for CompactText {
    fn from(text: String) -> Self {
        Self::new(&text)
    }
}

impl From<CompactText> for String {
    fn from(text: CompactText) -> Self {
        text.into_string()
    }
}

impl From<&CompactText> for String {
    fn from(text: &CompactText) -> Self {
        text.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_texts_read_back_as_written() {
        assert_eq!(std::mem::size_of::<CompactText>(), 24);
        for text in ["", "RUN", "é漢🐳", "exactly twenty-two by", "twenty-three bytes long", &"x".repeat(1000)] {
            let compact = CompactText::new(text);
            assert_eq!(compact, text);
            assert_eq!(CompactText::from(text.to_owned()).as_str(), text);
            assert_eq!(String::from(compact.clone()), text);
            assert_eq!(format!("{compact}"), text);
            assert_eq!(format!("{compact:?}"), format!("{text:?}"));
        }
        assert!(CompactText::new("a") < CompactText::new(&"b".repeat(40)));
    }

    #[test]
    fn hashes_and_orders_as_str_does() {
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        let texts = ["", "A", "é漢🐳", "exactly twenty-two by", &"x".repeat(40)];
        for text in texts {
            assert_eq!(state.hash_one(CompactText::new(text)), state.hash_one(text), "{text:?}");
        }
        let map: std::collections::HashMap<CompactText, usize> =
            texts.iter().enumerate().map(|(idx, text)| (CompactText::new(text), idx)).collect();
        assert!(texts.iter().enumerate().all(|(idx, text)| map.get(*text) == Some(&idx)));
        let mut sorted: Vec<CompactText> = texts.iter().map(|text| CompactText::new(text)).collect();
        sorted.sort();
        let mut want = texts.to_vec();
        want.sort();
        assert_eq!(sorted, want);
    }
}
