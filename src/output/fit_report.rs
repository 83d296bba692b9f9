//! `aitag fit`'s cross-validated figures, for a terminal.

use crate::model::file::Prf;
use crate::model::fit::FitReport;
use colored::Colorize;
use std::io::{self, Write};

fn three(p: &Prf) -> String {
    format!("{:>6.3} {:>6.3} {:>6.3}", p.precision, p.recall, p.f1)
}

/// The per-tag P/R/F1 of rules-only, model-only and combined, on full
/// records and (with `--also-field`) on the title-only copies, with macro
/// averages over the tags that have a model.
pub fn write_fit_report(w: &mut dyn Write, r: &FitReport) -> io::Result<()> {
    writeln!(
        w,
        "{} {} labeled records{}, {} features, {}-fold cross-validation",
        "fit:".bold(),
        r.records,
        if r.title_records > 0 {
            format!(" (+ {} title-only copies)", r.title_records)
        } else {
            String::new()
        },
        r.features,
        r.folds
    )?;
    if r.overridden > 0 {
        writeln!(
            w,
            "{} label(s) of ids an earlier gold file also labels were left out (--first-label-wins)",
            r.overridden
        )?;
    }
    let mut sections: Vec<(&str, usize)> = vec![("full records", 0)];
    if r.tags.iter().any(|t| t.titles.is_some()) {
        sections.push(("title-only copies", 1));
    }
    for (title, which) in sections {
        writeln!(w)?;
        let header = format!(
            "{:<18} {:>5}  {:>20}  {:>20}  {:>20}",
            title, "pos", "rules-only P R F1", "model-only P R F1", "combined P R F1"
        );
        writeln!(w, "{}", header.bold())?;
        let mut sums = [0.0f64; 3];
        let mut fitted = 0;
        for t in &r.tags {
            let figures = if which == 0 {
                [t.rules, t.model, t.both]
            } else {
                t.titles.unwrap_or_default()
            };
            let note = match (t.fitted, t.combined) {
                (false, _) => "  (too few labels: rules only)",
                (true, false) => "  (no threshold keeps the precision: rules only)",
                _ => "",
            };
            writeln!(
                w,
                "{:<18} {:>5}  {}  {}  {}{}",
                t.tag,
                t.positives,
                three(&figures[0]),
                three(&figures[1]),
                three(&figures[2]),
                note.dimmed()
            )?;
            if t.fitted {
                fitted += 1;
                for (s, f) in sums.iter_mut().zip(&figures) {
                    *s += f.f1;
                }
            }
        }
        if fitted > 0 {
            let m = sums.map(|s| s / fitted as f64);
            writeln!(
                w,
                "{:<18} {:>5}  {:>20.3}  {:>20.3}  {:>20.3}",
                "macro F1 (fitted)", "", m[0], m[1], m[2]
            )?;
        }
    }
    Ok(())
}
