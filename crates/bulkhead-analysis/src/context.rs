//! Facts about the build context that the engine receives as data: the CLI reads them from disk, the
//! language server from the workspace, tests write them inline. Facts about base images come the same
//! way: the drivers ask the registry (when the user turned look-ups on) and hand the answers over as
//! [`BaseImageFacts`]; the engine itself never does I/O.

use std::collections::BTreeMap;
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::fix::NewFile;
use crate::image::ImageRef;
use crate::knowledge::eol::Date;
use crate::model::is_root_user;

/// What is known about the directory a Dockerfile is built from, and about the images it builds on.
#[derive(Clone, Debug, Default)]
pub struct BuildContext {
    /// `None` when unknown (stdin without a path): rules that need it stay silent.
    pub dockerignore: Option<DockerignoreState>,
    /// Registry facts per image reference, keyed by the reference as written after `ARG` substitution
    /// ([`ImageRef::raw`]). Empty unless registry look-ups are on; rules use a fact only when it is
    /// here, and behave as without the registry otherwise. Shared (`Arc`): the language server hands
    /// the same map to every document.
    pub images: Arc<BTreeMap<String, BaseImageFacts>>,
    /// For a Compose file: the text of each Dockerfile its services build, keyed by its path relative to
    /// the Compose file's folder as [`crate::compose::Build::dockerfile_path`] writes it. The drivers read
    /// them (an open editor buffer before the disk); a Dockerfile missing here is unknown, never a finding.
    pub linked_dockerfiles: Arc<BTreeMap<String, Arc<str>>>,
    /// The date to judge release end-of-life dates against (BH106): the drivers pass today's date,
    /// tests a fixed one. `None` (unknown) keeps the rules that need it silent; the engine never reads a
    /// clock.
    pub today: Option<Date>,
    /// The checked file's path as the driver names it (relative or absolute), for the Compose rules that
    /// read a file's role from its name (`.devcontainer/`, `compose.dev.yaml`); `None` when unknown (stdin,
    /// an unsaved buffer).
    pub file_path: Option<String>,
}

impl BuildContext {
    /// A context known to have no `.dockerignore`.
    pub fn without_dockerignore() -> Self {
        Self { dockerignore: Some(DockerignoreState::Missing), ..Self::default() }
    }

    /// A context whose `.dockerignore` has this content.
    pub fn with_dockerignore(file_name: &str, content: &str) -> Self {
        Self {
            dockerignore: Some(DockerignoreState::Present(Dockerignore::parse(file_name, content))),
            ..Self::default()
        }
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

    /// The registry facts about an image, when the driver looked it up: under the reference as written,
    /// or under another reference of the same repository that the registry showed to be the same
    /// image: the digest a reference is pinned to (after "pin digest", `app:1@sha256:x` is the image
    /// `app:1` was), or a tag among its [`BaseImageFacts::same_image_tags`] (after "pin tag").
    pub fn image_facts(&self, image: &ImageRef) -> Option<&BaseImageFacts> {
        if let Some(facts) = self.images.get(&image.raw) {
            return Some(facts);
        }
        let same_image = |facts: &BaseImageFacts| match (&image.digest, &image.tag) {
            (Some(digest), _) => facts.digest.as_ref() == Some(digest),
            (None, Some(tag)) => facts.same_image_tags.contains(tag),
            (None, None) => false,
        };
        self.images
            .iter()
            .filter(|(_, facts)| same_image(facts))
            .find(|(raw, _)| {
                ImageRef::parse(raw).is_some_and(|other| other.registry == image.registry && other.path == image.path)
            })
            .map(|(_, facts)| facts)
    }
}

/// What a registry says about one image reference, for one platform: the data the rules and the hover
/// use. The drivers fill it from `bulkhead-registry`; spec tests write it in a `<file>.registry.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BaseImageFacts {
    /// The digest the reference points to now (`sha256:...`): for a multi-platform image the index
    /// digest, which is what `image:tag@digest` pins.
    pub digest: Option<String>,
    /// The image config's `User`; `None` when it sets none (the image runs as root).
    pub user: Option<String>,
    /// The config's healthcheck test (`["CMD-SHELL", "curl -f http://localhost/"]`, `["NONE"]` when
    /// switched off); `None` when the image has none.
    pub healthcheck: Option<Vec<String>>,
    /// `EXPOSE`d ports as `8080/tcp`.
    pub exposed_ports: Vec<String>,
    /// Creation time as the config records it (RFC 3339).
    pub created: Option<String>,
    /// Concrete tags that keep the reference's variant, newest first ("pin tag"): `3.13.1-slim` for
    /// `python:3-slim`; at most [`MAX_PIN_TAG_CANDIDATES`]. Empty for a concrete tag, a digest
    /// reference, or when the tags were not listed. About the reference these facts are stored under
    /// only, not the others [`BuildContext::image_facts`] finds them for.
    pub tag_candidates: Vec<String>,
    /// The candidates that point to the very image the reference points to now (the same digest):
    /// pinning to one of them builds the same image today.
    pub same_image_tags: Vec<String>,
}

/// How many "pin tag" candidates the drivers look up and the rules offer.
pub const MAX_PIN_TAG_CANDIDATES: usize = 3;

impl BaseImageFacts {
    /// True when the image runs as a user other than root: `User` set, and not `root`, `0` or a group only.
    pub fn runs_as_non_root(&self) -> bool {
        self.user.as_deref().is_some_and(user_is_non_root)
    }

    /// True when the image has a healthcheck that is not switched off (`NONE`).
    pub fn has_healthcheck(&self) -> bool {
        self.healthcheck.as_deref().is_some_and(|test| !healthcheck_is_disabled(test))
    }
}

/// True for an image config `User` (`name`, `uid`, `name:group`) that is not root.
pub fn user_is_non_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    !name.is_empty() && !is_root_user(name)
}

/// True for a healthcheck test that switches the check off (`["NONE"]`, from `HEALTHCHECK NONE`).
pub fn healthcheck_is_disabled(test: &[String]) -> bool {
    test.first().is_some_and(|first| first == "NONE")
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

    #[test]
    fn base_image_facts() {
        let mut facts = BaseImageFacts::default();
        assert!(!facts.runs_as_non_root() && !facts.has_healthcheck());
        for (user, non_root) in [("root", false), ("0:0", false), ("nonroot", true), ("65532", true), (":1", false)] {
            facts.user = Some(user.into());
            assert_eq!(facts.runs_as_non_root(), non_root, "{user}");
        }
        facts.healthcheck = Some(vec!["NONE".into()]);
        assert!(!facts.has_healthcheck());
        facts.healthcheck = Some(vec!["CMD".into(), "true".into()]);
        assert!(facts.has_healthcheck());
        let mut build = BuildContext::default();
        Arc::make_mut(&mut build.images).insert("python:3".into(), facts.clone());
        assert_eq!(build.image_facts(&ImageRef::parse("python:3").unwrap()), Some(&facts));
        assert_eq!(build.image_facts(&ImageRef::parse("docker.io/library/python:3").unwrap()), None);
        // A digest pin of the same repository names the same image.
        Arc::make_mut(&mut build.images).get_mut("python:3").unwrap().digest = Some("sha256:abc".into());
        assert_eq!(
            build.image_facts(&ImageRef::parse("python:3@sha256:abc").unwrap()).map(|f| &f.user),
            Some(&facts.user)
        );
        assert_eq!(
            build.image_facts(&ImageRef::parse("python:3.13@sha256:abc").unwrap()).map(|f| &f.user),
            Some(&facts.user)
        );
        assert_eq!(build.image_facts(&ImageRef::parse("python:3@sha256:def").unwrap()), None);
        assert_eq!(build.image_facts(&ImageRef::parse("pythonista:3@sha256:abc").unwrap()), None);
        // So does a tag the registry showed to be the same image.
        Arc::make_mut(&mut build.images).get_mut("python:3").unwrap().same_image_tags = vec!["3.13.1".into()];
        assert_eq!(build.image_facts(&ImageRef::parse("python:3.13.1").unwrap()).map(|f| &f.user), Some(&facts.user));
        assert_eq!(build.image_facts(&ImageRef::parse("python:3.12.8").unwrap()), None);
    }
}
