//! A structure-aware model of a hostile Dockerfile, shared by the proptest generator
//! (`crates/bulkhead-analysis/tests/hostile_generator.rs`) and the structure-aware fuzz targets (`fuzz/`):
//! stages on images or on earlier stages, chained `ARG`s, shells nested and chained thousands deep,
//! heredocs, ordinary instructions of every kind, lines of escapes and quotes, CRLF, a BOM and the backtick
//! escape, rendered to text. Random bytes rarely nest; this model nests and chains on purpose.
//!
//! A model is read from bytes as a sequence of choices ([`Choices`]), the way `arbitrary` reads a value
//! from an `Unstructured`: the fuzzer's bytes and proptest's byte vectors build the same models, a byte
//! sequence that runs out reads as zeros (the smallest choices), and a crash input kept in
//! `fuzz/regressions/` replays without the fuzzer. No dependency beyond std.
#![allow(dead_code)] // Each includer uses its own part of it.

/// The fuzzer's (or proptest's) bytes, read as choices.
pub struct Choices<'a> {
    data: &'a [u8],
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// A number below `n` (0 when `n` is 0 or the bytes ran out): one byte for small `n`, two otherwise.
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let width = if n <= 256 { 1 } else { 2 };
        let (head, tail) = self.data.split_at(width.min(self.data.len()));
        self.data = tail;
        head.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b)) % n
    }

    /// A number in `range`.
    pub fn within(&mut self, range: std::ops::Range<usize>) -> usize {
        range.start + self.below(range.end.saturating_sub(range.start))
    }

    pub fn flag(&mut self) -> bool {
        self.below(2) == 1
    }

    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        !self.data.is_empty() && self.below(n) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// One way a shell script nests or chains, rendered `depth` times around or after `true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Substitution,
    Backticks,
    Subshell,
    Arithmetic,
    Group,
    If,
    While,
    ParameterDefault,
    AndChain,
    Pipeline,
    Continuations,
    Quotes,
}

const SHAPES: [Shape; 12] = [
    Shape::Substitution,
    Shape::Backticks,
    Shape::Subshell,
    Shape::Arithmetic,
    Shape::Group,
    Shape::If,
    Shape::While,
    Shape::ParameterDefault,
    Shape::AndChain,
    Shape::Pipeline,
    Shape::Continuations,
    Shape::Quotes,
];

/// Ordinary instructions, one of each kind and the patterns the rules look for, so that a model reaches
/// the rules' code and their fixes, not only the parser.
const PLAIN: &[&str] = &[
    "COPY --from=s0 /a /b",
    "COPY --from=0 --chown=root:root . /app",
    "COPY . /app",
    "ADD https://example.com/x.tar.gz /x",
    "ADD --checksum=sha256:abc x.tar /x",
    "ENV PATH=/usr/local/bin:$PATH HOME=/root",
    "ENV LEGACY value with spaces",
    "ENV API_TOKEN=s3cr3t-t0ken-value",
    "USER root",
    "USER 1000:1000",
    "USER ${C0}",
    "WORKDIR app",
    "WORKDIR /src/${N}",
    "CMD [\"sh\", \"-c\", \"echo $HOME\"]",
    "CMD [\"broken\", ",
    "ENTRYPOINT /bin/sh -c 'exec app'",
    "HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1",
    "HEALTHCHECK NONE",
    "EXPOSE 22 80/tcp 1-65535",
    "RUN apt-get update && apt-get install -y curl",
    "RUN apk add --no-cache curl=8.0 && rm -rf /var/cache/apk/*",
    "RUN --mount=type=secret,id=x,target=/s cat /s",
    "RUN --mount=type=cache,target=/root/.cache pip install flask",
    "RUN curl -sSL https://example.com/install.sh | sh",
    "RUN wget -qO- http://example.com/x | bash -",
    "RUN [\"/bin/sh\", \"-c\", \"echo $((1+2))\"]",
    "RUN cd /tmp && chmod -R 777 / && sudo make install",
    "RUN echo \"$C0\" > /etc/x; export A=b; source /x",
    "LABEL a=b \\\n  c=\"d e\"",
    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
    "SHELL [\"powershell\", \"-Command\"]",
    "ONBUILD COPY . /src",
    "ONBUILD ONBUILD RUN true",
    "VOLUME [\"/data\", \"/var/lib\"]",
    "STOPSIGNAL SIGKILL",
    "MAINTAINER someone@example.com",
    "ARG C0",
    "ARG TARGETPLATFORM",
    "COPY <<EOF /etc/x\nhello ${C0}\nEOF",
    "RUN <<A <<B\necho a\nA\necho b\nB",
    "# bulkhead: ignore=BH903",
    "# a comment",
    "",
    "FROM --platform=$BUILDPLATFORM golang:1.22 AS build",
    "FROM ${C0}",
    "FROM scratch",
    "frOm alpine:latest as Final",
];

/// Characters of the odd lines: escapes, quotes, expansions, brackets, line breaks and wide characters.
const ODD: &[&str] = &[
    "\\", "`", "\"", "'", "$", "${", "}", "(", ")", "$(", "[", "]", "\t", " ", "<<", "-", "=", "a", "\r", "\n", "\r\n",
    "#", "é", "漢", "🐳", "\u{feff}", "\0", "EOF", "RUN ", "FROM ", "--", ",",
];

/// One instruction (or run of them) of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `FROM` an image, or the stage `back` stages earlier (a chain when `back` is 1).
    From {
        back: Option<usize>,
        alias: bool,
    },
    /// `count` chained `ARG`s, each the previous one and one more byte.
    ArgChain {
        count: usize,
    },
    /// An `ARG` whose default nests `depth` deep.
    ArgNest {
        depth: usize,
    },
    Run {
        shape: Shape,
        depth: usize,
    },
    /// `RUN <<EOF` with `lines` lines of script.
    Heredoc {
        lines: usize,
        dash: bool,
        quoted: bool,
    },
    /// An `ONBUILD RUN` with a nested shell.
    Onbuild {
        shape: Shape,
        depth: usize,
    },
    /// One of [`PLAIN`], repeated `count` times.
    Plain {
        index: usize,
        count: usize,
    },
    /// A line of escape characters and quotes.
    Odd {
        text: String,
    },
}

/// A whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    pub bom: bool,
    pub crlf: bool,
    pub backtick_escape: bool,
    pub items: Vec<Item>,
}

/// How far a model may go: the fuzzer wants many small files per second, with a deep one now and then.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// The most items of a model.
    pub items: usize,
    /// The deepest nesting or longest chain (and the most heredoc lines, chained `ARG`s, repeats).
    pub depth: usize,
    /// One deep item in this many (the others stay under 100).
    pub deep_one_in: usize,
}

impl Scale {
    /// Past every limit of the analysis, often: what the proptest generator runs.
    pub const DEEP: Scale = Scale { items: 8, depth: 12_000, deep_one_in: 3 };
    /// Mostly small files, now and then a deep one: what the fuzz targets run.
    pub const FUZZ: Scale = Scale { items: 16, depth: 12_000, deep_one_in: 256 };
}

fn depth(choices: &mut Choices, scale: Scale) -> usize {
    if choices.one_in(scale.deep_one_in) {
        choices.within(scale.depth / 12..scale.depth + 1)
    } else if choices.flag() {
        choices.below(4)
    } else {
        choices.within(4..100.min(scale.depth + 1))
    }
}

fn item(choices: &mut Choices, scale: Scale) -> Item {
    match choices.below(10) {
        0 => Item::From { back: choices.flag().then(|| choices.within(1..4)), alias: choices.flag() },
        1 => Item::ArgChain { count: depth(choices, scale).max(1) / 4 + 1 },
        2 => Item::ArgNest { depth: depth(choices, scale) },
        3 => Item::Run { shape: choices.pick(&SHAPES), depth: depth(choices, scale) },
        4 => Item::Heredoc { lines: depth(choices, scale) / 2, dash: choices.flag(), quoted: choices.flag() },
        5 => Item::Onbuild { shape: choices.pick(&SHAPES), depth: depth(choices, scale) },
        6 | 7 => Item::Plain {
            index: choices.below(PLAIN.len()),
            count: if choices.one_in(16) { depth(choices, scale).max(1) } else { 1 },
        },
        _ => {
            let len = choices.below(40);
            Item::Odd { text: (0..len).map(|_| choices.pick(ODD)).collect() }
        }
    }
}

impl Model {
    /// The model the bytes choose.
    pub fn from_bytes(data: &[u8], scale: Scale) -> Model {
        let mut choices = Choices::new(data);
        let bom = choices.one_in(4);
        let crlf = choices.one_in(4);
        let backtick_escape = choices.one_in(5);
        let count = choices.within(1..scale.items + 1);
        let mut items = Vec::new();
        while items.len() < count && !choices.is_empty() {
            items.push(item(&mut choices, scale));
        }
        if items.is_empty() {
            items.push(Item::From { back: None, alias: false });
        }
        Model { bom, crlf, backtick_escape, items }
    }

    /// The Dockerfile: the items in order, then `RUN apk add curl` (a finding that shows the rest of the
    /// file was checked).
    pub fn render(&self) -> String {
        let escape = if self.backtick_escape { '`' } else { '\\' };
        let mut text = String::new();
        if self.bom {
            text.push('\u{feff}');
        }
        if self.backtick_escape {
            text.push_str("# escape=`\n");
        }
        let mut stages = 0usize;
        let mut args = 0usize;
        for item in &self.items {
            match item {
                Item::From { back, alias } => {
                    let base = match back {
                        Some(back) if *back <= stages => format!("s{}", stages - back),
                        _ => "alpine:3.20".to_owned(),
                    };
                    let alias = if *alias { format!(" AS s{stages}") } else { String::new() };
                    text.push_str(&format!("FROM {base}{alias}\n"));
                    stages += 1;
                }
                Item::ArgChain { count } => {
                    text.push_str(&format!("ARG C{args}=x\n"));
                    for _ in 1..*count {
                        args += 1;
                        text.push_str(&format!("ARG C{args}=${{C{}}}x\n", args - 1));
                    }
                    args += 1;
                }
                Item::ArgNest { depth } => {
                    text.push_str(&format!("ARG N={}x{}\n", "${M:-".repeat(*depth), "}".repeat(*depth)));
                }
                Item::Run { shape, depth } => text.push_str(&format!("RUN {}\n", shell(*shape, *depth, escape))),
                Item::Heredoc { lines, dash, quoted } => {
                    let marker = match (dash, quoted) {
                        (true, true) => "<<-'EOF'",
                        (true, false) => "<<-EOF",
                        (false, true) => "<<\"EOF\"",
                        (false, false) => "<<EOF",
                    };
                    let body = "\techo \"$HOME\" one line of the script\n".repeat(*lines);
                    text.push_str(&format!("RUN {marker}\n{body}\tEOF\n"));
                    if !dash {
                        text.push_str("EOF\n");
                    }
                }
                Item::Onbuild { shape, depth } => {
                    text.push_str(&format!("ONBUILD RUN {}\n", shell(*shape, *depth, escape)));
                }
                Item::Plain { index, count } => {
                    let line = PLAIN[index % PLAIN.len()];
                    let line = if escape == '\\' { line.to_owned() } else { line.replace('\\', "`") };
                    for _ in 0..*count {
                        text.push_str(&line);
                        text.push('\n');
                    }
                }
                Item::Odd { text: odd } => {
                    text.push_str(odd);
                    text.push('\n');
                }
            }
        }
        text.push_str("RUN apk add curl\n");
        if self.crlf { text.replace('\n', "\r\n") } else { text }
    }
}

/// A shell script of `shape`, nested or chained `depth` deep.
pub fn shell(shape: Shape, depth: usize, escape: char) -> String {
    let nest = |open: &str, inner: &str, close: &str| format!("{}{inner}{}", open.repeat(depth), close.repeat(depth));
    match shape {
        Shape::Substitution => nest("echo $(", "x", ")"),
        // Backticks do not nest without escapes; a run of them is a long line of empty substitutions.
        Shape::Backticks => format!("echo {}", "`true`".repeat(depth)),
        Shape::Subshell => nest("( ", "true", " )"),
        Shape::Arithmetic => format!("echo $(({}))", nest("(", "1", ")")),
        Shape::Group => nest("{ ", "true; ", "}; "),
        Shape::If => nest("if true; then ", "true; ", "fi; "),
        Shape::While => nest("while false; do ", "true; ", "done; "),
        Shape::ParameterDefault => nest("echo ${A:-", "x", "}"),
        Shape::AndChain => vec!["true"; depth.max(1)].join(" && "),
        Shape::Pipeline => vec!["cat"; depth.max(1)].join(" | "),
        Shape::Continuations => format!("true {}", format!("{escape}\n && true ").repeat(depth)),
        Shape::Quotes => nest("\"$(echo '", "x", "')\""),
    }
}
