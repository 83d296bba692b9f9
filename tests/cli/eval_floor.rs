//! The regression floors: the default rules and model must not get worse on
//! the held-out sets (test.jsonl and project-holdout.jsonl), which neither the
//! rules were written from nor the model was fit on, so that a change that only
//! fits dev cannot pass.
//!
//! Runs the built binary exactly as a curator would:
//!
//! ```sh
//! aitag eval --gold tests/data/labels/test.jsonl tests/data/aiid/incidents.jsonl \
//!     --tags alignment,outer-alignment,competence,governance,resilience,security --output json
//! ```
//!
//! The text of each incident is its title and description (the input reader's
//! default for JSONL records without a `text` field), as the gold labels were
//! made from.

use crate::common::{AIID, aitag, assert_exit_0};
use serde_json::Value;

/// The six tags frequent enough in dev.jsonl to measure; the accuracy target
/// (macro-F1 >= 0.80) is over these.
const FREQUENT: [&str; 6] = [
    "alignment",
    "outer-alignment",
    "competence",
    "governance",
    "resilience",
    "security",
];

/// Each held-out set, its size, and the macro-F1 over the six frequent tags
/// measured with the default rules and model when its floor was last set.
/// Raise a floor to the new figure whenever the tagger improves, so that a
/// later change cannot quietly give the gain back.
const FLOORS: [(&str, u64, f64); 2] = [
    ("tests/data/labels/test.jsonl", 300, 0.818),
    ("tests/data/labels/project-holdout.jsonl", 150, 0.858),
];

/// How far below a floor a change may go before the test fails.
const TOLERANCE: f64 = 0.02;

#[test]
fn macro_f1_over_the_six_frequent_tags_stays_above_the_floors() {
    for (gold, size, floor) in FLOORS {
        check(gold, size, floor);
    }
}

fn check(gold: &str, size: u64, floor: f64) {
    let out = aitag()
        .args([
            "eval",
            "--gold",
            gold,
            AIID,
            "--tags",
            &FREQUENT.join(","),
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_exit_0(&out, "aitag");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    // Every gold id was found and classified, so the figure is over the whole set.
    let coverage = &report["coverage"];
    assert_eq!(coverage["gold_records"], size);
    assert_eq!(coverage["evaluated"], size);
    assert_eq!(coverage["missing"], serde_json::json!([]));
    assert_eq!(coverage["record_errors"], 0);

    let headline = &report["averages"]["headline"];
    assert_eq!(headline["tags"], serde_json::json!(FREQUENT));
    let macro_f1 = headline["macro"]["f1"].as_f64().unwrap();

    // The headline must be the plain mean of the six per-tag F1 figures.
    let per_tag: Vec<(String, f64)> = FREQUENT
        .iter()
        .map(|id| {
            let t = report["tags"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["tag"] == *id)
                .unwrap();
            (id.to_string(), t["f1"].as_f64().unwrap_or(0.0))
        })
        .collect();
    let mean = per_tag.iter().map(|(_, f)| f).sum::<f64>() / per_tag.len() as f64;
    assert!(
        (mean - macro_f1).abs() < 1e-3,
        "headline {macro_f1} is not the mean of {per_tag:?}"
    );

    assert!(
        macro_f1 >= floor - TOLERANCE,
        "{gold}: macro-F1 over the six frequent tags fell to {macro_f1:.4}, more than {TOLERANCE} \
         below the floor {floor}. Per tag: {per_tag:?}. Judge the change by these figures, but \
         do not write rules from this set's misses: it is held out."
    );
}
