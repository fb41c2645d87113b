//! "Pin tag": the concrete tags that a floating tag such as `3-slim` may stand for today.
//!
//! A tag is read as `[v]VERSION[PRE][SUFFIX]`: `VERSION` dot-separated numbers, `PRE` an optional
//! pre-release marker (`rc1`, `a3`, `-beta.2`, `-rc`), `SUFFIX` the variant (`-slim`, `-alpine3.20`,
//! `-slim-bookworm`). A tag without a leading version (`latest`, `slim`) has an empty version and the
//! variant it names (`latest` means no variant).
//!
//! Candidates for a current tag: same `v` style, same suffix exactly, a version that starts with the
//! current version and is longer (more concrete), no pre-release unless the current tag is one, and not
//! a floating alias of another candidate (`3.13-slim` is dropped when `3.13.1-slim` exists). Newest first.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Tag<'a> {
    v_prefix: bool,
    version: Vec<u64>,
    pre: Option<Pre>,
    suffix: &'a str,
}

/// A pre-release marker: its rank (alpha < beta < rc) and number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Pre {
    rank: u8,
    number: u64,
}

/// Pre-release words, longest first so `alpha` is not read as `a`. `a` and `b` count only when attached
/// to the version and followed by a digit (`3.14.0a3`), so `-alpine` and `-bookworm` stay variants.
const PRE_WORDS: [(&str, u8); 7] =
    [("alpha", 0), ("preview", 1), ("beta", 2), ("pre", 1), ("rc", 3), ("a", 0), ("b", 2)];

fn parse(tag: &str) -> Option<Tag<'_>> {
    let (v_prefix, rest) = match tag.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, tag),
    };
    let mut version = Vec::new();
    let mut rest = rest;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 18 {
            break;
        }
        version.push(rest.get(..digits)?.parse().ok()?);
        rest = rest.get(digits..)?;
        // A '.' continues the version only when a number follows (`1.2-alpine3.20`: the '.' in the suffix).
        match rest.strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => rest = after,
            _ => break,
        }
    }
    if version.is_empty() {
        // `latest` is the default variant; `slim`, `alpine` name one.
        let suffix = if tag == "latest" { "" } else { tag };
        return Some(Tag { v_prefix: false, version, pre: None, suffix });
    }
    let (pre, rest) = parse_pre(rest);
    if !rest.is_empty() && !rest.starts_with(['-', '_', '.', '+']) {
        // `3.13.1foo`: not a version we understand.
        return None;
    }
    Some(Tag { v_prefix, version, pre, suffix: rest })
}

fn parse_pre(rest: &str) -> (Option<Pre>, &str) {
    let (attached, body) = match rest.strip_prefix(['-', '.']) {
        Some(body) => (false, body),
        None => (true, rest),
    };
    for (word, rank) in PRE_WORDS {
        let Some(after) =
            body.get(..word.len()).filter(|head| head.eq_ignore_ascii_case(word)).map(|_| &body[word.len()..])
        else {
            continue;
        };
        let after_sep =
            after.strip_prefix('.').filter(|a| a.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(after);
        let digits = after_sep.bytes().take_while(u8::is_ascii_digit).count();
        let short = word.len() == 1;
        if short && (!attached || digits == 0) {
            continue;
        }
        let tail = &after_sep[digits..];
        // The marker must end the tag or be followed by a separator (`-rc-slim`, `rc1-slim`).
        if !(tail.is_empty() || tail.starts_with(['-', '_', '.', '+'])) {
            continue;
        }
        let number = after_sep[..digits].parse().unwrap_or(0);
        return (Some(Pre { rank, number }), tail);
    }
    (None, rest)
}

/// Newest first: higher version; at the same version a release before its pre-releases.
fn newer_first(a: &Tag<'_>, b: &Tag<'_>) -> Ordering {
    b.version.cmp(&a.version).then_with(|| match (a.pre, b.pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    })
}

/// The concrete tags that keep the variant of `current`, newest first (see the module doc).
pub fn pin_tag_candidates<S: AsRef<str>>(current: &str, tags: &[S]) -> Vec<String> {
    let Some(cur) = parse(current).filter(|_| !current.is_empty()) else { return Vec::new() };
    // `slim` names the variant that versioned tags spell `-slim`.
    let suffix = if cur.version.is_empty() && !cur.suffix.is_empty() {
        format!("-{}", cur.suffix)
    } else {
        cur.suffix.to_owned()
    };
    let mut found: Vec<(Tag<'_>, &str)> = tags
        .iter()
        .map(AsRef::as_ref)
        .filter(|tag| *tag != current)
        .filter_map(|tag| parse(tag).map(|parsed| (parsed, tag)))
        .filter(|(tag, _)| {
            tag.suffix == suffix
                && tag.v_prefix == cur.v_prefix
                && tag.version.len() > cur.version.len()
                && tag.version.starts_with(&cur.version)
                && (tag.pre.is_none() || cur.pre.is_some())
        })
        .collect();
    // Drop floating aliases: a release whose version is a proper prefix of another candidate's.
    let versions: Vec<Vec<u64>> = found.iter().map(|(tag, _)| tag.version.clone()).collect();
    found.retain(|(tag, _)| {
        tag.pre.is_some() || !versions.iter().any(|v| v.len() > tag.version.len() && v.starts_with(&tag.version))
    });
    found.sort_by(|(a, a_raw), (b, b_raw)| newer_first(a, b).then_with(|| a_raw.cmp(b_raw)));
    found.into_iter().map(|(_, raw)| raw.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(current: &str, tags: &[&str]) -> Vec<String> {
        pin_tag_candidates(current, tags)
    }

    const PYTHON: &[&str] = &[
        "3",
        "3-slim",
        "3.12",
        "3.12-slim",
        "3.12.8",
        "3.12.8-slim",
        "3.12.8-slim-bookworm",
        "3.12.7-slim",
        "3.13",
        "3.13-slim",
        "3.13.1",
        "3.13.1-slim",
        "3.13.1-alpine",
        "3.13.1-alpine3.21",
        "3.14.0rc1-slim",
        "3.14-rc-slim",
        "3.14.0a3-slim",
        "3.9.21-slim",
        "3.10.16-slim",
        "2.7.18-slim",
        "latest",
        "slim",
        "alpine",
        "bookworm",
        "4.0.0-slim",
    ];

    #[test]
    fn keeps_the_variant_newest_first() {
        assert_eq!(pin("3-slim", PYTHON), ["3.13.1-slim", "3.12.8-slim", "3.12.7-slim", "3.10.16-slim", "3.9.21-slim"]);
        assert_eq!(pin("3.12-slim", PYTHON), ["3.12.8-slim", "3.12.7-slim"]);
        assert_eq!(pin("3", PYTHON), ["3.13.1", "3.12.8"]);
        assert_eq!(pin("3.13-alpine", PYTHON), ["3.13.1-alpine"]);
        assert_eq!(pin("3.13-alpine3.21", PYTHON), ["3.13.1-alpine3.21"]);
    }

    #[test]
    fn numeric_not_lexical_order() {
        let tags = ["1.9.0", "1.10.0", "1.2.0", "1.10.1", "1.100.0"];
        assert_eq!(pin("1", &tags), ["1.100.0", "1.10.1", "1.10.0", "1.9.0", "1.2.0"]);
    }

    #[test]
    fn named_variants_and_latest() {
        assert_eq!(pin("latest", PYTHON), ["3.13.1", "3.12.8"]);
        assert_eq!(
            pin("slim", PYTHON),
            ["4.0.0-slim", "3.13.1-slim", "3.12.8-slim", "3.12.7-slim", "3.10.16-slim", "3.9.21-slim", "2.7.18-slim"]
        );
        assert_eq!(pin("bookworm", PYTHON), Vec::<String>::new());
    }

    #[test]
    fn pre_releases_only_for_pre_release_tags() {
        let tags = ["3.14.0rc1-slim", "3.14.0rc2-slim", "3.14.0b1-slim", "3.14.0-slim", "3.14.1-slim", "3.14-rc-slim"];
        assert_eq!(pin("3.14-slim", &tags), ["3.14.1-slim", "3.14.0-slim"]);
        assert_eq!(
            pin("3.14-rc-slim", &tags),
            ["3.14.1-slim", "3.14.0-slim", "3.14.0rc2-slim", "3.14.0rc1-slim", "3.14.0b1-slim"]
        );
        let go = ["1.24rc1-alpine", "1.24.0-alpine", "1.24-alpine", "1.23.5-alpine"];
        assert_eq!(pin("1-alpine", &go), ["1.24.0-alpine", "1.23.5-alpine"]);
        let semver = ["2.0.0-beta.1", "2.0.0-alpha", "1.9.9", "2.0.0-rc.1"];
        assert_eq!(pin("2", &semver), Vec::<String>::new());
        assert_eq!(pin("2.0.0-rc.1", &semver), Vec::<String>::new());
    }

    #[test]
    fn v_prefix_and_odd_tags() {
        let tags = ["v1.2.3", "1.2.4", "v1.2.10", "v1.2", "v1.2.3-debug", "sha-abc123", "1.2.3foo", "v1.3.0"];
        assert_eq!(pin("v1.2", &tags), ["v1.2.10", "v1.2.3"]);
        assert_eq!(pin("v1", &tags), ["v1.3.0", "v1.2.10", "v1.2.3"]);
        assert_eq!(pin("1.2", &tags), ["1.2.4"]);
        assert_eq!(pin("v1.2.3", &tags), Vec::<String>::new());
        assert_eq!(pin("", &tags), Vec::<String>::new());
        let huge = ["1.99999999999999999999999", "1.2"];
        assert_eq!(pin("1", &huge), ["1.2"]);
    }

    #[test]
    fn keeps_four_part_versions_and_drops_aliases() {
        let tags = ["1.2", "1.2.3", "1.2.3.4", "1.2.4"];
        assert_eq!(pin("1", &tags), ["1.2.4", "1.2.3.4"]);
        let node =
            ["20-alpine", "20.11-alpine", "20.11.1-alpine", "20.11.1-alpine3.19", "20.10.0-alpine", "22.1.0-alpine"];
        assert_eq!(pin("20-alpine", &node), ["20.11.1-alpine", "20.10.0-alpine"]);
    }

    #[test]
    fn parses_markers() {
        let tag = parse("3.14.0rc1-slim").unwrap();
        assert_eq!((tag.version, tag.pre, tag.suffix), (vec![3, 14, 0], Some(Pre { rank: 3, number: 1 }), "-slim"));
        let tag = parse("3.14-rc-slim").unwrap();
        assert_eq!((tag.pre, tag.suffix), (Some(Pre { rank: 3, number: 0 }), "-slim"));
        let tag = parse("1.0.0-beta.2").unwrap();
        assert_eq!((tag.pre, tag.suffix), (Some(Pre { rank: 2, number: 2 }), ""));
        assert_eq!(parse("1.2-alpine").unwrap().pre, None);
        assert_eq!(parse("1.2-bookworm").unwrap().suffix, "-bookworm");
        assert_eq!(parse("1.2-alpha").unwrap().pre, Some(Pre { rank: 0, number: 0 }));
        assert_eq!(parse("1.2.").unwrap().suffix, ".");
    }
}
