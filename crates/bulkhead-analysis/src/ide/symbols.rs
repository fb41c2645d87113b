//! Document symbols: the outline of a Dockerfile. One symbol per stage (its name, else `stage N`, with the
//! image in the detail) whose children are its instructions; `ARG`/`ENV` declarations are variables. Global
//! `ARG`s come first, at the top level.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange};

use crate::model::{Model, VarDef};

/// What a symbol is, for the client's icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolRole {
    Stage,
    Instruction,
    Variable,
}

/// One symbol of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub role: SymbolRole,
    /// All of it (a stage: from its `FROM` to its last instruction).
    pub range: TextRange,
    /// What to select when the symbol is picked (a name); inside `range`.
    pub selection: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// How much of an instruction's arguments a symbol's name shows.
const MAX_NAME_CHARS: usize = 60;

/// The outline of a file.
pub fn document_symbols(file: &Dockerfile, model: &Model) -> Vec<DocumentSymbol> {
    let instructions = file.instructions();
    let mut res: Vec<DocumentSymbol> = Vec::new();
    for def in &model.global_args {
        res.push(variable(file, def));
    }
    for stage in &model.stages {
        let Some(from) = instructions.get(stage.from) else { continue };
        let last = stage.end.checked_sub(1).and_then(|idx| instructions.get(idx)).unwrap_or(from);
        let range = TextRange::new(from.range.start, last.range.end.max(from.range.start));
        let mut children = Vec::new();
        for idx in stage.body() {
            let Some(instruction) = instructions.get(idx) else { continue };
            if matches!(instruction.kind, InstructionKind::Arg | InstructionKind::Env) {
                children.extend(stage.vars.iter().filter(|def| def.instruction == idx).map(|def| variable(file, def)));
            } else {
                children.push(instruction_symbol(instruction));
            }
        }
        res.push(DocumentSymbol {
            name: stage.name.clone().unwrap_or_else(|| format!("stage {}", stage.index)),
            detail: stage.base_raw.clone(),
            role: SymbolRole::Stage,
            range,
            selection: stage.name_range.filter(|r| range.contains_range(*r)).unwrap_or(from.keyword.range),
            children,
        });
    }
    res
}

fn variable(file: &Dockerfile, def: &VarDef) -> DocumentSymbol {
    let name_end = def.range.start + def.name.len();
    let selection = if file.text().get(def.range.start..name_end) == Some(def.name.as_str()) {
        TextRange::new(def.range.start, name_end)
    } else {
        def.range
    };
    let kind = def.kind.keyword();
    DocumentSymbol {
        name: if def.name.is_empty() { "(unnamed)".to_owned() } else { def.name.to_string() },
        detail: Some(match &def.value {
            Some(value) => format!("{kind} = {}", shorten(value)),
            None => kind.to_owned(),
        }),
        role: SymbolRole::Variable,
        range: def.range,
        selection,
        children: Vec::new(),
    }
}

fn instruction_symbol(instruction: &Instruction) -> DocumentSymbol {
    let keyword = match instruction.kind {
        InstructionKind::Unknown => instruction.keyword.value.to_ascii_uppercase(),
        kind => kind.keyword().to_owned(),
    };
    let args = instruction.rest.as_ref().map(|rest| shorten(&rest.value)).unwrap_or_default();
    let name = if args.is_empty() { keyword } else { format!("{keyword} {args}") };
    DocumentSymbol {
        name,
        detail: None,
        role: SymbolRole::Instruction,
        range: instruction.range,
        selection: instruction.keyword.range,
        children: Vec::new(),
    }
}

/// The first line of `text`, at most [`MAX_NAME_CHARS`] characters, with `…` when cut.
fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut res: String = line.chars().take(MAX_NAME_CHARS).collect();
    if res.len() < text.trim().len() {
        res.push('…');
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_with_instructions_and_variables() {
        let text =
            "ARG V=3.20\nFROM alpine:${V} AS build\nENV A=1 B=2\nRUN make\nFROM scratch\nCOPY --from=build /a /\n";
        let file = bulkhead_syntax::parse(text);
        let symbols = document_symbols(&file, &Model::new(&file));
        let names: Vec<(&str, Option<&str>, usize)> =
            symbols.iter().map(|s| (s.name.as_str(), s.detail.as_deref(), s.children.len())).collect();
        assert_eq!(
            names,
            [("V", Some("ARG = 3.20"), 0), ("build", Some("alpine:${V}"), 3), ("stage 1", Some("scratch"), 1)]
        );
        let children: Vec<&str> = symbols[1].children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(children, ["A", "B", "RUN make"]);
        assert_eq!(symbols[1].children[1].role, SymbolRole::Variable);
        assert_eq!(file.slice(symbols[1].selection), "build");
        for symbol in symbols.iter().chain(symbols.iter().flat_map(|s| &s.children)) {
            assert!(symbol.range.contains_range(symbol.selection), "{symbol:?}");
        }
    }
}
