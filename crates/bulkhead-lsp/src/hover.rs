//! Hover: over a finding, its message and the short form of the rule's documentation (why, before/after,
//! how to silence, a link to the rest); over an instruction keyword, what the
//! instruction does and what to watch for; elsewhere nothing.

use bulkhead_analysis::model::{Base, Model, VarKind};
use bulkhead_analysis::{BaseImageFacts, BuildContext, Diagnostic, Report};
use bulkhead_syntax::{Dockerfile, InstructionKind, TextRange};
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::convert::Coords;

/// The hover at `offset` of a linted snapshot: on an instruction keyword, what the instruction does; on a
/// finding, its message and the rule's documentation; both when a finding covers the keyword.
pub fn hover(
    file: &Dockerfile,
    report: &Report,
    build: &BuildContext,
    offset: usize,
    coords: &Coords<'_>,
) -> Option<Hover> {
    // The findings here lead, then what the keyword, variable or image under the cursor is.
    let (mut sections, finding_range) = finding_sections(report, offset);
    let mut range = None;
    if let Some(instruction) = file.instruction_at(offset) {
        let keyword = match &instruction.trigger {
            Some(trigger) if trigger.keyword.range.touches(offset) => &trigger.keyword,
            _ => &instruction.keyword,
        };
        let kind = InstructionKind::from_keyword(&keyword.value);
        if keyword.range.touches(offset)
            && let Some(text) = instruction_doc(kind)
        {
            sections.push(format!("**{}**\n\n{text}", kind.keyword()));
            range = Some(keyword.range);
        }
    }
    if let Some((text, at)) = variable_or_image(file, build, offset) {
        sections.push(text);
        range = range.or(Some(at));
    }
    let range = range.or(finding_range)?;
    Some(markdown(sections.join("\n\n---\n\n"), coords.range(range)))
}

/// The findings of `report` at `offset`, most severe first, each as [`finding_hover`] (the short form when
/// there are several), and the smallest of their ranges; no sections and `None` where there is none.
/// Dockerfile and Compose hovers both lead with these.
pub fn finding_sections(report: &Report, offset: usize) -> (Vec<String>, Option<TextRange>) {
    let mut findings: Vec<_> = report.diagnostics.iter().filter(|d| d.range.touches(offset)).collect();
    findings.sort_by_key(|d| d.severity);
    let alone = findings.len() == 1;
    let sections = findings.iter().map(|finding| finding_hover(finding, alone)).collect();
    (sections, findings.iter().map(|d| d.range).min_by_key(|r| r.len()))
}

/// A finding, for a person at the keyboard: the finding, why it matters in a few lines, the before/after as
/// changed lines (`alone`: when it is the only finding here), how to silence it, and where the whole story
/// is. The rule's full documentation is one click or `bulkhead explain` away.
pub fn finding_hover(finding: &Diagnostic, alone: bool) -> String {
    let Some(rule) = bulkhead_analysis::rules::find(finding.code) else {
        return format!("**{}** {}", finding.code, finding.message);
    };
    let brief = rule.brief();
    // Beside other findings, the first sentence of why.
    let why = match brief.why.find(". ") {
        Some(end) if !alone => &brief.why[..=end],
        _ => brief.why.as_str(),
    };
    let mut text = format!(
        "**{}** `{}` · {}\n\n{}\n\n**Why it matters:** {}\n",
        rule.code,
        rule.name,
        finding.severity.as_str(),
        finding.message,
        why
    );
    if alone && !brief.diff.is_empty() {
        text.push_str(&format!("\n```diff\n{}\n```\n", brief.diff.join("\n")));
    }
    if !brief.silence.is_empty() {
        text.push_str(&format!("\n**Silence:** {}\n", brief.silence));
    }
    text.push_str(&format!("\n[Full documentation]({}) · `bulkhead explain {}`", rule.doc_url(), rule.code));
    text
}

/// On `$NAME`/`${NAME}`: its value and where it was set. On a `FROM` image: the parsed reference, what
/// pinning means for it, and what the registry said about it when it was looked up.
fn variable_or_image(file: &Dockerfile, build: &BuildContext, offset: usize) -> Option<(String, TextRange)> {
    let at = file.instructions().iter().position(|i| i.range.touches(offset))?;
    let instruction = &file.instructions()[at];
    let model = Model::new(file);
    if let Some((name, range)) = variable_at(file.text(), instruction.range, offset) {
        let line = |idx: usize| file.line_index().line_of(file.instructions()[idx].range.start) + 1;
        let text = match model.definition(at, &name) {
            Some(def) => {
                let kind = if def.kind == VarKind::Arg { "ARG" } else { "ENV" };
                let value = match &def.value {
                    Some(value) => format!("`{value}`"),
                    None => "set at build time (no default)".to_owned(),
                };
                format!("**${name}** = {value}\n\nSet by `{kind}` on line {}.", line(def.instruction))
            }
            None => format!(
                "**${name}**: not declared in this file (a predefined build argument or set by the base image)."
            ),
        };
        return Some((text, range));
    }
    let stage = model.stage_of(at).filter(|stage| stage.from == at)?;
    let word = stage.base_range.filter(|r| r.touches(offset))?;
    let text = match &stage.base {
        Base::Image(image) => {
            let exact = build.images.contains_key(&image.raw);
            let registry = build.image_facts(image).map(|facts| registry_facts(facts, exact)).unwrap_or_default();
            let pinning = match (&image.tag, &image.digest) {
                (_, Some(_)) => "pinned by digest: every build gets the same image",
                (Some(tag), None) if tag != "latest" => {
                    "pinned by tag: the tag can be moved to a new image; add a digest to freeze it"
                }
                _ => "floating: `latest` (or no tag) changes under you; pin a version tag (BH101)",
            };
            format!(
                "**Image** `{}`\n\n| | |\n|---|---|\n| registry | `{}` |\n| repository | `{}` |\n| tag | {} |\n| digest | {} |\n\n{pinning}. Scan the built image (`trivy image`, `grype`) in CI.{registry}",
                image.raw,
                image.registry_or_default(),
                image.path,
                image.tag.as_deref().map_or("none (`latest`)".to_owned(), |t| format!("`{t}`")),
                image.digest.as_deref().map_or("none".to_owned(), |d| format!("`{d}`")),
            )
        }
        Base::Stage(idx) => format!("Built on stage {} of this file.", model.stages[*idx].label()),
        Base::Scratch => "`scratch`: an empty image, nothing but what you copy in.".to_owned(),
        Base::Unresolved(raw) => format!("`{raw}`: depends on a build argument whose value is not known here."),
        Base::Missing => return None,
    };
    Some((text, word))
}

/// What the registry said about a base image, as a markdown section. `exact`: the facts were looked up
/// for this very reference (else for another name of the same image), so its tag candidates apply.
fn registry_facts(facts: &BaseImageFacts, exact: bool) -> String {
    let code = |text: &str| format!("`{}`", text.replace('`', "'").replace('|', "\\|"));
    let list = |items: &[String]| items.iter().map(|item| code(item)).collect::<Vec<_>>().join(", ");
    let user = match &facts.user {
        Some(user) if facts.runs_as_non_root() => code(user),
        Some(user) => format!("{} (root)", code(user)),
        None => "root (the image config sets no user)".to_owned(),
    };
    let healthcheck = match facts.healthcheck.as_deref() {
        Some(test) if facts.has_healthcheck() => code(&test.join(" ")),
        Some(_) => "switched off (`NONE`)".to_owned(),
        None => "none".to_owned(),
    };
    let mut rows = vec![
        ("digest", facts.digest.as_deref().map_or_else(|| "unknown".to_owned(), code)),
        ("created", facts.created.as_deref().map_or_else(|| "unknown".to_owned(), code)),
        ("default user", user),
        ("healthcheck", healthcheck),
        ("exposed ports", if facts.exposed_ports.is_empty() { "none".to_owned() } else { list(&facts.exposed_ports) }),
    ];
    if exact && !facts.tag_candidates.is_empty() {
        rows.push(("newest precise tags", list(&facts.tag_candidates[..facts.tag_candidates.len().min(3)])));
    }
    let rows: String = rows.iter().map(|(name, value)| format!("| {name} | {value} |\n")).collect();
    format!("\n\n**In the registry**\n\n| | |\n|---|---|\n{rows}")
}

/// The variable reference (`$NAME` or `${NAME...}`) under `offset`, within `within`.
fn variable_at(text: &str, within: TextRange, offset: usize) -> Option<(String, TextRange)> {
    let slice = text.get(within.as_range())?;
    let bytes = slice.as_bytes();
    let mut idx = 0;
    while let Some(found) = slice[idx..].find('$') {
        let start = idx + found;
        let (name_start, braced) =
            if bytes.get(start + 1) == Some(&b'{') { (start + 2, true) } else { (start + 1, false) };
        let name_len = slice[name_start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let mut end = name_start + name_len;
        if braced {
            end = slice[end..].find('}').map_or(end, |close| end + close + 1);
        }
        let range = TextRange::new(within.start + start, within.start + end);
        if name_len > 0 && range.touches(offset) {
            return Some((slice[name_start..name_start + name_len].to_owned(), range));
        }
        idx = end.max(start + 1);
    }
    None
}

pub fn markdown(value: String, range: tower_lsp_server::ls_types::Range) -> Hover {
    Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }), range: Some(range) }
}

/// What each instruction does, and its security notes. Written for bulkhead.
pub fn instruction_doc(kind: InstructionKind) -> Option<&'static str> {
    let text = match kind {
        InstructionKind::From => {
            "Starts a build stage from a base image (or `scratch`). Everything in the base image ships with yours: \
             prefer small, maintained images, pin them by tag and digest, and take them from registries you trust."
        }
        InstructionKind::Run => {
            "Runs a command at build time and stores what it changed as a new layer. Files deleted in a later \
             layer still ship in this one, so clean up in the same `RUN`, and pass secrets with \
             `--mount=type=secret`, never as arguments or files."
        }
        InstructionKind::Cmd => {
            "Sets the default command of the container, overridable by `docker run` arguments. Prefer the exec \
             form (`[\"app\", \"--flag\"]`) so signals reach the process and no shell interprets the arguments."
        }
        InstructionKind::Entrypoint => {
            "Sets the executable the container always runs; `CMD` becomes its default arguments. Use the exec \
             form so the process is PID 1 and receives `SIGTERM` for a clean shutdown."
        }
        InstructionKind::Label => {
            "Adds key-value metadata to the image (`org.opencontainers.image.*` keys are standard). Labels are \
             readable by anyone who can pull the image: never put secrets in them."
        }
        InstructionKind::Maintainer => {
            "Deprecated: records the image author. Use `LABEL org.opencontainers.image.authors=\"...\"` instead."
        }
        InstructionKind::Expose => {
            "Documents the ports the container listens on; it publishes nothing by itself. Expose only what the \
             service needs, and avoid privileged ports below 1024 and remote-access ports such as 22."
        }
        InstructionKind::Env => {
            "Sets environment variables for the rest of the build and for the running container. Values are \
             stored in the image config and visible to anyone with the image: no passwords, tokens or keys."
        }
        InstructionKind::Add => {
            "Copies files into the image, and also fetches URLs and unpacks local archives. That extra magic \
             hides what lands in the image: prefer `COPY`, and verify downloads with `--checksum` when you \
             must fetch."
        }
        InstructionKind::Copy => {
            "Copies files from the build context (or another stage with `--from`) into the image. Copy only what \
             the image needs, keep secrets out of the context with `.dockerignore`, and set ownership with \
             `--chown` rather than a later `chown` layer."
        }
        InstructionKind::Volume => {
            "Declares a mount point whose contents live outside the image's layers. Changes to the path after \
             `VOLUME` in the Dockerfile are discarded; do not declare sensitive host paths."
        }
        InstructionKind::User => {
            "Sets the user (and group) for later `RUN`, `CMD` and `ENTRYPOINT`. End the final stage with a \
             non-root user, preferably by numeric UID, so a compromised process does not get root in the \
             container."
        }
        InstructionKind::Workdir => {
            "Sets the working directory for later instructions, creating it if needed. Use absolute paths \
             instead of `cd` in `RUN`, and make sure the runtime user can write only where it must."
        }
        InstructionKind::Arg => {
            "Declares a build argument, set with `--build-arg`. Argument values are recorded in the image \
             history: never pass secrets this way, use `RUN --mount=type=secret`."
        }
        InstructionKind::Onbuild => {
            "Registers an instruction that runs when another image is built `FROM` this one. It executes in \
             someone else's build, out of their sight: keep triggers few and obvious."
        }
        InstructionKind::Stopsignal => {
            "Sets the signal that stops the container (default `SIGTERM`). Pick the signal your process handles \
             to shut down cleanly."
        }
        InstructionKind::Healthcheck => {
            "Tells the runtime how to test that the container still works (`HEALTHCHECK CMD ...`) or disables \
             the base image's check (`NONE`). Orchestrators use it to restart or route around broken containers."
        }
        InstructionKind::Shell => {
            "Sets the shell used by shell-form instructions. Use `[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` so \
             a failing command inside a pipe fails the build."
        }
        InstructionKind::Unknown => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use bulkhead_analysis::{BuildContext, Settings};
    use bulkhead_syntax::LineIndex;

    use super::*;
    use crate::convert::Encoding;

    #[test]
    fn every_instruction_is_described() {
        for kind in InstructionKind::ALL {
            assert!(instruction_doc(kind).is_some_and(|text| text.len() > 40), "{kind:?}");
        }
    }

    #[test]
    fn keyword_finding_and_nothing() {
        // EXPOSE and CMD: the image serves a port, so BH601 (no HEALTHCHECK) reports at the FROM line too.
        let text = "FROM alpine:3.20\nRUN apk add curl\nONBUILD copy . /app\nUSER app\nEXPOSE 8080\nCMD [\"app\"]\n";
        let file = bulkhead_syntax::parse(text);
        let report = bulkhead_analysis::check_file(&file, &BuildContext::default(), &Settings::default());
        let index = LineIndex::new(text);
        let coords = Coords::new(text, &index, Encoding::Utf16);
        let at = |needle: &str| text.find(needle).unwrap() + 1;
        let value = |hover: Option<Hover>| match hover.unwrap().contents {
            HoverContents::Markup(markup) => markup.value,
            _ => unreachable!(),
        };
        // A keyword alone: its text. With a finding on it (`copy` is cased unlike the rest): the finding first.
        assert!(value(hover(&file, &report, &BuildContext::default(), at("USER"), &coords)).starts_with("**USER**"));
        let copy = value(hover(&file, &report, &BuildContext::default(), at("copy"), &coords));
        assert!(copy.starts_with("**BH015**") && copy.contains("**COPY**"), "{copy}");
        let finding = value(hover(&file, &report, &BuildContext::default(), at("curl"), &coords));
        assert!(finding.starts_with("**BH903**"), "{finding}");
        assert!(finding.contains("**Why it matters:**") && !finding.contains("## What it does"), "{finding}");
        // A finding over a keyword: both texts, the finding first.
        let both = value(hover(&file, &report, &BuildContext::default(), at("FROM"), &coords));
        assert!(both.starts_with("**BH601**") && both.contains("**FROM**"), "{both}");
        // A variable: its value and where it was set; an image: its parts.
        let text =
            "ARG TAG=3.20\nFROM alpine:${TAG}\nENV GREETING=hi\nRUN echo $GREETING\nUSER 1000\nHEALTHCHECK NONE\n";
        let file = bulkhead_syntax::parse(text);
        let report = bulkhead_analysis::check_file(&file, &BuildContext::default(), &Settings::default());
        let index = LineIndex::new(text);
        let coords = Coords::new(text, &index, Encoding::Utf16);
        let var = value(hover(&file, &report, &BuildContext::default(), text.find("$GREETING").unwrap() + 3, &coords));
        assert!(var.contains("**$GREETING** = `hi`") && var.contains("line 3"), "{var}");
        let tag = value(hover(&file, &report, &BuildContext::default(), text.find("${TAG}").unwrap() + 2, &coords));
        assert!(tag.contains("**$TAG** = `3.20`") && tag.contains("line 1"), "{tag}");
        let image = value(hover(&file, &report, &BuildContext::default(), text.find("alpine").unwrap() + 2, &coords));
        assert!(image.contains("`library/alpine`") && image.contains("pinned by tag"), "{image}");
        // Neither a keyword nor a finding.
        assert!(
            hover(&file, &report, &BuildContext::default(), text.find("USER 1000").unwrap() + 6, &coords).is_none()
        );
    }

    #[test]
    fn image_hover_shows_registry_facts() {
        let text = "FROM registry.example.com/app:1\nCMD [\"app\"]\n";
        let file = bulkhead_syntax::parse(text);
        let facts = BaseImageFacts {
            digest: Some(format!("sha256:{}", "ab".repeat(32))),
            user: Some("1000:1000".into()),
            healthcheck: Some(vec!["CMD-SHELL".into(), "wget -qO- http://127.0.0.1:8080/ || exit 1".into()]),
            exposed_ports: vec!["8080/tcp".into(), "9090/tcp".into()],
            created: Some("2024-05-06T07:08:09Z".into()),
            tag_candidates: vec!["1.10.0".into(), "1.2.3".into()],
            same_image_tags: vec!["1.10.0".into()],
        };
        let mut build = BuildContext::default();
        std::sync::Arc::make_mut(&mut build.images).insert("registry.example.com/app:1".into(), facts);
        let report = bulkhead_analysis::check_file(&file, &build, &Settings::default());
        let index = LineIndex::new(text);
        let coords = Coords::new(text, &index, Encoding::Utf16);
        let Some(Hover { contents: HoverContents::Markup(markup), .. }) =
            hover(&file, &report, &build, text.find("example").unwrap(), &coords)
        else {
            panic!("no hover")
        };
        let value = markup.value;
        for row in [
            format!("| digest | `sha256:{}` |", "ab".repeat(32)),
            "| created | `2024-05-06T07:08:09Z` |".to_owned(),
            "| default user | `1000:1000` |".to_owned(),
            "| healthcheck | `CMD-SHELL wget -qO- http://127.0.0.1:8080/ \\|\\| exit 1` |".to_owned(),
            "| exposed ports | `8080/tcp`, `9090/tcp` |".to_owned(),
            "| newest precise tags | `1.10.0`, `1.2.3` |".to_owned(),
        ] {
            assert!(value.contains(&row), "{row} not in:\n{value}");
        }
        // Without facts, no registry section.
        let offline = bulkhead_analysis::check_file(&file, &BuildContext::default(), &Settings::default());
        let Some(Hover { contents: HoverContents::Markup(markup), .. }) =
            hover(&file, &offline, &BuildContext::default(), text.find("example").unwrap(), &coords)
        else {
            panic!("no hover")
        };
        assert!(!markup.value.contains("In the registry"), "{}", markup.value);
    }

    /// Lines the hover takes in an editor's widget: a source line wider than 100 characters wraps.
    fn shown_lines(markdown: &str) -> usize {
        markdown.lines().map(|line| line.chars().count().div_ceil(100).max(1)).sum()
    }

    #[test]
    fn every_rule_hovers_in_at_most_25_lines() {
        let mut with_diff = 0;
        for rule in bulkhead_analysis::RULES.iter().filter(|rule| !rule.is_test_only()) {
            let finding = Diagnostic {
                code: rule.code,
                name: rule.name,
                severity: rule.severity,
                message: rule.summary.to_owned(),
                range: TextRange::new(0, 4),
                fixes: Vec::new(),
                tags: Vec::new(),
            };
            let text = finding_hover(&finding, true);
            let lines = shown_lines(&text);
            assert!(lines <= 25, "{}: {lines} lines\n{text}", rule.code);
            assert!(text.contains("**Why it matters:** ") && !text.contains("**Why it matters:** \n"), "{text}");
            assert!(text.contains(&rule.doc_url()) && text.contains(&format!("bulkhead explain {}", rule.code)));
            assert!(text.contains("**Silence:**"), "{}: no way to silence it\n{text}", rule.code);
            with_diff += usize::from(text.contains("```diff"));
            // Beside another finding: shorter, no before/after.
            let short = finding_hover(&finding, false);
            assert!(!short.contains("```diff") && shown_lines(&short) <= 16, "{short}");
        }
        assert!(with_diff >= 40, "only {with_diff} rules show a before/after");
    }

    #[test]
    fn root_user_hover_leads_with_the_finding() {
        let text = "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\nEXPOSE 8000\n";
        let file = bulkhead_syntax::parse(text);
        let report = bulkhead_analysis::check_file(&file, &BuildContext::default(), &Settings::default());
        let at = report.diagnostics.iter().find(|d| d.code == "BH201").expect("BH201 fires").range.start;
        let index = LineIndex::new(text);
        let coords = Coords::new(text, &index, Encoding::Utf16);
        let Some(Hover { contents: HoverContents::Markup(markup), .. }) =
            hover(&file, &report, &BuildContext::default(), at + 1, &coords)
        else {
            panic!("no hover")
        };
        let value = markup.value;
        // Two findings here (BH201, then the hint BH601): each short, most severe first.
        let root = value.find("**BH201** `root-user` · warning").expect(&value);
        let health = value.find("**BH601**").expect(&value);
        assert!(root < health && value[root..health].contains("container escape"), "{value}");
        assert!(value.contains("**Silence:** `# bulkhead ignore=BH201`"), "{value}");
        assert!(!value.contains("```diff") && !value.contains("## References"), "{value}");
        // Alone, the finding also shows the before/after as changed lines.
        let alone = finding_hover(report.diagnostics.iter().find(|d| d.code == "BH201").unwrap(), true);
        assert!(
            alone.contains("```diff\n COPY app.py /app/\n+RUN groupadd") && alone.contains("+USER 10001:10001"),
            "{alone}"
        );
    }
}
