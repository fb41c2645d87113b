//! The disk side of a project, shared by both drivers: which `.bulkhead.toml` governs a file, reading and
//! validating it, and the build-context facts the engine takes (the `.dockerignore` that applies to a
//! Dockerfile). The engine (`bulkhead-analysis`) does no I/O; `bulkhead check` and `bulkhead lsp` call
//! this crate, so a Dockerfile gets the same configuration and the same context in CI and in the editor.
//!
//! Caching is the caller's business: the CLI reads each directory once per run, the server re-reads on
//! every file event.

use std::fmt;
use std::path::{Path, PathBuf};

use bulkhead_analysis::{BuildContext, Config, Settings, hadolint};

/// The configuration file's name.
pub const CONFIG_FILE_NAME: &str = ".bulkhead.toml";

/// Why a configuration file could not be used. `Display` is one line, without the path.
#[derive(Debug)]
pub enum ConfigFileError {
    /// The file could not be read.
    Read(std::io::Error),
    /// Its TOML, or what it says, is invalid on its own.
    Invalid(String),
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(err) => write!(f, "cannot read: {err}"),
            Self::Invalid(err) => write!(f, "invalid configuration: {err}"),
        }
    }
}

impl std::error::Error for ConfigFileError {}

/// `dir/.bulkhead.toml` when it is a file.
pub fn config_file_in(dir: &Path) -> Option<PathBuf> {
    let candidate = dir.join(CONFIG_FILE_NAME);
    candidate.is_file().then_some(candidate)
}

/// `dir/.hadolint.yaml` (or `.yml`) when it is a file.
pub fn hadolint_file_in(dir: &Path) -> Option<PathBuf> {
    hadolint::PROJECT_FILE_NAMES.iter().map(|name| dir.join(name)).find(|candidate| candidate.is_file())
}

/// The configuration that governs files in `dir`: the nearest `.bulkhead.toml` in `dir` or one of its
/// ancestors; when there is none, hadolint's (the nearest `.hadolint.yaml`/`.hadolint.yml`, then the
/// user's in the places hadolint looks: [`user_hadolint_files`]). A `.bulkhead.toml` anywhere above wins
/// over a `.hadolint.yaml` nearer: adding one is how a project moves over.
pub fn find_config_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find_map(config_file_in)
        .or_else(|| dir.ancestors().find_map(hadolint_file_in))
        .or_else(user_hadolint_file)
}

/// The first of [`user_hadolint_files`] that is a file.
pub fn user_hadolint_file() -> Option<PathBuf> {
    user_hadolint_files().into_iter().find(|path| path.is_file())
}

/// The user-level hadolint configuration files, in hadolint's order: `$XDG_CONFIG_HOME/hadolint.yaml`,
/// `~/.config/hadolint.yaml`, `~/.hadolint/hadolint.yaml`, `~/hadolint/config.yaml`, `~/.hadolint.yaml`.
pub fn user_hadolint_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    if let Some(xdg) = var("XDG_CONFIG_HOME") {
        files.push(xdg.join("hadolint.yaml"));
    }
    if let Some(home) = var("HOME") {
        files.push(home.join(".config/hadolint.yaml"));
        files.push(home.join(".hadolint/hadolint.yaml"));
        files.push(home.join("hadolint/config.yaml"));
        files.push(home.join(".hadolint.yaml"));
    }
    files
}

/// True for a hadolint configuration file (by its name: anything but a `.toml` file).
pub fn is_hadolint_file(path: &Path) -> bool {
    path.extension().is_none_or(|ext| ext != "toml")
}

/// A configuration file read, with what did not carry over from a hadolint file (one line each).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedConfig {
    pub config: Config,
    pub notes: Vec<String>,
}

/// Reads a configuration file and checks it on its own (keys, rule selectors, severities, values), so an
/// error names what the file says, not what it says merged with another layer. A hadolint file
/// ([`is_hadolint_file`]) is converted ([`hadolint::from_hadolint_yaml`]).
pub fn load_config(path: &Path) -> Result<LoadedConfig, ConfigFileError> {
    let text = std::fs::read_to_string(path).map_err(ConfigFileError::Read)?;
    let loaded = if is_hadolint_file(path) {
        let converted = hadolint::from_hadolint_yaml(&text).map_err(|err| ConfigFileError::Invalid(err.to_string()))?;
        LoadedConfig { config: converted.config, notes: converted.notes }
    } else {
        let config = Config::from_toml(&text).map_err(|err| ConfigFileError::Invalid(err.to_string()))?;
        LoadedConfig { config, notes: Vec::new() }
    };
    Settings::from_config(&loaded.config).map_err(|err| ConfigFileError::Invalid(err.to_string()))?;
    Ok(loaded)
}

/// [`load_config`] without the notes.
pub fn read_config(path: &Path) -> Result<Config, ConfigFileError> {
    load_config(path).map(|loaded| loaded.config)
}

/// The `.dockerignore` files that can apply to a Dockerfile named `file_name`, in BuildKit's order of
/// preference: `<file name>.dockerignore`, then `.dockerignore`, both beside the Dockerfile.
pub fn dockerignore_names(file_name: &str) -> [String; 2] {
    [format!("{file_name}.dockerignore"), ".dockerignore".to_owned()]
}

/// Today's date (UTC) by the system clock, or the date in `BULKHEAD_TODAY` (`YYYY-MM-DD`; `none` for no
/// date, which keeps the end-of-life rule silent) so that a run can be repeated: the drivers pass it in
/// [`BuildContext::today`] for BH106; the engine never reads a clock.
pub fn today() -> Option<bulkhead_analysis::Date> {
    if let Ok(value) = std::env::var("BULKHEAD_TODAY") {
        return bulkhead_analysis::Date::parse(&value);
    }
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Some(bulkhead_analysis::Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(0)))
}

/// The build-context facts of a Dockerfile on disk at `path` (which need not exist: `--stdin-filename`):
/// the first of [`dockerignore_names`] that can be read, else a context known to have none. A file
/// that is not UTF-8 is read lossily (its patterns are matched as the replaced text), as BuildKit would
/// still use it: it is never skipped in favour of the next name.
pub fn build_context(path: &Path) -> BuildContext {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    for name in dockerignore_names(&file_name) {
        if let Ok(bytes) = std::fs::read(dir.join(&name)) {
            return BuildContext::with_dockerignore(&name, &String::from_utf8_lossy(&bytes));
        }
    }
    BuildContext::without_dockerignore()
}

/// The largest Dockerfile a Compose file's link reads: a `dockerfile:` naming something huge (or a device)
/// is not read.
const MAX_LINKED_BYTES: u64 = 4 << 20;

/// The build context of a Compose file at `path` (which need not exist: `--stdin-filename`): the
/// Dockerfiles its services build ([`BuildContext::linked_dockerfiles`]), each at the path the engine
/// names, relative to the Compose file's folder as Compose resolves it, read by `read`. The language
/// server's `read` takes an open document's text before the disk; [`read_dockerfile`] is the disk. One
/// that cannot be read is left out: unknown, never a finding.
pub fn compose_context(path: &Path, text: &str, read: impl Fn(&Path) -> Option<String>) -> BuildContext {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file = bulkhead_analysis::ComposeFile::parse(text);
    let linked = bulkhead_analysis::compose::linked_dockerfile_paths(&file)
        .into_iter()
        .filter_map(|linked| Some((linked.clone(), std::sync::Arc::from(read(&dir.join(&linked))?))))
        .collect();
    BuildContext {
        linked_dockerfiles: std::sync::Arc::new(linked),
        file_path: Some(path.to_string_lossy().into_owned()),
        ..BuildContext::default()
    }
}

/// A linked Dockerfile from disk: a regular file of at most 4 MiB of UTF-8 text without NUL bytes.
pub fn read_dockerfile(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_LINKED_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// True for the names Compose reads: `compose.yaml`, `compose.yml`, `docker-compose.yaml`,
/// `docker-compose.yml`, and their variants `compose.<anything>.yaml`, `docker-compose.<anything>.yml`
/// (`compose.override.yaml`, `docker-compose.prod.yml`).
pub fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".yaml").or_else(|| lower.strip_suffix(".yml")) else { return false };
    stem == "compose"
        || stem == "docker-compose"
        || stem.strip_prefix("compose.").or_else(|| stem.strip_prefix("docker-compose.")).is_some_and(|v| !v.is_empty())
}

/// True for a file name whose change can change findings: a `.bulkhead.toml`, a project's hadolint
/// configuration or a `.dockerignore`.
pub fn is_watched_file(name: &str) -> bool {
    name == CONFIG_FILE_NAME || hadolint::PROJECT_FILE_NAMES.contains(&name) || name.ends_with(".dockerignore")
}

#[cfg(test)]
mod tests {
    use std::fs;

    use bulkhead_analysis::DockerignoreState;

    use super::*;

    fn dockerignore(path: &Path) -> Option<(String, bool)> {
        match build_context(path).dockerignore {
            Some(DockerignoreState::Present(ignore)) => {
                let excludes_env = ignore.excludes(".env");
                Some((ignore.file_name, excludes_env))
            }
            Some(DockerignoreState::Missing) => None,
            None => panic!("a file on disk has a known context"),
        }
    }

    #[test]
    fn own_dockerignore_wins_over_the_shared_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(dockerignore(&root.join("Dockerfile")), None);
        fs::write(root.join(".dockerignore"), ".git\n").unwrap();
        fs::write(root.join("api.Dockerfile.dockerignore"), "*\n!src\n").unwrap();
        assert_eq!(dockerignore(&root.join("Dockerfile")), Some((".dockerignore".to_owned(), false)));
        assert_eq!(dockerignore(&root.join("api.Dockerfile")), Some(("api.Dockerfile.dockerignore".to_owned(), true)));
    }

    #[test]
    fn a_dockerignore_that_is_not_utf8_is_still_the_one_that_applies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join(".dockerignore"), ".git\n").unwrap();
        fs::write(root.join("Dockerfile.dockerignore"), b"# caf\xe9\n.env\n").unwrap();
        assert_eq!(
            dockerignore(&root.join("Dockerfile")),
            Some(("Dockerfile.dockerignore".to_owned(), true)),
            "the own file applies, not the shared one"
        );
    }

    #[test]
    fn a_bare_file_name_is_looked_up_in_the_current_directory() {
        assert_eq!(
            dockerignore_names("Dockerfile"),
            ["Dockerfile.dockerignore".to_owned(), ".dockerignore".to_owned()]
        );
        // A folder that does not exist has no `.dockerignore`: a known, empty context, not an unknown one.
        assert!(matches!(
            build_context(Path::new("no-such-dir-here/Dockerfile")).dockerignore,
            Some(DockerignoreState::Missing)
        ));
    }

    #[test]
    fn the_nearest_config_file_is_found_upward() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join(CONFIG_FILE_NAME), "ignore = [\"BH201\"]\n").unwrap();
        assert_eq!(find_config_file(&root.join("a/b")), Some(root.join(CONFIG_FILE_NAME)));
        fs::write(root.join("a").join(CONFIG_FILE_NAME), "").unwrap();
        assert_eq!(find_config_file(&root.join("a/b")), Some(root.join("a").join(CONFIG_FILE_NAME)));
        // A directory of that name is not a configuration file.
        fs::create_dir(root.join("a/b").join(CONFIG_FILE_NAME)).unwrap();
        assert_eq!(config_file_in(&root.join("a/b")), None);
    }

    #[test]
    fn a_hadolint_file_counts_only_when_no_bulkhead_toml_is_above() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join("a/.hadolint.yml"), "ignored: [DL3008]\n").unwrap();
        assert_eq!(find_config_file(&root.join("a/b")), Some(root.join("a/.hadolint.yml")));
        fs::write(root.join("a/.hadolint.yaml"), "ignored: [DL3008]\n").unwrap();
        assert_eq!(find_config_file(&root.join("a/b")), Some(root.join("a/.hadolint.yaml")), ".yaml before .yml");
        fs::write(root.join(CONFIG_FILE_NAME), "").unwrap();
        assert_eq!(find_config_file(&root.join("a/b")), Some(root.join(CONFIG_FILE_NAME)));
        let loaded = load_config(&root.join("a/.hadolint.yaml")).unwrap();
        assert_eq!(loaded.config.ignore, ["BH910"]);
        assert!(loaded.notes.iter().any(|note| note.starts_with("DL3008 is BH910")), "{:?}", loaded.notes);
        fs::write(root.join("a/.hadolint.yaml"), "ignored: {DL3008: x}\n").unwrap();
        let err = load_config(&root.join("a/.hadolint.yaml")).unwrap_err().to_string();
        assert_eq!(err, "invalid configuration: line 1, column 10: `ignored` is a list");
    }

    #[test]
    fn a_config_file_is_checked_on_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        fs::write(&path, "ignore = [\"BH201\"]\n").unwrap();
        assert_eq!(read_config(&path).unwrap().ignore, ["BH201"]);
        fs::write(&path, "selct = []\n").unwrap();
        let err = read_config(&path).unwrap_err().to_string();
        assert!(err.starts_with("invalid configuration: ") && err.contains("unknown field `selct`"), "{err}");
        fs::write(&path, "ignore = [\"BH7777\"]\n").unwrap();
        assert!(read_config(&path).unwrap_err().to_string().contains("matches no rule"));
        let err = read_config(&dir.path().join("missing.toml")).unwrap_err().to_string();
        assert!(err.starts_with("cannot read: "), "{err}");
    }

    #[test]
    fn watched_files() {
        assert!(is_watched_file(".bulkhead.toml"));
        assert!(is_watched_file(".dockerignore"));
        assert!(is_watched_file("api.Dockerfile.dockerignore"));
        assert!(is_watched_file(".hadolint.yaml"));
        assert!(is_watched_file(".hadolint.yml"));
        assert!(!is_watched_file("Dockerfile"));
        assert!(!is_watched_file("hadolint.yaml"));
    }
}
