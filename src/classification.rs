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
    /// The learned model gave the tag with no rule behind it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub learned_only: bool,
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
    /// The byte range of each sentence of the text, as the engine's
    /// segmenter found them: quotes of evidence end where these do.
    #[serde(skip)]
    pub sentences: Vec<(usize, usize)>,
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
