//! The rule engine: compiles a taxonomy once, then classifies many texts.

mod compile;
mod conditions;
mod context;
mod evaluate;
mod export;
pub(crate) mod flat;
mod grouped;
mod hit;
mod interner;
mod matcher;
mod phrase_syntax;
mod phrase_trie;
mod regexes;
pub(crate) mod scoring;
pub(crate) mod snapshot;
mod vocabulary;

pub use scoring::MAX_EVIDENCE;

use crate::classification::Classification;
use crate::error::Result;
use crate::taxonomy::Taxonomy;
use crate::taxonomy::schema::{NegationMode, Scope};
use crate::text::{NormText, Sentence, Token};
use conditions::{Cond, Leaves};
use context::{ContextConfig, Roles};
use hit::{AtomId, AtomTable, Hit};
use matcher::Matcher;
use std::collections::HashMap;

/// Options for one classification.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClassifyOptions {
    /// Overrides every tag's threshold.
    pub min_confidence: Option<f64>,
    /// Also report rules that negated evidence kept from firing.
    pub explain: bool,
    /// Which layers decide (only matters with a model attached).
    pub model: crate::model::Mode,
}

/// A rule as the rules stage evaluates it (scoring has its own table).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct CompiledRule {
    pub scope: Scope,
    pub negation: NegationMode,
    pub cond: Cond,
}

/// A compiled taxonomy, ready to classify texts. Cheap to share across threads.
///
/// Serialised (for the start-up snapshot) without its taxonomy and model,
/// which are stored apart: each of the three is also read on its own.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Engine {
    #[serde(skip)]
    taxonomy: Taxonomy,
    pub(crate) matcher: Matcher,
    context: ContextConfig,
    rules: Vec<CompiledRule>,
    leaves: Leaves,
    /// For each atom, the rules whose condition can match it.
    atom_rules: grouped::Grouped<u32>,
    /// What scoring reads of the rules and tags.
    score_table: scoring::ScoreTable,
    /// What each atom is (a folded phrase, `/regex/`), for `--with-source`;
    /// lazy, since classifying never reads it.
    atoms: crate::taxonomy::lazy::Lazy<AtomTable>,
    /// For each atom, the lexicons (by index in sorted order) that list it.
    atom_lexicons: grouped::Grouped<u32>,
    /// The learned layer, if one is attached ([`Engine::with_model`]).
    #[serde(skip)]
    model: Option<crate::model::Model>,
}

/// A rule that fired on a text, before scoring.
#[derive(Debug, Clone)]
pub(crate) struct Fired {
    pub rule: usize,
    pub evidence: Vec<u32>,
    /// A hedge covering all of the evidence, if every firing was hedged.
    pub hedged_by: Option<u32>,
}

/// A rule kept from firing by negated evidence.
#[derive(Debug, Clone)]
pub(crate) struct Blocked {
    pub rule: usize,
    /// (negated hit, trigger hit)
    pub negated: Vec<(u32, u32)>,
}

/// Everything the engine found in one text.
pub(crate) struct Analysis<'t> {
    pub original: &'t str,
    pub norm: NormText,
    pub tokens: Vec<Token>,
    /// The segmenter's sentences, in the folded text.
    pub sentences: Vec<Sentence>,
    pub sentence_of_token: Vec<u32>,
    pub hits: Vec<Hit>,
    /// Each hit's context (negation, hedge, mask), in the order of `hits`.
    pub context: Vec<context::HitContext>,
    pub fired: Vec<Fired>,
    pub blocked: Vec<Blocked>,
}

impl Engine {
    /// The engine for the default, embedded taxonomy.
    pub fn embedded() -> Result<Engine> {
        // Read from the start-up snapshot when it was made from these files.
        if let Some(engine) = snapshot::taxonomy().and_then(snapshot::engine) {
            return Ok(engine);
        }
        Engine::new(Taxonomy::embedded_compiled()?)
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Attaches a learned model (see [`crate::model`]); it must have been
    /// built for this engine's taxonomy.
    pub fn with_model(mut self, model: Option<crate::model::Model>) -> Engine {
        self.model = model;
        self
    }

    pub fn model(&self) -> Option<&crate::model::Model> {
        self.model.as_ref()
    }

    /// The analysis of a text, for fitting a model.
    pub(crate) fn analyze_for_model<'t>(&self, text: &'t str) -> Analysis<'t> {
        self.analyze(text, false)
    }

    /// Classifies an analysed text.
    pub(crate) fn classify_analysis(
        &self,
        a: &Analysis,
        options: &ClassifyOptions,
    ) -> Classification {
        scoring::classify(self, a, options)
    }

    /// Classifies with the taxonomy's thresholds.
    pub fn classify(&self, text: &str) -> Classification {
        self.classify_with(text, &ClassifyOptions::default())
    }

    pub fn classify_with(&self, text: &str, options: &ClassifyOptions) -> Classification {
        let analysis = self.analyze(text, options.explain);
        scoring::classify(self, &analysis, options)
    }

    /// Ids of the rules that fire on `text`, whatever the thresholds.
    pub fn fired_rules(&self, text: &str) -> Vec<&str> {
        let analysis = self.analyze(text, false);
        self.fired_ids(&analysis)
    }

    /// The classification of `text` and the ids of every rule that fired on
    /// it whatever the thresholds, from one analysis (what `aitag eval`
    /// reports for each record).
    pub fn classify_and_fired(
        &self,
        text: &str,
        options: &ClassifyOptions,
    ) -> (Classification, Vec<&str>) {
        let analysis = self.analyze(text, options.explain);
        let c = scoring::classify(self, &analysis, options);
        (c, self.fired_ids(&analysis))
    }

    fn fired_ids(&self, a: &Analysis) -> Vec<&str> {
        a.fired
            .iter()
            .map(|f| self.taxonomy.rules[f.rule].def.id.as_str())
            .collect()
    }

    /// Every phrase form and regex the engine matches, as ripgrep-compatible regexes.
    pub fn patterns(&self) -> Vec<String> {
        self.matcher.export_patterns()
    }

    /// Every pattern of [`Engine::patterns`], in the same order, with where
    /// it comes from: the ids of the rules that match it, `lexicon NAME` for
    /// the lexicons that list it, and `context` for negation and hedge words.
    pub fn patterns_with_sources(&self) -> Vec<(String, Vec<String>)> {
        let mut rules_of: Vec<Vec<usize>> = vec![Vec::new(); self.atoms.len()];
        let mut atoms = Vec::new();
        for (r, rule) in self.rules.iter().enumerate() {
            atoms.clear();
            rule.cond.all_atoms(&self.leaves, &mut atoms);
            atoms.sort_unstable();
            atoms.dedup();
            atoms.iter().for_each(|&a| rules_of[a as usize].push(r));
        }
        let mut lexicons_of: HashMap<String, Vec<&str>> = HashMap::new();
        for (name, lex) in &self.taxonomy.lexicons {
            for p in lex.phrases.iter() {
                let names = lexicons_of
                    .entry(crate::text::fold_phrase(p).into_owned())
                    .or_default();
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        self.matcher
            .export_patterns_with_atoms()
            .into_iter()
            .map(|(atoms, pattern)| {
                let mut sources: Vec<String> = Vec::new();
                let mut add = |s: String| {
                    if !sources.contains(&s) {
                        sources.push(s);
                    }
                };
                for &atom in &atoms {
                    if let Some(names) = lexicons_of.get(self.atoms.label(atom)) {
                        names.iter().for_each(|n| add(format!("lexicon {n}")));
                    }
                    for &r in &rules_of[atom as usize] {
                        add(self.taxonomy.rules[r].def.id.clone());
                    }
                    if self.context.roles[atom as usize] != Roles::default() {
                        add("context".to_string());
                    }
                }
                (pattern, sources)
            })
            .collect()
    }
}

/// What the learned layer reads of the lexicons.
impl Engine {
    /// The lexicons (by index in the taxonomy's sorted order) listing an atom.
    pub(crate) fn lexicons_of(&self, atom: AtomId) -> &[u32] {
        self.atom_lexicons.get(atom as usize)
    }
    pub(crate) fn lexicon_name(&self, index: usize) -> &str {
        self.taxonomy
            .lexicons
            .keys()
            .nth(index)
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_regex_compiles() {
        let engine = Engine::embedded().unwrap();
        assert_eq!(engine.matcher.compile_regexes(), vec![]);
    }

    /// `aitag taxonomy --patterns` must be a fair stand-in for the engine
    /// (ripgrep is timed against it): every phrase the engine finds in an AIID
    /// incident, the exported pattern of that phrase finds at the same place.
    #[test]
    fn exported_patterns_match_wherever_the_engine_does() {
        let engine = Engine::embedded().unwrap();
        // An atom has a pattern for each way of writing it ("selfdriving").
        let mut pattern_of: HashMap<AtomId, String> = HashMap::new();
        for (atoms, pattern) in engine.matcher.phrase_patterns() {
            for atom in atoms {
                let all = pattern_of.entry(atom).or_default();
                if !all.is_empty() {
                    all.push('|');
                }
                all.push_str(&format!("(?:{pattern})"));
            }
        }
        // Compiled when first needed: most phrases never occur.
        let mut compiled: HashMap<AtomId, regex::Regex> = HashMap::new();
        let data = include_str!("../../tests/data/aiid/incidents.jsonl");
        let mut checked = 0;
        // Every other incident keeps the debug-build test under ten seconds.
        for line in data.lines().step_by(2) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = format!(
                "{}. {}",
                v["title"].as_str().unwrap_or(""),
                v["description"].as_str().unwrap_or("")
            );
            let a = engine.analyze(&text, false);
            for h in &a.hits {
                let Some(pattern) = pattern_of.get(&h.atom) else {
                    continue; // a rule's regex, exported as written
                };
                let re = compiled.entry(h.atom).or_insert_with(|| {
                    regex::RegexBuilder::new(pattern)
                        .case_insensitive(true)
                        .build()
                        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
                });
                let (start, end) = a.norm.orig_span(h.start as usize, h.end as usize);
                if text[start..end].contains(['-', '\u{2010}', '\u{2011}']) {
                    // Hyphenated words that match a closed one ("e-mail" for
                    // "email") are not exported (see `phrase_patterns`).
                    continue;
                }
                let found = re.find_at(&text, start).map(|m| m.start());
                assert_eq!(found, Some(start), "{} in {text:?}", re.as_str());
                checked += 1;
            }
        }
        assert!(checked > 5_000, "only {checked} hits checked");
    }
}
