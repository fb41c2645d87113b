//! Configuration and build-context facts, read from disk for the engine.
//!
//! Each file gets the `.bulkhead.toml` nearest to it (looked up from its directory to the root, once per
//! directory), or the `--config` file, or none with `--no-config`; the command-line selection is layered
//! over it with [`Config::merged`].

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use bulkhead_analysis::{BuildContext, Config, RULES, Settings};

pub const CONFIG_FILE_NAME: &str = ".bulkhead.toml";

/// Where settings come from.
enum Source {
    /// `--config FILE` or `--no-config`: the same settings for every file.
    Fixed(Arc<Settings>),
    /// The nearest `.bulkhead.toml`.
    Discover,
}

/// Resolves the settings of each file, caching per directory and per configuration file.
pub struct SettingsResolver {
    cwd: PathBuf,
    cli: Config,
    source: Source,
    /// The command line over no configuration file.
    defaults: Arc<Settings>,
    /// Directory (absolute) -> the configuration file that governs it.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// Configuration file -> its settings with the command line layered over; `None` when invalid.
    loaded: HashMap<PathBuf, Option<Arc<Settings>>>,
}

impl SettingsResolver {
    /// Checks the command-line selection and loads `--config`: an error here is a usage error.
    pub fn new(cli: Config, explicit: Option<&Path>, no_config: bool) -> anyhow::Result<Self> {
        for (flag, selectors) in [
            ("--select", cli.select.as_deref().unwrap_or_default()),
            ("--extend-select", &cli.extend_select[..]),
            ("--ignore", &cli.ignore[..]),
        ] {
            for selector in selectors {
                if !RULES.iter().any(|rule| rule.matches(selector)) {
                    bail!("{flag}: `{selector}` matches no rule (run `bulkhead rules` to list them)");
                }
            }
        }
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let defaults = Arc::new(layer(&Config::default(), &cli).map_err(anyhow::Error::msg)?);
        let source = match explicit {
            Some(path) => {
                let settings = read_config(path)
                    .and_then(|config| layer(&config, &cli))
                    .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
                Source::Fixed(Arc::new(settings))
            }
            None if no_config => Source::Fixed(defaults.clone()),
            None => Source::Discover,
        };
        Ok(Self { cwd, cli, source, defaults, nearest: HashMap::new(), loaded: HashMap::new() })
    }

    /// The settings for a file at `path` (it need not exist: `--stdin-filename`). `Err` carries a
    /// one-line message about an invalid configuration file the first time it is met, `None` after.
    pub fn settings_for(&mut self, path: &Path) -> Result<Arc<Settings>, Option<String>> {
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => self.cwd.join(parent),
            _ => self.cwd.clone(),
        };
        self.settings_in(&dir)
    }

    /// The settings for text whose location is unknown (stdin without `--stdin-filename`): those of the
    /// current directory.
    pub fn settings_for_cwd(&mut self) -> Result<Arc<Settings>, Option<String>> {
        let cwd = self.cwd.clone();
        self.settings_in(&cwd)
    }

    fn settings_in(&mut self, dir: &Path) -> Result<Arc<Settings>, Option<String>> {
        if let Source::Fixed(settings) = &self.source {
            return Ok(settings.clone());
        }
        let Some(config_path) = self.nearest_config(dir) else {
            return Ok(self.defaults.clone());
        };
        if let Some(loaded) = self.loaded.get(&config_path) {
            return loaded.clone().ok_or(None);
        }
        match read_config(&config_path).and_then(|config| layer(&config, &self.cli)) {
            Ok(settings) => {
                let settings = Arc::new(settings);
                self.loaded.insert(config_path, Some(settings.clone()));
                Ok(settings)
            }
            Err(err) => {
                let shown = relative_to(&config_path, &self.cwd);
                self.loaded.insert(config_path, None);
                Err(Some(format!("{}: {err}", shown.display())))
            }
        }
    }

    fn nearest_config(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.nearest.get(dir) {
            return found.clone();
        }
        let candidate = dir.join(CONFIG_FILE_NAME);
        let found = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|parent| self.nearest_config(parent))
        };
        self.nearest.insert(dir.to_owned(), found.clone());
        found
    }
}

/// Reads and parses a configuration file; the error is one line without the path.
fn read_config(path: &Path) -> Result<Config, String> {
    let text = fs::read_to_string(path).map_err(|err| format!("cannot read: {err}"))?;
    Config::from_toml(&text).map_err(|err| format!("invalid configuration: {err}"))
}

/// The command line layered over a configuration file, resolved.
fn layer(config: &Config, cli: &Config) -> Result<Settings, String> {
    // The file on its own first, so an error names the file's key rather than the merged result's.
    Settings::from_config(config).map_err(|err| format!("invalid configuration: {err}"))?;
    Settings::from_config(&config.merged(cli)).map_err(|err| err.to_string())
}

/// `path` relative to `base` when it lies below it, so messages and output carry no absolute paths.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The build-context facts for a Dockerfile at `path`: `<name>.dockerignore` beside it wins, else
/// `.dockerignore` in the same directory, else the context is known to have none.
pub fn build_context(path: &Path) -> BuildContext {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let own = path.file_name().map(|name| format!("{}.dockerignore", name.to_string_lossy()));
    for name in own.iter().map(String::as_str).chain([".dockerignore"]) {
        if let Ok(bytes) = fs::read(dir.join(name)) {
            return BuildContext::with_dockerignore(name, &String::from_utf8_lossy(&bytes));
        }
    }
    BuildContext::without_dockerignore()
}

#[cfg(test)]
mod tests {
    use bulkhead_analysis::DockerignoreState;

    use super::*;

    fn dockerignore_name(path: &Path) -> Option<String> {
        match build_context(path).dockerignore {
            Some(DockerignoreState::Present(ignore)) => Some(ignore.file_name),
            Some(DockerignoreState::Missing) => None,
            None => panic!("a file on disk has a known context"),
        }
    }

    #[test]
    fn own_dockerignore_wins_over_the_shared_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(dockerignore_name(&root.join("Dockerfile")), None);
        fs::write(root.join(".dockerignore"), ".git\n").unwrap();
        fs::write(root.join("api.Dockerfile.dockerignore"), "*\n!src\n").unwrap();
        assert_eq!(dockerignore_name(&root.join("Dockerfile")).as_deref(), Some(".dockerignore"));
        assert_eq!(dockerignore_name(&root.join("api.Dockerfile")).as_deref(), Some("api.Dockerfile.dockerignore"));
    }

    #[test]
    fn nearest_config_is_found_upward_and_cached() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join(CONFIG_FILE_NAME), "ignore = [\"BH201\"]\n").unwrap();
        fs::write(root.join("a/b").join(CONFIG_FILE_NAME), "selct = []\n").unwrap();
        let mut resolver = SettingsResolver::new(Config::default(), None, false).unwrap();
        let top = resolver.settings_for(&root.join("Dockerfile")).unwrap();
        assert!(!top.is_enabled("BH201"));
        assert!(resolver.settings_for(&root.join("a/Dockerfile")).unwrap().is_enabled("BH903"));
        // An invalid file is reported the first time only.
        let err = resolver.settings_for(&root.join("a/b/Dockerfile")).unwrap_err().unwrap();
        assert!(err.contains("unknown field `selct`"), "{err}");
        assert_eq!(resolver.settings_for(&root.join("a/b/c/Dockerfile")).unwrap_err(), None);
    }
}
