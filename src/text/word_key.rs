//! The key a word is matched by: every form of a word, and its British or
//! American spelling, folds to one key, so that a phrase matches whichever
//! form it is written in and whichever form the text uses.
//!
//! The key is the Snowball English (Porter2) stem of the word, after two
//! steps the stemmer cannot take: irregular forms become their base
//! ("stole" -> "steal", "children" -> "child") and British spellings become
//! one spelling ("optimize" and "optimise", "behaviour" and "behavior").
//! Snowball is used rather than a longer hand-written suffix table because
//! it is a published, widely used algorithm with known behaviour on the
//! whole language, not only on the words someone thought of.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// The key `word` is matched by. `word` is one folded token (lower case, as
/// `NormText` leaves it); a word that is not all ASCII letters (a number,
/// "didn't", a non-English word) is its own key.
///
/// Two words with the same key match each other in rule phrases: "hidden
/// instructions" and "hidden instruction", "stole" and "steals", "optimise"
/// and "optimization", "behaviour" and "behavior".
pub fn match_key(word: &str) -> Cow<'_, str> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let base: &str = irregular_base(word).unwrap_or(word);
    match american_spelling(base) {
        Cow::Borrowed(spelled) => inflection_stem(spelled),
        Cow::Owned(spelled) => Cow::Owned(inflection_stem(&spelled).into_owned()),
    }
}

/// The Snowball stem of `word` when the stemmer took off only an inflection
/// ("instructions" -> "instruct", "stopped" -> "stop", "studies" -> "studi").
/// When it also took off a derivational ending ("wrongly" -> "wrong",
/// "authority" -> "author", "university" -> "univers"), the word keeps that
/// ending, less its inflection: such endings change what a word means, and
/// conflating them cost precision on the validation labels.
fn inflection_stem(word: &str) -> Cow<'_, str> {
    let stem = stemmer().stem(word);
    let common = word
        .bytes()
        .zip(stem.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &word[common..];
    let added = &stem[common..];
    // "stopped" -> "stop": the doubled consonant belongs to the inflection.
    let removed = match (removed.as_bytes().first(), stem.as_bytes().last()) {
        (Some(a), Some(b)) if a == b && added.is_empty() && removed.len() > 1 => &removed[1..],
        _ => removed,
    };
    let inflection = matches!(
        removed,
        "" | "s" | "es" | "ed" | "d" | "ing" | "e" | "y" | "ies" | "ied"
    );
    if inflection && matches!(added, "" | "e" | "i") {
        return stem;
    }
    Cow::Borrowed(without_inflection(word))
}

/// `word` without a plural or verb ending and a last `e` or `y`, for words
/// whose stem is more than an inflection away ("authorities" and
/// "authority" -> "authorit", "manipulated" and "manipulate" -> "manipulat").
fn without_inflection(word: &str) -> &str {
    let cut = |suffix: &str| word.strip_suffix(suffix).filter(|rest| rest.len() >= 3);
    let bare = cut("ies")
        .or_else(|| cut("ied"))
        .or_else(|| cut("ing"))
        .or_else(|| cut("ed"))
        .or_else(|| cut("es").filter(|r| r.ends_with(['s', 'x', 'z', 'h'])))
        .or_else(|| cut("s").filter(|r| !r.ends_with(['s', 'u', 'i'])))
        .unwrap_or(word);
    bare.strip_suffix(['e', 'y'])
        .filter(|r| r.len() >= 3)
        .unwrap_or(bare)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The base of an irregular form ("stole" -> "steal"), from the table the
/// phrase expansion uses.
pub(crate) fn irregular_base(word: &str) -> Option<&'static str> {
    static BASES: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    let bases = BASES.get_or_init(|| {
        let mut m = FxHashMap::default();
        for (base, forms) in super::inflect::IRREGULAR {
            for form in *forms {
                // "read" -> "read", "hits" -> "hit": the first base wins.
                m.entry(*form).or_insert(*base);
            }
        }
        m
    });
    bases.get(word).copied()
}

/// British spellings whose words differ from the American ones by more than a
/// suffix, by the start of the word (so "behavioural" follows "behaviour").
const SPELLING_PREFIXES: &[(&str, &str)] = &[
    ("acknowledgement", "acknowledgment"),
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("anaesthe", "anesthe"),
    ("analogue", "analog"),
    ("armour", "armor"),
    ("behaviour", "behavior"),
    ("calibre", "caliber"),
    ("candour", "candor"),
    ("catalogue", "catalog"),
    ("centre", "center"),
    ("colour", "color"),
    ("cosy", "cozy"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("encyclopaed", "encycloped"),
    ("endeavour", "endeavor"),
    ("enrolment", "enrollment"),
    ("favour", "favor"),
    ("fibre", "fiber"),
    ("flavour", "flavor"),
    ("foetus", "fetus"),
    ("fulfilment", "fulfillment"),
    ("grey", "gray"),
    ("haemo", "hemo"),
    ("harbour", "harbor"),
    ("honour", "honor"),
    ("humour", "humor"),
    ("judgement", "judgment"),
    ("labour", "labor"),
    ("leukaemia", "leukemia"),
    ("licence", "license"),
    ("litre", "liter"),
    ("manoeuvre", "maneuver"),
    ("metre", "meter"),
    ("mould", "mold"),
    ("neighbour", "neighbor"),
    ("odour", "odor"),
    ("oestrogen", "estrogen"),
    ("offence", "offense"),
    ("orthopaed", "orthoped"),
    ("paediatr", "pediatr"),
    ("paedophil", "pedophil"),
    ("plough", "plow"),
    ("pretence", "pretense"),
    ("programme", "program"),
    ("rigour", "rigor"),
    ("rumour", "rumor"),
    ("saviour", "savior"),
    ("sceptic", "skeptic"),
    ("skilful", "skillful"),
    ("theatre", "theater"),
    ("tumour", "tumor"),
    ("vapour", "vapor"),
    ("vigour", "vigor"),
    ("wilful", "willful"),
];

/// Words whose final `l` British English doubles before a suffix
/// ("modelled", "labelling", "travellers").
const DOUBLED_L: &[&str] = &[
    "cancel", "channel", "counsel", "dial", "equal", "fuel", "funnel", "label", "level", "marshal",
    "model", "pedal", "refuel", "rival", "signal", "total", "travel", "tunnel",
];

/// One spelling for words that British and American English spell apart.
/// Suffixes go the British way ("-ize" -> "-ise", "-yze" -> "-yse"), since
/// "-ise" is also the ending of words that have no "-ize" twin ("precise",
/// "promise"), which must keep their stems; the rest go the American way.
fn american_spelling(word: &str) -> Cow<'_, str> {
    // Start-up keys thousands of words: compare the first letter first.
    let first = word.as_bytes().first().copied();
    let starts = |p: &str| p.as_bytes().first().copied() == first;
    for (british, american) in SPELLING_PREFIXES.iter().filter(|(b, _)| starts(b)) {
        if let Some(rest) = word.strip_prefix(british) {
            return Cow::Owned(format!("{american}{rest}"));
        }
    }
    for base in DOUBLED_L.iter().filter(|b| starts(b)) {
        if let Some(rest) = word.strip_prefix(base) {
            if let Some(tail) = rest.strip_prefix('l') {
                if matches!(tail, "ed" | "ing" | "er" | "ers") {
                    return Cow::Owned(format!("{base}{tail}"));
                }
            }
        }
    }
    for (from, to) in [("iz", "is"), ("yz", "ys")] {
        for ending in ["e", "es", "ed", "ing", "er", "ers", "ation", "ations"] {
            let suffix_len = from.len() + ending.len();
            if word.len() >= suffix_len + 3
                && word.ends_with(ending)
                && word[..word.len() - ending.len()].ends_with(from)
            {
                let stem = &word[..word.len() - suffix_len];
                return Cow::Owned(format!("{stem}{to}{ending}"));
            }
        }
    }
    Cow::Borrowed(word)
}

/// The other spellings of `word` that the spelling tables name, for
/// exporting phrases as regexes (which cannot compute keys).
pub(crate) fn spelling_variants(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (british, american) in SPELLING_PREFIXES {
        if let Some(rest) = word.strip_prefix(american) {
            out.push(format!("{british}{rest}"));
        }
        if let Some(rest) = word.strip_prefix(british) {
            out.push(format!("{american}{rest}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::match_key;

    fn same(a: &str, b: &str) -> bool {
        match_key(a) == match_key(b)
    }

    #[test]
    fn inflections_share_a_key_both_ways() {
        for (a, b) in [
            ("instructions", "instruction"),
            ("hidden", "hide"),
            ("stole", "steals"),
            ("stolen", "steal"),
            ("hacked", "hacking"),
            ("denied", "deny"),
            ("stopped", "stop"),
            ("children", "child"),
            ("deployments", "deployment"),
            ("authorities", "authority"),
            ("manipulate", "manipulating"),
        ] {
            assert!(same(a, b), "{a} / {b}: {} {}", match_key(a), match_key(b));
        }
    }

    #[test]
    fn british_and_american_spellings_share_a_key() {
        for (a, b) in [
            ("optimise", "optimize"),
            ("optimisation", "optimization"),
            ("optimised", "optimizing"),
            ("behaviour", "behavior"),
            ("behavioural", "behavioral"),
            ("analyse", "analyze"),
            ("analysed", "analyzing"),
            ("modelled", "modeled"),
            ("labelling", "labeling"),
            ("defence", "defense"),
            ("centre", "center"),
            ("organisation", "organization"),
            ("favourite", "favorite"),
        ] {
            assert!(same(a, b), "{a} / {b}: {} {}", match_key(a), match_key(b));
        }
    }

    #[test]
    fn unrelated_words_keep_apart() {
        for (a, b) in [
            ("precise", "prize"),
            ("news", "new"),
            ("four", "for"),
            ("hour", "her"),
            ("size", "sis"),
            ("model", "mode"),
            ("university", "universe"),
            ("authority", "author"),
            ("wrongly", "wrong"),
            ("security", "secure"),
            ("positive", "position"),
            ("reportedly", "reported"),
        ] {
            assert!(!same(a, b), "{a} / {b}: {}", match_key(a));
        }
    }

    #[test]
    fn non_words_are_their_own_key() {
        for w in ["didn't", "2024", "gpt4", "café", ""] {
            assert_eq!(match_key(w), w);
        }
    }
}
