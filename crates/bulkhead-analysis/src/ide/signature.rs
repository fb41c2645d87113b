//! Signature help: the forms of the instruction under the cursor (shell and exec form, `USER name` and
//! `USER uid`...), with its flags and arguments as parameters and the one under the cursor active.

use bulkhead_syntax::{Dockerfile, Instruction, InstructionKind, TextRange};

/// One form of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: &'static str,
    pub documentation: &'static str,
    /// Byte ranges of the parameters inside `label` (flags first, then the arguments).
    pub parameters: Vec<TextRange>,
}

/// The forms of an instruction, the one in use, and the parameter under the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    /// `None` on the keyword itself.
    pub active_parameter: Option<usize>,
}

/// A form: its label, what it does, its flags and its arguments as written in the label.
struct Form {
    label: &'static str,
    documentation: &'static str,
    flags: &'static [&'static str],
    args: &'static [&'static str],
}

/// A form whose flags (if any) are among `args`.
fn form(label: &'static str, documentation: &'static str, args: &'static [&'static str]) -> Form {
    Form { label, documentation, flags: &[], args }
}

fn flagged(
    label: &'static str,
    documentation: &'static str,
    flags: &'static [&'static str],
    args: &'static [&'static str],
) -> Form {
    Form { label, documentation, flags, args }
}

impl Form {
    /// The flags, then the arguments.
    fn parameters(&self) -> impl Iterator<Item = &'static str> {
        self.flags.iter().chain(self.args).copied()
    }
}

const RUN_FLAGS: [&str; 3] = ["--mount=<type=…>", "--network=<default|none|host>", "--security=<sandbox|insecure>"];
const COPY_FLAGS: [&str; 6] = [
    "--from=<stage|image|context>",
    "--chown=<user>:<group>",
    "--chmod=<perms>",
    "--link",
    "--parents",
    "--exclude=<path>",
];
const ADD_FLAGS: [&str; 6] =
    ["--chown=<user>:<group>", "--chmod=<perms>", "--checksum=<hash>", "--keep-git-dir", "--link", "--exclude=<path>"];
const SOURCES: [&str; 2] = ["<src>…", "<dest>"];
const JSON_SOURCES: &str = "[\"<src>\", …, \"<dest>\"]";
const EXEC: &str = "[\"executable\", \"param\", …]";

fn forms(kind: InstructionKind) -> Vec<Form> {
    use InstructionKind::*;
    match kind {
        From => vec![form(
            "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
            "Starts a build stage on an image, an earlier stage or `scratch`.",
            &["--platform=<platform>", "<image>[:<tag>|@<digest>]", "AS <name>"],
        )],
        Run => vec![
            flagged(
                "RUN [--mount=<type=…>] [--network=<default|none|host>] [--security=<sandbox|insecure>] <command>",
                "Runs a command in the shell (`SHELL`, by default `/bin/sh -c`).",
                &RUN_FLAGS,
                &["<command>"],
            ),
            flagged(
                "RUN [--mount=<type=…>] [--network=<default|none|host>] [--security=<sandbox|insecure>] [\"executable\", \"param\", …]",
                "Runs an executable directly (exec form): no shell, no variable expansion.",
                &RUN_FLAGS,
                &[EXEC],
            ),
        ],
        Cmd => vec![
            form("CMD command param …", "The default command, run by `/bin/sh -c` (shell form).", &["command param …"]),
            form(
                "CMD [\"executable\", \"param\", …]",
                "The default command (exec form, preferred): signals reach the process.",
                &[EXEC],
            ),
        ],
        Entrypoint => vec![
            form(
                "ENTRYPOINT command param …",
                "The container's program, run by `/bin/sh -c` (shell form: `CMD` and `docker run` arguments are ignored).",
                &["command param …"],
            ),
            form(
                "ENTRYPOINT [\"executable\", \"param\", …]",
                "The container's program (exec form, preferred); `CMD` supplies default arguments.",
                &[EXEC],
            ),
        ],
        Copy => vec![
            flagged(
                "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<path>] <src>… <dest>",
                "Copies files from the build context, a stage or an image.",
                &COPY_FLAGS,
                &SOURCES,
            ),
            flagged(
                "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<path>] [\"<src>\", …, \"<dest>\"]",
                "The JSON form, for paths with spaces.",
                &COPY_FLAGS,
                &[JSON_SOURCES],
            ),
        ],
        Add => vec![
            flagged(
                "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--checksum=<hash>] [--keep-git-dir] [--link] [--exclude=<path>] <src>… <dest>",
                "Copies files, URLs or git repositories, and unpacks local archives. Prefer `COPY` for plain files.",
                &ADD_FLAGS,
                &SOURCES,
            ),
            flagged(
                "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--checksum=<hash>] [--keep-git-dir] [--link] [--exclude=<path>] [\"<src>\", …, \"<dest>\"]",
                "The JSON form, for paths with spaces.",
                &ADD_FLAGS,
                &[JSON_SOURCES],
            ),
        ],
        Arg => vec![form(
            "ARG <name>[=<default>] …",
            "Declares a build argument (`--build-arg`); before the first `FROM`, for `FROM` lines only.",
            &["<name>[=<default>] …"],
        )],
        Env => vec![form(
            "ENV <key>=<value> …",
            "Sets environment variables for the rest of the stage and the running container.",
            &["<key>=<value> …"],
        )],
        Expose => vec![form(
            "EXPOSE <port>[/<tcp|udp>] …",
            "Documents the ports the container listens on (publishing is `docker run -p`).",
            &["<port>[/<tcp|udp>] …"],
        )],
        Healthcheck => vec![
            form(
                "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>",
                "How to tell that the container still works: the command exits 0 when healthy.",
                &[
                    "--interval=<duration>",
                    "--timeout=<duration>",
                    "--start-period=<duration>",
                    "--start-interval=<duration>",
                    "--retries=<n>",
                    "CMD <command>",
                ],
            ),
            form("HEALTHCHECK NONE", "Turns off the health check the base image defines.", &["NONE"]),
        ],
        Label => vec![form("LABEL <key>=<value> …", "Adds metadata to the image.", &["<key>=<value> …"])],
        Maintainer => {
            vec![form("MAINTAINER <name>", "Deprecated: use `LABEL org.opencontainers.image.authors=…`.", &["<name>"])]
        }
        Onbuild => vec![form(
            "ONBUILD <INSTRUCTION>",
            "Registers an instruction that runs when another build uses this image as its base.",
            &["<INSTRUCTION>"],
        )],
        Shell => vec![form(
            "SHELL [\"executable\", \"parameters\"]",
            "The shell that runs the shell forms of `RUN`, `CMD` and `ENTRYPOINT` from here on.",
            &["[\"executable\", \"parameters\"]"],
        )],
        Stopsignal => {
            vec![form("STOPSIGNAL <signal>", "The signal `docker stop` sends (`SIGTERM` by default).", &["<signal>"])]
        }
        User => vec![
            form(
                "USER <user>[:<group>]",
                "The user (and group) later instructions and the container run as.",
                &["<user>[:<group>]"],
            ),
            form(
                "USER <uid>[:<gid>]",
                "The user by number: works whether or not the image's /etc/passwd has it.",
                &["<uid>[:<gid>]"],
            ),
        ],
        Volume => vec![
            form(
                "VOLUME <path> …",
                "Declares mount points; later changes to them in the build are discarded.",
                &["<path> …"],
            ),
            form("VOLUME [\"<path>\", …]", "The JSON form.", &["[\"<path>\", …]"]),
        ],
        Workdir => vec![form(
            "WORKDIR <path>",
            "The working directory of later instructions and the container; created when missing.",
            &["<path>"],
        )],
        Unknown => Vec::new(),
    }
}

/// The signature help at `offset`: `None` outside an instruction, on an unknown keyword, and in a heredoc
/// body.
pub fn signature_help(file: &Dockerfile, offset: usize) -> Option<SignatureHelp> {
    let instruction = file.instruction_at(offset)?;
    if !instruction.line_range().touches(offset) {
        return None;
    }
    // `ONBUILD RUN x`: past the trigger's keyword, the trigger's signature.
    let instruction = match &instruction.trigger {
        Some(trigger) if trigger.keyword.range.start <= offset => trigger,
        _ => instruction,
    };
    let forms = forms(instruction.kind);
    if forms.is_empty() {
        return None;
    }
    let active_signature = active_form(instruction, &forms);
    let signatures = forms
        .iter()
        .map(|form| Signature {
            label: form.label,
            documentation: form.documentation,
            parameters: form
                .parameters()
                .filter_map(|param| form.label.find(param).map(|start| TextRange::new(start, start + param.len())))
                .collect(),
        })
        .collect::<Vec<_>>();
    let active_parameter = if offset <= instruction.keyword.range.end {
        None
    } else {
        active_parameter(instruction, &forms[active_signature].parameters().collect::<Vec<_>>(), offset)
    };
    Some(SignatureHelp { signatures, active_signature, active_parameter })
}

/// Which form the instruction is written in: exec (JSON) form, `HEALTHCHECK NONE`, `USER 1000`.
fn active_form(instruction: &Instruction, forms: &[Form]) -> usize {
    let first_word = instruction.words.first().map(|word| word.value.as_str()).unwrap_or_default();
    let exec = instruction.json.is_some()
        || instruction.rest.as_ref().is_some_and(|rest| rest.value.trim_start().starts_with('['));
    let pick = match instruction.kind {
        InstructionKind::Healthcheck => first_word.eq_ignore_ascii_case("none"),
        InstructionKind::User => first_word.bytes().next().is_some_and(|b| b.is_ascii_digit()),
        _ => exec,
    };
    usize::from(pick && forms.len() > 1)
}

/// The parameter of `params` the cursor is on: the flag it is in, else the argument.
fn active_parameter(instruction: &Instruction, params: &[&str], offset: usize) -> Option<usize> {
    let flag_param = |name: &str| {
        params.iter().position(|param| {
            param
                .strip_prefix("--")
                .is_some_and(|rest| rest.split('=').next().is_some_and(|p| p.eq_ignore_ascii_case(name)))
        })
    };
    if let Some(flag) = instruction.flags.iter().find(|flag| flag.range.touches(offset)) {
        return flag_param(&flag.name);
    }
    let positional: Vec<usize> = (0..params.len()).filter(|&idx| !params[idx].starts_with("--")).collect();
    let last = *positional.last()?;
    if instruction.json.is_some() || instruction.kind == InstructionKind::Run {
        return Some(last);
    }
    let words = &instruction.words;
    // The word the cursor is in or right after; past all of them, the next one.
    let word = words
        .iter()
        .position(|word| word.range.touches(offset))
        .unwrap_or_else(|| words.iter().filter(|word| word.range.end < offset).count());
    let index = match instruction.kind {
        // `<src>… <dest>`: the last word is the destination, once there are two.
        InstructionKind::Copy | InstructionKind::Add => usize::from(word > 0 && word + 1 >= words.len()),
        _ => word,
    };
    Some(positional.get(index).copied().unwrap_or(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The active form's label and parameter text with the cursor at `|`.
    fn help(text: &str) -> Option<(&'static str, Option<&'static str>)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        let file = bulkhead_syntax::parse(&text);
        let help = signature_help(&file, offset)?;
        let signature = &help.signatures[help.active_signature];
        for signature in &help.signatures {
            assert!(signature.parameters.iter().all(|p| p.end <= signature.label.len()), "{signature:?}");
        }
        let param = help.active_parameter.map(|p| &signature.label[signature.parameters[p].as_range()]);
        Some((signature.label, param))
    }

    #[test]
    fn forms_and_the_active_parameter() {
        assert_eq!(help("FROM --platform=linux/am|d64 alpine").unwrap().1, Some("--platform=<platform>"));
        assert_eq!(help("FROM alp|").unwrap().1, Some("<image>[:<tag>|@<digest>]"));
        assert_eq!(help("FROM alpine AS b|").unwrap().1, Some("AS <name>"));
        assert_eq!(help("FR|OM alpine").unwrap().1, None);
        assert_eq!(help("COPY --from=b /a |").unwrap().1, Some("<dest>"));
        assert_eq!(help("COPY --from=b /a| /b").unwrap().1, Some("<src>…"));
        assert_eq!(help("COPY --li|nk a b").unwrap().1, Some("--link"));
        let (label, param) = help("CMD [\"a\", |]").unwrap();
        assert!(label.starts_with("CMD [") && param == Some("[\"executable\", \"param\", …]"));
        assert!(help("RUN echo |").unwrap().0.ends_with("<command>"));
        assert_eq!(help("HEALTHCHECK NONE|").unwrap().0, "HEALTHCHECK NONE");
        assert_eq!(help("USER 1000|").unwrap().0, "USER <uid>[:<gid>]");
        assert_eq!(help("ONBUILD RUN x|").unwrap().1, Some("<command>"));
        assert_eq!(help("# comment|\nFROM a"), None);
        assert_eq!(help("FOO ba|r"), None);
        assert_eq!(help("RUN <<EOF\nec|ho\nEOF\n"), None);
    }
}
