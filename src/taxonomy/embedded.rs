//! The default taxonomy, compiled into the binary so that `aitag` works with no
//! files around it. A test checks that every file under `taxonomy/` is listed.

use super::Source;

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
            text: text.to_string(),
        })
        .collect()
}
