//! Helpers shared by rules: finding instructions, commands and insertion points.

use bulkhead_syntax::{Instruction, InstructionKind, MountType, ShellCommand, ShellScript, ShellWord, TextRange};

use crate::fix::Edit;
use crate::image::ImageRef;
use crate::knowledge::Distro;
use crate::model::{Base, EffectiveUser, Stage};
use crate::rule::RuleContext;
use crate::rules::util_edit;
use crate::vars::VarValue;

/// Instructions of a stage (`FROM` excluded) with their indices.
pub fn stage_instructions<'a>(
    ctx: &'a RuleContext<'_>,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let instructions = ctx.file.instructions();
    stage.body().filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
}

/// One port of an `EXPOSE` in the final image (the final stage or a stage it is built `FROM`).
pub struct ExposedPort<'a> {
    pub instruction: &'a Instruction,
    /// Which word of the instruction.
    pub word: usize,
    /// The word's value with variables substituted, lower-cased (`8080`, `53/udp`, `8000-8010/tcp`).
    pub value: String,
}

impl ExposedPort<'_> {
    /// The word as written.
    pub fn range(&self) -> TextRange {
        self.instruction.words[self.word].range
    }

    /// The edit that removes this port: its word, or the whole instruction when it is the only one.
    pub fn removal(&self, ctx: &RuleContext<'_>) -> Option<Edit> {
        match self.instruction.words.len() {
            1 => Some(util_edit::delete_instruction(ctx.file, self.instruction)),
            _ => util_edit::delete_word(&self.instruction.words, self.word),
        }
    }
}

/// Every port the final image exposes, in order; a word whose value is not known (an unset variable) is
/// left out.
pub fn final_exposed_ports<'a>(ctx: &'a RuleContext<'_>) -> Vec<ExposedPort<'a>> {
    let mut res = Vec::new();
    for stage_idx in ctx.model.final_lineage() {
        let Some(stage) = ctx.model.stages.get(stage_idx) else { continue };
        for (idx, instruction) in stage_instructions(ctx, stage) {
            if instruction.kind != InstructionKind::Expose {
                continue;
            }
            for (word, written) in instruction.words.iter().enumerate() {
                let Some(value) = ctx.model.expand_at(idx, &written.value) else { continue };
                res.push(ExposedPort { instruction, word, value: value.to_ascii_lowercase() });
            }
        }
    }
    res
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
    run.mounts().any(|mount| {
        let cache = matches!(mount.kind(), MountType::Cache | MountType::Tmpfs);
        let Some(target) = mount.target().filter(|target| cache && !target.is_empty()) else {
            return false;
        };
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

/// True when `command` is an `rm` whose literal paths include `dir`, something inside it (`dir/*`) or a
/// folder that holds it (`rm -rf /var/cache` covers `/var/cache/apk`; `/` and `/var` do not count).
pub fn removes_dir(command: &ShellCommand, dir: &str) -> bool {
    command.program() == Some("rm")
        && command.arg_values().filter(|arg| !arg.starts_with('-')).any(|arg| {
            let path = arg.trim_end_matches('*').trim_end_matches('/');
            path.starts_with(dir) || dir.starts_with(path) && path.len() >= "/var/cache".len()
        })
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

/// True for an absolute path: `/x`, or on Windows `C:\x`, `C:/x` and `\x`.
pub fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), Some(b'\\' | b'/'));
    path.starts_with('/') || path.starts_with('\\') || drive
}

/// The path of a `WORKDIR`, quotes removed and variables expanded as instruction `at` sees them; `None`
/// when a variable's value is not known.
pub fn workdir_path(ctx: &RuleContext<'_>, at: usize, workdir: &Instruction) -> Option<String> {
    let rest = workdir.rest.as_ref()?;
    let raw = rest.value.trim();
    let unquoted =
        ['"', '\''].iter().find_map(|q| raw.strip_prefix(*q).and_then(|v| v.strip_suffix(*q))).unwrap_or(raw);
    ctx.model.expand_at(at, unquoted)
}

/// The `WORKDIR`s in force before instruction `at` of `stage`: those of the stage before `at`, then
/// those of its `FROM <stage>` ancestors, nearest first, with their indices.
pub fn workdirs_before<'a>(
    ctx: &'a RuleContext<'_>,
    stage: &'a Stage,
    at: usize,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let instructions = ctx.file.instructions();
    ctx.model.ancestry(stage, at).into_iter().flat_map(move |(stage, limit)| {
        (stage.from + 1..limit.min(stage.end))
            .rev()
            .filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
            .filter(|(_, i)| i.kind == InstructionKind::Workdir)
    })
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

/// The exec-form `SHELL` in force at instruction `at` (the stage before `at`, then its `FROM`
/// ancestors), as its words; `None` when the stage runs the default shell.
pub fn shell_at<'a>(ctx: &'a RuleContext<'_>, stage: &'a Stage, at: usize) -> Option<&'a [bulkhead_syntax::Word]> {
    let instructions = ctx.file.instructions();
    ctx.model.ancestry(stage, at).into_iter().find_map(|(stage, limit)| {
        (stage.from + 1..limit.min(stage.end))
            .rev()
            .filter_map(|idx| instructions.get(idx))
            .find(|i| i.kind == InstructionKind::Shell)
            .and_then(|i| i.json.as_deref())
    })
}

/// Keyword text in the case the file wrote `like` in: `workdir` after a lower-case `run`.
pub fn keyword_like(like: &Instruction, keyword: &str) -> String {
    if like.keyword.raw.chars().all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_owned()
    }
}

/// An image the build pulls from a registry: a `FROM` base, a `COPY --from=<image>` or a
/// `RUN --mount=from=<image>`.
#[derive(Clone, Debug)]
pub struct ImageUse {
    /// Where to report: the image word of `FROM`, the `--from`/`--mount` flag otherwise.
    pub range: TextRange,
    /// How the file pulls it, as a prefix of the reference: `FROM `, `COPY --from=`, `RUN --mount=from=`.
    pub via: &'static str,
    /// The reference as written.
    pub raw: String,
    /// The parsed reference, variables substituted; `None` when a variable's value is unknown.
    pub image: Option<ImageRef>,
}

/// Every image the build pulls, in file order. Stage names, stage indices and `scratch` are not images.
pub fn image_uses(ctx: &RuleContext<'_>) -> Vec<ImageUse> {
    let mut res = Vec::new();
    for stage in &ctx.model.stages {
        let (Some(range), Some(raw)) = (stage.base_range, stage.base_raw.clone()) else { continue };
        let image = match &stage.base {
            Base::Image(image) => Some(image.clone()),
            // `FROM delve-${VARIANT}` picks one of the earlier stages.
            Base::Unresolved(_) if could_name_stage(ctx, &raw) => continue,
            Base::Unresolved(_) => None,
            Base::Scratch | Base::Stage(_) | Base::Missing => continue,
        };
        res.push(ImageUse { range, via: "FROM ", raw, image });
    }
    for (idx, instruction) in ctx.file.instructions().iter().enumerate() {
        let (via, sources): (&'static str, Vec<(TextRange, String)>) = match instruction.kind {
            InstructionKind::Copy | InstructionKind::Add => {
                let sources = instruction
                    .flags_named("from")
                    .filter_map(|flag| flag.value.as_ref().map(|value| (value.range, value.value.clone())))
                    .collect();
                (if instruction.kind == InstructionKind::Copy { "COPY --from=" } else { "ADD --from=" }, sources)
            }
            InstructionKind::Run => {
                let sources = instruction
                    .mounts()
                    .filter_map(|mount| Some((mount.flag.range, mount.from()?.to_owned())))
                    .collect();
                ("RUN --mount=from=", sources)
            }
            _ => continue,
        };
        for (range, raw) in sources {
            let expanded = ctx.model.expand_at(idx, &raw);
            if let Some(text) = &expanded
                && (ctx.model.stage_by_name(text).is_some()
                    || text.eq_ignore_ascii_case("scratch")
                    || text.eq_ignore_ascii_case("context"))
            {
                continue;
            }
            // A bare word is more likely a named build context (`--build-context src=...`) than an image
            // pulled with no tag at all.
            if expanded.as_deref().is_some_and(|text| !text.contains(['/', ':', '@'])) {
                continue;
            }
            let image = expanded.as_deref().and_then(ImageRef::parse);
            if image.is_none() && could_name_stage(ctx, &raw) {
                continue;
            }
            res.push(ImageUse { range, via, raw, image });
        }
    }
    res.sort_by_key(|image_use| image_use.range.start);
    res
}

/// The literal pieces of `text` between its variable references (`$NAME`, `${...}`).
pub fn literal_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        pieces.push(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let skip = if after.starts_with('{') {
            after.find('}').map_or(after.len(), |close| close + 1)
        } else {
            after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len())
        };
        rest = &after[skip..];
    }
    pieces.push(rest);
    pieces
}

/// True when `raw`, a reference holding variables, could name one of the file's stages once they are
/// substituted: its literal pieces appear in a stage name in order (`delve-${V}` and `delve-supported`).
fn could_name_stage(ctx: &RuleContext<'_>, raw: &str) -> bool {
    let pieces = literal_pieces(raw);
    ctx.model.stages.iter().filter_map(|stage| stage.key()).any(|name| {
        let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else { return false };
        let Some(mut rest) = name.strip_prefix(&first.to_ascii_lowercase()) else { return false };
        for piece in pieces.iter().skip(1).take(pieces.len().saturating_sub(2)) {
            let piece = piece.to_ascii_lowercase();
            let Some(pos) = rest.find(&piece) else { return false };
            rest = &rest[pos + piece.len()..];
        }
        pieces.len() > 1 && rest.ends_with(&last.to_ascii_lowercase())
    })
}

/// The final stage and the user its container runs as (its last `USER`, inherited through `FROM <stage>`).
/// `None` without stages and for Windows images, whose users work differently.
pub fn final_user<'a>(ctx: &'a RuleContext<'_>) -> Option<(&'a Stage, EffectiveUser)> {
    let stage = ctx.model.final_stage().filter(|stage| stage.distro != Distro::Windows)?;
    Some((stage, ctx.model.user_at(ctx.file, stage.end.saturating_sub(1))))
}

/// True when the final image is a bag of files rather than something that runs: built `FROM scratch` and
/// neither it nor a stage it is built `FROM` sets `CMD` or `ENTRYPOINT`. That is the shape of an export
/// stage (`docker build --output type=local` copies its files out) and of data-only images; rules about
/// the running container (user, health check) have nothing to say about it.
pub fn final_is_file_export(ctx: &RuleContext<'_>) -> bool {
    let Some(stage) = ctx.model.final_stage() else { return false };
    if !matches!(ctx.model.root_base(stage), Base::Scratch) {
        return false;
    }
    let instructions = ctx.file.instructions();
    !ctx.model.final_lineage().iter().filter_map(|&idx| ctx.model.stages.get(idx)).any(|stage| {
        stage.body().any(|idx| {
            instructions.get(idx).is_some_and(|i| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
        })
    })
}

/// True when a literal argument is a cluster of one-letter options (`-fsSL`) that holds `letter`.
/// Options with a glued value (`-oFoo=bar`) and long options do not count.
pub fn has_short_flag(command: &ShellCommand, letter: char) -> bool {
    command.arg_values().any(|arg| is_short_cluster_with(arg, letter))
}

/// `-fsSLk` holds `k`; `--insecure` and `-o=x` hold nothing.
pub fn is_short_cluster_with(arg: &str, letter: char) -> bool {
    arg.strip_prefix('-').is_some_and(|flags| {
        !flags.is_empty() && flags.chars().all(|c| c.is_ascii_alphanumeric()) && flags.contains(letter)
    })
}

/// True when instruction `idx` belongs to a stage whose files reach the final image (the final stage and
/// the stages it is built `FROM`).
pub fn in_final_lineage(ctx: &RuleContext<'_>, idx: usize) -> bool {
    let lineage = ctx.model.final_lineage();
    ctx.model.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index))
}

/// `apt-get install -s` (and its synonyms) only prints what would happen; `-d` only downloads.
pub fn simulates(command: &ShellCommand) -> bool {
    command.arg_values().any(|arg| {
        matches!(arg, "--simulate" | "--just-print" | "--dry-run" | "--recon" | "--no-act" | "--download-only")
            || arg.strip_prefix('-').is_some_and(|flags| {
                // A cluster of one-letter flags (`-sy`), not an option with a glued value (`-oFoo=bar`).
                !flags.starts_with(['-', 'o', 'c', 't', 'a'])
                    && flags.bytes().all(|b| b.is_ascii_lowercase())
                    && flags.contains(['s', 'd'])
            })
    })
}

/// True when the program is a Python interpreter running `-m pip`, or `pip`, `pip3`, `pip3.12`.
pub fn is_pip(command: &ShellCommand) -> bool {
    let Some(program) = command.program() else { return false };
    let versioned = |name: &str| {
        program
            .strip_prefix(name)
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !v.starts_with('.'))
    };
    if versioned("pip") {
        return true;
    }
    versioned("python") && {
        let mut args = command.arg_values();
        args.any(|a| a == "-m") && args.next() == Some("pip") || command.has_arg("-mpip")
    }
}

/// A `key=value` setting given on a command line through an option such as apt's `-o` or dnf's `--setopt`:
/// the index of its first argument, how many arguments it spans, and the setting.
pub struct OptionSetting {
    pub arg_idx: usize,
    pub n_args: usize,
    pub key: String,
    pub value: String,
}

/// Every literal setting of `command` given with one of `options` (`-o`, `--option`, `--setopt`), in the
/// forms `-o k=v`, `-ok=v` (one-letter options only) and `--setopt=k=v`.
pub fn option_settings(command: &ShellCommand, options: &[&str]) -> Vec<OptionSetting> {
    let mut res = Vec::new();
    let args = &command.args;
    for (arg_idx, arg) in args.iter().enumerate() {
        let Some(value) = arg.value.as_deref() else { continue };
        let (setting, n_args) = if options.contains(&value) {
            let Some(next) = args.get(arg_idx + 1).and_then(|a| a.value.as_deref()) else { continue };
            (next, 2)
        } else if let Some(setting) = options.iter().find_map(|option| {
            let rest = value.strip_prefix(option)?;
            if option.starts_with("--") { rest.strip_prefix('=') } else { Some(rest).filter(|r| !r.is_empty()) }
        }) {
            (setting, 1)
        } else {
            continue;
        };
        let Some((key, val)) = setting.split_once('=') else { continue };
        res.push(OptionSetting { arg_idx, n_args, key: key.trim().to_owned(), value: val.trim().to_owned() });
    }
    res
}

/// True for a value that switches a setting off: `false`, `0`, `no`, `off` (any case).
pub fn is_false(value: &str) -> bool {
    matches!(unquote_balanced(value).to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
}

/// A value without one pair of surrounding quotes (`"x"`, `'x'`); an unpaired quote (`false"`) stays.
pub fn unquote_balanced(value: &str) -> &str {
    let value = value.trim();
    ['"', '\''].iter().find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q))).unwrap_or(value)
}

/// True for a value that switches a setting on: `true`, `1`, `yes`, `on` (any case).
pub fn is_true(value: &str) -> bool {
    matches!(value.trim().trim_matches(['"', '\'']).to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
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

/// POSIX special built-ins: a prefix assignment before one of them (`deps='a b' set -x`) stays set in the
/// shell afterwards.
const SPECIAL_BUILTINS: &[&str] =
    &[":", ".", "eval", "exec", "export", "readonly", "set", "shift", "times", "trap", "unset"];

/// The words a shell argument of `command` stands for: its value when it is literal, else the value of a
/// plain `$name` / `${name}` (quoted or not) split at whitespace. The value comes from the last literal
/// assignment to `name` before the command in the same script (`deps='a b'; apt-get install $deps`, or
/// `deps='a b' set -x && ...`), else from the `ENV`/`ARG` that instruction `at` sees. `None` when the value
/// is not known (an expansion, a command substitution, a build argument without default).
pub fn shell_arg_words(
    ctx: &RuleContext<'_>,
    at: usize,
    shell: &ShellScript,
    command: &ShellCommand,
    arg: &ShellWord,
) -> Option<Vec<String>> {
    if let Some(value) = &arg.value {
        return Some(vec![value.clone()]);
    }
    let raw = shell.text(arg.range);
    let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
    let refs = variable_refs(inner, '\\');
    let [var] = refs.as_slice() else { return None };
    if var.offset != 0 || var.len != inner.len() || var.has_default {
        return None;
    }
    let before = command.range.start;
    let special =
        |c: &&ShellCommand| c.range.end <= before && c.program().is_some_and(|p| SPECIAL_BUILTINS.contains(&p));
    let in_script = shell
        .assignments()
        .iter()
        .chain(shell.commands().iter().filter(special).flat_map(|c| c.env.iter()))
        .filter(|(name, value)| *name == var.name && value.range.start < before)
        .max_by_key(|(_, value)| value.range.start);
    let value = match in_script {
        Some((_, value)) => value.value.as_deref()?,
        None => match ctx.model.lookup(at, &var.name) {
            VarValue::Known(value) => value,
            VarValue::Unknown | VarValue::Undefined => return None,
        },
    };
    Some(value.split_whitespace().map(str::to_owned).collect())
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
