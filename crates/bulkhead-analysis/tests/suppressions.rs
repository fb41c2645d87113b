//! Inline suppressions through the whole engine: bulkhead's own comments, hadolint's, and BuildKit's
//! `# check=skip=` directive, for the rules that map to ours.

use bulkhead_analysis::{BuildContext, Config, Settings, check};

/// The codes found, with two rules selected so other rules' findings do not blur the picture.
fn codes(text: &str) -> Vec<&'static str> {
    let config = Config { select: Some(vec!["BH201".into(), "BH903".into()]), ..Config::default() };
    let settings = Settings::from_config(&config).unwrap();
    check(text, &BuildContext::default(), &settings).diagnostics.into_iter().map(|d| d.code).collect()
}

const ROOT_AND_APK: &str = "FROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n";

#[test]
fn unsuppressed_baseline() {
    assert_eq!(codes(ROOT_AND_APK), ["BH201", "BH903"]);
}

#[test]
fn next_instruction_by_code_or_name() {
    assert_eq!(
        codes("# bulkhead ignore=BH201\nFROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n"),
        ["BH903"]
    );
    assert_eq!(
        codes(
            "FROM alpine:3.20\n# bulkhead ignore=apk-missing-no-cache, BH201\n\nRUN apk add curl\nCMD [\"/app/server\"]\n"
        ),
        ["BH201"]
    );
    // Only the next instruction: the second RUN still reports.
    assert_eq!(
        codes("FROM alpine:3.20\n# bulkhead ignore=BH903\nRUN apk add curl\nRUN apk add jq\nCMD [\"/app/server\"]\n"),
        ["BH201", "BH903"]
    );
}

#[test]
fn global_and_all() {
    assert_eq!(codes(&format!("# bulkhead global ignore=BH903\n{ROOT_AND_APK}")), ["BH201"]);
    assert!(codes(&format!("{ROOT_AND_APK}# bulkhead global ignore=all\n")).is_empty());
}

#[test]
fn peers_syntaxes() {
    assert_eq!(
        codes("# hadolint ignore=DL3002\nFROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n"),
        ["BH903"]
    );
    assert_eq!(codes(&format!("# hadolint global ignore=DL3019\n{ROOT_AND_APK}")), ["BH201"]);
    // `# check=skip=` is a parser directive: it works at the top of the file only.
    // It skips BuildKit's checks only, `all` included: neither of these two rules is one of them.
    assert_eq!(codes(&format!("# check=skip=all\n{ROOT_AND_APK}")), ["BH201", "BH903"]);
    assert_eq!(
        codes("FROM alpine:3.20\n# check=skip=all\nRUN apk add curl\nCMD [\"/app/server\"]\n"),
        ["BH201", "BH903"]
    );
}

#[test]
fn suppression_inside_a_continuation_covers_its_instruction() {
    let text =
        "FROM alpine:3.20\nRUN apk update && \\\n# bulkhead ignore=BH903\n    apk add curl\nCMD [\"/app/server\"]\n";
    assert_eq!(codes(text), ["BH201"]);
}
