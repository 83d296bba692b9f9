//! docs/tags.md is the in-repository statement of what every tag means; it
//! must cover every tag of the built-in taxonomy, and rule writers must be
//! pointed to it and to the labels' rationales.

use std::collections::HashSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_tag_is_defined_in_docs_tags_md() {
    let doc = read("docs/tags.md");
    let taxonomy = aitag::Taxonomy::embedded().unwrap();
    for tag in &taxonomy.tags {
        let heading = format!("**`{}`**", tag.id);
        assert!(
            doc.contains(&heading),
            "docs/tags.md does not define {}",
            tag.id
        );
    }
    for section in ["## Boundary cases", "## How the labels were made"] {
        assert!(doc.contains(section), "{section}");
    }
}

#[test]
fn rule_writers_are_pointed_to_the_definitions() {
    assert!(read("README.md").contains("[docs/tags.md](docs/tags.md)"));
    assert!(read("taxonomy/tags.yaml").contains("docs/tags.md"));
    assert!(read("tests/data/labels/README.md").contains("docs/tags.md"));
}

#[test]
fn the_rationales_of_the_dev_labels_are_in_the_repository() {
    let ids = |text: &str| -> HashSet<String> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["id"].to_string()
            })
            .collect()
    };
    let gold = ids(&read("tests/data/labels/dev.jsonl"));
    let rationales = read("tests/data/labels/dev_rationales.jsonl");
    assert_eq!(ids(&rationales), gold);
    let first: serde_json::Value =
        serde_json::from_str(rationales.lines().next().unwrap()).unwrap();
    assert!(first["passes"][0]["why"].is_string());
}
