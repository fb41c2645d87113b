//! The client against a real registry (Debian's `docker-registry`, distribution v2) started on loopback
//! by each test, and against small hand-rolled servers for the token flow and for misbehaving registries.
//!
//! These tests FAIL when `docker-registry` is missing: install it with `apt-get install -y docker-registry`.

use bulkhead_test_registry as support;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bulkhead_analysis::BaseImageFacts;
use bulkhead_analysis::image::ImageRef;
use bulkhead_registry::{Client, Error, ErrorKind, Options, Platform};
use support::{Registry, Reply, Request};

/// Options for tests: no docker config, a private cache (or none), short timeouts, linux/amd64 whatever the
/// machine.
fn options(cache: Option<&std::path::Path>) -> Options {
    Options {
        platform: "linux/amd64".parse().unwrap(),
        docker_config: None,
        cache_dir: cache.map(ToOwned::to_owned),
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(2),
        ..Options::default()
    }
}

fn image(raw: &str) -> ImageRef {
    ImageRef::parse(raw).unwrap()
}

/// Asserts the error's kind and that its message is one line naming the registry.
fn assert_error(result: Result<impl std::fmt::Debug, Error>, kind: ErrorKind, registry: &str) -> String {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind, kind, "{err}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("registry {registry}: ")), "{message}");
    assert!(!message.contains('\n'), "{message}");
    message
}

struct App {
    amd64: support::Pushed,
    arm64: support::Pushed,
    index: Vec<u8>,
    index_digest: String,
}

const CREATED_AMD64: &str = "2024-05-06T07:08:09Z";
const CREATED_ARM64: &str = "2024-05-06T07:08:10Z";
const INDEX_TAGS: [&str; 5] = ["1", "1.2", "1.2.3", "1.10.0", "latest"];
const SINGLE_TAGS: [&str; 4] = ["1.10.0-rc1", "1.2.3-slim", "1-slim", "1.2-slim"];

/// Pushes a two-platform image to `repo`: an index under [`INDEX_TAGS`], the amd64 manifest alone
/// under [`SINGLE_TAGS`].
fn push_app(registry: &Registry, repo: &str) -> App {
    let amd64 = support::push_image(registry, repo, &support::config_json("amd64", "1000:1000", CREATED_AMD64, true));
    let arm64 = support::push_image(registry, repo, &support::config_json("arm64", "nonroot", CREATED_ARM64, false));
    let index = support::index_json(&[(&amd64, "amd64"), (&arm64, "arm64")]);
    let mut index_digest = String::new();
    for tag in INDEX_TAGS {
        index_digest = registry.push_manifest(repo, tag, support::OCI_INDEX, &index);
    }
    for tag in SINGLE_TAGS {
        registry.push_manifest(repo, tag, support::OCI_MANIFEST, &amd64.manifest);
    }
    App { amd64, arm64, index, index_digest }
}

/// Serves `tags/list` of the upstream registry page by page (`n`, `last`, `Link: <...>; rel="next"`).
fn paginating_front(upstream: String, pages: Arc<AtomicUsize>) -> u16 {
    support::serve(Arc::new(move |request: &Request, _port: u16| {
        let Some((path, query)) = request.target.split_once("/tags/list?") else {
            return support::forward(request, &upstream);
        };
        pages.fetch_add(1, Ordering::SeqCst);
        let param =
            |name: &str| query.split('&').find_map(|pair| pair.strip_prefix(name).and_then(|v| v.strip_prefix('=')));
        let n: usize = param("n").and_then(|n| n.parse().ok()).unwrap_or(100);
        let last = param("last").unwrap_or("");
        let mut all = support::agent().get(&format!("{upstream}{path}/tags/list")).call().unwrap();
        let all: serde_json::Value = serde_json::from_slice(&all.body_mut().read_to_vec().unwrap()).unwrap();
        let mut tags: Vec<&str> = all["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        tags.sort_unstable();
        let rest: Vec<&str> = tags.into_iter().filter(|tag| *tag > last).collect();
        let page = &rest[..n.min(rest.len())];
        let body = serde_json::json!({ "name": path.trim_start_matches("/v2/"), "tags": page }).to_string();
        let link = match (rest.len() > n, page.last()) {
            (true, Some(last)) => format!(r#"<{path}/tags/list?n={n}&last={last}>; rel="next""#),
            _ => String::new(),
        };
        let mut headers = vec![("Content-Type", "application/json")];
        if !link.is_empty() {
            headers.push(("Link", link.as_str()));
        }
        Reply::new(200, &headers, body)
    }))
}

#[test]
fn tags_paginate_and_pin_tag_keeps_the_variant() {
    let registry = Registry::start();
    push_app(&registry, "team/app");
    let client = Client::new(Options { tags_page_size: 2, ..options(None) }).unwrap();
    let app = image(&format!("{}/team/app:1", registry.host()));
    // docker-registry 2.8 answers `tags/list` in one piece (it ignores `n`); a spec-following pager in
    // front of it serves the same tags `n` at a time with `Link` headers, in lexical order.
    let pages = Arc::new(AtomicUsize::new(0));
    let pager = format!("127.0.0.1:{}", paginating_front(registry.url(""), pages.clone()));
    let paged = image(&format!("{pager}/team/app:1"));
    let tags = client.list_tags(&paged).unwrap();
    // Nine tags at two per page: five pages, reached only by following `Link`.
    assert_eq!(pages.load(Ordering::SeqCst), 5);
    let mut expected: Vec<&str> = INDEX_TAGS.iter().chain(&SINGLE_TAGS).copied().collect();
    expected.sort_unstable();
    assert_eq!(tags, expected);
    assert_eq!(client.pin_tag_candidates(&paged).unwrap(), ["1.10.0", "1.2.3"]);
    assert_eq!(client.pin_tag_candidates(&app).unwrap(), ["1.10.0", "1.2.3"]);
    let slim = image(&format!("{}/team/app:1-slim", registry.host()));
    assert_eq!(client.pin_tag_candidates(&slim).unwrap(), ["1.2.3-slim"]);
    let latest = image(&format!("{}/team/app", registry.host()));
    assert_eq!(client.pin_tag_candidates(&latest).unwrap(), ["1.10.0", "1.2.3"]);
    // One request for everything when the page is large.
    let big = Client::new(options(None)).unwrap();
    let mut all = big.list_tags(&app).unwrap();
    all.sort_unstable();
    assert_eq!(all, expected);
}

#[test]
fn pin_digest_and_config_facts_per_platform() {
    let registry = Registry::start();
    let pushed = push_app(&registry, "app");
    let host = registry.host();
    let client = Client::new(options(None)).unwrap();
    let app = image(&format!("{host}/app:1.2.3"));

    // Pin digest: the index digest, from HEAD.
    assert_eq!(client.manifest_digest(&app).unwrap(), pushed.index_digest);
    assert_eq!(pushed.index_digest, support::sha256(&pushed.index));

    let facts = client.resolve(&app).unwrap();
    assert_eq!(facts.registry, host);
    assert_eq!(facts.repository, "app");
    assert_eq!(facts.reference, "1.2.3");
    assert_eq!(facts.digest, pushed.index_digest);
    assert_eq!(facts.platform_digest, pushed.amd64.manifest_digest);
    assert_eq!(facts.platform, Some(Platform::default()));
    assert_eq!(facts.user.as_deref(), Some("1000:1000"));
    assert!(facts.runs_as_non_root());
    let healthcheck = facts.healthcheck.clone().unwrap();
    assert_eq!(healthcheck.test[0], "CMD-SHELL");
    assert_eq!((healthcheck.interval_ns, healthcheck.retries), (Some(30_000_000_000), Some(3)));
    assert!(facts.has_healthcheck());
    assert_eq!(facts.exposed_ports, ["8080/tcp", "9090/tcp"]);
    assert_eq!(facts.created.as_deref(), Some(CREATED_AMD64));
    assert_eq!(facts.pinned(&app), format!("{host}/app:1.2.3@{}", pushed.index_digest));

    // Another platform from the same index.
    let arm = Client::new(Options { platform: "linux/arm64".parse().unwrap(), ..options(None) }).unwrap();
    let arm_facts = arm.resolve(&app).unwrap();
    assert_eq!(arm_facts.digest, pushed.index_digest);
    assert_eq!(arm_facts.platform_digest, pushed.arm64.manifest_digest);
    assert_eq!((arm_facts.user.as_deref(), arm_facts.created.as_deref()), (Some("nonroot"), Some(CREATED_ARM64)));
    assert_eq!(arm_facts.healthcheck, None);

    // A platform the index does not offer.
    let s390x = Client::new(Options { platform: "linux/s390x".parse().unwrap(), ..options(None) }).unwrap();
    let message = assert_error(s390x.resolve(&app), ErrorKind::NoPlatform, &host);
    assert!(message.contains("linux/amd64, linux/arm64"), "{message}");

    // A single-platform tag: the manifest digest is both digests.
    let slim = client.resolve(&image(&format!("{host}/app:1.2.3-slim"))).unwrap();
    assert_eq!(
        (slim.digest.as_str(), slim.platform_digest.as_str()),
        (pushed.amd64.manifest_digest.as_str(), pushed.amd64.manifest_digest.as_str())
    );
    assert_eq!(slim.user.as_deref(), Some("1000:1000"));

    // By digest.
    let by_digest = client.resolve(&image(&format!("{host}/app@{}", pushed.index_digest))).unwrap();
    assert_eq!((by_digest.digest, by_digest.user), (pushed.index_digest.clone(), Some("1000:1000".to_owned())));
    let config = client.resolve(&image(&format!("{host}/app@{}", pushed.arm64.manifest_digest))).unwrap();
    assert_eq!(config.user.as_deref(), Some("nonroot"));
    assert!(!pushed.arm64.config_digest.is_empty());
}

#[test]
fn engine_facts_carry_the_config_and_the_pin_tag_candidates() {
    let registry = Registry::start();
    let pushed = push_app(&registry, "engine/app");
    // A newer release that is another image: a candidate, but not the image `1` names today.
    registry.push_manifest("engine/app", "1.11.0", support::OCI_MANIFEST, &pushed.amd64.manifest);
    let host = registry.host();
    let client = Client::new(options(None)).unwrap();
    let (facts, warning) = client.engine_facts(&image(&format!("{host}/engine/app:1"))).unwrap();
    assert_eq!(warning, None);
    let healthcheck = "wget -qO- http://127.0.0.1:8080/health || exit 1";
    let expected = BaseImageFacts {
        digest: Some(pushed.index_digest.clone()),
        user: Some("1000:1000".to_owned()),
        healthcheck: Some(vec!["CMD-SHELL".to_owned(), healthcheck.to_owned()]),
        exposed_ports: vec!["8080/tcp".to_owned(), "9090/tcp".to_owned()],
        created: Some(CREATED_AMD64.to_owned()),
        tag_candidates: vec!["1.11.0".to_owned(), "1.10.0".to_owned(), "1.2.3".to_owned()],
        same_image_tags: vec!["1.10.0".to_owned(), "1.2.3".to_owned()],
    };
    assert_eq!(facts, expected);
    assert!(facts.runs_as_non_root() && facts.has_healthcheck());

    // A digest reference has nothing to pin: no tag listing.
    let by_digest = image(&format!("{host}/engine/app@{}", pushed.index_digest));
    let (facts, warning) = client.engine_facts(&by_digest).unwrap();
    assert_eq!((facts.tag_candidates.len(), warning), (0, None));

    // A registry that refuses the tag listing: the facts stay, without candidates, and the error says why.
    let upstream = registry.url("");
    let front = support::serve(Arc::new(move |request: &Request, _port: u16| {
        if request.target.contains("/tags/list") {
            Reply::new(403, &[("Content-Type", "application/json")], r#"{"errors":[{"code":"DENIED"}]}"#)
        } else {
            support::forward(request, &upstream)
        }
    }));
    let (facts, warning) = client.engine_facts(&image(&format!("127.0.0.1:{front}/engine/app:1"))).unwrap();
    assert_eq!(facts.digest.as_deref(), Some(pushed.index_digest.as_str()));
    assert!(facts.tag_candidates.is_empty());
    assert_eq!(warning.map(|err| err.kind), Some(ErrorKind::Forbidden));

    // Nothing at all: an error, no facts.
    let missing = client.engine_facts(&image(&format!("{host}/engine/missing:1")));
    assert_error(missing, ErrorKind::NotFound, &host);
}

#[test]
fn cache_serves_lookups_without_network() {
    let mut registry = Registry::start();
    let pushed = push_app(&registry, "cached/app");
    let host = registry.host();
    let cache = tempfile::tempdir().unwrap();
    let app = image(&format!("{host}/cached/app:1.2"));

    let client = Client::new(options(Some(cache.path()))).unwrap();
    assert_eq!(client.cached(&app), None);
    let facts = client.resolve(&app).unwrap();
    let tags = client.list_tags(&app).unwrap();
    let digest = client.manifest_digest(&app).unwrap();
    assert_eq!(digest, pushed.index_digest);
    registry.stop();

    // A new client (no in-memory state) answers everything from disk.
    let again = Client::new(options(Some(cache.path()))).unwrap();
    assert_eq!(again.cached(&app).as_ref(), Some(&facts));
    assert_eq!(again.resolve(&app).unwrap(), facts);
    assert_eq!(again.list_tags(&app).unwrap(), tags);
    assert_eq!(again.pin_tag_candidates(&app).unwrap(), ["1.2.3"]);
    assert_eq!(again.manifest_digest(&app).unwrap(), digest);
    let offline = Client::new(Options { offline: true, ..options(Some(cache.path())) }).unwrap();
    assert_eq!(offline.resolve(&app).unwrap(), facts);
    assert_error(offline.resolve(&image(&format!("{host}/cached/app:1"))), ErrorKind::NotCached, &host);

    // Expired entries are not served: the network is tried, and the registry is gone.
    let expired = Client::new(Options { cache_ttl: Duration::ZERO, ..options(Some(cache.path())) }).unwrap();
    assert_eq!(expired.cached(&app), None);
    assert_eq!(expired.cached_stale(&app).as_ref(), Some(&facts));
    assert_error(expired.resolve(&app), ErrorKind::ConnectionRefused, &host);

    // Corrupt entries are misses, not errors or panics.
    for entry in std::fs::read_dir(cache.path().join("v1")).unwrap() {
        let path = entry.unwrap().path();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::write(&path, vec![b'{'; len as usize / 2]).unwrap();
    }
    let corrupt = Client::new(options(Some(cache.path()))).unwrap();
    assert_eq!(corrupt.cached(&app), None);
    assert_error(corrupt.list_tags(&app), ErrorKind::ConnectionRefused, &host);
}

#[test]
fn not_found_and_connection_refused() {
    let registry = Registry::start();
    push_app(&registry, "app");
    let host = registry.host();
    let client = Client::new(options(None)).unwrap();
    let message = assert_error(client.resolve(&image(&format!("{host}/app:9.9.9"))), ErrorKind::NotFound, &host);
    assert_eq!(message, format!("registry {host}: 404 not found: manifest app:9.9.9"));
    assert_error(client.resolve(&image(&format!("{host}/missing/app:1"))), ErrorKind::NotFound, &host);
    assert_error(client.list_tags(&image(&format!("{host}/missing/app"))), ErrorKind::NotFound, &host);
    assert_error(client.manifest_digest(&image(&format!("{host}/app:nope"))), ErrorKind::NotFound, &host);
    let missing_blob = format!("{host}/app@sha256:{}", "0".repeat(64));
    assert_error(client.resolve(&image(&missing_blob)), ErrorKind::NotFound, &host);

    let closed = format!("127.0.0.1:{}", support::free_port());
    let message =
        assert_error(client.resolve(&image(&format!("{closed}/app:1"))), ErrorKind::ConnectionRefused, &closed);
    assert_eq!(message, format!("registry {closed}: connection refused: manifest app:1"));
}

#[test]
fn basic_auth_from_docker_config() {
    let registry = Registry::start_with_htpasswd("ci-user", "s3cret pass");
    push_app(&registry, "private/app");
    let host = registry.host();
    let app = image(&format!("{host}/private/app:1.2.3"));
    let dir = tempfile::tempdir().unwrap();

    let anonymous = Client::new(options(None)).unwrap();
    let message = assert_error(anonymous.resolve(&app), ErrorKind::Unauthorized, &host);
    assert!(message.ends_with("no credentials for this registry"), "{message}");

    let wrong = support::docker_config(dir.path(), &host, "ci-user", "wrong", true);
    let client = Client::new(Options { docker_config: Some(wrong), ..options(None) }).unwrap();
    let message = assert_error(client.resolve(&app), ErrorKind::Unauthorized, &host);
    assert!(message.ends_with("the credentials from the docker config were refused"), "{message}");

    let right = support::docker_config(dir.path(), &host, "ci-user", "s3cret pass", true);
    let client = Client::new(Options { docker_config: Some(right), ..options(None) }).unwrap();
    assert_eq!(client.resolve(&app).unwrap().user.as_deref(), Some("1000:1000"));
    assert_eq!(client.pin_tag_candidates(&image(&format!("{host}/private/app:1"))).unwrap(), ["1.10.0", "1.2.3"]);

    let plain = support::docker_config(dir.path(), &format!("http://{host}/v2/"), "ci-user", "s3cret pass", false);
    let client = Client::new(Options { docker_config: Some(plain), tags_page_size: 3, ..options(None) }).unwrap();
    assert_eq!(client.list_tags(&app).unwrap().len(), INDEX_TAGS.len() + SINGLE_TAGS.len());

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{not json").unwrap();
    let client = Client::new(Options { docker_config: Some(broken), ..options(None) }).unwrap();
    let message = assert_error(client.resolve(&app), ErrorKind::Unauthorized, &host);
    assert!(message.contains("docker config unreadable"), "{message}");
}

/// A token server in front of the real registry: `/v2/...` without the bearer token gets the
/// challenge, `/token` issues the token (checking service, scope and, when given, basic credentials).
fn bearer_front(
    upstream: String,
    realm: Option<String>,
    expect_basic: Option<String>,
    tokens: Arc<AtomicUsize>,
) -> u16 {
    support::serve(Arc::new(move |request: &Request, port: u16| {
        if let Some(query) = request.target.strip_prefix("/token?") {
            if !query.contains("service=bulkhead-test") || !query.contains("scope=repository%3Aapp%3Apull") {
                return Reply::new(400, &[], format!("bad token request {query}"));
            }
            if let Some(expected) = &expect_basic
                && request.header("authorization") != Some(expected.as_str())
            {
                return Reply::new(401, &[], "bad credentials");
            }
            let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::new(
                200,
                &[("Content-Type", "application/json")],
                format!(r#"{{"token":"tok-{n}","expires_in":300}}"#),
            );
        }
        let authorized = request.header("authorization").is_some_and(|auth| auth.starts_with("Bearer tok-"));
        if !authorized {
            let realm = realm.clone().unwrap_or_else(|| format!("http://127.0.0.1:{port}/token"));
            let challenge = format!(r#"Bearer realm="{realm}",service="bulkhead-test",scope="repository:app:pull""#);
            return Reply::new(
                401,
                &[("WWW-Authenticate", challenge.as_str())],
                r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#,
            );
        }
        support::forward(request, &upstream)
    }))
}

#[test]
fn bearer_token_challenge_flow() {
    let registry = Registry::start();
    let pushed = push_app(&registry, "app");
    let tokens = Arc::new(AtomicUsize::new(0));
    let port = bearer_front(registry.url(""), None, None, tokens.clone());
    let host = format!("127.0.0.1:{port}");
    let client = Client::new(Options { tags_page_size: 4, ..options(None) }).unwrap();
    let app = image(&format!("{host}/app:1.2.3"));
    let facts = client.resolve(&app).unwrap();
    assert_eq!((facts.digest.as_str(), facts.user.as_deref()), (pushed.index_digest.as_str(), Some("1000:1000")));
    assert_eq!(client.list_tags(&app).unwrap().len(), 9);
    assert_eq!(client.manifest_digest(&app).unwrap(), pushed.index_digest);
    // The token is fetched once and reused for the manifests, the blob and every page.
    assert_eq!(tokens.load(Ordering::SeqCst), 1);

    // With credentials in the docker config, they go to the token endpoint.
    let dir = tempfile::tempdir().unwrap();
    let expected = format!("Basic {}", base64_encode("robot:token-pass"));
    let tokens = Arc::new(AtomicUsize::new(0));
    let port = bearer_front(registry.url(""), None, Some(expected), tokens.clone());
    let host = format!("127.0.0.1:{port}");
    let app = image(&format!("{host}/app:1"));
    let config = support::docker_config(dir.path(), &host, "robot", "token-pass", true);
    let client = Client::new(Options { docker_config: Some(config), ..options(None) }).unwrap();
    assert_eq!(client.resolve(&app).unwrap().digest, pushed.index_digest);
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    let anonymous = Client::new(options(None)).unwrap();
    let message = assert_error(anonymous.resolve(&app), ErrorKind::Unauthorized, &host);
    assert!(message.contains("token"), "{message}");
}

fn base64_encode(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn bearer_realm_over_plain_http_to_a_remote_host_is_refused() {
    let tokens = Arc::new(AtomicUsize::new(0));
    let realm = Some("http://auth.example.invalid/token".to_owned());
    let port = bearer_front("http://127.0.0.1:1".to_owned(), realm, None, tokens);
    let host = format!("127.0.0.1:{port}");
    let client = Client::new(options(None)).unwrap();
    let message = assert_error(client.resolve(&image(&format!("{host}/app:1"))), ErrorKind::Insecure, &host);
    assert!(message.contains("http://auth.example.invalid/token"), "{message}");
}

/// A registry that misbehaves in a different way per repository.
fn misbehaving() -> String {
    let manifest = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:CONFIG","size":2},"layers":[]}"#;
    let good_config = b"{}".to_vec();
    let manifest = String::from_utf8_lossy(manifest).replace("sha256:CONFIG", &support::sha256(&good_config));
    let port = support::serve(Arc::new(move |request: &Request, port: u16| {
        let repo = request.target.strip_prefix("/v2/").and_then(|rest| rest.split('/').next()).unwrap_or("");
        let json = ("Content-Type", "application/json");
        match repo {
            "ratelimited" => Reply::new(429, &[("Retry-After", "7")], "slow down"),
            "forbidden" => Reply::new(403, &[], ""),
            "broken" => Reply::new(500, &[], "oops"),
            "garbage" => Reply::new(200, &[json], "<html>not json</html>"),
            "huge" => Reply::new(200, &[json], vec![b' '; 64 * 1024]),
            "slow" => Reply::Hang,
            "lying" => {
                Reply::new(200, &[json, ("Docker-Content-Digest", &support::sha256(b"other"))], manifest.clone())
            }
            "badblob" if request.target.contains("/blobs/") => Reply::new(200, &[], "{\"tampered\":1}"),
            "badblob" => Reply::new(200, &[json], manifest.clone()),
            "loop" => Reply::new(
                200,
                &[json, ("Link", r#"</v2/loop/tags/list?n=1&last=a>; rel="next""#)],
                r#"{"tags":["a"]}"#,
            ),
            "elsewhere" => Reply::new(
                200,
                &[json, ("Link", r#"<http://127.0.0.2:1/v2/elsewhere/tags/list?last=a>; rel="next""#)],
                r#"{"tags":["a"]}"#,
            ),
            "redirect" if request.target.contains("/blobs/") => {
                let location = format!("http://localhost:{port}/v2/redirected/blob");
                Reply::new(307, &[("Location", location.as_str())], "")
            }
            "redirect" => Reply::new(200, &[json], manifest.clone()),
            "redirected" if request.header("authorization").is_none() => Reply::new(200, &[], good_config.clone()),
            _ => Reply::new(404, &[], ""),
        }
    }));
    format!("127.0.0.1:{port}")
}

#[test]
fn misbehaving_registries_give_typed_errors() {
    let host = misbehaving();
    let client =
        Client::new(Options { max_body_bytes: 16 * 1024, timeout: Duration::from_millis(400), ..options(None) })
            .unwrap();
    let get = |repo: &str| client.resolve(&image(&format!("{host}/{repo}:1")));

    let message =
        assert_error(get("ratelimited"), ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(7)) }, &host);
    assert!(message.contains("429 rate limited, retry after 7s"), "{message}");
    assert_error(get("forbidden"), ErrorKind::Forbidden, &host);
    let err = get("broken").unwrap_err();
    assert!(err.kind == ErrorKind::Status(500) && err.is_transient(), "{err}");
    assert_error(get("garbage"), ErrorKind::Malformed, &host);
    let message = assert_error(get("huge"), ErrorKind::TooLarge { limit: 16 * 1024 }, &host);
    assert!(message.contains("larger than 16384 bytes"), "{message}");
    let started = std::time::Instant::now();
    assert_error(get("slow"), ErrorKind::Timeout, &host);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_error(get("lying"), ErrorKind::DigestMismatch, &host);
    assert_error(get("badblob"), ErrorKind::DigestMismatch, &host);
    // Redirects are followed under the transport policy, without credentials.
    assert_eq!(get("redirect").unwrap().user, None);

    // A `Link` loop ends; a `Link` to another origin is refused.
    assert_eq!(client.list_tags(&image(&format!("{host}/loop"))).unwrap(), ["a", "a"]);
    assert_error(client.list_tags(&image(&format!("{host}/elsewhere"))), ErrorKind::Malformed, &host);
}
