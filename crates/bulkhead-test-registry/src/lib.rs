//! Test support shared by the registry client's tests and the CLI and language-server tests: a real
//! `docker-registry` (Debian's package of distribution v2) on loopback, pushes through its HTTP API, and
//! a tiny hand-rolled HTTP server for token flows and misbehaving registries.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The registry binary: `$BULKHEAD_DOCKER_REGISTRY`, `/usr/bin/docker-registry`, or on `PATH`.
/// A missing binary FAILS the test: CI must install it (`apt-get install -y docker-registry`).
pub fn registry_binary() -> PathBuf {
    find_registry_binary().unwrap_or_else(|| {
        panic!(
            "docker-registry not found (looked at $BULKHEAD_DOCKER_REGISTRY, /usr/bin/docker-registry and PATH): these tests run a real OCI \
             registry on loopback. Install Debian's package with `apt-get install -y docker-registry` (its service \
             need not run), or set BULKHEAD_DOCKER_REGISTRY to a distribution v2 `registry` binary."
        )
    })
}

/// The registry binary, as [`registry_binary`] looks for it, or `None` when there is none.
pub fn find_registry_binary() -> Option<PathBuf> {
    let from_env = std::env::var_os("BULKHEAD_DOCKER_REGISTRY").map(PathBuf::from);
    let mut candidates = from_env.into_iter().chain(std::iter::once(PathBuf::from("/usr/bin/docker-registry"))).chain(
        std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).map(|dir| dir.join("docker-registry")).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    candidates.find(|candidate| candidate.is_file())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `docker-registry` process on 127.0.0.1 with its own storage; killed on drop.
pub struct Registry {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Option<Child>,
    /// `user:password` when started with htpasswd auth (used by the push helpers).
    pub basic: Option<(String, String)>,
}

impl Registry {
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// Starts a registry, or says on stderr that `test` is SKIPPED and returns `None` when the machine has
    /// no `docker-registry` binary: for the tests that may be skipped rather than fail.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        if find_registry_binary().is_none() {
            eprintln!(
                "SKIPPED {test}: no docker-registry binary ($BULKHEAD_DOCKER_REGISTRY, /usr/bin/docker-registry, \
                 PATH); install it with `apt-get install -y docker-registry`"
            );
            return None;
        }
        Some(Self::start())
    }

    /// Starts a registry that requires basic auth for this user (bcrypt htpasswd file).
    pub fn start_with_htpasswd(user: &str, password: &str) -> Self {
        Self::start_with(Some((user.to_owned(), password.to_owned())))
    }

    fn start_with(basic: Option<(String, String)>) -> Self {
        let binary = registry_binary();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut config = format!(
            "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    \
             rootdirectory: {root}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: \
             bulkhead-test\n",
            root = dir.path().join("data").display()
        );
        if let Some((user, password)) = &basic {
            let hash = bcrypt::hash(password, 4).unwrap();
            let htpasswd = dir.path().join("htpasswd");
            std::fs::write(&htpasswd, format!("{user}:{hash}\n")).unwrap();
            config
                .push_str(&format!("auth:\n  htpasswd:\n    realm: bulkhead-test\n    path: {}\n", htpasswd.display()));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
        let child = Command::new(&binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            // The registry reads REGISTRY_* variables as config overrides: keep the environment clean.
            .env_clear()
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {}: {err}", binary.display()));
        let mut registry = Self { port, dir, child: Some(child), basic };
        registry.wait_ready();
        registry
    }

    fn wait_ready(&mut self) {
        let agent = agent();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("docker-registry exited with {status}: {}", self.log());
            }
            if let Ok(response) = agent.get(&self.url("/v2/")).call()
                && matches!(response.status().as_u16(), 200 | 401)
            {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "docker-registry did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Stops the registry (the port then refuses connections).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn auth_header(&self) -> Option<String> {
        self.basic.as_ref().map(|(user, password)| {
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
        })
    }

    /// Uploads a blob (POST, then a monolithic PUT) and returns its digest.
    pub fn push_blob(&self, repo: &str, bytes: &[u8]) -> String {
        let digest = sha256(bytes);
        let agent = agent();
        let mut post = agent.post(&self.url(&format!("/v2/{repo}/blobs/uploads/")));
        if let Some(auth) = self.auth_header() {
            post = post.header("Authorization", auth);
        }
        let response = post.send_empty().unwrap();
        assert_eq!(response.status().as_u16(), 202, "blob upload start: {}", self.log());
        let location = response.headers().get("location").unwrap().to_str().unwrap().to_owned();
        let location = if location.starts_with('/') { self.url(&location) } else { location };
        let sep = if location.contains('?') { '&' } else { '?' };
        let mut put =
            agent.put(&format!("{location}{sep}digest={digest}")).header("Content-Type", "application/octet-stream");
        if let Some(auth) = self.auth_header() {
            put = put.header("Authorization", auth);
        }
        let response = put.send(bytes).unwrap();
        assert_eq!(response.status().as_u16(), 201, "blob upload finish: {}", self.log());
        digest
    }

    /// Puts a manifest (or index) under a tag or its digest; returns its digest.
    pub fn push_manifest(&self, repo: &str, reference: &str, media_type: &str, body: &[u8]) -> String {
        let mut put =
            agent().put(&self.url(&format!("/v2/{repo}/manifests/{reference}"))).header("Content-Type", media_type);
        if let Some(auth) = self.auth_header() {
            put = put.header("Authorization", auth);
        }
        let mut response = put.send(body).unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(status, 201, "manifest put {repo}:{reference}: {text} {}", self.log());
        sha256(body)
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// One platform image: its config JSON, and what was pushed.
pub struct Pushed {
    pub config_digest: String,
    pub manifest: Vec<u8>,
    pub manifest_digest: String,
}

pub fn config_json(arch: &str, user: &str, created: &str, healthcheck: bool) -> Vec<u8> {
    let healthcheck = if healthcheck {
        r#","Healthcheck":{"Test":["CMD-SHELL","wget -qO- http://127.0.0.1:8080/health || exit 1"],"Interval":30000000000,"Retries":3}"#
    } else {
        ""
    };
    format!(
        r#"{{"created":"{created}","architecture":"{arch}","os":"linux","config":{{"User":"{user}","ExposedPorts":{{"8080/tcp":{{}},"9090/tcp":{{}}}},"Env":["PATH=/usr/bin"]{healthcheck}}},"rootfs":{{"type":"layers","diff_ids":["{diff}"]}}}}"#,
        diff = sha256(arch.as_bytes())
    )
    .into_bytes()
}

/// Pushes a single-platform OCI image (config + one layer + manifest) by digest.
pub fn push_image(registry: &Registry, repo: &str, config: &[u8]) -> Pushed {
    let layer = format!("layer of {}", sha256(config)).into_bytes();
    let layer_digest = registry.push_blob(repo, &layer);
    let config_digest = registry.push_blob(repo, config);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_MANIFEST}","config":{{"mediaType":"{OCI_CONFIG}","digest":"{config_digest}","size":{}}},"layers":[{{"mediaType":"{OCI_LAYER}","digest":"{layer_digest}","size":{}}}]}}"#,
        config.len(),
        layer.len()
    )
    .into_bytes();
    let manifest_digest = registry.push_manifest(repo, &sha256(&manifest), OCI_MANIFEST, &manifest);
    Pushed { config_digest, manifest, manifest_digest }
}

/// An OCI index over platform images, plus an attestation-like `unknown/unknown` entry.
pub fn index_json(entries: &[(&Pushed, &str)]) -> Vec<u8> {
    let mut manifests: Vec<String> = entries
        .iter()
        .map(|(image, arch)| {
            format!(
                r#"{{"mediaType":"{OCI_MANIFEST}","digest":"{}","size":{},"platform":{{"os":"linux","architecture":"{arch}"}}}}"#,
                image.manifest_digest,
                image.manifest.len()
            )
        })
        .collect();
    if let Some((first, _)) = entries.first() {
        manifests.push(format!(
            r#"{{"mediaType":"{OCI_MANIFEST}","digest":"{}","size":{},"platform":{{"os":"unknown","architecture":"unknown"}}}}"#,
            first.manifest_digest,
            first.manifest.len()
        ));
    }
    format!(r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{}]}}"#, manifests.join(",")).into_bytes()
}

/// A parsed request to the test HTTP server.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What the handler answers: a full response, or nothing at all (hang until the client gives up).
pub enum Reply {
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    Hang,
}

impl Reply {
    pub fn new(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Self {
        Reply::Respond {
            status,
            headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            body: body.into(),
        }
    }
}

pub type Handler = Arc<dyn Fn(&Request, u16) -> Reply + Send + Sync>;

/// A loopback HTTP/1.1 server, one thread per connection, `Connection: close`. Lives until the test
/// process exits.
pub fn serve(handler: Handler) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || handle(stream, &handler, port));
        }
    });
    port
}

fn handle(stream: TcpStream, handler: &Handler, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return };
    let mut request = Request { method: method.to_owned(), target: target.to_owned(), headers: Vec::new() };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            request.headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    match handler(&request, port) {
        Reply::Hang => std::thread::sleep(Duration::from_secs(5)),
        Reply::Respond { status, headers, body } => {
            let mut out = format!("HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
            for (name, value) in headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            out.push_str("\r\n");
            let mut stream = stream;
            let _ = stream.write_all(out.as_bytes());
            if request.method != "HEAD" {
                let _ = stream.write_all(&body);
            }
            let _ = stream.flush();
        }
    }
}

/// Forwards a GET/HEAD to a real registry and turns its answer into a reply (the headers a client reads).
pub fn forward(request: &Request, upstream: &str) -> Reply {
    let url = format!("{upstream}{}", request.target);
    let agent = agent();
    let mut builder = if request.method == "HEAD" { agent.head(&url) } else { agent.get(&url) };
    if let Some(accept) = request.header("accept") {
        builder = builder.header("Accept", accept);
    }
    let mut response = builder.call().unwrap();
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = ["content-type", "docker-content-digest", "link"]
        .iter()
        .filter_map(|name| {
            let value = response.headers().get(*name)?.to_str().ok()?;
            Some(((*name).to_owned(), value.to_owned()))
        })
        .collect();
    let body = if request.method == "HEAD" { Vec::new() } else { response.body_mut().read_to_vec().unwrap() };
    Reply::Respond { status, headers, body }
}

/// A docker `config.json` with inline credentials for a registry host.
pub fn docker_config(dir: &Path, host: &str, user: &str, password: &str, inline_auth: bool) -> PathBuf {
    let entry = if inline_auth {
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        format!(r#"{{"auth":"{auth}"}}"#)
    } else {
        format!(r#"{{"username":"{user}","password":"{password}"}}"#)
    };
    let path = dir.join("docker-config.json");
    std::fs::write(&path, format!(r#"{{"auths":{{"{host}":{entry}}}}}"#)).unwrap();
    path
}
