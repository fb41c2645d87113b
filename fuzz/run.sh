#!/usr/bin/env bash
# Runs one fuzz target: fuzz/run.sh <engine|dockerfile|lsp|lsp_model|compose|config> [seconds]
# With cargo-fuzz installed it runs `cargo fuzz run` (ASAN, needs RUSTC_BOOTSTRAP=1 on stable for -Zsanitizer).
# Without it (FUZZ_PLAIN=1 forces this) the targets are built with libFuzzer's coverage instrumentation alone,
# which stable rustc accepts as is: the workspace forbids unsafe code, so ASAN adds little but a slower run.
# Seeds the corpus from ../shared/corpus on first use. Runs at the lowest priority (the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <engine|dockerfile|lsp|lsp_model|compose|config> [seconds]}
seconds=${2:-600}
[ -d "fuzz/corpus/$target" ] || python3 fuzz/seed.py
args=(-max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-20}" -print_final_stats=1)
if command -v cargo-fuzz >/dev/null && [ -z "${FUZZ_PLAIN:-}" ]; then
    export RUSTC_BOOTSTRAP=1
    exec nice -n 19 cargo fuzz run -O "$target" "fuzz/corpus/$target" -- "${args[@]}"
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="--cfg fuzzing -Cdebug-assertions -Coverflow-checks -Cpasses=sancov-module \
-Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares"
nice -n 19 cargo build --release --manifest-path fuzz/Cargo.toml --target "$triple" --bin "$target"
mkdir -p "fuzz/artifacts/$target"
exec nice -n 19 "fuzz/target/$triple/release/$target" -artifact_prefix="fuzz/artifacts/$target/" \
    "fuzz/corpus/$target" "${args[@]}"
