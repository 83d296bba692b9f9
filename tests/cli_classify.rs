//! `aitag classify`, `aitag taxonomy` and `aitag test` as a user runs them.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn aitag() -> Command {
    let mut cmd = Command::cargo_bin("aitag").unwrap();
    cmd.env_remove("NO_COLOR").env_remove("AITAG_TAXONOMY");
    cmd
}

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
                let (s, e) = (
                    ev["start"].as_u64().unwrap() as usize,
                    ev["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(&text[s..e], ev["text"].as_str().unwrap());
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    assert!(v["overlaps"].is_array());
}

#[test]
fn exit_codes_follow_grep() {
    aitag().args(["classify", INJECTION]).assert().code(0);
    aitag()
        .args(["classify", "The bakery sells fresh bread every morning."])
        .assert()
        .code(1);
    aitag()
        .args(["classify", "--min-confidence", "7", "x"])
        .assert()
        .code(2);
    aitag().args(["no-such-command"]).assert().code(2);
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
fn human_output_shows_tag_rule_reason_and_overlap() {
    aitag()
        .args(["classify", INJECTION])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("security"))
        .stdout(predicate::str::contains("security.prompt-injection"))
        .stdout(predicate::str::contains("overlap prompt-injection"));
}

#[test]
fn explain_shows_negated_evidence_and_its_trigger() {
    aitag()
        .args([
            "classify",
            "--explain",
            "There was no evidence that the chatbot was hacked.",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("negated"))
        .stdout(predicate::str::contains(
            "\"hacked\" is negated by \"no evidence\"",
        ));
    let json = aitag()
        .args([
            "classify",
            "--explain",
            "-o",
            "json",
            "There was no evidence that the chatbot was hacked.",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["tags"].as_array().unwrap().len(), 0);
    assert_eq!(
        v["negated"][0]["negated"][0]["trigger"]["text"],
        "no evidence"
    );
}

#[test]
fn broken_taxonomy_is_an_error_with_a_location() {
    let dir = tempdir();
    let bad_yaml = dir.join("bad.yaml");
    std::fs::write(&bad_yaml, "tags:\n  - id: x\n    name: [unclosed\n").unwrap();
    aitag()
        .args(["--taxonomy", bad_yaml.to_str().unwrap(), "classify", "text"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml:"))
        .stderr(predicate::str::is_match(r"bad\.yaml:\d+:\d+").unwrap());

    let unknown_tag = dir.join("unknown.yaml");
    std::fs::write(
        &unknown_tag,
        "tags:\n  - id: a\n    name: A\n    definition: d\nrules:\n  - id: r1\n    tag: nope\n    weight: 0.5\n    because: b\n    when: { phrase: x }\n",
    )
    .unwrap();
    aitag()
        .args(["--taxonomy", unknown_tag.to_str().unwrap(), "test"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown.yaml:6:"))
        .stderr(predicate::str::contains("unknown tag `nope`"));

    let bad_regex = dir.join("regex.yaml");
    std::fs::write(
        &bad_regex,
        "tags:\n  - id: a\n    name: A\n    definition: d\nrules:\n  - id: r1\n    tag: a\n    weight: 0.5\n    because: b\n    when: { regex: 'a(b' }\n",
    )
    .unwrap();
    aitag()
        .args(["--taxonomy", bad_regex.to_str().unwrap(), "classify", "ab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("regex.yaml:6:"))
        .stderr(predicate::str::contains("invalid regex"));

    aitag()
        .args([
            "--taxonomy",
            dir.join("missing.yaml").to_str().unwrap(),
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
    // (tests/lint_and_silence.rs) until the built-in rules are clean of it.
    aitag()
        .args(["test", "--no-lint"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(", 0 failed"));
}

#[test]
fn aitag_test_reports_a_failing_example() {
    let dir = tempdir();
    let file = dir.join("t.yaml");
    std::fs::write(
        &file,
        "tags:\n  - id: a\n    name: A\n    definition: d\nrules:\n  - id: r1\n    tag: a\n    weight: 0.9\n    because: b\n    when: { phrase: leak }\n    examples:\n      fires: [the weights leaked, nothing here]\n      silent: [a quiet day]\n",
    )
    .unwrap();
    aitag()
        .args(["--taxonomy", file.to_str().unwrap(), "test"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL r1 should fire"))
        .stdout(predicate::str::contains("nothing here"))
        .stdout(predicate::str::contains("2 passed, 1 failed"));
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "aitag-test-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}
