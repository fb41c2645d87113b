//! The memo of instruction checks changes nothing: over the corpus, a check that reuses findings from
//! earlier versions of a file (as the language server does at every keystroke) reports exactly what a
//! fresh check of the same text reports, failures included, after edits that move, change, remove and
//! add instructions. Debug builds also hold every instruction check to its reach (see
//! `InstructionContext`), which shows here as a rule failure.

mod support;

use bulkhead_analysis::{BuildContext, Config, InstructionMemo, Report, Settings, check_file, check_file_memo};

fn all_rules() -> Settings {
    Settings::from_config(&Config { select: Some(vec!["ALL".to_owned()]), ..Config::default() }).unwrap()
}

/// Edited versions of `text`: a line added at the top (everything moves), an instruction line removed,
/// a character inserted in the middle of the file, the indentation of a line changed, the line break at
/// the end removed; then what the memo keys by besides the text: a `SHELL` that is not POSIX before the
/// `RUN`s (they lose their parsed shell), the backtick escape character, and the text back as it was.
fn versions(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let without =
        |skip: usize| lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect::<String>();
    let middle = lines.len() / 2;
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let indented = lines.iter().enumerate().map(|(i, l)| if i == middle { format!("  {l}") } else { (*l).to_owned() });
    vec![
        format!("# a comment\n{text}"),
        without(lines.iter().position(|l| l.starts_with("RUN")).unwrap_or(middle)),
        format!("{}x{}", &text[..at], &text[at..]),
        indented.collect(),
        text.trim_end_matches(['\n', '\r']).to_owned(),
        text.to_owned(),
        match text.find("\nRUN") {
            Some(at) => format!("{}\nSHELL [\"cmd\", \"/S\", \"/C\"]{}", &text[..at], &text[at..]),
            None => format!("{text}SHELL [\"pwsh\", \"-c\"]\nRUN echo x\n"),
        },
        text.to_owned(),
        format!("# escape=`\n{text}"),
        text.to_owned(),
    ]
}

fn same(name: &str, step: usize, memo: &Report, fresh: &Report) {
    assert_eq!(memo.failures, fresh.failures, "{name}, version {step}: failures differ");
    assert!(fresh.failures.is_empty(), "{name}, version {step}: {:?}", fresh.failures);
    if memo.diagnostics != fresh.diagnostics {
        let first = memo.diagnostics.iter().zip(&fresh.diagnostics).find(|(a, b)| a != b);
        panic!(
            "{name}, version {step}: {} diagnostics with the memo, {} fresh; first difference: {first:#?}",
            memo.diagnostics.len(),
            fresh.diagnostics.len()
        );
    }
}

/// The rule specs (`tests/specs/*/*.Dockerfile`): every rule's findings, the rare ones included.
fn specs() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|rule| std::fs::read_dir(rule.unwrap().path()).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn reuse_equals_a_fresh_check_over_the_corpus_and_the_specs() {
    let settings = all_rules();
    let build = BuildContext::default();
    let mut reused = 0;
    let (corpus, specs) = (support::dev_corpus(), specs());
    assert!(specs.len() > 140, "{} specs", specs.len());
    for path in corpus.iter().chain(&specs) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let mut memo = InstructionMemo::new();
        let first = bulkhead_syntax::parse(&text);
        same(&name, 0, &check_file_memo(&first, &build, &settings, &mut memo), &check_file(&first, &build, &settings));
        for (step, version) in versions(&text).iter().enumerate() {
            let file = bulkhead_syntax::parse(version);
            let held = memo.len();
            let with_memo = check_file_memo(&file, &build, &settings, &mut memo);
            same(&name, step + 1, &with_memo, &check_file(&file, &build, &settings));
            reused += usize::from(held > 0);
        }
    }
    assert!(reused > (472 + specs.len()) * 9, "the memo was used {reused} times");
}

#[test]
fn new_settings_empty_the_memo() {
    let text = "FROM alpine:3.20\nRUN wget -q https://deploy:s3cr3t-Passw0rd@artifacts.example.com/app.tgz\n";
    let file = bulkhead_syntax::parse(text);
    let build = BuildContext::default();
    let mut memo = InstructionMemo::new();
    let everything = all_rules();
    let without_bh404 =
        Settings::from_config(&Config { ignore: vec!["BH404".to_owned()], ..Config::default() }).unwrap();
    let code_count = |report: &Report| report.diagnostics.iter().filter(|d| d.code == "BH404").count();
    assert_eq!(code_count(&check_file_memo(&file, &build, &everything, &mut memo)), 1);
    assert_eq!(code_count(&check_file_memo(&file, &build, &without_bh404, &mut memo)), 0);
    assert_eq!(code_count(&check_file_memo(&file, &build, &everything, &mut memo)), 1);
}

#[test]
fn the_memo_keeps_about_one_file() {
    let build = BuildContext::default();
    let settings = Settings::default();
    let mut memo = InstructionMemo::new();
    for i in 0..200 {
        let text = format!("FROM alpine:3.20\nRUN echo {i}\nRUN echo {}\n", i * 7);
        check_file_memo(&bulkhead_syntax::parse(&text), &build, &settings, &mut memo);
        assert!(memo.len() <= 2 * 3 + 64 + 3, "{} texts held after {i} versions", memo.len());
    }
}

#[test]
fn the_memo_forgets_huge_texts_it_no_longer_needs() {
    let build = BuildContext::default();
    let settings = Settings::default();
    let mut memo = InstructionMemo::new();
    let body = "echo 0123456789\n".repeat(10_000);
    for i in 0..12 {
        let text = format!("FROM alpine:3.20\nRUN <<EOF\n{body}echo {i}\nEOF\n");
        check_file_memo(&bulkhead_syntax::parse(&text), &build, &settings, &mut memo);
        assert!(memo.bytes() <= 3 * text.len() + (64 << 10), "{} bytes held after {i} versions", memo.bytes());
    }
}
