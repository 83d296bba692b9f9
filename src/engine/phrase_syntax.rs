//! The syntax of a phrase: its folded key, its words, and what each word
//! accepts (`=exact`, `prefix*`, or the word with its forms).

/// What one word of a phrase accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(super) enum WordPattern {
    /// The word and its usual forms.
    Forms(Box<str>),
    /// Exactly this word.
    Exact(Box<str>),
    /// Any word that starts with this.
    Prefix(Box<str>),
}

/// The kind of a phrase word, without its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordKind {
    Forms = 0,
    Exact = 1,
    Prefix = 2,
}

/// A phrase word while building: its kind and its text in the phrase key.
pub(super) type WordRef<'a> = (WordKind, &'a str);

/// The words of a folded phrase key, each with the separator before it
/// (none for the first word). An iterator, not a vector: start-up splits
/// thousands of phrases.
pub(super) fn split_phrase(key: &str) -> impl Iterator<Item = (Option<&str>, WordRef<'_>)> {
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
pub(super) fn word_spans(body: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
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
