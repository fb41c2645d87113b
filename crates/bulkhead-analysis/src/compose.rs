//! Compose files: the model rules read, and the engine entry point [`check_compose`].
//!
//! The model is a view over [`Yaml`]: a [`Service`] is its own mapping plus the mappings it `extends`
//! (in this file), looked up in that order, so every value a rule reads still has the byte range it is
//! written at (in the service, in the base service, or at the anchor a merge key brought it from).
//! Values are interpolated the way Compose does (`${VAR:-default}` takes its default, `$$` is `$`); a
//! value that needs a variable without a default is unknown, and an unknown value is never a finding by
//! itself.
//!
//! A service with `build:` is linked to its Dockerfile: [`Build::dockerfile_path`] names it relative to
//! the Compose file's folder, the driver reads it (the engine does no I/O) and hands its text over in
//! [`BuildContext::linked_dockerfiles`], and [`ComposeContext::dockerfile_of`] gives the rules its parse
//! and the stage the service runs (`target`, else the last one).

use bulkhead_syntax::TextRange;
pub use bulkhead_syntax::yaml::{Entry, NodeId, Yaml};

use std::collections::HashMap;

use bulkhead_syntax::{Dockerfile, InstructionKind};

use crate::config::Settings;
use crate::context::BuildContext;
use crate::diagnostic::Severity;
use crate::fix::{Applicability, Edit, Fix};
use crate::image::ImageRef;
use crate::model::{Base, EffectiveUser, Model, Stage};
use crate::rule::{Finding, Rule, RuleOptions};
use crate::suppress::{Suppressions, parse_comment};
use crate::{Report, RuleFailure};

/// The most `extends` hops followed from one service (a cycle stops there too).
const MAX_EXTENDS: usize = 16;

/// A service of a Compose file.
#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    /// The service's name, where it is written under `services:`.
    pub key: TextRange,
    /// The whole entry: name and mapping.
    pub range: TextRange,
    /// The service's own mapping, then the ones it extends.
    pub maps: Vec<NodeId>,
    /// False when what the service sets is not all in this text: the file's YAML error cut it short (keys
    /// below the error are unknown), it extends a service of another file, or it has neither `image` nor
    /// `build` (it completes a service of another file, as in `compose.override.yaml`). The rules that
    /// report a missing key skip such a service.
    pub complete: bool,
}

/// A parsed Compose file.
#[derive(Clone, Debug)]
pub struct ComposeFile {
    pub yaml: Yaml,
    pub services: Vec<Service>,
}

impl ComposeFile {
    pub fn parse(text: &str) -> Self {
        let yaml = Yaml::parse(text);
        let services = services(&yaml);
        Self { yaml, services }
    }

    pub fn text(&self) -> &str {
        self.yaml.text()
    }

    /// The text of a node as written.
    pub fn written(&self, id: NodeId) -> &str {
        let range = self.yaml.node(id).range;
        &self.text()[range.start..range.end]
    }

    /// A scalar's value, interpolated: `None` for a mapping, a sequence, or a value that needs a variable
    /// without a default.
    pub fn value(&self, id: NodeId) -> Option<String> {
        interpolate(self.yaml.scalar(id)?)
    }

    /// A value Compose reads as a boolean `true`.
    pub fn is_true(&self, id: NodeId) -> bool {
        self.value(id).is_some_and(|value| matches!(value.as_str(), "true" | "True" | "TRUE"))
    }

    /// The items of a sequence, or the value itself when it is a single scalar.
    pub fn list(&self, id: NodeId) -> Vec<NodeId> {
        match self.yaml.is_seq(id) {
            true => self.yaml.items(id).to_vec(),
            false if self.yaml.scalar(id).is_some() && !self.yaml.is_null(id) => vec![id],
            false => Vec::new(),
        }
    }

    /// The range from a key to the end of its value.
    pub fn entry_range(&self, entry: Entry) -> TextRange {
        let key = self.yaml.node(entry.key).range;
        let value = self.yaml.node(entry.value).range;
        TextRange::new(key.start, value.end.max(key.end))
    }
}

impl Service {
    /// The entry under `key`: the service's own, else the one it extends.
    pub fn get(&self, file: &ComposeFile, key: &str) -> Option<Entry> {
        self.maps.iter().find_map(|&map| file.yaml.get(map, key))
    }

    /// The value under a path of keys (`deploy`, `resources`, `limits`).
    pub fn path(&self, file: &ComposeFile, keys: &[&str]) -> Option<Entry> {
        let (first, rest) = keys.split_first()?;
        let mut entry = self.get(file, first)?;
        for key in rest {
            entry = file.yaml.get(entry.value, key)?;
        }
        Some(entry)
    }

    /// The environment: `(name, value, where)` for the map form and the list form (`NAME=value`, `NAME`).
    pub fn environment(&self, file: &ComposeFile) -> Vec<EnvVar> {
        let Some(entry) = self.get(file, "environment") else { return Vec::new() };
        variables(file, entry.value)
    }

    /// `build:` as a short string or a mapping: context, dockerfile, target.
    pub fn build(&self, file: &ComposeFile) -> Option<Build> {
        let entry = self.get(file, "build")?;
        let field = |key: &str| file.yaml.get(entry.value, key).and_then(|e| file.value(e.value));
        match file.yaml.is_map(entry.value) {
            true => Some(Build {
                context: field("context").unwrap_or_else(|| ".".to_owned()),
                dockerfile: field("dockerfile"),
                target: field("target"),
                inline: file.yaml.get(entry.value, "dockerfile_inline").map(|e| e.value),
            }),
            false => Some(Build { context: file.value(entry.value)?, dockerfile: None, target: None, inline: None }),
        }
    }

    /// The mounts of `volumes:` in their short (`src:dst:mode`) and long (`type`, `source`, `target`,
    /// `read_only`) forms.
    pub fn volumes(&self, file: &ComposeFile) -> Vec<Mount> {
        let Some(entry) = self.get(file, "volumes") else { return Vec::new() };
        let mut res = Vec::new();
        for item in file.list(entry.value) {
            let range = file.yaml.node(item).range;
            if file.yaml.is_map(item) {
                let field = |key: &str| file.yaml.get(item, key);
                let Some(source) = field("source").and_then(|e| file.value(e.value)) else { continue };
                let target = field("target").and_then(|e| file.value(e.value)).unwrap_or_default();
                let read_only = field("read_only").is_some_and(|e| file.is_true(e.value));
                let propagation = field("bind")
                    .and_then(|bind| file.yaml.get(bind.value, "propagation"))
                    .and_then(|e| file.value(e.value));
                res.push(Mount { source, target, read_only, propagation, range });
            } else if let Some(spec) = file.value(item) {
                let mut parts = spec.splitn(3, ':');
                let source = parts.next().unwrap_or_default().to_owned();
                let Some(target) = parts.next() else { continue };
                let options: Vec<&str> = parts.next().map(|mode| mode.split(',').collect()).unwrap_or_default();
                let read_only = options.contains(&"ro");
                let propagation = options.iter().find(|o| PROPAGATIONS.contains(o)).map(|o| (*o).to_owned());
                res.push(Mount { source, target: target.to_owned(), read_only, propagation, range });
            }
        }
        res
    }

    /// The indentation of the service's own keys and where a new key line goes (after the last own key),
    /// for fixes; `None` for a service written in flow style (`web: {image: x}`).
    pub fn insertion(&self, file: &ComposeFile) -> Option<Insertion> {
        let map = *self.maps.first()?;
        block_insertion(file, map)
    }
}

/// Where a key line goes in a block mapping.
#[derive(Clone, Debug)]
pub struct Insertion {
    pub offset: usize,
    pub indent: String,
    pub newline: &'static str,
    /// Text to put before the new lines (a line break when the file does not end with one).
    pub prefix: &'static str,
}

impl Insertion {
    /// The edit that inserts these lines (each given without indentation or line break; nested lines
    /// start with their own extra spaces).
    pub fn edit(&self, lines: &[&str]) -> Edit {
        let mut text = self.prefix.to_owned();
        for line in lines {
            text.push_str(&self.indent);
            text.push_str(line);
            text.push_str(self.newline);
        }
        Edit::insert(self.offset, text)
    }

    /// An unsafe fix inserting these lines.
    pub fn fix(&self, title: impl Into<String>, lines: &[&str]) -> Fix {
        Fix::new(title, Applicability::Unsafe, vec![self.edit(lines)])
    }
}

/// Where a key line goes in the block mapping `map`: after its last own entry, at its keys' indentation.
pub fn block_insertion(file: &ComposeFile, map: NodeId) -> Option<Insertion> {
    let text = file.text();
    let own: Vec<Entry> = file.yaml.entries(map).iter().copied().filter(|e| !e.merged).collect();
    let first = own.first()?;
    let key_start = file.yaml.node(first.key).range.start;
    let line_start = text[..key_start].rfind('\n').map_or(0, |idx| idx + 1);
    let indent = &text[line_start..key_start];
    if !indent.chars().all(|c| c == ' ') || text[map_start(file, map)..].starts_with('{') {
        return None;
    }
    let end = own.iter().map(|e| file.entry_range(*e).end).max()?;
    // After the line the last value ends on (a block scalar's range may already end past its line break).
    let offset = match text[..end].ends_with('\n') {
        true => end,
        false => text[end..].find('\n').map_or(text.len(), |idx| end + idx + 1),
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let prefix = if offset == text.len() && !text.ends_with('\n') { newline } else { "" };
    Some(Insertion { offset, indent: indent.to_owned(), newline, prefix })
}

fn map_start(file: &ComposeFile, map: NodeId) -> usize {
    file.yaml.node(map).range.start
}

/// `build:` of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    pub context: String,
    pub dockerfile: Option<String>,
    pub target: Option<String>,
    /// `dockerfile_inline`: the Dockerfile written in the Compose file (its node).
    pub inline: Option<NodeId>,
}

impl Build {
    /// The Dockerfile's path relative to the Compose file's folder, as Compose finds it: `dockerfile`
    /// (default `Dockerfile`) in the `context` folder, `.` and `..` resolved (`./app/../api/Dockerfile` is
    /// `api/Dockerfile`); an absolute `dockerfile` or context stays absolute. `None` for a remote context
    /// (a Git or HTTP URL), whose Dockerfile is not on this disk, and for `dockerfile_inline` (no file).
    pub fn dockerfile_path(&self) -> Option<String> {
        if self.inline.is_some() {
            return None;
        }
        let remote = self.context.contains("://") || self.context.starts_with("git@");
        if remote || self.context.is_empty() {
            return None;
        }
        let dockerfile = self.dockerfile.as_deref().unwrap_or("Dockerfile");
        let joined = match dockerfile.starts_with('/') {
            true => dockerfile.to_owned(),
            false => format!("{}/{dockerfile}", self.context),
        };
        let absolute = joined.starts_with('/');
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." if parts.last().is_some_and(|last| *last != "..") => {
                    parts.pop();
                }
                ".." if absolute => {}
                part => parts.push(part),
            }
        }
        let path = parts.join("/");
        Some(if absolute { format!("/{path}") } else { path })
    }
}

/// The Dockerfile paths a Compose file's services build ([`Build::dockerfile_path`]), each once: what a
/// driver reads into [`BuildContext::linked_dockerfiles`].
pub fn linked_dockerfile_paths(file: &ComposeFile) -> Vec<String> {
    let mut paths: Vec<String> =
        file.services.iter().filter_map(|service| service.build(file)?.dockerfile_path()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// A Dockerfile a service builds, parsed.
pub struct LinkedDockerfile {
    /// As [`Build::dockerfile_path`] writes it.
    pub path: String,
    pub file: Dockerfile,
    pub model: Model,
}

impl LinkedDockerfile {
    fn parse(path: String, text: &str) -> Self {
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        Self { path, file, model }
    }

    /// Where a stage is, for messages: `app/Dockerfile` or `app/Dockerfile` (stage `prod`).
    pub fn describe(&self, stage: &Stage) -> String {
        match (stage.name.as_deref(), self.model.is_final(stage)) {
            (Some(name), false) => format!("`{}` (stage `{name}`)", self.path),
            _ => format!("`{}`", self.path),
        }
    }
}

/// A mount of `volumes:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// The host path or volume name, interpolated.
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// A bind mount's propagation (`rshared`, `rslave`...): the long syntax's `bind.propagation` or an
    /// option of the short syntax's mode (`/mnt:/mnt:ro,rshared`); `None` when not set (`rprivate`).
    pub propagation: Option<String>,
    /// The item as written.
    pub range: TextRange,
}

/// The bind propagation modes of the short volume syntax.
const PROPAGATIONS: &[&str] = &["shared", "rshared", "slave", "rslave", "private", "rprivate"];

/// A variable of `environment:` or `build.args`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// Interpolated; `None` when unset (`NAME` alone, `NAME:` with nothing) or unknown.
    pub value: Option<String>,
    /// The raw value as YAML reads it, before interpolation.
    pub raw: Option<String>,
    /// The name (map form) or the whole item (list form).
    pub range: TextRange,
    /// The value (map form) or the whole item (list form).
    pub value_range: TextRange,
}

/// The variables of an `environment:`/`args:` value in the map or the list form.
pub fn variables(file: &ComposeFile, id: NodeId) -> Vec<EnvVar> {
    let yaml = &file.yaml;
    if yaml.is_map(id) {
        return yaml
            .entries(id)
            .iter()
            .filter_map(|entry| {
                let name = yaml.scalar(entry.key)?.to_owned();
                let raw = (!yaml.is_null(entry.value)).then(|| yaml.scalar(entry.value).map(str::to_owned)).flatten();
                let value = raw.as_deref().and_then(interpolate);
                let range = yaml.node(entry.key).range;
                Some(EnvVar { name, value, raw, range, value_range: yaml.node(entry.value).range })
            })
            .collect();
    }
    yaml.items(id)
        .iter()
        .filter_map(|&item| {
            let text = yaml.scalar(item)?;
            let range = yaml.node(item).range;
            let (name, raw) = match text.split_once('=') {
                Some((name, raw)) => (name, Some(raw.to_owned())),
                None => (text, None),
            };
            let value = raw.as_deref().and_then(interpolate);
            Some(EnvVar { name: name.trim().to_owned(), value, raw, range, value_range: range })
        })
        .collect()
}

/// The services under `services:`, each with the services it `extends` in this file.
fn services(yaml: &Yaml) -> Vec<Service> {
    let Some(root) = yaml.root() else { return Vec::new() };
    let Some(services) = yaml.get(root, "services") else { return Vec::new() };
    let entries = yaml.entries(services.value);
    let own = |name: &str| entries.iter().find(|e| yaml.scalar(e.key) == Some(name)).map(|e| e.value);
    entries
        .iter()
        .filter(|entry| yaml.is_map(entry.value))
        .filter_map(|entry| {
            let name = yaml.scalar(entry.key)?.to_owned();
            let mut maps = vec![entry.value];
            let mut complete = yaml.node(entry.value).complete;
            while maps.len() <= MAX_EXTENDS {
                let Some(extends) = maps.last().and_then(|&map| yaml.get(map, "extends")) else { break };
                // `extends: base` or `extends: {service: base}`; one with `file:` names another file.
                let base = match yaml.is_map(extends.value) {
                    true if yaml.get(extends.value, "file").is_some() => {
                        // A base in another file: what it sets is unknown here.
                        complete = false;
                        None
                    }
                    true => yaml.get(extends.value, "service").and_then(|e| yaml.scalar(e.value)),
                    false => yaml.scalar(extends.value),
                };
                match base.and_then(own) {
                    Some(map) if !maps.contains(&map) => {
                        complete &= yaml.node(map).complete;
                        maps.push(map);
                    }
                    _ => break,
                }
            }
            // Without `image` or `build` the service cannot run by itself: it completes a service of
            // another file (an override file, a fragment merged with `-f`), which may set what is missing.
            let runnable = ["image", "build"].iter().any(|key| maps.iter().any(|&map| yaml.get(map, key).is_some()));
            complete &= runnable;
            let key = yaml.node(entry.key).range;
            let range = TextRange::new(key.start, yaml.node(entry.value).range.end.max(key.end));
            Some(Service { name, key, range, maps, complete })
        })
        .collect()
}

/// Compose's interpolation: `$VAR`, `${VAR}` and `${VAR:?err}` are unknown (`None`), `${VAR:-default}`
/// and `${VAR-default}` take their default (what a checkout without an `.env` runs), `$$` is `$`.
pub fn interpolate(value: &str) -> Option<String> {
    if !value.contains('$') {
        return Some(value.to_owned());
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(idx) = rest.find('$') {
        out.push_str(&rest[..idx]);
        rest = &rest[idx + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(inner) = rest.strip_prefix('{') {
            // The matching brace, nested `${...}` in a default included.
            let mut depth = 1;
            let close = inner.char_indices().find_map(|(i, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            })?;
            let body = &inner[..close];
            let name_len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            let op = &body[name_len..];
            let default = op.strip_prefix(":-").or_else(|| op.strip_prefix('-'))?;
            out.push_str(&interpolate(default)?);
            rest = &inner[close + 1..];
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return None;
        } else {
            out.push('$');
        }
    }
    out.push_str(rest);
    Some(out)
}

/// What a Compose check sees.
pub struct ComposeContext<'a> {
    pub file: &'a ComposeFile,
    pub options: &'a RuleOptions,
    /// The driver's facts: the linked Dockerfiles' texts and, with registry look-ups on, the image facts
    /// ([`BuildContext::image_facts`]) of the images [`image_references`] lists.
    pub build: &'a BuildContext,
    /// The Dockerfiles the driver handed over, parsed once for every rule, by path.
    pub linked: HashMap<String, LinkedDockerfile>,
    /// Why the whole file looks like a development, test or example stack ([`dev_stack`]), if it does.
    pub dev_stack: Option<String>,
}

impl<'a> ComposeContext<'a> {
    /// The context of a check of `file`: the Dockerfiles of `build` its services build, parsed once, and
    /// the file's development role.
    pub fn new(file: &'a ComposeFile, build: &'a BuildContext, options: &'a RuleOptions) -> Self {
        let linked = linked_dockerfile_paths(file)
            .into_iter()
            .filter_map(|path| {
                let text = build.linked_dockerfiles.get(&path)?;
                Some((path.clone(), LinkedDockerfile::parse(path, text)))
            })
            .chain(inline_dockerfiles(file).into_iter().map(|(service, _, text)| {
                let path = inline_key(service);
                (path.clone(), LinkedDockerfile::parse(path, &text))
            }))
            .collect();
        let dev_stack = dev_stack(file, build.file_path.as_deref());
        Self { file, options, build, linked, dev_stack }
    }

    /// The image a service without `build:` runs (`image:`, interpolated); `None` with `build:` (Compose
    /// builds it), without `image:`, or when the reference needs a variable without a default.
    pub fn service_image(&self, service: &Service) -> Option<ImageRef> {
        if service.get(self.file, "build").is_some() {
            return None;
        }
        ImageRef::parse(&self.file.value(service.get(self.file, "image")?.value)?)
    }

    /// Why a service looks like a development, test or example one rather than one that is deployed: the
    /// file's ([`dev_stack`]) or the service's own `profiles:` (`dev`, `test`, `debug`...).
    pub fn dev_shaped(&self, service: &Service) -> Option<String> {
        if let Some(reason) = &self.dev_stack {
            return Some(reason.clone());
        }
        let entry = service.get(self.file, "profiles")?;
        let profile = self.file.list(entry.value).into_iter().filter_map(|item| self.file.value(item)).find(|p| {
            let lower = p.to_ascii_lowercase();
            DEV_WORDS.contains(&lower.as_str()) || lower.starts_with("dev") || lower.starts_with("test")
        })?;
        Some(format!("its profile is `{profile}`"))
    }

    /// The Dockerfile a service builds and the stage it runs: `target`, else the last stage. `None`
    /// without `build:`, when the driver could not read the Dockerfile, or when the target is not a stage
    /// of it.
    pub fn dockerfile_of(&self, service: &Service) -> Option<(&LinkedDockerfile, &Stage)> {
        let build = service.build(self.file)?;
        let key = match build.inline {
            Some(_) => inline_key(service),
            None => build.dockerfile_path()?,
        };
        let linked = self.linked.get(&key)?;
        let stage = match &build.target {
            Some(target) => linked.model.stages.get(linked.model.stage_by_name(target)?)?,
            None => linked.model.final_stage()?,
        };
        Some((linked, stage))
    }
}

/// The images whose registry facts the Compose checks read, each once, for a driver to look up when the
/// user turned registry look-ups on (the answers go to [`BuildContext::images`] under [`ImageRef::raw`]):
/// for a service that does not set `user:` or `healthcheck:` itself, the base image of the stage it builds
/// when that stage's lineage does not set `USER` or `HEALTHCHECK` either, and the `image:` of a service
/// without `build:`. `build` holds the linked Dockerfiles, as for [`check_compose_file`].
pub fn image_references(file: &ComposeFile, build: &BuildContext) -> Vec<ImageRef> {
    let options = RuleOptions::default();
    let ctx = ComposeContext::new(file, build, &options);
    let mut res: Vec<ImageRef> = Vec::new();
    for service in file.services.iter().filter(|service| service.complete) {
        let wants_user = service.get(file, "user").is_none();
        let wants_healthcheck = service.get(file, "healthcheck").is_none();
        let image = match ctx.dockerfile_of(service) {
            Some((linked, stage)) => {
                let Base::Image(image) = linked.model.root_base(stage) else { continue };
                let sets_user = !matches!(
                    linked.model.user_at(&linked.file, stage.end.saturating_sub(1)),
                    EffectiveUser::ImageDefault
                );
                let sets_healthcheck = linked.model.ancestry(stage, stage.end).iter().any(|(stage, _)| {
                    stage.instructions(&linked.file).any(|(_, i)| i.kind == InstructionKind::Healthcheck)
                });
                let needs_user = wants_user && !sets_user;
                if !needs_user && (sets_healthcheck || !wants_healthcheck) {
                    continue;
                }
                (**image).clone()
            }
            None if wants_user || wants_healthcheck => {
                let Some(image) = ctx.service_image(service) else { continue };
                image
            }
            None => continue,
        };
        res.push(image);
    }
    // The images of the Dockerfiles written inline, whose own findings are reported here.
    for (_, _, text) in inline_dockerfiles(file) {
        res.extend(crate::image_references(&bulkhead_syntax::parse(&text)));
    }
    let mut seen = std::collections::HashSet::new();
    res.retain(|image| seen.insert(image.raw.clone()));
    res
}

/// Parses and checks a Compose file: the rules with a Compose check that `settings` enables, suppression
/// comments applied (`# bulkhead ignore=...` on the line before a key silences that entry, a service name
/// included; `# bulkhead global ignore=...` the file).
pub fn check_compose(text: &str, build: &BuildContext, settings: &Settings) -> Report {
    let file = ComposeFile::parse(text);
    check_compose_file(&file, build, settings)
}

/// Checks a parsed Compose file. `build` holds the Dockerfiles its services build (the rest of a
/// Dockerfile's build context means nothing here).
pub fn check_compose_file(file: &ComposeFile, build: &BuildContext, settings: &Settings) -> Report {
    let ctx = ComposeContext::new(file, build, &settings.options);
    let suppressions = suppressions(file);
    let mut report = Report::default();
    for (rule, level) in settings.enabled_rules() {
        let Some(check) = rule.check.compose() else { continue };
        let mut findings = Vec::new();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&ctx, &mut findings))) {
            Ok(()) => report.diagnostics.extend(crate::diagnostics(&suppressions, rule, level, findings)),
            Err(payload) => {
                report.failures.push(RuleFailure { code: rule.code, message: crate::panic_message(payload.as_ref()) })
            }
        }
    }
    inline_findings(file, build, settings, &suppressions, &mut report);
    report.diagnostics.sort_by(|a, b| (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end)));
    report
}

/// How an inline Dockerfile is named among the linked ones (and in messages).
fn inline_key(service: &Service) -> String {
    format!("services.{}.build.dockerfile_inline", service.name)
}

/// The services with a `dockerfile_inline`: the service, the node and the Dockerfile's text.
fn inline_dockerfiles(file: &ComposeFile) -> Vec<(&Service, NodeId, String)> {
    file.services
        .iter()
        .filter_map(|service| {
            let node = service.build(file)?.inline?;
            Some((service, node, file.yaml.scalar(node)?.to_owned()))
        })
        .collect()
}

/// The rules whose Compose check reads the service's Dockerfile and reports at the service (BH201 root user,
/// BH601 no health check): their Dockerfile-side finding inside a `dockerfile_inline` would say the same
/// without the service's `user:`/`healthcheck:`, so only the service's is kept.
const LINKED_RULES: &[&str] = &["BH201", "BH601"];

/// The Dockerfile rules' findings on each `dockerfile_inline` written as a literal block scalar (`|`), at
/// their place in the Compose file: the Dockerfile's own suppression comments and the Compose file's apply.
/// A fix is kept when each of its edits maps back and stays on one line (a new line would need the block's
/// indentation). Another style (`>`, quoted) is linked for the cross-file rules but not reported in place:
/// its offsets do not map back exactly.
fn inline_findings(
    file: &ComposeFile,
    build: &BuildContext,
    settings: &Settings,
    suppressions: &Suppressions,
    report: &mut Report,
) {
    for (service, node, text) in inline_dockerfiles(file) {
        let Some(lines) = file.yaml.literal_lines(node) else { continue };
        let context = BuildContext { images: build.images.clone(), today: build.today, ..BuildContext::default() };
        let inline = crate::check(&text, &context, settings);
        report.failures.extend(inline.failures);
        for mut diagnostic in inline.diagnostics {
            let Some(rule) = crate::RULES.iter().find(|rule| rule.code == diagnostic.code) else { continue };
            let Some(range) = lines.range_to_text(diagnostic.range) else { continue };
            if LINKED_RULES.contains(&diagnostic.code)
                || suppressions.is_suppressed(rule, &Finding::new(range, String::new()))
            {
                continue;
            }
            diagnostic.range = range;
            diagnostic.message =
                format!("{} (in the `dockerfile_inline` of service `{}`)", diagnostic.message, service.name);
            diagnostic.fixes.retain_mut(|fix| {
                fix.new_files.is_empty()
                    && fix.edits.iter_mut().all(|edit| {
                        let mapped = lines.range_to_text(edit.range);
                        let one_line = !edit.new_text.contains('\n')
                            && !text[edit.range.start.min(text.len())..edit.range.end.min(text.len())].contains('\n');
                        match mapped {
                            Some(mapped) if one_line => {
                                edit.range = mapped;
                                true
                            }
                            _ => false,
                        }
                    })
            });
            report.diagnostics.push(diagnostic);
        }
    }
}

/// The words that name a development, test or example role in a folder, a file name (`compose.dev.yaml`),
/// a build target or a profile.
const DEV_WORDS: &[&str] = &[
    "dev",
    "development",
    "devcontainer",
    "local",
    "debug",
    "test",
    "tests",
    "testing",
    "testdata",
    "e2e",
    "ci",
    "fixture",
    "fixtures",
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "sandbox",
    "playground",
];

/// Words of a command that starts a development server or keeps a dev container idle.
const DEV_COMMANDS: &[&str] = &[
    "sleep infinity",
    "tail -f /dev/null",
    "npm run dev",
    "npm run start:dev",
    "yarn dev",
    "yarn run dev",
    "pnpm dev",
    "pnpm run dev",
    "nodemon",
    "--reload",
    "manage.py runserver",
    "flask run",
    "fastapi dev",
];

/// Environment variables whose value says the development mode (`NODE_ENV=development`).
const DEV_ENVIRONMENTS: &[&str] =
    &["NODE_ENV", "RAILS_ENV", "APP_ENV", "FLASK_ENV", "FASTAPI_ENV", "ASPNETCORE_ENVIRONMENT", "MIX_ENV"];

/// Why a Compose file looks like a development, test or example stack rather than one that is deployed, in
/// words for a message; `None` when nothing says so. From its path (a `.devcontainer`, `test(s)`,
/// `testdata`, `e2e`, `fixtures`, `example(s)`, `sample(s)` or `demo(s)` folder; a name like
/// `compose.dev.yaml` or `docker-compose.test.yml`) or from one of its services: a bind mount of the
/// project's source (`.:/app`, `../..:/workspaces`), a `develop:` section (Compose Watch), a command that
/// runs a development server or idles (`npm run dev`, `--reload`, `sleep infinity`), a `build.target` like
/// `dev`, or `NODE_ENV` (and the like) set to `development`. Production stacks run built images: they mount configuration and data, not the
/// source tree.
pub fn dev_stack(file: &ComposeFile, path: Option<&str>) -> Option<String> {
    if let Some(path) = path {
        let mut parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
        let name = parts.pop().unwrap_or_default();
        if let Some(dir) = parts.iter().rev().find(|dir| {
            let lower = dir.to_ascii_lowercase();
            lower == ".devcontainer" || (DEV_WORDS.contains(&lower.as_str()) && lower != "local")
        }) {
            return Some(format!("the file is in a `{dir}` folder"));
        }
        let lower = name.to_ascii_lowercase();
        let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(stem, _)| stem);
        if let Some(word) = stem.split(['.', '-', '_']).find(|word| DEV_WORDS.contains(word)) {
            return Some(format!("the file's name says `{word}`"));
        }
    }
    file.services.iter().find_map(|service| dev_service(file, service))
}

/// What makes one service a development one (see [`dev_stack`]).
fn dev_service(file: &ComposeFile, service: &Service) -> Option<String> {
    let name = &service.name;
    let source = |source: &str| {
        let trimmed = source.trim_end_matches('/');
        !trimmed.is_empty() && trimmed.split('/').all(|part| part == "." || part == "..")
    };
    if service.get(file, "develop").is_some() {
        return Some(format!("service `{name}` has a `develop:` section (Compose Watch)"));
    }
    if let Some(image) = example_image(file, service) {
        return Some(format!("service `{name}` runs the example image `{image}`"));
    }
    if let Some(mount) = service.volumes(file).into_iter().find(|mount| source(&mount.source)) {
        return Some(format!("service `{name}` mounts the source tree (`{}` on `{}`)", mount.source, mount.target));
    }
    for key in ["command", "entrypoint"] {
        let Some(entry) = service.get(file, key) else { continue };
        let words: Vec<String> = file.list(entry.value).into_iter().filter_map(|item| file.value(item)).collect();
        let line = words.join(" ");
        if let Some(command) = DEV_COMMANDS.iter().find(|command| line.contains(**command)) {
            return Some(format!("service `{name}` runs `{command}`"));
        }
    }
    if let Some(target) = service.build(file).and_then(|build| build.target) {
        let lower = target.to_ascii_lowercase();
        if DEV_WORDS.contains(&lower.as_str()) || lower.starts_with("dev") || lower.starts_with("debug") {
            return Some(format!("service `{name}` builds the `{target}` target"));
        }
    }
    service.environment(file).into_iter().find_map(|var| {
        let value = var.value?;
        let dev = DEV_ENVIRONMENTS.contains(&var.name.as_str())
            && matches!(value.to_ascii_lowercase().as_str(), "dev" | "development" | "local");
        dev.then(|| format!("service `{name}` sets `{}={value}`", var.name))
    })
}

/// The words of an image's name (its last path component) that say it is published as an example, a demo
/// or a sample (`quay.io/debezium/example-postgres`, `debezium/tensorflow-demo`): an image made for a
/// tutorial or a demo (often a database seeded with example data), not one a deployed stack runs. Exact
/// words only, as for folders: `examplevotingapp` does not count; nor does a namespace, which names an
/// owner (`example/api` is the usual placeholder for your own image, `nginxdemos/hello`).
const EXAMPLE_IMAGE_WORDS: &[&str] = &["example", "examples", "sample", "samples", "demo", "demos"];

/// The `image:` of a service whose name (registry, namespace and tag left out; the tag may be an unknown
/// variable, the name must be literal) has a word of [`EXAMPLE_IMAGE_WORDS`].
fn example_image(file: &ComposeFile, service: &Service) -> Option<String> {
    let raw = file.yaml.scalar(service.get(file, "image")?.value)?;
    let name = raw.split('@').next().unwrap_or(raw);
    let last_slash = name.rfind('/').map_or(0, |idx| idx + 1);
    let repository = name[last_slash..].rfind(':').map_or(name, |idx| &name[..last_slash + idx]);
    if repository.contains('$') {
        return None;
    }
    let image = ImageRef::parse(repository)?;
    let example = image
        .name()
        .split(['-', '_', '.'])
        .any(|word| EXAMPLE_IMAGE_WORDS.contains(&word.to_ascii_lowercase().as_str()));
    example.then(|| raw.to_owned())
}

/// The suppression comments of a Compose file: each applies to the entry that starts on the next line
/// with content (the whole entry: a service name's comment covers the service).
fn suppressions(file: &ComposeFile) -> Suppressions {
    let text = file.text();
    let mut res = Suppressions::default();
    for comment in file.yaml.comments() {
        let Some(parsed) = parse_comment(&comment.text) else { continue };
        if parsed.global {
            res.add_global(parsed.selectors);
            continue;
        }
        // The first content after the comment's line.
        let mut offset = comment.range.end;
        let target = loop {
            let Some(line_end) = text[offset..].find('\n') else { break None };
            offset += line_end + 1;
            let line = &text[offset..];
            let content = line.trim_start_matches([' ', '\t']);
            let start = offset + (line.len() - content.len());
            if content.starts_with('#') || content.starts_with(['\r', '\n']) {
                continue;
            }
            break (start < text.len()).then_some(start);
        };
        let Some(start) = target else { continue };
        // The widest node or entry that starts there.
        let end = entry_end(file, start).unwrap_or_else(|| text[start..].find('\n').map_or(text.len(), |i| start + i));
        res.add_scoped(TextRange::new(start, end.max(start + 1)), parsed.selectors);
    }
    res
}

/// The end of the widest mapping entry or sequence item that starts at `start`.
fn entry_end(file: &ComposeFile, start: usize) -> Option<usize> {
    let yaml = &file.yaml;
    let mut end = None;
    for (id, node) in yaml.nodes().iter().enumerate() {
        for entry in yaml.entries(id) {
            let range = file.entry_range(*entry);
            if range.start == start && !entry.merged {
                end = end.max(Some(range.end));
            }
        }
        if node.range.start == start {
            end = end.max(Some(node.range.end));
        }
    }
    end
}

/// A finding on a service for something it lacks: at the service's name.
pub fn missing(service: &Service, message: String) -> Finding {
    Finding::new(service.key, message)
}

/// The severity levels a rule reports with, for the rules with two.
pub fn level(error: bool) -> Severity {
    if error { Severity::Error } else { Severity::Warning }
}

/// The rules of the registry that check Compose files.
pub fn compose_rules() -> impl Iterator<Item = &'static Rule> {
    crate::RULES.iter().copied().filter(|rule| rule.check.compose().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation() {
        assert_eq!(interpolate("nginx:${TAG:-1.27}").as_deref(), Some("nginx:1.27"));
        assert_eq!(interpolate("${A-${B:-x}}y").as_deref(), Some("xy"));
        assert_eq!(interpolate("$$HOME").as_deref(), Some("$HOME"));
        assert_eq!(interpolate("${TAG}"), None);
        assert_eq!(interpolate("$TAG"), None);
        assert_eq!(interpolate("${TAG:?set it}"), None);
        assert_eq!(interpolate("${unclosed"), None);
        assert_eq!(interpolate("a $ b").as_deref(), Some("a $ b"));
    }

    #[test]
    fn services_extends_and_forms() {
        let text = "x-base: &base\n  cap_add: [SYS_ADMIN]\nservices:\n  base:\n    privileged: true\n  web:\n    extends: base\n    <<: *base\n    environment:\n      - A=1\n      - B\n    volumes:\n      - /:/host:ro\n      - type: bind\n        source: /var/run/docker.sock\n        target: /s\n    build:\n      context: ./app\n      target: prod\n";
        let file = ComposeFile::parse(text);
        assert!(file.yaml.error().is_none());
        let web = file.services.iter().find(|s| s.name == "web").unwrap();
        assert!(file.is_true(web.get(&file, "privileged").unwrap().value));
        assert!(web.get(&file, "cap_add").is_some());
        let env = web.environment(&file);
        assert_eq!((env[0].name.as_str(), env[0].value.as_deref()), ("A", Some("1")));
        assert_eq!((env[1].name.as_str(), env[1].value.as_deref()), ("B", None));
        let mounts = web.volumes(&file);
        assert_eq!((mounts[0].source.as_str(), mounts[0].read_only), ("/", true));
        assert_eq!(mounts[1].source, "/var/run/docker.sock");
        let build = web.build(&file).unwrap();
        assert_eq!((build.context.as_str(), build.target.as_deref()), ("./app", Some("prod")));
        let insertion = web.insertion(&file).unwrap();
        assert_eq!(insertion.indent, "    ");
        assert_eq!(insertion.offset, text.len());
    }

    #[test]
    fn development_stacks() {
        let plain = ComposeFile::parse(
            "services:\n  web:\n    image: nginx:1.27\n    volumes: [./conf:/etc/nginx/conf.d:ro]\n",
        );
        for path in [
            ".devcontainer/docker-compose.yml",
            "app/tests/compose.yaml",
            "examples/x/compose.yml",
            "compose.dev.yaml",
            "docker-compose.test.yml",
            "a\\e2e\\compose.yaml",
        ] {
            assert!(dev_stack(&plain, Some(path)).is_some(), "{path}");
        }
        for path in [
            "compose.yaml",
            "deploy/prod/compose.yaml",
            "contest/compose.yaml",
            "/usr/local/app/compose.prod.yaml",
            "docker-compose.override.yml",
        ] {
            assert_eq!(dev_stack(&plain, Some(path)), None, "{path}");
        }
        assert_eq!(dev_stack(&plain, None), None);
        let shaped = |service: &str| {
            dev_stack(
                &ComposeFile::parse(&format!(
                    "services:\n  db:\n    image: postgres:17\n  app:\n    image: x:1\n{service}"
                )),
                None,
            )
        };
        assert!(shaped("    volumes: [\".:/app\"]\n").unwrap().contains("mounts the source tree"));
        assert!(shaped("    volumes: [\"../..:/workspaces:cached\"]\n").is_some());
        assert!(shaped("    command: [\"npm\", \"run\", \"dev\"]\n").unwrap().contains("npm run dev"));
        assert!(shaped("    build: {context: ., target: development}\n").is_some());
        assert!(shaped("    environment: [NODE_ENV=development]\n").is_some());
        // An image published as an example, whatever its tag.
        let image = |image: &str| {
            dev_stack(
                &ComposeFile::parse(&format!("services:\n  db:\n    image: {image}\n  web:\n    image: x:1\n")),
                None,
            )
        };
        assert!(image("quay.io/debezium/example-postgres:${V}").unwrap().contains("example image"));
        assert!(image("debezium/tensorflow-demo").is_some());
        // The image's own name: a namespace is an owner (`example/api` is the usual placeholder for yours).
        for name in [
            "nginxdemos/hello:1",
            "dockersamples/examplevotingapp_vote",
            "${REPO}/demo:1",
            "demo.io/app:1",
            "example/api:3.2",
            "google-samples/gb-frontend:v4",
        ] {
            assert_eq!(image(name), None, "{name}");
        }
        assert_eq!(
            shaped("    volumes: [\"./src:/app/src\", \"/data:/data\"]\n    environment: {NODE_ENV: production}\n"),
            None
        );
    }
}
