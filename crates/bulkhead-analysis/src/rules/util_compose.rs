//! Helpers of the Compose rules.

use crate::compose::{ComposeContext, ComposeFile, Service};
use crate::diagnostic::Severity;
use crate::rule::Finding;

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
