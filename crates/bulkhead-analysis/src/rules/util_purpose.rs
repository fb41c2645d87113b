//! What the final image is for, as its command shows: a base or toolbox image (a bare shell or interpreter
//! prompt, or no command of its own on an OS or language image), a server that drops privileges by its
//! configuration, or a tool that needs privileges. BH201 lowers its finding for them; BH104 and BH301 do not
//! report build tools in a base or toolbox image, which has them on purpose.

use bulkhead_syntax::InstructionKind;

use crate::image::ImageRef;
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
    /// Built on Docker's official Docker-in-Docker image (`docker:*-dind`): its daemon must start as root
    /// in a `--privileged` container, whatever command the image runs it with.
    DockerInDocker,
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

/// OS images whose default command is a shell (an image built on one that sets no command of its own
/// starts a shell) and whose working directory is `/`.
pub(crate) const OS_IMAGES: &[&str] = &[
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

/// What the final image is for, when its command shows it, by its command ([`main_command`]); with no
/// command of its own, by the official image it inherits one from.
pub fn image_purpose(ctx: &RuleContext<'_>) -> Option<ImagePurpose> {
    let root = match ctx.model.root_base(ctx.model.final_stage()?) {
        Base::Image(image) => Some(image),
        _ => None,
    };
    if root.is_some_and(is_docker_in_docker) {
        return Some(ImagePurpose::DockerInDocker);
    }
    let Some(command) = main_command(ctx) else {
        let root = root?;
        let tag = root.tag.as_deref().unwrap_or_default();
        let base_image = || ImagePurpose::BaseOrToolbox {
            why: format!("it sets no command of its own on `{}`", root.raw),
            tools_on_purpose: root.short_path() == "buildpack-deps",
        };
        // The command it inherits from an official image whose default command is known.
        return match root.short_path() {
            "nginx" => Some(ImagePurpose::DropsByConfig("nginx".to_owned())),
            "httpd" => Some(ImagePurpose::DropsByConfig("httpd-foreground".to_owned())),
            "php" if tag.contains("fpm") => Some(ImagePurpose::DropsByConfig("php-fpm".to_owned())),
            "php" if tag.contains("apache") => Some(ImagePurpose::DropsByConfig("apache2-foreground".to_owned())),
            path if OS_IMAGES.contains(&path) => Some(base_image()),
            _ => None,
        };
    };
    let name = program(&command)?;
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

/// The base name of a command's program (`/usr/sbin/sshd` is `sshd`).
pub fn program(words: &[String]) -> Option<String> {
    words.first().map(|w| w.rsplit('/').next().unwrap_or(w).to_owned())
}

/// The command the final image runs, as words, when the file sets one: the last `ENTRYPOINT` of the final
/// lineage followed by its `CMD` (the entrypoint's arguments), or the `CMD` alone when there is no
/// entrypoint or the entrypoint is a wrapper script (`docker-entrypoint.sh`, `entrypoint.sh`) that runs
/// it; `sh -c "exec nginx -g ..."` is the command it runs. `None` when the file sets neither.
pub fn main_command(ctx: &RuleContext<'_>) -> Option<Vec<String>> {
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
        Some(words.iter().map(|w| w.value.clone()).collect())
    };
    let command = match (words(InstructionKind::Entrypoint), words(InstructionKind::Cmd)) {
        (None, None) => return None,
        (Some(entrypoint), Some(cmd)) if program(&entrypoint).is_some_and(|p| p.contains("entrypoint")) => cmd,
        // The `CMD` is the entrypoint's arguments: `ENTRYPOINT ["bash"]` with `CMD ["start.sh"]` runs a script.
        (Some(entrypoint), Some(cmd)) => entrypoint.into_iter().chain(cmd).collect(),
        (Some(entrypoint), None) => entrypoint,
        (None, Some(cmd)) => cmd,
    };
    // `sh -c "exec nginx -g ..."` runs what the script starts.
    Some(match command.as_slice() {
        [shell, flag, body, ..]
            if matches!(program(std::slice::from_ref(shell)).as_deref(), Some("sh" | "bash")) && flag == "-c" =>
        {
            let words: Vec<&str> = body.split_whitespace().collect();
            let words = words.strip_prefix(&["exec"]).unwrap_or(&words);
            words.iter().map(|w| (*w).to_owned()).collect()
        }
        _ => command,
    })
}

/// Docker's official Docker-in-Docker image: `docker:dind`, `docker:27-dind`, `docker:27.3-dind-alpine3.20`
/// (Docker Hub's `docker`, any tag with a `dind` part); its `-rootless` variants run as a user already.
fn is_docker_in_docker(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or_default().to_ascii_lowercase();
    image.is_official()
        && image.short_path() == "docker"
        && tag.split('-').any(|part| part == "dind")
        && !tag.split('-').any(|part| part == "rootless")
}
