//! BH005 copy-relative-dest-no-workdir: `COPY`/`ADD` to a relative destination before any `WORKDIR`.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::{util, util_purpose};

pub(crate) const RULE: Rule = Rule {
    code: "BH005",
    name: "copy-relative-dest-no-workdir",
    practice: Practice::Correctness,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["DL3045"],
    summary: "`COPY`/`ADD` to a relative destination while the stage has set no `WORKDIR`.",
    doc: r#"
## What it does
Checks `COPY` and `ADD` whose destination is relative (`COPY app.py .`, `COPY conf/ conf/`) in a stage
where no `WORKDIR` came before, neither in the stage nor in the stages it is built `FROM`. Stages built
on `scratch` are not checked (their working directory is `/`), and neither are destinations whose
variable is not known. On an OS image (`alpine`, `debian`, `ubuntu`, `busybox`, ...), whose working
directory is `/` too, the finding is a hint: where the files land is known, only not written down (a test
that checks files in `/` on purpose is fine as it is).

## Why it matters
A relative destination is resolved against the working directory the base image set. That directory is
the base image maintainer's choice and changes between images and releases: your files can land in
`/`, next to the base image's own files, or where the runtime user cannot read them. The `CMD` that
expects them then fails, or, worse, picks up a different file of the same name.

## Example
```dockerfile
FROM python:3.12-slim
COPY app.py .
CMD ["python", "app.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY app.py .
CMD ["python", "app.py"]
```

## How to silence
`# bulkhead ignore=BH005` on the line before the instruction, or `ignore = ["BH005"]` in
`.bulkhead.toml`. `# hadolint ignore=DL3045` works too.

## References
- Docker docs: Dockerfile reference, `COPY` (destination) and `WORKDIR`
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, copy) in ctx.file.instructions().iter().enumerate() {
        // `ONBUILD COPY` runs in a downstream image whose `WORKDIR` this file does not know.
        if !matches!(copy.kind, InstructionKind::Copy | InstructionKind::Add) {
            continue;
        }
        let Some(dest) = copy.arg_values().last() else { continue };
        if copy.arg_values().count() < 2 {
            continue;
        }
        let Some(path) = ctx.model.expand_at(idx, &dest.value) else { continue };
        if path.is_empty() || util::is_absolute_path(&path) {
            continue;
        }
        let Some(stage) = ctx.model.stage_of(idx) else { continue };
        if matches!(ctx.model.root_base(stage), Base::Scratch)
            || ctx.model.workdirs_before(ctx.file, stage, idx).next().is_some()
        {
            continue;
        }
        let keyword = copy.kind.keyword();
        // An OS image leaves the working directory at `/`: where the files go is known, only not said.
        if let Base::Image(image) = ctx.model.root_base(stage)
            && util_purpose::OS_IMAGES.contains(&image.short_path())
        {
            out.push(
                Finding::new(
                    dest.range,
                    format!(
                        "`{keyword}` to relative `{path}` before any `WORKDIR`: the files land in `/`, `{}`'s \
                         working directory; a `WORKDIR` would say so",
                        image.short_path()
                    ),
                )
                .with_severity(Severity::Hint),
            );
            continue;
        }
        out.push(Finding::new(
            dest.range,
            format!(
                "`{keyword}` to relative `{path}` before any `WORKDIR`: the files land in the base image's working directory"
            ),
        ));
    }
}
