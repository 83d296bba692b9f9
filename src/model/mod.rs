//! The learned layer: a per-tag logistic regression over a text's word forms
//! and the rules' own signals, fit from labeled data (`aitag fit`), combined
//! with the rules' confidence and explained like a rule (docs/model.md).
//!
//! - `features` says what the model sees in a text;
//! - `optimise` fits one logistic regression;
//! - `fit` fits a model file from labeled records, with cross-validation
//!   ([`Fitter`]);
//! - `file` is the model file ([`ModelFile`]);
//! - [`Model`] (here) scores an analysed text with a loaded file.

mod features;
pub(crate) mod file;
pub(crate) mod fit;
mod optimise;
mod score;

pub use file::ModelFile;
pub use fit::{FitOptions, FitReport, Fitter, TagFigures, Variant};
pub use score::Mode;

use crate::engine::flat;
use crate::error::Result;
use crate::taxonomy::Taxonomy;
use rustc_hash::FxHashMap;

// The model fit on the shipped labels (models/default.json, written by
// scripts/fit-model.sh), in the compact form build.rs makes of it.
const BUILTIN_HEAD: &str = include_str!(concat!(env!("OUT_DIR"), "/model-head.json"));
const BUILTIN_NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/model-names.txt"));
const BUILTIN_NUMBERS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/model-numbers.bin"));
pub const DEFAULT_ORIGIN: &str = "<built-in model>";

/// Which model a command uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Rules only (`--no-model`).
    Off,
    /// A model file (`--model PATH`, `AITAG_MODEL`): it must fit the taxonomy.
    Path(std::path::PathBuf),
    /// The built-in model, where it fits the taxonomy and the taxonomy's
    /// settings do not say `model: false`.
    Default,
}

impl Choice {
    pub fn load(&self, taxonomy: &Taxonomy) -> Result<Option<Model>> {
        match self {
            Choice::Off => Ok(None),
            Choice::Path(p) => Model::from_path(p, taxonomy).map(Some),
            Choice::Default if !taxonomy.settings.model => Ok(None),
            Choice::Default => Model::builtin_for(taxonomy),
        }
    }
}

/// No feature.
const NONE: u32 = u32::MAX;

/// A model file compiled for one taxonomy.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Model {
    /// Word form -> index into `unigram`.
    words: FxHashMap<Box<str>, u32>,
    /// Per word: its feature, or NONE (a word that only occurs in pairs).
    #[serde(with = "flat")]
    unigram: Vec<u32>,
    #[serde(with = "flat::map")]
    pairs: FxHashMap<(u32, u32), u32>,
    /// Per taxonomy rule / lexicon: its feature or NONE.
    #[serde(with = "flat")]
    rule_feature: Vec<u32>,
    #[serde(with = "flat")]
    lexicon_feature: Vec<u32>,
    /// How evidence shows a rule feature (its rule id) or a lexicon feature
    /// (`lexicon:NAME`); words are shown as the text's own words.
    labels: FxHashMap<u32, Box<str>>,
    /// Per feature: weights per tag, `tags` wide.
    #[serde(with = "flat")]
    weights: Vec<f32>,
    #[serde(with = "flat")]
    idf: Vec<f64>,
    tags: Vec<file::TagModel>,
    /// Labeled records it was fit on (for the reason's `because`).
    records: usize,
    /// Tells this model from any other in the process (per-thread caches).
    #[serde(skip, default = "next_uid")]
    uid: usize,
}

/// A process-wide unique id for a new model (see `Model::uid`).
fn next_uid() -> usize {
    static MODELS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    MODELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Model {
    /// The built-in model, if it was fit for this taxonomy; a taxonomy of a
    /// curator's own gets none (rules only) rather than an error.
    pub fn builtin_for(taxonomy: &Taxonomy) -> Result<Option<Model>> {
        match crate::engine::snapshot::model(taxonomy) {
            Some(model) => Ok(Some(model)),
            None => Model::builtin_compiled(taxonomy),
        }
    }

    /// [`Model::builtin_for`] from the embedded model file, without the
    /// start-up snapshot.
    pub(crate) fn builtin_compiled(taxonomy: &Taxonomy) -> Result<Option<Model>> {
        let head = ModelFile::parse(BUILTIN_HEAD, DEFAULT_ORIGIN)?;
        let names = || BUILTIN_NAMES.lines();
        if head
            .check_taxonomy(names(), taxonomy, DEFAULT_ORIGIN)
            .is_err()
        {
            return Ok(None);
        }
        let width = 1 + head.tag_ids.len();
        let mut numbers = BUILTIN_NUMBERS
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let mut row = Vec::with_capacity(width);
        let features = names().map(|name| {
            row.clear();
            row.extend(numbers.by_ref().take(width));
            let idf = row.first().copied().unwrap_or(0.0) as f64;
            (name, idf, row.get(1..).unwrap_or(&[]).to_vec())
        });
        Model::build(&head, features, taxonomy, DEFAULT_ORIGIN).map(Some)
    }

    /// Reads a model file; an error if it was fit for another taxonomy.
    pub fn from_path(path: &std::path::Path, taxonomy: &Taxonomy) -> Result<Model> {
        let text = std::fs::read_to_string(path).map_err(|source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let origin = path.display().to_string();
        let file = ModelFile::parse(&text, &origin)?;
        Model::new(&file, taxonomy, &origin)
    }

    pub fn new(file: &ModelFile, taxonomy: &Taxonomy, origin: &str) -> Result<Model> {
        let names = file.features.iter().map(|(n, _, _)| n.as_str());
        file.check_taxonomy(names, taxonomy, origin)?;
        let features = file.features.iter().map(|(name, idf, w)| {
            let w: Vec<f32> = w.iter().map(|&x| x as f32).collect();
            (name.as_str(), *idf as f32 as f64, w)
        });
        Model::build(file, features, taxonomy, origin)
    }

    /// The model of a file's head (its features left aside) and its
    /// features, checked against the taxonomy by the caller.
    fn build<'a>(
        file: &ModelFile,
        features: impl Iterator<Item = (&'a str, f64, Vec<f32>)>,
        taxonomy: &Taxonomy,
        origin: &str,
    ) -> Result<Model> {
        let n_tags = file.tag_ids.len();
        let mut words: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut unigram: Vec<u32> = Vec::new();
        let mut pairs: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut rule_feature = vec![NONE; taxonomy.rules.len()];
        let mut lexicon_feature = vec![NONE; taxonomy.lexicons.len()];
        let rule_index: FxHashMap<&str, usize> = taxonomy
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.def.id.as_str(), i))
            .collect();
        let mut weights = Vec::new();
        let word = |w: &str, words: &mut FxHashMap<Box<str>, u32>, unigram: &mut Vec<u32>| {
            if let Some(&i) = words.get(w) {
                return i;
            }
            let i = unigram.len() as u32;
            words.insert(w.into(), i);
            unigram.push(NONE);
            i
        };
        let mut idf = Vec::new();
        let mut labels: FxHashMap<u32, Box<str>> = FxHashMap::default();
        for (f, (name, feature_idf, w)) in features.enumerate() {
            idf.push(feature_idf);
            let f = f as u32;
            if w.len() != n_tags {
                return Err(crate::Error::Model {
                    origin: origin.to_string(),
                    message: format!("feature `{name}` has {} weights, not {n_tags}", w.len()),
                });
            }
            weights.extend_from_slice(&w);
            if let Some(w) = name.strip_prefix(features::WORD) {
                let i = word(w, &mut words, &mut unigram);
                unigram[i as usize] = f;
            } else if let Some(p) = name.strip_prefix(features::PAIR) {
                let (a, b) = p.split_once(' ').unwrap_or((p, ""));
                let a = word(a, &mut words, &mut unigram);
                let b = word(b, &mut words, &mut unigram);
                pairs.insert((a, b), f);
            } else if let Some(r) = name.strip_prefix(features::RULE) {
                rule_feature[rule_index[r]] = f;
                labels.insert(f, r.into());
            } else if let Some(l) = name.strip_prefix(features::LEXICON) {
                let i = taxonomy
                    .lexicons
                    .keys()
                    .position(|k| k == l)
                    .expect("checked with the taxonomy");
                lexicon_feature[i] = f;
                labels.insert(f, format!("lexicon:{l}").into());
            } else {
                return Err(crate::Error::Model {
                    origin: origin.to_string(),
                    message: format!("feature `{name}` is of no known kind (w:, b:, r:, l:)"),
                });
            }
        }
        let mut tags = file.tags.clone();
        tags.resize_with(n_tags, || file::TagModel {
            tag: String::new(),
            fitted: false,
            bias: 0.0,
            scale: 1.0,
            shift: 0.0,
            threshold: None,
            cv: Default::default(),
        });
        for (t, id) in file.tag_ids.iter().enumerate() {
            if tags[t].tag != *id {
                return Err(crate::Error::Model {
                    origin: origin.to_string(),
                    message: format!("the tags' models are not in the order of `tag_ids` (`{id}`)"),
                });
            }
        }
        Ok(Model {
            words,
            unigram,
            pairs,
            labels,
            rule_feature,
            lexicon_feature,
            weights,
            idf,
            tags,
            records: file.training.records,
            uid: next_uid(),
        })
    }
}
