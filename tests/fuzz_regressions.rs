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

/// Resident memory of this process in bytes (Linux), 0 elsewhere.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    statm.split_whitespace().nth(1).and_then(|pages| pages.parse::<usize>().ok()).unwrap_or(0) * 4096
}

/// The `lsp_model` fuzz target's loop without the fuzzer: `SOAK_SESSIONS` (default 2,000) server sessions
/// in one process on pseudo-random inputs of up to 4 KiB, printing the resident size every tenth of the way
/// and the inputs per second. Not run by default; used under heaptrack to tell a leak (heap that grows
/// with the sessions) from allocator retention (resident memory that grows while the heap does not):
/// `cargo test --test fuzz_regressions lsp_model_soak -- --ignored --nocapture`.
#[test]
#[ignore]
fn lsp_model_soak() {
    let sessions: usize = std::env::var("SOAK_SESSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = std::time::Instant::now();
    for session in 0..sessions {
        let len = (next() % 4096) as usize;
        let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        checks::lsp_model(&data);
        if (session + 1) % (sessions / 10).max(1) == 0 {
            println!("{} sessions: {:.1} MB resident", session + 1, resident_bytes() as f64 / 1e6);
        }
    }
    println!("{:.0} sessions/s", sessions as f64 / start.elapsed().as_secs_f64());
}
