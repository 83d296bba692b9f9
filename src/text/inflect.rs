//! Word forms for phrase matching.
//!
//! Rule authors write `hack` and expect `hacked`, `hacking` and `hackers` to
//! match. Stemming the text would do that, but it costs time on every token of
//! every text and makes evidence spans fuzzy. Expanding each phrase word into its
//! likely forms once, at compile time, keeps matching a single automaton pass
//! over the text. Over-generation (a form that is not an English word) is
//! harmless: it simply never occurs in text.

/// Irregular forms that suffix rules cannot produce. Only verbs and nouns that
/// incident descriptions actually use need to be here.
pub(crate) const IRREGULAR: &[(&str, &[&str])] = &[
    ("be", &["is", "are", "was", "were", "been", "being"]),
    ("break", &["broke", "broken"]),
    ("bring", &["brought"]),
    ("buy", &["bought"]),
    ("catch", &["caught"]),
    ("child", &["children"]),
    ("choose", &["chose", "chosen"]),
    ("deal", &["dealt"]),
    ("do", &["did", "done", "does"]),
    ("drive", &["drove", "driven"]),
    ("eat", &["ate", "eaten"]),
    ("fall", &["fell", "fallen"]),
    ("feed", &["fed"]),
    ("fight", &["fought"]),
    ("find", &["found"]),
    ("fly", &["flew", "flown"]),
    ("forget", &["forgot", "forgotten"]),
    ("freeze", &["froze", "frozen"]),
    ("get", &["got", "gotten"]),
    ("give", &["gave", "given"]),
    ("go", &["went", "gone", "goes"]),
    ("have", &["has", "had"]),
    ("hide", &["hid", "hidden"]),
    ("hit", &["hits", "hitting"]),
    ("hold", &["held"]),
    ("keep", &["kept"]),
    ("know", &["knew", "known"]),
    ("lead", &["led"]),
    ("leave", &["left"]),
    ("lie", &["lied", "lying", "lies"]),
    ("lose", &["lost"]),
    ("make", &["made"]),
    ("man", &["men"]),
    ("mean", &["meant"]),
    ("mislead", &["misled"]),
    ("mistake", &["mistook", "mistaken"]),
    ("overlook", &["overlooked"]),
    ("pay", &["paid"]),
    ("person", &["people"]),
    ("read", &["read"]),
    ("ride", &["rode", "ridden"]),
    ("run", &["ran", "running"]),
    ("say", &["said"]),
    ("see", &["saw", "seen"]),
    ("seek", &["sought"]),
    ("sell", &["sold"]),
    ("send", &["sent"]),
    ("shoot", &["shot"]),
    ("speak", &["spoke", "spoken"]),
    ("spend", &["spent"]),
    ("steal", &["stole", "stolen"]),
    ("strike", &["struck", "stricken"]),
    ("swear", &["swore", "sworn"]),
    ("take", &["took", "taken"]),
    ("teach", &["taught"]),
    ("tell", &["told"]),
    ("think", &["thought"]),
    ("throw", &["threw", "thrown"]),
    ("undergo", &["underwent", "undergone"]),
    ("understand", &["understood"]),
    ("wear", &["wore", "worn"]),
    ("win", &["won"]),
    ("withdraw", &["withdrew", "withdrawn"]),
    ("woman", &["women"]),
    ("write", &["wrote", "written"]),
];

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// All forms a single lower-case word may take in text, the word itself first,
/// without duplicates.
pub fn word_forms(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_form(word, |f| {
        // Forms are few (under twenty), so a linear check beats hashing them.
        if !out.iter().any(|o| o == f) {
            out.push(f.to_string());
        }
    });
    out
}

/// Calls `emit` with every form of `word` (the word itself first; a form may
/// come twice). Start-up builds the vocabulary from this for thousands of
/// words, so it writes the forms into one reused buffer instead of allocating
/// a string for each.
///
/// Short words (under four letters) and words with non-letters are kept exact:
/// suffixing "ai" or "us" would produce real, unrelated words.
pub fn for_each_form(word: &str, mut emit: impl FnMut(&str)) {
    emit(word);
    let bytes = word.as_bytes();
    if let Ok(i) = IRREGULAR.binary_search_by(|(base, _)| (*base).cmp(word)) {
        IRREGULAR[i].1.iter().for_each(|f| emit(f));
    }
    let mut buf = String::with_capacity(word.len() + 8);
    let mut form = |parts: &[&str]| {
        buf.clear();
        parts.iter().for_each(|p| buf.push_str(p));
        emit(&buf);
    };
    let letters = bytes.iter().all(|b| b.is_ascii_lowercase());
    if bytes.len() < 4 || !letters {
        // Short words still get their irregular forms and a plain plural.
        if bytes.len() >= 2 && letters {
            form(&[word, "s"]);
        }
        return;
    }
    let n = bytes.len();
    let last = bytes[n - 1];
    let before_last = bytes[n - 2];

    if last == b'e' {
        let stem = &word[..n - 1];
        for suffix in ["s", "d", "r", "rs"] {
            form(&[word, suffix]);
        }
        for suffix in ["ing", "ion", "ions"] {
            form(&[stem, suffix]);
        }
    } else if last == b'y' && !is_vowel(before_last) {
        let stem = &word[..n - 1];
        for suffix in ["ies", "ied", "ier", "iers"] {
            form(&[stem, suffix]);
        }
        form(&[word, "ing"]);
    } else if word.ends_with("sis") {
        // analysis -> analyses, diagnosis -> diagnoses
        form(&[&word[..n - 3], "ses"]);
    } else {
        let plural =
            if matches!(last, b's' | b'x' | b'z') || word.ends_with("ch") || word.ends_with("sh") {
                "es"
            } else {
                "s"
            };
        form(&[word, plural]);
        for suffix in ["ed", "ing", "er", "ers"] {
            form(&[word, suffix]);
        }
        // detect -> detection, predict -> prediction; other endings rarely take -ion.
        if last == b't' {
            form(&[word, "ion"]);
            form(&[word, "ions"]);
        }
        // stop -> stopped: consonant-vowel-consonant endings double the last letter.
        let third_last = bytes[n - 3];
        if !is_vowel(last)
            && !matches!(last, b'w' | b'x' | b'y')
            && is_vowel(before_last)
            && !is_vowel(third_last)
        {
            let doubled = [last];
            let doubled = std::str::from_utf8(&doubled).expect("ASCII letter");
            for suffix in ["ed", "ing", "er", "ers"] {
                form(&[word, doubled, suffix]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::word_forms;

    fn has(word: &str, form: &str) -> bool {
        word_forms(word).iter().any(|f| f == form)
    }

    #[test]
    fn regular_verbs_and_agent_nouns() {
        for form in ["hack", "hacks", "hacked", "hacking", "hacker", "hackers"] {
            assert!(has("hack", form), "hack -> {form}");
        }
    }

    #[test]
    fn silent_e_and_y_and_doubling() {
        assert!(has("manipulate", "manipulated"));
        assert!(has("manipulate", "manipulating"));
        assert!(has("manipulate", "manipulation"));
        assert!(has("deploy", "deployed"));
        assert!(has("deny", "denied"));
        assert!(has("stop", "stopped"));
    }

    #[test]
    fn irregular_table_is_sorted_for_binary_search() {
        assert!(super::IRREGULAR.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn irregular_and_short_words() {
        assert!(has("steal", "stolen"));
        assert!(has("steal", "stole"));
        assert!(has("ai", "ai"));
        assert!(!has("ai", "aied"));
        assert!(has("person", "people"));
    }
}
