//! Helpers for `COPY` and `ADD`: their source words and what kind of source each one is.

use bulkhead_syntax::{Instruction, InstructionKind, Word};

use crate::rule::RuleContext;

/// A source of a `COPY`/`ADD`.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A path, glob or URL word.
    Word(&'a Word),
    /// A heredoc (`COPY <<EOF /dst`).
    Heredoc,
}

/// Every `COPY` and `ADD` of the file with its index, `ONBUILD` triggers included.
pub fn copies<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(|(idx, instruction)| {
        let target = match instruction.kind {
            InstructionKind::Onbuild => instruction.trigger.as_deref()?,
            _ => instruction,
        };
        matches!(target.kind, InstructionKind::Copy | InstructionKind::Add).then_some((idx, target))
    })
}

/// The sources of a `COPY`/`ADD`: every argument but the last (the destination).
pub fn sources(instruction: &Instruction) -> Vec<Source<'_>> {
    let args: Vec<&Word> = instruction.arg_values().collect();
    let Some((_, sources)) = args.split_last() else { return Vec::new() };
    sources
        .iter()
        .map(|word| {
            if instruction.heredocs.iter().any(|h| h.marker.start == word.range.start) {
                Source::Heredoc
            } else {
                Source::Word(word)
            }
        })
        .collect()
}

/// True when the instruction copies from another stage or image (`--from`), not from the build context.
pub fn copies_from_elsewhere(instruction: &Instruction) -> bool {
    instruction.flag("from").is_some()
}

/// True for a source that names the whole build context: `.`, `./`, `./.`.
pub fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "./." | "./*" | "*")
}

/// True for a remote source that `ADD` downloads.
pub fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// True for a Git repository source (`ADD https://github.com/o/r.git#v1`, `git@host:o/r.git`).
pub fn is_git_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("git@") || lower.starts_with("git://") || lower.starts_with("ssh://") {
        return true;
    }
    is_url(&lower)
        && lower
            .match_indices(".git")
            .any(|(idx, _)| matches!(lower.as_bytes().get(idx + 4), None | Some(b'#' | b'?' | b'/')))
}

/// True for a local tar archive, which `ADD` unpacks (judged by the file name).
pub fn is_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    const SUFFIXES: &[&str] =
        &[".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst"];
    SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_kinds() {
        assert!(is_git_url("https://github.com/krallin/tini.git?ref=v1&keep-git-dir=1"));
        assert!(is_git_url("https://github.com/moby/moby.git#v27"));
        assert!(!is_git_url("https://example.com/app.gitignore"));
        assert!(is_url("HTTPS://example.com/x"));
        assert!(is_archive("rootfs.tar.xz") && is_archive("app.TGZ"));
        assert!(!is_archive("app.gz") && !is_archive("tarball.txt"));
    }

    #[test]
    fn sources_skip_destination_and_know_heredocs() {
        let file = bulkhead_syntax::parse("COPY a b /dst/\nCOPY [\"x y\", \"/d\"]\nCOPY <<EOF /etc/x\nhi\nEOF\n");
        let names = |idx: usize| -> Vec<String> {
            sources(&file.instructions()[idx])
                .iter()
                .map(|s| match s {
                    Source::Word(w) => w.value.to_string(),
                    Source::Heredoc => "heredoc".to_owned(),
                })
                .collect()
        };
        assert_eq!(names(0), ["a", "b"]);
        assert_eq!(names(1), ["x y"]);
        assert_eq!(names(2), ["heredoc"]);
    }
}
