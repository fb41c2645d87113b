//! `RUN --mount=...` options, parsed once for every rule that reads them.
//!
//! BuildKit reads a mount as comma-separated `key=value` fields (after the Dockerfile's own quote removal,
//! which the lexer has done); keys are case-insensitive, `target` has the aliases `dst` and `destination`, `source` has
//! `src`, and a mount without `type=` is a bind mount. Variables are not expanded here.

use crate::instruction::{Flag, Instruction};
use crate::text::TextRange;

/// One `--mount` flag of a `RUN`.
#[derive(Clone, Debug)]
pub struct Mount<'a> {
    /// The flag as written.
    pub flag: &'a Flag,
    options: Vec<MountOption>,
}

/// One `key=value` field of a mount (`value` is `None` for a bare key such as `ro`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountOption {
    /// The key, lower-cased.
    pub key: String,
    pub value: Option<String>,
    /// The document range of the value, when the flag's text maps onto the document one to one (no
    /// quotes, escapes or continuation inside it), so an edit can replace the value.
    pub value_range: Option<TextRange>,
}

/// What a mount is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    /// A type BuildKit does not know (a typo, or a variable).
    Other,
}

impl Instruction {
    /// The `--mount` flags of this instruction, parsed (any instruction: only `RUN` has them).
    pub fn mounts(&self) -> impl Iterator<Item = Mount<'_>> {
        self.flags_named("mount").map(Mount::parse)
    }
}

impl<'a> Mount<'a> {
    /// Parses a `--mount` flag; a flag without a value is a mount with no options (a bind mount).
    pub fn parse(flag: &'a Flag) -> Self {
        let Some(word) = &flag.value else { return Self { flag, options: Vec::new() } };
        // Offsets into the value map onto the document only when the value is the raw text.
        let exact = word.raw == word.value && word.range.len() == word.raw.len();
        let options = fields(&word.value)
            .into_iter()
            .filter(|(_, field)| !field.trim().is_empty())
            .map(|(start, field)| {
                let (key, value) = match field.split_once('=') {
                    Some((key, value)) => (key, Some(value)),
                    None => (field, None),
                };
                let value_range = match value {
                    Some(value) if exact => {
                        let at = word.range.start + start + key.len() + 1;
                        Some(TextRange::new(at, at + value.len()))
                    }
                    _ => None,
                };
                MountOption {
                    key: key.trim().to_ascii_lowercase(),
                    value: value.map(|v| v.trim().to_owned()),
                    value_range,
                }
            })
            .collect();
        Self { flag, options }
    }

    /// Every field, in order.
    pub fn options(&self) -> &[MountOption] {
        &self.options
    }

    /// The last field with one of `keys` (the last one wins, as in BuildKit).
    pub fn option(&self, keys: &[&str]) -> Option<&MountOption> {
        self.options.iter().rev().find(|option| keys.contains(&option.key.as_str()))
    }

    /// The value of the last field with one of `keys`.
    pub fn value(&self, keys: &[&str]) -> Option<&str> {
        self.option(keys)?.value.as_deref()
    }

    /// The mount type, `bind` when none is given.
    pub fn kind(&self) -> MountType {
        match self.value(&["type"]).map(str::to_ascii_lowercase).as_deref() {
            None | Some("bind") => MountType::Bind,
            Some("cache") => MountType::Cache,
            Some("tmpfs") => MountType::Tmpfs,
            Some("secret") => MountType::Secret,
            Some("ssh") => MountType::Ssh,
            Some(_) => MountType::Other,
        }
    }

    /// `target=` (or `dst=`, `destination=`).
    pub fn target(&self) -> Option<&str> {
        self.value(&["target", "dst", "destination"])
    }

    /// `source=` (or `src=`).
    pub fn source(&self) -> Option<&str> {
        self.value(&["source", "src"])
    }

    /// `from=`: the stage, image or named context mounted from.
    pub fn from(&self) -> Option<&str> {
        self.value(&["from"])
    }

    /// `id=` (secret, ssh, cache).
    pub fn id(&self) -> Option<&str> {
        self.value(&["id"])
    }

    /// `env=` (a secret exposed as an environment variable).
    pub fn env(&self) -> Option<&str> {
        self.value(&["env"])
    }

    /// The secret's id as BuildKit resolves it: `id=`, else the base name of `target=`, else `env=`.
    pub fn secret_id(&self) -> Option<&str> {
        self.id()
            .or_else(|| self.target().map(|target| target.rsplit('/').next().unwrap_or(target)))
            .or_else(|| self.env())
            .filter(|id| !id.is_empty())
    }

    /// `required=` (`true` for a bare `required`), `None` when not given.
    pub fn required(&self) -> Option<bool> {
        self.option(&["required"]).map(|option| option.value.as_deref().is_none_or(is_true))
    }

    /// True when the mount is read-only: `ro`/`readonly` (bare or `=true`), or a bind mount without
    /// `rw`/`readwrite` (bind mounts are read-only by default; the others are writable).
    pub fn readonly(&self) -> bool {
        let flag = |keys: &[&str]| self.option(keys).map(|option| option.value.as_deref().is_none_or(is_true));
        match (flag(&["ro", "readonly"]), flag(&["rw", "readwrite"])) {
            (Some(ro), _) => ro,
            (None, Some(rw)) => !rw,
            (None, None) => self.kind() == MountType::Bind,
        }
    }
}

fn is_true(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

/// The comma-separated fields of `text` with their start offsets.
fn fields(text: &str) -> Vec<(usize, &str)> {
    let mut start = 0;
    text.split(',')
        .map(|field| {
            let at = start;
            start += field.len() + 1;
            (at, field)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn with_mounts(text: &str, check: impl FnOnce(&str, Vec<Mount<'_>>)) {
        let file = parse(text);
        let run = file.instructions().last().expect("an instruction");
        check(text, run.mounts().collect());
    }

    #[test]
    fn types_targets_and_aliases() {
        let text = "FROM alpine\nRUN --mount=type=cache,dst=/var/cache/apk --mount=src=go.mod,target=/go.mod \\\n    --mount=TYPE=Secret,id=npm,Target=/root/.npmrc,required --mount=type=nfs apk add x\n";
        with_mounts(text, |_, mounts| {
            assert_eq!(mounts.len(), 4);
            assert_eq!(mounts[0].kind(), MountType::Cache);
            assert_eq!(mounts[0].target(), Some("/var/cache/apk"));
            assert!(!mounts[0].readonly());
            assert_eq!(mounts[1].kind(), MountType::Bind);
            assert_eq!(mounts[1].source(), Some("go.mod"));
            assert!(mounts[1].readonly(), "bind mounts are read-only by default");
            assert_eq!(mounts[2].kind(), MountType::Secret);
            assert_eq!(mounts[2].id(), Some("npm"));
            assert_eq!(mounts[2].target(), Some("/root/.npmrc"));
            assert_eq!(mounts[2].required(), Some(true));
            assert_eq!(mounts[3].kind(), MountType::Other);
        });
    }

    #[test]
    fn secret_ids_env_and_flags() {
        let text = "FROM alpine\nRUN --mount=type=secret,env=TOKEN_OLD --mount=type=secret,target=/run/secrets/aws,required=false --mount=type=bind,rw,from=build,source=/out --mount=type=cache,target=/c,readonly=true x\n";
        with_mounts(text, |_, mounts| {
            assert_eq!(mounts[0].env(), Some("TOKEN_OLD"));
            assert_eq!(mounts[0].secret_id(), Some("TOKEN_OLD"));
            assert_eq!(mounts[1].secret_id(), Some("aws"));
            assert_eq!(mounts[1].required(), Some(false));
            assert_eq!(mounts[0].required(), None);
            assert_eq!(mounts[2].from(), Some("build"));
            assert!(!mounts[2].readonly());
            assert!(mounts[3].readonly());
        });
    }

    #[test]
    fn value_ranges_point_into_the_document() {
        let text = "FROM alpine\nRUN --mount=from=builder,source=/app,target=/app make\n";
        with_mounts(text, |text, mounts| {
            let from = mounts[0].option(&["from"]).unwrap();
            assert_eq!(&text[from.value_range.unwrap().as_range()], "builder");
            let target = mounts[0].option(&["target"]).unwrap();
            assert_eq!(&text[target.value_range.unwrap().as_range()], "/app");
        });
        // Quotes: the values are known, their ranges are not.
        let text = "FROM alpine\nRUN --mount=\"type=bind,target=/a\",from=x make\n";
        with_mounts(text, |_, mounts| {
            assert_eq!(mounts[0].target(), Some("/a"));
            assert_eq!(mounts[0].from(), Some("x"));
            assert!(mounts[0].options().iter().all(|o| o.value_range.is_none()));
        });
    }

    #[test]
    fn broken_mounts_never_panic() {
        for text in [
            "RUN --mount make",
            "RUN --mount= make",
            "RUN --mount=,,, make",
            "RUN --mount==,=x,\"unterminated make",
            "RUN --mount=type=secret,id= make",
            "RUN --mount=target=é,ü=ö make",
        ] {
            with_mounts(text, |_, mounts| {
                for mount in &mounts {
                    let _ = (mount.kind(), mount.secret_id(), mount.readonly(), mount.required());
                }
            });
        }
        with_mounts("RUN --mount=type=secret,id= make", |_, mounts| assert_eq!(mounts[0].secret_id(), None));
    }
}
