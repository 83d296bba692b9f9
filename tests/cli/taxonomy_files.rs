//! The default taxonomy on disk and the one embedded in the binary are the same.

use aitag::Taxonomy;
use std::path::Path;

fn yaml_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path.to_str().unwrap().to_string());
        }
    }
}

#[test]
fn every_taxonomy_file_is_embedded() {
    let mut on_disk = Vec::new();
    yaml_files(Path::new("taxonomy"), &mut on_disk);
    on_disk.sort();
    let mut embedded: Vec<String> = Taxonomy::embedded_file_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "add new taxonomy files to src/taxonomy/embedded.rs"
    );
}

#[test]
fn loading_the_directory_gives_the_embedded_taxonomy() {
    let from_dir = Taxonomy::from_path(Path::new("taxonomy")).unwrap();
    let embedded = Taxonomy::embedded().unwrap();
    let ids = |t: &Taxonomy| t.rules.iter().map(|r| r.def.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_dir).len(), ids(&embedded).len());
    let mut a = ids(&from_dir);
    let mut b = ids(&embedded);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(from_dir.tags.len(), 8);
}

#[test]
fn rules_name_kinds_of_failure_not_companies() {
    // Rules must generalise beyond the incidents they were tuned on, so no
    // trigger may name a company or product. This list is a tripwire for the
    // most common names in incident reports, not a complete one.
    let names = [
        "google",
        "youtube",
        "facebook",
        "meta",
        "instagram",
        "tiktok",
        "amazon",
        "alexa",
        "microsoft",
        "openai",
        "chatgpt",
        "gpt-4",
        "tesla",
        "uber",
        "waymo",
        "apple",
        "siri",
        "twitter",
        "x.com",
        "grok",
        "gemini",
        "bard",
        "claude",
        "anthropic",
        "replika",
        "clearview",
        "palantir",
        "ibm",
        "nvidia",
        "deepmind",
        "midjourney",
        "stable diffusion",
        "dall-e",
        "copilot",
        "bing",
        "tay",
    ];
    let t = Taxonomy::embedded().unwrap();
    let mut phrases: Vec<String> = t
        .lexicons
        .values()
        .flat_map(|l| l.phrases.iter().cloned())
        .collect();
    for rule in &t.rules {
        let yaml = serde_yaml::to_string(&rule.def.when).unwrap();
        phrases.extend(
            yaml.lines()
                .map(|l| l.trim().trim_start_matches("- ").to_string()),
        );
    }
    let patterns: Vec<(regex::Regex, &str)> = names
        .iter()
        .map(|n| {
            (
                regex::Regex::new(&format!(r"\b{}\b", regex::escape(n))).unwrap(),
                *n,
            )
        })
        .collect();
    for p in phrases {
        let p = p.to_lowercase();
        for (re, name) in &patterns {
            assert!(!re.is_match(&p), "trigger `{p}` names `{name}`");
        }
    }
}
