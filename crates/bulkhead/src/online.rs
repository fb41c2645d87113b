//! Registry look-ups for `check`, for the files whose settings turn them on (`--online`, `[registry]
//! enabled = true`): each distinct image reference is looked up once, a few at a time, through the
//! client's disk cache, and the answers go to the engine as data ([`BuildContext::images`]).
//!
//! A failed look-up (offline, unreachable, 401, 404, 429, slow, malformed) is one warning naming the
//! reference; the files are checked without its facts, exactly as offline. Nothing here runs, and no
//! client is built, unless some file has look-ups on.
//!
//! [`BuildContext::images`]: bulkhead_analysis::BuildContext::images

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bulkhead_analysis::{BaseImageFacts, ImageRef, RegistrySettings};
use bulkhead_registry::{Client, Options};

/// Look-ups running at once: enough to hide latency, few enough not to hammer a registry.
const PARALLEL_LOOKUPS: usize = 8;

/// The facts each registry configuration found, for the files checked with it.
pub type FactsByConfig = BTreeMap<RegistrySettings, Arc<BTreeMap<String, BaseImageFacts>>>;

/// Looks up every `(configuration, reference)` once. Returns the facts per configuration and one
/// warning per reference that failed (sorted, so the output does not depend on timing).
pub fn look_up(wanted: BTreeSet<(RegistrySettings, ImageRef)>) -> (FactsByConfig, Vec<String>) {
    let mut facts = FactsByConfig::new();
    let mut warnings = Vec::new();
    let mut clients = BTreeMap::new();
    let mut jobs = Vec::new();
    for (settings, image) in wanted {
        if !clients.contains_key(&settings) {
            let client = Client::new(Options::from_settings(&settings)).map(Arc::new).map_err(|err| err.to_string());
            clients.insert(settings.clone(), client);
        }
        match &clients[&settings] {
            Ok(client) => jobs.push((settings, image, client.clone())),
            Err(err) => warnings.push(format!("cannot look up `{}`: {err}; checked without its facts", image.raw)),
        }
    }
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs.len().min(PARALLEL_LOOKUPS) {
            scope.spawn(|| {
                while let Some((settings, image, client)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = client.engine_facts(image);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((settings, image, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by(|a, b| (a.0, &a.1.raw).cmp(&(b.0, &b.1.raw)));
    for (settings, image, result) in results {
        match result {
            Ok((found, tags_error)) => {
                if let Some(err) = tags_error {
                    warnings.push(format!("cannot list the tags of `{}`: {err}; no \"pin tag\" fix", image.raw));
                }
                let map = facts.entry(settings.clone()).or_default();
                Arc::make_mut(map).insert(image.raw.clone(), found);
            }
            Err(err) => warnings.push(format!("cannot look up `{}`: {err}; checked without its facts", image.raw)),
        }
    }
    (facts, warnings)
}
