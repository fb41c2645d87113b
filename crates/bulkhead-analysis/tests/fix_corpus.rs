//! The fix contract over the real corpus: every safe fix of every rule (including the ones off by default),
//! applied pass after pass to each of the 472 dev files as `bulkhead check --fix` does, must
//! - never add a syntax error and converge within the pass limit,
//! - leave no finding that a safe fix could still address,
//! - keep every instruction that no edit touched byte for byte, in order,
//! - be idempotent: fixing the fixed text changes nothing.

mod support;

use bulkhead_analysis::{
    Applicability, BuildContext, Config, Fix, FixSelection, MAX_FIX_PASSES, Settings, apply_fixes, check, fix_all,
};
use bulkhead_syntax::TextRange;

/// True when `edit` may change `instruction`: it overlaps it, or inserts inside it or at either end (an
/// insertion at the end can extend the instruction, as appending `&& rm -rf ...` to a RUN does).
fn touches(edit: TextRange, instruction: TextRange) -> bool {
    match edit.start == edit.end {
        true => instruction.start <= edit.start && edit.start <= instruction.end,
        false => edit.start < instruction.end && instruction.start < edit.end,
    }
}

/// The source text of each instruction.
fn instruction_texts(text: &str) -> Vec<(TextRange, String)> {
    let file = bulkhead_syntax::parse(text);
    file.instructions().iter().map(|i| (i.range, text[i.range.start..i.range.end].to_owned())).collect()
}

/// Checks one pass: the instructions of `before` that no edit of `fixes` touches appear in `after`, in order.
fn untouched_kept(name: &str, before: &str, fixes: &[&Fix], after: &str) {
    let edits: Vec<TextRange> = fixes.iter().flat_map(|fix| fix.edits.iter().map(|edit| edit.range)).collect();
    let after = instruction_texts(after);
    let mut next = after.iter();
    for (range, source) in instruction_texts(before) {
        if edits.iter().any(|&edit| touches(edit, range)) {
            continue;
        }
        assert!(next.any(|(_, kept)| *kept == source), "{name}: untouched instruction changed or moved: {source:?}");
    }
}

/// Every rule, the ones off by default too.
fn all_rules() -> Settings {
    Settings::from_config(&Config { select: Some(vec!["ALL".to_owned()]), ..Config::default() }).unwrap()
}

#[test]
fn safe_fixes_over_the_corpus() {
    let settings = all_rules();
    let build = BuildContext::default();
    let (mut files_fixed, mut fixes) = (0, 0);
    for path in support::dev_corpus() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(&path).unwrap();
        let errors = bulkhead_syntax::parse(&original).errors().len();

        // The passes, one by one, to see each pass's edits.
        let mut text = original.clone();
        for pass in 0.. {
            assert!(pass <= MAX_FIX_PASSES, "{name}: safe fixes do not converge");
            let report = check(&text, &build, &settings);
            let chosen: Vec<&Fix> = report
                .diagnostics
                .iter()
                .filter_map(|d| d.fixes.iter().find(|fix| fix.applicability == Applicability::Safe))
                .collect();
            if chosen.is_empty() {
                break;
            }
            let (next, applied) = apply_fixes(&text, chosen.iter().copied());
            assert!(applied > 0 && next != text, "{name}: pass {pass} offers fixes that change nothing");
            assert!(
                bulkhead_syntax::parse(&next).errors().len() <= errors,
                "{name}: pass {pass} adds a syntax error:\n{next}"
            );
            untouched_kept(&name, &text, &chosen, &next);
            text = next;
        }

        // The engine's own loop gets the same text and leaves nothing a safe fix addresses.
        let fixed = fix_all(&original, &build, &settings, FixSelection::Safe);
        assert_eq!(fixed.stopped, None, "{name}");
        assert_eq!(fixed.text, text, "{name}: fix_all differs from pass-by-pass fixing");
        for diagnostic in &fixed.report.diagnostics {
            assert!(
                diagnostic.fixes.iter().all(|fix| fix.applicability != Applicability::Safe),
                "{name}: {} still has a safe fix after fixing: {}",
                diagnostic.code,
                diagnostic.message
            );
        }
        let again = fix_all(&fixed.text, &build, &settings, FixSelection::Safe);
        assert_eq!((again.applied, again.text.as_str()), (0, fixed.text.as_str()), "{name}: not idempotent");
        if fixed.applied > 0 {
            files_fixed += 1;
            fixes += fixed.applied;
        }
    }
    // The corpus has safe-fixable findings: the test exercises the fixes rather than passing vacuously.
    assert!(files_fixed >= 25 && fixes >= files_fixed, "{files_fixed} files, {fixes} fixes");
    eprintln!("{fixes} safe fixes applied to {files_fixed} of 472 corpus files");
}

/// Every fix, safe or unsafe (the first one each finding offers, as `check --fix --unsafe-fixes` applies
/// them), over the corpus with no `.dockerignore` known, so BH801's file is created too: it converges without
/// adding a syntax error, is idempotent, and leaves no finding that still has a fix.
#[test]
fn all_fixes_over_the_corpus() {
    let settings = all_rules();
    let build = BuildContext::without_dockerignore();
    let (mut files_fixed, mut fixes, mut created) = (0, 0, 0);
    for path in support::dev_corpus() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(&path).unwrap();
        let fixed = fix_all(&original, &build, &settings, FixSelection::SafeAndUnsafe);
        assert_eq!(fixed.stopped, None, "{name}");
        let after = fixed.new_files.iter().fold(build.clone(), |build, file| build.with_new_file(file));
        for diagnostic in &fixed.report.diagnostics {
            assert!(
                diagnostic.fixes.is_empty(),
                "{name}: {} still has a fix after fixing everything: {}\n{}",
                diagnostic.code,
                diagnostic.message,
                fixed.text
            );
        }
        let again = fix_all(&fixed.text, &after, &settings, FixSelection::SafeAndUnsafe);
        assert_eq!((again.applied, again.text.as_str()), (0, fixed.text.as_str()), "{name}: not idempotent");
        if fixed.applied > 0 {
            files_fixed += 1;
            fixes += fixed.applied;
        }
        created += fixed.new_files.len();
    }
    // Only ten corpus files copy the whole context (`COPY . .`).
    assert!(files_fixed >= 400 && created >= 10, "{files_fixed} files, {created} files created");
    eprintln!("{fixes} fixes applied to {files_fixed} of 472 corpus files, {created} `.dockerignore` created");
}

/// The contract of every single fix (safe or unsafe) of every finding on every corpus file, each applied
/// alone to the original text as the editor applies one: see [`support::checked_fix`]; and the finding it
/// was offered for is gone. Each file is checked as it is and as Windows editors save it (a byte order mark
/// and CRLF line ends), so every fix also shows it keeps those.
#[test]
fn every_fix_keeps_its_contract_over_the_corpus() {
    let settings = all_rules();
    let build = BuildContext::without_dockerignore();
    // The finding is looked for again with its own rule only: cheaper than every rule.
    let mut alone: std::collections::HashMap<&str, Settings> = std::collections::HashMap::new();
    let mut checked = 0;
    for path in support::dev_corpus() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let plain = std::fs::read_to_string(&path).unwrap();
        let windows = format!("\u{feff}{}", plain.replace("\r\n", "\n").replace('\n', "\r\n"));
        for text in [plain, windows] {
            let report = check(&text, &build, &settings);
            let original = support::Original::new(&text);
            for diagnostic in &report.diagnostics {
                for fix in &diagnostic.fixes {
                    let fixed = support::checked_fix(&original, fix).unwrap_or_else(|err| panic!("{name}: {err}"));
                    let after_build = fix.new_files.iter().fold(build.clone(), |b, file| b.with_new_file(file));
                    let rule_settings = alone.entry(diagnostic.code).or_insert_with(|| {
                        let config = Config { select: Some(vec![diagnostic.code.to_owned()]), ..Config::default() };
                        Settings::from_config(&config).unwrap()
                    });
                    let after = check(&fixed, &after_build, rule_settings);
                    let same = |d: &&bulkhead_analysis::Diagnostic| {
                        d.code == diagnostic.code
                            && d.message == diagnostic.message
                            && d.range.start == diagnostic.range.start
                    };
                    let before_count = report.diagnostics.iter().filter(same).count();
                    assert!(
                        after.diagnostics.iter().filter(same).count() < before_count,
                        "{name}: fix `{}` leaves its {} finding: {}\n{fixed}",
                        fix.title,
                        diagnostic.code,
                        diagnostic.message
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} fixes checked");
    eprintln!("{checked} fixes checked one by one");
}
