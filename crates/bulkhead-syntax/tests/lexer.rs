//! The instruction layer on the unusual text Docker accepts: each case shows what the lexer sees.

use std::fmt::Write as _;

use bulkhead_syntax::{Dockerfile, parse};

fn show(text: &str) -> String {
    let file = parse(text);
    let mut out = String::new();
    for directive in file.directives() {
        let _ = writeln!(out, "directive {} = {:?}", directive.name, directive.value);
    }
    let _ = writeln!(out, "escape {:?}", file.escape());
    for instruction in file.instructions() {
        show_instruction(&mut out, &file, instruction, "");
    }
    for comment in file.comments() {
        let _ = writeln!(out, "comment {:?} in_continuation={}", comment.text, comment.in_continuation);
    }
    for error in file.errors() {
        let _ = writeln!(out, "error {:?}: {}", file.slice(error.range), error.message);
    }
    out
}

fn show_instruction(out: &mut String, file: &Dockerfile, instruction: &bulkhead_syntax::Instruction, indent: &str) {
    let _ = writeln!(out, "{indent}{:?} {:?}", instruction.kind, file.slice(instruction.range));
    for flag in &instruction.flags {
        let value = flag.value.as_ref().map(|v| v.value.as_str());
        let _ = writeln!(out, "{indent}  flag {} = {value:?} at {:?}", flag.name, file.slice(flag.range));
    }
    if let Some(json) = &instruction.json {
        let values: Vec<_> = json.iter().map(|w| w.value.as_str()).collect();
        let _ = writeln!(out, "{indent}  exec {values:?}");
    }
    for word in &instruction.words {
        let _ = writeln!(out, "{indent}  word {:?} at {:?}", word.value, file.slice(word.range));
    }
    for heredoc in &instruction.heredocs {
        let _ = writeln!(
            out,
            "{indent}  heredoc {} quoted={} strip_tabs={} body {:?}",
            heredoc.name,
            heredoc.quoted,
            heredoc.strip_tabs,
            file.slice(heredoc.body)
        );
    }
    if let Some(shell) = &instruction.shell {
        for command in shell.commands() {
            let args: Vec<_> = command.args.iter().map(|a| a.value.as_deref().unwrap_or("<expansion>")).collect();
            let _ = writeln!(
                out,
                "{indent}  command {:?} {args:?} {:?} at {:?}",
                command.program().unwrap_or("<expansion>"),
                command.operator,
                file.slice(shell.doc_range(command.range))
            );
        }
    }
    if let Some(trigger) = &instruction.trigger {
        show_instruction(out, file, trigger, "    ");
    }
}

#[test]
fn crlf_bom_and_continuations() {
    insta::assert_snapshot!(show(
        "\u{feff}FROM alpine:3.20\r\nRUN apk add \\\r\n    # a comment line Docker drops\r\n\r\n    curl \\\r\n    jq\r\nCMD [\"sh\"]\r\n"
    ));
}

#[test]
fn escape_directive_backtick() {
    insta::assert_snapshot!(show(
        "# escape=`\n# syntax=docker/dockerfile:1\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    New-Item C:\\app\nCOPY app\\ C:\\app\\\n"
    ));
}

#[test]
fn directives_stop_at_the_first_other_line() {
    insta::assert_snapshot!(show(
        "# check=skip=JSONArgsRecommended;error=true\n\n# syntax=late/ignored\nFROM scratch\n"
    ));
}

#[test]
fn heredocs() {
    insta::assert_snapshot!(show(
        "FROM alpine\nRUN <<EOF\napk add --no-cache curl\nEOF\nRUN <<-\"INNER\" bash\n\tset -e\n\techo $HOME\n\tINNER\nCOPY <<one.txt <<two.txt /dst/\nfirst\none.txt\nsecond\ntwo.txt\nRUN cat <<EOF > /etc/motd && echo done\nhello\nEOF\nRUN python3 <<PY\nprint('hi')\nPY\n"
    ));
}

#[test]
fn flags_forms_and_legacy_syntax() {
    insta::assert_snapshot!(show(
        "from --platform=$BUILDPLATFORM golang:1.22 as build\ncopy --link --chown=app:app [\"a b\", \"/dst/\"]\nENV LEGACY multi word value\nENV A=1 B=\"two words\" C='$lit'\nARG ONE TWO=2\nRUN --mount=type=cache,target=/root/.cache \\\n    --network=none pip install -r req.txt\nCMD exec /bin/app --flag\nENTRYPOINT [\"/bin/app\", \"--\\u00e9\"]\nHEALTHCHECK --interval=30s CMD [\"curl\", \"-f\", \"http://localhost/\"]\nONBUILD RUN echo $HOME && make\n"
    ));
}

#[test]
fn half_typed_text_stays_local() {
    insta::assert_snapshot!(show(
        "FROM alpine\nRU\nRUN\nCOPY --from=\nRUN echo 'unterminated\nRUN <<EOF\nENV A=\"open\nUSER app\nCMD [\"a\", \nEXPOSE 80\n"
    ));
}
