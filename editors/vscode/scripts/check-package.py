#!/usr/bin/env python3
"""Checks what a packaged .vsix ships, the way `vsce ls` shows it, and that nothing else is in it.

    python3 editors/vscode/scripts/check-package.py PACKAGE.vsix [TARGET]

Ships: the manifest, the README, the two licence files, the icon, the compiled extension (out/extension.js,
no source maps), the bundled server (bin/bulkhead, bin/bulkhead.exe on win32) when TARGET is given, and
exactly the packages of the production dependency tree (`npm ls --omit=dev --all --parseable` in the
extension's folder). No TypeScript sources, scripts, tsconfig, lock file, screenshots or dev dependencies.
Prints the list and exits 1 with what is wrong.
"""
import json
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def production_packages():
    out = subprocess.run(
        ["npm", "ls", "--omit=dev", "--all", "--parseable"], cwd=HERE, capture_output=True, text=True, check=True
    ).stdout
    return {os.path.relpath(line, HERE) for line in out.splitlines() if line.strip() and line.strip() != HERE}


def package_of(path):
    """`node_modules/a/node_modules/@s/b/lib/x.js` -> `node_modules/a/node_modules/@s/b`."""
    parts = path.split("/")
    end = 0
    i = 0
    while i < len(parts) - 1 and parts[i] == "node_modules":
        width = 3 if parts[i + 1].startswith("@") else 2
        end = i + width
        i = end
    return "/".join(parts[:end])


def main():
    vsix, target = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    names = [n for n in zipfile.ZipFile(vsix).namelist() if not n.endswith("/")]
    problems = []
    top = {"extension.vsixmanifest", "[Content_Types].xml"}
    expected = {
        "package.json",
        "readme.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "images/icon.png",
        "out/extension.js",
    }
    if target:
        expected.add("bin/bulkhead.exe" if target.startswith("win32-") else "bin/bulkhead")
    shipped, packages = set(), set()
    for name in names:
        if name in top:
            continue
        if not name.startswith("extension/"):
            problems.append(f"outside extension/: {name}")
            continue
        rel = name[len("extension/"):]
        if rel.startswith("node_modules/"):
            packages.add(package_of(rel))
        else:
            shipped.add(rel)
    for rel in sorted(shipped - expected):
        problems.append(f"ships what it should not: {rel}")
    for rel in sorted(expected - shipped):
        problems.append(f"missing: {rel}")
    wanted = production_packages()
    for pkg in sorted(packages - wanted):
        problems.append(f"ships a package outside the production dependencies: {pkg}")
    for pkg in sorted(wanted - packages):
        problems.append(f"a production dependency is missing: {pkg}")
    for name in names:
        if re.search(r"\.(map)$", name) or (re.search(r"\.ts$", name) and not name.endswith(".d.ts")):
            problems.append(f"source or map file: {name}")

    manifest = zipfile.ZipFile(vsix).read("extension.vsixmanifest").decode()
    platform = re.search(r'TargetPlatform="([^"]+)"', manifest)
    if target and (platform is None or platform.group(1) != target):
        problems.append(f"manifest target platform {platform and platform.group(1)!r}, expected {target!r}")
    if not target and platform is not None:
        problems.append(f"a universal package names a target platform: {platform.group(1)}")
    package = json.loads(zipfile.ZipFile(vsix).read("extension/package.json"))
    for key in ("icon", "license", "repository", "categories", "keywords", "publisher", "displayName", "description"):
        if not package.get(key):
            problems.append(f"package.json has no {key}, which a marketplace listing needs")

    print(f"{vsix}: {len(names)} files, target {target or 'universal'}")
    for rel in sorted(shipped):
        print(f"  {rel}")
    for pkg in sorted(packages):
        count = sum(1 for n in names if n.startswith(f"extension/{pkg}/"))
        print(f"  {pkg}/ ({count} files)")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
