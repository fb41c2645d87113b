//! What each fuzz target asserts, as plain functions: the targets in `fuzz_targets/` call them with the
//! fuzzer's bytes, and `tests/fuzz_regressions.rs` calls them with every input in `fuzz/regressions/`,
//! so each crash the fuzzers found stays a test that `cargo test` runs.

#[path = "../tests/support/hostile_model.rs"]
mod hostile_model;

use bulkhead_analysis::{
    BuildContext, Config, FixSelection, Report, Settings, apply_fixes, check, check_compose, check_file, fix_all,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The largest input that also runs the fix-all loops: each pass re-checks the whole file, so on big
/// inputs they cost many checks, and a fix-all bug shows on a small file as well (libFuzzer minimizes).
pub const FIX_ALL_MAX_BYTES: usize = 512;

/// Parse + analyse + fixes, on arbitrary text: no rule panics (the engine catches them, so a caught panic
/// is asserted here), and (on small inputs) the safe-fix loop never adds a syntax error and is idempotent.
pub fn engine(data: &[u8]) {
    engine_text(&String::from_utf8_lossy(data), data);
}

/// [`engine`] on a Dockerfile rendered from the structure-aware model (`tests/support/hostile_model.rs`):
/// deep nesting, long chains, many stages and `ARG`s, heredocs, odd escapes, CRLF, BOM.
pub fn dockerfile(data: &[u8]) {
    let text = hostile_model::Model::from_bytes(data, hostile_model::Scale::FUZZ).render();
    engine_text(&text, data);
}

/// FNV-1a of the input: which fix an input re-checks, stable for the input and changed by any mutation.
fn choice(data: &[u8]) -> usize {
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    hash as usize
}

fn all_rules() -> Settings {
    let config = Config { select: Some(vec!["ALL".to_owned()]), ..Config::default() };
    Settings::from_config(&config).expect("ALL is a valid selection")
}

/// One check, then one fix chosen by the input applied alone and re-checked (over many inputs every fix
/// gets its turn: re-checking after every fix made each input cost a check per finding), all first fixes
/// at once, and the fix-all loops on inputs up to [`FIX_ALL_MAX_BYTES`].
fn engine_text(text: &str, data: &[u8]) {
    let settings = all_rules();
    // Half the inputs see an empty .dockerignore, so the context rules run too.
    let build = match data.first() {
        Some(b) if b % 2 == 0 => BuildContext::with_dockerignore(".dockerignore", ""),
        _ => BuildContext::default(),
    };
    // The re-check after a fix shares the first check's shell parses (only the fixed instruction's script
    // is new): re-parsing every script of a large model file was most of the second check.
    let mut shells = bulkhead_syntax::ShellCache::new();
    let mut kept = Vec::new();
    let report = check_and_fix_one(text, data, |text| {
        let file = bulkhead_syntax::parse_with_cache(text.into(), Some(&mut shells));
        let report = check_file(&file, &build, &settings);
        kept.push(file);
        report
    });
    let _ = apply_fixes(text, report.diagnostics.iter().flat_map(|d| d.fixes.first()));
    if text.len() > FIX_ALL_MAX_BYTES {
        return;
    }
    let errors = bulkhead_syntax::parse(text).errors().len();
    let fixed = fix_all(text, &build, &settings, FixSelection::Safe);
    assert!(bulkhead_syntax::parse(&fixed.text).errors().len() <= errors, "fix_all added a syntax error");
    if fixed.stopped.is_none() {
        let again = fix_all(&fixed.text, &build, &settings, FixSelection::Safe);
        assert_eq!(again.applied, 0, "fixing is not idempotent");
    }
    let _ = fix_all(text, &build, &settings, FixSelection::SafeAndUnsafe);
}

/// A Compose file of arbitrary text: the YAML tree keeps every node inside the text, and the Compose rules
/// (all of them) neither panic nor report outside the text, before and after one fix chosen by the input.
pub fn compose(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let yaml = bulkhead_syntax::yaml::Yaml::parse(&text);
    for node in yaml.nodes() {
        let range = node.range;
        assert!(range.start <= range.end && range.end <= text.len(), "a node outside the text: {range:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?}");
    }
    let settings = all_rules();
    // A service built from `.` links to `Dockerfile`: the same bytes serve as its text, so the cross-file
    // rules parse an arbitrary Dockerfile too.
    let linked = std::collections::BTreeMap::from([("Dockerfile".to_owned(), std::sync::Arc::<str>::from(&*text))]);
    let build = BuildContext { linked_dockerfiles: std::sync::Arc::new(linked), ..BuildContext::default() };
    check_and_fix_one(&text, data, |text| check_compose(text, &build, &settings));
}

/// Checks `text` (no rule panics, every finding inside the text), then applies one of its fixes, chosen
/// by the input, and checks again (no rule panics). Returns the first check's report.
fn check_and_fix_one(text: &str, data: &[u8], mut check: impl FnMut(&str) -> Report) -> Report {
    let report = check(text);
    assert!(report.failures.is_empty(), "a rule panicked: {:?}", report.failures);
    for diagnostic in &report.diagnostics {
        let range = diagnostic.range;
        assert!(range.start <= range.end && range.end <= text.len(), "a finding outside the text: {diagnostic:?}");
    }
    let fixes: Vec<_> = report.diagnostics.iter().flat_map(|d| &d.fixes).collect();
    if !fixes.is_empty() {
        let (fixed, _) = apply_fixes(text, [fixes[choice(data) % fixes.len()]]);
        let again = check(&fixed);
        assert!(again.failures.is_empty(), "a rule panicked after a fix: {:?}", again.failures);
    }
    report
}

/// `.bulkhead.toml` and `.dockerignore` parsing on arbitrary text: an error or a value, never a panic.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(config) = Config::from_toml(&text) {
        let _ = Settings::from_config(&config);
        let _ = config.merged(&Config::default());
    }
    // The same text as a .dockerignore, used by a Dockerfile that copies the whole context.
    let build = BuildContext::with_dockerignore(".dockerignore", &text);
    let report = check("FROM alpine:3.20\nCOPY . /app\nCOPY .env id_rsa /app/\n", &build, &Settings::default());
    assert!(report.failures.is_empty(), "{:?}", report.failures);
}

const PRELUDE: &[&str] = &[
    r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8"]}}}}"#,
    r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/Dockerfile","languageId":"dockerfile","version":1,"text":"FROM alpine:3.20\nRUN apk add curl\nCMD [\"sh\"]\n"}}}"#,
];

/// The language server fed arbitrary bytes after a valid start (initialize, initialized, didOpen), through
/// the framing guard that stdin goes through: the session ends at the end of input, and no panic escapes.
pub fn lsp(data: &[u8]) {
    let mut input = Vec::new();
    for body in PRELUDE {
        input.extend_from_slice(&frame(body));
    }
    input.extend_from_slice(data);
    serve(&input);
}

/// The language server opening a Dockerfile rendered from the structure-aware model, then asked for
/// hovers at positions the input picks, code actions over the file, an edit and pull diagnostics: each
/// request gets an answer that is not an internal error (a handler's panic), and the session ends cleanly.
pub fn lsp_model(data: &[u8]) {
    let text = hostile_model::Model::from_bytes(data, hostile_model::Scale::FUZZ).render();
    let lines = text.lines().count().max(1);
    let pick = choice(data);
    let uri = "file:///fuzz/Dockerfile";
    let doc = format!(r#"{{"uri":"{uri}"}}"#);
    let position = |n: usize| format!(r#"{{"line":{},"character":{}}}"#, n % lines, (n / lines) % 40);
    let hover = |id: usize, n: usize| {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{"textDocument":{doc},"position":{}}}}}"#,
            position(n)
        )
    };
    let messages = [
        PRELUDE[0].to_owned(),
        PRELUDE[1].to_owned(),
        format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"dockerfile","version":1,"text":{}}}}}}}"#,
            json_string(&text)
        ),
        hover(1, pick),
        hover(2, pick >> 16),
        format!(
            r#"{{"jsonrpc":"2.0","id":3,"method":"textDocument/codeAction","params":{{"textDocument":{doc},"range":{{"start":{{"line":0,"character":0}},"end":{{"line":{lines},"character":0}}}},"context":{{"diagnostics":[]}}}}}}"#
        ),
        format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":2}},"contentChanges":[{{"range":{{"start":{},"end":{}}},"text":"$(\\\n\"é"}}]}}}}"#,
            position(pick >> 24),
            position(pick >> 32)
        ),
        hover(4, pick >> 40),
        format!(r#"{{"jsonrpc":"2.0","id":5,"method":"textDocument/diagnostic","params":{{"textDocument":{doc}}}}}"#),
        r#"{"jsonrpc":"2.0","id":6,"method":"shutdown"}"#.to_owned(),
    ];
    let input: Vec<u8> = messages.iter().flat_map(|body| frame(body)).collect();
    let output = String::from_utf8_lossy(&serve(&input)).into_owned();
    for id in 1..=6 {
        assert!(
            output.contains(&format!(r#""id":{id}}}"#)) || output.contains(&format!(r#""id":{id},"#)),
            "request {id} got no answer: {output}"
        );
    }
    assert!(!output.contains("-32603"), "a handler failed: {output}");
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ch if (ch as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", ch as u32)),
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}

/// Runs a session of raw client bytes through the framing guard into the real server on in-memory pipes,
/// and returns what the server wrote: the session must end cleanly at the end of input.
fn serve(input: &[u8]) -> Vec<u8> {
    let mut frames = Vec::new();
    bulkhead_lsp::framing::pump(input, |frame| {
        frames.extend_from_slice(&frame);
        true
    });
    RUNTIME.with(|runtime| ENGINE.with(|engine| serve_frames(runtime, engine.clone(), frames)))
}

thread_local! {
    /// One runtime per thread for all sessions: building one per input was a large part of each input's
    /// cost. Each session must end with no task of it left on the runtime (asserted in [`serve_frames`]),
    /// so sharing it keeps the sessions apart.
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    /// One set of engine threads for all sessions: a session used to start two (with 16 MiB stacks) and
    /// that was a third of a short session's cost. A session's jobs end with it (its lint tasks are
    /// waited for in [`serve_frames`]), so the next one finds the threads free.
    static ENGINE: bulkhead_lsp::EngineThreads = bulkhead_lsp::EngineThreads::new();
}

fn serve_frames(runtime: &tokio::runtime::Runtime, engine: bulkhead_lsp::EngineThreads, frames: Vec<u8>) -> Vec<u8> {
    let output = runtime.block_on(async move {
        let (mut client, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, mut client_out) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(bulkhead_lsp::serve_with(server_in, server_out, engine));
        let drain = tokio::spawn(async move {
            let mut sink = Vec::new();
            let _ = client_out.read_to_end(&mut sink).await;
            sink
        });
        let _ = client.write_all(&frames).await;
        drop(client);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
        assert!(matches!(ended, Ok(Ok(()))), "the session did not end cleanly at the end of input");
        match tokio::time::timeout(std::time::Duration::from_secs(10), drain).await {
            Ok(Ok(sink)) => sink,
            _ => Vec::new(),
        }
    });
    // Tasks the session spawned and that outlive it (a lint still running) finish here; a task that never
    // ends would pile up on the shared runtime from input to input.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    runtime.block_on(tokio::task::yield_now());
    while runtime.metrics().num_alive_tasks() > 0 {
        assert!(std::time::Instant::now() < deadline, "a task of the session outlived it by 10 s");
        // `sleep` reads the runtime's timer when it is created: create it inside the runtime.
        runtime.block_on(async { tokio::time::sleep(std::time::Duration::from_millis(1)).await });
    }
    output
}
