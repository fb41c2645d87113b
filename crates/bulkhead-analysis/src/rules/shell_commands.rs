//! Shell commands of `RUN` as rules read them: every `RUN` with its shell, what a command runs
//! (package-manager subcommands, `pip`, `rm` of a folder), its options (one-letter clusters, `-o k=v`
//! settings, on/off values), the words a `$var` argument stands for, and cache mounts of the `RUN`.

use bulkhead_syntax::{Instruction, InstructionKind, MountType, ShellCommand, ShellScript, ShellWord, TextRange};

use crate::fix::Edit;
use crate::rule::RuleContext;
use crate::rules::util_edit;
use crate::vars::{VarValue, variable_refs_at};

/// Every `RUN` of the file with its shell, `ONBUILD RUN` triggers included.
pub fn runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, &'a ShellScript)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(|(idx, instruction)| {
        let run = run_of(instruction)?;
        Some((idx, run, run.shell.as_deref()?))
    })
}

/// Every exec-form `RUN` of the file (`RUN ["apk", "add", "curl"]`) with the one command it runs, no shell
/// involved: the JSON strings are the command's words, and its ranges are document ranges (see
/// [`ShellCommand::from_exec_words`]). `ONBUILD RUN` triggers included.
pub fn exec_runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, ShellCommand)> + 'a {
    ctx.file.instructions().iter().enumerate().filter_map(|(idx, instruction)| {
        let run = run_of(instruction)?;
        Some((idx, run, run.exec_command()?))
    })
}

/// The commands one `RUN` runs, as rules read them: those of its shell, or the one command of an
/// exec-form `RUN` (`RUN ["apt-get", "install", "-y", "curl"]`), whose JSON strings are its words and
/// whose ranges are document ranges already.
pub enum RunCommands<'a> {
    Shell(&'a ShellScript),
    Exec(ShellCommand),
}

impl<'a> RunCommands<'a> {
    /// The commands of a `RUN` (or `ONBUILD RUN` trigger), shell or exec form; `None` for other
    /// instructions and an empty exec array.
    pub fn of(instruction: &'a Instruction) -> Option<Self> {
        let run = run_of(instruction)?;
        match run.shell.as_deref() {
            Some(shell) => Some(Self::Shell(shell)),
            None => run.exec_command().map(Self::Exec),
        }
    }

    pub fn commands(&self) -> &[ShellCommand] {
        match self {
            Self::Shell(shell) => shell.commands(),
            Self::Exec(command) => std::slice::from_ref(command),
        }
    }

    /// The shell, for the shell form.
    pub fn shell(&self) -> Option<&'a ShellScript> {
        match self {
            Self::Shell(shell) => Some(shell),
            Self::Exec(_) => None,
        }
    }

    /// The document range of a range of one of [`Self::commands`].
    pub fn doc_range(&self, range: TextRange) -> TextRange {
        match self {
            Self::Shell(shell) => shell.doc_range(range),
            Self::Exec(_) => range,
        }
    }

    /// Inserts the option `arg` right after `word` (a word of one of [`Self::commands`]): ` -y` in a
    /// shell, `, "-y"` in an exec-form array.
    pub fn insert_after(&self, word: &ShellWord, arg: &str) -> Edit {
        match self {
            Self::Shell(shell) => Edit::insert(shell.doc_range(word.range).end, format!(" {arg}")),
            Self::Exec(_) => util_edit::insert_exec_arg(word, arg),
        }
    }
}

/// Every `RUN` of the file with its commands, shell or exec form, `ONBUILD RUN` triggers included.
pub fn all_runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = (usize, &'a Instruction, RunCommands<'a>)> + 'a {
    ctx.file
        .instructions()
        .iter()
        .enumerate()
        .filter_map(|(idx, instruction)| Some((idx, run_of(instruction)?, RunCommands::of(instruction)?)))
}

/// The `RUN` an instruction is: itself, or the trigger of an `ONBUILD RUN`.
fn run_of(instruction: &Instruction) -> Option<&Instruction> {
    match instruction.kind {
        InstructionKind::Run => Some(instruction),
        InstructionKind::Onbuild => instruction.trigger.as_deref().filter(|t| t.kind == InstructionKind::Run),
        _ => None,
    }
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
    let refs = variable_refs_at(inner, '\\');
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
