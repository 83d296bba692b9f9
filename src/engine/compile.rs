//! Compiling a taxonomy into an engine: every phrase and regex into the
//! matcher, every rule condition into shared leaves, the context rules, and
//! the tables the later stages look things up in.

use super::conditions::{Cond, Leaves};
use super::context::{ContextConfig, Roles};
use super::hit::{AtomId, AtomTable};
use super::matcher::MatcherBuilder;
use super::{CompiledRule, Engine};
use super::{grouped, regexes, scoring};
use crate::error::{Error, Location, Result, TaxonomyError};
use crate::taxonomy::Taxonomy;
use crate::taxonomy::schema::CondDef;
use std::collections::HashMap;

/// Marks one context role on an atom.
type SetRole = fn(&mut Roles);

impl Engine {
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
        let mut rule_atoms: Vec<(usize, u32)> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let mut positive = Vec::new();
            r.cond.positive_atoms(&leaves, &mut positive);
            positive.sort_unstable();
            positive.dedup();
            rule_atoms.extend(positive.into_iter().map(|a| (a as usize, i as u32)));
        }
        let atom_rules = grouped::Grouped::new(atoms.len(), rule_atoms.iter().copied());
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
        let score_table = scoring::ScoreTable::new(&taxonomy, context.hedge_factor);
        Ok(Engine {
            taxonomy,
            matcher,
            context,
            rules,
            leaves,
            atom_rules,
            score_table,
            atoms: atoms.into(),
            atom_lexicons,
            model: None,
        })
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
