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

/// The largest taxonomy file read, and the most all files together may
/// hold: the built-in taxonomy is well under 1 MiB, and a 100 MB file took
/// a minute and 4.6 GiB to refuse.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
pub const MAX_TOTAL_BYTES: u64 = 32 * 1024 * 1024;
/// The most files, and the deepest folder, a taxonomy directory may have.
const MAX_FILES: usize = 10_000;
const MAX_DEPTH: usize = 32;

fn located(file: &Path, line: Option<usize>, column: Option<usize>, message: String) -> Error {
    Error::Taxonomy(vec![TaxonomyError {
        location: Location {
            file: file.display().to_string(),
            line,
            column,
        },
        message,
    }])
}

pub fn read_path(path: &Path) -> Result<Vec<Source>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![read_file(path, &meta)?]);
    }
    let mut files = Vec::new();
    let mut visited = Vec::new();
    collect_yaml(path, 0, &mut visited, &mut files)?;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if files.is_empty() {
        return Err(located(
            path,
            None,
            None,
            "no .yaml or .yml files in this directory".into(),
        ));
    }
    let mut total = 0;
    files
        .into_iter()
        .map(|(p, meta)| {
            total += meta.len();
            if total > MAX_TOTAL_BYTES {
                let mib = MAX_TOTAL_BYTES >> 20;
                return Err(located(
                    &p,
                    None,
                    None,
                    format!("the taxonomy files hold more than {mib} MiB together"),
                ));
            }
            read_file(&p, &meta)
        })
        .collect()
}

/// One file's text, if it is a regular file of at most [`MAX_FILE_BYTES`]
/// of UTF-8 (a FIFO would block the load; UTF-16 and bad bytes are named
/// where they are).
fn read_file(path: &Path, meta: &std::fs::Metadata) -> Result<Source> {
    if !meta.is_file() {
        return Err(located(
            path,
            None,
            None,
            "not a regular file (a FIFO, socket or device is not read)".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        let mib = MAX_FILE_BYTES >> 20;
        return Err(located(
            path,
            None,
            None,
            format!("file larger than {mib} MiB, not read"),
        ));
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(io)?, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(io)?;
    let text = decode_yaml(path, bytes)?;
    Ok(Source {
        name: path.display().to_string(),
        text: text.into(),
    })
}

/// The text of a taxonomy file, which must be UTF-8 (a BOM is dropped).
pub(crate) fn decode_yaml(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(located(
            path,
            Some(1),
            Some(1),
            "the file is UTF-16: save it as UTF-8".into(),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(located(
                path,
                Some(line),
                Some(column),
                "invalid UTF-8: taxonomy files must be UTF-8".into(),
            ))
        }
    }
}

/// The YAML files under `dir`, with their metadata. Symbolic links are
/// followed, but a directory already walked is not walked again (two links
/// to each other made the walk exponential), and depth and count are bounded.
fn collect_yaml(
    dir: &Path,
    depth: usize,
    visited: &mut Vec<std::path::PathBuf>,
    out: &mut Vec<(std::path::PathBuf, std::fs::Metadata)>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let canonical = std::fs::canonicalize(dir).map_err(io)?;
    if visited.contains(&canonical) {
        return Ok(());
    }
    visited.push(canonical);
    if depth > MAX_DEPTH {
        return Err(located(
            dir,
            None,
            None,
            format!("folders nested deeper than {MAX_DEPTH}"),
        ));
    }
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        // A broken link is skipped like any file that is not YAML.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect_yaml(&path, depth + 1, visited, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push((path, meta));
            if out.len() > MAX_FILES {
                return Err(located(
                    dir,
                    None,
                    None,
                    format!("more than {MAX_FILES} taxonomy files"),
                ));
            }
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
        context: ContextDef::default().into(),
        lexicons: BTreeMap::new(),
        rules: Vec::new(),
        silence: Vec::new().into(),
        sources: Vec::new(),
        origin: String::new(),
        builtin: false,
        index: Default::default(),
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
                    phrases: phrases.into(),
                    own,
                    includes: includes.into(),
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
        for (included, at) in lex.includes.iter() {
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
    for (included, at) in lex.includes.iter() {
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
    if let Some(p) = super::yaml_guard::check(&source.text) {
        return Err(TaxonomyError {
            location: Location {
                file: source.name.clone(),
                line: Some(p.line),
                column: Some(p.column),
            },
            message: p.message,
        });
    }
    serde_yaml::from_str(&source.text).map_err(|e| {
        let loc = e.location();
        TaxonomyError {
            location: Location {
                file: source.name.clone(),
                line: loc.as_ref().map(|l| l.line()),
                column: loc.as_ref().map(|l| l.column()),
            },
            message: super::suggest::for_serde_message(&strip_location(&e.to_string())),
        }
    })
}

fn merge_context(into: &mut ContextDef, from: ContextDef) {
    into.pre_negation.extend(from.pre_negation);
    into.post_negation.extend(from.post_negation);
    into.pseudo.extend(from.pseudo);
    into.terminators.extend(from.terminators);
    into.instructions.extend(from.instructions);
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
