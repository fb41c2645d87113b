//! Completion: what may be typed at a cursor, from the parse and the model alone (no I/O, no network: image
//! tags come only from registry facts the caller already holds).
//!
//! - at the start of a line: instruction keywords as snippets (`FROM x AS y`, a `USER` that creates a
//!   non-root user with the stage's distribution tools, a `HEALTHCHECK` probing the exposed port);
//! - `--` before an instruction's arguments: its flags; inside `--mount=`, keys and values by mount type;
//!   after `--from=`, the earlier stages;
//! - after `$` or `${`: the variables in scope there, with their values;
//! - the image of `FROM`: common official images, earlier stages, and known tags of an image;
//! - comments: parser directives on the first lines, rule codes after `# bulkhead ignore=` and
//!   `# hadolint ignore=`.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange, floor_char_boundary};

use crate::context::BuildContext;
use crate::knowledge::Distro;
use crate::model::{Model, Stage, VarDef};
use crate::rules::RULES;

/// What a completion item is, for the client's icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Snippet,
    Flag,
    Value,
    Variable,
    Stage,
    Image,
    Directive,
    Rule,
}

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// The text that replaces [`Self::replace`]: a snippet with tab stops (`${1:name}`) when `snippet`.
    pub insert: String,
    pub snippet: bool,
    /// The text the item replaces: what was typed of it.
    pub replace: TextRange,
    /// A key for [`resolve_documentation`], which writes the item's documentation on demand.
    pub doc_key: Option<String>,
}

impl CompletionItem {
    fn new(label: impl Into<String>, kind: CompletionKind, replace: TextRange) -> Self {
        let label = label.into();
        Self { insert: label.clone(), label, kind, detail: None, snippet: false, replace, doc_key: None }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    fn snippet(mut self, insert: impl Into<String>) -> Self {
        self.insert = insert.into();
        self.snippet = true;
        self
    }

    fn insert(mut self, insert: impl Into<String>) -> Self {
        self.insert = insert.into();
        self
    }

    fn doc(mut self, key: impl Into<String>) -> Self {
        self.doc_key = Some(key.into());
        self
    }
}

/// The completions at `offset`.
pub fn complete(file: &Dockerfile, model: &Model, build: &BuildContext, offset: usize) -> Vec<CompletionItem> {
    let text = file.text();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let lines = file.line_index();
    let line_start = lines.line_start(lines.line_of(offset)).min(offset);
    let prefix = &text[line_start..offset];
    if let Some(hash) = prefix.trim_start().strip_prefix('#') {
        let instruction = file.instruction_at(offset);
        // A `#` line inside an instruction's continuation is a comment too; one inside a heredoc is not.
        if instruction.is_none_or(|i| i.heredocs.iter().all(|h| !h.body.touches(offset))) {
            return comment_completions(file, offset, line_start, hash);
        }
    }
    let instruction = file.instruction_at(offset).filter(|i| i.range.start <= offset);
    let Some((idx, instruction)) = instruction.map(|i| (index_of(file, i), i)) else {
        return keyword_completions(file, model, offset, prefix, None);
    };
    if instruction.heredocs.iter().any(|h| h.body.start <= offset && offset <= h.terminator.end) {
        return variable_completions(file, model, idx, offset);
    }
    if offset <= instruction.keyword.range.end {
        return keyword_completions(file, model, offset, prefix, Some(instruction));
    }
    let word_start = word_start(text, offset, line_start);
    let word = &text[word_start..offset];
    if word.contains('$') {
        let vars = variable_completions(file, model, idx, offset);
        if !vars.is_empty() || word.ends_with('$') || word.ends_with("${") {
            return vars;
        }
    }
    // An `ONBUILD` registers an instruction: its keyword comes first.
    if instruction.kind == InstructionKind::Onbuild
        && instruction.trigger.as_ref().is_none_or(|t| offset <= t.keyword.range.end)
    {
        return keyword_completions(file, model, offset, word, None)
            .into_iter()
            .filter(|item| {
                !matches!(item.label.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") && !item.label.starts_with("FROM ")
            })
            .collect();
    }
    let replace = TextRange::new(word_start, offset);
    if word.starts_with("--") {
        return flag_completions(model, idx, instruction, word, word_start);
    }
    let mut items = Vec::new();
    let position = instruction.words.iter().filter(|w| w.range.end < word_start).count();
    match instruction.kind {
        InstructionKind::From => {
            let stage = model.stages.iter().position(|s| s.from == idx).unwrap_or(model.stages.len());
            match position {
                0 => items.extend(image_completions(model, build, stage, word, replace)),
                1 => items.push(CompletionItem::new("AS", CompletionKind::Keyword, replace).insert("AS ")),
                _ => {}
            }
        }
        InstructionKind::Healthcheck if position == 0 => {
            for (label, detail) in [
                ("CMD", "the command that probes the container"),
                ("NONE", "no health check, not even the base image's"),
            ] {
                items.push(CompletionItem::new(label, CompletionKind::Keyword, replace).detail(detail));
            }
        }
        _ => {}
    }
    // Flags go before the arguments; after what the position offers.
    let before_args = instruction.rest.as_ref().is_none_or(|rest| offset <= rest.range.start);
    if before_args && (word.is_empty() || word.starts_with('-')) {
        items.extend(flag_completions(model, idx, instruction, word, word_start));
    }
    items
}

/// The position of `instruction` in the file's instruction list.
fn index_of(file: &Dockerfile, instruction: &Instruction) -> usize {
    let instructions = file.instructions();
    instructions.partition_point(|i| i.range.start < instruction.range.start).min(instructions.len().saturating_sub(1))
}

/// Where the whitespace-separated word that ends at `offset` starts (not before `line_start`).
fn word_start(text: &str, offset: usize, line_start: usize) -> usize {
    text[line_start..offset]
        .char_indices()
        .rev()
        .find(|(_, ch)| ch.is_whitespace())
        .map_or(line_start, |(pos, ch)| line_start + pos + ch.len_utf8())
}

/// Parser directives on the first lines, rule codes in suppression comments.
fn comment_completions(file: &Dockerfile, offset: usize, line_start: usize, after_hash: &str) -> Vec<CompletionItem> {
    let text = file.text();
    let in_directives = file.instructions().first().is_none_or(|i| i.range.start >= offset)
        && file.comments().iter().all(|c| c.range.start >= line_start);
    let body = after_hash.trim_start();
    let token_start = offset - after_hash.len() + (after_hash.len() - body.len());
    // The list item being typed: after the last `=`, `,` or space.
    let item_start = text[token_start..offset].rfind([',', '=', ' ']).map_or(token_start, |pos| token_start + pos + 1);
    let replace = TextRange::new(item_start, offset);
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if in_directives {
        if compact.starts_with("check=skip=") {
            return crate::suppress::BUILDKIT_CHECKS
                .iter()
                .map(|check| CompletionItem::new(*check, CompletionKind::Value, replace).detail("BuildKit check"))
                .collect();
        }
        if compact.starts_with("syntax=") {
            return ["docker/dockerfile:1", "docker/dockerfile:1-labs"]
                .iter()
                .map(|v| CompletionItem::new(*v, CompletionKind::Value, replace).detail("Dockerfile frontend image"))
                .collect();
        }
        if compact.starts_with("escape=") {
            return [("\\", "the default escape character"), ("`", "the escape character on Windows")]
                .iter()
                .map(|(v, detail)| CompletionItem::new(*v, CompletionKind::Value, replace).detail(*detail))
                .collect();
        }
        if !body.contains('=') {
            let replace = TextRange::new(token_start, offset);
            return DIRECTIVES
                .iter()
                .map(|(name, insert, detail)| {
                    CompletionItem::new(*name, CompletionKind::Directive, replace)
                        .snippet(*insert)
                        .detail(*detail)
                        .doc(format!("directive:{name}"))
                })
                .collect();
        }
        return Vec::new();
    }
    let tool = ["bulkhead", "hadolint"].into_iter().find(|tool| compact.starts_with(tool));
    match tool {
        Some(tool) if compact.contains("ignore=") => rule_completions(tool, replace),
        Some(_) => Vec::new(),
        None if !body.contains(' ') => {
            let replace = TextRange::new(token_start, offset);
            ["bulkhead ignore=", "bulkhead global ignore=", "hadolint ignore="]
                .iter()
                .map(|label| CompletionItem::new(*label, CompletionKind::Directive, replace).detail("silence rules"))
                .collect()
        }
        None => Vec::new(),
    }
}

/// Rule codes and names for `# bulkhead ignore=`; the peer's codes that map to ours for `# hadolint ignore=`.
fn rule_completions(tool: &str, replace: TextRange) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    for rule in RULES.iter() {
        if tool == "hadolint" {
            for alias in rule.aliases.iter().filter(|a| a.starts_with("DL") || a.starts_with("SC")) {
                items.push(
                    CompletionItem::new(*alias, CompletionKind::Rule, replace)
                        .detail(format!("{} {}: {}", rule.code, rule.name, rule.summary))
                        .doc(format!("rule:{}", rule.code)),
                );
            }
            continue;
        }
        items.push(
            CompletionItem::new(rule.code, CompletionKind::Rule, replace)
                .detail(format!("{}: {}", rule.name, rule.summary))
                .doc(format!("rule:{}", rule.code)),
        );
        items.push(
            CompletionItem::new(rule.name, CompletionKind::Rule, replace)
                .detail(format!("{}: {}", rule.code, rule.summary))
                .doc(format!("rule:{}", rule.code)),
        );
    }
    items
}

/// Instruction keywords, as snippets.
fn keyword_completions(
    file: &Dockerfile,
    model: &Model,
    offset: usize,
    prefix: &str,
    instruction: Option<&Instruction>,
) -> Vec<CompletionItem> {
    let typed = prefix.trim_start();
    if !typed.chars().all(|c| c.is_ascii_alphabetic()) {
        return Vec::new();
    }
    let replace = match instruction {
        Some(i) if i.keyword.range.touches(offset) => i.keyword.range,
        _ => TextRange::new(offset - typed.len(), offset),
    };
    // The stage the new line goes into: that of the last instruction before the cursor.
    let instructions = file.instructions();
    let before = instructions.partition_point(|i| i.range.start < replace.start);
    let stage = before.checked_sub(1).and_then(|idx| model.stage_of(idx));
    let mut items = Vec::new();
    for (keyword, snippet, detail) in KEYWORDS {
        items.push(
            CompletionItem::new(*keyword, CompletionKind::Keyword, replace)
                .snippet(*snippet)
                .detail(*detail)
                .doc(format!("keyword:{keyword}")),
        );
    }
    items.push(
        CompletionItem::new("FROM … AS …", CompletionKind::Snippet, replace)
            .snippet("FROM ${1:image} AS ${2:name}")
            .detail("a named build stage")
            .doc("keyword:FROM"),
    );
    items.push(
        CompletionItem::new("COPY --from=…", CompletionKind::Snippet, replace)
            .snippet("COPY --from=${1:stage} ${2:source} ${3:destination}")
            .detail("copy files from an earlier stage")
            .doc("keyword:COPY"),
    );
    if let Some(stage) = stage {
        items.push(user_snippet(stage, replace));
        items.push(healthcheck_snippet(file, model, stage, replace));
    }
    items
}

/// A `USER` that creates a non-root user the way the stage's distribution does it (BH201's fix).
fn user_snippet(stage: &Stage, replace: TextRange) -> CompletionItem {
    let item = CompletionItem::new("USER (non-root)", CompletionKind::Snippet, replace).doc("keyword:USER");
    // The user gets a fixed UID and is named by it, as BH201's fix does: `USER app` would be BH203.
    match (stage.distro, stage.distro.create_user_with_id_command("${1:app}", 10001)) {
        (Distro::Distroless, _) => item.snippet("USER ${1:65532:65532}").detail("distroless' built-in non-root user"),
        (distro, Some(command)) => item
            .snippet(format!("RUN {command}\nUSER 10001:10001"))
            .detail(format!("create a system user with UID 10001 with {}'s tools and switch to it", distro.name())),
        (_, None) => item.snippet("USER ${1:65532:65532}").detail("a numeric user needs no /etc/passwd entry"),
    }
}

/// A `HEALTHCHECK` probing the first port the stage (or its ancestors) exposes.
fn healthcheck_snippet(file: &Dockerfile, model: &Model, stage: &Stage, replace: TextRange) -> CompletionItem {
    let instructions = file.instructions();
    let port = model.ancestry(stage, stage.end).into_iter().find_map(|(stage, limit)| {
        (stage.from + 1..limit.min(stage.end))
            .filter_map(|idx| instructions.get(idx).map(|i| (idx, i)))
            .filter(|(_, i)| i.kind == InstructionKind::Expose)
            .flat_map(|(idx, i)| i.words.iter().map(move |w| (idx, w)))
            .find_map(|(idx, word)| {
                let value = model.expand_at(idx, &word.value)?;
                let number = value.split('/').next()?.split('-').next()?;
                number.parse::<u16>().ok().filter(|port| *port > 0)
            })
    });
    let probe = if matches!(stage.distro, Distro::Alpine | Distro::Busybox) { "wget -q --spider" } else { "curl -fsS" };
    let port = port.map_or("${2:8080}".to_owned(), |port| format!("${{2:{port}}}"));
    CompletionItem::new("HEALTHCHECK (probe)", CompletionKind::Snippet, replace)
        .snippet(format!(
            "HEALTHCHECK --interval=${{3:30s}} --timeout=${{4:3s}} --retries=${{5:3}} CMD ${{1:{probe}}} http://127.0.0.1:{port}/ || exit 1"
        ))
        .detail("probe the exposed port over HTTP")
        .doc("keyword:HEALTHCHECK")
}

/// The flags of an instruction, or the values of the flag being typed (`typed`, dashes included, starts at
/// `word_start`).
fn flag_completions(
    model: &Model,
    idx: usize,
    instruction: &Instruction,
    typed: &str,
    word_start: usize,
) -> Vec<CompletionItem> {
    let kind = instruction.kind;
    let flag = typed.trim_start_matches('-');
    let dashes = typed.len() - flag.len();
    if let Some((name, value)) = flag.split_once('=') {
        let value_start = word_start + dashes + name.len() + 1;
        let replace = TextRange::new(value_start, value_start + value.len());
        let values = |values: &[(&str, &str)]| -> Vec<CompletionItem> {
            values.iter().map(|(v, d)| CompletionItem::new(*v, CompletionKind::Value, replace).detail(*d)).collect()
        };
        return match (kind, name.to_ascii_lowercase().as_str()) {
            (InstructionKind::Copy | InstructionKind::Add, "from") => stage_completions(model, idx, replace),
            (InstructionKind::Run, "mount") => mount_completions(model, idx, value, value_start),
            (InstructionKind::Run, "network") => values(&[
                ("default", "the default network"),
                ("none", "no network access"),
                ("host", "the host's network (needs the network.host entitlement)"),
            ]),
            (InstructionKind::Run, "security") => values(&[
                ("sandbox", "the default sandbox"),
                ("insecure", "privileged (needs the security.insecure entitlement)"),
            ]),
            (InstructionKind::From, "platform") => values(&[
                ("$BUILDPLATFORM", "the platform of the builder"),
                ("$TARGETPLATFORM", "the platform being built"),
                ("linux/amd64", "64-bit x86"),
                ("linux/arm64", "64-bit ARM"),
            ]),
            (InstructionKind::Copy | InstructionKind::Add, "chown") => values(&[("${1:1000}:${2:1000}", "user:group")])
                .into_iter()
                .map(|item| CompletionItem { label: "uid:gid".to_owned(), snippet: true, ..item })
                .collect(),
            (InstructionKind::Copy | InstructionKind::Add, "chmod") => {
                values(&[("0755", "rwxr-xr-x"), ("0644", "rw-r--r--"), ("0555", "r-xr-xr-x"), ("0444", "r--r--r--")])
            }
            (InstructionKind::Add, "checksum") => values(&[("sha256:", "the SHA-256 digest of the download")]),
            _ => Vec::new(),
        };
    }
    let replace = TextRange::new(word_start, word_start + typed.len());
    FLAGS
        .iter()
        .filter(|(kinds, ..)| kinds.contains(&kind))
        .map(|(_, name, snippet, detail)| {
            CompletionItem::new(format!("--{name}"), CompletionKind::Flag, replace)
                .snippet(format!("--{name}{snippet}"))
                .detail(*detail)
        })
        .collect()
}

/// Keys and values inside `--mount=`, by the mount's type.
fn mount_completions(model: &Model, idx: usize, value: &str, value_start: usize) -> Vec<CompletionItem> {
    let field_start = value.rfind(',').map_or(0, |pos| pos + 1);
    let field = &value[field_start..];
    let mount_type = value
        .split(',')
        .find_map(|f| f.strip_prefix("type="))
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "bind".to_owned());
    if let Some((key, typed)) = field.split_once('=') {
        let start = value_start + field_start + key.len() + 1;
        let replace = TextRange::new(start, start + typed.len());
        let values: &[(&str, &str)] = match key.to_ascii_lowercase().as_str() {
            "type" => &[
                ("cache", "a cache kept between builds (package caches)"),
                ("secret", "a secret file or variable, never stored in the image"),
                ("bind", "files of the context or of another stage, read-only"),
                ("ssh", "the SSH agent socket of the client"),
                ("tmpfs", "an in-memory file system"),
            ],
            "sharing" => {
                &[("shared", "writers at once"), ("private", "one per writer"), ("locked", "one writer at a time")]
            }
            "required" | "readonly" | "ro" | "rw" => &[("true", ""), ("false", "")],
            "from" => return stage_completions(model, idx, replace),
            _ => &[],
        };
        return values
            .iter()
            .map(|(v, d)| CompletionItem::new(*v, CompletionKind::Value, replace).detail(*d))
            .collect();
    }
    let replace = TextRange::new(value_start + field_start, value_start + value.len());
    let keys: &[(&str, &str)] = match mount_type.as_str() {
        "secret" => &[
            ("id", "the secret's id (`docker build --secret id=...`)"),
            ("target", "where the file appears (default /run/secrets/<id>)"),
            ("env", "an environment variable that holds the secret instead of a file"),
            ("required", "fail the build when the secret is missing"),
            ("mode", "file mode"),
            ("uid", "owner"),
            ("gid", "group"),
        ],
        "cache" => &[
            ("target", "the cached directory"),
            ("id", "which cache (default: the target)"),
            ("sharing", "shared, private or locked"),
            ("from", "a stage to seed the cache from"),
            ("source", "a path in `from`"),
            ("mode", "directory mode"),
            ("uid", "owner"),
            ("gid", "group"),
            ("readonly", "read-only"),
        ],
        "ssh" => &[
            ("id", "the SSH agent or key id (default: default)"),
            ("target", "the socket path"),
            ("required", "fail the build without an agent"),
            ("mode", "socket mode"),
            ("uid", "owner"),
            ("gid", "group"),
        ],
        "tmpfs" => &[("target", "where to mount it"), ("size", "the size limit")],
        _ => &[
            ("target", "where to mount it"),
            ("source", "the path in `from` (default: its root)"),
            ("from", "a stage or image to mount (default: the build context)"),
            ("rw", "writable (the writes are discarded)"),
        ],
    };
    let mut items: Vec<CompletionItem> = keys
        .iter()
        .map(|(key, detail)| CompletionItem::new(format!("{key}="), CompletionKind::Value, replace).detail(*detail))
        .collect();
    if !value.contains("type=") {
        items.push(
            CompletionItem::new("type=", CompletionKind::Value, replace).detail("bind, cache, secret, ssh or tmpfs"),
        );
    }
    items
}

/// The stages declared before the stage of instruction `idx`.
fn stage_completions(model: &Model, idx: usize, replace: TextRange) -> Vec<CompletionItem> {
    let current = model.stage_of(idx).map_or(0, |stage| stage.index);
    stages_before(model, current, replace)
}

fn stages_before(model: &Model, current: usize, replace: TextRange) -> Vec<CompletionItem> {
    model.stages[..current.min(model.stages.len())]
        .iter()
        .filter_map(|stage| {
            let name = stage.name.as_ref()?;
            let item = CompletionItem::new(name.clone(), CompletionKind::Stage, replace);
            Some(match &stage.base_raw {
                Some(base) => item.detail(format!("stage {} from {base}", stage.index)),
                None => item.detail(format!("stage {}", stage.index)),
            })
        })
        .collect()
}

/// The image word of `FROM`: earlier stages, `scratch`, common official images, and the tags the caller's
/// registry facts list for an image.
fn image_completions(
    model: &Model,
    build: &BuildContext,
    stage: usize,
    word: &str,
    replace: TextRange,
) -> Vec<CompletionItem> {
    if let Some((image, typed)) = word.split_once(':') {
        let replace = TextRange::new(replace.end - typed.len(), replace.end);
        let mut tags: Vec<&str> = Vec::new();
        for (reference, facts) in build.images.iter() {
            let name = reference.split([':', '@']).next().unwrap_or(reference);
            if name == image {
                tags.extend(facts.tag_candidates.iter().chain(&facts.same_image_tags).map(String::as_str));
                tags.extend(reference.split_once(':').map(|(_, tag)| tag));
            }
        }
        tags.sort_unstable();
        tags.dedup();
        return tags
            .into_iter()
            .map(|tag| CompletionItem::new(tag, CompletionKind::Value, replace).detail("tag seen in the registry"))
            .collect();
    }
    let mut items = stages_before(model, stage, replace);
    items.push(CompletionItem::new("scratch", CompletionKind::Image, replace).detail("the empty image"));
    for (image, detail) in IMAGES {
        items.push(CompletionItem::new(*image, CompletionKind::Image, replace).detail(*detail));
    }
    items
}

/// The variables visible at instruction `idx` for the `$`/`${` right before `offset`.
fn variable_completions(file: &Dockerfile, model: &Model, idx: usize, offset: usize) -> Vec<CompletionItem> {
    let text = file.text();
    let before = &text[..offset];
    let name_len = before.bytes().rev().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let name_start = offset - name_len;
    let head = &before[..name_start];
    let braced = head.ends_with("${");
    if !braced && !head.ends_with('$') {
        return Vec::new();
    }
    let replace = TextRange::new(name_start, name_start + name_len);
    let mut defs: Vec<&VarDef> = Vec::new();
    match model.stage_of(idx).filter(|stage| stage.from != idx) {
        None => defs.extend(model.global_args.iter().filter(|def| def.instruction < idx)),
        Some(stage) => {
            for (stage, limit) in model.ancestry(stage, idx) {
                defs.extend(stage.vars.iter().filter(|def| def.instruction < limit));
            }
        }
    }
    // Nearest first: the declaration a use would see.
    defs.reverse();
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::new();
    for def in defs {
        if def.name.is_empty() || !seen.insert(def.name.as_str()) {
            continue;
        }
        let kind = def.kind.keyword();
        let detail = match &def.value {
            Some(value) => format!("{kind} {} = {value}", def.name),
            None => format!("{kind} {} (set at build time)", def.name),
        };
        items.push(CompletionItem::new(def.name.clone(), CompletionKind::Variable, replace).detail(detail));
    }
    for name in crate::model::PLATFORM_ARGS {
        if seen.insert(name) && model.stage_of(idx).is_none_or(|stage| stage.from == idx) {
            items.push(CompletionItem::new(*name, CompletionKind::Variable, replace).detail("predefined by BuildKit"));
        }
    }
    items
}

/// The documentation of a completion item, by its [`CompletionItem::doc_key`] (markdown).
pub fn resolve_documentation(key: &str) -> Option<String> {
    if let Some(code) = key.strip_prefix("rule:") {
        let rule = RULES.iter().find(|rule| rule.code == code)?;
        return Some(format!(
            "**{}** `{}`\n\n{}\n\n[Rule documentation]({})",
            rule.code,
            rule.name,
            rule.summary,
            rule.doc_url()
        ));
    }
    if let Some(name) = key.strip_prefix("directive:") {
        let (_, _, detail) = DIRECTIVES.iter().find(|(n, ..)| *n == name)?;
        return Some(format!(
            "{detail}\n\n[Parser directives](https://docs.docker.com/reference/dockerfile/#parser-directives)"
        ));
    }
    let keyword = key.strip_prefix("keyword:")?;
    let (_, _, detail) = KEYWORDS.iter().find(|(k, ..)| *k == keyword)?;
    Some(format!(
        "**{keyword}**: {detail}\n\n[Dockerfile reference](https://docs.docker.com/reference/dockerfile/#{})",
        keyword.to_ascii_lowercase()
    ))
}

/// Keywords: the keyword, its snippet, one line about it.
const KEYWORDS: &[(&str, &str, &str)] = &[
    ("FROM", "FROM ${1:image}", "start a build stage from an image or an earlier stage"),
    ("RUN", "RUN ${1:command}", "run a command in a new layer"),
    ("CMD", "CMD [\"${1:executable}\"${2}]", "the default command of the container (exec form)"),
    ("ENTRYPOINT", "ENTRYPOINT [\"${1:executable}\"${2}]", "the executable the container runs (exec form)"),
    ("COPY", "COPY ${1:source} ${2:destination}", "copy files from the build context or a stage"),
    ("ADD", "ADD ${1:source} ${2:destination}", "add files, URLs or git repositories (prefer COPY for local files)"),
    ("ARG", "ARG ${1:NAME}", "a build argument, set with --build-arg; not kept in the image"),
    ("ENV", "ENV ${1:NAME}=${2:value}", "an environment variable kept in the image (never a secret)"),
    ("EXPOSE", "EXPOSE ${1:8080}", "document a port the container listens on"),
    ("WORKDIR", "WORKDIR ${1:/app}", "the working directory for the instructions that follow"),
    ("USER", "USER ${1:10001}", "the user the instructions that follow and the container run as"),
    ("LABEL", "LABEL ${1:key}=\"${2:value}\"", "metadata of the image"),
    ("VOLUME", "VOLUME ${1:/data}", "a mount point for external storage"),
    ("HEALTHCHECK", "HEALTHCHECK ${1:CMD} ${2:command}", "how Docker checks the container still works"),
    ("SHELL", "SHELL [\"${1:/bin/sh}\", \"-c\"]", "the shell of shell-form instructions"),
    ("STOPSIGNAL", "STOPSIGNAL ${1:SIGTERM}", "the signal that stops the container"),
    ("ONBUILD", "ONBUILD ${1:instruction}", "an instruction run when another image builds FROM this one"),
    ("MAINTAINER", "MAINTAINER ${1:name}", "deprecated: use LABEL org.opencontainers.image.authors"),
];

/// Flags: the instructions that take it, its name, the snippet after its name, one line about it.
const FLAGS: &[(&[InstructionKind], &str, &str, &str)] = &[
    (&[InstructionKind::From], "platform", "=${1:\\$BUILDPLATFORM}", "the platform of the base image"),
    (
        &[InstructionKind::Copy, InstructionKind::Add],
        "from",
        "=${1:stage}",
        "copy from a stage or an image, not the context",
    ),
    (&[InstructionKind::Copy, InstructionKind::Add], "chown", "=${1:1000}:${2:1000}", "owner of the copied files"),
    (&[InstructionKind::Copy, InstructionKind::Add], "chmod", "=${1:0644}", "mode of the copied files"),
    (&[InstructionKind::Copy, InstructionKind::Add], "link", "", "copy into an independent layer"),
    (&[InstructionKind::Copy, InstructionKind::Add], "parents", "", "keep the parent directories of the sources"),
    (&[InstructionKind::Copy, InstructionKind::Add], "exclude", "=${1:pattern}", "leave out the paths that match"),
    (&[InstructionKind::Add], "checksum", "=${1:sha256:}", "verify the download against a digest"),
    (&[InstructionKind::Add], "keep-git-dir", "", "keep the .git directory of a git source"),
    (
        &[InstructionKind::Run],
        "mount",
        "=type=${1|cache,secret,bind,ssh,tmpfs|},target=${2:path}",
        "a mount for this command only",
    ),
    (&[InstructionKind::Run], "network", "=${1|default,none,host|}", "the network of this command"),
    (&[InstructionKind::Run], "security", "=${1|sandbox,insecure|}", "run privileged or sandboxed"),
    (&[InstructionKind::Healthcheck], "interval", "=${1:30s}", "time between probes"),
    (&[InstructionKind::Healthcheck], "timeout", "=${1:3s}", "how long a probe may take"),
    (&[InstructionKind::Healthcheck], "start-period", "=${1:5s}", "grace period after the start"),
    (&[InstructionKind::Healthcheck], "start-interval", "=${1:1s}", "time between probes in the start period"),
    (&[InstructionKind::Healthcheck], "retries", "=${1:3}", "failures before the container is unhealthy"),
];

/// Parser directives: name, snippet, one line about it.
const DIRECTIVES: &[(&str, &str, &str)] = &[
    ("syntax", "syntax=${1:docker/dockerfile:1}", "the Dockerfile frontend BuildKit uses to build this file"),
    ("escape", "escape=${1:`}", "the escape character (`\\` by default, `` ` `` on Windows)"),
    ("check", "check=skip=${1:JSONArgsRecommended}", "BuildKit's build checks: skip some, or error=true"),
];

/// Common base images (official Docker Hub images, and the minimal ones of other registries).
const IMAGES: &[(&str, &str)] = &[
    ("alpine", "Alpine Linux, 5 MB"),
    ("debian", "Debian"),
    ("ubuntu", "Ubuntu"),
    ("busybox", "BusyBox"),
    ("fedora", "Fedora"),
    ("rockylinux", "Rocky Linux"),
    ("almalinux", "AlmaLinux"),
    ("amazonlinux", "Amazon Linux"),
    ("redhat/ubi9-minimal", "Red Hat Universal Base Image, minimal"),
    ("python", "Python"),
    ("node", "Node.js"),
    ("golang", "Go"),
    ("rust", "Rust"),
    ("eclipse-temurin", "Java (Eclipse Temurin)"),
    ("amazoncorretto", "Java (Amazon Corretto)"),
    ("maven", "Maven"),
    ("gradle", "Gradle"),
    ("ruby", "Ruby"),
    ("php", "PHP"),
    ("perl", "Perl"),
    ("gcc", "GCC"),
    ("elixir", "Elixir"),
    ("erlang", "Erlang/OTP"),
    ("haskell", "Haskell"),
    ("swift", "Swift"),
    ("nginx", "nginx"),
    ("httpd", "Apache httpd"),
    ("caddy", "Caddy"),
    ("haproxy", "HAProxy"),
    ("traefik", "Traefik"),
    ("postgres", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("mongo", "MongoDB"),
    ("redis", "Redis"),
    ("memcached", "Memcached"),
    ("rabbitmq", "RabbitMQ"),
    ("docker", "Docker in Docker"),
    ("mcr.microsoft.com/dotnet/sdk", ".NET SDK"),
    ("mcr.microsoft.com/dotnet/aspnet", "ASP.NET Core runtime"),
    ("gcr.io/distroless/static-debian12", "distroless, static binaries"),
    ("gcr.io/distroless/base-debian12", "distroless, glibc"),
    ("cgr.dev/chainguard/static", "Chainguard static"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_at(marked: &str) -> (Dockerfile, Vec<CompletionItem>) {
        let offset = marked.find('|').expect("a cursor");
        let text = marked.replacen('|', "", 1);
        let file = bulkhead_syntax::parse(&text);
        let model = Model::new(&file);
        let items = complete(&file, &model, &BuildContext::default(), offset);
        for item in &items {
            assert!(item.replace.start <= offset && item.replace.end <= text.len(), "{item:?}");
        }
        (file, items)
    }

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|item| item.label.as_str()).collect()
    }

    #[test]
    fn keywords_at_line_start_with_distro_aware_user_and_healthcheck() {
        let (file, items) = complete_at("FROM python:3.12-alpine\nEXPOSE 5000\nUS|\n");
        assert!(labels(&items).contains(&"FROM … AS …"), "{:?}", labels(&items));
        let user = items.iter().find(|i| i.label == "USER (non-root)").unwrap();
        assert_eq!(
            user.insert,
            "RUN addgroup -S -g 10001 ${1:app} && adduser -S -G ${1:app} -H -D -u 10001 ${1:app}\nUSER 10001:10001"
        );
        assert_eq!(file.slice(user.replace), "US");
        let health = items.iter().find(|i| i.label == "HEALTHCHECK (probe)").unwrap();
        assert!(health.insert.contains("wget -q --spider} http://127.0.0.1:${2:5000}/"), "{}", health.insert);
        let (_, items) = complete_at("FROM debian:bookworm\n|");
        let user = items.iter().find(|i| i.label == "USER (non-root)").unwrap();
        assert!(
            user.insert.starts_with("RUN groupadd --system --gid 10001 ${1:app} && useradd --system --uid 10001"),
            "{}",
            user.insert
        );
    }

    #[test]
    fn flags_and_mount_keys_by_instruction() {
        let (_, items) = complete_at("FROM alpine\nCOPY --|\n");
        assert_eq!(labels(&items), ["--from", "--chown", "--chmod", "--link", "--parents", "--exclude"]);
        let (_, items) = complete_at("FROM alpine\nADD --| x y\n");
        assert!(labels(&items).contains(&"--checksum") && labels(&items).contains(&"--keep-git-dir"));
        let (_, items) = complete_at("FROM alpine\nHEALTHCHECK --|\n");
        assert_eq!(labels(&items), ["--interval", "--timeout", "--start-period", "--start-interval", "--retries"]);
        let (_, items) = complete_at("FROM alpine\nRUN --mount=type=secret,|\n");
        assert!(
            labels(&items).contains(&"id=")
                && labels(&items).contains(&"env=")
                && !labels(&items).contains(&"sharing=")
        );
        let (_, items) = complete_at("FROM alpine\nRUN --mount=type=cache,sharing=|\n");
        assert_eq!(labels(&items), ["shared", "private", "locked"]);
        let (_, items) = complete_at("FROM alpine\nRUN --mount=ty|\n");
        assert!(labels(&items).contains(&"type="));
    }

    #[test]
    fn stages_variables_and_images() {
        let text = "ARG V=1\nFROM alpine AS a\nARG V\nENV HOME_DIR=/home\nFROM a AS b\nCOPY --from=| /x /y\nFROM alpine AS c\n";
        let (_, items) = complete_at(text);
        assert_eq!(labels(&items), ["a"]);
        let (_, items) = complete_at("ARG V=1\nFROM alpine AS a\nARG V\nENV HOME_DIR=/home\nRUN echo ${|}\n");
        assert_eq!(labels(&items), ["HOME_DIR", "V"]);
        assert_eq!(items[1].detail.as_deref(), Some("ARG V = 1"));
        // A FROM line sees the global ARGs; a stage without `ARG V` does not.
        let (_, items) = complete_at("ARG V=1\nFROM alpine:$|\n");
        assert!(labels(&items).contains(&"V"));
        let (_, items) = complete_at("ARG V=1\nFROM alpine\nRUN echo $|\n");
        assert!(!labels(&items).contains(&"V"));
        let (_, items) = complete_at("FROM alpine AS a\nFROM |\n");
        assert_eq!(labels(&items)[..3], ["a", "scratch", "alpine"]);
        let (_, items) = complete_at("FROM alpine |\n");
        assert_eq!(labels(&items), ["AS"]);
    }

    #[test]
    fn directives_and_suppressions() {
        let (_, items) = complete_at("# |\nFROM alpine\n");
        assert_eq!(labels(&items), ["syntax", "escape", "check"]);
        let (_, items) = complete_at("# check=skip=JSONArgsRecommended,|\nFROM alpine\n");
        assert!(labels(&items).contains(&"UndefinedVar"));
        let (_, items) = complete_at("FROM alpine\n# bulkhead ignore=BH2|\nUSER root\n");
        assert!(labels(&items).contains(&"BH201") && labels(&items).contains(&"root-user"));
        let (_, items) = complete_at("FROM alpine\n# hadolint ignore=|\nUSER root\n");
        assert!(labels(&items).contains(&"DL3002"), "{:?}", labels(&items));
        let doc = resolve_documentation("rule:BH201").unwrap();
        assert!(doc.contains("docs/rules/BH201.md"));
        assert!(resolve_documentation("keyword:COPY").unwrap().contains("#copy"));
    }

    #[test]
    fn broken_text_never_panics() {
        for text in ["", "#", "FROM", "RUN --mount=", "COPY --from=", "FROM ${", "RUN <<EOF\n$", "ONBUILD ", "é\u{a0}$"]
        {
            let file = bulkhead_syntax::parse(text);
            let model = Model::new(&file);
            for offset in 0..=text.len() + 1 {
                for item in complete(&file, &model, &BuildContext::default(), offset) {
                    assert!(item.replace.start <= item.replace.end && item.replace.end <= text.len(), "{item:?}");
                    assert!(text.is_char_boundary(item.replace.start) && text.is_char_boundary(item.replace.end));
                }
            }
        }
    }
}
