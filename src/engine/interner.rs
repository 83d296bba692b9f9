//! Strings kept one after another in one buffer, each with a dense id, and
//! found by hash.
//!
//! Start-up interns thousands of phrases and ~20,000 word forms. A map from
//! an owned string to an id took 32 bytes a bucket and an allocation for
//! each long key; here a bucket is the 4-byte id, and the pages a short run
//! touches (each one a page fault) are a fraction.

use hashbrown::HashTable;
use std::hash::BuildHasher;

#[derive(Debug, Default, Clone)]
pub struct Interner {
    text: String,
    /// Where each string ends in `text`; string `i` starts where `i - 1` ends.
    ends: Vec<u32>,
    table: HashTable<u32>,
}

fn hash(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

impl Interner {
    /// Room for `strings` strings of `bytes` bytes in all.
    pub fn with_capacity(strings: usize, bytes: usize) -> Interner {
        Interner {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
            table: HashTable::with_capacity(strings),
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string of `id`.
    pub fn resolve(&self, id: u32) -> &str {
        resolve(&self.text, &self.ends, id)
    }

    /// The id of `s`, and whether it is new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let Interner { text, ends, table } = self;
        let h = hash(s);
        if let Some(&id) = table.find(h, |&id| resolve(text, ends, id) == s) {
            return (id, false);
        }
        let id = ends.len() as u32;
        text.push_str(s);
        ends.push(text.len() as u32);
        table.insert_unique(h, id, |&id| hash(resolve(text, ends, id)));
        (id, true)
    }
}

fn resolve<'t>(text: &'t str, ends: &[u32], id: u32) -> &'t str {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

#[cfg(test)]
mod tests {
    use super::Interner;

    #[test]
    fn interns_each_string_once_in_order() {
        let mut i = Interner::default();
        assert_eq!(i.intern("hack"), (0, true));
        assert_eq!(i.intern(""), (1, true));
        assert_eq!(i.intern("hacked"), (2, true));
        assert_eq!(i.intern("hack"), (0, false));
        assert_eq!(i.intern("hacked"), (2, false));
        assert_eq!(i.intern(""), (1, false));
        assert_eq!(
            (i.resolve(0), i.resolve(1), i.resolve(2)),
            ("hack", "", "hacked")
        );
        assert_eq!(i.len(), 3);
        let many: Vec<String> = (0..5000).map(|n| format!("w{n}")).collect();
        for w in &many {
            i.intern(w);
        }
        for w in &many {
            let (id, new) = i.intern(w);
            assert!(!new);
            assert_eq!(i.resolve(id), w);
        }
        assert_eq!(i.len(), 5003);
    }
}
