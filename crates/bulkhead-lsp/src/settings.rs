//! Settings: the editor's `bulkhead` settings (from `initializationOptions` and
//! `workspace/didChangeConfiguration`) layered over the `.bulkhead.toml` found upward from each document,
//! resolved into the engine's [`Settings`]. Reading that file is the server's I/O, not the engine's.
//!
//! Invalid settings never take effect: the last good ones stay, and the problem is shown once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bulkhead_analysis::config::{FormatConfig, RegistryConfig, SecretsConfig};
use bulkhead_analysis::ide::HintKinds;
use bulkhead_analysis::{Config, Settings};
use serde::Deserialize;
use serde_json::Value;

use bulkhead_project::{find_config_file, load_config};

/// The editor's settings as sent: camelCase keys, kebab-case accepted too. Unknown keys are allowed,
/// because clients send their own keys (`trace.server`, `path`, ...) in the same section.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientSettings {
    select: Option<Vec<String>>,
    #[serde(alias = "extend-select")]
    extend_select: Vec<String>,
    ignore: Vec<String>,
    severity: BTreeMap<String, String>,
    #[serde(alias = "trusted-registries")]
    trusted_registries: Vec<String>,
    secrets: ClientSecrets,
    registry: ClientRegistry,
    format: ClientFormat,
    inlay_hints: ClientInlayHints,
}

/// `bulkhead.inlayHints`: which inlay hints the server gives (all by default). Editor-only: the engine
/// and `.bulkhead.toml` know nothing of them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientInlayHints {
    user: Option<bool>,
    arg_values: Option<bool>,
    stage_index: Option<bool>,
}

/// `bulkhead.format`: the formatter's settings, over `.bulkhead.toml`'s `[format]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientFormat {
    indent: Option<usize>,
}

/// `bulkhead.registry`: `enabled` and `credentialHelpers` are the editor user's choices (a repository's
/// `.bulkhead.toml` cannot make the editor a network client, nor run programs); the rest of `[registry]`
/// (cache TTL, insecure registries) comes from `.bulkhead.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientRegistry {
    enabled: Option<bool>,
    #[serde(alias = "credential-helpers")]
    credential_helpers: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientSecrets {
    #[serde(alias = "extra-words")]
    extra_words: Vec<String>,
    #[serde(alias = "allow-words")]
    allow_words: Vec<String>,
}

const KNOWN_KEYS: &[&str] = &[
    "select",
    "extendSelect",
    "extend-select",
    "ignore",
    "severity",
    "trustedRegistries",
    "trusted-registries",
    "secrets",
    "registry",
    "format",
    "inlayHints",
];

/// Parses the editor's settings: `{"bulkhead": {...}}`, or the inner object itself. `Ok(None)` when the
/// value says nothing about bulkhead (`null`, `{}`, other tools' sections): some clients send their
/// whole, often empty, settings object, which must not wipe out the `initializationOptions`.
/// `{"bulkhead": {}}` resets to the defaults.
pub fn parse_client_settings(value: &Value) -> Result<Option<Config>, String> {
    Ok(parse_client_settings_all(value)?.map(|(config, _)| config))
}

/// [`parse_client_settings`], with the settings only the server reads (which inlay hints it gives).
pub fn parse_client_settings_all(value: &Value) -> Result<Option<(Config, HintKinds)>, String> {
    let inner = match value {
        Value::Object(map) if map.contains_key("bulkhead") => &map["bulkhead"],
        Value::Object(map) if map.keys().any(|key| KNOWN_KEYS.contains(&key.as_str())) => value,
        _ => return Ok(None),
    };
    if inner.is_null() {
        return Ok(None);
    }
    let parsed: ClientSettings =
        serde_json::from_value(inner.clone()).map_err(|err| format!("invalid bulkhead settings: {err}"))?;
    let config = Config {
        select: parsed.select,
        extend_select: parsed.extend_select,
        ignore: parsed.ignore,
        severity: parsed.severity,
        trusted_registries: parsed.trusted_registries,
        secrets: SecretsConfig { extra_words: parsed.secrets.extra_words, allow_words: parsed.secrets.allow_words },
        registry: RegistryConfig {
            enabled: parsed.registry.enabled,
            credential_helpers: parsed.registry.credential_helpers,
            ..RegistryConfig::default()
        },
        format: FormatConfig { indent: parsed.format.indent },
        // `fail-on` is for CI runs: no editor setting.
        fail_on: None,
    };
    Settings::from_config(&config).map_err(|err| format!("invalid bulkhead settings: {err}"))?;
    let all = HintKinds::default();
    let hints = HintKinds {
        user: parsed.inlay_hints.user.unwrap_or(all.user),
        arg_values: parsed.inlay_hints.arg_values.unwrap_or(all.arg_values),
        stage_index: parsed.inlay_hints.stage_index.unwrap_or(all.stage_index),
    };
    Ok(Some((config, hints)))
}

/// The settings of the session: the editor's layer, and the last good config of each `.bulkhead.toml`.
#[derive(Default)]
pub struct SettingsStore {
    client: Config,
    /// The inlay hints the editor wants.
    pub hints: HintKinds,
    files: HashMap<PathBuf, Config>,
    /// The problem last shown per source (`None`: the editor's settings), so a problem is shown once,
    /// not on every keystroke or file event, and shown again if it comes back after a fix.
    shown: HashMap<Option<PathBuf>, String>,
}

/// The settings of one document, and the problems to show the user.
pub struct Resolved {
    pub settings: Arc<Settings>,
    pub messages: Vec<String>,
}

impl SettingsStore {
    /// Replaces the editor's layer. `Ok(true)` when it changed; on error the old one stays and the
    /// message is returned (the first time only).
    pub fn set_client(&mut self, value: &Value) -> Result<bool, Option<String>> {
        match parse_client_settings_all(value) {
            Ok(None) => Ok(false),
            Ok(Some((config, hints))) => {
                self.client = config;
                self.hints = hints;
                self.shown.remove(&None);
                Ok(true)
            }
            Err(message) => Err(self.once(None, message)),
        }
    }

    fn once(&mut self, source: Option<PathBuf>, message: String) -> Option<String> {
        let again = self.shown.get(&source) == Some(&message);
        self.shown.insert(source, message.clone());
        (!again).then_some(message)
    }

    /// The settings for a document at `path` (`None`: an unsaved document, the editor's layer only).
    /// Reads the nearest `.bulkhead.toml` from disk (without one, hadolint's configuration).
    pub fn resolve(&mut self, path: Option<&Path>) -> Resolved {
        let mut messages = Vec::new();
        let file_config = match path.and_then(Path::parent).and_then(find_config_file) {
            Some(config_path) => match load_config(&config_path) {
                Ok(loaded) => {
                    if loaded.notes.is_empty() {
                        self.shown.remove(&Some(config_path.clone()));
                    } else {
                        // What a hadolint file says that has no counterpart: once per file and text.
                        let message = format!("{}: {}", config_path.display(), loaded.notes.join("; "));
                        messages.extend(self.once(Some(config_path.clone()), message));
                    }
                    self.files.insert(config_path, loaded.config.clone());
                    loaded.config
                }
                Err(err) => {
                    let kept = self.files.get(&config_path).cloned().unwrap_or_default();
                    let message = format!("{}: {err}; keeping the previous settings", config_path.display());
                    messages.extend(self.once(Some(config_path), message));
                    kept
                }
            },
            None => Config::default(),
        };
        // Look-ups are the editor user's choice: a repository's `.bulkhead.toml` does not make the
        // editor a network client by being opened (it still sets the cache TTL and the other keys).
        let mut file_config = file_config;
        file_config.registry.enabled = None;
        let merged = file_config.merged(&self.client);
        // Both layers are valid on their own, and so is their union: the fallback is for safety only.
        let settings = Settings::from_config(&merged).unwrap_or_default();
        Resolved { settings: Arc::new(settings), messages }
    }
}

#[cfg(test)]
mod tests {
    use bulkhead_project::CONFIG_FILE_NAME;
    use serde_json::json;

    use super::*;

    #[test]
    fn accepts_wrapped_and_bare_settings() {
        let wrapped = parse_client_settings(&json!({"bulkhead": {"ignore": ["BH201"], "trustedRegistries": ["r.io"]}}));
        let wrapped = wrapped.unwrap().unwrap();
        assert_eq!(wrapped.ignore, ["BH201"]);
        assert_eq!(wrapped.trusted_registries, ["r.io"]);
        let bare = parse_client_settings(&json!({"select": ["BH2"], "severity": {"BH201": "error"}, "path": "x"}));
        assert_eq!(bare.unwrap().unwrap().select, Some(vec!["BH2".to_owned()]));
        assert_eq!(parse_client_settings(&Value::Null), Ok(None));
        assert_eq!(parse_client_settings(&json!({})), Ok(None));
        assert_eq!(parse_client_settings(&json!({"bulkhead": {}})), Ok(Some(Config::default())));
        let registry = parse_client_settings(&json!({"bulkhead": {"registry": {"enabled": true}}})).unwrap().unwrap();
        assert_eq!(registry.registry.enabled, Some(true));
        let format = parse_client_settings(&json!({"bulkhead": {"format": {"indent": 2}}})).unwrap().unwrap();
        assert_eq!(format.format.indent, Some(2));
        assert!(parse_client_settings(&json!({"bulkhead": {"format": {"indent": 99}}})).is_err());
        let mut store = SettingsStore::default();
        assert_eq!(store.hints, HintKinds::default());
        store.set_client(&json!({"inlayHints": {"user": false}})).unwrap();
        assert_eq!(store.hints, HintKinds { user: false, ..HintKinds::default() });
        assert!(store.set_client(&json!({"inlayHints": {"argValues": "no"}})).is_err());
    }

    #[test]
    fn only_the_editor_setting_turns_registry_look_ups_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "[registry]\nenabled = true\ncache-ttl = \"1h\"\n").unwrap();
        let doc = dir.path().join("Dockerfile");
        let mut store = SettingsStore::default();
        // The file's other registry keys apply, its `enabled` does not.
        let from_file = store.resolve(Some(&doc)).settings;
        assert!(!from_file.registry.enabled);
        assert_eq!(from_file.registry.cache_ttl, std::time::Duration::from_secs(3600));
        store.set_client(&json!({"bulkhead": {"registry": {"enabled": true}}})).unwrap();
        let on = store.resolve(Some(&doc)).settings;
        assert!(on.registry.enabled);
        assert_eq!(on.registry.cache_ttl, std::time::Duration::from_secs(3600));
        assert!(store.resolve(None).settings.registry.enabled);
        store.set_client(&json!({"bulkhead": {"registry": {"enabled": false}}})).unwrap();
        assert!(!store.resolve(Some(&doc)).settings.registry.enabled);
    }

    #[test]
    fn only_the_editor_setting_runs_credential_helpers() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("Dockerfile");
        let mut store = SettingsStore::default();
        assert!(!store.resolve(Some(&doc)).settings.registry.credential_helpers);
        store.set_client(&json!({"bulkhead": {"registry": {"enabled": true, "credentialHelpers": true}}})).unwrap();
        assert!(store.resolve(Some(&doc)).settings.registry.credential_helpers);
        // A repository's file that tries is an error the user sees; the previous settings stay.
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "[registry]\ncredential-helpers = true\n").unwrap();
        store.set_client(&json!({"bulkhead": {"registry": {"enabled": true}}})).unwrap();
        let resolved = store.resolve(Some(&doc));
        assert!(!resolved.settings.registry.credential_helpers);
        assert!(
            resolved.messages.iter().any(|m| m.contains("cannot be set in `.bulkhead.toml`")),
            "{:?}",
            resolved.messages
        );
    }

    #[test]
    fn invalid_settings_keep_the_old_ones_and_say_so_once() {
        let mut store = SettingsStore::default();
        store.set_client(&json!({"ignore": ["BH201"]})).unwrap();
        let bad = json!({"ignore": ["BH7777"]});
        let message = store.set_client(&bad).unwrap_err().unwrap();
        assert!(message.contains("matches no rule"), "{message}");
        assert_eq!(store.set_client(&bad), Err(None));
        assert!(store.set_client(&json!({"select": "BH201"})).is_err());
        assert!(!store.resolve(None).settings.is_enabled("BH201"));
    }

    #[test]
    fn editor_settings_layer_over_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "ignore = [\"BH903\"]\n").unwrap();
        std::fs::create_dir(dir.path().join("app")).unwrap();
        let doc = dir.path().join("app/Dockerfile");
        let mut store = SettingsStore::default();
        store.set_client(&json!({"bulkhead": {"ignore": ["BH201"]}})).unwrap();
        let resolved = store.resolve(Some(&doc));
        assert!(!resolved.settings.is_enabled("BH903"));
        assert!(!resolved.settings.is_enabled("BH201"));
        assert!(resolved.settings.is_enabled("BH000"));
        // A broken file keeps its last good config and is reported once.
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "ignore = [").unwrap();
        let resolved = store.resolve(Some(&doc));
        assert!(!resolved.settings.is_enabled("BH903"));
        assert_eq!(resolved.messages.len(), 1);
        assert!(store.resolve(Some(&doc)).messages.is_empty());
    }
}
