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
/// it was cut at the front and at the back.
pub fn quote<'a>(text: &'a str, spans: &[(usize, usize)]) -> (Vec<Piece<'a>>, bool, bool) {
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
    let start = sentence_start(text, first);
    let end = sentence_end(text, last);
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
        let (pieces, cut_front, cut_back) = quote(text, &[(at, at + 6)]);
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
        let (_, front, back) = quote(text, &[(2, 9)]);
        assert!(!front && !back);
        let (_, _, back) = quote("Hackers stole it. Then more.\n", &[(0, 7)]);
        assert!(back);
    }
}
