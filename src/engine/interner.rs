//! String tables for start-up: strings kept one after another in one buffer
//! and found by hash.
//!
//! Start-up stores thousands of phrases and ~20,000 word forms. A map from an
//! owned string costs 32 bytes a bucket and an allocation for each long key;
//! here an entry is (start, length, value), 12 bytes, so a short run touches
//! (and faults in) far fewer pages, at the cost of strings that cannot be
//! removed.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Strings, each with a `u32` value.
#[derive(Debug, Default, Clone)]
pub struct StrMap {
    text: String,
    table: HashTable<(u32, u32, u32)>,
}

fn hash(s: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// The string an entry stands for.
fn key<'t>(text: &'t str, &(start, len, _): &(u32, u32, u32)) -> &'t str {
    &text[start as usize..(start + len) as usize]
}

impl StrMap {
    /// Room for `strings` strings of `bytes` bytes in all.
    pub fn with_capacity(strings: usize, bytes: usize) -> StrMap {
        StrMap {
            text: String::with_capacity(bytes),
            table: HashTable::with_capacity(strings),
        }
    }

    pub fn get(&self, s: &str) -> Option<&u32> {
        let found = self.table.find(hash(s), |e| key(&self.text, e) == s);
        found.map(|e| &e.2)
    }

    /// Every string of the map as (start, length) in its text, in no order.
    pub fn spans(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.table.iter().map(|&(start, len, _)| (start, len))
    }

    /// The string at a span that [`StrMap::spans`] gave.
    pub fn span(&self, start: u32, len: u32) -> &str {
        &self.text[start as usize..(start + len) as usize]
    }

    /// The value of `s`, set to `value` first when `s` is new, and whether
    /// it was new.
    pub fn entry(&mut self, s: &str, value: u32) -> (&mut u32, bool) {
        let StrMap { text, table } = self;
        let entry = table.entry(hash(s), |e| key(text, e) == s, |e| hash(key(text, e)));
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => (&mut found.into_mut().2, false),
            hashbrown::hash_table::Entry::Vacant(room) => {
                let start = text.len() as u32;
                text.push_str(s);
                let inserted = room.insert((start, s.len() as u32, value));
                (&mut inserted.into_mut().2, true)
            }
        }
    }
}

/// Written as its text and its entries in the order they were added (the
/// table's own order depends on its history); read back by inserting the
/// entries again, which for ~20,000 short keys is cheap next to computing them.
impl serde::Serialize for StrMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(u32, u32, u32)> = self.table.iter().copied().collect();
        entries.sort_unstable();
        Stored {
            text: self.text.clone(),
            entries,
        }
        .serialize(s)
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    text: String,
    #[serde(with = "super::flat")]
    entries: Vec<(u32, u32, u32)>,
}

impl<'de> serde::Deserialize<'de> for StrMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Stored { text, entries } = serde::Deserialize::deserialize(d)?;
        if entries
            .iter()
            .any(|&(start, len, _)| text.get(start as usize..(start + len) as usize).is_none())
        {
            return Err(serde::de::Error::custom(
                "a string map entry is out of its text",
            ));
        }
        let mut table = HashTable::with_capacity(entries.len());
        for e in entries {
            table.insert_unique(hash(key(&text, &e)), e, |e| hash(key(&text, e)));
        }
        Ok(StrMap { text, table })
    }
}

/// Strings with dense ids in the order they came.
#[derive(serde::Serialize, serde::Deserialize, Debug, Default, Clone)]
pub struct Interner {
    map: StrMap,
    /// (start, length) in `map.text` of each id's string.
    #[serde(with = "super::flat")]
    spans: Vec<(u32, u32)>,
}

impl Interner {
    /// Room for `strings` strings of `bytes` bytes in all.
    pub fn with_capacity(strings: usize, bytes: usize) -> Interner {
        Interner {
            map: StrMap::with_capacity(strings, bytes),
            spans: Vec::with_capacity(strings),
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// The string of `id`.
    pub fn resolve(&self, id: u32) -> &str {
        let (start, len) = self.spans[id as usize];
        &self.map.text[start as usize..(start + len) as usize]
    }

    /// The id of `s`, and whether it is new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let next = self.spans.len() as u32;
        let (&mut id, new) = self.map.entry(s, next);
        if new {
            let end = self.map.text.len() as u32;
            self.spans.push((end - s.len() as u32, s.len() as u32));
        }
        (id, new)
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, StrMap};

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

    #[test]
    fn a_value_is_set_once_and_can_be_changed() {
        let mut m = StrMap::default();
        assert_eq!(m.get("ai"), None);
        assert_eq!(m.entry("ai", 7), (&mut 7, true));
        let (value, new) = m.entry("ai", 9);
        assert!(!new);
        *value = 8;
        assert_eq!(m.get("ai"), Some(&8));
        assert_eq!(m.get("a"), None);
    }
}
