//! A cheap guess at whether a text is English at all.
//!
//! The rules are English phrases, so a text in another language gets no tag
//! and reads as "nothing found" when nothing was understood. Common function
//! words make up a large share of any English prose (typically a third or
//! more), and almost none of French, German or Chinese text, so their share
//! tells the two apart without a language model. Headlines have few function
//! words, so short Latin-script texts are never flagged.

/// Frequent English function words, lowercase. Left out: words just as
/// common in other Latin-script languages (`no`, `die`, `son`, `en`).
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "his", "how", "if", "in", "into", "is", "it", "its", "itself",
    "may", "more", "most", "not", "of", "on", "or", "other", "our", "over", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "under", "up", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "will", "with", "would", "you", "your",
];

/// Below this many words a text is too short to judge (a headline may have
/// no function word at all).
const MIN_WORDS: usize = 16;
/// English prose stays well above this share of function words.
const MIN_SHARE: f64 = 0.05;
/// Below this many letters a text is too short to judge by script either.
const MIN_LETTERS: usize = 12;

/// Whether almost nothing in `text` looks English: mostly letters outside
/// the Latin script, or enough words of which hardly any is a common English
/// function word. Short texts are given the benefit of the doubt.
pub fn looks_non_english(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return false;
    }
    let latin = text
        .chars()
        .filter(|c| c.is_alphabetic() && is_latin(*c))
        .count();
    if latin * 2 < letters {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < MIN_WORDS {
        return false;
    }
    let english = words
        .iter()
        .filter(|w| FUNCTION_WORDS.contains(&w.as_str()))
        .count();
    (english as f64) < MIN_SHARE * words.len() as f64
}

/// Basic Latin, Latin-1 and Latin Extended letters.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_prose_and_headlines_pass() {
        assert!(!looks_non_english(
            "Hackers stole the model weights of an unreleased language model and posted them online."
        ));
        assert!(!looks_non_english(
            "A recommender tuned to maximise watch time pushed teenagers toward extreme dieting videos."
        ));
        assert!(!looks_non_english("Self-Driving Car Kills Pedestrian"));
        assert!(!looks_non_english(
            "Facial recognition misidentifies suspect; police arrest wrong man"
        ));
    }

    #[test]
    fn french_spanish_and_chinese_are_flagged() {
        assert!(looks_non_english(
            "Unos piratas robaron los pesos del modelo y los publicaron en internet sin autorización, \
             y la empresa no detectó la fuga a tiempo."
        ));
        assert!(looks_non_english(
            "Des pirates ont volé les poids du modèle et les ont publiés en ligne sans autorisation, \
             puis le système a continué à répondre aux utilisateurs."
        ));
        assert!(looks_non_english(
            "黑客窃取了模型权重并将其发布到网上，公司没有及时发现这次泄露。"
        ));
    }

    #[test]
    fn too_short_to_judge() {
        assert!(!looks_non_english("Modèle volé"));
        assert!(!looks_non_english("模型被盗"));
    }
}
