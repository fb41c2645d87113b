//! One error type for every way a registry look-up fails, each with a one-line message.

use std::fmt;
use std::time::Duration;

/// What went wrong, in terms a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// No route to the network (the machine is offline).
    Offline,
    /// The registry host name does not resolve.
    Dns,
    /// Nothing listens on the registry's port.
    ConnectionRefused,
    /// Another connection failure (reset, closed early, protocol error).
    Connection,
    /// The registry did not answer in time.
    Timeout,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// 401: no credentials, or the credentials were refused.
    Unauthorized,
    /// 403: the credentials do not grant access.
    Forbidden,
    /// 404: no such repository, tag or blob.
    NotFound,
    /// 429: rate limited; the registry's `Retry-After`, when it sent one.
    RateLimited { retry_after: Option<Duration> },
    /// Any other unexpected HTTP status.
    Status(u16),
    /// A response that is not what the distribution API promises (bad JSON, missing field, bad header).
    Malformed,
    /// A response body over the configured cap.
    TooLarge { limit: u64 },
    /// The content does not hash to the digest it was fetched by.
    DigestMismatch,
    /// The image index has no manifest for the requested platform.
    NoPlatform,
    /// The transport policy forbids the request (plain HTTP to a non-loopback host not listed as insecure).
    Insecure,
    /// The reference cannot be looked up (no tag and no digest to resolve, bad characters).
    InvalidReference,
    /// The client runs offline-only and the cache has no fresh entry.
    NotCached,
    /// A local I/O problem (docker config, cache directory).
    Io,
}

/// A failed registry operation: the kind, the registry host and a short detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The registry host the request went to (`registry-1.docker.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// What was asked for or what the server said, one line.
    pub detail: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, registry: &str, detail: impl Into<String>) -> Self {
        let detail: String = detail.into();
        // One line, bounded: server-provided text must not flood an editor's status line.
        let mut detail = detail.split_whitespace().collect::<Vec<_>>().join(" ");
        if detail.len() > 200 {
            let mut cut = 200;
            while !detail.is_char_boundary(cut) {
                cut -= 1;
            }
            detail.truncate(cut);
            detail.push('…');
        }
        Self { kind, registry: registry.to_owned(), detail }
    }

    /// True for failures that a later retry may not have (network, timeouts, rate limits, 5xx).
    pub fn is_transient(&self) -> bool {
        match self.kind {
            ErrorKind::Offline
            | ErrorKind::Dns
            | ErrorKind::ConnectionRefused
            | ErrorKind::Connection
            | ErrorKind::Timeout
            | ErrorKind::RateLimited { .. } => true,
            ErrorKind::Status(code) => code >= 500,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            ErrorKind::Offline => "network unreachable (offline?)".to_owned(),
            ErrorKind::Dns => "host name does not resolve".to_owned(),
            ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            ErrorKind::Connection => "connection failed".to_owned(),
            ErrorKind::Timeout => "timed out".to_owned(),
            ErrorKind::Tls => "TLS failure".to_owned(),
            ErrorKind::Unauthorized => "401 unauthorized (missing or wrong credentials)".to_owned(),
            ErrorKind::Forbidden => "403 forbidden".to_owned(),
            ErrorKind::NotFound => "404 not found".to_owned(),
            ErrorKind::RateLimited { retry_after: Some(wait) } => {
                format!("429 rate limited, retry after {}s", wait.as_secs())
            }
            ErrorKind::RateLimited { retry_after: None } => "429 rate limited".to_owned(),
            ErrorKind::Status(code) => format!("unexpected HTTP status {code}"),
            ErrorKind::Malformed => "malformed response".to_owned(),
            ErrorKind::TooLarge { limit } => format!("response larger than {limit} bytes"),
            ErrorKind::DigestMismatch => "content does not match its digest".to_owned(),
            ErrorKind::NoPlatform => "no manifest for the platform".to_owned(),
            ErrorKind::Insecure => "plain HTTP refused (list the registry as insecure to allow it)".to_owned(),
            ErrorKind::InvalidReference => "invalid image reference".to_owned(),
            ErrorKind::NotCached => "not in the cache (offline mode)".to_owned(),
            ErrorKind::Io => "local I/O error".to_owned(),
        };
        write!(f, "registry {}: {what}", self.registry)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Maps a transport error from ureq to a typed error.
pub(crate) fn from_ureq(err: ureq::Error, registry: &str, what: &str) -> Error {
    use ureq::Error as U;
    let kind = match &err {
        U::Timeout(_) | U::BodyStalled => ErrorKind::Timeout,
        U::HostNotFound => ErrorKind::Dns,
        U::Io(io) => from_io_kind(io.kind()),
        U::BodyExceedsLimit(limit) => ErrorKind::TooLarge { limit: *limit },
        U::Tls(_) | U::Pem(_) | U::Rustls(_) | U::TlsRequired => ErrorKind::Tls,
        U::StatusCode(code) => return status_error(*code, None, registry, what),
        U::BadUri(_) | U::Http(_) | U::LargeResponseHeader(..) => ErrorKind::Malformed,
        U::RequireHttpsOnly(_) => ErrorKind::Insecure,
        _ => ErrorKind::Connection,
    };
    let detail = match kind {
        ErrorKind::TooLarge { .. } | ErrorKind::Timeout | ErrorKind::Dns | ErrorKind::ConnectionRefused => {
            what.to_owned()
        }
        _ => format!("{what}: {err}"),
    };
    Error::new(kind, registry, detail)
}

fn from_io_kind(kind: std::io::ErrorKind) -> ErrorKind {
    use std::io::ErrorKind as K;
    match kind {
        K::ConnectionRefused => ErrorKind::ConnectionRefused,
        K::TimedOut | K::WouldBlock => ErrorKind::Timeout,
        K::NetworkUnreachable | K::HostUnreachable | K::NetworkDown => ErrorKind::Offline,
        _ => ErrorKind::Connection,
    }
}

/// The error for a non-success HTTP status.
pub(crate) fn status_error(code: u16, retry_after: Option<Duration>, registry: &str, what: &str) -> Error {
    let kind = match code {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited { retry_after },
        _ => ErrorKind::Status(code),
    };
    Error::new(kind, registry, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let err = Error::new(ErrorKind::NotFound, "ghcr.io", "manifest org/app:1\n  (unknown)");
        assert_eq!(err.to_string(), "registry ghcr.io: 404 not found: manifest org/app:1 (unknown)");
        let err = status_error(429, Some(Duration::from_secs(30)), "registry-1.docker.io", "tags library/python");
        assert_eq!(
            err.to_string(),
            "registry registry-1.docker.io: 429 rate limited, retry after 30s: tags library/python"
        );
        assert!(err.is_transient());
        let long = Error::new(ErrorKind::Malformed, "r", "é".repeat(300));
        assert!(long.detail.chars().count() <= 201 && !long.to_string().contains('\n'));
    }

    #[test]
    fn maps_transport_errors() {
        assert_eq!(from_ureq(ureq::Error::HostNotFound, "nope.invalid", "ping").kind, ErrorKind::Dns);
        let refused = ureq::Error::Io(std::io::ErrorKind::ConnectionRefused.into());
        assert_eq!(from_ureq(refused, "127.0.0.1:1", "ping").kind, ErrorKind::ConnectionRefused);
        let offline = ureq::Error::Io(std::io::ErrorKind::NetworkUnreachable.into());
        assert_eq!(from_ureq(offline, "ghcr.io", "ping").kind, ErrorKind::Offline);
        assert_eq!(from_ureq(ureq::Error::BodyExceedsLimit(10), "r", "x").kind, ErrorKind::TooLarge { limit: 10 });
        assert_eq!(from_ureq(ureq::Error::StatusCode(403), "r", "x").kind, ErrorKind::Forbidden);
    }
}
