//! Instructions and names as written, for rules: every instruction of a kind (`ONBUILD` triggers
//! included) and every `EXPOSE` word, a keyword in the file's own case, paths (absolute or not,
//! normalised), and the nearest known name for a did-you-mean.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, Word};

use crate::rule::RuleContext;

/// True for an absolute path: `/x`, or on Windows `C:\x`, `C:/x` and `\x`.
pub fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), Some(b'\\' | b'/'));
    path.starts_with('/') || path.starts_with('\\') || drive
}

/// Every instruction of `kind` with its index, `ONBUILD` triggers included (with the `ONBUILD`'s index).
pub fn instructions_of<'a>(
    ctx: &'a RuleContext<'_>,
    kind: InstructionKind,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(move |(idx, instruction)| {
        let target = match instruction.kind {
            InstructionKind::Onbuild => instruction.trigger.as_deref()?,
            _ => instruction,
        };
        (target.kind == kind).then_some((idx, target))
    })
}

/// Every word of every `EXPOSE` (`ONBUILD` triggers included) with its value, variables substituted; a
/// word whose value is not known is left out.
pub fn expose_words<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (&'a Word, String)> + 'a {
    instructions_of(ctx, InstructionKind::Expose).flat_map(move |(idx, expose)| {
        expose.words.iter().filter_map(move |word| Some((word, ctx.model.expand_at(idx, &word.value)?)))
    })
}

/// Keyword text in the case most instruction keywords of the file are written in (`ONBUILD` triggers
/// included), which is what BH015 (instruction-casing) compares with: `workdir` in a lower-case file, so
/// that a fix's new instruction makes no BH015 finding.
pub fn keyword_cased(file: &Dockerfile, keyword: &str) -> String {
    let (mut lower, mut upper) = (0, 0);
    let triggers = file.instructions().iter().filter_map(|i| i.trigger.as_deref());
    for instruction in file.instructions().iter().chain(triggers) {
        let raw = &instruction.keyword.raw;
        if instruction.kind == InstructionKind::Unknown {
            continue;
        }
        if !raw.chars().any(|c| c.is_ascii_lowercase()) {
            upper += 1;
        } else if !raw.chars().any(|c| c.is_ascii_uppercase()) {
            lower += 1;
        }
    }
    if lower > upper { keyword.to_ascii_lowercase() } else { keyword.to_owned() }
}

/// The Levenshtein distance between two names, ignoring ASCII case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// The candidate nearest to `name` within `max` edits (and closer than half of `name`'s length, so short
/// names do not match everything), when exactly one candidate is nearest. An exact match (ignoring case)
/// is not a suggestion.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    let limit = max.min(name.chars().count().saturating_sub(1) / 2);
    let mut best: Option<(usize, &'a str)> = None;
    let mut tie = false;
    for candidate in candidates {
        let distance = edit_distance(name, candidate);
        if distance == 0 || distance > limit {
            continue;
        }
        match best {
            Some((d, c)) if d == distance && !c.eq_ignore_ascii_case(candidate) => tie = true,
            Some((d, _)) if d <= distance => {}
            _ => {
                best = Some((distance, candidate));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, c)| c)
}

/// `path` with `.`, `..` and repeated or trailing `/` resolved, as an absolute path (`..` above the root
/// stays at the root, as in the kernel).
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names() {
        assert_eq!(edit_distance("builder", "biulder"), 2);
        assert_eq!(edit_distance("Build", "build"), 0);
        assert_eq!(did_you_mean("biulder", ["builder", "runtime"], 2), Some("builder"));
        assert_eq!(did_you_mean("ab", ["ac"], 2), None);
        assert_eq!(did_you_mean("stage1", ["stage2", "stage3"], 2), None);
        assert_eq!(did_you_mean("builder", ["builder"], 2), None);
    }
}
