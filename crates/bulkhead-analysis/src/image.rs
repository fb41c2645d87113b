//! Image references (`registry/path/name:tag@digest`), parsed the way Docker reads them.

/// A parsed image reference. Docker Hub is the default registry and `library/` the default namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageRef {
    /// The reference as written (after variable substitution).
    pub raw: String,
    /// Registry host, when the first path component names one (`ghcr.io`, `localhost:5000`).
    pub registry: Option<String>,
    /// Repository path without the registry (`library/python`, `org/app`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub const DOCKER_HUB: &str = "docker.io";

impl ImageRef {
    /// Parses a reference. Returns `None` for an empty or obviously invalid one.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.is_empty() || raw.contains(char::is_whitespace) {
            return None;
        }
        let (name_tag, digest) = match raw.split_once('@') {
            Some((name_tag, digest)) => (name_tag, Some(digest.to_owned())),
            None => (raw, None),
        };
        // A tag follows the last ':' after the last '/' (a ':' before it belongs to a registry port).
        let last_slash = name_tag.rfind('/').map_or(0, |idx| idx + 1);
        let (name, tag) = match name_tag[last_slash..].rfind(':') {
            Some(idx) => (&name_tag[..last_slash + idx], Some(name_tag[last_slash + idx + 1..].to_owned())),
            None => (name_tag, None),
        };
        if name.is_empty() {
            return None;
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first.to_ascii_lowercase()), rest.to_owned())
            }
            _ => (None, name.to_owned()),
        };
        let path = if registry.is_none() && !path.contains('/') { format!("library/{path}") } else { path };
        Some(Self { raw: raw.to_owned(), registry, path, tag, digest })
    }

    /// The registry host, with Docker Hub for none.
    pub fn registry_or_default(&self) -> &str {
        self.registry.as_deref().unwrap_or(DOCKER_HUB)
    }

    /// True when the image comes from Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        matches!(self.registry.as_deref(), None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io"))
    }

    /// The last path component: `python` for `library/python`, `static` for `distroless/static`.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The path as users write it for Docker Hub official images (`python`), else the full path.
    pub fn short_path(&self) -> &str {
        if self.is_docker_hub() { self.path.strip_prefix("library/").unwrap_or(&self.path) } else { &self.path }
    }

    /// True for an official Docker Hub image (`library/...`).
    pub fn is_official(&self) -> bool {
        self.is_docker_hub() && self.path.starts_with("library/")
    }

    /// The reference with its tag replaced (digest dropped): used by fixes.
    pub fn with_tag(&self, tag: &str) -> String {
        let name = self.raw.split('@').next().unwrap_or(&self.raw);
        let last_slash = name.rfind('/').map_or(0, |idx| idx + 1);
        let base = match name[last_slash..].rfind(':') {
            Some(idx) => &name[..last_slash + idx],
            None => name,
        };
        format!("{base}:{tag}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let python = ImageRef::parse("python:3.12-slim").unwrap();
        assert_eq!((python.registry.as_deref(), python.path.as_str()), (None, "library/python"));
        assert_eq!(python.tag.as_deref(), Some("3.12-slim"));
        assert!(python.is_official());
        let local = ImageRef::parse("localhost:5000/team/app@sha256:abc").unwrap();
        assert_eq!(local.registry.as_deref(), Some("localhost:5000"));
        assert_eq!((local.path.as_str(), local.tag.as_deref()), ("team/app", None));
        assert_eq!(local.digest.as_deref(), Some("sha256:abc"));
        let distroless = ImageRef::parse("gcr.io/distroless/static-debian12:nonroot").unwrap();
        assert_eq!(distroless.name(), "static-debian12");
        assert_eq!(distroless.with_tag("latest"), "gcr.io/distroless/static-debian12:latest");
        assert_eq!(ImageRef::parse("org/app").unwrap().short_path(), "org/app");
        assert!(ImageRef::parse("").is_none());
    }
}
