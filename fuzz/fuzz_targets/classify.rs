//! Text -> classification with explanations: no panic, and every evidence
//! span is its text's bytes, on character boundaries, without white space
//! around it.
#![no_main]

use aitag::{ClassifyOptions, Engine};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the built-in taxonomy loads"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = ClassifyOptions {
        explain: true,
        ..Default::default()
    };
    let c = engine().classify_with(&text, &options);
    let spans = c
        .tags
        .iter()
        .flat_map(|t| c.reasons_of(t))
        .flat_map(|r| r.evidence.iter().chain(r.hedged_by.as_ref()));
    let negated = c
        .negated
        .iter()
        .flat_map(|s| &s.negated)
        .flat_map(|n| [&n.evidence, &n.trigger]);
    for e in spans.chain(negated) {
        assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        assert_eq!(&text[e.start..e.end], e.text);
        assert_eq!(e.text.trim(), e.text);
    }
});
