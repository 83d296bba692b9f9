//! Output for people at a terminal.

use super::snippet::{Piece, quote};
use crate::classification::{Classification, Evidence};
use crate::examples_check::{ExampleReport, Expectation};
use crate::taxonomy::Taxonomy;
use colored::Colorize;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The widest lines are wrapped to; more is hard to read.
pub const MAX_WIDTH: usize = 100;
/// Below this, wrapping only makes lines shorter than their indents.
const MIN_WIDTH: usize = 40;

/// The width human output is wrapped to. Like colour, it is a property of
/// the terminal that the binary sets once, so that every writer here (and a
/// new kind of reason) wraps the same way without taking it as a parameter.
static WIDTH: AtomicUsize = AtomicUsize::new(MAX_WIDTH);

/// Sets the width to wrap to (a terminal's columns), capped at [`MAX_WIDTH`].
pub fn set_width(columns: usize) {
    WIDTH.store(capped(columns), Ordering::Relaxed);
}

fn capped(columns: usize) -> usize {
    columns.clamp(MIN_WIDTH, MAX_WIDTH)
}

fn width() -> usize {
    WIDTH.load(Ordering::Relaxed)
}

/// Whether colour is on: `colored` decides from its global override, which
/// the binary sets from `--color`; without colour, matches are shown in [brackets].
fn colour_on() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

/// `sentences`: the text's sentences from the engine
/// ([`crate::Classification::sentences`]), where quotes start and end.
pub(super) fn render_quote(
    text: &str,
    sentences: &[(usize, usize)],
    evidence: &[Evidence],
) -> String {
    let spans: Vec<(usize, usize)> = evidence.iter().map(|e| (e.start, e.end)).collect();
    let (pieces, cut_front, cut_back) = quote(text, &spans, sentences);
    let colour = colour_on();
    let mut out = String::new();
    if cut_front {
        out.push('…');
    }
    for p in pieces {
        match p {
            Piece::Plain(s) => out.push_str(&s.replace('\n', " ")),
            Piece::Match(s) if colour => {
                out.push_str(&s.replace('\n', " ").red().bold().underline().to_string())
            }
            Piece::Match(s) => {
                out.push('[');
                out.push_str(&s.replace('\n', " "));
                out.push(']');
            }
        }
    }
    if cut_back {
        out.push('…');
    }
    out
}

/// Wraps `text` at `width` columns, the first line starting with `first`
/// and the others with `rest`. Widths are counted in characters, not
/// counting colour codes; a word longer than a line stands on a line of its own.
fn wrap_hanging(text: &str, first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut line_width = 0;
    let mut indent = first;
    for word in text.split_whitespace() {
        let w = visible_width(word);
        if line_width > 0 && visible_width(indent) + line_width + 1 + w > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
            line_width = 0;
            indent = rest;
        }
        if line_width > 0 {
            line.push(' ');
            line_width += 1;
        }
        line.push_str(word);
        line_width += w;
    }
    if line_width > 0 {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Wraps `text` to the output width, every line starting with `indent`.
pub(super) fn wrap(text: &str, indent: &str) -> String {
    wrap_hanging(text, indent, indent, width())
}

/// Characters that take a column: all but those of ANSI colour codes.
fn visible_width(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match c {
            '\u{1b}' => in_escape = true,
            'm' if in_escape => in_escape = false,
            _ if in_escape => {}
            _ => n += 1,
        }
    }
    n
}

/// A quote of the evidence, wrapped under its `»` with continued lines
/// indented past it.
pub(super) fn write_quote(
    w: &mut dyn Write,
    text: &str,
    sentences: &[(usize, usize)],
    evidence: &[Evidence],
) -> io::Result<()> {
    let first = format!("    {} ", "»".dimmed());
    write!(
        w,
        "{}",
        wrap_hanging(
            &render_quote(text, sentences, evidence),
            &first,
            "      ",
            width()
        )
    )
}

/// What was looked at, not a verdict on the incident.
pub const NO_TAG: &str =
    "no tag: no rule or model signal matched; `aitag classify --explain` shows near misses";

/// Prints each tag with its confidence, the kind of alignment, every reason
/// with its quoted evidence, and the overlap notes.
pub fn write_classification(
    w: &mut dyn Write,
    text: &str,
    c: &Classification,
    explain: bool,
) -> io::Result<()> {
    if c.tags.is_empty() {
        writeln!(w, "{}", NO_TAG.dimmed())?;
    }
    for tag in &c.tags {
        let head = format!("{:<17}", tag.tag);
        let head = match tag.parent {
            Some(_) => head.cyan().bold(),
            None => head.green().bold(),
        };
        let parent = tag
            .parent
            .as_deref()
            .map(|p| format!("  (part of {p})"))
            .unwrap_or_default();
        writeln!(
            w,
            "{head} {:.2}  {}{}",
            c.confidence(&tag.tag),
            tag.name,
            parent.dimmed()
        )?;
        if let Some(kind) = &tag.kind {
            let note = tag.kind_note.as_deref().unwrap_or("");
            write!(w, "{}", wrap(&format!("kind: {kind}. {note}"), "  "))?;
        }
        if tag.learned_only {
            writeln!(
                w,
                "  {}",
                "learned only: no rule fired; the model alone gives this tag".yellow()
            )?;
        }
        for r in c.reasons_of(tag) {
            if r.learned && r.tag == tag.tag {
                super::learned::write_reason(w, text, &c.sentences, r)?;
                continue;
            }
            if r.tag != tag.tag {
                writeln!(
                    w,
                    "  {} {} {}",
                    "•".dimmed(),
                    r.rule.bold(),
                    format!("(see {})", r.tag).dimmed()
                )?;
                continue;
            }
            let weight = if r.hedged_by.is_some() {
                format!(
                    "weight {:.2}, hedged to {:.2}",
                    r.weight, r.effective_weight
                )
            } else {
                format!("weight {:.2}", r.weight)
            };
            writeln!(
                w,
                "  {} {} {}",
                "•".dimmed(),
                r.rule.bold(),
                format!("({weight})").dimmed()
            )?;
            write!(w, "{}", wrap(&r.because, "    "))?;
            write_quote(w, text, &c.sentences, &r.evidence)?;
            if r.evidence_omitted > 0 {
                let more = format!("… and {} more matches not shown", r.evidence_omitted);
                writeln!(w, "    {}", more.dimmed())?;
            }
            if let Some(h) = &r.hedged_by {
                writeln!(w, "    {} hedged by \"{}\"", "~".dimmed(), h.text)?;
            }
        }
    }
    for o in &c.overlaps {
        writeln!(
            w,
            "{} {} ({})",
            "overlap".yellow().bold(),
            o.id.bold(),
            o.tags.join(" + ")
        )?;
        write!(w, "{}", wrap(&o.note, "  "))?;
    }
    if explain {
        for s in &c.negated {
            writeln!(
                w,
                "{} {} {}",
                "negated".magenta().bold(),
                s.rule.bold(),
                format!("({})", s.tag).dimmed()
            )?;
            write!(w, "{}", wrap(&s.because, "    "))?;
            // A word that several conditions of the rule matched is one
            // piece of negated evidence, shown once.
            let mut shown: Vec<(usize, usize, usize, usize)> = Vec::new();
            for n in &s.negated {
                let key = (
                    n.evidence.start,
                    n.evidence.end,
                    n.trigger.start,
                    n.trigger.end,
                );
                if shown.contains(&key) {
                    continue;
                }
                shown.push(key);
                let both = [n.trigger.clone(), n.evidence.clone()];
                write_quote(w, text, &c.sentences, &both)?;
                writeln!(
                    w,
                    "    {} \"{}\" is negated by \"{}\"",
                    "~".dimmed(),
                    n.evidence.text,
                    n.trigger.text
                )?;
            }
            if s.negated_omitted > 0 {
                let more = format!("… and {} more negated matches not shown", s.negated_omitted);
                writeln!(w, "    {}", more.dimmed())?;
            }
        }
    }
    Ok(())
}

/// The tag tree with definitions, aliases and rule counts.
pub fn write_taxonomy(w: &mut dyn Write, t: &Taxonomy) -> io::Result<()> {
    fn write_tag(w: &mut dyn Write, t: &Taxonomy, id: &str, depth: usize) -> io::Result<()> {
        let Some(tag) = t.tag(id) else { return Ok(()) };
        let indent = "    ".repeat(depth);
        let rules = t.rules.iter().filter(|r| r.def.tag == tag.id).count();
        writeln!(
            w,
            "{indent}{} — {} {}",
            tag.id.green().bold(),
            tag.name,
            format!("({rules} rule{})", if rules == 1 { "" } else { "s" }).dimmed()
        )?;
        write!(w, "{}", wrap(&tag.definition, &format!("{indent}  ")))?;
        if !tag.aliases.is_empty() {
            write!(
                w,
                "{}",
                wrap(
                    &format!("also: {}", tag.aliases.join(", ")),
                    &format!("{indent}  ")
                )
            )?;
        }
        for ex in &tag.examples {
            write!(w, "{}", wrap(&format!("e.g. {ex}"), &format!("{indent}  ")))?;
        }
        let children: Vec<String> = t.children(id).map(|c| c.id.clone()).collect();
        for c in children {
            write_tag(w, t, &c, depth + 1)?;
        }
        Ok(())
    }
    for tag in t.tags.iter().filter(|t| t.parent.is_none()) {
        write_tag(w, t, &tag.id, 0)?;
        writeln!(w)?;
    }
    for o in &t.overlaps {
        writeln!(
            w,
            "{} {} ({})",
            "overlap".yellow().bold(),
            o.id.bold(),
            o.tags.join(" + ")
        )?;
        write!(w, "{}", wrap(&o.note, "  "))?;
    }
    Ok(())
}

/// Every finding as `file:line: check: message`, then the counts.
pub fn write_lint_report(w: &mut dyn Write, r: &crate::lint::LintReport) -> io::Result<()> {
    for f in &r.findings {
        writeln!(
            w,
            "{}: {} {}: {}",
            f.location(),
            "lint".yellow().bold(),
            f.check.name().bold(),
            f.message
        )?;
    }
    let counts: Vec<String> = r.counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let summary = if r.findings.is_empty() {
        "lint: no findings".green()
    } else {
        let n = r.findings.len();
        let noun = if n == 1 { "finding" } else { "findings" };
        format!("lint: {n} {noun} ({})", counts.join(", ")).red()
    };
    writeln!(w, "{summary}")
}

/// Failures in full, then one summary line.
pub fn write_example_report(w: &mut dyn Write, r: &ExampleReport) -> io::Result<()> {
    for res in r.results.iter().filter(|x| !x.passed) {
        let what = match res.expectation {
            Expectation::Fires => "should fire but did not",
            Expectation::Silent => "should stay silent but fired",
            Expectation::Tagged => "should get this tag but did not",
            Expectation::Missing => "is missing an example",
            Expectation::Silence => "fired on a sentence of the silence corpus",
        };
        writeln!(
            w,
            "{} {} {} ({})",
            "FAIL".red().bold(),
            res.subject.bold(),
            what,
            res.location.dimmed()
        )?;
        writeln!(w, "    {}", res.text)?;
        if !res.fired.is_empty() {
            writeln!(w, "    fired: {}", res.fired.join(", "))?;
        }
    }
    let summary = format!("examples: {} passed, {} failed", r.passed, r.failed);
    writeln!(
        w,
        "{}",
        if r.failed == 0 {
            summary.green()
        } else {
            summary.red()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole_within_the_width() {
        let text = "The model itself (its weights or parameters) was leaked, stolen or extracted: \
                    protecting AI systems from theft is security.";
        for width in [40, 60, 80] {
            let out = wrap_hanging(text, "    ", "    ", width);
            for line in out.lines() {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
            let words: Vec<&str> = out.split_whitespace().collect();
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn continued_quote_lines_are_indented_and_colour_codes_take_no_width() {
        let red = "stole".red().to_string();
        let text =
            format!("Hackers {red} the model weights of a lab and leaked them online last week.");
        let out = wrap_hanging(&text, "    » ", "      ", 40);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("    » Hackers"));
        assert!(
            lines[1..]
                .iter()
                .all(|l| l.starts_with("      ") && !l.starts_with("       "))
        );
        assert!(lines.iter().all(|l| visible_width(l) <= 40), "{lines:?}");
    }

    #[test]
    fn width_is_capped() {
        assert_eq!(capped(300), MAX_WIDTH);
        assert_eq!(capped(80), 80);
        assert_eq!(capped(3), MIN_WIDTH);
    }
}
