//! What the syntax tests share: the real files of `../shared/corpus`.

use std::path::{Path, PathBuf};

/// Every file of `../shared/corpus/dev` and `large/`, sorted within each.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(root.is_dir(), "the corpus is missing: expected {} (shared/ beside the repository)", root.display());
    let mut files = Vec::new();
    for sub in ["dev", "large"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(sub))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file() && path.file_name().is_some_and(|n| n != "README.md"))
            .collect();
        entries.sort();
        files.extend(entries);
    }
    files
}
