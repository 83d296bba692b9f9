//! Character offsets beside the byte offsets of evidence. The library's
//! JSON gives spans as byte offsets into the UTF-8 text (`start`, `end`);
//! Python slices strings by code point, so each span also gets `char_start`
//! and `char_end` (added in to_python.rs).

/// Byte offset to character offset in one text.
pub struct CharIndex<'t> {
    text: &'t str,
    ascii: bool,
}

impl<'t> CharIndex<'t> {
    pub fn new(text: &'t str) -> CharIndex<'t> {
        CharIndex {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// The number of characters that start before byte `b`: the character
    /// offset of `b` when it is a character boundary, as every span end is.
    pub fn of(&self, b: usize) -> usize {
        if self.ascii {
            return b.min(self.text.len());
        }
        self.text.char_indices().take_while(|&(i, _)| i < b).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points() {
        let text = "Déjà vu: the 🤖 lied";
        let index = CharIndex::new(text);
        let start = text.find("lied").unwrap();
        assert_eq!(index.of(start), text[..start].chars().count());
        assert_eq!(index.of(text.len()), text.chars().count());
        assert_eq!(index.of(0), 0);
        assert_eq!(CharIndex::new("plain").of(3), 3);
    }
}
