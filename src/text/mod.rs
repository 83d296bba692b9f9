//! Text preparation: folding with an offset map, words, sentences, word forms.

pub mod inflect;
pub mod normalize;
pub mod segment;
pub mod word_key;

pub use normalize::{NormText, fold_phrase};
pub use segment::{Sentence, Token, segment, token_at};
pub use word_key::match_key;
