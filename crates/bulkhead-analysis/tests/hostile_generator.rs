//! A structure-aware generator of hostile Dockerfiles: the model in `tests/support/hostile_model.rs`
//! (stages on images or on earlier stages, chained `ARG`s, shells nested and chained deep, heredocs,
//! ordinary instructions, odd escapes, CRLF, a BOM, an `# escape=` directive), which the structure-aware
//! fuzz targets share, built from proptest's bytes and checked by the whole engine. Random bytes rarely
//! nest; this generator nests and chains on purpose, thousands deep, which is what aborted the drivers
//! before.
//!
//! Each case must check without a panic or a rule failure, with every finding inside the text and on
//! character boundaries. It runs on the test thread's default stack (2 MiB, smaller than any driver's):
//! the engine must not need a deep stack at all. Case counts stay modest: CI runs on two cores.

#[path = "../../../tests/support/hostile_model.rs"]
mod hostile_model;

use bulkhead_analysis::{BuildContext, Settings, check};
use hostile_model::{Model, Scale};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn hostile_models_check_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        let model = Model::from_bytes(&bytes, Scale::DEEP);
        let text = model.render();
        let report = check(&text, &BuildContext::default(), &Settings::default());
        prop_assert!(report.failures.is_empty(), "{model:?}: {:?}", report.failures);
        for diagnostic in &report.diagnostics {
            let range = diagnostic.range;
            prop_assert!(range.start <= range.end && range.end <= text.len(), "{model:?}: {diagnostic:?}");
            prop_assert!(
                text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
                "{model:?}: {diagnostic:?}"
            );
        }
    }
}
