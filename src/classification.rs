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
}

/// An emitted tag with its confidence and reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagResult {
    pub tag: String,
    pub name: String,
    pub parent: Option<String>,
    pub confidence: f64,
    /// For a tag with children (alignment): `outer-alignment`, `inner-alignment`,
    /// both joined by `+`, or `unclear`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_note: Option<String>,
    /// Child tags that were emitted and so imply this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub implied_by: Vec<String>,
    pub reasons: Vec<Reason>,
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

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Classification {
    pub tags: Vec<TagResult>,
    pub overlaps: Vec<OverlapResult>,
    /// Only filled when explanation was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub negated: Vec<Suppressed>,
    /// Confidence of every tag that had any evidence, emitted or not, in
    /// taxonomy order. Machine formats that want a column per tag use it.
    #[serde(skip)]
    pub scores: Vec<(String, f64)>,
}

impl Classification {
    pub fn tag_ids(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.tag.as_str())
    }

    pub fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.tag == tag)
    }

    /// Ids of all rules that fired for emitted tags.
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .tags
            .iter()
            .flat_map(|t| t.reasons.iter().map(|r| r.rule.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}
