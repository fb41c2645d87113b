//! What several test files of this crate share.

use std::path::{Path, PathBuf};

/// The 472 real Dockerfiles of `shared/corpus/dev`, sorted by name. The corpus lives beside the repository.
pub fn dev_corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dev");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("corpus missing at {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 472);
    paths
}
