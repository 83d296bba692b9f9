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
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        // Start offset of a run of white space not yet written out.
        let mut pending_space: Option<u32> = None;
        for (i, c) in original.char_indices() {
            let at = i as u32;
            if c.is_whitespace() || is_dash(c) {
                pending_space.get_or_insert(at);
                continue;
            }
            if let Some(start) = pending_space.take() {
                if !text.is_empty() {
                    text.push(' ');
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
                c if c.is_ascii() => text.push(c.to_ascii_lowercase()),
                c => text.extend(c.to_lowercase()),
            }
            origin.extend(std::iter::repeat_n(at, text.len() - before));
        }
        origin.push(original.len() as u32);
        // A paragraph break inside the text is marked by replacing the space
        // that stands for it with a newline; see `mark_paragraphs`.
        let mut norm = NormText { text, origin };
        norm.mark_paragraphs(original);
        norm
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

    fn mark_paragraphs(&mut self, original: &str) {
        let bytes = original.as_bytes();
        // Safety of the byte edit: we only swap one ASCII space for one ASCII newline.
        let mut text = std::mem::take(&mut self.text).into_bytes();
        for (i, b) in text.iter_mut().enumerate() {
            if *b != b' ' {
                continue;
            }
            let start = self.origin[i] as usize;
            let end = self.origin[i + 1] as usize;
            let newlines = bytes[start..end].iter().filter(|&&c| c == b'\n').count();
            if newlines >= 2 {
                *b = b'\n';
            }
        }
        self.text = String::from_utf8(text).expect("only ASCII bytes were replaced");
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '_' | '/')
}

/// Folds a phrase from a rule file the same way as text, so both meet in the
/// middle.
pub fn fold_phrase(phrase: &str) -> String {
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
        return phrase.to_string();
    }
    NormText::new(phrase).text.replace('\n', " ")
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

    #[test]
    fn blank_lines_become_paragraph_breaks() {
        let n = NormText::new("one\n\ntwo\nthree");
        assert_eq!(n.text, "one\ntwo three");
    }
}
