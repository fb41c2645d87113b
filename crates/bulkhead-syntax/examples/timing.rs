fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n / 20 {
        std::hint::black_box(bulkhead_syntax::parse(&text));
    }
    println!("parse: {:?}/iter", t.elapsed() / (n / 20));
    let mut cache = bulkhead_syntax::ShellCache::new();
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(bulkhead_syntax::parse_with_cache(std::sync::Arc::from(text.as_str()), Some(&mut cache)));
    }
    println!("parse cached: {:?}/iter", t.elapsed() / n);
}
