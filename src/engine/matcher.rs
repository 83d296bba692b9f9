//! Finds every phrase and regex of the taxonomy in a text in one pass.
//!
//! All phrase forms of all lexicons, rules and context triggers go into one
//! Aho-Corasick automaton. A match only counts when it starts and ends on word
//! boundaries (a phrase written `optimi*` may end inside a word). Regexes sit
//! behind a `RegexSet`, so a text that matches none of them costs one scan.

use crate::error::TaxonomyError;
use crate::text::inflect::word_forms;
use crate::text::segment::is_word_byte;
use crate::text::{NormText, Token, fold_phrase, token_at};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet};
use std::collections::HashMap;

pub type AtomId = u32;

/// A match of an atom (a phrase or regex) in the folded text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub atom: AtomId,
    pub start: u32,
    pub end: u32,
    pub tok_start: u32,
    /// One past the last token of the match.
    pub tok_end: u32,
    pub sentence: u32,
}

/// What a phrase or regex of the taxonomy is, keyed by its folded form.
#[derive(Debug, Default, Clone)]
pub struct AtomTable {
    pub labels: Vec<String>,
    index: HashMap<String, AtomId>,
}

impl AtomTable {
    pub fn intern(&mut self, key: String) -> AtomId {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = self.labels.len() as AtomId;
        self.labels.push(key.clone());
        self.index.insert(key, id);
        id
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
}

/// Phrases longer than this many combined word forms only inflect their last
/// word: `steal` in "steal model weights" matters, but expanding every word of
/// a long phrase multiplies patterns (and start-up time) for little gain.
const MAX_FORMS_PER_PHRASE: usize = 48;

pub struct MatcherBuilder {
    patterns: Vec<String>,
    pattern_index: HashMap<String, usize>,
    /// For each automaton pattern: the atoms it stands for, and whether the
    /// match may end inside a word (`prefix*`).
    owners: Vec<Vec<(AtomId, bool)>>,
    regexes: Vec<(AtomId, String)>,
}

impl MatcherBuilder {
    pub fn new() -> Self {
        MatcherBuilder {
            patterns: Vec::new(),
            pattern_index: HashMap::new(),
            owners: Vec::new(),
            regexes: Vec::new(),
        }
    }

    /// Adds a phrase as written in a rule file. A leading `=` keeps the phrase
    /// exact (no word forms) and a trailing `*` makes its last word a prefix.
    pub fn add_phrase(&mut self, atoms: &mut AtomTable, phrase: &str) -> AtomId {
        let key = phrase_key(phrase);
        let id = atoms.intern(key.clone());
        let (body, open) = match key.strip_suffix('*') {
            Some(b) => (b.trim_end().to_string(), true),
            None => (key.clone(), false),
        };
        for form in phrase_forms(&body, open) {
            self.add_pattern(form, id, open);
        }
        id
    }

    fn add_pattern(&mut self, form: String, atom: AtomId, open: bool) {
        let idx = match self.pattern_index.get(&form) {
            Some(&i) => i,
            None => {
                self.patterns.push(form.clone());
                self.owners.push(Vec::new());
                self.pattern_index.insert(form, self.patterns.len() - 1);
                self.patterns.len() - 1
            }
        };
        if !self.owners[idx].contains(&(atom, open)) {
            self.owners[idx].push((atom, open));
        }
    }

    pub fn add_regex(&mut self, atoms: &mut AtomTable, pattern: &str) -> AtomId {
        let id = atoms.intern(format!("/{pattern}/"));
        if !self.regexes.iter().any(|(a, _)| *a == id) {
            self.regexes.push((id, pattern.to_string()));
        }
        id
    }

    /// Compiles the automaton and regexes. Regex errors name the pattern; the
    /// caller adds the rule's location.
    pub fn build(self) -> Result<Matcher, Vec<(AtomId, String)>> {
        let mut errors = Vec::new();
        let mut compiled = Vec::new();
        for (atom, pattern) in &self.regexes {
            match regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
            {
                Ok(r) => compiled.push((*atom, r)),
                Err(e) => errors.push((*atom, e.to_string())),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let set = RegexSet::new(compiled.iter().map(|(_, r)| format!("(?i:{})", r.as_str())))
            .map_err(|e| vec![(0, e.to_string())])?;
        // Standard semantics with overlapping search: a phrase that sits inside
        // a longer one ("leak" in "data leak") must be seen too.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .map_err(|e| vec![(0, e.to_string())])?;
        Ok(Matcher {
            automaton,
            owners: self.owners,
            regexes: compiled,
            set,
            patterns: self.patterns,
        })
    }
}

impl Default for MatcherBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// Folded phrase key: `=` marks are kept so `=ai` and `ai` stay distinct atoms.
pub fn phrase_key(phrase: &str) -> String {
    fold_phrase(phrase)
}

/// Every surface form of a folded phrase.
fn phrase_forms(body: &str, open: bool) -> Vec<String> {
    // A leading `=` keeps the whole phrase exact.
    let (body, exact) = match body.strip_prefix('=') {
        Some(rest) => (rest, true),
        None => (body, false),
    };
    let words: Vec<&str> = body.split(' ').filter(|w| !w.is_empty()).collect();
    let n = words.len();
    let per_word: Vec<Vec<String>> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if exact {
                vec![w.to_string()]
            } else if open && i == n - 1 {
                // The prefix itself is the pattern; inflecting it is meaningless.
                vec![w.to_string()]
            } else {
                word_forms(w)
            }
        })
        .collect();
    let product: usize = per_word.iter().map(Vec::len).product();
    let per_word: Vec<Vec<String>> = if product > MAX_FORMS_PER_PHRASE {
        per_word
            .into_iter()
            .enumerate()
            .map(|(i, forms)| {
                if i + 1 == n {
                    forms
                } else {
                    vec![forms[0].clone()]
                }
            })
            .collect()
    } else {
        per_word
    };
    let mut out = vec![String::new()];
    for forms in per_word {
        let mut next = Vec::with_capacity(out.len() * forms.len());
        for prefix in &out {
            for f in &forms {
                next.push(if prefix.is_empty() {
                    f.clone()
                } else {
                    format!("{prefix} {f}")
                });
            }
        }
        out = next;
    }
    out
}

pub struct Matcher {
    automaton: AhoCorasick,
    owners: Vec<Vec<(AtomId, bool)>>,
    regexes: Vec<(AtomId, Regex)>,
    set: RegexSet,
    patterns: Vec<String>,
}

impl Matcher {
    /// All hits in the folded text, sorted by start, then longest first.
    pub fn find(&self, norm: &NormText, tokens: &[Token], sentence_of_token: &[u32]) -> Vec<Hit> {
        let text = norm.text.as_bytes();
        let mut hits = Vec::new();
        let push = |atom: AtomId, start: usize, end: usize, hits: &mut Vec<Hit>| {
            if tokens.is_empty() {
                return;
            }
            let tok_start = token_at(tokens, start).min(tokens.len() - 1);
            let tok_end = token_at(tokens, end.saturating_sub(1)).min(tokens.len() - 1) + 1;
            hits.push(Hit {
                atom,
                start: start as u32,
                end: end as u32,
                tok_start: tok_start as u32,
                tok_end: tok_end.max(tok_start + 1) as u32,
                sentence: sentence_of_token[tok_start],
            });
        };
        for m in self.automaton.find_overlapping_iter(text) {
            let (start, end) = (m.start(), m.end());
            if start > 0 && is_word_byte(text[start - 1]) {
                continue;
            }
            let closed = end == text.len() || !is_word_byte(text[end]);
            for &(atom, open) in &self.owners[m.pattern().as_usize()] {
                if open {
                    // Evidence shows the whole word the prefix began.
                    let mut e = end;
                    while e < text.len() && is_word_byte(text[e]) {
                        e += 1;
                    }
                    push(atom, start, e, &mut hits);
                } else if closed {
                    push(atom, start, end, &mut hits);
                }
            }
        }
        if !self.regexes.is_empty() {
            for i in self.set.matches(&norm.text).iter() {
                let (atom, re) = &self.regexes[i];
                for m in re.find_iter(&norm.text) {
                    if m.end() > m.start() {
                        push(*atom, m.start(), m.end(), &mut hits);
                    }
                }
            }
        }
        hits.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.atom.cmp(&b.atom))
        });
        hits.dedup_by(|a, b| a.atom == b.atom && a.start == b.start && a.end == b.end);
        hits
    }

    /// Every automaton pattern and regex as a regex that ripgrep accepts.
    pub fn export_patterns(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .patterns
            .iter()
            .zip(&self.owners)
            .map(|(p, owners)| {
                let open = owners.iter().all(|(_, o)| *o);
                let escaped = regex::escape(p).replace(' ', r"\s+");
                if open {
                    format!(r"\b{escaped}")
                } else {
                    format!(r"\b{escaped}\b")
                }
            })
            .collect();
        out.extend(self.regexes.iter().map(|(_, r)| r.as_str().to_string()));
        out
    }
}

/// Turns regex compile failures into taxonomy errors at the rules that use them.
pub fn regex_errors(
    failures: Vec<(AtomId, String)>,
    atoms: &AtomTable,
    users: &dyn Fn(AtomId) -> Vec<crate::error::Location>,
) -> Vec<TaxonomyError> {
    failures
        .into_iter()
        .flat_map(|(atom, msg)| {
            let label = atoms.labels.get(atom as usize).cloned().unwrap_or_default();
            users(atom).into_iter().map(move |location| TaxonomyError {
                location,
                message: format!(
                    "invalid regex {label}: {}",
                    msg.lines().last().unwrap_or(&msg).trim()
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::phrase_forms;

    #[test]
    fn forms_cover_each_word_of_short_phrases() {
        let forms = phrase_forms("steal model weight", false);
        assert!(forms.contains(&"stole model weights".to_string()));
        assert!(forms.contains(&"stealing model weight".to_string()));
    }

    #[test]
    fn exact_words_are_not_inflected() {
        assert_eq!(
            phrase_forms("=ai system", false),
            vec!["ai system".to_string()]
        );
        assert!(phrase_forms("ai system", false).contains(&"ai systems".to_string()));
    }
}
