//! BH909 wget-and-curl: one stage of the image downloads with both `wget` and `curl`.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::shell_commands::RunCommands;

pub(crate) const RULE: Rule = Rule {
    code: "BH909",
    name: "wget-and-curl",
    practice: Practice::PackageHygiene,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL4001", "DS-0014", "DS014"],
    summary: "A stage of the image uses both `wget` and `curl`: one download tool is enough.",
    doc: r#"
## What it does
Checks each stage whose files reach the final image (the final stage and the stages it is built
`FROM`) for `RUN` commands that call both `wget` and `curl`, and reports the first use of the second
tool. An exec-form `RUN ["curl", ...]` counts like the shell form. Build stages whose files are only
copied from are not checked, because their tools never ship: hadolint and Trivy check every stage,
Semgrep the whole file. bulkhead cares about what ends up in the image.

## Why it matters
Each download tool is a package with its own TLS stack and CVE history, and one more tool an attacker
with a shell can use to fetch a payload. Keeping one (or, better, none in the runtime image: download in
a build stage and copy the result) means fewer packages to patch and a smaller image. Using one tool
also keeps the download flags (`-fsSL`, `--retry`) consistent across the file.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN wget -q -O /tmp/app.tgz https://example.com/app.tgz
RUN curl -fsSL -o /usr/local/bin/tini https://example.com/tini
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN curl -fsSL -o /tmp/app.tgz https://example.com/app.tgz
RUN curl -fsSL -o /usr/local/bin/tini https://example.com/tini
```

## How to silence
`# bulkhead ignore=BH909` on the line before the `RUN`, or `ignore = ["BH909"]` in `.bulkhead.toml`.
`# hadolint ignore=DL4001` works too.

## References
- Docker docs: Dockerfile best practices, "Don't install unnecessary packages"
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let lineage = ctx.model.final_lineage();
    for stage in ctx.model.stages.iter().filter(|s| lineage.contains(&s.index)) {
        let mut first: Option<&'static str> = None;
        'stage: for (_, instruction) in stage.instructions(ctx.file) {
            // `ONBUILD RUN` triggers run in the images built from this one, not in it.
            let run = Some(instruction).filter(|i| i.kind == InstructionKind::Run).and_then(RunCommands::of);
            let Some(run) = run else { continue };
            for command in run.commands() {
                let tool = match command.program() {
                    Some("wget") => "wget",
                    Some("curl") => "curl",
                    _ => continue,
                };
                match first {
                    None => first = Some(tool),
                    Some(earlier) if earlier != tool => {
                        out.push(Finding::new(
                            run.doc_range(command.range),
                            format!("`{tool}` after `{earlier}` in the same stage: one download tool is enough"),
                        ));
                        break 'stage;
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
