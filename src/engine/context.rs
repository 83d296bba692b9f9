//! Negation and hedging in the manner of NegEx / ConText.
//!
//! A pre-trigger ("no evidence that", "not") covers the words after it up to a
//! terminator ("but", "however", a colon) or the end of the sentence; a
//! post-trigger ("was ruled out") covers a few words before it.
//! Pseudo-triggers ("not only", "no idea", "without warning") look like
//! triggers but are not: they cancel any trigger they contain, and the words
//! inside them are no rule's evidence ("without any problems" is not a
//! missing safeguard). Hedges work like negation but only lower the weight of
//! what they cover. An instruction trigger ("told not to") covers what an
//! instruction says: what it forbids did not happen, so it is no rule's
//! evidence, whatever the rule's negation mode.
//!
//! Unlike many NegEx ports we remember *which* trigger covered which hit, so
//! the explanation can quote it.
//!
//! Every step is a sweep over the hits in order (or a binary search per hit),
//! so the cost grows with the number of hits times its logarithm: a text of
//! 400,000 "not"s is as many triggers as hits.

use super::hit::{AtomId, Hit};

/// The roles an atom plays in context detection (it may also be rule evidence).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Roles {
    pub pre_negation: bool,
    pub post_negation: bool,
    pub pseudo: bool,
    pub terminator: bool,
    pub pre_hedge: bool,
    pub post_hedge: bool,
    pub instruction: bool,
}

/// One byte, a bit a role, in the start-up snapshot.
impl super::flat::Flat for Roles {
    const SIZE: usize = 1;
    fn put(&self, out: &mut Vec<u8>) {
        let bits = [
            self.pre_negation,
            self.post_negation,
            self.pseudo,
            self.terminator,
            self.pre_hedge,
            self.post_hedge,
            self.instruction,
        ];
        out.push(bits.iter().rev().fold(0, |acc, &b| acc << 1 | b as u8));
    }
    fn get(bytes: &[u8]) -> Self {
        let bit = |i: u8| bytes[0] >> i & 1 == 1;
        Roles {
            pre_negation: bit(0),
            post_negation: bit(1),
            pseudo: bit(2),
            terminator: bit(3),
            pre_hedge: bit(4),
            post_hedge: bit(5),
            instruction: bit(6),
        }
    }
}

impl Roles {
    pub fn any(&self) -> bool {
        self.pre_negation
            || self.post_negation
            || self.pseudo
            || self.terminator
            || self.pre_hedge
            || self.post_hedge
            || self.instruction
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ContextConfig {
    #[serde(with = "super::flat")]
    pub roles: Vec<Roles>,
    pub post_window: u32,
    pub pre_window: Option<u32>,
    pub hedge_factor: f64,
    /// Punctuation that ends the scope of negations and hedges like a
    /// terminator ("It was not a drill: hackers stole ..."). Instructions
    /// run on past it ("told: do not ...").
    pub terminator_marks: Vec<u8>,
}

/// For each hit: the index of the hit that negates it, of the one that hedges
/// it, and of the pseudo-trigger or instruction that keeps it from being
/// evidence at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct HitContext {
    pub negated_by: Option<u32>,
    pub hedged_by: Option<u32>,
    pub masked_by: Option<u32>,
}

/// A trigger or terminator, by its place.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
    tok_start: u32,
    tok_end: u32,
    sentence: u32,
    /// The hit it is (`u32::MAX` for a terminator mark, which is no hit).
    hit: u32,
}

impl Span {
    fn of(hits: &[Hit], i: usize) -> Span {
        let h = &hits[i];
        Span {
            start: h.start,
            end: h.end,
            tok_start: h.tok_start,
            tok_end: h.tok_end,
            sentence: h.sentence,
            hit: i as u32,
        }
    }
}

/// Pre-triggers of one kind, met in order of their ends as a sweep over the
/// hits moves right: `best` is the one closest before the current hit (the
/// latest start; of two starting together, the longer, the better quote).
struct PreSweep {
    by_end: Vec<Span>,
    next: usize,
    best: Option<Span>,
}

impl PreSweep {
    fn new(mut spans: Vec<Span>) -> PreSweep {
        // Stable: of equal ends, hits order (longest first at a start).
        spans.sort_by_key(|s| s.end);
        PreSweep {
            by_end: spans,
            next: 0,
            best: None,
        }
    }

    /// Takes in every span that ends at or before `pos`.
    fn advance(&mut self, pos: u32) {
        while let Some(s) = self.by_end.get(self.next).filter(|s| s.end <= pos) {
            if self.best.is_none_or(|b| s.start >= b.start) {
                self.best = Some(*s);
            }
            self.next += 1;
        }
    }
}

/// Post-triggers of one kind, sorted by start, and the terminators after
/// each place: the first after a hit is the one that can cover it.
fn first_from(spans: &[Span], pos: u32) -> Option<&Span> {
    spans.get(spans.partition_point(|s| s.start < pos))
}

impl ContextConfig {
    fn roles(&self, atom: AtomId) -> Roles {
        self.roles.get(atom as usize).copied().unwrap_or_default()
    }

    /// Computes the context of every hit. `hits` are sorted by start; `text`
    /// is the folded text they are in.
    pub fn apply(&self, hits: &[Hit], text: &str) -> Vec<HitContext> {
        let mut out = vec![HitContext::default(); hits.len()];
        if !hits.iter().any(|h| self.roles(h.atom).any()) {
            return out;
        }
        // Pseudo-triggers: a hit inside one (not one itself) is masked and,
        // if a trigger, does not count. Hits are sorted by start, so the
        // pseudo-trigger reaching furthest among those starting at or before
        // a hit is the one that may contain it.
        let mut live = vec![true; hits.len()];
        let mut reach: Option<(u32, u32)> = None; // (end, pseudo hit)
        let mut i = 0;
        while i < hits.len() {
            let start = hits[i].start;
            let group_end = i + hits[i..].iter().take_while(|h| h.start == start).count();
            for (k, h) in hits.iter().enumerate().take(group_end).skip(i) {
                if self.roles(h.atom).pseudo && reach.is_none_or(|(e, _)| h.end > e) {
                    reach = Some((h.end, k as u32));
                }
            }
            for k in i..group_end {
                let h = &hits[k];
                if self.roles(h.atom).pseudo {
                    continue;
                }
                if let Some((_, p)) = reach.filter(|&(end, _)| h.end <= end) {
                    live[k] = false;
                    out[k].masked_by = Some(p);
                }
            }
            i = group_end;
        }

        let mut pre_negation = Vec::new();
        let mut pre_hedge = Vec::new();
        let mut instruction = Vec::new();
        let mut post_negation = Vec::new();
        let mut post_hedge = Vec::new();
        let mut terminators = Vec::new();
        for (k, h) in hits.iter().enumerate() {
            let r = self.roles(h.atom);
            if r.pseudo || !live[k] {
                continue;
            }
            let s = Span::of(hits, k);
            let lists = [
                (r.pre_negation, &mut pre_negation),
                (r.pre_hedge, &mut pre_hedge),
                (r.instruction, &mut instruction),
                (r.post_negation, &mut post_negation),
                (r.post_hedge, &mut post_hedge),
                (r.terminator, &mut terminators),
            ];
            for (on, list) in lists {
                if on {
                    list.push(s);
                }
            }
        }
        let marks: Vec<Span> = self.marks(hits, text);

        let mut pre_negation = PreSweep::new(pre_negation);
        let mut pre_hedge = PreSweep::new(pre_hedge);
        let mut instruction = PreSweep::new(instruction);
        let mut phrase_terms = PreSweep::new(terminators.clone());
        let mut mark_terms = PreSweep::new(marks.clone());
        // For post-triggers: every terminator by start, with the least end
        // from each one on.
        let mut all_terms: Vec<Span> = terminators.into_iter().chain(marks).collect();
        all_terms.sort_by_key(|s| s.start);
        let mut least_end = vec![u32::MAX; all_terms.len() + 1];
        for k in (0..all_terms.len()).rev() {
            least_end[k] = least_end[k + 1].min(all_terms[k].end);
        }
        let terminated_after = |from: u32, to: u32| {
            let k = all_terms.partition_point(|s| s.start < from);
            least_end[k] <= to
        };

        for (k, h) in hits.iter().enumerate() {
            for sweep in [
                &mut pre_negation,
                &mut pre_hedge,
                &mut instruction,
                &mut phrase_terms,
                &mut mark_terms,
            ] {
                sweep.advance(h.start);
            }
            // A terminator after the trigger and before the hit ends its scope.
            let cut_by = |sweep: &PreSweep, t: &Span| {
                sweep
                    .best
                    .is_some_and(|term| term.start >= t.end && term.sentence == h.sentence)
            };
            let covers = |sweep: &PreSweep, marks_end_it: bool| {
                let t = sweep
                    .best
                    .filter(|t| t.sentence == h.sentence && t.hit != k as u32)?;
                let gap = h.tok_start.saturating_sub(t.tok_end);
                let in_window = self.pre_window.is_none_or(|w| gap <= w);
                let cut = cut_by(&phrase_terms, &t) || (marks_end_it && cut_by(&mark_terms, &t));
                (in_window && !cut).then_some(t.hit)
            };
            let post = |list: &[Span]| {
                let t = first_from(list, h.end)?;
                let gap = t.tok_start.saturating_sub(h.tok_end);
                (t.sentence == h.sentence
                    && gap <= self.post_window
                    && !terminated_after(h.end, t.start))
                .then_some(t.hit)
            };
            let c = &mut out[k];
            c.negated_by = covers(&pre_negation, true).or_else(|| post(&post_negation));
            c.hedged_by = covers(&pre_hedge, true).or_else(|| post(&post_hedge));
            if c.masked_by.is_none() {
                c.masked_by = covers(&instruction, false);
            }
        }
        out
    }

    /// The terminator marks of the text, as spans in the sentences of the
    /// hits around them.
    fn marks(&self, hits: &[Hit], text: &str) -> Vec<Span> {
        if self.terminator_marks.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (pos, b) in text.bytes().enumerate() {
            if !self.terminator_marks.contains(&b) {
                continue;
            }
            let pos = pos as u32;
            // The sentence is the next hit's: a mark only matters between hits.
            let next = hits.partition_point(|h| h.start < pos);
            let Some(after) = hits.get(next) else {
                continue;
            };
            out.push(Span {
                start: pos,
                end: pos + 1,
                tok_start: after.tok_start,
                tok_end: after.tok_start,
                sentence: after.sentence,
                hit: u32::MAX,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIDENCE: AtomId = 0;
    const NEG: AtomId = 1;
    const TERM: AtomId = 2;
    const PSEUDO: AtomId = 3;
    const POST: AtomId = 4;
    const HEDGE: AtomId = 5;

    fn config() -> ContextConfig {
        let mut roles = vec![Roles::default(); 6];
        roles[NEG as usize].pre_negation = true;
        roles[TERM as usize].terminator = true;
        roles[PSEUDO as usize].pseudo = true;
        roles[POST as usize].post_negation = true;
        roles[HEDGE as usize].pre_hedge = true;
        ContextConfig {
            roles,
            post_window: 4,
            pre_window: Some(10),
            hedge_factor: 0.7,
            terminator_marks: vec![b':'],
        }
    }

    /// One-word hits, one per token, `width` bytes a token.
    fn hit(atom: AtomId, token: u32, sentence: u32) -> Hit {
        Hit {
            atom,
            start: token * 4,
            end: token * 4 + 3,
            tok_start: token,
            tok_end: token + 1,
            sentence,
        }
    }

    /// The quadratic NegEx scan this module replaced, for negation only.
    fn reference(c: &ContextConfig, hits: &[Hit]) -> Vec<Option<u32>> {
        let roles = |h: &Hit| c.roles[h.atom as usize];
        let pseudo: Vec<&Hit> = hits.iter().filter(|h| roles(h).pseudo).collect();
        let live = |h: &Hit| {
            !pseudo
                .iter()
                .any(|p| p.start <= h.start && h.end <= p.end && p.atom != h.atom)
        };
        let triggers: Vec<usize> = (0..hits.len())
            .filter(|&i| roles(&hits[i]).any() && !roles(&hits[i]).pseudo && live(&hits[i]))
            .collect();
        let terminated = |from: u32, to: u32, s: u32| {
            triggers.iter().any(|&t| {
                let h = &hits[t];
                roles(h).terminator && h.sentence == s && h.start >= from && h.end <= to
            })
        };
        hits.iter()
            .enumerate()
            .map(|(i, h)| {
                let mut neg = None;
                for &t in &triggers {
                    let trig = &hits[t];
                    if trig.sentence != h.sentence || t == i {
                        continue;
                    }
                    if trig.end <= h.start && roles(trig).pre_negation {
                        let gap = h.tok_start.saturating_sub(trig.tok_end);
                        if c.pre_window.is_none_or(|w| gap <= w)
                            && !terminated(trig.end, h.start, h.sentence)
                            && neg.is_none_or(|n: u32| hits[n as usize].start < trig.start)
                        {
                            neg = Some(t as u32);
                        }
                    } else if trig.start >= h.end && roles(trig).post_negation {
                        let gap = trig.tok_start.saturating_sub(h.tok_end);
                        if gap <= c.post_window
                            && !terminated(h.end, trig.start, h.sentence)
                            && neg.is_none()
                        {
                            neg = Some(t as u32);
                        }
                    }
                }
                neg
            })
            .collect()
    }

    #[test]
    fn the_sweep_negates_what_the_quadratic_scan_did() {
        // A small linear congruential generator: the test needs no crate.
        let mut seed = 12345u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let c = config();
        for _ in 0..300 {
            let len = 1 + next(40) as u32;
            let mut sentence = 0;
            let hits: Vec<Hit> = (0..len)
                .map(|t| {
                    if next(8) == 0 {
                        sentence += 1;
                    }
                    // Negation, terminators and evidence dominate; no pseudo
                    // here (they span several tokens below).
                    let atom = [EVIDENCE, EVIDENCE, NEG, TERM, POST][next(5) as usize];
                    hit(atom, t, sentence)
                })
                .collect();
            let got: Vec<Option<u32>> = c.apply(&hits, "").iter().map(|x| x.negated_by).collect();
            assert_eq!(got, reference(&c, &hits), "{hits:?}");
        }
    }

    #[test]
    fn pseudo_triggers_mask_what_they_contain() {
        let c = config();
        let mut pseudo = hit(PSEUDO, 0, 0);
        pseudo.end = hit(0, 1, 0).end;
        pseudo.tok_end = 2;
        let hits = [
            pseudo,
            hit(NEG, 0, 0),
            hit(EVIDENCE, 1, 0),
            hit(EVIDENCE, 3, 0),
        ];
        let ctx = c.apply(&hits, "");
        assert_eq!(ctx[1].masked_by, Some(0));
        assert_eq!(ctx[2].masked_by, Some(0));
        // The trigger inside the pseudo-trigger negates nothing.
        assert_eq!(ctx[3].negated_by, None);
        assert_eq!(ctx[3].masked_by, None);
    }

    #[test]
    fn a_mark_ends_a_pre_trigger() {
        let c = config();
        let hits = [hit(NEG, 0, 0), hit(EVIDENCE, 2, 0), hit(EVIDENCE, 4, 0)];
        // "neg  evi: evi" with the colon between the two evidence hits.
        let mut text = " ".repeat(20);
        text.replace_range(11..12, ":");
        let ctx = c.apply(&hits, &text);
        assert_eq!(ctx[1].negated_by, Some(0));
        assert_eq!(ctx[2].negated_by, None);
    }

    /// The ratio of the least time of `large` to that of `small` over five
    /// interleaved runs of each, so that both see the same load.
    fn ratio(small: impl Fn(), large: impl Fn()) -> f64 {
        let time = |f: &dyn Fn()| {
            let t = std::time::Instant::now();
            f();
            t.elapsed().as_secs_f64()
        };
        let (mut s, mut l) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..5 {
            s = s.min(time(&small));
            l = l.min(time(&large));
        }
        l / s
    }

    /// "not " x 400,000 is 400,000 triggers in one sentence; "not. " x 12,800
    /// as many sentences. Four times the input may take at most ten times as
    /// long (a quadratic scan takes sixteen): the suite runs on busy machines,
    /// where a larger working set also pays more for shared caches, so the
    /// bound sits between linear and quadratic, and both sizes are larger than
    /// a core's cache.
    #[test]
    fn context_time_grows_linearly_with_the_hits() {
        let c = config();
        let one_sentence = |n: u32| -> Vec<Hit> {
            (0..n)
                .map(|t| hit(if t % 2 == 0 { NEG } else { EVIDENCE }, t, 0))
                .collect()
        };
        let many_sentences = |n: u32| -> Vec<Hit> { (0..n).map(|t| hit(NEG, t, t)).collect() };
        for make in [&one_sentence as &dyn Fn(u32) -> Vec<Hit>, &many_sentences] {
            let (small, large) = (make(50_000), make(200_000));
            let text = ":".repeat(10);
            // The machine is shared with other tests: a quadratic scan is
            // sixteen times slower every time, noise only now and then.
            let ratios: Vec<f64> = (0..3)
                .map(|_| {
                    ratio(
                        || drop(c.apply(&small, &text)),
                        || drop(c.apply(&large, &text)),
                    )
                })
                .collect();
            assert!(
                ratios.iter().any(|&r| r <= 10.0),
                "4x the hits took {ratios:.1?} times as long"
            );
        }
    }
}
