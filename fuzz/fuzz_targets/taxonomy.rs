//! YAML bytes -> a taxonomy and an engine, or a typed error; never a panic,
//! an abort or a hang.
#![no_main]

use aitag::taxonomy::Source;
use aitag::{Engine, Taxonomy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        name: "fuzz.yaml".into(),
        text: text.to_string().into(),
    };
    if let Ok(taxonomy) = Taxonomy::from_sources(vec![source], "fuzz") {
        if let Ok(engine) = Engine::new(taxonomy) {
            let _ = engine.classify("The model weights were stolen, not leaked.");
        }
    }
});
