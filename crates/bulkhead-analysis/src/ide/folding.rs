//! Folding ranges: stages, instructions that span several lines (continuations), heredoc bodies, and runs
//! of comment lines.

use bulkhead_syntax::{Dockerfile, TextRange};

use crate::model::Model;

/// What a fold holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Stage,
    /// An instruction over several lines (continuations).
    Instruction,
    Heredoc,
    Comment,
}

/// A foldable range of lines: from the line of `range.start` to the line of `range.end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The folds of a file, each over at least two lines, in document order of their start.
pub fn folding_ranges(file: &Dockerfile, model: &Model) -> Vec<Fold> {
    let instructions = file.instructions();
    let lines = file.line_index();
    let spans_lines = |range: TextRange| lines.line_of(range.start) < lines.line_of(range.end);
    let mut folds = Vec::new();
    for stage in &model.stages {
        let (Some(first), Some(last)) =
            (instructions.get(stage.from), stage.end.checked_sub(1).and_then(|i| instructions.get(i)))
        else {
            continue;
        };
        folds.push(Fold {
            range: TextRange::new(first.range.start, last.range.end.max(first.range.start)),
            kind: FoldKind::Stage,
        });
    }
    for instruction in instructions {
        folds.push(Fold { range: instruction.line_range(), kind: FoldKind::Instruction });
        for heredoc in &instruction.heredocs {
            // From the marker's line to the terminator's: the body folds under the instruction line.
            let range = TextRange::new(heredoc.marker.start, heredoc.terminator.end.max(heredoc.marker.start));
            folds.push(Fold { range, kind: FoldKind::Heredoc });
        }
    }
    let mut run: Option<(TextRange, usize)> = None;
    for comment in file.comments().iter().filter(|comment| !comment.in_continuation) {
        let line = lines.line_of(comment.range.start);
        run = match run {
            Some((range, last)) if last + 1 == line => Some((range.cover(comment.range), line)),
            Some((range, _)) => {
                folds.push(Fold { range, kind: FoldKind::Comment });
                Some((comment.range, line))
            }
            None => Some((comment.range, line)),
        };
    }
    if let Some((range, _)) = run {
        folds.push(Fold { range, kind: FoldKind::Comment });
    }
    folds.retain(|fold| fold.range.end <= file.text().len() && spans_lines(fold.range));
    folds.sort_by_key(|fold| (fold.range.start, std::cmp::Reverse(fold.range.end)));
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_continuations_heredocs_and_comments_fold() {
        let text =
            "# a\n# b\nFROM alpine AS a\nRUN apk add \\\n    curl\nRUN <<EOF\necho 1\nEOF\n\n# one\nFROM a\nCMD x\n";
        let file = bulkhead_syntax::parse(text);
        let folds = folding_ranges(&file, &Model::new(&file));
        let lines = |fold: &Fold| {
            (file.line_index().line_of(fold.range.start), file.line_index().line_of(fold.range.end), fold.kind)
        };
        assert_eq!(
            folds.iter().map(lines).collect::<Vec<_>>(),
            [
                (0, 1, FoldKind::Comment),
                (2, 7, FoldKind::Stage),
                (3, 4, FoldKind::Instruction),
                (5, 7, FoldKind::Heredoc),
                (10, 11, FoldKind::Stage),
            ]
        );
    }
}
