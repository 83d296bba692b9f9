//! Values grouped by a small integer key, in one flat array.
//!
//! The engine's indexes (a trie node's children, the phrases that end at it,
//! the leaves that hold an atom) are many short lists. One vector each cost
//! an allocation per list at start-up and scattered a walk over the heap;
//! here they are one array with offsets, built by counting (no sort).

use super::flat::Flat;

/// The values of key `k` are `values[starts[k]..starts[k + 1]]`.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
#[serde(bound(serialize = "T: Flat", deserialize = "T: Flat"))]
pub struct Grouped<T> {
    #[serde(with = "super::flat")]
    starts: Vec<u32>,
    #[serde(with = "super::flat")]
    values: Vec<T>,
}

impl<T: Copy + Default> Grouped<T> {
    /// Groups `pairs` (key, value) by key, keys in `0..keys`; a key's values
    /// keep the order they come in. `pairs` is walked twice.
    pub fn new<I>(keys: usize, pairs: I) -> Grouped<T>
    where
        I: IntoIterator<Item = (usize, T)>,
        I::IntoIter: Clone,
    {
        let pairs = pairs.into_iter();
        let mut starts = vec![0u32; keys + 1];
        for (k, _) in pairs.clone() {
            starts[k + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut values = vec![T::default(); starts[keys] as usize];
        for (k, v) in pairs {
            values[next[k] as usize] = v;
            next[k] += 1;
        }
        Grouped { starts, values }
    }

    /// The values of `key`; none for a key out of range.
    pub fn get(&self, key: usize) -> &[T] {
        match (self.starts.get(key), self.starts.get(key + 1)) {
            (Some(&from), Some(&to)) => &self.values[from as usize..to as usize],
            _ => &[],
        }
    }

    /// Sorts the values of every key.
    pub fn sort_each(&mut self)
    where
        T: Ord,
    {
        for w in self.starts.windows(2) {
            self.values[w[0] as usize..w[1] as usize].sort_unstable();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Grouped;

    #[test]
    fn values_come_out_by_key_in_order() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd')];
        let g = Grouped::new(4, pairs.iter().copied());
        assert_eq!(g.get(0), ['b', 'd']);
        assert_eq!(g.get(1), [] as [char; 0]);
        assert_eq!(g.get(2), ['a', 'c']);
        assert_eq!(g.get(3), [] as [char; 0]);
        assert_eq!(g.get(9), [] as [char; 0]);
        let mut g = Grouped::new(1, [(0, 3), (0, 1), (0, 2)]);
        g.sort_each();
        assert_eq!(g.get(0), [1, 2, 3]);
    }
}
