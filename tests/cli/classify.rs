//! `aitag classify`, `aitag taxonomy` and `aitag test` as a user runs them.
//! Exit codes and the exact output of fixed texts are CLI cases in tests/cmd/
//! (classify-*, test-failing-example); these are the checks a case cannot
//! state: output compared between invocations, offsets, escape codes.

use crate::common::{aitag, quoted, tempdir};
use predicates::prelude::*;
use serde_json::Value;

const INJECTION: &str = "An attacker used prompt injection to make the assistant email the user's private files to him.";

#[test]
fn text_from_arguments_and_from_stdin_give_the_same_tags() {
    let args = aitag()
        .args(["classify", "--output", "json", INJECTION])
        .output()
        .unwrap();
    let stdin = aitag()
        .args(["classify", "--output", "json"])
        .write_stdin(INJECTION)
        .output()
        .unwrap();
    let dash = aitag()
        .args(["classify", "--output", "json", "-"])
        .write_stdin(INJECTION)
        .output()
        .unwrap();
    assert!(args.status.success());
    assert_eq!(args.stdout, stdin.stdout);
    assert_eq!(args.stdout, dash.stdout);
}

#[test]
fn several_arguments_are_one_text() {
    let joined = aitag()
        .args(["classify", "-o", "json", INJECTION])
        .output()
        .unwrap();
    let (a, b) = INJECTION.split_at(INJECTION.find("make").unwrap());
    let split = aitag()
        .args(["classify", "-o", "json", a.trim_end(), b])
        .output()
        .unwrap();
    assert_eq!(joined.stdout, split.stdout);
}

#[test]
fn json_offsets_point_at_the_quoted_text() {
    // Non-ASCII before the evidence checks that offsets are bytes of the original.
    let text = "Ünïcode prelude — “quotes”. Hackers stole the model weights and leaked them; the chatbot was jailbroken.";
    let out = aitag()
        .args(["classify", "--output", "json", text])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("classify prints one JSON object");
    let tags = v["tags"].as_array().unwrap();
    assert!(!tags.is_empty());
    let mut checked = 0;
    for tag in tags {
        assert!(tag["tag"].is_string() && tag["confidence"].is_f64());
        assert!(tag.get("parent").is_some());
        for reason in tag["reasons"].as_array().unwrap() {
            assert!(reason["rule"].is_string() && reason["because"].is_string());
            for ev in reason["evidence"].as_array().unwrap() {
                quoted(text, ev);
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    assert!(v["overlaps"].is_array());
}

#[test]
fn color_never_prints_no_escape_codes_and_always_does() {
    let never = aitag()
        .args(["--color", "never", "classify", INJECTION])
        .output()
        .unwrap();
    assert!(
        !never.stdout.contains(&0x1b),
        "escape code with --color never"
    );
    assert!(String::from_utf8_lossy(&never.stdout).contains("[prompt injection]"));
    let always = aitag()
        .args(["--color", "always", "classify", INJECTION])
        .output()
        .unwrap();
    assert!(
        always.stdout.contains(&0x1b),
        "no colour with --color always"
    );
    // auto: stdout is a pipe here, so no colour
    let auto = aitag().args(["classify", INJECTION]).output().unwrap();
    assert!(!auto.stdout.contains(&0x1b));
}

#[test]
fn broken_taxonomy_is_an_error_with_a_location() {
    let dir = tempdir();
    let bad_yaml = dir.path().join("bad.yaml");
    std::fs::write(&bad_yaml, "tags:\n  - id: x\n    name: [unclosed\n").unwrap();
    aitag()
        .args(["--taxonomy", bad_yaml.to_str().unwrap(), "classify", "text"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml:"))
        .stderr(predicate::str::is_match(r"bad\.yaml:\d+:\d+").unwrap());

    let unknown_tag = dir.path().join("unknown.yaml");
    std::fs::write(
        &unknown_tag,
        "tags:\n  - id: a\n    name: A\n    definition: d\nrules:\n  - id: r1\n    tag: nope\n    weight: 0.5\n    because: b\n    when: { phrase: x }\n",
    )
    .unwrap();
    aitag()
        .args(["--taxonomy", unknown_tag.to_str().unwrap(), "test"])
        .assert()
        .code(2)
        // At the `tag:` key itself, not at the rule's first line.
        .stderr(predicate::str::contains("unknown.yaml:7:5:"))
        .stderr(predicate::str::contains("unknown tag `nope`"));

    let bad_regex = dir.path().join("regex.yaml");
    std::fs::write(
        &bad_regex,
        "tags:\n  - id: a\n    name: A\n    definition: d\nrules:\n  - id: r1\n    tag: a\n    weight: 0.5\n    because: b\n    when: { regex: 'a(b' }\n",
    )
    .unwrap();
    aitag()
        .args(["--taxonomy", bad_regex.to_str().unwrap(), "classify", "ab"])
        .assert()
        .code(2)
        // At the `regex:` key, with the rule's id.
        .stderr(predicate::str::contains("regex.yaml:10:13:"))
        .stderr(predicate::str::contains("rule `r1`: invalid regex"));

    aitag()
        .args([
            "--taxonomy",
            dir.path().join("missing.yaml").to_str().unwrap(),
            "classify",
            "x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.yaml"));
}

#[test]
fn taxonomy_prints_the_tree_and_patterns() {
    aitag()
        .args(["taxonomy"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("alignment"))
        .stdout(predicate::str::contains("outer-alignment"))
        .stdout(predicate::str::contains("reward hacking"));
    let out = aitag().args(["taxonomy", "--patterns"]).output().unwrap();
    let patterns = String::from_utf8(out.stdout).unwrap();
    assert!(patterns.lines().count() > 100);
    for line in patterns.lines() {
        regex::Regex::new(line).unwrap_or_else(|e| panic!("pattern {line:?} is not a regex: {e}"));
    }
}

#[test]
fn aitag_test_passes_on_the_default_taxonomy() {
    // The examples and the silence corpus; the lint is checked on fixtures
    // (tests/cli/lint_and_silence.rs) until the built-in rules are clean of it.
    aitag()
        .args(["test", "--no-lint"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(", 0 failed"));
}
