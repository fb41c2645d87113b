//! `docs/rules/` is generated from the rules' own doc text, the same text `bulkhead explain` and hover
//! show. This test fails when the files are stale; regenerate them with
//! `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test docs`.

use std::fmt::Write as _;
use std::path::Path;

use bulkhead_analysis::{FixAvailability, Practice, RULES};

fn index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rules' documentation; do not edit by hand \
         (`BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test docs`).\n\n\
         Severities follow security impact, not any one peer tool: an **error** is something an attacker can \
         use or that breaks the build, a **warning** weakens the image or hides a mistake, **info** is waste or \
         risk with a cost to fix, a **hint** is a policy choice or style. Each practice below says why its rules \
         have the levels they have; the files column says where each rule looks: Dockerfiles, Compose files \
         ([compose.md](../compose.md)) or both. How the rules compare with hadolint on real files: \
         [comparison.md](comparison.md). Which fixes the rule plan asks for and which exist, with their tests: \
         [fixes.md](fixes.md).\n",
    );
    let mut practices: Vec<Practice> = RULES.iter().filter(|r| !r.is_test_only()).map(|r| r.practice).collect();
    practices.sort();
    practices.dedup();
    for practice in practices {
        let _ = write!(
            out,
            "\n## {}\n\n{}\n\n| code | name | severity | default | fix | files | summary |\n|---|---|---|---|---|---|---|\n",
            practice.title(),
            practice.severity_rationale()
        );
        for rule in RULES.iter().filter(|r| r.practice == practice && !r.is_test_only()) {
            let fix = match rule.fix {
                FixAvailability::None => "",
                FixAvailability::Sometimes => "sometimes",
                FixAvailability::Always => "yes",
            };
            let files = match (rule.check.dockerfile(), rule.check.compose().is_some()) {
                (true, true) => "both",
                (false, true) => "Compose",
                _ => "Dockerfile",
            };
            let _ = writeln!(
                out,
                "| [{code}]({code}.md) | `{}` | {} | {} | {fix} | {files} | {} |",
                rule.name,
                rule.severity.as_str(),
                if rule.enabled_by_default { "on" } else { "off" },
                rule.summary.replace('|', "\\|"),
                code = rule.code,
            );
        }
    }
    out
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("BULKHEAD_UPDATE_DOCS").is_some();
    let mut expected: Vec<(String, String)> =
        RULES.iter().filter(|r| !r.is_test_only()).map(|r| (format!("{}.md", r.code), r.render_doc())).collect();
    expected.push(("README.md".to_owned(), index()));
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let generated = expected.iter().any(|(n, _)| *n == name);
            if name.starts_with("BH") && name.ends_with(".md") && !generated {
                if update {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    stale.push(name);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale ({}); run `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test docs`",
        stale.join(", ")
    );
}

/// The DL → BH table at the end of `docs/rules/comparison.md`, from the rules' aliases and
/// `hadolint::NOT_APPLICABLE`.
fn hadolint_codes_section() -> String {
    use bulkhead_analysis::hadolint::{Counterpart, HADOLINT_CODES, SHELLCHECK, counterpart};
    let mut out = String::from(
        "Every `DL` code hadolint knows (four of them retired, still in older configurations), and what it is in \
         bulkhead: the rule that checks the same thing, which `# hadolint ignore=` comments and a `.hadolint.yaml`'s \
         `ignored`/`override` entries then apply to, or why there is none. One rule can stand for several codes \
         (BH910 for every package manager's version pins): ignoring one of them ignores the rule, and \
         `bulkhead check` says so.\n\n| hadolint | bulkhead | |\n|---|---|---|\n",
    );
    for code in HADOLINT_CODES {
        let row = match counterpart(code) {
            Counterpart::Rule(rule) => format!("| {code} | [{}]({}.md) | `{}` |\n", rule.code, rule.code, rule.name),
            Counterpart::NotApplicable(why) => format!("| {code} | none | {why} |\n"),
            Counterpart::Unknown => format!("| {code} | none | unknown |\n"),
        };
        out.push_str(&row);
    }
    let shellcheck: Vec<String> = RULES
        .iter()
        .flat_map(|rule| {
            rule.aliases
                .iter()
                .filter(|alias| alias.starts_with("SC"))
                .map(move |alias| format!("{alias} is {}", rule.code))
        })
        .collect();
    out.push_str(&format!(
        "\nShellCheck codes: {}; any other is not applicable ({SHELLCHECK}).\n",
        shellcheck.join(", ")
    ));
    out
}

#[test]
fn comparison_lists_every_hadolint_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules/comparison.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = "<!-- hadolint-codes:start: generated by `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test docs` -->\n";
    let end = "<!-- hadolint-codes:end -->";
    let (Some(from), Some(to)) = (text.find(start), text.find(end)) else {
        panic!("docs/rules/comparison.md has no hadolint-codes markers");
    };
    let expected = hadolint_codes_section();
    let current = &text[from + start.len()..to];
    if current != expected {
        if std::env::var_os("BULKHEAD_UPDATE_DOCS").is_some() {
            let updated = format!("{}{}{}{}", &text[..from], start, expected, &text[to..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/rules/comparison.md's hadolint table is stale; run `BULKHEAD_UPDATE_DOCS=1 cargo test -p bulkhead-analysis --test docs`"
            );
        }
    }
}

/// hadolint's own list, as the rule plan records it from hadolint's sources, is the list the mapping covers.
#[test]
fn hadolint_codes_are_the_ones_hadolint_has() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/docs/RULES-PLAN.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let mut from_plan: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("| DL"))
        .filter_map(|rest| rest.get(..4).filter(|digits| digits.bytes().all(|b| b.is_ascii_digit())))
        .map(|digits| &text[text.find(&format!("| DL{digits}")).unwrap() + 2..][..6])
        .collect();
    from_plan.sort_unstable();
    from_plan.dedup();
    assert_eq!(from_plan.len(), 71, "hadolint has 71 DL rules at the plan's snapshot");
    let retired = ["DL3005", "DL3017", "DL3031", "DL3039"];
    let mut ours: Vec<&str> =
        bulkhead_analysis::hadolint::HADOLINT_CODES.iter().copied().filter(|code| !retired.contains(code)).collect();
    ours.sort_unstable();
    assert_eq!(ours, from_plan);
}
