//! The `.dockerignore` that BH801's fix creates: the ecosystems it knows (base images, files and commands
//! that show each, the caches and build folders to leave out), the secret files every project should
//! leave out, and the text fitted to what a Dockerfile shows ([`Facts`]).

use crate::context::Dockerignore;

/// An ecosystem whose leftovers a `.dockerignore` should keep out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Node,
    Python,
    Go,
    Rust,
    Maven,
    Gradle,
}

struct Ecosystem {
    kind: Kind,
    title: &'static str,
    /// Base image names (the last path component) that mean this ecosystem.
    images: &'static [&'static str],
    /// Files whose copy means this ecosystem (base names; `*` ends a prefix).
    files: &'static [&'static str],
    /// Caches and logs no build reads: listed whenever the ecosystem is seen.
    always: &'static [&'static str],
    /// Dependency or build folders: listed only when a `RUN` makes them (installs or builds).
    made: &'static [&'static str],
    /// What the Dockerfile would have to run for `made` to be listed, for the note when it does not.
    made_by: &'static str,
}

const ECOSYSTEMS: &[Ecosystem] = &[
    Ecosystem {
        kind: Kind::Node,
        title: "Node.js",
        images: &["node"],
        files: &["package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"],
        always: &["npm-debug.log*", "yarn-error.log*"],
        made: &["**/node_modules"],
        made_by: "installs the packages",
    },
    Ecosystem {
        kind: Kind::Python,
        title: "Python",
        images: &["python", "pypy"],
        files: &[
            "requirements*",
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
            "Pipfile",
            "Pipfile.lock",
            "poetry.lock",
            "uv.lock",
        ],
        always: &["**/__pycache__", "**/*.py[cod]", ".pytest_cache", ".mypy_cache"],
        made: &[".venv"],
        made_by: "installs the packages",
    },
    Ecosystem {
        kind: Kind::Go,
        title: "Go",
        images: &["golang"],
        files: &["go.mod", "go.sum"],
        always: &["**/*.test"],
        made: &[],
        made_by: "",
    },
    Ecosystem {
        kind: Kind::Rust,
        title: "Rust",
        images: &["rust"],
        files: &["Cargo.toml", "Cargo.lock"],
        always: &[],
        made: &["target"],
        made_by: "builds with `cargo`",
    },
    Ecosystem {
        kind: Kind::Maven,
        title: "Maven",
        images: &["maven"],
        files: &["pom.xml", "mvnw"],
        always: &[],
        made: &["target"],
        made_by: "builds with `mvn`",
    },
    Ecosystem {
        kind: Kind::Gradle,
        title: "Gradle",
        images: &["gradle"],
        files: &["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradlew"],
        always: &[".gradle"],
        made: &["build"],
        made_by: "builds with `gradle`",
    },
];

/// Files that usually hold secrets. The same families BH402 reports when copied.
const SECRETS: &[&str] = &[
    "**/.env",
    "**/.env.*",
    "!**/.env.example",
    "**/*.pem",
    "**/*.key",
    "**/id_rsa*",
    "**/id_dsa*",
    "**/id_ecdsa*",
    "**/id_ed25519*",
    "!**/id_*.pub",
    "**/*.p12",
    "**/*.pfx",
    "**/.npmrc",
    "**/.pypirc",
    "**/.netrc",
    "**/.git-credentials",
    "**/.aws",
    "**/.ssh",
    "**/.docker/config.json",
    "**/*kubeconfig*",
];

/// What the Dockerfile shows about the project.
#[derive(Default)]
pub(crate) struct Facts {
    /// Ecosystems seen, and whether a `RUN` makes their dependency or build folders.
    pub seen: Vec<Kind>,
    pub made: Vec<Kind>,
    /// A `RUN` reads the Git checkout.
    pub reads_git: bool,
    /// Context paths the Dockerfile names (`COPY` sources, bind-mount sources), normalised.
    pub named: Vec<String>,
}

impl Facts {
    pub fn seen(&self, kind: Kind) -> bool {
        self.seen.contains(&kind)
    }

    pub fn see(&mut self, kind: Kind) {
        if !self.seen(kind) {
            self.seen.push(kind);
        }
    }

    pub fn make(&mut self, kind: Kind) {
        self.see(kind);
        if !self.made.contains(&kind) {
            self.made.push(kind);
        }
    }

    /// A base image, by name (the last path component): `node`, `python`, `golang`...
    pub fn base_image(&mut self, name: &str) {
        for eco in ECOSYSTEMS.iter().filter(|e| e.images.contains(&name)) {
            self.see(eco.kind);
        }
    }

    /// A path the Dockerfile takes from the context.
    pub fn name(&mut self, path: &str) {
        let path = path.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
        // A name a `.dockerignore` line cannot carry (a comment or a negation of its own) is left alone.
        if path.is_empty() || path.starts_with(['#', '!']) || path.contains(['\r', '\n']) {
            return;
        }
        let base = path.rsplit('/').next().unwrap_or(path);
        for eco in ECOSYSTEMS {
            let hit = eco.files.iter().any(|file| match file.strip_suffix('*') {
                Some(prefix) => base.starts_with(prefix),
                None => base == *file,
            });
            if hit {
                self.see(eco.kind);
            }
        }
        if !self.named.iter().any(|p| p == path) {
            self.named.push(path.to_owned());
        }
    }

    /// The titles of the ecosystems seen (`Node.js`, `Python`), in table order, for the fix's title.
    pub fn titles(&self) -> Vec<&'static str> {
        ECOSYSTEMS.iter().filter(|e| self.seen(e.kind)).map(|e| e.title).collect()
    }
}

/// The `.dockerignore` text for these facts, with `newline` line breaks.
pub(crate) fn content(facts: &Facts, newline: &str) -> String {
    let mut lines: Vec<String> = vec![
        "# Created by bulkhead (BH801): what `COPY .` should not send to the builder or put in the image.".into(),
        "# Review it before the next build: a file listed here is no longer in the build context.".into(),
        String::new(),
    ];
    let push_all = |lines: &mut Vec<String>, items: &[&str]| lines.extend(items.iter().map(|s| (*s).to_owned()));
    lines.push("# Version control".into());
    match facts.reads_git {
        false => lines.push(".git".into()),
        true => lines.push("# `.git` is not listed: a `RUN` step calls `git`, which reads it.".into()),
    }
    lines.push("# Secrets: environment files, keys and credentials".into());
    push_all(&mut lines, SECRETS);
    lines.push("# Docker's own files: the builder reads them anyway".into());
    push_all(&mut lines, &["Dockerfile*", ".dockerignore"]);
    let mut listed: Vec<&str> = Vec::new();
    for eco in ECOSYSTEMS.iter().filter(|e| facts.seen(e.kind)) {
        let made = facts.made.contains(&eco.kind);
        let items: Vec<&str> = eco
            .always
            .iter()
            .chain(eco.made.iter().filter(|_| made))
            .copied()
            .filter(|item| !listed.contains(item))
            .collect();
        if items.is_empty() && (made || eco.made.is_empty()) {
            continue;
        }
        lines.push(format!("# {}", eco.title));
        listed.extend(&items);
        push_all(&mut lines, &items);
        if !made && !eco.made.is_empty() {
            let folders: Vec<String> = eco.made.iter().map(|m| format!("`{}`", m.trim_start_matches("**/"))).collect();
            lines.push(format!(
                "# {} not listed: no `RUN` step {}, so the image may need the local one.",
                folders.join(", "),
                eco.made_by
            ));
        }
    }
    // Paths the Dockerfile copies by name must stay in the context, or the build breaks.
    let ignore = Dockerignore::parse(".dockerignore", &lines.join("\n"));
    let kept: Vec<&String> = facts.named.iter().filter(|path| ignore.excludes(path)).collect();
    if !kept.is_empty() {
        lines.push("# Copied by name in the Dockerfile: kept in the context".into());
        lines.extend(kept.iter().map(|path| format!("!{path}")));
    }
    let mut text = lines.join(newline);
    text.push_str(newline);
    text
}
