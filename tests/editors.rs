//! The editor set-ups under `editors/`, checked without the editors: Helix's `languages.toml` against the
//! schema Helix documents (book/src/languages.md), and every setting an editor passes against what the
//! server reads (`bulkhead_lsp::parse_client_settings`). The Neovim and VS Code set-ups are also run in
//! the real editors by `tests/e2e/`.

use std::path::{Path, PathBuf};

use bulkhead_analysis::Config;
use bulkhead_analysis::ide::HintKinds;
use serde_json::{Value, json};
use toml::Table;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    let path = repo().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The keys of `table` that are not in `allowed`.
fn unknown_keys(table: &Table, allowed: &[&str]) -> Vec<String> {
    table.keys().filter(|key| !allowed.contains(&key.as_str())).cloned().collect()
}

// Helix's documented languages.toml schema (book/src/languages.md, Helix 25.07).
const HELIX_TOP_LEVEL: &[&str] = &["use-grammars", "language", "grammar", "language-server"];
const HELIX_LANGUAGE: &[&str] = &[
    "name",
    "language-id",
    "scope",
    "injection-regex",
    "file-types",
    "shebangs",
    "roots",
    "auto-format",
    "diagnostic-severity",
    "comment-tokens",
    "comment-token",
    "block-comment-tokens",
    "indent",
    "language-servers",
    "grammar",
    "formatter",
    "soft-wrap",
    "text-width",
    "rulers",
    "path-completion",
    "word-completion",
    "workspace-lsp-roots",
    "persistent-diagnostic-sources",
];
const HELIX_LANGUAGE_SERVER: &[&str] =
    &["command", "args", "config", "timeout", "environment", "required-root-patterns"];
const HELIX_SERVER_REFERENCE: &[&str] = &["name", "only-features", "except-features"];
const HELIX_FEATURES: &[&str] = &[
    "format",
    "goto-definition",
    "goto-declaration",
    "goto-type-definition",
    "goto-reference",
    "goto-implementation",
    "signature-help",
    "hover",
    "document-highlight",
    "completion",
    "code-action",
    "workspace-command",
    "document-symbols",
    "workspace-symbols",
    "diagnostics",
    "rename-symbol",
    "inlay-hints",
];
/// Language servers Helix defines itself for Dockerfiles, which a user's file may name without defining.
const HELIX_BUILTIN_SERVERS: &[&str] = &["docker-langserver"];

fn strings(value: &toml::Value, what: &str) -> Vec<String> {
    let array = value.as_array().unwrap_or_else(|| panic!("{what} must be an array"));
    array.iter().map(|v| v.as_str().unwrap_or_else(|| panic!("{what} must hold strings")).to_owned()).collect()
}

#[test]
fn helix_languages_toml_follows_the_documented_schema() {
    let doc: Table = toml::from_str(&read("editors/helix/languages.toml")).expect("languages.toml parses");
    assert_eq!(unknown_keys(&doc, HELIX_TOP_LEVEL), Vec::<String>::new(), "top-level keys");

    let servers = doc["language-server"].as_table().expect("[language-server] is a table");
    for (name, server) in servers {
        let server = server.as_table().unwrap_or_else(|| panic!("language-server.{name} is a table"));
        assert_eq!(unknown_keys(server, HELIX_LANGUAGE_SERVER), Vec::<String>::new(), "language-server.{name}");
        assert!(server["command"].is_str(), "language-server.{name}.command is a string");
        if let Some(args) = server.get("args") {
            strings(args, "args");
        }
        if let Some(timeout) = server.get("timeout") {
            assert!(timeout.as_integer().is_some_and(|t| t > 0), "timeout is a number of seconds");
        }
        if let Some(environment) = server.get("environment") {
            let environment = environment.as_table().expect("environment is a table");
            assert!(environment.values().all(toml::Value::is_str), "environment values are strings");
        }
    }

    let bulkhead = servers["bulkhead"].as_table().expect("language-server.bulkhead");
    assert_eq!(bulkhead["command"].as_str(), Some("bulkhead"));
    assert_eq!(strings(&bulkhead["args"], "args"), ["lsp"]);
    // `config` is sent as initializationOptions: the server must take it, and read every key in it.
    let config = serde_json::to_value(&bulkhead["config"]).expect("config converts to JSON");
    assert_settings_are_read(&config, "languages.toml: language-server.bulkhead.config");

    let languages = doc["language"].as_array().expect("[[language]] is an array of tables");
    let dockerfile = languages
        .iter()
        .filter_map(toml::Value::as_table)
        .find(|l| l.get("name").and_then(toml::Value::as_str) == Some("dockerfile"))
        .expect("a [[language]] named dockerfile, the name Helix gives Dockerfiles");
    assert_eq!(unknown_keys(dockerfile, HELIX_LANGUAGE), Vec::<String>::new(), "[[language]] keys");

    let mut names = Vec::new();
    for reference in dockerfile["language-servers"].as_array().expect("language-servers is an array") {
        let name = match reference {
            toml::Value::String(name) => name.clone(),
            toml::Value::Table(table) => {
                assert_eq!(unknown_keys(table, HELIX_SERVER_REFERENCE), Vec::<String>::new(), "server reference");
                for key in ["only-features", "except-features"] {
                    for feature in table.get(key).map(|v| strings(v, key)).unwrap_or_default() {
                        assert!(HELIX_FEATURES.contains(&feature.as_str()), "unknown feature {feature}");
                    }
                }
                table["name"].as_str().expect("a server reference has a name").to_owned()
            }
            other => panic!("language-servers holds names or tables, not {other}"),
        };
        assert!(
            servers.contains_key(&name) || HELIX_BUILTIN_SERVERS.contains(&name.as_str()),
            "language server {name} is neither defined here nor built into Helix"
        );
        names.push(name);
    }
    assert_eq!(names, ["docker-langserver", "bulkhead"], "bulkhead next to Helix's own Dockerfile server");

    // File types: strings are extensions, tables are globs; together they cover the names the server lints.
    let mut extensions = Vec::new();
    let mut globs = Vec::new();
    for file_type in dockerfile["file-types"].as_array().expect("file-types is an array") {
        match file_type {
            toml::Value::String(ext) => extensions.push(ext.clone()),
            toml::Value::Table(table) => {
                assert_eq!(unknown_keys(table, &["glob"]), Vec::<String>::new(), "file-types table");
                globs.push(table["glob"].as_str().expect("glob is a string").to_owned());
            }
            other => panic!("file-types holds strings or {{ glob }} tables, not {other}"),
        }
    }
    assert_eq!(extensions, ["dockerfile"]);
    assert_eq!(globs, ["Dockerfile", "Dockerfile.*", "Containerfile", "Containerfile.*"]);
    assert_eq!(strings(&dockerfile["roots"], "roots"), [".bulkhead.toml", ".git"]);
}

/// `settings` (the inner `bulkhead` object) is accepted by the server and every key in it is read: the
/// server allows unknown keys, so a misspelt one would otherwise be ignored without a word.
fn assert_settings_are_read(settings: &Value, what: &str) {
    let object = settings.as_object().unwrap_or_else(|| panic!("{what}: settings must be an object"));
    assert!(
        bulkhead_lsp::parse_client_settings(&json!({ "bulkhead": settings })).is_ok_and(|c| c.is_some()),
        "{what}: the server rejects {settings}"
    );
    for (key, value) in object {
        let probe = match value {
            Value::Object(inner) => {
                for (sub, sub_value) in inner {
                    assert_setting_is_read(&format!("{key}.{sub}"), sub_value, what);
                }
                continue;
            }
            value => value,
        };
        assert_setting_is_read(key, probe, what);
    }
}

/// One setting, `dotted` under `bulkhead.`, set to a value of the type of `example`, changes the config.
fn assert_setting_is_read(dotted: &str, example: &Value, what: &str) {
    let value = match example {
        Value::Array(_) => json!(["BH201"]),
        Value::String(_) => json!("error"),
        // Not the default (inlay hints are on unless turned off).
        Value::Bool(on) => json!(!on),
        other => other.clone(),
    };
    let mut settings = value;
    for part in dotted.rsplit('.') {
        settings = json!({ part: settings });
    }
    let parsed = bulkhead_lsp::parse_client_settings_all(&json!({ "bulkhead": settings }))
        .unwrap_or_else(|err| panic!("{what}: `{dotted}`: {err}"));
    assert!(
        parsed.is_some_and(|(config, hints)| config != Config::default() || hints != HintKinds::default()),
        "{what}: the server does not read `{dotted}`"
    );
}

// ---------------------------------------------------------------------------------------------------
// VS Code: editors/vscode/package.json's `contributes.configuration` is the one list of settings. The
// server reads every one of them but the editor-only ones; docs/editors.md's table is generated from it.

/// Settings the VS Code extension uses itself; the server must not read them (it allows unknown keys).
const EDITOR_ONLY: &[&str] = &["bulkhead.path", "bulkhead.trace.server"];

const TABLE_BEGIN: &str = "<!-- settings-table:begin";
const TABLE_END: &str = "<!-- settings-table:end -->";

fn vscode_settings() -> Vec<(String, Value)> {
    let package: Value = serde_json::from_str(&read("editors/vscode/package.json")).expect("package.json parses");
    let properties = package["contributes"]["configuration"]["properties"].as_object().expect("properties");
    properties.iter().map(|(key, schema)| (key.clone(), schema.clone())).collect()
}

fn server_key(setting: &str) -> Option<&str> {
    (!EDITOR_ONLY.contains(&setting)).then(|| setting.strip_prefix("bulkhead.").expect("settings start with bulkhead."))
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

fn settings_table() -> String {
    let mut out = String::from(
        "| VS Code setting | Neovim / Helix key | Type | Default | What it does |\n|---|---|---|---|---|\n",
    );
    for (setting, schema) in vscode_settings() {
        let types = match &schema["type"] {
            Value::String(single) => single.clone(),
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
            other => panic!("{setting}: unexpected type {other}"),
        };
        let types = match (types.as_str(), schema.get("enum"), schema.pointer("/additionalProperties/enum")) {
            (_, Some(Value::Array(values)), _) => {
                values.iter().filter_map(Value::as_str).map(code).collect::<Vec<_>>().join(", ")
            }
            ("object", _, Some(Value::Array(values))) => format!(
                "object: rule → {}",
                values.iter().filter_map(Value::as_str).map(code).collect::<Vec<_>>().join(", ")
            ),
            ("array", ..) => "array of strings".to_owned(),
            _ => types,
        };
        let key = server_key(&setting).map_or_else(|| "(VS Code only)".to_owned(), code);
        let description = schema["markdownDescription"].as_str().expect("every setting has a markdownDescription");
        out.push_str(&format!(
            "| {} | {key} | {types} | {} | {} |\n",
            code(&setting),
            code(&schema["default"].to_string()),
            description.replace('|', "\\|").replace('\n', " "),
        ));
    }
    out
}

#[test]
fn vscode_settings_are_the_ones_the_server_reads() {
    let settings = vscode_settings();
    let extension = read("editors/vscode/src/extension.ts");
    let mut all = serde_json::Map::new();
    for (setting, schema) in &settings {
        assert!(schema.get("default").is_some(), "{setting} has a default");
        let example = match &schema["type"] {
            Value::Array(types) if types.contains(&json!("array")) => json!([]),
            Value::String(kind) if kind == "array" => json!([]),
            Value::String(kind) if kind == "object" => json!({ "BH201": "error" }),
            Value::Array(types) if types.contains(&json!("integer")) => json!(2),
            _ => schema["default"].clone(),
        };
        match server_key(setting) {
            Some(key) => {
                let what = "editors/vscode/package.json";
                assert_setting_is_read(key, &example, what);
                // The extension sends it as initializationOptions too.
                assert!(extension.contains(&format!("(\"{key}\"")), "extension.ts does not send `{key}`");
                let mut target = &mut all;
                let parts: Vec<&str> = key.split('.').collect();
                for part in &parts[..parts.len() - 1] {
                    target = target.entry(*part).or_insert_with(|| json!({})).as_object_mut().unwrap();
                }
                target.insert(parts[parts.len() - 1].to_owned(), example);
            }
            None => {
                let key = setting.strip_prefix("bulkhead.").unwrap();
                let mut value = schema["default"].clone();
                for part in key.rsplit('.') {
                    value = json!({ part: value });
                }
                let parsed = bulkhead_lsp::parse_client_settings(&json!({ "bulkhead": value }));
                assert_eq!(parsed, Ok(Some(Config::default())), "{setting} is editor-only but the server reads it");
            }
        }
    }
    for setting in EDITOR_ONLY {
        assert!(settings.iter().any(|(s, _)| s == setting), "{setting} is not in package.json");
    }
    // Every field of the server's settings has a VS Code setting: set them all, then check each changed.
    for value in all.values_mut() {
        let nested: Vec<&mut Value> = match value {
            Value::Object(inner) if !inner.contains_key("BH201") => inner.values_mut().collect(),
            other => vec![other],
        };
        for item in nested {
            if let Value::Array(items) = item {
                items.push(json!("BH201"));
            }
        }
    }
    let config = bulkhead_lsp::parse_client_settings(&json!({ "bulkhead": all })).unwrap().unwrap();
    // `fail-on` is for `bulkhead check` only: no editor setting.
    let Config { select, extend_select, ignore, severity, trusted_registries, secrets, registry, format, fail_on: _ } =
        config;
    assert_eq!(format.indent, Some(2), "no VS Code setting for format.indent");
    let bulkhead_analysis::config::SecretsConfig { extra_words, allow_words } = secrets;
    // Only `enabled` of `[registry]` is an editor setting: the rest stays in `.bulkhead.toml`.
    assert!(registry.enabled.is_some(), "no VS Code setting for registry.enabled");
    assert!(select.is_some(), "no VS Code setting for select");
    assert!(!extend_select.is_empty(), "no VS Code setting for extendSelect");
    assert!(!ignore.is_empty(), "no VS Code setting for ignore");
    assert!(!severity.is_empty(), "no VS Code setting for severity");
    assert!(!trusted_registries.is_empty(), "no VS Code setting for trustedRegistries");
    assert!(!extra_words.is_empty(), "no VS Code setting for secrets.extraWords");
    assert!(!allow_words.is_empty(), "no VS Code setting for secrets.allowWords");
}

#[test]
fn docs_settings_table_is_generated_from_package_json() {
    let path = repo().join("docs/editors.md");
    let doc = read("docs/editors.md");
    let begin = doc.find(TABLE_BEGIN).expect("docs/editors.md has the settings-table:begin marker");
    let begin = begin + doc[begin..].find("-->\n").expect("the begin marker ends with -->") + 4;
    let end = doc.find(TABLE_END).expect("docs/editors.md has the settings-table:end marker");
    let expected = settings_table();
    if doc[begin..end] == expected {
        return;
    }
    if std::env::var_os("BULKHEAD_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{expected}{}", &doc[..begin], &doc[end..])).unwrap();
        return;
    }
    panic!(
        "docs/editors.md's settings table is stale; regenerate it with \
         `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead --test editors`.\nExpected:\n{expected}"
    );
}
