//! Reading taxonomy files and merging them into one taxonomy.

use super::schema::{ContextDef, FileDef, SettingsDef};
use super::{Lexicon, Rule, Taxonomy};
use crate::error::{Error, Location, Result, TaxonomyError};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::Path;

/// The text of one taxonomy file and the name to report it by.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

pub fn read_path(path: &Path) -> Result<Vec<Source>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_file() {
        let text = std::fs::read_to_string(path).map_err(io)?;
        return Ok(vec![Source {
            name: path.display().to_string(),
            text,
        }]);
    }
    let mut files = Vec::new();
    collect_yaml(path, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(Error::Taxonomy(vec![TaxonomyError {
            location: Location {
                file: path.display().to_string(),
                line: None,
                column: None,
            },
            message: "no .yaml or .yml files in this directory".into(),
        }]));
    }
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            Ok(Source {
                name: p.display().to_string(),
                text,
            })
        })
        .collect()
}

fn collect_yaml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses every source and merges them. Syntax and schema errors of all files
/// are collected, so one run shows every broken file.
pub fn merge(sources: &[Source]) -> Result<Taxonomy> {
    merge_parsed(sources, |_| None)
}

/// Like `merge`, but takes a source's content from `parsed` when it has it
/// (the embedded taxonomy, parsed at build time) and parses only the others.
pub fn merge_parsed(
    sources: &[Source],
    mut parsed: impl FnMut(&Source) -> Option<FileDef>,
) -> Result<Taxonomy> {
    let mut errors = Vec::new();
    let mut taxonomy = Taxonomy {
        settings: SettingsDef::default(),
        tags: Vec::new(),
        overlaps: Vec::new(),
        context: ContextDef::default(),
        lexicons: BTreeMap::new(),
        rules: Vec::new(),
        origin: String::new(),
        builtin: false,
    };
    let mut settings_from: Option<String> = None;
    for source in sources {
        let file: FileDef = if let Some(file) = parsed(source) {
            file
        } else if source.text.trim().is_empty() {
            FileDef::default()
        } else {
            match serde_yaml::from_str(&source.text) {
                Ok(f) => f,
                Err(e) => {
                    let loc = e.location();
                    errors.push(TaxonomyError {
                        location: Location {
                            file: source.name.clone(),
                            line: loc.as_ref().map(|l| l.line()),
                            column: loc.as_ref().map(|l| l.column()),
                        },
                        message: strip_location(&e.to_string()),
                    });
                    continue;
                }
            }
        };
        if let Some(settings) = file.settings {
            if let Some(first) = &settings_from {
                errors.push(at(
                    source,
                    "settings:",
                    format!("settings are already given in {first}"),
                ));
            }
            settings_from = Some(source.name.clone());
            taxonomy.settings = settings;
        }
        taxonomy.tags.extend(file.tags);
        taxonomy.overlaps.extend(file.overlaps);
        if let Some(c) = file.context {
            merge_context(&mut taxonomy.context, c);
        }
        let index = LineIndex::new(source);
        for (name, phrases) in file.lexicons {
            let location = index.locate(&format!("{name}:"));
            if let Some(previous) = taxonomy.lexicons.get(&name) {
                errors.push(TaxonomyError {
                    location,
                    message: format!(
                        "lexicon `{name}` is already defined at {}",
                        previous.location
                    ),
                });
                continue;
            }
            taxonomy
                .lexicons
                .insert(name, Lexicon { phrases, location });
        }
        for def in file.rules {
            let location = index.locate(&format!("id: {}", def.id));
            taxonomy.rules.push(Rule { def, location });
        }
    }
    if errors.is_empty() {
        Ok(taxonomy)
    } else {
        Err(Error::Taxonomy(errors))
    }
}

fn merge_context(into: &mut ContextDef, from: ContextDef) {
    into.pre_negation.extend(from.pre_negation);
    into.post_negation.extend(from.post_negation);
    into.pseudo.extend(from.pseudo);
    into.terminators.extend(from.terminators);
    into.hedges.extend(from.hedges);
    into.post_hedges.extend(from.post_hedges);
    into.post_window = from.post_window.or(into.post_window);
    into.pre_window = from.pre_window.or(into.pre_window);
    into.hedge_factor = from.hedge_factor.or(into.hedge_factor);
}

/// serde_yaml appends " at line L column C" to its messages; we print the
/// location in front, the way compilers do, so drop the duplicate.
fn strip_location(msg: &str) -> String {
    let Some(i) = msg.find(" at line ") else {
        return msg.to_string();
    };
    // Skip "line L column C" and keep whatever follows it (", while parsing …").
    let rest = &msg[i + " at line ".len()..];
    let after_numbers = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix(" column ")
        .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
        .unwrap_or(rest);
    format!("{}{}", &msg[..i], after_numbers)
}

/// The location of the first line of `source` that contains `needle`.
///
/// serde does not keep spans for values, so checks that run after parsing
/// find their line by the text they are about (a rule's `id: …` line).
pub fn locate(source: &Source, needle: &str) -> Location {
    locate_in(&source.name, &source.text, needle, 0)
}

pub fn locate_in(file: &str, text: &str, needle: &str, from_line: usize) -> Location {
    let found = text
        .lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find_map(|(i, line)| line.find(needle).map(|col| (i + 1, col + 1)));
    Location {
        file: file.to_string(),
        line: found.map(|f| f.0),
        column: found.map(|f| f.1),
    }
}

/// The lines of one file by what they say, for locating many rules and
/// lexicons in one pass instead of one scan of the file each.
struct LineIndex<'a> {
    file: &'a str,
    lines: FxHashMap<&'a str, (usize, usize)>,
}

impl<'a> LineIndex<'a> {
    fn new(source: &'a Source) -> Self {
        let text = source.text.as_str();
        let mut lines = FxHashMap::default();
        // Only rule ids and lexicon names are looked up, and both lines hold
        // a colon: visiting just the lines with one (found with memchr) was
        // a fifth of the work of visiting every line of every file.
        let mut line_no = 1;
        let mut counted_to = 0;
        let mut next_line = 0;
        for colon in memchr::memchr_iter(b':', text.as_bytes()) {
            if colon < next_line {
                continue; // a second colon on a line already seen
            }
            let start = text[..colon].rfind('\n').map_or(0, |i| i + 1);
            line_no += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count();
            counted_to = start;
            let end =
                memchr::memchr(b'\n', &text.as_bytes()[colon..]).map_or(text.len(), |i| colon + i);
            next_line = end + 1;
            let line = &text[start..end];
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some((content, col)) = key_line(line) {
                lines.entry(content).or_insert((line_no, col));
            }
        }
        LineIndex {
            file: &source.name,
            lines,
        }
    }

    /// Where the line that says exactly `content` is, or the file alone.
    fn locate(&self, content: &str) -> Location {
        let found = self.lines.get(content);
        Location {
            file: self.file.to_string(),
            line: found.map(|f| f.0),
            column: found.map(|f| f.1),
        }
    }
}

/// A line that says `id: …` or ends with a colon (a key with its value
/// below), as the text a lookup names it by and its 1-based column; a
/// list dash, indentation and a trailing comment do not count.
fn key_line(line: &str) -> Option<(&str, usize)> {
    let indent = line.len() - line.trim_start().len();
    let content = line.trim_start();
    let (content, col) = match content.strip_prefix("- ") {
        Some(rest) => (
            rest.trim_start(),
            indent + (content.len() - rest.trim_start().len()),
        ),
        None => (content, indent),
    };
    // What comes before " #" (memchr: a `split(" #")` per line was slow).
    let comment = memchr::memchr_iter(b'#', content.as_bytes())
        .find(|&i| i > 0 && content.as_bytes()[i - 1] == b' ');
    let content = comment.map_or(content, |i| &content[..i - 1]).trim_end();
    (content.starts_with("id:") || content.ends_with(':')).then_some((content, col + 1))
}

fn at(source: &Source, needle: &str, message: String) -> TaxonomyError {
    TaxonomyError {
        location: locate(source, needle),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line, in order: what `LineIndex` must find by visiting only the
    /// lines with a colon.
    fn every_line(text: &str) -> FxHashMap<&str, (usize, usize)> {
        let mut lines = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            if let Some((content, col)) = key_line(line) {
                lines.entry(content).or_insert((i + 1, col));
            }
        }
        lines
    }

    #[test]
    fn line_index_finds_what_a_scan_of_every_line_finds() {
        let mut texts: Vec<String> = super::super::embedded::FILES
            .iter()
            .map(|(_, text)| text.to_string())
            .collect();
        texts.push(
            "rules:\r\n  - id: a.b # note: here\r\n    when: { phrase: x }\r\n\
             # only: a comment\nlexicons:\n  words:\n    - a: b: c\n  - id: last:"
                .to_string(),
        );
        for text in &texts {
            let source = Source {
                name: "f.yaml".into(),
                text: text.clone(),
            };
            let index = LineIndex::new(&source);
            assert_eq!(index.lines, every_line(text));
            assert!(!index.lines.is_empty());
        }
        let source = Source {
            name: "f.yaml".into(),
            text: texts.last().unwrap().clone(),
        };
        let index = LineIndex::new(&source);
        assert_eq!(index.locate("id: a.b").line, Some(2));
        assert_eq!(index.locate("id: a.b").column, Some(5));
        assert_eq!(index.locate("words:").line, Some(6));
        assert_eq!(index.locate("id: last:").line, Some(8));
    }
}
