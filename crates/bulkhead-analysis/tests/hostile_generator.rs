//! A structure-aware generator of hostile Dockerfiles: a small model of a file (stages on images or on
//! earlier stages, chained `ARG`s, shells nested and chained deep, heredocs, odd escapes, CRLF, a BOM, an
//! `# escape=` directive) rendered to text and checked by the whole engine. Random bytes rarely nest; this
//! generator nests and chains on purpose, thousands deep, which is what aborted the drivers before.
//!
//! Each case must check without a panic or a rule failure, with every finding inside the text and on
//! character boundaries. It runs on the test thread's default stack (2 MiB, smaller than any driver's):
//! the engine must not need a deep stack at all. Case counts stay modest: CI runs on two cores.

use bulkhead_analysis::{BuildContext, Settings, check};
use proptest::prelude::*;

/// One way a shell script nests or chains, rendered `depth` times around or after `true`.
#[derive(Clone, Copy, Debug)]
enum Shape {
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

fn shell(shape: Shape, depth: usize, escape: char) -> String {
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

/// One instruction of the model.
#[derive(Clone, Debug)]
enum Item {
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
    },
    /// An `ONBUILD RUN` with a nested shell.
    Onbuild {
        shape: Shape,
        depth: usize,
    },
    /// A line of escape characters and quotes.
    Odd {
        text: String,
    },
}

#[derive(Clone, Debug)]
struct Model {
    bom: bool,
    crlf: bool,
    backtick_escape: bool,
    items: Vec<Item>,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Substitution),
        Just(Shape::Backticks),
        Just(Shape::Subshell),
        Just(Shape::Arithmetic),
        Just(Shape::Group),
        Just(Shape::If),
        Just(Shape::While),
        Just(Shape::ParameterDefault),
        Just(Shape::AndChain),
        Just(Shape::Pipeline),
        Just(Shape::Continuations),
        Just(Shape::Quotes),
    ]
}

/// Depths from trivial to far past any real file (and past the analysis limits).
fn depth() -> impl Strategy<Value = usize> {
    prop_oneof![0..4usize, 4..100usize, 1_000..12_000usize]
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        (proptest::option::of(1..4usize), any::<bool>()).prop_map(|(back, alias)| Item::From { back, alias }),
        prop_oneof![1..10usize, 500..3_000usize].prop_map(|count| Item::ArgChain { count }),
        depth().prop_map(|depth| Item::ArgNest { depth }),
        (shape(), depth()).prop_map(|(shape, depth)| Item::Run { shape, depth }),
        (prop_oneof![0..3usize, 1_000..8_000usize], any::<bool>())
            .prop_map(|(lines, dash)| Item::Heredoc { lines, dash }),
        (shape(), depth()).prop_map(|(shape, depth)| Item::Onbuild { shape, depth }),
        "[\\\\`\"'${}()\t <a-z=\r\n]{0,40}".prop_map(|text| Item::Odd { text }),
    ]
}

fn model() -> impl Strategy<Value = Model> {
    (any::<bool>(), any::<bool>(), proptest::bool::weighted(0.2), proptest::collection::vec(item(), 1..8))
        .prop_map(|(bom, crlf, backtick_escape, items)| Model { bom, crlf, backtick_escape, items })
}

fn render(model: &Model) -> String {
    let escape = if model.backtick_escape { '`' } else { '\\' };
    let mut text = String::new();
    if model.bom {
        text.push('\u{feff}');
    }
    if model.backtick_escape {
        text.push_str("# escape=`\n");
    }
    let mut stages = 0usize;
    let mut args = 0usize;
    for item in &model.items {
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
            Item::Heredoc { lines, dash } => {
                let marker = if *dash { "<<-EOF" } else { "<<EOF" };
                text.push_str(&format!("RUN {marker}\n{}\tEOF\n", "\techo one line of the script\n".repeat(*lines)));
                if !dash {
                    text.push_str("EOF\n");
                }
            }
            Item::Onbuild { shape, depth } => {
                text.push_str(&format!("ONBUILD RUN {}\n", shell(*shape, *depth, escape)));
            }
            Item::Odd { text: odd } => {
                text.push_str(odd);
                text.push('\n');
            }
        }
    }
    text.push_str("RUN apk add curl\n");
    if model.crlf { text.replace('\n', "\r\n") } else { text }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn hostile_models_check_cleanly(model in model()) {
        let text = render(&model);
        let report = check(&text, &BuildContext::default(), &Settings::default());
        prop_assert!(report.failures.is_empty(), "{:?}", report.failures);
        for diagnostic in &report.diagnostics {
            let range = diagnostic.range;
            prop_assert!(range.start <= range.end && range.end <= text.len(), "{diagnostic:?}");
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{diagnostic:?}");
        }
    }
}
