//! The model file: documented JSON (docs/model.md), written so that the same
//! fit gives the same bytes. Weights are rounded to four decimals and each
//! feature is one line, so a refit shows as a readable diff.

use crate::error::{Error, Result};
use crate::taxonomy::Taxonomy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT: &str = "aitag-model/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Always `aitag-model/1`.
    pub format: String,
    pub about: String,
    /// FNV-1a (64 bit) over the taxonomy's tag ids and the rule ids and
    /// lexicon names the features name; see `fingerprint`.
    pub fingerprint: String,
    /// The taxonomy's tag ids, in its order; `weights` follow this order.
    pub tag_ids: Vec<String>,
    pub training: Training,
    pub tags: Vec<TagModel>,
    /// `[name, idf, [weight per tag]]`, names sorted. A text's feature
    /// vector holds the idf of each feature present, scaled to unit length.
    #[serde(default)]
    pub features: Vec<(String, f64, Vec<f64>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Labeled records the model was fit on (title-only copies not counted).
    pub records: usize,
    /// Title-only copies of those records added to the training set.
    pub title_records: usize,
    /// Records carrying each tag.
    pub labels: BTreeMap<String, usize>,
    pub folds: usize,
    pub min_df: usize,
    pub l2: f64,
    pub min_precision: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagModel {
    pub tag: String,
    /// Whether the tag has a model at all (too few positive records: no).
    pub fitted: bool,
    pub bias: f64,
    /// Platt scaling of the raw score: p = σ(scale · z + shift).
    pub scale: f64,
    pub shift: f64,
    /// The probability at or above which the model gives the tag (chosen in
    /// cross-validation for the best F1 at `min_precision`); null: it never
    /// does, and the rules alone decide the tag.
    pub threshold: Option<f64>,
    /// Cross-validated figures on full records, for the record.
    pub cv: BTreeMap<String, Prf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Rounds a figure for the file: four decimals, and no negative zero.
pub fn round4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 { 0.0 } else { r }
}

impl ModelFile {
    pub fn parse(text: &str, origin: &str) -> Result<ModelFile> {
        let file: ModelFile = serde_json::from_str(text).map_err(|e| Error::Model {
            origin: origin.to_string(),
            message: format!("not a model file: {e}"),
        })?;
        if file.format != FORMAT {
            return Err(Error::Model {
                origin: origin.to_string(),
                message: format!(
                    "format `{}` is not `{FORMAT}`; refit it with `aitag fit`",
                    file.format
                ),
            });
        }
        Ok(file)
    }

    /// The file's text: pretty JSON with one line per feature.
    pub fn to_json(&self) -> String {
        let head = ModelFile {
            features: Vec::new(),
            ..self.clone()
        };
        let mut out = serde_json::to_string_pretty(&head).expect("a model serialises");
        // The head ends with `"features": []\n}`; the features go in one per line.
        let cut = out
            .rfind("\"features\": []")
            .expect("the features key is last");
        out.truncate(cut);
        out.push_str("\"features\": [");
        for (i, feature) in self.features.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(feature).expect("a feature serialises"));
        }
        out.push_str(if self.features.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    /// Checks that the model was fit for this taxonomy: the same tags, and
    /// every rule and lexicon a feature names still there.
    pub fn check_taxonomy<'a>(
        &self,
        names: impl Iterator<Item = &'a str> + Clone,
        taxonomy: &Taxonomy,
        origin: &str,
    ) -> Result<()> {
        let fail = |message: String| Error::Model {
            origin: origin.to_string(),
            message: format!(
                "the model was fit for another taxonomy: {message}; fit one for this taxonomy with `aitag fit`"
            ),
        };
        let ids: Vec<&str> = taxonomy.tag_ids();
        if self.tag_ids != ids {
            return Err(fail(format!(
                "its tags are {}, this taxonomy's are {}",
                self.tag_ids.join(", "),
                ids.join(", ")
            )));
        }
        for name in names.clone() {
            if let Some(rule) = name.strip_prefix(super::features::RULE)
                && !taxonomy.rules.iter().any(|r| r.def.id == rule)
            {
                return Err(fail(format!(
                    "it uses rule `{rule}`, which this taxonomy lacks"
                )));
            }
            if let Some(lexicon) = name.strip_prefix(super::features::LEXICON)
                && !taxonomy.lexicons.contains_key(lexicon)
            {
                return Err(fail(format!(
                    "it uses lexicon `{lexicon}`, which this taxonomy lacks"
                )));
            }
        }
        let expected = fingerprint(&ids, names);
        if expected != self.fingerprint {
            return Err(fail(format!(
                "fingerprint {} does not match {expected}",
                self.fingerprint
            )));
        }
        Ok(())
    }
}

/// FNV-1a (64 bit) over the tag ids and the rule and lexicon features'
/// names, each followed by a newline: what a model depends on in the
/// taxonomy. Word features depend on no taxonomy and are left out.
pub fn fingerprint<'a>(tag_ids: &[&str], features: impl Iterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([b'\n']) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for t in tag_ids {
        eat(&format!("tag:{t}"));
    }
    for f in features {
        if f.starts_with(super::features::RULE) || f.starts_with(super::features::LEXICON) {
            eat(f);
        }
    }
    format!("fnv1a64:{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ModelFile {
        ModelFile {
            format: FORMAT.into(),
            about: "test".into(),
            fingerprint: fingerprint(&["a", "b"], ["w:x", "r:a.one"].into_iter()),
            tag_ids: vec!["a".into(), "b".into()],
            training: Training {
                records: 2,
                title_records: 0,
                labels: BTreeMap::from([("a".to_string(), 1)]),
                folds: 5,
                min_df: 1,
                l2: 1.0,
                min_precision: 0.75,
            },
            tags: vec![],
            features: vec![
                ("r:a.one".into(), 1.5, vec![0.5, 0.0]),
                ("w:x".into(), 2.0, vec![-0.25, 1.0]),
            ],
        }
    }

    #[test]
    fn writes_one_feature_per_line_and_reads_it_back() {
        let m = sample();
        let text = m.to_json();
        assert!(
            text.contains(
                "\n    [\"r:a.one\",1.5,[0.5,0.0]],\n    [\"w:x\",2.0,[-0.25,1.0]]\n  ]\n}\n"
            ),
            "{text}"
        );
        assert_eq!(ModelFile::parse(&text, "m.json").unwrap(), m);
        let empty = ModelFile {
            features: vec![],
            ..m
        };
        assert_eq!(ModelFile::parse(&empty.to_json(), "m.json").unwrap(), empty);
    }

    #[test]
    fn fingerprint_covers_tags_and_rule_features_only() {
        let f = |tags: &[&str], feats: &[&str]| fingerprint(tags, feats.iter().copied());
        assert_eq!(f(&["a"], &["w:x", "r:r1"]), f(&["a"], &["w:y", "r:r1"]));
        assert_ne!(f(&["a"], &["r:r1"]), f(&["a"], &["r:r2"]));
        assert_ne!(f(&["a"], &["l:x"]), f(&["b"], &["l:x"]));
    }

    #[test]
    fn other_formats_are_refused() {
        let text = sample().to_json().replace(FORMAT, "aitag-model/0");
        let e = ModelFile::parse(&text, "m.json").unwrap_err().to_string();
        assert!(e.contains("m.json: format `aitag-model/0`"), "{e}");
    }
}
