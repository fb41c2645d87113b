//! Facts about the build context that the engine receives as data: the CLI reads them from disk, the
//! language server from the workspace, tests write them inline.

use globset::{GlobBuilder, GlobMatcher};

use crate::fix::NewFile;

/// What is known about the directory a Dockerfile is built from.
#[derive(Clone, Debug, Default)]
pub struct BuildContext {
    /// `None` when unknown (stdin without a path): rules that need it stay silent.
    pub dockerignore: Option<DockerignoreState>,
}

impl BuildContext {
    /// A context known to have no `.dockerignore`.
    pub fn without_dockerignore() -> Self {
        Self { dockerignore: Some(DockerignoreState::Missing) }
    }

    /// A context whose `.dockerignore` has this content.
    pub fn with_dockerignore(file_name: &str, content: &str) -> Self {
        Self { dockerignore: Some(DockerignoreState::Present(Dockerignore::parse(file_name, content))) }
    }

    /// The context after a fix created `file` beside the Dockerfile: a new `.dockerignore` (or
    /// `<name>.dockerignore`) is now the context's when it had none. Other files change nothing here.
    pub fn with_new_file(&self, file: &NewFile) -> Self {
        let mut res = self.clone();
        if file.name().ends_with(".dockerignore") && matches!(self.dockerignore, Some(DockerignoreState::Missing)) {
            res.dockerignore = Some(DockerignoreState::Present(Dockerignore::parse(file.name(), &file.content)));
        }
        res
    }
}

/// Whether the context has a `.dockerignore` (or `<Dockerfile>.dockerignore`).
#[derive(Clone, Debug)]
pub enum DockerignoreState {
    Missing,
    Present(Dockerignore),
}

/// A parsed `.dockerignore`: patterns in order, `!` re-includes.
#[derive(Clone, Debug)]
pub struct Dockerignore {
    pub file_name: String,
    pub patterns: Vec<IgnorePattern>,
}

#[derive(Clone, Debug)]
pub struct IgnorePattern {
    pub text: String,
    pub negated: bool,
    matcher: Option<GlobMatcher>,
}

impl Dockerignore {
    pub fn parse(file_name: &str, content: &str) -> Self {
        let patterns = content
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (negated, pattern) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let cleaned = pattern.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
                let matcher =
                    GlobBuilder::new(cleaned).literal_separator(true).build().ok().map(|g| g.compile_matcher());
                IgnorePattern { text: pattern.to_owned(), negated, matcher }
            })
            .collect();
        Self { file_name: file_name.to_owned(), patterns }
    }

    /// True when `path` (relative to the context, `/`-separated) is excluded. A path is also excluded
    /// when one of its parent directories is.
    pub fn excludes(&self, path: &str) -> bool {
        self.excluded_by(path).is_some()
    }

    /// The pattern that excludes `path` (the last one that matches it, when that one is not a `!`
    /// re-include), or `None` when the path is sent to the builder.
    pub fn excluded_by(&self, path: &str) -> Option<&IgnorePattern> {
        let path = path.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
        let mut decided = None;
        for pattern in &self.patterns {
            let Some(matcher) = &pattern.matcher else {
                continue;
            };
            let hit = matcher.is_match(path) || path.match_indices('/').any(|(idx, _)| matcher.is_match(&path[..idx]));
            if hit {
                decided = Some(pattern);
            }
        }
        decided.filter(|pattern| !pattern.negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_matching() {
        let ignore =
            Dockerignore::parse(".dockerignore", "# comment\n.git\n**/*.pem\n.env*\n!.env.example\nnode_modules/\n");
        assert!(ignore.excludes(".git"));
        assert!(ignore.excludes(".git/config"));
        assert!(ignore.excludes("certs/server.pem"));
        assert!(ignore.excludes(".env"));
        assert!(!ignore.excludes(".env.example"));
        assert!(ignore.excludes("node_modules/x/index.js"));
        assert!(!ignore.excludes("src/main.rs"));
    }
}
