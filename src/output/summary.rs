//! Renders `--summary` (computed in `batch::summary`): totals, records per
//! tag, and the pairs of tags that occur together.

use crate::batch::Summary;
use std::io::{self, Write};

/// Width of the longest bar, in characters.
const BAR_WIDTH: usize = 30;

/// Writes the summary; `bars` adds a bar chart (for a terminal).
pub fn write_summary(w: &mut dyn Write, s: &Summary, bars: bool) -> io::Result<()> {
    let filtered = if s.emitted == s.records {
        String::new()
    } else {
        format!(", {} written", s.emitted)
    };
    writeln!(
        w,
        "{} records: {} tagged, {} untagged, {} errors{filtered}",
        s.records,
        s.tagged(),
        s.untagged,
        s.errors
    )?;
    if s.non_english > 0 {
        writeln!(
            w,
            "{} records do not look like English (the rules only read English)",
            s.non_english
        )?;
    }
    let classified = s.records - s.errors;
    let name_width = s.tags.iter().map(String::len).max().unwrap_or(0).max(3);
    let max = s.counts.iter().copied().max().unwrap_or(0);
    writeln!(
        w,
        "{:<name_width$}  {:>7}  {:>6}",
        "tag", "records", "share"
    )?;
    for (tag, &count) in s.tags.iter().zip(&s.counts) {
        write!(
            w,
            "{tag:<name_width$}  {count:>7}  {:>5.1}%",
            percent(count, classified)
        )?;
        if bars && max > 0 {
            let len = (count as usize * BAR_WIDTH).div_ceil(max as usize);
            write!(w, "  {}", "█".repeat(len))?;
        }
        writeln!(w)?;
    }
    let pairs = s.pairs();
    if !pairs.is_empty() {
        writeln!(
            w,
            "tags together (records with both; a tag with its parent is left out)"
        )?;
        let width = pairs
            .iter()
            .map(|p| p.a.len() + p.b.len() + 3)
            .max()
            .unwrap_or(0);
        for p in &pairs {
            let both = format!("{} + {}", p.a, p.b);
            writeln!(
                w,
                "{both:<width$}  {:>7}  {:>5.1}%",
                p.count,
                percent(p.count, classified)
            )?;
        }
    }
    Ok(())
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn lists_every_tag_with_counts_and_bars_on_request() {
        let engine = Engine::embedded().unwrap();
        let mut s = Summary::new(engine.taxonomy());
        s.add(&engine.classify("Hackers stole the model weights and leaked them online."));
        s.add(&engine.classify("A quiet day."));
        s.emitted = 2;
        let mut plain = Vec::new();
        write_summary(&mut plain, &s, false).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert!(
            plain.starts_with("2 records: 1 tagged, 1 untagged, 0 errors\n"),
            "{plain}"
        );
        let security = plain.lines().find(|l| l.starts_with("security ")).unwrap();
        assert!(
            security.contains(" 1 ") && security.contains("50.0%"),
            "{security}"
        );
        assert!(!plain.contains('█'));
        let mut barred = Vec::new();
        write_summary(&mut barred, &s, true).unwrap();
        assert!(String::from_utf8(barred).unwrap().contains('█'));
    }
}
