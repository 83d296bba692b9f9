//! What `aitag eval` reports. These types are the JSON output (`--output json`)
//! and the input of the human and Markdown printers; field names are part of
//! the documented interface (docs/eval.md), so change them only with the docs.
//!
//! Scores are `None` (JSON `null`) where they are undefined: precision of a tag
//! that was never predicted, recall of a tag with no gold support, F1 of a tag
//! with neither. Averages treat an undefined score as 0, as scikit-learn does,
//! which is why the macro average over the tags *with support* is reported too.

use serde::{Serialize, Serializer};

/// True positives, false positives and false negatives of one tag (or, for a
/// micro average, summed over several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// Records whose gold labels have the tag.
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    /// Records the rules gave the tag.
    pub fn predicted(&self) -> usize {
        self.tp + self.fp
    }

    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    pub fn scores(&self) -> Scores {
        let ratio = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
        Scores {
            precision: ratio(self.tp, self.predicted()),
            recall: ratio(self.tp, self.support()),
            // 2tp / (2tp + fp + fn): the harmonic mean of precision and recall,
            // and defined (as 0) when only one of them is.
            f1: ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    #[serde(serialize_with = "round4")]
    pub precision: Option<f64>,
    #[serde(serialize_with = "round4")]
    pub recall: Option<f64>,
    #[serde(serialize_with = "round4")]
    pub f1: Option<f64>,
}

/// Four decimals keep the JSON stable across platforms and diffs readable;
/// averages are computed before rounding.
fn round4<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => s.serialize_f64((v * 10_000.0).round() / 10_000.0),
        None => s.serialize_none(),
    }
}

/// A tag and how many records it was counted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub tag: String,
    pub count: usize,
}

/// What went with one kind of error of one tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Records with this error (the tag's false negatives, or false positives).
    pub records: usize,
    /// For missed records: the tags that were predicted on them. For spurious
    /// records: the gold tags they had. Most frequent first.
    pub tags: Vec<TagCount>,
    /// Records where that side had no tag at all (nothing predicted, or gold
    /// says no tag).
    pub none: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagReport {
    pub tag: String,
    pub support: usize,
    pub predicted: usize,
    #[serde(flatten)]
    pub counts: Counts,
    #[serde(flatten)]
    pub scores: Scores,
    /// In gold, not predicted.
    pub missed: Confusion,
    /// Predicted, not in gold.
    pub spurious: Confusion,
}

/// Micro and macro averages over a set of tags.
#[derive(Debug, Clone, Serialize)]
pub struct Average {
    pub tags: Vec<String>,
    /// Scores of the counts summed over the tags.
    pub micro: Scores,
    /// Mean of the tags' scores (an undefined score counts as 0).
    #[serde(rename = "macro")]
    pub macro_: Scores,
}

#[derive(Debug, Clone, Serialize)]
pub struct Averages {
    /// Every tag of the taxonomy.
    pub all: Average,
    /// The tags with at least one gold record.
    pub with_support: Average,
    /// The tags asked for with `--tags` (every tag by default).
    pub headline: Average,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExactMatch {
    /// Records whose predicted tag set equals their gold tag set.
    pub matched: usize,
    pub records: usize,
    #[serde(serialize_with = "round4")]
    pub ratio: Option<f64>,
}

/// A record the rules got wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorstRecord {
    pub id: String,
    /// Where the record is in the data, e.g. `incidents.jsonl:17`.
    pub source: String,
    /// The start of its text.
    pub excerpt: String,
    pub predicted: Vec<String>,
    pub gold: Vec<String>,
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
    /// Every rule that fired, whether or not its tag reached the threshold.
    pub fired: Vec<String>,
}

/// How a rule fared against a tag it supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSupport {
    pub tag: String,
    /// Records where the rule fired and this tag was in gold.
    pub correct: usize,
    #[serde(serialize_with = "round4")]
    pub precision: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleReport {
    pub rule: String,
    /// The rule's own tag; `correct` and `precision` are against it.
    pub tag: String,
    /// Evaluated records the rule fired on.
    pub fired: usize,
    /// Of those, records whose gold labels have the rule's tag.
    pub correct: usize,
    #[serde(serialize_with = "round4")]
    pub precision: Option<f64>,
    /// Records where it fired and its tag was emitted but is not in gold: the
    /// rule took part in a false positive.
    pub false_positive: usize,
    /// The same figures against each ancestor tag, which a rule for a child
    /// tag supports too (an outer-alignment rule also supports alignment).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_supports: Vec<RuleSupport>,
}

/// A data record whose id was already seen; the first one was evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub id: String,
    pub source: String,
}

/// Which records were evaluated, and what could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub gold_file: String,
    pub gold_records: usize,
    /// Gold records found in the data and classified.
    pub evaluated: usize,
    /// Gold ids with no record in the data, in gold-file order.
    pub missing: Vec<String>,
    /// Further data records with a gold id already seen; they were not evaluated.
    pub duplicates: Vec<Duplicate>,
    /// Records read from the data (with or without a gold label).
    pub data_records: usize,
    /// Data records whose id is not in the gold file.
    pub not_in_gold: usize,
    /// Data records that could not be read (reported on stderr).
    pub record_errors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub coverage: Coverage,
    /// One entry per taxonomy tag, in taxonomy order.
    pub tags: Vec<TagReport>,
    pub averages: Averages,
    pub exact_match: ExactMatch,
    /// Records with at least one missed or spurious tag.
    pub records_with_errors: usize,
    /// The records with the most wrong tags, at most `--worst` of them.
    pub worst: Vec<WorstRecord>,
    /// One entry per rule, in taxonomy order.
    pub rules: Vec<RuleReport>,
    /// With a learned model: rules-only, model-only and combined side by side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<Layers>,
}

/// The same records scored by the rules alone, the model alone, and both
/// combined (what `aitag classify` does with a model).
#[derive(Debug, Clone, Serialize)]
pub struct Layers {
    /// One entry per taxonomy tag, in taxonomy order.
    pub tags: Vec<LayerRow>,
    /// The headline macro average of each layer.
    pub headline: LayerRow,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerRow {
    pub tag: String,
    pub support: usize,
    pub rules: Scores,
    pub model: Scores,
    pub combined: Scores,
}

impl Layers {
    /// From the reports of the three layers on the same records.
    pub fn new(rules: &EvalReport, model: &EvalReport, combined: &EvalReport) -> Layers {
        let tags = combined
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| LayerRow {
                tag: t.tag.clone(),
                support: t.support,
                rules: rules.tags[i].scores,
                model: model.tags[i].scores,
                combined: t.scores,
            })
            .collect();
        let h = &combined.averages.headline;
        Layers {
            tags,
            headline: LayerRow {
                tag: format!("macro ({})", h.tags.join(", ")),
                support: 0,
                rules: rules.averages.headline.macro_,
                model: model.averages.headline.macro_,
                combined: h.macro_,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_undefined_only_without_a_denominator() {
        let s = Counts {
            tp: 0,
            fp: 0,
            fn_: 0,
        }
        .scores();
        assert_eq!((s.precision, s.recall, s.f1), (None, None, None));
        // Never predicted but present: precision undefined, recall and F1 are 0.
        let s = Counts {
            tp: 0,
            fp: 0,
            fn_: 3,
        }
        .scores();
        assert_eq!((s.precision, s.recall, s.f1), (None, Some(0.0), Some(0.0)));
        // Predicted but never present: recall undefined, precision and F1 are 0.
        let s = Counts {
            tp: 0,
            fp: 2,
            fn_: 0,
        }
        .scores();
        assert_eq!((s.precision, s.recall, s.f1), (Some(0.0), None, Some(0.0)));
        let s = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        }
        .scores();
        assert_eq!(s.precision, Some(0.75));
        assert_eq!(s.recall, Some(0.6));
        let f1 = s.f1.unwrap();
        assert!((f1 - 2.0 * 0.75 * 0.6 / (0.75 + 0.6)).abs() < 1e-12, "{f1}");
    }

    #[test]
    fn json_rounds_to_four_decimals_and_names_fn() {
        let s = Counts {
            tp: 1,
            fp: 2,
            fn_: 0,
        }
        .scores();
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["precision"], 0.3333);
        assert_eq!(json["recall"], 1.0);
        assert!(json["f1"].is_f64());
        let counts = serde_json::to_value(Counts {
            tp: 1,
            fp: 2,
            fn_: 3,
        })
        .unwrap();
        assert_eq!(counts, serde_json::json!({"tp": 1, "fp": 2, "fn": 3}));
        let undefined = serde_json::to_value(Counts::default().scores()).unwrap();
        assert!(undefined["precision"].is_null());
    }
}
