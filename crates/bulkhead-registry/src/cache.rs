//! A disk cache of registry answers with a TTL: one JSON file per key, written atomically (temp file +
//! rename), read defensively (a corrupt, foreign or unreadable entry is a miss, never an error).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

/// The default cache directory: the user's cache dir (`$XDG_CACHE_HOME` or `~/.cache` on Linux,
/// `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) + `bulkhead/registry`.
pub fn default_cache_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.cache_dir().join("bulkhead").join("registry"))
}

/// Bumped when the stored shape changes, so old entries are ignored rather than misread.
const FORMAT: &str = "v1";

#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    ttl: Duration,
}

#[derive(Serialize, serde::Deserialize)]
struct Entry<T> {
    key: String,
    stored_at: u64,
    value: T,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Cache {
    pub fn new(dir: PathBuf, ttl: Duration) -> Self {
        Self { dir: dir.join(FORMAT), ttl }
    }

    fn path(&self, key: &str) -> PathBuf {
        let hash = Sha256::digest(key.as_bytes());
        let name: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.json"))
    }

    /// The value stored under `key` when it is younger than the TTL (any age when `immutable`).
    pub fn get<T: DeserializeOwned>(&self, key: &str, immutable: bool) -> Option<T> {
        let text = std::fs::read(self.path(key)).ok()?;
        let entry: Entry<T> = serde_json::from_slice(&text).ok()?;
        if entry.key != key {
            return None;
        }
        let age = now_secs().checked_sub(entry.stored_at)?;
        (immutable || Duration::from_secs(age) < self.ttl).then_some(entry.value)
    }

    /// Stores a value. Failures are ignored: the cache is an optimisation.
    pub fn put<T: Serialize>(&self, key: &str, value: &T) {
        let _ = self.try_put(key, value);
    }

    fn try_put<T: Serialize>(&self, key: &str, value: &T) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let entry = Entry { key: key.to_owned(), stored_at: now_secs(), value };
        let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let target = self.path(key);
        let temp = self.dir.join(format!(
            ".tmp-{}-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed),
            target.file_name().and_then(|n| n.to_str()).unwrap_or("entry")
        ));
        let res = write_and_rename(&temp, &target, &bytes);
        if res.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        res
    }

    #[cfg(test)]
    fn dir(&self) -> &Path {
        &self.dir
    }
}

fn write_and_rename(temp: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(temp, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_ttl_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_owned(), Duration::from_secs(60));
        assert_eq!(cache.get::<Vec<String>>("tags\nr/a", false), None);
        cache.put("tags\nr/a", &vec!["1".to_owned()]);
        assert_eq!(cache.get::<Vec<String>>("tags\nr/a", false), Some(vec!["1".to_owned()]));
        // Wrong type, other key: a miss.
        assert_eq!(cache.get::<u32>("tags\nr/a", false), None);
        assert_eq!(cache.get::<Vec<String>>("tags\nr/b", false), None);
        // Expired unless immutable.
        let expired = Cache::new(dir.path().to_owned(), Duration::ZERO);
        assert_eq!(expired.get::<Vec<String>>("tags\nr/a", false), None);
        assert_eq!(expired.get::<Vec<String>>("tags\nr/a", true), Some(vec!["1".to_owned()]));
        // Corrupt: a miss, and a later put repairs it.
        std::fs::write(cache.path("tags\nr/a"), b"{\"key\": \"tags\\nr/a\", \"stored_at\": ").unwrap();
        assert_eq!(cache.get::<Vec<String>>("tags\nr/a", false), None);
        cache.put("tags\nr/a", &vec!["2".to_owned()]);
        assert_eq!(cache.get::<Vec<String>>("tags\nr/a", false), Some(vec!["2".to_owned()]));
        // No temp files left behind.
        let names: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn unwritable_dir_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let cache = Cache::new(file, Duration::from_secs(60));
        cache.put("k", &1u32);
        assert_eq!(cache.get::<u32>("k", false), None);
    }
}
