//! The one record type that every JSON output format serialises (jsonl and
//! json): what an input record becomes, or the error that stands in its
//! place. Field names are documented in README.md (Output formats); change them only
//! with it.

use crate::batch::Classified;
use crate::classification::{OverlapResult, Suppressed, TagsWritten};
use crate::input::{RecordError, SourcePos};
use serde::Serialize;

/// One output record per input record.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum OutputRecord<'a> {
    Tagged(TaggedRecord<'a>),
    Error(ErrorRecord<'a>),
}

#[derive(Debug, Serialize)]
pub struct TaggedRecord<'a> {
    pub id: &'a str,
    /// Only with `--keep`: the kept input fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Kept<'a>>,
    pub tags: Tags<'a>,
    pub overlaps: Overlaps<'a>,
    /// Only with `--explain`: rules that negated evidence kept from firing.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub negated: &'a [Suppressed],
    pub source: &'a SourcePos,
    /// Only with `--explain`: the text that evidence offsets count in (for
    /// joined fields, the joined text, which the input does not hold as such).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    pub id: &'a str,
    pub error: &'a str,
    pub source: &'a SourcePos,
}

/// Without `--explain` tags are compact (no reasons, no evidence); with it,
/// they are exactly what `aitag classify --output json` prints.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Tags<'a> {
    Compact(Vec<CompactTag<'a>>),
    Full(TagsWritten<'a>),
}

#[derive(Debug, Serialize)]
pub struct CompactTag<'a> {
    pub tag: &'a str,
    pub parent: Option<&'a str>,
    pub confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'a str>,
    /// Ids of the rules behind the confidence (a parent's include its
    /// children's), in the order of `reasons` in classify's JSON.
    pub rules: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Overlaps<'a> {
    Compact(Vec<CompactOverlap<'a>>),
    Full(&'a [OverlapResult]),
}

#[derive(Debug, Serialize)]
pub struct CompactOverlap<'a> {
    pub id: &'a str,
    pub tags: &'a [String],
}

/// The `--keep` fields of a record, as a JSON object in the order asked for.
#[derive(Debug)]
pub struct Kept<'a> {
    pub names: &'a [String],
    pub values: &'a [Option<String>],
}

impl Serialize for Kept<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.names.len()))?;
        for (i, name) in self.names.iter().enumerate() {
            map.serialize_entry(name, &self.values.get(i).and_then(|v| v.as_deref()))?;
        }
        map.end()
    }
}

impl<'a> OutputRecord<'a> {
    /// Adds the `--keep` fields (named by `names`) to a tagged record.
    pub fn keeping(mut self, names: &'a [String], c: &'a Classified) -> OutputRecord<'a> {
        if let OutputRecord::Tagged(t) = &mut self {
            if !names.is_empty() {
                t.fields = Some(Kept {
                    names,
                    values: &c.record.kept,
                });
            }
        }
        self
    }

    pub fn classified(c: &'a Classified, explain: bool) -> OutputRecord<'a> {
        let cl = &c.classification;
        let (tags, overlaps) = if explain {
            (Tags::Full(cl.tags_written()), Overlaps::Full(&cl.overlaps))
        } else {
            let tags = cl
                .tags
                .iter()
                .map(|t| CompactTag {
                    tag: &t.tag,
                    parent: t.parent.as_deref(),
                    confidence: cl.confidence(&t.tag),
                    kind: t.kind.as_deref(),
                    rules: cl.rule_ids_of(t),
                })
                .collect();
            let overlaps = cl
                .overlaps
                .iter()
                .map(|o| CompactOverlap {
                    id: &o.id,
                    tags: &o.tags,
                })
                .collect();
            (Tags::Compact(tags), Overlaps::Compact(overlaps))
        };
        OutputRecord::Tagged(TaggedRecord {
            id: &c.record.id,
            fields: None,
            tags,
            overlaps,
            negated: if explain { &cl.negated } else { &[] },
            source: &c.record.source,
            text: explain.then_some(c.record.text.as_str()),
        })
    }

    pub fn error(e: &'a RecordError) -> OutputRecord<'a> {
        OutputRecord::Error(ErrorRecord {
            id: &e.id,
            error: &e.message,
            source: &e.source,
        })
    }
}
