//! Printers for `aitag batch`: one interface, one type per format. Each
//! writes one output record per input record as it comes (nothing is held
//! back, so output streams), and `finish` closes what the format needs closed.

use super::record::OutputRecord;
use crate::batch::Classified;
use crate::input::RecordError;
use crate::taxonomy::Taxonomy;
use colored::Colorize;
use std::io::{self, Write};

/// What the pipeline hands a printer: a classified record or the error in
/// its place.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    Classified(&'a Classified),
    Error(&'a RecordError),
}

/// Output formats of `aitag batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    Jsonl,
    Json,
    Csv,
    Tsv,
    Human,
}

pub trait RecordPrinter {
    fn record(&mut self, item: Item<'_>) -> io::Result<()>;
    /// Ends the output (closes the JSON array, flushes).
    fn finish(&mut self) -> io::Result<()>;
}

/// A printer for `format` writing to `w`. `explain` puts reasons and
/// evidence into the machine formats. The CSV/TSV header is written here, so
/// that even an empty input gives a file with its columns.
pub fn printer<'w>(
    format: BatchFormat,
    w: Box<dyn Write + 'w>,
    taxonomy: &Taxonomy,
    explain: bool,
) -> io::Result<Box<dyn RecordPrinter + 'w>> {
    printer_keeping(format, w, taxonomy, explain, Vec::new())
}

/// As [`printer`], with the input fields named by `keep` (`--keep`) copied
/// into each record: a `fields` object in JSON, columns after `id` in CSV/TSV.
pub fn printer_keeping<'w>(
    format: BatchFormat,
    w: Box<dyn Write + 'w>,
    taxonomy: &Taxonomy,
    explain: bool,
    keep: Vec<String>,
) -> io::Result<Box<dyn RecordPrinter + 'w>> {
    Ok(match format {
        BatchFormat::Jsonl => Box::new(JsonPrinter {
            w,
            explain,
            array: false,
            count: 0,
            keep,
        }),
        BatchFormat::Json => Box::new(JsonPrinter {
            w,
            explain,
            array: true,
            count: 0,
            keep,
        }),
        BatchFormat::Csv => Box::new(DelimitedPrinter::new(w, b',', taxonomy, explain, keep)?),
        BatchFormat::Tsv => Box::new(DelimitedPrinter::new(w, b'\t', taxonomy, explain, keep)?),
        BatchFormat::Human => Box::new(HumanPrinter {
            w,
            explain,
            id_width: 8,
        }),
    })
}

/// `jsonl`: one object per line; `json`: the same objects in one array,
/// one per line, written as they come.
struct JsonPrinter<'w> {
    w: Box<dyn Write + 'w>,
    explain: bool,
    array: bool,
    count: u64,
    keep: Vec<String>,
}

impl RecordPrinter for JsonPrinter<'_> {
    fn record(&mut self, item: Item<'_>) -> io::Result<()> {
        let record = match item {
            Item::Classified(c) => OutputRecord::classified(c, self.explain).keeping(&self.keep, c),
            Item::Error(e) => OutputRecord::error(e),
        };
        if self.array {
            self.w
                .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        }
        serde_json::to_writer(&mut self.w, &record).map_err(json_io_error)?;
        if !self.array {
            self.w.write_all(b"\n")?;
        }
        self.count += 1;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.array {
            self.w
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.w.flush()
    }
}

/// serde_json wraps write errors; keep their kind (a closed pipe must stay
/// recognisable).
fn json_io_error(e: serde_json::Error) -> io::Error {
    match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    }
}

fn csv_io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// `csv` and `tsv`: a header, then one row per record. Columns: `id`, `tags`
/// (emitted tags joined with `;`), one column per tag of the taxonomy with its
/// confidence (0 when no evidence, also for tags below the threshold),
/// `rules` (joined with `;`), `error`, `file`, `line`, and with `--explain`
/// `reasons` (a JSON array) and `text` (what their offsets count in).
struct DelimitedPrinter<'w> {
    w: csv::Writer<Box<dyn Write + 'w>>,
    tags: Vec<String>,
    explain: bool,
    keep: usize,
    row: Vec<String>,
}

impl<'w> DelimitedPrinter<'w> {
    fn new(
        w: Box<dyn Write + 'w>,
        delimiter: u8,
        taxonomy: &Taxonomy,
        explain: bool,
        keep: Vec<String>,
    ) -> io::Result<Self> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(w);
        let tags: Vec<String> = taxonomy.tags.iter().map(|t| t.id.clone()).collect();
        let mut header: Vec<&str> = vec!["id"];
        header.extend(keep.iter().map(String::as_str));
        header.push("tags");
        header.extend(tags.iter().map(String::as_str));
        header.extend(["rules", "error", "file", "line"]);
        if explain {
            // `text`: what the evidence offsets of `reasons` count in.
            header.extend(["reasons", "text"]);
        }
        w.write_record(&header).map_err(csv_io_error)?;
        Ok(DelimitedPrinter {
            w,
            tags,
            explain,
            keep: keep.len(),
            row: Vec::new(),
        })
    }
}

impl RecordPrinter for DelimitedPrinter<'_> {
    fn record(&mut self, item: Item<'_>) -> io::Result<()> {
        self.row.clear();
        match item {
            Item::Classified(c) => {
                let cl = &c.classification;
                self.row.push(c.record.id.clone());
                for i in 0..self.keep {
                    let value = c.record.kept.get(i).cloned().flatten();
                    self.row.push(value.unwrap_or_default());
                }
                self.row.push(cl.tag_ids().collect::<Vec<_>>().join(";"));
                for tag in &self.tags {
                    self.row.push(confidence(cl.confidence(tag)));
                }
                let mut rules: Vec<&str> = Vec::new();
                for t in &cl.tags {
                    for r in cl.rule_ids_of(t) {
                        if !rules.contains(&r) {
                            rules.push(r);
                        }
                    }
                }
                self.row.push(rules.join(";"));
                self.row.push(String::new());
                self.row.push(c.record.source.file.clone());
                self.row.push(c.record.source.line.to_string());
                if self.explain {
                    let reasons =
                        serde_json::to_string(&cl.own_reasons()).map_err(json_io_error)?;
                    self.row.push(reasons);
                    self.row.push(c.record.text.clone());
                }
            }
            Item::Error(e) => {
                self.row.push(e.id.clone());
                self.row.extend((0..self.keep).map(|_| String::new()));
                self.row.push(String::new());
                self.row.extend(self.tags.iter().map(|_| String::new()));
                self.row.push(String::new());
                self.row.push(e.message.clone());
                self.row.push(e.source.file.clone());
                self.row.push(e.source.line.to_string());
                if self.explain {
                    self.row.extend([String::new(), String::new()]);
                }
            }
        }
        self.w.write_record(&self.row).map_err(csv_io_error)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// A confidence in at most three decimals, without trailing zeros but
/// always with a decimal point: a column of `0`s would be read as integers
/// by pandas while its neighbours are floats.
fn confidence(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.into()
    }
}

/// `human`: one line per record, `ID  tag 0.95  tag 0.70`, `-` when nothing
/// was tagged, the error in place of the tags for an error record. With
/// `--explain`, the rules behind each record follow on an indented line.
struct HumanPrinter<'w> {
    w: Box<dyn Write + 'w>,
    explain: bool,
    /// The id column: as wide as the widest id so far (records are written
    /// as they come, so later ones cannot be measured first).
    id_width: usize,
}

impl HumanPrinter<'_> {
    fn id_column(&mut self, id: &str) -> String {
        self.id_width = self.id_width.max(id.chars().count());
        format!("{id:<width$}", width = self.id_width)
    }
}

impl RecordPrinter for HumanPrinter<'_> {
    fn record(&mut self, item: Item<'_>) -> io::Result<()> {
        match item {
            Item::Classified(c) => {
                let cl = &c.classification;
                let id = self.id_column(&c.record.id);
                write!(self.w, "{}", id.bold())?;
                if cl.tags.is_empty() {
                    write!(self.w, "  {}", "-".dimmed())?;
                }
                for t in &cl.tags {
                    let name = match t.parent {
                        Some(_) => t.tag.cyan().bold(),
                        None => t.tag.green().bold(),
                    };
                    write!(
                        self.w,
                        "  {name} {}",
                        format!("{:.2}", cl.confidence(&t.tag)).dimmed()
                    )?;
                }
                writeln!(self.w)?;
                if self.explain && !cl.tags.is_empty() {
                    let rules: Vec<&str> =
                        cl.own_reasons().iter().map(|r| r.rule.as_str()).collect();
                    let indent = " ".repeat(self.id_width + 2);
                    writeln!(self.w, "{indent}{}", rules.join(" ").dimmed())?;
                }
            }
            Item::Error(e) => {
                let line = format!("error: {}", e.message);
                let id = self.id_column(&e.id);
                writeln!(self.w, "{}  {}", id.bold(), line.red())?;
            }
        }
        // Someone is reading along: show each record as soon as it is done.
        self.w.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidences_are_short() {
        assert_eq!(confidence(0.0), "0.0");
        assert_eq!(confidence(0.95), "0.95");
        assert_eq!(confidence(0.94849), "0.948");
        assert_eq!(confidence(1.0), "1.0");
    }
}
