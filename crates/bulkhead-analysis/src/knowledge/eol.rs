//! End-of-life dates of the releases official base images carry: distributions (Debian, Ubuntu, Alpine,
//! CentOS, RHEL UBI, Amazon Linux) and languages (Node.js, Python, Go, Ruby, PHP, Java). Used by BH106
//! (base-image-end-of-life) with the date the driver passes ([`crate::BuildContext::today`]); the engine
//! never reads a clock.
//!
//! Source: the vendors' published schedules as collected by <https://endoflife.date> (one page per
//! product), checked 2025. The date is when the release stops getting security fixes from the project:
//! for Debian the end of its LTS (the official images keep getting LTS updates), for Ubuntu the end of
//! standard support (Ubuntu Pro's ESM is not in the public images). Releases whose end depends on a
//! release not out when the table was made (Go N ends when N+2 comes out) use the last day of the
//! planned month. A release not in the table is not reported.

use std::fmt;

use crate::image::ImageRef;

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`). The drivers turn the
    /// system clock into a date with it.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }
}

impl Date {
    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), the inverse of
    /// [`Self::from_days_since_epoch`]: the difference of two dates in days.
    pub fn days_since_epoch(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One release's end of life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndOfLife {
    /// The product as people name it: `Debian 10 (buster)`, `Python 3.8`.
    pub product: &'static str,
    pub release: &'static str,
    pub date: Date,
}

/// `(product, release, end of life)`.
const TABLE: &[(&str, &str, &str)] = &[
    // Debian: end of LTS (https://wiki.debian.org/LTS).
    ("Debian", "6", "2016-02-29"),
    ("Debian", "7", "2018-05-31"),
    ("Debian", "8", "2020-06-30"),
    ("Debian", "9", "2022-06-30"),
    ("Debian", "10", "2024-06-30"),
    ("Debian", "11", "2026-08-31"),
    ("Debian", "12", "2028-06-30"),
    ("Debian", "13", "2030-06-30"),
    // Ubuntu: end of standard support (https://ubuntu.com/about/release-cycle).
    ("Ubuntu", "12.04", "2017-04-28"),
    ("Ubuntu", "14.04", "2019-04-25"),
    ("Ubuntu", "16.04", "2021-04-30"),
    ("Ubuntu", "18.04", "2023-05-31"),
    ("Ubuntu", "19.04", "2020-01-23"),
    ("Ubuntu", "19.10", "2020-07-17"),
    ("Ubuntu", "20.04", "2025-05-31"),
    ("Ubuntu", "20.10", "2021-07-22"),
    ("Ubuntu", "21.04", "2022-01-20"),
    ("Ubuntu", "21.10", "2022-07-14"),
    ("Ubuntu", "22.04", "2027-06-01"),
    ("Ubuntu", "22.10", "2023-07-20"),
    ("Ubuntu", "23.04", "2024-01-25"),
    ("Ubuntu", "23.10", "2024-07-11"),
    ("Ubuntu", "24.04", "2029-05-31"),
    ("Ubuntu", "24.10", "2025-07-10"),
    // Alpine: two years per branch (https://alpinelinux.org/releases/).
    ("Alpine", "3.5", "2018-11-01"),
    ("Alpine", "3.6", "2019-05-01"),
    ("Alpine", "3.7", "2019-11-01"),
    ("Alpine", "3.8", "2020-05-01"),
    ("Alpine", "3.9", "2020-11-01"),
    ("Alpine", "3.10", "2021-05-01"),
    ("Alpine", "3.11", "2021-11-01"),
    ("Alpine", "3.12", "2022-05-01"),
    ("Alpine", "3.13", "2022-11-01"),
    ("Alpine", "3.14", "2023-05-01"),
    ("Alpine", "3.15", "2023-11-01"),
    ("Alpine", "3.16", "2024-05-23"),
    ("Alpine", "3.17", "2024-11-22"),
    ("Alpine", "3.18", "2025-05-09"),
    ("Alpine", "3.19", "2025-11-01"),
    ("Alpine", "3.20", "2026-04-01"),
    ("Alpine", "3.21", "2026-11-01"),
    ("Alpine", "3.22", "2027-05-01"),
    // CentOS (https://www.centos.org/centos-linux-eol/, CentOS Stream lifecycle).
    ("CentOS", "6", "2020-11-30"),
    ("CentOS", "7", "2024-06-30"),
    ("CentOS", "8", "2021-12-31"),
    ("CentOS Stream", "8", "2024-05-31"),
    ("CentOS Stream", "9", "2027-05-31"),
    // Red Hat UBI: the RHEL release's maintenance support (https://access.redhat.com/support/policy/updates/errata).
    ("Red Hat UBI", "7", "2024-06-30"),
    ("Red Hat UBI", "8", "2029-05-31"),
    ("Red Hat UBI", "9", "2032-05-31"),
    // Amazon Linux (https://aws.amazon.com/amazon-linux-2/faqs/, AL2023 release notes).
    ("Amazon Linux", "1", "2023-12-31"),
    ("Amazon Linux", "2", "2026-06-30"),
    ("Amazon Linux", "2023", "2029-06-30"),
    // Node.js (https://github.com/nodejs/Release).
    ("Node.js", "8", "2019-12-31"),
    ("Node.js", "10", "2021-04-30"),
    ("Node.js", "11", "2019-06-01"),
    ("Node.js", "12", "2022-04-30"),
    ("Node.js", "13", "2020-06-01"),
    ("Node.js", "14", "2023-04-30"),
    ("Node.js", "15", "2021-06-01"),
    ("Node.js", "16", "2023-09-11"),
    ("Node.js", "17", "2022-06-01"),
    ("Node.js", "18", "2025-04-30"),
    ("Node.js", "19", "2023-06-01"),
    ("Node.js", "20", "2026-04-30"),
    ("Node.js", "21", "2024-06-01"),
    ("Node.js", "22", "2027-04-30"),
    ("Node.js", "23", "2025-06-01"),
    ("Node.js", "24", "2028-04-30"),
    // Python (https://devguide.python.org/versions/).
    ("Python", "2.7", "2020-01-01"),
    ("Python", "3.4", "2019-03-18"),
    ("Python", "3.5", "2020-09-30"),
    ("Python", "3.6", "2021-12-23"),
    ("Python", "3.7", "2023-06-27"),
    ("Python", "3.8", "2024-10-07"),
    ("Python", "3.9", "2025-10-31"),
    ("Python", "3.10", "2026-10-31"),
    ("Python", "3.11", "2027-10-31"),
    ("Python", "3.12", "2028-10-31"),
    ("Python", "3.13", "2029-10-31"),
    // Go: a release is supported until the second newer one comes out (https://go.dev/doc/devel/release).
    ("Go", "1.13", "2020-08-11"),
    ("Go", "1.14", "2021-02-16"),
    ("Go", "1.15", "2021-08-16"),
    ("Go", "1.16", "2022-03-15"),
    ("Go", "1.17", "2022-08-02"),
    ("Go", "1.18", "2023-02-01"),
    ("Go", "1.19", "2023-08-08"),
    ("Go", "1.20", "2024-02-06"),
    ("Go", "1.21", "2024-08-13"),
    ("Go", "1.22", "2025-02-11"),
    ("Go", "1.23", "2025-08-12"),
    ("Go", "1.24", "2026-02-28"),
    ("Go", "1.25", "2026-08-31"),
    // Ruby (https://www.ruby-lang.org/en/downloads/branches/).
    ("Ruby", "2.4", "2020-03-31"),
    ("Ruby", "2.5", "2021-04-05"),
    ("Ruby", "2.6", "2022-04-12"),
    ("Ruby", "2.7", "2023-03-31"),
    ("Ruby", "3.0", "2024-04-23"),
    ("Ruby", "3.1", "2025-03-26"),
    ("Ruby", "3.2", "2026-03-31"),
    ("Ruby", "3.3", "2027-03-31"),
    ("Ruby", "3.4", "2028-03-31"),
    // PHP (https://www.php.net/supported-versions.php).
    ("PHP", "5.6", "2018-12-31"),
    ("PHP", "7.0", "2019-01-10"),
    ("PHP", "7.1", "2019-12-01"),
    ("PHP", "7.2", "2020-11-30"),
    ("PHP", "7.3", "2021-12-06"),
    ("PHP", "7.4", "2022-11-28"),
    ("PHP", "8.0", "2023-11-26"),
    ("PHP", "8.1", "2025-12-31"),
    ("PHP", "8.2", "2026-12-31"),
    ("PHP", "8.3", "2027-12-31"),
    ("PHP", "8.4", "2028-12-31"),
    // Java: the feature releases that are not long-term support end when the next one comes out
    // (March and September, https://www.java.com/releases/); the LTS releases' ends differ by vendor and
    // are not in the table.
    ("Java", "12", "2019-09-17"),
    ("Java", "13", "2020-03-17"),
    ("Java", "14", "2020-09-15"),
    ("Java", "15", "2021-03-16"),
    ("Java", "16", "2021-09-14"),
    ("Java", "18", "2022-09-20"),
    ("Java", "19", "2023-03-21"),
    ("Java", "20", "2023-09-19"),
    ("Java", "22", "2024-09-17"),
    ("Java", "23", "2025-03-18"),
    ("Java", "24", "2025-09-16"),
];

/// Debian and Ubuntu code names, as tags use them.
const CODENAMES: &[(&str, &str, &str)] = &[
    ("Debian", "squeeze", "6"),
    ("Debian", "wheezy", "7"),
    ("Debian", "jessie", "8"),
    ("Debian", "stretch", "9"),
    ("Debian", "buster", "10"),
    ("Debian", "bullseye", "11"),
    ("Debian", "bookworm", "12"),
    ("Debian", "trixie", "13"),
    ("Ubuntu", "precise", "12.04"),
    ("Ubuntu", "trusty", "14.04"),
    ("Ubuntu", "xenial", "16.04"),
    ("Ubuntu", "bionic", "18.04"),
    ("Ubuntu", "disco", "19.04"),
    ("Ubuntu", "eoan", "19.10"),
    ("Ubuntu", "focal", "20.04"),
    ("Ubuntu", "groovy", "20.10"),
    ("Ubuntu", "hirsute", "21.04"),
    ("Ubuntu", "impish", "21.10"),
    ("Ubuntu", "jammy", "22.04"),
    ("Ubuntu", "kinetic", "22.10"),
    ("Ubuntu", "lunar", "23.04"),
    ("Ubuntu", "mantic", "23.10"),
    ("Ubuntu", "noble", "24.04"),
    ("Ubuntu", "oracular", "24.10"),
];

fn lookup(product: &'static str, release: &str) -> Option<EndOfLife> {
    TABLE
        .iter()
        .find(|(p, r, _)| *p == product && *r == release)
        .and_then(|(product, release, date)| Some(EndOfLife { product, release, date: Date::parse(date)? }))
}

/// The first `major.minor` (or `major` alone when `minor_too` is false) at the start of `text`:
/// `3.12.4-slim` → `3.12`.
fn leading_version(text: &str, minor_too: bool) -> Option<String> {
    let mut parts = text.split(['.', '-', '_']);
    let major = parts.next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
    if !minor_too {
        return Some(major.to_owned());
    }
    let minor = parts.next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))?;
    // Only when the separator after the major is a dot.
    (text.as_bytes().get(major.len()) == Some(&b'.')).then(|| format!("{major}.{minor}"))
}

/// The distribution release a tag names in one of its `-` parts (`slim-buster`, `alpine3.12`,
/// `bullseye-20240101`), for images built on one.
fn distro_in_tag(tag: &str) -> Option<EndOfLife> {
    for part in tag.split('-') {
        if let Some((product, _, number)) = CODENAMES.iter().find(|(_, name, _)| *name == part) {
            return lookup(product, number);
        }
        if let Some(version) = part.strip_prefix("alpine")
            && let Some(release) = leading_version(version, true)
        {
            return lookup("Alpine", &release);
        }
    }
    None
}

/// The end-of-life records that apply to an image: its own release (`python:3.8` is Python 3.8,
/// `debian:10` is Debian 10) and the distribution release its tag names (`python:3.8-slim-buster` is
/// also Debian 10). Only official images (and Red Hat's UBI and CentOS Stream on their registries) are
/// known; images pinned only by digest, or with a tag that names no release, give nothing.
pub fn end_of_life(image: &ImageRef) -> Vec<EndOfLife> {
    let Some(tag) = image.tag.as_deref() else { return Vec::new() };
    let mut res = Vec::new();
    let own = match (image.is_official(), image.name()) {
        (true, "debian") => {
            leading_version(tag, false).or_else(|| tag.split('-').next().map(str::to_owned)).and_then(|release| {
                let number = CODENAMES
                    .iter()
                    .find(|(product, name, _)| *product == "Debian" && *name == release)
                    .map_or(release.as_str(), |(_, _, number)| number);
                lookup("Debian", number)
            })
        }
        (true, "ubuntu") => {
            let first = tag.split('-').next().unwrap_or_default();
            let number = CODENAMES
                .iter()
                .find(|(product, name, _)| *product == "Ubuntu" && *name == first)
                .map(|(_, _, number)| (*number).to_owned())
                .or_else(|| leading_version(tag, true));
            number.and_then(|number| lookup("Ubuntu", &number))
        }
        (true, "alpine") => leading_version(tag, true).and_then(|release| lookup("Alpine", &release)),
        (true, "centos") => {
            let version = tag.strip_prefix("centos").unwrap_or(tag);
            leading_version(version, false).and_then(|release| lookup("CentOS", &release))
        }
        (true, "amazonlinux") => match leading_version(tag, false).as_deref() {
            Some("2018") => lookup("Amazon Linux", "1"),
            Some(release) => lookup("Amazon Linux", release),
            None => None,
        },
        (true, "node") => leading_version(tag, false).and_then(|release| lookup("Node.js", &release)),
        // `python:2` is 2.7, the last 2.x; `python:3` names no release.
        (true, "python") => leading_version(tag, true)
            .or_else(|| leading_version(tag, false).filter(|major| major == "2").map(|_| "2.7".to_owned()))
            .and_then(|release| lookup("Python", &release)),
        (true, "golang") => leading_version(tag, true).and_then(|release| lookup("Go", &release)),
        (true, "ruby") => leading_version(tag, true).and_then(|release| lookup("Ruby", &release)),
        (true, "php") => leading_version(tag, true).and_then(|release| lookup("PHP", &release)),
        (true, "eclipse-temurin" | "amazoncorretto" | "openjdk") => {
            leading_version(tag, false).and_then(|release| lookup("Java", &release))
        }
        (false, _) => red_hat(image, tag),
        _ => None,
    };
    res.extend(own);
    // The distribution under a language or server image.
    if image.is_official() && !matches!(image.name(), "debian" | "ubuntu" | "alpine") {
        res.extend(distro_in_tag(tag));
    }
    res
}

/// Red Hat's UBI (`registry.access.redhat.com/ubi8/ubi-minimal`, `redhat/ubi9`) and CentOS Stream
/// (`quay.io/centos/centos:stream9`).
fn red_hat(image: &ImageRef, tag: &str) -> Option<EndOfLife> {
    let mut parts = image.path.split('/');
    let first = parts.next()?;
    if image.path == "centos/centos" {
        return tag.strip_prefix("stream").and_then(|release| lookup("CentOS Stream", release));
    }
    let ubi = match (first, parts.next()) {
        (ubi, Some(_)) if ubi.starts_with("ubi") => ubi,
        ("redhat", Some(ubi)) if ubi.starts_with("ubi") => ubi,
        _ => return None,
    };
    let release = ubi.strip_prefix("ubi")?;
    lookup("Red Hat UBI", release.split('-').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eol(raw: &str) -> Vec<String> {
        end_of_life(&ImageRef::parse(raw).unwrap()).iter().map(|e| format!("{} {}", e.product, e.release)).collect()
    }

    #[test]
    fn days_round_trip() {
        for (date, days) in [((1970, 1, 1), 0), ((2000, 3, 1), 11_017), ((2026, 12, 1), 20_788), ((1969, 12, 31), -1)] {
            let date = Date::new(date.0, date.1, date.2);
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert_eq!(Date::from_days_since_epoch(days), date);
        }
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn releases_from_tags() {
        assert_eq!(eol("python:3.8-slim-buster"), ["Python 3.8", "Debian 10"]);
        assert_eq!(eol("python:3.12-slim"), ["Python 3.12"]);
        assert_eq!(eol("python:3"), Vec::<String>::new());
        assert_eq!(eol("python:2-alpine"), ["Python 2.7"]);
        assert_eq!(eol("debian:buster-slim"), ["Debian 10"]);
        assert_eq!(eol("debian:10.13"), ["Debian 10"]);
        assert_eq!(eol("debian:bullseye-20240101"), ["Debian 11"]);
        assert_eq!(eol("ubuntu:16.04"), ["Ubuntu 16.04"]);
        assert_eq!(eol("ubuntu:bionic-20230530"), ["Ubuntu 18.04"]);
        assert_eq!(eol("alpine:3.12.4"), ["Alpine 3.12"]);
        assert_eq!(eol("node:14-alpine3.16"), ["Node.js 14", "Alpine 3.16"]);
        assert_eq!(eol("golang:1.20-alpine"), ["Go 1.20"]);
        assert_eq!(eol("centos:7"), ["CentOS 7"]);
        assert_eq!(eol("centos:centos7.9.2009"), ["CentOS 7"]);
        assert_eq!(eol("quay.io/centos/centos:stream8"), ["CentOS Stream 8"]);
        assert_eq!(eol("registry.access.redhat.com/ubi8/ubi-minimal:8.9"), ["Red Hat UBI 8"]);
        assert_eq!(eol("amazonlinux:2018.03"), ["Amazon Linux 1"]);
        assert_eq!(eol("php:7.4-fpm-alpine3.16"), ["PHP 7.4", "Alpine 3.16"]);
        assert_eq!(eol("eclipse-temurin:19-jre"), ["Java 19"]);
        assert_eq!(eol("eclipse-temurin:21-jre"), Vec::<String>::new());
        // Not official, no tag, a tag without a release.
        assert_eq!(eol("someone/python:3.8"), Vec::<String>::new());
        assert_eq!(eol("python"), Vec::<String>::new());
        assert_eq!(eol("node:lts-alpine"), Vec::<String>::new());
    }

    #[test]
    fn dates() {
        assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_days_since_epoch(19_723), Date::new(2024, 1, 1));
        assert_eq!(Date::from_days_since_epoch(20_794), Date::new(2026, 12, 7));
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::new(2024, 6, 30).to_string(), "2024-06-30");
        assert!(TABLE.iter().all(|(_, _, date)| Date::parse(date).is_some()));
    }
}
