//! Helpers of the Compose rules.

use bulkhead_syntax::TextRange;

use crate::compose::{ComposeContext, ComposeFile, NodeId, Service};
use crate::diagnostic::Severity;
use crate::fix::Edit;
use crate::rule::Finding;

/// The "What is noise here" paragraph of the rules that report a missing key ([`missing_key`]: BH712,
/// BH713, BH720, BH730-BH732), held once: a string literal for `concat!` in each rule's `doc`, with the
/// rule's code and its corpus counts (the warnings without the development-stack signals, then the warnings
/// and hints with them).
macro_rules! dev_stack_noise {
    ($code:literal, $before:literal, $warnings:literal, $hints:literal) => {
        concat!(
            "What is noise here: a development, test or example stack (a `.devcontainer`, `tests` or `examples`\n",
            "folder, `compose.dev.yaml`, a source bind mount like `.:/app`, a `develop:` section, `npm run dev`, a\n",
            "`dev` build target, `NODE_ENV=development`, an image published as an example like\n",
            "`quay.io/debezium/example-postgres`; a service with `profiles: [dev]`): its services are reported\n",
            "as **hints** that say why, which do not fail `bulkhead check` at the default `--fail-on`. Same code, so\n",
            "`ignore = [\"",
            $code,
            "\"]` means what it meant. On the 312 real Compose files: ",
            $before,
            " warnings before, ",
            $warnings,
            "\nwarnings and ",
            $hints,
            " hints after (docs/compose.md lists the signals).\n",
            "What stays a warning: a stack whose development role is only in the repository's name or in a variable\n",
            "(laradock mounts `${APP_CODE_PATH_HOST}`, which Compose takes from a `.env` the checkout does not\n",
            "have): nothing in the file says it, and a checkout's folder name is whatever its user chose."
        )
    };
}
pub(crate) use dev_stack_noise;

/// Reports every complete service for which `present` is false, at the service's name, with an unsafe
/// fix inserting `lines` (whose first line is `key:`) into the service when it is written in block style
/// and has no `key` yet. A service the file's YAML error cut short is skipped: the key may be below the
/// error. In a development, test or example stack ([`ComposeContext::dev_shaped`]) the finding is a hint
/// that says why: true, but not what a deployed service's hardening review is about.
pub(crate) fn missing_key(
    ctx: &ComposeContext<'_>,
    out: &mut Vec<Finding>,
    present: impl Fn(&ComposeFile, &Service) -> bool,
    message: impl Fn(&Service) -> String,
    fix: (&str, &[&str]),
) {
    let file = ctx.file;
    for service in file.services.iter().filter(|service| service.complete && !present(file, service)) {
        let mut finding = Finding::new(service.key, message(service));
        if let Some(reason) = ctx.dev_shaped(service) {
            finding.message.push_str(&format!(" (only a hint in a development or test stack: {reason})"));
            finding.severity = Some(Severity::Hint);
        }
        let key = fix.1.first().and_then(|line| line.split(':').next()).unwrap_or_default();
        if let Some(insertion) = service.insertion(file).filter(|_| service.get(file, key).is_none()) {
            finding = finding.with_fix(insertion.fix(fix.0, fix.1));
        }
        out.push(finding);
    }
}

/// The items of a service's list under `key` (`cap_add`, `security_opt`...) with their values.
pub(crate) fn list_values(file: &ComposeFile, service: &Service, key: &str) -> Vec<(usize, String)> {
    let Some(entry) = service.get(file, key) else { return Vec::new() };
    file.list(entry.value).into_iter().filter_map(|item| Some((item, file.value(item)?))).collect()
}

/// A resource-limit rule: reports a service without `deploy.resources.limits.<limit>` nor any of the
/// `short` keys, with a fix adding `line` (`mem_limit: 512m`).
pub(crate) fn missing_limit(
    ctx: &ComposeContext<'_>,
    out: &mut Vec<Finding>,
    limit: &str,
    short: &[&str],
    what: &str,
    line: &str,
) {
    let title = format!("Add `{line}` (unsafe: review the value)");
    missing_key(
        ctx,
        out,
        |file, service| {
            let set = |entry: Option<crate::compose::Entry>| entry.is_some_and(|entry| !file.yaml.is_null(entry.value));
            set(service.path(file, &["deploy", "resources", "limits", limit]))
                || short.iter().any(|key| set(service.get(file, key)))
        },
        |service| format!("service `{}` has no {what} limit", service.name),
        (&title, &[line]),
    );
}

/// True when the node's text starts a flow collection (`[a, b]`, `{a: b}`).
pub(crate) fn is_flow(file: &ComposeFile, id: NodeId) -> bool {
    file.written(id).starts_with(['[', '{'])
}

/// The whole lines `range` is written on when nothing else is on them (indentation, a sequence dash before
/// it, a comment after it), line break included; `None` otherwise.
pub(crate) fn whole_lines(text: &str, range: TextRange) -> Option<TextRange> {
    let start = text[..range.start].rfind('\n').map_or(0, |idx| idx + 1);
    let before = text[start..range.start].trim_matches(' ');
    if !(before.is_empty() || before == "-") {
        return None;
    }
    let end = text[range.end..].find('\n').map_or(text.len(), |idx| range.end + idx + 1);
    let after = text[range.end..end].trim();
    (after.is_empty() || after.starts_with('#')).then_some(TextRange::new(start, end))
}

/// The range that removes `range`, an item or entry of a flow collection, with the comma that separates
/// it from the next item (or, for the last item, from the one before).
pub(crate) fn flow_item_removal(text: &str, range: TextRange) -> TextRange {
    const SPACE: [char; 4] = [' ', '\t', '\r', '\n'];
    let rest = &text[range.end..];
    let trimmed = rest.trim_start_matches(SPACE);
    if let Some(after) = trimmed.strip_prefix(',') {
        let end = text.len() - after.trim_start_matches(SPACE).len();
        return TextRange::new(range.start, end);
    }
    let before = text[..range.start].trim_end_matches(SPACE);
    match before.strip_suffix(',') {
        Some(kept) => TextRange::new(kept.len(), range.end),
        None => range,
    }
}

/// The edit that appends `item` (a plain scalar) to the sequence `seq`: a `- item` line after the last item
/// of a block sequence, `, item` before the `]` of a flow one. `None` for anything else.
pub(crate) fn append_item(file: &ComposeFile, seq: NodeId, item: &str) -> Option<Edit> {
    let text = file.text();
    let range = file.yaml.node(seq).range;
    if !file.yaml.is_seq(seq) {
        return None;
    }
    if is_flow(file, seq) {
        let close = range.start + file.written(seq).rfind(']')?;
        let empty = file.yaml.items(seq).is_empty();
        return Some(Edit::insert(close, if empty { item.to_owned() } else { format!(", {item}") }));
    }
    let first = file.yaml.node(*file.yaml.items(seq).first()?).range;
    let last = file.yaml.node(*file.yaml.items(seq).last()?).range;
    let line_start = text[..first.start].rfind('\n').map_or(0, |idx| idx + 1);
    let dash = &text[line_start..first.start];
    let lines = whole_lines(text, last)?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let prefix = if text[..lines.end].ends_with('\n') { "" } else { newline };
    Some(Edit::insert(lines.end, format!("{prefix}{dash}{item}{newline}")))
}

/// The edit that adds the entry `key: value` (`value` in flow style) to the flow mapping `map`.
pub(crate) fn add_flow_entry(file: &ComposeFile, map: NodeId, key: &str, value: &str) -> Option<Edit> {
    let range = file.yaml.node(map).range;
    let close = range.start + file.written(map).rfind('}')?;
    let sep = if file.yaml.entries(map).is_empty() { "" } else { ", " };
    Some(Edit::insert(close, format!("{sep}{key}: {value}")))
}
