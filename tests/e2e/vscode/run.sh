#!/usr/bin/env bash
# End-to-end test of the bulkhead VS Code extension in real VS Code: code-server (VS Code 1.100 for the
# browser, from npm) driven by Debian's Chromium through playwright-core. Packages the extension with the
# freshly built server bundled, installs the .vsix, opens a workspace whose Dockerfile runs as root, and
# checks the diagnostic in the Problems panel, its hover, and the "add USER" quick fix; then a Compose
# file's finding, hover and the no-new-privileges fix.
#
#   tests/e2e/vscode/run.sh          # exit 0 when every check passed; screenshots in target/e2e/vscode/
#
# Installs what it needs: chromium, libkrb5-dev and ripgrep from apt (as root), code-server and
# playwright-core from npm into target/e2e/vscode-tools. Environment: CARGO_TARGET_DIR (default target/),
# BULKHEAD_BIN (skip the build, bundle this binary), PORT (default: a free one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e_name=vscode
# shellcheck source=../lib.sh
source "$here/../lib.sh"
out="$repo/target/e2e/vscode"
tools="$repo/target/e2e/vscode-tools"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.49.1
start=$(date +%s)


# System packages: Chromium to drive, libkrb5 for code-server's native modules, ripgrep for its search.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  log "installing ${missing[*]} with apt-get"
  [[ $(id -u) -eq 0 ]] || fail "need root to apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# code-server and playwright-core, pinned. @vscode/ripgrep's postinstall would download ripgrep: give it
# the system's binary in the cache folder it looks in first.
installed() { node -p "require('$tools/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ "$(installed code-server)" != "$CODE_SERVER_VERSION" || "$(installed playwright-core)" != "$PLAYWRIGHT_VERSION" ]]; then
  log "installing code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION into $tools"
  mkdir -p "$tools/tmp/vscode-ripgrep-cache-1.15.11"
  tar -czf "$tools/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
    -C "$(dirname "$(command -v rg)")" rg
  [[ -f "$tools/package.json" ]] || echo '{ "name": "bulkhead-e2e-tools", "private": true }' >"$tools/package.json"
  # The registry or the network fails now and then (CI once stopped here with only npm's "A complete log of
  # this run can be found in"): three tries, and npm's own log on the way out when all of them fail.
  for attempt in 1 2 3; do
    if (cd "$tools" && TMPDIR="$tools/tmp" npm_config_yes=true npm install --no-audit --no-fund --loglevel=warn \
      --unsafe-perm "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"); then
      break
    fi
    npm_log="$(ls -t "${npm_config_cache:-$HOME/.npm}"/_logs/*-debug-0.log 2>/dev/null | head -1 || true)"
    if [[ -n "$npm_log" ]]; then
      log "npm install failed (attempt $attempt); the end of $npm_log:"
      tail -40 "$npm_log" >&2
    fi
    ((attempt < 3)) || fail "npm install of code-server and playwright-core failed three times"
    sleep $((attempt * 10))
  done
fi
code_server="$tools/node_modules/.bin/code-server"

e2e_bulkhead_bin

log "packaging the extension with $BULKHEAD_BIN bundled"
mkdir -p "$out"
rm -f "$out"/*.png
case "$(uname -m)" in
  x86_64) vsce_target=linux-x64 ;;
  aarch64) vsce_target=linux-arm64 ;;
  *) fail "no VS Code platform for $(uname -m)" ;;
esac
VSCE_TARGET="$vsce_target" BULKHEAD_BUNDLE="$BULKHEAD_BIN" "$repo/editors/vscode/scripts/package.sh" "$out/bulkhead.vsix" \
  >"$out/package.log" 2>&1 || { cat "$out/package.log" >&2; fail "packaging the extension"; }
# What ships, and nothing else: the platform package (server bundled) and the universal one.
python3 "$repo/editors/vscode/scripts/check-package.py" "$out/bulkhead.vsix" "$vsce_target" >"$out/contents.txt" ||
  { cat "$out/contents.txt" >&2; fail "the $vsce_target package ships the wrong files"; }
"$repo/editors/vscode/scripts/package.sh" "$out/bulkhead-universal.vsix" >>"$out/package.log" 2>&1 ||
  { cat "$out/package.log" >&2; fail "packaging the universal extension"; }
python3 "$repo/editors/vscode/scripts/check-package.py" "$out/bulkhead-universal.vsix" >>"$out/contents.txt" ||
  { cat "$out/contents.txt" >&2; fail "the universal package ships the wrong files"; }
log "ok: the $vsce_target and universal packages ship the extension, its licences, icon and production dependencies only"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/user-data/User" "$work/extensions"
cp -r "$here/workspace" "$work/workspace"
cat >"$work/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.hover.delay": 200,
  "chat.disableAIFeatures": true
}
JSON
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$work/config.yaml"
common=(--config "$work/config.yaml" --user-data-dir "$work/user-data" --extensions-dir "$work/extensions")

"$code_server" "${common[@]}" --install-extension "$out/bulkhead.vsix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "code-server --install-extension"; }
grep -q "bulkhead-dev.bulkhead" <("$code_server" "${common[@]}" --list-extensions 2>/dev/null) ||
  fail "the extension is not listed after installing it"
log "installed $out/bulkhead.vsix"

port="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
"$code_server" "${common[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$work/workspace" >"$out/code-server.log" 2>&1 &
server_pid=$!
healthy() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; }
for _ in $(seq 120); do
  healthy "http://127.0.0.1:$port/healthz" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$out/code-server.log" >&2; fail "code-server exited"; }
  sleep 0.5
done
healthy "http://127.0.0.1:$port/healthz" || fail "code-server did not listen on port $port within 60 s"
log "code-server $CODE_SERVER_VERSION on port $port"

status=0
E2E_TOOLS="$tools" timeout 180 node "$here/drive.mjs" \
  "http://127.0.0.1:$port/?folder=$work/workspace" "$out" "$work/user-data" || status=$?
[[ $status -ne 124 ]] || fail "the browser session did not finish within 180 s"
if [[ $status -ne 0 ]]; then
  log "code-server log: $out/code-server.log; screenshot: $out/failure.png"
  fail "the browser session failed"
fi
grep -q '^USER 10001:10001' "$work/workspace/Dockerfile" || fail "the saved Dockerfile has no USER 10001:10001: $(cat "$work/workspace/Dockerfile")"
grep -q -- '- no-new-privileges:true' "$work/workspace/compose.yaml" ||
  fail "the saved compose.yaml has no no-new-privileges: $(cat "$work/workspace/compose.yaml")"
echo "ok: the saved Dockerfile runs as UID 10001"
log "passed in $(($(date +%s) - start)) s; screenshots in $out"
