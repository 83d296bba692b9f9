//! What the model sees in a text: word uni- and bigrams folded to a base word
//! form, each rule that fired and each lexicon with a hit. Fitting and
//! scoring walk a text with the same [`visit`], so a feature means the same
//! thing in both.

use crate::engine::{Analysis, Engine};
use std::borrow::Cow;

/// A feature found in a text. Words are what the caller's resolver made of
/// the tokens: their keys when fitting, their indices when scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a, W> {
    Word(&'a W),
    Pair(&'a W, &'a W),
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
pub fn name(found: Found<String>, engine: &Engine) -> String {
    match found {
        Found::Word(w) => format!("{WORD}{w}"),
        Found::Pair(a, b) => format!("{PAIR}{a} {b}"),
        Found::Rule(r) => format!("{RULE}{}", engine.taxonomy().rules[r].def.id),
        Found::Lexicon(l) => format!("{LEXICON}{}", engine.lexicon_name(l)),
    }
}

/// Folds a token of the folded text to the word key the matcher uses
/// ([`crate::text::match_key`]), so that "hacked", "hacking" and "hacks" are
/// one feature, as they are one word to the rules. A possessive is the word.
pub fn fold_word(token: &str) -> Cow<'_, str> {
    let token = token
        .strip_suffix("'s")
        .or_else(|| token.strip_suffix('\''))
        .unwrap_or(token);
    crate::text::match_key(token)
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

pub(crate) fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// Calls `emit` for every feature occurrence in the analysed text, with its
/// span in the folded text: each word and each pair of neighbouring words in
/// a sentence, each fired rule (at its first evidence) and each lexicon hit
/// that context does not mask.
/// Numbers are left out: years and counts say nothing about the kind of failure.
/// `word` gives a token's word (its key when fitting, its index in the
/// vocabulary when scoring) and whether it is a function word
/// ([`is_function_word`]).
pub(crate) fn visit<W>(
    engine: &Engine,
    a: &Analysis,
    mut word: impl FnMut(&str) -> (W, bool),
    mut emit: impl FnMut(Found<W>, Span),
) {
    let text = a.norm.text.as_str();
    // (word, is a function word) per token; None for a number.
    let forms: Vec<Option<(W, bool)>> = a
        .tokens
        .iter()
        .map(|t| {
            let token = &text[t.start as usize..t.end as usize];
            (!token.bytes().all(|b| b.is_ascii_digit())).then(|| word(token))
        })
        .collect();
    for (i, t) in a.tokens.iter().enumerate() {
        let Some((w, function)) = &forms[i] else {
            continue;
        };
        if !function {
            emit(Found::Word(w), (t.start, t.end));
        }
        if let Some(Some((next, next_function))) = forms.get(i + 1)
            && a.sentence_of_token[i] == a.sentence_of_token[i + 1]
            && !(*function && *next_function)
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
    // A hit an instruction or a pseudo-trigger covers ("told not to delete
    // files without permission") is no evidence for the rules, nor here.
    for (h, _) in a
        .hits
        .iter()
        .zip(&a.context)
        .filter(|(_, c)| c.masked_by.is_none())
    {
        for &l in engine.lexicons_of(h.atom) {
            emit(Found::Lexicon(l as usize), (h.start, h.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fold_word;
    use crate::text::match_key;

    #[test]
    fn inflections_fold_to_the_matchers_key() {
        for w in ["hacked", "hacking", "hacks", "hack"] {
            assert_eq!(fold_word(w), match_key("hack"), "{w}");
        }
        assert_eq!(fold_word("model's"), match_key("model"));
        assert_eq!(fold_word("optimised"), fold_word("optimized"));
        assert_eq!(fold_word("stole"), fold_word("steal"));
    }

    #[test]
    fn function_words_are_sorted_for_binary_search() {
        assert!(super::FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
