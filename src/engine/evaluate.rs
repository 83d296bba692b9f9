//! The rules stage: a text is segmented, matched, put in context, and every
//! rule's condition evaluated over its hits, giving the rules that fire (and,
//! for explanations, the rules that negated evidence kept from firing).

use super::conditions::{self, View};
use super::{Analysis, Blocked, Engine, Fired};
use crate::taxonomy::schema::{NegationMode, Scope};
use crate::text::{NormText, segment};

impl Engine {
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
        // none), so only these are evaluated: work that grows with the hits
        // rather than with rules x sentences, most of which have no hit.
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        for (run, &(from, to)) in sentence_ranges.iter().enumerate() {
            for h in &hits[from..to] {
                let rules = self.atom_rules.get(h.atom as usize);
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
            sentences,
            sentence_of_token,
            hits,
            context: ctx,
            fired,
            blocked,
        }
    }
}
