//! Compose files through `bulkhead lsp` as editors start it (the built binary over stdio): opened by each
//! language id editors use, they get the Compose findings, hover and fixes; a service built from a
//! Dockerfile is linted with that Dockerfile's text, the editor's before the disk's.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use bulkhead_test_registry as registry_support;
use serde_json::{Value, json};
use stdio_server::{Server, apply_lsp_edits, initialize, initialize_params, initialize_with};

/// The codes a Compose file can get: a Dockerfile-only code would mean it went through the Dockerfile
/// parser.
const COMPOSE_CODES: &[&str] = &[
    "BH000", "BH101", "BH201", "BH401", "BH601", "BH701", "BH710", "BH711", "BH712", "BH713", "BH714", "BH715",
    "BH717", "BH720", "BH730", "BH731", "BH732",
];

const TEXT: &str = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// The next publish for `uri` at `version`.
fn publish(server: &Server, uri: &str, version: i64) -> Vec<Value> {
    let message = server.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == version
    });
    message["params"]["diagnostics"].as_array().unwrap().clone()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

fn hover(server: &mut Server, id: i64, uri: &str, line: u32, character: u32) -> String {
    let params = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let answer = server.request(id, "textDocument/hover", params);
    answer["result"]["contents"]["value"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn each_language_id_gets_findings_hover_and_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start();
    initialize(&mut server);
    let cases = [("dockercompose", "stack.yml"), ("yaml.docker-compose", "infra.yml"), ("yaml", "compose.yaml")];
    for (n, (language, name)) in cases.into_iter().enumerate() {
        let uri = uri_of(&dir.path().join(name));
        server.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": TEXT}}),
        );
        let diagnostics = publish(&server, &uri, 1);
        let found = codes(&diagnostics);
        assert!(found.contains(&"BH710") && found.contains(&"BH713"), "{language}: {found:?}");
        assert!(found.iter().all(|code| COMPOSE_CODES.contains(code)), "{language}: {found:?}");
        // The hover on `true` of `privileged: true` leads with the finding.
        let markdown = hover(&mut server, 10 * n as i64 + 2, &uri, 3, 17);
        assert!(markdown.starts_with("**BH710**") && markdown.contains("**Why it matters:**"), "{markdown}");
        // The fix of BH713 (add `no-new-privileges:true`), applied as the editor would: the finding is gone.
        let bh713 = diagnostics.iter().find(|d| d["code"] == "BH713").unwrap().clone();
        let params = json!({
            "textDocument": {"uri": uri},
            "range": bh713["range"],
            "context": {"diagnostics": [bh713], "only": ["quickfix"]},
        });
        let actions = server.request(10 * n as i64 + 3, "textDocument/codeAction", params);
        let actions = actions["result"].as_array().unwrap().clone();
        let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
        assert!(titles.contains(&"Ignore BH713 for this file"), "{titles:?}");
        let fix = actions.iter().find(|a| a["title"].as_str().unwrap().contains("no-new-privileges")).unwrap();
        let fixed = apply_lsp_edits(TEXT, &fix["edit"]["changes"][&uri]);
        assert!(fixed.contains("no-new-privileges:true"), "{fixed}");
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
        );
        let after = publish(&server, &uri, 2);
        assert!(!codes(&after).contains(&"BH713") && codes(&after).contains(&"BH710"), "{:?}", codes(&after));
        // An incremental edit: `privileged: true` becomes `privileged: false`, and BH710 goes.
        let line = fixed.lines().position(|l| l.contains("privileged")).unwrap();
        let range = json!({"start": {"line": line, "character": 16}, "end": {"line": line, "character": 20}});
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": range, "text": "false"}]}),
        );
        assert!(!codes(&publish(&server, &uri, 3)).contains(&"BH710"));
    }
    // A suppression comment silences the entry below it.
    let uri = uri_of(&dir.path().join("docker-compose.yml"));
    let text = "services:\n  web:\n    image: nginx:1.27\n    # bulkhead ignore=BH710\n    privileged: true\n";
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(!codes(&publish(&server, &uri, 1)).contains(&"BH710"));
    // A Dockerfile is never read as YAML, whatever it holds.
    let uri = uri_of(&dir.path().join("Dockerfile"));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": TEXT}}),
    );
    let found = publish(&server, &uri, 1);
    assert!(!codes(&found).iter().any(|code| code.starts_with("BH71")), "{:?}", codes(&found));
}

#[test]
fn a_service_is_linted_with_its_dockerfile_the_open_text_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    let dockerfile = dir.path().join("app/Dockerfile");
    let root_text = "FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD [\"python\", \"/app/main.py\"]\n";
    std::fs::write(&dockerfile, root_text).unwrap();
    let compose = "services:\n  web:\n    build: ./app\n    ports:\n      - \"8000:8000\"\n";
    let compose_uri = uri_of(&dir.path().join("compose.yaml"));
    let mut server = Server::start();
    initialize(&mut server);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": compose_uri, "languageId": "dockercompose", "version": 1, "text": compose}}),
    );
    let diagnostics = publish(&server, &compose_uri, 1);
    let root = diagnostics.iter().find(|d| d["code"] == "BH201").expect("BH201 from the Dockerfile on disk");
    let message = root["message"].as_str().unwrap();
    assert!(message.contains("service `web`") && message.contains("`app/Dockerfile`"), "{message}");
    assert!(codes(&diagnostics).contains(&"BH601"), "{:?}", codes(&diagnostics));
    // The hover on the service's name names both places.
    let markdown = hover(&mut server, 2, &compose_uri, 1, 3);
    assert!(markdown.contains("**BH201**") && markdown.contains("`app/Dockerfile`"), "{markdown}");
    // Opening the Dockerfile with a `USER` (not saved): the Compose file is linted with that text.
    let dockerfile_uri = uri_of(&dockerfile);
    let with_user = root_text.replace("CMD", "USER app\nHEALTHCHECK CMD curl -f http://127.0.0.1:8000/\nCMD");
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": dockerfile_uri, "languageId": "dockerfile", "version": 1, "text": with_user}}),
    );
    let after = publish(&server, &compose_uri, 1);
    assert!(!codes(&after).contains(&"BH201") && !codes(&after).contains(&"BH601"), "{:?}", codes(&after));
    // Editing it back re-lints the Compose file again.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": dockerfile_uri, "version": 2}, "contentChanges": [{"text": root_text}]}),
    );
    let edited = publish(&server, &compose_uri, 1);
    assert!(codes(&edited).contains(&"BH201"), "{:?}", codes(&edited));
    // Closed unsaved: the disk's text again.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": dockerfile_uri, "version": 3}, "contentChanges": [{"text": with_user}]}),
    );
    assert!(!codes(&publish(&server, &compose_uri, 1)).contains(&"BH201"));
    server.notify("textDocument/didClose", json!({"textDocument": {"uri": dockerfile_uri}}));
    assert!(codes(&publish(&server, &compose_uri, 1)).contains(&"BH201"));
    // A service whose Dockerfile is not there gets no cross-file finding.
    let missing = "services:\n  web:\n    build: ./nowhere\n    ports:\n      - \"80:80\"\n";
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": compose_uri, "version": 2}, "contentChanges": [{"text": missing}]}),
    );
    let found = publish(&server, &compose_uri, 2);
    assert!(!codes(&found).contains(&"BH201") && !codes(&found).contains(&"BH601"), "{:?}", codes(&found));
}

#[test]
fn a_dockerfile_hover_on_user_and_healthcheck_names_the_compose_services_that_override_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("api")).unwrap();
    let dockerfile = dir.path().join("api/Dockerfile");
    let text = "FROM python:3.12-slim AS base\nUSER 10001\nHEALTHCHECK CMD curl -f http://127.0.0.1/\n\
                FROM base AS prod\nCMD [\"python\"]\n\nFROM python:3.12-slim AS other\nUSER 10002\n";
    std::fs::write(&dockerfile, text).unwrap();
    // Beside the Dockerfile on disk, never opened: `worker` builds `prod` (built FROM base) and sets `user:`.
    std::fs::write(
        dir.path().join("api/compose.yaml"),
        "services:\n  worker:\n    build: {context: ., target: prod}\n    user: \"0\"\n",
    )
    .unwrap();
    // Open, one folder up: `web` builds the final stage (`other`) and `api` builds `prod` and disables the
    // health check.
    let compose = "services:\n  web:\n    build: ./api\n    user: root\n  api:\n    build:\n      context: ./api\n      \
                   target: prod\n    healthcheck:\n      disable: true\n";
    let compose_uri = uri_of(&dir.path().join("compose.yaml"));
    let dockerfile_uri = uri_of(&dockerfile);
    let mut server = Server::start();
    initialize(&mut server);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": compose_uri, "languageId": "dockercompose", "version": 1, "text": compose}}),
    );
    publish(&server, &compose_uri, 1);
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": dockerfile_uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    publish(&server, &dockerfile_uri, 1);
    // `USER` of `base`: the disk file's `worker` (builds prod, FROM base); not `web` (builds `other`).
    let user = hover(&mut server, 2, &dockerfile_uri, 1, 1);
    assert!(user.contains("**USER**"), "{user}");
    assert!(user.contains("Compose overrides this `USER`"), "{user}");
    // Each place is the Compose file's path relative to the Dockerfile's folder and its line, as a link to
    // that line (`#L<line>`, which VS Code opens there); the link's text reads alone too.
    let beside = format!("{}#L4", uri_of(&dir.path().join("api/compose.yaml")));
    let expected = format!("service `worker` in [`compose.yaml` line 4]({beside}) sets `user: \"0\"`");
    assert!(user.contains(&expected), "{user}");
    assert!(!user.contains("service `web`"), "{user}");
    // `USER` of `other`, the final stage: `web` of the open file one folder up (its text, not the disk's).
    let other = hover(&mut server, 3, &dockerfile_uri, 7, 1);
    let expected = format!("service `web` in [`../compose.yaml` line 4]({compose_uri}#L4) sets `user: root`");
    assert!(other.contains(&expected), "{other}");
    assert!(!other.contains("worker"), "{other}");
    // `HEALTHCHECK` of `base`: `api` sets its own.
    let health = hover(&mut server, 4, &dockerfile_uri, 2, 3);
    assert!(health.contains("Compose overrides this `HEALTHCHECK`"), "{health}");
    let expected = format!("service `api` in [`../compose.yaml` line 9]({compose_uri}#L9) sets its own `healthcheck:`");
    assert!(health.contains(&expected), "{health}");
    // Elsewhere (`FROM`), nothing about Compose.
    let from = hover(&mut server, 5, &dockerfile_uri, 0, 1);
    assert!(!from.contains("Compose overrides"), "{from}");
    // The open file no longer sets `user:`: its `web` is gone from the hover.
    let without = compose.replace("    user: root\n", "");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": compose_uri, "version": 2}, "contentChanges": [{"text": without}]}),
    );
    publish(&server, &compose_uri, 2);
    let after = hover(&mut server, 6, &dockerfile_uri, 7, 1);
    assert!(!after.contains("Compose overrides"), "{after}");
}

/// With registry look-ups on, a Compose file's services are linted again once the image configs arrive
/// (in the background, from the real registry on loopback): the base image of a built service and the
/// image of an `image:` service decide BH201 and BH601 where the files say nothing.
#[test]
fn registry_facts_reach_the_compose_services_in_the_background() {
    let registry = registry_support::Registry::start();
    for (repo, user, healthcheck) in [("nonroot", "1000", true), ("rootimg", "", false)] {
        let config = registry_support::config_json("amd64", user, "2024-05-06T07:08:09Z", healthcheck);
        let image = registry_support::push_image(&registry, repo, &config);
        registry.push_manifest(repo, "1", registry_support::OCI_MANIFEST, &image.manifest);
    }
    let port = registry.port;
    let dir = tempfile::tempdir().unwrap();
    let dockerfile = format!("FROM 127.0.0.1:{port}/nonroot:1\nEXPOSE 8080\nCMD [\"app\"]\n");
    std::fs::create_dir(dir.path().join("api")).unwrap();
    std::fs::write(dir.path().join("api/Dockerfile"), dockerfile).unwrap();
    let compose = format!("services:\n  api:\n    build: ./api\n  db:\n    image: 127.0.0.1:{port}/rootimg:1\n");
    let compose_uri = uri_of(&dir.path().join("compose.yaml"));
    let (cache, docker) = (dir.path().join("cache"), dir.path().join("docker"));
    std::fs::create_dir_all(&docker).unwrap();
    let mut server = Server::start_with_env(&[("XDG_CACHE_HOME", &cache), ("DOCKER_CONFIG", &docker)]);
    let options = json!({"select": ["BH201", "BH601"], "registry": {"enabled": true}});
    initialize_with(&mut server, initialize_params(options));
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": compose_uri, "languageId": "dockercompose", "version": 1, "text": compose}}),
    );
    // First without facts: the built service as offline, the `image:` one unknown.
    let messages = |diagnostics: &[Value]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
            .collect()
    };
    let first = messages(&publish(&server, &compose_uri, 1));
    assert!(first.iter().all(|m| m.contains("service `api`")) && first.len() == 2, "{first:#?}");
    // Then with them (each answer publishes again; the last has both): `nonroot` runs as 1000 and has a
    // health check; `rootimg` has neither.
    let updated = server.wait_for(|m| {
        let diagnostics = m["params"]["diagnostics"].to_string();
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == compose_uri.as_str()
            && !diagnostics.contains("service `api`")
            && diagnostics.matches("service `db`").count() == 2
    });
    let found = messages(updated["params"]["diagnostics"].as_array().unwrap());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().any(|m| m.starts_with("BH201 service `db`") && m.contains("in the registry")), "{found:#?}");
    assert!(found.iter().any(|m| m.starts_with("BH601 service `db`") && m.contains("in the registry")), "{found:#?}");
    // The hover on `db` says where the answer came from.
    let markdown = hover(&mut server, 2, &compose_uri, 3, 3);
    assert!(markdown.contains("**BH201**") && markdown.contains("image config in the registry"), "{markdown}");
}
