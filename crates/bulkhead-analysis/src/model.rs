//! The semantic model of a Dockerfile: stages, the stage graph, the final stage, variables in scope,
//! base image references, the effective user and the distribution family of each stage.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, ShellCommand, TextRange};

use crate::image::ImageRef;
use crate::knowledge::{self, Distro, PackageManager};
use crate::vars::{self, VarValue};

/// The platform build arguments BuildKit declares in the global scope; their values depend on the build.
pub(crate) const PLATFORM_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
];

/// The other build arguments Docker predefines (usable without an `ARG`); their values depend on the build.
const OTHER_PREDEFINED_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
    "BUILDKIT_INLINE_CACHE",
    "SOURCE_DATE_EPOCH",
];

/// True for a build argument Docker predefines.
fn is_predefined_arg(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name) || OTHER_PREDEFINED_ARGS.contains(&name)
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`.
    Scratch,
    /// `FROM <earlier stage>`.
    Stage(usize),
    /// An image reference, variables substituted.
    Image(ImageRef),
    /// The reference holds a variable whose value is not known; the raw text.
    Unresolved(String),
    /// `FROM` without an image.
    Missing,
}

/// Where a variable was declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Arg,
    Env,
}

/// One variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDef {
    pub name: String,
    /// The value, substituted, when known.
    pub value: Option<String>,
    /// Index of the declaring instruction in [`Dockerfile::instructions`].
    pub instruction: usize,
    pub kind: VarKind,
    /// Range of the `NAME=value` word (or the name alone).
    pub range: TextRange,
}

/// A build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the `FROM` instruction.
    pub from: usize,
    /// One past the index of the stage's last instruction.
    pub end: usize,
    /// The `AS` name as written.
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    pub base: Base,
    /// Range of the image word in `FROM`.
    pub base_range: Option<TextRange>,
    /// The image word as written, before substitution.
    pub base_raw: Option<String>,
    pub platform: Option<String>,
    pub distro: Distro,
    /// Variables declared in this stage, in order (inherited ones are found through [`Base::Stage`]).
    pub vars: Vec<VarDef>,
}

impl Stage {
    /// The package manager of the stage's distribution (inferred from the base image or the commands
    /// its `RUN`s call).
    pub fn package_manager(&self) -> Option<PackageManager> {
        self.distro.package_manager()
    }

    /// Instruction indices of this stage, `FROM` excluded.
    pub fn body(&self) -> std::ops::Range<usize> {
        self.from + 1..self.end
    }

    /// The stage name in lower case, as Docker matches it.
    pub fn key(&self) -> Option<String> {
        self.name.as_ref().map(|n| n.to_ascii_lowercase())
    }

    /// A label for messages: the name, else the index.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("`{name}`"),
            None => format!("#{}", self.index),
        }
    }
}

/// The effective user at some point of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EffectiveUser {
    /// Set by a `USER` instruction (index), value substituted when known.
    Explicit { instruction: usize, user: String, known: bool },
    /// No `USER` in this stage or its ancestors: the base image's default.
    ImageDefault,
}

/// The semantic model. Build it with [`Model::new`]; it borrows nothing.
#[derive(Clone, Debug)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// `ARG`s before the first `FROM`.
    pub global_args: Vec<VarDef>,
    /// Stage index of every instruction (`None` before the first `FROM`).
    stage_of: Vec<Option<usize>>,
}

impl Model {
    pub fn new(file: &Dockerfile) -> Self {
        let instructions = file.instructions();
        let mut model = Model { stages: Vec::new(), global_args: Vec::new(), stage_of: vec![None; instructions.len()] };
        for (idx, instruction) in instructions.iter().enumerate() {
            match instruction.kind {
                InstructionKind::From => {
                    if let Some(last) = model.stages.last_mut() {
                        last.end = idx;
                    }
                    let stage = model.new_stage(idx, instruction);
                    model.stages.push(stage);
                }
                InstructionKind::Arg | InstructionKind::Env => {
                    model.stage_of[idx] = model.stages.len().checked_sub(1);
                    let defs = model.declarations(idx, instruction);
                    match model.stages.last_mut() {
                        Some(stage) => stage.vars.extend(defs),
                        None if instruction.kind == InstructionKind::Arg => model.global_args.extend(defs),
                        None => {}
                    }
                }
                _ => {}
            }
            model.stage_of[idx] = model.stages.len().checked_sub(1);
        }
        if let Some(last) = model.stages.last_mut() {
            last.end = instructions.len();
        }
        for stage_idx in 0..model.stages.len() {
            let distro = model.infer_distro(file, stage_idx);
            model.stages[stage_idx].distro = distro;
        }
        model
    }

    fn new_stage(&self, idx: usize, from: &Instruction) -> Stage {
        let index = self.stages.len();
        let image = from.words.first();
        let alias = match (from.words.get(1), from.words.get(2)) {
            (Some(kw), Some(name)) if kw.value.eq_ignore_ascii_case("as") => Some(name),
            _ => None,
        };
        let base = match image {
            None => Base::Missing,
            Some(word) => {
                let expanded = vars::expand(&word.value, &|name| self.global_lookup(name));
                match expanded {
                    Some(text) if text.eq_ignore_ascii_case("scratch") => Base::Scratch,
                    Some(text) => match self.stage_by_name(&text) {
                        Some(stage) => Base::Stage(stage),
                        None => match ImageRef::parse(&text) {
                            Some(image) => Base::Image(image),
                            None => Base::Unresolved(word.value.clone()),
                        },
                    },
                    None => Base::Unresolved(word.value.clone()),
                }
            }
        };
        Stage {
            index,
            from: idx,
            end: idx + 1,
            name: alias.map(|a| a.value.clone()),
            name_range: alias.map(|a| a.range),
            base,
            base_range: image.map(|w| w.range),
            base_raw: image.map(|w| w.value.clone()),
            platform: from.flag_value("platform").map(str::to_owned),
            distro: Distro::Unknown,
            vars: Vec::new(),
        }
    }

    fn declarations(&self, idx: usize, instruction: &Instruction) -> Vec<VarDef> {
        let kind = if instruction.kind == InstructionKind::Arg { VarKind::Arg } else { VarKind::Env };
        let mut defs: Vec<VarDef> = Vec::new();
        let words = &instruction.words;
        // Legacy `ENV NAME value with spaces`.
        if kind == VarKind::Env
            && let Some(first) = words.first()
            && !first.value.contains('=')
        {
            let value = instruction
                .rest
                .as_ref()
                .map(|rest| rest.value[first.raw.len().min(rest.value.len())..].trim_start().to_owned());
            let value = value.and_then(|v| self.expand_at(idx, &unquote(&v)));
            defs.push(VarDef { name: first.value.clone(), value, instruction: idx, kind, range: first.range });
            return defs;
        }
        for word in words {
            let (name, value) = match word.value.split_once('=') {
                Some((name, value)) => {
                    // Later pairs of one instruction see earlier ones only for ARG, not ENV; substitute
                    // against what was declared before this instruction.
                    (name.to_owned(), self.expand_at(idx, value))
                }
                None if kind == VarKind::Arg => {
                    // `ARG NAME` inside a stage takes the global default, if any.
                    let inherited = if self.stages.is_empty() {
                        None
                    } else {
                        self.global_args.iter().rev().find(|g| g.name == word.value).and_then(|g| g.value.clone())
                    };
                    (word.value.clone(), inherited)
                }
                None => (word.value.clone(), None),
            };
            defs.push(VarDef { name, value, instruction: idx, kind, range: word.range });
        }
        defs
    }

    /// Looks a name up among the global `ARG`s (what `FROM` sees).
    fn global_lookup(&self, name: &str) -> VarValue<'_> {
        match self.global_args.iter().rev().find(|def| def.name == name) {
            Some(VarDef { value: Some(value), .. }) => VarValue::Known(value),
            Some(_) => VarValue::Unknown,
            None if is_predefined_arg(name) => VarValue::Unknown,
            None => VarValue::Undefined,
        }
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stage_of.get(instruction).copied().flatten().map(|idx| &self.stages[idx])
    }

    /// The last stage: what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// True when `stage` is the final stage.
    pub fn is_final(&self, stage: &Stage) -> bool {
        stage.index + 1 == self.stages.len()
    }

    /// The stage called `name` (case-insensitive) or with that index, among the stages built so far.
    pub fn stage_by_name(&self, name: &str) -> Option<usize> {
        if let Ok(index) = name.parse::<usize>() {
            return (index < self.stages.len()).then_some(index);
        }
        self.stages
            .iter()
            .rev()
            .find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .map(|s| s.index)
    }

    /// The stages whose files end up in the final image: the final stage and its `FROM` ancestors.
    pub fn final_lineage(&self) -> Vec<usize> {
        let mut res = Vec::new();
        let mut current = self.stages.len().checked_sub(1);
        while let Some(idx) = current {
            if res.contains(&idx) {
                break;
            }
            res.push(idx);
            current = match self.stages[idx].base {
                Base::Stage(parent) => Some(parent),
                _ => None,
            };
        }
        res
    }

    /// The image a stage is ultimately built on, following `FROM <stage>` links.
    pub fn root_base<'a>(&'a self, stage: &'a Stage) -> &'a Base {
        let mut current = stage;
        for _ in 0..self.stages.len() {
            match current.base {
                Base::Stage(parent) if parent < current.index => current = &self.stages[parent],
                _ => break,
            }
        }
        &current.base
    }

    /// What a point of a stage inherits from, nearest first: `stage` with its instructions before `limit`,
    /// then each `FROM <stage>` ancestor with all of its instructions. Each item is a stage and the index
    /// one past the last instruction of it that counts.
    pub fn ancestry<'a>(&'a self, stage: &'a Stage, limit: usize) -> Vec<(&'a Stage, usize)> {
        let mut stage = stage;
        let mut res = vec![(stage, limit)];
        while let Base::Stage(parent) = stage.base {
            // Invariant: a stage can only name an earlier stage, so this ends.
            if parent >= stage.index {
                break;
            }
            stage = &self.stages[parent];
            res.push((stage, stage.end));
        }
        res
    }

    /// The value of variable `name` as seen by instruction `at` (ENV and ARG of the stage and its
    /// ancestors; global ARGs before the first FROM).
    pub fn lookup(&self, at: usize, name: &str) -> VarValue<'_> {
        let Some(stage) = self.stage_of(at) else {
            return self.global_lookup(name);
        };
        if let Some(def) = self.definition(at, name) {
            return match &def.value {
                Some(value) => VarValue::Known(value),
                None => VarValue::Unknown,
            };
        }
        if is_predefined_arg(name) {
            return VarValue::Unknown;
        }
        // Variables the base image sets (PATH, HOME, ...) are not known without the registry.
        if matches!(self.root_base(stage), Base::Image(_) | Base::Unresolved(_)) {
            return VarValue::Unknown;
        }
        VarValue::Undefined
    }

    /// The `ARG`/`ENV` declaration of `name` that instruction `at` sees: in its stage before it, in its
    /// `FROM <stage>` ancestors, or (before the first `FROM` and in `FROM` lines) among the global `ARG`s.
    pub fn definition(&self, at: usize, name: &str) -> Option<&VarDef> {
        let Some(stage) = self.stage_of(at).filter(|stage| stage.from != at) else {
            return self.global_args.iter().rev().find(|def| def.instruction < at && def.name == name);
        };
        self.ancestry(stage, at)
            .into_iter()
            .find_map(|(current, limit)| current.vars.iter().rev().find(|d| d.instruction < limit && d.name == name))
    }

    /// Expands variables in `text` as instruction `at` sees them.
    pub fn expand_at(&self, at: usize, text: &str) -> Option<String> {
        vars::expand(text, &|name| self.lookup(at, name))
    }

    /// The effective user for instruction `at` of its stage.
    pub fn user_at(&self, file: &Dockerfile, at: usize) -> EffectiveUser {
        let Some(stage) = self.stage_of(at) else {
            return EffectiveUser::ImageDefault;
        };
        let instructions = file.instructions();
        for (stage, limit) in self.ancestry(stage, at + 1) {
            for idx in (stage.from + 1..limit.min(stage.end)).rev() {
                let instruction = &instructions[idx];
                if instruction.kind == InstructionKind::User
                    && let Some(rest) = &instruction.rest
                {
                    let expanded = self.expand_at(idx, &rest.value);
                    return EffectiveUser::Explicit {
                        instruction: idx,
                        known: expanded.is_some(),
                        user: expanded.unwrap_or_else(|| rest.value.clone()),
                    };
                }
            }
        }
        EffectiveUser::ImageDefault
    }

    /// The distribution family of a stage: from its base image, else from the package managers its
    /// `RUN`s call.
    fn infer_distro(&self, file: &Dockerfile, stage_idx: usize) -> Distro {
        let stage = &self.stages[stage_idx];
        let from_base = match &stage.base {
            Base::Scratch => Distro::Scratch,
            Base::Stage(parent) if *parent < stage_idx => self.stages[*parent].distro,
            Base::Image(image) => knowledge::distro_of_image(image),
            _ => Distro::Unknown,
        };
        if from_base != Distro::Unknown {
            return from_base;
        }
        let instructions = file.instructions();
        for idx in stage.body() {
            for command in run_commands(&instructions[idx]) {
                match command.program().and_then(PackageManager::of_program) {
                    Some(PackageManager::Apk) => return Distro::Alpine,
                    Some(PackageManager::Apt) => return Distro::Debian,
                    Some(PackageManager::Dnf) => return Distro::Rhel,
                    Some(PackageManager::Zypper) => return Distro::Suse,
                    None => {}
                }
            }
        }
        Distro::Unknown
    }
}

/// Shell commands of a `RUN` (empty for other instructions and exec form).
pub fn run_commands(instruction: &Instruction) -> &[ShellCommand] {
    match (&instruction.kind, &instruction.shell) {
        (InstructionKind::Run, Some(shell)) => shell.commands(),
        _ => &[],
    }
}

fn unquote(value: &str) -> String {
    let trimmed = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = trimmed.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.to_owned();
        }
    }
    trimmed.to_owned()
}

/// True for `root`, `0`, `root:<group>` and `0:<group>`.
pub fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> (Dockerfile, Model) {
        let file = bulkhead_syntax::parse(text);
        let model = Model::new(&file);
        (file, model)
    }

    #[test]
    fn stages_args_and_graph() {
        let (_, m) = model(
            "ARG TAG=3.12\nARG REG\nFROM python:${TAG}-slim AS build\nARG TAG\nENV A=$TAG\n\
             FROM build AS test\nRUN echo $A\nFROM $REG/app\nFROM scratch\n",
        );
        assert_eq!(m.stages.len(), 4);
        assert_eq!(m.stages[0].base, Base::Image(ImageRef::parse("python:3.12-slim").unwrap()));
        assert_eq!(m.stages[1].base, Base::Stage(0));
        assert_eq!(m.stages[2].base, Base::Unresolved("$REG/app".into()));
        assert_eq!(m.stages[3].base, Base::Scratch);
        assert_eq!(m.stages[0].vars[1].value.as_deref(), Some("3.12"));
        assert_eq!(m.lookup(6, "A"), VarValue::Known("3.12"));
        assert_eq!(m.definition(6, "A").map(|d| d.instruction), Some(4));
        // A FROM line sees the global ARGs only.
        assert!(m.definition(5, "A").is_none());
        assert_eq!(m.definition(2, "TAG").map(|d| d.instruction), Some(0));
        assert_eq!(m.final_lineage(), vec![3]);
        assert_eq!(m.stages[0].distro, Distro::Debian);
    }

    #[test]
    fn effective_user_follows_stage_parents() {
        let text = "FROM alpine AS base\nUSER app\nFROM base\nRUN id\nUSER 0:0\nCMD x\n";
        let (file, m) = model(text);
        assert!(matches!(m.user_at(&file, 3), EffectiveUser::Explicit { instruction: 1, .. }));
        match m.user_at(&file, 5) {
            EffectiveUser::Explicit { user, .. } => assert!(is_root_user(&user)),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(m.user_at(&file, 0), EffectiveUser::ImageDefault);
    }

    #[test]
    fn distro_from_commands() {
        let (_, m) = model("FROM myorg/base\nRUN apk add --no-cache curl\n");
        assert_eq!(m.stages[0].distro, Distro::Alpine);
    }
}
