//! `bulkhead fmt`: lays Dockerfiles out with the engine's formatter (`bulkhead_syntax::format`), the one
//! the language server's formatting uses, with the `[format]` settings of the nearest `.bulkhead.toml`.
//!
//! Files are rewritten in place; `-` reads stdin and writes the result to stdout; `--check` writes
//! nothing, lists the files that would change and exits 1 when there is one.

use std::io::{self, Read as _, Write as _};
use std::path::PathBuf;

use anyhow::bail;
use bulkhead_analysis::Config;
use bulkhead_syntax::format::format_text;

use crate::Status;
use crate::args::FmtArgs;
use crate::discover::{self, Input};
use crate::settings::SettingsResolver;

pub fn run(args: FmtArgs) -> anyhow::Result<Status> {
    let mut resolver = SettingsResolver::new(Config::default(), args.config.as_deref(), args.no_config)?;
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from(if args.stdin_filename.is_some() { "-" } else { "." }));
    }
    if args.stdin_filename.is_some() && !paths.iter().any(|path| path.as_os_str() == "-") {
        bail!("--stdin-filename names the text read from `-`, which is not among the paths");
    }
    let mut status = Status::Clean;
    let discovered = discover::discover(&paths);
    if discovered.report_problems() {
        status = Status::Error;
    }
    let (mut changed, mut unchanged) = (0, 0);
    let mut stdout = io::stdout().lock();
    for input in &discovered.inputs {
        let (shown, bytes) = match input {
            Input::File(path) => (path.display().to_string(), std::fs::read(path)),
            Input::Stdin => {
                let mut bytes = Vec::new();
                let read = io::stdin().read_to_end(&mut bytes).map(|_| bytes);
                ("<stdin>".to_owned(), read)
            }
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("error: {shown}: cannot read: {err}");
                status = Status::Error;
                continue;
            }
        };
        let Some(text) = String::from_utf8(bytes).ok().filter(|text| !text.contains('\0')) else {
            eprintln!("error: {shown}: not a UTF-8 text file");
            status = Status::Error;
            continue;
        };
        let settings = match input {
            Input::File(path) => resolver.settings_for(path),
            Input::Stdin => match &args.stdin_filename {
                Some(name) => resolver.settings_for(&discover::normalize(name)),
                None => resolver.settings_for_cwd(),
            },
        };
        let settings = match settings {
            Ok(settings) => settings,
            Err(message) => {
                if let Some(message) = message {
                    eprintln!("error: {message}");
                }
                status = Status::Error;
                continue;
            }
        };
        let formatted = format_text(&text, &settings.format);
        let differs = formatted != text;
        if differs {
            changed += 1;
        } else {
            unchanged += 1;
        }
        if args.check {
            if differs {
                writeln!(stdout, "{shown}")?;
                status = status.max(Status::Findings);
            }
            continue;
        }
        match input {
            Input::Stdin => stdout.write_all(formatted.as_bytes())?,
            Input::File(path) if differs => {
                if let Err(err) = std::fs::write(path, formatted) {
                    eprintln!("error: {shown}: cannot write: {err}");
                    status = Status::Error;
                }
            }
            Input::File(_) => {}
        }
    }
    stdout.flush()?;
    let files = |n: usize| if n == 1 { "1 file".to_owned() } else { format!("{n} files") };
    if discovered.inputs.iter().any(|input| matches!(input, Input::File(_))) {
        let verb = if args.check { "would be reformatted" } else { "reformatted" };
        eprintln!("{} {verb}, {} already formatted", files(changed), unchanged);
    }
    Ok(status)
}
