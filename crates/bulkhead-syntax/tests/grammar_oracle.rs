//! Differential test against the published tree-sitter-dockerfile grammar (the `arborium-dockerfile`
//! crate, a dev-dependency only).
//!
//! bulkhead's instruction layer is its own lexer (see docs/architecture.md for why: the grammar's error
//! recovery loses the rest of a file after one half-typed instruction, and it misreads valid syntax such
//! as boolean flags, multi-word ENV and multi-name ARG). The grammar is still an independent reading of the
//! same language: wherever it parses an instruction cleanly, our lexer must agree on where it starts, where
//! it ends and what kind it is.

use std::path::Path;

use bulkhead_syntax::{InstructionKind, parse};
use tree_sitter::{Node, Parser};

fn kind_of(node_kind: &str) -> Option<InstructionKind> {
    let keyword = node_kind.strip_suffix("_instruction")?;
    let kind = InstructionKind::from_keyword(keyword);
    (kind != InstructionKind::Unknown).then_some(kind)
}

fn clean_instructions<'t>(root: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = root.walk();
    root.children(&mut cursor)
        .filter(|node| kind_of(node.kind()).is_some() && !node.has_error() && !node.is_missing())
        .collect()
}

#[test]
fn lexer_agrees_with_the_grammar_where_the_grammar_is_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dev");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("corpus missing at {}: {err}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut parser = Parser::new();
    parser.set_language(&arborium_dockerfile::language().into()).unwrap();
    let (mut compared, mut grammar_total, mut ours_total, mut files_with_grammar_errors) = (0, 0, 0, 0);
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let ours = parse(&text);
        // The grammar does not know the backtick escape character: nothing to compare there.
        if ours.escape() != '\\' {
            continue;
        }
        ours_total += ours.instructions().len();
        let tree = parser.parse(&text, None).unwrap();
        if tree.root_node().has_error() {
            files_with_grammar_errors += 1;
        }
        let nodes = clean_instructions(tree.root_node());
        grammar_total += nodes.len();
        for node in nodes {
            let Some(mine) = ours.instructions().iter().find(|i| i.range.start == node.start_byte()) else {
                panic!(
                    "{}: the grammar sees a {} at byte {} that the lexer does not",
                    path.display(),
                    node.kind(),
                    node.start_byte()
                );
            };
            assert_eq!(Some(mine.kind), kind_of(node.kind()), "{}: kind at byte {}", path.display(), node.start_byte());
            // The grammar ends an instruction at its last token; the lexer at the end of its last line.
            let end = mine.range.start + text[mine.range.as_range()].trim_end().len();
            assert_eq!(
                end,
                node.end_byte(),
                "{}: end of the {} at byte {}",
                path.display(),
                node.kind(),
                node.start_byte()
            );
            compared += 1;
        }
    }
    eprintln!(
        "compared {compared} clean grammar instructions of {grammar_total}; lexer found {ours_total}; \
         {files_with_grammar_errors} of {} files have grammar errors",
        paths.len()
    );
    assert!(compared > 3_000, "too few instructions compared: {compared}");
}
