//! What a `RUN` leaves in its layer: a file it writes and deletes again before it ends never ships.

use bulkhead_syntax::{ShellCommand, ShellScript};

use crate::rule::RuleContext;
use crate::rules::shell_commands;

/// A path argument as written, without quotes and a trailing `/` or `/*`.
pub fn path_text<'a>(shell: &'a ShellScript, arg: &bulkhead_syntax::ShellWord) -> &'a str {
    let text = shell.text(arg.range).trim_matches(|c| c == '"' || c == '\'');
    text.trim_end_matches('*').trim_end_matches('/')
}

/// True when a command after `after` in the same script removes `path` (as written, variables included:
/// `rm -rf "$tempDir"` removes `"$tempDir"`) or a folder that holds it.
pub fn removed_later(shell: &ShellScript, after: usize, path: &str) -> bool {
    if path.is_empty() {
        return false;
    }
    shell.commands().iter().skip(after + 1).any(|command| removes(shell, command, path))
}

fn removes(shell: &ShellScript, command: &ShellCommand, path: &str) -> bool {
    if !matches!(command.program(), Some("rm" | "shred" | "unlink")) {
        return false;
    }
    command.args.iter().map(|arg| path_text(shell, arg)).filter(|a| !a.starts_with('-') && !a.is_empty()).any(
        |removed| {
            path == removed || path.strip_prefix(removed).is_some_and(|rest| rest.starts_with('/')) && removed.len() > 1
        },
    )
}

/// The shells of the `RUN`s whose layers reach the final image (the final stage and the stages it is built
/// `FROM`), `ONBUILD RUN` triggers included.
pub fn final_runs<'a>(ctx: &'a RuleContext<'_>) -> impl Iterator<Item = &'a ShellScript> + 'a {
    shell_commands::runs(ctx).filter(|(idx, _, _)| ctx.model.in_final_lineage(*idx)).map(|(_, _, shell)| shell)
}
