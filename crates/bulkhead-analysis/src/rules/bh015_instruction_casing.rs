//! BH015 instruction-casing: instruction keywords in mixed case, `AS` cased unlike its `FROM`, stage
//! names that are not lower case.

use bulkhead_syntax::{Instruction, InstructionKind};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util_stage;

pub(crate) const RULE: Rule = Rule {
    code: "BH015",
    name: "instruction-casing",
    practice: Practice::Correctness,
    severity: Severity::Hint,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: keywords in the file's majority case; lowercase stage names and their references",
        decision: "",
    }),
    aliases: &["ConsistentInstructionCasing", "FromAsCasing", "StageNameCasing"],
    summary: "Instruction keywords mix upper and lower case, or a stage name is not lower case.",
    doc: r#"
## What it does
Checks three kinds of casing, as BuildKit's build checks do:
- instruction keywords (`ONBUILD` triggers included) that differ from the case most keywords of the file
  use (upper case on a tie), and keywords in mixed case such as `From`;
- the `AS` of a `FROM` line cased unlike its `FROM` (`FROM x as y`);
- stage names that are not all lower case (`AS Build`).

## Why it matters
Docker does not care, but people reading and grepping the file do: `grep '^RUN'` misses `run`, and a
reviewer skims past a lower-case `user root` in a wall of upper-case instructions. Stage names are
matched case-insensitively, so `AS Build` and `--from=build` are the same stage, which hides typos and
duplicate names.

## Example
```dockerfile
FROM alpine:3.20 as Build
run apk add --no-cache make
COPY --from=Build /usr/bin/make /usr/local/bin/
```

## Use instead
```dockerfile
FROM alpine:3.20 AS build
RUN apk add --no-cache make
COPY --from=build /usr/bin/make /usr/local/bin/
```

## Fix
"Write `RUN`" (safe) rewrites a keyword in the file's majority case; "Write `AS`" (safe) matches `AS` to
its `FROM`; "Lower-case the stage name" (safe: Docker matches stage names case-insensitively) rewrites
the name and every reference to it. The stage-name fix is not offered when a reference holds a variable.

## How to silence
`# bulkhead ignore=BH015` on the line before the instruction, or `ignore = ["BH015"]` in
`.bulkhead.toml`. BuildKit's names silence their own part of the rule only, as they do in BuildKit:
- `ConsistentInstructionCasing`: the keyword findings (mixed case, or unlike the file's majority);
- `FromAsCasing`: the `AS` cased unlike its `FROM`;
- `StageNameCasing`: the stage names that are not lower case.

So `# check=skip=FromAsCasing` at the top of the file (a parser directive: before the first
instruction, comment or blank line, as BuildKit reads it) keeps the other two, and `# check=skip=all`
silences all three. The same names work in `# bulkhead ignore=` and `# hadolint ignore=`.

## References
- Docker docs: build checks ConsistentInstructionCasing, FromAsCasing, StageNameCasing
"#,
    check: Check::File(check),
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
    Mixed,
}

fn case_of(word: &str) -> Case {
    if word.chars().all(|c| !c.is_ascii_lowercase()) {
        Case::Upper
    } else if word.chars().all(|c| !c.is_ascii_uppercase()) {
        Case::Lower
    } else {
        Case::Mixed
    }
}

fn in_case(word: &str, case: Case) -> String {
    match case {
        Case::Lower => word.to_ascii_lowercase(),
        _ => word.to_ascii_uppercase(),
    }
}

/// Every instruction keyword with its instruction, `ONBUILD` triggers included.
fn keywords<'a>(ctx: &'a RuleContext<'_>) -> Vec<&'a Instruction> {
    let mut res = Vec::new();
    for instruction in ctx.file.instructions() {
        if instruction.kind == InstructionKind::Unknown {
            continue;
        }
        res.push(instruction);
        if let Some(trigger) = instruction.trigger.as_deref().filter(|t| t.kind != InstructionKind::Unknown) {
            res.push(trigger);
        }
    }
    res
}

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let keywords = keywords(ctx);
    let n_upper = keywords.iter().filter(|i| case_of(&i.keyword.raw) == Case::Upper).count();
    let n_lower = keywords.iter().filter(|i| case_of(&i.keyword.raw) == Case::Lower).count();
    let majority = if n_lower > n_upper { Case::Lower } else { Case::Upper };
    for instruction in &keywords {
        let raw = &instruction.keyword.raw;
        if case_of(raw) == majority {
            continue;
        }
        let wanted = in_case(raw, majority);
        let message = match case_of(raw) {
            Case::Mixed => format!("`{raw}` mixes upper and lower case: write `{wanted}`"),
            _ => format!("`{raw}` is cased unlike most instructions of this file: write `{wanted}`"),
        };
        out.push(
            Finding::new(instruction.keyword.range, message).with_alias("ConsistentInstructionCasing").with_fix(
                Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(instruction.keyword.range, &wanted)]),
            ),
        );
    }
    let mut refs = None;
    for stage in &ctx.model.stages {
        let Some(from) = ctx.file.instructions().get(stage.from) else { continue };
        if let Some(as_word) = from.words.get(1).filter(|w| w.value.eq_ignore_ascii_case("as")) {
            let from_case = match case_of(&from.keyword.raw) {
                Case::Mixed => majority,
                case => case,
            };
            if case_of(&as_word.raw) != from_case {
                let wanted = in_case(&as_word.raw, from_case);
                out.push(
                    Finding::new(
                        as_word.range,
                        format!("`{}` is cased unlike `{}`: write `{wanted}`", as_word.raw, from.keyword.raw),
                    )
                    .with_alias("FromAsCasing")
                    .with_fix(Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(as_word.range, &wanted)])),
                );
            }
        }
        let (Some(name), Some(range)) = (stage.name.as_deref(), stage.name_range) else { continue };
        if !name.chars().any(|c| c.is_ascii_uppercase()) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let refs = refs.get_or_insert_with(|| util_stage::stage_refs(ctx));
        // Only references written in another case need rewriting; the others already match.
        let fix = util_stage::rename_stage(ctx, refs, stage.index, &lower).map(|edits| {
            let edits = edits.into_iter().filter(|e| ctx.file.slice(e.range) != lower).collect();
            Fix::safe("Lower-case the stage name", edits)
        });
        out.push(
            Finding::new(range, format!("stage name `{name}` is not lower case: write `{lower}`"))
                .with_alias("StageNameCasing")
                .with_fixes(fix),
        );
    }
}
