//! Quoting evidence: the words around a match, cut at sentence ends, with the
//! matched spans marked.

/// How far a quote reaches on each side of the evidence, in bytes.
const REACH: usize = 90;

/// A part of a quote: plain text, or matched evidence to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Plain(&'a str),
    Match(&'a str),
}

/// The quote around `spans` (byte ranges of `text`), as pieces, plus whether
/// it was cut at the front and at the back. `sentences` are the text's
/// sentences as the engine's segmenter found them (byte ranges, in order):
/// the quote starts and ends where they do, within reach. Without them
/// (a text the engine did not segment), a full stop followed by a space ends
/// a sentence.
pub fn quote<'a>(
    text: &'a str,
    spans: &[(usize, usize)],
    sentences: &[(usize, usize)],
) -> (Vec<Piece<'a>>, bool, bool) {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|(s, e)| s < e && *e <= text.len())
        .collect();
    spans.sort_unstable();
    // Overlapping matches ("the model", "model weights") are shown as one.
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let spans = merged;
    if spans.is_empty() {
        return (Vec::new(), false, false);
    }
    let first = spans[0].0;
    let last = spans.iter().map(|s| s.1).max().unwrap_or(first);
    let start = segmented_start(sentences, first).unwrap_or_else(|| sentence_start(text, first));
    let end = segmented_end(text, sentences, last).unwrap_or_else(|| sentence_end(text, last));
    let mut pieces = Vec::new();
    let mut at = start;
    for (s, e) in spans {
        let s = s.max(at);
        if s >= e {
            continue;
        }
        if s > at {
            pieces.push(Piece::Plain(&text[at..s]));
        }
        pieces.push(Piece::Match(&text[s..e]));
        at = e;
    }
    if end > at {
        pieces.push(Piece::Plain(&text[at..end]));
    }
    // White space is no text left out: a text that ends in a newline is
    // quoted to its end without a "…".
    let cut_front = !text[..start].trim().is_empty();
    let cut_back = !text[end..].trim().is_empty();
    (pieces, cut_front, cut_back)
}

/// The start of the segmenter's sentence that holds byte `at`, when it is
/// within reach.
fn segmented_start(sentences: &[(usize, usize)], at: usize) -> Option<usize> {
    let i = sentences.partition_point(|s| s.0 <= at).checked_sub(1)?;
    let start = sentences[i].0;
    (at - start <= REACH).then_some(start)
}

/// The end of the segmenter's sentence that holds the byte before `at`, when
/// it is within reach (white space at its end left out).
fn segmented_end(text: &str, sentences: &[(usize, usize)], at: usize) -> Option<usize> {
    let i = sentences.partition_point(|s| s.0 < at).checked_sub(1)?;
    let end = sentences[i].1.max(at).min(text.len());
    (end - at <= REACH).then(|| at + text[at..end].trim_end().len())
}

fn sentence_start(text: &str, from: usize) -> usize {
    let floor = floor_char(text, from.saturating_sub(REACH));
    let window = &text[floor..from];
    let cut = window
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?' | '\n')
                && window[i + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map(|(i, c)| floor + i + c.len_utf8());
    let s = match cut {
        Some(s) => s,
        // No sentence start in reach: begin at a word.
        None if floor > 0 => text[floor..from]
            .find(' ')
            .map(|i| floor + i)
            .unwrap_or(floor),
        None => 0,
    };
    s + text[s..from].len() - text[s..from].trim_start().len()
}

fn sentence_end(text: &str, from: usize) -> usize {
    let ceil = ceil_char(text, (from + REACH).min(text.len()));
    let window = &text[from..ceil];
    let cut = window
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?' | '\n')
                && (window[i + c.len_utf8()..].is_empty()
                    || window[i + c.len_utf8()..].starts_with(char::is_whitespace))
        })
        .map(|(i, c)| from + i + c.len_utf8());
    let e = match cut {
        Some(e) => e,
        None if ceil < text.len() => text[from..ceil]
            .rfind(' ')
            .map(|i| from + i)
            .unwrap_or(ceil),
        None => text.len(),
    };
    from + text[from..e].trim_end().len()
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_the_sentence_around_the_match() {
        let text = "First sentence. The model was hacked by a group. Last one.";
        let at = text.find("hacked").unwrap();
        let (pieces, cut_front, cut_back) = quote(text, &[(at, at + 6)], &[]);
        assert_eq!(
            pieces,
            vec![
                Piece::Plain("The model was "),
                Piece::Match("hacked"),
                Piece::Plain(" by a group.")
            ]
        );
        assert!(cut_front && cut_back);
    }

    #[test]
    fn white_space_around_the_quote_is_not_a_cut() {
        let text = "  Hackers stole the weights.\n";
        let (_, front, back) = quote(text, &[(2, 9)], &[]);
        assert!(!front && !back);
        let (_, _, back) = quote("Hackers stole it. Then more.\n", &[(0, 7)], &[]);
        assert!(back);
    }

    #[test]
    fn the_segmenters_sentences_keep_an_abbreviation_whole() {
        let text = "Officials in the U.S. said the model was hacked. Then more.";
        let at = text.find("hacked").unwrap();
        // Without sentences, "U.S. said" looks like a sentence end.
        let (pieces, _, _) = quote(text, &[(at, at + 6)], &[]);
        assert_eq!(pieces[0], Piece::Plain("said the model was "));
        let first = text.find(" Then").unwrap();
        let sentences = [(0, first), (first + 1, text.len())];
        let (pieces, front, back) = quote(text, &[(at, at + 6)], &sentences);
        assert_eq!(
            pieces,
            vec![
                Piece::Plain("Officials in the U.S. said the model was "),
                Piece::Match("hacked"),
                Piece::Plain(".")
            ]
        );
        assert!(!front && back);
    }
}
