//! The default taxonomy, compiled into the binary so that `aitag` works with no
//! files around it. A test checks that every file under `taxonomy/` is embedded.

use super::Source;
use super::schema::EmbeddedFile;
use std::collections::HashMap;

// `FILES`: every `*.yaml` file under `taxonomy/` with its text, listed by
// build.rs, so that a new file (a silence corpus, a lexicon) is embedded
// without being named here.
include!(concat!(env!("OUT_DIR"), "/files.rs"));

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
