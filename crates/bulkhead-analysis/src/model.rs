//! The semantic model of a Dockerfile: stages, the stage graph, the final stage, variables in scope,
//! base image references, the effective user and the distribution family of each stage.

use std::collections::HashMap;

use bulkhead_syntax::{CompactText, Dockerfile, Instruction, InstructionKind, ShellCommand, TextRange, Word};

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

/// The proxy build arguments Docker predefines: usable without an `ARG`, in every stage and in `RUN`.
pub(crate) const PROXY_ARGS: &[&str] = &[
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
];

/// The other build arguments Docker predefines; their values depend on the build.
const OTHER_PREDEFINED_ARGS: &[&str] = &["BUILDKIT_INLINE_CACHE", "SOURCE_DATE_EPOCH"];

/// True for a build argument Docker predefines.
fn is_predefined_arg(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name) || PROXY_ARGS.contains(&name) || OTHER_PREDEFINED_ARGS.contains(&name)
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`.
    Scratch,
    /// `FROM <earlier stage>`.
    Stage(usize),
    /// An image reference, variables substituted (boxed: most stages of a long file are built on a stage
    /// and would carry the reference's size each).
    Image(Box<ImageRef>),
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

impl VarKind {
    /// The instruction that declares it: `ARG` or `ENV`.
    pub fn keyword(self) -> &'static str {
        match self {
            VarKind::Arg => "ARG",
            VarKind::Env => "ENV",
        }
    }
}

/// One variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarDef {
    /// The name (a [`CompactText`]: short names need no allocation of their own).
    pub name: CompactText,
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

    /// The instructions of this stage (`FROM` excluded) with their indices.
    pub fn instructions<'a>(&self, file: &'a Dockerfile) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let instructions = file.instructions();
        self.body().filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
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

/// How long a chain of `FROM <stage>` may be. Every look-up of a variable, user or working directory
/// walks a stage's ancestry, so the limit keeps each walk short however many stages a file chains; a
/// stage deeper than this is checked as if built on an unknown image. The whole corpus chains at most 4.
pub const MAX_STAGE_DEPTH: usize = 64;

/// What the model did not analyse because the text went past one of its limits: reported by BH000.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub range: TextRange,
    pub message: String,
}

/// The semantic model. Build it with [`Model::new`]; it borrows nothing.
#[derive(Clone, Debug)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// `ARG`s before the first `FROM`.
    pub global_args: Vec<VarDef>,
    /// Where the text went past a limit of the analysis, in document order of discovery.
    pub limits: Vec<Limit>,
    /// Stage index of every instruction ([`NO_STAGE`] before the first `FROM`): four bytes an instruction.
    stage_of: Vec<u32>,
    /// Every stage of each name (lower case), in file order: the last is the latest.
    named: HashMap<CompactText, Positions>,
    /// The length of each stage's `FROM <stage>` chain (0 for a stage on an image).
    depths: Vec<usize>,
    /// Bytes of variable values the model may still keep (see [`Model::new`]).
    value_budget: usize,
    /// Where each name is declared: positions in [`Stage::vars`] of each stage, ascending.
    stage_vars: Vec<HashMap<CompactText, Positions>>,
    /// Where each name is declared among [`Model::global_args`], ascending.
    global_vars: HashMap<CompactText, Positions>,
}

impl Model {
    /// Builds the model of `file`.
    ///
    /// Variable values are substituted copies (`ARG B=${A}x`), so a chain of declarations could make them
    /// grow with the square of the file. They share a budget of twice the file's size plus 1 MiB: a value
    /// past it is taken as unknown (with a [`Limit`]), which keeps the model's memory linear in the file.
    pub fn new(file: &Dockerfile) -> Self {
        let instructions = file.instructions();
        // The lists and indexes are sized up front (at most one variable a word of an `ARG` or `ENV`):
        // grown by doubling, each held up to twice its size at the peak, while moving to the larger copy.
        let mut declared = vec![0_usize];
        for instruction in instructions {
            match instruction.kind {
                InstructionKind::From => declared.push(0),
                InstructionKind::Arg | InstructionKind::Env => {
                    *declared.last_mut().unwrap_or(&mut 0) += instruction.words.len();
                }
                _ => {}
            }
        }
        let stages = declared.len() - 1;
        let mut model = Model {
            stages: Vec::with_capacity(stages),
            global_args: Vec::with_capacity(declared[0]),
            limits: Vec::new(),
            stage_of: vec![NO_STAGE; instructions.len()],
            named: HashMap::with_capacity(stages),
            depths: Vec::with_capacity(stages),
            value_budget: file.text().len().saturating_mul(2).saturating_add(1 << 20),
            stage_vars: Vec::with_capacity(stages),
            global_vars: HashMap::with_capacity(declared[0]),
        };
        for (idx, instruction) in instructions.iter().enumerate() {
            if let Some(rest) = &instruction.rest
                && rest.value.contains("${")
            {
                let depth = vars::nesting_depth(&rest.value);
                if depth > vars::MAX_NESTING {
                    model.limits.push(Limit {
                        range: rest.range,
                        message: format!(
                            "variable references nested {depth} deep, more than {}: too deep to analyse, their \
                             values are taken as unknown",
                            vars::MAX_NESTING
                        ),
                    });
                }
            }
            let run = instruction.trigger.as_deref().unwrap_or(instruction);
            if let Some(shell) = &run.shell
                && shell.too_large()
            {
                model.limits.push(Limit {
                    range: run.keyword.range,
                    message: format!(
                        "a shell script of {} KiB, more than {} KiB: too large to analyse, the rules that read its \
                         commands skip this instruction",
                        shell.source().len() >> 10,
                        bulkhead_syntax::shell::MAX_SHELL_BYTES >> 10
                    ),
                });
            }
            match instruction.kind {
                InstructionKind::From => {
                    if let Some(last) = model.stages.last_mut() {
                        last.end = idx;
                    }
                    let mut stage = model.new_stage(idx, instruction);
                    let vars = declared.get(stage.index + 1).copied().unwrap_or_default();
                    stage.vars.reserve_exact(vars);
                    if let Some(key) = stage.key() {
                        match model.named.get_mut(key.as_str()) {
                            Some(positions) => positions.push(stage.index),
                            None => {
                                model.named.insert(key.into(), Positions::One(stage.index));
                            }
                        }
                    }
                    model.stages.push(stage);
                    model.stage_vars.push(HashMap::with_capacity(vars));
                }
                InstructionKind::Arg | InstructionKind::Env => {
                    model.stage_of[idx] = model.current_stage();
                    let mut defs = model.declarations(idx, instruction);
                    model.spend_value_budget(&mut defs);
                    // An `ENV` before the first `FROM` declares nothing.
                    let scope = match (model.stages.last_mut(), model.stage_vars.last_mut()) {
                        (Some(stage), Some(index)) => Some((&mut stage.vars, index)),
                        _ if instruction.kind == InstructionKind::Arg => {
                            Some((&mut model.global_args, &mut model.global_vars))
                        }
                        _ => None,
                    };
                    if let Some((vars, index)) = scope {
                        for def in defs {
                            match index.get_mut(def.name.as_str()) {
                                Some(positions) => positions.push(vars.len()),
                                None => {
                                    index.insert(def.name.clone(), Positions::One(vars.len()));
                                }
                            }
                            vars.push(def);
                        }
                    }
                }
                _ => {}
            }
            model.stage_of[idx] = model.current_stage();
        }
        if let Some(last) = model.stages.last_mut() {
            last.end = instructions.len();
        }
        for stage_idx in 0..model.stages.len() {
            let distro = model.infer_distro(file, stage_idx);
            model.stages[stage_idx].distro = distro;
        }
        model.shrink_to_fit();
        model
    }

    /// Drops the spare capacity the lists and indexes grew by doubling: up to as much again as they hold
    /// (2.6 MB of a file of 20,000 `ARG`s), for as long as the model lives.
    fn shrink_to_fit(&mut self) {
        self.stages.shrink_to_fit();
        for stage in &mut self.stages {
            stage.vars.shrink_to_fit();
        }
        self.global_args.shrink_to_fit();
        self.named.shrink_to_fit();
        for index in &mut self.stage_vars {
            index.shrink_to_fit();
        }
        self.stage_vars.shrink_to_fit();
        self.global_vars.shrink_to_fit();
        self.depths.shrink_to_fit();
    }

    /// The index of the stage being built, as [`Model::stage_of`] keeps it.
    fn current_stage(&self) -> u32 {
        self.stages.len().checked_sub(1).and_then(|idx| u32::try_from(idx).ok()).unwrap_or(NO_STAGE)
    }

    /// Charges the values of `defs` to the value budget; a value past it becomes unknown. A kept value
    /// drops the spare capacity its substitution grew (up to as much again as the value).
    fn spend_value_budget(&mut self, defs: &mut [VarDef]) {
        for def in defs {
            let Some(value) = &mut def.value else { continue };
            value.shrink_to_fit();
            match self.value_budget.checked_sub(value.len()) {
                Some(left) => self.value_budget = left,
                None => {
                    def.value = None;
                    if !self.limits.iter().any(|limit| limit.message.starts_with(VALUE_BUDGET_MESSAGE)) {
                        self.limits.push(Limit {
                            range: def.range,
                            message: format!(
                                "{VALUE_BUDGET_MESSAGE}: too large to analyse, the values of `{}` and of the \
                                 variables declared after it are taken as unknown",
                                def.name
                            ),
                        });
                    }
                }
            }
        }
    }

    fn new_stage(&mut self, idx: usize, from: &Instruction) -> Stage {
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
                        Some(stage) if self.depths[stage] >= MAX_STAGE_DEPTH => {
                            self.limits.push(Limit {
                                range: word.range,
                                message: format!(
                                    "a chain of more than {MAX_STAGE_DEPTH} stages built on each other: too deep to \
                                     analyse, this stage is checked as if built on an unknown image"
                                ),
                            });
                            Base::Unresolved(word.value.to_string())
                        }
                        Some(stage) => Base::Stage(stage),
                        None => match ImageRef::parse(&text) {
                            Some(image) => Base::Image(Box::new(image)),
                            None => Base::Unresolved(word.value.to_string()),
                        },
                    },
                    None => Base::Unresolved(word.value.to_string()),
                }
            }
        };
        self.depths.push(match base {
            Base::Stage(parent) => self.depths[parent] + 1,
            _ => 0,
        });
        Stage {
            index,
            from: idx,
            end: idx + 1,
            name: alias.map(|a| a.value.to_string()),
            name_range: alias.map(|a| a.range),
            base,
            base_range: image.map(|w| w.range),
            base_raw: image.map(|w| w.value.to_string()),
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
                    (name.into(), self.expand_at(idx, value))
                }
                None if kind == VarKind::Arg => {
                    // `ARG NAME` inside a stage takes the global default, if any.
                    let inherited = if self.stages.is_empty() {
                        None
                    } else {
                        self.latest_global(&word.value).and_then(|g| g.value.clone())
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
        match self.latest_global(name) {
            Some(VarDef { value: Some(value), .. }) => VarValue::Known(value),
            Some(_) => VarValue::Unknown,
            None if is_predefined_arg(name) => VarValue::Unknown,
            None => VarValue::Undefined,
        }
    }

    /// The last global `ARG` of `name`.
    fn latest_global(&self, name: &str) -> Option<&VarDef> {
        self.global_vars.get(name)?.as_slice().last().map(|&pos| &self.global_args[pos])
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        let idx = *self.stage_of.get(instruction)?;
        self.stages.get(usize::try_from(idx).ok()?)
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
        self.named.get(name.to_ascii_lowercase().as_str()).and_then(|stages| stages.as_slice().last()).copied()
    }

    /// The latest stage called `name` (case-insensitive, as Docker matches) whose `FROM` comes before
    /// instruction `idx`. A binary search in the stages of that name: no scan of every stage per look-up.
    pub fn stage_named_before(&self, name: &str, idx: usize) -> Option<usize> {
        let list = self.named.get(name.to_ascii_lowercase().as_str())?.as_slice();
        let before = list.partition_point(|&stage| self.stages.get(stage).is_some_and(|s| s.from < idx));
        before.checked_sub(1).map(|pos| list[pos])
    }

    /// How many stages have their `FROM` at or before instruction `idx` (stages are in file order).
    pub fn stages_started_by(&self, idx: usize) -> usize {
        self.stages.partition_point(|stage| stage.from <= idx)
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
            return last_before(&self.global_args, self.global_vars.get(name)?.as_slice(), at);
        };
        self.ancestry(stage, at).into_iter().find_map(|(current, limit)| {
            last_before(&current.vars, self.stage_vars.get(current.index)?.get(name)?.as_slice(), limit)
        })
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
                        user: expanded.unwrap_or_else(|| rest.value.to_string()),
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

/// Questions rules ask about stages and their lineage: what the final image runs as and exposes, which
/// stages ship, what a point of a stage inherits (working directories, shell, users), which images the
/// build pulls. They read the instructions, so they take the file the model was built from.
impl Model {
    /// True when instruction `idx` belongs to a stage whose files reach the final image (the final stage
    /// and the stages it is built `FROM`).
    pub fn in_final_lineage(&self, idx: usize) -> bool {
        let lineage = self.final_lineage();
        self.stage_of(idx).is_some_and(|stage| lineage.contains(&stage.index))
    }

    /// The final stage and the user its container runs as (its last `USER`, inherited through
    /// `FROM <stage>`). `None` without stages and for Windows images, whose users work differently.
    pub fn final_user(&self, file: &Dockerfile) -> Option<(&Stage, EffectiveUser)> {
        let stage = self.final_stage().filter(|stage| stage.distro != Distro::Windows)?;
        Some((stage, self.user_at(file, stage.end.saturating_sub(1))))
    }

    /// True when the final image is a bag of files rather than something that runs: built `FROM scratch`
    /// and neither it nor a stage it is built `FROM` sets `CMD` or `ENTRYPOINT`. That is the shape of an
    /// export stage (`docker build --output type=local` copies its files out) and of data-only images;
    /// rules about the running container (user, health check) have nothing to say about it.
    pub fn final_is_file_export(&self, file: &Dockerfile) -> bool {
        let Some(stage) = self.final_stage() else { return false };
        if !matches!(self.root_base(stage), Base::Scratch) {
            return false;
        }
        let instructions = file.instructions();
        !self.final_lineage().iter().filter_map(|&idx| self.stages.get(idx)).any(|stage| {
            stage.body().any(|idx| {
                instructions
                    .get(idx)
                    .is_some_and(|i| matches!(i.kind, InstructionKind::Cmd | InstructionKind::Entrypoint))
            })
        })
    }

    /// Every port the final image exposes, in order; a word whose value is not known (an unset variable)
    /// is left out.
    pub fn final_exposed_ports<'a>(&self, file: &'a Dockerfile) -> Vec<ExposedPort<'a>> {
        let mut res = Vec::new();
        for stage_idx in self.final_lineage() {
            let Some(stage) = self.stages.get(stage_idx) else { continue };
            for (idx, instruction) in stage.instructions(file) {
                if instruction.kind != InstructionKind::Expose {
                    continue;
                }
                for (word, written) in instruction.words.iter().enumerate() {
                    let Some(value) = self.expand_at(idx, &written.value) else { continue };
                    res.push(ExposedPort { instruction, word, value: value.to_ascii_lowercase() });
                }
            }
        }
        res
    }

    /// The path of a `WORKDIR`, quotes removed and variables expanded as instruction `at` sees them;
    /// `None` when a variable's value is not known.
    pub fn workdir_path(&self, at: usize, workdir: &Instruction) -> Option<String> {
        let rest = workdir.rest.as_ref()?;
        let raw = rest.value.trim();
        let unquoted =
            ['"', '\''].iter().find_map(|q| raw.strip_prefix(*q).and_then(|v| v.strip_suffix(*q))).unwrap_or(raw);
        self.expand_at(at, unquoted)
    }

    /// The `WORKDIR`s in force before instruction `at` of `stage`: those of the stage before `at`, then
    /// those of its `FROM <stage>` ancestors, nearest first, with their indices.
    pub fn workdirs_before<'a>(
        &'a self,
        file: &'a Dockerfile,
        stage: &'a Stage,
        at: usize,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let instructions = file.instructions();
        self.ancestry(stage, at).into_iter().flat_map(move |(stage, limit)| {
            (stage.from + 1..limit.min(stage.end))
                .rev()
                .filter_map(move |idx| instructions.get(idx).map(|i| (idx, i)))
                .filter(|(_, i)| i.kind == InstructionKind::Workdir)
        })
    }

    /// The exec-form `SHELL` in force at instruction `at` (the stage before `at`, then its `FROM`
    /// ancestors), as its words; `None` when the stage runs the default shell.
    pub fn shell_at<'a>(&'a self, file: &'a Dockerfile, stage: &'a Stage, at: usize) -> Option<&'a [Word]> {
        let instructions = file.instructions();
        self.ancestry(stage, at).into_iter().find_map(|(stage, limit)| {
            (stage.from + 1..limit.min(stage.end))
                .rev()
                .filter_map(|idx| instructions.get(idx))
                .find(|i| i.kind == InstructionKind::Shell)
                .and_then(|i| i.json.as_deref())
        })
    }

    /// A user the stage (or its `FROM` ancestors) creates with `useradd`/`adduser`, by literal name.
    pub fn created_user(&self, file: &Dockerfile, stage: &Stage) -> Option<String> {
        for (stage, limit) in self.ancestry(stage, stage.end) {
            let instructions = file.instructions().get(stage.from + 1..limit).unwrap_or_default();
            for instruction in instructions.iter().rev() {
                let Some(shell) = instruction.shell.as_deref() else { continue };
                for command in shell.commands().iter().rev() {
                    if matches!(command.program(), Some("useradd" | "adduser")) {
                        // The user name is the last literal argument that is not an option or its value.
                        let args: Vec<&str> = command.arg_values().collect();
                        if let Some(name) = args.last().filter(|a| !a.starts_with('-') && !a.contains('$')) {
                            return Some((*name).to_owned());
                        }
                    }
                }
            }
        }
        None
    }

    /// The literal numeric UID the stage's lineage gives the user `name` (`useradd -u N`, `adduser -u N`),
    /// or the one a well-known base image gives it (distroless `nonroot`, the `node` images' `node`,
    /// `nobody`).
    pub fn user_id(&self, file: &Dockerfile, stage: &Stage, name: &str) -> Option<String> {
        if let Some(id) = self.created_id(file, stage, name, &["useradd", "adduser"], &["-u", "--uid"]) {
            return id;
        }
        // Users that well-known base images create.
        let Base::Image(image) = self.root_base(stage) else { return None };
        match (name, image.short_path()) {
            ("nonroot", path) if path.contains("distroless") || image.registry.as_deref() == Some("cgr.dev") => {
                Some("65532".to_owned())
            }
            ("node", "node") => Some("1000".to_owned()),
            // `nobody` is 65534 on Debian, Ubuntu and Alpine (older RHEL used 99).
            ("nobody", _)
                if matches!(stage.distro, Distro::Debian | Distro::Ubuntu | Distro::Alpine | Distro::Busybox) =>
            {
                Some("65534".to_owned())
            }
            _ => None,
        }
    }

    /// The literal numeric GID the stage's lineage gives the group `name` (`groupadd -g N`).
    pub fn group_id(&self, file: &Dockerfile, stage: &Stage, name: &str) -> Option<String> {
        self.created_id(file, stage, name, &["groupadd", "addgroup"], &["-g", "--gid"]).flatten()
    }

    /// The id the last of the `programs` that creates `name` in the stage's lineage gives it with one of
    /// the `options`: `None` when no command creates it, `Some(None)` when the last one sets no literal id.
    fn created_id(
        &self,
        file: &Dockerfile,
        stage: &Stage,
        name: &str,
        programs: &[&str],
        options: &[&str],
    ) -> Option<Option<String>> {
        for (stage, limit) in self.ancestry(stage, stage.end) {
            let instructions = file.instructions().get(stage.from + 1..limit).unwrap_or_default();
            for instruction in instructions.iter().rev() {
                let Some(shell) = instruction.shell.as_deref() else { continue };
                for command in shell.commands().iter().rev() {
                    if !command.program().is_some_and(|program| programs.contains(&program)) {
                        continue;
                    }
                    let args: Vec<&str> = command.arg_values().collect();
                    if args.last() != Some(&name) {
                        continue;
                    }
                    let mut id = None;
                    for (pos, arg) in args.iter().enumerate() {
                        if options.contains(arg) {
                            id = args.get(pos + 1).copied();
                        } else if let Some((option, value)) = arg.split_once('=')
                            && options.contains(&option)
                        {
                            id = Some(value);
                        }
                    }
                    return Some(
                        id.filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).map(str::to_owned),
                    );
                }
            }
        }
        None
    }

    /// Every image the build pulls, in file order. Stage names, stage indices and `scratch` are not
    /// images.
    pub fn image_uses(&self, file: &Dockerfile) -> Vec<ImageUse> {
        let mut res = Vec::new();
        for stage in &self.stages {
            let (Some(range), Some(raw)) = (stage.base_range, stage.base_raw.clone()) else { continue };
            let image = match &stage.base {
                Base::Image(image) => Some(ImageRef::clone(image)),
                // `FROM delve-${VARIANT}` picks one of the earlier stages.
                Base::Unresolved(_) if self.could_name_stage(&raw) => continue,
                Base::Unresolved(_) => None,
                Base::Scratch | Base::Stage(_) | Base::Missing => continue,
            };
            res.push(ImageUse { range, via: "FROM ", raw, image });
        }
        for (idx, instruction) in file.instructions().iter().enumerate() {
            let (via, sources): (&'static str, Vec<(TextRange, String)>) = match instruction.kind {
                InstructionKind::Copy | InstructionKind::Add => {
                    let sources = instruction
                        .flags_named("from")
                        .filter_map(|flag| flag.value.as_ref().map(|value| (value.range, value.value.to_string())))
                        .collect();
                    (if instruction.kind == InstructionKind::Copy { "COPY --from=" } else { "ADD --from=" }, sources)
                }
                InstructionKind::Run => {
                    let sources = instruction
                        .mounts()
                        .filter_map(|mount| Some((mount.flag.range, mount.from()?.to_owned())))
                        .collect();
                    ("RUN --mount=from=", sources)
                }
                _ => continue,
            };
            for (range, raw) in sources {
                let expanded = self.expand_at(idx, &raw);
                if let Some(text) = &expanded
                    && (self.stage_by_name(text).is_some()
                        || text.eq_ignore_ascii_case("scratch")
                        || text.eq_ignore_ascii_case("context"))
                {
                    continue;
                }
                // A bare word is more likely a named build context (`--build-context src=...`) than an
                // image pulled with no tag at all.
                if expanded.as_deref().is_some_and(|text| !text.contains(['/', ':', '@'])) {
                    continue;
                }
                let image = expanded.as_deref().and_then(ImageRef::parse);
                if image.is_none() && self.could_name_stage(&raw) {
                    continue;
                }
                res.push(ImageUse { range, via, raw, image });
            }
        }
        res.sort_by_key(|image_use| image_use.range.start);
        res
    }

    /// True when `raw`, a reference holding variables, could name one of the file's stages once they are
    /// substituted: its literal pieces appear in a stage name in order (`delve-${V}` and `delve-supported`).
    fn could_name_stage(&self, raw: &str) -> bool {
        let pieces = vars::literal_pieces(raw);
        // One piece (no variable between two literals) can match no name: skip the walk over the stages,
        // which made a file of many unresolved stages quadratic.
        if pieces.len() < 2 {
            return false;
        }
        self.stages.iter().filter_map(|stage| stage.key()).any(|name| {
            let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else { return false };
            let Some(mut rest) = name.strip_prefix(&first.to_ascii_lowercase()) else { return false };
            for piece in pieces.iter().skip(1).take(pieces.len().saturating_sub(2)) {
                let piece = piece.to_ascii_lowercase();
                let Some(pos) = rest.find(&piece) else { return false };
                rest = &rest[pos + piece.len()..];
            }
            pieces.len() > 1 && rest.ends_with(&last.to_ascii_lowercase())
        })
    }
}

/// One port of an `EXPOSE` in the final image (the final stage or a stage it is built `FROM`).
pub struct ExposedPort<'a> {
    pub instruction: &'a Instruction,
    /// Which word of the instruction.
    pub word: usize,
    /// The word's value with variables substituted, lower-cased (`8080`, `53/udp`, `8000-8010/tcp`).
    pub value: String,
}

impl ExposedPort<'_> {
    /// The word as written.
    pub fn range(&self) -> TextRange {
        self.instruction.words[self.word].range
    }
}

/// An image the build pulls from a registry: a `FROM` base, a `COPY --from=<image>` or a
/// `RUN --mount=from=<image>`.
#[derive(Clone, Debug)]
pub struct ImageUse {
    /// Where to report: the image word of `FROM`, the `--from`/`--mount` flag otherwise.
    pub range: TextRange,
    /// How the file pulls it, as a prefix of the reference: `FROM `, `COPY --from=`, `RUN --mount=from=`.
    pub via: &'static str,
    /// The reference as written.
    pub raw: String,
    /// The parsed reference, variables substituted; `None` when a variable's value is unknown.
    pub image: Option<ImageRef>,
}

/// The last of `vars` at `positions` (ascending) declared by an instruction before `limit`: a binary search,
/// so a look-up costs the same however many variables a stage declares.
/// [`Model::stage_of`]'s mark of an instruction before the first `FROM`.
const NO_STAGE: u32 = u32::MAX;

/// Where one name is declared in a scope: positions in its list of [`VarDef`]s (or the stages of one name),
/// ascending. Most names are declared once, and that position is kept inline rather than in a vector of its
/// own (a file of 20,000 `ARG`s or stages had 20,000 one-element vectors).
#[derive(Clone, Debug)]
enum Positions {
    One(usize),
    Many(Vec<usize>),
}

impl Positions {
    fn push(&mut self, pos: usize) {
        match self {
            Positions::One(first) => *self = Positions::Many(vec![*first, pos]),
            Positions::Many(list) => list.push(pos),
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Positions::One(pos) => std::slice::from_ref(pos),
            Positions::Many(list) => list,
        }
    }
}

fn last_before<'a>(vars: &'a [VarDef], positions: &[usize], limit: usize) -> Option<&'a VarDef> {
    let count = positions.partition_point(|&pos| vars[pos].instruction < limit);
    positions[..count].last().map(|&pos| &vars[pos])
}

const VALUE_BUDGET_MESSAGE: &str = "variable values longer than twice the file in total";

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
        assert_eq!(m.stages[0].base, Base::Image(Box::new(ImageRef::parse("python:3.12-slim").unwrap())));
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

    #[test]
    fn long_stage_chains_stop_at_the_limit() {
        let mut text = String::from("FROM alpine:3.20 AS s0\nUSER app\n");
        let stages = 20_000;
        for idx in 1..stages {
            text.push_str(&format!("FROM s{} AS s{idx}\n", idx - 1));
        }
        text.push_str("RUN id\n");
        let (file, m) = model(&text);
        assert_eq!(m.stages.len(), stages);
        // Stage 64 is built on stage 63, 64 deep; stage 65 would be 65 deep: an unknown image instead.
        assert_eq!(m.stages[MAX_STAGE_DEPTH].base, Base::Stage(MAX_STAGE_DEPTH - 1));
        assert_eq!(m.stages[MAX_STAGE_DEPTH + 1].base, Base::Unresolved(format!("s{MAX_STAGE_DEPTH}")));
        assert_eq!(m.limits.len(), stages / (MAX_STAGE_DEPTH + 1));
        assert!(m.limits[0].message.contains("too deep to analyse"), "{:?}", m.limits[0]);
        assert_eq!(m.stage_by_name("S19999"), Some(stages - 1));
        // The last stage's ancestry is cut at the limit too, and the user set in stage 0 is out of its reach.
        let last = m.final_stage().unwrap();
        assert!(m.ancestry(last, last.end).len() <= MAX_STAGE_DEPTH + 1);
        assert_eq!(m.user_at(&file, file.instructions().len() - 1), EffectiveUser::ImageDefault);
        assert!(matches!(m.user_at(&file, MAX_STAGE_DEPTH + 1), EffectiveUser::Explicit { instruction: 1, .. }));
    }

    #[test]
    fn chained_values_share_a_budget_linear_in_the_file() {
        // Each value is the previous one and one more byte: the values alone would take 200 MB.
        let count = 20_000;
        let mut text = String::from("FROM alpine:3.20\nARG A0=x\n");
        for idx in 1..count {
            text.push_str(&format!("ARG A{idx}=${{A{}}}x\n", idx - 1));
        }
        let (_, m) = model(&text);
        let vars = &m.stages[0].vars;
        let kept: usize = vars.iter().filter_map(|def| def.value.as_ref()).map(String::len).sum();
        assert!(kept <= 2 * text.len() + (1 << 20), "{kept} bytes of values for {} bytes of text", text.len());
        assert_eq!(vars[100].value.as_deref(), Some("x".repeat(101).as_str()));
        assert_eq!(vars[count - 1].value, None);
        assert_eq!(m.limits.len(), 1);
        assert!(m.limits[0].message.contains("taken as unknown"), "{:?}", m.limits[0]);
    }

    #[test]
    fn deep_variable_nesting_is_a_limit() {
        let nest = |depth: usize| format!("{}1.0{}", "${V:-".repeat(depth), "}".repeat(depth));
        let text = format!("ARG A={}\nARG B={}\nFROM alpine\n", nest(vars::MAX_NESTING), nest(100_000));
        let (_, m) = model(&text);
        assert_eq!(m.global_args[0].value.as_deref(), Some("1.0"));
        assert_eq!(m.global_args[1].value, None);
        assert_eq!(m.limits.len(), 1);
        assert!(m.limits[0].message.contains("nested 100000 deep"), "{:?}", m.limits[0]);
    }

    #[test]
    fn shell_scripts_past_the_size_limit_are_a_limit() {
        let body = "echo a line of the script\n".repeat(20_000);
        let text =
            format!("FROM alpine\nRUN <<EOF\n{body}EOF\nONBUILD RUN {}\nRUN apk add curl\n", "true && ".repeat(40_000));
        let (file, m) = model(&text);
        assert_eq!(m.limits.len(), 2, "{:?}", m.limits);
        assert!(m.limits[0].message.contains("too large to analyse"), "{:?}", m.limits[0]);
        assert_eq!(file.slice(m.limits[0].range), "RUN");
        // The next RUN is analysed as usual.
        assert_eq!(run_commands(&file.instructions()[3])[0].program(), Some("apk"));
    }
}
