//! BH000 syntax-error: text Docker cannot parse.

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH000",
    name: "syntax-error",
    practice: Practice::Correctness,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "Text that Docker cannot parse (an unknown instruction, missing arguments, an unterminated heredoc), or that goes past a limit of the analysis (too deep or too large to analyse).",
    doc: r#"
## What it does
Reports text the Docker builder rejects: an unknown instruction keyword, an instruction without
arguments, a heredoc whose terminator line never comes, an invalid `# escape=` directive, a flag that
needs a value written without `=` (`COPY --from build /src /dst`, `RUN --mount type=cache`: BuildKit
stops with "missing a value on flag"; `--link`, `--parents` and `--keep-git-dir` need none).

It also reports text bulkhead does not analyse because it goes far past anything real: variable
references nested more than 32 deep (`${A:-${B:-...}}`; their values are taken as unknown), a chain of
more than 64 stages each built `FROM` the one before (the stage is checked as if built on an unknown
image), and variable values that together grow past twice the size of the file (later values are taken
as unknown). The rest of the file is checked as usual.

In a Compose file it reports the YAML error, once, at its place (the parser stops there: the services
above it are still checked, the rules that report a missing key skip the service the error cut short),
and documents over the parser's limits (more than 10,000 aliases, merge keys copying more than 100,000
entries, flow collections nested too deep).

## Why it matters
`docker build` stops at the first of these. bulkhead keeps checking the rest of the file, so the other
findings stay visible while you type.

## Example
```dockerfile
FROM alpine:3.20
RUNN apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## How to silence
Fix the text: the build fails otherwise (for a limit: flatten what nests too deep, split what is too
large). `# bulkhead ignore=BH000` on the line before hides it.
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for error in ctx.file.errors() {
        out.push(Finding::new(error.range, error.message.clone()));
    }
    for limit in &ctx.model.limits {
        out.push(Finding::new(limit.range, limit.message.clone()));
    }
}

fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    if let Some(error) = ctx.file.yaml.error() {
        out.push(Finding::new(error.range, format!("YAML: {}", error.message)));
    }
}
