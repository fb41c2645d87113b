//! hadolint's configuration (`.hadolint.yaml`) read as bulkhead's: a hadolint user's file keeps working.
//!
//! The mapping from hadolint's codes to ours is not a second table: a rule lists the codes of other tools
//! it stands for in [`Rule::aliases`](crate::Rule), and [`counterpart`] looks them up there. What is left is
//! [`NOT_APPLICABLE`], the hadolint codes with no rule here and why. [`HADOLINT_CODES`] is every `DL` code
//! hadolint knows; a test checks that each one is either a rule's alias or not applicable.
//!
//! Keys and what they become:
//!
//! | hadolint | bulkhead |
//! |---|---|
//! | `ignored: [DL3008, SC2086]` | `ignore = ["BH105"]` (ShellCheck codes without a counterpart: a note) |
//! | `override: { error: [...], warning: [...], info: [...], style: [...] }` | `[severity]` (style is `hint`) |
//! | `trustedRegistries` | `trusted-registries` |
//! | `failure-threshold` | `fail-on` (style, ignore and none are `hint`) |
//! | `no-fail: true` | `fail-on = "never"` |
//! | `format`, `no-color`, `verbose` | command-line matters: a note, nothing else |
//! | `label-schema`, `strict-labels`, `disable-ignore-pragma` | no counterpart: a note |
//!
//! Unknown keys are one note, not an error (hadolint's own keys change between versions); a value of the
//! wrong type is an error, as it is for hadolint.

use bulkhead_syntax::yaml::{NodeId, Yaml, YamlValue};

use crate::config::{Config, ConfigError};
use crate::rule::Rule;
use crate::rules::RULES;

/// The file names hadolint reads in a project, in its order of preference.
pub const PROJECT_FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// Every `DL` code of hadolint 2.x (its rule sources at the snapshot `../shared/docs/RULES-PLAN.md` names),
/// plus the four it retired (`DL3005`, `DL3017`, `DL3031`, `DL3039`: package upgrades), which older
/// configurations still list.
pub const HADOLINT_CODES: &[&str] = &[
    "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3005", "DL3006", "DL3007", "DL3008", "DL3009",
    "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3017", "DL3018", "DL3019", "DL3020",
    "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3031",
    "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3039", "DL3040", "DL3041", "DL3042",
    "DL3043", "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053",
    "DL3054", "DL3055", "DL3056", "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064",
    "DL3065", "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

const LABEL_SCHEMA: &str = "a label schema (required labels, value formats) is metadata policy, not security: \
     bulkhead checks label keys only (BH021)";

/// hadolint codes with no bulkhead rule, and why.
pub const NOT_APPLICABLE: &[(&str, &str)] = &[
    ("DL3049", LABEL_SCHEMA),
    ("DL3050", LABEL_SCHEMA),
    ("DL3051", LABEL_SCHEMA),
    ("DL3052", LABEL_SCHEMA),
    ("DL3053", LABEL_SCHEMA),
    ("DL3054", LABEL_SCHEMA),
    ("DL3055", LABEL_SCHEMA),
    ("DL3056", LABEL_SCHEMA),
    ("DL3058", LABEL_SCHEMA),
];

/// Why a ShellCheck code (`SC....`) other than the few a rule stands for has no counterpart.
pub const SHELLCHECK: &str = "bulkhead does not run ShellCheck: its own rules read the shell of `RUN`";

/// What a hadolint (or ShellCheck) code is here.
#[derive(Clone, Copy, Debug)]
pub enum Counterpart {
    /// The rule that checks the same thing.
    Rule(&'static Rule),
    /// No rule, for this reason.
    NotApplicable(&'static str),
    /// Not a code hadolint knows.
    Unknown,
}

/// The counterpart of a hadolint `DL` or ShellCheck `SC` code (any case).
pub fn counterpart(code: &str) -> Counterpart {
    let code = code.trim().to_ascii_uppercase();
    if let Some(rule) = RULES.iter().find(|rule| rule.aliases.iter().any(|alias| *alias == code)) {
        return Counterpart::Rule(rule);
    }
    if let Some((_, why)) = NOT_APPLICABLE.iter().find(|(dl, _)| *dl == code) {
        return Counterpart::NotApplicable(why);
    }
    let digits = |prefix: &str| {
        code.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
    };
    if digits("SC") {
        return Counterpart::NotApplicable(SHELLCHECK);
    }
    Counterpart::Unknown
}

/// A hadolint configuration as bulkhead's, with what did not carry over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Converted {
    pub config: Config,
    /// One line each: keys and codes with no counterpart, rules that cover more than the code named.
    pub notes: Vec<String>,
}

/// Reads `.hadolint.yaml` text. An error is one line: `line L, column C: what is wrong`.
pub fn from_hadolint_yaml(text: &str) -> Result<Converted, ConfigError> {
    let yaml = Yaml::parse(text);
    let reader = Reader { yaml: &yaml };
    if let Some(error) = yaml.error() {
        return Err(reader.error_at(error.range.start, &error.message));
    }
    let mut out = Converted::default();
    let Some(root) = yaml.root().filter(|&root| !yaml.is_null(root)) else {
        return Ok(out);
    };
    if !yaml.is_map(root) {
        return Err(reader.error(root, "a hadolint configuration is a mapping of keys (`ignored:`, `override:`, ...)"));
    }
    let mut codes = CodeNotes::default();
    let mut unknown = Vec::new();
    for entry in yaml.entries(root) {
        let key = yaml.scalar(entry.key).unwrap_or_default();
        let value = entry.value;
        match key {
            "ignored" => {
                for (code, at) in reader.strings(value, key)? {
                    if let Some(rule) = codes.rule_for(&code, at, &reader)? {
                        out.config.ignore.push(rule.code.to_owned());
                    }
                }
            }
            "override" => {
                for level in reader.map(value, key)? {
                    let name = yaml.scalar(level.key).unwrap_or_default();
                    let severity = match name {
                        "error" | "warning" | "info" => name,
                        "style" => "hint",
                        _ => {
                            return Err(reader.error(
                                level.key,
                                &format!("`override.{name}`: hadolint's levels are error, warning, info and style"),
                            ));
                        }
                    };
                    for (code, at) in reader.strings(level.value, &format!("override.{name}"))? {
                        if let Some(rule) = codes.rule_for(&code, at, &reader)? {
                            out.config.severity.insert(rule.code.to_owned(), severity.to_owned());
                        }
                    }
                }
            }
            "trustedRegistries" => {
                out.config.trusted_registries.extend(reader.strings(value, key)?.into_iter().map(|(r, _)| r));
            }
            "failure-threshold" => {
                let threshold = reader.scalar(value, key)?;
                let fail_on = match threshold.to_ascii_lowercase().as_str() {
                    "error" => "error",
                    "warning" => "warning",
                    "info" => "info",
                    "style" | "ignore" | "none" => "hint",
                    _ => {
                        return Err(reader.error(
                            value,
                            &format!(
                                "`failure-threshold`: `{threshold}` is not one of error, warning, info, style, ignore, none"
                            ),
                        ));
                    }
                };
                // `no-fail` wins wherever it is written.
                if out.config.fail_on.as_deref() != Some("never") {
                    out.config.fail_on = Some(fail_on.to_owned());
                }
            }
            "no-fail" => {
                if reader.boolean(value, key)? {
                    out.config.fail_on = Some("never".to_owned());
                }
            }
            "label-schema" | "strict-labels" | "disable-ignore-pragma" => {
                let why = match key {
                    "disable-ignore-pragma" => {
                        "bulkhead always honours `# hadolint ignore=` and `# bulkhead ignore=` comments"
                    }
                    _ => LABEL_SCHEMA,
                };
                out.notes.push(format!("`{key}` is not applicable: {why}"));
            }
            "format" | "no-color" | "verbose" => out
                .notes
                .push(format!("`{key}` is a command-line matter here: use `bulkhead check --format` (and NO_COLOR)")),
            _ => unknown.push(format!("`{key}`")),
        }
    }
    if !unknown.is_empty() {
        out.notes.push(format!("unknown hadolint keys, not read: {}", unknown.join(", ")));
    }
    out.notes.extend(codes.finish());
    dedup_keep_order(&mut out.config.ignore);
    Ok(out)
}

/// What the codes of a file said, gathered into one note per kind.
#[derive(Default)]
struct CodeNotes {
    not_applicable: Vec<(String, &'static str)>,
    unknown: Vec<String>,
    wider: Vec<String>,
}

impl CodeNotes {
    fn rule_for(&mut self, code: &str, at: NodeId, reader: &Reader<'_>) -> Result<Option<&'static Rule>, ConfigError> {
        if code.trim().is_empty() {
            return Err(reader.error(at, "an empty code"));
        }
        match counterpart(code) {
            Counterpart::Rule(rule) => {
                let upper = code.trim().to_ascii_uppercase();
                let others: Vec<&str> = rule
                    .aliases
                    .iter()
                    .copied()
                    .filter(|alias| *alias != upper && (alias.starts_with("DL") || alias.starts_with("SC")))
                    .collect();
                if !others.is_empty() {
                    let line =
                        format!("{upper} is {} {}, which also covers {}", rule.code, rule.name, others.join(", "));
                    if !self.wider.contains(&line) {
                        self.wider.push(line);
                    }
                }
                Ok(Some(rule))
            }
            Counterpart::NotApplicable(why) => {
                self.not_applicable.push((code.trim().to_ascii_uppercase(), why));
                Ok(None)
            }
            Counterpart::Unknown => {
                self.unknown.push(code.trim().to_owned());
                Ok(None)
            }
        }
    }

    fn finish(self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut reasons: Vec<&'static str> = Vec::new();
        for (_, why) in &self.not_applicable {
            if !reasons.contains(why) {
                reasons.push(why);
            }
        }
        for why in reasons {
            let mut codes: Vec<&str> =
                self.not_applicable.iter().filter(|(_, w)| *w == why).map(|(c, _)| c.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            notes.push(format!("not applicable: {}: {why}", codes.join(", ")));
        }
        if !self.unknown.is_empty() {
            notes.push(format!("not hadolint codes, not read: {}", self.unknown.join(", ")));
        }
        notes.extend(self.wider);
        notes
    }
}

fn dedup_keep_order(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|item| seen.insert(item.clone()));
}

struct Reader<'a> {
    yaml: &'a Yaml,
}

impl Reader<'_> {
    fn error_at(&self, offset: usize, what: &str) -> ConfigError {
        let text = self.yaml.text();
        let before = text.get(..offset.min(text.len())).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
        ConfigError { message: format!("line {line}, column {column}: {what}") }
    }

    fn error(&self, node: NodeId, what: &str) -> ConfigError {
        self.error_at(self.yaml.node(node).range.start, what)
    }

    fn scalar(&self, node: NodeId, key: &str) -> Result<String, ConfigError> {
        match &self.yaml.node(node).value {
            YamlValue::Scalar { value, .. } => Ok(value.clone()),
            _ => Err(self.error(node, &format!("`{key}` takes a single value"))),
        }
    }

    fn boolean(&self, node: NodeId, key: &str) -> Result<bool, ConfigError> {
        match self.scalar(node, key)?.as_str() {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            other => Err(self.error(node, &format!("`{key}` is true or false, not `{other}`"))),
        }
    }

    /// A list of strings (a lone string or an empty value counts as a list of it / of nothing).
    fn strings(&self, node: NodeId, key: &str) -> Result<Vec<(String, NodeId)>, ConfigError> {
        if self.yaml.is_null(node) {
            return Ok(Vec::new());
        }
        match &self.yaml.node(node).value {
            YamlValue::Scalar { value, .. } => Ok(vec![(value.clone(), node)]),
            YamlValue::Seq(items) => {
                items.iter().map(|&item| Ok((self.scalar(item, key)?, item))).collect::<Result<Vec<_>, _>>()
            }
            YamlValue::Map(_) => Err(self.error(node, &format!("`{key}` is a list"))),
        }
    }

    fn map(&self, node: NodeId, key: &str) -> Result<Vec<bulkhead_syntax::yaml::Entry>, ConfigError> {
        if self.yaml.is_null(node) {
            return Ok(Vec::new());
        }
        if !self.yaml.is_map(node) {
            return Err(self.error(node, &format!("`{key}` is a mapping")));
        }
        Ok(self.yaml.entries(node).to_vec())
    }
}

/// A configuration as `.bulkhead.toml` text, with the notes as comments on top: what
/// `bulkhead config --from-hadolint` prints.
pub fn to_bulkhead_toml(converted: &Converted, source: &str) -> String {
    let mut out = format!("# .bulkhead.toml converted from {source} by `bulkhead config --from-hadolint`.\n");
    for note in &converted.notes {
        out.push_str(&format!("# note: {note}\n"));
    }
    let config = &converted.config;
    let quoted = |items: &[String]| {
        items.iter().map(|item| toml::Value::String(item.clone()).to_string()).collect::<Vec<_>>().join(", ")
    };
    if let Some(fail_on) = &config.fail_on {
        out.push_str(&format!("fail-on = {}\n", toml::Value::String(fail_on.clone())));
    }
    if !config.ignore.is_empty() {
        out.push_str(&format!("ignore = [{}]\n", quoted(&config.ignore)));
    }
    if !config.trusted_registries.is_empty() {
        out.push_str(&format!("trusted-registries = [{}]\n", quoted(&config.trusted_registries)));
    }
    if !config.severity.is_empty() {
        out.push_str("\n[severity]\n");
        for (code, level) in &config.severity {
            out.push_str(&format!("{code} = {}\n", toml::Value::String(level.clone())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;

    #[test]
    fn every_hadolint_code_is_a_rule_or_not_applicable() {
        for code in HADOLINT_CODES {
            match counterpart(code) {
                Counterpart::Rule(_) | Counterpart::NotApplicable(_) => {}
                Counterpart::Unknown => panic!("{code} is neither a rule's alias nor in NOT_APPLICABLE"),
            }
        }
        for (code, _) in NOT_APPLICABLE {
            assert!(HADOLINT_CODES.contains(code), "{code} is not a hadolint code");
            assert!(
                !RULES.iter().any(|rule| rule.aliases.contains(code)),
                "{code} is a rule's alias and in NOT_APPLICABLE"
            );
        }
        // Every DL alias a rule claims is a code hadolint has (or had).
        for rule in RULES {
            for alias in rule.aliases.iter().filter(|alias| alias.starts_with("DL")) {
                assert!(HADOLINT_CODES.contains(alias), "{} claims {alias}, which hadolint does not know", rule.code);
            }
        }
    }

    #[test]
    fn a_typical_file_converts_and_resolves() {
        let text = "\
# CI's hadolint set-up
ignored:
  - DL3008
  - dl3018
  - SC2086
  - DL3049
failure-threshold: error
override:
  error: [DL3002]
  style:
    - DL3025
trustedRegistries:
  - docker.io
  - registry.example.com:5000
";
        let converted = from_hadolint_yaml(text).unwrap();
        let config = &converted.config;
        let root_user = match counterpart("DL3002") {
            Counterpart::Rule(rule) => rule.code,
            other => panic!("{other:?}"),
        };
        assert_eq!(config.severity.get(root_user).map(String::as_str), Some("error"));
        assert_eq!(config.fail_on.as_deref(), Some("error"));
        assert_eq!(config.trusted_registries, ["docker.io", "registry.example.com:5000"]);
        // DL3008 and DL3018 are one rule here (package versions): ignored once.
        let pinned = match counterpart("DL3008") {
            Counterpart::Rule(rule) => rule.code,
            other => panic!("{other:?}"),
        };
        assert_eq!(config.ignore.iter().filter(|code| *code == pinned).count(), 1, "{:?}", config.ignore);
        let notes = converted.notes.join("\n");
        assert!(notes.contains("not applicable: SC2086"), "{notes}");
        assert!(notes.contains("not applicable: DL3049"), "{notes}");
        assert!(notes.contains("DL3008 is"), "{notes}");
        let settings = Settings::from_config(config).unwrap();
        assert!(!settings.is_enabled(pinned));
        assert!(settings.is_enabled("BH103"), "trusted registries turn the allow-list rule on");
    }

    #[test]
    fn no_fail_wins_and_unknown_keys_are_one_note() {
        let converted = from_hadolint_yaml("no-fail: true\nfailure-threshold: warning\nfoo: 1\nbar: [x]\n").unwrap();
        assert_eq!(converted.config.fail_on.as_deref(), Some("never"));
        assert_eq!(converted.notes, ["unknown hadolint keys, not read: `foo`, `bar`"]);
        assert_eq!(from_hadolint_yaml("").unwrap(), Converted::default());
        assert_eq!(from_hadolint_yaml("# only a comment\n").unwrap(), Converted::default());
    }

    #[test]
    fn wrong_types_and_broken_yaml_are_errors_with_a_place() {
        let err = from_hadolint_yaml("ignored:\n  nested: map\n").unwrap_err().message;
        assert_eq!(err, "line 2, column 3: `ignored` is a list");
        let err = from_hadolint_yaml("failure-threshold: loud\n").unwrap_err().message;
        assert!(err.starts_with("line 1, column 20: `failure-threshold`: `loud`"), "{err}");
        let err = from_hadolint_yaml("override:\n  fatal: [DL3000]\n").unwrap_err().message;
        assert!(err.contains("`override.fatal`"), "{err}");
        let err = from_hadolint_yaml("ignored: [DL3000\n").unwrap_err().message;
        assert!(err.starts_with("line "), "{err}");
        assert!(from_hadolint_yaml("- a\n- b\n").is_err());
    }

    #[test]
    fn printed_toml_reads_back_as_the_same_configuration() {
        let converted = from_hadolint_yaml(
            "ignored: [DL3008, SC2086]\noverride:\n  info: [DL3002]\ntrustedRegistries: ['my \"odd\" registry']\nno-fail: true\n",
        )
        .unwrap();
        let text = to_bulkhead_toml(&converted, ".hadolint.yaml");
        assert!(text.contains("# note: not applicable: SC2086"), "{text}");
        let back = Config::from_toml(&text).unwrap();
        assert_eq!(back, converted.config);
    }
}
