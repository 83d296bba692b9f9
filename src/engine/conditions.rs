//! Compiled rule conditions and their evaluation over the hits of one scope.

use super::context::HitContext;
use super::grouped::Grouped;
use super::hit::{AtomId, Hit};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Cond {
    /// Any of the atoms of this leaf (a phrase list or lexicon).
    Atoms(LeafId),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    None(Vec<Cond>),
    Near {
        a: Box<Cond>,
        b: Box<Cond>,
        within: u32,
        ordered: bool,
    },
}

/// A distinct list of atoms that conditions test for.
pub type LeafId = u32;

/// The leaves of every condition, each distinct list once (dozens of rules
/// name the same lexicon), and for each atom the leaves that hold it.
///
/// A text's hits are sorted into their leaves once (`leaf_hits`), and a
/// condition then finds its hits in a scope by binary search there. Testing
/// every hit of the scope against every leaf of every candidate rule instead
/// was about a quarter of the time of a batch run.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Leaves {
    #[serde(with = "super::flat::nested")]
    lists: Vec<Vec<AtomId>>,
    /// Only while compiling (`index_atoms` empties it).
    #[serde(skip)]
    index: FxHashMap<Vec<AtomId>, LeafId>,
    /// For each atom, the leaves that hold it, in order.
    by_atom: Grouped<LeafId>,
}

impl Leaves {
    /// The leaf of these atoms, new or the same as before.
    pub fn intern(&mut self, mut atoms: Vec<AtomId>) -> LeafId {
        atoms.sort_unstable();
        atoms.dedup();
        if let Some(&id) = self.index.get(&atoms) {
            return id;
        }
        let id = self.lists.len() as LeafId;
        self.lists.push(atoms.clone());
        self.index.insert(atoms, id);
        id
    }

    /// Indexes the leaves by atom, for atoms `0..atoms`; after the last `intern`.
    pub fn index_atoms(&mut self, atoms: usize) {
        let pairs = self
            .lists
            .iter()
            .enumerate()
            .flat_map(|(leaf, list)| list.iter().map(move |&a| (a as usize, leaf as LeafId)));
        self.by_atom = Grouped::new(atoms, pairs);
        self.index = FxHashMap::default();
    }

    pub fn atoms(&self, leaf: LeafId) -> &[AtomId] {
        &self.lists[leaf as usize]
    }

    /// (leaf, hit index) for every hit in every leaf that holds its atom,
    /// sorted, into `out` (cleared first).
    pub fn leaf_hits(&self, hits: &[Hit], out: &mut Vec<(LeafId, u32)>) {
        out.clear();
        for (i, h) in hits.iter().enumerate() {
            let leaves = self.by_atom.get(h.atom as usize);
            out.extend(leaves.iter().map(|&leaf| (leaf, i as u32)));
        }
        out.sort_unstable();
    }
}

impl Cond {
    /// Every atom the condition can match, for indexing rules by atom.
    pub fn positive_atoms(&self, leaves: &Leaves, out: &mut Vec<AtomId>) {
        match self {
            Cond::Atoms(leaf) => out.extend_from_slice(leaves.atoms(*leaf)),
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| c.positive_atoms(leaves, out)),
            Cond::None(_) => {}
            Cond::Near { a, b, .. } => {
                a.positive_atoms(leaves, out);
                b.positive_atoms(leaves, out);
            }
        }
    }

    /// Every atom the condition mentions, those under `none` included.
    pub fn all_atoms(&self, leaves: &Leaves, out: &mut Vec<AtomId>) {
        match self {
            Cond::Atoms(leaf) => out.extend_from_slice(leaves.atoms(*leaf)),
            Cond::All(v) | Cond::Any(v) | Cond::None(v) => {
                v.iter().for_each(|c| c.all_atoms(leaves, out))
            }
            Cond::Near { a, b, .. } => {
                a.all_atoms(leaves, out);
                b.all_atoms(leaves, out);
            }
        }
    }
}

/// The hits a condition sees: those of one scope (hits `from..to`), minus
/// the ones it must not count.
pub struct View<'a> {
    pub hits: &'a [Hit],
    /// The text's `Leaves::leaf_hits`.
    pub leaf_hits: &'a [(LeafId, u32)],
    pub from: u32,
    pub to: u32,
    /// The context of each hit: masked hits never count, negated ones only
    /// when the rule ignores negation.
    pub context: &'a [HitContext],
    pub respect_negation: bool,
}

/// Evaluates `cond`; on success `out` (cleared first, so that one buffer
/// serves every rule) holds the indices of the hits that make it true,
/// sorted (none for a bare `none`).
pub fn eval_sorted(cond: &Cond, view: &View, out: &mut Vec<u32>) -> bool {
    out.clear();
    let ok = eval_into(cond, view, out);
    out.sort_unstable();
    out.dedup();
    ok
}

/// Evaluates `cond` and on success appends the indices of the hits that make
/// it true to `out` (unsorted, perhaps repeated); on failure leaves `out` as
/// it was. One buffer serves a whole condition tree, where each node used to
/// allocate a vector of its own.
pub fn eval_into(cond: &Cond, view: &View, out: &mut Vec<u32>) -> bool {
    let start = out.len();
    match cond {
        Cond::Atoms(leaf) => {
            let lh = view.leaf_hits;
            let lo = lh.partition_point(|&p| p < (*leaf, view.from));
            let hi = lh.partition_point(|&p| p < (*leaf, view.to));
            let counts = |i: &u32| {
                let c = &view.context[*i as usize];
                c.masked_by.is_none() && (!view.respect_negation || c.negated_by.is_none())
            };
            out.extend(lh[lo..hi].iter().map(|&(_, i)| i).filter(counts));
            out.len() > start
        }
        Cond::Any(children) => {
            let mut any = false;
            for c in children {
                any |= eval_into(c, view, out);
            }
            any
        }
        Cond::All(children) => {
            for c in children {
                if !eval_into(c, view, out) {
                    out.truncate(start);
                    return false;
                }
            }
            true
        }
        Cond::None(children) => {
            let found = children.iter().any(|c| eval_into(c, view, out));
            out.truncate(start);
            !found
        }
        Cond::Near {
            a,
            b,
            within,
            ordered,
        } => {
            if !eval_into(a, view, out) {
                return false;
            }
            let mid = out.len();
            if !eval_into(b, view, out) {
                out.truncate(start);
                return false;
            }
            let end = out.len();
            let found = near_pairs(view, &out[start..mid], &out[mid..end], *within, *ordered);
            out.extend(found);
            out.drain(start..end);
            out.len() > start
        }
    }
}

/// The hits of `a` and of `b` that have a partner on the other side close
/// enough. Both sides are sorted by first token, and each hit looks for
/// partners only among the hits that start from its own first token to
/// `within` tokens past its end, so that the work grows with the pairs that
/// can qualify and not with `|a| × |b|` (a text-wide rule over a long text
/// was quadratic).
fn near_pairs(view: &View, a: &[u32], b: &[u32], within: u32, ordered: bool) -> Vec<u32> {
    let by_token = |list: &[u32]| {
        let mut v = list.to_vec();
        v.sort_unstable_by_key(|&i| (view.hits[i as usize].tok_start, i));
        v.dedup();
        v
    };
    let (a, b) = (by_token(a), by_token(b));
    let qualifies = |i: u32, j: u32| {
        let x = &view.hits[i as usize];
        let y = &view.hits[j as usize];
        if i == j || overlaps(x, y) {
            return false;
        }
        let gap = if y.tok_start >= x.tok_end {
            y.tok_start - x.tok_end
        } else if x.tok_start >= y.tok_end {
            if ordered {
                return false;
            }
            x.tok_start - y.tok_end
        } else {
            0
        };
        gap <= within
    };
    let mut marked_a = vec![false; a.len()];
    let mut marked_b = vec![false; b.len()];
    // `from` looks at the hits of `to` whose first token lies in its window
    // (a later one, or the same); `pair` is told (index in from, index in to).
    let scan = |from: &[u32], to: &[u32], same_start: bool, pair: &mut dyn FnMut(usize, usize)| {
        for (p, &i) in from.iter().enumerate() {
            let x = &view.hits[i as usize];
            let first = to.partition_point(|&j| {
                let t = view.hits[j as usize].tok_start;
                if same_start {
                    t < x.tok_start
                } else {
                    t <= x.tok_start
                }
            });
            let last = x.tok_end.saturating_add(within);
            for (q, &j) in to.iter().enumerate().skip(first) {
                if view.hits[j as usize].tok_start > last {
                    break;
                }
                pair(p, q);
            }
        }
    };
    // Pairs where b starts at or after a, then those where a starts after b:
    // together every pair that can be close enough, each seen once.
    scan(&a, &b, true, &mut |p, q| {
        if qualifies(a[p], b[q]) {
            marked_a[p] = true;
            marked_b[q] = true;
        }
    });
    scan(&b, &a, false, &mut |q, p| {
        if qualifies(a[p], b[q]) {
            marked_a[p] = true;
            marked_b[q] = true;
        }
    });
    let pick = |list: &[u32], marks: &[bool]| -> Vec<u32> {
        list.iter()
            .zip(marks)
            .filter(|(_, m)| **m)
            .map(|(&i, _)| i)
            .collect()
    };
    let mut found = pick(&a, &marked_a);
    found.extend(pick(&b, &marked_b));
    found
}

fn overlaps(x: &Hit, y: &Hit) -> bool {
    x.start < y.end && y.start < x.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(atom: AtomId, tok: u32) -> Hit {
        Hit {
            atom,
            start: tok * 10,
            end: tok * 10 + 5,
            tok_start: tok,
            tok_end: tok + 1,
            sentence: 0,
        }
    }

    #[test]
    fn leaves_are_shared_and_find_their_hits_in_a_scope() {
        let mut leaves = Leaves::default();
        let a = leaves.intern(vec![3, 1, 1]);
        let b = leaves.intern(vec![1, 3]);
        let c = leaves.intern(vec![2]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        leaves.index_atoms(5);
        let hits = [hit(1, 0), hit(2, 1), hit(3, 2), hit(4, 3), hit(1, 4)];
        let mut lh = Vec::new();
        leaves.leaf_hits(&hits, &mut lh);
        assert_eq!(lh, vec![(a, 0), (a, 2), (a, 4), (c, 1)]);
        let mut negated = [HitContext::default(); 5];
        negated[2].negated_by = Some(0);
        let view = |from, to, negation: bool| View {
            hits: &hits,
            leaf_hits: &lh,
            from,
            to,
            context: &negated,
            respect_negation: negation,
        };
        let mut out = Vec::new();
        assert!(eval_sorted(&Cond::Atoms(a), &view(1, 5, false), &mut out));
        assert_eq!(out, vec![2, 4]);
        assert!(eval_sorted(&Cond::Atoms(a), &view(1, 5, true), &mut out));
        assert_eq!(out, vec![4]);
        assert!(!eval_sorted(&Cond::Atoms(c), &view(2, 5, false), &mut out));
        let all = Cond::All(vec![Cond::Atoms(a), Cond::Atoms(c)]);
        assert!(eval_sorted(&all, &view(0, 5, false), &mut out));
        assert_eq!(out, vec![0, 1, 2, 4]);
        let none = Cond::All(vec![Cond::Atoms(a), Cond::None(vec![Cond::Atoms(c)])]);
        assert!(!eval_sorted(&none, &view(0, 5, false), &mut out));
        assert!(eval_sorted(&none, &view(2, 5, false), &mut out));
        assert_eq!(out, vec![2, 4]);
    }
}
