//! Registry look-ups in the server (the state and the look-ups; `Session::look_up_images` drives them), for documents whose settings turn them on (`bulkhead.registry.enabled`,
//! `[registry] enabled = true`). Never on the keystroke path: a lint (on an engine thread) lists the
//! document's image references ([`Lint::images`]); once it is stored, the references without facts are
//! looked up in the background, each once however many documents use it, a few at a time, on tokio's
//! blocking threads (not the engine's: a slow registry must not hold up lints), through the client's
//! disk cache. An answer goes into the session's facts (one map, shared by every document),
//! and the documents that wait for it get a new build context and generation, and are linted again.
//!
//! A failed look-up is one `window/logMessage` naming the reference; the reference is not retried
//! before [`RETRY_AFTER`] or the next settings or configuration change, and the documents keep their
//! findings without its facts. Without look-ups on, nothing here runs and no client is built.
//!
//! Facts in memory age like the disk cache: once older than the document's `registry.cache-ttl` (at least
//! [`RETRY_AFTER`], so a TTL of zero cannot make every lint a look-up), the next lint that lists the reference
//! looks it up again in the background, and the old facts serve until the answer arrives.
//!
//! Facts are keyed by the reference as written (after `ARG` substitution). They are looked up with
//! the registry settings of the first document that asked; documents with other `[registry]` settings
//! (insecure registries, credential helpers) share the answer.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bulkhead_analysis::{BaseImageFacts, BuildContext, ImageRef, RegistrySettings};
use bulkhead_registry::{Client, Options};
use tokio::sync::Semaphore;
use tower_lsp_server::ls_types::Uri;

/// Look-ups running at once.
const PARALLEL_LOOKUPS: usize = 4;

/// How long a failed reference is left alone before a lint asks for it again.
pub const RETRY_AFTER: Duration = Duration::from_secs(300);

/// Facts per image reference.
pub type Facts = Arc<BTreeMap<String, BaseImageFacts>>;

/// The session's registry state, under the session lock.
pub struct RegistryState {
    /// Everything found so far: the map every document with look-ups on gets in its build context.
    facts: Facts,
    /// When each reference's facts were found.
    found_at: HashMap<String, Instant>,
    /// References being looked up, with the documents that wait for them.
    waiting: HashMap<String, HashSet<Uri>>,
    /// References whose look-up failed, and when.
    failed: HashMap<String, Instant>,
    /// One client per registry configuration, built on a blocking thread at the first look-up.
    clients: Arc<Mutex<HashMap<RegistrySettings, Arc<Client>>>>,
    permits: Arc<Semaphore>,
}

impl Default for RegistryState {
    fn default() -> Self {
        Self {
            facts: Facts::default(),
            found_at: HashMap::new(),
            waiting: HashMap::new(),
            failed: HashMap::new(),
            clients: Arc::default(),
            permits: Arc::new(Semaphore::new(PARALLEL_LOOKUPS)),
        }
    }
}

/// A look-up to start.
pub struct Lookup {
    pub image: ImageRef,
    settings: RegistrySettings,
    clients: Arc<Mutex<HashMap<RegistrySettings, Arc<Client>>>>,
    permits: Arc<Semaphore>,
}

/// What to do for a document after its lint.
#[derive(Default)]
pub struct Plan {
    pub start: Vec<Lookup>,
    /// The session knows facts (or newer ones) that the document's build context lacks.
    pub refresh: bool,
}

impl RegistryState {
    /// The build context for a document with these settings: `build` with the known facts when look-ups
    /// are on for it, without any otherwise.
    pub fn attach(&self, mut build: BuildContext, settings: &RegistrySettings) -> BuildContext {
        build.images = if settings.enabled { self.facts.clone() } else { Facts::default() };
        build
    }

    /// Lets failed references be tried again (on a settings or configuration change).
    pub fn forget_failures(&mut self) {
        self.failed.clear();
    }

    pub fn plan(
        &mut self,
        uri: &Uri,
        settings: &RegistrySettings,
        have: &Facts,
        images: &[ImageRef],
        now: Instant,
    ) -> Plan {
        let mut plan = Plan::default();
        let max_age = settings.cache_ttl.max(RETRY_AFTER);
        for image in images {
            let known = self.facts.contains_key(&image.raw);
            // The session knows facts (or newer ones) that the document's build context lacks.
            if known && have.get(&image.raw) != self.facts.get(&image.raw) {
                plan.refresh = true;
            }
            let stale = self.found_at.get(&image.raw).is_some_and(|at| now.duration_since(*at) >= max_age);
            if known && !stale {
                continue;
            }
            if let Some(waiters) = self.waiting.get_mut(&image.raw) {
                waiters.insert(uri.clone());
            } else if self.failed.get(&image.raw).is_none_or(|at| now.duration_since(*at) >= RETRY_AFTER) {
                self.failed.remove(&image.raw);
                self.waiting.insert(image.raw.clone(), HashSet::from([uri.clone()]));
                plan.start.push(Lookup {
                    image: image.clone(),
                    settings: settings.clone(),
                    clients: self.clients.clone(),
                    permits: self.permits.clone(),
                });
            }
        }
        plan
    }

    /// Records the outcome of a look-up; returns the documents that waited for it.
    pub fn finish(&mut self, raw: &str, found: Option<BaseImageFacts>, now: Instant) -> HashSet<Uri> {
        match found {
            Some(facts) => {
                Arc::make_mut(&mut self.facts).insert(raw.to_owned(), facts);
                self.found_at.insert(raw.to_owned(), now);
            }
            None => {
                self.failed.insert(raw.to_owned(), now);
            }
        }
        self.waiting.remove(raw).unwrap_or_default()
    }
}

impl Lookup {
    /// Looks the image up on a blocking thread (after waiting for a permit): the facts, and the message
    /// to log when something failed.
    pub async fn run(self) -> (Option<BaseImageFacts>, Option<String>) {
        let _permit = self.permits.acquire_owned().await;
        let raw = self.image.raw.clone();
        let work = move || {
            let client = {
                let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
                match clients.get(&self.settings) {
                    Some(client) => client.clone(),
                    None => {
                        let client = Arc::new(Client::new(Options::from_settings(&self.settings))?);
                        clients.insert(self.settings.clone(), client.clone());
                        client
                    }
                }
            };
            client.engine_facts(&self.image)
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(Ok((facts, None))) => (Some(facts), None),
            Ok(Ok((facts, Some(err)))) => {
                (Some(facts), Some(format!("cannot list the tags of `{raw}`: {err}; no \"pin tag\" fix")))
            }
            Ok(Err(err)) => (None, Some(format!("cannot look up `{raw}`: {err}; linting without its facts"))),
            Err(err) => (None, Some(format!("cannot look up `{raw}`: {err}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn uri(name: &str) -> Uri {
        Uri::from_str(&format!("file:///w/{name}")).unwrap()
    }

    fn images(raws: &[&str]) -> Vec<ImageRef> {
        raws.iter().map(|raw| ImageRef::parse(raw).unwrap()).collect()
    }

    #[test]
    fn each_reference_is_looked_up_once_and_failures_wait() {
        let mut state = RegistryState::default();
        let settings = RegistrySettings { enabled: true, ..RegistrySettings::default() };
        let now = Instant::now();
        let none = Facts::default();
        let plan = state.plan(&uri("a"), &settings, &none, &images(&["python:3", "alpine:3.20"]), now);
        assert_eq!(plan.start.len(), 2);
        assert!(!plan.refresh);
        // Another document with the same references: nothing new to start; it waits too.
        let plan = state.plan(&uri("b"), &settings, &none, &images(&["python:3"]), now);
        assert!(plan.start.is_empty());
        let waiting = state.finish("python:3", Some(BaseImageFacts::default()), now);
        assert_eq!(waiting, HashSet::from([uri("a"), uri("b")]));
        let waiting = state.finish("alpine:3.20", None, now);
        assert_eq!(waiting, HashSet::from([uri("a")]));
        // Known facts the document lacks: refresh, no look-up. A failure: not again before RETRY_AFTER.
        let plan = state.plan(&uri("c"), &settings, &none, &images(&["python:3", "alpine:3.20"]), now);
        assert!(plan.refresh && plan.start.is_empty());
        let (later, have) = (now + RETRY_AFTER, state.facts.clone());
        assert_eq!(state.plan(&uri("c"), &settings, &have, &images(&["alpine:3.20"]), later).start.len(), 1);
        // A document whose context has the facts needs nothing.
        let have = state.facts.clone();
        let plan = state.plan(&uri("d"), &settings, &have, &images(&["python:3"]), now);
        assert!(!plan.refresh && plan.start.is_empty());
        // Look-ups off: a context without facts.
        let build = state.attach(BuildContext::default(), &RegistrySettings::default());
        assert!(build.images.is_empty());
        assert_eq!(state.attach(BuildContext::default(), &settings).images.len(), 1);
    }

    #[test]
    fn facts_older_than_the_ttl_are_looked_up_again_in_the_background() {
        let mut state = RegistryState::default();
        let ttl = Duration::from_secs(3600);
        let settings = RegistrySettings { enabled: true, cache_ttl: ttl, ..RegistrySettings::default() };
        let now = Instant::now();
        assert_eq!(state.plan(&uri("a"), &settings, &Facts::default(), &images(&["python:3"]), now).start.len(), 1);
        let old = BaseImageFacts { user: Some("1000".into()), ..BaseImageFacts::default() };
        state.finish("python:3", Some(old.clone()), now);
        let have = state.facts.clone();
        // Fresh: nothing to do. Older than the TTL: one look-up, however many documents ask, old facts kept.
        assert!(state.plan(&uri("a"), &settings, &have, &images(&["python:3"]), now + ttl / 2).start.is_empty());
        let later = now + ttl;
        assert_eq!(state.plan(&uri("a"), &settings, &have, &images(&["python:3"]), later).start.len(), 1);
        assert!(state.plan(&uri("b"), &settings, &have, &images(&["python:3"]), later).start.is_empty());
        assert_eq!(state.facts.get("python:3"), Some(&old));
        let new = BaseImageFacts { user: Some("root".into()), ..BaseImageFacts::default() };
        assert_eq!(state.finish("python:3", Some(new.clone()), later), HashSet::from([uri("a"), uri("b")]));
        assert_eq!(state.facts.get("python:3"), Some(&new));
        // The document still holds the old facts: it is refreshed, and not looked up again.
        let plan = state.plan(&uri("a"), &settings, &have, &images(&["python:3"]), later);
        assert!(plan.refresh && plan.start.is_empty());
        // A TTL of zero still waits RETRY_AFTER between look-ups.
        let zero = RegistrySettings { cache_ttl: Duration::ZERO, ..settings };
        let have = state.facts.clone();
        assert!(state.plan(&uri("a"), &zero, &have, &images(&["python:3"]), later + RETRY_AFTER / 2).start.is_empty());
        assert_eq!(state.plan(&uri("a"), &zero, &have, &images(&["python:3"]), later + RETRY_AFTER).start.len(), 1);
    }
}
