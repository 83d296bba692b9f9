//! Text preparation: folding with an offset map, words, sentences, word forms.

pub(crate) mod inflect;
mod language;
mod normalize;
pub(crate) mod segment;
pub(crate) mod word_key;

pub use language::looks_non_english;
pub use normalize::{NormText, fold_phrase};
pub use segment::{Sentence, Token, segment, token_at};
pub use word_key::match_key;
