//! A small OCI distribution v2 client: the facts about base images that bulkhead's opt-in registry
//! features need ("pin tag", "pin digest", the base image's user, healthcheck and exposed ports).
//!
//! ```no_run
//! use bulkhead_analysis::image::ImageRef;
//! use bulkhead_registry::{Client, Options};
//!
//! let client = Client::new(Options::default())?;
//! let image = ImageRef::parse("python:3-slim").unwrap();
//! let facts = client.resolve(&image)?; // digest, user, healthcheck, exposed ports, created
//! println!("{}", facts.pinned(&image)); // python:3-slim@sha256:...
//! let tags = client.pin_tag_candidates(&image)?; // ["3.13.1-slim", "3.12.8-slim", ...]
//! # Ok::<(), bulkhead_registry::Error>(())
//! ```
//!
//! # Design
//! - **Blocking HTTP with [ureq] 3.** The engine is synchronous and pure; the drivers run look-ups on
//!   a blocking thread (`tokio::task::spawn_blocking` in the server), so an async stack would add a
//!   runtime dependency for nothing. ureq is maintained, widely used, small (no hyper/tokio), uses
//!   rustls (ring + Mozilla roots, no OpenSSL) and has explicit global and connect timeouts. Its
//!   default of reading proxy settings from the environment is switched off: a proxy is used only
//!   when [`Options::proxy`] names one. Redirects are followed by hand so each hop is checked against
//!   the transport policy, and credentials never follow a redirect to another origin.
//! - **Transport policy.** Registries on `localhost`, 127.0.0.0/8 and `::1` are reached over plain
//!   HTTP, as Docker does; any other only over HTTPS (the HTTPS agent refuses downgrades), unless
//!   listed in [`Options::insecure_registries`] (`host` or `host:port`), which then uses plain HTTP.
//!   Token realms and pagination links obey the same policy. `docker.io` is served by
//!   `registry-1.docker.io`; single-name Hub images get the `library/` prefix ([`ImageRef`] does it).
//! - **Auth.** Anonymous first; a `401` challenge is answered once: `Bearer realm=...,service=...,
//!   scope=...` fetches a token (with basic credentials when the docker config has some for the
//!   registry) and retries; `Basic` retries with those credentials. Credentials come from
//!   `auths` in `~/.docker/config.json` (`$DOCKER_CONFIG`; the path is [`Options::docker_config`]),
//!   as base64 `auth` or `username`/`password`. Credential helpers (`credsStore`, `credHelpers`) run a
//!   program, so they are used only when [`Options::credential_helpers`] is true.
//!   Credentials go only over HTTPS or to loopback: a registry listed as insecure is asked anonymously.
//!   OAuth refresh tokens (`identitytoken`) are not supported.
//! - **Integrity and limits.** Blobs and manifests fetched by digest are verified (sha256/sha512); a
//!   tag's digest is the registry's `Docker-Content-Digest` once the body matches it, else the sha256
//!   of the body. Every body is capped ([`Options::max_body_bytes`]); tag pagination is bounded.
//! - **Cache.** Answers are kept on disk under the user's cache dir (`bulkhead/registry`), one JSON
//!   file per registry/repository/reference, written atomically, for [`Options::cache_ttl`]; facts
//!   looked up by digest never expire. A corrupt entry is a miss. [`Client::cached`] (fresh) and
//!   [`Client::cached_stale`] (any age) read only the cache, for paths that must not touch the network.
//! - **Errors.** Every failure is an [`Error`] with an [`ErrorKind`] and a one-line message naming the
//!   registry: offline, DNS, refused, timeout, TLS, 401/403/404, 429 with `Retry-After`, malformed or
//!   oversized responses, digest mismatches. Nothing panics on server input.
//!
//! [`ImageRef`]: bulkhead_analysis::image::ImageRef

mod auth;
mod cache;
mod client;
mod error;
mod manifest;
mod pin;
mod transport;

use std::path::PathBuf;
use std::time::Duration;

use bulkhead_analysis::image::ImageRef;
use bulkhead_analysis::{BaseImageFacts, RegistrySettings};
use serde::{Deserialize, Serialize};

pub use auth::default_docker_config_path;
pub use cache::default_cache_dir;
pub use client::Client;
pub use error::{Error, ErrorKind};
pub use manifest::{Healthcheck, Platform};
pub use pin::pin_tag_candidates;
pub use transport::{DOCKER_HUB_API, is_loopback};

/// How the client behaves. [`Options::default`] is what the drivers should start from.
#[derive(Clone, Debug)]
pub struct Options {
    /// The platform whose manifest is chosen from an index. Default: Linux on the host's architecture
    /// (`linux/amd64` on x86-64, `linux/arm64` on ARM64), as `docker build` does.
    pub platform: Platform,
    /// Limit for one whole request, body included. Default 15 s.
    pub timeout: Duration,
    /// Limit for establishing a connection (DNS, TCP, TLS). Default 5 s.
    pub connect_timeout: Duration,
    /// Registries (`host` or `host:port`) reached over plain HTTP although not on loopback.
    pub insecure_registries: Vec<String>,
    /// Docker's `config.json` for credentials; `None` for anonymous access only.
    /// Default: [`default_docker_config_path`].
    pub docker_config: Option<PathBuf>,
    /// Run `docker-credential-*` helpers named in the docker config. Default false: they run programs.
    pub credential_helpers: bool,
    /// Disk cache directory; `None` disables the cache. Default: [`default_cache_dir`].
    pub cache_dir: Option<PathBuf>,
    /// How long cached tags, digests and facts stay fresh. Default 12 h.
    pub cache_ttl: Duration,
    /// Answer from the cache only; a miss is [`ErrorKind::NotCached`].
    pub offline: bool,
    /// An HTTP(S) or SOCKS proxy URL. Default none; proxy environment variables are ignored.
    pub proxy: Option<String>,
    /// Largest response body accepted. Default 4 MiB (the manifest size limit registries use).
    pub max_body_bytes: u64,
    /// Tags requested per page (`?n=`). Default 1000.
    pub tags_page_size: usize,
    /// Tags kept at most. Default 100,000.
    pub max_tags: usize,
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            platform: Platform::default(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            insecure_registries: Vec::new(),
            docker_config: default_docker_config_path(),
            credential_helpers: false,
            cache_dir: default_cache_dir(),
            cache_ttl: Duration::from_secs(12 * 3600),
            offline: false,
            proxy: None,
            max_body_bytes: 4 * 1024 * 1024,
            tags_page_size: 1000,
            max_tags: 100_000,
            user_agent: concat!("bulkhead/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl Options {
    /// The defaults with what the user configured under `[registry]` (cache TTL, insecure registries,
    /// credential helpers). Whether look-ups happen at all (`enabled`) is the caller's decision.
    pub fn from_settings(settings: &RegistrySettings) -> Self {
        Self {
            cache_ttl: settings.cache_ttl,
            insecure_registries: settings.insecure_registries.clone(),
            credential_helpers: settings.credential_helpers,
            ..Self::default()
        }
    }
}

/// What the registry says about an image for one platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFacts {
    /// The API host (`registry-1.docker.io` for Docker Hub).
    pub registry: String,
    /// The repository (`library/python`).
    pub repository: String,
    /// The tag or digest that was resolved.
    pub reference: String,
    /// The digest the reference points to: the index digest for a multi-platform image. This is what
    /// "pin digest" writes (`python:3-slim@sha256:...`).
    pub digest: String,
    /// The digest of the platform's own manifest (equal to `digest` for a single-platform image).
    pub platform_digest: String,
    /// The platform the config declares.
    pub platform: Option<Platform>,
    /// `USER` of the image (`None`: root by default).
    pub user: Option<String>,
    pub healthcheck: Option<Healthcheck>,
    /// `EXPOSE`d ports as `8080/tcp`, sorted.
    pub exposed_ports: Vec<String>,
    /// Creation time as the config records it (RFC 3339).
    pub created: Option<String>,
}

impl ImageFacts {
    /// The reference as written, with its digest (re)placed by this one: `python:3-slim@sha256:...`.
    pub fn pinned(&self, image: &ImageRef) -> String {
        let name = image.raw.split('@').next().unwrap_or(&image.raw);
        format!("{name}@{}", self.digest)
    }

    /// True when the image runs as a user other than root (`USER` set to anything but `root`/`0`).
    pub fn runs_as_non_root(&self) -> bool {
        self.user.as_deref().is_some_and(bulkhead_analysis::context::user_is_non_root)
    }

    /// True when the image defines a healthcheck that is not `NONE`.
    pub fn has_healthcheck(&self) -> bool {
        self.healthcheck.as_ref().is_some_and(|hc| !hc.is_disabled())
    }

    /// These facts as the engine takes them, with the "pin tag" candidates (newest first) and those of
    /// them that point to this very image.
    pub fn to_engine(&self, tag_candidates: Vec<String>, same_image_tags: Vec<String>) -> BaseImageFacts {
        BaseImageFacts {
            digest: Some(self.digest.clone()),
            user: self.user.clone(),
            healthcheck: self.healthcheck.as_ref().map(|hc| hc.test.clone()),
            exposed_ports: self.exposed_ports.clone(),
            created: self.created.clone(),
            tag_candidates,
            same_image_tags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_helpers() {
        let mut facts = ImageFacts {
            registry: DOCKER_HUB_API.into(),
            repository: "library/python".into(),
            reference: "3-slim".into(),
            digest: "sha256:abc".into(),
            platform_digest: "sha256:def".into(),
            platform: None,
            user: None,
            healthcheck: None,
            exposed_ports: vec![],
            created: None,
        };
        let image = ImageRef::parse("python:3-slim@sha256:old").unwrap();
        assert_eq!(facts.pinned(&image), "python:3-slim@sha256:abc");
        assert!(!facts.runs_as_non_root() && !facts.has_healthcheck());
        facts.user = Some("65532:65532".into());
        facts.healthcheck = Some(Healthcheck {
            test: vec!["CMD".into(), "/probe".into()],
            interval_ns: None,
            timeout_ns: None,
            start_period_ns: None,
            retries: None,
        });
        assert!(facts.runs_as_non_root() && facts.has_healthcheck());
        let engine = facts.to_engine(vec!["3.13.1-slim".into(), "3.12.8-slim".into()], vec!["3.13.1-slim".into()]);
        assert_eq!(engine.digest.as_deref(), Some("sha256:abc"));
        assert_eq!(engine.healthcheck, Some(vec!["CMD".into(), "/probe".into()]));
        assert!(engine.runs_as_non_root() && engine.has_healthcheck());
        assert_eq!((engine.tag_candidates.len(), engine.same_image_tags.len()), (2, 1));
    }

    #[test]
    fn options_from_settings() {
        let settings = RegistrySettings {
            enabled: true,
            cache_ttl: Duration::from_secs(60),
            insecure_registries: vec!["reg.lan:5000".into()],
            credential_helpers: true,
        };
        let options = Options::from_settings(&settings);
        assert_eq!(options.cache_ttl, Duration::from_secs(60));
        assert_eq!(options.insecure_registries, ["reg.lan:5000"]);
        assert!(options.credential_helpers);
        assert_eq!(options.timeout, Options::default().timeout);
    }
}
