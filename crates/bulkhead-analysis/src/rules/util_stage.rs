//! The stage graph as rules see it: every place that names a stage (`FROM <stage>`, `COPY --from=`,
//! `RUN --mount=...,from=`), what each one resolves to, and the edits that rename a stage everywhere.

use bulkhead_syntax::{Instruction, InstructionKind, TextRange, Word};

use crate::fix::Edit;
use crate::rule::RuleContext;

/// Where a stage name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `FROM <name>`.
    From,
    /// `COPY --from=<name>` (or `ADD --from`).
    CopyFrom,
    /// `RUN --mount=...,from=<name>`.
    MountFrom,
}

/// One use of a name that may be a stage.
#[derive(Clone, Debug)]
pub struct StageRef {
    /// Index of the instruction in [`bulkhead_syntax::Dockerfile::instructions`].
    pub instruction: usize,
    pub kind: RefKind,
    /// The name as written (quotes removed).
    pub written: String,
    /// The name after variable substitution; `None` when a variable's value is not known.
    pub name: Option<String>,
    /// Document range of the name, when it maps exactly onto the text (no quotes, variables or
    /// continuations inside): only such references can be rewritten.
    pub range: Option<TextRange>,
    /// Range to report on: the name, else the whole flag or word.
    pub report_range: TextRange,
    /// The stage it names, if any: a number, or a name defined by a stage that starts before it.
    pub stage: Option<usize>,
}

/// Every stage reference of the file, in order. `ONBUILD` triggers are left out: they run in another build,
/// where this file's stage names mean nothing.
pub fn stage_refs(ctx: &RuleContext<'_>) -> Vec<StageRef> {
    // Sized for the instructions that can hold one: a file of 20,000 stages grew it to twice its length.
    let places = |kind| matches!(kind, InstructionKind::From | InstructionKind::Copy | InstructionKind::Add);
    let mut res = Vec::with_capacity(ctx.file.instructions().iter().filter(|i| places(i.kind)).count());
    res.extend(each_stage_ref(ctx));
    res
}

/// [`stage_refs`] one at a time, for a rule that reads each once: the list of a file of 20,000 stages is
/// 2.4 MB, and the rules that read it run at the same time.
pub fn each_stage_ref<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = StageRef> + 'a {
    ctx.file.instructions().iter().enumerate().flat_map(move |(idx, instruction)| {
        let one = match instruction.kind {
            InstructionKind::From => instruction
                .words
                .first()
                .filter(|word| !word.value.eq_ignore_ascii_case("scratch"))
                .map(|word| make_ref(ctx, idx, RefKind::From, &word.value, exact_range(word), word.range)),
            InstructionKind::Copy | InstructionKind::Add => instruction
                .flag("from")
                .and_then(|flag| flag.value.as_ref())
                .map(|value| make_ref(ctx, idx, RefKind::CopyFrom, &value.value, exact_range(value), value.range)),
            _ => None,
        };
        let mounts = match instruction.kind {
            InstructionKind::Run => mount_refs(ctx, idx, instruction),
            _ => Vec::new(),
        };
        one.into_iter().chain(mounts)
    })
}

fn mount_refs(ctx: &RuleContext<'_>, idx: usize, run: &Instruction) -> Vec<StageRef> {
    let mut res = Vec::new();
    for mount in run.mounts() {
        for option in mount.options().iter().filter(|option| option.key == "from") {
            let Some(name) = option.value.as_deref().filter(|name| !name.is_empty()) else { continue };
            let range = option.value_range.filter(|_| !name.contains('$'));
            res.push(make_ref(ctx, idx, RefKind::MountFrom, name, range, mount.flag.range));
        }
    }
    res
}

fn make_ref(
    ctx: &RuleContext<'_>,
    idx: usize,
    kind: RefKind,
    written: &str,
    range: Option<TextRange>,
    fallback: TextRange,
) -> StageRef {
    let name = if written.contains('$') { ctx.model.expand_at(idx, written) } else { Some(written.to_owned()) };
    let stage = name.as_deref().and_then(|name| resolve(ctx, idx, name));
    StageRef {
        instruction: idx,
        kind,
        written: written.to_owned(),
        name,
        range,
        report_range: range.unwrap_or(fallback),
        stage,
    }
}

/// The stage that `name` names at instruction `idx`: a stage index, or the latest stage of that name
/// (case-insensitive, as Docker matches) whose `FROM` comes before `idx`.
pub fn resolve(ctx: &RuleContext<'_>, idx: usize, name: &str) -> Option<usize> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        let current = ctx.model.stages_started_by(idx);
        return name.parse::<usize>().ok().filter(|n| *n < current);
    }
    ctx.model.stage_named_before(name, idx)
}

/// The range of a word's text when it is plain: what is written is its value, on one line.
fn exact_range(word: &Word) -> Option<TextRange> {
    let plain = word.raw == word.value && word.range.len() == word.raw.len() && !word.raw.contains('$');
    plain.then_some(word.range)
}

/// Edits that rename stage `stage_idx` to `new_name`: its `AS` name and every reference that resolves to
/// it. `None` when some reference cannot be rewritten (it holds a variable or quotes) or its value is not
/// known (it might name the stage), since renaming the stage without it would break the build.
pub fn rename_stage(ctx: &RuleContext<'_>, refs: &[StageRef], stage_idx: usize, new_name: &str) -> Option<Vec<Edit>> {
    let stage = ctx.model.stages.get(stage_idx)?;
    if refs.iter().any(|r| r.name.is_none() && r.instruction > stage.from) {
        return None;
    }
    let mut edits = vec![Edit::replace(stage.name_range?, new_name)];
    for reference in refs.iter().filter(|r| r.stage == Some(stage_idx)) {
        // A numeric reference does not name the stage.
        if reference.name.as_deref().is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())) {
            continue;
        }
        edits.push(Edit::replace(reference.range?, new_name));
    }
    Some(edits)
}

/// A stage name not used by any stage yet: `base`, or `base-2`, `base-3`...
pub fn unused_stage_name(ctx: &RuleContext<'_>, base: &str) -> String {
    let taken =
        |name: &str| ctx.model.stages.iter().any(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)));
    if !taken(base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|name| !taken(name)).unwrap_or_else(|| base.to_owned())
}
