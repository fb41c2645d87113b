# Shared by the real-editor tests (tests/e2e/<editor>/run.sh), sourced after `e2e_name=<editor>`: the
# repository's paths, log and fail, and the bulkhead binary under test. A script may redefine `fail` after
# sourcing (Helix prints the screen first).
#
#   repo     the checkout; target: CARGO_TARGET_DIR or target/
#   log MSG  "<name>-e2e [+Ns]: MSG" on stderr; fail MSG logs and exits 1
#   e2e_bulkhead_bin   sets BULKHEAD_BIN to an absolute path: the given one, else a fresh debug build

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The date the server judges end-of-life releases by (BH106): fixed, so that a fixture's base image does not
# start a new finding the day its release ends. The editors pass their environment on to the server.
export BULKHEAD_TODAY="${BULKHEAD_TODAY:-2026-12-01}"
target="${CARGO_TARGET_DIR:-$repo/target}"

log() { printf '%s-e2e [+%ss]: %s\n' "$e2e_name" "$SECONDS" "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

e2e_bulkhead_bin() {
  if [[ -z "${BULKHEAD_BIN:-}" ]]; then
    log "building bulkhead"
    (cd "$repo" && cargo build --quiet -p bulkhead)
    BULKHEAD_BIN="$target/debug/bulkhead"
  fi
  [[ -x "$BULKHEAD_BIN" ]] || fail "no bulkhead binary at $BULKHEAD_BIN"
  BULKHEAD_BIN="$(cd "$(dirname "$BULKHEAD_BIN")" && pwd)/$(basename "$BULKHEAD_BIN")"
}
