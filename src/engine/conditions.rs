//! Compiled rule conditions and their evaluation over the hits of one scope.

use super::matcher::{AtomId, Hit};

#[derive(Debug, Clone)]
pub enum Cond {
    /// Any of these atoms (a phrase list or lexicon), sorted for binary search.
    Atoms(Vec<AtomId>),
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

impl Cond {
    /// Every atom the condition can match, for indexing rules by atom.
    pub fn positive_atoms(&self, out: &mut Vec<AtomId>) {
        match self {
            Cond::Atoms(a) => out.extend(a),
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| c.positive_atoms(out)),
            Cond::None(_) => {}
            Cond::Near { a, b, .. } => {
                a.positive_atoms(out);
                b.positive_atoms(out);
            }
        }
    }
}

/// The hits a condition sees: those of one scope, minus the ones it must not count.
pub struct View<'a> {
    pub hits: &'a [Hit],
    /// Indices into `hits` that are in scope and usable.
    pub usable: &'a [u32],
}

/// Evaluates `cond`; on success returns the indices of the hits that make it
/// true (empty for a bare `none`).
pub fn eval(cond: &Cond, view: &View) -> Option<Vec<u32>> {
    match cond {
        Cond::Atoms(atoms) => {
            let found: Vec<u32> = view
                .usable
                .iter()
                .copied()
                .filter(|&i| atoms.binary_search(&view.hits[i as usize].atom).is_ok())
                .collect();
            (!found.is_empty()).then_some(found)
        }
        Cond::Any(children) => {
            let mut all = Vec::new();
            let mut any = false;
            for c in children {
                if let Some(found) = eval(c, view) {
                    any = true;
                    all.extend(found);
                }
            }
            any.then(|| finish(all))
        }
        Cond::All(children) => {
            let mut all = Vec::new();
            for c in children {
                all.extend(eval(c, view)?);
            }
            Some(finish(all))
        }
        Cond::None(children) => {
            if children.iter().any(|c| eval(c, view).is_some()) {
                None
            } else {
                Some(Vec::new())
            }
        }
        Cond::Near {
            a,
            b,
            within,
            ordered,
        } => {
            let ha = eval(a, view)?;
            let hb = eval(b, view)?;
            let mut out = Vec::new();
            for &i in &ha {
                let x = &view.hits[i as usize];
                for &j in &hb {
                    let y = &view.hits[j as usize];
                    if i == j || overlaps(x, y) {
                        continue;
                    }
                    let gap = if y.tok_start >= x.tok_end {
                        y.tok_start - x.tok_end
                    } else if x.tok_start >= y.tok_end {
                        if *ordered {
                            continue;
                        }
                        x.tok_start - y.tok_end
                    } else {
                        0
                    };
                    if gap <= *within {
                        out.push(i);
                        out.push(j);
                    }
                }
            }
            (!out.is_empty()).then(|| finish(out))
        }
    }
}

fn overlaps(x: &Hit, y: &Hit) -> bool {
    x.start < y.end && y.start < x.end
}

fn finish(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}
