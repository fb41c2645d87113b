//! The command line, as clap sees it. Nothing here does work: `main` dispatches.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "bulkhead",
    version = env!("BULKHEAD_VERSION"),
    about = "A security linter for Dockerfiles",
    after_help = "Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Dockerfiles and report findings
    Check(CheckArgs),
    /// Format Dockerfiles in place: upper-case keywords, consistent continuation indents, no trailing
    /// whitespace, at most one blank line in a row; heredoc bodies, comments and strings are never touched
    Fmt(FmtArgs),
    /// List every rule: code, name, default severity, default on/off, fix availability, practice
    Rules(RulesArgs),
    /// Print the documentation of a rule
    Explain {
        /// A rule code (`BH201`) or name (`root-user`)
        rule: String,
    },
    /// Run the language server over standard input and output (for editors)
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport
        #[arg(long)]
        stdio: bool,
    },
    /// Print a shell completion script, e.g. `bulkhead completions bash > /etc/bash_completion.d/bulkhead`
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Work with configuration files
    Config(ConfigArgs),
    /// Print a man page (roff), e.g. `bulkhead man | man -l -`
    Man {
        /// A command's own page (`bulkhead-check(1)`) instead of the overview
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Rules to run instead of the configured ones: codes, code prefixes, names or ALL
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Option<Vec<String>>,

    /// Rules to run in addition to the selected ones
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub extend_select: Vec<String>,

    /// Rules not to run
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,

    /// Lowest severity that makes the exit code 1 [default: `fail-on` of the configuration that governs
    /// the current directory, else warning]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Apply safe fixes in place, then report what remains
    #[arg(long)]
    pub fix: bool,

    /// With `--fix` or `--diff`: also apply unsafe fixes (they may change what the image does: review them)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them; exit code 1 when there is a change
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Use this configuration file instead of looking for `.bulkhead.toml`
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every `.bulkhead.toml`
    #[arg(long)]
    pub no_config: bool,

    /// Look base images up in their registries (digest, user, healthcheck, tags; cached on disk): facts
    /// for the rules and "pin tag"/"pin digest" fixes. Same as `[registry] enabled = true`
    #[arg(long)]
    pub online: bool,

    /// With look-ups on, also run the `docker-credential-*` helpers that Docker's config.json names for a
    /// registry (they are programs: off unless given here; `.bulkhead.toml` cannot turn them on)
    #[arg(long)]
    pub credential_helpers: bool,

    /// The path of the text read from stdin: shown in the output, and used to find `.bulkhead.toml` and
    /// `.dockerignore`
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// What the named files (and stdin) are: by default a Compose file by its name (`compose.yaml`,
    /// `docker-compose.prod.yml`...), else a Dockerfile. Directories are walked for both by name
    #[arg(long, value_enum, default_value_t = FileKindArg::Auto, value_name = "KIND")]
    pub kind: FileKindArg,
}

/// `--kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FileKindArg {
    Auto,
    Dockerfile,
    Compose,
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 formatted (or nothing to change with --check), 1 --check found files to \
reformat, 2 usage or I/O error. The indent comes from `[format] indent` in .bulkhead.toml (default 4).")]
pub struct FmtArgs {
    /// Files or directories to format; `-` reads standard input and writes the result to stdout [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write nothing: list the files that would change, and exit 1 when there is one
    #[arg(long)]
    pub check: bool,

    /// Use this configuration file instead of looking for `.bulkhead.toml`
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore every `.bulkhead.toml`
    #[arg(long)]
    pub no_config: bool,

    /// The path of the text read from stdin: used to find `.bulkhead.toml`
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Code frames, coloured when stdout is a terminal
    Human,
    /// An array of findings
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other dashboards)
    Sarif,
    /// One line per finding: `path:line:col: CODE message`
    Concise,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality report (JSON)
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML
    Junit,
    /// Reviewdog Diagnostic Format (rdjson)
    Rdjson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct ConfigArgs {
    /// Print the `.bulkhead.toml` equivalent to a hadolint configuration: FILE, or the one hadolint would
    /// read in a directory (default: the current one; `.hadolint.yaml`, `.hadolint.yml`, then the user's)
    #[arg(long, value_name = "FILE|DIR", num_args = 0..=1, default_missing_value = ".")]
    pub from_hadolint: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table
    Human,
    /// An array of rules
    Json,
}
