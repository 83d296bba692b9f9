//! The learned layer as users meet it: the built-in model reproduces from the
//! training labels, `--no-model` is exactly the rules, model reasons point at
//! the text, and a curator fits and checks a model for a taxonomy of their own.

use crate::common::{AIID, EVAL_TAXONOMY, LabeledSet, assert_exit_0, incidents, jsonl, tempdir};
use aitag::Engine;
use aitag::model::Model;
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn aitag() -> Command {
    let mut cmd = crate::common::aitag();
    cmd.args(["--color", "never"]);
    cmd
}

#[test]
fn the_built_in_model_is_what_scripts_fit_model_sh_writes() {
    let args = std::fs::read_to_string("scripts/fit-model.args").unwrap();
    let out = aitag()
        .arg("--no-model")
        .arg("fit")
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert_exit_0(&out, "aitag");
    let committed = std::fs::read_to_string("models/default.json").unwrap();
    assert!(
        out.stdout == committed.as_bytes(),
        "models/default.json is not what the rules and labels fit now (rules or labels \
         changed, or the file was edited by hand): run scripts/fit-model.sh and commit \
         models/default.json"
    );
}

/// `--no-model` and `settings: model: false` give the rules' own output, the
/// library's rule-only engine's, byte for byte; the default (with the model)
/// differs, so the comparison can fail.
#[test]
fn without_the_model_the_output_is_the_rules_output() {
    let run = |extra: &[&str], env: Option<&Path>| {
        let mut cmd = aitag();
        if let Some(dir) = env {
            cmd.env("AITAG_TAXONOMY", dir);
        }
        let out = cmd
            .args(extra)
            .args(["batch", "--explain", "-o", "jsonl", "-j", "2", AIID])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    let no_model = run(&["--no-model"], None);
    let dir = tempdir();
    copy_dir(Path::new("taxonomy"), dir.path());
    let tags = dir.path().join("tags.yaml");
    let yaml = std::fs::read_to_string(&tags).unwrap();
    assert!(
        yaml.contains("settings:\n"),
        "tags.yaml has a settings block"
    );
    std::fs::write(
        &tags,
        yaml.replace("settings:\n", "settings:\n  model: false\n"),
    )
    .unwrap();
    let setting_off = run(&[], Some(dir.path()));
    assert!(
        no_model == setting_off,
        "--no-model and `model: false` differ"
    );
    let with_model = run(&[], None);
    assert!(no_model != with_model, "the model changed nothing");

    let engine = Engine::embedded().unwrap();
    let records = jsonl(&no_model);
    let texts = incidents();
    assert_eq!(records.len(), texts.len());
    for (record, (id, text)) in records.iter().zip(&texts) {
        assert_eq!(record["id"].as_str(), Some(id.as_str()));
        assert_eq!(record["text"].as_str(), Some(text.as_str()), "record {id}");
        let rules = serde_json::to_value(engine.classify(text).tags_written()).unwrap();
        assert_eq!(record["tags"], rules, "record {id}");
    }
    assert!(!String::from_utf8_lossy(&no_model).contains("\"learned\""));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every piece of model evidence is a span of the text, the strongest
/// features first; rule features are named by their rule id.
#[test]
fn model_evidence_points_into_the_text() {
    let taxonomy = aitag::Taxonomy::embedded().unwrap();
    let model = Model::builtin_for(&taxonomy)
        .unwrap()
        .expect("the built-in model fits");
    let engine = Engine::new(taxonomy).unwrap().with_model(Some(model));
    let rule_ids: Vec<String> = engine
        .taxonomy()
        .rules
        .iter()
        .map(|r| r.def.id.clone())
        .collect();
    let (mut reasons, mut learned_only, mut rule_features) = (0, 0, 0);
    for (id, text) in incidents() {
        let c = engine.classify(&text);
        for tag in &c.tags {
            learned_only += usize::from(tag.learned_only);
            if tag.learned_only {
                assert!(c.reasons_of(tag).all(|r| r.learned), "{id}: {tag:?}");
            }
            for r in c.reasons_of(tag).filter(|r| r.learned) {
                reasons += 1;
                assert_eq!(r.rule, format!("model.{}", r.tag));
                assert!(!r.evidence.is_empty() && r.evidence.len() <= 5);
                let weights: Vec<f64> = r.evidence.iter().map(|e| e.weight.unwrap()).collect();
                assert!(
                    weights.windows(2).all(|w| w[0] >= w[1]),
                    "{id}: {weights:?}"
                );
                assert!(weights.iter().all(|&w| w > 0.0));
                for e in &r.evidence {
                    assert_eq!(&text[e.start..e.end], e.text, "{id}");
                    if let Some(f) = &e.feature
                        && !f.starts_with("lexicon:")
                    {
                        assert!(rule_ids.contains(f), "{id}: unknown rule {f}");
                        rule_features += 1;
                    }
                }
            }
        }
    }
    assert!(reasons > 500, "only {reasons} model reasons");
    assert!(learned_only > 10, "only {learned_only} learned-only tags");
    assert!(
        rule_features > 100,
        "only {rule_features} rule features shown"
    );
}

/// Labeled records for the eval fixture taxonomy, whose rules know one word
/// each ("crashed", "hacked", "clickbait"): failures and attacks told in
/// other words, which only a model fit on them can learn.
fn curator_records(variant: usize) -> (String, String) {
    let competence = [
        "The delivery robot dropped the parcel on the road",
        "The translation tool garbled the medical instructions",
        "The scanner misread the label and the dose was wrong",
        "The assistant miscounted the votes in the spreadsheet",
        "The forklift robot dropped a pallet onto the floor",
    ];
    let security = [
        "Intruders breached the server and copied the model",
        "Attackers phished an engineer and breached the cluster",
        "A stolen password let intruders into the training servers",
        "Criminals breached the chatbot backend with a stolen key",
        "Intruders breached the lab network overnight",
    ];
    let neither = [
        "The company announced a new product line",
        "Researchers published a survey of the field",
        "The museum opened an exhibition about computers",
        "The council discussed the budget for next year",
        "Students visited the lab to see the robots",
    ];
    let mut gold = String::new();
    let mut data = String::new();
    let mut id = 0;
    for round in 0..6 {
        for (texts, tags) in [
            (&competence, "[\"competence\"]"),
            (&security, "[\"security\"]"),
            (&neither, "[]"),
        ] {
            for (k, t) in texts.iter().enumerate() {
                id += 1;
                let text = match (round + k + variant) % 3 {
                    0 => format!("{t}."),
                    1 => format!("Reports say {}.", t.to_lowercase()),
                    _ => format!("{t}, officials said on day {round}."),
                };
                gold.push_str(&format!("{{\"id\": {id}, \"tags\": {tags}}}\n"));
                data.push_str(&format!("{{\"id\": {id}, \"text\": \"{text}\"}}\n"));
            }
        }
    }
    (gold, data)
}

#[test]
fn a_curator_fits_a_model_for_their_taxonomy_and_checks_it_with_eval() {
    let (gold, data) = curator_records(0);
    let training = LabeledSet::new(&gold, &data, "data.jsonl");
    let model = training.path("model.json");
    let out = aitag()
        .args(["--taxonomy", EVAL_TAXONOMY, "fit", "--gold"])
        .args([training.gold(), training.data(), "-o"])
        .arg(&model)
        .output()
        .unwrap();
    assert_exit_0(&out, "aitag");
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("90 labeled records"), "{report}");
    assert!(report.contains("combined P R F1"), "{report}");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(file["training"]["records"], 90);
    assert_eq!(file["training"]["labels"]["security"], 30);
    assert!(file["features"].as_array().unwrap().len() > 20);

    // New wordings of the same kinds of record, scored three ways.
    let (gold, data) = curator_records(1);
    let unseen = LabeledSet::new(&gold, &data, "data.jsonl");
    let out = aitag()
        .args(["--taxonomy", EVAL_TAXONOMY, "--model"])
        .arg(&model)
        .args(["eval", "--gold", unseen.gold(), unseen.data(), "-o", "json"])
        .output()
        .unwrap();
    assert_exit_0(&out, "aitag");
    let eval: Value = serde_json::from_slice(&out.stdout).unwrap();
    let layers = eval["layers"]["tags"].as_array().unwrap();
    let row = |tag: &str| layers.iter().find(|r| r["tag"] == tag).unwrap().clone();
    for tag in ["competence", "security"] {
        let r = row(tag);
        let f1 = |layer: &str| r[layer]["f1"].as_f64().unwrap_or(0.0);
        assert!(
            f1("rules") < 0.2,
            "{tag}: the fixture rules hardly know these words: {r}"
        );
        assert!(f1("combined") > 0.8, "{tag}: {r}");
        assert!(f1("model") > 0.8, "{tag}: {r}");
    }

    // The model belongs to that taxonomy: the built-in one refuses it.
    let out = aitag()
        .arg("--model")
        .arg(&model)
        .args(["classify", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fit for another taxonomy"), "{err}");
    // And `AITAG_MODEL` names a model as `--model` does.
    let out = aitag()
        .env("AITAG_MODEL", &model)
        .args([
            "--taxonomy",
            EVAL_TAXONOMY,
            "classify",
            "The delivery robot dropped the parcel.",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("model.competence"), "{text}");
    assert!(text.contains("learned only"), "{text}");
}

#[test]
fn eval_shows_the_three_layers_side_by_side() {
    let out = aitag()
        .args(["eval", "--gold", "tests/data/labels/dev.jsonl", AIID])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("rules-only") && text.contains("model-only"),
        "{text}"
    );
    let without = aitag()
        .args([
            "--no-model",
            "eval",
            "--gold",
            "tests/data/labels/dev.jsonl",
            AIID,
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&without.stdout).contains("model-only"));
}

#[test]
fn an_id_labeled_twice_is_an_error_unless_the_first_label_wins() {
    let (gold, data) = curator_records(0);
    let set = LabeledSet::new(&gold, &data, "data.jsonl");
    // A second gold file that relabels the first ten records as having no tag.
    let relabeled: String = gold
        .lines()
        .take(10)
        .map(|l| format!("{}\"tags\": []}}\n", &l[..l.find("\"tags\"").unwrap()]))
        .collect();
    let second = set.path("second.jsonl");
    std::fs::write(&second, relabeled).unwrap();
    let fit = |extra: &[&str], out: &std::path::Path| {
        aitag()
            .args(["--taxonomy", EVAL_TAXONOMY, "fit"])
            .args(extra)
            .args(["--gold", set.gold(), "--gold"])
            .arg(&second)
            .arg(set.data())
            .arg("-o")
            .arg(out)
            .output()
            .unwrap()
    };

    let out = fit(&[], &set.path("refused.json"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("second.jsonl:1: id `1` is labeled in another gold file too"),
        "{err}"
    );

    let both = set.path("both.json");
    let out = fit(&["--first-label-wins"], &both);
    assert_exit_0(&out, "aitag");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("10 label(s) of ids an earlier gold file"),
        "{report}"
    );
    // The second file's labels were left out: the model is the one of the first alone.
    let alone = set.path("alone.json");
    let out = aitag()
        .args([
            "--taxonomy",
            EVAL_TAXONOMY,
            "fit",
            "--gold",
            set.gold(),
            set.data(),
            "-o",
        ])
        .arg(&alone)
        .output()
        .unwrap();
    assert_exit_0(&out, "aitag");
    assert_eq!(
        std::fs::read(&both).unwrap(),
        std::fs::read(&alone).unwrap()
    );
}
