//! Text normalisation that remembers where every byte came from.
//!
//! Matching runs on a folded copy of the text (lower case, one kind of quote,
//! hyphens and dashes as spaces, white space collapsed) so that rule authors do
//! not have to list spelling variants. Evidence, however, must point into the
//! text the user gave us, so every byte of the folded copy keeps the offset of
//! the original character it came from.

/// A folded copy of a text with a map back to the original byte offsets.
#[derive(Debug, Clone)]
pub struct NormText {
    pub text: String,
    /// `origin[i]` is the original byte offset of the character that produced
    /// folded byte `i`; one extra entry holds the original length.
    origin: Vec<u32>,
}

impl NormText {
    /// Folds `original`. Paragraph breaks (a blank line) become `\n` so that
    /// sentence splitting can see them; every other run of white space becomes
    /// one space.
    pub fn new(original: &str) -> NormText {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        // Start offset of a run of white space not yet written out, and how
        // many line breaks it holds (two or more make a paragraph break).
        let mut pending_space: Option<u32> = None;
        let mut newlines = 0u32;
        let mut i = 0;
        // Folding was a fifth of the time per text, so runs of ASCII letters,
        // digits and punctuation (most of any text) are copied and lower-cased
        // in bulk; other characters are decoded and folded one by one.
        while i < bytes.len() {
            let at = i as u32;
            let b = bytes[i];
            if PLAIN[b as usize] {
                let run = bytes[i..]
                    .iter()
                    .take_while(|&&b| PLAIN[b as usize])
                    .count();
                flush_space(&mut text, &mut origin, &mut pending_space, &mut newlines);
                let before = text.len();
                text.push_str(&original[i..i + run]);
                text[before..].make_ascii_lowercase();
                origin.extend(at..at + run as u32);
                i += run;
                continue;
            }
            let c = if b < 0x80 {
                i += 1;
                match b {
                    b'\n' => {
                        newlines += 1;
                        pending_space.get_or_insert(at);
                        continue;
                    }
                    b' ' | b'\t' | b'\r' | 0x0B | 0x0C | b'-' | b'_' | b'/' => {
                        pending_space.get_or_insert(at);
                        continue;
                    }
                    _ => b as char,
                }
            } else {
                let c = original[i..].chars().next().expect("at a char boundary");
                i += c.len_utf8();
                if c.is_whitespace() || is_dash(c) {
                    pending_space.get_or_insert(at);
                    continue;
                }
                c
            };
            flush_space(&mut text, &mut origin, &mut pending_space, &mut newlines);
            let before = text.len();
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                    text.push('\'')
                }
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => text.push('"'),
                '\u{2026}' => text.push_str("..."),
                c if c.is_ascii() => {
                    text.push(c.to_ascii_lowercase());
                    origin.push(at);
                    continue;
                }
                c => text.extend(c.to_lowercase()),
            }
            origin.extend(std::iter::repeat_n(at, text.len() - before));
        }
        origin.push(original.len() as u32);
        NormText { text, origin }
    }

    /// The original byte offset of folded byte `i` (or of the end, for `len`).
    pub fn orig(&self, i: usize) -> usize {
        self.origin[i] as usize
    }

    /// Maps a half-open folded span to the half-open original span it covers.
    pub fn orig_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.orig(start);
        if end == 0 || end <= start {
            return (s, s);
        }
        // The end is just past the original character behind the last folded byte.
        let last = self.orig(end - 1);
        let next = (end..self.origin.len())
            .map(|j| self.origin[j])
            .find(|&o| o as usize > last)
            .map(|o| o as usize)
            .unwrap_or(last + 1);
        (s, next)
    }
}

/// Writes out a pending run of white space as one space, or as a newline if
/// it held a blank line (a paragraph break); none at the start of the text.
fn flush_space(
    text: &mut String,
    origin: &mut Vec<u32>,
    pending: &mut Option<u32>,
    newlines: &mut u32,
) {
    if let Some(start) = pending.take() {
        if !text.is_empty() {
            text.push(if *newlines >= 2 { '\n' } else { ' ' });
            origin.push(start);
        }
        *newlines = 0;
    }
}

/// ASCII bytes that fold to themselves, lower-cased: everything but white
/// space, the characters that fold to a space, and the backtick (a quote).
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b < 0x7F {
        t[b] = !matches!(b as u8, b'-' | b'_' | b'/' | b'`');
        b += 1;
    }
    t
};

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '_' | '/')
}

/// Folds a phrase from a rule file the same way as text, so both meet in the
/// middle.
pub fn fold_phrase(phrase: &str) -> std::borrow::Cow<'_, str> {
    let phrase = phrase.trim();
    // Nearly every phrase in a rule file is already folded (lower-case ASCII
    // words, single spaces), and start-up folds thousands of them.
    let mut prev_space = false;
    let folded = phrase.bytes().all(|b| {
        let ok = match b {
            b' ' => !prev_space,
            b'a'..=b'z' | b'0'..=b'9' | b'\'' | b'*' | b'=' | b'.' | b',' => true,
            _ => false,
        };
        prev_space = b == b' ';
        ok
    });
    if folded {
        return phrase.into();
    }
    NormText::new(phrase).text.replace('\n', " ").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_dashes_and_space() {
        let n = NormText::new("The  AI’s self-driving\tMode");
        assert_eq!(n.text, "the ai's self driving mode");
    }

    #[test]
    fn maps_spans_back_to_original_bytes() {
        let original = "Ünsafe — “Model” weights";
        let n = NormText::new(original);
        let at = n.text.find("model").unwrap();
        let (s, e) = n.orig_span(at, at + "model".len());
        assert_eq!(&original[s..e], "Model");
        let at = n.text.find("ünsafe").unwrap();
        let (s, e) = n.orig_span(at, at + "ünsafe".len());
        assert_eq!(&original[s..e], "Ünsafe");
    }

    #[test]
    fn phrases_fold_like_text() {
        for p in [
            "model weights",
            " =a.i. ",
            "optimi*",
            "Self-Driving  car",
            "it\u{2019}s",
            "no\n\nway",
            "a,b",
            "x_y/z",
            "café",
        ] {
            assert_eq!(
                fold_phrase(p),
                NormText::new(p.trim()).text.replace('\n', " "),
                "{p:?}"
            );
        }
    }

    /// The plain char-by-char fold the byte path must agree with.
    fn reference(original: &str) -> (String, Vec<u32>) {
        let mut text = String::new();
        let mut origin = Vec::new();
        let mut pending: Option<u32> = None;
        for (i, c) in original.char_indices() {
            if c.is_whitespace() || is_dash(c) {
                pending.get_or_insert(i as u32);
                continue;
            }
            if let Some(start) = pending.take() {
                if !text.is_empty() {
                    let run = &original[start as usize..i];
                    let para = run.bytes().filter(|&b| b == b'\n').count() >= 2;
                    text.push(if para { '\n' } else { ' ' });
                    origin.push(start);
                }
            }
            let before = text.len();
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                    text.push('\'')
                }
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => text.push('"'),
                '\u{2026}' => text.push_str("..."),
                c => text.extend(c.to_lowercase()),
            }
            origin.extend(std::iter::repeat_n(i as u32, text.len() - before));
        }
        origin.push(original.len() as u32);
        (text, origin)
    }

    #[test]
    fn byte_path_agrees_with_the_char_by_char_fold() {
        let mut texts: Vec<String> = [
            "",
            "  lead and trail \n\n",
            "one\n\ntwo\n three\r\n\r\nfour",
            "\u{2028}x\u{00A0}y\u{3000}z",
            "Ünsafe — “Model” weights… İstanbul ΣΑΣ ǅ ß `quote´",
            "self-driving_cars/robots \u{2212}5 \u{2013} \u{2010}",
            "tab\tvt\u{0B}ff\u{0C}cr\r\u{1C}unit sep",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let data = include_str!("../../tests/data/aiid/incidents.jsonl");
        texts.extend(data.lines().map(String::from));
        for t in &texts {
            let n = NormText::new(t);
            assert_eq!((n.text.clone(), n.origin.clone()), reference(t), "{t:?}");
        }
    }

    #[test]
    fn blank_lines_become_paragraph_breaks() {
        let n = NormText::new("one\n\ntwo\nthree");
        assert_eq!(n.text, "one\ntwo three");
    }
}
