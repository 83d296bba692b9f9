//! What classifying one text produces. These types are the machine output
//! (JSON) as well as the input of the human printer; field names are part of
//! the documented interface, so change them only with the README.

use serde::Serialize;

/// A span of the original text. `start` and `end` are byte offsets into the
/// text as given, half-open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Model evidence only: the feature's weight for the tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Model evidence only: the feature, when it is a rule (its id) or a
    /// lexicon (`lexicon:NAME`) rather than words of the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
}

impl Evidence {
    /// Rule evidence: a span of the text and nothing more.
    pub fn span(text: String, start: usize, end: usize) -> Evidence {
        Evidence {
            text,
            start,
            end,
            weight: None,
            feature: None,
        }
    }
}

/// One fired rule that supports a tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub rule: String,
    /// The tag the rule supports (a child tag's rules also support its parent).
    pub tag: String,
    pub because: String,
    pub weight: f64,
    /// The weight after hedging ("allegedly", "may have") was applied.
    pub effective_weight: f64,
    /// At most `MAX_EVIDENCE` spans, in text order.
    pub evidence: Vec<Evidence>,
    /// How many more spans the rule matched than `evidence` keeps.
    #[serde(skip_serializing_if = "is_zero")]
    pub evidence_omitted: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hedged_by: Option<Evidence>,
    /// The reason is the learned model's (`model.TAG`), not a rule's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub learned: bool,
}

/// An emitted tag. Its confidence is the classification's
/// ([`Classification::confidence`]) and its reasons are references into
/// [`Classification::reasons`], where each fired rule is stored once: a
/// child tag's rules support its parent too, and the parent lists them
/// without a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct TagResult {
    pub tag: String,
    pub name: String,
    pub parent: Option<String>,
    /// For a tag with children (alignment): `outer-alignment`, `inner-alignment`,
    /// both joined by `+`, or `unclear`.
    pub kind: Option<String>,
    pub kind_note: Option<String>,
    /// Child tags that were emitted and so imply this one.
    pub implied_by: Vec<String>,
    /// The learned model gave the tag with no rule behind it.
    pub learned_only: bool,
    /// Indices into [`Classification::reasons`] of the reasons behind the
    /// tag (its own rules' and its descendants'), in the order they are
    /// shown: rules by effective weight, then the model's.
    pub reasons: Vec<usize>,
}

/// A note that applies when several tags occur together (the article's
/// overlaps, e.g. prompt injection).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapResult {
    pub id: String,
    pub tags: Vec<String>,
    pub note: String,
}

/// Evidence that a negation trigger cancelled, and the trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegatedEvidence {
    pub evidence: Evidence,
    pub trigger: Evidence,
}

/// A rule that would have fired had negated evidence counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suppressed {
    pub rule: String,
    pub tag: String,
    pub because: String,
    /// At most `MAX_EVIDENCE` pairs.
    pub negated: Vec<NegatedEvidence>,
    /// How many more negated spans there were than `negated` keeps.
    #[serde(skip_serializing_if = "is_zero")]
    pub negated_omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What classifying one text gives. Serialised (JSON, Python) as
/// `{"tags": [...], "overlaps": [...], "negated": [...]}`, each tag with its
/// confidence and its reasons written out in full: the stored form keeps
/// each fact once, the written one is what a reader of one tag needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classification {
    /// The emitted tags, in taxonomy order.
    pub tags: Vec<TagResult>,
    /// Every fired rule's reason once, and the model's reason for each tag
    /// it gives; tags refer to them by index.
    pub reasons: Vec<Reason>,
    pub overlaps: Vec<OverlapResult>,
    /// Only filled when explanation was asked for.
    pub negated: Vec<Suppressed>,
    /// Confidence of every tag that had any evidence, emitted or not, in
    /// taxonomy order: the one place a confidence is kept. Machine formats
    /// that want a column per tag use it.
    pub scores: Vec<(String, f64)>,
    /// The byte range of each sentence of the text, as the engine's
    /// segmenter found them: quotes of evidence end where these do.
    pub sentences: Vec<(usize, usize)>,
}

impl Classification {
    pub fn tag_ids(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.tag.as_str())
    }

    pub fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.tag == tag)
    }

    /// The confidence of a tag; 0 for a tag without evidence.
    pub fn confidence(&self, tag: &str) -> f64 {
        self.scores
            .iter()
            .find(|(t, _)| t == tag)
            .map_or(0.0, |(_, s)| *s)
    }

    /// The reasons behind an emitted tag, in the order they are shown.
    pub fn reasons_of<'a>(&'a self, tag: &'a TagResult) -> impl Iterator<Item = &'a Reason> + 'a {
        tag.reasons.iter().map(|&i| &self.reasons[i])
    }

    /// A tag's rule ids, each once, in the order of its reasons.
    pub fn rule_ids_of<'a>(&'a self, tag: &'a TagResult) -> Vec<&'a str> {
        let mut ids: Vec<&str> = Vec::with_capacity(tag.reasons.len());
        for r in self.reasons_of(tag) {
            if !ids.contains(&r.rule.as_str()) {
                ids.push(&r.rule);
            }
        }
        ids
    }

    /// The reasons whose rule belongs to an emitted tag, each once, tag by
    /// tag in taxonomy order. A reason of a child tag that was not emitted
    /// (it counted only towards its parent) is left out.
    pub fn own_reasons(&self) -> Vec<&Reason> {
        self.tags
            .iter()
            .flat_map(|t| self.reasons_of(t).filter(move |r| r.tag == t.tag))
            .collect()
    }

    /// Ids of all rules that fired for emitted tags, sorted.
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .tags
            .iter()
            .flat_map(|t| self.reasons_of(t).map(|r| r.rule.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The tags as written: each with its confidence and its reasons in full.
    pub fn tags_written(&self) -> TagsWritten<'_> {
        TagsWritten(self)
    }
}

/// [`Classification::tags`] as JSON and Python write them.
#[derive(Debug, Clone, Copy)]
pub struct TagsWritten<'a>(&'a Classification);

/// One tag as written, in the field order of the documented interface.
#[derive(Serialize)]
struct TagWritten<'a> {
    tag: &'a str,
    name: &'a str,
    parent: &'a Option<String>,
    confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind_note: &'a Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    implied_by: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    learned_only: bool,
    reasons: ReasonsWritten<'a>,
}

struct ReasonsWritten<'a>(&'a Classification, &'a TagResult);

impl Serialize for ReasonsWritten<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.reasons_of(self.1))
    }
}

impl Serialize for TagsWritten<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        s.collect_seq(c.tags.iter().map(|t| TagWritten {
            tag: &t.tag,
            name: &t.name,
            parent: &t.parent,
            confidence: c.confidence(&t.tag),
            kind: &t.kind,
            kind_note: &t.kind_note,
            implied_by: &t.implied_by,
            learned_only: t.learned_only,
            reasons: ReasonsWritten(c, t),
        }))
    }
}

impl Serialize for Classification {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Classification", 3)?;
        st.serialize_field("tags", &self.tags_written())?;
        st.serialize_field("overlaps", &self.overlaps)?;
        if self.negated.is_empty() {
            st.skip_field("negated")?;
        } else {
            st.serialize_field("negated", &self.negated)?;
        }
        st.end()
    }
}
