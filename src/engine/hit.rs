//! What matching finds: atoms (the taxonomy's phrases and regexes, each
//! interned once) and their hits in a text. Matching, context and the
//! conditions all speak in these, so they live apart from each of them.

use super::interner::Interner;

pub type AtomId = u32;

/// A match of an atom (a phrase or regex) in the folded text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub atom: AtomId,
    pub start: u32,
    pub end: u32,
    pub tok_start: u32,
    /// One past the last token of the match.
    pub tok_end: u32,
    pub sentence: u32,
}

/// The phrases and regexes of the taxonomy, keyed by their folded form.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct AtomTable {
    labels: Interner,
}

impl AtomTable {
    /// Room for `atoms` atoms.
    pub fn with_capacity(atoms: usize) -> AtomTable {
        AtomTable {
            labels: Interner::with_capacity(atoms, atoms * 16),
        }
    }

    pub fn intern(&mut self, key: &str) -> (AtomId, bool) {
        self.labels.intern(key)
    }

    /// The folded phrase (or `/regex/`) of an atom.
    pub fn label(&self, atom: AtomId) -> &str {
        self.labels.resolve(atom)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
}
