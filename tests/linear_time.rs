//! Time per record grows linearly with the text (issue #12, item 1): one
//! long record takes about as long as four records of a quarter of its
//! length. Checked by ratio, never by absolute time, so that a slow or busy
//! machine cannot fail it; sizes are scaled down from the (2 MiB
//! against 4 × 512 KiB) to keep the debug-build suite fast. Before the fix
//! (`near` compared every pair, evidence was deduplicated pair by pair) the
//! ratio here was above 4.

use aitag::{ClassifyOptions, Engine};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

// Its own test binary, not a module of tests/cli: these tests compare
// wall-clock times, which the CLI tests running beside them on two cores
// distorted (the taxonomy ratio went past its bound there, never alone).
// For the same reason they take turns here.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    // A failed test poisons the lock; the next one may still measure.
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sentences that many rules fire on (text-wide ones, `near` ones) and that
/// hold no negation or hedge trigger: the context scopes are timed apart.
const SENTENCES: &[&str] = &[
    "Hackers stole the model weights and leaked them online.",
    "Stole model weights, leaked, hacked.",
    "The reward model was gamed by the agent, exploiting a bug in the reward function.",
    "The chatbot gave users harmful medical advice and the company deployed it before any testing.",
    "Attackers used prompt injection to make the assistant leak private data.",
];

fn text_of(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 128);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(SENTENCES[i % SENTENCES.len()]);
        s.push(' ');
        i += 1;
    }
    s
}

/// Only the densest sentence: every word is evidence of one text-wide rule.
fn dense_text_of(bytes: usize) -> String {
    SENTENCES[1].repeat(bytes / SENTENCES[1].len() + 1)
}

/// The best of three runs: noise only ever adds time.
fn time(f: impl Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn classify_and_print(engine: &Engine, text: &str) -> usize {
    let options = ClassifyOptions {
        explain: true,
        ..Default::default()
    };
    let c = engine.classify_with(text, &options);
    serde_json::to_string(&c).unwrap().len()
}

#[test]
fn one_long_record_costs_about_as_much_as_four_of_a_quarter_its_length() {
    let _turn = turn();
    let engine = Engine::embedded().unwrap();
    let quarter = dense_text_of(32 * 1024);
    let whole = quarter.repeat(4);
    // The machine may be busy: a linear stage gives about 1 every time, a quadratic one about 4
    // every time, so one attempt of three at or under 3 is enough.
    let mut ratios = Vec::new();
    for _ in 0..3 {
        let four = time(|| {
            for _ in 0..4 {
                classify_and_print(&engine, &quarter);
            }
        });
        let one = time(|| {
            classify_and_print(&engine, &whole);
        });
        let ratio = one.as_secs_f64() / four.as_secs_f64();
        eprintln!("ratio {ratio:.2}: {one:?} against {four:?}");
        if ratio <= 3.0 {
            return;
        }
        ratios.push(ratio);
    }
    panic!(
        "one record of {} KiB took {ratios:.2?} times as long as four of {} KiB",
        whole.len() / 1024,
        quarter.len() / 1024
    );
}

#[test]
fn a_text_wide_rule_keeps_a_bounded_number_of_evidence_spans_and_says_so() {
    let _turn = turn();
    let engine = Engine::embedded().unwrap();
    let text = text_of(64 * 1024);
    let options = ClassifyOptions {
        explain: true,
        ..Default::default()
    };
    let c = engine.classify_with(&text, &options);
    let reasons: Vec<_> = c.tags.iter().flat_map(|t| c.reasons_of(t)).collect();
    assert!(!reasons.is_empty());
    assert!(
        reasons
            .iter()
            .all(|r| r.evidence.len() <= aitag::engine::MAX_EVIDENCE)
    );
    let capped = reasons.iter().find(|r| r.evidence_omitted > 0).unwrap();
    assert_eq!(capped.evidence.len(), aitag::engine::MAX_EVIDENCE);
    let json = serde_json::to_string(capped).unwrap();
    assert!(json.contains("\"evidence_omitted\":"), "{json}");
}

/// Runs the binary on a taxonomy file and returns how long it took.
fn load(path: &Path) -> (String, Duration) {
    let t = Instant::now();
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_aitag"))
        .env_remove("AITAG_TAXONOMY")
        .env_remove("AITAG_MODEL")
        .args(["classify", "--taxonomy", path.to_str().unwrap(), "x"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        t.elapsed(),
    )
}

/// Issue #12, item 7: tag ids that are not kebab-case are each reported.
#[test]
fn many_bad_tag_ids_are_reported_in_linear_time() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let file = |n: usize| {
        let mut yaml = String::from("tags:\n");
        for i in 0..n {
            yaml.push_str(&format!(
                "  - id: Bad_{i}\n    name: x\n    definition: x\n"
            ));
        }
        let path = dir.path().join(format!("{n}.yaml"));
        std::fs::write(&path, yaml).unwrap();
        path
    };
    let (small_file, large_file) = (file(2_000), file(8_000));
    let (err, _) = load(&small_file);
    assert!(err.contains("kebab-case"), "{err}");
    // The least of five interleaved runs each: a busy machine only ever adds
    // time, and both sizes see the same load.
    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        small = small.min(load(&small_file).1);
        large = large.min(load(&large_file).1);
    }
    // Four times the ids: quadratic would be sixteen times the time. A clean
    // CI run measured 8.5× once (5–6× is usual), so the bound sits at 11,
    // still well short of quadratic.
    assert!(
        large.as_secs_f64() < 11.0 * small.as_secs_f64().max(0.05),
        "{small:?} for 2,000, {large:?} for 8,000"
    );
}
