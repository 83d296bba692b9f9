//! `aitag fit`: a model file from labeled records.
//!
//! Per tag, a class-balanced L2-regularised logistic regression over the
//! features of [`super::features`] that occur in at least `min_df` records.
//! K-fold cross-validation (record `i` of the gold files, in their order, is
//! in fold `i mod k`; a record's title-only copy goes with it) gives every
//! record a score from a model that did not see it. On those scores:
//! - Platt scaling turns the raw score into a probability;
//! - the threshold on that probability is the one with the best F1 whose
//!   precision is at least `min_precision` (null if none keeps it: the model
//!   never gives that tag). The combined verdict gives a tag when the rules
//!   or the model give it, with the noisy-OR of both as its confidence.
//!
//! The final weights are fit on every record. Everything runs in a fixed
//! order on one thread, so the same input gives the same file.

use super::features::{self, visit};
use super::file::{self, ModelFile, Prf, TagModel, Training, round4};
use super::optimise::{self, Problem, Row, sigmoid};
use crate::engine::{ClassifyOptions, Engine};
use crate::error::{Error, Result};
use crate::eval::Gold;
use crate::input::{self, InputOptions, Notice};
use crate::model::Mode;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    pub folds: usize,
    /// A feature must occur in at least this many labeled records.
    pub min_df: usize,
    pub l2: f64,
    /// The precision the combined threshold must keep in cross-validation.
    pub min_precision: f64,
    /// A tag with fewer positive (or negative) records gets no model.
    pub min_positives: usize,
    /// An id labeled in several gold files takes the first file's label
    /// (else it is an error, since two labels of one record usually mean
    /// a file was given twice).
    pub first_label_wins: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            folds: 5,
            min_df: 3,
            l2: 0.03,
            min_precision: 0.75,
            min_positives: 8,
            first_label_wins: false,
        }
    }
}

/// Which text of a labeled record an example is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// The record's text as the data gives it.
    Full,
    /// Its title alone: training for headlines.
    Title,
}

struct Example {
    /// Position of the record among the gold records.
    gold: usize,
    variant: Variant,
    features: Vec<String>,
    rule_emitted: Vec<bool>,
}

/// Collects labeled examples as records stream in, then fits.
pub struct Fitter<'e> {
    engine: &'e Engine,
    options: FitOptions,
    /// Every gold record of every file: (id, tag membership).
    gold: Vec<(String, Vec<bool>)>,
    index: HashMap<String, usize>,
    examples: Vec<Example>,
    seen: HashMap<(usize, Variant), ()>,
    /// Data records with no gold label, and repeats of a labeled one.
    pub skipped: usize,
    /// Gold labels not used because an earlier gold file labels the same id.
    overridden: usize,
}

/// Cross-validated figures of one tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagFigures {
    pub tag: String,
    pub positives: usize,
    pub fitted: bool,
    /// Whether the model takes part in the tag's decision (else: rules only).
    pub combined: bool,
    pub rules: Prf,
    pub model: Prf,
    pub both: Prf,
    /// The same on title-only copies, when there are any.
    pub titles: Option<[Prf; 3]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    pub records: usize,
    pub title_records: usize,
    pub features: usize,
    pub folds: usize,
    /// Labels left out because an earlier gold file labels the same id.
    pub overridden: usize,
    pub tags: Vec<TagFigures>,
}

impl<'e> Fitter<'e> {
    /// Reads the data files and gives each record to the fitter as
    /// `variant`, passing what there is to report to `notice` as it comes
    /// (as eval's [`crate::eval::add_files`] does). For the title-only copy
    /// a record without the field simply has no copy, so it is not reported.
    pub fn add_files(
        &mut self,
        paths: &[String],
        options: &InputOptions,
        variant: Variant,
        mut notice: impl FnMut(Notice),
    ) -> Result<()> {
        let report = variant == Variant::Full;
        for path in paths {
            let records = input::open(path, options)?;
            if report {
                records.file_warnings(path).for_each(&mut notice);
            }
            for item in records {
                match item {
                    Ok(record) => self.add(&record.id, &record.text, variant),
                    Err(e) if report => notice(Notice::BadRecord(e)),
                    Err(_) => {}
                }
            }
        }
        Ok(())
    }

    /// The engine gives the rules' signals; a model attached to it is ignored.
    pub fn new(engine: &'e Engine, golds: &[Gold], options: FitOptions) -> Result<Fitter<'e>> {
        if options.folds < 2 {
            return Err(Error::Input("--folds must be at least 2".into()));
        }
        let tag_ids: Vec<&str> = engine.taxonomy().tag_ids();
        let mut gold = Vec::new();
        let mut index = HashMap::new();
        let mut overridden = 0;
        for g in golds {
            for r in &g.records {
                if index.contains_key(&r.id) {
                    if options.first_label_wins {
                        overridden += 1;
                        continue;
                    }
                    return Err(Error::Input(format!(
                        "{}:{}: id `{}` is labeled in another gold file too",
                        g.origin, r.line, r.id
                    )));
                }
                index.insert(r.id.clone(), gold.len());
                let m = tag_ids
                    .iter()
                    .map(|t| r.tags.iter().any(|x| x == t))
                    .collect();
                gold.push((r.id.clone(), m));
            }
        }
        Ok(Fitter {
            engine,
            options,
            gold,
            index,
            examples: Vec::new(),
            seen: HashMap::new(),
            skipped: 0,
            overridden,
        })
    }

    /// One data record; records without a gold label are skipped, as are
    /// repeats and empty texts.
    pub fn add(&mut self, id: &str, text: &str, variant: Variant) {
        let Some(&gold) = self.index.get(id) else {
            self.skipped += 1;
            return;
        };
        if text.trim().is_empty() || self.seen.insert((gold, variant), ()).is_some() {
            self.skipped += 1;
            return;
        }
        let a = self.engine.analyze_for_model(text);
        let mut names: Vec<String> = Vec::new();
        let word = |t: &str| {
            (
                features::fold_word(t).into_owned(),
                features::is_function_word(t),
            )
        };
        visit(self.engine, &a, word, |found, _| {
            names.push(features::name(found, self.engine))
        });
        names.sort_unstable();
        names.dedup();
        let options = ClassifyOptions {
            model: Mode::RulesOnly,
            ..ClassifyOptions::default()
        };
        let c = self.engine.classify_analysis(&a, &options);
        let tags = &self.engine.taxonomy().tags;
        let rule_emitted = tags.iter().map(|t| c.has(&t.id)).collect();
        self.examples.push(Example {
            gold,
            variant,
            features: names,
            rule_emitted,
        });
    }

    /// Gold ids no data record had.
    pub fn missing(&self) -> Vec<String> {
        let mut found = vec![false; self.gold.len()];
        for e in &self.examples {
            found[e.gold] = true;
        }
        self.gold
            .iter()
            .zip(found)
            .filter(|(_, f)| !f)
            .map(|((id, _), _)| id.clone())
            .collect()
    }

    pub fn finish(mut self) -> Result<(ModelFile, FitReport)> {
        let o = self.options;
        // Data order must not matter: examples in gold order.
        self.examples.sort_by_key(|e| (e.gold, e.variant));
        let full: Vec<bool> = self
            .examples
            .iter()
            .map(|e| e.variant == Variant::Full)
            .collect();
        let records = full.iter().filter(|&&f| f).count();
        if records == 0 {
            return Err(Error::Input(
                "no data record has a gold label: nothing to fit".into(),
            ));
        }
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        for e in self.examples.iter().filter(|e| e.variant == Variant::Full) {
            for f in &e.features {
                *df.entry(f.as_str()).or_default() += 1;
            }
        }
        let names: Vec<String> = df
            .iter()
            .filter(|&(_, &n)| n >= o.min_df)
            .map(|(k, _)| k.to_string())
            .collect();
        let index: HashMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        // Smoothed idf, as scikit-learn's TfidfVectorizer: rarer features
        // count for more, and a text's vector has unit length, so that a long
        // text does not score higher for being long.
        let idf: Vec<f64> = names
            .iter()
            .map(|n| round4(((1.0 + records as f64) / (1.0 + df[n.as_str()] as f64)).ln() + 1.0))
            .collect();
        let rows: Vec<Row> = self
            .examples
            .iter()
            .map(|e| {
                let mut r: Row = e
                    .features
                    .iter()
                    .filter_map(|f| index.get(f.as_str()).map(|&i| (i, idf[i as usize])))
                    .collect();
                r.sort_unstable_by_key(|p| p.0);
                unit_length(&mut r);
                r
            })
            .collect();
        let fold: Vec<usize> = self.examples.iter().map(|e| e.gold % o.folds).collect();
        let taxonomy = self.engine.taxonomy();
        let n_tags = taxonomy.tags.len();
        let mut weights = vec![vec![0.0f64; n_tags]; names.len()];
        let mut tag_models = Vec::with_capacity(n_tags);
        let mut figures = Vec::with_capacity(n_tags);
        let mut labels_count = BTreeMap::new();
        for (t, def) in taxonomy.tags.iter().enumerate() {
            let y: Vec<bool> = self
                .examples
                .iter()
                .map(|e| self.gold[e.gold].1[t])
                .collect();
            let positives = (0..y.len()).filter(|&i| full[i] && y[i]).count();
            labels_count.insert(def.id.clone(), positives);
            let rules_emitted: Vec<bool> =
                self.examples.iter().map(|e| e.rule_emitted[t]).collect();
            let mut tag_model = TagModel {
                tag: def.id.clone(),
                fitted: false,
                bias: 0.0,
                scale: 1.0,
                shift: 0.0,
                threshold: None,
                cv: BTreeMap::new(),
            };
            let rules_prf = prf_where(&rules_emitted, &y, &full);
            let mut fig = TagFigures {
                tag: def.id.clone(),
                positives,
                fitted: false,
                combined: false,
                rules: rules_prf,
                model: Prf::default(),
                both: rules_prf,
                titles: (records < y.len()).then(|| {
                    let titles: Vec<bool> = full.iter().map(|f| !f).collect();
                    let r = prf_where(&rules_emitted, &y, &titles);
                    [r, Prf::default(), r]
                }),
            };
            if positives < o.min_positives || records - positives < o.min_positives {
                tag_model.cv.insert("rules".into(), rounded(fig.rules));
                tag_models.push(tag_model);
                figures.push(fig);
                continue;
            }
            // Out-of-fold raw scores.
            let mut z = vec![0.0; y.len()];
            for k in 0..o.folds {
                let train: Vec<usize> = (0..y.len()).filter(|&i| fold[i] != k).collect();
                let m = fit_one(&rows, &y, &train, names.len(), o.l2);
                for i in (0..y.len()).filter(|&i| fold[i] == k) {
                    z[i] = m.logit(&rows[i]);
                }
            }
            let (scale, shift) = platt(&z, &y);
            let p: Vec<f64> = z.iter().map(|&z| sigmoid(scale * z + shift)).collect();
            let p3: Vec<f64> = p.iter().map(|&x| round3(x)).collect();
            // The rules were written from labeled records like these, so
            // their figures here are optimistic: the model's threshold is
            // chosen on its own out-of-fold figures, not on what it adds to
            // the rules here.
            let threshold = best_threshold(&p3, &y, o.min_precision).map(|(th, _)| th);
            let model_emitted: Vec<bool> = match threshold {
                Some(th) => p3.iter().map(|&s| s >= th).collect(),
                None => vec![false; y.len()],
            };
            let both_emitted: Vec<bool> = model_emitted
                .iter()
                .zip(&rules_emitted)
                .map(|(&m, &r)| m || r)
                .collect();
            fig.fitted = true;
            fig.combined = threshold.is_some();
            fig.model = prf_where(&model_emitted, &y, &full);
            fig.both = prf_where(&both_emitted, &y, &full);
            if let Some(titles) = &mut fig.titles {
                let only: Vec<bool> = full.iter().map(|f| !f).collect();
                titles[1] = prf_where(&model_emitted, &y, &only);
                titles[2] = prf_where(&both_emitted, &y, &only);
            }
            let all: Vec<usize> = (0..y.len()).collect();
            let m = fit_one(&rows, &y, &all, names.len(), o.l2);
            for (f, w) in m.weights.iter().enumerate() {
                weights[f][t] = round4(*w);
            }
            tag_model.fitted = true;
            tag_model.bias = round4(m.bias);
            tag_model.scale = round4(scale);
            tag_model.shift = round4(shift);
            tag_model.threshold = threshold.map(round4);
            for (k, v) in [
                ("rules", fig.rules),
                ("model", fig.model),
                ("combined", fig.both),
            ] {
                tag_model.cv.insert(k.into(), rounded(v));
            }
            tag_models.push(tag_model);
            figures.push(fig);
        }
        let tag_ids: Vec<&str> = taxonomy.tag_ids();
        let title_records = self.examples.len() - records;
        let model = ModelFile {
            format: file::FORMAT.into(),
            about: "aitag learned layer: per-tag logistic regression over word forms and rule signals; \
                    see docs/model.md"
                .into(),
            fingerprint: file::fingerprint(&tag_ids, names.iter().map(String::as_str)),
            tag_ids: tag_ids.iter().map(|s| s.to_string()).collect(),
            training: Training {
                records,
                title_records,
                labels: labels_count,
                folds: o.folds,
                min_df: o.min_df,
                l2: o.l2,
                min_precision: o.min_precision,
            },
            tags: tag_models,
            features: names
                .into_iter()
                .zip(idf)
                .zip(weights)
                .map(|((n, i), w)| (n, i, w))
                .collect(),
        };
        let report = FitReport {
            records,
            title_records,
            features: model.features.len(),
            folds: o.folds,
            overridden: self.overridden,
            tags: figures,
        };
        Ok((model, report))
    }
}

/// Scales a row to unit length (the runtime does the same, src/model/score.rs).
pub(crate) fn unit_length(row: &mut Row) {
    let norm = row.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
    if norm > 0.0 {
        row.iter_mut().for_each(|(_, v)| *v /= norm);
    }
}

/// Class-balanced fit on the examples `train`.
fn fit_one(
    rows: &[Row],
    y: &[bool],
    train: &[usize],
    features: usize,
    l2: f64,
) -> optimise::Linear {
    let sub_rows: Vec<Row> = train.iter().map(|&i| rows[i].clone()).collect();
    let sub_y: Vec<bool> = train.iter().map(|&i| y[i]).collect();
    let n = sub_y.len() as f64;
    let pos = sub_y.iter().filter(|&&b| b).count().max(1) as f64;
    let neg = (n - pos).max(1.0);
    let w: Vec<f64> = sub_y
        .iter()
        .map(|&b| if b { n / (2.0 * pos) } else { n / (2.0 * neg) })
        .collect();
    optimise::fit(&Problem {
        rows: &sub_rows,
        labels: &sub_y,
        sample_weights: &w,
        features,
        l2,
    })
}

/// Platt scaling: the (scale, shift) that make σ(scale·z + shift) a
/// probability on out-of-fold scores (unweighted, lightly regularised).
fn platt(z: &[f64], y: &[bool]) -> (f64, f64) {
    let rows: Vec<Row> = z.iter().map(|&z| vec![(0, z)]).collect();
    let m = optimise::fit(&Problem {
        rows: &rows,
        labels: y,
        sample_weights: &vec![1.0; y.len()],
        features: 1,
        l2: 0.01,
    });
    (m.weights[0], m.bias)
}

/// The threshold on `scores` with the best F1 among those with precision at
/// least `min_precision` (the highest such threshold on a tie), half-way to
/// the next lower score; None when no threshold keeps the precision.
pub fn best_threshold(scores: &[f64], y: &[bool], min_precision: f64) -> Option<(f64, Prf)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let total = y.iter().filter(|&&b| b).count();
    if total == 0 {
        return None;
    }
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut best: Option<(f64, Prf)> = None;
    let mut i = 0;
    while i < order.len() {
        let s = scores[order[i]];
        if s <= 0.0 {
            break;
        }
        while i < order.len() && scores[order[i]] == s {
            if y[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let next = order.get(i).map_or(0.0, |&j| scores[j]);
        let f = prf(tp, fp, total - tp);
        if f.precision + 1e-12 >= min_precision && best.is_none_or(|(_, b)| f.f1 > b.f1 + 1e-12) {
            best = Some(((s + next) / 2.0, f));
        }
    }
    best
}

fn prf(tp: usize, fp: usize, fn_: usize) -> Prf {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = ratio(2 * tp, 2 * tp + fp + fn_);
    Prf {
        precision,
        recall,
        f1,
    }
}

/// P/R/F1 of `predicted` against `y` over the examples where `within`.
fn prf_where(predicted: &[bool], y: &[bool], within: &[bool]) -> Prf {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for i in 0..y.len() {
        if !within[i] {
            continue;
        }
        match (predicted[i], y[i]) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    prf(tp, fp, fn_)
}

fn rounded(p: Prf) -> Prf {
    Prf {
        precision: round4(p.precision),
        recall: round4(p.recall),
        f1: round4(p.f1),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_keeps_precision_and_maximises_f1() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.1];
        let y = [true, true, false, true, false, false];
        // At 0.6: tp 3, fp 1 -> P 0.75, R 1, F1 0.857; the best with P >= 0.75.
        let (th, f) = best_threshold(&scores, &y, 0.75).unwrap();
        assert!((th - 0.55).abs() < 1e-9, "{th}");
        assert!((f.f1 - 6.0 / 7.0).abs() < 1e-9);
        // Precision 1 is only kept down to 0.8.
        let (th, f) = best_threshold(&scores, &y, 1.0).unwrap();
        assert!((th - 0.75).abs() < 1e-9, "{th}");
        assert_eq!(f.recall, 2.0 / 3.0);
        assert!(best_threshold(&[0.9, 0.8], &[false, true], 0.9).is_none_or(|(th, _)| th < 0.8));
        assert!(best_threshold(&[0.9], &[false], 0.5).is_none());
    }

    #[test]
    fn platt_scaling_is_monotone_and_calibrates() {
        let z = [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0, -3.0];
        let y = [false, false, true, false, true, true, true, false];
        let (a, b) = platt(&z, &y);
        assert!(a > 0.0);
        let p: Vec<f64> = z.iter().map(|&z| sigmoid(a * z + b)).collect();
        let mean: f64 = p.iter().sum::<f64>() / p.len() as f64;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }
}
