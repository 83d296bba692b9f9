//! Scoring a text with a loaded model, combining it with the rules, and the
//! reason that explains the model's part.

use super::features::{Found, Span, visit};
use super::optimise::sigmoid;
use super::{Model, NONE};
use crate::classification::{Evidence, Reason};
use crate::engine::{Analysis, Engine};

/// Which layers decide the tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Rules and model combined (the default when a model is attached).
    #[default]
    Combined,
    /// The rules alone, as with `--no-model`.
    RulesOnly,
    /// The model alone (for `aitag eval`'s comparison).
    ModelOnly,
}

/// How many features a model reason shows.
const SHOWN: usize = 5;

/// The model's verdict on one text.
pub(crate) struct Learned {
    /// Features present, each once (at its first occurrence), by feature,
    /// with its value (idf, the vector scaled to unit length).
    present: Vec<(u32, Span, f64)>,
    /// Per tag: the calibrated probability, if the tag has a model.
    pub probability: Vec<Option<f64>>,
}

impl Model {
    pub(crate) fn score(&self, engine: &Engine, a: &Analysis) -> Learned {
        let mut present: Vec<(u32, Span)> = Vec::new();
        visit(engine, a, |found, span| {
            let f = match found {
                Found::Word(w) => self
                    .words
                    .get(w)
                    .map_or(NONE, |&i| self.unigram[i as usize]),
                Found::Pair(x, y) => match (self.words.get(x), self.words.get(y)) {
                    (Some(&x), Some(&y)) => self.pairs.get(&(x, y)).copied().unwrap_or(NONE),
                    _ => NONE,
                },
                Found::Rule(r) => self.rule_feature[r],
                Found::Lexicon(l) => self.lexicon_feature[l],
            };
            if f != NONE {
                present.push((f, span));
            }
        });
        present.sort_unstable();
        present.dedup_by_key(|p| p.0);
        let norm = present
            .iter()
            .map(|&(f, _)| self.idf[f as usize].powi(2))
            .sum::<f64>()
            .sqrt();
        let present: Vec<(u32, Span, f64)> = present
            .into_iter()
            .map(|(f, span)| (f, span, self.idf[f as usize] / norm))
            .collect();
        let n = self.tags.len();
        let mut z: Vec<f64> = self.tags.iter().map(|t| t.bias).collect();
        for &(f, _, x) in &present {
            let row = &self.weights[f as usize * n..(f as usize + 1) * n];
            for (zt, &w) in z.iter_mut().zip(row) {
                *zt += w as f64 * x;
            }
        }
        let probability = self
            .tags
            .iter()
            .zip(&z)
            .map(|(t, &z)| t.fitted.then(|| sigmoid(t.scale * z + t.shift)))
            .collect();
        Learned {
            present,
            probability,
        }
    }

    /// The model's say on a tag under `mode`: the tag's confidence and
    /// whether the model gives the tag; None where it has no say.
    /// Combined, the confidence is the noisy-OR of the rules' and the model's.
    pub(crate) fn decide(
        &self,
        learned: &Learned,
        tag: usize,
        rule_confidence: f64,
        mode: Mode,
    ) -> Option<(f64, bool)> {
        let p = learned.probability[tag]?;
        let gives = self.tags[tag].threshold.is_some_and(|th| p + 1e-9 >= th);
        match mode {
            Mode::RulesOnly => None,
            Mode::Combined => Some((1.0 - (1.0 - rule_confidence) * (1.0 - p), gives)),
            Mode::ModelOnly => Some((p, gives)),
        }
    }

    /// Whether the model on its own gives the tag.
    pub(crate) fn gives(&self, learned: &Learned, tag: usize) -> bool {
        matches!(self.decide(learned, tag, 0.0, Mode::ModelOnly), Some((_, true)))
    }

    /// The model's reason for a tag: the features present that pushed it up
    /// most, with their spans. None when no feature present pushed it up.
    pub(crate) fn reason(
        &self,
        engine: &Engine,
        a: &Analysis,
        learned: &Learned,
        tag: usize,
    ) -> Option<Reason> {
        let p = learned.probability[tag]?;
        let n = self.tags.len();
        let mut top: Vec<(f64, u32, Span)> = learned
            .present
            .iter()
            .map(|&(f, span, x)| (self.weights[f as usize * n + tag] as f64 * x, f, span))
            .filter(|&(w, _, _)| w > 0.0)
            .collect();
        top.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)));
        // One entry per span (a word may also be a lexicon's hit), the
        // strongest.
        let mut spans: Vec<Span> = Vec::with_capacity(SHOWN);
        top.retain(|&(_, _, span)| {
            if spans.len() == SHOWN || spans.contains(&span) {
                return false;
            }
            spans.push(span);
            true
        });
        if top.is_empty() {
            return None;
        }
        let evidence = top
            .iter()
            .map(|&(w, f, (start, end))| {
                let (start, end) = a.norm.orig_span(start as usize, end as usize);
                Evidence {
                    text: a.original[start..end].to_string(),
                    start,
                    end,
                    weight: Some(round(w)),
                    feature: self.feature_label(engine, f),
                }
            })
            .collect();
        let id = &engine.taxonomy().tags[tag].id;
        Some(Reason {
            rule: format!("model.{id}"),
            tag: id.clone(),
            because: format!(
                "In the {} labeled incidents the model was fit on, these words and rules went with {id}.",
                self.records
            ),
            weight: round(p),
            effective_weight: round(p),
            evidence,
            hedged_by: None,
            learned: true,
        })
    }

    /// A rule feature is shown by its rule id, a lexicon by `lexicon:NAME`.
    fn feature_label(&self, engine: &Engine, f: u32) -> Option<String> {
        if let Some(r) = self.rule_feature.iter().position(|&x| x == f) {
            return Some(engine.taxonomy().rules[r].def.id.clone());
        }
        self.lexicon_feature
            .iter()
            .position(|&x| x == f)
            .map(|l| format!("lexicon:{}", engine.lexicon_name(l)))
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
