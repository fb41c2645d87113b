//! The settings of each file checked: the disk side (which `.bulkhead.toml`, reading it, the build
//! context) is `bulkhead_project`'s, shared with the language server; this module caches it per directory
//! and layers the command line over it.
//!
//! Each file gets the `.bulkhead.toml` nearest to it (looked up from its directory to the root, once per
//! directory; without one, hadolint's configuration: `bulkhead_project::find_config_file`), or the
//! `--config` file, or none with `--no-config`; the command-line selection is layered over it with
//! [`Config::merged`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use bulkhead_analysis::{Config, RULES, Settings};
use bulkhead_project::{find_config_file, load_config};

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
    /// What did not carry over from hadolint files read so far, each file's once: [`Self::take_notes`].
    notes: Vec<String>,
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
        let mut notes = Vec::new();
        let source = match explicit {
            Some(path) => {
                let loaded = load_config(path).map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
                notes.extend(loaded.notes.iter().map(|note| format!("{}: {note}", path.display())));
                let settings =
                    layer(&loaded.config, &cli).map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
                Source::Fixed(Arc::new(settings))
            }
            None if no_config => Source::Fixed(defaults.clone()),
            None => Source::Discover,
        };
        Ok(Self { cwd, cli, source, defaults, nearest: HashMap::new(), loaded: HashMap::new(), notes })
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
        let loaded = load_config(&config_path).map_err(|err| err.to_string());
        if let Ok(loaded) = &loaded {
            let shown = relative_to(&config_path, &self.cwd);
            self.notes.extend(loaded.notes.iter().map(|note| format!("{}: {note}", shown.display())));
        }
        match loaded.and_then(|loaded| layer(&loaded.config, &self.cli)) {
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
        let found = find_config_file(dir);
        self.nearest.insert(dir.to_owned(), found.clone());
        found
    }

    /// The notes of the hadolint files read since the last call (keys and codes with no counterpart).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }
}

/// The command line layered over a configuration file (already checked on its own), resolved.
fn layer(config: &Config, cli: &Config) -> Result<Settings, String> {
    Settings::from_config(&config.merged(cli)).map_err(|err| err.to_string())
}

/// `path` relative to `base` when it lies below it, so messages and output carry no absolute paths.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use bulkhead_project::CONFIG_FILE_NAME;

    use super::*;

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
