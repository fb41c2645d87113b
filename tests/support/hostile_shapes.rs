//! Dockerfiles shaped to break a linter: nesting and chains far deeper and longer than any real file, and
//! a file that is one huge heredoc. Generated here, never checked in. Each ends with `RUN apk add curl` on
//! an Alpine base, an ordinary instruction whose finding (BH903) shows the rest of the file was checked.
#![allow(dead_code)] // Each test file uses its own part of it.

/// The ordinary instruction at the end of every shape, and the finding it gives.
pub const TAIL: &str = "RUN apk add curl\n";
pub const TAIL_CODE: &str = "BH903";

/// (name, text, whether it goes past a limit of the analysis) of every hostile shape. A shape past a limit
/// gets a BH000 finding that says what was not analysed.
pub fn shapes() -> Vec<(&'static str, String, bool)> {
    let nest = |open: &str, inner: &str, close: &str, depth: usize| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    let run = |script: String| format!("FROM alpine:3.20\nRUN {script}\n{TAIL}");
    let mut args = String::from("FROM alpine:3.20\nARG A0=x\n");
    for idx in 1..20_000 {
        args.push_str(&format!("ARG A{idx}=${{A{}}}x\n", idx - 1));
    }
    args.push_str(TAIL);
    let mut stages = String::from("FROM alpine:3.20 AS s0\n");
    for idx in 1..20_000 {
        stages.push_str(&format!("FROM s{} AS s{idx}\n", idx - 1));
    }
    stages.push_str(TAIL);
    let heredoc_line = "echo a line of a very long heredoc script\n";
    let heredoc = format!(
        "FROM alpine:3.20\nRUN <<EOF\n{}EOF\n{TAIL}",
        heredoc_line.repeat((1_600_000 / heredoc_line.len()) + 1)
    );
    // Those up to 64 KiB of script (bulkhead_syntax::shell::MAX_SHELL_BYTES) are parsed and walked; the
    // longer ones are left unparsed, with a BH000 finding.
    vec![
        ("nested command substitutions", run(nest("echo $(", "x", ")", 5_000)), false),
        ("nested subshells", run(nest("( ", "true", " )", 15_000)), false),
        ("nested parentheses", run(format!("echo $(({}))", nest("(", "1", ")", 30_000))), false),
        ("nested groups", run(nest("{ ", "true; ", "}; ", 12_000)), false),
        ("nested ifs", run(nest("if true; then ", "true; ", "fi; ", 3_000)), false),
        ("nested parameter defaults", run(nest("echo ${a:-", "x", "}", 5_000)), true),
        ("an && chain", run(vec!["true"; 7_000].join(" && ")), false),
        ("a pipeline", run(vec!["cat"; 10_000].join(" | ")), false),
        ("a long && chain", run(vec!["true"; 30_000].join(" && ")), true),
        ("a long pipeline", run(vec!["cat"; 30_000].join(" | ")), true),
        ("nested subshells past the size limit", run(nest("( ", "true", " )", 20_000)), true),
        ("continuation lines", run(format!("true \\\n{}", " && true \\\n".repeat(50_000)) + " && true"), true),
        ("nested ARG defaults", format!("ARG X={}\nFROM alpine:3.20\n{TAIL}", nest("${a:-", "x", "}", 100_000)), true),
        ("chained ARG values", args, true),
        ("chained stages", stages, true),
        ("one huge heredoc", heredoc, true),
    ]
}
