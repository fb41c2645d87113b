//! Configuration: `.bulkhead.toml` (and the same keys from editor settings), resolved into [`Settings`]
//! that say which rules run, at which severity, with which options.

use std::collections::BTreeMap;

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

impl Config {
    /// Parses `.bulkhead.toml` text. The error is one line: `line L, column C: what is wrong`.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|err| {
            let what = err.message().split_whitespace().collect::<Vec<_>>().join(" ");
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
        res
    }
}

/// Which rules run and how: the resolved form of a [`Config`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Per rule in registry order: `Some(severity)` when enabled.
    levels: Vec<Option<Severity>>,
    pub options: RuleOptions,
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&Config::default())
            .unwrap_or_else(|_| Settings { levels: Vec::new(), options: RuleOptions::default() })
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
        };
        Ok(Settings { levels, options })
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
