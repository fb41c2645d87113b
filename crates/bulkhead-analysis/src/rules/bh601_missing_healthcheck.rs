//! BH601 missing-healthcheck: the final image has no `HEALTHCHECK`.

use bulkhead_syntax::{Instruction, InstructionKind};

use crate::context::{BaseImageFacts, BuildContext, healthcheck_is_disabled};
use crate::diagnostic::Severity;
use crate::fix::{Edit, Fix};
use crate::knowledge::Distro;
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, FixPlan, Practice, Rule, RuleContext};
use crate::rules::shell_commands;
use crate::rules::{util, util_edit};

pub(crate) const RULE: Rule = Rule {
    code: "BH601",
    name: "missing-healthcheck",
    practice: Practice::Healthcheck,
    severity: Severity::Info,
    enabled_by_default: true,
    fix: FixAvailability::Always,
    fix_plan: Some(FixPlan {
        planned: "unsafe `HEALTHCHECK` with a probe the image has and the `EXPOSE`d port; a second action adds `HEALTHCHECK NONE`",
        decision: "",
    }),
    aliases: &["DL3057", "DS-0026", "DS026", "CKV_DOCKER_2"],
    summary: "The final image has no `HEALTHCHECK`.",
    doc: r#"
## What it does
Checks the final stage, and the stages it is built `FROM`, for a `HEALTHCHECK` instruction
(`HEALTHCHECK NONE` counts: it is an explicit choice). It reports, at `info` level, only when the image
is evidently a service: it has `EXPOSE` and a `CMD` or `ENTRYPOINT`. A command-line tool, a batch job or a
base image has nothing for a health check to probe: a blind review found the hint on such images to be
noise nearly every time, so they are not reported. It is also silent for a final stage built `FROM scratch` without `CMD` or
`ENTRYPOINT` (in it or a stage it is built `FROM`): that image is a set of files to export or copy from,
never a running container.

A `HEALTHCHECK` in a build stage does not count (it does not reach the image). One inherited from the
base image counts when registry look-ups are on (`bulkhead check --online`, `[registry] enabled = true`,
or the editor's `bulkhead.registry.enabled`) and the base image's config has a healthcheck that is not
switched off; without look-ups it cannot be seen: if your base image has one, silence the rule.

In a Compose file it checks each service built from a Dockerfile (`build:`) that publishes or exposes a
port (`ports:`, `expose:`, or `EXPOSE` in its Dockerfile): it reports when neither the service has a
`healthcheck:` (`disable: true` counts) nor the stage it runs (`build.target`, else the last) and the
stages it is built `FROM` have a `HEALTHCHECK`; the message names the service and the Dockerfile. The
Dockerfile is the one Compose builds, relative to the Compose file; when it cannot be read, what the
image does is unknown and nothing is reported. With registry look-ups on, the image config counts too: a
base image whose config has a health check (not `NONE`) silences the finding, and a service that only
runs an `image:` is reported when it publishes a port (`ports:`, `expose:`, or `ExposedPorts` in the
config) and the image's config has no health check or switches it off (`NONE`); the message says what
the registry showed. Without look-ups, a service that only runs an `image:` is not reported. Its fixes add a
`healthcheck:` to the service (unsafe): one probing the service's first container port with `curl` (when a
port is known; the image must have curl), and `disable: true`, the explicit opt-out (with a
`# bulkhead ignore=BH603` comment above it: that rule reports a health check switched off).

## Why it matters
Without a health check, Docker (and Swarm, Compose `depends_on: condition: service_healthy`, and most
monitoring) only knows that the process is alive. A deadlocked or wedged app keeps receiving traffic and
is never restarted. With one, the container is marked `unhealthy` and can be replaced.
Kubernetes ignores `HEALTHCHECK`: there, define liveness and readiness probes instead.

## Example
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
```

## Use instead
```dockerfile
FROM nginx:1.27-alpine
EXPOSE 80
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD wget -q --spider http://127.0.0.1:80/ || exit 1
CMD ["nginx", "-g", "daemon off;"]
```

## Fix
Both fixes insert before the final `CMD`/`ENTRYPOINT` (or at the end of the stage) and are unsafe:
a health check changes how the container is run and restarted, and the probe's URL is a guess.
- "Add `HEALTHCHECK`": `HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD <probe> || exit 1`
  against the first `EXPOSE`d TCP port that may speak HTTP: well-known database, broker, TLS and proxy
  ports (3306, 5432, 6379, 443, 3128, 9050...) and PHP-FPM's FastCGI port 9000 are skipped. The probe is
  `curl -fsS http://127.0.0.1:<port>/` when the image installs curl (or is a full official language image,
  which ships it), and `wget -q --spider http://127.0.0.1:<port>/` on Alpine and BusyBox. It is only offered when a port and a
  probe the image can run are known: `scratch`, distroless and unknown images get only the second fix.
- "Add `HEALTHCHECK NONE`": an explicit opt-out, which also disables a check inherited from the base image.

## How to silence
`# bulkhead ignore=BH601` on the line before the final `FROM` (in a Compose file, before the service's
name), `ignore = ["BH601"]` in `.bulkhead.toml`,
or `HEALTHCHECK NONE`. `# hadolint ignore=DL3057` works too.

## References
- Docker docs: Dockerfile reference, `HEALTHCHECK`
- CIS Docker Benchmark 4.6: Ensure that HEALTHCHECK instructions have been added to container images
"#,
    check: Check::WithCompose { dockerfile: &Check::File(check), compose: check_compose },
};

/// Official images built on `buildpack-deps`, whose full (non-slim, non-alpine) variants include curl.
const IMAGES_WITH_CURL: &[&str] = &[
    "buildpack-deps",
    "python",
    "node",
    "ruby",
    "golang",
    "perl",
    "rust",
    "pypy",
    "gcc",
    "erlang",
    "elixir",
    "haskell",
];

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    if ctx.model.final_is_file_export(ctx.file) {
        return;
    }
    let instructions = ctx.file.instructions();
    let Some(from) = instructions.get(stage.from) else { return };
    let lineage = ctx.model.final_lineage();
    let mut first_expose = None;
    let mut has_command = false;
    // Ancestors first, so the first EXPOSE is the one written first.
    for &stage_idx in lineage.iter().rev() {
        let Some(lineage_stage) = ctx.model.stages.get(stage_idx) else { continue };
        for (idx, instruction) in lineage_stage.instructions(ctx.file) {
            match instruction.kind {
                InstructionKind::Healthcheck => return,
                InstructionKind::Expose if first_expose.is_none() => first_expose = Some((idx, instruction)),
                InstructionKind::Cmd | InstructionKind::Entrypoint => has_command = true,
                _ => {}
            }
        }
    }
    let Some(base) = base_healthcheck(ctx.build, ctx.model.root_base(stage)) else { return };
    let finding = match (first_expose, has_command) {
        (Some((idx, expose)), true) => {
            let first = expose
                .words
                .first()
                .map(|word| ctx.model.expand_at(idx, &word.value).unwrap_or(word.value.to_string()));
            let what = first.map_or_else(|| "a port".to_owned(), |port| format!("port `{port}`"));
            Finding::new(
                from.range,
                format!(
                    "the final image serves {what} but has no `HEALTHCHECK`{base}: Docker cannot tell a hung app from a \
                     healthy one"
                ),
            )
        }
        // Nothing shows a service (a tool, a base image, a batch job): a health check would have nothing to
        // probe, and the hint was noise on most such images.
        _ => return,
    };
    let Some(edit_at) = insertion(ctx, stage) else {
        out.push(finding);
        return;
    };
    // Write the keywords in the case the file uses.
    let (healthcheck, cmd, none) =
        (util::keyword_cased(ctx.file, "HEALTHCHECK"), util::keyword_cased(ctx.file, "CMD"), "NONE");
    let mut fixes = Vec::new();
    if let (Some(port), Some(probe)) = (http_port(ctx, &lineage), probe(ctx, &lineage)) {
        let tool = probe.split(' ').next().unwrap_or(probe);
        let line = format!(
            "{healthcheck} --interval=30s --timeout=3s --retries=3 {cmd} {probe} http://127.0.0.1:{port}/ || exit 1"
        );
        fixes.push(Fix::unsafe_(format!("Add `HEALTHCHECK` probing port {port} with {tool}"), vec![edit_at(line)]));
    }
    fixes.push(Fix::unsafe_(
        "Add `HEALTHCHECK NONE` (explicit opt-out)",
        vec![edit_at(format!("{healthcheck} {none}"))],
    ));
    out.push(finding.with_fixes(fixes));
}

/// A Compose service that serves a port and has no health check: neither its own, nor its Dockerfile's,
/// nor (with registry look-ups on) the one in its base image's config or, for a service that runs an
/// `image:`, that image's config.
fn check_compose(ctx: &crate::compose::ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in file.services.iter().filter(|service| service.complete) {
        if service.get(file, "healthcheck").is_some() {
            continue;
        }
        let publishes = ["ports", "expose"].iter().any(|key| service.get(file, key).is_some());
        // A service that runs an image: only the registry knows its health check and ports.
        if let Some(image) = ctx.service_image(service) {
            let Some(found) = registry_healthcheck(ctx.build, &Base::Image(Box::new(image))) else { continue };
            let serves = publishes || !found.facts.exposed_ports.is_empty();
            if found.has || !serves {
                continue;
            }
            let message = format!(
                "service `{}` has no `healthcheck:` and its image {}: Docker cannot tell a hung app from a healthy \
                 one",
                service.name, found.what
            );
            let exposed = found.facts.exposed_ports.iter().find_map(|port| port_number(port));
            let port = container_port(ctx, service).or(exposed);
            out.push(with_compose_fixes(Finding::new(service.key, message), ctx, service, port));
            continue;
        }
        let Some((linked, stage)) = ctx.dockerfile_of(service) else { continue };
        let lineage = linked.model.ancestry(stage, stage.end);
        let kinds = || lineage.iter().flat_map(|(stage, _)| stage.instructions(&linked.file)).map(|(_, i)| i.kind);
        if kinds().any(|kind| kind == InstructionKind::Healthcheck) {
            continue;
        }
        if !publishes && !kinds().any(|kind| kind == InstructionKind::Expose) {
            continue;
        }
        let Some(base) = base_healthcheck(ctx.build, linked.model.root_base(stage)) else { continue };
        let message = format!(
            "service `{}` has no `healthcheck:` and its Dockerfile {} has no `HEALTHCHECK`{base}: Docker cannot tell \
             a hung app from a healthy one",
            service.name,
            linked.describe(stage)
        );
        let exposed = |(idx, instruction): (usize, &Instruction)| {
            let word = instruction.words.first().filter(|_| instruction.kind == InstructionKind::Expose)?;
            port_number(&linked.model.expand_at(idx, &word.value)?)
        };
        let port = container_port(ctx, service)
            .or_else(|| lineage.iter().flat_map(|(stage, _)| stage.instructions(&linked.file)).find_map(exposed));
        out.push(with_compose_fixes(Finding::new(service.key, message), ctx, service, port));
    }
}

/// What the registry says about the health check of a stage's root base image (or a service's image), when
/// the driver looked it up (registry look-ups on); `None` without facts, and for a base that is not an
/// image. Shared by the Dockerfile check and the Compose one.
struct RegistryHealthcheck<'a> {
    /// The config has a health check that is not switched off (`NONE` is not one).
    has: bool,
    /// What the config says, naming the image and the registry as the source, for a message.
    what: String,
    facts: &'a BaseImageFacts,
}

fn registry_healthcheck<'a>(build: &'a BuildContext, base: &Base) -> Option<RegistryHealthcheck<'a>> {
    let Base::Image(image) = base else { return None };
    let facts = build.image_facts(image)?;
    let what = match facts.healthcheck.as_deref() {
        Some(test) if healthcheck_is_disabled(test) => {
            format!("`{}` switches it off (`NONE` in its image config in the registry)", image.raw)
        }
        Some(_) => format!("`{}` has one in its image config in the registry", image.raw),
        None => format!("`{}` has none in its image config in the registry", image.raw),
    };
    Some(RegistryHealthcheck { has: facts.has_healthcheck(), what, facts })
}

/// For a stage without `HEALTHCHECK`: `None` when the registry shows its base image to have one, else
/// what to add to the message (what the registry says, or nothing without its facts).
fn base_healthcheck(build: &BuildContext, base: &Base) -> Option<String> {
    match registry_healthcheck(build, base) {
        Some(found) if found.has => None,
        Some(found) => Some(format!(", and its base image {}", found.what)),
        None => Some(String::new()),
    }
}

/// The port number of `8080`, `8080/tcp` or the start of `8000-8010`.
fn port_number(port: &str) -> Option<u16> {
    port.split(['/', '-']).next()?.trim().parse::<u16>().ok()
}

/// A Compose finding with its fixes: a `healthcheck:` probing `port` with curl (when a port is known), and
/// the explicit opt-out.
fn with_compose_fixes(
    mut finding: Finding,
    ctx: &crate::compose::ComposeContext<'_>,
    service: &crate::compose::Service,
    port: Option<u16>,
) -> Finding {
    let Some(insertion) = service.insertion(ctx.file) else { return finding };
    if let Some(port) = port {
        let test = format!("  test: [\"CMD\", \"curl\", \"-fsS\", \"http://127.0.0.1:{port}/\"]");
        let title = format!("Add a `healthcheck:` probing port {port} with curl (unsafe: the image must have curl)");
        finding = finding.with_fix(insertion.fix(title, &["healthcheck:", &test]));
    }
    let title = "Add `healthcheck: disable: true` (explicit opt-out)";
    // The comment records the decision, which BH603 would otherwise report.
    let lines = ["# bulkhead ignore=BH603", "healthcheck:", "  disable: true"];
    finding.with_fix(insertion.fix(title, &lines))
}

/// The first container port a service publishes or exposes (`8000:8000`, `127.0.0.1:8080:80/tcp`, the
/// start of `8000-8010`, the long form's `target:`), interpolated.
fn container_port(ctx: &crate::compose::ComposeContext<'_>, service: &crate::compose::Service) -> Option<u16> {
    let file = ctx.file;
    ["ports", "expose"]
        .iter()
        .filter_map(|key| service.get(file, key))
        .flat_map(|entry| file.list(entry.value))
        .find_map(|item| {
            let value = match file.yaml.is_map(item) {
                true => file.value(file.yaml.get(item, "target")?.value)?,
                false => file.value(item)?,
            };
            port_number(value.rsplit(':').next()?)
        })
}

/// Where a new instruction goes: before the final `CMD`/`ENTRYPOINT` of the stage, else after its last
/// instruction.
fn insertion<'a>(ctx: &'a RuleContext<'_>, stage: &crate::model::Stage) -> Option<impl Fn(String) -> Edit + 'a> {
    let instructions = ctx.file.instructions();
    let body: Vec<(usize, &Instruction)> = stage.instructions(ctx.file).collect();
    let last_of = |kind| body.iter().rev().find(|(_, i)| i.kind == kind).map(|(idx, _)| *idx);
    let anchor = match (last_of(InstructionKind::Cmd), last_of(InstructionKind::Entrypoint)) {
        (Some(cmd), Some(entrypoint)) => Some(cmd.min(entrypoint)),
        (cmd, entrypoint) => cmd.or(entrypoint),
    };
    let (before, instruction) = match anchor {
        Some(idx) => (true, instructions.get(idx)?),
        None => (false, instructions.get(stage.end.checked_sub(1)?)?),
    };
    Some(move |line: String| {
        if before {
            util_edit::insert_lines_before(ctx.file, instruction, &[line])
        } else {
            util_edit::insert_lines_after(ctx.file, instruction, &[line])
        }
    })
}

/// Well-known ports that do not answer `GET /` over plain HTTP (databases, brokers, FastCGI, TLS, SOCKS and
/// HTTP proxies): an HTTP probe there would mark a healthy container unhealthy.
const NOT_HTTP_PORTS: &[u16] = &[
    21, 22, 23, 25, 53, 110, 143, 389, 443, 465, 587, 636, 993, 995, 1080, 1433, 1521, 1883, 2181, 2376, 3128, 3306,
    4222, 4369, 5222, 5432, 5672, 6379, 6380, 6667, 8009, 8118, 8443, 8883, 9000, 9042, 9050, 9092, 11211, 25672,
    26379, 27017, 33060,
];

/// A port of an `EXPOSE` word, variables substituted (`8080`, `8080/tcp`, the start of `8000-8010`).
fn port_of(ctx: &RuleContext<'_>, idx: usize, word: &str) -> Option<u16> {
    let value = ctx.model.expand_at(idx, word)?;
    let (number, protocol) = value.split_once('/').unwrap_or((&value, "tcp"));
    if !protocol.eq_ignore_ascii_case("tcp") {
        return None;
    }
    let number = number.split('-').next()?;
    number.parse::<u16>().ok().filter(|port| *port > 0)
}

/// The first exposed TCP port of the final image that may speak HTTP.
fn http_port(ctx: &RuleContext<'_>, lineage: &[usize]) -> Option<u16> {
    lineage.iter().rev().filter_map(|&idx| ctx.model.stages.get(idx)).find_map(|stage| {
        stage
            .instructions(ctx.file)
            .filter(|(_, i)| i.kind == InstructionKind::Expose)
            .flat_map(|(idx, i)| i.words.iter().map(move |word| (idx, word)))
            .find_map(|(idx, word)| port_of(ctx, idx, &word.value).filter(|port| !NOT_HTTP_PORTS.contains(port)))
    })
}

/// A probe command the final image can run, without its URL.
fn probe(ctx: &RuleContext<'_>, lineage: &[usize]) -> Option<&'static str> {
    let final_stage = ctx.model.final_stage()?;
    if !final_stage.distro.has_shell() {
        return None;
    }
    if installs_curl(ctx, lineage) || base_has_curl(ctx) {
        return Some("curl -fsS");
    }
    matches!(final_stage.distro, Distro::Alpine | Distro::Busybox).then_some("wget -q --spider")
}

/// True when the final image installs curl and keeps it: an install in a `RUN` that also removes packages
/// (`apk del`, `apt-get purge`, `--auto-remove`, `apt-mark auto`: the official images' "fetch deps, then
/// remove them" pattern), in an `apk add --virtual` set, or followed by a removal of curl, does not count.
fn installs_curl(ctx: &RuleContext<'_>, lineage: &[usize]) -> bool {
    let managers: &[&str] = &["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper", "tdnf"];
    let names_curl = |command: &bulkhead_syntax::ShellCommand| {
        command.arg_values().any(|arg| arg == "curl" || arg.starts_with("curl="))
    };
    let shells: Vec<&bulkhead_syntax::ShellScript> = lineage
        .iter()
        .rev()
        .filter_map(|&idx| ctx.model.stages.get(idx))
        .flat_map(|stage| stage.instructions(ctx.file).filter_map(|(_, i)| i.shell.as_deref()))
        .collect();
    let removes = |command: &bulkhead_syntax::ShellCommand| {
        shell_commands::is_invocation(command, managers, &["del", "remove", "purge", "autoremove", "erase", "rm"])
            || command.program() == Some("apt-mark") && command.has_arg("auto")
    };
    let mut installed = false;
    for shell in shells {
        let commands = shell.commands();
        let cleans_up = commands.iter().any(removes);
        for command in commands {
            if shell_commands::is_invocation(command, managers, &["install", "add", "in"]) && names_curl(command) {
                let virtual_set =
                    command.arg_values().any(|a| a == "--virtual" || a == "-t" || a.starts_with("--virtual="));
                installed = !cleans_up && !virtual_set;
            } else if removes(command) && names_curl(command) {
                installed = false;
            }
        }
    }
    installed
}

fn base_has_curl(ctx: &RuleContext<'_>) -> bool {
    let Some(stage) = ctx.model.final_stage() else { return false };
    let Base::Image(image) = ctx.model.root_base(stage) else { return false };
    let tag = image.tag.as_deref().unwrap_or("latest").to_ascii_lowercase();
    let minimal = ["slim", "alpine", "windows", "nanoserver"].iter().any(|marker| tag.contains(marker));
    image.is_official() && !minimal && IMAGES_WITH_CURL.contains(&image.name())
}
