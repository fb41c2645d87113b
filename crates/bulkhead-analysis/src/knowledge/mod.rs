//! Built-in facts about base images: distribution families, images that already run as non-root, and
//! the minimal variants of official images. Used without any network access.

pub mod dockerignore;
pub mod eol;

use crate::image::ImageRef;

/// The distribution family of an image, which decides the package manager and user-creation commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Distro {
    Alpine,
    Debian,
    Ubuntu,
    /// RHEL and its relatives: CentOS, Rocky, Alma, UBI, Fedora, Amazon Linux, Oracle Linux.
    Rhel,
    Suse,
    /// Chainguard's Wolfi (apk based, glibc).
    Wolfi,
    /// Google distroless: no shell, no package manager.
    Distroless,
    Busybox,
    Scratch,
    Windows,
    Unknown,
}

impl Distro {
    /// True when the image has `/bin/sh`.
    pub fn has_shell(self) -> bool {
        !matches!(self, Distro::Distroless | Distro::Scratch | Distro::Windows)
    }

    /// True for BusyBox user tools (`adduser -S`, `addgroup -S`).
    pub fn uses_busybox_user_tools(self) -> bool {
        matches!(self, Distro::Alpine | Distro::Busybox | Distro::Wolfi)
    }

    /// The `RUN` command that creates system group and user `name` with the distribution's own tools
    /// (`addgroup`/`adduser` on BusyBox-based images, `groupadd`/`useradd` elsewhere); `None` for an image
    /// without those tools or an unknown one.
    pub fn create_user_command(self, name: &str) -> Option<String> {
        if self.uses_busybox_user_tools() {
            return Some(format!("addgroup -S {name} && adduser -S -G {name} -H -D {name}"));
        }
        matches!(self, Distro::Debian | Distro::Ubuntu | Distro::Rhel | Distro::Suse)
            .then(|| format!("groupadd --system {name} && useradd --system --gid {name} --no-create-home {name}"))
    }

    /// Like [`Distro::create_user_command`], with the user's UID and its group's GID both fixed to `id`, so
    /// that `USER <id>` names it by number (what Kubernetes' `runAsNonRoot` can verify).
    pub fn create_user_with_id_command(self, name: &str, id: u32) -> Option<String> {
        if self.uses_busybox_user_tools() {
            return Some(format!("addgroup -S -g {id} {name} && adduser -S -G {name} -H -D -u {id} {name}"));
        }
        matches!(self, Distro::Debian | Distro::Ubuntu | Distro::Rhel | Distro::Suse).then(|| {
            format!(
                "groupadd --system --gid {id} {name} && useradd --system --uid {id} --gid {name} --no-create-home {name}"
            )
        })
    }

    /// The package manager the distribution ships, if any.
    pub fn package_manager(self) -> Option<PackageManager> {
        match self {
            Distro::Alpine | Distro::Wolfi => Some(PackageManager::Apk),
            Distro::Debian | Distro::Ubuntu => Some(PackageManager::Apt),
            Distro::Rhel => Some(PackageManager::Dnf),
            Distro::Suse => Some(PackageManager::Zypper),
            Distro::Distroless | Distro::Busybox | Distro::Scratch | Distro::Windows | Distro::Unknown => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Distro::Alpine => "Alpine",
            Distro::Debian => "Debian",
            Distro::Ubuntu => "Ubuntu",
            Distro::Rhel => "RHEL-family",
            Distro::Suse => "SUSE",
            Distro::Wolfi => "Wolfi",
            Distro::Distroless => "distroless",
            Distro::Busybox => "BusyBox",
            Distro::Scratch => "scratch",
            Distro::Windows => "Windows",
            Distro::Unknown => "unknown",
        }
    }
}

/// A system package manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageManager {
    Apk,
    Apt,
    /// dnf, yum and microdnf.
    Dnf,
    Zypper,
}

impl PackageManager {
    /// The package manager a program name belongs to.
    pub fn of_program(program: &str) -> Option<Self> {
        match program {
            "apk" => Some(Self::Apk),
            "apt-get" | "apt" | "aptitude" | "dpkg" => Some(Self::Apt),
            "dnf" | "yum" | "microdnf" | "rpm" | "tdnf" => Some(Self::Dnf),
            "zypper" => Some(Self::Zypper),
            _ => None,
        }
    }
}

/// Official Docker Hub images whose default variant is Debian based.
const DEBIAN_BASED_OFFICIAL: &[&str] = &[
    "python",
    "node",
    "golang",
    "ruby",
    "php",
    "perl",
    "rust",
    "httpd",
    "nginx",
    "postgres",
    "redis",
    "wordpress",
    "buildpack-deps",
    "openjdk",
    "gcc",
    "haskell",
    "elixir",
    "erlang",
    "julia",
    "r-base",
    "mariadb",
    "mongo",
    "rabbitmq",
    "memcached",
    "ghost",
    "drupal",
    "joomla",
    "nextcloud",
    "tomcat",
    "maven",
    "gradle",
    "clojure",
    "composer",
    "pypy",
    "swift",
    "dart",
    "mono",
    "neo4j",
    "cassandra",
    "influxdb",
    "traefik",
    "caddy",
    "kong",
    "solr",
    "sonarqube",
    "jenkins",
    "odoo",
    "docker",
    "registry",
    "haproxy",
];

/// The distribution family a base image reference implies, from its name and tag.
pub fn distro_of_image(image: &ImageRef) -> Distro {
    let path = image.path.to_ascii_lowercase();
    let name = image.name().to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let registry = image.registry.as_deref().unwrap_or("");
    if path.contains("distroless") {
        return Distro::Distroless;
    }
    if registry == "cgr.dev" || path.starts_with("chainguard/") || name == "wolfi-base" {
        return Distro::Wolfi;
    }
    if registry == "mcr.microsoft.com" && path.starts_with("windows")
        || tag.contains("windowsservercore")
        || tag.contains("nanoserver")
    {
        return Distro::Windows;
    }
    if tag.contains("alpine") {
        return Distro::Alpine;
    }
    if ["ubi", "centos", "rocky", "alma", "fedora", "amazonlinux", "oraclelinux"].iter().any(|t| tag.contains(t)) {
        return Distro::Rhel;
    }
    if ["jammy", "focal", "noble", "bionic", "xenial", "ubuntu"].iter().any(|t| tag.contains(t)) {
        return Distro::Ubuntu;
    }
    if ["bookworm", "bullseye", "buster", "stretch", "trixie", "slim", "debian"].iter().any(|t| tag.contains(t)) {
        return Distro::Debian;
    }
    match name.as_str() {
        "alpine" => return Distro::Alpine,
        "debian" => return Distro::Debian,
        "ubuntu" => return Distro::Ubuntu,
        "busybox" => return Distro::Busybox,
        "scratch" => return Distro::Scratch,
        "centos" | "rockylinux" | "almalinux" | "fedora" | "amazonlinux" | "oraclelinux" | "mysql" => {
            return Distro::Rhel;
        }
        n if n.starts_with("ubi") => return Distro::Rhel,
        "eclipse-temurin" | "ibmjava" => return Distro::Ubuntu,
        _ => {}
    }
    if path.starts_with("opensuse/") || name == "sles" || name.starts_with("bci-") {
        return Distro::Suse;
    }
    if image.is_official() && DEBIAN_BASED_OFFICIAL.contains(&name.as_str()) {
        return Distro::Debian;
    }
    Distro::Unknown
}

/// Why a base image is known to run as a non-root user by default, if it is.
pub fn nonroot_base_image(image: &ImageRef) -> Option<&'static str> {
    let path = image.path.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let registry = image.registry.as_deref().unwrap_or("");
    if path.contains("distroless") && (tag == "nonroot" || tag.ends_with("-nonroot") || tag.starts_with("nonroot")) {
        return Some("distroless `nonroot` images run as UID 65532");
    }
    if registry == "cgr.dev" || path.starts_with("chainguard/") {
        return Some("Chainguard images run as a non-root user by default");
    }
    if tag.ends_with("-rootless") || tag == "rootless" || path.ends_with("-rootless") {
        return Some("`rootless` images run as a non-root user");
    }
    if path.starts_with("bitnami/") {
        return Some("Bitnami images run as UID 1001");
    }
    if path.ends_with("-unprivileged") {
        return Some("`unprivileged` images run as a non-root user");
    }
    None
}

/// A smaller variant of an official image, for the base-image-non-minimal fix. `None` when the image is
/// already minimal or has no known variant.
pub fn minimal_variant(image: &ImageRef) -> Option<MinimalVariant> {
    if !image.is_official() || image.digest.is_some() {
        return None;
    }
    let name = image.name();
    let tag = image.tag.as_deref().unwrap_or("latest");
    let lower = tag.to_ascii_lowercase();
    let minimal_markers = ["slim", "alpine", "distroless", "minimal", "nanoserver", "scratch", "busybox"];
    if minimal_markers.iter().any(|m| lower.contains(m)) {
        return None;
    }
    let slim = |new_tag: String| Some(MinimalVariant { tag: new_tag, note: "Debian slim: same libc, fewer packages" });
    match name {
        // Tags of these images put `slim` before the Debian suite: `3.12-slim-bookworm`.
        // (`php` has no slim variant: its images are already built on `debian:*-slim`.)
        "python" | "ruby" | "perl" | "rust" | "pypy" | "haskell" => match slim_tag_parts(tag)? {
            (None, None) => slim("slim".to_owned()),
            (None, Some(suite)) => slim(format!("slim-{suite}")),
            (Some(version), None) => slim(format!("{version}-slim")),
            (Some(version), Some(suite)) => slim(format!("{version}-slim-{suite}")),
        },
        // Node puts it after the suite: `20-bookworm-slim`.
        "node" => match slim_tag_parts(tag)? {
            (None, None) => slim("slim".to_owned()),
            (None, Some(suite)) => slim(format!("{suite}-slim")),
            (Some(version), None) => slim(format!("{version}-slim")),
            (Some(version), Some(suite)) => slim(format!("{version}-{suite}-slim")),
        },
        // Only plain version tags have a known slim twin (`21-slim`, `27-slim`).
        "openjdk" | "erlang" | "elixir" => match slim_tag_parts(tag)? {
            (Some(version), None) => slim(format!("{version}-slim")),
            _ => None,
        },
        "debian" => {
            if tag.contains("backports") {
                return None;
            }
            let new_tag = if tag == "latest" { "stable-slim".to_owned() } else { format!("{tag}-slim") };
            slim(new_tag)
        }
        _ => None,
    }
}

/// Debian suites that official images use in their tags.
const DEBIAN_SUITES: &[&str] = &["trixie", "bookworm", "bullseye", "buster"];

/// Splits a language image tag into a version and a Debian suite: `3.12-bookworm` → (`3.12`, `bookworm`),
/// `latest` → (none, none). `None` for any other shape (`3.14-rc`, `8-jdk`, `windowsservercore`), whose
/// slim twin is not known.
fn slim_tag_parts(tag: &str) -> Option<(Option<&str>, Option<&str>)> {
    let is_version = |v: &str| {
        matches!(v, "lts" | "current")
            || (!v.is_empty() && v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    };
    if tag == "latest" {
        return Some((None, None));
    }
    if DEBIAN_SUITES.contains(&tag) {
        return Some((None, Some(tag)));
    }
    if is_version(tag) {
        return Some((Some(tag), None));
    }
    match tag.rsplit_once('-') {
        Some((version, suite)) if is_version(version) && DEBIAN_SUITES.contains(&suite) => {
            Some((Some(version), Some(suite)))
        }
        _ => None,
    }
}

/// See [`minimal_variant`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinimalVariant {
    pub tag: String,
    pub note: &'static str,
}

/// Full distribution or language images that are not minimal as a runtime base.
pub fn is_full_image(image: &ImageRef) -> bool {
    if !image.is_official() {
        return false;
    }
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    let minimal_markers = ["slim", "alpine", "distroless", "minimal", "nanoserver", "busybox"];
    if minimal_markers.iter().any(|m| tag.contains(m)) {
        return false;
    }
    matches!(
        image.name(),
        "ubuntu"
            | "debian"
            | "centos"
            | "fedora"
            | "python"
            | "node"
            | "golang"
            | "ruby"
            | "perl"
            | "rust"
            | "openjdk"
            | "buildpack-deps"
            | "gcc"
            | "haskell"
            | "pypy"
            | "maven"
            | "gradle"
            | "rockylinux"
            | "almalinux"
            | "amazonlinux"
            | "oraclelinux"
            | "erlang"
            | "elixir"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(raw: &str) -> ImageRef {
        ImageRef::parse(raw).unwrap()
    }

    #[test]
    fn distro_families() {
        assert_eq!(distro_of_image(&image("python:3.12-alpine")), Distro::Alpine);
        assert_eq!(distro_of_image(&image("python:3.12")), Distro::Debian);
        assert_eq!(distro_of_image(&image("gcr.io/distroless/static:nonroot")), Distro::Distroless);
        assert_eq!(distro_of_image(&image("registry.access.redhat.com/ubi9/ubi-minimal")), Distro::Rhel);
        assert_eq!(distro_of_image(&image("mcr.microsoft.com/windows/servercore:ltsc2022")), Distro::Windows);
        assert_eq!(distro_of_image(&image("golang:1.22-windowsservercore-ltsc2022")), Distro::Windows);
        assert_eq!(distro_of_image(&image("myorg/thing")), Distro::Unknown);
    }

    #[test]
    fn minimal_variants() {
        let variant = |raw| minimal_variant(&image(raw)).map(|v| v.tag);
        assert_eq!(variant("python:3.12").as_deref(), Some("3.12-slim"));
        assert_eq!(variant("python:3.12-bookworm").as_deref(), Some("3.12-slim-bookworm"));
        assert_eq!(variant("node").as_deref(), Some("slim"));
        assert_eq!(variant("debian:bookworm").as_deref(), Some("bookworm-slim"));
        assert_eq!(variant("python:3.12-slim"), None);
        assert_eq!(variant("python:3.12-alpine"), None);
        assert_eq!(variant("python:latest").as_deref(), Some("slim"));
        assert_eq!(variant("python:bookworm").as_deref(), Some("slim-bookworm"));
        assert_eq!(variant("node:20-bookworm").as_deref(), Some("20-bookworm-slim"));
        assert_eq!(variant("node:lts").as_deref(), Some("lts-slim"));
        assert_eq!(variant("openjdk:21").as_deref(), Some("21-slim"));
        assert_eq!(variant("openjdk:21-jdk"), None);
        assert_eq!(variant("python:3.14-rc"), None);
        assert_eq!(variant("python:3.12-windowsservercore-ltsc2022"), None);
        assert_eq!(variant("php:8.3"), None);
        assert_eq!(variant("debian:bookworm-backports"), None);
        assert_eq!(variant("debian").as_deref(), Some("stable-slim"));
    }

    #[test]
    fn nonroot_images() {
        assert!(nonroot_base_image(&image("gcr.io/distroless/static-debian12:nonroot")).is_some());
        assert!(nonroot_base_image(&image("cgr.dev/chainguard/python:latest")).is_some());
        assert!(nonroot_base_image(&image("docker:27-dind-rootless")).is_some());
        assert!(nonroot_base_image(&image("gcr.io/distroless/static-debian12")).is_none());
        assert!(nonroot_base_image(&image("python:3.12")).is_none());
    }
}
