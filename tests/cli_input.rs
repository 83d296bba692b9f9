//! Input a newcomer brings: JSON arrays from pandas and jq, spreadsheets
//! whose columns are not the ones aitag looks for.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn aitag() -> Command {
    let mut cmd = Command::cargo_bin("aitag").unwrap();
    cmd.env_remove("NO_COLOR").env_remove("AITAG_TAXONOMY");
    cmd
}

fn ids_and_tags(args: &[&str], stdin: Option<&str>) -> Vec<(String, Vec<String>)> {
    let mut cmd = aitag();
    cmd.args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s.to_string());
    }
    let out = cmd.output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let tags = v["tags"]
                .as_array()
                .map(|t| {
                    t.iter()
                        .map(|t| t["tag"].as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default();
            (v["id"].as_str().unwrap().to_string(), tags)
        })
        .collect()
}

#[test]
fn a_json_array_file_is_one_record_per_object() {
    let from_jsonl = ids_and_tags(&["batch", "-o", "jsonl", "examples/reports.jsonl"], None);
    let from_json = ids_and_tags(&["batch", "-o", "jsonl", "examples/reports.json"], None);
    assert_eq!(from_json.len(), 9);
    assert_eq!(from_json, from_jsonl);
    // Compact, from stdin: found by content.
    let compact: Vec<Value> = std::fs::read_to_string("examples/reports.jsonl")
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let compact = serde_json::to_string(&compact).unwrap();
    let from_stdin = ids_and_tags(&["batch", "-o", "jsonl"], Some(&compact));
    assert_eq!(from_stdin, from_jsonl);
    let pretty = std::fs::read_to_string("examples/reports.json").unwrap();
    let from_stdin = ids_and_tags(&["batch", "-o", "jsonl"], Some(&pretty));
    assert_eq!(from_stdin, from_jsonl);
    let explicit = ids_and_tags(&["batch", "-o", "jsonl", "--input", "json"], Some(&pretty));
    assert_eq!(explicit, from_jsonl);
}

#[test]
fn eval_with_no_gold_record_in_the_data_is_an_error() {
    aitag()
        .args([
            "eval",
            "--gold",
            "tests/data/labels/dev.jsonl",
            "examples/reports.jsonl",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0 of 300 gold records evaluated"));
}
