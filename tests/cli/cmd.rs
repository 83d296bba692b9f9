//! The CLI contract as files: each tests/cmd/*.toml runs the binary once and
//! states its exit code, and its stdout and stderr in the files beside it
//! (tests/cmd/README.md says how to add one and how to regenerate them).

use std::time::Duration;

const CASES: &str = "tests/cmd";

/// A case that inherits the environment passes on a clean machine and fails
/// on one where AITAG_TAXONOMY, AITAG_MODEL, NO_COLOR or COLUMNS is set (help
/// even prints their values): every case must say `env.inherit = false`.
fn cases_without_a_clean_environment() -> Vec<String> {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(CASES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.lines().any(|l| l.trim() == "env.inherit = false") {
                missing.push(path.display().to_string());
            }
        }
    }
    missing
}

#[test]
fn cli_cases() {
    let missing = cases_without_a_clean_environment();
    assert!(
        missing.is_empty(),
        "cases without `env.inherit = false`: {missing:?}"
    );
    trycmd::TestCases::new()
        .register_bin("aitag", crate::common::bin())
        // A hung binary fails its case instead of the whole run.
        .timeout(Duration::from_secs(60))
        .case(format!("{CASES}/*.toml"));
}
