//! The rule engine: compiles a taxonomy once, then classifies many texts.

mod conditions;
mod context;
mod export;
mod grouped;
mod hit;
mod interner;
mod matcher;
mod phrase_syntax;
mod phrase_trie;
mod regexes;
pub(crate) mod scoring;
mod vocabulary;

pub use scoring::MAX_EVIDENCE;

use crate::classification::Classification;
use crate::error::{Error, Location, Result, TaxonomyError};
use crate::taxonomy::Taxonomy;
use crate::taxonomy::schema::{CondDef, NegationMode, Scope};
use crate::text::{NormText, Token, segment};
use conditions::{Cond, Leaves, View};
use context::{ContextConfig, Roles};
use hit::{AtomId, AtomTable, Hit};
use matcher::{Matcher, MatcherBuilder};
use std::collections::HashMap;

/// Marks one context role on an atom.
type SetRole = fn(&mut Roles);

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

pub(crate) struct CompiledRule {
    pub tag: usize,
    pub weight: f64,
    pub scope: Scope,
    pub negation: NegationMode,
    pub cond: Cond,
}

/// A compiled taxonomy, ready to classify texts. Cheap to share across threads.
pub struct Engine {
    taxonomy: Taxonomy,
    pub(crate) matcher: Matcher,
    context: ContextConfig,
    rules: Vec<CompiledRule>,
    leaves: Leaves,
    /// For each atom, the rules whose condition can match it.
    atom_rules: Vec<Vec<u32>>,
    /// For each tag, the index of its parent.
    parents: Vec<Option<usize>>,
    /// What each atom is (a folded phrase, `/regex/`), for `--with-source`.
    atoms: AtomTable,
    /// For each atom, the lexicons (by index in sorted order) that list it.
    atom_lexicons: grouped::Grouped<u32>,
    /// The learned layer, if one is attached ([`Engine::with_model`]).
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
    pub sentence_of_token: Vec<u32>,
    pub hits: Vec<Hit>,
    pub fired: Vec<Fired>,
    pub blocked: Vec<Blocked>,
}

impl Engine {
    /// The engine for the default, embedded taxonomy.
    pub fn embedded() -> Result<Engine> {
        Engine::new(Taxonomy::embedded()?)
    }

    pub fn new(taxonomy: Taxonomy) -> Result<Engine> {
        let phrases = phrase_count(&taxonomy);
        let mut atoms = AtomTable::with_capacity(phrases);
        let mut builder = MatcherBuilder::with_capacity(phrases);
        let mut roles: HashMap<AtomId, Roles> = HashMap::new();
        let ctx = &taxonomy.context;
        let role_lists: [(&Vec<String>, SetRole); 7] = [
            (&ctx.pre_negation, |r| r.pre_negation = true),
            (&ctx.post_negation, |r| r.post_negation = true),
            (&ctx.pseudo, |r| r.pseudo = true),
            (&ctx.terminators, |r| r.terminator = true),
            (&ctx.hedges, |r| r.pre_hedge = true),
            (&ctx.post_hedges, |r| r.post_hedge = true),
            (&ctx.instructions, |r| r.instruction = true),
        ];
        // Punctuation alone (":") is no phrase: the context finds it in the text.
        let is_mark =
            |p: &str| !p.trim().is_empty() && p.trim().bytes().all(|b| b.is_ascii_punctuation());
        let terminator_marks: Vec<u8> = ctx
            .terminators
            .iter()
            .filter(|p| is_mark(p) && p.trim().len() == 1)
            .map(|p| p.trim().as_bytes()[0])
            .collect();
        for (list, set) in role_lists {
            for phrase in list.iter().filter(|p| !is_mark(p)) {
                let atom = builder.add_phrase(&mut atoms, phrase);
                set(roles.entry(atom).or_default());
            }
        }
        let lexicons: HashMap<&str, Vec<AtomId>> = taxonomy
            .lexicons
            .iter()
            .map(|(name, lex)| {
                (
                    name.as_str(),
                    lex.phrases
                        .iter()
                        .map(|p| builder.add_phrase(&mut atoms, p))
                        .collect(),
                )
            })
            .collect();
        // In the taxonomy's (sorted) order: the model names lexicons by index.
        let lexicon_atoms: Vec<&Vec<AtomId>> = taxonomy
            .lexicons
            .keys()
            .map(|name| &lexicons[name.as_str()])
            .collect();
        let tag_index: HashMap<&str, usize> = taxonomy
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut rules = Vec::with_capacity(taxonomy.rules.len());
        let mut leaves = Leaves::default();
        let mut regex_users: HashMap<AtomId, Vec<Location>> = HashMap::new();
        for rule in &taxonomy.rules {
            let mut regexes = Vec::new();
            let mut compiler = CondCompiler {
                lexicons: &lexicons,
                builder: &mut builder,
                atoms: &mut atoms,
                leaves: &mut leaves,
                regexes: &mut regexes,
            };
            let cond = compiler.compile(&rule.def.when);
            for atom in regexes {
                regex_users
                    .entry(atom)
                    .or_default()
                    .push(rule.location.clone());
            }
            rules.push(CompiledRule {
                tag: tag_index[rule.def.tag.as_str()],
                weight: rule.def.weight,
                scope: rule.def.scope,
                negation: rule.def.negation,
                cond,
            });
        }
        // The built-in taxonomy's regexes are known to compile (a test
        // compiles them), so they wait until a text needs them; a user's are
        // compiled now, so that a pattern over the size limit is reported.
        let matcher = builder.build(!taxonomy.builtin).map_err(|failures| {
            let users = |atom: AtomId| regex_users.get(&atom).cloned().unwrap_or_default();
            let mut errors = regexes::regex_errors(failures, &atoms, &users);
            if errors.is_empty() {
                errors.push(TaxonomyError {
                    location: Location {
                        file: taxonomy.origin.clone(),
                        line: None,
                        column: None,
                    },
                    message: "the patterns could not be compiled".into(),
                });
            }
            Error::Taxonomy(errors)
        })?;
        leaves.index_atoms(atoms.len());
        let mut atom_rules = vec![Vec::new(); atoms.len()];
        for (i, r) in rules.iter().enumerate() {
            let mut positive = Vec::new();
            r.cond.positive_atoms(&leaves, &mut positive);
            positive.sort_unstable();
            positive.dedup();
            for a in positive {
                atom_rules[a as usize].push(i as u32);
            }
        }
        let atom_lexicons = grouped::Grouped::new(
            atoms.len(),
            lexicon_atoms
                .iter()
                .enumerate()
                .flat_map(|(l, atoms)| atoms.iter().map(move |&a| (a as usize, l as u32))),
        );
        let mut role_vec = vec![Roles::default(); atoms.len()];
        for (atom, r) in roles {
            role_vec[atom as usize] = r;
        }
        let context = ContextConfig {
            roles: role_vec,
            post_window: ctx.post_window.unwrap_or(4) as u32,
            pre_window: ctx.pre_window.map(|w| w as u32),
            hedge_factor: ctx.hedge_factor.unwrap_or(0.6),
            terminator_marks,
        };
        let parents = taxonomy
            .tags
            .iter()
            .map(|t| t.parent.as_deref().map(|p| tag_index[p]))
            .collect();
        Ok(Engine {
            taxonomy,
            matcher,
            context,
            rules,
            leaves,
            atom_rules,
            parents,
            atoms,
            atom_lexicons,
            model: None,
        })
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
            for p in &lex.phrases {
                let names = lexicons_of
                    .entry(phrase_syntax::phrase_key(p).into_owned())
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

    /// Finds the hits and the rules that fire; with `find_blocked`, also the rules
    /// that negated evidence kept from firing (only explanations show them,
    /// and finding them evaluates those rules again).
    pub(crate) fn analyze<'t>(&self, text: &'t str, find_blocked: bool) -> Analysis<'t> {
        let norm = NormText::new(text);
        let (tokens, sentences) = segment(&norm, text);
        let mut sentence_of_token = vec![0u32; tokens.len()];
        for (si, s) in sentences.iter().enumerate() {
            for t in s.first_token..s.end_token {
                sentence_of_token[t as usize] = si as u32;
            }
        }
        let hits = self.matcher.find(text, &norm, &tokens, &sentence_of_token);
        let ctx = self.context.apply(&hits, &norm.text);
        // Hits are sorted by start, so each sentence's hits are one run.
        let mut sentence_ranges: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < hits.len() {
            let s = hits[i].sentence;
            let mut j = i;
            while j < hits.len() && hits[j].sentence == s {
                j += 1;
            }
            sentence_ranges.push((i, j));
            i = j;
        }
        // (rule, sentence) for every hit that can be evidence of the rule. A
        // scope without such a hit cannot give a rule evidence (`none` adds
        // none), so only these are evaluated: evaluating every rule on every
        // sentence of the text was a tenth of the time per text.
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        for (run, &(from, to)) in sentence_ranges.iter().enumerate() {
            for h in &hits[from..to] {
                let rules = &self.atom_rules[h.atom as usize];
                candidates.extend(rules.iter().map(|&r| (r, run as u32)));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();

        let mut fired = Vec::new();
        let mut blocked = Vec::new();
        let mut leaf_hits = Vec::new();
        self.leaves.leaf_hits(&hits, &mut leaf_hits);
        // The evidence of one rule in one scope, reused for every rule.
        let mut found: Vec<u32> = Vec::new();
        let mut scopes: Vec<(usize, usize)> = Vec::new();
        for group in candidates.chunk_by(|a, b| a.0 == b.0) {
            let r = group[0].0;
            let rule = &self.rules[r as usize];
            scopes.clear();
            match rule.scope {
                Scope::Sentence => {
                    scopes.extend(group.iter().map(|&(_, run)| sentence_ranges[run as usize]))
                }
                Scope::Text => scopes.push((0, hits.len())),
            }
            let mut evidence: Vec<u32> = Vec::new();
            let mut unhedged = false;
            let mut hedge = None;
            let mut negated: Vec<(u32, u32)> = Vec::new();
            for &(from, to) in &scopes {
                let respect_negation = rule.negation == NegationMode::Apply;
                let view = View {
                    hits: &hits,
                    leaf_hits: &leaf_hits,
                    from: from as u32,
                    to: to as u32,
                    context: &ctx,
                    respect_negation,
                };
                if conditions::eval_sorted(&rule.cond, &view, &mut found) && !found.is_empty() {
                    match found.iter().find_map(|&k| ctx[k as usize].hedged_by) {
                        Some(h) => hedge = hedge.or(Some(h)),
                        None => unhedged = true,
                    }
                    evidence.extend_from_slice(&found);
                } else if find_blocked
                    && respect_negation
                    && ctx[from..to].iter().any(|c| c.negated_by.is_some())
                {
                    let view = View {
                        respect_negation: false,
                        ..view
                    };
                    if conditions::eval_sorted(&rule.cond, &view, &mut found) {
                        negated.extend(
                            found
                                .iter()
                                .filter_map(|&k| ctx[k as usize].negated_by.map(|t| (k, t))),
                        );
                    }
                }
            }
            if !evidence.is_empty() {
                fired.push(Fired {
                    rule: r as usize,
                    evidence,
                    hedged_by: if unhedged { None } else { hedge },
                });
            } else if !negated.is_empty() {
                blocked.push(Blocked {
                    rule: r as usize,
                    negated,
                });
            }
        }
        Analysis {
            original: text,
            norm,
            tokens,
            sentence_of_token,
            hits,
            fired,
            blocked,
        }
    }
}

/// About how many phrases the taxonomy lists (its lexicons and rules, repeats
/// included): room to reserve.
fn phrase_count(taxonomy: &Taxonomy) -> usize {
    fn in_cond(c: &CondDef) -> usize {
        c.phrase.as_ref().map_or(0, |p| p.items().len()) + c.children().map(in_cond).sum::<usize>()
    }
    let lexicons: usize = taxonomy.lexicons.values().map(|l| l.phrases.len()).sum();
    let rules: usize = taxonomy.rules.iter().map(|r| in_cond(&r.def.when)).sum();
    lexicons + rules
}

/// Compiles rule conditions: phrases and regexes into atoms of the matcher,
/// atom lists into shared leaves.
struct CondCompiler<'a> {
    lexicons: &'a HashMap<&'a str, Vec<AtomId>>,
    builder: &'a mut MatcherBuilder,
    atoms: &'a mut AtomTable,
    leaves: &'a mut Leaves,
    /// The regex atoms the condition uses, for locating their errors.
    regexes: &'a mut Vec<AtomId>,
}

impl CondCompiler<'_> {
    fn compile(&mut self, c: &CondDef) -> Cond {
        if let Some(all) = &c.all {
            return Cond::All(all.iter().map(|c| self.compile(c)).collect());
        }
        if let Some(any) = &c.any {
            return Cond::Any(any.iter().map(|c| self.compile(c)).collect());
        }
        if let Some(none) = &c.none {
            return Cond::None(none.iter().map(|c| self.compile(c)).collect());
        }
        if let Some(near) = &c.near {
            return Cond::Near {
                a: Box::new(self.compile(&near.a)),
                b: Box::new(self.compile(&near.b)),
                within: near.within as u32,
                ordered: near.ordered,
            };
        }
        let mut ids = Vec::new();
        if let Some(phrases) = &c.phrase {
            for p in phrases.items() {
                ids.push(self.builder.add_phrase(self.atoms, p));
            }
        }
        if let Some(names) = &c.lexicon {
            for name in names.items() {
                ids.extend(
                    self.lexicons
                        .get(name.as_str())
                        .into_iter()
                        .flatten()
                        .copied(),
                );
            }
        }
        if let Some(re) = &c.regex {
            let id = self.builder.add_regex(self.atoms, re);
            self.regexes.push(id);
            ids.push(id);
        }
        Cond::Atoms(self.leaves.intern(ids))
    }
}

/// Accessors the scorer needs.
impl Engine {
    pub(crate) fn rule_weight(&self, rule: usize) -> f64 {
        self.rules[rule].weight
    }
    pub(crate) fn rule_tag(&self, rule: usize) -> usize {
        self.rules[rule].tag
    }
    pub(crate) fn parent_of(&self, tag: usize) -> Option<usize> {
        self.parents[tag]
    }
    pub(crate) fn hedge_factor(&self) -> f64 {
        self.context.hedge_factor
    }
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
