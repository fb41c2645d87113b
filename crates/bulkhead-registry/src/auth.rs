//! Credentials and challenges: `~/.docker/config.json` `auths` (and, only when enabled, credential
//! helpers), and the `WWW-Authenticate` header that starts the bearer-token flow.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

/// A user name and password (or token) for a registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).finish_non_exhaustive()
    }
}

impl Credentials {
    /// The `Authorization` header value for basic auth.
    pub fn basic_header(&self) -> String {
        format!("Basic {}", STANDARD.encode(format!("{}:{}", self.username, self.password)))
    }
}

/// The parts of Docker's `config.json` that matter here.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// The default location: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
pub fn default_docker_config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir).join("config.json"));
    }
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".docker").join("config.json"))
}

/// The host names under which Docker stores Docker Hub credentials.
const DOCKER_HUB_KEYS: [&str; 3] = ["index.docker.io", "docker.io", "registry-1.docker.io"];

/// `https://index.docker.io/v1/` → `index.docker.io`; `ghcr.io` → `ghcr.io`.
fn normalize_key(key: &str) -> String {
    let key = key.split_once("://").map_or(key, |(_, rest)| rest);
    key.split('/').next().unwrap_or(key).to_ascii_lowercase()
}

fn same_registry(key: &str, host: &str) -> bool {
    let key = normalize_key(key);
    let host = host.to_ascii_lowercase();
    key == host || (DOCKER_HUB_KEYS.contains(&key.as_str()) && DOCKER_HUB_KEYS.contains(&host.as_str()))
}

impl DockerConfig {
    /// Reads a config file. A missing file is an empty config; an unreadable or invalid one is an error.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(format!("{}: {err}", path.display())),
        }
    }

    /// Credentials stored inline in `auths` for a registry host.
    pub fn inline_credentials(&self, host: &str) -> Option<Credentials> {
        let entry = self.auths.iter().find(|(key, _)| same_registry(key, host)).map(|(_, entry)| entry)?;
        if let Some(auth) = entry.auth.as_deref().filter(|auth| !auth.is_empty()) {
            let decoded = STANDARD.decode(auth.trim()).ok()?;
            let decoded = String::from_utf8(decoded).ok()?;
            let (username, password) = decoded.split_once(':')?;
            return Some(Credentials { username: username.to_owned(), password: password.to_owned() });
        }
        match (&entry.username, &entry.password) {
            (Some(username), Some(password)) => {
                Some(Credentials { username: username.clone(), password: password.clone() })
            }
            _ => None,
        }
    }

    /// The credential helper configured for a host (`credHelpers`, else `credsStore`).
    pub fn helper_for(&self, host: &str) -> Option<&str> {
        self.cred_helpers
            .iter()
            .find(|(key, _)| same_registry(key, host))
            .map(|(_, helper)| helper.as_str())
            .or(self.creds_store.as_deref())
            .filter(|helper| !helper.is_empty())
    }
}

#[derive(Deserialize)]
struct HelperOutput {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// Runs `docker-credential-<helper> get` for a host, with a time limit. `None` when the helper is missing,
/// fails, or has nothing for the host.
pub fn run_helper(helper: &str, host: &str, timeout: Duration) -> Option<Credentials> {
    if !helper.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
        return None;
    }
    let server = if DOCKER_HUB_KEYS.contains(&host) { "https://index.docker.io/v1/" } else { host };
    let mut command = Command::new(format!("docker-credential-{helper}"));
    command.arg("get");
    run_helper_command(command, server, timeout)
}

/// The credential helper protocol: the server on stdin, `{"Username": ..., "Secret": ...}` on stdout.
fn run_helper_command(mut command: Command, server: &str, timeout: Duration) -> Option<Credentials> {
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
    // A helper that exits without reading makes this fail; its exit status decides below.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(server.as_bytes());
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if started.elapsed() < timeout => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.take(64 * 1024).read_to_string(&mut out).ok()?;
    let parsed: HelperOutput = serde_json::from_str(&out).ok()?;
    Some(Credentials { username: parsed.username, password: parsed.secret })
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    Bearer { realm: String, service: Option<String>, scope: Option<String> },
    Basic,
}

/// Parses `Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, params) = header.split_once(char::is_whitespace).unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let params = parse_params(params);
    let get = |name: &str| params.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    Some(Challenge::Bearer { realm: get("realm")?, service: get("service"), scope: get("scope") })
}

/// `key="quoted, value",key2=token` → pairs. Quoted values may contain commas and `\"`.
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut res = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if key.trim().is_empty() || chars.next() != Some('=') {
            return res;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    _ => value.push(c),
                }
            }
        } else {
            value.extend(std::iter::from_fn(|| chars.next_if(|c| *c != ',')));
        }
        res.push((key.trim().to_owned(), value.trim().to_owned()));
    }
}

/// The token endpoint's answer (`token`, or OAuth's `access_token`).
#[derive(Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
}

impl TokenResponse {
    pub fn into_token(self) -> Option<String> {
        self.token.filter(|t| !t.is_empty()).or(self.access_token.filter(|t| !t.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_challenges() {
        let header = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#;
        assert_eq!(
            parse_challenge(header),
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/python:pull".into()),
            })
        );
        let header = r#"bearer realm="https://ghcr.io/token", scope="repository:a/b:pull,push",service=ghcr.io"#;
        let Some(Challenge::Bearer { scope, service, .. }) = parse_challenge(header) else { panic!() };
        assert_eq!((scope.as_deref(), service.as_deref()), (Some("repository:a/b:pull,push"), Some("ghcr.io")));
        assert_eq!(parse_challenge(r#"Basic realm="Registry Realm""#), Some(Challenge::Basic));
        assert_eq!(parse_challenge("Bearer service=x"), None);
        assert_eq!(parse_challenge("Negotiate"), None);
        assert_eq!(parse_challenge(""), None);
        assert_eq!(
            parse_challenge(r#"Bearer realm="unterminated"#),
            Some(Challenge::Bearer { realm: "unterminated".into(), service: None, scope: None })
        );
    }

    #[test]
    fn reads_docker_config_auths() {
        let config: DockerConfig = serde_json::from_str(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
                "ghcr.io": {"username": "octo", "password": "tok"},
                "quay.io": {"auth": "!!!"},
                "empty.io": {}
            }, "credHelpers": {"gcr.io": "gcloud"}, "credsStore": "desktop"}"#,
        )
        .unwrap();
        let hub = config.inline_credentials("registry-1.docker.io").unwrap();
        assert_eq!((hub.username.as_str(), hub.password.as_str()), ("user", "pa:ss"));
        assert_eq!(hub.basic_header(), "Basic dXNlcjpwYTpzcw==");
        assert_eq!(config.inline_credentials("GHCR.io").unwrap().username, "octo");
        assert_eq!(config.inline_credentials("quay.io"), None);
        assert_eq!(config.inline_credentials("empty.io"), None);
        assert_eq!(config.inline_credentials("other.io"), None);
        assert_eq!(config.helper_for("gcr.io"), Some("gcloud"));
        assert_eq!(config.helper_for("other.io"), Some("desktop"));
        assert!(!format!("{hub:?}").contains("pa:ss"));
    }

    #[test]
    fn helper_protocol_and_time_limit() {
        let mut echo = Command::new("sh");
        echo.args(["-c", r#"read -r host; printf '{"Username":"u","Secret":"s-%s"}' "$host""#]);
        let credentials = run_helper_command(echo, "ghcr.io", Duration::from_secs(5)).unwrap();
        assert_eq!((credentials.username.as_str(), credentials.password.as_str()), ("u", "s-ghcr.io"));
        let mut fails = Command::new("sh");
        fails.args(["-c", "echo credentials not found; exit 1"]);
        assert_eq!(run_helper_command(fails, "ghcr.io", Duration::from_secs(5)), None);
        let mut hangs = Command::new("sleep");
        hangs.arg("10");
        let started = Instant::now();
        assert_eq!(run_helper_command(hangs, "ghcr.io", Duration::from_millis(200)), None);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn missing_helper_gives_nothing() {
        assert_eq!(run_helper("bulkhead-test-no-such-helper", "ghcr.io", Duration::from_secs(1)), None);
        assert_eq!(run_helper("../../bin/sh", "ghcr.io", Duration::from_secs(1)), None);
    }
}
