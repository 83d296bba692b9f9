//! How the human printer shows the learned model's reason: marked as
//! learned, with the features that weighed most and their weights.

use super::human::{wrap, write_quote};
use crate::classification::Reason;
use colored::Colorize;
use std::io::{self, Write};

pub(super) fn write_reason(
    w: &mut dyn Write,
    text: &str,
    sentences: &[(usize, usize)],
    r: &Reason,
) -> io::Result<()> {
    writeln!(
        w,
        "  {} {} {}",
        "◇".yellow(),
        r.rule.bold(),
        format!("(learned, probability {:.2})", r.weight).yellow()
    )?;
    write!(w, "{}", wrap(&r.because, "    "))?;
    write_quote(w, text, sentences, &r.evidence)?;
    let features: Vec<String> = r
        .evidence
        .iter()
        .map(|e| {
            let name = e.feature.as_deref().unwrap_or(&e.text);
            format!("{name} {:+.2}", e.weight.unwrap_or(0.0))
        })
        .collect();
    write!(
        w,
        "{}",
        wrap(&format!("weights: {}", features.join(", ")), "    ")
    )
}
