//! Configuration: `.bulkhead.toml` (and the same keys from editor settings), resolved into [`Settings`]
//! that say which rules run, at which severity, with which options, and whether the drivers may ask
//! registries about base images (`[registry]`, which the engine itself never reads).

use std::collections::BTreeMap;
use std::time::Duration;

use bulkhead_syntax::format::{FormatOptions, MAX_INDENT};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rule::{Rule, RuleOptions};
use crate::rules::RULES;

/// The configuration as written. Every field is optional; unknown keys are an error.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run instead of the defaults: codes, code prefixes, names or `ALL`.
    pub select: Option<Vec<String>>,
    /// Rules to run in addition to `select` (or the defaults).
    pub extend_select: Vec<String>,
    /// Rules not to run.
    pub ignore: Vec<String>,
    /// Severity per rule selector: `error`, `warning`, `info`, `hint` or `off`.
    pub severity: BTreeMap<String, String>,
    /// Registries base images may come from; enables BH103.
    pub trusted_registries: Vec<String>,
    pub secrets: SecretsConfig,
    pub registry: RegistryConfig,
    /// The lowest severity that makes `bulkhead check` exit with 1: `error`, `warning`, `info`, `hint` or
    /// `never`. The command line's `--fail-on` wins; the CLI reads it from the configuration of the
    /// directory it runs in. The engine and the editor do not read it.
    pub fail_on: Option<String>,
    /// `[format]`: how `bulkhead fmt` and the editor's formatting lay a Dockerfile out.
    pub format: FormatConfig,
}

/// `[format]`: how `bulkhead fmt` and the editor's formatting lay a Dockerfile out.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FormatConfig {
    /// Spaces per continuation level (default 4, at most [`MAX_INDENT`]).
    pub indent: Option<usize>,
}

impl FormatConfig {
    fn resolve(&self) -> Result<FormatOptions, ConfigError> {
        let mut options = FormatOptions::default();
        if let Some(indent) = self.indent {
            if indent > MAX_INDENT {
                return Err(ConfigError {
                    message: format!("`format.indent`: {indent} is more than {MAX_INDENT} spaces"),
                });
            }
            options.indent = indent;
        }
        Ok(options)
    }
}

/// `[registry]`: opt-in look-ups of base images in their registries (the drivers do them, not the engine).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegistryConfig {
    /// Look base images up (digest, user, healthcheck, tags). Default off: no network without it.
    pub enabled: Option<bool>,
    /// How long answers stay fresh in the disk cache: `90s`, `30m`, `12h`, `7d`. Default `12h`.
    pub cache_ttl: Option<String>,
    /// Registries (`host` or `host:port`) reached over plain HTTP although not on loopback.
    pub insecure_registries: Vec<String>,
    /// How old a base image's build (its config's `created`) may be before BH107 hints to rebuild on a
    /// fresh one: a number of days, `180d` (the default, [`DEFAULT_BASE_MAX_AGE_DAYS`]).
    pub base_max_age: Option<String>,
    /// Run the `docker-credential-*` helpers that Docker's `config.json` names. Default off: they are
    /// programs, so only the user turns them on (`bulkhead check --credential-helpers`, the editor's
    /// `bulkhead.registry.credentialHelpers`); a repository's `.bulkhead.toml` cannot
    /// ([`CREDENTIAL_HELPERS_IN_FILE`]).
    #[serde(skip_deserializing)]
    pub credential_helpers: Option<bool>,
}

/// The default of `registry.base-max-age`, in days.
pub const DEFAULT_BASE_MAX_AGE_DAYS: u32 = 180;

/// `180d` (or `180`): a number of days.
fn parse_days(text: &str) -> Option<u32> {
    let text = text.trim();
    text.strip_suffix('d').unwrap_or(text).trim().parse().ok()
}

/// The default of `registry.cache-ttl`.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(12 * 3600);

/// `[registry]` resolved.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrySettings {
    pub enabled: bool,
    pub cache_ttl: Duration,
    pub insecure_registries: Vec<String>,
    pub credential_helpers: bool,
}

impl Default for RegistrySettings {
    fn default() -> Self {
        Self {
            enabled: false,
            cache_ttl: DEFAULT_CACHE_TTL,
            insecure_registries: Vec::new(),
            credential_helpers: false,
        }
    }
}

impl RegistryConfig {
    fn resolve(&self) -> Result<RegistrySettings, ConfigError> {
        let cache_ttl = match &self.cache_ttl {
            Some(text) => parse_duration(text).ok_or_else(|| ConfigError {
                message: format!(
                    "`registry.cache-ttl`: `{text}` is not a duration (a number with s, m, h or d: `30m`, `12h`)"
                ),
            })?,
            None => DEFAULT_CACHE_TTL,
        };
        let mut insecure_registries: Vec<String> =
            self.insecure_registries.iter().map(|r| r.trim().to_ascii_lowercase()).collect();
        if let Some(bad) = insecure_registries.iter().find(|r| r.is_empty() || r.contains(['/', ' '])) {
            return Err(ConfigError {
                message: format!("`registry.insecure-registries`: `{bad}` is not a `host` or `host:port`"),
            });
        }
        insecure_registries.sort();
        insecure_registries.dedup();
        Ok(RegistrySettings {
            enabled: self.enabled.unwrap_or(false),
            cache_ttl,
            insecure_registries,
            credential_helpers: self.credential_helpers.unwrap_or(false),
        })
    }
}

/// `90s`, `30m`, `12h`, `7d` (a bare number is seconds).
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = text.get(..digits)?.parse().ok()?;
    let unit = match text[digits..].trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    number.checked_mul(unit).map(Duration::from_secs)
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretsConfig {
    /// Extra words that mark an ARG/ENV name as a secret.
    pub extra_words: Vec<String>,
    /// Words that mark a name as not a secret (added to the built-in allow-list).
    pub allow_words: Vec<String>,
}

/// A configuration problem, with the key it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Why `credential-helpers` is not a key of `.bulkhead.toml`.
pub const CREDENTIAL_HELPERS_IN_FILE: &str = "`registry.credential-helpers` cannot be set in `.bulkhead.toml`: \
credential helpers are programs, and a repository's file must not make bulkhead run them; \
pass `--credential-helpers` to `bulkhead check`, or turn on the editor setting `bulkhead.registry.credentialHelpers`";

impl Config {
    /// Parses `.bulkhead.toml` text. The error is one line: `line L, column C: what is wrong`.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|err| {
            let mut what = err.message().split_whitespace().collect::<Vec<_>>().join(" ");
            if what.starts_with("unknown field `credential-helpers`") {
                what = CREDENTIAL_HELPERS_IN_FILE.to_owned();
            }
            let message = match err.span().and_then(|span| text.get(..span.start)) {
                Some(before) => {
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
                    format!("line {line}, column {column}: {what}")
                }
                None => what,
            };
            ConfigError { message }
        })
    }

    /// `other` layered over `self`: lists of `other` are appended, `select` and severities replace.
    pub fn merged(&self, other: &Config) -> Config {
        let mut res = self.clone();
        if other.select.is_some() {
            res.select = other.select.clone();
        }
        res.extend_select.extend(other.extend_select.iter().cloned());
        res.ignore.extend(other.ignore.iter().cloned());
        res.severity.extend(other.severity.iter().map(|(k, v)| (k.clone(), v.clone())));
        if !other.trusted_registries.is_empty() {
            res.trusted_registries = other.trusted_registries.clone();
        }
        res.secrets.extra_words.extend(other.secrets.extra_words.iter().cloned());
        res.secrets.allow_words.extend(other.secrets.allow_words.iter().cloned());
        let registry = &other.registry;
        res.registry.enabled = registry.enabled.or(res.registry.enabled);
        res.registry.cache_ttl = registry.cache_ttl.clone().or(res.registry.cache_ttl);
        res.registry.insecure_registries.extend(registry.insecure_registries.iter().cloned());
        res.registry.base_max_age = registry.base_max_age.clone().or(res.registry.base_max_age);
        res.registry.credential_helpers = registry.credential_helpers.or(res.registry.credential_helpers);
        res.fail_on = other.fail_on.clone().or(res.fail_on);
        res.format.indent = other.format.indent.or(res.format.indent);
        res
    }
}

/// Which rules run and how: the resolved form of a [`Config`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Per rule in registry order: `Some(severity)` when enabled.
    levels: Vec<Option<Severity>>,
    pub options: RuleOptions,
    /// For the drivers: whether and how they look base images up. The engine does not read it.
    pub registry: RegistrySettings,
    /// For the CLI: `fail-on` when configured. The engine does not read it.
    pub fail_on: Option<FailOn>,
    /// For the formatter (`[format]`). The checks do not read it.
    pub format: FormatOptions,
}

/// The lowest severity that fails a `bulkhead check` run, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    /// `error`, `warning`, `info`, `hint` or `never` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "never" => Some(FailOn::Never),
            other => Severity::parse(other).map(FailOn::Severity),
        }
    }

    /// True when a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Severity(threshold) => severity <= threshold,
            FailOn::Never => false,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&Config::default()).unwrap_or_else(|_| Settings {
            levels: Vec::new(),
            options: RuleOptions::default(),
            registry: RegistrySettings::default(),
            fail_on: None,
            format: FormatOptions::default(),
        })
    }
}

fn check_selector(selector: &str, key: &str) -> Result<(), ConfigError> {
    if RULES.iter().any(|rule| rule.matches(selector)) {
        Ok(())
    } else {
        Err(ConfigError {
            message: format!("`{key}`: `{selector}` matches no rule (use a code, a code prefix, a rule name or ALL)"),
        })
    }
}

impl Settings {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        // Configuring `trusted-registries` is the opt-in for the rule that checks it.
        let configured = |rule: &Rule| rule.code == "BH103" && !config.trusted_registries.is_empty();
        let mut levels: Vec<Option<Severity>> =
            RULES.iter().map(|rule| (rule.enabled_by_default || configured(rule)).then_some(rule.severity)).collect();
        if let Some(select) = &config.select {
            for selector in select {
                check_selector(selector, "select")?;
            }
            for (idx, rule) in RULES.iter().enumerate() {
                levels[idx] = select.iter().any(|s| rule.matches(s)).then_some(rule.severity);
            }
        }
        for selector in &config.extend_select {
            check_selector(selector, "extend-select")?;
            for (idx, rule) in RULES.iter().enumerate() {
                if rule.matches(selector) {
                    levels[idx] = Some(rule.severity);
                }
            }
        }
        for selector in &config.ignore {
            check_selector(selector, "ignore")?;
            for (idx, rule) in RULES.iter().enumerate() {
                if rule.matches(selector) {
                    levels[idx] = None;
                }
            }
        }
        for (selector, level) in &config.severity {
            check_selector(selector, "severity")?;
            let parsed = if level.eq_ignore_ascii_case("off") {
                None
            } else {
                Some(Severity::parse(level).ok_or_else(|| ConfigError {
                    message: format!("`severity.{selector}`: `{level}` is not one of error, warning, info, hint, off"),
                })?)
            };
            for (idx, rule) in RULES.iter().enumerate() {
                if rule.matches(selector) {
                    levels[idx] = parsed;
                }
            }
        }
        let options = RuleOptions {
            trusted_registries: config.trusted_registries.iter().map(|r| r.to_ascii_lowercase()).collect(),
            extra_secret_words: config.secrets.extra_words.iter().map(|w| w.to_ascii_lowercase()).collect(),
            allowed_secret_words: config.secrets.allow_words.iter().map(|w| w.to_ascii_lowercase()).collect(),
            base_max_age_days: match &config.registry.base_max_age {
                Some(text) => parse_days(text).ok_or_else(|| ConfigError {
                    message: format!("`registry.base-max-age`: `{text}` is not a number of days (`180d`)"),
                })?,
                None => DEFAULT_BASE_MAX_AGE_DAYS,
            },
        };
        let fail_on = match &config.fail_on {
            Some(text) => Some(FailOn::parse(text).ok_or_else(|| ConfigError {
                message: format!("`fail-on`: `{text}` is not one of error, warning, info, hint, never"),
            })?),
            None => None,
        };
        Ok(Settings {
            levels,
            options,
            registry: config.registry.resolve()?,
            fail_on,
            format: config.format.resolve()?,
        })
    }

    /// The severity a rule runs at, or `None` when it does not run.
    pub fn level(&self, rule_idx: usize) -> Option<Severity> {
        self.levels.get(rule_idx).copied().flatten()
    }

    /// True when the rule with this code runs.
    pub fn is_enabled(&self, code: &str) -> bool {
        RULES.iter().position(|r| r.code == code).and_then(|idx| self.level(idx)).is_some()
    }

    /// The rules that run, with their severities.
    pub fn enabled_rules(&self) -> impl Iterator<Item = (&'static Rule, Severity)> + '_ {
        RULES.iter().enumerate().filter_map(|(idx, rule)| self.level(idx).map(|level| (*rule, level)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_ignore_and_severity() {
        let config = Config::from_toml(
            "select = [\"BH2\", \"apk-missing-no-cache\", \"BH0\"]\nignore = [\"syntax-error\"]\n[severity]\nroot-user = \"error\"\n",
        )
        .unwrap();
        let settings = Settings::from_config(&config).unwrap();
        let enabled: Vec<_> = settings.enabled_rules().map(|(r, s)| (r.code, s)).collect();
        assert!(enabled.contains(&("BH201", Severity::Error)));
        assert!(enabled.contains(&("BH903", Severity::Warning)));
        assert!(!enabled.iter().any(|(code, _)| *code == "BH000" || *code == "BH101"));
    }

    #[test]
    fn trusted_registries_turn_the_allowlist_rule_on() {
        let off = Settings::from_config(&Config::default()).unwrap();
        assert!(!off.is_enabled("BH103"));
        let on = Settings::from_config(&Config::from_toml("trusted-registries = [\"Registry.example.com\"]").unwrap())
            .unwrap();
        assert!(on.is_enabled("BH103"));
        assert_eq!(on.options.trusted_registries, ["registry.example.com"]);
        let ignored =
            Config::from_toml("trusted-registries = [\"registry.example.com\"]\nignore = [\"BH103\"]").unwrap();
        assert!(!Settings::from_config(&ignored).unwrap().is_enabled("BH103"));
    }

    #[test]
    fn base_max_age() {
        let days =
            |text: &str| Settings::from_config(&Config::from_toml(text).unwrap()).map(|s| s.options.base_max_age_days);
        assert_eq!(days(""), Ok(DEFAULT_BASE_MAX_AGE_DAYS));
        assert_eq!(days("[registry]\nbase-max-age = \"30d\"\n"), Ok(30));
        assert_eq!(days("[registry]\nbase-max-age = \"365\"\n"), Ok(365));
        let err = days("[registry]\nbase-max-age = \"6 months\"\n").unwrap_err();
        assert_eq!(err.message, "`registry.base-max-age`: `6 months` is not a number of days (`180d`)");
        // A later layer that says nothing keeps the earlier one's age.
        let file = Config::from_toml("[registry]\nbase-max-age = \"30d\"\n").unwrap();
        let merged = file.merged(&Config::default());
        assert_eq!(Settings::from_config(&merged).unwrap().options.base_max_age_days, 30);
    }

    #[test]
    fn registry_section() {
        let off = Settings::from_config(&Config::default()).unwrap();
        assert_eq!(off.registry, RegistrySettings::default());
        assert!(!off.registry.enabled);
        let text = "[registry]\nenabled = true\ncache-ttl = \"30m\"\ninsecure-registries = [\"Reg.lan:5000\"]\n";
        let mut config = Config::from_toml(text).unwrap();
        assert_eq!(config.registry.credential_helpers, None);
        // Only a user's layer (the command line, the editor) sets it.
        config.registry.credential_helpers = Some(true);
        let on = Settings::from_config(&config).unwrap();
        assert_eq!(
            on.registry,
            RegistrySettings {
                enabled: true,
                cache_ttl: Duration::from_secs(1800),
                insecure_registries: vec!["reg.lan:5000".into()],
                credential_helpers: true
            }
        );
        // A layer that says nothing keeps the file's values; one that says `enabled` wins.
        assert_eq!(config.merged(&Config::default()).registry, config.registry);
        let cli = Config {
            registry: RegistryConfig { enabled: Some(false), ..RegistryConfig::default() },
            ..Config::default()
        };
        assert!(!Settings::from_config(&config.merged(&cli)).unwrap().registry.enabled);
        for (ttl, secs) in [("90", 90), ("90s", 90), ("2h", 7200), ("1d", 86_400), ("0", 0)] {
            assert_eq!(parse_duration(ttl), Some(Duration::from_secs(secs)), "{ttl}");
        }
        for bad in ["", "h", "1w", "-1h", "1.5h", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        let err = Settings::from_config(&Config::from_toml("[registry]\ncache-ttl = \"soon\"").unwrap()).unwrap_err();
        assert!(err.message.contains("`registry.cache-ttl`"), "{}", err.message);
        let err = Config::from_toml("[registry]\ncredential-helpers = true").unwrap_err();
        assert!(
            err.message.starts_with("line 2, column 1: `registry.credential-helpers` cannot be set"),
            "{}",
            err.message
        );
        assert!(err.message.contains("--credential-helpers"), "{}", err.message);
        let err = Config::from_toml("[registry]\nenable = true").unwrap_err();
        assert!(err.message.contains("unknown field `enable`"), "{}", err.message);
        let err =
            Settings::from_config(&Config::from_toml("[registry]\ninsecure-registries = [\"http://x/\"]").unwrap())
                .unwrap_err();
        assert!(err.message.contains("insecure-registries"), "{}", err.message);
    }

    #[test]
    fn format_section() {
        assert_eq!(Settings::default().format.indent, 4);
        let two = Settings::from_config(&Config::from_toml("[format]\nindent = 2").unwrap()).unwrap();
        assert_eq!(two.format.indent, 2);
        let err = Settings::from_config(&Config::from_toml("[format]\nindent = 40").unwrap()).unwrap_err();
        assert!(err.message.contains("format.indent"), "{err}");
        assert!(Config::from_toml("[format]\nindnet = 2").is_err());
        let merged = Config::from_toml("[format]\nindent = 2").unwrap().merged(&Config::default());
        assert_eq!(merged.format.indent, Some(2));
    }

    #[test]
    fn bad_config_is_a_clear_error() {
        let err = Config::from_toml("select = []\nselct = []").unwrap_err();
        assert!(err.message.starts_with("line 2, column 1: unknown field `selct`"), "{}", err.message);
        assert!(!err.message.contains('\n'), "{}", err.message);
        let err = Settings::from_config(&Config::from_toml("ignore = [\"BH99999\"]").unwrap()).unwrap_err();
        assert!(err.message.contains("matches no rule"), "{}", err.message);
        let err = Settings::from_config(&Config::from_toml("[severity]\nBH201 = \"loud\"").unwrap()).unwrap_err();
        assert!(err.message.contains("not one of"), "{}", err.message);
    }
}
