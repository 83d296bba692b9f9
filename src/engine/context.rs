//! Negation and hedging in the manner of NegEx / ConText.
//!
//! A pre-trigger ("no evidence that", "not") covers the words after it up to a
//! terminator ("but", "however") or the end of the sentence; a post-trigger
//! ("was ruled out") covers a few words before it. Pseudo-triggers ("not only")
//! look like triggers but are not, and cancel any trigger they contain. Hedges
//! work the same way but only lower the weight of what they cover.
//!
//! Unlike many NegEx ports we remember *which* trigger covered which hit, so
//! the explanation can quote it.

use super::matcher::{AtomId, Hit};

/// The roles an atom plays in context detection (it may also be rule evidence).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    pub pre_negation: bool,
    pub post_negation: bool,
    pub pseudo: bool,
    pub terminator: bool,
    pub pre_hedge: bool,
    pub post_hedge: bool,
}

impl Roles {
    pub fn any(&self) -> bool {
        self.pre_negation
            || self.post_negation
            || self.pseudo
            || self.terminator
            || self.pre_hedge
            || self.post_hedge
    }
}

#[derive(Debug, Clone)]
pub struct ContextConfig {
    pub roles: Vec<Roles>,
    pub post_window: u32,
    pub pre_window: Option<u32>,
    pub hedge_factor: f64,
}

/// For each hit: the index of the hit that negates it, and of the one that hedges it.
#[derive(Debug, Clone, Copy, Default)]
pub struct HitContext {
    pub negated_by: Option<u32>,
    pub hedged_by: Option<u32>,
}

impl ContextConfig {
    fn roles(&self, atom: AtomId) -> Roles {
        self.roles.get(atom as usize).copied().unwrap_or_default()
    }

    /// Computes the context of every hit. `hits` are sorted by start.
    pub fn apply(&self, hits: &[Hit]) -> Vec<HitContext> {
        let mut out = vec![HitContext::default(); hits.len()];
        if !hits.iter().any(|h| self.roles(h.atom).any()) {
            return out;
        }
        // Triggers that sit inside a pseudo-trigger do not count.
        let pseudo: Vec<&Hit> = hits.iter().filter(|h| self.roles(h.atom).pseudo).collect();
        let live = |h: &Hit| {
            !pseudo
                .iter()
                .any(|p| p.start <= h.start && h.end <= p.end && p.atom != h.atom)
        };
        let triggers: Vec<(usize, Roles)> = hits
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let r = self.roles(h.atom);
                (r.any() && !r.pseudo && live(h)).then_some((i, r))
            })
            .collect();
        for (i, h) in hits.iter().enumerate() {
            let mut negated_by = None;
            let mut hedged_by = None;
            for &(t, roles) in &triggers {
                let trig = &hits[t];
                if trig.sentence != h.sentence || t == i {
                    continue;
                }
                let before = trig.end <= h.start;
                let after = trig.start >= h.end;
                if before && (roles.pre_negation || roles.pre_hedge) {
                    let gap = h.tok_start.saturating_sub(trig.tok_end);
                    let in_window = self.pre_window.is_none_or(|w| gap <= w);
                    if in_window && !self.terminated(hits, &triggers, trig.end, h.start, h.sentence)
                    {
                        // The closest trigger wins; of two starting at the same word,
                        // the longer ("no evidence that" over "no") is the better quote.
                        let closer =
                            negated_by.is_none_or(|n: u32| hits[n as usize].start < trig.start);
                        if roles.pre_negation && closer {
                            negated_by = Some(t as u32);
                        }
                        if roles.pre_hedge && hedged_by.is_none() {
                            hedged_by = Some(t as u32);
                        }
                    }
                } else if after && (roles.post_negation || roles.post_hedge) {
                    let gap = trig.tok_start.saturating_sub(h.tok_end);
                    if gap <= self.post_window
                        && !self.terminated(hits, &triggers, h.end, trig.start, h.sentence)
                    {
                        if roles.post_negation && negated_by.is_none() {
                            negated_by = Some(t as u32);
                        }
                        if roles.post_hedge && hedged_by.is_none() {
                            hedged_by = Some(t as u32);
                        }
                    }
                }
            }
            out[i] = HitContext {
                negated_by,
                hedged_by,
            };
        }
        out
    }

    /// Whether a terminator lies between folded offsets `from` and `to`.
    fn terminated(
        &self,
        hits: &[Hit],
        triggers: &[(usize, Roles)],
        from: u32,
        to: u32,
        sentence: u32,
    ) -> bool {
        triggers.iter().any(|&(t, r)| {
            let h = &hits[t];
            r.terminator && h.sentence == sentence && h.start >= from && h.end <= to
        })
    }
}
