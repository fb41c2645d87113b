//! Engine time per MB on every hostile shape (`tests/support/hostile_shapes.rs`), in the process: what
//! `bulkhead check` spends on the file without the process start, which dominates the per-MB figure of
//! the small shapes when measured with `/usr/bin/time`. For each shape: the best and the median of a few
//! runs of `check` (parse, model, every default rule), and the best as milliseconds per MB of input
//! (target: 100). Run with `cargo bench -p bulkhead-analysis --bench hostile` (`HOSTILE_RUNS` sets the
//! runs per shape, 5 by default; an argument keeps the shapes whose name contains it).

#[path = "../../../tests/support/hostile_shapes.rs"]
mod hostile_shapes;

use std::time::{Duration, Instant};

use bulkhead_analysis::{BuildContext, Settings, check};

fn main() {
    let runs: usize = std::env::var("HOSTILE_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(5).max(1);
    // `cargo bench` passes `--bench`; any other argument filters the shapes by name.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let settings = Settings::default();
    let build = BuildContext::default();
    println!("| shape | size | best | median | best ms/MB |");
    println!("|---|---:|---:|---:|---:|");
    for (name, text, _) in hostile_shapes::shapes() {
        if filter.as_deref().is_some_and(|filter| !name.contains(filter)) {
            continue;
        }
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let report = check(&text, &build, &settings);
                let elapsed = start.elapsed();
                assert!(report.failures.is_empty(), "{name}: {:?}", report.failures);
                elapsed
            })
            .collect();
        times.sort();
        let mb = text.len() as f64 / 1e6;
        let ms = |time: Duration| time.as_secs_f64() * 1e3;
        println!(
            "| {name} | {:.0} kB | {:.1} ms | {:.1} ms | {:.0} |",
            text.len() as f64 / 1e3,
            ms(times[0]),
            ms(times[runs / 2]),
            ms(times[0]) / mb
        );
    }
}
