#!/usr/bin/env bash
# End-to-end test of bulkhead in real Helix: the editor (../shared/tools/helix/hx, Helix 25.07 built from its
# public source) runs in tmux with editors/helix/languages.toml as the user's config, exactly as a user copies
# it, on a Dockerfile that runs as root. The test reads the screen as a person would: the finding at its
# line, the hover (`space k`), the code actions (`space a`), the fix chosen and written (`:w`), and the
# finding gone; then the same on a Compose file (`docker-compose` language). `hx --health dockerfile` and
# `hx --health docker-compose` must list bulkhead as found.
#
#   tests/e2e/helix/run.sh          # exit 0 when every check passed; screens in target/e2e/helix/
#
# Environment: CARGO_TARGET_DIR (default target/), BULKHEAD_BIN (skip the build, test this binary),
# HELIX_BIN (default ../shared/tools/helix/hx beside the repository). Installs tmux with apt when missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e_name=helix
# shellcheck source=../lib.sh
source "$here/../lib.sh"
out="$repo/target/e2e/helix"
hx="${HELIX_BIN:-$repo/../shared/tools/helix/hx}"

fail() {
  log "FAILED: $*"
  if [[ -n "${socket:-}" ]] && tmux -L "$socket" has-session 2>/dev/null; then
    log "the screen:"
    screen >&2 || true
  fi
  exit 1
}

[[ -x "$hx" ]] || fail "no Helix binary at $hx (shared/tools/helix is missing: see its README for how it is built)"
"$hx" --version | grep -q '^helix 2[5-9]\.' || fail "need Helix 25+, got: $("$hx" --version)"

if ! command -v tmux >/dev/null; then
  log "installing tmux with apt-get"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tmux >/dev/null
fi

e2e_bulkhead_bin

# A user's machine in a temporary folder: HOME with Helix's config, `bulkhead` on PATH (and nothing named
# docker-langserver: the shipped config names it, and Helix must start bulkhead without it).
work="$(mktemp -d)"
socket="bulkhead-helix-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/.config/helix" "$work/bin" "$work/project/.git" "$out"
cp "$repo/editors/helix/languages.toml" "$work/home/.config/helix/languages.toml"
ln -s "$BULKHEAD_BIN" "$work/bin/bulkhead"
cp "$repo/tests/e2e/neovim/bad.Dockerfile" "$work/project/Dockerfile"
printf 'ignore = ["BH601"]\n' >"$work/project/.bulkhead.toml"
# The Compose file has a folder of its own whose configuration keeps two rules, so the menu of code actions
# on its service stays short.
mkdir -p "$work/project/stack"
cp "$repo/tests/e2e/neovim/bad-compose.yaml" "$work/project/stack/compose.yaml"
printf 'select = ["BH710", "BH713"]\n' >"$work/project/stack/.bulkhead.toml"
user_env=(env -i HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" PATH="$work/bin:/usr/bin:/bin"
  TERM=xterm-256color LANG=C.UTF-8)

health="$(cd "$work/project" && "${user_env[@]}" "$hx" --health dockerfile 2>&1 | sed 's/\x1b\[[0-9;]*m//g')" || true
printf '%s\n' "$health" >"$out/health.txt"
grep -q "✓ bulkhead: $work/bin/bulkhead" <<<"$health" || fail "hx --health dockerfile does not find bulkhead: $health"
log "ok: hx --health dockerfile lists bulkhead on PATH"
health="$(cd "$work/project" && "${user_env[@]}" "$hx" --health docker-compose 2>&1 | sed 's/\x1b\[[0-9;]*m//g')" || true
printf '%s\n' "$health" >"$out/health-compose.txt"
grep -q "✓ bulkhead: $work/bin/bulkhead" <<<"$health" || fail "hx --health docker-compose does not find bulkhead: $health"
log "ok: hx --health docker-compose lists bulkhead on PATH"

screen() { tmux -L "$socket" capture-pane -p -t helix; }
keys() { tmux -L "$socket" send-keys -t helix "$@"; }
# Waits until the screen matches the extended regular expression $2 (or, with `!`, stops matching it).
wait_screen() {
  local what="$1" pattern="$2" negate="${3:-}" tries=150
  while ((tries--)); do
    if [[ -z "$negate" ]] && screen | grep -Eq -- "$pattern"; then log "ok: $what"; return 0; fi
    if [[ -n "$negate" ]] && ! screen | grep -Eq -- "$pattern"; then log "ok: $what"; return 0; fi
    sleep 0.1
  done
  fail "$what (timed out waiting for /$pattern/)"
}
snapshot() { screen >"$out/$1.txt"; }
# Opens the code actions (space a) and chooses the entry matching $1 by its place among the entries matching
# $2 (the menu's rows), as a user would with the arrow keys; $3 names the screen snapshot of the menu.
choose_action() {
  local wanted="$1" rows="$2" name="$3" menu index i
  keys Space
  sleep 0.3
  keys a
  wait_screen "the code action menu offers /$wanted/" "$wanted"
  snapshot "$name"
  menu="$(screen | grep -E "$rows" || true)"
  index="$(grep -nE "$wanted" <<<"$menu" | head -n1 | cut -d: -f1)"
  [[ -n "$index" ]] || fail "no /$wanted/ entry in the menu: $menu"
  for ((i = 1; i < index; i++)); do keys Down; done
  keys Enter
}

log "$("$hx" --version) in tmux on $work/project/Dockerfile"
(cd "$work/project" && tmux -L "$socket" -f /dev/null new-session -d -s helix -x 160 -y 45 \
  "${user_env[@]}" "$hx" Dockerfile)

# The finding: Helix shows it inline under its line, with the gutter mark.
wait_screen "the BH201 finding is shown at the FROM line" 'final stage never sets `USER`'
snapshot 1-opened
screen | grep -Eq '^●.* 1  FROM alpine' || fail "the gutter marks line 1"
log "ok: the gutter marks line 1"

# The hover (space k) explains the practice behind the finding.
keys Space
sleep 0.3
keys k
wait_screen "the hover names the rule" 'BH201.*root'
wait_screen "the hover explains the practice" 'non-root user|Why it matters|root in the container'
snapshot 2-hover
keys Escape
wait_screen "the hover closes" 'BH201 root-user' negate

# The code actions (space a): the fix that adds a user is offered; choose it by its place in the menu.
choose_action 'Create user .*USER' 'Create user .*USER|Ignore BH201' 3-actions
wait_screen "the fix inserts a USER instruction" '^ *[0-9]+  USER '
keys ':w' Enter
wait_screen "the buffer is written" "'Dockerfile' written"
wait_screen "BH201 is gone after the fix" 'final stage never sets `USER`' negate
snapshot 4-fixed

written="$(cat "$work/project/Dockerfile")"
printf '%s\n' "$written" >"$out/Dockerfile.fixed"
grep -q '^USER 10001:10001$' <<<"$written" || fail "the written file has no numeric USER 10001:10001 line: $written"
grep -q 'adduser' <<<"$written" || fail "the written file does not create the user the Alpine way: $written"
[[ "$(grep -n '^USER ' <<<"$written" | cut -d: -f1)" -lt "$(grep -n '^CMD ' <<<"$written" | cut -d: -f1)" ]] ||
  fail "USER comes after CMD: $written"
log "ok: the written Dockerfile creates the user and switches to it before CMD"

"$BULKHEAD_BIN" check --format concise "$work/project/Dockerfile" >"$out/check.txt" 2>&1 || true
grep -q 'BH201' "$out/check.txt" && fail "bulkhead check still reports BH201 on the written file"
log "ok: bulkhead check agrees: no BH201 in the written file"

# A Compose file: its finding, the hover, the fix of BH713 chosen from the menu and written.
keys ':open stack/compose.yaml' Enter
wait_screen "the BH710 finding is shown in compose.yaml" 'runs privileged'
wait_screen "the BH713 finding is shown at the service" 'gain privileges'
snapshot 5-compose-opened
keys ':4' Enter
keys g s
keys Space
sleep 0.3
keys k
wait_screen "the Compose hover names the rule" 'BH710'
wait_screen "the Compose hover explains the practice" 'Why it matters'
snapshot 6-compose-hover
keys Escape
keys ':2' Enter
keys g s
choose_action 'Add .security_opt' 'Add .security_opt|Ignore BH71' 7-compose-actions
wait_screen "the fix inserts security_opt" '^ *[0-9]+ +security_opt:'
keys ':w' Enter
wait_screen "the Compose file is written" "compose.yaml' written"
wait_screen "BH713 is gone after the fix" 'gain privileges' negate
snapshot 8-compose-fixed
grep -q -- '- no-new-privileges:true' "$work/project/stack/compose.yaml" ||
  fail "the written Compose file has no no-new-privileges: $(cat "$work/project/stack/compose.yaml")"
log "ok: the written Compose file sets no-new-privileges"

keys ':q!' Enter
for _ in $(seq 50); do tmux -L "$socket" has-session 2>/dev/null || break; sleep 0.1; done
tmux -L "$socket" has-session 2>/dev/null && fail "Helix did not quit"
log "passed in ${SECONDS}s"
