//! Lexicons that include lexicons, the rule lint and the silence corpus, on
//! small fixture taxonomies.

use crate::common::{aitag, tempdir};
use predicates::prelude::*;
use std::path::Path;
use tempfile::TempDir;

const TAGS: &str = "tags:\n  - id: security\n    name: Security\n    definition: d\n";

/// A taxonomy directory with `tags.yaml` and the given files.
fn taxonomy(files: &[(&str, &str)]) -> TempDir {
    let dir = tempdir();
    std::fs::write(dir.path().join("tags.yaml"), TAGS).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    aitag()
        .arg("--taxonomy")
        .arg(dir)
        .args(args)
        .arg("--color=never")
        .assert()
}

const RULE: &str = "rules:
  - id: security.theft
    tag: security
    weight: 0.9
    because: weights were taken
    when:
      all:
        - lexicon: taking
        - lexicon: ml_assets
    examples:
      fires: [Hackers stole the model weights., Someone exfiltrated a checkpoint.]
      silent: [The model weights were published., A thief stole a bicycle.]
";

const LEXICONS: &str = "lexicons:
  theft_verbs:
    - steal
    - exfiltrate
  leak_verbs:
    - leak
  taking:
    - { lexicon: theft_verbs }
    - lexicon: leak_verbs
  ml_assets:
    - model weights
    - checkpoint
";

#[test]
fn a_lexicon_includes_other_lexicons() {
    let dir = taxonomy(&[("rules.yaml", RULE), ("lexicons.yaml", LEXICONS)]);
    for text in [
        "Hackers stole the model weights.",
        "An insider leaked a checkpoint.",
        "They exfiltrated model weights.",
    ] {
        run(dir.path(), &["classify", text])
            .code(0)
            .stdout(predicate::str::contains("security"));
    }
    run(dir.path(), &["test"]).code(0);
}

#[test]
fn unknown_and_cyclic_includes_are_located_errors() {
    let unknown = "lexicons:\n  a:\n    - x\n    - { lexicon: nowhere }\n";
    let dir = taxonomy(&[("lexicons.yaml", unknown)]);
    run(dir.path(), &["classify", "x"])
        .code(2)
        .stderr(predicate::str::is_match(r"lexicons\.yaml:4:\d+").unwrap())
        .stderr(predicate::str::contains("unknown lexicon `nowhere`"));

    let cycle =
        "lexicons:\n  a:\n    - x\n    - { lexicon: b }\n  b:\n    - y\n    - { lexicon: a }\n";
    let dir = taxonomy(&[("lexicons.yaml", cycle)]);
    run(dir.path(), &["classify", "x"])
        .code(2)
        .stderr(predicate::str::is_match(r"lexicons\.yaml:7:\d+").unwrap())
        .stderr(predicate::str::contains("cycle: a -> b -> a"));
}

const MESSY: &str = "lexicons:
  ml_assets:
    - model weights
    - model weight
    - checkpoint
  orphan:
    - nothing
    - false
rules:
  - id: security.messy
    tag: security
    weight: 0.9
    because: b
    when:
      all:
        - lexicon: ml_assets
        - phrase: [stole, leaked, dangerous roads dangerous road, checkpoint, exfiltrated, copied, took, 1]
    examples:
      fires: [Hackers stole the model weights.]
      silent: [The model weights were published.]
";

#[test]
fn the_lint_reports_each_kind_of_finding_at_its_line() {
    let dir = taxonomy(&[("messy.yaml", MESSY)]);
    let out = run(dir.path(), &["lint"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for expected in [
        "messy.yaml:4: lint redundant-form: `model weight` matches what `model weights` matches",
        "messy.yaml:6: lint unused-lexicon",
        "messy.yaml:8: lint non-string-scalar: `false`",
        "messy.yaml:17: lint repeated-word: `dangerous roads dangerous road` says `dangerous` twice",
        "messy.yaml:17: lint long-inline-list: an inline list of 8 phrases",
        "messy.yaml:17: lint duplicates-lexicon: `checkpoint` is already in lexicon `ml_assets`",
        "messy.yaml:17: lint non-string-scalar: `1`",
        "messy.yaml:10: lint few-silent-examples: 1 silent example(s)",
    ] {
        assert!(out.contains(expected), "{expected:?} not in\n{out}");
    }

    // The same findings as JSON, for working through them.
    let json = run(dir.path(), &["lint", "-o", "json"])
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), out.lines().count() - 1);
    let f = findings
        .iter()
        .find(|f| f["check"] == "repeated-word")
        .unwrap();
    assert_eq!(
        f["file"].as_str().unwrap(),
        dir.path().join("messy.yaml").to_str().unwrap()
    );
    assert_eq!(f["line"], 17);
    assert_eq!(f["subject"], "security.messy");
    assert_eq!(v["counts"]["long-inline-list"], 1);

    // `aitag test` fails on lint findings, and passes without the lint.
    run(dir.path(), &["test"])
        .code(1)
        .stdout(predicate::str::contains("lint: "));
    run(dir.path(), &["test", "--no-lint"]).code(0);
}

#[test]
fn a_clean_taxonomy_has_no_findings() {
    let dir = taxonomy(&[("rules.yaml", RULE), ("lexicons.yaml", LEXICONS)]);
    run(dir.path(), &["lint"])
        .code(0)
        .stdout(predicate::str::contains("lint: no findings"));
}

#[test]
fn no_rule_may_fire_on_the_silence_corpus() {
    let quiet = "silence:\n  - The model weights were published under an open licence.\n  - A thief stole a bicycle from the station.\n";
    let dir = taxonomy(&[
        ("rules.yaml", RULE),
        ("lexicons.yaml", LEXICONS),
        ("silence/near-miss-security.yaml", quiet),
    ]);
    run(dir.path(), &["test"])
        .code(0)
        .stdout(predicate::str::contains(", 0 failed"));

    let loud =
        "silence:\n  - A bicycle was stolen.\n  - Researchers stole a glance at the checkpoint.\n";
    let dir = taxonomy(&[
        ("rules.yaml", RULE),
        ("lexicons.yaml", LEXICONS),
        ("silence/near-miss-security.yaml", loud),
    ]);
    let file = dir.path().join("silence/near-miss-security.yaml");
    run(dir.path(), &["test"])
        .code(1)
        .stdout(predicate::str::contains(format!(
            "FAIL security.theft fired on a sentence of the silence corpus ({}:3:",
            file.display()
        )))
        .stdout(predicate::str::contains("Researchers stole a glance"))
        .stdout(predicate::str::contains("1 failed"));
}
