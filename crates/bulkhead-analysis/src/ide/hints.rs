//! Inlay hints: what the text does not say at the place it matters.
//!
//! - the effective user at a `RUN`, `CMD` or `ENTRYPOINT` of a stage that has not set one itself (`user:
//!   root (from python:3.12)`, `user: app (from stage build)`), at the end of the instruction's line;
//! - the value a variable of a `FROM` line resolves to (`alpine:${V}` shows `= 3.20` after `${V}`);
//! - the stage a numeric `--from=0` (or `--mount=from=0`) means.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange};

use crate::context::BuildContext;
use crate::knowledge::Distro;
use crate::model::{Base, EffectiveUser, Model};
use crate::vars::{VarValue, variable_refs_at};

/// What a hint says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HintKind {
    /// The effective user at an instruction that runs something.
    User,
    /// The value of a variable in a `FROM` line.
    ArgValue,
    /// The stage a numeric reference means.
    StageIndex,
}

/// One inlay hint: `label`, shown at byte `offset`, after the text before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub kind: HintKind,
}

/// Which kinds of hints to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HintKinds {
    pub user: bool,
    pub arg_values: bool,
    pub stage_index: bool,
}

impl Default for HintKinds {
    fn default() -> Self {
        Self { user: true, arg_values: true, stage_index: true }
    }
}

/// How much of a value a hint shows.
const MAX_VALUE_CHARS: usize = 40;

/// The hints of the instructions that touch `within`, in document order.
pub fn inlay_hints(
    file: &Dockerfile,
    model: &Model,
    build: &BuildContext,
    within: TextRange,
    kinds: HintKinds,
) -> Vec<InlayHint> {
    let mut res = Vec::new();
    let instructions = file.instructions();
    let first = instructions.partition_point(|instruction| instruction.range.end < within.start);
    for (idx, instruction) in instructions.iter().enumerate().skip(first) {
        if instruction.range.start > within.end {
            break;
        }
        let Some(stage) = model.stage_of(idx) else { continue };
        match instruction.kind {
            InstructionKind::From if kinds.arg_values && stage.from == idx => {
                from_values(model, idx, instruction, &mut res);
            }
            InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint if kinds.user => {
                let set_here =
                    stage.body().take_while(|&i| i < idx).any(|i| instructions[i].kind == InstructionKind::User);
                if !set_here
                    && stage.distro != Distro::Windows
                    && let Some(label) = user_label(file, model, build, idx)
                {
                    res.push(InlayHint { offset: instruction.line_range().end, label, kind: HintKind::User });
                }
            }
            _ => {}
        }
        if kinds.stage_index {
            stage_indices(model, stage.index, instruction, &mut res);
        }
    }
    res.retain(|hint| hint.offset <= file.text().len() && file.text().is_char_boundary(hint.offset));
    res.sort_by_key(|hint| hint.offset);
    res
}

/// `user: …` for instruction `idx`, whose stage has no `USER` before it.
fn user_label(file: &Dockerfile, model: &Model, build: &BuildContext, idx: usize) -> Option<String> {
    let stage = model.stage_of(idx)?;
    match model.user_at(file, idx) {
        EffectiveUser::Explicit { instruction, user, .. } => {
            let from = model.stage_of(instruction).map(|stage| format!(" (from stage {})", stage_title(stage)));
            Some(format!("user: {}{}", shorten(&user), from.unwrap_or_default()))
        }
        EffectiveUser::ImageDefault => match model.root_base(stage) {
            Base::Image(image) => {
                let user = build
                    .image_facts(image)
                    .and_then(|facts| facts.user.clone())
                    .filter(|user| !user.is_empty())
                    .unwrap_or_else(|| "root".to_owned());
                Some(format!("user: {} (from {})", shorten(&user), shorten(&image.raw)))
            }
            Base::Scratch => Some("user: root (scratch)".to_owned()),
            Base::Unresolved(raw) => Some(format!("user: the default of {}", shorten(raw))),
            Base::Stage(_) | Base::Missing => None,
        },
    }
}

/// A stage's name, else its index and base.
fn stage_title(stage: &crate::model::Stage) -> String {
    match (&stage.name, &stage.base_raw) {
        (Some(name), _) => name.clone(),
        (None, Some(base)) => format!("{} ({})", stage.index, shorten(base)),
        (None, None) => stage.index.to_string(),
    }
}

/// `= value` after each variable of a `FROM` line whose value the file says.
fn from_values(model: &Model, idx: usize, instruction: &Instruction, out: &mut Vec<InlayHint>) {
    let logical = instruction.logical_text();
    let start = instruction.args_offset().min(logical.len());
    let Some(args) = logical.get(start..) else { return };
    for var in variable_refs_at(args, instruction.escape()) {
        let label = match model.lookup(idx, &var.name) {
            VarValue::Known("") => "= \"\"".to_owned(),
            VarValue::Known(value) => format!("= {}", shorten(value)),
            VarValue::Undefined => "= \"\" (not declared)".to_owned(),
            VarValue::Unknown => continue,
        };
        let end = start + var.offset + var.len;
        let range = instruction.doc_range_of_logical(TextRange::new(end, end));
        out.push(InlayHint { offset: range.end, label, kind: HintKind::ArgValue });
    }
}

/// The stage after each numeric `--from=N` and `--mount=from=N` of an instruction of stage `current`.
fn stage_indices(model: &Model, current: usize, instruction: &Instruction, out: &mut Vec<InlayHint>) {
    let mut push = |value: &str, end: usize| {
        if let Ok(index) = value.parse::<usize>()
            && index < current
            && let Some(stage) = model.stages.get(index)
        {
            let label = match (&stage.name, &stage.base_raw) {
                (Some(name), _) => format!("stage {name}"),
                (None, Some(base)) => format!("FROM {}", shorten(base)),
                (None, None) => return,
            };
            out.push(InlayHint { offset: end, label, kind: HintKind::StageIndex });
        }
    };
    for flag in instruction.flags_named("from") {
        if let Some(value) = &flag.value {
            push(&value.value, value.range.end);
        }
    }
    for mount in instruction.mounts() {
        if let Some(option) = mount.option(&["from"])
            && let (Some(value), Some(range)) = (&option.value, option.value_range)
        {
            push(value, range.end);
        }
    }
}

/// The first line of `text`, at most [`MAX_VALUE_CHARS`] characters, with `…` when cut.
fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut res: String = line.chars().take(MAX_VALUE_CHARS).collect();
    if res.len() < text.len() {
        res.push('…');
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(text: &str, kinds: HintKinds) -> Vec<(String, String)> {
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        let all = TextRange::new(0, text.len());
        inlay_hints(&file, &model, &BuildContext::default(), all, kinds)
            .into_iter()
            .map(|hint| (text[..hint.offset].lines().last().unwrap_or_default().to_owned(), hint.label))
            .collect()
    }

    #[test]
    fn users_values_and_stage_indices() {
        let text = "ARG V=3.12\nFROM python:${V}-slim AS base\nRUN pip install x\nUSER app\nCMD [\"x\"]\n\
                    FROM base\nRUN \\\n  true\nFROM scratch\nCOPY --from=0 /a /\nCOPY --from=1 /b /\n";
        let got = hints(text, HintKinds::default());
        let expected = [
            ("FROM python:${V}", "= 3.12"),
            ("RUN pip install x", "user: root (from python:3.12-slim)"),
            ("  true", "user: app (from stage base)"),
            ("COPY --from=0", "stage base"),
            ("COPY --from=1", "FROM base"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn each_kind_can_be_turned_off() {
        let text = "ARG V=1\nFROM alpine:$V AS b\nRUN x\nFROM b\nCOPY --from=0 /a /\n";
        assert_eq!(hints(text, HintKinds::default()).len(), 3);
        let none = HintKinds { user: false, arg_values: false, stage_index: false };
        assert!(hints(text, none).is_empty());
        let only_user = HintKinds { user: true, arg_values: false, stage_index: false };
        assert_eq!(hints(text, only_user), [("RUN x".to_owned(), "user: root (from alpine:1)".to_owned())]);
    }
}
