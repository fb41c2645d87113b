//! Which files `bulkhead check` looks at: explicit files as given, directories walked for Dockerfile names.

use std::io;
use std::path::{Component, Path, PathBuf};

pub use bulkhead_project::is_compose_name;

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path, without duplicates.
    pub inputs: Vec<Input>,
    /// Paths that do not exist or could not be walked: the exit code becomes 2.
    pub errors: Vec<String>,
    /// Directories without a Dockerfile: worth a word, not a failure.
    pub warnings: Vec<String>,
}

impl Discovered {
    /// Prints the errors and warnings to stderr; true when there was an error (the exit code becomes 2).
    pub fn report_problems(&self) -> bool {
        for error in &self.errors {
            eprintln!("error: {error}");
        }
        for warning in &self.warnings {
            eprintln!("warning: {warning}");
        }
        !self.errors.is_empty()
    }
}

/// True for the names Docker and Podman builds use: `Dockerfile`, `Containerfile`, `*.dockerfile`,
/// `*.Dockerfile`, `Dockerfile.*` and `Containerfile.*`, but not the `<name>.dockerignore` files beside them.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

/// Expands the command-line paths. `-` is stdin; files are taken whatever their name; directories are
/// walked (respecting `.gitignore`, skipping hidden entries) for Dockerfile and Compose names.
pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut res = Discovered::default();
    for path in paths {
        if path.as_os_str() == "-" {
            res.inputs.push(Input::Stdin);
            continue;
        }
        let path = normalize(path);
        match std::fs::metadata(&path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                res.errors.push(format!("{}: no such file or directory", path.display()));
            }
            Err(err) => res.errors.push(format!("{}: {err}", path.display())),
            Ok(meta) if meta.is_dir() => walk(&path, &mut res),
            Ok(_) => res.inputs.push(Input::File(path)),
        }
    }
    res.inputs.sort();
    res.inputs.dedup();
    res
}

fn walk(dir: &Path, res: &mut Discovered) {
    let mut found = 0;
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        // A .gitignore counts even outside a git checkout (a fresh copy, a tarball).
        .require_git(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                res.errors.push(err.to_string());
                continue;
            }
        };
        let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
        if is_file && entry.file_name().to_str().is_some_and(|name| is_dockerfile_name(name) || is_compose_name(name)) {
            res.inputs.push(Input::File(normalize(entry.path())));
            found += 1;
        }
    }
    if found == 0 {
        res.warnings.push(format!("{}: no Dockerfiles or Compose files found", dir.display()));
    }
}

/// Drops `.` components so `./Dockerfile` and `Dockerfile` are one file (and print the same).
pub fn normalize(path: &Path) -> PathBuf {
    let res: PathBuf = path.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    if res.as_os_str().is_empty() { PathBuf::from(".") } else { res }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_names() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "Docker-Compose.YAML",
            "compose.override.yaml",
            "docker-compose.prod.yml",
            "compose.dev.local.yaml",
        ] {
            assert!(is_compose_name(name), "{name}");
        }
        for name in
            ["compose.json", "compose..yaml", "my-compose.yaml", "compose", "docker-compose.yml.bak", "values.yaml"]
        {
            assert!(!is_compose_name(name), "{name}");
        }
    }

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "api.dockerfile",
            "api.Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.prod.arm64",
            "Containerfile.ci",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            "docker-compose.yml",
            "Dockerfiles",
            "README.md",
            "Makefile",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn normalize_drops_cur_dir() {
        assert_eq!(normalize(Path::new("./a/./Dockerfile")), PathBuf::from("a/Dockerfile"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
    }
}
