//! Document links: each image reference to its page on its registry (Docker Hub's for `docker.io`, else
//! the registry host's), and each rule code or name in a `# bulkhead ignore=` / `# hadolint ignore=`
//! comment to the rule's documentation (a hadolint code no bulkhead rule maps to goes to hadolint's wiki,
//! a ShellCheck code to ShellCheck's).

use bulkhead_syntax::{Dockerfile, InstructionKind, TextRange};

use crate::image::ImageRef;
use crate::model::Model;
use crate::rule::doc_url;
use crate::rules::{RULES, find};
use crate::suppress::parse_comment;

/// A link: the text at `range` leads to `target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub range: TextRange,
    pub target: String,
    pub tooltip: String,
}

/// The links of a file, in document order.
pub fn document_links(file: &Dockerfile, model: &Model) -> Vec<Link> {
    let mut res = Vec::new();
    for image_use in model.image_uses(file) {
        let (Some(image), Some(range)) = (&image_use.image, reference_range(file, image_use.range)) else { continue };
        if let Some(target) = registry_page(image) {
            res.push(Link { range, target, tooltip: format!("{} on its registry", image.short_path()) });
        }
    }
    for comment in file.comments() {
        res.extend(rule_links(file, comment.range));
    }
    res.retain(|link| link.range.end <= file.text().len() && !link.range.is_empty());
    res.sort_by_key(|link| link.range.start);
    res
}

/// The range of the reference an image use reports at: the `FROM` word itself, the value of a `--from`
/// flag, or the `from=` value of a `--mount`.
fn reference_range(file: &Dockerfile, reported: TextRange) -> Option<TextRange> {
    let instruction = file.instruction_at(reported.start)?;
    match instruction.kind {
        InstructionKind::Copy | InstructionKind::Add => instruction
            .flags
            .iter()
            .find(|flag| flag.range.contains_range(reported))
            .and_then(|flag| flag.value.as_ref())
            .map(|value| value.range),
        InstructionKind::Run => instruction
            .mounts()
            .find(|mount| mount.flag.range == reported)
            .and_then(|mount| mount.option(&["from"])?.value_range),
        _ => Some(reported),
    }
}

/// The web page of an image's repository, when its registry has one this server knows how to address.
pub fn registry_page(image: &ImageRef) -> Option<String> {
    if image.is_docker_hub() {
        return Some(match image.path.strip_prefix("library/") {
            Some(name) => format!("https://hub.docker.com/_/{name}"),
            None => format!("https://hub.docker.com/r/{}", image.path),
        });
    }
    let host = image.registry.as_deref()?;
    if host.contains(':') || host == "localhost" || !host.contains('.') {
        return None;
    }
    Some(match host {
        "quay.io" => format!("https://quay.io/repository/{}", image.path),
        "mcr.microsoft.com" => format!("https://mcr.microsoft.com/en-us/artifact/mar/{}", image.path),
        _ => format!("https://{host}/{}", image.path),
    })
}

/// The links of the codes in one comment line (none unless it is an ignore comment).
fn rule_links(file: &Dockerfile, range: TextRange) -> Vec<Link> {
    let line = file.slice(range);
    let Some(text) = line.trim_start().strip_prefix('#') else { return Vec::new() };
    let Some(comment) = parse_comment(text) else { return Vec::new() };
    let Some(equals) = line.find("ignore").and_then(|at| line[at..].find('=').map(|eq| at + eq + 1)) else {
        return Vec::new();
    };
    let mut res = Vec::new();
    let mut start = equals;
    for piece in line[equals..].split(|c: char| c == ',' || c.is_whitespace()) {
        let piece_start = start;
        start += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        let target = match comment.tool {
            "hadolint" => hadolint_target(piece),
            _ => find(piece).map(|rule| (doc_url(rule.code), format!("{} {}: {}", rule.code, rule.name, rule.summary))),
        };
        if let Some((target, tooltip)) = target {
            let at = range.start + piece_start;
            res.push(Link { range: TextRange::new(at, at + piece.len()), target, tooltip });
        }
    }
    res
}

/// Where a code of a `# hadolint ignore=` comment leads: the bulkhead rule it maps to, else its own docs.
fn hadolint_target(code: &str) -> Option<(String, String)> {
    if let Some(rule) = RULES.iter().find(|rule| rule.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(code))) {
        return Some((doc_url(rule.code), format!("{code}: bulkhead {} {}", rule.code, rule.name)));
    }
    let upper = code.to_ascii_uppercase();
    let digits = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    if upper.strip_prefix("DL").is_some_and(digits) {
        return Some((format!("https://github.com/hadolint/hadolint/wiki/{upper}"), format!("hadolint {upper}")));
    }
    if upper.strip_prefix("SC").is_some_and(digits) {
        return Some((format!("https://www.shellcheck.net/wiki/{upper}"), format!("ShellCheck {upper}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        let file = bulkhead_syntax::parse(text);
        document_links(&file, &Model::new(&file))
            .into_iter()
            .map(|link| (file.slice(link.range).to_owned(), link.target))
            .collect()
    }

    #[test]
    fn images_and_rule_codes() {
        let text = "FROM python:3.12 AS a\nFROM ghcr.io/org/app:1\nFROM quay.io/x/y\nFROM bitnami/redis\n\
                    # bulkhead ignore=BH201, root-user\n# hadolint ignore=DL3002,DL9999\nUSER root\n\
                    COPY --from=nginx:1.27 /a /b\nFROM localhost:5000/x\nFROM a\n";
        let got = links(text);
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let rule = |code: &str| doc_url(code);
        let bh201 = rule("BH201");
        let expected: Vec<(&str, &str)> = vec![
            ("python:3.12", "https://hub.docker.com/_/python"),
            ("ghcr.io/org/app:1", "https://ghcr.io/org/app"),
            ("quay.io/x/y", "https://quay.io/repository/x/y"),
            ("bitnami/redis", "https://hub.docker.com/r/bitnami/redis"),
            ("BH201", &bh201),
            ("root-user", &bh201),
            ("DL3002", &bh201),
            ("DL9999", "https://github.com/hadolint/hadolint/wiki/DL9999"),
            ("nginx:1.27", "https://hub.docker.com/_/nginx"),
        ];
        assert_eq!(got, expected);
    }
}
