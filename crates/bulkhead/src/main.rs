//! `bulkhead`: the command-line driver of the engine.
//!
//! `main` parses the command line and dispatches. `check` finds Dockerfiles, resolves configuration and
//! build-context facts from disk (and, when the user turns look-ups on, base-image facts from registries:
//! `online`), runs the engine on every file in parallel and applies safe fixes;
//! `fmt` formats files with the engine's formatter;
//! `output` renders the results (human code frames, JSON, SARIF and the CI formats) from `report`'s plain
//! values (it never imports `check`); `rules_cmd` prints the rule table and a rule's documentation;
//! `generate` prints shell completions and man pages from the same clap definitions that parse the line;
//! `config_cmd` converts a hadolint configuration.
//!
//! Invariant: everything that touches the file system or the terminal lives here, never in the engine.
//!
//! Exit codes: 0 no findings at or above `--fail-on`, 1 findings, 2 usage or I/O error.

mod args;
mod check;
mod config_cmd;
mod discover;
mod fmt;
mod generate;
mod online;
mod output;
mod report;
mod rules_cmd;
mod settings;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// How a command ended: the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Nothing at or above the threshold.
    Clean,
    /// Findings at or above the threshold.
    Findings,
    /// A usage, configuration or I/O error.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Clean => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
            Status::Error => ExitCode::from(2),
        }
    }
}

/// Serves the language server on stdin/stdout until the client says `exit` or closes stdin.
fn lsp() -> anyhow::Result<Status> {
    // Small documents are linted on the protocol threads (and tokio's blocking pool is the engine's fallback):
    // every thread of the runtime gets the engine's stack.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(bulkhead_analysis::ENGINE_STACK_SIZE)
        .enable_all()
        .build()?;
    runtime.block_on(bulkhead_lsp::run_stdio());
    // The stdin reader is a detached thread blocked in a read: do not wait for it.
    runtime.shutdown_background();
    Ok(Status::Clean)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` and `--version` come here too: they go to stdout and succeed.
            let _ = err.print();
            return if err.use_stderr() { Status::Error.into() } else { ExitCode::SUCCESS };
        }
    };
    let res = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Rules(args) => rules_cmd::list(args.format),
        Command::Explain { rule } => rules_cmd::explain(&rule),
        Command::Lsp { stdio: _ } => lsp(),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { command } => generate::man(command.as_deref()),
        Command::Config(args) => config_cmd::run(args),
    };
    match res {
        Ok(status) => status.into(),
        // A closed pipe (`bulkhead rules | head`) is the reader's choice, not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            Status::Error.into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.downcast_ref::<io::Error>().is_some_and(|err| err.kind() == io::ErrorKind::BrokenPipe)
}
