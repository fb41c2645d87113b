//! BH913 tls-verification-disabled: a download or a tool is told not to check TLS certificates.

use bulkhead_syntax::{Dockerfile, Instruction, ShellCommand, ShellScript, TextRange};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, InstructionContext, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::util_edit;

pub(crate) const RULE: Rule = Rule {
    code: "BH913",
    name: "tls-verification-disabled",
    practice: Practice::PackageHygiene,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: remove the switch or the `ENV`/`ARG` assignment", decision: "" }),
    aliases: &[
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_5",
        "CKV2_DOCKER_6",
        "CKV2_DOCKER_12",
        "CKV2_DOCKER_13",
        "CKV2_DOCKER_14",
        "CKV2_DOCKER_15",
        "CKV2_DOCKER_16",
    ],
    summary: "TLS certificate checks are turned off (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `GIT_SSL_NO_VERIFY`...).",
    doc: r#"
## What it does
Checks `RUN` commands, `ENV` and `ARG` for the switches that turn off TLS certificate checks:
- `curl -k`/`--insecure`/`--proxy-insecure` (also inside `-fsSLk`), `wget --no-check-certificate`;
- `pip install --trusted-host`, `pip config set global.trusted-host`, and `PIP_TRUSTED_HOST`;
- `npm`/`yarn`/`pnpm config set strict-ssl false`, `--strict-ssl=false`, `--no-strict-ssl`,
  `yarn config set enableStrictSsl false`, and `NPM_CONFIG_STRICT_SSL=false`;
- `git -c http.sslVerify=false`, `git config http.sslVerify false`, and `GIT_SSL_NO_VERIFY` (git
  turns checks off when the variable is set at all, whatever its value);
- `NODE_TLS_REJECT_UNAUTHORIZED=0` and `PYTHONHTTPSVERIFY=0`;
- apt's `-o Acquire::https::Verify-Peer=false` (or `Verify-Host`), dnf/yum `--setopt=sslverify=0`;
- `echo`/`printf` writing `sslverify=false`, `strict-ssl=false` or `check_certificate=off` into a config
  file: only when the output goes to a file (`>`, `>>`, `| tee`); an `echo` to the build log configures
  nothing.

A value is read as written: quotes count only in pairs (`"false"` is false; `false"`, the tail of a
longer quoted text, is not).

Variables count in `ENV`, in `ARG` defaults, as a command prefix (`GIT_SSL_NO_VERIFY=1 git clone`)
and in `export`.

## Why it matters
Without certificate checks, anyone on the network path (a compromised Wi-Fi, proxy, CI runner network
or DNS) can answer in place of the real server and hand the build a binary, a package or a repository
of their choice. It then runs as root during the build and ships in the image: a supply-chain
compromise that no later scan ties to its source. The usual reason for the switch, a corporate proxy
that re-signs TLS, is better solved by adding the proxy's CA certificate to the image's trust store.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN curl -fsSLk -o /usr/local/bin/tool https://example.com/tool
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
COPY corp-proxy-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates && curl -fsSL -o /usr/local/bin/tool https://example.com/tool
```

## Fix
"Remove the insecure switch" (unsafe) deletes the flag (with its value), the letter `k` from a cluster
of curl flags, the variable prefix, the `ENV`/`ARG` assignment (or the whole instruction when it holds
nothing else), or a command that only writes the insecure setting. It is unsafe because the build fails
where the switch was hiding a real certificate problem: that failure is the point, and the fix for it is
a trusted CA certificate. `echo` lines that write config files get no fix.

## How to silence
`# bulkhead ignore=BH913` on the line before the instruction, or `ignore = ["BH913"]` in
`.bulkhead.toml`. Checkov's `# checkov:skip=CKV2_DOCKER_2` (and the other ids above) works too.

## References
- CWE-295: Improper Certificate Validation
- curl docs: `--insecure`; git docs: `http.sslVerify`, `GIT_SSL_NO_VERIFY`; Node.js docs:
  `NODE_TLS_REJECT_UNAUTHORIZED`; PEP 493 (`PYTHONHTTPSVERIFY`)
"#,
    check: Check::Both { instruction: check_run, file: check },
};

const TITLE: &str = "Remove the insecure switch";

/// True when a variable with this value turns TLS checks off (`None`: set, value unknown).
fn disables(name: &str, value: Option<&str>) -> bool {
    match name {
        // git checks only whether the variable exists.
        "GIT_SSL_NO_VERIFY" => true,
        "NODE_TLS_REJECT_UNAUTHORIZED" | "PYTHONHTTPSVERIFY" => value.is_some_and(|v| v.trim() == "0"),
        "PIP_TRUSTED_HOST" => value.is_none_or(|v| !v.trim().is_empty()),
        "YARN_ENABLE_STRICT_SSL" => value.is_some_and(shell_commands::is_false),
        _ if name.eq_ignore_ascii_case("NPM_CONFIG_STRICT_SSL") => value.is_some_and(shell_commands::is_false),
        _ => false,
    }
}

/// The `RUN` part: commands and the assignments in the script.
fn check_run(ctx: &InstructionContext<'_>, out: &mut Vec<Finding>) {
    let Some((run, shell)) = ctx.run() else { return };
    for (cmd_idx, command) in shell.commands().iter().enumerate() {
        check_command(ctx.file, ctx.instruction, run, shell, cmd_idx, command, out);
    }
    check_assignments(shell, out);
}

/// The `ENV`/`ARG` part: it needs the substituted values.
fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    let vars = ctx.model.global_args.iter().chain(ctx.model.stages.iter().flat_map(|s| s.vars.iter()));
    for def in vars {
        let Some(instruction) = instructions.get(def.instruction) else { continue };
        // `ARG NAME` without a default sets nothing by itself.
        let word = instruction.words.iter().position(|w| w.range == def.range);
        let assigned = word.and_then(|i| instruction.words.get(i)).is_some_and(|w| w.raw.contains('='))
            || instruction.words.len() > 1 && word == Some(0) && !instruction.words.iter().any(|w| w.raw.contains('='));
        if !assigned || !disables(&def.name, def.value.as_deref()) {
            continue;
        }
        let n_vars = instruction.words.iter().filter(|w| w.raw.contains('=')).count();
        let edit = if n_vars <= 1 {
            Some(util_edit::delete_instruction(ctx.file, instruction))
        } else {
            word.and_then(|i| util_edit::delete_word(&instruction.words, i))
        };
        let keyword = instruction.kind.keyword();
        let mut finding = Finding::new(def.range, format!("`{keyword} {}` turns off TLS certificate checks", def.name));
        if let Some(edit) = edit {
            finding = finding.with_fix(Fix::unsafe_(TITLE, vec![edit]));
        }
        out.push(finding);
    }
}

/// One command of a `RUN` (or of an `ONBUILD RUN`, `outer`) and the edits its findings offer.
struct Site<'a> {
    file: &'a Dockerfile,
    outer: &'a Instruction,
    run: &'a Instruction,
    shell: &'a ShellScript,
    cmd_idx: usize,
    command: &'a ShellCommand,
}

impl Site<'_> {
    /// The edit that removes the whole command.
    fn remove_command(&self) -> Option<Edit> {
        util_edit::remove_command(self.file, self.outer, self.run, self.shell, self.cmd_idx)
    }

    /// The edit that removes `n` arguments from the `i`th.
    fn delete(&self, i: usize, n: usize) -> Option<Edit> {
        util_edit::delete_args(self.file, self.shell, self.command, i, n)
    }

    /// The document range of `n` arguments from the `i`th.
    fn doc(&self, i: usize, n: usize) -> Option<TextRange> {
        let first = self.command.args.get(i)?;
        let last = self.command.args.get(i + n - 1)?;
        Some(self.shell.doc_range(first.range.cover(last.range)))
    }

    /// The `i`th argument as written.
    /// Reports each `<flag> key=value` option (`git -c`, `apt-get -o`, `dnf --setopt`) whose lower-cased key
    /// matches and whose value is false, with an edit that deletes the option.
    fn report_false_settings(
        &self,
        out: &mut Vec<Finding>,
        flags: &[&str],
        key_matches: impl Fn(&str) -> bool,
        message: impl Fn(&shell_commands::OptionSetting) -> String,
    ) {
        for setting in shell_commands::option_settings(self.command, flags) {
            if key_matches(&setting.key.to_ascii_lowercase())
                && shell_commands::is_false(&setting.value)
                && let Some(range) = self.doc(setting.arg_idx, setting.n_args)
            {
                report(out, range, message(&setting), self.delete(setting.arg_idx, setting.n_args));
            }
        }
    }

    fn arg_text(&self, i: usize) -> &str {
        self.command.args.get(i).map(|a| self.shell.text(a.range)).unwrap_or_default()
    }
}

fn report(out: &mut Vec<Finding>, range: TextRange, message: String, edit: Option<Edit>) {
    let mut finding = Finding::new(range, message);
    if let Some(edit) = edit {
        finding = finding.with_fix(Fix::unsafe_(TITLE, vec![edit]));
    }
    out.push(finding);
}

/// A command's findings, in three steps: prefix assignments, switches among its arguments, settings it
/// writes.
fn check_command(
    file: &Dockerfile,
    outer: &Instruction,
    run: &Instruction,
    shell: &ShellScript,
    cmd_idx: usize,
    command: &ShellCommand,
    out: &mut Vec<Finding>,
) {
    let site = Site { file, outer, run, shell, cmd_idx, command };
    prefix_assignments(&site, out);
    let Some(program) = command.program() else { return };
    let pip = shell_commands::is_pip(command);
    // Most commands are none of these: skip the per-argument matching for them.
    if pip || matches!(program, "curl" | "wget" | "npm" | "yarn" | "pnpm") {
        switch_arguments(&site, program, pip, out);
    }
    settings(&site, program, pip, out);
}

/// Prefix assignments: `GIT_SSL_NO_VERIFY=1 git clone ...`.
fn prefix_assignments(site: &Site<'_>, out: &mut Vec<Finding>) {
    let (file, shell, command) = (site.file, site.shell, site.command);
    for (env_idx, (name, value)) in command.env.iter().enumerate() {
        if !disables(name, value.value.as_deref()) {
            continue;
        }
        let start = assignment_start(shell, name, value.range.start);
        let next_start = match command.env.get(env_idx + 1) {
            Some((next_name, next_value)) => assignment_start(shell, next_name, next_value.range.start),
            None => command.name.as_ref().map(|n| n.range.start),
        };
        let range = TextRange::new(start.unwrap_or(value.range.start), value.range.end);
        let edit = match (start, next_start, command.name.is_some()) {
            (Some(start), Some(next), true) => {
                let doc = TextRange::new(
                    shell.doc_range(TextRange::empty(start)).start,
                    shell.doc_range(TextRange::empty(next)).start,
                );
                file.text().get(doc.as_range()).filter(|t| !t.contains('#')).map(|_| Edit::delete(doc))
            }
            (_, _, false) if command.env.len() == 1 => site.remove_command(),
            _ => None,
        };
        report(out, shell.doc_range(range), format!("`{name}` turns off TLS certificate checks"), edit);
    }
}

/// Switches among the arguments: `curl -k`, `wget --no-check-certificate`, `pip --trusted-host`,
/// `npm --strict-ssl false`.
fn switch_arguments(site: &Site<'_>, program: &str, pip: bool, out: &mut Vec<Finding>) {
    let (shell, args) = (site.shell, &site.command.args);
    for (i, arg) in args.iter().enumerate() {
        let Some(value) = arg.value.as_deref() else { continue };
        let hit: Option<(usize, String, Option<Edit>)> = match program {
            "curl" if matches!(value, "-k" | "--insecure" | "--proxy-insecure") => Some((
                1,
                format!("`curl {value}` downloads without checking the server's certificate"),
                site.delete(i, 1),
            )),
            "curl" if shell_commands::is_short_cluster_with(value, 'k') => {
                let edit = (site.arg_text(i) == value)
                    .then(|| Edit::replace(shell.doc_range(arg.range), value.replacen('k', "", 1)));
                Some((1, format!("`curl {value}` (`-k`) downloads without checking the server's certificate"), edit))
            }
            "wget" if value == "--no-check-certificate" => Some((
                1,
                "`wget --no-check-certificate` downloads without checking the server's certificate".to_owned(),
                site.delete(i, 1),
            )),
            _ if pip && (value == "--trusted-host" || value.starts_with("--trusted-host=")) => {
                let n = if value == "--trusted-host" { 2 } else { 1 };
                Some((
                    n,
                    "`pip --trusted-host` accepts that host without a valid certificate".to_owned(),
                    site.delete(i, n),
                ))
            }
            "npm" | "yarn" | "pnpm"
                if value == "--no-strict-ssl"
                    || value.strip_prefix("--strict-ssl=").is_some_and(shell_commands::is_false) =>
            {
                Some((
                    1,
                    format!("`{program} {value}` installs packages without checking certificates"),
                    site.delete(i, 1),
                ))
            }
            "npm" | "yarn" | "pnpm"
                if value == "--strict-ssl"
                    && args.get(i + 1).and_then(|a| a.value.as_deref()).is_some_and(shell_commands::is_false) =>
            {
                Some((
                    2,
                    format!("`{program} --strict-ssl false` installs packages without checking certificates"),
                    site.delete(i, 2),
                ))
            }
            _ => None,
        };
        if let Some((n, message, edit)) = hit
            && let Some(range) = site.doc(i, n)
        {
            report(out, range, message, edit);
        }
    }
}

/// Settings the command writes: `git -c http.sslVerify=false`, `npm config set strict-ssl false`, apt's
/// `-o ...::Verify-Peer=false`, `--setopt=sslverify=0`, `pip config set ... trusted-host`, and `echo`
/// into a configuration file.
fn settings(site: &Site<'_>, program: &str, pip: bool, out: &mut Vec<Finding>) {
    let (shell, command) = (site.shell, site.command);
    // The remaining checks read the arguments lower-cased, and only for these programs: most commands
    // end here without allocating.
    let relevant = matches!(
        program,
        "npm"
            | "yarn"
            | "pnpm"
            | "git"
            | "apt-get"
            | "apt"
            | "aptitude"
            | "yum"
            | "dnf"
            | "microdnf"
            | "tdnf"
            | "yum-config-manager"
            | "echo"
            | "printf"
    ) || pip;
    if !relevant {
        return;
    }
    // The package managers' branches read their options, not the lower-cased words.
    let needs_lower = matches!(program, "npm" | "yarn" | "pnpm" | "git" | "echo" | "printf") || pip;
    let lower: Vec<String> =
        if needs_lower { command.arg_values().map(|v| v.to_ascii_lowercase()).collect() } else { Vec::new() };
    let key_then_false = |key_matches: &dyn Fn(&str) -> bool| {
        lower.windows(2).any(|pair| matches!(pair, [key, val] if key_matches(key) && shell_commands::is_false(val)))
            || lower
                .iter()
                .any(|v| v.split_once('=').is_some_and(|(k, val)| key_matches(k) && shell_commands::is_false(val)))
    };
    let whole = shell.doc_range(command.range);
    match program {
        "npm" | "yarn" | "pnpm"
            if lower.iter().any(|v| v == "set") && key_then_false(&|k| k == "strict-ssl" || k == "enablestrictssl") =>
        {
            report(
                out,
                whole,
                format!("`{program} config set strict-ssl false` turns off certificate checks for every later install"),
                site.remove_command(),
            );
        }
        "git" => {
            site.report_false_settings(
                out,
                &["-c"],
                |key| key.ends_with("sslverify"),
                |_| "`git -c http.sslVerify=false` clones without checking certificates".to_owned(),
            );
            if git_subcommand(command) == Some("config") && key_then_false(&|k| k.ends_with("sslverify")) {
                report(
                    out,
                    whole,
                    "`git config http.sslVerify false` turns off certificate checks for every later clone".to_owned(),
                    site.remove_command(),
                );
            }
        }
        "apt-get" | "apt" | "aptitude" => {
            site.report_false_settings(
                out,
                &["-o", "--option"],
                |key| key.ends_with("::verify-peer") || key.ends_with("::verify-host"),
                |setting| {
                    format!("`{program} -o {}=false` downloads packages without checking certificates", setting.key)
                },
            );
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" => {
            site.report_false_settings(
                out,
                &["--setopt"],
                |key| key.ends_with("sslverify"),
                |setting| {
                    format!("`{program} --setopt={}={}` turns off certificate checks", setting.key, setting.value)
                },
            );
        }
        _ if pip && lower.iter().any(|v| v == "config") && lower.iter().any(|v| v.ends_with(".trusted-host")) => {
            report(
                out,
                whole,
                "`pip config set ... trusted-host` accepts a host without a valid certificate".to_owned(),
                site.remove_command(),
            );
        }
        // Only text that goes into a file configures anything: `echo ... > ~/.wgetrc`, `echo ... | tee`.
        "echo" | "printf" if writes_to_file(shell, site.cmd_idx, command) => {
            let text: String = lower.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let patterns = [
                "sslverify=false",
                "sslverify=0",
                "strict-ssl=false",
                "check_certificate=off",
                "check-certificate=off",
            ];
            if let Some(pattern) = patterns.iter().find(|p| text.contains(*p)) {
                report(
                    out,
                    whole,
                    format!("`{program}` writes `{pattern}` into a configuration: certificate checks are turned off"),
                    None,
                );
            }
        }
        _ => {}
    }
}

const VARIABLES: &[&str] = &[
    "GIT_SSL_NO_VERIFY",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "PYTHONHTTPSVERIFY",
    "PIP_TRUSTED_HOST",
    "YARN_ENABLE_STRICT_SSL",
    "NPM_CONFIG_STRICT_SSL",
    "npm_config_strict_ssl",
];

/// Assignments that are statements of their own (`export NAME=0`, `NAME=0; cmd`): the shell parse keeps
/// only commands, so these are found in the text, outside every command (prefix assignments are
/// reported with their command). No fix: the statement's extent is not known.
fn check_assignments(shell: &ShellScript, out: &mut Vec<Finding>) {
    static SEARCH: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    // One pass over the script for all the names (no name holds another), not one search per name.
    let Some(search) = SEARCH.get_or_init(|| aho_corasick::AhoCorasick::new(VARIABLES).ok()) else { return };
    let source = shell.source();
    for hit in search.find_iter(source) {
        let (name, start) = (VARIABLES[hit.pattern().as_usize()], hit.start());
        if !source.get(start + name.len()..).is_some_and(|rest| rest.starts_with('=')) {
            continue;
        }
        let pattern_len = name.len() + 1;
        let boundary = source
            .get(..start)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '{'));
        let inside_command = shell.commands().iter().any(|c| c.range.start <= start && start < c.range.end);
        if !boundary || inside_command {
            continue;
        }
        let value_start = start + pattern_len;
        let rest = source.get(value_start..).unwrap_or_default();
        let len = rest.find(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | ')')).unwrap_or(rest.len());
        let value = shell_commands::unquote_balanced(rest.get(..len).unwrap_or_default());
        if value.contains('$') || !disables(name, Some(value)) {
            continue;
        }
        let range = shell.doc_range(TextRange::new(start, value_start + len));
        out.push(Finding::new(range, format!("`{name}={value}` turns off TLS certificate checks")));
    }
}

/// True when a command's output goes to a file: a `>`/`>>` redirection after it, or a pipe into `tee`.
fn writes_to_file(shell: &ShellScript, cmd_idx: usize, command: &ShellCommand) -> bool {
    let after = shell.source().get(command.range.end..).unwrap_or_default().trim_start_matches([' ', '\t']);
    let redirected = after.starts_with('>') || after.starts_with("1>");
    let into_tee = shell.commands().get(cmd_idx + 1).is_some_and(|next| {
        next.operator == Some(bulkhead_syntax::ShellOperator::Pipe) && next.program() == Some("tee")
    });
    redirected || into_tee
}

/// The start (shell coordinates) of `NAME=` before a prefix assignment's value.
fn assignment_start(shell: &ShellScript, name: &str, value_start: usize) -> Option<usize> {
    let start = value_start.checked_sub(name.len() + 1)?;
    (shell.text(TextRange::new(start, value_start)) == format!("{name}=")).then_some(start)
}

/// git's subcommand: the first argument that is not a global option (`-c k=v` and `-C dir` take a value).
fn git_subcommand(command: &ShellCommand) -> Option<&str> {
    let mut values = command.arg_values();
    while let Some(value) = values.next() {
        match value {
            "-c" | "-C" => {
                values.next();
            }
            v if v.starts_with('-') => {}
            v => return Some(v),
        }
    }
    None
}
