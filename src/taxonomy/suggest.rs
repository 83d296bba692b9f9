//! "Did you mean …?" for names that are almost right.

/// The candidate nearest to `word` if it is close enough to be a typo: at
/// most one edit in four letters (at least one), by Levenshtein distance.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|&(d, _)| d > 0 && d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `, did you mean `x`?` or nothing, to end a message with.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Adds a suggestion to serde's "unknown field `x`, expected one of `a`,
/// `b`" (and "unknown variant") messages.
pub fn for_serde_message(message: &str) -> String {
    let found = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| &message[i + p.len()..]));
    let Some(rest) = found else {
        return message.to_string();
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    format!("{message}{}", did_you_mean(word, candidates))
}

/// Edits between two words, a swap of neighbours counting as one
/// (optimal string alignment distance): `weigths` is one edit from `weights`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_suggested_and_far_ones_not() {
        let names = ["prompt_injection", "weights", "ai_system"];
        assert_eq!(nearest("prompt_injectoin", names), Some("prompt_injection"));
        assert_eq!(nearest("weigths", names), Some("weights"));
        assert_eq!(nearest("governance", names), None);
        assert_eq!(nearest("weights", names), None);
    }

    #[test]
    fn serde_messages_get_a_suggestion() {
        let m =
            "rules[1].when: unknown field `lexicn`, expected one of `phrase`, `lexicon`, `regex`";
        assert!(for_serde_message(m).ends_with("; did you mean `lexicon`?"));
        assert_eq!(
            for_serde_message("missing field `id`"),
            "missing field `id`"
        );
    }
}
