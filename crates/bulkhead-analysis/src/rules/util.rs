//! Helpers shared by rules: finding instructions, commands and insertion points.

use bulkhead_syntax::{Instruction, InstructionKind, ShellCommand, ShellScript};

use crate::model::Stage;
use crate::rule::RuleContext;

/// Instructions of a stage (`FROM` excluded) with their indices.
pub fn stage_instructions<'a>(
    ctx: &'a RuleContext<'_>,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let instructions = ctx.file.instructions();
    stage.body().filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
}

/// Every `RUN` of the file with its shell, `ONBUILD RUN` triggers included.
pub fn runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, &'a ShellScript)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(|(idx, instruction)| {
        let run = match instruction.kind {
            InstructionKind::Run => instruction,
            InstructionKind::Onbuild => instruction.trigger.as_deref().filter(|t| t.kind == InstructionKind::Run)?,
            _ => return None,
        };
        Some((idx, run, run.shell.as_deref()?))
    })
}

/// True when the `RUN` has a `--mount=type=cache` (or tmpfs) mount on one of `targets` or on a folder
/// that holds it (a mount on `/root/.cache` covers `/root/.cache/pip`; one on `/var/cache/apk/x` does not
/// cover `/var/cache/apk`).
pub fn has_cache_mount(run: &Instruction, targets: &[&str]) -> bool {
    run.flags_named("mount").any(|flag| {
        let Some(value) = &flag.value else { return false };
        let mut kind = "";
        let mut target = "";
        for part in value.value.split(',') {
            let (key, val) = part.split_once('=').unwrap_or((part, ""));
            match key.trim() {
                "type" => kind = val.trim(),
                "target" | "dst" | "destination" => target = val.trim(),
                _ => {}
            }
        }
        if !(kind == "cache" || kind == "tmpfs") || target.is_empty() {
            return false;
        }
        let target = target.trim_end_matches('/');
        targets.iter().any(|t| {
            let t = t.trim_end_matches('/');
            t.strip_prefix(target).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    })
}

/// The subcommand of a package manager invocation: the first literal argument that is not an option or
/// the value of one (`apt-get -o Dpkg::Options::=--force-confold install`, `apk -X <url> add`).
pub fn subcommand(command: &ShellCommand) -> Option<&str> {
    let takes_value: &[&str] = match command.program() {
        Some("apt-get" | "apt" | "apt-cache") => {
            &["-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release"]
        }
        Some("apk") => {
            &["-X", "--repository", "-p", "--root", "--arch", "--keys-dir", "--cache-dir", "--repositories-file"]
        }
        Some("dnf" | "yum" | "microdnf" | "tdnf") => {
            &["-c", "--config", "--installroot", "--releasever", "--enablerepo", "--disablerepo", "-x", "--exclude"]
        }
        Some("zypper") => &["--root", "-R", "--config", "-c"],
        _ => &[],
    };
    let mut skip_next = false;
    for arg in &command.args {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        // Non-literal words (`$APT_OPTS`) are skipped, as options usually are.
        let Some(value) = arg.value.as_deref() else { continue };
        if value.starts_with('-') {
            skip_next = takes_value.contains(&value);
            continue;
        }
        return Some(value);
    }
    None
}

/// True when a command is `program` (by base name) running `sub`.
pub fn is_invocation(command: &ShellCommand, programs: &[&str], sub: &[&str]) -> bool {
    command.program().is_some_and(|p| programs.contains(&p)) && subcommand(command).is_some_and(|s| sub.contains(&s))
}

/// A user the stage (or its `FROM` ancestors) creates with `useradd`/`adduser`, by literal name.
pub fn created_user(ctx: &RuleContext<'_>, stage: &Stage) -> Option<String> {
    for (stage, limit) in ctx.model.ancestry(stage, stage.end) {
        let instructions = ctx.file.instructions().get(stage.from + 1..limit).unwrap_or_default();
        for instruction in instructions.iter().rev() {
            let Some(shell) = instruction.shell.as_deref() else { continue };
            for command in shell.commands().iter().rev() {
                if matches!(command.program(), Some("useradd" | "adduser")) {
                    // The user name is the last literal argument that is not an option or its value.
                    let args: Vec<&str> = command.arg_values().collect();
                    if let Some(name) = args.last().filter(|a| !a.starts_with('-') && !a.contains('$')) {
                        return Some((*name).to_owned());
                    }
                }
            }
        }
    }
    None
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

/// A `$NAME` or `${NAME...}` in an instruction's raw text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte offset of the `$` in the raw text, and the length up to the end of the name (or the `}`).
    pub offset: usize,
    pub len: usize,
    /// `${NAME:-x}`, `${NAME-x}`, `${NAME:+x}`, `${NAME+x}`: the reference says what happens when unset.
    pub has_default: bool,
}

/// The variable references Docker expands in `raw` (a word as written): text in single quotes and
/// escaped dollars (`\$`, or `` `$ `` with the backtick escape) are literal.
pub fn variable_refs(raw: &str, escape: char) -> Vec<VarRef> {
    let mut res = Vec::new();
    let bytes = raw.as_bytes();
    let mut in_single = false;
    let mut in_double = false;
    let mut idx = 0;
    while idx < bytes.len() {
        let ch = bytes[idx];
        if !in_single && escape.is_ascii() && ch == escape as u8 {
            idx += 2;
            continue;
        }
        match ch {
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single => {
                let braced = bytes.get(idx + 1) == Some(&b'{');
                let name_start = idx + 1 + usize::from(braced);
                let name_len =
                    raw[name_start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
                let name = &raw[name_start..name_start + name_len];
                if name_len > 0 && !name.as_bytes()[0].is_ascii_digit() {
                    let (len, has_default) = if braced {
                        let close = raw[name_start..].find('}').map_or(raw.len(), |c| name_start + c + 1);
                        let op = raw.get(name_start + name_len..close).unwrap_or_default();
                        (close - idx, op.starts_with([':', '-', '+']))
                    } else {
                        (1 + name_len, false)
                    };
                    res.push(VarRef { name: name.to_owned(), offset: idx, len, has_default });
                    idx += len.max(1);
                    continue;
                }
            }
            _ => {}
        }
        idx += 1;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        let names = |raw: &str| -> Vec<(String, bool)> {
            variable_refs(raw, '\\').into_iter().map(|r| (r.name, r.has_default)).collect()
        };
        assert_eq!(names("a-$B/${C}:${D:-x}"), [("B".into(), false), ("C".into(), false), ("D".into(), true)]);
        assert_eq!(names("'$A' \\$B \"$C\" $1 $"), [("C".into(), false)]);
        assert_eq!(variable_refs("x${AB}y", '\\')[0].len, 5);
    }

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
