//! Sets `BULKHEAD_VERSION` for `--version`: the package version, and the git commit it was built from when
//! this is a git checkout (`0.1.0 (1a2b3c4d5)`). Outside a checkout
//! (a crates.io download, a source tarball) or without `git`, just the version: this never fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // Only the workspace's own repository: a packaged copy under `target/package` or `~/.cargo/registry` may
    // sit inside some other checkout, whose commit says nothing about this source.
    let root = manifest_dir.join("../..");
    println!("cargo::rerun-if-changed=build.rs");
    let commit = match root.join(".git").exists() {
        true => commit(&root),
        false => None,
    };
    let shown = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_owned(),
    };
    println!("cargo::rustc-env=BULKHEAD_VERSION={shown}");
}

/// The short commit of `HEAD`; asks cargo to run this again when `HEAD` or the branch it points at moves.
/// (No `-dirty` mark: cargo cannot be asked to rerun this on every edit of the working tree, so it would
/// often be stale.)
fn commit(root: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
        let text = String::from_utf8(output.stdout).ok()?;
        (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
    };
    let commit = git(&["rev-parse", "--short=9", "HEAD"])?;
    watch(root, git(&["rev-parse", "--git-path", "HEAD"]));
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(root, git(&["rev-parse", "--git-path", &branch]));
        watch(root, git(&["rev-parse", "--git-path", "packed-refs"]));
    }
    Some(commit)
}

/// Reruns the build script when `path` (relative to `root` as git prints it) changes, if it exists: a
/// missing file would make cargo rerun it on every build.
fn watch(root: &Path, path: Option<String>) {
    let Some(path) = path else { return };
    let path = root.join(path);
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}
