//! BH915 add-instead-of-copy: `ADD` where `COPY` does the job, or `ADD <url>` without `--checksum`.

use bulkhead_syntax::InstructionKind;

use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::util;
use crate::rules::util_copy::{self, Source};

pub(crate) const RULE: Rule = Rule {
    code: "BH915",
    name: "add-instead-of-copy",
    practice: Practice::PackageHygiene,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::Sometimes,
    fix_plan: Some(FixPlan {
        planned: "safe: `ADD` → `COPY` for local non-archive sources; unsafe for URLs: add a `--checksum=sha256:` placeholder",
        decision: "no placeholder for URLs: it would break the build, and the checksum must come from the publisher",
    }),
    aliases: &["DL3020", "DS-0005", "DS005", "CKV_DOCKER_4", "prefer-copy-over-add"],
    summary: "`ADD` of local files (use `COPY`), or `ADD <url>` without `--checksum`.",
    doc: r#"
## What it does
Checks `ADD` instructions (also in `ONBUILD`):
- when every source is a local file or folder that is not a tar archive (heredocs included), `COPY` does
  the same thing without `ADD`'s surprises;
- when a source is an `http(s)://` URL and `ADD` has no `--checksum`, the download is not verified.

`ADD` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tbz2`, `.tar.xz`, `.txz`, `.tar.zst`)
is fine: unpacking it is what `ADD` is for. Git sources (`https://host/repo.git#ref`, `git@host:repo`)
are left alone: pin them to a commit. Sources with a variable whose value is unknown are skipped.
Archives are recognised by their file name: a tar file named `rootfs` would be unpacked by `ADD` but
copied as is by `COPY`.

An unverified download is a warning. `ADD` of plain local files is a hint: it copies exactly what
`COPY` would, and the surprise it can hold (a file that is a tar archive under another name) is rare.

hadolint (DL3020) and Trivy (DS-0005) flag only local files; Semgrep flags only URLs and archives;
Checkov flags every `ADD`. bulkhead flags local files and unverified downloads, which are the two cases
with a concrete risk, and leaves archives alone.

## Why it matters
`ADD` does more than copy: it unpacks anything that looks like a tar archive and fetches URLs. A file
that happens to be (or later becomes) an archive is silently extracted into the destination, which has
been used to plant files outside the intended folder. A URL fetched without a checksum runs whatever the
server, a compromised mirror or a man in the middle returns: the build is not reproducible and not
verified.

## Example
```dockerfile
FROM alpine:3.20
ADD app.conf /etc/app/app.conf
ADD https://example.com/tool-1.2.3-linux-amd64 /usr/local/bin/tool
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY app.conf /etc/app/app.conf
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.3-linux-amd64 /usr/local/bin/tool
```

## Fix
"Replace `ADD` with `COPY`" (safe) rewrites the keyword and keeps the flags that `COPY` also takes
(`--chown`, `--chmod`, `--link`, `--exclude`). It is not offered when `ADD` has a flag `COPY` does not
take (`--checksum`, `--keep-git-dir`, `--unpack`). There is no fix for a URL without `--checksum`: the
checksum must come from the publisher, and a placeholder would break the build. Add
`--checksum=sha256:<hash>` (Dockerfile syntax 1.6 or later), or download with `curl` in a `RUN` and
verify with `sha256sum -c`.

## How to silence
`# bulkhead ignore=BH915` on the line before the `ADD`, or `ignore = ["BH915"]` in `.bulkhead.toml`.
`# hadolint ignore=DL3020` works too.

## References
- Docker docs: Dockerfile reference, `ADD` (`--checksum`) and `COPY`; best practices, "ADD or COPY"
- CWE-494: Download of Code Without Integrity Check
"#,
    check: Check::File(check),
};

/// `ADD` flags that `COPY` does not take.
const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (idx, instruction) in util_copy::copies(ctx) {
        if instruction.kind != InstructionKind::Add {
            continue;
        }
        let mut all_local_files = true;
        let mut n_sources = 0;
        for source in util_copy::sources(instruction) {
            n_sources += 1;
            let Source::Word(word) = source else { continue };
            let value = if word.value.contains('$') {
                ctx.model.expand_at(idx, &word.value)
            } else {
                Some(word.value.to_string())
            };
            let Some(value) = value else {
                all_local_files = false;
                continue;
            };
            if util_copy::is_git_url(&value) {
                all_local_files = false;
            } else if util_copy::is_url(&value) {
                all_local_files = false;
                if instruction.flag("checksum").is_none() {
                    out.push(Finding::new(
                        word.range,
                        format!("`ADD {value}` downloads without `--checksum`: the file's integrity is not verified"),
                    ));
                }
            } else if util_copy::is_archive(&value) {
                all_local_files = false;
            }
        }
        if !all_local_files || n_sources == 0 {
            continue;
        }
        let mut finding = Finding::new(
            instruction.line_range(),
            "`ADD` of local files: use `COPY`, which does not unpack archives or fetch URLs",
        )
        .with_severity(Severity::Hint);
        if !instruction.flags.iter().any(|flag| ADD_ONLY_FLAGS.iter().any(|name| flag.name.eq_ignore_ascii_case(name)))
        {
            let replacement = util::keyword_cased(ctx.file, "COPY");
            finding = finding.with_fix(Fix::safe(
                "Replace `ADD` with `COPY`",
                vec![Edit::replace(instruction.keyword.range, replacement)],
            ));
        }
        out.push(finding);
    }
}
