//! End-to-end tests of the `bulkhead` binary: arguments in; exit code, stdout and stderr out.
//!
//! Every run goes through [`run`], and most results are insta snapshots of all three, taken with relative
//! paths (from the repository root or a temporary directory) so no snapshot holds an absolute path.
//!
//! Most runs pin the rule selection to [`PINNED`], the rules that existed when the snapshots were taken:
//! new rules then do not churn these snapshots. Tests about rule selection pass their own.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bulkhead_analysis::RULES;
use bulkhead_test_registry as registry_support;
use serde_json::Value;

/// The rules the snapshots were taken with.
const PINNED: &str = "--select=BH000,BH201,BH903";

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}", self.code, self.stdout, self.stderr)
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Runs `bulkhead args...` in `dir`, with `stdin` as standard input (empty when `None`).
fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    run_with_env(dir, args, stdin, &[])
}

/// [`run_in`] with extra environment variables.
fn run_with_env(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &Path)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulkhead"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        // A fixed date for the end-of-life rule (BH106), so that the snapshots do not age.
        .env("BULKHEAD_TODAY", "2026-12-01")
        // Plain output whatever the environment says about colours.
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The binary may exit before reading (a usage error): a closed pipe is fine.
    let _ = input.write_all(stdin.unwrap_or_default().as_bytes());
    drop(input);
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Runs `bulkhead args...` from the repository root.
fn run(args: &[&str]) -> Run {
    run_in(&repo_root(), args, None)
}

/// The codes found, in output order, from a `--format json` run.
fn codes(args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.push("--format=json");
    let res = run(&args);
    assert!(res.code == 0 || res.code == 1, "{res}");
    let findings: Vec<Value> = serde_json::from_str(&res.stdout).unwrap();
    findings.iter().map(|finding| finding["code"].as_str().unwrap().to_owned()).collect()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const ALPINE_ROOT: &str = "FROM alpine:3.20\nCMD [\"/app/server\"]\n";

// ---------------------------------------------------------------------------------------------------------
// Output formats

#[test]
fn human_output_on_a_bad_dockerfile() {
    insta::assert_snapshot!(run(&["check", PINNED, "tests/fixtures/bad/Dockerfile"]));
}

#[test]
fn colours_only_when_asked() {
    let plain = run(&["check", PINNED, "tests/fixtures/bad/Dockerfile"]);
    assert!(!plain.stdout.contains('\x1b'), "{plain}");
    let output = Command::new(env!("CARGO_BIN_EXE_bulkhead"))
        .args(["check", PINNED, "tests/fixtures/bad/Dockerfile"])
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let styled = String::from_utf8(output.stdout).unwrap();
    assert!(styled.contains("\x1b["), "{styled}");
}

#[test]
fn json_output() {
    let res = run(&["check", PINNED, "--format", "json", "tests/fixtures/bad/Dockerfile"]);
    assert_eq!(res.code, 1, "{res}");
    insta::assert_snapshot!(res);
}

#[test]
fn sarif_output_matches_the_official_schema() {
    let res = run(&["check", PINNED, "--format", "sarif", "tests/fixtures/bad/Dockerfile", "tests/fixtures/syntax"]);
    assert_eq!(res.code, 1, "{res}");
    let log: Value = serde_json::from_str(&res.stdout).unwrap();
    let schema = sarif_schema();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&log).map(|err| format!("{} at {}", err, err.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output does not match the schema:\n{}", errors.join("\n"));
    // The validator bites: a level SARIF does not know is rejected.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("hint");
    assert!(!validator.is_valid(&broken));

    // Each rule's help is its documentation and its full description the doc's first paragraph; the snapshot
    // shows placeholders so doc edits do not churn it.
    let mut shown = log.clone();
    for rule in shown["runs"][0]["tool"]["driver"]["rules"].as_array_mut().unwrap() {
        let code = rule["id"].as_str().unwrap().to_owned();
        let doc = RULES.iter().find(|r| r.code == code).unwrap().doc.trim();
        assert_eq!(rule["help"]["markdown"], doc);
        assert_eq!(rule["help"]["text"], doc);
        let first_words: String = doc.split_whitespace().skip(4).take(5).collect::<Vec<_>>().join(" ");
        assert!(rule["fullDescription"]["text"].as_str().unwrap().starts_with(&first_words), "{rule}");
        rule["fullDescription"]["text"] = Value::from(format!("<what {code} does>"));
        rule["help"] =
            serde_json::json!({ "text": format!("<doc of {code}>"), "markdown": format!("<doc of {code}>") });
    }
    let shown = serde_json::to_string_pretty(&shown).unwrap();
    insta::assert_snapshot!(format!("exit: {}\nstderr: {}\n{shown}", res.code, res.stderr));
}

#[test]
fn sarif_without_findings_is_valid_too() {
    let res = run(&["check", "--format", "sarif", "tests/fixtures/clean"]);
    assert_eq!(res.code, 0, "{res}");
    let log: Value = serde_json::from_str(&res.stdout).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&sarif_schema()).unwrap();
    assert!(validator.is_valid(&log));
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
}

/// The official OASIS SARIF 2.1.0 schema, as shipped in the `serde-sarif` crate's sources (a dev-dependency,
/// so cargo has fetched it): found through `cargo metadata`.
fn sarif_schema() -> Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version=1", "--locked", "--manifest-path"])
        .arg(repo_root().join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|package| package["name"] == "serde-sarif")
        .expect("serde-sarif is a dev-dependency of bulkhead");
    let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
    let text = fs::read_to_string(manifest.parent().unwrap().join("src/schema.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["title"], "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema");
    // The official file's pattern for `language` (twice) has a stray `]` (`...{2}]?$`), which the validator's
    // meta-schema check rejects as a regex. Put in what it means: two letters, optionally `-` and two more.
    let fixed = fix_patterns(&mut schema, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    assert_eq!(fixed, 2);
    schema
}

/// Replaces every `"pattern": bad` in `value` by `good`; returns how many there were.
fn fix_patterns(value: &mut Value, bad: &str, good: &str) -> usize {
    match value {
        Value::Object(map) => {
            let mut n = 0;
            if map.get("pattern").and_then(Value::as_str) == Some(bad) {
                map.insert("pattern".to_owned(), Value::from(good));
                n += 1;
            }
            n + map.values_mut().map(|item| fix_patterns(item, bad, good)).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(|item| fix_patterns(item, bad, good)).sum(),
        _ => 0,
    }
}

// ---------------------------------------------------------------------------------------------------------
// CI formats

/// The formats CI tools read, besides SARIF.
const CI_FORMATS: [&str; 6] = ["concise", "github", "gitlab", "checkstyle", "junit", "rdjson"];

#[test]
fn ci_formats_on_a_bad_dockerfile() {
    for format in CI_FORMATS {
        let res = run(&["check", PINNED, "--format", format, "tests/fixtures/bad/Dockerfile", "tests/fixtures/clean"]);
        assert_eq!(res.code, 1, "{res}");
        insta::assert_snapshot!(format!("ci_format_{format}"), res);
    }
}

#[test]
fn every_format_keeps_the_exit_codes() {
    for fixture in ["syntax", "bad", "clean"] {
        let path = format!("tests/fixtures/{fixture}");
        for fail_on in ["error", "warning", "never"] {
            let human = run(&["check", PINNED, "--fail-on", fail_on, &path]).code;
            for format in CI_FORMATS.iter().chain(&["json", "sarif"]) {
                let res = run(&["check", PINNED, "--fail-on", fail_on, "--format", format, &path]);
                assert_eq!(res.code, human, "--format {format} --fail-on {fail_on} {path}: {res}");
            }
        }
    }
    // A usage error is still 2, before any output.
    let res = run(&["check", "--format", "junit", "--select", "BH990", "tests/fixtures/bad"]);
    assert_eq!((res.code, res.stdout.as_str()), (2, ""), "{res}");
}

/// A workspace with one Dockerfile whose name and findings carry everything the formats must escape: XML's
/// `&<>"'`, the workflow commands' `%,:` and a line break in the path, and control characters (BH102 quotes
/// the image).
struct Hostile {
    dir: tempfile::TempDir,
    name: String,
    /// Its `--format json` findings, for comparing the other formats with.
    findings: Vec<Value>,
}

impl Hostile {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let name = "bad&<>\"',%:\nx.Dockerfile".to_owned();
        let text = "FROM \"evil&<tag>\\\"%,:\u{1}\u{1b}[31m\"\nUSER root\nENV API_TOKEN=\"a&b<c>\"\nRUN apk add curl\n";
        write(&dir.path().join(&name), text);
        let findings = serde_json::from_str(&Self::check(dir.path(), "json").stdout).unwrap();
        Hostile { dir, name, findings }
    }

    /// Every rule over the workspace in `format`; `--fail-on never`, so the exit code is 0.
    fn run(&self, format: &str) -> Run {
        Self::check(self.dir.path(), format)
    }

    fn check(dir: &Path, format: &str) -> Run {
        let res = run_in(dir, &["check", "--select=ALL", "--fail-on=never", &format!("--format={format}"), "."], None);
        assert_eq!(res.code, 0, "{res}");
        res
    }
}

/// The `--format json` findings of a run, for comparing the other formats with.
fn json_findings(dir: &Path, args: &[&str]) -> Vec<Value> {
    let res = run_in(dir, &[args, &["--format=json"]].concat(), None);
    serde_json::from_str(&res.stdout).unwrap()
}

/// Parses an XML report with Python's `xml.etree` (expat, a conforming XML 1.0 parser: it rejects any
/// unescaped `&` or `<`, an unclosed element, a control character) and returns every element as
/// `{"tag", "attrib", "text"}` in document order.
fn parse_xml(xml: &str) -> Vec<Value> {
    let script = "import sys, json, xml.etree.ElementTree as ET\n\
                  root = ET.fromstring(sys.stdin.buffer.read())\n\
                  print(json.dumps([{'tag': e.tag, 'attrib': e.attrib, 'text': e.text or ''} for e in root.iter()]))";
    let child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.expect("python3 is needed: its xml.etree checks the checkstyle and JUnit reports");
    child.stdin.take().unwrap().write_all(xml.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "not well-formed XML: {}\n{xml}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What XML can carry of a message: the control characters it cannot are U+FFFD.
fn xml_safe(text: &str) -> String {
    text.chars().map(|ch| if ch.is_control() && !"\t\n\r".contains(ch) { '\u{fffd}' } else { ch }).collect()
}

#[test]
fn checkstyle_and_junit_are_well_formed_xml_with_the_findings() {
    let hostile = Hostile::new();
    let (name, findings) = (&hostile.name, &hostile.findings);
    assert!(findings.len() >= 5, "{findings:?}");
    let bh102 = findings.iter().find(|finding| finding["code"] == "BH102").unwrap();
    assert!(bh102["message"].as_str().unwrap().contains("&<tag>\"%,:\u{1}\u{1b}"), "{bh102}");

    let checkstyle = hostile.run("checkstyle");
    let elements = parse_xml(&checkstyle.stdout);
    assert_eq!(elements[0]["tag"], "checkstyle");
    let files: Vec<&Value> = elements.iter().filter(|e| e["tag"] == "file").collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["attrib"]["name"], name.as_str());
    let errors: Vec<&Value> = elements.iter().filter(|e| e["tag"] == "error").collect();
    assert_eq!(errors.len(), findings.len());
    for (error, finding) in errors.iter().zip(findings) {
        let attrib = &error["attrib"];
        assert_eq!(attrib["source"], finding["code"]);
        assert_eq!(attrib["message"], xml_safe(finding["message"].as_str().unwrap()).as_str());
        assert_eq!(attrib["line"], finding["start"]["line"].to_string().as_str());
        assert_eq!(attrib["column"], finding["start"]["column"].to_string().as_str());
        let severity = match finding["severity"].as_str().unwrap() {
            "hint" => "info",
            other => other,
        };
        assert_eq!(attrib["severity"], severity);
    }

    let junit = hostile.run("junit");
    let elements = parse_xml(&junit.stdout);
    let n = findings.len().to_string();
    assert_eq!(elements[0]["tag"], "testsuites");
    assert_eq!(
        (&elements[0]["attrib"]["tests"], &elements[0]["attrib"]["failures"]),
        (&Value::from(&*n), &Value::from(&*n))
    );
    let suites: Vec<&Value> = elements.iter().filter(|e| e["tag"] == "testsuite").collect();
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0]["attrib"]["name"], name.as_str());
    assert_eq!(suites[0]["attrib"]["failures"], n.as_str());
    let failures: Vec<&Value> = elements.iter().filter(|e| e["tag"] == "failure").collect();
    assert_eq!(failures.len(), findings.len());
    assert_eq!(elements.iter().filter(|e| e["tag"] == "testcase").count(), findings.len());
    for (failure, finding) in failures.iter().zip(findings) {
        let message = xml_safe(finding["message"].as_str().unwrap());
        assert_eq!(failure["attrib"]["type"], finding["code"]);
        assert_eq!(failure["attrib"]["message"], message.as_str());
        let text = failure["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("{name}:{}:", finding["start"]["line"])), "{text}");
        assert!(text.contains(&message), "{text}");
    }

    // The parser bites: an unescaped `&` is not XML.
    let broken = checkstyle.stdout.replacen("&amp;", "&", 1);
    let output = Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as ET; ET.fromstring(sys.argv[1])", &broken])
        .output()
        .unwrap();
    assert!(!output.status.success());
}

#[test]
fn junit_counts_a_clean_file_as_one_passing_test() {
    let res = run(&["check", PINNED, "--format=junit", "tests/fixtures/clean", "tests/fixtures/bad"]);
    let elements = parse_xml(&res.stdout);
    let suites: Vec<&Value> = elements.iter().filter(|e| e["tag"] == "testsuite").collect();
    let counts: Vec<(&str, &str)> = suites
        .iter()
        .map(|suite| (suite["attrib"]["tests"].as_str().unwrap(), suite["attrib"]["failures"].as_str().unwrap()))
        .collect();
    assert_eq!(counts, [("2", "2"), ("1", "0")]);
    assert_eq!(
        (&elements[0]["attrib"]["tests"], &elements[0]["attrib"]["failures"]),
        (&Value::from("3"), &Value::from("2"))
    );
}

#[test]
fn concise_is_one_line_per_finding_without_terminal_controls() {
    let hostile = Hostile::new();
    let findings = &hostile.findings;
    let res = hostile.run("concise");
    let lines: Vec<&str> = res.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{res}");
    assert!(!res.stdout.contains(['\u{1}', '\u{1b}']), "{res}");
    for (line, finding) in lines.iter().zip(findings) {
        let at = format!(
            ":{}:{}: {} ",
            finding["start"]["line"],
            finding["start"]["column"],
            finding["code"].as_str().unwrap()
        );
        assert!(line.starts_with("bad&<>\"',%: x.Dockerfile") && line.contains(&at), "{line}");
    }
    assert!(res.stdout.contains("\u{2401}\u{241b}[31m"), "{res}");
}

/// Reads GitHub workflow commands back as the runner does: `::command key=value,...::message`, with the
/// runner's unescaping of properties and message.
fn parse_workflow_command(line: &str) -> (String, BTreeMap<String, String>, String) {
    let unescape = |text: &str| {
        text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    };
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest.split_once("::").unwrap();
    let (command, properties) = head.split_once(' ').unwrap();
    let properties = properties
        .split(',')
        .map(|property| {
            let (key, value) = property.split_once('=').unwrap();
            (key.to_owned(), unescape(value))
        })
        .collect();
    (command.to_owned(), properties, unescape(message))
}

#[test]
fn github_annotations_survive_hostile_paths_and_messages() {
    let hostile = Hostile::new();
    let (name, findings) = (&hostile.name, &hostile.findings);
    let res = hostile.run("github");
    let lines: Vec<&str> = res.stdout.lines().collect();
    // One line per finding: the path's line break is escaped.
    assert_eq!(lines.len(), findings.len(), "{res}");
    for (line, finding) in lines.iter().zip(findings) {
        let (command, properties, message) = parse_workflow_command(line);
        let expected = match finding["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(command, expected, "{line}");
        assert_eq!(&properties["file"], name);
        assert_eq!(properties["title"], finding["code"].as_str().unwrap());
        assert_eq!(properties["line"], finding["start"]["line"].to_string());
        assert_eq!(properties["col"], finding["start"]["column"].to_string());
        assert_eq!(properties["endLine"], finding["end"]["line"].to_string());
        assert_eq!(properties["endColumn"], finding["end"]["column"].to_string());
        assert_eq!(properties.len(), 6, "{line}");
        assert_eq!(message, finding["message"].as_str().unwrap());
    }
}

#[test]
fn gitlab_code_quality_has_the_documented_fields_and_stable_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    // Two identical findings (BH903 on the same text) and an error (BH401).
    let text = "FROM alpine:3.20\nRUN apk add curl\nRUN apk add curl\nENV API_TOKEN=\"s3cr3t-value\"\n";
    write(&dir.path().join("Dockerfile"), text);
    let report = |dir: &Path| -> Vec<Value> {
        let res = run_in(dir, &["check", "--select=BH401,BH903", "--format=gitlab", "Dockerfile"], None);
        assert_eq!(res.code, 1, "{res}");
        serde_json::from_str(&res.stdout).unwrap()
    };
    let issues = report(dir.path());
    assert_eq!(issues.len(), 3, "{issues:?}");
    // The fields GitLab documents as required, with the types and values it accepts.
    for issue in &issues {
        assert!(issue["description"].as_str().is_some_and(|text| !text.is_empty()), "{issue}");
        assert!(issue["check_name"].as_str().is_some_and(|code| code.starts_with("BH")), "{issue}");
        assert!(issue["fingerprint"].as_str().is_some_and(|print| print.len() == 64), "{issue}");
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], "Dockerfile");
        let begin = issue["location"]["lines"]["begin"].as_u64().unwrap();
        assert!(begin >= 1 && issue["location"]["lines"]["end"].as_u64().unwrap() >= begin, "{issue}");
    }
    let severities: Vec<&str> = issues.iter().map(|issue| issue["severity"].as_str().unwrap()).collect();
    assert_eq!(severities, ["major", "major", "critical"]);
    let prints: Vec<&str> = issues.iter().map(|issue| issue["fingerprint"].as_str().unwrap()).collect();
    assert!(prints[0] != prints[1] && prints[1] != prints[2] && prints[0] != prints[2], "{prints:?}");

    // Moving the code (lines above it) keeps every fingerprint; the lines follow.
    write(&dir.path().join("Dockerfile"), &format!("# syntax=docker/dockerfile:1\n\n{text}"));
    let moved = report(dir.path());
    let moved_prints: Vec<&str> = moved.iter().map(|issue| issue["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(moved_prints, prints);
    assert_eq!(moved[0]["location"]["lines"]["begin"], 4);
    // Another text is another finding.
    write(&dir.path().join("Dockerfile"), &text.replace("curl\nRUN", "wget\nRUN"));
    let changed = report(dir.path());
    assert_ne!(changed[0]["fingerprint"], issues[0]["fingerprint"]);
    assert_eq!(changed[2]["fingerprint"], issues[2]["fingerprint"]);
}

/// The Reviewdog Diagnostic Format's `DiagnosticResult`, written here as a JSON schema from the format's
/// protocol-buffer definition (`proto/rdf/reviewdog.proto` in reviewdog's repository): the fields each
/// message has, the severity names, and what its comments say is required (a range's `start`, a location's
/// `path`) or one-based (lines and columns). Stricter than protobuf's JSON mapping: no unknown fields.
fn rdjson_schema() -> Value {
    let string = serde_json::json!({ "type": "string" });
    let position = serde_json::json!({
        "type": "object", "additionalProperties": false,
        "properties": { "line": { "type": "integer", "minimum": 1 }, "column": { "type": "integer", "minimum": 1 } }
    });
    let range = serde_json::json!({
        "type": "object", "additionalProperties": false, "required": ["start"],
        "properties": { "start": position, "end": position }
    });
    let severity = serde_json::json!({ "enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"] });
    let source = serde_json::json!({
        "type": "object", "additionalProperties": false, "required": ["name"],
        "properties": { "name": string, "url": string }
    });
    let diagnostic = serde_json::json!({
        "type": "object", "additionalProperties": false, "required": ["message", "location"],
        "properties": {
            "message": string,
            "location": {
                "type": "object", "additionalProperties": false, "required": ["path"],
                "properties": { "path": string, "range": range }
            },
            "severity": severity,
            "source": source,
            "code": {
                "type": "object", "additionalProperties": false, "required": ["value"],
                "properties": { "value": string, "url": string }
            },
            "suggestions": { "type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["range", "text"],
                "properties": { "range": range, "text": string }
            } },
            "original_output": string
        }
    });
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object", "additionalProperties": false,
        "properties": {
            "diagnostics": { "type": "array", "items": diagnostic },
            "source": source,
            "severity": severity
        }
    })
}

#[test]
fn rdjson_matches_the_reviewdog_format() {
    let res = run(&["check", PINNED, "--format=rdjson", "tests/fixtures/bad/Dockerfile", "tests/fixtures/syntax"]);
    assert_eq!(res.code, 1, "{res}");
    let result: Value = serde_json::from_str(&res.stdout).unwrap();
    let validator = jsonschema::validator_for(&rdjson_schema()).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&result).map(|err| format!("{} at {}", err, err.instance_path())).collect();
    assert!(errors.is_empty(), "rdjson output does not match the format:\n{}", errors.join("\n"));
    // The schema bites: a severity the format does not know is rejected.
    let mut broken = result.clone();
    broken["diagnostics"][0]["severity"] = Value::from("HINT");
    assert!(!validator.is_valid(&broken));

    let findings =
        json_findings(&repo_root(), &["check", PINNED, "tests/fixtures/bad/Dockerfile", "tests/fixtures/syntax"]);
    let diagnostics = result["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), findings.len());
    assert!(diagnostics.iter().any(|d| d["severity"] == "ERROR"), "{result}");
    // Columns count UTF-8 bytes: BH903 on line 4 of the bad file starts after "☕" (three bytes, one char).
    let bh903 = diagnostics.iter().find(|d| d["code"]["value"] == "BH903").unwrap();
    let json903 = findings.iter().find(|f| f["code"] == "BH903").unwrap();
    assert_eq!(bh903["location"]["range"]["start"]["line"], 4);
    assert_eq!(
        bh903["location"]["range"]["start"]["column"].as_u64().unwrap(),
        json903["start"]["column"].as_u64().unwrap() + 2
    );
}

// ---------------------------------------------------------------------------------------------------------
// Rule selection and exit codes

#[test]
fn select_and_ignore() {
    let bad = "tests/fixtures/bad/Dockerfile";
    assert_eq!(codes(&["check", PINNED, bad]), ["BH201", "BH903"]);
    // A prefix selects every rule under it, the ones off by default too (BH910 pkg-version-unpinned).
    assert_eq!(codes(&["check", "--select", "BH9", bad]), ["BH903", "BH910"]);
    assert_eq!(codes(&["check", "--select", "BH90", bad]), ["BH903"]);
    assert_eq!(codes(&["check", "--select", "root-user", bad]), ["BH201"]);
    assert_eq!(codes(&["check", "--select", "BH201", "--select", "BH903", bad]), ["BH201", "BH903"]);
    assert_eq!(codes(&["check", "--select=BH201,BH903", "--ignore", "apk-missing-no-cache", bad]), ["BH201"]);
    assert_eq!(codes(&["check", "--select", "BH2,BH9", "--ignore", "BH2,BH9", bad]), Vec::<String>::new());
    let all = codes(&["check", "--select", "ALL", bad]);
    assert!(["BH201", "BH903", "BH910"].iter().all(|code| all.iter().any(|c| c == code)), "{all:?}");
    assert_eq!(codes(&["check", "--select", "BH000", "--extend-select", "BH903", bad]), ["BH903"]);
    // The configuration file ignores root-user; the command line adds to it.
    assert_eq!(codes(&["check", PINNED, "tests/fixtures/config"]), ["BH903"]);
    assert_eq!(codes(&["check", PINNED, "--no-config", "tests/fixtures/config"]), ["BH201", "BH903"]);
    assert_eq!(
        codes(&["check", "--select", "BH90", "--ignore", "BH903", "tests/fixtures/config"]),
        Vec::<String>::new()
    );
}

#[test]
fn unknown_selector_is_a_usage_error() {
    insta::assert_snapshot!(run(&["check", "--select", "BH990", "tests/fixtures/bad"]));
}

#[test]
fn fail_on_thresholds() {
    // `syntax` has an error (BH000); `bad` has warnings only; `clean` has nothing.
    let mut table = String::new();
    for fixture in ["syntax", "bad", "clean"] {
        for fail_on in ["error", "warning", "info", "hint", "never"] {
            let path = format!("tests/fixtures/{fixture}");
            let res = run(&["check", PINNED, "--fail-on", fail_on, &path]);
            table.push_str(&format!("{fixture:<6} --fail-on {fail_on:<7} -> {}\n", res.code));
        }
    }
    insta::assert_snapshot!(table);
}

#[test]
fn default_threshold_is_warning() {
    assert_eq!(run(&["check", PINNED, "tests/fixtures/bad"]).code, 1);
    assert_eq!(run(&["check", PINNED, "tests/fixtures/clean"]).code, 0);
}

#[test]
fn usage_errors_exit_2() {
    insta::assert_snapshot!(run(&["check", "--format", "xml", "tests/fixtures/bad"]));
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["check", "--config", "x.toml", "--no-config"]).code, 2);
    assert_eq!(run(&["--version"]).code, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

#[test]
fn stdin_with_stdin_filename() {
    let text = fs::read_to_string(repo_root().join("tests/fixtures/config/Dockerfile")).unwrap();
    // The name is shown and decides the configuration: tests/fixtures/config/.bulkhead.toml ignores BH201.
    let res = run_in(
        &repo_root(),
        &["check", PINNED, "-", "--stdin-filename", "tests/fixtures/config/Dockerfile"],
        Some(&text),
    );
    insta::assert_snapshot!(res);
}

#[test]
fn stdin_without_a_name() {
    let res = run_in(&repo_root(), &["check", PINNED, "-"], Some(ALPINE_ROOT));
    insta::assert_snapshot!(res);
    let res = run_in(&repo_root(), &["check", PINNED, "--fix", "-"], Some(ALPINE_ROOT));
    assert_eq!(res.code, 2, "{res}");
}

#[test]
fn directory_walk_is_sorted_and_respects_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for path in [
        "Dockerfile",
        "api.Dockerfile",
        "worker.dockerfile",
        "services/web/Containerfile",
        "services/web/Dockerfile.dev",
        "services/a-b/Dockerfile",
        "services/a/Dockerfile",
        // Not checked: hidden, ignored by .gitignore, or not a Dockerfile name.
        ".git/Dockerfile",
        ".devcontainer/Dockerfile",
        "build/Dockerfile",
        "docs/Dockerfile.md.txt.dockerignore",
        "services/web/Dockerfile.dev.dockerignore",
        "README.md",
    ] {
        write(&root.join(path), ALPINE_ROOT);
    }
    write(&root.join(".gitignore"), "build/\n");
    let res = run_in(root, &["check", "--select=BH201", "--format=json", "."], None);
    let findings: Vec<Value> = serde_json::from_str(&res.stdout).unwrap();
    let paths: Vec<&str> = findings.iter().map(|finding| finding["path"].as_str().unwrap()).collect();
    insta::assert_snapshot!(format!("exit: {}\nstderr: {}\n{}", res.code, res.stderr, paths.join("\n")));
    // The same walk again gives the same bytes.
    assert_eq!(run_in(root, &["check", "--select=BH201", "--format=json", "."], None).stdout, res.stdout);
}

#[test]
fn explicit_files_are_checked_whatever_their_name() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("build/image.txt"), ALPINE_ROOT);
    write(&dir.path().join(".gitignore"), "build/\n");
    let res = run_in(dir.path(), &["check", PINNED, "build/image.txt", "./build/image.txt"], None);
    insta::assert_snapshot!(res);
}

#[test]
fn bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("binary.Dockerfile"), b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe").unwrap();
    fs::write(root.join("latin1.Dockerfile"), b"FROM alpine\nLABEL a=\"caf\xe9\"\n").unwrap();
    fs::write(root.join("empty.Dockerfile"), b"").unwrap();
    fs::create_dir(root.join("nothing-here")).unwrap();
    write(&root.join("good/Dockerfile"), ALPINE_ROOT);
    let res = run_in(
        root,
        &[
            "check",
            PINNED,
            "binary.Dockerfile",
            "latin1.Dockerfile",
            "empty.Dockerfile",
            "nothing-here",
            "missing",
            "good",
        ],
        None,
    );
    // The missing path makes it 2; every other file was still looked at.
    assert_eq!(res.code, 2, "{res}");
    insta::assert_snapshot!(res);
}

#[test]
fn empty_file_and_empty_directory_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "").unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    insta::assert_snapshot!(run_in(dir.path(), &["check", "Dockerfile"], None));
    insta::assert_snapshot!(run_in(dir.path(), &["check", "empty"], None));
}

#[test]
fn invalid_config_names_the_file() {
    let res = run(&["check", PINNED, "tests/fixtures/invalid-config", "tests/fixtures/bad"]);
    // The other file is still checked.
    assert!(res.stdout.contains("tests/fixtures/bad/Dockerfile"), "{res}");
    insta::assert_snapshot!(res);
    let res = run(&["check", PINNED, "--config", "tests/fixtures/invalid-config/.bulkhead.toml", "tests/fixtures/bad"]);
    assert_eq!(res.code, 2, "{res}");
    assert_eq!(res.stderr.lines().count(), 1, "{res}");
}

#[test]
fn a_repository_config_cannot_turn_credential_helpers_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\nUSER app\n").unwrap();
    fs::write(dir.path().join(".bulkhead.toml"), "[registry]\nenabled = true\ncredential-helpers = true\n").unwrap();
    let res = run_in(dir.path(), &["check", "Dockerfile"], None);
    assert_eq!(res.code, 2, "{res}");
    assert!(res.stderr.contains("`registry.credential-helpers` cannot be set in `.bulkhead.toml`"), "{res}");
    assert!(res.stderr.contains("--credential-helpers"), "{res}");
}

#[test]
fn large_files_do_not_panic() {
    // A generated 50,000-line file always; the shared corpus's one when it is beside the repository.
    let dir = tempfile::tempdir().unwrap();
    let block = fs::read_to_string(repo_root().join("tests/fixtures/bad/Dockerfile")).unwrap();
    let mut text = String::new();
    while text.lines().count() < 50_000 {
        text.push_str(&block);
        text.push_str("RUN <<EOF\napk add curl\nEOF\n\n");
    }
    fs::write(dir.path().join("large.Dockerfile"), &text).unwrap();
    let mut files = vec![dir.path().join("large.Dockerfile")];
    let corpus = repo_root().join("../shared/corpus/large/large-50k.Dockerfile");
    if corpus.is_file() {
        files.push(corpus);
    }
    for file in files {
        let res = run(&["check", "--format=json", file.to_str().unwrap()]);
        assert!(res.code == 0 || res.code == 1, "{}: {res}", file.display());
        assert!(!res.stderr.contains("panicked"), "{}: {res}", file.display());
        let findings: Vec<Value> = serde_json::from_str(&res.stdout).unwrap();
        assert!(!findings.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------------------
// --fix

#[test]
fn fix_rewrites_in_place_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(repo_root().join("tests/fixtures/bad/Dockerfile"), dir.path().join("Dockerfile")).unwrap();
    let first = run_in(dir.path(), &["check", PINNED, "--fix", "Dockerfile"], None);
    // BH201's fix is unsafe: it stays, and the exit code says so.
    assert_eq!(first.code, 1, "{first}");
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    insta::assert_snapshot!(format!("{first}----- Dockerfile after --fix -----\n{fixed}"));

    let second = run_in(dir.path(), &["check", PINNED, "--fix", "Dockerfile"], None);
    assert_eq!(fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), fixed);
    assert!(second.stderr.contains("No fixes applied."), "{second}");

    // The rule whose fix was applied is clean now.
    let recheck = run_in(dir.path(), &["check", "--select", "BH903", "Dockerfile"], None);
    assert_eq!(recheck.code, 0, "{recheck}");
}

#[test]
fn fix_keeps_crlf_and_walks_directories() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a/Dockerfile"), "FROM alpine:3.20\r\nRUN apk add curl && apk add git\r\nUSER nobody\r\n");
    write(&dir.path().join("b/Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER nobody\n");
    let res = run_in(dir.path(), &["check", PINNED, "--fix", "."], None);
    assert_eq!(res.code, 0, "{res}");
    assert_eq!(
        fs::read_to_string(dir.path().join("a/Dockerfile")).unwrap(),
        "FROM alpine:3.20\r\nRUN apk add --no-cache curl && apk add --no-cache git\r\nUSER nobody\r\n"
    );
    insta::assert_snapshot!(res);
}

const COPIES_CONTEXT: &str =
    "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n";

#[test]
fn unsafe_fixes_create_the_dockerignore_beside_the_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("app/Dockerfile"), COPIES_CONTEXT);
    // A second Dockerfile of the same folder proposes the same file: it is created once.
    write(&dir.path().join("app/dev.Dockerfile"), "FROM node:22-slim\nCOPY ./ /src/\n");
    let created = dir.path().join("app/.dockerignore");
    let args = ["check", "--select=BH801"];

    // `--fix` alone applies safe fixes only, and creating a file is not one.
    let safe = run_in(dir.path(), &[&args[..], &["--fix", "."]].concat(), None);
    assert_eq!(safe.code, 1, "{safe}");
    assert!(!created.exists());

    // `--diff` shows the new file and writes nothing; `git apply` of it gives the file `--fix` writes.
    let diff = run_in(dir.path(), &[&args[..], &["--diff", "--unsafe-fixes", "."]].concat(), None);
    assert_eq!(diff.code, 1, "{diff}");
    assert!(diff.stdout.starts_with("--- /dev/null\n+++ b/app/.dockerignore\n@@ -0,0 +1,"), "{diff}");
    assert_eq!(diff.stdout.matches("+++ ").count(), 1, "{diff}");
    assert!(!created.exists());
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(dir.path()).output().unwrap();
    write(&dir.path().join("new.diff"), &diff.stdout);
    assert!(git(&["init", "-q"]).status.success());
    let applied = git(&["apply", "new.diff"]);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let from_diff = fs::read_to_string(&created).unwrap();
    fs::remove_file(&created).unwrap();

    let fixed = run_in(dir.path(), &[&args[..], &["--fix", "--unsafe-fixes", "."]].concat(), None);
    assert_eq!(fixed.code, 0, "{fixed}");
    assert_eq!(fixed.stderr, "created app/.dockerignore\nApplied 2 fixes in 2 files.\n");
    let content = fs::read_to_string(&created).unwrap();
    assert_eq!(content, from_diff);
    assert!(content.contains("\n**/node_modules\n") && content.contains("\n.git\n"), "{content}");
    // The Dockerfiles themselves are untouched; nothing is left to fix, and nothing is rewritten.
    assert_eq!(fs::read_to_string(dir.path().join("app/Dockerfile")).unwrap(), COPIES_CONTEXT);
    let again = run_in(dir.path(), &[&args[..], &["--fix", "--unsafe-fixes", "."]].concat(), None);
    assert_eq!((again.code, again.stderr.as_str()), (0, "No fixes applied.\n"), "{again}");
    assert_eq!(fs::read_to_string(&created).unwrap(), content);
}

#[test]
fn a_created_file_never_replaces_or_follows_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(&dir.path().join("Dockerfile"), COPIES_CONTEXT);
    // A dangling link where the file would go: reading it fails (so BH801 fires), and creating through it
    // would write outside the folder.
    let target = outside.path().join("written-through-the-link");
    std::os::unix::fs::symlink(&target, dir.path().join(".dockerignore")).unwrap();
    let res = run_in(dir.path(), &["check", "--select=BH801", "--fix", "--unsafe-fixes", "Dockerfile"], None);
    assert!(res.stderr.contains("warning: .dockerignore: already exists, not overwritten"), "{res}");
    assert!(!target.exists(), "the fix wrote through a link");
    assert!(fs::symlink_metadata(dir.path().join(".dockerignore")).unwrap().file_type().is_symlink());
}

#[test]
fn json_and_sarif_carry_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("app/Dockerfile"), COPIES_CONTEXT);
    let json = run_in(dir.path(), &["check", "--select=BH801", "--format=json", "app/Dockerfile"], None);
    let findings: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    let file = &findings[0]["fixes"][0]["new_files"][0];
    assert_eq!(file["path"], "app/.dockerignore");
    assert!(file["content"].as_str().unwrap().contains("**/.env\n"), "{file}");
    let sarif = run_in(dir.path(), &["check", "--select=BH801", "--format=sarif", "app/Dockerfile"], None);
    let sarif: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let change = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "app/.dockerignore");
    assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 1);
    let validator = jsonschema::options().should_validate_formats(true).build(&sarif_schema()).unwrap();
    assert!(validator.is_valid(&sarif));
}

// ---------------------------------------------------------------------------------------------------------
// rules and explain

#[test]
fn rules_table() {
    let res = run(&["rules"]);
    assert_eq!(res.code, 0, "{res}");
    // One line per rule plus the header (the test-only rule of workspace test builds is never listed).
    assert_eq!(res.stdout.lines().count(), RULES.iter().filter(|rule| !rule.is_test_only()).count() + 1, "{res}");
    insta::assert_snapshot!(res.stdout);
}

#[test]
fn rules_json() {
    let res = run(&["rules", "--format", "json"]);
    assert_eq!(res.code, 0, "{res}");
    let rules: Vec<Value> = serde_json::from_str(&res.stdout).unwrap();
    // `cargo test --workspace` compiles the engine with the test-only rule; the product never lists it.
    assert_eq!(rules.len(), RULES.iter().filter(|rule| !rule.is_test_only()).count());
    let bh201 = rules.iter().find(|rule| rule["code"] == "BH201").unwrap();
    insta::assert_json_snapshot!(bh201);
}

#[test]
fn explain_a_rule() {
    let res = run(&["explain", "BH201"]);
    assert_eq!(res.code, 0, "{res}");
    assert_eq!(run(&["explain", "root-user"]).stdout, res.stdout);
    assert_eq!(run(&["explain", "bh201"]).stdout, res.stdout);
    insta::assert_snapshot!(res);
}

#[test]
fn explain_an_unknown_rule() {
    insta::assert_snapshot!(run(&["explain", "BH999"]));
}

#[test]
fn fmt_checks_writes_in_place_and_formats_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let messy = "from alpine:3.20\n\n\nrun apk add curl \\\n  && echo ok   \n";
    let tidy = "FROM alpine:3.20\n\nRUN apk add curl \\\n    && echo ok\n";
    write(&dir.path().join("Dockerfile"), messy);
    write(&dir.path().join("sub/Dockerfile"), tidy);
    // --check writes nothing, lists what would change, exits 1.
    let check = run_in(dir.path(), &["fmt", "--check"], None);
    assert_eq!((check.code, check.stdout.as_str()), (1, "Dockerfile\n"), "{check}");
    assert!(check.stderr.contains("1 file would be reformatted, 1 already formatted"), "{check}");
    assert_eq!(fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), messy);
    // Without it, in place; then --check is clean.
    let write_run = run_in(dir.path(), &["fmt", "."], None);
    assert_eq!(write_run.code, 0, "{write_run}");
    assert_eq!(fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), tidy);
    assert_eq!(run_in(dir.path(), &["fmt", "--check"], None).code, 0);
    // `-`: stdin to stdout, with the indent of the nearest .bulkhead.toml.
    write(&dir.path().join(".bulkhead.toml"), "[format]\nindent = 2\n");
    let stdin = run_in(dir.path(), &["fmt", "-"], Some(messy));
    assert_eq!((stdin.code, stdin.stdout.as_str()), (0, "FROM alpine:3.20\n\nRUN apk add curl \\\n  && echo ok\n"));
    let check_stdin = run_in(dir.path(), &["fmt", "--check", "-"], Some(messy));
    assert_eq!((check_stdin.code, check_stdin.stdout.as_str()), (1, "<stdin>\n"), "{check_stdin}");
    // A bad configuration and a missing path are errors (2); the help documents the command.
    write(&dir.path().join(".bulkhead.toml"), "[format]\nindent = 99\n");
    assert_eq!(run_in(dir.path(), &["fmt", "--check", "Dockerfile"], None).code, 2);
    assert_eq!(run_in(dir.path(), &["fmt", "--no-config", "missing"], None).code, 2);
    let help = run(&["fmt", "--help"]);
    assert!(help.code == 0 && help.stdout.contains("--check") && help.stdout.contains("[format] indent"), "{help}");
}

#[test]
fn check_help() {
    insta::assert_snapshot!(run(&["check", "--help"]));
}

/// The commands `bulkhead --help` lists (besides `help`).
const COMMANDS: [&str; 7] = ["check", "fmt", "rules", "explain", "lsp", "completions", "man"];

#[test]
fn completions_for_every_shell() {
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.code, 0, "{bash}");
    // The script completes the commands and the options of `check`, and bash can parse it.
    for word in COMMANDS.iter().chain(&["--format", "--fail-on", "checkstyle", "rdjson"]) {
        assert!(bash.stdout.contains(word), "bash completion lacks {word}");
    }
    let mut child = Command::new("bash").arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(bash.stdout.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "bash -n: {}", String::from_utf8_lossy(&output.stderr));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let res = run(&["completions", shell]);
        assert_eq!(res.code, 0, "{res}");
        // fish spells options `-l format`.
        assert!(res.stdout.contains("check") && res.stdout.contains("format"), "{shell}: {res}");
    }
    let res = run(&["completions", "tcsh"]);
    assert_eq!(res.code, 2, "{res}");
}

#[test]
fn man_pages_from_the_command_line_definitions() {
    let page = run(&["man"]);
    assert_eq!(page.code, 0, "{page}");
    assert!(page.stdout.starts_with(".ie") || page.stdout.starts_with(".TH"), "not roff: {page}");
    assert!(page.stdout.contains(".TH bulkhead 1"), "{page}");
    // Every command, as a reference to its own page.
    for command in COMMANDS {
        assert!(page.stdout.contains(&format!("bulkhead\\-{command}(1)")), "no {command} in {page}");
    }
    assert!(page.stdout.contains("Exit codes: 0"), "{page}");

    let check = run(&["man", "check"]);
    assert_eq!(check.code, 0, "{check}");
    assert!(check.stdout.contains(".TH bulkhead-check 1"), "{check}");
    for option in ["\\-\\-format", "\\-\\-fail\\-on", "\\-\\-fix", "gitlab", "junit"] {
        assert!(check.stdout.contains(option), "no {option} in {check}");
    }
    // groff reads it without a warning (when it is installed).
    if let Ok(mut child) =
        Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn()
    {
        child.stdin.take().unwrap().write_all(check.stdout.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success() && output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    }

    let unknown = run(&["man", "nope"]);
    assert_eq!(unknown.code, 2, "{unknown}");
    assert!(unknown.stderr.contains("check, fmt, rules, explain"), "{unknown}");
}

#[test]
fn version_names_the_commit_in_a_checkout() {
    let res = run(&["--version"]);
    assert_eq!(res.code, 0, "{res}");
    let version = env!("CARGO_PKG_VERSION");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(repo_root())
            .output()
            .ok()
            .filter(|output| repo_root().join(".git").exists() && output.status.success())
            .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_owned())
    };
    match git(&["rev-parse", "--short=9", "HEAD"]) {
        // The commit the binary was built from: HEAD, or an ancestor of it when a commit was made after the
        // build (cargo reruns build.rs at the next build).
        Some(_) => {
            let shown = res
                .stdout
                .strip_prefix(&format!("bulkhead {version} ("))
                .and_then(|rest| rest.strip_suffix(")\n"))
                .unwrap_or_else(|| panic!("no commit in {res}"));
            assert!(shown.len() == 9 && shown.bytes().all(|b| b.is_ascii_hexdigit()), "{res}");
            assert!(git(&["merge-base", "--is-ancestor", shown, "HEAD"]).is_some(), "{shown} is not in HEAD's history");
        }
        None => assert_eq!(res.stdout, format!("bulkhead {version}\n")),
    }
}

/// A file whose findings have a safe fix (BH903), an unsafe-only fix (BH201: add USER) and no fix at all.
const MIXED_FIXES: &str = "FROM alpine:3.20\nRUN apk add curl \\\n    # the client\n    jq\nCMD [\"jq\"]\n";

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("Dockerfile"), MIXED_FIXES);
    let safe = run_in(dir.path(), &["check", PINNED, "--diff", "Dockerfile"], None);
    let all = run_in(dir.path(), &["check", PINNED, "--diff", "--unsafe-fixes", "Dockerfile"], None);
    insta::assert_snapshot!(format!("{safe}\n{all}"));
    // A change to show is exit code 1, like a finding; the file itself is untouched.
    assert_eq!((safe.code, all.code), (1, 1));
    assert_eq!(fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), MIXED_FIXES);

    // The diff is exactly what `--fix` then writes: `git apply` of the diff gives the same bytes.
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(dir.path()).output().unwrap();
    write(&dir.path().join("all.diff"), &all.stdout);
    assert!(git(&["init", "-q"]).status.success());
    let applied = git(&["apply", "all.diff"]);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let from_diff = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    write(&dir.path().join("Dockerfile"), MIXED_FIXES);
    let fixed = run_in(dir.path(), &["check", PINNED, "--fix", "--unsafe-fixes", "Dockerfile"], None);
    assert_eq!(fixed.code, 0, "{fixed}");
    assert_eq!(fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), from_diff);

    // Nothing left to fix: empty diff, exit code 0.
    let clean = run_in(dir.path(), &["check", PINNED, "--diff", "--unsafe-fixes", "Dockerfile"], None);
    assert_eq!((clean.code, clean.stdout.as_str(), clean.stderr.as_str()), (0, "", "No fixes to apply.\n"));
}

#[test]
fn fix_applies_only_safe_fixes_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("Dockerfile"), MIXED_FIXES);
    let res = run_in(dir.path(), &["check", PINNED, "--fix", "Dockerfile"], None);
    insta::assert_snapshot!(format!(
        "{res}\n----- file -----\n{}",
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap()
    ));
    // The unsafe fix (add USER) is not applied: BH201 remains.
    assert_eq!(res.code, 1, "{res}");
}

#[test]
fn diff_reads_stdin_and_unsafe_fixes_needs_a_mode() {
    let res = run_in(
        &repo_root(),
        &["check", PINNED, "--diff", "-", "--stdin-filename", "web/Dockerfile"],
        Some(MIXED_FIXES),
    );
    assert_eq!(res.code, 1, "{res}");
    assert!(res.stdout.starts_with("--- a/web/Dockerfile\n+++ b/web/Dockerfile\n"), "{res}");
    let res = run(&["check", PINNED, "--unsafe-fixes", "tests/fixtures/bad"]);
    assert_eq!(res.code, 2, "{res}");
    assert!(res.stderr.contains("use it with --fix or --diff"), "{res}");
    let res = run(&["check", PINNED, "--fix", "--diff", "tests/fixtures/bad"]);
    assert_eq!(res.code, 2, "{res}");
}

/// Our own image follows the practices we teach: the root `Dockerfile` has no finding at any severity.
#[test]
fn own_dockerfile_is_clean() {
    let res = run(&["check", "--fail-on", "hint", "Dockerfile"]);
    assert_eq!(res.code, 0, "{res}");
    assert_eq!(res.stdout, "No problems found in 1 file.\n", "{res}");
}

// ---------------------------------------------------------------------------------------------------------
// Registry look-ups (`--online`), against Debian's docker-registry on loopback (these tests fail without it:
// `apt-get install -y docker-registry`).

const ONLINE_RULES: &str = "--select=BH101,BH102,BH201,BH601";
const SERVICE: &str = "FROM 127.0.0.1:PORT/app:1\nEXPOSE 8080\nCMD [\"app\"]\n";

/// Pushes `app`: one image whose config runs as UID 1000 with a healthcheck, under tags `1`, `1.4`,
/// `1.4.2`, `1.4.1` and `1.3.0`. Returns its digest.
fn push_service_image(registry: &registry_support::Registry) -> String {
    let config = registry_support::config_json("amd64", "1000", "2024-05-06T07:08:09Z", true);
    let image = registry_support::push_image(registry, "app", &config);
    for tag in ["1", "1.4", "1.4.2", "1.4.1", "1.3.0"] {
        registry.push_manifest("app", tag, registry_support::OCI_MANIFEST, &image.manifest);
    }
    image.manifest_digest
}

/// A directory with `Dockerfile` (`text`, `PORT` replaced), an empty docker config and a private cache.
fn online_workspace(text: &str, port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("Dockerfile"), &text.replace("PORT", &port.to_string()));
    fs::create_dir_all(dir.path().join("docker")).unwrap();
    dir
}

/// Runs in `dir` with its own cache and docker config; the registry's port reads `PORT` in the output.
fn run_online(dir: &Path, args: &[&str], port: u16) -> Run {
    let (cache, docker) = (dir.join("cache"), dir.join("docker"));
    let res = run_with_env(dir, args, None, &[("XDG_CACHE_HOME", &cache), ("DOCKER_CONFIG", &docker)]);
    let port = port.to_string();
    Run { code: res.code, stdout: res.stdout.replace(&port, "PORT"), stderr: res.stderr.replace(&port, "PORT") }
}

#[test]
fn online_check_uses_the_base_image_facts_and_offers_pins() {
    let mut registry = registry_support::Registry::start();
    let digest = push_service_image(&registry);
    let port = registry.port;
    let dir = online_workspace(SERVICE, port);
    let root = dir.path();

    // Offline: the base image is unknown, so it runs as root and has no healthcheck; nothing to pin with.
    let offline = run_online(root, &["check", ONLINE_RULES, "Dockerfile"], port);
    let online = run_online(root, &["check", ONLINE_RULES, "--online", "Dockerfile"], port);
    assert!(offline.stdout.contains("BH201") && offline.stdout.contains("BH601"), "{offline}");
    // Online: the image runs as 1000 with a healthcheck; `1` is a floating tag (a hint) with pins.
    assert!(!online.stdout.contains("BH201") && !online.stdout.contains("BH601"), "{online}");
    assert!(online.stderr.is_empty(), "{online}");
    let safe = run_online(root, &["check", ONLINE_RULES, "--online", "--diff", "Dockerfile"], port);
    let unsafe_ =
        run_online(root, &["check", ONLINE_RULES, "--online", "--unsafe-fixes", "--diff", "Dockerfile"], port);
    assert!(safe.stdout.contains(&format!("+FROM 127.0.0.1:PORT/app:1@{digest}")), "{safe}");
    // Pin tag first (unsafe: `1` floats on purpose), then, as `1.4.2` is the same image, its digest.
    assert!(unsafe_.stdout.contains(&format!("+FROM 127.0.0.1:PORT/app:1.4.2@{digest}\n")), "{unsafe_}");
    insta::assert_snapshot!(
        format!("offline:\n{offline}\nonline:\n{online}\n--diff:\n{safe}\n--unsafe-fixes --diff:\n{unsafe_}")
            .replace(&digest, "sha256:DIGEST")
    );

    // `--fix` writes the digest pin (safe); the pinned reference keeps the facts of the image it names.
    let fixed = run_online(root, &["check", ONLINE_RULES, "--online", "--fix", "Dockerfile"], port);
    let pinned = SERVICE.replace("PORT", &port.to_string()).replace("app:1\n", &format!("app:1@{digest}\n"));
    assert_eq!(fs::read_to_string(root.join("Dockerfile")).unwrap(), pinned, "{fixed}");
    assert_eq!((fixed.code, fixed.stdout.as_str()), (0, "No problems found in 1 file.\n"), "{fixed}");

    // The answers are cached on disk: with the registry gone, the same look-ups need no network...
    write(&root.join("Dockerfile"), &SERVICE.replace("PORT", &port.to_string()));
    registry.stop();
    let cached = run_online(root, &["check", ONLINE_RULES, "--online", "Dockerfile"], port);
    assert_eq!(cached.stdout, online.stdout, "{cached}");
    assert!(cached.stderr.is_empty(), "{cached}");
    // ...until they are older than the configured TTL: then the look-up fails, says so, and the check
    // goes on without the facts.
    write(&root.join(".bulkhead.toml"), "[registry]\nenabled = true\ncache-ttl = \"0s\"\n");
    let expired = run_online(root, &["check", ONLINE_RULES, "Dockerfile"], port);
    assert_eq!(expired.stdout, offline.stdout, "{expired}");
    assert!(expired.stderr.contains("connection refused"), "{expired}");
}

/// Pushes `repo:1` with this config `User` and health check (`None`: none; `Some("NONE")`: switched off).
fn push_config_image(registry: &registry_support::Registry, repo: &str, user: &str, healthcheck: Option<&str>) {
    let config = registry_support::config_json("amd64", user, "2024-05-06T07:08:09Z", healthcheck.is_some());
    let test = r#"["CMD-SHELL","wget -qO- http://127.0.0.1:8080/health || exit 1"]"#;
    let config = match healthcheck {
        Some("NONE") => String::from_utf8(config).unwrap().replace(test, r#"["NONE"]"#).into_bytes(),
        _ => config,
    };
    let image = registry_support::push_image(registry, repo, &config);
    registry.push_manifest(repo, "1", registry_support::OCI_MANIFEST, &image.manifest);
}

/// A Compose file online: BH201 and BH601 read the image config of a service's base image (through the
/// Dockerfile it builds) and of an `image:` service, from the real registry; offline they cannot.
#[test]
fn online_compose_check_reads_the_image_configs() {
    let registry = registry_support::Registry::start();
    let port = registry.port;
    push_config_image(&registry, "rootimg", "", None);
    push_config_image(&registry, "nonroot", "1000", Some("CMD"));
    push_config_image(&registry, "off", "nobody", Some("NONE"));
    let dir = online_workspace("", port);
    let root = dir.path();
    let compose = "services:\n  api:\n    build: ./api\n  web:\n    build: ./web\n  db:\n    image: 127.0.0.1:PORT/rootimg:1\n  \
                   cache:\n    image: 127.0.0.1:PORT/nonroot:1\n  gateway:\n    image: 127.0.0.1:PORT/off:1\n";
    write(&root.join("compose.yaml"), &compose.replace("PORT", &port.to_string()));
    for (service, image) in [("api", "rootimg"), ("web", "nonroot")] {
        let dockerfile = format!("FROM 127.0.0.1:{port}/{image}:1\nEXPOSE 8080\nCMD [\"app\"]\n");
        write(&root.join(service).join("Dockerfile"), &dockerfile);
    }
    let args = ["check", "--select=BH201,BH601", "--format=concise", "compose.yaml"];
    let offline = run_online(root, &args, port);
    let online = run_online(root, &[&args[..], &["--online"]].concat(), port);
    assert!(online.stderr.is_empty(), "{online}");
    let lines =
        |run: &Run| -> Vec<String> { run.stdout.lines().filter(|l| l.contains("BH")).map(str::to_owned).collect() };
    let has = |run: &Run, service: &str, code: &str| {
        lines(run).iter().any(|line| line.contains(code) && line.contains(&format!("service `{service}`")))
    };
    // Offline: the built services run as root without a health check, as far as the files say; the
    // `image:` services are unknown.
    for (service, code) in [("api", "BH201"), ("api", "BH601"), ("web", "BH201"), ("web", "BH601")] {
        assert!(has(&offline, service, code), "{service} {code}: {offline}");
    }
    assert!(!["db", "cache", "gateway"].iter().any(|s| has(&offline, s, "BH201") || has(&offline, s, "BH601")));
    // Online: the registry says `nonroot` runs as 1000 with a health check; `rootimg` sets neither;
    // `off` runs as `nobody` and switches its health check off.
    let expected = [("api", "BH201"), ("api", "BH601"), ("db", "BH201"), ("db", "BH601"), ("gateway", "BH601")];
    for (service, code) in expected {
        assert!(has(&online, service, code), "{service} {code}: {online}");
    }
    assert_eq!(lines(&online).len(), expected.len(), "{online}");
    assert!(lines(&online).iter().all(|line| line.contains("in the registry")), "{online}");
    insta::assert_snapshot!(format!("offline:\n{offline}\nonline:\n{online}"));
}

#[test]
fn online_check_warns_once_per_failed_reference_and_still_lints() {
    let registry = registry_support::Registry::start();
    push_service_image(&registry);
    let closed = registry_support::free_port();
    let text = format!(
        "FROM 127.0.0.1:{closed}/base:1 AS base\nRUN true\n\nFROM 127.0.0.1:{closed}/base:1 AS again\n\n\
         FROM 127.0.0.1:{port}/missing:2 AS missing\n\nFROM 127.0.0.1:{closed}/tools:3\nCOPY --from=base /a /a\n",
        port = registry.port
    );
    let dir = online_workspace(&text, registry.port);
    let args = ["check", ONLINE_RULES, "Dockerfile"];
    let offline = run_online(dir.path(), &args, registry.port);
    // `[registry] enabled` in the configuration turns look-ups on like `--online`.
    write(&dir.path().join(".bulkhead.toml"), "[registry]\nenabled = true\n");
    let online = run_online(dir.path(), &args, registry.port);
    assert_eq!(online.stdout, offline.stdout, "{online}");
    assert_eq!(online.code, offline.code);
    let stderr = online.stderr.replace(&closed.to_string(), "CLOSED");
    let mut warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{online}");
    // Sorted by reference, and the ports are random: sort the lines as shown.
    warnings.sort_unstable();
    insta::assert_snapshot!(warnings.join("\n"));
}

/// BH107 online: the build time (`created`) of the image each `FROM` names, from its config in the real
/// registry (for an index, the entry of the machine's platform), against `[registry] base-max-age`; cached
/// on disk like the digests.
#[test]
fn online_check_hints_to_rebuild_an_old_base() {
    let Some(mut registry) = registry_support::Registry::start_or_skip("online_check_hints_to_rebuild_an_old_base")
    else {
        return;
    };
    // `base:1` is an index: amd64 built 2024-05-06, arm64 2024-06-07. `fresh:1` is one image built 2026-11-20.
    let config = |arch, created| registry_support::config_json(arch, "1000", created, true);
    let amd64 = registry_support::push_image(&registry, "base", &config("amd64", "2024-05-06T07:08:09Z"));
    let arm64 = registry_support::push_image(&registry, "base", &config("arm64", "2024-06-07T00:00:00Z"));
    let index = registry_support::index_json(&[(&amd64, "amd64"), (&arm64, "arm64")]);
    registry.push_manifest("base", "1", registry_support::OCI_INDEX, &index);
    let fresh = registry_support::push_image(&registry, "fresh", &config("amd64", "2026-11-20T00:00:00Z"));
    registry.push_manifest("fresh", "1", registry_support::OCI_MANIFEST, &fresh.manifest);
    let port = registry.port;
    let text =
        "FROM 127.0.0.1:PORT/base:1 AS build\nRUN true\n\nFROM 127.0.0.1:PORT/fresh:1\nCOPY --from=build /a /a\n";
    let dir = online_workspace(text, port);
    let root = dir.path();
    let args = ["check", "--select=BH107", "--online", "Dockerfile"];

    // Offline the build time is unknown: nothing to say.
    let offline = run_online(root, &["check", "--select=BH107", "Dockerfile"], port);
    assert_eq!((offline.code, offline.stdout.as_str()), (0, "No problems found in 1 file.\n"), "{offline}");
    // Online, on 2026-12-01 (BULKHEAD_TODAY): the build stage's base is old, the final one is not.
    let (built, days) = if cfg!(target_arch = "aarch64") { ("2024-06-07", 907) } else { ("2024-05-06", 939) };
    let online = run_online(root, &args, port);
    let expected = format!(
        "hint[BH107]: `127.0.0.1:PORT/base:1` was built on {built}, {days} days ago (more than 180): no security \
         update since reached it; move the pin or tag to a current build\n --> Dockerfile:1:6\n"
    );
    assert!(online.stdout.starts_with(&expected), "{online}");
    assert!(online.stdout.contains("Found 1 problem (1 hint) in 1 file."), "{online}");
    assert!(online.stderr.is_empty(), "{online}");
    // A longer age in the configuration: nothing.
    write(&root.join(".bulkhead.toml"), "[registry]\nbase-max-age = \"1000d\"\n");
    let longer = run_online(root, &args, port);
    assert_eq!(longer.stdout, "No problems found in 1 file.\n", "{longer}");
    // The build time is cached with the other facts: with the registry gone, the same answer.
    fs::remove_file(root.join(".bulkhead.toml")).unwrap();
    registry.stop();
    let cached = run_online(root, &args, port);
    assert_eq!(cached.stdout, online.stdout, "{cached}");
    assert!(cached.stderr.is_empty(), "{cached}");
}

// ---------------------------------------------------------------------------------------------------------
// pre-commit

/// pre-commit in a virtual environment under cargo's test scratch folder (kept between runs): its
/// `pre-commit` program, or why it cannot be had (no python3, no venv module, no package index).
fn pre_commit() -> Result<PathBuf, String> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-venv");
    let program = venv.join("bin/pre-commit");
    if program.exists() {
        return Ok(program);
    }
    let step = |command: &mut Command| -> Result<(), String> {
        let output = command.output().map_err(|err| format!("{command:?}: {err}"))?;
        match output.status.success() {
            true => Ok(()),
            false => Err(format!("{command:?}: {}", String::from_utf8_lossy(&output.stderr))),
        }
    };
    step(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    step(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "pre-commit"]))?;
    Ok(program)
}

#[test]
fn pre_commit_hooks_check_and_fix() {
    let pre_commit = match pre_commit() {
        Ok(program) => program,
        Err(why) => {
            eprintln!("SKIPPED pre_commit_hooks_check_and_fix: pre-commit cannot be installed: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    // BH903 has a safe fix; nothing else runs.
    write(&repo.join("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\n");
    write(&repo.join(".bulkhead.toml"), "select = [\"BH903\"]\n");
    let git = |dir: &Path, args: &[&str]| {
        let output = Command::new("git")
            .args(["-c", "user.name=test", "-c", "user.email=test@example.invalid"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    };
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["add", "."]);
    // The hook repository: this checkout's `.pre-commit-hooks.yaml`, committed alone (try-repo takes a
    // checkout's committed and modified files, but not new ones, and cloning this repository costs more).
    let hooks = dir.path().join("hooks");
    fs::create_dir_all(&hooks).unwrap();
    fs::copy(repo_root().join(".pre-commit-hooks.yaml"), hooks.join(".pre-commit-hooks.yaml")).unwrap();
    git(&hooks, &["init", "--quiet"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "--quiet", "-m", "hooks"]);
    // The hooks run the bulkhead on PATH: this build.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_bulkhead")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let try_repo = |hook: &str| -> Run {
        let output = Command::new(&pre_commit)
            .args(["try-repo", "--all-files"])
            .arg(&hooks)
            .arg(hook)
            .current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", dir.path().join("cache"))
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };

    let check = try_repo("bulkhead");
    assert_eq!(check.code, 1, "{check}");
    assert!(check.stdout.contains("Dockerfile:2:5: BH903 `apk add` without `--no-cache`"), "{check}");
    assert_eq!(fs::read_to_string(repo.join("Dockerfile")).unwrap(), "FROM alpine:3.20\nRUN apk add curl\n");

    // The fix hook rewrites the file, which pre-commit reports as a failure ("files were modified").
    let fix = try_repo("bulkhead-fix");
    assert_eq!(fix.code, 1, "{fix}");
    assert!(fix.stdout.contains("files were modified by this hook"), "{fix}");
    assert_eq!(fs::read_to_string(repo.join("Dockerfile")).unwrap(), "FROM alpine:3.20\nRUN apk add --no-cache curl\n");

    git(&repo, &["add", "."]);
    let clean = try_repo("bulkhead");
    assert_eq!(clean.code, 0, "{clean}");
    assert!(clean.stdout.contains("Passed"), "{clean}");
}

// ---------------------------------------------------------------------------------------------------------
// hadolint users

/// A project set up for hadolint: a root image and a `.hadolint.yaml` that ignores the root-user check
/// and fails only on errors.
fn hadolint_project(dir: &Path) {
    write(&dir.join("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nCMD [\"/app/server\"]\n");
    write(
        &dir.join(".hadolint.yaml"),
        "ignored:\n  - DL3002\n  - SC2086\n  - DL3049\nfailure-threshold: error\nlabel-schema:\n  author: text\nsurprise: 1\n",
    );
}

/// The user's home without any hadolint file, so the test sees only the project's.
fn empty_home(dir: &Path) -> [(&'static str, PathBuf); 2] {
    let home = dir.join("home");
    fs::create_dir_all(&home).unwrap();
    [("HOME", home.clone()), ("XDG_CONFIG_HOME", home.join(".config"))]
}

fn run_home(dir: &Path, args: &[&str], home: &[(&'static str, PathBuf)]) -> Run {
    let env: Vec<(&str, &Path)> = home.iter().map(|(key, path)| (*key, path.as_path())).collect();
    run_with_env(dir, args, None, &env)
}

#[test]
fn a_hadolint_yaml_is_read_when_there_is_no_bulkhead_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    hadolint_project(&project);
    let home = empty_home(tmp.path());
    let res = run_home(&project, &["check", "--format=concise", "Dockerfile"], &home);
    // DL3002 is BH201: ignored. BH903 (apk without --no-cache) is a warning, and the threshold is error.
    assert!(!res.stdout.contains("BH201"), "{res}");
    assert!(res.stdout.contains("BH903"), "{res}");
    assert_eq!(res.code, 0, "failure-threshold: error lets warnings pass\n{res}");
    // What did not carry over is one warning each, once.
    assert_eq!(res.stderr.matches("warning: .hadolint.yaml: ").count(), 4, "{res}");
    assert!(res.stderr.contains("unknown hadolint keys, not read: `surprise`"), "{res}");
    assert!(res.stderr.contains("not applicable: SC2086"), "{res}");
    assert!(res.stderr.contains("`label-schema` is not applicable"), "{res}");
    // --fail-on on the command line wins over the file.
    assert_eq!(run_home(&project, &["check", "--fail-on=warning", "Dockerfile"], &home).code, 1);
    // A .bulkhead.toml above wins over the nearer .hadolint.yaml: BH201 is back, the threshold is ours.
    write(&tmp.path().join(".bulkhead.toml"), "");
    let res = run_home(&project, &["check", "--format=concise", "Dockerfile"], &home);
    assert!(res.stdout.contains("BH201"), "{res}");
    assert_eq!(res.code, 1, "{res}");
    assert!(!res.stderr.contains("hadolint"), "{res}");
}

#[test]
fn the_users_hadolint_yaml_is_read_where_hadolint_looks() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    write(&project.join("Dockerfile"), ALPINE_ROOT);
    let home = empty_home(tmp.path());
    assert!(run_home(&project, &["check", "--format=concise"], &home).stdout.contains("BH201"));
    write(&home[1].1.join("hadolint.yaml"), "ignored: [DL3002]\n");
    let res = run_home(&project, &["check", "--format=concise"], &home);
    assert!(!res.stdout.contains("BH201"), "$XDG_CONFIG_HOME/hadolint.yaml is read\n{res}");
    fs::remove_file(home[1].1.join("hadolint.yaml")).unwrap();
    write(&home[0].1.join(".hadolint.yaml"), "ignored: [DL3002]\n");
    let res = run_home(&project, &["check", "--format=concise"], &home);
    assert!(!res.stdout.contains("BH201"), "~/.hadolint.yaml is read\n{res}");
}

#[test]
fn an_invalid_hadolint_yaml_is_a_configuration_error_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("Dockerfile"), ALPINE_ROOT);
    write(&tmp.path().join(".hadolint.yml"), "override:\n  error: DL3002\n  fatal: [DL3000]\n");
    let home = empty_home(tmp.path());
    let res = run_home(tmp.path(), &["check", "Dockerfile"], &home);
    assert_eq!(res.code, 2, "{res}");
    assert!(res.stderr.contains(".hadolint.yml: invalid configuration: line 3, column 3: `override.fatal`"), "{res}");
}

#[test]
fn config_from_hadolint_prints_an_equivalent_bulkhead_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    hadolint_project(&project);
    write(&project.join(".hadolint.yaml"), "ignored: [DL3002, SC2086]\noverride:\n  error: [DL3019]\nno-fail: true\n");
    let home = empty_home(tmp.path());
    let printed = run_home(&project, &["config", "--from-hadolint"], &home);
    assert_eq!(printed.code, 0, "{printed}");
    insta::assert_snapshot!(printed.stdout);
    let named = run_home(tmp.path(), &["config", "--from-hadolint", "project/.hadolint.yaml"], &home);
    assert_eq!(named.stdout.replace("project/.hadolint.yaml", ".hadolint.yaml"), printed.stdout);
    // The printed file, committed instead, gives the same findings and exit code.
    let before = run_home(&project, &["check", "--format=json"], &home);
    fs::remove_file(project.join(".hadolint.yaml")).unwrap();
    write(&project.join(".bulkhead.toml"), &printed.stdout);
    let after = run_home(&project, &["check", "--format=json"], &home);
    assert_eq!((before.code, &before.stdout), (after.code, &after.stdout));
    assert!(before.stdout.contains("\"BH903\"") && before.stdout.contains("\"error\""), "{before}");
    // Nothing to convert: a clear error.
    let none = run_home(&project, &["config", "--from-hadolint"], &home);
    assert_eq!(none.code, 2, "{none}");
    assert!(none.stderr.contains("no hadolint configuration in . (.hadolint.yaml, .hadolint.yml)"), "{none}");
}

/// The Compose rules of the fixtures (the Dockerfile selection of `PINNED` has nothing to say there).
const COMPOSE: &str = "--select=BH000,BH401,BH701,BH710,BH712";

#[test]
fn compose_files_by_name_and_by_kind() {
    // A directory: both Compose names are walked, `stack.yml` is not a Compose name.
    let res = run(&["check", COMPOSE, "tests/fixtures/compose"]);
    assert_eq!(res.code, 1, "{res}");
    insta::assert_snapshot!(res);
    // Every format.
    for format in CI_FORMATS.iter().chain(&["json", "sarif"]) {
        let res = run(&["check", COMPOSE, "--format", format, "tests/fixtures/compose"]);
        assert_eq!(res.code, 1, "--format {format}: {res}");
        assert!(res.stdout.contains("BH710") && res.stdout.contains("BH401"), "--format {format}: {res}");
    }
    // A named file is a Dockerfile unless its name or `--kind` says Compose.
    assert_eq!(codes(&["check", COMPOSE, "tests/fixtures/compose/stack.yml"]), ["BH000", "BH000", "BH000", "BH000"]);
    assert_eq!(codes(&["check", COMPOSE, "--kind", "compose", "tests/fixtures/compose/stack.yml"]), ["BH712", "BH710"]);
    // Stdin named as a Compose file.
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/compose/stack.yml")).unwrap();
    let res = run_in(&repo_root(), &["check", COMPOSE, "--stdin-filename", "compose.yaml", "-"], Some(&text));
    assert!(res.stdout.contains("BH710"), "{res}");
    // An unsafe fix, shown as a diff.
    let res = run(&["check", COMPOSE, "--diff", "--unsafe-fixes", "tests/fixtures/compose/compose.yaml"]);
    assert!(res.stdout.contains("+    cap_drop:\n+      - ALL\n"), "{res}");
}

#[test]
fn a_compose_service_is_checked_with_the_dockerfile_it_builds() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("compose.yaml"),
        "services:\n  web:\n    build:\n      context: ./app\n      target: runtime\n  api:\n    build: ./missing\n",
    );
    write(
        &dir.path().join("app/Dockerfile"),
        "FROM golang:1.22 AS build\nRUN go build -o /web .\nFROM debian:bookworm-slim AS runtime\nCOPY --from=build /web /web\nCMD [\"/web\"]\nFROM runtime AS debug\nUSER app\n",
    );
    // A folder, and the Compose file named: the Dockerfile is read relative to the Compose file.
    for target in [".", "compose.yaml"] {
        let res = run_in(dir.path(), &["check", "--select=BH201", "--format=concise", target], None);
        assert_eq!(res.code, 1, "{res}");
        let compose_lines: Vec<&str> = res.stdout.lines().filter(|line| line.contains("compose.yaml")).collect();
        assert_eq!(compose_lines.len(), 1, "{res}");
        assert!(
            compose_lines[0].contains("service `web`")
                && compose_lines[0].contains("`app/Dockerfile` (stage `runtime`)"),
            "{res}"
        );
    }
    // The stage that switches user: nothing to report on the service.
    write(
        &dir.path().join("compose.yaml"),
        "services:\n  web:\n    build:\n      context: ./app\n      target: debug\n",
    );
    let res = run_in(dir.path(), &["check", "--select=BH201", "--format=concise", "compose.yaml"], None);
    assert_eq!(res.code, 0, "{res}");
}
