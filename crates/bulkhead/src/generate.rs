//! `bulkhead completions SHELL` and `bulkhead man [COMMAND]`: generated from the clap definitions in
//! `args.rs`, the same ones that parse the command line, so they cannot drift from it.

use std::io::{self, Write};

use anyhow::bail;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::Status;
use crate::args::Cli;

pub fn completions(shell: Shell) -> anyhow::Result<Status> {
    let mut command = Cli::command();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut command, "bulkhead", &mut out);
    out.flush()?;
    Ok(Status::Clean)
}

/// The overview page, `bulkhead(1)`, or with `name` the page of that command, `bulkhead-NAME(1)`.
pub fn man(name: Option<&str>) -> anyhow::Result<Status> {
    let mut command = Cli::command();
    // Gives each subcommand its display name (`bulkhead-check`) and its help flags, as on the command line.
    command.build();
    let page = match name {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            // The version shows in the page's footer; subcommands have none of their own.
            Some(sub) => sub.clone().version(env!("BULKHEAD_VERSION")),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|sub| sub.get_name()).collect();
                bail!("no command `{name}`; the commands are: {}", names.join(", "))
            }
        },
    };
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(Status::Clean)
}
