//! BH018 undefined-variable: an instruction expands a variable that is clearly not defined at that point.

use bulkhead_syntax::{Instruction, InstructionKind, TextRange, Word};

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::model::{Base, Stage};
use crate::model::{PLATFORM_ARGS, PROXY_ARGS};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::bh019_from_arg_invalid::ref_range;
use crate::rules::{util, util_edit};
use crate::vars;

pub(crate) const RULE: Rule = Rule {
    code: "BH018",
    name: "undefined-variable",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan { planned: "unsafe: did-you-mean rename", decision: "" }),
    aliases: &["UndefinedVar"],
    summary: "An instruction uses a `$VARIABLE` that is not defined there, so it expands to nothing.",
    doc: r#"
## What it does
Checks the variables Docker expands in `ADD`, `COPY` (and their `--chown`/`--chmod`/`--from`), `ENV`,
`ARG` defaults, `EXPOSE`, `LABEL`, `STOPSIGNAL`, `USER`, `VOLUME` and `WORKDIR`. `RUN`, `CMD` and
`ENTRYPOINT` are left to the shell, and `FROM` to BH019.

bulkhead does not pull base images, so it cannot see the `ENV` a base image sets (`PATH`, `HOME`,
`JAVA_HOME`, `GOPATH`...). Unlike BuildKit's UndefinedVar, which reads the image config, it therefore
reports only what is clearly undefined, and stays silent otherwise:
- a build platform argument (`TARGETARCH`, `BUILDPLATFORM`...) or a global `ARG` used in a stage
  that does not declare it again: both live only before the first `FROM`;
- a name within two edits of a variable that is defined there (a typo);
- a name that the same stage only defines later;
- any undefined name in a stage built from `scratch`, which has no environment but `PATH`.
Names that base images commonly set (`PATH`, `HOME`, `GOPATH`, `JAVA_HOME`...) are never reported, and a
reference with a default (`${NAME:-x}`) is not either.

## Why it matters
An undefined variable expands to an empty string without an error: `COPY app-${TARGETARCH} /app`
copies a file called `app-`, `USER ${APP_USER}` becomes `USER ` and `WORKDIR $APP_HOEM` puts the app in
`/`. The build "works" and ships something other than what the file says, often with looser ownership
or in the wrong place.

## Example
```dockerfile
ARG VERSION=1.4.2
FROM alpine:3.20
COPY dist/app-${VERSION}-${TARGETARCH}.tar.gz /tmp/
```

## Use instead
```dockerfile
ARG VERSION=1.4.2
FROM alpine:3.20
ARG VERSION
ARG TARGETARCH
COPY dist/app-${VERSION}-${TARGETARCH}.tar.gz /tmp/
```

## Fix
"Declare `ARG <name>` in this stage" (unsafe: the value then comes from the build) adds the `ARG` right
after the stage's `FROM`, for global and platform arguments. "Use `<name>`" (unsafe) replaces a typo by
the defined name it is closest to.

## How to silence
`# bulkhead ignore=BH018` on the line before the instruction, `ignore = ["BH018"]` in `.bulkhead.toml`,
or `# check=skip=UndefinedVar`.

## References
- Docker docs: Dockerfile reference, "Environment replacement", "ARG" scope; build checks, UndefinedVar
"#,
    check: Check::File(check),
};

/// Variables that base images commonly set: never reported, since they may well be defined.
const IMAGE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "HOSTNAME",
    "USER",
    "PWD",
    "SHELL",
    "TERM",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "TZ",
    "GOPATH",
    "GOROOT",
    "JAVA_HOME",
    "PYTHONPATH",
    "NODE_PATH",
    "LD_LIBRARY_PATH",
    "CARGO_HOME",
    "RUSTUP_HOME",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let instructions = ctx.file.instructions();
    for stage in &ctx.model.stages {
        for idx in stage.body() {
            let Some(instruction) = instructions.get(idx) else { continue };
            for word in expanded_words(instruction) {
                for var in vars::variable_refs_at(&word.raw, instruction.escape()) {
                    if let Some(finding) = undefined(ctx, stage, idx, instruction, word, &var) {
                        out.push(finding);
                    }
                }
            }
        }
    }
}

/// The words of an instruction that Docker expands variables in.
fn expanded_words(instruction: &Instruction) -> Vec<&Word> {
    match instruction.kind {
        InstructionKind::Add | InstructionKind::Copy => {
            let mut words: Vec<&Word> = instruction.arg_values().collect();
            words.extend(
                instruction
                    .flags
                    .iter()
                    .filter(|f| matches!(f.name.as_str(), "chown" | "chmod" | "from"))
                    .filter_map(|f| f.value.as_ref()),
            );
            words
        }
        InstructionKind::Env
        | InstructionKind::Arg
        | InstructionKind::Expose
        | InstructionKind::Label
        | InstructionKind::Stopsignal
        | InstructionKind::User
        | InstructionKind::Volume
        | InstructionKind::Workdir => instruction.arg_values().collect(),
        _ => Vec::new(),
    }
}

fn undefined(
    ctx: &RuleContext<'_>,
    stage: &Stage,
    idx: usize,
    instruction: &Instruction,
    word: &Word,
    var: &vars::VarRef,
) -> Option<Finding> {
    let name = var.name.as_str();
    if var.has_default || ctx.model.definition(idx, name).is_some() || PROXY_ARGS.contains(&name) {
        return None;
    }
    // Pairs of one ENV/ARG: BH011 covers ENV self-references; ARG pairs see each other.
    let same_instruction = stage.vars.iter().any(|d| d.instruction == idx && d.name == name);
    if same_instruction {
        return None;
    }
    let range = ref_range(word, var.offset, var.len).unwrap_or(word.range);
    let from = ctx.file.instructions().get(stage.from)?;
    let declare_fix = Fix::unsafe_(
        format!("Declare `ARG {name}` in this stage"),
        vec![util_edit::insert_lines_after(ctx.file, from, &[format!("ARG {name}")])],
    );
    if PLATFORM_ARGS.contains(&name) {
        return Some(
            Finding::new(range, format!("`${name}` is empty here: platform arguments exist only before the first `FROM` unless the stage declares `ARG {name}`"))
                .with_fix(declare_fix),
        );
    }
    if ctx.model.global_args.iter().any(|d| d.name == name) {
        return Some(
            Finding::new(range, format!("`${name}` is empty here: the global `ARG {name}` is not visible in a stage that does not declare `ARG {name}` again"))
                .with_fix(declare_fix),
        );
    }
    if IMAGE_ENV.contains(&name) {
        return None;
    }
    // A near miss of a name base images set (`$PTAH`): stricter than for the file's own variables, since
    // the image's variables are not known: the same letters swapped, or one edit in a long name.
    let image_typo = IMAGE_ENV.iter().copied().find(|known| is_image_env_typo(name, known));
    let in_scope = ctx
        .model
        .ancestry(stage, idx)
        .into_iter()
        .flat_map(|(s, limit)| s.vars.iter().filter(move |d| d.instruction < limit))
        .map(|d| d.name.as_str())
        .chain(ctx.model.global_args.iter().map(|d| d.name.as_str()));
    if let Some(suggestion) = util::did_you_mean(name, in_scope, 2).or(image_typo) {
        let fix = ref_range(word, var.offset, var.len).map(|range| {
            let name_start = range.start + if var.len > name.len() + 1 { 2 } else { 1 };
            Fix::unsafe_(
                format!("Use `{suggestion}`"),
                vec![Edit::replace(TextRange::new(name_start, name_start + name.len()), suggestion)],
            )
        });
        return Some(
            Finding::new(range, format!("`${name}` is not defined here (did you mean `{suggestion}`?)"))
                .with_fixes(fix),
        );
    }
    if let Some(later) = stage.vars.iter().find(|d| d.name == name && d.instruction > idx) {
        let line = ctx.file.line_index().line_of(later.range.start) + 1;
        let keyword = instruction.keyword.value.as_str();
        return Some(Finding::new(
            range,
            format!(
                "`${name}` is used by this `{keyword}` before it is defined on line {line}: here it expands to nothing"
            ),
        ));
    }
    if matches!(ctx.model.root_base(stage), Base::Scratch) {
        return Some(Finding::new(
            range,
            format!("`${name}` is not defined: a stage built from `scratch` has no such variable"),
        ));
    }
    None
}

/// True when `name` looks like a typo of `known`, a variable base images set: the same letters in another
/// order (`PTAH`), or, for names of six letters or more, one edit away (`JAVA_HOM`).
fn is_image_env_typo(name: &str, known: &str) -> bool {
    let sorted = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars.sort_unstable();
        chars
    };
    name != known
        && (name.len() == known.len() && sorted(name) == sorted(known)
            || known.len() >= 6 && util::edit_distance(name, known) == 1)
}
