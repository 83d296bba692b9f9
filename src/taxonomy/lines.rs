//! The lines that rule ids and lexicon names stand on.
//!
//! serde keeps no spans for values, so a rule or lexicon is located by the
//! line that names it (`id: security.weights-stolen`, `ai_system:`). build.rs
//! includes this file to locate the embedded taxonomy's rules at build time,
//! so it uses nothing but the standard library.

/// The line a rule (or tag, or overlap) with this id stands on says this.
pub fn id_line(id: &str) -> String {
    format!("id: {id}")
}

/// The line a lexicon stands on says this.
pub fn lexicon_line(name: &str) -> String {
    format!("{name}:")
}

/// Every line of `text` that says `id: …` or ends with a colon (a key with its
/// value below), in order: what it says (without indentation, a list dash or
/// a trailing comment), its 1-based line and its 1-based column.
pub fn key_lines(text: &str) -> impl Iterator<Item = (&str, usize, usize)> {
    // Both kinds hold a colon, so only lines with one are looked at.
    let mut line_no = 1;
    let mut counted_to = 0;
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let colon = from + text.get(from..)?.find(':')?;
            let start = text[..colon].rfind('\n').map_or(0, |i| i + 1);
            line_no += text.as_bytes()[counted_to..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = start;
            let end = text[colon..].find('\n').map_or(text.len(), |i| colon + i);
            from = end + 1;
            let line = &text[start..end];
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some((content, col)) = key_line(line) {
                return Some((content, line_no, col));
            }
        }
    })
}

/// What a line says if it says `id: …` or ends with a colon, and its column.
fn key_line(line: &str) -> Option<(&str, usize)> {
    let indent = line.len() - line.trim_start().len();
    let content = line.trim_start();
    let (content, col) = match content.strip_prefix("- ") {
        Some(rest) => (
            rest.trim_start(),
            indent + (content.len() - rest.trim_start().len()),
        ),
        None => (content, indent),
    };
    // What comes before " #" (a `split(" #")` per line was slow).
    let comment = content
        .bytes()
        .enumerate()
        .find(|&(i, b)| b == b'#' && i > 0 && content.as_bytes()[i - 1] == b' ')
        .map(|(i, _)| i);
    let content = comment.map_or(content, |i| &content[..i - 1]).trim_end();
    (content.starts_with("id:") || content.ends_with(':')).then_some((content, col + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_keys_with_their_places() {
        let text = "rules:\r\n  - id: a.b # note: here\r\n    when: { phrase: x }\r\n\
                    # only: a comment\nlexicons:\n  words:\n    - a: b: c\n  - id: last:";
        let found: Vec<_> = key_lines(text).collect();
        assert_eq!(
            found,
            vec![
                ("rules:", 1, 1),
                ("id: a.b", 2, 5),
                ("lexicons:", 5, 1),
                ("words:", 6, 3),
                ("id: last:", 8, 5),
            ]
        );
    }

    /// Visiting only lines with a colon finds what visiting every line does.
    #[test]
    fn skipping_lines_without_a_colon_loses_nothing() {
        let text = include_str!("../../taxonomy/rules/security.yaml");
        let every: Vec<_> = text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| key_line(line).map(|(c, col)| (c, i + 1, col)))
            .collect();
        assert_eq!(key_lines(text).collect::<Vec<_>>(), every);
        assert!(every.len() > 50);
    }
}
