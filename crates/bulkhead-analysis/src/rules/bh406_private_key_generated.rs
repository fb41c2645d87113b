//! BH406 private-key-generated: a private key made at build time (`ssh-keygen`, `openssl genrsa`) ships
//! in the image, the same key in every container.

use bulkhead_syntax::{ShellCommand, ShellScript};

use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};
use crate::rules::{shell_commands, util_layer};

pub(crate) const RULE: Rule = Rule {
    code: "BH406",
    name: "private-key-generated",
    practice: Practice::NoSecrets,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "A private key generated at build time ships in the image: every container shares it.",
    doc: r#"
## What it does
Checks the `RUN`s of the final stage and the stages it is built `FROM` for commands that write a private
key: `ssh-keygen` (also `ssh-keygen -A`, the SSH server's host keys), `openssl genrsa`, `openssl genpkey`,
`openssl ecparam -genkey`, `openssl req` with `-newkey`/`-keyout` (a self-signed certificate and its key),
`certtool --generate-privkey`, `wg genkey` and `mkcert`.

Not flagged: a key the same `RUN` deletes before it ends (a throw-away CA that signed something and was
removed: the layer never holds it), and keys made in build stages that only get copied from (a `COPY
--from` of the key itself is BH402's business).

It is a **warning**, not an error like a copied key (BH402): the key was never anyone's secret before the
build, so nothing outside the image is exposed; what is lost is that the key proves anything.

## Why it matters
A key baked into an image is the same in every container started from it and can be read by anyone who
can pull the image: TLS with it can be decrypted or impersonated, and SSH host keys made at build time let
one container pose as another. Keys belong to the running instance: generate them at start-up (an
entrypoint step), or mount them from a secret store.

## Example
```dockerfile
FROM nginx:1.27
RUN openssl req -x509 -nodes -newkey rsa:2048 -subj /CN=localhost \
      -keyout /etc/nginx/key.pem -out /etc/nginx/cert.pem
```

## Use instead
```dockerfile
FROM nginx:1.27
COPY docker-entrypoint.d/10-make-cert.sh /docker-entrypoint.d/
```
with the `openssl` command in the start-up script, or the certificate and key mounted at run time
(`docker run -v ./tls:/etc/nginx/tls:ro`, a Kubernetes secret).

## Fix
None: moving the step to start-up is a change to the image's entrypoint.

## How to silence
`# bulkhead ignore=BH406` on the line before the instruction, or `ignore = ["BH406"]` in `.bulkhead.toml`.

## References
- CWE-321: Use of Hard-coded Cryptographic Key
- CIS Docker Benchmark 4.10: Ensure secrets are not stored in Dockerfiles
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for shell in util_layer::final_runs(ctx) {
        for (i, command) in shell.commands().iter().enumerate() {
            let Some(what) = generates(command) else { continue };
            if key_file(shell, command).is_some_and(|path| util_layer::removed_later(shell, i, path)) {
                continue;
            }
            out.push(Finding::new(
                shell.doc_range(command.range),
                format!(
                    "{what} writes a private key into the image: every container shares it and anyone who pulls \
                     the image can read it; generate it at start-up or mount it"
                ),
            ));
        }
    }
}

/// What the command is, when it generates a private key.
fn generates(command: &ShellCommand) -> Option<String> {
    let program = command.program()?;
    let has = |arg: &str| command.has_arg(arg);
    let sub = shell_commands::subcommand(command);
    let found = match program {
        "ssh-keygen" => {
            // `-l`, `-y`, `-F`, `-R`, `-e`, `-i`, `-s`, `-Y` read or convert keys, sign, or edit known_hosts.
            !"lyFReisYpcBDLQr".chars().any(|letter| shell_commands::has_short_flag(command, letter))
        }
        "openssl" => match sub {
            Some("genrsa" | "genpkey" | "gendsa") => true,
            Some("ecparam") => has("-genkey"),
            Some("req") => has("-newkey") || has("-keyout") || command.arg_values().any(|a| a.starts_with("-newkey")),
            _ => false,
        },
        "certtool" => has("--generate-privkey") || has("-p"),
        "wg" => sub == Some("genkey"),
        "mkcert" => !has("-install") && !has("-uninstall") && !has("-CAROOT"),
        _ => false,
    };
    found.then(|| match sub {
        Some(sub) if program == "openssl" || program == "wg" => format!("`{program} {sub}`"),
        _ => format!("`{program}`"),
    })
}

/// The key file the command names (`-f`, `-keyout`, `-out`), as written.
fn key_file<'a>(shell: &'a ShellScript, command: &ShellCommand) -> Option<&'a str> {
    let keys: &[&str] = match command.program()? {
        "ssh-keygen" => &["-f"],
        "openssl" if shell_commands::subcommand(command) == Some("req") => &["-keyout"],
        "openssl" => &["-out"],
        _ => return None,
    };
    let at = command.args.iter().position(|a| a.value.as_deref().is_some_and(|v| keys.contains(&v)))?;
    command.args.get(at + 1).map(|arg| util_layer::path_text(shell, arg))
}
