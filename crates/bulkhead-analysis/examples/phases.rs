//! Where the time of one editor keystroke goes on a file: text copy, parse (shell parses cached), line
//! index, model, each rule (CPU time, file and instruction checks over the whole file), the whole check
//! without and with a warm memo of instruction checks (wall time); formatting and document symbols.
//! `cargo run --release -p bulkhead-analysis --example phases -- FILE [N]`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulkhead_analysis::{BuildContext, InstructionContext, InstructionMemo, Model, RULES, RuleContext, Settings};
use bulkhead_syntax::{Document, ShellCache, TextEdit, TextRange};

/// CPU time of this thread (the machine may be busy: wall time would count the waits).
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    Duration::from_nanos(stat.split_whitespace().next().and_then(|ns| ns.parse().ok()).unwrap_or(0))
}

fn time<T>(n: u32, mut work: impl FnMut() -> T) -> Duration {
    let (wall, start) = (Instant::now(), cpu());
    for _ in 0..n {
        black_box(work());
    }
    if cpu() == start { wall.elapsed() / n } else { (cpu() - start) / n }
}

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let text = std::fs::read_to_string(path).expect("read");
    let n = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut cache = ShellCache::new();
    let file = bulkhead_syntax::parse_with_cache(Arc::from(text.as_str()), Some(&mut cache));
    let covered: usize = file.instructions().iter().map(|i| i.range.len()).sum();
    println!("instructions: {} covering {covered} bytes of {}", file.instructions().len(), text.len());
    println!("parse (cold): {:?}", time(2, || bulkhead_syntax::parse(&text)));
    println!(
        "parse (shell cache): {:?}",
        time(n, || bulkhead_syntax::parse_with_cache(Arc::from(text.as_str()), Some(&mut cache)))
    );
    println!("line index: {:?}", time(n, || bulkhead_syntax::LineIndex::new(&text)));
    let mut doc = Document::new(&text);
    let mut at = text.len();
    println!(
        "document edit + snapshot: {:?}",
        time(n, || {
            doc.apply(&TextEdit { range: TextRange::empty(at), new_text: "x".into() });
            at += 1;
            doc.snapshot()
        })
    );
    println!("model: {:?}", time(n, || Model::new(&file)));
    let format = bulkhead_syntax::format::FormatOptions::default();
    println!(
        "format_edits (text: parse, plan, check): {:?}",
        time(2, || bulkhead_syntax::format::format_edits(&text, &format))
    );
    println!(
        "format_file_edits (the server's parse and shell cache): {:?}",
        time(n, || bulkhead_syntax::format::format_file_edits(&file, &format, &mut cache))
    );
    let formatted = bulkhead_syntax::format::format_text(&text, &format);
    let formatted = bulkhead_syntax::parse_with_cache(Arc::from(formatted.as_str()), Some(&mut cache));
    println!(
        "format_file_edits of the formatted text (the plan alone: nothing to check): {:?}",
        time(n, || bulkhead_syntax::format::format_file_edits(&formatted, &format, &mut cache))
    );
    let model = Model::new(&file);
    println!("document symbols (engine): {:?}", time(n, || bulkhead_analysis::ide::document_symbols(&file, &model)));
    let build = BuildContext::without_dockerignore();
    let settings = Settings::default();
    let ctx = RuleContext { file: &file, model: &model, build: &build, options: &settings.options };
    let mut rules: Vec<_> = RULES
        .iter()
        .map(|rule| {
            let mut out = Vec::new();
            (
                rule.code,
                time(n, || {
                    out.clear();
                    if let Some(check) = rule.check.file() {
                        check(&ctx, &mut out);
                    }
                    if let Some(check) = rule.check.instruction() {
                        for instruction in file.instructions() {
                            let ctx = InstructionContext { file: &file, instruction, options: &settings.options };
                            check(&ctx, &mut out);
                        }
                    }
                    out.len()
                }),
            )
        })
        .collect();
    rules.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let total: Duration = rules.iter().map(|(_, d)| *d).sum();
    println!("rules total: {total:?}");
    for (code, d) in rules {
        println!("  {code}: {d:?}");
    }
    // Wall time: the rules of a large file run on every core.
    let wall = |work: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..n {
            work();
        }
        start.elapsed() / n
    };
    println!(
        "check_file (wall): {:?}",
        wall(&mut || drop(black_box(bulkhead_analysis::check_file(&file, &build, &settings))))
    );
    // A keystroke: the findings of instruction checks on unchanged instructions are reused.
    let mut memo = InstructionMemo::new();
    println!(
        "check_file with a warm memo (wall): {:?}",
        wall(&mut || drop(black_box(bulkhead_analysis::check_file_memo(&file, &build, &settings, &mut memo))))
    );
}
