//! Instruction checks ([`crate::rule::Check::Instruction`]) over a file, and the findings they are kept
//! by: the text they may read, so that a driver checking one version of a file after another (the
//! language server, at every keystroke) runs them on the changed instructions only.
//!
//! Invariant: a check with a memo gives the same report as one without. An instruction check's findings
//! are a function of its reach's text, the escape character and whether the instruction has a parsed
//! shell (the rule contract on [`InstructionContext`]), and the memo is emptied when the settings change.
//! The findings are stored relative to the start of the reach and moved to where the text is now.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use bulkhead_syntax::{Dockerfile, Instruction, TextRange};

use crate::config::Settings;
use crate::panic_message;
use crate::rule::{Finding, InstructionCheck, InstructionContext, RuleOptions, reach};

/// What one instruction check gave on one instruction: its findings, or the message of its panic.
type Outcome = Result<Vec<Finding>, String>;

/// Findings of instruction checks by instruction text, for one file's successive versions under one set
/// of settings (others empty it). Holds the instructions of the last check and a few more.
#[derive(Default)]
pub struct InstructionMemo {
    settings: Option<Settings>,
    entries: HashMap<Box<str>, Vec<Entry>>,
    len: usize,
    /// The bytes of text held (keys and their copies per entry).
    bytes: usize,
    /// The number of the current check: entries used by it carry it.
    round: u64,
}

struct Entry {
    escape: char,
    shell: bool,
    used: u64,
    /// Per check, in the order given, with ranges relative to the start of the reach.
    outcomes: Arc<[Outcome]>,
}

impl InstructionMemo {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of instruction texts held.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes of instruction text held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn begin(&mut self, settings: &Settings) {
        if self.settings.as_ref() != Some(settings) {
            self.entries.clear();
            self.len = 0;
            self.bytes = 0;
            self.settings = Some(settings.clone());
        }
        self.round += 1;
    }

    /// Forgets the texts the last check did not use, once they outnumber the ones it did or weigh more
    /// than twice the file (a few huge heredocs edited over and over).
    fn end(&mut self, used: usize, file_bytes: usize) {
        if self.len > 2 * used + 64 || self.bytes > 2 * file_bytes + (64 << 10) {
            let round = self.round;
            self.entries.retain(|_, entries| {
                entries.retain(|entry| entry.used == round);
                !entries.is_empty()
            });
            self.len = self.entries.values().map(Vec::len).sum();
            self.bytes = self.entries.iter().map(|(text, entries)| text.len() * entries.len()).sum();
        }
    }

    fn get(&mut self, text: &str, escape: char, shell: bool) -> Option<Arc<[Outcome]>> {
        let round = self.round;
        let entry = self.entries.get_mut(text)?.iter_mut().find(|e| e.escape == escape && e.shell == shell)?;
        entry.used = round;
        Some(entry.outcomes.clone())
    }

    fn insert(&mut self, text: &str, escape: char, shell: bool, outcomes: Arc<[Outcome]>) {
        let entry = Entry { escape, shell, used: self.round, outcomes };
        self.entries.entry(text.into()).or_default().push(entry);
        self.len += 1;
        self.bytes += text.len();
    }
}

/// Runs `checks` on every instruction of `file`, through `memo` when given. Returns, per check, its
/// findings over the file (in instruction order) or the message of its first panic.
pub(crate) fn run(
    file: &Dockerfile,
    settings: &Settings,
    checks: &[InstructionCheck],
    memo: Option<&mut InstructionMemo>,
) -> Vec<Outcome> {
    let mut total: Vec<Outcome> = vec![Ok(Vec::new()); checks.len()];
    if checks.is_empty() {
        return total;
    }
    let options = &settings.options;
    let Some(memo) = memo else {
        for instruction in file.instructions() {
            let outcomes = run_checks(file, instruction, options, checks);
            merge(&mut total, outcomes);
        }
        return total;
    };
    memo.begin(settings);
    for instruction in file.instructions() {
        let reach = reach(file, instruction);
        let text = file.slice(reach);
        let (escape, shell) = (instruction.escape(), has_shell(instruction));
        let outcomes = match memo.get(text, escape, shell) {
            Some(outcomes) => outcomes,
            None => {
                let relative: Arc<[Outcome]> = run_checks(file, instruction, options, checks)
                    .into_iter()
                    .map(|outcome| outcome.map(|findings| moved(findings, |at| at.wrapping_sub(reach.start))))
                    .collect();
                memo.insert(text, escape, shell, relative.clone());
                relative
            }
        };
        let here = outcomes.iter().cloned().map(|o| o.map(|f| moved(f, |at| at.wrapping_add(reach.start))));
        merge(&mut total, here);
    }
    memo.end(file.instructions().len(), file.text().len());
    total
}

/// Whether the instruction (or its `ONBUILD` trigger) has a parsed shell: it depends on the stage.
fn has_shell(instruction: &Instruction) -> bool {
    instruction.shell.is_some() || instruction.trigger.as_ref().is_some_and(|t| t.shell.is_some())
}

fn run_checks(
    file: &Dockerfile,
    instruction: &Instruction,
    options: &RuleOptions,
    checks: &[InstructionCheck],
) -> Vec<Outcome> {
    let ctx = InstructionContext { file, instruction, options };
    checks
        .iter()
        .map(|check| {
            let mut findings = Vec::new();
            catch_unwind(AssertUnwindSafe(|| check(&ctx, &mut findings)))
                .map_err(|payload| panic_message(payload.as_ref()))?;
            // Test builds hold every check to its contract: a finding or an edit outside the reach would
            // be reused after a change that the memo does not see.
            if cfg!(debug_assertions) {
                let reach = ctx.reach();
                let outside = findings.iter().find(|f| {
                    !reach.contains_range(f.range)
                        || f.fixes.iter().flat_map(|fix| &fix.edits).any(|edit| !reach.contains_range(edit.range))
                });
                if let Some(finding) = outside {
                    return Err(format!(
                        "an instruction check reported {:?} outside its reach {reach:?}: it must be a file check",
                        finding.range
                    ));
                }
            }
            Ok(findings)
        })
        .collect()
}

/// Adds one instruction's outcomes to the file's: findings append, the first panic stays.
fn merge(total: &mut [Outcome], outcomes: impl IntoIterator<Item = Outcome>) {
    for (sum, outcome) in total.iter_mut().zip(outcomes) {
        match (sum, outcome) {
            (Ok(sum), Ok(findings)) => sum.extend(findings),
            (sum @ Ok(_), Err(message)) => *sum = Err(message),
            (Err(_), _) => {}
        }
    }
}

/// The findings with every offset (finding and edit ranges) mapped by `at`.
fn moved(mut findings: Vec<Finding>, at: impl Fn(usize) -> usize) -> Vec<Finding> {
    let map = |range: TextRange| TextRange::new(at(range.start), at(range.end));
    for finding in &mut findings {
        finding.range = map(finding.range);
        for edit in finding.fixes.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            edit.range = map(edit.range);
        }
    }
    findings
}
