//! Finds every phrase and regex of the taxonomy in a text in one pass.
//!
//! Phrases are matched over words, not bytes. Every word form of every phrase
//! word goes into one vocabulary (form -> the phrase words it can stand for),
//! and the phrases themselves form a trie over phrase words. A text is then
//! scanned once: each token costs one hash lookup, and only tokens that are in
//! the vocabulary walk the trie. Compared with compiling every surface form of
//! every phrase into a byte automaton, this keeps start-up cheap (the number of
//! surface forms of a multi-word phrase is the product of its words' forms)
//! and gives word boundaries for free. The rules' regexes are found by
//! `regexes`, which runs only those a text's literals allow.

use super::hit::{AtomId, AtomTable, Hit};
use super::interner::{Interner, StrMap};
use super::phrase_syntax::{WordKind, WordPattern, WordRef, split_phrase};
use super::phrase_trie::{NodeId, SPACE, Trie, WordId};
use super::regexes::RuleRegexes;
use super::vocabulary::{PrefixTrie, Vocabulary, vocabulary};
use crate::text::{NormText, Token, fold_phrase, match_key, token_at};
use rustc_hash::FxHashMap;

pub struct MatcherBuilder {
    /// The id of each word pattern (its index in `word_list`), by a mark of
    /// its kind and its text.
    words: Interner,
    /// The key being looked up in `words`.
    key: String,
    word_list: Vec<WordPattern>,
    separators: Vec<String>,
    /// The trie while building: its number of nodes (the root is 0), its
    /// edges (parent, separator, word) -> child, and the node each phrase
    /// ends at.
    nodes: u32,
    edges: FxHashMap<(NodeId, u32, WordId), NodeId>,
    ends: Vec<(NodeId, AtomId)>,
    regexes: Vec<(AtomId, String)>,
}

impl MatcherBuilder {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// A builder with room for about `phrases` phrases, so that its maps do
    /// not grow (rehashing every entry) while thousands are added. The
    /// shares are the default taxonomy's (5,677 phrases: 6,332 trie edges,
    /// 3,399 words); more room than needed costs page faults at start-up.
    pub fn with_capacity(phrases: usize) -> Self {
        MatcherBuilder {
            words: Interner::with_capacity(phrases / 2, phrases * 4),
            key: String::new(),
            edges: FxHashMap::with_capacity_and_hasher(phrases * 5 / 4, Default::default()),
            word_list: Vec::with_capacity(phrases / 2),
            separators: vec![" ".to_string()],
            nodes: 1,
            ends: Vec::with_capacity(phrases),
            regexes: Vec::new(),
        }
    }

    /// Adds a phrase as written in a rule file. A leading `=` keeps the phrase
    /// exact (no word forms) and a trailing `*` makes its last word a prefix.
    pub fn add_phrase(&mut self, atoms: &mut AtomTable, phrase: &str) -> AtomId {
        // `=` and `*` marks are kept, so that `=ai` and `ai` stay distinct atoms.
        let key = fold_phrase(phrase);
        let (id, new) = atoms.intern(&key);
        if !new {
            return id;
        }
        let words: Vec<(Option<&str>, WordRef)> = split_phrase(&key).collect();
        self.add_path(&words, id);
        // "self driving" also matches "selfdriving", and "e mail" "email":
        // a pair of words the phrase spaces apart is also one closed word,
        // when the first is short, as the first parts of closed compounds are
        // (self, e, co, non, cyber, chat, deep, sock). Every pair doubled the
        // trie, a twentieth of start-up. (The text's "self-driving" already
        // folds to "self driving".)
        for k in 1..words.len() {
            let (first, second) = (words[k - 1].1, words[k].1);
            if words[k].0 != Some(" ")
                || first.0 != WordKind::Forms
                || second.0 != WordKind::Forms
                || first.1.len() > 5
            {
                continue;
            }
            let closed = format!("{}{}", first.1, second.1);
            let mut variant = words.clone();
            variant[k - 1].1 = (WordKind::Forms, &closed);
            variant.remove(k);
            self.add_path(&variant, id);
        }
        id
    }

    /// Adds the trie path of one way of writing a phrase, ending at `id`.
    fn add_path(&mut self, words: &[(Option<&str>, WordRef)], id: AtomId) {
        let mut node: NodeId = 0;
        for &(sep, word) in words {
            let word = self.word_id(word);
            let sep = match sep {
                None => SPACE,
                Some(s) => self.separator_id(s),
            };
            node = self.child(node, (sep, word));
        }
        if node != 0 {
            self.ends.push((node, id));
        }
    }

    fn word_id(&mut self, w: WordRef) -> WordId {
        let (kind, word) = w;
        // Keyed by a mark of the kind and the word: `=ai` and `ai` differ.
        self.key.clear();
        self.key.push(['~', '=', '*'][kind as usize]);
        self.key.push_str(word);
        let (id, new) = self.words.intern(&self.key);
        if new {
            let word: Box<str> = word.into();
            self.word_list.push(match kind {
                WordKind::Forms => WordPattern::Forms(word),
                WordKind::Exact => WordPattern::Exact(word),
                WordKind::Prefix => WordPattern::Prefix(word),
            });
        }
        id
    }

    fn separator_id(&mut self, s: &str) -> u32 {
        match self.separators.iter().position(|x| x == s) {
            Some(i) => i as u32,
            None => {
                self.separators.push(s.to_string());
                (self.separators.len() - 1) as u32
            }
        }
    }

    fn child(&mut self, node: NodeId, key: (u32, WordId)) -> NodeId {
        let next = &mut self.nodes;
        *self.edges.entry((node, key.0, key.1)).or_insert_with(|| {
            *next += 1;
            *next - 1
        })
    }

    pub fn add_regex(&mut self, atoms: &mut AtomTable, pattern: &str) -> AtomId {
        let (id, new) = atoms.intern(&format!("/{pattern}/"));
        if new {
            self.regexes.push((id, pattern.to_string()));
        }
        id
    }

    /// Builds the vocabulary and parses the regexes; with `compile_regexes`,
    /// also compiles them now rather than when a text first needs one. Regex
    /// errors name the atom; the caller adds the locations of the rules that
    /// use it.
    pub fn build(self, compile_regexes: bool) -> Result<Matcher, Vec<(AtomId, String)>> {
        let regexes = RuleRegexes::new(self.regexes)?;
        if compile_regexes {
            let failures = regexes.compile_all();
            if !failures.is_empty() {
                return Err(failures);
            }
        }
        let (vocabulary, exact, prefixes) = vocabulary(&self.word_list);
        let key_list = KeyList::new(&vocabulary.forms);
        Ok(Matcher {
            id: next_matcher_id(),
            vocabulary,
            exact,
            key_list,
            prefixes,
            separators: self.separators,
            trie: Trie::new(
                self.nodes as usize,
                self.word_list.len(),
                self.edges,
                self.ends,
            ),
            words: WordList(self.word_list).into(),
            regexes,
        })
    }
}

/// The keys of a vocabulary in sorted order, as spans of its text, each
/// with its first eight bytes as a number: sorting compares numbers and
/// only looks at the text when those are equal, which keeps sorting ~20,000
/// keys a small part of start-up (comparing strings throughout was a fifth
/// of it). The order is the strings' own: a key's bytes are never zero, so
/// zero-padding a short key sorts it before the longer keys it starts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct KeyList(#[serde(with = "super::flat")] Vec<(u64, u32, u32)>);

/// The first eight bytes of `s`, big-endian, zero-padded.
fn head8(s: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s[..n]);
    u64::from_be_bytes(b)
}

impl KeyList {
    fn new(forms: &StrMap) -> KeyList {
        let mut keys: Vec<(u64, u32, u32)> = forms
            .spans()
            .map(|(start, len)| (head8(forms.span(start, len).as_bytes()), start, len))
            .collect();
        keys.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| forms.span(a.1, a.2).cmp(forms.span(b.1, b.2)))
        });
        KeyList(keys)
    }

    /// Whether some key of `forms` (the map the list was made of) starts with `prefix`.
    fn has_prefix(&self, forms: &StrMap, prefix: &str) -> bool {
        let head = head8(prefix.as_bytes());
        let text = |&(_, start, len): &(u64, u32, u32)| forms.span(start, len);
        let i = self
            .0
            .partition_point(|k| k.0 < head || (k.0 == head && text(k) < prefix));
        self.0.get(i).is_some_and(|k| text(k).starts_with(prefix))
    }
}

/// The phrase words, by id.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct WordList(#[serde(with = "word_list")] pub(super) Vec<WordPattern>);

/// The phrase words as their kinds (a byte each), their lengths and their
/// texts one after another.
mod word_list {
    use super::WordPattern;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Stored {
        #[serde(with = "crate::engine::flat")]
        kinds: Vec<u8>,
        #[serde(with = "crate::engine::flat")]
        lens: Vec<u32>,
        text: String,
    }

    pub fn serialize<S: Serializer>(words: &[WordPattern], s: S) -> Result<S::Ok, S::Error> {
        let mut stored = Stored {
            kinds: Vec::with_capacity(words.len()),
            lens: Vec::with_capacity(words.len()),
            text: String::new(),
        };
        for w in words {
            let (kind, word) = match w {
                WordPattern::Forms(w) => (0, w),
                WordPattern::Exact(w) => (1, w),
                WordPattern::Prefix(w) => (2, w),
            };
            stored.kinds.push(kind);
            stored.lens.push(word.len() as u32);
            stored.text.push_str(word);
        }
        stored.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<WordPattern>, D::Error> {
        let Stored { kinds, lens, text } = Stored::deserialize(d)?;
        let bad = || serde::de::Error::custom("the phrase words disagree with their text");
        if kinds.len() != lens.len() {
            return Err(bad());
        }
        let mut at = 0usize;
        let mut words = Vec::with_capacity(kinds.len());
        for (kind, len) in kinds.into_iter().zip(lens) {
            let end = at + len as usize;
            let word: Box<str> = text.get(at..end).ok_or_else(bad)?.into();
            at = end;
            words.push(match kind {
                0 => WordPattern::Forms(word),
                1 => WordPattern::Exact(word),
                2 => WordPattern::Prefix(word),
                _ => return Err(bad()),
            });
        }
        Ok(words)
    }
}

/// A process-wide unique id for a new matcher (see `Matcher::id`).
fn next_matcher_id() -> u64 {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Default for MatcherBuilder {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Matcher {
    /// Unique among the matchers of a process, for the token cache.
    #[serde(skip, default = "next_matcher_id")]
    pub(super) id: u64,
    /// Phrase words that take word forms, by match key.
    pub(super) vocabulary: Vocabulary,
    /// `=exact` phrase words, by their text.
    pub(super) exact: Vocabulary,
    /// The keys of `vocabulary`, sorted: two tokens can only form a closed
    /// compound of a phrase ("e mail" for "email") if the first starts a key.
    pub(super) key_list: KeyList,
    pub(super) prefixes: PrefixTrie,
    pub(super) separators: Vec<String>,
    pub(super) trie: Trie,
    /// Lazy: only `aitag taxonomy --patterns` reads it.
    pub(super) words: crate::taxonomy::lazy::Lazy<WordList>,
    pub(super) regexes: RuleRegexes,
}

/// Tokens seen by this thread, with the phrase words they stand for, for the
/// matcher with the id it holds. A token costs a stem and three lookups, and
/// most tokens of a text were seen before: one lookup here replaces them, at
/// the cost of a bounded map per thread.
type TokenCache = (u64, FxHashMap<Box<str>, Box<[WordId]>>);

thread_local! {
    static TOKEN_CACHE: std::cell::RefCell<TokenCache> = std::cell::RefCell::default();
}

/// Tokens the cache keeps at most; it starts over when full (about 2 MB).
const TOKEN_CACHE_LIMIT: usize = 30_000;

impl Matcher {
    /// The phrase words a token can stand for, appended to `out`.
    fn token_words(&self, token: &str, out: &mut Vec<WordId>) {
        TOKEN_CACHE.with(|cache| {
            let (owner, cache) = &mut *cache.borrow_mut();
            if *owner != self.id {
                cache.clear();
                *owner = self.id;
            }
            if let Some(ids) = cache.get(token) {
                out.extend_from_slice(ids);
                return;
            }
            let before = out.len();
            self.token_words_uncached(token, out);
            if cache.len() >= TOKEN_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(token.into(), out[before..].into());
        })
    }

    fn token_words_uncached(&self, token: &str, out: &mut Vec<WordId>) {
        let before = out.len();
        out.extend_from_slice(self.exact.get(token));
        out.extend_from_slice(self.vocabulary.get(&match_key(token)));
        // "model's" is also "model"; "didn't" stays whole.
        if let Some(i) = token.find('\'') {
            let bare = &token[..i];
            let key = match_key(bare);
            let ids = self.exact.get(bare).iter();
            for &id in ids.chain(self.vocabulary.get(&key)) {
                // Only this token's words: `out` also holds earlier tokens'.
                if !out[before..].contains(&id) {
                    out.push(id);
                }
            }
        }
        self.prefixes.words_of(token.as_bytes(), out);
    }

    /// The phrase words two hyphenated tokens stand for as one closed word
    /// ("e-mail" as "email"), appended to `out`.
    fn pair_words(&self, first: &str, second: &str, buf: &mut String, out: &mut Vec<WordId>) {
        let letters = |t: &str| t.bytes().all(|b| b.is_ascii_lowercase());
        if !letters(first) || !letters(second) {
            return;
        }
        buf.clear();
        buf.push_str(first);
        buf.push_str(&second[..1]);
        // The closed word's key starts with the first token and the second's
        // first letter, unless the stemmer cut into them (rare in compounds).
        if !self.key_list.has_prefix(&self.vocabulary.forms, buf) {
            return;
        }
        buf.push_str(&second[1..]);
        out.extend_from_slice(self.vocabulary.get(&match_key(buf)));
    }

    /// All hits in the folded text, sorted by start, then longest first.
    /// `original` is the text `norm` folds.
    pub fn find(
        &self,
        original: &str,
        norm: &NormText,
        tokens: &[Token],
        sentence_of_token: &[u32],
    ) -> Vec<Hit> {
        let text = norm.text.as_str();
        let mut hits = Vec::new();
        // Phrase words of every token, as one flat list with offsets.
        let mut flat: Vec<WordId> = Vec::new();
        let mut offsets: Vec<u32> = Vec::with_capacity(tokens.len() + 1);
        offsets.push(0);
        for t in tokens {
            self.token_words(&text[t.start as usize..t.end as usize], &mut flat);
            offsets.push(flat.len() as u32);
        }
        let words_of = |i: usize| &flat[offsets[i] as usize..offsets[i + 1] as usize];
        // The same for each token and the next as one closed word, when a
        // hyphen joins them ("e-mail" as "email"). Not across a space:
        // "person as" is not "personas".
        let mut flat2: Vec<WordId> = Vec::new();
        let mut offsets2: Vec<u32> = Vec::with_capacity(tokens.len() + 1);
        offsets2.push(0);
        let mut buf = String::new();
        for (i, t) in tokens.iter().enumerate() {
            if let Some(next) = tokens.get(i + 1) {
                let gap = norm.orig(t.end as usize)..norm.orig(next.start as usize);
                let hyphen = matches!(original.get(gap), Some("-" | "\u{2010}" | "\u{2011}"));
                if hyphen && &text[t.end as usize..next.start as usize] == " " {
                    let first = &text[t.start as usize..t.end as usize];
                    let second = &text[next.start as usize..next.end as usize];
                    self.pair_words(first, second, &mut buf, &mut flat2);
                }
            }
            offsets2.push(flat2.len() as u32);
        }
        let pair_words_of = |i: usize| &flat2[offsets2[i] as usize..offsets2[i + 1] as usize];
        let mut stack: Vec<(NodeId, usize)> = Vec::new();
        for i in 0..tokens.len() {
            for &w in words_of(i) {
                if let Some(c) = self.trie.child(0, (SPACE, w)) {
                    stack.push((c, i + 1));
                }
            }
            for &w in pair_words_of(i) {
                if let Some(c) = self.trie.child(0, (SPACE, w)) {
                    stack.push((c, i + 2));
                }
            }
            while let Some((node, j)) = stack.pop() {
                for &atom in self.trie.atoms(node) {
                    hits.push(Hit {
                        atom,
                        start: tokens[i].start,
                        end: tokens[j - 1].end,
                        tok_start: i as u32,
                        tok_end: j as u32,
                        sentence: sentence_of_token[i],
                    });
                }
                if self.trie.children(node).is_empty() || j >= tokens.len() {
                    continue;
                }
                let gap = &text[tokens[j - 1].end as usize..tokens[j].start as usize];
                let Some(sep) = self.separators.iter().position(|s| s == gap) else {
                    continue;
                };
                for &w in words_of(j) {
                    if let Some(c) = self.trie.child(node, (sep as u32, w)) {
                        stack.push((c, j + 1));
                    }
                }
                for &w in pair_words_of(j) {
                    if let Some(c) = self.trie.child(node, (sep as u32, w)) {
                        stack.push((c, j + 2));
                    }
                }
            }
        }
        if !self.regexes.is_empty() && !tokens.is_empty() {
            let mut candidates = Vec::new();
            self.regexes.candidates(text, &mut candidates);
            for i in candidates {
                let (atom, matches) = self.regexes.find(i, text);
                for m in matches {
                    let tok_start = token_at(tokens, m.start()).min(tokens.len() - 1);
                    let tok_end = (token_at(tokens, m.end() - 1).min(tokens.len() - 1) + 1)
                        .max(tok_start + 1);
                    hits.push(Hit {
                        atom,
                        start: m.start() as u32,
                        end: m.end() as u32,
                        tok_start: tok_start as u32,
                        tok_end: tok_end as u32,
                        sentence: sentence_of_token[tok_start],
                    });
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

    /// Compiles every rule regex that is not compiled yet; the failures.
    #[cfg(test)]
    pub fn compile_regexes(&self) -> Vec<(AtomId, String)> {
        self.regexes.compile_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    fn hits(phrases: &[&str], text: &str) -> Vec<String> {
        let mut atoms = AtomTable::default();
        let mut b = MatcherBuilder::new();
        for p in phrases {
            b.add_phrase(&mut atoms, p);
        }
        let m = b.build(true).unwrap();
        let norm = NormText::new(text);
        let (tokens, _) = segment(&norm, text);
        let sentences = vec![0; tokens.len()];
        m.find(text, &norm, &tokens, &sentences)
            .iter()
            .map(|h| {
                format!(
                    "{}={}",
                    atoms.label(h.atom),
                    &norm.text[h.start as usize..h.end as usize]
                )
            })
            .collect()
    }

    #[test]
    fn word_forms_of_every_phrase_word_match() {
        assert_eq!(
            hits(&["steal model weight"], "They stole model weights."),
            vec!["steal model weight=stole model weights"]
        );
        assert_eq!(
            hits(&["hack"], "Hackers were hacking"),
            vec!["hack=hackers", "hack=hacking"]
        );
    }

    #[test]
    fn every_word_matches_its_forms_whichever_form_is_written() {
        assert_eq!(
            hits(
                &["hidden instructions"],
                "a hidden instruction; instructions hid"
            ),
            vec!["hidden instructions=hidden instruction"]
        );
        assert_eq!(
            hits(&["stole model weights"], "someone steals the model weight"),
            Vec::<String>::new()
        );
        assert_eq!(
            hits(&["stole model weights"], "He steals model weight files"),
            vec!["stole model weights=steals model weight"]
        );
        assert_eq!(
            hits(&["optimise behaviour"], "they optimized behavior"),
            vec!["optimise behaviour=optimized behavior"]
        );
    }

    #[test]
    fn compounds_match_closed_spaced_and_hyphenated() {
        for text in [
            "a self-driving car",
            "a self driving car",
            "a selfdriving car",
        ] {
            assert_eq!(hits(&["self driving car"], text).len(), 1, "{text}");
            assert_eq!(hits(&["self-driving car"], text).len(), 1, "{text}");
        }
        assert_eq!(
            hits(&["email"], "an e-mail and emails"),
            vec!["email=e mail", "email=emails"]
        );
        assert_eq!(hits(&["e-mail"], "an email"), vec!["e mail=email"]);
        // Only a hyphen joins two words into one: "person as" is not "personas".
        assert!(hits(&["personas"], "a person as a risk").is_empty());
    }

    #[test]
    fn exact_and_prefix_phrases() {
        assert_eq!(
            hits(&["=ai system"], "AI systems and an AI system"),
            vec!["=ai system=ai system"]
        );
        assert_eq!(
            hits(&["optimi*"], "it was optimised; optimization"),
            vec!["optimi*=optimised", "optimi*=optimization"]
        );
    }

    #[test]
    fn matches_need_word_boundaries_and_plain_gaps() {
        assert!(hits(&["art"], "artificial").is_empty());
        assert!(hits(&["model weight"], "the model, weights").is_empty());
        assert_eq!(
            hits(&["model weight"], "the model-weights"),
            vec!["model weight=model weights"]
        );
        assert_eq!(
            hits(&["model"], "the model's output"),
            vec!["model=model's"]
        );
    }

    #[test]
    fn possessives_match_wherever_they_are() {
        // The second "AI's" used to be missed because an earlier token was "ai".
        assert_eq!(
            hits(&["ai"], "AI's tool and AI's output"),
            vec!["ai=ai's", "ai=ai's"]
        );
    }

    #[test]
    fn overlapping_phrases_all_match() {
        let found = hits(&["data leak", "leak"], "a data leak");
        assert_eq!(found, vec!["data leak=data leak", "leak=leak"]);
    }

    #[test]
    fn punctuation_inside_a_phrase_must_match() {
        assert_eq!(hits(&["=a.i."], "The A.I. failed"), vec!["=a.i.=a.i"]);
    }
}

#[cfg(test)]
mod prefilter_tests {
    use crate::engine::Engine;
    use crate::text::NormText;

    /// On real incidents, every rule regex that matches a text is among the
    /// candidates the literal prefilter gives for it, and the prefilter does
    /// rule most regexes out.
    #[test]
    fn no_matching_regex_is_filtered_out_of_an_incident() {
        let engine = Engine::embedded().unwrap();
        let regexes = &engine.matcher.regexes;
        let compiled: Vec<regex::Regex> = regexes
            .patterns()
            .map(|p| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .unwrap()
            })
            .collect();
        let data = include_str!("../../tests/data/aiid/incidents.jsonl");
        let (mut matched, mut ruled_out) = (0, 0);
        let mut candidates = Vec::new();
        for line in data.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = format!(
                "{}. {}",
                v["title"].as_str().unwrap_or(""),
                v["description"].as_str().unwrap_or("")
            );
            let norm = NormText::new(&text);
            regexes.candidates(&norm.text, &mut candidates);
            for (i, re) in compiled.iter().enumerate() {
                let candidate = candidates.contains(&i);
                if re.is_match(&norm.text) {
                    assert!(candidate, "{} ruled out of {text:?}", re.as_str());
                    matched += 1;
                } else if !candidate {
                    ruled_out += 1;
                }
            }
        }
        assert!(matched > 100, "only {matched} regex matches checked");
        let pairs = compiled.len() * data.lines().count();
        assert!(
            ruled_out * 10 > pairs * 8,
            "{ruled_out} of {pairs} ruled out"
        );
    }
}
