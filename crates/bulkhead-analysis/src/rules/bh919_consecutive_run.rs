//! BH919 consecutive-run: two `RUN` instructions in a row that could be one layer.

use bulkhead_syntax::{Instruction, InstructionKind, ShellMode};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH919",
    name: "consecutive-run",
    practice: Practice::PackageHygiene,
    severity: Severity::Hint,
    enabled_by_default: false,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: merge with ` && \\`", decision: "" }),
    aliases: &["DL3059"],
    summary: "A `RUN` directly follows another `RUN` with the same flags: each one adds a layer.",
    doc: r#"
## What it does
Checks each stage for a shell-form `RUN` (a `RUN <<EOF` script too, and a `RUN` of a PowerShell or
`cmd` stage) that directly follows another shell-form `RUN` with the same flags (`--mount`,
`--network`...). Comments between them do not count as a separation; any other instruction does. Off
by default: merging is a trade-off between layer count and build-cache reuse, not a security problem.

hadolint 2.15 (DL3059) reports a pair only when both `RUN`s are a single command (no `&&`, `;` or
`|`), on the reasoning that chained ones were split on purpose. bulkhead reports every pair: the layer
cost is the same, and the rule is off by default for people who split on purpose.

## Why it matters
Each `RUN` is a layer. Files a step creates and a later step deletes stay in the earlier layer, so the
image keeps them (caches, downloaded archives, build tools); and many small layers add overhead to
pulls. Steps that belong together (install, use, clean up) should be one `RUN`.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/tool.tgz
RUN tar -xzf tool.tgz -C /usr/local && rm tool.tgz
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/tool.tgz \
    && tar -xzf tool.tgz -C /usr/local && rm tool.tgz
```

## Fix
"Merge with the previous `RUN`" (unsafe) joins the two with ` && \` and a line break. It is unsafe
because the second step now runs only when the first succeeds in the same shell: a `cd`, `export` or
`set` in the first one now affects the second, and the build cache is shared. Not offered for heredocs,
when a comment sits between the two, when the first ends in a background `&`, or in a stage whose shell
is not a POSIX shell (PowerShell and `cmd` chain commands differently).

## How to silence
`# bulkhead ignore=BH919` on the line before the `RUN`, or leave the rule off (the default).
`# hadolint ignore=DL3059` works too.

## References
- Docker docs: Dockerfile best practices, "Minimize the number of layers"
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for stage in &ctx.model.stages {
        let body: Vec<(usize, &Instruction)> = stage.instructions(ctx.file).collect();
        for pair in body.windows(2) {
            let [(_, prev), (_, next)] = pair else { continue };
            if !shell_form(prev) || !shell_form(next) || flags_text(ctx, prev) != flags_text(ctx, next) {
                continue;
            }
            let mut finding = Finding::new(next.range, "`RUN` right after another `RUN`: merge them into one layer");
            if let Some(edit) = (mergeable(prev) && mergeable(next)).then(|| merge_edit(ctx, prev, next)).flatten() {
                finding = finding.with_fix(Fix::unsafe_("Merge with the previous `RUN`", vec![edit]));
            }
            out.push(finding);
        }
    }
}

fn shell_form(run: &Instruction) -> bool {
    run.kind == InstructionKind::Run && !run.is_exec_form()
}

/// A one-line-script `RUN` of a POSIX shell that parsed: the merge fix can join it with ` && `.
fn mergeable(run: &Instruction) -> bool {
    run.kind == InstructionKind::Run
        && run.heredocs.is_empty()
        && run.shell.as_deref().is_some_and(|shell| shell.mode() == ShellMode::CommandLine && !shell.has_error())
}

fn flags_text(ctx: &RuleContext<'_>, run: &Instruction) -> Vec<String> {
    run.flags.iter().map(|flag| ctx.file.slice(flag.range).to_owned()).collect()
}

/// Replaces the text from the end of `prev`'s last statement to the start of `next`'s command with
/// ` && \` and a line break.
fn merge_edit(ctx: &RuleContext<'_>, prev: &Instruction, next: &Instruction) -> Option<Edit> {
    let text = ctx.text();
    let end = prev.shell.as_deref()?.last_statement_end()?;
    let rest = next.rest.as_ref()?;
    let tail = text.get(end..prev.range.end)?;
    let gap = text.get(end..rest.range.start)?;
    let rest_of_prev = prev.rest.as_ref()?.raw.trim_end();
    if !tail.trim().is_empty() || gap.contains('#') || rest_of_prev.ends_with('&') && !rest_of_prev.ends_with("&&") {
        return None;
    }
    let escape = prev.escape();
    let nl = ctx.file.newline();
    Some(Edit::replace(bulkhead_syntax::TextRange::new(end, rest.range.start), format!(" && {escape}{nl}    ")))
}
