//! Words and sentences of a folded text.
//!
//! Rules are scoped to a sentence and `near` counts words, so both are
//! computed once per text. The splitter is deliberately simple (no model):
//! incident descriptions are short, edited prose.

use super::normalize::NormText;

/// A word: a maximal run of letters and digits, with inner apostrophes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
}

/// A sentence as a half-open range of folded bytes and of token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: u32,
    pub end: u32,
    pub first_token: u32,
    pub end_token: u32,
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "st",
    "jr", "sr", "no", "approx", "dept", "gov", "sen", "rep", "u.s", "u.k", "e.u", "u.n", "fig",
    "al",
];

pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Splits the folded text into tokens and sentences.
pub fn segment(norm: &NormText, original: &str) -> (Vec<Token>, Vec<Sentence>) {
    let text = norm.text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentences = Vec::new();
    let mut sentence_start = 0usize;
    let mut sentence_first_token = 0usize;
    let mut i = 0usize;
    while i < text.len() {
        let b = text[i];
        if is_word_byte(b) {
            let start = i;
            while i < text.len()
                && (is_word_byte(text[i])
                    || (text[i] == b'\''
                        && i + 1 < text.len()
                        && is_word_byte(text[i + 1])
                        && i > start))
            {
                i += 1;
            }
            tokens.push(Token {
                start: start as u32,
                end: i as u32,
            });
            continue;
        }
        let ends_sentence = match b {
            b'\n' => true,
            b'.' | b'!' | b'?' => is_sentence_end(norm, original, &tokens, i),
            _ => false,
        };
        i += 1;
        if ends_sentence {
            // Swallow closing quotes and brackets that belong to this sentence.
            while i < text.len()
                && matches!(text[i], b'"' | b'\'' | b')' | b']' | b'.' | b'!' | b'?')
            {
                i += 1;
            }
            push_sentence(
                &mut sentences,
                sentence_start,
                i,
                sentence_first_token,
                tokens.len(),
            );
            sentence_start = i;
            sentence_first_token = tokens.len();
        }
    }
    push_sentence(
        &mut sentences,
        sentence_start,
        text.len(),
        sentence_first_token,
        tokens.len(),
    );
    (tokens, sentences)
}

fn push_sentence(
    out: &mut Vec<Sentence>,
    start: usize,
    end: usize,
    first: usize,
    end_token: usize,
) {
    if end_token > first {
        out.push(Sentence {
            start: start as u32,
            end: end as u32,
            first_token: first as u32,
            end_token: end_token as u32,
        });
    }
}

/// A full stop ends a sentence when white space follows and the next word does
/// not start in lower case, and the word before it is not an abbreviation.
fn is_sentence_end(norm: &NormText, original: &str, tokens: &[Token], dot: usize) -> bool {
    let text = norm.text.as_bytes();
    if dot + 1 < text.len() && !matches!(text[dot + 1], b' ' | b'\n' | b'"' | b'\'' | b')') {
        return false;
    }
    if text[dot] != b'.' {
        return true;
    }
    if let Some(prev) = tokens.last() {
        if prev.end as usize == dot {
            let word = &norm.text[prev.start as usize..prev.end as usize];
            // "U.S." is tokenised as "u" "s": look one token further back.
            let joined = if prev.start >= 2 && text[prev.start as usize - 1] == b'.' {
                let before = tokens.len().checked_sub(2).map(|k| tokens[k]);
                before
                    .filter(|t| t.end + 1 == prev.start)
                    .map(|t| format!("{}.{}", &norm.text[t.start as usize..t.end as usize], word))
            } else {
                None
            };
            if word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic() {
                return false;
            }
            if ABBREVIATIONS.contains(&word)
                || joined
                    .as_deref()
                    .is_some_and(|j| ABBREVIATIONS.contains(&j))
            {
                return false;
            }
        }
    }
    // Look at the next visible character in the original: lower case means the
    // sentence goes on ("approx. two hundred").
    let next = text[dot + 1..]
        .iter()
        .position(|&c| c != b' ' && c != b'"' && c != b'\'');
    match next {
        None => true,
        Some(k) => {
            let at = norm.orig(dot + 1 + k);
            !original[at..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
        }
    }
}

/// Index of the token that contains or follows folded byte `at`.
pub fn token_at(tokens: &[Token], at: usize) -> usize {
    tokens.partition_point(|t| (t.end as usize) <= at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(s: &str) -> Vec<String> {
        let n = NormText::new(s);
        let (_, sents) = segment(&n, s);
        sents
            .iter()
            .map(|x| n.text[x.start as usize..x.end as usize].trim().to_string())
            .collect()
    }

    #[test]
    fn splits_on_full_stops_but_not_abbreviations() {
        assert_eq!(
            sentences("The U.S. Army used it. It failed! Dr. Smith said so, e.g. twice."),
            vec![
                "the u.s. army used it.",
                "it failed!",
                "dr. smith said so, e.g. twice."
            ]
        );
    }

    #[test]
    fn decimals_and_lowercase_continuations_stay_together() {
        assert_eq!(
            sentences("Version 3.5 was used. approx. ten"),
            vec!["version 3.5 was used. approx. ten"]
        );
    }

    #[test]
    fn tokens_keep_inner_apostrophes() {
        let s = "The model's output didn't help";
        let n = NormText::new(s);
        let (toks, _) = segment(&n, s);
        let words: Vec<_> = toks
            .iter()
            .map(|t| &n.text[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(words, vec!["the", "model's", "output", "didn't", "help"]);
    }
}
