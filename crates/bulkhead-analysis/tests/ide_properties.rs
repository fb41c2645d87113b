//! The editor queries under random edits of real files: after each edit, completion, definition,
//! references, rename, signature help, symbols, folding, semantic tokens (whole file and a range), inlay
//! hints and document links answer without panicking, every range they return lies inside the text on
//! character boundaries, semantic tokens are sorted and disjoint, and definition and references agree
//! (every reference of a symbol has its definition among the references, and finds the same references).

mod support;

use bulkhead_analysis::ide;
use bulkhead_analysis::{BuildContext, Model};
use bulkhead_syntax::{Dockerfile, TextRange};
use proptest::prelude::*;

/// Multi-stage files with ARGs, `--from`, `--mount` and heredocs.
const FILES: &[&str] = &[
    "moby__moby__Dockerfile",
    "docker__cli__dockerfiles__Dockerfile.dev",
    "moby__moby__hack__dockerfiles__generate-files.Dockerfile",
];

/// What an edit inserts: pieces of Dockerfile syntax, broken ones included.
const PIECES: &[&str] = &[
    "",
    "$",
    "${",
    "}",
    "$X",
    "${VAR:-d}",
    " AS x",
    "--from=",
    "--mount=type=cache,from=",
    "\n",
    " \\\n",
    "\nFROM alpine AS y\n",
    "\nARG X=1\n",
    "\nENV Y=$X\n",
    "<<EOF\n",
    "\nEOF\n",
    "#",
    "'",
    "\"",
    "é",
    "🐳",
    "\r\n",
];

fn read(name: &str) -> String {
    let path = support::dev_corpus().into_iter().find(|p| p.ends_with(name)).expect("a corpus file");
    std::fs::read_to_string(path).unwrap()
}

fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn inside(file: &Dockerfile, range: TextRange) -> Result<(), TestCaseError> {
    let text = file.text();
    prop_assert!(
        range.start <= range.end && range.end <= text.len(),
        "range {range:?} outside a text of {}",
        text.len()
    );
    prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?}");
    Ok(())
}

/// Every query at `offset`, with the invariants.
fn check_at(file: &Dockerfile, model: &Model, offset: usize) -> Result<(), TestCaseError> {
    for item in ide::complete(file, model, &BuildContext::default(), offset) {
        inside(file, item.replace)?;
    }
    let refs = ide::references(file, model, offset);
    for occ in &refs {
        inside(file, occ.range)?;
        // From any occurrence: the same references, and a definition among them.
        let again: Vec<TextRange> = ide::references(file, model, occ.range.start).iter().map(|o| o.range).collect();
        let ours: Vec<TextRange> = refs.iter().map(|o| o.range).collect();
        prop_assert_eq!(&again, &ours);
        if let Some(def) = ide::definition(file, model, occ.range.start) {
            inside(file, def)?;
            prop_assert!(ours.contains(&def), "definition {:?} not among the references {:?}", def, ours);
        }
    }
    if let Some(help) = ide::signature_help(file, offset) {
        prop_assert!(help.active_signature < help.signatures.len(), "{:?}", help);
        let active = &help.signatures[help.active_signature];
        prop_assert!(help.active_parameter.is_none_or(|p| p < active.parameters.len()), "{:?}", help);
    }
    if let Ok((range, _)) = ide::prepare_rename(file, model, offset) {
        inside(file, range)?;
        if let Ok(edits) = ide::rename(file, model, offset, "renamed_x") {
            for edit in &edits {
                inside(file, edit.range)?;
            }
        }
    }
    Ok(())
}

fn check_file(text: &str, offsets: &[f64]) -> Result<(), TestCaseError> {
    let file = bulkhead_syntax::parse(text);
    let model = Model::new(&file);
    for symbol in ide::document_symbols(&file, &model) {
        inside(&file, symbol.range)?;
        prop_assert!(symbol.range.contains_range(symbol.selection), "{:?}", symbol);
        for child in &symbol.children {
            inside(&file, child.range)?;
        }
    }
    for fold in ide::folding_ranges(&file, &model) {
        inside(&file, fold.range)?;
    }
    let names = ide::NameIndex::new(&file, &model);
    let middle = TextRange::new(boundary(text, text.len() / 3), boundary(text, text.len() / 2));
    for within in [None, Some(middle)] {
        let tokens = ide::semantic_tokens(&file, &model, &names, within);
        for token in &tokens {
            inside(&file, token.range)?;
            prop_assert!(!token.range.is_empty(), "{:?}", token);
        }
        for pair in tokens.windows(2) {
            prop_assert!(pair[0].range.end <= pair[1].range.start, "overlapping tokens {:?}", pair);
        }
    }
    let all = TextRange::new(0, text.len());
    for hint in ide::inlay_hints(&file, &model, &BuildContext::default(), all, ide::HintKinds::default()) {
        inside(&file, TextRange::empty(hint.offset))?;
    }
    for link in ide::document_links(&file, &model) {
        inside(&file, link.range)?;
    }
    for &at in offsets {
        check_at(&file, &model, boundary(text, (at * text.len() as f64) as usize))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn queries_hold_under_random_edits(
        file in 0..FILES.len(),
        edits in proptest::collection::vec((0.0f64..1.0, 0usize..8, 0..PIECES.len()), 1..8),
        offsets in proptest::collection::vec(0.0f64..1.0, 6),
    ) {
        let mut text = read(FILES[file]);
        for (at, len, piece) in edits {
            let start = boundary(&text, (at * text.len() as f64) as usize);
            let end = boundary(&text, start + len).max(start);
            text.replace_range(start..end, PIECES[piece]);
            check_file(&text, &offsets)?;
        }
    }
}

/// Every offset of one whole real file: the invariants hold everywhere, not only where a proptest lands.
#[test]
fn every_offset_of_a_real_file() {
    let text = read(FILES[1]);
    let offsets: Vec<f64> = (0..text.len()).step_by(7).map(|o| o as f64 / text.len() as f64).collect();
    check_file(&text, &offsets).unwrap();
}
