//! `aitag eval` as a user runs it. The rules come from a tiny fixture taxonomy
//! (tests/data/eval/: one word per rule, with a labeled set, described in its
//! README.md) so that every expected figure here is worked out by hand and
//! does not move when the default rules are tuned. The human, markdown and
//! JSON reports of the fixture are CLI cases (tests/cmd/eval-*.toml).

use crate::common::{EVAL_DATA, EVAL_GOLD, EVAL_TAXONOMY, LabeledSet, assert_exit_0, tempdir};
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn aitag() -> Command {
    let mut cmd = crate::common::aitag();
    cmd.args(["--taxonomy", EVAL_TAXONOMY, "--color", "never"]);
    cmd
}

fn fixture_data() -> String {
    std::fs::read_to_string(EVAL_DATA).unwrap()
}

fn json(cmd: &mut Command) -> (Value, String) {
    let out = cmd.output().unwrap();
    assert_exit_0(&out, "aitag");
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn tag<'v>(report: &'v Value, id: &str) -> &'v Value {
    report["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tag"] == id)
        .unwrap()
}

fn close(v: &Value, expected: f64) -> bool {
    (v.as_f64().unwrap() - expected).abs() < 1e-4
}

#[test]
fn reports_every_figure_on_a_small_labeled_set() {
    let (r, stderr) = json(aitag().args([
        "eval",
        "--gold",
        EVAL_GOLD,
        EVAL_DATA,
        "-o",
        "json",
        "--tags",
        "competence, security",
    ]));

    let c = &r["coverage"];
    assert_eq!(c["gold_records"], 5);
    assert_eq!(c["evaluated"], 4);
    assert_eq!(c["missing"], serde_json::json!(["9"]));
    assert_eq!(c["data_records"], 6);
    assert_eq!(c["not_in_gold"], 1);
    assert_eq!(c["record_errors"], 1);
    assert_eq!(c["duplicates"][0]["id"], "2");
    assert!(
        c["duplicates"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("data.jsonl:7")
    );
    // The bad record is reported on stderr with its file and line.
    assert!(stderr.contains("data.jsonl:4:"), "{stderr}");

    let comp = tag(&r, "competence");
    assert_eq!(
        (&comp["tp"], &comp["fp"], &comp["fn"]),
        (&1.into(), &0.into(), &2.into())
    );
    assert_eq!(comp["support"], 3);
    assert!(close(&comp["precision"], 1.0));
    assert!(close(&comp["recall"], 1.0 / 3.0));
    assert!(close(&comp["f1"], 0.5));
    assert_eq!(comp["missed"]["records"], 2);
    // Missed on 2 (security predicted) and 3 (alignment, outer-alignment predicted).
    let tally: Vec<(String, u64)> = comp["missed"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tag"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tally,
        vec![
            ("alignment".to_string(), 1),
            ("outer-alignment".to_string(), 1),
            ("security".to_string(), 1)
        ]
    );
    let sec = tag(&r, "security");
    assert!(close(&sec["f1"], 2.0 / 3.0));
    assert_eq!(sec["missed"]["none"], 1, "record 5 got no tag at all");
    let outer = tag(&r, "outer-alignment");
    assert_eq!((&outer["fp"], &outer["support"]), (&1.into(), &0.into()));
    assert!(outer["recall"].is_null());
    assert!(close(&outer["f1"], 0.0));
    assert_eq!(outer["spurious"]["tags"][0]["tag"], "competence");

    let av = &r["averages"];
    assert!(close(&av["all"]["macro"]["f1"], (0.5 + 2.0 / 3.0) / 4.0));
    assert_eq!(
        av["with_support"]["tags"],
        serde_json::json!(["competence", "security"])
    );
    assert!(close(
        &av["with_support"]["macro"]["f1"],
        (0.5 + 2.0 / 3.0) / 2.0
    ));
    assert_eq!(
        av["headline"]["tags"],
        serde_json::json!(["competence", "security"])
    );
    assert!(close(
        &av["headline"]["macro"]["f1"],
        (0.5 + 2.0 / 3.0) / 2.0
    ));
    // Micro over all tags: tp 2, fp 2, fn 3.
    assert!(close(&av["all"]["micro"]["precision"], 0.5));
    assert!(close(&av["all"]["micro"]["recall"], 0.4));
    assert_eq!(r["exact_match"]["matched"], 1);
    assert!(close(&r["exact_match"]["ratio"], 0.25));

    assert_eq!(r["records_with_errors"], 3);
    let worst: Vec<&str> = r["worst"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(worst, vec!["3", "2", "5"]);
    assert_eq!(r["worst"][0]["gold"], serde_json::json!(["competence"]));
    assert_eq!(r["worst"][0]["fired"], serde_json::json!(["outer.clicks"]));
    assert_eq!(r["worst"][0]["excerpt"], "The feed pushed clickbait.");
    assert_eq!(r["worst"][2]["fired"], serde_json::json!(["security.weak"]));

    let rule = |id: &str| {
        r["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["rule"] == id)
            .unwrap()
            .clone()
    };
    let clicks = rule("outer.clicks");
    assert_eq!(
        (&clicks["fired"], &clicks["correct"]),
        (&1.into(), &0.into())
    );
    assert_eq!(clicks["false_positive"], 1);
    assert_eq!(clicks["also_supports"][0]["tag"], "alignment");
    // Fired below the threshold on a record whose gold has security.
    let weak = rule("security.weak");
    assert_eq!((&weak["fired"], &weak["correct"]), (&1.into(), &1.into()));
    assert!(close(&weak["precision"], 1.0));
    // The duplicate (same text as record 1) was not classified again.
    assert_eq!(rule("competence.crash")["fired"], 1);
}

#[test]
fn csv_data_with_the_batch_input_options() {
    let data = "key,headline,body\nA,Crash,The car crashed.\nB,Hack,The model was hacked.\n";
    let gold =
        "{\"id\": \"A\", \"tags\": [\"competence\"]}\n{\"id\": \"B\", \"tags\": [\"security\"]}\n";
    let f = LabeledSet::new(gold, data, "data.csv");
    let (r, _) = json(aitag().args([
        "eval",
        "--gold",
        f.gold(),
        f.data(),
        "--id-field",
        "key",
        "--text-field",
        "headline",
        "--text-field",
        "body",
        "-o",
        "json",
    ]));
    assert_eq!(r["coverage"]["evaluated"], 2);
    assert_eq!(r["exact_match"]["matched"], 2);
    assert_eq!(r["worst"][0], Value::Null);
    // Without --text-field the file has no text column: said once, exit 2.
    aitag()
        .args(["eval", "--gold", f.gold(), f.data(), "-o", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("columns: key, headline, body"));
    // Without --id-field the records are named FILE:LINE and match no gold
    // id: nothing was evaluated, which is an error.
    aitag()
        .args(["eval", "--gold", f.gold(), f.data(), "--text-field", "body"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("0 of 2 gold records evaluated"));
}

#[test]
fn several_data_files_and_stdin() {
    let dir = tempdir();
    let extra = dir.path().join("more.jsonl");
    std::fs::write(&extra, "{\"id\": 9, \"text\": \"The car crashed.\"}\n").unwrap();
    let (r, _) = json(aitag().args([
        "eval",
        "--gold",
        EVAL_GOLD,
        EVAL_DATA,
        extra.to_str().unwrap(),
        "-o",
        "json",
    ]));
    assert_eq!(r["coverage"]["evaluated"], 5);
    assert_eq!(r["coverage"]["missing"], serde_json::json!([]));
    let (r, _) = json(
        aitag()
            .args([
                "eval", "--gold", EVAL_GOLD, "-", "--input", "jsonl", "-o", "json",
            ])
            .write_stdin(fixture_data()),
    );
    assert_eq!(r["coverage"]["evaluated"], 4);
}

#[test]
fn worst_and_min_confidence_options() {
    let (r, _) = json(aitag().args([
        "eval", "--gold", EVAL_GOLD, EVAL_DATA, "-o", "json", "--worst", "1",
    ]));
    assert_eq!(r["worst"].as_array().unwrap().len(), 1);
    assert_eq!(r["records_with_errors"], 3);
    // At 0.1 the weak rule alone emits security for record 5.
    let (r, _) = json(aitag().args([
        "eval",
        "--gold",
        EVAL_GOLD,
        EVAL_DATA,
        "-o",
        "json",
        "--min-confidence",
        "0.1",
    ]));
    assert_eq!(tag(&r, "security")["tp"], 2);
    assert_eq!(tag(&r, "security")["fn"], 0);
}

#[test]
fn bad_gold_lines_are_errors_with_file_and_line() {
    let gold =
        "{\"id\": 1, \"tags\": [\"competence\"]}\n{\"id\": 2, \"tags\": [\"competance\"]}\n{oops\n";
    let f = LabeledSet::new(gold, &fixture_data(), "data.jsonl");
    aitag()
        .args(["eval", "--gold", f.gold(), f.data()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "gold.jsonl:2: id `2`: unknown tag `competance`",
        ))
        .stderr(predicate::str::contains("gold.jsonl:3: not valid JSON"));
}

#[test]
fn usage_and_file_errors_exit_2() {
    aitag()
        .args([
            "eval",
            "--gold",
            EVAL_GOLD,
            EVAL_DATA,
            "--tags",
            "competence,securty",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--tags: unknown tag `securty` (the taxonomy's tags are: ",
        ));
    aitag()
        .args(["eval", "--gold", EVAL_GOLD, "no-such-file.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.jsonl"));
    aitag()
        .args(["eval", "--gold", "no-such-gold.jsonl", EVAL_DATA])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-gold.jsonl"));
    aitag().args(["eval", EVAL_DATA]).assert().code(2);
    aitag().args(["eval", "--gold", EVAL_GOLD]).assert().code(2);
}
