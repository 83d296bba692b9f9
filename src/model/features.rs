//! What the model sees in a text: word uni- and bigrams folded to a base word
//! form, each rule that fired and each lexicon with a hit. Fitting and
//! scoring walk a text with the same [`visit`], so a feature means the same
//! thing in both.

use crate::engine::{Analysis, Engine};
use std::borrow::Cow;

/// A feature found in a text. Words are folded forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a> {
    Word(&'a str),
    Pair(&'a str, &'a str),
    /// A fired rule, by its index in the taxonomy.
    Rule(usize),
    /// A lexicon with a hit, by its index in the taxonomy's (sorted) lexicons.
    Lexicon(usize),
}

/// A half-open span of the folded text.
pub type Span = (u32, u32);

/// The prefixes of feature names in a model file.
pub const WORD: &str = "w:";
pub const PAIR: &str = "b:";
pub const RULE: &str = "r:";
pub const LEXICON: &str = "l:";

/// A feature's name in a model file: `w:police`, `b:face recognition`,
/// `r:governance.surveillance`, `l:harm`.
pub fn name(found: Found, engine: &Engine) -> String {
    match found {
        Found::Word(w) => format!("{WORD}{w}"),
        Found::Pair(a, b) => format!("{PAIR}{a} {b}"),
        Found::Rule(r) => format!("{RULE}{}", engine.taxonomy().rules[r].def.id),
        Found::Lexicon(l) => format!("{LEXICON}{}", engine.lexicon_name(l)),
    }
}

/// Folds a token of the folded text to the base form the model counts, so
/// that "hacked", "hacking" and "hacks" are one feature. The inverse, roughly,
/// of the forms the matcher expands a phrase word into
/// ([`crate::text::inflect::word_forms`]); short words stay as they are.
pub fn fold_word(token: &str) -> Cow<'_, str> {
    let token = token
        .strip_suffix("'s")
        .or_else(|| token.strip_suffix('\''))
        .unwrap_or(token);
    let b = token.as_bytes();
    let n = b.len();
    if n < 5 || !b.iter().all(|c| c.is_ascii_lowercase()) {
        return Cow::Borrowed(token);
    }
    if let Some(stem) = token.strip_suffix("ies") {
        return Cow::Owned(format!("{stem}y"));
    }
    if let Some(stem) = token.strip_suffix("ied") {
        return Cow::Owned(format!("{stem}y"));
    }
    for suffix in ["ing", "ed"] {
        if let Some(stem) = token.strip_suffix(suffix)
            && stem.len() >= 3
            && stem.bytes().any(is_vowel)
        {
            return Cow::Borrowed(undouble(stem));
        }
    }
    if token.ends_with("sses") || token.ends_with("ches") || token.ends_with("shes") {
        return Cow::Borrowed(&token[..n - 2]);
    }
    if token.ends_with('s') && !token.ends_with("ss") && !token.ends_with("us") {
        return Cow::Borrowed(&token[..n - 1]);
    }
    Cow::Borrowed(token)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// "stopp" -> "stop" (from "stopped"); "fall" stays.
fn undouble(stem: &str) -> &str {
    let b = stem.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'f') {
        &stem[..n - 1]
    } else {
        stem
    }
}

/// Function words: alone they say nothing about the kind of failure, yet
/// with a few hundred labels the model would still learn weights for them
/// (and show them as evidence). Pairs keep them ("failed to", "used by")
/// unless both words are on the list. Sorted for binary search.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "not", "of",
    "on", "one", "or", "other", "our", "over", "she", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "two",
    "up", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with",
    "would", "you",
];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// Calls `emit` for every feature occurrence in the analysed text, with its
/// span in the folded text: each word and each pair of neighbouring words in
/// a sentence, each fired rule (at its first evidence) and each lexicon hit.
/// Numbers are left out: years and counts say nothing about the kind of failure.
pub(crate) fn visit(engine: &Engine, a: &Analysis, mut emit: impl FnMut(Found, Span)) {
    let text = a.norm.text.as_str();
    let forms: Vec<Option<Cow<str>>> = a
        .tokens
        .iter()
        .map(|t| {
            let token = &text[t.start as usize..t.end as usize];
            (!token.bytes().all(|b| b.is_ascii_digit())).then(|| fold_word(token))
        })
        .collect();
    for (i, t) in a.tokens.iter().enumerate() {
        let Some(w) = &forms[i] else { continue };
        let function = is_function_word(w);
        if !function {
            emit(Found::Word(w), (t.start, t.end));
        }
        if let Some(Some(next)) = forms.get(i + 1)
            && a.sentence_of_token[i] == a.sentence_of_token[i + 1]
            && !(function && is_function_word(next))
        {
            emit(Found::Pair(w, next), (t.start, a.tokens[i + 1].end));
        }
    }
    for f in &a.fired {
        if let Some(&first) = f.evidence.iter().min_by_key(|&&h| a.hits[h as usize].start) {
            let h = &a.hits[first as usize];
            emit(Found::Rule(f.rule), (h.start, h.end));
        }
    }
    for h in &a.hits {
        for &l in engine.lexicons_of(h.atom) {
            emit(Found::Lexicon(l as usize), (h.start, h.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fold_word;

    #[test]
    fn inflections_fold_to_one_form() {
        for w in ["hacked", "hacking", "hacks", "hack"] {
            assert_eq!(fold_word(w), "hack", "{w}");
        }
        assert_eq!(fold_word("stopped"), "stop");
        assert_eq!(fold_word("policies"), "policy");
        assert_eq!(fold_word("denied"), "deny");
        assert_eq!(fold_word("model's"), "model");
        assert_eq!(fold_word("watches"), "watch");
    }

    #[test]
    fn function_words_are_sorted_for_binary_search() {
        assert!(super::FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn short_and_odd_words_stay() {
        for w in ["ai", "bus", "news", "class", "status", "gps", "covid19", "was"] {
            assert_eq!(fold_word(w), w.trim_end_matches("'s"), "{w}");
        }
        assert_eq!(fold_word("fallen"), "fallen");
        assert_eq!(fold_word("red"), "red");
    }
}
