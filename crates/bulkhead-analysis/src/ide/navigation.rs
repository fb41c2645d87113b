//! Go to definition, references, document highlight and rename, for the three kinds of names a
//! Dockerfile has: stage names (`AS x`, `FROM x`, `--from=x`, `--mount=from=x`), `ARG`/`ENV` variables
//! (declarations and every `$X`, `${X}`, `${X:-d}` use), and heredoc delimiters.
//!
//! Variables follow Docker's scopes through [`Model::definition`]: a `FROM` line sees the global `ARG`s,
//! a stage sees its own declarations and those of the stages it is built `FROM`, and a global `ARG` only
//! where a stage declares it again (`ARG X`). Declarations of one name that see each other are one
//! variable: the stage's `ARG X` and the global `ARG X=1` it takes its default from, and `ENV PATH=...`
//! and the `PATH` it overwrites, so a rename keeps the file building the same way. A `$X` inside a shell
//! `RUN` is the shell's, which sees `ARG`/`ENV` as its environment: it is a use too (not in single quotes,
//! where the shell does not expand it).

use std::collections::HashMap;

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange};

use crate::fix::Edit;
use crate::model::{Model, PLATFORM_ARGS, VarDef};
use crate::vars::variable_refs_at as variable_refs;

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Stage,
    Variable,
    Heredoc,
}

/// Which symbol an occurrence belongs to (private: an index into this file's symbols).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Stage(usize),
    /// A group of declarations that see each other (see the module doc), by its representative.
    Var(usize),
    /// A variable no declaration of this file defines there (`$HOME`, a platform argument, a typo).
    Undeclared(String),
    /// Heredoc `heredoc` of instruction `instruction`.
    Heredoc {
        instruction: usize,
        heredoc: usize,
    },
}

/// One occurrence of a name in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The name's range (for `${X:-d}`, only `X`).
    pub range: TextRange,
    pub kind: SymbolKind,
    /// A declaration (`AS x`, `ARG X`, `ENV X=`, `<<EOF`) rather than a use.
    pub declaration: bool,
    /// The declaration this occurrence resolves to: itself for a declaration, the one it refers to for a
    /// use or a re-declaration (`ARG X` in a stage: the global `ARG X`), `None` when nothing declares it.
    pub target: Option<TextRange>,
    /// A rename rewrites this occurrence (`--from=0` names a stage by its index: it stays).
    pub renamable: bool,
    key: Key,
}

/// Every named occurrence of a file, sorted by position: build it once per parse and ask it many times.
pub struct NameIndex {
    occurrences: Vec<Occurrence>,
}

/// The occurrences of the symbol at `offset` (a cursor at the end of a name counts), declaration and
/// uses, in document order; empty when there is no name there.
pub fn references(file: &Dockerfile, model: &Model, offset: usize) -> Vec<Occurrence> {
    NameIndex::new(file, model).references(offset)
}

/// Where the name at `offset` is declared: the declaration a use resolves to (for a declaration, itself,
/// or for `ARG X` in a stage, the global `ARG X` it re-declares).
pub fn definition(file: &Dockerfile, model: &Model, offset: usize) -> Option<TextRange> {
    NameIndex::new(file, model).definition(offset)
}

/// The range a rename at `offset` would edit, with what the name is; an error saying why not.
pub fn prepare_rename(file: &Dockerfile, model: &Model, offset: usize) -> Result<(TextRange, SymbolKind), String> {
    NameIndex::new(file, model).prepare_rename(file, offset)
}

/// The edits that rename the symbol at `offset` to `new_name`, or why it cannot be renamed: the new name
/// is not a valid name for what it renames, or it is already taken.
pub fn rename(file: &Dockerfile, model: &Model, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
    NameIndex::new(file, model).rename(file, model, offset, new_name)
}

impl NameIndex {
    /// Every occurrence, sorted by position.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// See [`references`].
    pub fn references(&self, offset: usize) -> Vec<Occurrence> {
        let Some(key) = self.at(offset).map(|occ| occ.key.clone()) else { return Vec::new() };
        self.occurrences.iter().filter(|occ| occ.key == key).cloned().collect()
    }

    /// See [`definition`].
    pub fn definition(&self, offset: usize) -> Option<TextRange> {
        let occ = self.at(offset)?;
        if occ.declaration && occ.kind == SymbolKind::Variable {
            // A re-declaration points to the declaration it takes over from.
            return occ.target.filter(|target| *target != occ.range).or(Some(occ.range));
        }
        occ.target
    }

    /// See [`prepare_rename`]; `file` is the text the index was built from.
    pub fn prepare_rename(&self, file: &Dockerfile, offset: usize) -> Result<(TextRange, SymbolKind), String> {
        let Some(occ) = self.at(offset) else {
            return Err("no stage, variable or heredoc name here".to_owned());
        };
        check_renamable(file, occ)?;
        Ok((occ.range, occ.kind))
    }

    /// See [`rename`]; `file` and `model` are those the index was built from.
    pub fn rename(&self, file: &Dockerfile, model: &Model, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
        let index = self;
        let Some(occ) = index.at(offset) else {
            return Err("no stage, variable or heredoc name here".to_owned());
        };
        check_renamable(file, occ)?;
        let old = file.slice(occ.range).to_owned();
        let new_name = new_name.trim();
        match occ.kind {
            SymbolKind::Variable => {
                if !is_variable_name(new_name) {
                    return Err(format!(
                        "`{new_name}` is not a variable name: a letter or `_`, then letters, digits or `_`"
                    ));
                }
                if new_name != old && declares(model, new_name) {
                    return Err(format!("a variable `{new_name}` is already declared in this file"));
                }
                if new_name != old && PLATFORM_ARGS.contains(&new_name) {
                    return Err(format!("`{new_name}` is a build argument Docker predefines"));
                }
            }
            SymbolKind::Stage => {
                if !is_stage_name(new_name) {
                    return Err(format!(
                        "`{new_name}` is not a stage name: a letter, then letters, digits, `-`, `_` or `.` (Docker \
                         matches stage names in lower case)"
                    ));
                }
                if new_name.eq_ignore_ascii_case("scratch") {
                    return Err("`scratch` is reserved: `FROM scratch` is the empty image".to_owned());
                }
                let Key::Stage(stage) = occ.key else { unreachable!("a stage occurrence has a stage key") };
                let taken = model.stages.iter().any(|other| {
                    other.index != stage && other.name.as_ref().is_some_and(|name| name.eq_ignore_ascii_case(new_name))
                });
                if taken {
                    return Err(format!("another stage is already called `{new_name}`"));
                }
            }
            SymbolKind::Heredoc => {
                if !is_variable_name(new_name) {
                    return Err(format!(
                        "`{new_name}` is not a heredoc delimiter this server writes: a letter or `_`, then letters, digits \
                         or `_`"
                    ));
                }
                let Key::Heredoc { instruction, heredoc } = occ.key else {
                    unreachable!("a heredoc occurrence has a heredoc key")
                };
                let taken = file.instructions().get(instruction).is_some_and(|i| {
                    i.heredocs.iter().enumerate().any(|(idx, h)| idx != heredoc && h.name == new_name)
                });
                if taken {
                    return Err(format!("this instruction already has a heredoc `{new_name}`"));
                }
            }
        }
        let key = occ.key.clone();
        Ok(index
            .occurrences
            .iter()
            .filter(|other| other.key == key && other.renamable)
            .map(|other| Edit::replace(other.range, new_name))
            .collect())
    }
}

fn check_renamable(file: &Dockerfile, occ: &Occurrence) -> Result<(), String> {
    if let Key::Undeclared(name) = &occ.key {
        return Err(format!("`{name}` is not declared in this file (it comes from the base image or from Docker)"));
    }
    if !occ.renamable {
        return Err(format!("`{}` names a stage by its index: rename the stage at its `AS`", file.slice(occ.range)));
    }
    Ok(())
}

/// True for a name `ARG`/`ENV` may declare and `$` may use.
pub fn is_variable_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// True for a name BuildKit accepts after `AS` (`^[a-z][a-z0-9-_.]*$`, case-insensitively).
pub fn is_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// True when some `ARG`/`ENV` of the file declares `name`.
fn declares(model: &Model, name: &str) -> bool {
    model.global_args.iter().chain(model.stages.iter().flat_map(|stage| &stage.vars)).any(|def| def.name == name)
}

/// The range of a declaration's name inside its `NAME=value` word, when the word starts with it.
fn name_range(file: &Dockerfile, def: &VarDef) -> Option<TextRange> {
    let range = TextRange::new(def.range.start, def.range.start + def.name.len());
    (file.text().get(range.as_range()) == Some(def.name.as_str())).then_some(range)
}

/// Union-find over declarations, by their position in [`Index::defs`].
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn find(&mut self, mut at: usize) -> usize {
        while self.parent[at] != at {
            self.parent[at] = self.parent[self.parent[at]];
            at = self.parent[at];
        }
        at
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

impl NameIndex {
    pub fn new(file: &Dockerfile, model: &Model) -> Self {
        let mut occurrences = Vec::new();
        let defs: Vec<&VarDef> =
            model.global_args.iter().chain(model.stages.iter().flat_map(|stage| &stage.vars)).collect();
        let position: HashMap<(usize, usize), usize> =
            defs.iter().enumerate().map(|(pos, def)| ((def.instruction, def.range.start), pos)).collect();
        let pos_of = |def: &VarDef| position.get(&(def.instruction, def.range.start)).copied();
        // What each declaration takes over from: the earlier one of its name it sees, or for a stage's
        // `ARG X`, the global `ARG X` (what its `FROM` line sees).
        let mut groups = Groups { parent: (0..defs.len()).collect() };
        let mut previous = vec![None; defs.len()];
        for (pos, def) in defs.iter().enumerate() {
            let earlier = model.definition(def.instruction, &def.name).or_else(|| {
                let stage = model.stage_of(def.instruction)?;
                (def.kind == crate::model::VarKind::Arg).then(|| model.definition(stage.from, &def.name)).flatten()
            });
            if let Some(earlier) = earlier.and_then(pos_of) {
                groups.union(pos, earlier);
                previous[pos] = Some(earlier);
            }
        }
        let var_occurrence = |groups: &mut Groups, pos: usize, range: TextRange, declaration: bool| {
            let target = previous[pos].filter(|_| declaration).unwrap_or(pos);
            Occurrence {
                range,
                kind: SymbolKind::Variable,
                declaration,
                target: name_range(file, defs[target]),
                renamable: true,
                key: Key::Var(groups.find(pos)),
            }
        };
        for (pos, def) in defs.iter().enumerate() {
            if let Some(range) = name_range(file, def) {
                occurrences.push(var_occurrence(&mut groups, pos, range, true));
            }
        }
        for (idx, instruction) in file.instructions().iter().enumerate() {
            for (range, name) in variable_uses(file, instruction) {
                let occ = match model.definition(idx, name).and_then(pos_of) {
                    Some(pos) => var_occurrence(&mut groups, pos, range, false),
                    None => Occurrence {
                        range,
                        kind: SymbolKind::Variable,
                        declaration: false,
                        target: None,
                        renamable: true,
                        key: Key::Undeclared(name.to_owned()),
                    },
                };
                occurrences.push(occ);
            }
            stage_occurrences(file, model, idx, instruction, &mut occurrences);
            for (heredoc_idx, heredoc) in instruction.heredocs.iter().enumerate() {
                let key = Key::Heredoc { instruction: idx, heredoc: heredoc_idx };
                let marker = find_name(file, heredoc.marker, &heredoc.name);
                for (range, declaration) in
                    [(marker, true), (find_name(file, heredoc.terminator, &heredoc.name), false)]
                {
                    if let Some(range) = range {
                        occurrences.push(Occurrence {
                            range,
                            kind: SymbolKind::Heredoc,
                            declaration,
                            target: marker,
                            renamable: true,
                            key: key.clone(),
                        });
                    }
                }
            }
        }
        occurrences.sort_by_key(|occ| (occ.range.start, occ.range.end));
        NameIndex { occurrences }
    }

    /// The occurrence under `offset`; one that holds it wins over one that ends at it.
    fn at(&self, offset: usize) -> Option<&Occurrence> {
        let holds = self.occurrences.iter().find(|occ| occ.range.start <= offset && offset < occ.range.end);
        holds.or_else(|| self.occurrences.iter().find(|occ| occ.range.touches(offset)))
    }
}

/// The range of `name` inside `within` (a heredoc marker or terminator line).
fn find_name(file: &Dockerfile, within: TextRange, name: &str) -> Option<TextRange> {
    if name.is_empty() {
        return None;
    }
    let start = within.start + file.slice(within).find(name)?;
    Some(TextRange::new(start, start + name.len()))
}

/// Every `$X` of an instruction: its name's document range and the name. The arguments on its lines (not
/// in an exec-form JSON array, where nothing expands) and the bodies of its heredocs whose delimiter is not
/// quoted.
fn variable_uses<'a>(file: &'a Dockerfile, instruction: &'a Instruction) -> Vec<(TextRange, &'a str)> {
    let mut res = Vec::new();
    let logical = instruction.logical_text();
    let exec = instruction.is_exec_form()
        && matches!(instruction.kind, InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint);
    let start = instruction.args_offset().min(logical.len());
    if !exec && logical.is_char_boundary(start) {
        // A `RUN`'s text is the shell's, whose escape is `\` whatever the file's is.
        let escape = if instruction.kind == InstructionKind::Run { '\\' } else { instruction.escape() };
        for var in variable_refs(&logical[start..], escape) {
            let name_start =
                start + var.offset + 1 + usize::from(logical.as_bytes().get(start + var.offset + 1) == Some(&b'{'));
            let logical_range = TextRange::new(name_start, name_start + var.name.len());
            let range = instruction.doc_range_of_logical(logical_range);
            // A name split by a line continuation maps to several pieces: only a whole one is a use.
            if file.text().get(range.as_range()) == Some(var.name.as_str())
                && let Some(name) = file.text().get(range.as_range())
            {
                res.push((range, name));
            }
        }
    }
    for heredoc in instruction.heredocs.iter().filter(|heredoc| !heredoc.quoted) {
        let body = file.slice(heredoc.body);
        for var in variable_refs(body, '\\') {
            let name_start =
                heredoc.body.start + var.offset + 1 + usize::from(body.as_bytes().get(var.offset + 1) == Some(&b'{'));
            let range = TextRange::new(name_start, name_start + var.name.len());
            if let Some(name) = file.text().get(range.as_range()) {
                res.push((range, name));
            }
        }
    }
    res
}

/// The stage an instruction of stage `current` means by `name`: the latest earlier stage of that name,
/// or the stage of that index. With its renamability (a name, not an index).
pub(crate) fn earlier_stage(model: &Model, current: usize, name: &str) -> Option<(usize, bool)> {
    if let Ok(index) = name.parse::<usize>() {
        return (index < current).then_some((index, false));
    }
    model.stages[..current.min(model.stages.len())]
        .iter()
        .rev()
        .find(|stage| stage.name.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .map(|stage| (stage.index, true))
}

/// The stage names an instruction declares or uses.
fn stage_occurrences(
    file: &Dockerfile,
    model: &Model,
    idx: usize,
    instruction: &Instruction,
    out: &mut Vec<Occurrence>,
) {
    let Some(stage) = model.stage_of(idx) else { return };
    let mut push = |range: TextRange, target: usize, declaration: bool, renamable: bool| {
        out.push(Occurrence {
            range,
            kind: SymbolKind::Stage,
            declaration,
            target: model.stages[target].name_range,
            renamable,
            key: Key::Stage(target),
        });
    };
    let mut use_of = |range: TextRange, name: &str| {
        // Only text that is the name as written (no quotes, no variable): that is what a rename rewrites.
        if file.slice(range) == name
            && let Some((target, renamable)) = earlier_stage(model, stage.index, name)
        {
            push(range, target, false, renamable);
        }
    };
    match instruction.kind {
        InstructionKind::From if stage.from == idx => {
            if let Some(word) = instruction.words.first() {
                use_of(word.range, &word.value);
            }
            if let Some(range) = stage.name_range {
                push(range, stage.index, true, true);
            }
        }
        InstructionKind::Copy | InstructionKind::Add => {
            for flag in instruction.flags_named("from") {
                if let Some(value) = &flag.value {
                    use_of(value.range, &value.value);
                }
            }
        }
        InstructionKind::Run => {
            for mount in instruction.mounts() {
                if let Some(option) = mount.option(&["from"])
                    && let (Some(value), Some(range)) = (&option.value, option.value_range)
                {
                    use_of(range, value);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with `|` marking the cursor, the parse without it, and the cursor's offset.
    fn at(marked: &str) -> (Dockerfile, Model, usize) {
        let offset = marked.find('|').expect("a cursor");
        let text = marked.replacen('|', "", 1);
        let file = bulkhead_syntax::parse(&text);
        let model = Model::new(&file);
        (file, model, offset)
    }

    fn slices(file: &Dockerfile, occs: &[Occurrence]) -> Vec<(usize, String)> {
        occs.iter().map(|occ| (file.line_index().line_of(occ.range.start), file.slice(occ.range).to_owned())).collect()
    }

    #[test]
    fn stage_names_across_from_copy_and_mount() {
        let (file, model, offset) = at(
            "FROM alpine AS bu|ild\nRUN true\nFROM build AS test\nCOPY --from=build /a /b\n\
             RUN --mount=type=cache,from=build,target=/c true\nCOPY --from=0 /x /y\nFROM scratch\nCOPY --from=BUILD /a /\n",
        );
        let refs = references(&file, &model, offset);
        assert_eq!(
            slices(&file, &refs),
            [(0, "build"), (2, "build"), (3, "build"), (4, "build"), (5, "0"), (7, "BUILD")]
                .map(|(l, s)| (l, s.to_owned()))
        );
        // Every use resolves to the `AS`.
        let decl = refs[0].range;
        assert!(refs.iter().all(|occ| occ.target == Some(decl)));
        assert_eq!(definition(&file, &model, refs[3].range.start), Some(decl));
        let edits = rename(&file, &model, offset, "compile").unwrap();
        let renamed = crate::apply_edits(file.text(), &edits);
        assert!(renamed.contains("AS compile\n") && renamed.contains("FROM compile AS test"), "{renamed}");
        assert!(
            renamed.contains("from=compile,")
                && renamed.contains("--from=0 ")
                && renamed.contains("--from=compile /a /\n")
        );
        // Invalid and colliding names are refused with a reason.
        assert!(rename(&file, &model, offset, "1x").unwrap_err().contains("not a stage name"));
        assert!(rename(&file, &model, offset, "Test").unwrap_err().contains("already called"));
        assert!(rename(&file, &model, offset, "scratch").unwrap_err().contains("reserved"));
        assert!(prepare_rename(&file, &model, refs[4].range.start).unwrap_err().contains("by its index"));
    }

    #[test]
    fn a_stage_is_only_named_by_later_stages() {
        // `--from=later` names an image, not the stage declared after it.
        let (file, model, offset) = at("FROM alpine AS first\nCOPY --from=later /a /b\nFROM alpine AS la|ter\n");
        assert_eq!(slices(&file, &references(&file, &model, offset)), [(2, "later".to_owned())]);
    }

    #[test]
    fn variables_follow_docker_scopes() {
        let (file, model, offset) = at("ARG VER|SION=1\nFROM alpine:${VERSION}\nRUN echo $VERSION\nARG VERSION\n\
             RUN echo $VERSION ${VERSION:-x} '$VERSION'\nFROM alpine:$VERSION\nENV VERSION=2\nRUN echo $VERSION\n");
        let refs = references(&file, &model, offset);
        // Line 2's `$VERSION` sees no declaration (global ARGs are not visible in a stage until re-declared),
        // the single-quoted one is not expanded, and line 6's ENV is a new variable of its stage.
        assert_eq!(
            slices(&file, &refs),
            [(0, "VERSION"), (1, "VERSION"), (3, "VERSION"), (4, "VERSION"), (4, "VERSION"), (5, "VERSION")]
                .map(|(l, s)| (l, s.to_owned()))
        );
        // `$VERSION` on line 4 goes to the stage's `ARG VERSION`, which goes to the global one.
        let use_in_stage = refs[3].range.start;
        assert_eq!(definition(&file, &model, use_in_stage), Some(refs[2].range));
        assert_eq!(definition(&file, &model, refs[2].range.start), Some(refs[0].range));
        let undeclared = file.text().find("$VERSION\nARG").unwrap() + 1;
        assert_eq!(definition(&file, &model, undeclared), None);
        assert!(prepare_rename(&file, &model, undeclared).unwrap_err().contains("not declared"));
        let last_env = file.text().rfind("VERSION=2").unwrap();
        assert_eq!(slices(&file, &references(&file, &model, last_env)).len(), 2);
        let edits = rename(&file, &model, offset, "RELEASE").unwrap();
        assert_eq!(edits.len(), 6);
        assert!(rename(&file, &model, offset, "a-b").unwrap_err().contains("not a variable name"));
        assert!(rename(&file, &model, offset, "TARGETARCH").unwrap_err().contains("predefines"));
    }

    #[test]
    fn env_overwrites_are_one_variable_and_names_collide() {
        let (file, model, offset) = at("FROM alpine\nENV P|ATH=/app:$PATH\nENV OTHER=1\nRUN echo \"$PATH\" ${OTHER}\n");
        let refs = references(&file, &model, offset);
        // `$PATH` in the ENV itself is the image's PATH: not declared in this file.
        assert_eq!(slices(&file, &refs), [(1, "PATH".to_owned()), (3, "PATH".to_owned())]);
        assert!(rename(&file, &model, offset, "OTHER").unwrap_err().contains("already declared"));
    }

    #[test]
    fn heredoc_delimiters_pair_up() {
        let (file, model, offset) = at("FROM alpine\nRUN <<E|OF bash\necho $HOME\nEOF\nCOPY <<-'X' /a\n\tx\n\tX\n");
        let refs = references(&file, &model, offset);
        assert_eq!(slices(&file, &refs), [(1, "EOF".to_owned()), (3, "EOF".to_owned())]);
        assert_eq!(definition(&file, &model, refs[1].range.start), Some(refs[0].range));
        let quoted = file.text().find("'X'").unwrap() + 1;
        assert_eq!(slices(&file, &references(&file, &model, quoted)), [(4, "X".to_owned()), (6, "X".to_owned())]);
        let renamed = crate::apply_edits(file.text(), &rename(&file, &model, offset, "SCRIPT").unwrap());
        assert!(renamed.contains("<<SCRIPT bash\n") && renamed.contains("\nSCRIPT\n"), "{renamed}");
        // `$HOME` in the body is a use of an undeclared variable.
        let home = file.text().find("HOME").unwrap();
        assert_eq!(references(&file, &model, home).len(), 1);
    }

    #[test]
    fn broken_text_answers_nothing_without_panicking() {
        for text in ["", "FROM", "FROM alpine AS\nCOPY --from= /a", "ARG\nFROM ${", "RUN <<\n", "ENV =x\nRUN $"] {
            let file = bulkhead_syntax::parse(text);
            let model = Model::new(&file);
            for offset in 0..=text.len() {
                let refs = references(&file, &model, offset);
                assert!(refs.iter().all(|occ| occ.range.end <= text.len()));
                let _ = (definition(&file, &model, offset), prepare_rename(&file, &model, offset));
            }
        }
    }
}
