//! Code actions: each fix of the engine as a quick fix tied to its diagnostic, "Ignore BHxxx for this
//! instruction / file" suppression comments, and `source.fixAll.bulkhead` applying every safe fix.
//!
//! A fix that creates a file (BH801's `.dockerignore`) becomes a `CreateFile` plus an edit that fills it, only
//! for a client that declares the `create` resource operation, and only inside its workspace folders
//! (`workspace.rs`). Every other action edits the requested document and nothing else.
//!
//! Quick fixes are the fixes of the engine's finding in the stored lint of the document's version, found
//! by code and byte range (from `Diagnostic.data`, or from the LSP range for a client that drops `data`):
//! nothing is recomputed, a diagnostic of another version finds nothing, and no edit comes from the client. No action may leave a
//! file with more syntax errors than it had: such an action is dropped.

use std::collections::HashMap;

use bulkhead_analysis::suppress::parse_comment;
use bulkhead_analysis::{Applicability, BuildContext, Edit, FixSelection, NewFile, Report, Settings, apply_edits};
use bulkhead_syntax::{Dockerfile, LineIndex, TextRange};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CreateFile, CreateFileOptions, Diagnostic, DocumentChangeOperation, DocumentChanges,
    OneOf, OptionalVersionedTextDocumentIdentifier, Range, ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::convert::{Coords, Encoding};
use crate::diagnostics::{DiagnosticData, Lint, code_of};
use crate::workspace::WorkspaceRoots;

pub const FIX_ALL_KIND: &str = "source.fixAll.bulkhead";

/// The document the actions edit: its current snapshot and version.
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub file: &'a Dockerfile,
    pub version: i32,
    pub encoding: Encoding,
    /// The client accepts versioned edits (`documentChanges`).
    pub document_changes: bool,
    /// The workspace folders, when the client can create files: fixes that create one are offered only
    /// then, and only inside them ([`WorkspaceRoots::new_file_path`]).
    pub roots: Option<&'a WorkspaceRoots>,
}

/// True when the client asked for actions of `kind` (`only` absent: all kinds).
pub fn wants(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|kinds| {
        kinds.iter().any(|requested| {
            let requested = requested.as_str();
            kind == requested || kind.strip_prefix(requested).is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Quick fixes and ignore comments for the diagnostics of a request.
pub fn quick_fixes(target: &Target<'_>, diagnostics: &[Diagnostic], lint: &Lint) -> Vec<CodeAction> {
    let mut res = Vec::new();
    let mut ignore_titles = Vec::new();
    for diagnostic in diagnostics {
        let Some(code) = code_of(diagnostic) else { continue };
        let Some(finding) = finding_of(target, diagnostic, code, lint) else {
            continue;
        };
        for fix in &finding.fixes {
            let edit = if fix.new_files.is_empty() {
                checked_edit(target, &fix.edits)
            } else {
                creating_edit(target, &fix.edits, &fix.new_files)
            };
            let Some(edit) = edit else {
                continue;
            };
            res.push(quick_fix(fix.title.clone(), diagnostic, edit, Some(fix.applicability == Applicability::Safe)));
        }
        let ignores = [
            (format!("Ignore {code} for this instruction"), ignore_instruction_edit(target.file, code, finding.range)),
            (format!("Ignore {code} for this file"), ignore_file_edit(target.file, code)),
        ];
        for (title, edit) in ignores {
            let Some(edit) = edit else { continue };
            // Several findings of one rule on one instruction share the ignore action.
            if ignore_titles.contains(&title) {
                continue;
            }
            let Some(workspace_edit) = checked_edit(target, &[edit]) else {
                continue;
            };
            ignore_titles.push(title.clone());
            res.push(quick_fix(title, diagnostic, workspace_edit, None));
        }
    }
    res
}

/// A quick fix of one diagnostic.
pub fn quick_fix(title: String, diagnostic: &Diagnostic, edit: WorkspaceEdit, preferred: Option<bool>) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(edit),
        is_preferred: preferred,
        ..CodeAction::default()
    }
}

/// The engine's finding that a diagnostic of the request stands for: same code and range in the lint of the
/// target's version. The byte range comes from `data` when the client kept it, else the LSP range is compared.
fn finding_of<'l>(
    target: &Target<'_>,
    diagnostic: &Diagnostic,
    code: &str,
    lint: &'l Lint,
) -> Option<&'l bulkhead_analysis::Diagnostic> {
    if lint.version != target.version {
        return None;
    }
    finding_in(&lint.report, target.version, diagnostic, code, &Coords::of(target.file, target.encoding))
}

/// The finding of `report` (of the document's `version`, in `coords`) that a diagnostic of the request
/// stands for: same code, and the byte range of its `data` when the client kept it, else the same LSP
/// range. Dockerfile and Compose code actions both match diagnostics this way.
pub(crate) fn finding_in<'r>(
    report: &'r Report,
    version: i32,
    diagnostic: &Diagnostic,
    code: &str,
    coords: &Coords<'_>,
) -> Option<&'r bulkhead_analysis::Diagnostic> {
    let mut same_code = report.diagnostics.iter().filter(|finding| finding.code == code);
    match DiagnosticData::from_diagnostic(diagnostic) {
        // The offsets refer to another text.
        Some(data) if data.version != version => None,
        Some(data) => same_code.find(|finding| finding.range == data.range()),
        // Compared in LSP coordinates: converting the client's range back to bytes is not exact inside a
        // multi-byte character or a CRLF.
        None => same_code.find(|finding| coords.range(finding.range) == diagnostic.range),
    }
}

/// Every safe fix, applied round after round until nothing changes ([`bulkhead_analysis::fix_all`]), as one
/// edit of the changed lines.
pub fn fix_all(target: &Target<'_>, build: &BuildContext, settings: &Settings) -> Option<CodeAction> {
    let original = target.file.text();
    let current = bulkhead_analysis::fix_all(original, build, settings, FixSelection::Safe).text;
    if current == original {
        return None;
    }
    let edit = changed_lines(original, &current);
    Some(CodeAction {
        title: "Fix all safely fixable bulkhead findings".to_owned(),
        kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
        edit: Some(workspace_edit(target, &[edit])),
        ..CodeAction::default()
    })
}

/// One edit that turns `before` into `after`, replacing whole lines from the first changed one to the
/// last (so it never splits a character or a `\r\n`).
pub fn changed_lines(before: &str, after: &str) -> Edit {
    let prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
    let max_suffix = before.len().min(after.len()) - prefix;
    let suffix = before.bytes().rev().zip(after.bytes().rev()).take_while(|(a, b)| a == b).count().min(max_suffix);
    let index = LineIndex::new(before);
    let start = index.line_start(index.line_of(prefix));
    let mut end = before.len() - suffix;
    let end_line = index.line_of(end);
    if index.line_start(end_line) != end {
        end = index.line_start(end_line + 1);
    }
    let new_end = after.len() - (before.len() - end);
    Edit::replace(TextRange::new(start, end), after.get(start..new_end).unwrap_or_default())
}

/// The edits as a workspace edit, if the result parses no worse than the current text.
fn checked_edit(target: &Target<'_>, edits: &[Edit]) -> Option<WorkspaceEdit> {
    let fixed = apply_edits(target.file.text(), edits);
    if fixed == target.file.text() || bulkhead_syntax::parse(&fixed).errors().len() > target.file.errors().len() {
        return None;
    }
    Some(workspace_edit(target, edits))
}

/// A fix that creates files: each file created (never over an existing one) and filled, then the document's
/// own edits, as one `documentChanges` list. `None` unless the client can create files and every file may
/// be created where it would go (inside the workspace, nothing there yet).
fn creating_edit(target: &Target<'_>, edits: &[Edit], files: &[NewFile]) -> Option<WorkspaceEdit> {
    let roots = target.roots?;
    let fixed = apply_edits(target.file.text(), edits);
    if bulkhead_syntax::parse(&fixed).errors().len() > target.file.errors().len() {
        return None;
    }
    let mut operations = Vec::new();
    for file in files {
        let uri = Uri::from_file_path(roots.new_file_path(target.uri, file.name())?)?;
        // Nothing exists there now (checked above). Should a file appear before the client applies the edit,
        // `overwrite: false` with `ignoreIfExists: true` keeps it: the content then lands at its top, where
        // the user sees it and can undo it. Without `ignoreIfExists` some clients truncate an existing file.
        let options = CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) };
        operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri: uri.clone(),
            options: Some(options),
            annotation_id: None,
        })));
        let insert = TextEdit { range: Range::default(), new_text: file.content.clone() };
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: vec![OneOf::Left(insert)],
        }));
    }
    if !edits.is_empty() {
        let coords = Coords::of(target.file, target.encoding);
        let text_document =
            OptionalVersionedTextDocumentIdentifier { uri: target.uri.clone(), version: Some(target.version) };
        let edits = edits.iter().map(|edit| OneOf::Left(coords.text_edit(edit))).collect();
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit { text_document, edits }));
    }
    Some(WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..WorkspaceEdit::default() })
}

fn workspace_edit(target: &Target<'_>, edits: &[Edit]) -> WorkspaceEdit {
    let coords = Coords::of(target.file, target.encoding);
    document_edit(target.uri, target.version, target.document_changes, &coords, edits)
}

/// Edits of one document as a workspace edit: versioned (`documentChanges`) when the client accepts it.
pub fn document_edit(
    uri: &Uri,
    version: i32,
    document_changes: bool,
    coords: &Coords<'_>,
    edits: &[Edit],
) -> WorkspaceEdit {
    let text_edits: Vec<_> = edits.iter().map(|edit| coords.text_edit(edit)).collect();
    if document_changes {
        let text_document = OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: Some(version) };
        let edits = text_edits.into_iter().map(OneOf::Left).collect();
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit { text_document, edits }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), text_edits)])), ..WorkspaceEdit::default() }
    }
}

/// `# bulkhead ignore=CODE` on its own line above the instruction holding the finding, indented like it;
/// or `,CODE` appended to a `# bulkhead ignore=` comment already there.
fn ignore_instruction_edit(file: &Dockerfile, code: &str, finding: TextRange) -> Option<Edit> {
    let instruction = file.instruction_at(finding.start)?;
    let index = file.line_index();
    let line = index.line_of(instruction.range.start);
    let indent = file.slice(TextRange::new(index.line_start(line), instruction.range.start));
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    ignore_comment_above(file.text(), index, line, indent, code, file.newline())
}

/// `# bulkhead ignore=CODE` on its own line above `line`, indented by `indent`; or `,CODE` appended to a
/// `# bulkhead ignore=` comment on the line before; `None` when that comment names `code` already. The
/// Dockerfile and Compose "ignore for this instruction/entry" actions both write it.
pub(crate) fn ignore_comment_above(
    text: &str,
    index: &LineIndex,
    line: usize,
    indent: &str,
    code: &str,
    newline: &str,
) -> Option<Edit> {
    if line > 0 {
        let previous_start = index.line_start(line - 1);
        let previous = &text[previous_start..index.line_content_end(text, line - 1)];
        let comment = previous.trim_start().strip_prefix('#').and_then(parse_comment);
        if let Some(comment) = comment.filter(|c| c.tool == "bulkhead" && !c.global) {
            if comment.selectors.iter().any(|s| s.eq_ignore_ascii_case(code)) {
                return None;
            }
            return Some(Edit::insert(previous_start + previous.trim_end().len(), format!(",{code}")));
        }
    }
    Some(Edit::insert(index.line_start(line), format!("{indent}# bulkhead ignore={code}{newline}")))
}

/// `# bulkhead global ignore=CODE` after the parser directives at the top, or `,CODE` appended to a
/// `# bulkhead global ignore=` comment already in the file.
fn ignore_file_edit(file: &Dockerfile, code: &str) -> Option<Edit> {
    for comment in file.comments().iter().filter(|c| !c.in_continuation) {
        let Some(parsed) = parse_comment(&comment.text).filter(|c| c.tool == "bulkhead" && c.global) else {
            continue;
        };
        if parsed.selectors.iter().any(|s| s.eq_ignore_ascii_case(code)) {
            return None;
        }
        return Some(Edit::insert(
            comment.range.start + file.slice(comment.range).trim_end().len(),
            format!(",{code}"),
        ));
    }
    let text = file.text();
    let newline = file.newline();
    let line = format!("# bulkhead global ignore={code}{newline}");
    let Some(last) = file.directives().last() else {
        let after_bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        return Some(Edit::insert(after_bom, line));
    };
    let index = file.line_index();
    let offset = index.line_start(index.line_of(last.range.end) + 1);
    if offset == text.len() && !text.ends_with(['\n', '\r']) {
        return Some(Edit::insert(offset, format!("{newline}{line}")));
    }
    Some(Edit::insert(offset, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply_ignore(text: &str, code: &str, needle: &str, file_wide: bool) -> Option<String> {
        let file = bulkhead_syntax::parse(text);
        let at = text.find(needle).unwrap();
        let edit = if file_wide {
            ignore_file_edit(&file, code)
        } else {
            ignore_instruction_edit(&file, code, TextRange::new(at, at + 1))
        };
        edit.map(|edit| apply_edits(text, &[edit]))
    }

    #[test]
    fn ignore_comments() {
        let text = "# syntax=docker/dockerfile:1\r\nFROM a\r\n  RUN apk add x\r\n";
        assert_eq!(
            apply_ignore(text, "BH903", "apk", false).unwrap(),
            "# syntax=docker/dockerfile:1\r\nFROM a\r\n  # bulkhead ignore=BH903\r\n  RUN apk add x\r\n"
        );
        assert_eq!(
            apply_ignore(text, "BH903", "apk", true).unwrap(),
            "# syntax=docker/dockerfile:1\r\n# bulkhead global ignore=BH903\r\nFROM a\r\n  RUN apk add x\r\n"
        );
        let text = "FROM a\n# bulkhead ignore=BH201 \nRUN apk add x\n";
        assert_eq!(
            apply_ignore(text, "BH903", "apk", false).unwrap(),
            "FROM a\n# bulkhead ignore=BH201,BH903 \nRUN apk add x\n"
        );
        assert_eq!(apply_ignore(text, "BH201", "apk", false), None);
        assert_eq!(apply_ignore("FROM a", "BH201", "a", true).unwrap(), "# bulkhead global ignore=BH201\nFROM a");
        assert_eq!(
            apply_ignore("# escape=`", "BH201", "e", true).unwrap(),
            "# escape=`\n# bulkhead global ignore=BH201\n"
        );
        let text = "FROM a\n# bulkhead global ignore=BH000\n";
        assert_eq!(apply_ignore(text, "BH201", "a", true).unwrap(), "FROM a\n# bulkhead global ignore=BH000,BH201\n");
    }

    #[test]
    fn changed_lines_covers_whole_lines() {
        let before = "FROM a\r\nRUN apk add x\r\nCMD y\r\n";
        let after = "FROM a\r\nRUN apk add --no-cache x\r\nCMD y\r\n";
        let edit = changed_lines(before, after);
        assert_eq!(&before[edit.range.as_range()], "RUN apk add x\r\n");
        assert_eq!(apply_edits(before, &[edit]), after);
        let edit = changed_lines("a\nb", "a\nbc");
        assert_eq!(apply_edits("a\nb", &[edit]), "a\nbc");
    }

    #[test]
    fn kinds() {
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(wants(Some(&only), FIX_ALL_KIND));
        assert!(!wants(Some(&only), "quickfix"));
        assert!(wants(None, "quickfix"));
        assert!(!wants(Some(&[CodeActionKind::from("source.fix")]), FIX_ALL_KIND));
    }
}
