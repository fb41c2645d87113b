//! Prints what the lexer sees in a Dockerfile: `cargo run -p bulkhead-syntax --example dump -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let file = bulkhead_syntax::parse(&text);
    for directive in file.directives() {
        println!("directive {}={}", directive.name, directive.value);
    }
    for instruction in file.instructions() {
        println!("{:?} {:?} {:?}", instruction.kind, instruction.range, file.slice(instruction.range));
        for flag in &instruction.flags {
            println!("  flag {}={:?}", flag.name, flag.value.as_ref().map(|v| &v.value));
        }
        if let Some(json) = &instruction.json {
            println!("  json {:?}", json.iter().map(|w| &w.value).collect::<Vec<_>>());
        }
        println!("  words {:?}", instruction.words.iter().map(|w| &w.value).collect::<Vec<_>>());
        for heredoc in &instruction.heredocs {
            println!("  heredoc {} body {:?}", heredoc.name, file.slice(heredoc.body));
        }
        if let Some(trigger) = &instruction.trigger {
            println!("  trigger {:?} {:?}", trigger.kind, trigger.words.iter().map(|w| &w.value).collect::<Vec<_>>());
        }
        if let Some(shell) = &instruction.shell {
            for command in shell.commands() {
                println!(
                    "  cmd {:?} {:?} {:?}",
                    command.program(),
                    command.arg_values().collect::<Vec<_>>(),
                    file.slice(shell.doc_range(command.range))
                );
            }
        }
    }
    for error in file.errors() {
        println!("error {:?} {}", error.range, error.message);
    }
}
