//! Every input the fuzzers ever crashed on (`fuzz/regressions/<target>/`), run through the same checks as
//! the fuzz targets (`fuzz/checks.rs`), so a crash once fixed stays fixed. How to run the fuzzers:
//! docs/reliability.md.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions").join(target);
    if !dir.exists() {
        return Vec::new();
    }
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
    run(target, &inputs, check);
}

/// The byte patterns a structure-aware target starts from (`fuzz/seed.py`): the all-zero model (one
/// `FROM`), every choice in turn, and the same backwards, so that each target's check runs in the normal
/// test run even while its regression folder is empty.
fn patterns() -> Vec<(String, Vec<u8>)> {
    let ascending: Vec<u8> = (0..=255).collect();
    let descending: Vec<u8> = (0..=255).rev().collect();
    let mut all =
        vec![("empty".to_owned(), Vec::new()), ("ascending".into(), ascending), ("descending".into(), descending)];
    all.extend((0..8u8).map(|seed| (format!("repeated-{seed}"), vec![seed.wrapping_mul(37); 48])));
    all
}

/// Replays a structure-aware or new target: its regression folder (when it has one) and [`patterns`].
fn replay_with_patterns(target: &str, check: fn(&[u8])) {
    let mut inputs = inputs(target);
    inputs.extend(patterns());
    run(target, &inputs, check);
}

fn run(target: &str, inputs: &[(String, Vec<u8>)], check: fn(&[u8])) {
    for (name, data) in inputs {
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

#[test]
fn dockerfile_model_regressions() {
    replay_with_patterns("dockerfile", checks::dockerfile);
}

#[test]
fn lsp_model_regressions() {
    replay_with_patterns("lsp_model", checks::lsp_model);
}

#[test]
fn compose_regressions() {
    replay_with_patterns("compose", checks::compose);
}
