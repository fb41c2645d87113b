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
         have the levels they have. How the rules compare with hadolint on real files: \
         [comparison.md](comparison.md). Which fixes the rule plan asks for and which exist, with their tests: \
         [fixes.md](fixes.md).\n",
    );
    let mut practices: Vec<Practice> = RULES.iter().filter(|r| !r.is_test_only()).map(|r| r.practice).collect();
    practices.sort();
    practices.dedup();
    for practice in practices {
        let _ = write!(
            out,
            "\n## {}\n\n{}\n\n| code | name | severity | default | fix | summary |\n|---|---|---|---|---|---|\n",
            practice.title(),
            practice.severity_rationale()
        );
        for rule in RULES.iter().filter(|r| r.practice == practice && !r.is_test_only()) {
            let fix = match rule.fix {
                FixAvailability::None => "",
                FixAvailability::Sometimes => "sometimes",
                FixAvailability::Always => "yes",
            };
            let _ = writeln!(
                out,
                "| [{code}]({code}.md) | `{}` | {} | {} | {fix} | {} |",
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
