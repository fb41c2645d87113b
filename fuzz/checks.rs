//! What each fuzz target asserts, as plain functions: the targets in `fuzz_targets/` call them with the
//! fuzzer's bytes, and `tests/fuzz_regressions.rs` calls them with every input in `fuzz/regressions/`,
//! so each crash the fuzzers found stays a test that `cargo test` runs.

use bulkhead_analysis::{BuildContext, Config, FixSelection, Settings, apply_fixes, check, fix_all};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Parse + analyse + every fix, on arbitrary text: no rule panics (the engine catches them, so a caught
/// panic is asserted here), and the safe-fix loop never adds a syntax error and is idempotent.
pub fn engine(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let config = Config { select: Some(vec!["ALL".to_owned()]), ..Config::default() };
    let settings = Settings::from_config(&config).expect("ALL is a valid selection");
    // Half the inputs see an empty .dockerignore, so the context rules run too.
    let build = match data.first() {
        Some(b) if b % 2 == 0 => BuildContext::with_dockerignore(".dockerignore", ""),
        _ => BuildContext::default(),
    };
    let report = check(&text, &build, &settings);
    assert!(report.failures.is_empty(), "a rule panicked: {:?}", report.failures);
    // Each fix on its own (the first few: re-checking after every fix of a big input would make each run
    // quadratic and the fuzzer slow).
    for diagnostic in report.diagnostics.iter().take(12) {
        for fix in &diagnostic.fixes {
            let (fixed, _) = apply_fixes(&text, [fix]);
            let again = check(&fixed, &build, &settings);
            assert!(again.failures.is_empty(), "a rule panicked after a fix: {:?}", again.failures);
        }
    }
    let _ = apply_fixes(&text, report.diagnostics.iter().flat_map(|d| d.fixes.first()));
    let errors = bulkhead_syntax::parse(&text).errors().len();
    let fixed = fix_all(&text, &build, &settings, FixSelection::Safe);
    assert!(bulkhead_syntax::parse(&fixed.text).errors().len() <= errors, "fix_all added a syntax error");
    if fixed.stopped.is_none() {
        let again = fix_all(&fixed.text, &build, &settings, FixSelection::Safe);
        assert_eq!(again.applied, 0, "fixing is not idempotent");
    }
    let _ = fix_all(&text, &build, &settings, FixSelection::SafeAndUnsafe);
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
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    input.extend_from_slice(data);
    let mut frames = Vec::new();
    bulkhead_lsp::framing::pump(&input[..], |frame| {
        frames.extend_from_slice(&frame);
        true
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async move {
        let (mut client, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, mut client_out) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(bulkhead_lsp::serve(server_in, server_out));
        let drain = tokio::spawn(async move {
            let mut sink = Vec::new();
            let _ = client_out.read_to_end(&mut sink).await;
        });
        let _ = client.write_all(&frames).await;
        drop(client);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
        assert!(matches!(ended, Ok(Ok(()))), "the session did not end cleanly at the end of input");
        drain.abort();
    });
}
