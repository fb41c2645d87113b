//! What the final image is for, as its command shows: a base or toolbox image (a bare shell or interpreter
//! prompt, or no command of its own on an OS or language image), a server that drops privileges by its
//! configuration, or a tool that needs privileges. BH201 lowers its finding for them; BH104 and BH301 do not
//! report build tools in a base or toolbox image, which has them on purpose.

use bulkhead_syntax::InstructionKind;

use crate::model::Base;
use crate::rule::RuleContext;

/// What a final image is for, when its command shows it is one of the kinds that run as root or ship
/// build tools on purpose.
pub enum ImagePurpose {
    /// No command of its own on an OS base, or a bare shell or interpreter (`python3`, `node`, `irb`,
    /// `php -a`): `why` says which. `tools_on_purpose` when that also shows it ships build tools on
    /// purpose: a bare prompt, or no command on `buildpack-deps` (the image made for building, as the
    /// official `golang` images are). An image with no command on another OS image is not taken for
    /// one: a snippet or an app that forgot its `CMD` looks the same.
    BaseOrToolbox { why: String, tools_on_purpose: bool },
    /// A server whose master process starts as root and drops its workers to a configured user.
    DropsByConfig(String),
    /// A tool that needs root or capabilities to do its job (VPNs, packet capture, tracing, firewalls).
    NeedsPrivileges(String),
}

/// Shells and interpreters that, run with no script, are a prompt: an image whose command is one of them
/// is a base or a toolbox.
const SHELLS_AND_REPLS: &[&str] = &[
    "sh", "bash", "ash", "dash", "zsh", "fish", "python", "python2", "python3", "node", "irb", "ruby", "php", "ghci",
    "iex", "erl", "jshell", "julia", "R", "pwsh", "lua", "perl", "bun", "deno",
];

/// Servers that start as root and drop their workers to the user their configuration names.
const DROP_BY_CONFIG: &[&str] =
    &["nginx", "openresty", "httpd", "httpd-foreground", "apache2", "apache2-foreground", "apache2ctl", "php-fpm"];

/// Tools that need root or capabilities (network administration, raw sockets, tracing, a Docker daemon).
const NEED_PRIVILEGES: &[&str] = &[
    "openvpn",
    "wg",
    "wg-quick",
    "bpftrace",
    "tcpdump",
    "iptables",
    "ip6tables",
    "nft",
    "shorewall",
    "masscan",
    "strace",
    "dockerd",
    "dockerd-entrypoint.sh",
];

/// OS images whose default command is a shell: an image built on one that sets no command of its own
/// starts a shell.
const OS_IMAGES: &[&str] = &[
    "alpine",
    "debian",
    "ubuntu",
    "busybox",
    "buildpack-deps",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "opensuse/leap",
    "opensuse/tumbleweed",
    "archlinux",
];

/// True when the final image ships build tools on purpose (see [`ImagePurpose::BaseOrToolbox`]).
pub fn ships_build_tools_on_purpose(ctx: &RuleContext<'_>) -> bool {
    matches!(image_purpose(ctx), Some(ImagePurpose::BaseOrToolbox { tools_on_purpose: true, .. }))
}

/// What the final image is for, when its command shows it, by its command: the last `ENTRYPOINT` of the
/// final lineage followed by its `CMD` (the entrypoint's arguments), or the `CMD` alone when there is no
/// entrypoint or the entrypoint is a wrapper script (`docker-entrypoint.sh`, `entrypoint.sh`) that runs it.
pub fn image_purpose(ctx: &RuleContext<'_>) -> Option<ImagePurpose> {
    let words = |kind: InstructionKind| -> Option<Vec<String>> {
        let instruction = ctx
            .file
            .instructions()
            .iter()
            .enumerate()
            .filter(|(idx, i)| i.kind == kind && ctx.model.in_final_lineage(*idx))
            .map(|(_, i)| i)
            .next_back()?;
        let words = instruction.json.as_deref().unwrap_or(&instruction.words);
        Some(words.iter().map(|w| w.value.to_string()).collect())
    };
    let (entrypoint, cmd) = (words(InstructionKind::Entrypoint), words(InstructionKind::Cmd));
    let joined: Vec<String>;
    let program = |words: &[String]| words.first().map(|w| w.rsplit('/').next().unwrap_or(w).to_owned());
    let command = match (&entrypoint, &cmd) {
        (None, None) => {
            let Base::Image(image) = ctx.model.root_base(ctx.model.final_stage()?) else { return None };
            let tag = image.tag.as_deref().unwrap_or_default();
            let base_image = || ImagePurpose::BaseOrToolbox {
                why: format!("it sets no command of its own on `{}`", image.raw),
                tools_on_purpose: image.short_path() == "buildpack-deps",
            };
            // The command it inherits from an official image whose default command is known.
            return match image.short_path() {
                "nginx" => Some(ImagePurpose::DropsByConfig("nginx".to_owned())),
                "httpd" => Some(ImagePurpose::DropsByConfig("httpd-foreground".to_owned())),
                "php" if tag.contains("fpm") => Some(ImagePurpose::DropsByConfig("php-fpm".to_owned())),
                "php" if tag.contains("apache") => Some(ImagePurpose::DropsByConfig("apache2-foreground".to_owned())),
                path if OS_IMAGES.contains(&path) => Some(base_image()),
                _ => None,
            };
        }
        (Some(entrypoint), Some(cmd)) if program(entrypoint).is_some_and(|p| p.contains("entrypoint")) => cmd,
        // The `CMD` is the entrypoint's arguments: `ENTRYPOINT ["bash"]` with `CMD ["start.sh"]` runs a script.
        (Some(entrypoint), Some(cmd)) => {
            joined = entrypoint.iter().chain(cmd).cloned().collect();
            &joined
        }
        (Some(entrypoint), None) => entrypoint,
        (None, Some(cmd)) => cmd,
    };
    // `sh -c "exec nginx -g ..."` runs what the script starts.
    let script: Vec<String>;
    let command = match command.as_slice() {
        [shell, flag, body, ..]
            if matches!(program(std::slice::from_ref(shell)).as_deref(), Some("sh" | "bash")) && flag == "-c" =>
        {
            let words: Vec<&str> = body.split_whitespace().collect();
            let words = words.strip_prefix(&["exec"]).unwrap_or(&words);
            script = words.iter().map(|w| (*w).to_owned()).collect();
            &script
        }
        _ => command,
    };
    let name = program(command)?;
    let bare = command[1..].iter().all(|arg| matches!(arg.as_str(), "-a" | "-i" | "-l" | "--login"));
    let shown = command.join(" ");
    match () {
        _ if bare && SHELLS_AND_REPLS.contains(&name.as_str()) => Some(ImagePurpose::BaseOrToolbox {
            why: format!("its command is a bare `{shown}`"),
            tools_on_purpose: true,
        }),
        _ if DROP_BY_CONFIG.contains(&name.as_str()) || name.starts_with("php-fpm") => {
            Some(ImagePurpose::DropsByConfig(name))
        }
        _ if NEED_PRIVILEGES.contains(&name.as_str()) => Some(ImagePurpose::NeedsPrivileges(name)),
        _ => None,
    }
}
