//! BH305 duplicate-stage-name: two stages share a name (case-insensitively).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::diagnostic::Severity;
use crate::fix::Fix;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_stage;

pub(crate) const RULE: Rule = Rule {
    code: "BH305",
    name: "duplicate-stage-name",
    practice: Practice::MultiStage,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "unsafe: rename the later stage (`name-2`) and its later references",
        decision: "",
    }),
    aliases: &["DL3024", "DS-0012", "DS012", "CKV_DOCKER_11", "DuplicateStageName", "alias-must-be-unique"],
    summary: "Two stages have the same name, so `--from` and `FROM` references are ambiguous.",
    doc: r#"
## What it does
Checks the `AS` names of all stages and reports every stage whose name an earlier stage already uses.
Names are compared case-insensitively, as BuildKit compares them (`AS Build` and `AS build` clash).

## Why it matters
Which stage `COPY --from=build` reads then depends on the builder: BuildKit refuses the file outright,
and builders that accept it resolve the name to one stage or the other depending on where the reference
sits. Either the build breaks, or artifacts silently come from the wrong stage, for example a debug build
or a stage that still holds secrets.

## Example
```dockerfile
FROM node:22 AS build
RUN npm ci && npm run build

FROM node:22 AS build
RUN npm prune --omit=dev

FROM node:22-slim
COPY --from=build /app /app
```

## Use instead
```dockerfile
FROM node:22 AS build
RUN npm ci && npm run build

FROM build AS prune
RUN npm prune --omit=dev

FROM node:22-slim
COPY --from=prune /app /app
```

## Fix
"Rename the stage to `<name>-2`" (unsafe: it decides which stage each reference means) renames the
later stage and every reference that comes after it (`FROM`, `COPY --from`, `RUN --mount=from=`), so
references between the two stages keep meaning the first one. It is not offered when a later reference
holds a variable or quotes, which cannot be rewritten safely.

## How to silence
`# bulkhead ignore=BH305` on the line before the later `FROM`, or `ignore = ["BH305"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3024` and `# check=skip=DuplicateStageName` work too.

## References
- Docker docs: Multi-stage builds, "Name your build stages"; build checks, DuplicateStageName
- hadolint DL3024, Trivy DS-0012
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let stages = &ctx.model.stages;
    let mut refs = None;
    // The first stage of each name (in lower case): one look-up per stage, however many stages there are.
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for stage in stages {
        let (Some(name), Some(range)) = (stage.name.as_deref(), stage.name_range) else { continue };
        let first = match first_of.entry(name.to_ascii_lowercase()) {
            Entry::Vacant(vacant) => {
                vacant.insert(stage.index);
                continue;
            }
            Entry::Occupied(occupied) => &stages[*occupied.get()],
        };
        let line = ctx
            .file
            .instructions()
            .get(first.from)
            .map_or(0, |from| ctx.file.line_index().line_of(from.range.start) + 1);
        let refs = refs.get_or_insert_with(|| util_stage::stage_refs(ctx));
        let new_name = util_stage::unused_stage_name(ctx, &name.to_ascii_lowercase());
        let fix = util_stage::rename_stage(ctx, refs, stage.index, &new_name)
            .map(|edits| Fix::unsafe_(format!("Rename the stage to `{new_name}`"), edits));
        let first_name = first.name.as_deref().unwrap_or_default();
        let message = if first_name == name {
            format!("stage name `{name}` is already used by the stage on line {line}")
        } else {
            format!("stage name `{name}` is already used by `{first_name}` on line {line} (names ignore case)")
        };
        out.push(Finding::new(range, message).with_fixes(fix));
    }
}
