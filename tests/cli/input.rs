//! Input a newcomer brings: JSON arrays from pandas and jq, spreadsheets
//! whose columns are not the ones aitag looks for. A UTF-16 file is a CLI
//! case (tests/cmd/batch-utf16.toml).

use crate::common::{aitag, tempdir};
use predicates::prelude::*;
use serde_json::Value;

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

#[test]
fn a_csv_without_a_text_column_is_reported_once_with_its_columns() {
    let dir = tempdir();
    let path = dir.path().join("export.csv");
    let mut csv = String::from("incident_id,summary\n");
    for i in 0..50 {
        csv.push_str(&format!("{i},Hackers stole the model weights.\n"));
    }
    std::fs::write(&path, csv).unwrap();
    let out = aitag().arg("batch").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("columns: incident_id, summary; use --text-field summary"),
        "{stderr}"
    );
    // An --id-field no row has: one warning, and the rows are still read.
    let out = aitag()
        .args([
            "batch",
            "-o",
            "jsonl",
            "--text-field",
            "summary",
            "--id-field",
            "key",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.matches("--id-field: no column `key`").count(),
        1,
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 50);
}

#[test]
fn keep_copies_input_fields_into_every_output_format() {
    let out = aitag()
        .args([
            "batch",
            "-o",
            "jsonl",
            "--keep",
            "date",
            "examples/reports.jsonl",
        ])
        .output()
        .unwrap();
    let first: Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["fields"]["date"], "2024-03-02");
    let out = aitag()
        .args([
            "batch",
            "-o",
            "csv",
            "--keep",
            "date",
            "examples/reports.csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,date,tags,"));
    assert!(lines.next().unwrap().starts_with("R1,2024-03-02,"));
    // A kept field named like an output column: tests/cmd/batch-keep-column.toml.
}

#[test]
fn confidence_columns_are_always_floats() {
    let out = aitag()
        .args(["batch", "-o", "csv", "examples/reports.csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "inner-alignment").unwrap();
    for row in csv.lines().skip(1).filter(|l| !l.contains("expected")) {
        let cell = row.split(',').nth(col).unwrap();
        assert!(cell.is_empty() || cell.contains('.'), "{row}");
    }
}

#[test]
fn the_same_error_in_every_jsonl_record_is_not_said_once_per_record() {
    let mut jsonl = String::new();
    for i in 0..40 {
        jsonl.push_str(&format!(
            "{{\"key\": {i}, \"body\": \"Hackers stole the model weights.\"}}\n"
        ));
    }
    let out = aitag()
        .args([
            "batch",
            "-o",
            "jsonl",
            "--input",
            "jsonl",
            "--text-field",
            "summary",
        ])
        .write_stdin(jsonl.clone())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.lines().count() <= 5, "{stderr}");
    assert!(
        stderr.contains("and 37 more records with the same error: missing text field `summary`"),
        "{stderr}"
    );
    // Every record still has its error record in the output.
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 40);

    let out = aitag()
        .args([
            "batch",
            "-o",
            "jsonl",
            "--input",
            "jsonl",
            "--text-field",
            "body",
            "--id-field",
            "id",
        ])
        .write_stdin(jsonl)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr
            .matches("--id-field: no record has a field `id`")
            .count(),
        1,
        "{stderr}"
    );
}

/// A `--text-field` that no record of a JSONL file has is said once for the
/// file; every record still gets its error record, and the per-record
/// messages stop after a few.
#[test]
fn a_text_field_no_jsonl_record_has_is_one_warning_for_the_file() {
    let lines: String = (0..50)
        .map(|i| format!("{{\"id\": {i}, \"body\": \"Hackers stole the model weights.\"}}\n"))
        .collect();
    let out = aitag()
        .args(["batch", "-i", "jsonl", "--text-field", "summary"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 50);
    assert!(stdout.lines().all(|l| l.contains("\"error\"")), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains("no record has the field `summary`"),
        "{stderr}"
    );
    assert!(stderr.lines().count() <= 6, "{stderr}");
    // One record with the field: no warning, the others are still errors.
    let mixed = "{\"body\": \"x\"}\n{\"summary\": \"Hackers stole the model weights.\"}\n";
    let out = aitag()
        .args(["batch", "-i", "jsonl", "--text-field", "summary"])
        .write_stdin(mixed)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("missing text field `summary`"), "{stderr}");
}
