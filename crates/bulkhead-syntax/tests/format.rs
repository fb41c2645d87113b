//! The formatter's invariants on real files and on random edits of them: the formatted text parses to the
//! same instructions (`format::equivalent`: kind, flags, words, JSON, heredoc bodies, shell words, comments),
//! the formatter's own safety net never has to put an instruction back, formatting twice changes nothing,
//! and the minimal edits produce the same text as the whole-text formatter.

mod support;

use std::sync::Arc;

use bulkhead_syntax::format::{FormatOptions, equivalent, format_edits, format_file_edits, format_report, format_text};
use bulkhead_syntax::{ShellCache, TextRange, parse, parse_with_cache};
use proptest::prelude::*;
use support::corpus_files;

fn apply(text: &str, edits: &[bulkhead_syntax::TextEdit]) -> String {
    let mut out = text.to_owned();
    for edit in edits.iter().rev() {
        out.replace_range(edit.range.as_range(), &edit.new_text);
    }
    out
}

/// Every invariant for one text; `strict` also asks that the safety net did nothing.
fn check(name: &str, text: &str, options: &FormatOptions, strict: bool) -> bool {
    let report = format_report(text, options);
    if strict {
        assert!(!report.gave_up && report.restored == 0, "{name}: safety net used: {report:?}");
    }
    let before = parse(text);
    let after = parse(&report.text);
    if let Err(mismatch) = equivalent(&before, &after) {
        panic!("{name}: formatted text parses differently: {mismatch:?}\n{}", report.text);
    }
    let twice = format_text(&report.text, options);
    assert_eq!(twice, report.text, "{name}: formatting twice changed the text");
    assert_eq!(apply(text, &format_edits(text, options)), report.text, "{name}: edits differ from the text");
    // The server's path: its own parse and shell cache, the same edits.
    let mut cache = ShellCache::new();
    let parsed = parse_with_cache(Arc::from(text), Some(&mut cache));
    assert_eq!(format_file_edits(&parsed, options, &mut cache), format_edits(text, options), "{name}: server path");
    report.text != text
}

#[test]
fn corpus_formats_to_the_same_instructions_and_is_stable() {
    let files = corpus_files();
    assert!(files.len() >= 475, "expected the whole corpus, found {} files", files.len());
    let mut changed = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.display().to_string();
        changed += usize::from(check(&name, &text, &FormatOptions::default(), true));
        check(&name, &text, &FormatOptions { indent: 2 }, true);
    }
    eprintln!("{changed} of {} files change", files.len());
}

#[test]
fn a_broken_instruction_is_left_alone_and_the_rest_formatted() {
    let path = corpus_files().into_iter().find(|p| p.to_string_lossy().contains("golang")).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let clean = format_text(&text, &FormatOptions::default());
    // A broken instruction in the middle: itself kept byte for byte, everything else as without it.
    let at = text.find("\nRUN").unwrap() + 1;
    let broken = "copY --from  build   /a /b  \n";
    let mut with_error = text.clone();
    with_error.insert_str(at, broken);
    let formatted = format_text(&with_error, &FormatOptions::default());
    assert!(formatted.contains(broken), "the broken line changed");
    assert_eq!(formatted.replacen(broken, "", 1), clean);
}

const FRAGMENTS: &[&str] = &[
    "run  echo \"a  \\\n   b\" \\\n",
    "  && apt-get install -y \\\n",
    "\t\tcurl \\\n",
    "# comment  \n",
    "\n\n\n",
    "   \n",
    "cmd [\"a\",\\\n  \"b\"]\n",
    "RUN <<EOF\n  body  \nEOF\n",
    "onbuild   run x\n",
    "from x as y\n",
    "\\\n",
    "'",
    "\"",
    "  ",
    "\r\n",
    "env A='x \\\n  y'\n",
    "healthcheck cmd true\n",
    "RUN echo a # it's \\\n  b\n",
];

fn edited_corpus() -> impl Strategy<Value = (String, String)> {
    let files: Vec<(String, String)> = corpus_files()
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 64 << 10))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    (0..files.len(), proptest::collection::vec((any::<prop::sample::Index>(), 0..FRAGMENTS.len()), 1..6)).prop_map(
        move |(file, edits)| {
            let (name, mut text) = files[file].clone();
            for (at, fragment) in edits {
                let mut pos = at.index(text.len() + 1);
                while !text.is_char_boundary(pos) {
                    pos -= 1;
                }
                text.insert_str(pos, FRAGMENTS[fragment]);
            }
            (name, text)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_of_corpus_files_format_safely((name, text) in edited_corpus(), indent in 0..6usize) {
        check(&name, &text, &FormatOptions { indent }, false);
        // Range formatting never edits outside the instructions the range touches.
        let range = TextRange::new(text.len() / 3, text.len() / 2);
        let doc = parse(&text);
        let edits = bulkhead_syntax::format::format_range_edits(&text, range, &FormatOptions { indent });
        let lo = doc.instructions().iter().filter(|i| i.range.end < range.start).map(|i| i.range.end).max().unwrap_or(0);
        prop_assert!(edits.iter().all(|e| e.range.start >= lo), "edit before the range: {:?}", edits.first());
    }
}
