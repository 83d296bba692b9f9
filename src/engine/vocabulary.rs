//! Which phrase words a token can stand for: the match keys of the words
//! that take forms, the exact words, and the prefix words.

use super::interner::StrMap;
use super::phrase_syntax::WordPattern;
use super::phrase_trie::WordId;
use crate::text::inflect::for_each_form;
use crate::text::match_key;

/// The match keys of the phrase words that take word forms, the exact
/// words, and the prefix words, each with the words they stand for.
///
/// A word stands under its own key (`match_key`), which covers its
/// inflections both ways, and under the keys of its agent nouns and `-ion`
/// nouns ("hack" also matches "hackers", "detect" "detection"), which the
/// stemmer keeps apart from the verb.
pub(super) fn vocabulary(words: &[WordPattern]) -> (Vocabulary, Vocabulary, PrefixTrie) {
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
// build.rs, sorted by word: [word start, word length, key start, key
// length] in `MATCH_KEYS_TEXT`.
include!(concat!(env!("OUT_DIR"), "/keys.rs"));

/// `match_key(word)`, from the build-time table when the word is in it.
pub(super) fn known_key(word: &str) -> std::borrow::Cow<'_, str> {
    let at = |start: u32, len: u32| &MATCH_KEYS_TEXT[start as usize..(start + len) as usize];
    match MATCH_KEYS.binary_search_by(|&[w, w_len, _, _]| at(w, w_len).cmp(word)) {
        Ok(i) => at(MATCH_KEYS[i][2], MATCH_KEYS[i][3]).into(),
        Err(_) => match_key(word),
    }
}

/// The phrase words each word form can stand for. Nearly always one
/// ("hacked" is only "hack"), kept as the form's value; the few forms of
/// several words point into `shared`. A lookup, once per token, reads one
/// entry and the form's text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Vocabulary {
    pub(super) forms: StrMap,
    #[serde(with = "super::flat::nested")]
    pub(super) shared: Vec<Vec<WordId>>,
}

/// Marks a `Vocabulary` value that is an index into `shared`.
pub(super) const SHARED: u32 = 1 << 31;

impl Vocabulary {
    /// Room for about `forms` forms.
    pub(super) fn with_capacity(forms: usize) -> Vocabulary {
        Vocabulary {
            forms: StrMap::with_capacity(forms, forms * 8),
            shared: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, form: &str, id: WordId) {
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
    pub(super) fn get(&self, form: &str) -> &[WordId] {
        match self.forms.get(form) {
            None => &[],
            Some(&i) if i & SHARED != 0 => &self.shared[(i & !SHARED) as usize],
            Some(id) => std::slice::from_ref(id),
        }
    }
}

/// The prefix words (`optimi*`) as a byte trie that a token walks byte by
/// byte, collecting every prefix it passes, in time that grows with the
/// token, not with the number of prefixes (as a sorted list scanned back
/// from the token would). Most tokens start with three letters no prefix
/// starts with, so a bitmap of those first three letters turns them away first.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct PrefixTrie {
    #[serde(with = "nodes")]
    pub(super) nodes: Vec<PrefixNode>,
    /// Bit `start3(p)` is set for the first three letters of every prefix.
    #[serde(with = "super::flat")]
    pub(super) starts: Vec<u64>,
    /// The shortest prefix, or one not made of three letters, turns the
    /// bitmap off: such a prefix could match tokens it does not cover.
    pub(super) filter: bool,
}

/// (byte, child) sorted by byte, and the words whose prefix ends here.
pub(super) type PrefixNode = (Vec<(u8, u32)>, Vec<WordId>);

/// The nodes as two nested lists (children, words), each written flat.
mod nodes {
    use super::PrefixNode;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Stored {
        #[serde(with = "crate::engine::flat::nested")]
        children: Vec<Vec<(u8, u32)>>,
        #[serde(with = "crate::engine::flat::nested")]
        words: Vec<Vec<u32>>,
    }

    pub fn serialize<S: Serializer>(nodes: &[PrefixNode], s: S) -> Result<S::Ok, S::Error> {
        let (children, words) = nodes.iter().cloned().unzip();
        Stored { children, words }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PrefixNode>, D::Error> {
        let Stored { children, words } = Stored::deserialize(d)?;
        let n = children.len();
        if words.len() != n || children.iter().flatten().any(|&(_, c)| c as usize >= n) {
            return Err(serde::de::Error::custom("the prefix trie's nodes disagree"));
        }
        Ok(children.into_iter().zip(words).collect())
    }
}

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
pub(super) fn start3(s: &[u8]) -> Option<usize> {
    match s {
        [a @ b'a'..=b'z', b @ b'a'..=b'z', c @ b'a'..=b'z', ..] => {
            Some(((*a - b'a') as usize) << 10 | ((*b - b'a') as usize) << 5 | (*c - b'a') as usize)
        }
        _ => None,
    }
}

impl PrefixTrie {
    pub(super) fn insert(&mut self, prefix: &str, word: WordId) {
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
    pub(super) fn words_of(&self, token: &[u8], out: &mut Vec<WordId>) {
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
