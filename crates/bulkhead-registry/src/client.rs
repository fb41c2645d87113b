//! The client: requests with the auth flow and transport policy, and the operations built on them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use bulkhead_analysis::image::ImageRef;
use bulkhead_analysis::{BaseImageFacts, MAX_PIN_TAG_CANDIDATES};
use serde::Deserialize;
use ureq::http::HeaderMap;

use crate::auth::{self, Challenge, Credentials, DockerConfig, TokenResponse};
use crate::cache::Cache;
use crate::error::{self, Error, ErrorKind};
use crate::manifest::{self, Manifest};
use crate::transport;
use crate::{ImageFacts, Options};

/// Redirects followed by hand (each checked against the transport policy).
const MAX_REDIRECTS: usize = 5;
/// Pages of a tags list followed at most.
const MAX_TAG_PAGES: usize = 200;

/// An OCI distribution v2 client. Blocking: run it on a blocking thread. `Send + Sync`: share it in an
/// `Arc` so tokens and connections are reused.
pub struct Client {
    options: Options,
    https: ureq::Agent,
    plain: ureq::Agent,
    docker_config: Option<DockerConfig>,
    docker_config_error: Option<String>,
    cache: Option<Cache>,
    /// `Authorization` values that worked, per (registry, scope); scope `*` for basic auth.
    auth: Mutex<HashMap<(String, String), String>>,
}

/// Where one repository lives.
struct Target {
    authority: String,
    scheme: &'static str,
    repo: String,
}

impl Target {
    fn url(&self, rest: &str) -> String {
        format!("{}://{}/v2/{}/{rest}", self.scheme, self.authority, self.repo)
    }

    fn key(&self, kind: &str, reference: &str) -> String {
        format!("{kind}\n{}/{}\n{reference}", self.authority, self.repo)
    }
}

struct Response {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn agent(options: &Options, https_only: bool) -> Result<ureq::Agent, Error> {
    let proxy = match &options.proxy {
        Some(url) => {
            Some(ureq::Proxy::new(url).map_err(|err| Error::new(ErrorKind::Io, "-", format!("proxy `{url}`: {err}")))?)
        }
        None => None,
    };
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .https_only(https_only)
        .proxy(proxy)
        .max_redirects(0)
        .redirect_auth_headers(ureq::config::RedirectAuthHeaders::Never)
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.connect_timeout))
        .user_agent(options.user_agent.as_str())
        .build();
    Ok(ureq::Agent::new_with_config(config))
}

fn valid_repo(repo: &str) -> bool {
    !repo.is_empty()
        && repo.split('/').all(|part| {
            !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        })
}

fn valid_tag(tag: &str) -> bool {
    (1..=128).contains(&tag.len())
        && !tag.starts_with(['.', '-'])
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

fn valid_authority(authority: &str) -> bool {
    !authority.is_empty() && authority.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `rel="next"` target of a `Link` header.
fn next_link(header: &str) -> Option<&str> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let is_next = params.split(';').any(|param| {
            let param = param.trim().replace(' ', "");
            param.eq_ignore_ascii_case("rel=\"next\"") || param.eq_ignore_ascii_case("rel=next")
        });
        is_next.then(|| target.trim().trim_start_matches('<').trim_end_matches('>'))
    })
}

fn retry_after(value: Option<&str>) -> Option<Duration> {
    let value = value?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[derive(Deserialize)]
struct TagList {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

impl Client {
    /// A client with these options. Fails only for an invalid proxy URL.
    pub fn new(options: Options) -> Result<Self, Error> {
        let (docker_config, docker_config_error) = match &options.docker_config {
            Some(path) => match DockerConfig::load(path) {
                Ok(config) => (Some(config), None),
                Err(err) => (None, Some(err)),
            },
            None => (None, None),
        };
        let cache = options.cache_dir.clone().map(|dir| Cache::new(dir, options.cache_ttl));
        Ok(Self {
            https: agent(&options, true)?,
            plain: agent(&options, false)?,
            options,
            docker_config,
            docker_config_error,
            cache,
            auth: Mutex::new(HashMap::new()),
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    fn target(&self, image: &ImageRef) -> Result<Target, Error> {
        let authority = transport::api_host(image);
        let invalid =
            |what: &str| Error::new(ErrorKind::InvalidReference, &authority, format!("{what} in `{}`", image.raw));
        if !valid_authority(&authority) {
            return Err(invalid("invalid registry host"));
        }
        if !valid_repo(&image.path) {
            return Err(invalid("invalid repository name"));
        }
        if let Some(digest) = &image.digest
            && !manifest::is_valid_digest(digest)
        {
            return Err(invalid("unsupported or invalid digest"));
        }
        if let Some(tag) = &image.tag
            && !valid_tag(tag)
        {
            return Err(invalid("invalid tag"));
        }
        let scheme = transport::scheme_for(&authority, &self.options.insecure_registries);
        Ok(Target { authority, scheme, repo: image.path.clone() })
    }

    /// What a reference resolves through: the digest when pinned, else the tag (`latest` by default).
    fn reference(image: &ImageRef) -> &str {
        image.digest.as_deref().or(image.tag.as_deref()).unwrap_or("latest")
    }

    fn cache_get<T: serde::de::DeserializeOwned>(&self, key: &str, immutable: bool) -> Option<T> {
        self.cache.as_ref()?.get(key, immutable)
    }

    fn cache_put<T: serde::Serialize>(&self, key: &str, value: &T) {
        if let Some(cache) = &self.cache {
            cache.put(key, value);
        }
    }

    fn online(&self, target: &Target, what: &str) -> Result<(), Error> {
        if self.options.offline { Err(Error::new(ErrorKind::NotCached, &target.authority, what)) } else { Ok(()) }
    }

    fn credentials(&self, authority: &str) -> Option<Credentials> {
        let config = self.docker_config.as_ref()?;
        config.inline_credentials(authority).or_else(|| {
            let helper = config.helper_for(authority).filter(|_| self.options.credential_helpers)?;
            auth::run_helper(helper, authority, self.options.timeout)
        })
    }

    fn remembered_auth(&self, authority: &str, scope: &str) -> Option<String> {
        let map = self.auth.lock().ok()?;
        map.get(&(authority.to_owned(), scope.to_owned()))
            .or_else(|| map.get(&(authority.to_owned(), "*".to_owned())))
            .cloned()
    }

    fn remember_auth(&self, authority: &str, scope: &str, value: &str) {
        if let Ok(mut map) = self.auth.lock() {
            map.insert((authority.to_owned(), scope.to_owned()), value.to_owned());
        }
    }

    /// One request, following redirects by hand under the transport policy. Any status is returned.
    fn send(
        &self,
        url: &str,
        accept: &str,
        auth: Option<&str>,
        head: bool,
        registry: &str,
        what: &str,
    ) -> Result<Response, Error> {
        let mut url = url.to_owned();
        let mut auth = auth.map(str::to_owned);
        for _ in 0..=MAX_REDIRECTS {
            if !transport::url_allowed(&url, &self.options.insecure_registries) {
                let origin = transport::url_origin(&url).map_or(url.as_str(), |(_, authority)| authority);
                return Err(Error::new(ErrorKind::Insecure, registry, format!("{what}: {origin}")));
            }
            let https = url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
            let agent = if https { &self.https } else { &self.plain };
            let mut request = if head { agent.head(&url) } else { agent.get(&url) };
            request = request.header("Accept", accept);
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            let mut response = request.call().map_err(|err| error::from_ureq(err, registry, what))?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308)
                && let Some(location) = response.headers().get("location").and_then(|v| v.to_str().ok())
            {
                let next = if location.starts_with('/') {
                    let (scheme, authority) = transport::url_origin(&url).unwrap_or(("https", registry));
                    format!("{scheme}://{authority}{location}")
                } else {
                    location.to_owned()
                };
                // Credentials never follow a redirect to another origin (blob storage, CDNs).
                if transport::url_origin(&next) != transport::url_origin(&url) {
                    auth = None;
                }
                url = next;
                continue;
            }
            let body = if head {
                Vec::new()
            } else {
                response
                    .body_mut()
                    .with_config()
                    .limit(self.options.max_body_bytes)
                    .read_to_vec()
                    .map_err(|err| error::from_ureq(err, registry, what))?
            };
            return Ok(Response { status, headers: response.headers().clone(), body });
        }
        Err(Error::new(ErrorKind::Connection, registry, format!("{what}: too many redirects")))
    }

    /// A request to a repository, answering `401` challenges once (bearer token or basic auth).
    fn request(&self, target: &Target, url: &str, accept: &str, head: bool, what: &str) -> Result<Response, Error> {
        let registry = target.authority.as_str();
        let scope = format!("repository:{}:pull", target.repo);
        let mut auth = self.remembered_auth(registry, &scope);
        let mut sent_credentials = false;
        let mut challenged = false;
        loop {
            let response = self.send(url, accept, auth.as_deref(), head, registry, what)?;
            if response.status == 401 && !challenged {
                challenged = true;
                match response.header("www-authenticate").and_then(auth::parse_challenge) {
                    Some(Challenge::Bearer { realm, service, scope: challenge_scope }) => {
                        let token_scope = challenge_scope.unwrap_or_else(|| scope.clone());
                        let token = self.fetch_token(registry, &realm, service.as_deref(), &token_scope)?;
                        let value = format!("Bearer {token}");
                        self.remember_auth(registry, &scope, &value);
                        auth = Some(value);
                        continue;
                    }
                    Some(Challenge::Basic) if transport::protects_credentials(url) => {
                        if let Some(credentials) = self.credentials(registry) {
                            let value = credentials.basic_header();
                            self.remember_auth(registry, "*", &value);
                            auth = Some(value);
                            sent_credentials = true;
                            continue;
                        }
                    }
                    Some(Challenge::Basic) | None => {}
                }
            }
            return self.check(response, registry, what, sent_credentials);
        }
    }

    fn check(&self, response: Response, registry: &str, what: &str, sent_credentials: bool) -> Result<Response, Error> {
        match response.status {
            200..=299 => Ok(response),
            401 => {
                let why = if sent_credentials {
                    "the credentials from the docker config were refused".to_owned()
                } else if let Some(err) = &self.docker_config_error {
                    format!("docker config unreadable: {err}")
                } else {
                    "no credentials for this registry".to_owned()
                };
                Err(Error::new(ErrorKind::Unauthorized, registry, format!("{what}: {why}")))
            }
            code => {
                let wait = retry_after(response.header("retry-after"));
                Err(error::status_error(code, wait, registry, what))
            }
        }
    }

    fn fetch_token(&self, registry: &str, realm: &str, service: Option<&str>, scope: &str) -> Result<String, Error> {
        let what = "token";
        if !transport::url_allowed(realm, &self.options.insecure_registries) {
            return Err(Error::new(ErrorKind::Insecure, registry, format!("token realm `{realm}`")));
        }
        let mut url = realm.to_owned();
        let mut sep = if realm.contains('?') { '&' } else { '?' };
        if let Some(service) = service {
            url.push_str(&format!("{sep}service={}", encode(service)));
            sep = '&';
        }
        url.push_str(&format!("{sep}scope={}", encode(scope)));
        // Never a password over plain HTTP beyond loopback (an insecure registry's token endpoint).
        let credentials = if transport::protects_credentials(&url) { self.credentials(registry) } else { None };
        let auth = credentials.as_ref().map(Credentials::basic_header);
        let response = self.send(&url, "application/json", auth.as_deref(), false, registry, what)?;
        let response = self.check(response, registry, what, credentials.is_some())?;
        serde_json::from_slice::<TokenResponse>(&response.body)
            .ok()
            .and_then(TokenResponse::into_token)
            .ok_or_else(|| Error::new(ErrorKind::Malformed, registry, "token response without a token"))
    }

    /// GETs a manifest and returns its digest (checked against the request and `Docker-Content-Digest`).
    fn fetch_manifest(&self, target: &Target, reference: &str) -> Result<(String, Manifest), Error> {
        let what = format!("manifest {}:{reference}", target.repo);
        let url = target.url(&format!("manifests/{reference}"));
        let response = self.request(target, &url, manifest::MANIFEST_ACCEPT, false, &what)?;
        let mismatch = || Error::new(ErrorKind::DigestMismatch, &target.authority, what.clone());
        let digest = if manifest::is_valid_digest(reference) {
            if !manifest::verify_digest(&response.body, reference) {
                return Err(mismatch());
            }
            reference.to_owned()
        } else {
            match response.header("docker-content-digest").filter(|d| manifest::is_valid_digest(d)) {
                Some(header) if !manifest::verify_digest(&response.body, header) => return Err(mismatch()),
                Some(header) => header.to_owned(),
                None => manifest::sha256_digest(&response.body),
            }
        };
        let parsed = Manifest::parse(&response.body, response.header("content-type"))
            .map_err(|err| Error::new(ErrorKind::Malformed, &target.authority, format!("{what}: {err}")))?;
        Ok((digest, parsed))
    }

    fn fetch_blob(&self, target: &Target, digest: &str) -> Result<Vec<u8>, Error> {
        let what = format!("blob {}@{digest}", target.repo);
        if !manifest::is_valid_digest(digest) {
            return Err(Error::new(ErrorKind::Malformed, &target.authority, format!("{what}: invalid digest")));
        }
        let url = target.url(&format!("blobs/{digest}"));
        let response = self.request(target, &url, "*/*", false, &what)?;
        if !manifest::verify_digest(&response.body, digest) {
            return Err(Error::new(ErrorKind::DigestMismatch, &target.authority, what));
        }
        Ok(response.body)
    }

    /// Facts about an image for the configured platform: the digest its tag points to and what its
    /// config says (user, healthcheck, exposed ports, creation time). Served from the disk cache while
    /// fresh (digest references: always).
    pub fn resolve(&self, image: &ImageRef) -> Result<ImageFacts, Error> {
        let target = self.target(image)?;
        let reference = Self::reference(image);
        let platform = self.options.platform.to_string();
        let key = target.key("facts", &format!("{reference}\n{platform}"));
        if let Some(facts) = self.cache_get(&key, image.digest.is_some()) {
            return Ok(facts);
        }
        self.online(&target, &format!("facts for {}", image.raw))?;
        let (digest, manifest) = self.fetch_manifest(&target, reference)?;
        let (platform_digest, config) = match manifest {
            Manifest::Image { config } => (digest.clone(), config),
            Manifest::Index(entries) => {
                let Some(entry) = Manifest::select(&entries, &self.options.platform) else {
                    let offered: Vec<String> =
                        entries.iter().filter_map(|e| e.platform.as_ref().map(ToString::to_string)).collect();
                    let detail =
                        format!("{platform} not in {}:{reference} (offers {})", target.repo, offered.join(", "));
                    return Err(Error::new(ErrorKind::NoPlatform, &target.authority, detail));
                };
                match self.fetch_manifest(&target, &entry.digest)? {
                    (platform_digest, Manifest::Image { config }) => (platform_digest, config),
                    (_, Manifest::Index(_)) => {
                        let detail = format!("{}@{}: an index inside an index", target.repo, entry.digest);
                        return Err(Error::new(ErrorKind::Malformed, &target.authority, detail));
                    }
                }
            }
        };
        let blob = self.fetch_blob(&target, &config.digest)?;
        let facts = manifest::parse_config(&blob).map_err(|err| {
            Error::new(
                ErrorKind::Malformed,
                &target.authority,
                format!("config {}@{}: {err}", target.repo, config.digest),
            )
        })?;
        let facts = ImageFacts {
            registry: target.authority.clone(),
            repository: target.repo.clone(),
            reference: reference.to_owned(),
            digest,
            platform_digest,
            platform: facts.platform,
            user: facts.user,
            healthcheck: facts.healthcheck,
            exposed_ports: facts.exposed_ports,
            created: facts.created,
        };
        self.cache_put(&key, &facts);
        if image.digest.is_none() {
            self.cache_put(&target.key("digest", reference), &facts.digest);
        }
        Ok(facts)
    }

    /// Facts from the disk cache only (fresh entries), never the network: for the keystroke path.
    pub fn cached(&self, image: &ImageRef) -> Option<ImageFacts> {
        self.cached_facts(image, image.digest.is_some())
    }

    /// Facts from the disk cache at any age, never the network: the last known facts, to show while a
    /// refresh runs or when the registry is unreachable.
    pub fn cached_stale(&self, image: &ImageRef) -> Option<ImageFacts> {
        self.cached_facts(image, true)
    }

    fn cached_facts(&self, image: &ImageRef, any_age: bool) -> Option<ImageFacts> {
        let target = self.target(image).ok()?;
        let key = target.key("facts", &format!("{}\n{}", Self::reference(image), self.options.platform));
        self.cache_get(&key, any_age)
    }

    /// The digest a tag points to now (the index digest for multi-platform images: what
    /// `image:tag@sha256:...` pins). Uses `HEAD`, falling back to `GET` when the registry sends no
    /// `Docker-Content-Digest`.
    pub fn manifest_digest(&self, image: &ImageRef) -> Result<String, Error> {
        let target = self.target(image)?;
        if let Some(digest) = &image.digest {
            return Ok(digest.clone());
        }
        let reference = Self::reference(image);
        let key = target.key("digest", reference);
        if let Some(digest) = self.cache_get::<String>(&key, false) {
            return Ok(digest);
        }
        self.online(&target, &format!("digest of {}", image.raw))?;
        let what = format!("manifest {}:{reference}", target.repo);
        let url = target.url(&format!("manifests/{reference}"));
        let response = self.request(&target, &url, manifest::MANIFEST_ACCEPT, true, &what)?;
        let digest = match response.header("docker-content-digest").filter(|d| manifest::is_valid_digest(d)) {
            Some(digest) => digest.to_owned(),
            None => self.fetch_manifest(&target, reference)?.0,
        };
        self.cache_put(&key, &digest);
        Ok(digest)
    }

    /// Every tag of the image's repository, following `Link` pagination.
    pub fn list_tags(&self, image: &ImageRef) -> Result<Vec<String>, Error> {
        let target = self.target(image)?;
        let key = target.key("tags", "");
        if let Some(tags) = self.cache_get(&key, false) {
            return Ok(tags);
        }
        self.online(&target, &format!("tags of {}", image.raw))?;
        let what = format!("tags {}", target.repo);
        let mut url = target.url(&format!("tags/list?n={}", self.options.tags_page_size));
        let mut tags: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_TAG_PAGES {
            let response = self.request(&target, &url, "application/json", false, &what)?;
            let page: TagList = serde_json::from_slice(&response.body)
                .map_err(|err| Error::new(ErrorKind::Malformed, &target.authority, format!("{what}: {err}")))?;
            tags.extend(page.tags.unwrap_or_default());
            let Some(next) = response.header("link").and_then(next_link) else {
                break;
            };
            let next = if next.starts_with('/') {
                format!("{}://{}{next}", target.scheme, target.authority)
            } else if transport::url_origin(next) == transport::url_origin(&url) {
                next.to_owned()
            } else {
                let detail = format!("{what}: `Link` to another origin: {next}");
                return Err(Error::new(ErrorKind::Malformed, &target.authority, detail));
            };
            if !seen.insert(next.clone()) || tags.len() > self.options.max_tags {
                break;
            }
            url = next;
        }
        tags.truncate(self.options.max_tags);
        self.cache_put(&key, &tags);
        Ok(tags)
    }

    /// Everything the engine uses about `image` ([`BaseImageFacts`]): [`Self::resolve`], and for a
    /// tag without a digest the first [`MAX_PIN_TAG_CANDIDATES`] "pin tag" candidates of
    /// [`Self::pin_tag_candidates`], each checked (`HEAD`, [`Self::manifest_digest`]) for whether it
    /// points to the same image. When only the tag listing fails, the facts come without candidates
    /// and that error is the second value.
    pub fn engine_facts(&self, image: &ImageRef) -> Result<(BaseImageFacts, Option<Error>), Error> {
        let facts = self.resolve(image)?;
        if image.digest.is_some() {
            return Ok((facts.to_engine(Vec::new(), Vec::new()), None));
        }
        let mut candidates = match self.pin_tag_candidates(image) {
            Ok(candidates) => candidates,
            Err(err) => return Ok((facts.to_engine(Vec::new(), Vec::new()), Some(err))),
        };
        candidates.truncate(MAX_PIN_TAG_CANDIDATES);
        let same_image = candidates
            .iter()
            .filter(|tag| {
                let candidate = ImageRef::parse(&image.with_tag(tag));
                candidate.and_then(|candidate| self.manifest_digest(&candidate).ok()).as_ref() == Some(&facts.digest)
            })
            .cloned()
            .collect();
        Ok((facts.to_engine(candidates, same_image), None))
    }

    /// "Pin tag": the concrete tags that keep the image's variant, newest first
    /// (`python:3-slim` → `3.13.1-slim`, `3.12.8-slim`, ...). See [`crate::pin_tag_candidates`].
    pub fn pin_tag_candidates(&self, image: &ImageRef) -> Result<Vec<String>, Error> {
        let tags = self.list_tags(image)?;
        Ok(crate::pin::pin_tag_candidates(image.tag.as_deref().unwrap_or("latest"), &tags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Client>();
        assert_send_sync::<Error>();
    }

    #[test]
    fn link_headers() {
        assert_eq!(next_link(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#), Some("/v2/a/tags/list?last=b&n=2"));
        assert_eq!(next_link(r#"<https://x/prev>; rel="prev", <https://x/next>; rel=next"#), Some("https://x/next"));
        assert_eq!(next_link("<https://x/first>; rel=\"first\""), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(retry_after(Some("120")), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO));
        assert_eq!(retry_after(Some("soon")), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn names_and_encoding() {
        assert!(valid_repo("library/python") && valid_repo("a/b-c/d_e.f"));
        assert!(!valid_repo("Library/python") && !valid_repo("a//b") && !valid_repo("a/b?x") && !valid_repo(""));
        assert!(valid_tag("3.13.1-slim") && !valid_tag("${TAG}") && !valid_tag("-x") && !valid_tag(&"a".repeat(129)));
        assert_eq!(encode("repository:library/python:pull"), "repository%3Alibrary%2Fpython%3Apull");
    }

    #[test]
    fn rejects_bad_references_without_network() {
        let client = Client::new(Options { cache_dir: None, docker_config: None, ..Options::default() }).unwrap();
        for raw in ["python:${TAG}", "Python:3", "python@sha256:abc", "python@md5:00"] {
            let image = ImageRef::parse(raw).unwrap();
            assert_eq!(client.resolve(&image).unwrap_err().kind, ErrorKind::InvalidReference, "{raw}");
        }
        let offline =
            Client::new(Options { offline: true, cache_dir: None, docker_config: None, ..Options::default() }).unwrap();
        let err = offline.resolve(&ImageRef::parse("ghcr.io/org/app:1").unwrap()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotCached);
        assert_eq!(err.to_string(), "registry ghcr.io: not in the cache (offline mode): facts for ghcr.io/org/app:1");
    }

    #[test]
    fn plain_http_refused_for_remote_hosts() {
        let client = Client::new(Options { cache_dir: None, docker_config: None, ..Options::default() }).unwrap();
        let err = client.send("http://registry.example.com/v2/", "*/*", None, true, "registry.example.com", "ping");
        assert_eq!(err.err().map(|e| e.kind), Some(ErrorKind::Insecure));
    }
}
