//! The default engine compiled ahead of time: `models/default.snapshot`.
//!
//! Compiling the built-in taxonomy (loading it, building the vocabulary and
//! trie of its ~9,000 phrases, reducing its regexes to literals) and building
//! the built-in model were nearly all of a cold `aitag classify`. The
//! snapshot holds their results, written by the compile path itself, so a
//! start reads them instead. It is used only when it was made from exactly
//! the embedded taxonomy files and built-in model (build.rs fingerprints
//! them); otherwise, as for any other taxonomy, everything is compiled. A
//! test compiles the default engine and checks that the committed snapshot
//! is byte for byte what it writes, so a change to the rules or to the
//! engine that leaves the snapshot stale fails the tests instead of shipping.
//!
//! The file: a magic line, the fingerprint (u64, little-endian), then four
//! parts, each a u32 length and MessagePack bytes: the taxonomy (without its
//! sources, which are the embedded files), the compiled engine, the shape
//! of the taxonomy the model was built for, and the model. Each is read only
//! by what needs it: `aitag lint` reads no engine, `--no-model` no model.
//! MessagePack (rmp-serde) because the taxonomy's types read untagged forms
//! that need a self-describing format; it reads several times faster than
//! the JSON it replaces.

use super::Engine;
use crate::model::Model;
use crate::taxonomy::Taxonomy;
use crate::taxonomy::lazy::from_msgpack;
#[cfg(test)]
use crate::taxonomy::lazy::to_msgpack;

include!(concat!(env!("OUT_DIR"), "/snapshot-fingerprint.rs"));

/// The committed snapshot (see the module's documentation).
const SNAPSHOT: &[u8] = include_bytes!("../../models/default.snapshot");

/// Written at the start of a snapshot; a new layout gets a new number.
const MAGIC: &[u8] = b"aitag-snapshot/1\n";

/// The snapshot's parts, in the order they are stored.
#[derive(Clone, Copy)]
enum Part {
    Taxonomy = 0,
    Engine = 1,
    ModelShape = 2,
    Model = 3,
}

const PARTS: usize = 4;

/// What of a taxonomy a model depends on: the model indexes its tags, rules
/// and lexicons by position and knows them by name.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Shape {
    tags: Vec<String>,
    rules: Vec<String>,
    lexicons: Vec<String>,
}

impl Shape {
    #[cfg(test)]
    fn of(taxonomy: &Taxonomy) -> Shape {
        Shape {
            tags: taxonomy.tags.iter().map(|t| t.id.clone()).collect(),
            rules: taxonomy.rules.iter().map(|r| r.def.id.clone()).collect(),
            lexicons: taxonomy.lexicons.keys().cloned().collect(),
        }
    }

    fn fits(&self, taxonomy: &Taxonomy) -> bool {
        self.tags.iter().eq(taxonomy.tags.iter().map(|t| &t.id))
            && self
                .rules
                .iter()
                .eq(taxonomy.rules.iter().map(|r| &r.def.id))
            && self.lexicons.iter().eq(taxonomy.lexicons.keys())
    }
}

/// The bytes of one part of `snapshot`, if it is a current snapshot.
fn part(snapshot: &[u8], which: Part) -> Option<&[u8]> {
    let rest = snapshot.strip_prefix(MAGIC)?;
    let (fingerprint, mut rest) = rest.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*fingerprint) != FINGERPRINT {
        return None;
    }
    for i in 0..PARTS {
        let (len, after) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let bytes = after.get(..len)?;
        if i == which as usize {
            return Some(bytes);
        }
        rest = &after[len..];
    }
    None
}

fn read<T: serde::de::DeserializeOwned>(which: Part) -> Option<T> {
    from_msgpack(part(SNAPSHOT, which)?)
}

/// The built-in taxonomy, with the embedded files as its sources (the
/// snapshot leaves them out: they are in the binary already).
pub(crate) fn taxonomy() -> Option<Taxonomy> {
    read::<Taxonomy>(Part::Taxonomy).map(Taxonomy::embedded_sources)
}

/// The compiled engine of `taxonomy`, which must be [`taxonomy`]'s.
pub(crate) fn engine(taxonomy: Taxonomy) -> Option<Engine> {
    let mut engine: Engine = read(Part::Engine)?;
    engine.taxonomy = taxonomy;
    Some(engine)
}

/// The built-in model, if `taxonomy` has the shape it was built for.
pub(crate) fn model(taxonomy: &Taxonomy) -> Option<Model> {
    let shape: Shape = read::<Option<Shape>>(Part::ModelShape)??;
    if !shape.fits(taxonomy) {
        return None;
    }
    read::<Option<Model>>(Part::Model)?
}

/// A snapshot of the default engine and model, made by compiling them (by
/// the test below, which is how the committed file is written).
#[cfg(test)]
fn write() -> crate::Result<Vec<u8>> {
    let taxonomy = Taxonomy::embedded_compiled()?;
    let model = Model::builtin_compiled(&taxonomy)?;
    let engine = Engine::new(taxonomy.clone())?;
    let parts: [Vec<u8>; PARTS] = [
        named(&taxonomy),
        compact(&engine),
        compact(&model.as_ref().map(|_| Shape::of(&taxonomy))),
        compact(&model),
    ];
    let mut out = MAGIC.to_vec();
    out.extend(FINGERPRINT.to_le_bytes());
    for p in parts {
        out.extend((p.len() as u32).to_le_bytes());
        out.extend(p);
    }
    Ok(out)
}

/// A value as MessagePack with field names: the taxonomy's optional fields
/// are left out when empty, which only a map keeps apart.
#[cfg(test)]
fn named<T: serde::Serialize>(value: &T) -> Vec<u8> {
    to_msgpack(value, true)
}

/// A value as MessagePack without field names (structs as arrays): the
/// engine's and the model's types have no optional fields.
#[cfg(test)]
fn compact<T: serde::Serialize>(value: &T) -> Vec<u8> {
    to_msgpack(value, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed snapshot is what compiling the default engine writes.
    /// `AITAG_UPDATE_SNAPSHOT=1 cargo test --release --lib snapshot` (which
    /// scripts/fit-model.sh runs) rewrites it; build again afterwards, since
    /// the binary embeds it.
    #[test]
    fn the_committed_snapshot_is_current() {
        let fresh = write().unwrap();
        if std::env::var_os("AITAG_UPDATE_SNAPSHOT").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/models/default.snapshot");
            std::fs::write(path, &fresh).unwrap();
            return;
        }
        assert!(
            fresh == SNAPSHOT,
            "models/default.snapshot is stale (the rules, the model or the engine changed): \
             run `AITAG_UPDATE_SNAPSHOT=1 cargo test --release --lib snapshot`, then rebuild"
        );
    }

    #[test]
    fn the_snapshot_reads_back_as_the_compiled_engine() {
        let read = Engine::embedded().unwrap();
        let compiled = Engine::new(Taxonomy::embedded_compiled().unwrap()).unwrap();
        assert!(
            part(SNAPSHOT, Part::Engine).is_some(),
            "the snapshot is used"
        );
        assert!(compact(&read) == compact(&compiled));
    }

    #[test]
    fn a_snapshot_of_other_files_is_not_used() {
        let mut other = SNAPSHOT.to_vec();
        other[MAGIC.len()] ^= 1;
        assert!(part(&other, Part::Taxonomy).is_none());
        assert!(part(b"not a snapshot", Part::Taxonomy).is_none());
        // Cut short: the parts past the end are missing.
        assert!(part(&SNAPSHOT[..MAGIC.len() + 12], Part::Model).is_none());
    }

    #[test]
    fn the_model_is_only_given_to_a_taxonomy_of_its_shape() {
        let mut taxonomy = Taxonomy::embedded().unwrap();
        assert!(model(&taxonomy).is_some());
        taxonomy.rules.pop();
        assert!(model(&taxonomy).is_none());
    }
}
