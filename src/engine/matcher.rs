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

use super::grouped::Grouped;
use super::interner::{Interner, StrMap};
use super::regexes::RuleRegexes;
use crate::error::{Location, TaxonomyError};
use crate::text::inflect::{for_each_form, word_forms};
use crate::text::{NormText, Token, fold_phrase, match_key, token_at};
use rustc_hash::FxHashMap;

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

/// The phrases and regexes of the taxonomy, keyed by their folded form.
#[derive(Debug, Default, Clone)]
pub struct AtomTable {
    labels: Interner,
}

impl AtomTable {
    /// Room for `atoms` atoms.
    pub fn with_capacity(atoms: usize) -> AtomTable {
        AtomTable {
            labels: Interner::with_capacity(atoms, atoms * 16),
        }
    }

    pub fn intern(&mut self, key: &str) -> (AtomId, bool) {
        self.labels.intern(key)
    }

    /// The folded phrase (or `/regex/`) of an atom.
    pub fn label(&self, atom: AtomId) -> &str {
        self.labels.resolve(atom)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
}

/// What one word of a phrase accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum WordPattern {
    /// The word and its usual forms.
    Forms(Box<str>),
    /// Exactly this word.
    Exact(Box<str>),
    /// Any word that starts with this.
    Prefix(Box<str>),
}

/// The kind of a phrase word, without its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    Forms = 0,
    Exact = 1,
    Prefix = 2,
}

/// A phrase word while building: its kind and its text in the phrase key.
type WordRef<'a> = (WordKind, &'a str);

type WordId = u32;
type NodeId = u32;

/// Separator id 0 is the single space that folding leaves between words.
const SPACE: u32 = 0;

/// The trie of phrase words, stored flat: a node's children ((separator
/// before the word, word) -> child, sorted) and the phrases that end at it
/// are each one `Grouped` by node.
#[derive(Debug, Default, Clone)]
struct Trie {
    /// The root's child for each word (0 for none): every token looks its
    /// words up here, and a binary search over the root's thousands of
    /// children was a tenth of a batch run.
    root: Vec<NodeId>,
    children: Grouped<((u32, WordId), NodeId)>,
    ends: Grouped<AtomId>,
}

impl Trie {
    /// From the edges (parent, separator, word) -> child and the (node,
    /// phrase) pairs of a trie of `nodes` nodes.
    fn new(
        nodes: usize,
        words: usize,
        edges: FxHashMap<(NodeId, u32, WordId), NodeId>,
        ends: Vec<(NodeId, AtomId)>,
    ) -> Trie {
        // A phrase's first word has no separator before it.
        let mut root = vec![0; words];
        for (&(parent, sep, word), &child) in &edges {
            if parent == 0 && sep == SPACE {
                root[word as usize] = child;
            }
        }
        let mut children = Grouped::new(
            nodes,
            edges
                .iter()
                .map(|(&(parent, sep, word), &child)| (parent as usize, ((sep, word), child))),
        );
        children.sort_each();
        Trie {
            root,
            children,
            // A node's phrases keep the order they were added in.
            ends: Grouped::new(
                nodes,
                ends.iter().map(|&(node, atom)| (node as usize, atom)),
            ),
        }
    }

    fn children(&self, node: NodeId) -> &[((u32, WordId), NodeId)] {
        self.children.get(node as usize)
    }

    fn child(&self, node: NodeId, key: (u32, WordId)) -> Option<NodeId> {
        if node == 0 && key.0 == SPACE {
            return Some(self.root[key.1 as usize]).filter(|&c| c != 0);
        }
        let children = self.children(node);
        children
            .binary_search_by_key(&key, |c| c.0)
            .ok()
            .map(|i| children[i].1)
    }

    fn atoms(&self, node: NodeId) -> &[AtomId] {
        self.ends.get(node as usize)
    }
}

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
        let key = phrase_key(phrase);
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
        let mut key_list: Vec<Box<str>> = vocabulary.forms.keys().map(Box::from).collect();
        key_list.sort_unstable();
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Matcher {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
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
            words: self.word_list,
            regexes,
        })
    }
}

/// The match keys of the phrase words that take word forms, the exact
/// words, and the prefix words, each with the words they stand for.
///
/// A word stands under its own key (`match_key`), which covers its
/// inflections both ways, and under the keys of its agent nouns and `-ion`
/// nouns ("hack" also matches "hackers", "detect" "detection"), which the
/// stemmer keeps apart from the verb.
fn vocabulary(words: &[WordPattern]) -> (Vocabulary, Vocabulary, PrefixTrie) {
    let mut keys = Vocabulary::with_capacity(words.len() * 2);
    let mut exact = Vocabulary::with_capacity(16);
    let mut prefixes = PrefixTrie::default();
    for (id, w) in words.iter().enumerate() {
        let id = id as WordId;
        match w {
            WordPattern::Exact(s) => exact.add(s, id),
            WordPattern::Forms(s) => {
                keys.add(&known_key(s), id);
                // Only the singular nouns: their plurals have the same key.
                for_each_form(s, |f| {
                    if f.len() > s.len() && (f.ends_with("er") || f.ends_with("ion")) {
                        keys.add(&known_key(f), id);
                    }
                });
            }
            WordPattern::Prefix(p) => prefixes.insert(p, id),
        }
    }
    (keys, exact, prefixes)
}

// `MATCH_KEYS`: the match key of every word of the embedded taxonomy, by
// build.rs, sorted by word.
include!(concat!(env!("OUT_DIR"), "/keys.rs"));

/// `match_key(word)`, from the build-time table when the word is in it.
fn known_key(word: &str) -> std::borrow::Cow<'_, str> {
    match MATCH_KEYS.binary_search_by(|(w, _)| (*w).cmp(word)) {
        Ok(i) => MATCH_KEYS[i].1.into(),
        Err(_) => match_key(word),
    }
}

/// The phrase words each word form can stand for. Nearly always one
/// ("hacked" is only "hack"), kept as the form's value; the few forms of
/// several words point into `shared`. A lookup, once per token, reads one
/// entry and the form's text.
#[derive(Debug, Clone)]
struct Vocabulary {
    forms: StrMap,
    shared: Vec<Vec<WordId>>,
}

/// Marks a `Vocabulary` value that is an index into `shared`.
const SHARED: u32 = 1 << 31;

impl Vocabulary {
    /// Room for about `forms` forms.
    fn with_capacity(forms: usize) -> Vocabulary {
        Vocabulary {
            forms: StrMap::with_capacity(forms, forms * 8),
            shared: Vec::new(),
        }
    }

    fn add(&mut self, form: &str, id: WordId) {
        let (entry, new) = self.forms.entry(form, id);
        if new {
            return;
        }
        if *entry & SHARED != 0 {
            let ids = &mut self.shared[(*entry & !SHARED) as usize];
            if !ids.contains(&id) {
                ids.push(id);
            }
        } else if *entry != id {
            self.shared.push(vec![*entry, id]);
            *entry = SHARED | (self.shared.len() - 1) as u32;
        }
    }

    /// The words `form` stands for; none when it is not a form of any.
    fn get(&self, form: &str) -> &[WordId] {
        match self.forms.get(form) {
            None => &[],
            Some(&i) if i & SHARED != 0 => &self.shared[(i & !SHARED) as usize],
            Some(id) => std::slice::from_ref(id),
        }
    }
}

impl Default for MatcherBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// The folded key of a phrase; `=` and `*` marks are kept so that `=ai` and
/// `ai` stay distinct atoms.
pub fn phrase_key(phrase: &str) -> std::borrow::Cow<'_, str> {
    fold_phrase(phrase)
}

/// The words of a folded phrase key, each with the separator before it
/// (none for the first word). An iterator, not a vector: start-up splits
/// thousands of phrases.
fn split_phrase(key: &str) -> impl Iterator<Item = (Option<&str>, WordRef<'_>)> {
    let (body, exact) = match key.strip_prefix('=') {
        Some(rest) => (rest.trim_start(), true),
        None => (key, false),
    };
    let (body, open) = match body.strip_suffix('*') {
        Some(rest) => (rest, true),
        None => (body, false),
    };
    let kind = if exact {
        WordKind::Exact
    } else {
        WordKind::Forms
    };
    let mut spans = word_spans(body).peekable();
    let mut last_end: Option<usize> = None;
    std::iter::from_fn(move || {
        let (start, end) = spans.next()?;
        let sep = last_end.map(|prev| &body[prev..start]);
        last_end = Some(end);
        let kind = if open && spans.peek().is_none() {
            WordKind::Prefix
        } else {
            kind
        };
        Some((sep, (kind, &body[start..end])))
    })
}

/// The byte ranges of the words of `body`: runs of word bytes, with
/// apostrophes between word bytes ("model's") inside the word.
fn word_spans(body: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    use crate::text::segment::is_word_byte;
    let bytes = body.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len()
            && (is_word_byte(bytes[i])
                || (bytes[i] == b'\'' && i + 1 < bytes.len() && is_word_byte(bytes[i + 1])))
        {
            i += 1;
        }
        Some((start, i))
    })
}

/// The prefix words (`optimi*`) as a byte trie that a token walks byte by
/// byte, collecting every prefix it passes. (A sorted list scanned back from
/// the token compared every prefix with the token's first letter, a third of
/// the matching time.) Most tokens start with three letters no prefix starts
/// with, so a bitmap of those first three letters turns them away first.
#[derive(Debug, Clone)]
struct PrefixTrie {
    nodes: Vec<PrefixNode>,
    /// Bit `start3(p)` is set for the first three letters of every prefix.
    starts: Vec<u64>,
    /// The shortest prefix, or one not made of three letters, turns the
    /// bitmap off: such a prefix could match tokens it does not cover.
    filter: bool,
}

/// (byte, child) sorted by byte, and the words whose prefix ends here.
type PrefixNode = (Vec<(u8, u32)>, Vec<WordId>);

impl Default for PrefixTrie {
    fn default() -> Self {
        PrefixTrie {
            nodes: vec![(Vec::new(), Vec::new())],
            starts: vec![0; (1 << 15) / 64],
            filter: true,
        }
    }
}

/// The first three bytes of `s` as 15 bits, if they are lower-case letters.
fn start3(s: &[u8]) -> Option<usize> {
    match s {
        [a @ b'a'..=b'z', b @ b'a'..=b'z', c @ b'a'..=b'z', ..] => {
            Some(((*a - b'a') as usize) << 10 | ((*b - b'a') as usize) << 5 | (*c - b'a') as usize)
        }
        _ => None,
    }
}

impl PrefixTrie {
    fn insert(&mut self, prefix: &str, word: WordId) {
        match start3(prefix.as_bytes()) {
            Some(k) => self.starts[k / 64] |= 1 << (k % 64),
            None => self.filter = false,
        }
        let mut node = 0usize;
        for &b in prefix.as_bytes() {
            let children = &self.nodes[node].0;
            node = match children.binary_search_by_key(&b, |c| c.0) {
                Ok(i) => children[i].1 as usize,
                Err(i) => {
                    let child = self.nodes.len();
                    self.nodes[node].0.insert(i, (b, child as u32));
                    self.nodes.push((Vec::new(), Vec::new()));
                    child
                }
            };
        }
        self.nodes[node].1.push(word);
    }

    /// Appends the words of every prefix of `token`.
    fn words_of(&self, token: &[u8], out: &mut Vec<WordId>) {
        if self.filter {
            match start3(token) {
                Some(k) if self.starts[k / 64] & (1 << (k % 64)) != 0 => {}
                _ => return,
            }
        }
        let mut node = 0usize;
        for &b in token {
            let children = &self.nodes[node].0;
            match children.binary_search_by_key(&b, |c| c.0) {
                Ok(i) => node = children[i].1 as usize,
                Err(_) => return,
            }
            out.extend_from_slice(&self.nodes[node].1);
        }
    }
}

pub struct Matcher {
    /// Unique among the matchers of a process, for the token cache.
    id: u64,
    /// Phrase words that take word forms, by match key.
    vocabulary: Vocabulary,
    /// `=exact` phrase words, by their text.
    exact: Vocabulary,
    /// The keys of `vocabulary`, sorted: two tokens can only form a closed
    /// compound of a phrase ("e mail" for "email") if the first starts a key.
    key_list: Vec<Box<str>>,
    prefixes: PrefixTrie,
    separators: Vec<String>,
    trie: Trie,
    words: Vec<WordPattern>,
    regexes: RuleRegexes,
}

/// Tokens seen by this thread, with the phrase words they stand for, for the
/// matcher with the id it holds. Stemming and three lookups per token were
/// half again the time per text; most tokens of a text were seen before.
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
        let i = self.key_list.partition_point(|k| **k < **buf);
        if !self
            .key_list
            .get(i)
            .is_some_and(|k| k.starts_with(buf.as_str()))
        {
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

    /// Every phrase and regex the engine matches, as regexes that ripgrep
    /// accepts: one line per phrase (its words' forms as alternations), then
    /// the rules' regexes as written. See `phrase_patterns` for how close a
    /// phrase's regex is to the engine's matching.
    pub fn export_patterns(&self) -> Vec<String> {
        let mut out: Vec<String> = self.phrase_patterns().into_iter().map(|(_, p)| p).collect();
        out.extend(self.regexes.patterns().map(str::to_string));
        out
    }

    /// As [`Matcher::export_patterns`], each with the atoms it stands for.
    pub fn export_patterns_with_atoms(&self) -> Vec<(Vec<AtomId>, String)> {
        let mut out = self.phrase_patterns();
        out.extend(
            self.regexes
                .patterns_with_atoms()
                .map(|(atom, p)| (vec![atom], p.to_string())),
        );
        out
    }

    /// One regex per phrase, with the atoms it stands for. Meant for `rg -i`
    /// and the Rust regex syntax. Each phrase matches where the engine matches
    /// it, with two approximations that only matter next to non-ASCII letters
    /// and underscores: word boundaries are ASCII ones (`(?-u:\b)`), because
    /// ripgrep's fast engine gives up on Unicode boundaries in non-ASCII text
    /// and runs about ten times slower; the engine's boundaries are its tokens
    /// (ASCII letters and digits and any non-ASCII character). Forms are
    /// written as their common stem and the endings (`hack(?:s|ed|ing)?`),
    /// which is the same set of strings and lets a regex engine look for the
    /// stem first; since the engine compares match keys, forms are
    /// approximated by their key and the letters after it. A closed word
    /// written with a hyphen ("e-mail" for `email`) is not exported.
    pub(crate) fn phrase_patterns(&self) -> Vec<(Vec<AtomId>, String)> {
        let mut out = Vec::new();
        let mut path = Vec::new();
        self.export_node(0, &mut path, &mut out);
        out
    }

    fn export_node(
        &self,
        node: NodeId,
        path: &mut Vec<(String, WordId)>,
        out: &mut Vec<(Vec<AtomId>, String)>,
    ) {
        let atoms = self.trie.atoms(node);
        if !atoms.is_empty() {
            let mut pattern = BOUNDARY.to_string();
            for (i, (sep, word)) in path.iter().enumerate() {
                pattern.push_str(sep);
                pattern.push_str(&self.word_regex(*word, i + 1 == path.len()));
            }
            out.push((atoms.to_vec(), pattern));
        }
        for &((sep, word), child) in self.trie.children(node) {
            let sep = if node == 0 {
                String::new()
            } else if self.separators[sep as usize] == " " {
                // What folding turns into the single space between words.
                r"[\s_/\x{2010}-\x{2015}\x{2212}-]+".to_string()
            } else {
                literal(&self.separators[sep as usize])
            };
            path.push((sep, word));
            self.export_node(child, path, out);
            path.pop();
        }
    }

    /// A phrase word. Inside a phrase, "model's" also stands for "model";
    /// the last word needs no such tail, since its match has ended.
    fn word_regex(&self, word: WordId, last: bool) -> String {
        let end = if last {
            BOUNDARY.to_string()
        } else {
            format!("(?:{APOSTROPHE}(?-u:\\w)+)?{BOUNDARY}")
        };
        match &self.words[word as usize] {
            WordPattern::Exact(w) => format!("{}{end}", literal(w)),
            // A token only has to start with a prefix word.
            WordPattern::Prefix(p) => literal(p),
            WordPattern::Forms(w) => format!("{}{end}", forms_regex(w)),
        }
    }
}

/// The tokens a word that takes forms matches, approximately: its usual
/// forms and any word that starts with its match key (short of a last `e` or
/// `i`, which the stemmer adds or turns from `y`). The engine compares keys,
/// which a regex cannot compute.
fn forms_regex(word: &str) -> String {
    let mut forms = word_forms(word);
    if let Some(base) = crate::text::word_key::irregular_base(word) {
        forms.extend(word_forms(base));
    }
    for variant in crate::text::word_key::spelling_variants(word) {
        forms.extend(word_forms(&variant));
    }
    // The key short of its last two letters, which the stemmer rewrites
    // ("disabilities" is "disabl", "study" is "studi", "using" is "use").
    let key = match_key(word);
    // "driving" is "drive", and so is "drove".
    forms.extend(word_forms(&key));
    let keep = key.len().saturating_sub(2).max(2).min(key.len());
    let stem = if key.is_char_boundary(keep) {
        &key[..keep]
    } else {
        &key
    };
    // "organis" also stands for "organiz".
    let stem = literal(stem).replace("is", "i[sz]").replace("ys", "y[sz]");
    format!("(?:{}|{stem}[a-z]*)", alternation(&forms))
}

/// An ASCII word boundary; see `Matcher::phrase_patterns`.
const BOUNDARY: &str = r"(?-u:\b)";

/// Every quote mark that folding turns into an apostrophe.
const APOSTROPHE: &str = r"['`\x{00B4}\x{02BC}\x{2018}\x{2019}\x{201B}]";

/// `s` as a regex of its spellings before folding.
fn literal(s: &str) -> String {
    regex::escape(s).replace('\'', APOSTROPHE)
}

/// Words as one group: their longest common prefix, then the endings.
fn alternation(words: &[String]) -> String {
    let first = words[0].as_str();
    let mut common = first.len();
    for w in &words[1..] {
        common = common.min(
            first
                .bytes()
                .zip(w.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while !first.is_char_boundary(common) {
        common -= 1;
    }
    let stem = &first[..common];
    let endings: Vec<&str> = words
        .iter()
        .map(|w| &w[common..])
        .filter(|e| !e.is_empty())
        .collect();
    if endings.is_empty() {
        return literal(stem);
    }
    let optional = endings.len() < words.len();
    let endings: Vec<String> = endings.iter().map(|e| literal(e)).collect();
    format!(
        "{}(?:{}){}",
        literal(stem),
        endings.join("|"),
        if optional { "?" } else { "" }
    )
}

/// Turns regex compile failures into taxonomy errors at the rules that use them.
pub fn regex_errors(
    failures: Vec<(AtomId, String)>,
    atoms: &AtomTable,
    users: &dyn Fn(AtomId) -> Vec<Location>,
) -> Vec<TaxonomyError> {
    failures
        .into_iter()
        .flat_map(|(atom, msg)| {
            let label = if (atom as usize) < atoms.len() {
                atoms.label(atom).to_string()
            } else {
                String::new()
            };
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
