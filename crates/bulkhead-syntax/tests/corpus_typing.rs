//! Acceptance test of the instruction layer on real files: typing an instruction character by character
//! anywhere in a corpus file never changes how any other instruction is recognised.
//!
//! For every file of `../shared/corpus/dev` and `large/`, at several insertion points (before an
//! instruction, at the end of the file), every prefix of each typed line below is inserted as a line of
//! its own. Every instruction of the original file must come out with the same kind, keyword, range
//! (shifted past the insertion), flags and words.
//!
//! Two prefixes change other instructions on purpose, because Docker itself reads them that way, and are
//! skipped: a prefix that ends with the escape character (it continues onto the next line), and a prefix
//! that opens a heredoc whose terminator line appears later in the file (the body legitimately runs to it).

mod support;

use std::path::PathBuf;

use std::sync::Arc;

use support::corpus_files;

use bulkhead_syntax::{Dockerfile, Instruction, ShellCache, TextRange, parse, parse_with_cache};

const TYPED: &[&str] = &[
    "FROM --platform=$BUILDPLATFORM golang:1.22-alpine AS build",
    "RUN apt-get update && apt-get install -y --no-install-recommends curl",
    "RUN --mount=type=cache,target=/root/.cache pip install -r requirements.txt",
    "COPY --from=build --chown=app:app --link /out/app /usr/local/bin/app",
    "COPY [\"a b\", \"/dst/\"]",
    "ADD --checksum=sha256:abc https://example.com/x.tar.gz /tmp/",
    "ENV PATH=\"/opt/bin:$PATH\" LANG=C.UTF-8",
    "ENV LEGACY multi word value",
    "ARG VERSION=1.0 TARGETOS",
    "CMD [\"python\", \"-m\", \"http.server\", \"8080\"]",
    "ENTRYPOINT exec /usr/bin/app --flag",
    "HEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1",
    "ONBUILD RUN echo onbuild",
    "LABEL org.opencontainers.image.title=\"x y\"",
    "USER 1000:1000",
    "EXPOSE 80/tcp 443",
    "WORKDIR /app",
    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
    "run echo lowercase",
    "RUN cat <<EOF > /etc/motd",
    "# bulkhead ignore=BH201",
];

/// What must not change about an instruction, ranges relative to `shift`.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    kind: bulkhead_syntax::InstructionKind,
    keyword: String,
    range: TextRange,
    flags: Vec<(String, Option<String>, TextRange)>,
    words: Vec<(String, TextRange)>,
    json: Option<Vec<String>>,
    heredocs: Vec<(String, TextRange)>,
}

fn shape(instruction: &Instruction, from: usize, shift: isize) -> Shape {
    let adjust = |range: TextRange| {
        if range.start >= from {
            TextRange::new((range.start as isize - shift) as usize, (range.end as isize - shift) as usize)
        } else {
            range
        }
    };
    Shape {
        kind: instruction.kind,
        keyword: instruction.keyword.raw.to_string(),
        range: adjust(instruction.range),
        flags: instruction
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.as_ref().map(|v| v.value.to_string()), adjust(f.range)))
            .collect(),
        words: instruction.words.iter().map(|w| (w.value.to_string(), adjust(w.range))).collect(),
        json: instruction.json.as_ref().map(|j| j.iter().map(|w| w.value.to_string()).collect()),
        heredocs: instruction.heredocs.iter().map(|h| (h.name.clone(), adjust(h.body))).collect(),
    }
}

/// Insertion points: the start of the line of a spread of instructions, and the end of the file.
fn insertion_points(file: &Dockerfile, max: usize) -> Vec<usize> {
    let instructions = file.instructions();
    let index = file.line_index();
    let mut points: Vec<usize> = if instructions.len() <= max {
        instructions.iter().map(|i| index.line_start(index.line_of(i.range.start))).collect()
    } else {
        (0..max)
            .map(|k| {
                let i = &instructions[k * (instructions.len() - 1) / (max - 1).max(1)];
                index.line_start(index.line_of(i.range.start))
            })
            .collect()
    };
    points.push(file.text().len());
    points.dedup();
    points
}

fn heredoc_terminator_later(text: &str, at: usize, prefix: &str) -> bool {
    let Some(idx) = prefix.find("<<") else {
        return false;
    };
    let name: String = prefix[idx + 2..]
        .trim_start_matches('-')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    !name.is_empty() && text[at..].lines().any(|line| line.trim_start_matches('\t') == name)
}

#[test]
fn typing_an_instruction_never_disturbs_the_others() {
    let files = corpus_files();
    assert!(files.len() >= 475, "expected the whole corpus, found {} files", files.len());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = files.len().div_ceil(threads);
    let cases: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(chunk).map(|part| scope.spawn(move || check_files(part))).collect();
        handles.into_iter().map(|h| h.join().expect("a checker thread panicked")).sum()
    });
    eprintln!("checked {cases} typed prefixes");
    assert!(cases > 100_000);
}

fn check_files(files: &[PathBuf]) -> usize {
    let mut cases = 0usize;
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let original = parse(&text);
        // The editor path: shell parses of untouched `RUN`s come from the cache.
        let mut cache = ShellCache::new();
        let large = path.parent().is_some_and(|p| p.ends_with("large"));
        let points = insertion_points(&original, if large { 2 } else { 4 });
        let escape = original.escape();
        for &at in &points {
            let before: Vec<Shape> = original.instructions().iter().map(|i| shape(i, usize::MAX, 0)).collect();
            // Insert on a line of its own; at the end of a file without a final newline, start a line first.
            let lead = if at == text.len() && !text.is_empty() && !text.ends_with('\n') { "\n" } else { "" };
            for typed in TYPED {
                for (len, _) in typed.char_indices().skip(1).chain([(typed.len(), ' ')]) {
                    let prefix = &typed[..len];
                    if prefix.trim_end().ends_with(escape) || heredoc_terminator_later(&text, at, prefix) {
                        continue;
                    }
                    let inserted = format!("{lead}{prefix}\n");
                    let mut edited = String::with_capacity(text.len() + inserted.len());
                    edited.push_str(&text[..at]);
                    edited.push_str(&inserted);
                    edited.push_str(&text[at..]);
                    let reparsed = parse_with_cache(Arc::from(edited), Some(&mut cache));
                    let inserted_range = TextRange::new(at, at + inserted.len());
                    let after: Vec<Shape> = reparsed
                        .instructions()
                        .iter()
                        .filter(|i| !inserted_range.contains(i.range.start))
                        .map(|i| shape(i, at, inserted.len() as isize))
                        .collect();
                    assert_eq!(
                        before,
                        after,
                        "{}: typing {prefix:?} at byte {at} changed other instructions",
                        path.display()
                    );
                    cases += 1;
                }
            }
        }
    }
    cases
}
