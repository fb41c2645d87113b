//! Every input the fuzzers ever crashed on (`fuzz/regressions/<target>/`), run through the same checks as
//! the fuzz targets (`fuzz/checks.rs`), so a crash once fixed stays fixed. How to run the fuzzers:
//! docs/reliability.md.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect();
    inputs.sort();
    inputs
}

/// Replays every input of a target. A folder with no input fails: a replay of nothing tests nothing.
fn replay(target: &str, check: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "fuzz/regressions/{target}/ holds no input");
    for (name, data) in &inputs {
        if std::panic::catch_unwind(|| check(data)).is_err() {
            panic!("fuzz/regressions/{target}/{name} fails again");
        }
    }
}

#[test]
fn engine_regressions() {
    replay("engine", checks::engine);
}

#[test]
fn config_regressions() {
    replay("config", checks::config);
}

#[test]
fn lsp_regressions() {
    replay("lsp", checks::lsp);
}
