//! Edit helpers for fixes: deleting a whole instruction or one of its words, inserting lines before an
//! instruction, appending, removing and editing shell commands of a `RUN`, and writing JSON strings for
//! exec-form arrays.

use bulkhead_syntax::{Dockerfile, Instruction, ShellCommand, ShellMode, ShellScript, ShellWord, TextRange, Word};

use crate::fix::Edit;

/// Deletes an instruction with its line break, so no blank line is left behind. Comments on the lines
/// before it stay. At the end of a file without a final line break, the line break before it goes instead.
pub fn delete_instruction(file: &Dockerfile, instruction: &Instruction) -> Edit {
    let text = file.text();
    let index = file.line_index();
    let line_start = index.line_start(index.line_of(instruction.range.start));
    let indent = text.get(line_start..instruction.range.start).unwrap_or_default();
    // An ONBUILD trigger or an instruction sharing its line with something else: delete the range alone.
    let start = if indent.chars().all(|c| c == ' ' || c == '\t') { line_start } else { instruction.range.start };
    let end = instruction.range.end;
    let after = text.get(end..).unwrap_or_default();
    if after.starts_with("\r\n") {
        return Edit::delete(TextRange::new(start, end + 2));
    }
    if after.starts_with('\n') || after.starts_with('\r') {
        return Edit::delete(TextRange::new(start, end + 1));
    }
    // Last line of the file: take the line break before it.
    let before = text.get(..start).unwrap_or_default();
    let newline_len = if before.ends_with("\r\n") {
        2
    } else if before.ends_with('\n') || before.ends_with('\r') {
        1
    } else {
        0
    };
    Edit::delete(TextRange::new(start - newline_len, end))
}

/// Deletes `words[idx]` and the blank (or continuation) between it and its neighbour: the one before it,
/// or the one after it for the first word. `None` when `idx` is out of range.
pub fn delete_word(words: &[Word], idx: usize) -> Option<Edit> {
    let word = words.get(idx)?;
    let range = match idx.checked_sub(1).and_then(|prev| words.get(prev)) {
        Some(prev) => TextRange::new(prev.range.end, word.range.end),
        None => match words.get(idx + 1) {
            Some(next) => TextRange::new(word.range.start, next.range.start),
            None => word.range,
        },
    };
    Some(Edit::delete(range))
}

/// The edit that removes word `word` of `instruction`, or the whole instruction when it is its only word.
pub fn delete_word_or_instruction(file: &Dockerfile, instruction: &Instruction, word: usize) -> Option<Edit> {
    match instruction.words.len() {
        1 => Some(delete_instruction(file, instruction)),
        _ => delete_word(&instruction.words, word),
    }
}

/// Inserts `lines` before `instruction`, each on its own line with the instruction's indentation, and above
/// the comment lines right above it: those belong to it, and a `# bulkhead ignore=` there must keep applying
/// to it, not to the new line. A blank line or a parser directive ends that block.
pub fn insert_lines_before(file: &Dockerfile, instruction: &Instruction, lines: &[String]) -> Edit {
    let index = file.line_index();
    let mut line = index.line_of(instruction.range.start);
    let line_start = index.line_start(line);
    let indent = file.text().get(line_start..instruction.range.start).unwrap_or_default();
    let indent = if indent.chars().all(|c| c == ' ' || c == '\t') { indent } else { "" };
    let comments = file.comments();
    while line > 0 {
        let above = index.line_start(line - 1);
        let below = index.line_start(line);
        // Comments are in text order: look only at those that start on the line above.
        let first = comments.partition_point(|c| c.range.start < above);
        let comment_line = comments[first..].iter().take_while(|c| c.range.start < below).any(|c| {
            !c.in_continuation
                && file.text().get(above..c.range.start).is_some_and(|lead| lead.trim_matches(BLANK_OR_BOM).is_empty())
        });
        if !comment_line {
            break;
        }
        line -= 1;
    }
    let nl = file.newline();
    let text: String = lines.iter().map(|line| format!("{indent}{line}{nl}")).collect();
    // Never before a byte order mark: it must stay the first thing in the file.
    let bom = if file.text().starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    Edit::insert(index.line_start(line).max(bom), text)
}

/// Blanks, and the byte order mark that may start the first line.
const BLANK_OR_BOM: &[char] = &[' ', '\t', '\r', '\n', '\u{feff}'];

/// Inserts `lines` after `instruction`, each on a new line.
pub fn insert_lines_after(file: &Dockerfile, instruction: &Instruction, lines: &[String]) -> Edit {
    let nl = file.newline();
    let text: String = lines.iter().map(|line| format!("{nl}{line}")).collect();
    Edit::insert(instruction.range.end, text)
}

/// Appends `command` after the last statement of a `RUN` (` && command` on a command line, a new last line in
/// a `RUN <<EOF` script). `None` when the step ends in something the appended command would change (a
/// background `&`, an `exit`), or when the shell has a syntax error.
pub fn append_command(file: &Dockerfile, run: &Instruction, shell: &ShellScript, command: &str) -> Option<Edit> {
    if shell.has_error() || shell.commands().last().is_some_and(|c| c.program() == Some("exit")) {
        return None;
    }
    let text = file.text();
    let end = shell.last_statement_end()?;
    match shell.mode() {
        ShellMode::CommandLine if run.heredocs.is_empty() => {
            let tail = text.get(end..run.range.end)?;
            plain_tail(tail, Some(run.escape())).then(|| Edit::insert(end, format!(" && {command}")))
        }
        ShellMode::HeredocScript => {
            let heredoc = run.heredocs.first()?;
            let tail = text.get(end..heredoc.body.end)?;
            if !plain_tail(tail, None) {
                return None;
            }
            // A new last line, indented like the line of the last statement (tabs stay tabs for `<<-`).
            let line_start = text.get(..end)?.rfind('\n').map_or(0, |idx| idx + 1);
            let indent: String = text.get(line_start..end)?.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let body = text.get(heredoc.body.as_range())?;
            let newline = if body.ends_with("\r\n") { "\r\n" } else { "\n" };
            let prefix = if body.ends_with('\n') { "" } else { newline };
            Some(Edit::insert(heredoc.body.end, format!("{prefix}{indent}{command}{newline}")))
        }
        _ => None,
    }
}

/// True when the text after the last statement holds only blanks, line breaks, a `;`, comments and (in a
/// command line) escaped line breaks: appending a command there keeps its meaning.
fn plain_tail(tail: &str, escape: Option<char>) -> bool {
    let mut chars = tail.chars().peekable();
    let mut semicolons = 0;
    while let Some(ch) = chars.next() {
        match ch {
            ' ' | '\t' | '\r' | '\n' => {}
            ';' => {
                semicolons += 1;
                if semicolons > 1 {
                    return false;
                }
            }
            '#' => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            c if Some(c) == escape => {
                // Only an escaped line break (trailing blanks allowed).
                while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t' || *c == '\r') {
                    chars.next();
                }
                if chars.next() != Some('\n') {
                    return false;
                }
            }
            _ => return false,
        }
    }
    true
}

/// True when the shell text between two commands is a plain separator: `&&`, `;` or a line break.
fn is_separator(gap: &str) -> bool {
    let trimmed = gap.trim_matches([' ', '\t', '\r', '\n']);
    trimmed == "&&" || trimmed == ";" || (trimmed.is_empty() && gap.contains('\n'))
}

/// Removes `shell.commands()[idx]` from its `&&`/`;` chain, or the whole instruction when it is the only
/// command. `outer` is the instruction as listed in the file (the `ONBUILD` one for a trigger). `None`
/// when the command is joined by anything else (a pipe, `||`, a redirection, a compound command), or when
/// the removed text would take a comment with it.
pub fn remove_command(
    file: &Dockerfile,
    outer: &Instruction,
    run: &Instruction,
    shell: &ShellScript,
    idx: usize,
) -> Option<Edit> {
    let commands = shell.commands();
    let target = commands.get(idx)?;
    let source = shell.source();
    let before = source.get(..target.range.start)?;
    let after = source.get(target.range.end..)?;
    if commands.len() == 1 && shell.mode() == ShellMode::CommandLine && run.heredocs.is_empty() {
        let alone = before.trim().is_empty() && after.trim().trim_end_matches(';').trim().is_empty();
        return alone.then(|| delete_instruction(file, outer));
    }
    // A `RUN <<EOF` script whose only line is the command: the whole `RUN` goes.
    if commands.len() == 1 && shell.mode() == ShellMode::HeredocScript && run.heredocs.len() == 1 {
        let alone = before.trim().is_empty() && after.trim().trim_end_matches(';').trim().is_empty();
        return alone.then(|| delete_instruction(file, outer));
    }
    let text = file.text();
    let no_comment = |range: TextRange| text.get(range.as_range()).is_some_and(|t| !t.contains('#'));
    // The next command of the same list, skipping commands nested in this one's arguments.
    let next = commands.get(idx + 1..)?.iter().find(|c| c.range.start >= target.range.end);
    if let Some(next) = next {
        let gap_after = source.get(target.range.end..next.range.start)?;
        let gap_before_ok = match idx.checked_sub(1).and_then(|prev| commands.get(prev)) {
            None => before.trim().is_empty(),
            Some(prev) => source.get(prev.range.end..target.range.start).is_some_and(is_separator),
        };
        if is_separator(gap_after) && gap_before_ok {
            let range = TextRange::new(shell.doc_range(target.range).start, shell.doc_range(next.range).start);
            return no_comment(range).then(|| Edit::delete(range));
        }
        return None;
    }
    // The last statement: remove it with the separator before it.
    if shell.last_statement_end() != Some(shell.doc_range(target.range).end) {
        return None;
    }
    let prev = commands.get(idx.checked_sub(1)?)?;
    if !source.get(prev.range.end..target.range.start).is_some_and(is_separator) {
        return None;
    }
    let range = TextRange::new(shell.doc_range(prev.range).end, shell.doc_range(target.range).end);
    no_comment(range).then(|| Edit::delete(range))
}

/// Deletes `count` arguments of `command` from `arg_idx` on, with the blanks (or line continuation) before
/// them. `None` when that text holds a comment.
pub fn delete_args(
    file: &Dockerfile,
    shell: &ShellScript,
    command: &ShellCommand,
    arg_idx: usize,
    count: usize,
) -> Option<Edit> {
    let before = match arg_idx.checked_sub(1) {
        Some(prev) => command.args.get(prev)?,
        None => command.name.as_ref()?,
    };
    let last = command.args.get(arg_idx + count.checked_sub(1)?)?;
    let range = TextRange::new(shell.doc_range(before.range).end, shell.doc_range(last.range).end);
    if range.start > range.end || file.text().get(range.as_range())?.contains('#') {
        return None;
    }
    Some(Edit::delete(range))
}

/// Where a secret mount puts the secret in a `RUN`.
#[derive(Clone, Copy, Debug)]
pub enum SecretTarget<'a> {
    /// In an environment variable (`env=NAME`, Dockerfile syntax 1.10).
    Env(&'a str),
    /// In a file (`target=/path`, Dockerfile syntax 1.2).
    File(&'a str),
}

/// "Add a secret mount": edits that mount secret `id` in each of `runs` (`RUN --mount=type=secret,id=...`
/// right after the keyword) and raise the `# syntax=` line to the version that reads the mount.
pub fn add_secret_mount<'a>(
    file: &Dockerfile,
    runs: impl IntoIterator<Item = &'a Instruction>,
    id: &str,
    target: SecretTarget<'_>,
) -> Vec<Edit> {
    let (option, min_minor) = match target {
        SecretTarget::Env(name) => (format!("env={name}"), 10),
        SecretTarget::File(path) => (format!("target={path}"), 2),
    };
    let mut edits: Vec<Edit> = runs
        .into_iter()
        .map(|run| Edit::insert(run.keyword.range.end, format!(" --mount=type=secret,id={id},{option}")))
        .collect();
    edits.extend(require_syntax(file, min_minor));
    edits
}

/// Makes sure the file asks for a Dockerfile syntax of at least `1.<min_minor>`: adds
/// `# syntax=docker/dockerfile:1` as the first line (after a BOM), or replaces an older
/// `docker/dockerfile:1.x` directive with it. `None` when nothing needs to change, or when the file names
/// another frontend, which is left alone.
pub fn require_syntax(file: &Dockerfile, min_minor: u32) -> Option<Edit> {
    const WANTED: &str = "docker/dockerfile:1";
    match file.directive("syntax") {
        Some(directive) => {
            let value = directive.value.as_str();
            let tag = value
                .strip_prefix("docker/dockerfile:")
                .or_else(|| value.strip_prefix("docker.io/docker/dockerfile:"))?;
            let minor = tag.strip_prefix("1.")?.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u32>().ok()?;
            (minor < min_minor).then(|| Edit::replace(directive.value_range, WANTED))
        }
        None => {
            let start = if file.text().starts_with('\u{feff}') { 3 } else { 0 };
            Some(Edit::insert(start, format!("# syntax={WANTED}{}", file.newline())))
        }
    }
}

/// `value` as a JSON string literal, quotes included.
pub fn json_string(value: &str) -> String {
    let mut res = String::with_capacity(value.len() + 2);
    res.push('"');
    for ch in value.chars() {
        match ch {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            '\r' => res.push_str("\\r"),
            '\t' => res.push_str("\\t"),
            ch if (ch as u32) < 0x20 => res.push_str(&format!("\\u{:04x}", ch as u32)),
            ch => res.push(ch),
        }
    }
    res.push('"');
    res
}

/// A JSON array of strings, `["a", "b"]`, the way exec form is usually written.
pub fn json_array<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|item| json_string(item.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// Inserts the JSON string `arg` after `word`, an element of an exec-form array (its range quotes
/// included): `["apk", "add"]` → `["apk", "add", "--no-cache"]`.
pub fn insert_exec_arg(word: &ShellWord, arg: &str) -> Edit {
    Edit::insert(word.range.end, format!(", {}", json_string(arg)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    fn deleted(text: &str, idx: usize) -> String {
        let file = bulkhead_syntax::parse(text);
        let edit = delete_instruction(&file, &file.instructions()[idx]);
        apply_edits(text, &[edit])
    }

    #[test]
    fn deletes_whole_lines() {
        assert_eq!(deleted("FROM a\nCMD x\nCMD y\n", 1), "FROM a\nCMD y\n");
        assert_eq!(deleted("FROM a\r\n  CMD x \\\r\n   y\r\nCMD z\r\n", 1), "FROM a\r\nCMD z\r\n");
        assert_eq!(deleted("FROM a\nCMD x", 1), "FROM a");
        assert_eq!(deleted("FROM a\n# keep\nCMD x\n", 1), "FROM a\n# keep\n");
        // A byte order mark before the first line stays.
        assert_eq!(deleted("\u{feff}ARG X=1\nFROM a\n", 0), "\u{feff}FROM a\n");
    }

    fn inserted_before(text: &str, idx: usize) -> String {
        let file = bulkhead_syntax::parse(text);
        let edit = insert_lines_before(&file, &file.instructions()[idx], &["NEW".to_owned()]);
        apply_edits(text, &[edit])
    }

    #[test]
    fn inserted_lines_keep_comments_with_their_instruction() {
        // A suppression comment applies to the next instruction: it must stay right above the one it was for.
        assert_eq!(
            inserted_before("FROM a\n# bulkhead ignore=BH007\nCMD x\n", 1),
            "FROM a\nNEW\n# bulkhead ignore=BH007\nCMD x\n"
        );
        assert_eq!(
            inserted_before("FROM a\r\n\n  # about x\r\n  # hadolint ignore=DL3025\r\n  CMD x\r\n", 1),
            "FROM a\r\n\n  NEW\r\n  # about x\r\n  # hadolint ignore=DL3025\r\n  CMD x\r\n"
        );
        // A blank line ends the block; parser directives are never passed.
        assert_eq!(inserted_before("FROM a\n# far\n\nCMD x\n", 1), "FROM a\n# far\n\nNEW\nCMD x\n");
        assert_eq!(
            inserted_before("# syntax=docker/dockerfile:1\nFROM a\n", 0),
            "# syntax=docker/dockerfile:1\nNEW\nFROM a\n"
        );
        assert_eq!(inserted_before("# a comment\nFROM a\n", 0), "NEW\n# a comment\nFROM a\n");
        // A byte order mark stays first.
        assert_eq!(inserted_before("\u{feff}FROM a\n", 0), "\u{feff}NEW\nFROM a\n");
        assert_eq!(inserted_before("\u{feff}# about a\nFROM a\n", 0), "\u{feff}NEW\n# about a\nFROM a\n");
    }

    #[test]
    fn tails() {
        assert!(plain_tail("", Some('\\')));
        assert!(plain_tail(" ; # done\n", Some('\\')));
        assert!(plain_tail(" \\\n    # a comment\n", Some('\\')));
        assert!(!plain_tail(" &", Some('\\')));
        assert!(!plain_tail(" \\\n", None));
        assert!(!plain_tail(";;", None));
    }

    fn removed(text: &str, idx: usize) -> Option<String> {
        let file = bulkhead_syntax::parse(text);
        let run = file.instructions().get(1)?;
        let edit = remove_command(&file, run, run, run.shell.as_deref()?, idx)?;
        Some(apply_edits(text, &[edit]))
    }

    #[test]
    fn removes_commands_from_chains() {
        assert_eq!(removed("FROM a\nRUN x && y && z\n", 0).as_deref(), Some("FROM a\nRUN y && z\n"));
        assert_eq!(removed("FROM a\nRUN x && y && z\n", 1).as_deref(), Some("FROM a\nRUN x && z\n"));
        assert_eq!(removed("FROM a\nRUN x && \\\n  y\n", 1).as_deref(), Some("FROM a\nRUN x\n"));
        assert_eq!(removed("FROM a\nRUN y\nCMD z\n", 0).as_deref(), Some("FROM a\nCMD z\n"));
        assert_eq!(removed("FROM a\nRUN x | y && z\n", 1), None);
        assert_eq!(removed("FROM a\nRUN x || y\n", 1), None);
        assert_eq!(removed("FROM a\nRUN x > /dev/null && y\n", 1), None);
        assert_eq!(removed("FROM a\nRUN <<EOF\nx\ny\nz\nEOF\n", 1).as_deref(), Some("FROM a\nRUN <<EOF\nx\nz\nEOF\n"));
        // The only command of a heredoc script: the whole `RUN`, body and terminator included.
        assert_eq!(removed("FROM a\nRUN <<EOF\nx\nEOF\nCMD y\n", 0).as_deref(), Some("FROM a\nCMD y\n"));
        assert_eq!(removed("FROM a\r\nRUN <<-EOT\r\n\tx;\r\n\tEOT\r\n", 0).as_deref(), Some("FROM a\r\n"));
    }

    #[test]
    fn json() {
        assert_eq!(json_array(&["nginx", "-g", "daemon off;"]), r#"["nginx", "-g", "daemon off;"]"#);
        assert_eq!(json_string("a\"b\\c\u{1}"), r#""a\"b\\c\u0001""#);
    }
}
