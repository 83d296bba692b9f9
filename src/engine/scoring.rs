//! Turns fired rules into tags: noisy-OR of weights per tag, children imply
//! their parents, thresholds, the outer/inner note and overlap notes.

use super::{Analysis, ClassifyOptions, Engine};
use crate::classification::{
    Classification, Evidence, NegatedEvidence, OverlapResult, Reason, Suppressed, TagResult,
};
use crate::model::Mode;
use crate::taxonomy::Taxonomy;

/// What scoring needs to know of the rules, made once when the engine is
/// compiled, so that scoring reads its own table instead of the raw rule
/// definitions or accessors on the engine. The tag hierarchy is the
/// taxonomy's [`crate::taxonomy::TagIndex`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ScoreTable {
    rules: Vec<ScoredRule>,
    /// How much a hedged firing keeps of its rule's weight.
    hedge_factor: f64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ScoredRule {
    id: String,
    tag_id: String,
    tag: usize,
    weight: f64,
    /// The `because`, trimmed once.
    because: String,
}

impl ScoreTable {
    pub(crate) fn new(taxonomy: &Taxonomy, hedge_factor: f64) -> ScoreTable {
        let index = taxonomy.tag_index();
        let rules = taxonomy
            .rules
            .iter()
            .map(|r| ScoredRule {
                id: r.def.id.clone(),
                tag_id: r.def.tag.clone(),
                tag: index
                    .position(&r.def.tag)
                    .expect("validated: every rule's tag exists"),
                weight: r.def.weight,
                because: r.def.because.trim().to_string(),
            })
            .collect();
        ScoreTable {
            rules,
            hedge_factor,
        }
    }
}

/// Confidences are rounded so that output is stable across platforms.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The span of a hit in the original text, without the white space around
/// it (a hit at the end of a text would otherwise take in the text's final
/// newline: folding drops trailing white space, so the end maps to the text's).
fn span(a: &Analysis, hit: u32) -> (usize, usize) {
    let h = &a.hits[hit as usize];
    orig_span_trimmed(a, h.start as usize, h.end as usize)
}

/// The original-text span of a folded span, without surrounding white space:
/// the one mapping from folded offsets to evidence, for rules and the model.
pub(crate) fn orig_span_trimmed(a: &Analysis, start: usize, end: usize) -> (usize, usize) {
    let (start, end) = a.norm.orig_span(start, end);
    let inner = &a.original[start..end];
    let trimmed = inner.trim_start();
    let start = start + (inner.len() - trimmed.len());
    (start, start + trimmed.trim_end().len())
}

fn evidence_at(a: &Analysis, (start, end): (usize, usize)) -> Evidence {
    Evidence::span(a.original[start..end].to_string(), start, end)
}

pub(crate) fn evidence(a: &Analysis, hit: u32) -> Evidence {
    evidence_at(a, span(a, hit))
}

/// The most evidence spans one reason keeps (and the most negated spans one
/// suppressed rule keeps). A text-wide rule over a long text can match
/// thousands of times; the reason then shows the first ones and says how
/// many it left out, so that output stays linear in the text however many
/// rules match it. No record of the AIID set comes near it.
pub const MAX_EVIDENCE: usize = 64;

/// The evidence of a rule, without spans that lie inside another one ("weights"
/// inside "model weights" when both phrases matched), in text order, and how
/// many spans past [`MAX_EVIDENCE`] were left out. Spans are compared
/// first, so that only the evidence kept copies its text.
fn evidence_list(a: &Analysis, hits: &[u32]) -> (Vec<Evidence>, usize) {
    let mut all: Vec<(usize, usize)> = hits.iter().map(|&h| span(a, h)).collect();
    // By start, the longest first: a span lies inside another exactly when
    // an earlier one reaches as far, so one sweep finds them.
    all.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    all.dedup();
    let mut reach = None;
    let mut kept = Vec::new();
    for (start, end) in all {
        if reach.is_some_and(|r| r >= end) {
            continue;
        }
        reach = Some(end);
        kept.push((start, end));
    }
    let omitted = kept.len().saturating_sub(MAX_EVIDENCE);
    kept.truncate(MAX_EVIDENCE);
    (
        kept.into_iter().map(|s| evidence_at(a, s)).collect(),
        omitted,
    )
}

pub(crate) fn classify(engine: &Engine, a: &Analysis, options: &ClassifyOptions) -> Classification {
    let taxonomy = engine.taxonomy();
    let table = &engine.score_table;
    let index = taxonomy.tag_index();
    let n = taxonomy.tags.len();
    let hedge = table.hedge_factor;

    // Effective weight of each fired rule and the tags it supports (its own and
    // every ancestor), so that a child's evidence also counts for the parent.
    let mut miss = vec![1.0f64; n];
    // Every reason once; each tag lists the indices of those that support it.
    let mut all_reasons: Vec<Reason> = Vec::with_capacity(a.fired.len());
    let mut reasons: Vec<Vec<usize>> = vec![Vec::new(); n];
    for f in &a.fired {
        let rule = &table.rules[f.rule];
        let weight = rule.weight;
        let effective = if f.hedged_by.is_some() {
            weight * hedge
        } else {
            weight
        };
        let (kept, evidence_omitted) = evidence_list(a, &f.evidence);
        let at = all_reasons.len();
        all_reasons.push(Reason {
            rule: rule.id.clone(),
            tag: rule.tag_id.clone(),
            because: rule.because.clone(),
            weight,
            effective_weight: round(effective),
            evidence: kept,
            evidence_omitted,
            hedged_by: f.hedged_by.map(|h| evidence(a, h)),
            learned: false,
        });
        // The rule's tag and its ancestors.
        let mut tag = Some(rule.tag);
        while let Some(t) = tag {
            miss[t] *= 1.0 - effective;
            reasons[t].push(at);
            tag = index.parent(t);
        }
    }
    let mut confidence: Vec<f64> = miss.iter().map(|m| round(1.0 - m)).collect();
    let threshold_of = |t: usize| {
        options
            .min_confidence
            .or(taxonomy.tags[t].threshold)
            .unwrap_or(taxonomy.settings.threshold)
    };
    let mut emitted: Vec<bool> = (0..n)
        .map(|t| confidence[t] > 0.0 && confidence[t] + 1e-9 >= threshold_of(t))
        .collect();
    // The learned layer, where it has a say (src/model/score.rs): combined,
    // a tag is given by the rules or by the model, with the noisy-OR of both
    // as its confidence; model-only, by the model alone.
    let model = engine.model().filter(|_| options.model != Mode::RulesOnly);
    let learned = model.map(|m| m.score(engine, a));
    if let (Some(m), Some(l)) = (model, &learned) {
        for t in 0..n {
            match m.decide(l, t, confidence[t], options.model) {
                Some((c, gives)) => {
                    confidence[t] = round(c);
                    emitted[t] = match (options.model, options.min_confidence) {
                        (_, Some(min)) => confidence[t] > 0.0 && confidence[t] + 1e-9 >= min,
                        (Mode::ModelOnly, None) => gives,
                        _ => emitted[t] || gives,
                    };
                }
                None if options.model == Mode::ModelOnly => {
                    confidence[t] = 0.0;
                    emitted[t] = false;
                }
                None => {}
            }
        }
    }
    // A child tag always implies its parent, whatever the parent's threshold.
    for t in 0..n {
        if emitted[t] {
            let mut p = index.parent(t);
            while let Some(q) = p {
                emitted[q] = true;
                p = index.parent(q);
            }
        }
    }
    // The model's reason for each tag it gives, which (like a rule's) also
    // supports the ancestors; and a parent is at least as sure as its child,
    // as it is with rules alone.
    let mut model_reasons: Vec<Vec<usize>> = vec![Vec::new(); n];
    if let (Some(m), Some(l)) = (model, &learned) {
        for t in 0..n {
            let mut p = index.parent(t);
            while let Some(q) = p {
                if emitted[t] {
                    confidence[q] = confidence[q].max(confidence[t]);
                }
                p = index.parent(q);
            }
            if !(emitted[t] && m.gives(l, t)) {
                continue;
            }
            let Some(reason) = m.reason(engine, a, l, t) else {
                continue;
            };
            let at = all_reasons.len();
            all_reasons.push(reason);
            let mut p = Some(t);
            while let Some(q) = p {
                model_reasons[q].push(at);
                p = index.parent(q);
            }
        }
    }

    let mut tags = Vec::new();
    for (t, def) in taxonomy.tags.iter().enumerate() {
        if !emitted[t] {
            continue;
        }
        let children = index.children(t);
        let implied_by: Vec<String> = children
            .iter()
            .filter(|&&c| emitted[c])
            .map(|&c| taxonomy.tags[c].id.clone())
            .collect();
        let (kind, kind_note) = if children.is_empty() {
            (None, None)
        } else if implied_by.is_empty() {
            (
                Some("unclear".to_string()),
                def.kind_note.clone().map(|s| s.trim().to_string()),
            )
        } else {
            let notes: Vec<String> = children
                .iter()
                .filter(|&&c| emitted[c])
                .filter_map(|&c| taxonomy.tags[c].kind_note.clone())
                .map(|s| s.trim().to_string())
                .collect();
            (
                Some(implied_by.join("+")),
                (!notes.is_empty()).then(|| notes.join(" ")),
            )
        };
        let mut rs = std::mem::take(&mut reasons[t]);
        let learned_only = rs.is_empty();
        rs.sort_by(|&x, &y| {
            let (x, y) = (&all_reasons[x], &all_reasons[y]);
            y.effective_weight
                .total_cmp(&x.effective_weight)
                .then_with(|| x.rule.cmp(&y.rule))
        });
        // The model's reasons come after the rules', which say more.
        rs.append(&mut model_reasons[t]);
        tags.push(TagResult {
            tag: def.id.clone(),
            name: def.name.clone(),
            parent: def.parent.clone(),
            kind,
            kind_note,
            implied_by,
            learned_only,
            reasons: rs,
        });
    }

    let fired_ids: Vec<&str> = a
        .fired
        .iter()
        .map(|f| table.rules[f.rule].id.as_str())
        .collect();
    let overlaps = taxonomy
        .overlaps
        .iter()
        .filter(|o| o.tags.iter().all(|t| tags.iter().any(|r| &r.tag == t)))
        .filter(|o| o.rules.is_empty() || o.rules.iter().any(|r| fired_ids.contains(&r.as_str())))
        .map(|o| OverlapResult {
            id: o.id.clone(),
            tags: o.tags.clone(),
            note: o.note.trim().to_string(),
        })
        .collect();

    let negated = if options.explain {
        a.blocked
            .iter()
            .map(|b| {
                let rule = &table.rules[b.rule];
                Suppressed {
                    rule: rule.id.clone(),
                    tag: rule.tag_id.clone(),
                    because: rule.because.clone(),
                    negated_omitted: b.negated.len().saturating_sub(MAX_EVIDENCE),
                    negated: b
                        .negated
                        .iter()
                        .take(MAX_EVIDENCE)
                        .map(|&(hit, trigger)| NegatedEvidence {
                            evidence: evidence(a, hit),
                            trigger: evidence(a, trigger),
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };

    let scores = (0..n)
        .filter(|&t| confidence[t] > 0.0)
        .map(|t| (taxonomy.tags[t].id.clone(), confidence[t]))
        .collect();
    // The sentences in the original text, for quoting evidence with the
    // segmenter's own sentence ends (an abbreviation's full stop is none).
    let sentences = a
        .sentences
        .iter()
        .map(|s| orig_span_trimmed(a, s.start as usize, s.end as usize))
        .collect();
    Classification {
        tags,
        reasons: all_reasons,
        overlaps,
        negated,
        scores,
        sentences,
    }
}
