//! Property test of incremental re-parsing: for random edits of every corpus file (inserting, deleting
//! and replacing text anywhere, with line breaks, continuations, heredoc markers and terminators, parser
//! directives, CRLF and multi-byte characters), `reparse` of the previous parse gives exactly what a fresh
//! `parse` of the edited text gives, edit after edit.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_syntax::{Dockerfile, ShellCache, parse_with_cache, reparse};

const SNIPPETS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\r\n",
    "\\",
    " \\\n",
    "\\\n  ",
    "RUN ",
    "RUN echo hi\n",
    "ONBUILD RUN apk add curl\n",
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n",
    "SHELL [\"pwsh\", \"-c\"]\n",
    "SHELL [\"/bin/sh\", \"-c\"]\n",
    "<<EOF\n",
    "RUN <<EOF\necho a\n",
    "EOF\n",
    "EOF",
    "\n\n",
    "# comment\n",
    "#",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "\"",
    "'",
    "😀",
    "中",
    "--mount=type=cache,target=/root/.cache ",
    "[\"a\", \"b\"]",
    "\t",
];

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(root.is_dir(), "the corpus is missing: expected {}", root.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("dev")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.push(root.join("large/large-1k.Dockerfile"));
    files
}

fn boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A random edit of `text`: where, how much to delete, what to insert.
fn edit(rng: &mut Rng, text: &str) -> String {
    // Prefer interesting places: line starts and ends, the very start and the very end.
    let at = match rng.below(4) {
        0 => text.len(),
        1 => {
            let starts: Vec<usize> = text.match_indices('\n').map(|(idx, _)| idx + 1).collect();
            starts.get(rng.below(starts.len())).copied().unwrap_or(0)
        }
        2 => text.match_indices('\n').map(|(idx, _)| idx).nth(rng.below(text.len() / 20 + 1)).unwrap_or(0),
        _ => rng.below(text.len() + 1),
    };
    let start = boundary(text, at.min(text.len()));
    let delete = match rng.below(3) {
        0 => 0,
        1 => rng.below(4),
        _ => rng.below(80),
    };
    let end = boundary(text, (start + delete).min(text.len()));
    let mut inserted = String::new();
    if rng.below(3) > 0 {
        for _ in 0..=rng.below(2) {
            inserted.push_str(SNIPPETS[rng.below(SNIPPETS.len())]);
        }
    }
    format!("{}{}{}", &text[..start], inserted, &text[end..])
}

fn same(incremental: &Dockerfile, fresh: &Dockerfile) -> bool {
    if format!("{incremental:?}") == format!("{fresh:?}") {
        return true;
    }
    let (a, b) = (format!("{incremental:#?}"), format!("{fresh:#?}"));
    let first = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
    let context = |s: &str| s.lines().skip(first.saturating_sub(30)).take(40).collect::<Vec<_>>().join("\n");
    eprintln!("--- incremental\n{}\n--- fresh\n{}", context(&a), context(&b));
    false
}

#[test]
fn reparse_equals_a_fresh_parse_on_random_edits() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut cache = ShellCache::new();
    let mut edits = 0;
    for path in corpus_files() {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let mut current = parse_with_cache(Arc::from(text.as_str()), Some(&mut cache));
        for step in 0..16 {
            let edited = edit(&mut rng, current.text());
            let fresh = parse_with_cache(Arc::from(edited.as_str()), Some(&mut cache));
            let before = current.text().to_owned();
            let incremental = reparse(current, Arc::from(edited.as_str()), Some(&mut cache));
            assert!(
                same(&incremental, &fresh),
                "{} step {step}: reparse differs from parse\n--- before\n{before:?}\n--- after\n{edited:?}",
                path.display()
            );
            current = incremental;
            edits += 1;
        }
    }
    assert!(edits > 5_000, "{edits}");
}

#[test]
fn reparse_handles_edge_cases() {
    let cases: &[(&str, &str)] = &[
        ("", "FROM a\n"),
        ("FROM a\n", ""),
        ("FROM a", "FROM ab"),
        ("FROM a\nRUN b \\", "FROM a\nRUN b \\\n c"),
        ("FROM a\nRUN <<EOF\nx\n", "FROM a\nRUN <<EOF\nx\nEOF\n"),
        ("FROM a\nRUN <<EOF\nx\nEOF\nRUN y\n", "FROM a\nRUN <<EOF\nx\nEO\nRUN y\n"),
        ("FROM a\nRUN x\r", "FROM a\nRUN x\r\n"),
        ("FROM a\n\nRUN x\n\nRUN y\n", "FROM a\n\nRUN y\n"),
        ("FROM a\nRUN x\nRUN y\n", "# escape=`\nFROM a\nRUN x\nRUN y\n"),
        ("\u{feff}FROM a\n", "FROM a\n"),
        ("FROM a\nRUN x \\\n# c\n y\nRUN z\n", "FROM a\nRUN x \\\n# c\n\n y\nRUN z\n"),
        ("FROM windows/nanoserver\nRUN dir\nFROM a\nRUN ls\n", "FROM alpine\nRUN dir\nFROM a\nRUN ls\n"),
    ];
    for (before, after) in cases {
        let mut cache = ShellCache::new();
        let previous = parse_with_cache(Arc::from(*before), Some(&mut cache));
        let incremental = reparse(previous, Arc::from(*after), Some(&mut cache));
        let fresh = parse_with_cache(Arc::from(*after), Some(&mut cache));
        assert!(same(&incremental, &fresh), "{before:?} -> {after:?}");
    }
}
