#!/usr/bin/env bash
# Builds the extension into a .vsix: npm ci (from package-lock.json), tsc, and vsce.
#
#   editors/vscode/scripts/package.sh [OUT.vsix]
#
# BULKHEAD_BUNDLE=/path/to/bulkhead copies that binary into bin/ (a platform-specific package); without it,
# the extension uses `bulkhead.path` or `bulkhead` on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p 'require(process.argv[1]).version' "$here/package.json")"
out="${1:-$here/bulkhead-$version.vsix}"
if [[ -n "${BULKHEAD_BUNDLE:-}" ]]; then
  BULKHEAD_BUNDLE="$(cd "$(dirname "$BULKHEAD_BUNDLE")" && pwd)/$(basename "$BULKHEAD_BUNDLE")"
fi
cd "$here"

npm ci --no-audit --no-fund --loglevel=error
npm run --silent compile
rm -rf bin
if [[ -n "${BULKHEAD_BUNDLE:-}" ]]; then
  mkdir -p bin
  cp "$BULKHEAD_BUNDLE" bin/bulkhead
  chmod +x bin/bulkhead
fi
mkdir -p "$(dirname "$out")"
npx --no-install vsce package --skip-license --out "$out"
rm -rf bin
echo "$out"
