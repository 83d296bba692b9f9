//! `aitag eval`: measures the rules against gold labels.
//!
//! Three steps, kept apart so that each can be tested alone:
//! - `gold` reads the gold file ([`Gold`]);
//! - [`Evaluation`] classifies the data records whose ids are in the gold
//!   file, whatever reader produced them, and keeps track of what is missing;
//! - `metrics::compute` turns gold labels and predictions into an
//!   [`EvalReport`] with no engine involved.

pub(crate) mod gold;
pub(crate) mod metrics;
pub(crate) mod report;

use crate::engine::{ClassifyOptions, Engine};
use crate::error::{Error, Result};
use crate::input::{self, InputOptions, Notice};
use crate::taxonomy::Taxonomy;
pub use gold::{Gold, GoldRecord};
use report::{Coverage, Duplicate};
pub use report::{EvalReport, Layers};

/// How many of the worst records a report lists unless told otherwise.
pub const DEFAULT_WORST: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInfo {
    pub id: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub tag: String,
}

/// What the metrics need to know about the taxonomy, and what to report.
#[derive(Debug, Clone)]
pub struct EvalSetup {
    /// Every tag, in taxonomy order.
    pub tags: Vec<TagInfo>,
    /// Every rule, in taxonomy order.
    pub rules: Vec<RuleInfo>,
    /// The tags of the headline average.
    pub headline: Vec<String>,
    /// How many of the worst records to list.
    pub worst: usize,
}

impl EvalSetup {
    /// Every tag in the headline, and [`DEFAULT_WORST`] worst records.
    pub fn from_taxonomy(t: &Taxonomy) -> EvalSetup {
        EvalSetup {
            tags: t
                .tags
                .iter()
                .map(|d| TagInfo {
                    id: d.id.clone(),
                    parent: d.parent.clone(),
                })
                .collect(),
            rules: t
                .rules
                .iter()
                .map(|r| RuleInfo {
                    id: r.def.id.clone(),
                    tag: r.def.tag.clone(),
                })
                .collect(),
            headline: t.tags.iter().map(|d| d.id.clone()).collect(),
            worst: DEFAULT_WORST,
        }
    }

    /// Restricts the headline average to `tags` (a user's `--tags`); an unknown
    /// tag is an error rather than a silently smaller average.
    pub fn with_headline(mut self, tags: &[String]) -> Result<EvalSetup> {
        let mut headline: Vec<String> = Vec::new();
        for t in tags {
            if !self.tags.iter().any(|x| &x.id == t) {
                let known = self.tags.iter().map(|x| x.id.as_str());
                return Err(Error::Input(format!(
                    "--tags: {}",
                    crate::taxonomy::unknown_tag(t, known)
                )));
            }
            if !headline.contains(t) {
                headline.push(t.clone());
            }
        }
        if headline.is_empty() {
            return Err(Error::Input("--tags needs at least one tag".into()));
        }
        self.headline = headline;
        Ok(self)
    }

    pub fn with_worst(mut self, n: usize) -> EvalSetup {
        self.worst = n;
        self
    }

    pub fn tag_ids(&self) -> Vec<&str> {
        self.tags.iter().map(|t| t.id.as_str()).collect()
    }

    /// Indices of a tag's parent, grandparent, ..., nearest first.
    pub(crate) fn ancestors(&self, tag: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut current = self.tags[tag].parent.as_deref();
        while let Some(p) = current {
            // A cycle cannot pass taxonomy validation; the length check keeps a
            // hand-built setup from looping anyway.
            let Some(i) = self.tags.iter().position(|t| t.id == p) else {
                break;
            };
            if out.contains(&i) || out.len() >= self.tags.len() {
                break;
            }
            out.push(i);
            current = self.tags[i].parent.as_deref();
        }
        out
    }
}

/// The engine's verdict on one gold record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    pub id: String,
    /// Where the record is in the data, e.g. `incidents.jsonl:17`.
    pub source: String,
    pub excerpt: String,
    /// Emitted tags.
    pub predicted: Vec<String>,
    /// Every rule that fired, whether or not its tag reached the threshold.
    pub fired: Vec<String>,
}

/// Collects predictions for the gold records as data records stream in, from
/// any reader. Records whose id is not in the gold file are counted and skipped
/// without being classified.
pub struct Evaluation<'a> {
    engine: &'a Engine,
    gold: &'a Gold,
    options: ClassifyOptions,
    /// One slot per gold record, in gold-file order.
    slots: Vec<Option<Prediction>>,
    coverage: Coverage,
}

impl<'a> Evaluation<'a> {
    pub fn new(engine: &'a Engine, gold: &'a Gold, options: ClassifyOptions) -> Evaluation<'a> {
        Evaluation {
            engine,
            gold,
            options,
            slots: vec![None; gold.len()],
            coverage: Coverage {
                gold_file: gold.origin.clone(),
                gold_records: gold.len(),
                ..Coverage::default()
            },
        }
    }

    /// One data record. The first record with a gold id is evaluated; a later
    /// one with the same id is listed as a duplicate.
    pub fn add(&mut self, id: &str, text: &str, source: &str) {
        self.coverage.data_records += 1;
        let Some(pos) = self.gold.position(id) else {
            self.coverage.not_in_gold += 1;
            return;
        };
        if self.slots[pos].is_some() {
            self.coverage.duplicates.push(Duplicate {
                id: id.to_string(),
                source: source.to_string(),
            });
            return;
        }
        let (c, fired) = self.engine.classify_and_fired(text, &self.options);
        self.slots[pos] = Some(Prediction {
            id: id.to_string(),
            source: source.to_string(),
            excerpt: excerpt(text, 90),
            predicted: c.tag_ids().map(str::to_string).collect(),
            fired: fired.into_iter().map(str::to_string).collect(),
        });
    }

    /// A data record that could not be read; the caller reports it.
    pub fn add_error(&mut self) {
        self.coverage.record_errors += 1;
    }

    pub fn finish(self, setup: &EvalSetup) -> EvalReport {
        let mut coverage = self.coverage;
        coverage.missing = self
            .gold
            .records
            .iter()
            .zip(&self.slots)
            .filter(|(_, s)| s.is_none())
            .map(|(g, _)| g.id.clone())
            .collect();
        let predictions: Vec<Prediction> = self.slots.into_iter().flatten().collect();
        metrics::compute(self.gold, &predictions, coverage, setup)
    }
}

/// Reads every data file once and gives each record to every evaluation
/// (the layers of `aitag eval` score the same records), passing what there
/// is to report to `notice` as it comes. A file that cannot be opened stops
/// the evaluation: its figures would be about part of the data.
pub fn add_files(
    evaluations: &mut [Evaluation],
    paths: &[String],
    options: &InputOptions,
    mut notice: impl FnMut(Notice),
) -> Result<()> {
    for path in paths {
        let records = input::open(path, options)?;
        records.file_warnings(path).for_each(&mut notice);
        for item in records {
            match item {
                Ok(record) => {
                    let source = record.source.to_string();
                    for e in evaluations.iter_mut() {
                        e.add(&record.id, &record.text, &source);
                    }
                }
                Err(e) => {
                    evaluations.iter_mut().for_each(Evaluation::add_error);
                    notice(Notice::BadRecord(e));
                }
            }
        }
    }
    Ok(())
}

/// The first `max` characters of `text` on one line, with `…` when cut.
fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        let extra = word.chars().count() + usize::from(i > 0);
        if out.chars().count() + extra > max {
            if out.is_empty() {
                out.extend(word.chars().take(max));
            }
            out.push('…');
            return out;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::embedded().unwrap()
    }

    fn gold(e: &Engine, text: &str) -> Gold {
        let tags: Vec<&str> = e.taxonomy().tag_ids();
        Gold::parse(text.as_bytes(), "gold.jsonl", &tags).unwrap()
    }

    #[test]
    fn classifies_gold_records_and_accounts_for_the_rest() {
        let e = engine();
        let g = gold(
            &e,
            "{\"id\": 1, \"tags\": [\"security\"]}\n{\"id\": \"2\", \"tags\": []}\n{\"id\": 3, \"tags\": []}\n",
        );
        let mut ev = Evaluation::new(&e, &g, ClassifyOptions::default());
        let stolen = "Hackers stole the model weights from the lab's servers.";
        ev.add("1", stolen, "data.jsonl:1");
        ev.add("7", "not labeled", "data.jsonl:2");
        ev.add_error();
        ev.add("2", "The weather was fine.", "data.jsonl:4");
        ev.add("1", "a second record with id 1", "data.jsonl:5");
        let setup = EvalSetup::from_taxonomy(e.taxonomy());
        let r = ev.finish(&setup);
        let c = &r.coverage;
        assert_eq!(
            (
                c.gold_records,
                c.evaluated,
                c.data_records,
                c.not_in_gold,
                c.record_errors
            ),
            (3, 2, 4, 1, 1)
        );
        assert_eq!(c.missing, vec!["3"]);
        assert_eq!(
            c.duplicates,
            vec![Duplicate {
                id: "1".into(),
                source: "data.jsonl:5".into()
            }]
        );
        assert_eq!(c.gold_file, "gold.jsonl");
        // The engine's own verdict on the stolen weights, compared with gold.
        let expected = e.classify(stolen);
        let sec = r.tags.iter().find(|t| t.tag == "security").unwrap();
        assert_eq!(sec.counts.tp, usize::from(expected.has("security")));
        let fired: usize = r.rules.iter().map(|x| x.fired).sum();
        assert_eq!(
            fired,
            e.fired_rules(stolen).len() + e.fired_rules("The weather was fine.").len()
        );
    }

    #[test]
    fn min_confidence_changes_predictions_not_fired_rules() {
        let e = engine();
        let g = gold(&e, "{\"id\": 1, \"tags\": [\"security\"]}\n");
        let text = "Hackers stole the model weights from the lab's servers.";
        assert!(
            !e.fired_rules(text).is_empty(),
            "the example text must fire a rule"
        );
        let strict = ClassifyOptions {
            min_confidence: Some(1.0),
            explain: false,
            ..ClassifyOptions::default()
        };
        let mut ev = Evaluation::new(&e, &g, strict);
        ev.add("1", text, "d:1");
        let r = ev.finish(&EvalSetup::from_taxonomy(e.taxonomy()).with_worst(5));
        let predicted: usize = r.tags.iter().map(|t| t.predicted).sum();
        assert_eq!(predicted, e.classify_with(text, &strict).tags.len());
        assert!(
            predicted < e.classify(text).tags.len(),
            "a threshold of 1 must drop some tag"
        );
        assert_eq!(
            r.rules.iter().map(|x| x.fired).sum::<usize>(),
            e.fired_rules(text).len()
        );
    }

    #[test]
    fn headline_tags_must_exist() {
        let e = engine();
        let s = EvalSetup::from_taxonomy(e.taxonomy());
        assert_eq!(s.headline.len(), e.taxonomy().tags.len());
        let ok = s
            .clone()
            .with_headline(&["security".into(), "competence".into(), "security".into()])
            .unwrap();
        assert_eq!(ok.headline, vec!["security", "competence"]);
        let err = s
            .clone()
            .with_headline(&["securty".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown tag `securty`"), "{err}");
        assert!(s.with_headline(&[]).is_err());
    }

    #[test]
    fn ancestors_follow_parents() {
        let e = engine();
        let s = EvalSetup::from_taxonomy(e.taxonomy());
        let outer = s
            .tags
            .iter()
            .position(|t| t.id == "outer-alignment")
            .unwrap();
        let alignment = s.tags.iter().position(|t| t.id == "alignment").unwrap();
        assert_eq!(s.ancestors(outer), vec![alignment]);
        assert!(s.ancestors(alignment).is_empty());
    }

    #[test]
    fn excerpts_are_one_line_and_cut_at_words() {
        assert_eq!(excerpt("  Title\n\nof  it ", 90), "Title of it");
        assert_eq!(excerpt("alpha beta gamma", 10), "alpha beta…");
        assert_eq!(excerpt("alpha beta gamma", 11), "alpha beta…");
        assert_eq!(excerpt("supercalifragilistic", 5), "super…");
        assert_eq!(excerpt("", 5), "");
    }
}
