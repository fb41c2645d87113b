#!/usr/bin/env bash
# Runs one fuzz target on the stable toolchain: fuzz/run.sh <engine|lsp|config> [seconds]
# cargo-fuzz needs nightly-only flags (-Zsanitizer); RUSTC_BOOTSTRAP=1 lets the stable compiler accept them.
# Installs cargo-fuzz and seeds the corpus from ../shared/corpus/dev on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh <engine|lsp|config> [seconds]}
seconds=${2:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
[ -d "fuzz/corpus/$target" ] || python3 fuzz/seed.py
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run -O "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-20}" -print_final_stats=1
