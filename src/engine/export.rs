//! The matcher's phrases and regexes as patterns ripgrep accepts
//! (`aitag taxonomy --patterns`), for searching a corpus for what the rules
//! would match.

use super::hit::AtomId;
use super::matcher::Matcher;
use super::phrase_syntax::WordPattern;
use super::phrase_trie::{NodeId, WordId};
use crate::text::inflect::word_forms;
use crate::text::match_key;

impl Matcher {
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

    pub(super) fn export_node(
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
    pub(super) fn word_regex(&self, word: WordId, last: bool) -> String {
        let end = if last {
            BOUNDARY.to_string()
        } else {
            format!("(?:{APOSTROPHE}(?-u:\\w)+)?{BOUNDARY}")
        };
        match &self.words.0[word as usize] {
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
pub(super) fn forms_regex(word: &str) -> String {
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
pub(super) const BOUNDARY: &str = r"(?-u:\b)";

/// Every quote mark that folding turns into an apostrophe.
pub(super) const APOSTROPHE: &str = r"['`\x{00B4}\x{02BC}\x{2018}\x{2019}\x{201B}]";

/// `s` as a regex of its spellings before folding.
pub(super) fn literal(s: &str) -> String {
    regex::escape(s).replace('\'', APOSTROPHE)
}

/// Words as one group: their longest common prefix, then the endings.
pub(super) fn alternation(words: &[String]) -> String {
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
