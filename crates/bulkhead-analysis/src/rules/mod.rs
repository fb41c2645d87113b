//! The rule registry: one line per rule, sorted by code. Each rule lives in its own file, named after
//! its code and name, which holds its documentation, its check and its fixes.
//!
//! Adding a rule: follow CONTRIBUTING.md ("Adding a rule"): the rule file, its line below, specs,
//! generated docs, and a hand review of its findings on the real files. Make its check a
//! `Check::Instruction` (see `InstructionContext`) when it needs nothing but the instruction it looks at:
//! the editor then re-runs it only on the edited instruction; otherwise a `Check::File`.

mod shell_commands;
mod util;
mod util_compose;
mod util_copy;
mod util_edit;
mod util_fetch;
mod util_layer;
mod util_purpose;
mod util_stage;

macro_rules! registry {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*
        #[cfg(feature = "test-panic-rule")]
        mod bh999_test_panic;
        /// Every rule, sorted by code.
        pub static RULES: &[&crate::rule::Rule] = &[
            $(&$module::RULE,)*
            // Test-only (feature `test-panic-rule`): a rule that panics on purpose.
            #[cfg(feature = "test-panic-rule")]
            &bh999_test_panic::RULE,
        ];
    };
}

#[rustfmt::skip]
registry! {
    bh000_syntax_error,
    bh001_workdir_relative,
    bh002_workdir_system_dir,
    bh003_run_cd_instead_of_workdir,
    bh004_copy_multi_src_dest_slash,
    bh005_copy_relative_dest_no_workdir,
    bh006_maintainer_deprecated,
    bh007_exec_form_cmd_entrypoint,
    bh008_pipefail,
    bh009_shell_instruction,
    bh010_onbuild_invalid_trigger,
    bh011_env_self_reference,
    bh012_first_instruction,
    bh013_expose_invalid_port,
    bh014_expose_format,
    bh015_instruction_casing,
    bh016_legacy_key_value,
    bh017_empty_continuation,
    bh018_undefined_variable,
    bh019_from_arg_invalid,
    bh020_from_platform_flag,
    bh021_label_schema,
    bh022_shellcheck,
    bh023_definition_description,
    bh024_inline_ignore_pragma,
    bh101_base_image_floating_tag,
    bh102_base_image_digest_unpinned,
    bh103_base_image_registry_allowlist,
    bh104_base_image_non_minimal,
    bh105_image_tag_unversioned,
    bh106_base_image_end_of_life,
    bh107_base_image_stale_build,
    bh201_root_user,
    bh202_sudo_usage,
    bh203_user_non_numeric,
    bh204_sudoers_grant,
    bh301_build_tools_in_final_image,
    bh302_copy_whole_stage_fs,
    bh303_copy_from_own_alias,
    bh304_copy_from_unknown_alias,
    bh305_duplicate_stage_name,
    bh306_reserved_stage_name,
    bh401_secret_in_arg_env,
    bh402_secret_file_in_image,
    bh403_password_set_in_image,
    bh404_secret_literal_in_run,
    bh405_secret_mount_persisted,
    bh406_private_key_generated,
    bh501_remote_script_piped_to_shell,
    bh502_plain_http_fetch,
    bh503_download_unverified,
    bh601_missing_healthcheck,
    bh602_multiple_singleton_instructions,
    bh603_healthcheck_disabled,
    bh701_docker_socket_volume,
    bh702_expose_port_22,
    bh703_ssh_server_installed,
    bh704_privileged_port_non_root,
    bh705_docker_api_port_exposed,
    bh706_chmod_world_writable,
    bh710_privileged_service,
    bh711_dangerous_capability,
    bh712_capabilities_not_dropped,
    bh713_new_privileges_allowed,
    bh714_unconfined_profile,
    bh715_host_namespace,
    bh716_shared_mount_propagation,
    bh717_sensitive_host_mount,
    bh718_host_resource_access,
    bh720_writable_root_filesystem,
    bh730_memory_unlimited,
    bh731_cpu_unlimited,
    bh732_pids_unlimited,
    bh740_internal_port_published,
    bh801_copy_context_without_dockerignore,
    bh802_copy_ignored_file,
    bh901_apt_lists_not_cleaned,
    bh902_pkg_update_alone,
    bh903_apk_missing_no_cache,
    bh904_pip_missing_no_cache_dir,
    bh905_pkg_cache_not_cleaned,
    bh906_apt_no_install_recommends,
    bh907_pkg_upgrade,
    bh908_nonsensical_command,
    bh909_wget_and_curl,
    bh910_pkg_version_unpinned,
    bh911_pkg_noninteractive_flag,
    bh912_apt_instead_of_apt_get,
    bh913_tls_verification_disabled,
    bh914_pkg_signature_check_disabled,
    bh915_add_instead_of_copy,
    bh916_chown_after_copy,
    bh917_add_for_archive_extract,
    bh918_wget_no_progress,
    bh919_consecutive_run,
    bh920_useradd_missing_l,
}

/// The images whose registry facts the rules use: `FROM` bases and `COPY`/`ADD --from` images with their
/// variables substituted, each once, in file order (see [`crate::image_references`]).
pub(crate) fn registry_images(ctx: &crate::rule::RuleContext<'_>) -> Vec<crate::image::ImageRef> {
    let mut seen = std::collections::HashSet::new();
    ctx.model
        .image_uses(ctx.file)
        .into_iter()
        .filter(|image_use| !image_use.via.starts_with("RUN"))
        .filter_map(|image_use| image_use.image)
        .filter(|image| seen.insert(image.raw.clone()))
        .collect()
}

/// The rule with this code or name (test-only rules are not looked up: they are not part of the product).
pub fn find(code_or_name: &str) -> Option<&'static crate::rule::Rule> {
    RULES
        .iter()
        .copied()
        .filter(|rule| !rule.is_test_only())
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_documented() {
        for pair in RULES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} must come before {}", pair[0].code, pair[1].code);
        }
        for rule in RULES {
            assert!(rule.code.len() == 5 && rule.code.starts_with("BH"), "{}", rule.code);
            assert!(
                rule.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                rule.name
            );
            assert!(!rule.name.starts_with("no-"), "{}: name what is flagged", rule.name);
            assert_eq!(RULES.iter().filter(|r| r.name == rule.name).count(), 1, "{}", rule.name);
            for section in ["## What it does", "## Why it matters", "## Example", "## Use instead", "## How to silence"]
            {
                assert!(rule.doc.contains(section), "{} lacks `{section}`", rule.code);
            }
        }
    }
}
