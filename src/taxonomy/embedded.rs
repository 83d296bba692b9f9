//! The default taxonomy, compiled into the binary so that `aitag` works with no
//! files around it. A test checks that every file under `taxonomy/` is listed.

use super::Source;
use super::schema::EmbeddedFile;
use std::collections::HashMap;

pub const FILES: &[(&str, &str)] = &[
    (
        "taxonomy/tags.yaml",
        include_str!("../../taxonomy/tags.yaml"),
    ),
    (
        "taxonomy/context.yaml",
        include_str!("../../taxonomy/context.yaml"),
    ),
    (
        "taxonomy/lexicons/common.yaml",
        include_str!("../../taxonomy/lexicons/common.yaml"),
    ),
    (
        "taxonomy/lexicons/failures.yaml",
        include_str!("../../taxonomy/lexicons/failures.yaml"),
    ),
    (
        "taxonomy/lexicons/misuse.yaml",
        include_str!("../../taxonomy/lexicons/misuse.yaml"),
    ),
    (
        "taxonomy/rules/alignment.yaml",
        include_str!("../../taxonomy/rules/alignment.yaml"),
    ),
    (
        "taxonomy/rules/outer-alignment.yaml",
        include_str!("../../taxonomy/rules/outer-alignment.yaml"),
    ),
    (
        "taxonomy/rules/inner-alignment.yaml",
        include_str!("../../taxonomy/rules/inner-alignment.yaml"),
    ),
    (
        "taxonomy/rules/moral-philosophy.yaml",
        include_str!("../../taxonomy/rules/moral-philosophy.yaml"),
    ),
    (
        "taxonomy/rules/competence.yaml",
        include_str!("../../taxonomy/rules/competence.yaml"),
    ),
    (
        "taxonomy/rules/governance.yaml",
        include_str!("../../taxonomy/rules/governance.yaml"),
    ),
    (
        "taxonomy/rules/resilience.yaml",
        include_str!("../../taxonomy/rules/resilience.yaml"),
    ),
    (
        "taxonomy/rules/security.yaml",
        include_str!("../../taxonomy/rules/security.yaml"),
    ),
];

pub fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            text: (*text).into(),
        })
        .collect()
}

/// The files above as build.rs parsed them, by name (see build.rs for why).
const PARSED: &str = include_str!(concat!(env!("OUT_DIR"), "/taxonomy.json"));

/// The build-time parse of every embedded file that parsed; a file missing
/// here is parsed from its YAML, which reports its mistakes with locations.
pub fn parsed() -> HashMap<String, EmbeddedFile> {
    serde_json::from_str(PARSED).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::schema::FileDef;
    use super::*;

    #[test]
    fn build_time_parse_is_the_yaml() {
        let parsed = parsed();
        assert_eq!(parsed.len(), FILES.len(), "build.rs parsed every file");
        for (name, text) in FILES {
            let from_yaml: FileDef = if text.trim().is_empty() {
                FileDef::default()
            } else {
                serde_yaml::from_str(text).unwrap()
            };
            let from_json = &parsed.get(*name).expect("parsed at build time").file;
            assert_eq!(
                serde_json::to_value(from_json).unwrap(),
                serde_json::to_value(&from_yaml).unwrap(),
                "{name}"
            );
        }
    }
}
