//! Scoring a text with a loaded model, combining it with the rules, and the
//! reason that explains the model's part.

use super::features::{Found, Span, fold_word, is_function_word, visit};
use super::optimise::sigmoid;
use super::{Model, NONE};
use crate::classification::{Evidence, Reason};
use crate::engine::{Analysis, Engine};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

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

/// Token -> (word index, is a function word).
type Remembered = FxHashMap<Box<str>, (u32, bool)>;

thread_local! {
    /// Token -> its word in the vocabulary of the model `uid`. A word's key
    /// is its Snowball stem, which costs far more than a hash lookup, and a
    /// batch's texts share most of their words: each thread remembers them,
    /// trading a bounded map per thread for stemming each word once.
    static WORDS: RefCell<(usize, Remembered)> = RefCell::default();
}

/// How many tokens a thread remembers before it starts afresh.
const REMEMBERED: usize = 200_000;

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
        let word = |token: &str| self.word_of(token);
        visit(engine, a, word, |found, span| {
            let f = match found {
                Found::Word(&w) if w != NONE => self.unigram[w as usize],
                Found::Pair(&x, &y) if x != NONE && y != NONE => {
                    self.pairs.get(&(x, y)).copied().unwrap_or(NONE)
                }
                Found::Word(_) | Found::Pair(..) => NONE,
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

    /// The index of a token's word in the vocabulary (or NONE), and whether
    /// it is a function word.
    fn word_of(&self, token: &str) -> (u32, bool) {
        WORDS.with_borrow_mut(|(model, words)| {
            if *model != self.uid {
                words.clear();
                *model = self.uid;
            }
            if let Some(&w) = words.get(token) {
                return w;
            }
            if words.len() >= REMEMBERED {
                words.clear();
            }
            let key = fold_word(token);
            let w = self.words.get(key.as_ref()).copied().unwrap_or(NONE);
            let w = (w, is_function_word(token));
            words.insert(token.into(), w);
            w
        })
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
        matches!(
            self.decide(learned, tag, 0.0, Mode::ModelOnly),
            Some((_, true))
        )
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
        let top: Vec<(f64, u32, Span)> = learned
            .present
            .iter()
            .map(|&(f, span, x)| (self.weights[f as usize * n + tag] as f64 * x, f, span))
            .filter(|&(w, _, _)| w > 0.0)
            .collect();
        let top = strongest(top);
        if top.is_empty() {
            return None;
        }
        let evidence = top
            .iter()
            .map(|&(w, f, (start, end))| {
                let (start, end) =
                    crate::engine::scoring::orig_span_trimmed(a, start as usize, end as usize);
                Evidence {
                    text: a.original[start..end].to_string(),
                    start,
                    end,
                    weight: Some(round(w)),
                    feature: self.labels.get(&f).map(|l| l.to_string()),
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
            evidence_omitted: 0,
            learned: true,
        })
    }
}

/// The strongest contributions, one per span (a word may also be a
/// lexicon's hit), at most [`SHOWN`]: by weight, then span, then feature
/// (`present`'s order). A text has hundreds of contributions and a reason
/// shows five, so only the front is sorted, widened when repeated spans
/// leave it short.
fn strongest(mut top: Vec<(f64, u32, Span)>) -> Vec<(f64, u32, Span)> {
    let order = |x: &(f64, u32, Span), y: &(f64, u32, Span)| {
        y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)).then(x.1.cmp(&y.1))
    };
    let mut front = SHOWN * 4;
    loop {
        if front < top.len() {
            top.select_nth_unstable_by(front, order);
        }
        let n = front.min(top.len());
        top[..n].sort_unstable_by(order);
        let mut spans: Vec<Span> = Vec::with_capacity(SHOWN);
        let mut kept = Vec::with_capacity(SHOWN);
        for &(w, f, span) in &top[..n] {
            if spans.len() == SHOWN {
                break;
            }
            if !spans.contains(&span) {
                spans.push(span);
                kept.push((w, f, span));
            }
        }
        if kept.len() == SHOWN || n == top.len() {
            return kept;
        }
        front *= 4;
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    #[test]
    fn remembered_words_are_the_vocabulary_words_of_this_model() {
        let taxonomy = Taxonomy::embedded().unwrap();
        let one = Model::builtin_for(&taxonomy).unwrap().unwrap();
        let two = Model::builtin_for(&taxonomy).unwrap().unwrap();
        assert_ne!(one.uid, two.uid);
        for token in [
            "hacked", "hacking", "police", "the", "zzzq", "hacked", "police",
        ] {
            let expected = one
                .words
                .get(fold_word(token).as_ref())
                .copied()
                .unwrap_or(NONE);
            assert_eq!(one.word_of(token).0, expected, "{token}");
            assert_eq!(two.word_of(token).0, expected, "{token}");
        }
        assert!(one.word_of("the").1 && !one.word_of("police").1);
        assert_ne!(one.word_of("police").0, NONE);
        assert_eq!(one.word_of("hacked"), one.word_of("hacking"));
    }
}
