//! The whole-file shell pass: which `RUN`s get a parsed shell (the `FROM` and `SHELL` before them decide
//! whether their shell is POSIX), and the shell text Docker hands to `/bin/sh -c` for each. `shell.rs`
//! parses that text; this module is the only one that knows both instructions and shells.

use std::sync::Arc;

use crate::TextRange;
use crate::instruction::{Instruction, InstructionKind};
use crate::logical::LogicalText;
use crate::shell::{ShellCache, ShellMode, ShellScript, is_posix_shell, parse_script};

/// Attaches a parsed shell to every shell-form `RUN` (and `ONBUILD RUN`) whose shell is POSIX, and removes
/// it from the others. An instruction that already has one keeps it: its shell is a function of its own
/// text, so an instruction reused from an earlier parse needs no new one.
pub(crate) fn attach(text: &str, escape: char, instructions: &mut [Instruction], cache: Option<&ShellCache>) {
    // Windows images run RUN with cmd or PowerShell, not /bin/sh: their text is not shell syntax. A file
    // with the backtick escape character is written for them, and so is a stage on a Windows base.
    let default_posix = escape == '\\';
    let mut posix = default_posix;
    for instruction in instructions.iter_mut() {
        match instruction.kind {
            InstructionKind::From => {
                posix = default_posix && !instruction.words.first().is_some_and(|w| is_windows_image(&w.value));
            }
            InstructionKind::Shell => {
                if let Some(program) = instruction.json.as_ref().and_then(|json| json.first()) {
                    posix = is_posix_shell(&program.value);
                }
            }
            _ => {}
        }
        let target = match instruction.kind {
            InstructionKind::Run => Some(&mut *instruction),
            InstructionKind::Onbuild => {
                instruction.trigger.as_deref_mut().filter(|trigger| trigger.kind == InstructionKind::Run)
            }
            _ => None,
        };
        let Some(run) = target else { continue };
        if !posix {
            run.shell = None;
            continue;
        }
        if run.shell.is_some() {
            continue;
        }
        if let Some((source, mode)) = shell_source(text, run) {
            let (source, map) = source.into_parts();
            let (source, parsed) = match cache {
                Some(cache) => cache.get_or_parse(source),
                None => {
                    let parsed = Arc::new(parse_script(&source));
                    (Arc::from(source), parsed)
                }
            };
            run.shell = Some(Arc::new(ShellScript::new(source, map, parsed, mode)));
        }
    }
}

fn is_windows_image(image: &str) -> bool {
    ["windowsservercore", "nanoserver", "mcr.microsoft.com/windows", "servercore:"]
        .iter()
        .any(|marker| contains_ignore_ascii_case(image, marker))
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Assembles the shell text Docker runs for a shell-form `RUN`.
fn shell_source(text: &str, run: &Instruction) -> Option<(LogicalText, ShellMode)> {
    if run.json.is_some() {
        return None;
    }
    let rest = run.rest.as_ref()?;
    let rest_start = run.logical.logical_of(rest.range.start)?;
    let rest_end = rest_start + rest.raw.len();
    // `RUN <<EOF` (markers and nothing else): the first body is the script.
    let only_markers = !run.heredocs.is_empty() && {
        let mut leftover = rest.raw.to_string();
        for heredoc in &run.heredocs {
            if let Some(marker) = text.get(heredoc.marker.as_range()) {
                leftover = leftover.replacen(marker, "", 1);
            }
        }
        // `RUN <<EOF bash -e` hands the body to a shell on its standard input: still a script.
        let mut words = leftover.split_whitespace();
        match words.next() {
            None => true,
            Some(program) => is_posix_shell(program) && words.all(|w| w.starts_with('-') && w != "-c"),
        }
    };
    if only_markers {
        let body = run.heredocs.first()?.body;
        let body_text = text.get(body.as_range())?;
        if let Some(interpreter) = body_text.strip_prefix("#!") {
            let program = interpreter.split_whitespace().next().unwrap_or_default();
            let program = if program.ends_with("/env") {
                interpreter.split_whitespace().nth(1).unwrap_or_default()
            } else {
                program
            };
            if !is_posix_shell(program) {
                return None;
            }
        }
        let mut source = LogicalText::new();
        source.push(body_text, body.start);
        return Some((source, ShellMode::HeredocScript));
    }
    let mut source = LogicalText::new();
    push_logical_range(&mut source, run, rest_start, rest_end);
    if let (Some(first), Some(last)) = (run.heredocs.first(), run.heredocs.last()) {
        source.push_synthetic("\n");
        let tail = TextRange::new(first.body.start, last.terminator.end);
        source.push(text.get(tail.as_range())?, tail.start);
    }
    Some((source, ShellMode::CommandLine))
}

/// Copies a logical range of an instruction into `out`, piece by piece, so the map stays exact.
fn push_logical_range(out: &mut LogicalText, instruction: &Instruction, start: usize, end: usize) {
    let logical = &instruction.logical;
    for (logical_start, doc_start, len) in logical.pieces(TextRange::new(start, end)) {
        if let Some(piece) = logical.as_str().get(logical_start..logical_start + len) {
            out.push(piece, doc_start);
        }
    }
}
