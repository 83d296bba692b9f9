//! Character offsets beside the byte offsets of evidence. The library's
//! JSON gives spans as byte offsets into the UTF-8 text (`start`, `end`);
//! Python slices strings by code point, so each span also gets `char_start`
//! and `char_end`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Adds `char_start` and `char_end` to every evidence object (an object with
/// a `text` and integer `start` and `end`) anywhere in a parsed
/// classification, reasons list or record.
pub fn add_char_offsets(value: &Bound<'_, PyAny>, text: &str) -> PyResult<()> {
    let index = CharIndex::new(text);
    walk(value, &index)
}

fn walk(value: &Bound<'_, PyAny>, index: &CharIndex) -> PyResult<()> {
    if let Ok(list) = value.cast::<PyList>() {
        for item in list.iter() {
            walk(&item, index)?;
        }
    } else if let Ok(dict) = value.cast::<PyDict>() {
        let span = match (dict.get_item("start")?, dict.get_item("end")?) {
            (Some(start), Some(end)) if dict.contains("text")? => {
                Some((start.extract::<usize>()?, end.extract::<usize>()?))
            }
            _ => None,
        };
        if let Some((start, end)) = span {
            dict.set_item("char_start", index.of(start))?;
            dict.set_item("char_end", index.of(end))?;
        }
        for (_, item) in dict.iter() {
            if item.is_instance_of::<PyDict>() || item.is_instance_of::<PyList>() {
                walk(&item, index)?;
            }
        }
    }
    Ok(())
}

/// Byte offset to character offset in one text.
struct CharIndex<'t> {
    text: &'t str,
    ascii: bool,
}

impl<'t> CharIndex<'t> {
    fn new(text: &'t str) -> CharIndex<'t> {
        CharIndex {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// The number of characters that start before byte `b`: the character
    /// offset of `b` when it is a character boundary, as every span end is.
    fn of(&self, b: usize) -> usize {
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
