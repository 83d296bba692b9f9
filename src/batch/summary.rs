//! `--summary`: how many records carry each tag, and which tags occur
//! together. Computed here; rendered by `output::summary`.

use crate::classification::Classification;
use crate::taxonomy::Taxonomy;

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Tag ids in taxonomy order; every count below is indexed like this.
    pub tags: Vec<String>,
    parents: Vec<Option<usize>>,
    /// Every record read, error records included.
    pub records: u64,
    pub errors: u64,
    pub untagged: u64,
    /// Records written to the output (fewer than `records` with `--only`).
    pub emitted: u64,
    /// Records carrying each tag.
    pub counts: Vec<u64>,
    /// Classified records in which almost no word is English (counted by
    /// the caller, which decides whether the check is worth its time).
    pub non_english: u64,
    /// `together[i][j]` (i < j): records carrying both tag i and tag j.
    together: Vec<Vec<u64>>,
}

/// Two tags and the number of records that carry both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub count: u64,
}

impl Summary {
    pub fn new(taxonomy: &Taxonomy) -> Summary {
        let index = taxonomy.tag_index();
        let tags: Vec<String> = index.ids().map(str::to_string).collect();
        let parents = index.parents().to_vec();
        let n = tags.len();
        Summary {
            tags,
            parents,
            records: 0,
            errors: 0,
            untagged: 0,
            emitted: 0,
            counts: vec![0; n],
            non_english: 0,
            together: vec![vec![0; n]; n],
        }
    }

    pub fn add(&mut self, c: &Classification) {
        self.records += 1;
        let present: Vec<usize> = c
            .tag_ids()
            .filter_map(|id| self.tags.iter().position(|t| t == id))
            .collect();
        if present.is_empty() {
            self.untagged += 1;
        }
        for (k, &i) in present.iter().enumerate() {
            self.counts[i] += 1;
            for &j in &present[k + 1..] {
                let (lo, hi) = if i < j { (i, j) } else { (j, i) };
                self.together[lo][hi] += 1;
            }
        }
    }

    pub fn add_error(&mut self) {
        self.records += 1;
        self.errors += 1;
    }

    /// Records that got at least one tag.
    pub fn tagged(&self) -> u64 {
        self.records - self.errors - self.untagged
    }

    /// Pairs of tags that occurred together, most frequent first. A child and
    /// its parent always occur together, so those pairs are left out.
    pub fn pairs(&self) -> Vec<Pair<'_>> {
        let mut pairs = Vec::new();
        for i in 0..self.tags.len() {
            for j in i + 1..self.tags.len() {
                let count = self.together[i][j];
                let related = self.parents[i] == Some(j) || self.parents[j] == Some(i);
                if count > 0 && !related {
                    pairs.push(Pair {
                        a: &self.tags[i],
                        b: &self.tags[j],
                        count,
                    });
                }
            }
        }
        pairs.sort_by_key(|p| std::cmp::Reverse(p.count));
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn counts_tags_and_pairs_but_not_parent_with_child() {
        let engine = Engine::embedded().unwrap();
        let mut s = Summary::new(engine.taxonomy());
        let injection = "An attacker used prompt injection to make the assistant email the user's private files to him.";
        let c = engine.classify(injection);
        assert!(c.tags.len() >= 2, "{:?}", c.tag_ids().collect::<Vec<_>>());
        s.add(&c);
        s.add(&c);
        s.add(&engine.classify("A quiet day at the office."));
        s.add_error();
        assert_eq!((s.records, s.errors, s.untagged, s.tagged()), (4, 1, 1, 2));
        for tag in c.tag_ids() {
            let i = s.tags.iter().position(|t| t == tag).unwrap();
            assert_eq!(s.counts[i], 2);
        }
        let pairs = s.pairs();
        assert!(!pairs.is_empty());
        assert!(pairs.iter().all(|p| p.count == 2));
        assert!(
            !pairs
                .iter()
                .any(|p| (p.a, p.b) == ("alignment", "outer-alignment"))
        );
    }
}
