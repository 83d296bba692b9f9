//! Engine benchmarks on single texts: `cargo bench --bench engine`.
//!
//! The whole-process figures (batch throughput against ripgrep, cold start,
//! memory, cores) come from `scripts/bench.sh`; these isolate the library's
//! own costs so that a change to one stage shows up here first.

use aitag::input::{self, InputOptions};
use aitag::text::{NormText, segment};
use aitag::{Engine, Taxonomy};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// A 300-byte incident, the size `aitag classify` is measured on.
const SHORT: &str = "An AI chatbot deployed by the city gave tenants wrong legal advice, \
telling landlords they could refuse housing vouchers. The vendor said the model had not \
been tested on housing law and no human reviewed answers before they were published to \
residents online, officials said.";

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::embedded().expect("embedded taxonomy"));

/// Every AIID incident in tests/data as `aitag batch` reads it (the reader's
/// default fields: title and description joined), so that these are the
/// texts a batch run classifies.
static INCIDENTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aiid/incidents.jsonl"
    );
    input::open(path, &InputOptions::default())
        .expect("tests/data/aiid/incidents.jsonl")
        .map(|item| item.expect("an incident record").text)
        .collect()
});

/// Parsing and checking the embedded taxonomy (part of every process start).
#[divan::bench]
fn load_embedded_taxonomy() -> Taxonomy {
    Taxonomy::embedded().unwrap()
}

/// Compiling a loaded taxonomy into an engine (the other part of start-up).
#[divan::bench]
fn compile_engine(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| Taxonomy::embedded().unwrap())
        .bench_values(|t| Engine::new(t).unwrap());
}

#[divan::bench]
fn classify_short(bencher: divan::Bencher) {
    let engine = &*ENGINE;
    bencher
        .counter(divan::counter::BytesCount::of_str(SHORT))
        .bench(|| engine.classify(divan::black_box(SHORT)));
}

/// Every AIID incident once per iteration: the mix a batch run sees.
#[divan::bench(sample_count = 20)]
fn classify_all_incidents(bencher: divan::Bencher) {
    let engine = &*ENGINE;
    let texts = &*INCIDENTS;
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            texts
                .iter()
                .map(|t| engine.classify(divan::black_box(t)).tags.len())
                .sum::<usize>()
        });
}

/// The stages before matching, on every incident.
#[divan::bench(sample_count = 20)]
fn fold_and_segment_all_incidents(bencher: divan::Bencher) {
    let texts = &*INCIDENTS;
    bencher.bench(|| {
        texts
            .iter()
            .map(|t| {
                let norm = NormText::new(divan::black_box(t));
                segment(&norm, t).0.len()
            })
            .sum::<usize>()
    });
}
