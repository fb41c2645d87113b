//! BH106 base-image-end-of-life: the final image is built on a release past its end of life.

use crate::diagnostic::Severity;
use crate::knowledge::eol;
use crate::model::Base;
use crate::rule::{Check, Finding, FixAvailability, Practice, Rule, RuleContext};

pub(crate) const RULE: Rule = Rule {
    code: "BH106",
    name: "base-image-end-of-life",
    practice: Practice::ScanAndVerify,
    severity: Severity::Warning,
    enabled_by_default: true,
    fix: FixAvailability::None,
    fix_plan: None,
    aliases: &[],
    summary: "The final image is built on a distribution or language release past its end of life.",
    doc: r#"
## What it does
Checks the image the final stage is built on (following `FROM <stage>` links back to an image) against
a built-in table of end-of-life dates, and fires when a release it carries is past its end of life on
the date of the check:
- distributions: Debian (end of LTS), Ubuntu (end of standard support), Alpine, CentOS and CentOS
  Stream, Red Hat UBI, Amazon Linux, from the official images' tags (`debian:buster-slim`,
  `ubuntu:18.04`, `alpine:3.16`, `centos:7`, `registry.access.redhat.com/ubi7/ubi`, `amazonlinux:2`);
- languages: Node.js, Python, Go, Ruby, PHP, and Java's feature releases that are not long-term
  support, from the official images' tags (`node:16-alpine`, `python:3.8-slim`, `golang:1.20`,
  `ruby:2.7`, `php:7.4-fpm`, `eclipse-temurin:19`; `python:2` is Python 2.7);
- the distribution a language image's tag names: `python:3.11-slim-buster` carries Debian 10,
  `node:20-alpine3.16` Alpine 3.16.

A tag that names no release (`python:3`, `node:lts`, `latest`) is not checked: BH101 and BH105 report
those. Build stages are not checked: only what the final image is built on ships and runs.

The date compared with is the day of the check (the CLI and the editor pass today's date); the table is
dated, so a release that ends after the table was made is reported only once its date is past and it is
in the table. Images of other publishers, and long-term-support Java releases (whose end differs by
vendor), are not in the table.

### The table
Built in (`crates/bulkhead-analysis/src/knowledge/eol.rs`), from the vendors' published schedules as
collected by [endoflife.date](https://endoflife.date), checked in 2025: Debian's LTS ends
(wiki.debian.org/LTS), Ubuntu's release cycle (standard support, since ESM is not in the public images),
alpinelinux.org/releases, the CentOS and Red Hat life cycles, Amazon Linux's FAQs, the Node.js release
schedule, Python's devguide, Go's release policy (a release ends when the second newer one comes out;
for a release not out yet, the last day of its planned month), Ruby's branches, php.net's supported
versions, and Java's six-month release train.

## Why it matters
A release past its end of life gets no more security fixes: every vulnerability found in its packages or
runtime from then on stays open in the image, however often it is rebuilt, and image scanners report
more of them every month. Moving to a supported release is the only fix, and it takes planning (a new
major version of the language or distribution), so it is worth knowing early.

## Example
```dockerfile
FROM python:3.7-slim-buster
COPY app.py /app/
CMD ["python", "/app/app.py"]
```

## Use instead
```dockerfile
FROM python:3.13-slim-bookworm
COPY app.py /app/
CMD ["python", "/app/app.py"]
```

## Fix
None: moving to a supported release is a new major version of the distribution or the language, which
the app and its dependencies must be tested with.

## How to silence
`# bulkhead ignore=BH106` on the line before the `FROM`, or `ignore = ["BH106"]` in `.bulkhead.toml`.

## References
- endoflife.date
- NIST SP 800-190, Application Container Security Guide, 4.1 (image vulnerabilities)
- CWE-1104: Use of Unmaintained Third Party Components
"#,
    check: Check::File(check),
};

fn check(ctx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(today) = ctx.build.today else { return };
    let Some(final_stage) = ctx.model.final_stage() else { return };
    // The stage that names the image the final stage is ultimately built on.
    let Some(root) = ctx.model.final_lineage().last().and_then(|idx| ctx.model.stages.get(*idx)) else { return };
    let (Base::Image(image), Some(range)) = (&root.base, root.base_range) else { return };
    let ended: Vec<String> = eol::end_of_life(image)
        .into_iter()
        .filter(|eol| eol.date < today)
        .map(|eol| format!("{} {} on {}", eol.product, eol.release, eol.date))
        .collect();
    if ended.is_empty() {
        return;
    }
    let via =
        if root.index == final_stage.index { String::new() } else { format!(" (through stage {})", root.label()) };
    let what = match ended.len() {
        1 => format!("its release reached its end of life: {}", ended[0]),
        _ => format!("its releases reached their end of life: {}", ended.join(", ")),
    };
    out.push(Finding::new(
        range,
        format!("the final image is built on `{}`{via}, and {what}; it gets no more security fixes", image.raw),
    ));
}
