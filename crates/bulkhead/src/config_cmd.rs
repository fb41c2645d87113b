//! `bulkhead config`: configuration files. `--from-hadolint` prints the `.bulkhead.toml` that says what a
//! hadolint configuration says, with what does not carry over as comments.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use bulkhead_analysis::hadolint;

use crate::Status;
use crate::args::ConfigArgs;

pub fn run(args: ConfigArgs) -> anyhow::Result<Status> {
    let Some(path) = args.from_hadolint else {
        bail!("nothing to do: use `bulkhead config --from-hadolint [FILE]`");
    };
    let path = match path.is_dir() {
        true => find_hadolint_file(&path)?,
        false => path,
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let converted = hadolint::from_hadolint_yaml(&text).map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
    print!("{}", hadolint::to_bulkhead_toml(&converted, &shown(&path)));
    Ok(Status::Clean)
}

/// The hadolint file hadolint would read run in `dir`: the directory's, then the user's.
fn find_hadolint_file(dir: &Path) -> anyhow::Result<PathBuf> {
    bulkhead_project::hadolint_file_in(dir).or_else(bulkhead_project::user_hadolint_file).with_context(|| {
        format!(
            "no hadolint configuration in {} ({}) nor in the user's places; name one: `--from-hadolint FILE`",
            dir.display(),
            hadolint::PROJECT_FILE_NAMES.join(", ")
        )
    })
}

/// A path as the user would recognise it: relative to the current directory when below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let relative = path.strip_prefix(&cwd).unwrap_or(path);
    let parts: PathBuf = relative.components().filter(|part| *part != std::path::Component::CurDir).collect();
    parts.display().to_string()
}
