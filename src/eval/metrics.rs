//! The metric maths: from gold labels and predictions (with the rules that
//! fired) to an [`EvalReport`]. Pure: no engine, no I/O, so that every figure
//! can be checked on hand-made cases.

use super::gold::Gold;
use super::report::{
    Average, Averages, Confusion, Counts, Coverage, EvalReport, ExactMatch, RuleReport,
    RuleSupport, Scores, TagCount, TagReport, WorstRecord,
};
use super::{EvalSetup, Prediction};
use std::collections::HashMap;

pub fn compute(
    gold: &Gold,
    predictions: &[Prediction],
    coverage: Coverage,
    setup: &EvalSetup,
) -> EvalReport {
    let tag_ids: Vec<&str> = setup.tags.iter().map(|t| t.id.as_str()).collect();
    let n = tag_ids.len();
    let tag_pos: HashMap<&str, usize> = tag_ids.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let ancestors: Vec<Vec<usize>> = (0..n).map(|t| setup.ancestors(t)).collect();
    let rule_pos: HashMap<&str, usize> = setup
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let rule_tag: Vec<Option<usize>> = setup
        .rules
        .iter()
        .map(|r| tag_pos.get(r.tag.as_str()).copied())
        .collect();

    let mut counts = vec![Counts::default(); n];
    let mut missed_with = vec![vec![0usize; n]; n];
    let mut missed_none = vec![0usize; n];
    let mut spurious_with = vec![vec![0usize; n]; n];
    let mut spurious_none = vec![0usize; n];
    let mut rule_fired = vec![0usize; setup.rules.len()];
    let mut rule_correct = vec![0usize; setup.rules.len()];
    let mut rule_fp = vec![0usize; setup.rules.len()];
    // Per rule, hits against each of its own tag's ancestors, in `ancestors` order.
    let mut rule_ancestor_correct: Vec<Vec<usize>> = rule_tag
        .iter()
        .map(|t| vec![0; t.map_or(0, |t| ancestors[t].len())])
        .collect();
    let mut exact = 0;
    let mut evaluated = 0;
    let mut wrong: Vec<WorstRecord> = Vec::new();

    // Tag sets as membership vectors over the taxonomy; a tag outside it (the
    // gold parser rejects those) is left out of every figure.
    let membership = |tags: &[String]| {
        let mut m = vec![false; n];
        for t in tags {
            if let Some(&i) = tag_pos.get(t.as_str()) {
                m[i] = true;
            }
        }
        m
    };
    let names = |m: &[bool]| -> Vec<String> {
        (0..n)
            .filter(|&i| m[i])
            .map(|i| tag_ids[i].to_string())
            .collect()
    };

    for p in predictions {
        let Some(g) = gold.get(&p.id) else { continue };
        evaluated += 1;
        let gm = membership(&g.tags);
        let pm = membership(&p.predicted);
        if gm == pm {
            exact += 1;
        }
        for t in 0..n {
            match (gm[t], pm[t]) {
                (true, true) => counts[t].tp += 1,
                (true, false) => {
                    counts[t].fn_ += 1;
                    (0..n)
                        .filter(|&o| pm[o])
                        .for_each(|o| missed_with[t][o] += 1);
                    if !pm.contains(&true) {
                        missed_none[t] += 1;
                    }
                }
                (false, true) => {
                    counts[t].fp += 1;
                    (0..n)
                        .filter(|&o| gm[o])
                        .for_each(|o| spurious_with[t][o] += 1);
                    if !gm.contains(&true) {
                        spurious_none[t] += 1;
                    }
                }
                (false, false) => {}
            }
        }
        let mut fired: Vec<&str> = p.fired.iter().map(String::as_str).collect();
        fired.sort_unstable();
        fired.dedup();
        for r in &fired {
            let Some(&ri) = rule_pos.get(r) else { continue };
            rule_fired[ri] += 1;
            let Some(t) = rule_tag[ri] else { continue };
            if gm[t] {
                rule_correct[ri] += 1;
            } else if pm[t] {
                rule_fp[ri] += 1;
            }
            for (k, &a) in ancestors[t].iter().enumerate() {
                if gm[a] {
                    rule_ancestor_correct[ri][k] += 1;
                }
            }
        }
        let missed: Vec<bool> = (0..n).map(|t| gm[t] && !pm[t]).collect();
        let spurious: Vec<bool> = (0..n).map(|t| pm[t] && !gm[t]).collect();
        if missed.contains(&true) || spurious.contains(&true) {
            wrong.push(WorstRecord {
                id: p.id.clone(),
                source: p.source.clone(),
                excerpt: p.excerpt.clone(),
                predicted: names(&pm),
                gold: names(&gm),
                missed: names(&missed),
                spurious: names(&spurious),
                fired: p.fired.clone(),
            });
        }
    }

    let tally = |row: &[usize]| -> Vec<TagCount> {
        let mut v: Vec<(usize, usize)> = row
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .collect();
        // Most frequent first; ties in taxonomy order (the sort is stable).
        v.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        v.into_iter()
            .map(|(t, count)| TagCount {
                tag: tag_ids[t].to_string(),
                count,
            })
            .collect()
    };
    let tags: Vec<TagReport> = (0..n)
        .map(|t| TagReport {
            tag: tag_ids[t].to_string(),
            support: counts[t].support(),
            predicted: counts[t].predicted(),
            counts: counts[t],
            scores: counts[t].scores(),
            missed: Confusion {
                records: counts[t].fn_,
                tags: tally(&missed_with[t]),
                none: missed_none[t],
            },
            spurious: Confusion {
                records: counts[t].fp,
                tags: tally(&spurious_with[t]),
                none: spurious_none[t],
            },
        })
        .collect();

    let all: Vec<usize> = (0..n).collect();
    let supported: Vec<usize> = (0..n).filter(|&t| counts[t].support() > 0).collect();
    let headline: Vec<usize> = setup
        .headline
        .iter()
        .filter_map(|t| tag_pos.get(t.as_str()).copied())
        .collect();
    let averages = Averages {
        all: average(&all, &counts, &tag_ids),
        with_support: average(&supported, &counts, &tag_ids),
        headline: average(&headline, &counts, &tag_ids),
    };

    let records_with_errors = wrong.len();
    // Most wrong tags first; ties keep gold-file order (the sort is stable).
    wrong.sort_by_key(|w| std::cmp::Reverse(w.missed.len() + w.spurious.len()));
    wrong.truncate(setup.worst);

    let rules = setup
        .rules
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let fired = rule_fired[ri];
            let ratio = |c: usize| (fired > 0).then(|| c as f64 / fired as f64);
            let also_supports = match rule_tag[ri] {
                Some(t) => ancestors[t]
                    .iter()
                    .zip(&rule_ancestor_correct[ri])
                    .map(|(&a, &c)| RuleSupport {
                        tag: tag_ids[a].to_string(),
                        correct: c,
                        precision: ratio(c),
                    })
                    .collect(),
                None => Vec::new(),
            };
            RuleReport {
                rule: r.id.clone(),
                tag: r.tag.clone(),
                fired,
                correct: rule_correct[ri],
                precision: ratio(rule_correct[ri]),
                false_positive: rule_fp[ri],
                also_supports,
            }
        })
        .collect();

    EvalReport {
        coverage: Coverage {
            evaluated,
            ..coverage
        },
        tags,
        averages,
        exact_match: ExactMatch {
            matched: exact,
            records: evaluated,
            ratio: (evaluated > 0).then(|| exact as f64 / evaluated as f64),
        },
        records_with_errors,
        worst: wrong,
        rules,
        layers: None,
    }
}

/// Micro: scores of the summed counts. Macro: mean of each tag's scores, an
/// undefined score counting as 0 (scikit-learn's convention), so that a tag
/// the rules never predict pulls the average down instead of vanishing.
fn average(set: &[usize], counts: &[Counts], tag_ids: &[&str]) -> Average {
    let mut sum = Counts::default();
    for &t in set {
        sum.add(counts[t]);
    }
    let macro_ = if set.is_empty() {
        Scores::default()
    } else {
        let mean = |f: fn(&Scores) -> Option<f64>| {
            Some(
                set.iter()
                    .map(|&t| f(&counts[t].scores()).unwrap_or(0.0))
                    .sum::<f64>()
                    / set.len() as f64,
            )
        };
        Scores {
            precision: mean(|s| s.precision),
            recall: mean(|s| s.recall),
            f1: mean(|s| s.f1),
        }
    };
    Average {
        tags: set.iter().map(|&t| tag_ids[t].to_string()).collect(),
        micro: sum.scores(),
        macro_,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{RuleInfo, TagInfo};

    const TAGS: &[&str] = &["alignment", "outer-alignment", "competence", "governance"];

    fn setup(headline: &[&str], worst: usize) -> EvalSetup {
        EvalSetup {
            tags: vec![
                TagInfo {
                    id: "alignment".into(),
                    parent: None,
                },
                TagInfo {
                    id: "outer-alignment".into(),
                    parent: Some("alignment".into()),
                },
                TagInfo {
                    id: "competence".into(),
                    parent: None,
                },
                TagInfo {
                    id: "governance".into(),
                    parent: None,
                },
            ],
            rules: vec![
                RuleInfo {
                    id: "outer.proxy".into(),
                    tag: "outer-alignment".into(),
                },
                RuleInfo {
                    id: "comp.crash".into(),
                    tag: "competence".into(),
                },
                RuleInfo {
                    id: "gov.misuse".into(),
                    tag: "governance".into(),
                },
                RuleInfo {
                    id: "gov.never".into(),
                    tag: "governance".into(),
                },
            ],
            headline: headline.iter().map(|s| s.to_string()).collect(),
            worst,
        }
    }

    fn gold(lines: &[(&str, &[&str])]) -> Gold {
        let text: String = lines
            .iter()
            .map(|(id, tags)| serde_json::json!({"id": id, "tags": tags}).to_string() + "\n")
            .collect();
        Gold::parse(text.as_bytes(), "gold", TAGS).unwrap()
    }

    fn pred(id: &str, predicted: &[&str], fired: &[&str]) -> Prediction {
        Prediction {
            id: id.into(),
            source: format!("data:{id}"),
            excerpt: format!("text {id}"),
            predicted: predicted.iter().map(|s| s.to_string()).collect(),
            fired: fired.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn run(g: &Gold, p: &[Prediction], s: &EvalSetup) -> EvalReport {
        compute(g, p, Coverage::default(), s)
    }

    fn tag<'r>(r: &'r EvalReport, id: &str) -> &'r TagReport {
        r.tags.iter().find(|t| t.tag == id).unwrap()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    /// Four records:       gold                      predicted
    ///   1                 competence                competence
    ///   2                 competence, governance    competence
    ///   3                 governance                competence
    ///   4                 (none)                    governance
    fn four() -> (Gold, Vec<Prediction>) {
        let g = gold(&[
            ("1", &["competence"]),
            ("2", &["competence", "governance"]),
            ("3", &["governance"]),
            ("4", &[]),
        ]);
        let p = vec![
            pred("1", &["competence"], &["comp.crash"]),
            pred("2", &["competence"], &["comp.crash"]),
            pred("3", &["competence"], &["comp.crash"]),
            pred("4", &["governance"], &["gov.misuse"]),
        ];
        (g, p)
    }

    #[test]
    fn per_tag_counts_and_scores() {
        let (g, p) = four();
        let r = run(&g, &p, &setup(TAGS, 10));
        let c = tag(&r, "competence");
        assert_eq!(
            (
                c.counts.tp,
                c.counts.fp,
                c.counts.fn_,
                c.support,
                c.predicted
            ),
            (2, 1, 0, 2, 3)
        );
        assert!(close(c.scores.precision, 2.0 / 3.0));
        assert!(close(c.scores.recall, 1.0));
        assert!(close(c.scores.f1, 0.8));
        let gv = tag(&r, "governance");
        assert_eq!((gv.counts.tp, gv.counts.fp, gv.counts.fn_), (0, 1, 2));
        assert!(close(gv.scores.precision, 0.0));
        assert!(close(gv.scores.recall, 0.0));
        assert!(close(gv.scores.f1, 0.0));
        // No support, never predicted: nothing is defined.
        let a = tag(&r, "alignment");
        assert_eq!((a.support, a.predicted), (0, 0));
        assert_eq!(
            (a.scores.precision, a.scores.recall, a.scores.f1),
            (None, None, None)
        );
    }

    #[test]
    fn micro_and_macro_differ_and_undefined_counts_as_zero() {
        let (g, p) = four();
        let r = run(&g, &p, &setup(&["competence", "governance"], 10));
        // Micro over all tags: tp 2, fp 2, fn 2.
        let all = &r.averages.all;
        assert!(close(all.micro.precision, 0.5));
        assert!(close(all.micro.recall, 0.5));
        assert!(close(all.micro.f1, 0.5));
        // Macro over all four tags: F1 0.8, 0, and 0 for the two tags with nothing.
        assert!(close(all.macro_.f1, 0.8 / 4.0));
        assert!(close(all.macro_.precision, (2.0 / 3.0) / 4.0));
        // Only competence and governance have support.
        let ws = &r.averages.with_support;
        assert_eq!(ws.tags, vec!["competence", "governance"]);
        assert!(close(ws.macro_.f1, 0.4));
        assert!(close(ws.macro_.recall, 0.5));
        let h = &r.averages.headline;
        assert_eq!(h.tags, vec!["competence", "governance"]);
        assert!(close(h.macro_.f1, 0.4));
    }

    #[test]
    fn a_tag_predicted_but_never_in_gold_counts_against_macro_over_all() {
        let g = gold(&[("1", &["competence"]), ("2", &["competence"])]);
        let p = vec![
            pred("1", &["competence"], &[]),
            pred("2", &["competence", "governance"], &[]),
        ];
        let r = run(&g, &p, &setup(TAGS, 10));
        let gv = tag(&r, "governance");
        assert_eq!(gv.scores.recall, None);
        assert!(close(gv.scores.f1, 0.0));
        assert!(close(r.averages.with_support.macro_.f1, 1.0));
        assert!(close(r.averages.all.macro_.f1, 0.25));
        assert_eq!(r.averages.with_support.tags, vec!["competence"]);
    }

    #[test]
    fn exact_match_needs_identical_sets() {
        let (g, p) = four();
        let r = run(&g, &p, &setup(TAGS, 10));
        assert_eq!((r.exact_match.matched, r.exact_match.records), (1, 4));
        assert!(close(r.exact_match.ratio, 0.25));
        assert_eq!(r.records_with_errors, 3);
        // Both empty is an exact match too, and order does not matter.
        let g = gold(&[("a", &[]), ("b", &["governance", "competence"])]);
        let p = vec![
            pred("a", &[], &[]),
            pred("b", &["competence", "governance"], &[]),
        ];
        let r = run(&g, &p, &setup(TAGS, 10));
        assert_eq!(r.exact_match.matched, 2);
        assert!(r.worst.is_empty());
    }

    #[test]
    fn confusions_say_what_went_with_each_error() {
        let (g, p) = four();
        let r = run(&g, &p, &setup(TAGS, 10));
        let gv = tag(&r, "governance");
        // Missed on 2 (competence predicted) and 3 (competence predicted).
        assert_eq!(gv.missed.records, 2);
        assert_eq!(
            gv.missed.tags,
            vec![TagCount {
                tag: "competence".into(),
                count: 2
            }]
        );
        assert_eq!(gv.missed.none, 0);
        // Spurious on 4, whose gold has no tag.
        assert_eq!(gv.spurious.records, 1);
        assert!(gv.spurious.tags.is_empty());
        assert_eq!(gv.spurious.none, 1);
        let c = tag(&r, "competence");
        assert_eq!(
            c.spurious.tags,
            vec![TagCount {
                tag: "governance".into(),
                count: 1
            }]
        );
        assert_eq!(c.missed.records, 0);
    }

    #[test]
    fn missed_with_nothing_predicted_is_counted_apart() {
        let g = gold(&[
            ("1", &["governance"]),
            ("2", &["governance"]),
            ("3", &["governance"]),
        ]);
        let p = vec![
            pred("1", &[], &[]),
            pred("2", &["competence"], &[]),
            pred("3", &["competence", "outer-alignment", "alignment"], &[]),
        ];
        let r = run(&g, &p, &setup(TAGS, 10));
        let m = &tag(&r, "governance").missed;
        assert_eq!(m.records, 3);
        assert_eq!(m.none, 1);
        let tally: Vec<(&str, usize)> = m.tags.iter().map(|t| (t.tag.as_str(), t.count)).collect();
        // Most frequent first, ties in taxonomy order.
        assert_eq!(
            tally,
            vec![("competence", 2), ("alignment", 1), ("outer-alignment", 1)]
        );
    }

    #[test]
    fn worst_records_are_ranked_by_wrong_tags_and_capped() {
        let g = gold(&[
            ("1", &["competence"]),
            ("2", &["governance"]),
            ("3", &["competence"]),
            ("4", &[]),
        ]);
        let p = vec![
            pred("1", &["competence"], &["comp.crash"]),
            pred("2", &["competence"], &["comp.crash"]),
            pred("3", &[], &[]),
            pred(
                "4",
                &["alignment", "outer-alignment", "governance"],
                &["outer.proxy", "gov.misuse"],
            ),
        ];
        let r = run(&g, &p, &setup(TAGS, 2));
        assert_eq!(r.records_with_errors, 3);
        assert_eq!(r.worst.len(), 2);
        assert_eq!(r.worst[0].id, "4");
        assert_eq!(
            r.worst[0].spurious,
            vec!["alignment", "outer-alignment", "governance"]
        );
        assert_eq!(r.worst[0].fired, vec!["outer.proxy", "gov.misuse"]);
        // 2 has two wrong tags, 3 only one.
        assert_eq!(r.worst[1].id, "2");
        assert_eq!(r.worst[1].missed, vec!["governance"]);
        assert_eq!(r.worst[1].spurious, vec!["competence"]);
        assert_eq!(r.worst[1].predicted, vec!["competence"]);
        assert_eq!(r.worst[1].gold, vec!["governance"]);
        assert_eq!(r.worst[1].source, "data:2");
    }

    #[test]
    fn rule_precision_is_against_its_own_tag_and_ancestors_are_reported_apart() {
        let g = gold(&[
            ("1", &["alignment", "outer-alignment"]),
            ("2", &["alignment"]),
            ("3", &["competence"]),
            ("4", &["governance"]),
        ]);
        let p = vec![
            pred("1", &["alignment", "outer-alignment"], &["outer.proxy"]),
            pred("2", &["alignment", "outer-alignment"], &["outer.proxy"]),
            // Fired, but its tag stayed below the threshold: not a false positive.
            pred("3", &["competence"], &["outer.proxy", "comp.crash"]),
            pred("4", &["governance"], &["gov.misuse", "gov.misuse"]),
        ];
        let r = run(&g, &p, &setup(TAGS, 10));
        let outer = r.rules.iter().find(|x| x.rule == "outer.proxy").unwrap();
        assert_eq!(
            (outer.fired, outer.correct, outer.false_positive),
            (3, 1, 1)
        );
        assert!(close(outer.precision, 1.0 / 3.0));
        assert_eq!(outer.also_supports.len(), 1);
        assert_eq!(outer.also_supports[0].tag, "alignment");
        assert_eq!(outer.also_supports[0].correct, 2);
        assert!(close(outer.also_supports[0].precision, 2.0 / 3.0));
        // A rule listed twice for one record counts once.
        let gov = r.rules.iter().find(|x| x.rule == "gov.misuse").unwrap();
        assert_eq!((gov.fired, gov.correct), (1, 1));
        assert!(gov.also_supports.is_empty());
        let never = r.rules.iter().find(|x| x.rule == "gov.never").unwrap();
        assert_eq!((never.fired, never.precision), (0, None));
        assert_eq!(r.rules.len(), 4, "rules that never fired are listed too");
    }

    #[test]
    fn predictions_outside_the_gold_file_are_not_counted() {
        let g = gold(&[("1", &["competence"])]);
        let p = vec![
            pred("1", &["competence"], &[]),
            pred("99", &["governance"], &[]),
        ];
        let r = run(&g, &p, &setup(TAGS, 10));
        assert_eq!(r.coverage.evaluated, 1);
        assert_eq!(tag(&r, "governance").counts, Counts::default());
    }

    #[test]
    fn no_records_means_no_scores_and_empty_headline_has_none() {
        let g = gold(&[("1", &["competence"])]);
        let r = run(&g, &[], &setup(&[], 10));
        assert_eq!(r.exact_match.ratio, None);
        assert_eq!(r.averages.all.micro.f1, None);
        assert_eq!(r.averages.headline.macro_.f1, None);
        assert!(r.averages.with_support.tags.is_empty());
    }
}
