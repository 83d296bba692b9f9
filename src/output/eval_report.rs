//! `aitag eval` for people (a terminal report) and for README files (the
//! per-tag table in Markdown). The JSON form is the report's serde output.

use crate::eval::report::{Confusion, EvalReport, Layers, Scores, TagCount};
use colored::Colorize;
use std::io::{self, Write};

/// A score with three decimals, or `-` where it is undefined.
fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn counts(tags: &[TagCount]) -> String {
    tags.iter()
        .map(|t| format!("{} {}", t.tag, t.count))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The labelled average rows shared by the terminal and Markdown tables. The
/// `--tags` rows are left out when they are the same set as another row.
fn average_rows(r: &EvalReport) -> Vec<(String, Scores)> {
    let av = &r.averages;
    let all = format!("all {}", plural(av.all.tags.len(), "tag"));
    let supported = format!("{} with support", plural(av.with_support.tags.len(), "tag"));
    let mut rows = vec![
        (format!("micro ({all})"), av.all.micro),
        (format!("macro ({all})"), av.all.macro_),
        (format!("macro ({supported})"), av.with_support.macro_),
    ];
    if av.headline.tags != av.all.tags && av.headline.tags != av.with_support.tags {
        let headline = format!("--tags, {}", plural(av.headline.tags.len(), "tag"));
        rows.push((format!("micro ({headline})"), av.headline.micro));
        rows.push((format!("macro ({headline})"), av.headline.macro_));
    }
    rows
}

fn headline_line(r: &EvalReport) -> String {
    let h = &r.averages.headline;
    format!(
        "macro-F1 over {} ({}): {}",
        plural(h.tags.len(), "tag"),
        h.tags.join(", "),
        num(h.macro_.f1)
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn confusion_line(label: &str, c: &Confusion, side: &str, none: &str) -> String {
    let mut parts = Vec::new();
    if !c.tags.is_empty() {
        parts.push(format!("{side} {}", counts(&c.tags)));
    }
    if c.none > 0 {
        parts.push(format!("{none} {}", c.none));
    }
    format!("{label} {:<4} {}", c.records, parts.join("; "))
}

/// The whole report: coverage, per-tag table with averages, exact match,
/// confusions, worst records and per-rule figures, then the headline average.
pub fn write_human(w: &mut dyn Write, r: &EvalReport) -> io::Result<()> {
    let c = &r.coverage;
    writeln!(
        w,
        "{} {} of {} gold records evaluated ({})",
        "eval:".bold(),
        c.evaluated,
        c.gold_records,
        c.gold_file
    )?;
    writeln!(
        w,
        "  data: {} read, {} not in the gold file, {}",
        plural(c.data_records, "record"),
        c.not_in_gold,
        plural(c.record_errors, "record error")
    )?;
    if !c.missing.is_empty() {
        let line = format!(
            "  missing from the data ({}): {}",
            c.missing.len(),
            c.missing.join(", ")
        );
        writeln!(w, "{}", line.red())?;
    }
    if !c.duplicates.is_empty() {
        let list: Vec<String> = c
            .duplicates
            .iter()
            .map(|d| format!("{} at {}", d.id, d.source))
            .collect();
        let line = format!(
            "  duplicate ids in the data, not evaluated ({}): {}",
            list.len(),
            list.join(", ")
        );
        writeln!(w, "{}", line.yellow())?;
    }
    writeln!(w)?;

    let rows = average_rows(r);
    let label_width = r
        .tags
        .iter()
        .map(|t| t.tag.len())
        .chain(rows.iter().map(|(l, _)| l.len()))
        .max()
        .unwrap_or(3);
    let header = format!(
        "{:<label_width$} {:>7} {:>9} {:>5} {:>5} {:>5} {:>9} {:>7} {:>7}",
        "tag", "support", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    writeln!(w, "{}", header.bold())?;
    for t in &r.tags {
        writeln!(
            w,
            "{:<label_width$} {:>7} {:>9} {:>5} {:>5} {:>5} {:>9} {:>7} {:>7}",
            t.tag,
            t.support,
            t.predicted,
            t.counts.tp,
            t.counts.fp,
            t.counts.fn_,
            num(t.scores.precision),
            num(t.scores.recall),
            num(t.scores.f1)
        )?;
    }
    for (label, s) in &rows {
        let blank = "";
        writeln!(
            w,
            "{:<label_width$} {blank:>7} {blank:>9} {blank:>5} {blank:>5} {blank:>5} {:>9} {:>7} {:>7}",
            label,
            num(s.precision),
            num(s.recall),
            num(s.f1)
        )?;
    }
    let e = &r.exact_match;
    if let Some(layers) = &r.layers {
        write_layers_human(w, layers, label_width)?;
    }
    writeln!(
        w,
        "exact match: {} ({} of {})",
        num(e.ratio),
        e.matched,
        plural(e.records, "record")
    )?;

    writeln!(w)?;
    writeln!(
        w,
        "{}",
        "confusions (missed: in gold, not predicted; spurious: predicted, not in gold)".bold()
    )?;
    for t in r
        .tags
        .iter()
        .filter(|t| t.missed.records + t.spurious.records > 0)
    {
        writeln!(w, "{}", t.tag.bold())?;
        if t.missed.records > 0 {
            writeln!(
                w,
                "  {}",
                confusion_line("missed  ", &t.missed, "predicted", "nothing predicted")
            )?;
        }
        if t.spurious.records > 0 {
            writeln!(
                w,
                "  {}",
                confusion_line("spurious", &t.spurious, "gold", "no gold tag")
            )?;
        }
    }

    writeln!(w)?;
    writeln!(
        w,
        "{}",
        format!(
            "worst records ({} of {} with a wrong tag, most wrong tags first)",
            r.worst.len(),
            r.records_with_errors
        )
        .bold()
    )?;
    let tags_or_none = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join(", ")
        }
    };
    for x in &r.worst {
        writeln!(
            w,
            "{} {}  {}",
            format!("#{}", x.id).bold(),
            x.source.dimmed(),
            x.excerpt
        )?;
        writeln!(w, "    predicted: {}", tags_or_none(&x.predicted))?;
        writeln!(w, "    gold:      {}", tags_or_none(&x.gold))?;
        let mut diff = Vec::new();
        if !x.missed.is_empty() {
            diff.push(format!("missed {}", x.missed.join(", ")).red().to_string());
        }
        if !x.spurious.is_empty() {
            diff.push(
                format!("spurious {}", x.spurious.join(", "))
                    .yellow()
                    .to_string(),
            );
        }
        writeln!(w, "    {}", diff.join("; "))?;
        writeln!(w, "    fired:     {}", tags_or_none(&x.fired))?;
    }

    writeln!(w)?;
    writeln!(
        w,
        "{}",
        "rules (precision: the rule's own tag was in gold when it fired; false-pos: it fired and its tag was spurious)"
            .bold()
    )?;
    let fired: Vec<_> = r.rules.iter().filter(|x| x.fired > 0).collect();
    let rule_width = fired.iter().map(|x| x.rule.len()).max().unwrap_or(4).max(4);
    let tag_width = fired.iter().map(|x| x.tag.len()).max().unwrap_or(3).max(3);
    let header = format!(
        "{:<rule_width$} {:<tag_width$} {:>5} {:>7} {:>9} {:>9}  {}",
        "rule", "tag", "fired", "correct", "precision", "false-pos", "ancestors (correct/fired)"
    );
    writeln!(w, "{}", header.bold())?;
    for x in &fired {
        let also: Vec<String> = x
            .also_supports
            .iter()
            .map(|a| format!("{} {}/{}", a.tag, a.correct, x.fired))
            .collect();
        let line = format!(
            "{:<rule_width$} {:<tag_width$} {:>5} {:>7} {:>9} {:>9}  {}",
            x.rule,
            x.tag,
            x.fired,
            x.correct,
            num(x.precision),
            x.false_positive,
            also.join(", ")
        );
        // A rule that supports no ancestor has an empty last column.
        writeln!(w, "{}", line.trim_end())?;
    }
    let silent: Vec<&str> = r
        .rules
        .iter()
        .filter(|x| x.fired == 0)
        .map(|x| x.rule.as_str())
        .collect();
    if !silent.is_empty() {
        writeln!(w, "never fired ({}): {}", silent.len(), silent.join(", "))?;
    }

    writeln!(w)?;
    writeln!(w, "{}", headline_line(r).bold())
}

/// The per-tag table and its averages as a Markdown table, for README files.
pub fn write_markdown(w: &mut dyn Write, r: &EvalReport) -> io::Result<()> {
    writeln!(
        w,
        "| tag | support | predicted | TP | FP | FN | precision | recall | F1 |"
    )?;
    writeln!(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")?;
    for t in &r.tags {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            t.tag,
            t.support,
            t.predicted,
            t.counts.tp,
            t.counts.fp,
            t.counts.fn_,
            num(t.scores.precision),
            num(t.scores.recall),
            num(t.scores.f1)
        )?;
    }
    for (label, s) in average_rows(r) {
        writeln!(
            w,
            "| *{label}* | | | | | | {} | {} | {} |",
            num(s.precision),
            num(s.recall),
            num(s.f1)
        )?;
    }
    writeln!(w)?;
    if let Some(layers) = &r.layers {
        write_layers_markdown(w, layers)?;
    }
    let e = &r.exact_match;
    writeln!(
        w,
        "Exact match: {} ({} of {}). {} of {} gold records evaluated. {}.",
        num(e.ratio),
        e.matched,
        plural(e.records, "record"),
        r.coverage.evaluated,
        r.coverage.gold_records,
        headline_line(r)
    )
}

/// Rules-only, model-only and combined P/R/F1 per tag, side by side.
fn write_layers_human(w: &mut dyn Write, l: &Layers, label_width: usize) -> io::Result<()> {
    writeln!(w)?;
    let header = format!(
        "{:<label_width$} {:>22} {:>22} {:>22}",
        "by layer (P R F1)", "rules-only", "model-only", "combined"
    );
    writeln!(w, "{}", header.bold())?;
    let three = |s: &Scores| {
        format!(
            "{:>6} {:>6} {:>6}",
            num(s.precision),
            num(s.recall),
            num(s.f1)
        )
    };
    for row in l.tags.iter().chain([&l.headline]) {
        let label = if row.tag.starts_with("macro") {
            "headline macro"
        } else {
            row.tag.as_str()
        };
        writeln!(
            w,
            "{:<label_width$} {:>22} {:>22} {:>22}",
            label,
            three(&row.rules),
            three(&row.model),
            three(&row.combined)
        )?;
    }
    writeln!(w)
}

/// The same as a Markdown table.
fn write_layers_markdown(w: &mut dyn Write, l: &Layers) -> io::Result<()> {
    writeln!(
        w,
        "| tag | support | rules P | rules R | rules F1 | model P | model R | model F1 | combined P | combined R | combined F1 |"
    )?;
    writeln!(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")?;
    for row in l.tags.iter().chain([&l.headline]) {
        let support = if row.tag.starts_with("macro") {
            String::new()
        } else {
            row.support.to_string()
        };
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.tag,
            support,
            num(row.rules.precision),
            num(row.rules.recall),
            num(row.rules.f1),
            num(row.model.precision),
            num(row.model.recall),
            num(row.model.f1),
            num(row.combined.precision),
            num(row.combined.recall),
            num(row.combined.f1)
        )?;
    }
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::gold::Gold;
    use crate::eval::report::Coverage;
    use crate::eval::{EvalSetup, Prediction, RuleInfo, TagInfo, metrics};

    fn report(headline: &[&str], missing: Vec<String>) -> EvalReport {
        let setup = EvalSetup {
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
                    id: "gov.never".into(),
                    tag: "governance".into(),
                },
            ],
            headline: headline.iter().map(|s| s.to_string()).collect(),
            worst: 5,
        };
        let tags = ["alignment", "outer-alignment", "competence", "governance"];
        let gold = Gold::parse(
            b"{\"id\": 1, \"tags\": [\"competence\"]}\n{\"id\": 2, \"tags\": [\"governance\"]}\n",
            "gold.jsonl",
            &tags,
        )
        .unwrap();
        let p = vec![
            Prediction {
                id: "1".into(),
                source: "d:1".into(),
                excerpt: "A robot fell over".into(),
                predicted: vec!["competence".into()],
                fired: vec![],
            },
            Prediction {
                id: "2".into(),
                source: "d:2".into(),
                excerpt: "Ranking for clicks".into(),
                predicted: vec!["alignment".into(), "outer-alignment".into()],
                fired: vec!["outer.proxy".into()],
            },
        ];
        let coverage = Coverage {
            gold_file: "gold.jsonl".into(),
            gold_records: 2,
            missing,
            ..Coverage::default()
        };
        metrics::compute(&gold, &p, coverage, &setup)
    }

    fn render(f: fn(&mut dyn Write, &EvalReport) -> io::Result<()>, r: &EvalReport) -> String {
        colored::control::set_override(false);
        let mut out = Vec::new();
        f(&mut out, r).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_report_has_every_part() {
        let r = report(
            &["outer-alignment", "competence", "governance"],
            vec!["3".into()],
        );
        let s = render(write_human, &r);
        assert!(
            s.starts_with("eval: 2 of 2 gold records evaluated (gold.jsonl)"),
            "{s}"
        );
        assert!(s.contains("missing from the data (1): 3"), "{s}");
        assert!(
            s.lines()
                .any(|l| l.starts_with("competence") && l.ends_with("1.000   1.000   1.000")),
            "{s}"
        );
        // Governance was never predicted: precision undefined, shown as `-`.
        assert!(
            s.lines()
                .any(|l| l.starts_with("governance") && l.ends_with("-   0.000   0.000")),
            "{s}"
        );
        assert!(s.contains("macro (--tags, 3 tags)"), "{s}");
        assert!(s.contains("exact match: 0.500 (1 of 2 records)"), "{s}");
        assert!(
            s.contains("missed   1    predicted alignment 1, outer-alignment 1"),
            "{s}"
        );
        assert!(s.contains("spurious 1    gold governance 1"), "{s}");
        assert!(s.contains("#2 d:2  Ranking for clicks"), "{s}");
        assert!(
            s.contains("missed governance; spurious alignment, outer-alignment"),
            "{s}"
        );
        assert!(s.contains("fired:     outer.proxy"), "{s}");
        assert!(
            s.lines()
                .any(|l| l.starts_with("outer.proxy") && l.contains("alignment 0/1")),
            "{s}"
        );
        assert!(s.contains("never fired (1): gov.never"), "{s}");
        assert!(
            s.trim_end()
                .ends_with("macro-F1 over 3 tags (outer-alignment, competence, governance): 0.333"),
            "{s}"
        );
    }

    #[test]
    fn markdown_table_has_a_row_per_tag_and_the_averages() {
        let r = report(
            &["alignment", "outer-alignment", "competence", "governance"],
            vec![],
        );
        let s = render(write_markdown, &r);
        let rows: Vec<&str> = s.lines().filter(|l| l.starts_with('|')).collect();
        // Header, rule, four tags, micro/macro over all, macro with support;
        // the headline is the same set as "all", so it has no row of its own.
        assert_eq!(rows.len(), 2 + 4 + 3, "{s}");
        assert_eq!(
            rows[4],
            "| competence | 1 | 1 | 1 | 0 | 0 | 1.000 | 1.000 | 1.000 |"
        );
        assert!(
            rows[8].starts_with("| *macro (2 tags with support)* |"),
            "{s}"
        );
        assert!(s.contains("Exact match: 0.500 (1 of 2 records)."), "{s}");
        assert!(
            s.contains(
                "macro-F1 over 4 tags (alignment, outer-alignment, competence, governance): 0.250"
            ),
            "{s}"
        );
    }
}
