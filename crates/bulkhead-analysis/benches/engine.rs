//! Parse + analyse throughput on real files: one typical corpus file, the large synthetic files, and the
//! whole dev corpus, and an editor's keystroke (re-parse and check with the memo of instruction checks);
//! and a 1,000-line Compose file (target: 5 ms).
//! Run with `cargo bench -p bulkhead-analysis`.

use std::path::{Path, PathBuf};

use bulkhead_analysis::{BuildContext, InstructionMemo, Settings, check, check_compose, check_file, check_file_memo};
use bulkhead_syntax::{Document, TextEdit, TextRange};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn bench_files(c: &mut Criterion) {
    let settings = Settings::default();
    let build = BuildContext::without_dockerignore();
    let mut group = c.benchmark_group("check");
    let files = [
        ("typical", corpus().join("dev/docker-library__python__3.13__slim-bookworm__Dockerfile")),
        ("large-1k", corpus().join("large/large-1k.Dockerfile")),
        ("large-10k", corpus().join("large/large-10k.Dockerfile")),
    ];
    for (name, path) in &files {
        let text = read(path);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(*name), &text, |b, text| {
            b.iter(|| check(text, &build, &settings));
        });
    }
    group.finish();

    // What the server pays per keystroke once the edited RUN is re-parsed: the model and every rule over
    // an already parsed file (the shell parses of unchanged RUNs are reused from the previous snapshot).
    let mut group = c.benchmark_group("rules");
    for (name, path) in &files {
        let file = bulkhead_syntax::parse(&read(path));
        group.bench_function(*name, |b| b.iter(|| check_file(&file, &build, &settings).diagnostics.len()));
    }
    group.finish();

    // A keystroke in the editor, as the server runs it: a character typed into the last instruction (and
    // taken away on the next iteration), the incremental re-parse, and the check with the document's memo
    // of instruction checks (their findings on unchanged instructions are reused).
    let mut group = c.benchmark_group("keystroke");
    for (name, path) in &files {
        let text = read(path);
        let mut doc = Document::new(&text);
        let mut memo = InstructionMemo::new();
        let end = text.trim_end().len();
        let mut typed = false;
        group.bench_function(*name, |b| {
            b.iter(|| {
                let edit = match typed {
                    false => TextEdit { range: TextRange::empty(end), new_text: "x".into() },
                    true => TextEdit { range: TextRange::new(end, end + 1), new_text: String::new() },
                };
                typed = !typed;
                doc.apply(&edit);
                let file = doc.snapshot();
                check_file_memo(&file, &build, &settings, &mut memo).diagnostics.len()
            })
        });
    }
    group.finish();

    let mut dev: Vec<String> = std::fs::read_dir(corpus().join("dev"))
        .expect("corpus")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    dev.sort();
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.throughput(Throughput::Elements(dev.len() as u64));
    group.bench_function("dev-all-files", |b| {
        b.iter(|| dev.iter().map(|text| check(text, &build, &settings).diagnostics.len()).sum::<usize>());
    });
    group.finish();
}

/// A Compose file of 1,000 lines: 40 services of 25 lines (anchors, merge keys, interpolation, both
/// environment forms, short and long volumes, deploy limits, healthchecks).
pub fn compose_1k() -> String {
    let mut text = String::from("x-logging: &logging\n  driver: json-file\n  options:\n    max-size: 10m\nservices:\n");
    for idx in 0..40 {
        text.push_str(&format!(
            "  service-{idx}:\n    image: example/service-{idx}:${{TAG:-1.{idx}}}\n    logging: *logging\n    environment:\n      \
             DB_HOST: db\n      DB_PASSWORD: ${{DB_PASSWORD}}\n      API_TOKEN: literal-token-{idx}\n    env_file: .env\n    \
             volumes:\n      - ./data/{idx}:/data\n      - type: bind\n        source: /var/run/docker.sock\n        \
             target: /var/run/docker.sock\n    ports:\n      - \"80{idx:02}:80\"\n    cap_add: [NET_ADMIN]\n    \
             deploy:\n      resources:\n        limits:\n          memory: 512M\n    healthcheck:\n      \
             test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n    restart: unless-stopped\n    \
             user: \"1000\"\n    tmpfs: [/tmp]\n"
        ));
    }
    text
}

fn bench_compose(c: &mut Criterion) {
    let settings = Settings::default();
    let text = compose_1k();
    let mut group = c.benchmark_group("compose");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("compose-1k-lines", |b| {
        b.iter(|| check_compose(&text, &BuildContext::default(), &settings).diagnostics.len())
    });
    group.finish();
}

criterion_group!(benches, bench_files, bench_compose);
criterion_main!(benches);
