//! Reading taxonomy files and merging them into one taxonomy.

use super::lines;
use super::schema::{ContextDef, EmbeddedFile, FileDef, LexiconEntry, SettingsDef};
use super::{Lexicon, Rule, SilenceSentence, Taxonomy};
use crate::error::{Error, Location, Result, TaxonomyError};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The text of one taxonomy file and the name to report it by. The text is
/// borrowed for the embedded files (copying them was a sixteenth of the
/// memory a short run touches) and owned for files read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Cow<'static, str>,
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
            text: text.into(),
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
                text: text.into(),
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
    mut parsed: impl FnMut(&Source) -> Option<EmbeddedFile>,
) -> Result<Taxonomy> {
    let mut errors = Vec::new();
    let mut taxonomy = Taxonomy {
        settings: SettingsDef::default(),
        tags: Vec::new(),
        overlaps: Vec::new(),
        context: ContextDef::default(),
        lexicons: BTreeMap::new(),
        rules: Vec::new(),
        silence: Vec::new(),
        sources: Vec::new(),
        origin: String::new(),
        builtin: false,
    };
    let mut settings_from: Option<String> = None;
    for (source_index, source) in sources.iter().enumerate() {
        let (file, known_lines) = match parsed(source) {
            Some(EmbeddedFile { file, lines }) => (file, Some(lines)),
            None => match parse_yaml(source) {
                Ok(file) => (file, None),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
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
        let index = match &known_lines {
            Some(lines) => LineIndex::known(&source.name, lines),
            None => LineIndex::new(source),
        };
        for (name, entries) in file.lexicons {
            let location = index.locate(&lines::lexicon_line(&name));
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
            let mut phrases = Vec::with_capacity(entries.len());
            let mut includes = Vec::new();
            for entry in entries {
                match entry {
                    LexiconEntry::Phrase(p) => phrases.push(p),
                    LexiconEntry::Include { lexicon } => {
                        // Only includes are located: they are few.
                        let at = locate_in(
                            &source.name,
                            &source.text,
                            &format!("lexicon: {lexicon}"),
                            location.line.unwrap_or(0),
                        );
                        includes.push((lexicon, at));
                    }
                }
            }
            let own = phrases.len();
            taxonomy.lexicons.insert(
                name,
                Lexicon {
                    phrases,
                    own,
                    includes,
                    location,
                },
            );
        }
        taxonomy
            .silence
            .extend(file.silence.into_iter().map(|text| SilenceSentence {
                text,
                source: source_index,
            }));
        for def in file.rules {
            let location = index.locate(&lines::id_line(&def.id));
            taxonomy.rules.push(Rule { def, location });
        }
    }
    errors.extend(resolve_includes(&mut taxonomy.lexicons));
    if errors.is_empty() {
        Ok(taxonomy)
    } else {
        Err(Error::Taxonomy(errors))
    }
}

/// Appends to each lexicon the phrases of the lexicons it includes, directly
/// or through others, each phrase once. An unknown name or a cycle is an
/// error at the include that names it.
fn resolve_includes(lexicons: &mut BTreeMap<String, Lexicon>) -> Vec<TaxonomyError> {
    let mut errors = Vec::new();
    for (name, lex) in lexicons.iter() {
        for (included, at) in &lex.includes {
            if !lexicons.contains_key(included) {
                errors.push(TaxonomyError {
                    location: at.clone(),
                    message: format!("lexicon `{name}` includes unknown lexicon `{included}`"),
                });
            }
        }
    }
    // A cycle is found from every lexicon on it; report it once, at the
    // include that closes it when walking from the first such lexicon.
    let mut on_cycle: std::collections::BTreeSet<String> = Default::default();
    for start in lexicons.keys() {
        if on_cycle.contains(start) {
            continue;
        }
        let mut path: Vec<&str> = vec![start];
        if let Some((closing, at)) = find_cycle(lexicons, &mut path) {
            on_cycle.extend(path.iter().map(|s| s.to_string()));
            errors.push(TaxonomyError {
                location: at,
                message: format!(
                    "lexicons include each other in a cycle: {} -> {closing}",
                    path.join(" -> ")
                ),
            });
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    let names: Vec<String> = lexicons.keys().cloned().collect();
    for name in names {
        let mut seen: std::collections::HashSet<String> =
            lexicons[&name].phrases.iter().cloned().collect();
        let mut extra = Vec::new();
        let mut stack: Vec<String> = lexicons[&name]
            .includes
            .iter()
            .rev()
            .map(|(n, _)| n.clone())
            .collect();
        let mut visited = std::collections::HashSet::new();
        while let Some(next) = stack.pop() {
            if !visited.insert(next.clone()) {
                continue;
            }
            let lex = &lexicons[&next];
            for p in lex.own_phrases() {
                if seen.insert(p.clone()) {
                    extra.push(p.clone());
                }
            }
            stack.extend(lex.includes.iter().rev().map(|(n, _)| n.clone()));
        }
        lexicons
            .get_mut(&name)
            .expect("listed")
            .phrases
            .extend(extra);
    }
    errors
}

/// A cycle of includes reachable from the end of `path`: the name that closes
/// it and where it is included; `path` is left holding the cycle's walk.
fn find_cycle<'a>(
    lexicons: &'a BTreeMap<String, Lexicon>,
    path: &mut Vec<&'a str>,
) -> Option<(String, Location)> {
    let last = *path.last().expect("a start");
    let lex = lexicons.get(last)?;
    for (included, at) in &lex.includes {
        if path.contains(&included.as_str()) {
            return Some((included.clone(), at.clone()));
        }
        if lexicons.contains_key(included) {
            path.push(included);
            if let Some(found) = find_cycle(lexicons, path) {
                return Some(found);
            }
            path.pop();
        }
    }
    None
}

/// One taxonomy file's YAML; an empty file is an empty taxonomy.
fn parse_yaml(source: &Source) -> std::result::Result<FileDef, TaxonomyError> {
    if source.text.trim().is_empty() {
        return Ok(FileDef::default());
    }
    serde_yaml::from_str(&source.text).map_err(|e| {
        let loc = e.location();
        TaxonomyError {
            location: Location {
                file: source.name.clone(),
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
            },
            message: strip_location(&e.to_string()),
        }
    })
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
        let mut lines = FxHashMap::default();
        for (content, line, col) in lines::key_lines(&source.text) {
            lines.entry(content).or_insert((line, col));
        }
        LineIndex {
            file: &source.name,
            lines,
        }
    }

    /// The lines build.rs found for the rules and lexicons of an embedded file.
    fn known(file: &'a str, lines: &'a BTreeMap<String, (usize, usize)>) -> Self {
        LineIndex {
            file,
            lines: lines.iter().map(|(k, &v)| (k.as_str(), v)).collect(),
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

fn at(source: &Source, needle: &str, message: String) -> TaxonomyError {
    TaxonomyError {
        location: locate(source, needle),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::super::embedded;
    use super::*;

    /// build.rs locates the embedded rules and lexicons as a run-time index
    /// of their files would.
    #[test]
    fn build_time_locations_are_the_run_time_ones() {
        let mut parsed = embedded::parsed();
        let mut looked_up = 0;
        for source in embedded::sources() {
            let file = parsed.remove(&source.name).expect("parsed at build time");
            let known = LineIndex::known(&source.name, &file.lines);
            let index = LineIndex::new(&source);
            let keys = file.file.rules.iter().map(|r| lines::id_line(&r.id));
            let keys = keys.chain(
                file.file
                    .lexicons
                    .keys()
                    .map(|name| lines::lexicon_line(name)),
            );
            for key in keys {
                let location = index.locate(&key);
                assert!(location.line.is_some(), "{key} in {}", source.name);
                assert_eq!(known.locate(&key), location, "{key}");
                looked_up += 1;
            }
        }
        assert!(looked_up > 200, "only {looked_up} rules and lexicons");
    }
}
