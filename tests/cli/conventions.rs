//! What a newcomer expects of a command-line tool (ripgrep, Vale, Semgrep):
//! closed pipes, `-j 0`, files as input, help, man pages, completions,
//! adding rules to the built-in taxonomy, and saying when a text is not English.
//! The help texts, usage errors and the output of fixed texts are CLI cases
//! in tests/cmd/.

use crate::common::{aitag, bin, process, tempdir, unset_env};
use predicates::prelude::*;
use std::process::Stdio;

/// Runs aitag with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = process()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_is_quiet_and_exit_0_for_every_subcommand() {
    let cases: &[&[&str]] = &[
        &["test", "-o", "json"],
        &["test"],
        &["taxonomy", "-o", "json"],
        &["taxonomy", "--patterns"],
        &["completions", "bash"],
        &["man"],
        &[
            "eval",
            "-o",
            "json",
            "--gold",
            "tests/data/labels/dev.jsonl",
            "tests/data/aiid/incidents.jsonl",
        ],
        &["classify", "-o", "json", "Hackers stole the model weights."],
    ];
    for args in cases {
        let (code, stderr) = with_closed_stdout(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn jobs_0_means_all_cores() {
    aitag()
        .args(["batch", "-j", "0", "-o", "jsonl", "examples/reports.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"id\""));
}

#[test]
fn classify_reads_files_with_f_and_says_when_a_path_was_read_as_text() {
    let from_file = aitag()
        .args(["classify", "-o", "json", "-f", "examples/incident.txt"])
        .output()
        .unwrap();
    let text = std::fs::read_to_string("examples/incident.txt").unwrap();
    let from_arg = aitag()
        .args(["classify", "-o", "json", &text])
        .output()
        .unwrap();
    assert_eq!(from_file.stdout, from_arg.stdout);
    assert!(String::from_utf8_lossy(&from_file.stdout).contains("\"tag\""));

    aitag()
        .args(["classify", "-f", "-"])
        .write_stdin(text.as_bytes())
        .assert()
        .success();

    aitag()
        .args(["classify", "examples/incident.txt"])
        .assert()
        .stderr(predicate::str::contains(
            "aitag classify -f examples/incident.txt",
        ));
}

#[test]
fn the_man_page_has_exit_status_environment_formats_and_examples() {
    let out = aitag().arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    for section in [
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        "AITAG_TAXONOMY",
        "NO_COLOR",
        ".SH \"INPUT FORMATS\"",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "{section}");
    }
}

#[test]
fn man_dir_writes_every_page() {
    let dir = tempdir();
    aitag()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for name in [
        "aitag",
        "aitag-classify",
        "aitag-batch",
        "aitag-eval",
        "aitag-test",
    ] {
        let page = std::fs::read_to_string(dir.path().join(format!("{name}.1"))).unwrap();
        assert!(page.contains(".SH \"EXIT STATUS\""), "{name}");
    }
}

#[test]
fn completions_offer_tag_ids_and_subcommand_names() {
    for shell in ["bash", "zsh", "fish"] {
        let out = aitag().args(["completions", shell]).output().unwrap();
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("outer-alignment"), "{shell}");
        assert!(script.contains("moral-philosophy"), "{shell}");
    }
    // `man COMMAND` and `help COMMAND` complete to the subcommand names.
    let out = aitag().args(["completions", "zsh"]).output().unwrap();
    let script = String::from_utf8(out.stdout).unwrap();
    let lists = script
        .lines()
        .filter(|l| {
            l.contains("::command")
                && l.contains("(classify taxonomy test lint batch completions man help eval fit)")
        })
        .count();
    assert_eq!(lists, 2, "{script}");
}

const ADDED_RULE: &str = r#"
rules:
  - id: security.test-added-rule
    tag: security
    weight: 0.9
    because: A made-up rule added on top of the built-in taxonomy for a test.
    when:
      phrase: zorblax exploit
    examples:
      fires:
        - Someone ran a zorblax exploit against the assistant.
      silent:
        - The assistant answered a question.
        - An exploit of the old kind hit the model.
"#;

#[test]
fn rules_add_to_the_built_in_taxonomy_and_can_be_repeated() {
    let dir = tempdir();
    let one = dir.path().join("one.yaml");
    std::fs::write(&one, ADDED_RULE).unwrap();
    let two = dir.path().join("two.yaml");
    std::fs::write(
        &two,
        ADDED_RULE
            .replace("test-added-rule", "test-second-rule")
            .replace("zorblax", "quibbix"),
    )
    .unwrap();
    let out = aitag()
        .args(["classify", "-o", "json", "--rules"])
        .arg(&one)
        .arg("--rules")
        .arg(&two)
        .arg("A zorblax exploit and a quibbix exploit hit the model.")
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(json.contains("security.test-added-rule"), "{json}");
    assert!(json.contains("security.test-second-rule"), "{json}");
    // The built-in rules are still there.
    aitag()
        .args(["classify", "--rules"])
        .arg(&one)
        .arg("Hackers stole the model weights and leaked them online.")
        .assert()
        .success()
        .stdout(predicate::str::contains("security.weights-stolen"));
    aitag()
        .args(["test", "--rules"])
        .arg(&one)
        .assert()
        .success();
}

const FRENCH: &str = "Des pirates ont volé les poids du modèle et les ont publiés en ligne sans \
                      autorisation, puis le système a continué à répondre aux utilisateurs.";
const CHINESE: &str = "黑客窃取了模型权重并将其发布到网上，公司没有及时发现这次泄露。";

#[test]
fn a_text_that_is_not_english_gets_a_warning() {
    for text in [FRENCH, CHINESE] {
        aitag()
            .args(["classify", text])
            .assert()
            .stderr(predicate::str::contains("does not look like English").count(1));
    }
    aitag()
        .args([
            "classify",
            "Hackers stole the model weights and leaked them online.",
        ])
        .assert()
        .stderr(predicate::str::contains("English").not());
}

#[test]
fn batch_summary_counts_texts_that_are_not_english() {
    let input =
        format!("{FRENCH}\n{CHINESE}\nHackers stole the model weights and leaked them online.\n");
    aitag()
        .args(["batch", "--input", "lines", "--summary", "-o", "jsonl"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 records do not look like English",
        ));
}

#[test]
fn taxonomy_errors_point_at_the_bad_key_and_suggest_near_names() {
    let dir = tempdir();
    let file = dir.path().join("extra.yaml");
    let rule = "rules:\n  - id: security.typo\n    tag: security\n    weight: 0.5\n    because: b\n    when:\n      all:\n        - phrase: model\n        - lexicon: prompt_injectoin\n";
    std::fs::write(&file, rule).unwrap();
    aitag()
        .args(["test", "--rules"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extra.yaml:9:11: rule `security.typo`: unknown lexicon `prompt_injectoin`; did you mean `prompt_injection`?"));
    std::fs::write(
        &file,
        rule.replace("lexicon: prompt_injectoin", "lexicn: prompt_injection"),
    )
    .unwrap();
    aitag()
        .args(["test", "--rules"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extra.yaml:9:11:"))
        .stderr(predicate::str::contains("did you mean `lexicon`?"));
}

#[test]
fn patterns_with_source_name_the_rules_and_lexicons_of_each_pattern() {
    let plain = aitag().args(["taxonomy", "--patterns"]).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    let tsv = aitag()
        .args(["taxonomy", "--patterns", "--with-source"])
        .output()
        .unwrap();
    let tsv = String::from_utf8(tsv.stdout).unwrap();
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some("pattern\tsources"));
    let rows: Vec<(&str, &str)> = lines.map(|l| l.split_once('\t').unwrap()).collect();
    let patterns: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(patterns, plain.lines().collect::<Vec<_>>());
    assert!(rows.iter().all(|r| !r.1.is_empty()));
    assert!(rows.iter().any(|r| r.1.contains("lexicon ")));
    assert!(
        rows.iter()
            .any(|r| r.1.split(',').any(|s| s == "security.weights-stolen"))
    );
}

#[test]
fn one_rule_is_one_rule_and_negated_evidence_is_listed_once() {
    let dir = tempdir();
    let file = dir.path().join("tag.yaml");
    std::fs::write(
        &file,
        "tags:\n  - id: extra\n    name: Extra\n    definition: A tag for a test.\n\
         rules:\n  - id: extra.one\n    tag: extra\n    weight: 0.9\n    because: b\n    when: { phrase: zorblax }\n",
    )
    .unwrap();
    aitag()
        .arg("taxonomy")
        .arg("--rules")
        .arg(&file)
        .assert()
        .stdout(predicate::str::contains("(1 rule)"))
        .stdout(predicate::str::contains("(1 rules)").not());
    let out = aitag()
        .args([
            "classify",
            "--explain",
            "There was no evidence that hackers stole the model weights.",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.matches("\"stole\" is negated by \"no evidence\"")
            .count(),
        1,
        "{text}"
    );
}

#[test]
fn pipelines_sh_finds_aitag_on_the_path_without_aitag_set() {
    if std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("jq is not installed; pipelines.sh needs it");
        return;
    }
    let dir = bin().parent().unwrap().to_path_buf();
    let out = unset_env(&mut std::process::Command::new("bash"))
        .arg("examples/pipelines.sh")
        .env_remove("AITAG")
        .env("PATH", format!("{}:/usr/bin:/bin", dir.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("R6"));
}
