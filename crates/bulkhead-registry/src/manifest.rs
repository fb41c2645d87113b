//! Manifests, indexes, platforms and the image config: parsing, platform choice and digests.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256, Sha512};

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// The `Accept` header for manifest requests: indexes and single-platform manifests, OCI and Docker.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
    application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, \
    application/vnd.docker.distribution.manifest.v2+json";

/// An OS/architecture(/variant) pair such as `linux/amd64` or `linux/arm64/v8`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Default for Platform {
    /// What `docker build` targets on this machine unless told otherwise: Linux on the host's architecture
    /// (Docker Desktop on macOS and Windows runs Linux images of the machine's architecture too).
    fn default() -> Self {
        Self::new("linux", host_architecture(), None)
    }
}

/// The host's CPU architecture in OCI's words (`GOARCH` names); [`Platform::new`] renames `x86_64` and
/// `aarch64` itself.
fn host_architecture() -> &'static str {
    match std::env::consts::ARCH {
        "x86" => "386",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        "loongarch64" => "loong64",
        other => other,
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = String;

    /// Parses `os/arch[/variant]` (`linux/amd64`, `linux/arm64/v8`); `x86_64` and `aarch64` are normalized.
    fn from_str(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.trim().split('/').collect();
        let valid = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        match parts.as_slice() {
            [os, arch] if valid(os) && valid(arch) => Ok(Self::new(os, arch, None)),
            [os, arch, variant] if valid(os) && valid(arch) && valid(variant) => Ok(Self::new(os, arch, Some(variant))),
            _ => Err(format!("invalid platform `{text}` (expected os/arch[/variant], e.g. linux/amd64)")),
        }
    }
}

impl Platform {
    pub fn new(os: &str, architecture: &str, variant: Option<&str>) -> Self {
        let architecture = match architecture.to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" => "amd64".to_owned(),
            "aarch64" => "arm64".to_owned(),
            other => other.to_owned(),
        };
        Self { os: os.to_ascii_lowercase(), architecture, variant: variant.map(str::to_ascii_lowercase) }
    }

    /// How well an index entry's platform serves this one: `None` when it does not, else a score (higher
    /// is better). A requested variant must match; without one, the default variant (none, or `v8` on
    /// arm64) is preferred over others.
    fn score(&self, other: &Platform) -> Option<u8> {
        if self.os != other.os || self.architecture != other.architecture {
            return None;
        }
        let default_variant = |p: &Platform| match (p.architecture.as_str(), p.variant.as_deref()) {
            ("arm64", Some("v8")) => None,
            (_, variant) => variant.map(str::to_owned),
        };
        match (default_variant(self), default_variant(other)) {
            (Some(want), Some(have)) => (want == have).then_some(2),
            (Some(_), None) => None,
            (None, None) => Some(2),
            (None, Some(_)) => Some(1),
        }
    }
}

/// A content descriptor in an index or manifest.
#[derive(Clone, Debug, Deserialize)]
pub struct Descriptor {
    pub digest: String,
    #[serde(default)]
    pub platform: Option<Platform>,
}

/// A manifest list / OCI index, or a single-platform manifest.
#[derive(Clone, Debug)]
pub enum Manifest {
    Index(Vec<Descriptor>),
    Image { config: Descriptor },
}

#[derive(Deserialize)]
struct RawManifest {
    #[serde(default, rename = "schemaVersion")]
    schema_version: Option<u32>,
    #[serde(default, rename = "mediaType")]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
}

impl Manifest {
    /// Parses a manifest body, using the response's `Content-Type` when it names a known type.
    pub fn parse(body: &[u8], content_type: Option<&str>) -> Result<Self, String> {
        let raw: RawManifest =
            serde_json::from_slice(body).map_err(|err| format!("manifest is not valid JSON: {err}"))?;
        if raw.schema_version == Some(1) {
            return Err("schema 1 manifests are not supported".into());
        }
        let content_type = content_type.map(|ct| ct.split(';').next().unwrap_or(ct).trim());
        let media_type = content_type.filter(|ct| is_manifest_type(ct)).or(raw.media_type.as_deref());
        let is_index = match media_type {
            Some(OCI_INDEX | DOCKER_LIST) => true,
            Some(OCI_MANIFEST | DOCKER_MANIFEST) => false,
            _ => raw.manifests.is_some(),
        };
        if is_index {
            raw.manifests.map(Manifest::Index).ok_or_else(|| "index without `manifests`".into())
        } else {
            raw.config.map(|config| Manifest::Image { config }).ok_or_else(|| "manifest without `config`".into())
        }
    }

    /// The best entry of an index for a platform.
    pub fn select<'a>(entries: &'a [Descriptor], platform: &Platform) -> Option<&'a Descriptor> {
        entries
            .iter()
            .filter_map(|entry| {
                let entry_platform = entry.platform.as_ref()?;
                let normalized =
                    Platform::new(&entry_platform.os, &entry_platform.architecture, entry_platform.variant.as_deref());
                platform.score(&normalized).map(|score| (score, entry))
            })
            // First best entry wins, as Docker does.
            .fold(None::<(u8, &Descriptor)>, |best, (score, entry)| match best {
                Some((best_score, _)) if best_score >= score => best,
                _ => Some((score, entry)),
            })
            .map(|(_, entry)| entry)
    }
}

fn is_manifest_type(content_type: &str) -> bool {
    matches!(content_type, OCI_INDEX | DOCKER_LIST | OCI_MANIFEST | DOCKER_MANIFEST)
}

/// `sha256:<64 hex>` (or sha512) for content, computed.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// True for a well-formed `algorithm:hex` digest that this client can verify.
pub fn is_valid_digest(digest: &str) -> bool {
    let Some((algo, hex)) = digest.split_once(':') else { return false };
    let len = match algo {
        "sha256" => 64,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// True when `bytes` hash to `digest`.
pub fn verify_digest(bytes: &[u8], digest: &str) -> bool {
    match digest.split_once(':') {
        Some(("sha256", expected)) => hex(&Sha256::digest(bytes)) == expected,
        Some(("sha512", expected)) => hex(&Sha512::digest(bytes)) == expected,
        _ => false,
    }
}

/// The image's `HEALTHCHECK` as recorded in its config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    /// `["CMD-SHELL", "curl -f http://localhost/"]`, `["CMD", ...]`, or `["NONE"]` (disabled).
    pub test: Vec<String>,
    /// Nanoseconds, as stored; `None` when unset (Docker's default applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period_ns: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u64>,
}

impl Healthcheck {
    /// True for `HEALTHCHECK NONE` (a healthcheck inherited from a parent image, switched off).
    pub fn is_disabled(&self) -> bool {
        bulkhead_analysis::context::healthcheck_is_disabled(&self.test)
    }
}

/// The facts read from an image config blob.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigFacts {
    pub user: Option<String>,
    pub healthcheck: Option<Healthcheck>,
    pub exposed_ports: Vec<String>,
    pub created: Option<String>,
    pub platform: Option<Platform>,
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    config: Option<RawContainerConfig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawContainerConfig {
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    exposed_ports: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    healthcheck: Option<RawHealthcheck>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawHealthcheck {
    #[serde(default)]
    test: Option<Vec<String>>,
    #[serde(default)]
    interval: Option<u64>,
    #[serde(default)]
    timeout: Option<u64>,
    #[serde(default)]
    start_period: Option<u64>,
    #[serde(default)]
    retries: Option<u64>,
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}

/// Reads User, Healthcheck, ExposedPorts, created and the platform from a config blob.
pub fn parse_config(body: &[u8]) -> Result<ConfigFacts, String> {
    let raw: RawConfig =
        serde_json::from_slice(body).map_err(|err| format!("image config is not valid JSON: {err}"))?;
    let platform = match (&raw.os, &raw.architecture) {
        (Some(os), Some(arch)) => Some(Platform::new(os, arch, raw.variant.as_deref())),
        _ => None,
    };
    let config = raw.config;
    let (user, exposed_ports, healthcheck) = match config {
        Some(config) => (
            config.user.filter(|user| !user.is_empty()),
            config.exposed_ports.map(|ports| sorted(ports.keys().cloned().collect())).unwrap_or_default(),
            config.healthcheck.and_then(|hc| {
                Some(Healthcheck {
                    test: hc.test.filter(|test| !test.is_empty())?,
                    interval_ns: hc.interval.filter(|v| *v > 0),
                    timeout_ns: hc.timeout.filter(|v| *v > 0),
                    start_period_ns: hc.start_period.filter(|v| *v > 0),
                    retries: hc.retries.filter(|v| *v > 0),
                })
            }),
        ),
        None => (None, Vec::new(), None),
    };
    Ok(ConfigFacts { user, healthcheck, exposed_ports, created: raw.created, platform })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        let amd64 = Platform { os: "linux".into(), architecture: "amd64".into(), variant: None };
        assert_eq!("linux/amd64".parse::<Platform>().unwrap(), amd64);
        // The default follows the machine.
        #[cfg(target_arch = "x86_64")]
        assert_eq!(Platform::default(), amd64);
        #[cfg(target_arch = "aarch64")]
        assert_eq!(Platform::default().to_string(), "linux/arm64");
        let arm: Platform = "linux/aarch64/V8".parse().unwrap();
        assert_eq!(arm.to_string(), "linux/arm64/v8");
        assert!("linux".parse::<Platform>().is_err());
        assert!("linux/amd64/v1/x".parse::<Platform>().is_err());
        assert!("linux/../x".parse::<Platform>().is_err());
    }

    fn entry(digest: &str, platform: &str) -> Descriptor {
        Descriptor { digest: digest.into(), platform: platform.parse().ok() }
    }

    #[test]
    fn selects_platform_entries() {
        let entries = vec![
            entry("unknown", "unknown/unknown"),
            entry("armv7", "linux/arm/v7"),
            entry("armv6", "linux/arm/v6"),
            entry("arm64", "linux/arm64/v8"),
            entry("amd64", "linux/amd64"),
            entry("win", "windows/amd64"),
        ];
        let pick = |p: &str| Manifest::select(&entries, &p.parse().unwrap()).map(|d| d.digest.clone());
        assert_eq!(pick("linux/amd64").as_deref(), Some("amd64"));
        assert_eq!(pick("linux/arm64").as_deref(), Some("arm64"));
        assert_eq!(pick("linux/arm64/v8").as_deref(), Some("arm64"));
        assert_eq!(pick("linux/arm/v6").as_deref(), Some("armv6"));
        assert_eq!(pick("linux/arm").as_deref(), Some("armv7"));
        assert_eq!(pick("windows/amd64").as_deref(), Some("win"));
        assert_eq!(pick("linux/s390x"), None);
    }

    #[test]
    fn parses_manifests() {
        let index = br#"{"schemaVersion":2,"manifests":[{"digest":"sha256:a","platform":{"os":"linux","architecture":"amd64"}}]}"#;
        assert!(matches!(Manifest::parse(index, None), Ok(Manifest::Index(entries)) if entries.len() == 1));
        let image = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
            "config":{"digest":"sha256:c","size":3},"layers":[]}"#;
        assert!(
            matches!(Manifest::parse(image, Some("text/plain")), Ok(Manifest::Image { config }) if config.digest == "sha256:c")
        );
        assert!(Manifest::parse(br#"{"schemaVersion":1}"#, None).unwrap_err().contains("schema 1"));
        assert!(Manifest::parse(b"<html>", None).is_err());
        assert!(Manifest::parse(br#"{"schemaVersion":2}"#, Some(OCI_INDEX)).is_err());
    }

    #[test]
    fn digests() {
        let digest = sha256_digest(b"hello");
        assert_eq!(digest, "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert!(is_valid_digest(&digest) && verify_digest(b"hello", &digest) && !verify_digest(b"hellO", &digest));
        assert!(!is_valid_digest("sha256:ABC") && !is_valid_digest("md5:00") && !is_valid_digest("latest"));
        assert!(!verify_digest(b"hello", "sha256:../../etc"));
    }

    #[test]
    fn reads_config_facts() {
        let body = br#"{"created":"2024-12-03T20:00:00Z","os":"linux","architecture":"amd64","config":{
            "User":"1000:1000","ExposedPorts":{"8080/tcp":{},"53/udp":{}},
            "Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost:8080/"],"Interval":30000000000,"Retries":3}}}"#;
        let facts = parse_config(body).unwrap();
        assert_eq!(facts.user.as_deref(), Some("1000:1000"));
        assert_eq!(facts.exposed_ports, ["53/udp", "8080/tcp"]);
        let hc = facts.healthcheck.unwrap();
        assert_eq!((hc.interval_ns, hc.retries, hc.timeout_ns), (Some(30_000_000_000), Some(3), None));
        assert!(!hc.is_disabled());
        assert_eq!(facts.created.as_deref(), Some("2024-12-03T20:00:00Z"));
        assert_eq!(facts.platform, Some("linux/amd64".parse().unwrap()));
        let bare = parse_config(br#"{"config":{"User":"","Healthcheck":{"Test":["NONE"]}}}"#).unwrap();
        assert_eq!(bare.user, None);
        assert!(bare.healthcheck.unwrap().is_disabled());
        assert_eq!(parse_config(b"{}").unwrap(), ConfigFacts::default());
        assert!(parse_config(b"[1,2]").is_err());
    }
}
