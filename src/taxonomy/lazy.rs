//! A part of a taxonomy that the start-up snapshot keeps as bytes until it
//! is first read.
//!
//! Classifying needs the rules' ids and tags and the lexicons' names, never
//! the conditions, examples, phrases or silence corpus the compiled engine
//! was made from; reading those from the snapshot was most of its taxonomy's
//! cost. So in the snapshot's binary format such a part is its own bytes,
//! decoded the first time anything looks at it (`aitag test`, the lint, the
//! taxonomy listing). In YAML and JSON (human-readable formats) it is
//! written and read as the value itself: a taxonomy file does not change.

use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

/// `value` as MessagePack in its binary mode (in which a `Lazy` is its
/// bytes), with structs as maps of field names when `named` (which the
/// taxonomy's optional fields need) or as arrays.
pub fn to_msgpack<T: serde::Serialize + ?Sized>(value: &T, named: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let ser = rmp_serde::Serializer::new(&mut out).with_binary();
    let written = if named {
        value.serialize(&mut ser.with_struct_map())
    } else {
        value.serialize(&mut { ser })
    };
    written.expect("the taxonomy's and engine's types serialise");
    out
}

/// A value that [`to_msgpack`] wrote.
pub fn from_msgpack<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut de = rmp_serde::Deserializer::from_read_ref(bytes).with_binary();
    T::deserialize(&mut de).ok()
}

pub struct Lazy<T> {
    value: OnceLock<T>,
    /// The value's MessagePack (with field names), while not decoded.
    bytes: Box<[u8]>,
}

impl<T> Lazy<T> {
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            value: OnceLock::from(value),
            bytes: Box::default(),
        }
    }
}

impl<T: serde::de::DeserializeOwned> Lazy<T> {
    fn get(&self) -> &T {
        // The bytes are the snapshot's, which the tests read back whole:
        // failing here is a bug in writing them, not a user's mistake.
        self.value.get_or_init(|| {
            from_msgpack(&self.bytes).expect("a snapshot part decodes as it was written")
        })
    }
}

impl<T> From<T> for Lazy<T> {
    fn from(value: T) -> Lazy<T> {
        Lazy::new(value)
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Lazy<T> {
        Lazy::new(T::default())
    }
}

impl<T: serde::de::DeserializeOwned> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.get()
    }
}

impl<T: serde::de::DeserializeOwned> DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.get();
        self.value.get_mut().expect("decoded above")
    }
}

impl<T: serde::de::DeserializeOwned + Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        Lazy::new(self.get().clone())
    }
}

impl<T: serde::de::DeserializeOwned + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: serde::Serialize + serde::de::DeserializeOwned> serde::Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return self.get().serialize(s);
        }
        s.serialize_bytes(&to_msgpack(self.get(), true))
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Lazy<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            return T::deserialize(d).map(Lazy::new);
        }
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Box<[u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the bytes of a snapshot part")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Box<[u8]>, E> {
                Ok(v.into())
            }
        }
        Ok(Lazy {
            value: OnceLock::new(),
            bytes: d.deserialize_bytes(Bytes)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Lazy;

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Doc {
        name: String,
        words: Lazy<Vec<String>>,
    }

    #[test]
    fn binary_keeps_bytes_until_read_and_text_formats_see_the_value() {
        let doc = Doc {
            name: "a".into(),
            words: vec!["x".to_string(), "y".to_string()].into(),
        };
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(json, r#"{"name":"a","words":["x","y"]}"#);
        let back: Doc = serde_json::from_str(&json).unwrap();
        assert_eq!(*back.words, ["x", "y"]);

        let bytes = super::to_msgpack(&doc, true);
        let mut back: Doc = super::from_msgpack(&bytes).unwrap();
        assert!(back.words.value.get().is_none(), "not decoded yet");
        assert_eq!(back.words.len(), 2);
        back.words.push("z".into());
        assert_eq!(*back.words, ["x", "y", "z"]);
    }
}
