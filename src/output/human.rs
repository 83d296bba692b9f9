//! Output for people at a terminal.

use super::snippet::{Piece, quote};
use crate::classification::{Classification, Evidence};
use crate::examples_check::{ExampleReport, Expectation};
use crate::taxonomy::Taxonomy;
use colored::Colorize;
use std::io::{self, Write};

/// Whether colour is on: `colored` decides from its global override, which
/// the binary sets from `--color`; without colour, matches are shown in [brackets].
fn colour_on() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

fn render_quote(text: &str, evidence: &[Evidence]) -> String {
    let spans: Vec<(usize, usize)> = evidence.iter().map(|e| (e.start, e.end)).collect();
    let (pieces, cut_front, cut_back) = quote(text, &spans);
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

/// Wraps `text` at `width` columns, each line starting with `indent`.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Prints each tag with its confidence, the kind of alignment, every reason
/// with its quoted evidence, and the overlap notes.
pub fn write_classification(
    w: &mut dyn Write,
    text: &str,
    c: &Classification,
    explain: bool,
) -> io::Result<()> {
    if c.tags.is_empty() {
        writeln!(
            w,
            "{}",
            "no tag: no rule found evidence of an AI-safety failure in this text".dimmed()
        )?;
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
            tag.confidence,
            tag.name,
            parent.dimmed()
        )?;
        if let Some(kind) = &tag.kind {
            let note = tag.kind_note.as_deref().unwrap_or("");
            write!(w, "{}", wrap(&format!("kind: {kind}. {note}"), "  ", 100))?;
        }
        for r in &tag.reasons {
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
            write!(w, "{}", wrap(&r.because, "    ", 100))?;
            writeln!(
                w,
                "    {} {}",
                "»".dimmed(),
                render_quote(text, &r.evidence)
            )?;
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
        write!(w, "{}", wrap(&o.note, "  ", 100))?;
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
            write!(w, "{}", wrap(&s.because, "    ", 100))?;
            for n in &s.negated {
                let both = [n.trigger.clone(), n.evidence.clone()];
                writeln!(w, "    {} {}", "»".dimmed(), render_quote(text, &both))?;
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
            format!("({rules} rules)").dimmed()
        )?;
        write!(w, "{}", wrap(&tag.definition, &format!("{indent}  "), 100))?;
        if !tag.aliases.is_empty() {
            write!(
                w,
                "{}",
                wrap(
                    &format!("also: {}", tag.aliases.join(", ")),
                    &format!("{indent}  "),
                    100
                )
            )?;
        }
        for ex in &tag.examples {
            write!(
                w,
                "{}",
                wrap(&format!("e.g. {ex}"), &format!("{indent}  "), 100)
            )?;
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
        write!(w, "{}", wrap(&o.note, "  ", 100))?;
    }
    Ok(())
}

/// Failures in full, then one summary line.
pub fn write_example_report(w: &mut dyn Write, r: &ExampleReport) -> io::Result<()> {
    for res in r.results.iter().filter(|x| !x.passed) {
        let what = match res.expectation {
            Expectation::Fires => "should fire but did not",
            Expectation::Silent => "should stay silent but fired",
            Expectation::Tagged => "should get this tag but did not",
            Expectation::Missing => "is missing an example",
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
