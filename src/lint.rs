//! `aitag lint`: what makes a taxonomy harder to keep than it needs to be,
//! each finding at its file and line. `aitag test` runs it too.
//!
//! serde keeps no spans for values, so a finding is located by its text: a
//! phrase at the first line at or after its rule's (or lexicon's) line that
//! holds it.

use crate::taxonomy::schema::CondDef;
use crate::taxonomy::{Source, Taxonomy, locate_in};
use crate::text::{fold_phrase, match_key};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Inline phrase lists longer than this belong in a lexicon named for their
/// concept.
pub const INLINE_LIMIT: usize = 6;

/// Every rule needs at least this many near-miss `silent` examples.
pub const MIN_SILENT: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// Two phrases of one list that match the same words.
    RedundantForm,
    /// A phrase that says one word twice (a missing comma).
    RepeatedWord,
    /// A YAML scalar that other YAML tools read as a boolean, number or null.
    NonStringScalar,
    /// An inline phrase list over `INLINE_LIMIT`.
    LongInlineList,
    /// An inline phrase that a lexicon the rule uses already holds.
    DuplicatesLexicon,
    /// A lexicon that no rule, context or other lexicon uses.
    UnusedLexicon,
    /// A rule with fewer than `MIN_SILENT` silent examples.
    FewSilentExamples,
}

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::RedundantForm => "redundant-form",
            Check::RepeatedWord => "repeated-word",
            Check::NonStringScalar => "non-string-scalar",
            Check::LongInlineList => "long-inline-list",
            Check::DuplicatesLexicon => "duplicates-lexicon",
            Check::UnusedLexicon => "unused-lexicon",
            Check::FewSilentExamples => "few-silent-examples",
        }
    }
}

/// One finding: where, which check, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: Option<usize>,
    pub check: Check,
    /// The rule id or lexicon name the finding is about.
    pub subject: String,
    pub message: String,
}

impl Finding {
    /// `file:line`, or the file alone when the line is not known.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub findings: Vec<Finding>,
    /// Findings per check, for working through them.
    pub counts: BTreeMap<&'static str, usize>,
}

/// The words of a phrase as their match keys, `=` and `*` marks kept, so two
/// phrases with the same keys match the same text.
fn phrase_keys(phrase: &str) -> String {
    let folded = fold_phrase(phrase);
    if folded.starts_with('=') {
        return folded.into_owned();
    }
    let (body, open) = match folded.strip_suffix('*') {
        Some(b) => (b, "*"),
        None => (&*folded, ""),
    };
    let mut words: Vec<String> = body.split(' ').map(|w| match_key(w).into_owned()).collect();
    if !open.is_empty() {
        // A prefix word is matched as written.
        if let (Some(last), Some(raw)) = (words.last_mut(), body.split(' ').next_back()) {
            *last = format!("{raw}*");
        }
    }
    words.join(" ")
}

/// A word the phrase says twice, if any ("dangerous roads dangerous road").
fn repeated_word(phrase: &str) -> Option<String> {
    let folded = fold_phrase(phrase);
    let body = folded.trim_start_matches('=').trim_end_matches('*');
    // Function words repeat in good phrases ("in the middle of the road").
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its",
        "no", "not", "of", "on", "or", "than", "that", "the", "their", "this", "to", "was", "with",
    ];
    let words: Vec<&str> = body
        .split(' ')
        .filter(|w| !w.is_empty() && !FUNCTION_WORDS.contains(w))
        .collect();
    let mut seen = HashSet::new();
    for w in &words {
        let key = match_key(w).into_owned();
        if !seen.insert(key) {
            return Some(w.to_string());
        }
    }
    None
}

struct Linter<'a> {
    taxonomy: &'a Taxonomy,
    findings: Vec<Finding>,
}

impl<'a> Linter<'a> {
    fn source(&self, file: &str) -> Option<&'a Source> {
        self.taxonomy.sources.iter().find(|s| s.name == file)
    }

    /// The line at or after `from` that holds the phrase `needle` as a whole
    /// list item (so that `model weight` is not found in `model weights`),
    /// or else as any text.
    fn line_of(&self, file: &str, needle: &str, from: Option<usize>) -> Option<usize> {
        let source = self.source(file)?;
        let start = from.unwrap_or(1).saturating_sub(1);
        let whole = source
            .text
            .lines()
            .enumerate()
            .skip(start)
            .find(|(_, line)| {
                line.match_indices(needle).any(|(i, _)| {
                    let before = line[..i].trim_end_matches(['\'', '"']);
                    let after = line[i + needle.len()..].trim_start_matches(['\'', '"']);
                    let opens = before.is_empty() || before.ends_with(['[', ',', ' ', '-', ':']);
                    let closes = after.is_empty() || after.starts_with([',', ']', ' ', '}']);
                    opens && closes
                })
            });
        whole
            .map(|(i, _)| i + 1)
            .or_else(|| locate_in(file, &source.text, needle, start + 1).line)
            .or(from)
    }

    fn push(&mut self, file: &str, line: Option<usize>, check: Check, subject: &str, msg: String) {
        self.findings.push(Finding {
            file: file.to_string(),
            line,
            check,
            subject: subject.to_string(),
            message: msg,
        });
    }

    /// The checks on one list of phrases (a lexicon's or an inline one).
    fn phrase_list(&mut self, file: &str, from: Option<usize>, subject: &str, phrases: &[String]) {
        let mut by_keys: HashMap<String, &str> = HashMap::new();
        for p in phrases {
            let line = self.line_of(file, p, from);
            if let Some(w) = repeated_word(p) {
                self.push(
                    file,
                    line,
                    Check::RepeatedWord,
                    subject,
                    format!("`{p}` says `{w}` twice (a missing comma?)"),
                );
            }
            let keys = phrase_keys(p);
            match by_keys.get(keys.as_str()) {
                Some(first) if *first != p => self.push(
                    file,
                    line,
                    Check::RedundantForm,
                    subject,
                    format!(
                        "`{p}` matches what `{first}` matches (word forms are matched both ways)"
                    ),
                ),
                Some(_) => self.push(
                    file,
                    line,
                    Check::RedundantForm,
                    subject,
                    format!("`{p}` is listed twice"),
                ),
                None => {
                    by_keys.insert(keys, p);
                }
            }
        }
    }

    fn rule_cond(
        &mut self,
        file: &str,
        from: Option<usize>,
        id: &str,
        c: &CondDef,
        lexicon_keys: &HashMap<&str, HashSet<String>>,
    ) {
        if let Some(phrases) = &c.phrase {
            let items = phrases.items();
            self.phrase_list(file, from, id, items);
            if items.len() > INLINE_LIMIT {
                let line = self.line_of(file, &items[0], from);
                self.push(
                    file,
                    line,
                    Check::LongInlineList,
                    id,
                    format!(
                        "an inline list of {} phrases (over {INLINE_LIMIT}): move it to a lexicon named for its concept",
                        items.len()
                    ),
                );
            }
            // Lexicons named beside the phrases, or anywhere in the rule.
            for p in items {
                let keys = phrase_keys(p);
                if let Some((name, _)) = lexicon_keys.iter().find(|(_, k)| k.contains(&keys)) {
                    let line = self.line_of(file, p, from);
                    self.push(
                        file,
                        line,
                        Check::DuplicatesLexicon,
                        id,
                        format!("`{p}` is already in lexicon `{name}`, which this rule uses"),
                    );
                }
            }
        }
        for child in c.children() {
            self.rule_cond(file, from, id, child, lexicon_keys);
        }
    }
}

fn lexicons_of(c: &CondDef, out: &mut Vec<String>) {
    if let Some(l) = &c.lexicon {
        out.extend(l.items().iter().cloned());
    }
    for child in c.children() {
        lexicons_of(child, out);
    }
}

/// Plain YAML scalars that YAML 1.1 tools read as something other than a
/// string: booleans, null and numbers.
fn non_string_scalar(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    ) {
        return true;
    }
    !v.is_empty()
        && v.parse::<f64>().is_ok()
        && v.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'_'))
}

/// List items (`- x`) and flow-list items (`[a, 1]`) of a file that are
/// plain non-string scalars, with their lines.
fn scan_scalars(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.split(" #").next().unwrap_or("").trim();
        if let Some(item) = content.strip_prefix("- ") {
            if non_string_scalar(item) {
                out.push((i + 1, item.trim().to_string()));
                continue;
            }
        }
        // Flow lists: what stands between `[`/`,` and `,`/`]`, unquoted.
        let mut depth = 0;
        let mut quote: Option<char> = None;
        let mut item = String::new();
        for ch in content.chars() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if item.trim().is_empty() => quote = Some(ch),
                (None, '[') => {
                    depth += 1;
                    item.clear();
                }
                (None, ',' | ']') if depth > 0 => {
                    if non_string_scalar(&item) {
                        out.push((i + 1, item.trim().to_string()));
                    }
                    item.clear();
                    if ch == ']' {
                        depth -= 1;
                    }
                }
                (None, '{' | '}') => item.clear(),
                (None, c) if depth > 0 => item.push(c),
                _ => {}
            }
        }
    }
    out
}

/// Every finding of the lint on a taxonomy, ordered by file and line.
pub fn lint(taxonomy: &Taxonomy) -> LintReport {
    let mut l = Linter {
        taxonomy,
        findings: Vec::new(),
    };
    // Which lexicons something uses: rules, and lexicons that include them.
    let mut used: HashSet<String> = HashSet::new();
    for rule in &taxonomy.rules {
        let mut names = Vec::new();
        lexicons_of(&rule.def.when, &mut names);
        used.extend(names);
    }
    for lex in taxonomy.lexicons.values() {
        used.extend(lex.includes.iter().map(|(n, _)| n.clone()));
    }
    let keys_of: HashMap<&str, HashSet<String>> = taxonomy
        .lexicons
        .iter()
        .map(|(name, lex)| {
            (
                name.as_str(),
                lex.phrases.iter().map(|p| phrase_keys(p)).collect(),
            )
        })
        .collect();
    for (name, lex) in &taxonomy.lexicons {
        let file = lex.location.file.clone();
        l.phrase_list(&file, lex.location.line, name, lex.own_phrases());
        if !used.contains(name) {
            l.push(
                &file,
                lex.location.line,
                Check::UnusedLexicon,
                name,
                format!("lexicon `{name}` is used by no rule and included by no lexicon"),
            );
        }
    }
    for rule in &taxonomy.rules {
        let def = &rule.def;
        let file = rule.location.file.clone();
        let mut names = Vec::new();
        lexicons_of(&def.when, &mut names);
        let rule_lexicons: HashMap<&str, HashSet<String>> = names
            .iter()
            .filter_map(|n| keys_of.get_key_value(n.as_str()))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        l.rule_cond(
            &file,
            rule.location.line,
            &def.id,
            &def.when,
            &rule_lexicons,
        );
        let silent = def.examples.silent.len();
        if silent < MIN_SILENT {
            l.push(
                &file,
                rule.location.line,
                Check::FewSilentExamples,
                &def.id,
                format!(
                    "{silent} silent example(s); every rule needs at least {MIN_SILENT} near misses"
                ),
            );
        }
    }
    for source in &taxonomy.sources {
        for (line, value) in scan_scalars(&source.text) {
            l.push(
                &source.name,
                Some(line),
                Check::NonStringScalar,
                &value,
                format!(
                    "`{value}` is read as a boolean, number or null by other YAML tools: quote it"
                ),
            );
        }
    }
    let mut findings = l.findings;
    findings.sort_by(|a, b| (&a.file, a.line, a.check).cmp(&(&b.file, b.line, b.check)));
    findings.dedup();
    let mut counts = BTreeMap::new();
    for f in &findings {
        *counts.entry(f.check.name()).or_insert(0) += 1;
    }
    LintReport { findings, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_with_the_same_keys_are_redundant() {
        assert_eq!(
            phrase_keys("hidden instructions"),
            phrase_keys("hidden instruction")
        );
        assert_eq!(phrase_keys("optimise"), phrase_keys("optimizing"));
        assert_ne!(phrase_keys("=ai"), phrase_keys("ai"));
        assert_ne!(phrase_keys("optimi*"), phrase_keys("optimi"));
    }

    #[test]
    fn repeated_words_are_found() {
        assert_eq!(
            repeated_word("dangerous roads dangerous road"),
            Some("dangerous".into())
        );
        assert_eq!(repeated_word("model weights"), None);
        assert_eq!(repeated_word("a to a"), None);
        assert_eq!(repeated_word("in the middle of the road"), None);
        assert_eq!(repeated_word("leaked data leaks"), Some("leaks".into()));
    }

    #[test]
    fn non_string_scalars_are_found_in_block_and_flow_lists() {
        let text = "lexicons:\n  x:\n    - false\n    - 'no'\n    - one\n    - 1\n\
                    rules:\n  - when: { phrase: [a, yes, \"on\", 2.5, b] }\n";
        let found: Vec<_> = scan_scalars(text);
        assert_eq!(
            found,
            vec![
                (3, "false".to_string()),
                (6, "1".to_string()),
                (8, "yes".to_string()),
                (8, "2.5".to_string())
            ]
        );
    }
}
