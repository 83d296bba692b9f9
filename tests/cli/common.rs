//! What every test module shares: the binary with a clean environment, the
//! AIID incidents as `aitag batch` reads them, and labeled sets for `eval`
//! and `fit`.

use aitag::input::{self, InputOptions};
use serde_json::Value;
use std::path::PathBuf;

/// Variables that change what the binary does or prints when a developer
/// has them set: another taxonomy or model, no colour on a terminal, and the
/// width clap wraps help to.
const UNSET: [&str; 4] = ["AITAG_TAXONOMY", "AITAG_MODEL", "NO_COLOR", "COLUMNS"];

pub const AIID: &str = "tests/data/aiid/incidents.jsonl";

/// The small taxonomy whose rules each know one word (tests/data/eval/README.md).
pub const EVAL_TAXONOMY: &str = "tests/data/eval/taxonomy.yaml";
pub const EVAL_GOLD: &str = "tests/data/eval/gold.jsonl";
pub const EVAL_DATA: &str = "tests/data/eval/data.jsonl";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aitag"))
}

pub fn unset_env(cmd: &mut std::process::Command) -> &mut std::process::Command {
    for name in UNSET {
        cmd.env_remove(name);
    }
    cmd
}

/// The binary as a plain process, for the tests that need its pipes or its
/// pid (closed pipes, signals, peak memory).
pub fn process() -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    unset_env(&mut cmd);
    cmd
}

pub fn aitag() -> assert_cmd::Command {
    assert_cmd::Command::from_std(process())
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn jsonl(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The text an evidence span of the JSON output points at, checked to be
/// the span's own `text`: offsets are bytes of the text as classified.
pub fn quoted<'t>(text: &'t str, evidence: &Value) -> &'t str {
    let start = evidence["start"].as_u64().unwrap() as usize;
    let end = evidence["end"].as_u64().unwrap() as usize;
    let quoted = &text[start..end];
    assert_eq!(quoted, evidence["text"].as_str().unwrap());
    quoted
}

/// Id and text of every AIID incident, read by the library's own reader with
/// the options `aitag batch` has when given none (`text`, else `title` and
/// `description` joined), so that a test classifies the very texts batch does.
pub fn incidents() -> Vec<(String, String)> {
    input::open(AIID, &InputOptions::default())
        .unwrap()
        .map(|item| {
            let record = item.unwrap_or_else(|e| panic!("{AIID}: {e}"));
            (record.id, record.text)
        })
        .collect()
}

/// Gold labels and data for `aitag eval` or `aitag fit`, written to a
/// directory of their own that lives as long as this value.
pub struct LabeledSet {
    dir: tempfile::TempDir,
    gold: String,
    data: String,
}

impl LabeledSet {
    /// `data_name`'s extension chooses the reader (`data.csv`, `data.jsonl`).
    pub fn new(gold: &str, data: &str, data_name: &str) -> LabeledSet {
        let dir = tempdir();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path.to_str().unwrap().to_string()
        };
        let (gold, data) = (write("gold.jsonl", gold), write(data_name, data));
        LabeledSet { dir, gold, data }
    }

    pub fn gold(&self) -> &str {
        &self.gold
    }

    pub fn data(&self) -> &str {
        &self.data
    }

    /// A path beside the two files, for what a command writes or reads too.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Asserts that a run exited with 0, showing its stderr (and `what` was run) if not.
pub fn assert_exit_0(out: &std::process::Output, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
