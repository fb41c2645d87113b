#!/usr/bin/env bash
# Builds the extension into a .vsix: npm ci (from package-lock.json), tsc, and vsce.
#
#   editors/vscode/scripts/package.sh [OUT.vsix]
#
# BULKHEAD_BUNDLE=/path/to/bulkhead copies that binary into bin/ and makes a platform-specific package
# (`vsce package --target`): VSCE_TARGET names the platform (linux-x64, linux-arm64, alpine-x64, darwin-x64,
# darwin-arm64, win32-x64, ...; default: this machine's). Without it, the package is universal and the
# extension uses `bulkhead.path` or `bulkhead` on PATH. The licence files of the repository ship with it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$(node -p 'require(process.argv[1]).version' "$here/package.json")"

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux; ldd --version 2>&1 | grep -qi musl && os=alpine ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) os=win32 ;;
    *) echo "unknown OS $(uname -s): set VSCE_TARGET" >&2; exit 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l) arch=armhf ;;
    *) echo "unknown architecture $(uname -m): set VSCE_TARGET" >&2; exit 1 ;;
  esac
  echo "$os-$arch"
}

target_args=()
name="bulkhead-$version.vsix"
if [[ -n "${BULKHEAD_BUNDLE:-}" ]]; then
  BULKHEAD_BUNDLE="$(cd "$(dirname "$BULKHEAD_BUNDLE")" && pwd)/$(basename "$BULKHEAD_BUNDLE")"
  target="${VSCE_TARGET:-$(host_target)}"
  target_args=(--target "$target")
  name="bulkhead-$target-$version.vsix"
fi
out="${1:-$here/$name}"
cd "$here"

npm ci --no-audit --no-fund --loglevel=error
npm run --silent compile
rm -rf bin
cleanup() { rm -rf "$here/bin" "$here/LICENSE-MIT" "$here/LICENSE-APACHE"; }
trap cleanup EXIT
if [[ -n "${BULKHEAD_BUNDLE:-}" ]]; then
  mkdir -p bin
  exe=bulkhead
  [[ "${target_args[1]}" == win32-* ]] && exe=bulkhead.exe
  cp "$BULKHEAD_BUNDLE" "bin/$exe"
  chmod +x "bin/$exe"
fi
cp "$repo/LICENSE-MIT" "$repo/LICENSE-APACHE" .
mkdir -p "$(dirname "$out")"
# --skip-license: vsce looks for one file named LICENSE; the two licence files above are what applies.
npx --no-install vsce package --skip-license "${target_args[@]}" --out "$out"
echo "$out"
