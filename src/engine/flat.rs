//! Vectors of plain numbers written as one run of little-endian bytes, for
//! the start-up snapshot (`super::snapshot`): read back by a copy, where a
//! number at a time through serde was most of the snapshot's reading.
//! Used as `#[serde(with = "flat")]` on a `Vec` of numbers or of tuples of them.

use serde::{Deserializer, Serializer};

/// A fixed-size value of numbers.
pub trait Flat: Copy {
    const SIZE: usize;
    fn put(&self, out: &mut Vec<u8>);
    /// From exactly `SIZE` bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Flat for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().expect("SIZE bytes"))
            }
        }
    )*};
}

number!(u8, u32, u64, f32, f64);

impl<A: Flat, B: Flat> Flat for (A, B) {
    const SIZE: usize = A::SIZE + B::SIZE;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        (A::get(&bytes[..A::SIZE]), B::get(&bytes[A::SIZE..]))
    }
}

impl<A: Flat, B: Flat, C: Flat> Flat for (A, B, C) {
    const SIZE: usize = A::SIZE + B::SIZE + C::SIZE;
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
        self.2.put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        let (a, rest) = bytes.split_at(A::SIZE);
        let (b, c) = rest.split_at(B::SIZE);
        (A::get(a), B::get(b), C::get(c))
    }
}

pub fn serialize<T: Flat, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(values.len() * T::SIZE);
    for v in values {
        v.put(&mut bytes);
    }
    s.serialize_bytes(&bytes)
}

pub fn deserialize<'de, T: Flat, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<T: Flat> serde::de::Visitor<'_> for Visitor<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "bytes holding values of {} bytes", T::SIZE)
        }
        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            if bytes.len() % T::SIZE != 0 {
                return Err(E::custom("a flat vector's bytes do not divide into values"));
            }
            Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
        }
    }
    d.deserialize_bytes(Visitor(std::marker::PhantomData))
}

/// Lists of numbers, written as their lengths and their values, each flat.
pub mod nested {
    use super::Flat;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(bound(serialize = "T: Flat", deserialize = "T: Flat"))]
    struct Stored<T> {
        #[serde(with = "super")]
        lens: Vec<u32>,
        #[serde(with = "super")]
        values: Vec<T>,
    }

    pub fn serialize<T: Flat, S: Serializer>(lists: &[Vec<T>], s: S) -> Result<S::Ok, S::Error> {
        Stored {
            lens: lists.iter().map(|l| l.len() as u32).collect(),
            values: lists.iter().flatten().copied().collect(),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, T: Flat, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<T>>, D::Error> {
        let Stored { lens, values } = Stored::<T>::deserialize(d)?;
        if lens.iter().map(|&n| n as usize).sum::<usize>() != values.len() {
            return Err(serde::de::Error::custom(
                "nested lists' lengths disagree with their values",
            ));
        }
        let mut rest = values.as_slice();
        Ok(lens
            .iter()
            .map(|&n| {
                let (list, after) = rest.split_at(n as usize);
                rest = after;
                list.to_vec()
            })
            .collect())
    }
}

/// A hash map of numbers, written as its entries in key order (so that
/// equal maps write equal bytes) and read back by inserting them.
pub mod map {
    use super::Flat;
    use rustc_hash::FxHashMap;
    use serde::{Deserializer, Serializer};
    use std::hash::Hash;

    pub fn serialize<K, V, S>(map: &FxHashMap<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        K: Flat + Ord + Hash,
        V: Flat,
        S: Serializer,
    {
        let mut entries: Vec<(K, V)> = map.iter().map(|(&k, &v)| (k, v)).collect();
        entries.sort_unstable_by_key(|e| e.0);
        super::serialize(&entries, s)
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<FxHashMap<K, V>, D::Error>
    where
        K: Flat + Eq + Hash,
        V: Flat,
        D: Deserializer<'de>,
    {
        let entries: Vec<(K, V)> = super::deserialize(d)?;
        Ok(entries.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::taxonomy::lazy::{from_msgpack, to_msgpack};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sample {
        #[serde(with = "super")]
        pairs: Vec<(u64, u32, u32)>,
        #[serde(with = "super")]
        floats: Vec<f32>,
    }

    #[test]
    fn values_read_back_as_written() {
        let sample = Sample {
            pairs: vec![(u64::MAX, 0, 7), (1 << 40, u32::MAX, 3)],
            floats: vec![0.5, -1.25e-7, f32::MAX],
        };
        let bytes = to_msgpack(&sample, false);
        assert_eq!(from_msgpack::<Sample>(&bytes).unwrap(), sample);
    }

    #[test]
    fn bytes_that_do_not_divide_are_an_error() {
        #[derive(serde::Serialize)]
        struct Bytes {
            #[serde(with = "super")]
            pairs: Vec<u8>,
            #[serde(with = "super")]
            floats: Vec<u8>,
        }
        let odd = Bytes {
            pairs: vec![1; 15],
            floats: vec![0; 4],
        };
        let bytes = to_msgpack(&odd, false);
        assert!(from_msgpack::<Sample>(&bytes).is_none());
        let whole = Bytes {
            pairs: vec![1; 16],
            ..odd
        };
        let bytes = to_msgpack(&whole, false);
        assert_eq!(from_msgpack::<Sample>(&bytes).unwrap().pairs.len(), 1);
    }

    #[test]
    fn nested_lists_read_back_as_written() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct N(#[serde(with = "super::nested")] Vec<Vec<u32>>);
        let n = N(vec![vec![], vec![1, 2, 3], vec![], vec![4]]);
        let bytes = to_msgpack(&n, false);
        assert_eq!(from_msgpack::<N>(&bytes).unwrap(), n);
    }

    #[test]
    fn maps_read_back_as_written() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct M(#[serde(with = "super::map")] rustc_hash::FxHashMap<(u32, u32), u32>);
        let m = M([((1, 2), 3), ((4, 5), 6)].into_iter().collect());
        let bytes = to_msgpack(&m, false);
        assert_eq!(from_msgpack::<M>(&bytes).unwrap(), m);
    }
}
