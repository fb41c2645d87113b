//! Where a registry lives and how it may be reached: the Docker Hub alias, and the plain-HTTP policy
//! (loopback as Docker does, other hosts only when the user lists them as insecure).

use std::net::IpAddr;

use bulkhead_analysis::image::ImageRef;

/// The host that serves Docker Hub's distribution API.
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// The `host[:port]` to send API requests to for an image.
pub fn api_host(image: &ImageRef) -> String {
    if image.is_docker_hub() { DOCKER_HUB_API.to_owned() } else { image.registry_or_default().to_owned() }
}

/// The host part of `host[:port]`, `[v6]:port` or a bare IPv6 address, without brackets.
pub fn host_only(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.rsplit_once(':') {
        // A single ':' followed by digits is a port; several ':' make a bare IPv6 address.
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

/// True for `localhost`, 127.0.0.0/8 and `::1`, with or without a port.
pub fn is_loopback(authority: &str) -> bool {
    let host = host_only(authority);
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// True when the registry may be reached over plain HTTP: loopback, or listed by the user as insecure
/// (by `host:port` or by host alone).
pub fn allows_plain_http(authority: &str, insecure: &[String]) -> bool {
    is_loopback(authority)
        || insecure.iter().any(|listed| {
            listed.eq_ignore_ascii_case(authority)
                || (!listed.contains(':') && listed.eq_ignore_ascii_case(host_only(authority)))
        })
}

/// The URL scheme for a registry.
pub fn scheme_for(authority: &str, insecure: &[String]) -> &'static str {
    if allows_plain_http(authority, insecure) { "http" } else { "https" }
}

/// Splits an absolute URL into scheme and authority. `None` for anything else.
pub fn url_origin(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty() && !authority.contains('@')).then_some((scheme, authority))
}

/// True when the policy lets the client send a request to this absolute URL (token realms, redirects
/// from `Link` headers): HTTPS anywhere, plain HTTP only where [`allows_plain_http`] says so.
pub fn url_allowed(url: &str, insecure: &[String]) -> bool {
    match url_origin(url) {
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => true,
        Some((scheme, authority)) if scheme.eq_ignore_ascii_case("http") => allows_plain_http(authority, insecure),
        _ => false,
    }
}

/// True when credentials may be sent to this absolute URL: HTTPS, or plain HTTP to loopback. A registry the
/// user lists as insecure is still reached over plain HTTP, but anonymously: anyone on the path could read
/// a password sent there, and the list may come from a repository's `.bulkhead.toml`.
pub fn protects_credentials(url: &str) -> bool {
    // The request policy with no registry listed as insecure: HTTPS anywhere, plain HTTP to loopback only.
    url_allowed(url, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "localhost:5000", "LOCALHOST:1", "127.0.0.1", "127.1.2.3:80", "[::1]:5000", "::1"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["localhost.evil.com", "128.0.0.1", "10.0.0.1:5000", "[::2]:1", "ghcr.io", "127.0.0.1.nip.io"] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn scheme_policy() {
        let insecure = vec!["reg.lan:5000".to_owned(), "mirror.lan".to_owned()];
        assert_eq!(scheme_for("127.0.0.1:5000", &[]), "http");
        assert_eq!(scheme_for("ghcr.io", &insecure), "https");
        assert_eq!(scheme_for("reg.lan:5000", &insecure), "http");
        assert_eq!(scheme_for("reg.lan:6000", &insecure), "https");
        assert_eq!(scheme_for("mirror.lan:8080", &insecure), "http");
        assert!(url_allowed("https://auth.docker.io/token", &[]));
        assert!(url_allowed("http://127.0.0.1:9/token", &[]));
        assert!(!url_allowed("http://auth.example.com/token", &[]));
        assert!(!url_allowed("file:///etc/passwd", &[]));
        assert!(!url_allowed("/relative", &[]));
        assert!(protects_credentials("https://reg.lan:5000/v2/"));
        assert!(protects_credentials("http://127.0.0.1:5000/v2/"));
        assert!(protects_credentials("http://localhost/token"));
        assert!(!protects_credentials("http://reg.lan:5000/v2/"));
        assert!(!protects_credentials("HTTP://ghcr.io/token"));
        assert!(!protects_credentials("ftp://ghcr.io/"));
    }

    #[test]
    fn docker_hub_alias() {
        let python = ImageRef::parse("python:3").unwrap();
        assert_eq!(api_host(&python), DOCKER_HUB_API);
        assert_eq!(python.path, "library/python");
        assert_eq!(api_host(&ImageRef::parse("docker.io/library/node").unwrap()), DOCKER_HUB_API);
        assert_eq!(api_host(&ImageRef::parse("ghcr.io/org/app").unwrap()), "ghcr.io");
    }
}
