//! What the final image is for, as its command shows: a base or toolbox image (a bare shell or interpreter
//! prompt, or no command of its own on an OS or language image), a server that drops privileges by its
//! configuration, or a tool that needs privileges. BH201 lowers its finding for them; BH104 and BH301 do not
//! report build tools in a base or toolbox image, which has them on purpose.

use bulkhead_syntax::InstructionKind;

use crate::image::ImageRef;
use crate::model::Base;
use crate::rule::RuleContext;
use crate::rules::shell_commands;

/// What a final image is for, when its command shows it is one of the kinds that run as root or ship
/// build tools on purpose.
pub enum ImagePurpose {
    /// No command of its own on an OS base, or a bare shell or interpreter (`python3`, `node`, `irb`,
    /// `php -a`). `tools_on_purpose` when that also shows it ships build tools on
    /// purpose: a bare prompt, or no command on `buildpack-deps` (the image made for building, as the
    /// official `golang` images are). An image with no command on another OS image is not taken for
    /// one: a snippet or an app that forgot its `CMD` looks the same.
    BaseOrToolbox { tools_on_purpose: bool },
    /// A server whose master process starts as root and drops its workers to a configured user (or, for an
    /// SSH daemon served in the foreground, each session to the user who logs in).
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

/// Official language toolchain images: with no command of their own they start a shell or an interpreter
/// prompt, and their compilers are what they are for.
const TOOLCHAIN_IMAGES: &[&str] = &[
    "golang",
    "rust",
    "node",
    "python",
    "pypy",
    "ruby",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "maven",
    "gradle",
    "gcc",
    "erlang",
    "elixir",
    "haskell",
    "swift",
    "julia",
    "perl",
    "clojure",
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
    // A reference whose tag holds an unknown variable (`docker:${VERSION}-dind`, `node:${NODE}-slim`)
    // still names its repository: that is enough to know what the image is for.
    let unresolved;
    let root = match ctx.model.root_base(ctx.model.final_stage()?) {
        Base::Image(image) => Some(&**image),
        Base::Unresolved(raw) => {
            unresolved = ImageRef::parse(raw).filter(|image| !image.name().contains('$'));
            unresolved.as_ref()
        }
        _ => None,
    };
    if root.is_some_and(is_docker_in_docker) {
        return Some(ImagePurpose::DockerInDocker);
    }
    let Some(command) = main_command(ctx) else {
        let root = root?;
        let tag = root.tag.as_deref().unwrap_or_default();
        let base_image = || ImagePurpose::BaseOrToolbox { tools_on_purpose: root.short_path() == "buildpack-deps" };
        // The command it inherits from an official image whose default command is known.
        return match root.short_path() {
            "nginx" => Some(ImagePurpose::DropsByConfig("nginx".to_owned())),
            "httpd" => Some(ImagePurpose::DropsByConfig("httpd-foreground".to_owned())),
            "php" if tag.contains("fpm") => Some(ImagePurpose::DropsByConfig("php-fpm".to_owned())),
            "php" if tag.contains("apache") => Some(ImagePurpose::DropsByConfig("apache2-foreground".to_owned())),
            path if OS_IMAGES.contains(&path) => Some(base_image()),
            // A language toolchain with no command of its own is a build or development environment: its
            // compilers are what it is for.
            path if TOOLCHAIN_IMAGES.contains(&path) => Some(ImagePurpose::BaseOrToolbox { tools_on_purpose: true }),
            // An image named after a tool that needs privileges (`r.j3ss.co/masscan`) runs that tool.
            path => {
                let name = path.rsplit('/').next().unwrap_or(path);
                NEED_PRIVILEGES.contains(&name).then(|| ImagePurpose::NeedsPrivileges(name.to_owned()))
            }
        };
    };
    if let Some(daemon) = served_ssh_daemon(ctx) {
        return Some(ImagePurpose::DropsByConfig(daemon));
    }
    let name = program(&command)?;
    let bare = command[1..].iter().all(|arg| matches!(arg.as_str(), "-a" | "-i" | "-l" | "--login"));
    match () {
        _ if bare && SHELLS_AND_REPLS.contains(&name.as_str()) => {
            Some(ImagePurpose::BaseOrToolbox { tools_on_purpose: true })
        }
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
        Some(words.iter().map(|w| w.value.to_string()).collect())
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

/// The SSH daemon the final image runs in the foreground as its main process (see
/// [`main_command`]): `CMD ["/usr/sbin/sshd", "-D"]`, `dropbear -F`, or a script entrypoint
/// that runs it (`ENTRYPOINT ["/start.sh"]` with `CMD ["/usr/sbin/sshd", "-D"]`, the script ending in
/// `exec "$@"`). Not when a shell line goes on after it (`sshd && exec app`) or it forks away without
/// `-D`/`-F`: the main process is something else then.
pub fn served_ssh_daemon(ctx: &RuleContext<'_>) -> Option<String> {
    let command = main_command(ctx)?;
    let command = match command.as_slice() {
        [script, rest @ ..] if script.ends_with(".sh") && !rest.is_empty() => rest,
        all => all,
    };
    let daemon = program(command)?;
    let foreground = match daemon.as_str() {
        "sshd" => 'D',
        "dropbear" => 'F',
        _ => return None,
    };
    let args = command.get(1..).unwrap_or_default();
    let in_front = args.iter().any(|arg| shell_commands::is_short_cluster_with(arg, foreground));
    let one_command =
        args.iter().all(|arg| !matches!(arg.as_str(), "&&" | "||" | ";" | "|" | "&") && !arg.ends_with(';'));
    (in_front && one_command).then_some(daemon)
}
