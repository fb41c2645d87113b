//! BH714 unconfined-profile: `security_opt` that switches off seccomp, AppArmor or SELinux.

use crate::compose::ComposeContext;
use crate::diagnostic::Severity;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule};
use crate::rules::util_compose::list_values;

pub(crate) const RULE: Rule = Rule {
    code: "BH714",
    name: "unconfined-profile",
    practice: Practice::RuntimeHardening,
    severity: Severity::Error,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &["seccomp-confinement-disabled", "selinux-separation-disabled"],
    summary: "A Compose service switches off its seccomp, AppArmor or SELinux confinement.",
    doc: r#"
## What it does
Checks `security_opt` items for `seccomp:unconfined`, `apparmor:unconfined`, `label:disable`,
`systempaths=unconfined` (with `:` or `=`, any case).

## Why it matters
Docker's default seccomp profile blocks about 44 system calls that have been used in container escapes
(`keyctl`, `unshare`, `mount`, `ptrace` on older kernels); its AppArmor profile and the SELinux label keep
the container away from the host's files in `/proc` and `/sys`. Unconfined, a kernel bug or a capability
left in place is one step from the host.

## Example
```yaml
services:
  tool:
    image: example/tool:1.0
    security_opt:
      - seccomp:unconfined
```

## Use instead
```yaml
services:
  tool:
    image: example/tool:1.0
    security_opt:
      - seccomp:./seccomp-tool.json
```
Write a profile that allows the extra system call the tool needs, starting from Docker's default.

## How to silence
`# bulkhead ignore=BH714` on the line before the item, or `ignore = ["BH714"]` in `.bulkhead.toml`.

## References
- Docker docs: Seccomp security profiles for Docker; AppArmor security profiles for Docker
- CWE-693: Protection Mechanism Failure
"#,
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<Finding>) {
    let file = ctx.file;
    for service in &file.services {
        for (item, value) in list_values(file, service, "security_opt") {
            let option = value.trim().to_ascii_lowercase().replace('=', ":");
            let what = match option.as_str() {
                "seccomp:unconfined" => "seccomp",
                "apparmor:unconfined" => "AppArmor",
                "label:disable" => "SELinux labelling",
                "systempaths:unconfined" => "the masked /proc and /sys paths",
                _ => continue,
            };
            out.push(Finding::new(
                file.yaml.node(item).range,
                format!("service `{}` runs without {what} confinement (`{}`)", service.name, value.trim()),
            ));
        }
    }
}
