//! The YAML schema of taxonomy and rule files, as serde types.
//!
//! Every file may hold any of the top-level sections; a taxonomy directory is
//! the union of its files. Unknown keys are errors so that a typo in a rule
//! file ("becuase:") is caught instead of silently ignored.

use super::lazy::Lazy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileDef {
    #[serde(default)]
    pub settings: Option<SettingsDef>,
    #[serde(default)]
    pub tags: Vec<TagDef>,
    #[serde(default)]
    pub overlaps: Vec<OverlapDef>,
    #[serde(default)]
    pub context: Option<ContextDef>,
    #[serde(default)]
    pub lexicons: BTreeMap<String, Vec<LexiconEntry>>,
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Sentences no rule may fire on (`aitag test` checks them).
    #[serde(default)]
    pub silence: Vec<String>,
}

/// One entry of a lexicon: a phrase, or `{ lexicon: name }`, which includes
/// every phrase of another lexicon (and of the lexicons it includes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LexiconEntry {
    Phrase(String),
    Include { lexicon: String },
}

/// By hand, like `OneOrMany`: an untagged enum buffers every value, and
/// lexicons hold thousands of phrases.
impl<'de> Deserialize<'de> for LexiconEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LexiconEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a phrase or `{ lexicon: name }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v))
            }
            // `- false` or `- 1` read as the words; `aitag lint` reports
            // them, since other YAML tools read them as other types.
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<LexiconEntry, E> {
                Ok(LexiconEntry::Phrase(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LexiconEntry, A::Error> {
                let mut name: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "lexicon" {
                        return Err(serde::de::Error::unknown_field(&key, &["lexicon"]));
                    }
                    if name.is_some() {
                        return Err(serde::de::Error::duplicate_field("lexicon"));
                    }
                    name = Some(map.next_value()?);
                }
                name.map(|lexicon| LexiconEntry::Include { lexicon })
                    .ok_or_else(|| serde::de::Error::missing_field("lexicon"))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// An embedded taxonomy file as build.rs stores it: its parse, and the line
/// and column of each of its rule ids (`id: …`) and lexicon names (`name:`),
/// keyed by that text, so that start-up needs not index the file's lines.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EmbeddedFile {
    pub file: FileDef,
    pub lines: BTreeMap<String, (usize, usize)>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDef {
    /// Confidence at or above which a tag is emitted.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Whether the built-in learned model takes part (`model: false`: the
    /// rules alone decide, as with `--no-model`).
    #[serde(default = "default_model")]
    pub model: bool,
}

fn default_threshold() -> f64 {
    0.5
}

fn default_model() -> bool {
    true
}

impl Default for SettingsDef {
    fn default() -> Self {
        SettingsDef {
            threshold: default_threshold(),
            model: default_model(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TagDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub definition: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The article's examples of this kind of failure, in our words.
    #[serde(default)]
    pub examples: Vec<String>,
    /// For a child tag: what its presence says about its parent (the outer/inner
    /// heuristic). For a parent: what to say when no child applies.
    #[serde(default)]
    pub kind_note: Option<String>,
    /// Overrides the taxonomy-wide threshold for this tag.
    #[serde(default)]
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OverlapDef {
    pub id: String,
    /// The note applies when all of these tags are emitted...
    pub tags: Vec<String>,
    pub note: String,
    /// ...and, if given, at least one of these rules fired.
    #[serde(default)]
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContextDef {
    /// Negate what follows them, up to a terminator or the end of the sentence.
    #[serde(default)]
    pub pre_negation: Vec<String>,
    /// Negate what stands up to `post_window` words before them.
    #[serde(default)]
    pub post_negation: Vec<String>,
    /// Look like triggers but are not ("not only"); they cancel triggers they contain.
    #[serde(default)]
    pub pseudo: Vec<String>,
    /// End the scope of a pre-trigger or pre-hedge. An entry of punctuation
    /// alone (`":"`) ends it at that mark.
    #[serde(default)]
    pub terminators: Vec<String>,
    /// Introduce an instruction ("told not to"): what it says, up to a
    /// terminator or the end of the sentence, is no rule's evidence.
    #[serde(default)]
    pub instructions: Vec<String>,
    /// Scale the weight of evidence that follows them in the sentence.
    #[serde(default)]
    pub hedges: Vec<String>,
    /// Scale the weight of evidence up to `post_window` words before them.
    #[serde(default)]
    pub post_hedges: Vec<String>,
    #[serde(default)]
    pub post_window: Option<usize>,
    /// Longest pre-trigger scope in words; unbounded (to the sentence end) if absent.
    #[serde(default)]
    pub pre_window: Option<usize>,
    #[serde(default)]
    pub hedge_factor: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Sentence,
    Text,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NegationMode {
    /// Negated evidence does not count.
    #[default]
    Apply,
    /// The rule's meaning includes the negation ("no human oversight"), so
    /// negation triggers around its evidence are ignored.
    Ignore,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub tag: String,
    pub weight: f64,
    pub because: String,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub negation: NegationMode,
    /// Lazy: a start from the snapshot never reads it (see `lazy`).
    pub when: Lazy<CondDef>,
    #[serde(default)]
    pub examples: Lazy<ExamplesDef>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesDef {
    #[serde(default)]
    pub fires: Vec<String>,
    #[serde(default)]
    pub silent: Vec<String>,
}

/// A condition: exactly one of the keys is set.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CondDef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<CondDef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<CondDef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub none: Option<Vec<CondDef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<NearDef>,
}

impl CondDef {
    /// The conditions directly inside this one (`all`, `any`, `none`, and
    /// both sides of `near`).
    pub fn children(&self) -> impl Iterator<Item = &CondDef> {
        let lists = [&self.all, &self.any, &self.none];
        let near = self.near.iter().flat_map(|n| [&*n.a, &*n.b]);
        lists.into_iter().flatten().flatten().chain(near)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NearDef {
    pub a: Box<CondDef>,
    pub b: Box<CondDef>,
    /// Most words allowed between the two matches.
    #[serde(default = "default_within")]
    pub within: usize,
    /// When true, `a` must come before `b`.
    #[serde(default)]
    pub ordered: bool,
}

fn default_within() -> usize {
    6
}

/// One phrase or a list of them (`phrase: x` or `phrase: [x, y]`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// By hand rather than `#[serde(untagged)]`, which buffers every value and
/// builds (and formats) an error for each list before it tries the list
/// variant: work for every phrase list of every file loaded.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<OneOrMany, A::Error> {
                Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl OneOrMany {
    pub fn items(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}
