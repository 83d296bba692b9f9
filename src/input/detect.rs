//! Choosing the input format: by extension first (it is what the user
//! chose), then by looking at the first lines.

use super::{Format, InputOptions};
use std::io::{self, Cursor, Read};
use std::path::Path;

/// How much of an input is looked at to guess its format, at most.
const HEAD_BYTES: usize = 64 * 1024;
/// Enough lines to see the layout; reading stops there so that a slow pipe
/// does not have to fill [`HEAD_BYTES`] before the first record is read.
pub(crate) const HEAD_LINES: usize = 32;

/// The format a file name stands for, if it names one: `.jsonl`/`.ndjson`,
/// `.csv`, `.tsv`/`.tab`. Text files (`.txt`, no extension) are sniffed,
/// since both `lines` and `paragraphs` are plain text.
pub fn detect_by_extension(name: &str) -> Option<Format> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "jsonlines" => Some(Format::Jsonl),
        "json" => Some(Format::Json),
        "csv" => Some(Format::Csv),
        "tsv" | "tab" => Some(Format::Tsv),
        _ => None,
    }
}

/// Reads the start of `reader` and gives it back together with a reader that
/// still yields everything, the start included.
pub(crate) fn read_head(
    mut reader: impl Read + Send + 'static,
    lines: usize,
) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    while head.len() < HEAD_BYTES && memchr::memchr_iter(b'\n', &head).count() < lines {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let rest: Box<dyn Read + Send> = Box::new(Cursor::new(head.clone()).chain(reader));
    Ok((head, rest))
}

/// Guesses the format from the first bytes of an input:
/// - a first line that starts with `[`, or with a `{` it does not close: `json`;
/// - a first line that holds one JSON object: `jsonl`;
/// - a first line of tab- or comma-separated names that include the text
///   field(s) (`--text-field`, else `text`, `title` or `description`): `tsv`/`csv`;
/// - blank-line separated blocks of which one spans several lines: `paragraphs`;
/// - otherwise `lines`.
pub fn sniff(head: &[u8], options: &InputOptions) -> Format {
    let text = String::from_utf8_lossy(head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let Some(first) = lines.next() else {
        return Format::Lines;
    };
    let first_trimmed = first.trim();
    if first_trimmed.starts_with('[') {
        return Format::Json;
    }
    if first_trimmed.starts_with('{') {
        // One whole object on the line is JSON Lines; an object that goes
        // on over several lines is pretty-printed JSON. A broken first line
        // of JSON Lines is told apart by the object starting the next line.
        let whole = serde_json::from_str::<serde_json::Value>(first_trimmed).is_ok();
        let next_is_object = lines
            .clone()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with('{'));
        return if whole || next_is_object {
            Format::Jsonl
        } else {
            Format::Json
        };
    }
    for (delimiter, format) in [('\t', Format::Tsv), (',', Format::Csv)] {
        if first.contains(delimiter) && is_header(first, delimiter, options) {
            return format;
        }
    }
    let mut block_lines = 0;
    let mut saw_blank = false;
    let mut multi_line_block = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            saw_blank |= block_lines > 0;
            block_lines = 0;
        } else {
            block_lines += 1;
            multi_line_block |= block_lines > 1;
        }
    }
    if saw_blank && multi_line_block {
        Format::Paragraphs
    } else {
        Format::Lines
    }
}

/// "UTF-16LE"/"UTF-16BE" when the input starts like UTF-16 text: with its
/// byte-order mark, or with ASCII letters each followed (or preceded) by a
/// zero byte.
pub(crate) fn utf16(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xFF, 0xFE, ..] => return Some("UTF-16LE"),
        [0xFE, 0xFF, ..] => return Some("UTF-16BE"),
        _ => {}
    }
    let pairs: Vec<&[u8]> = head.chunks_exact(2).take(32).collect();
    if pairs.len() < 4 {
        return None;
    }
    let all = |f: fn(&[u8]) -> bool| pairs.iter().all(|p| f(p));
    if all(|p| p[0] != 0 && p[1] == 0) {
        Some("UTF-16LE")
    } else if all(|p| p[0] == 0 && p[1] != 0) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// The column names of a CSV/TSV header: the first record of `head`.
pub(crate) fn header_columns(head: &[u8], delimiter: u8) -> Vec<String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn is_header(line: &str, delimiter: char, options: &InputOptions) -> bool {
    let names: Vec<&str> = line
        .split(delimiter)
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    let plausible = names.len() >= 2 && names.iter().all(|n| n.len() <= 64 && !n.ends_with('.'));
    let has = |wanted: &str| names.contains(&wanted);
    plausible
        && if options.text_fields.is_empty() {
            has("text") || has("title") || has("description")
        } else {
            options.text_fields.iter().all(|f| has(f))
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(head: &str) -> Format {
        sniff(head.as_bytes(), &InputOptions::default())
    }

    #[test]
    fn extensions() {
        assert_eq!(detect_by_extension("a/b.JSONL"), Some(Format::Jsonl));
        assert_eq!(detect_by_extension("x.csv"), Some(Format::Csv));
        assert_eq!(detect_by_extension("x.json"), Some(Format::Json));
        assert_eq!(detect_by_extension("x.tsv"), Some(Format::Tsv));
        assert_eq!(detect_by_extension("x.txt"), None);
        assert_eq!(detect_by_extension("<stdin>"), None);
    }

    #[test]
    fn content() {
        assert_eq!(guess("\n{\"text\": \"a\"}\n"), Format::Jsonl);
        assert_eq!(guess("[{\"text\": \"a\"}]\n"), Format::Json);
        assert_eq!(guess("[\n  {\n    \"text\": \"a\"\n  }\n]\n"), Format::Json);
        assert_eq!(guess("{\n  \"text\": \"a\"\n}\n"), Format::Json);
        assert_eq!(guess("{\"text\": \n{\"text\": \"b\"}\n"), Format::Jsonl);
        assert_eq!(guess("id,title,description\n1,a,b\n"), Format::Csv);
        assert_eq!(guess("id\ttext\n1\ta\n"), Format::Tsv);
        assert_eq!(
            guess("A model, trained on clicks, failed.\nAnother line.\n"),
            Format::Lines
        );
        assert_eq!(guess("one incident\n\nanother one\n"), Format::Lines);
        assert_eq!(
            guess("a wrapped\nincident\n\nanother\none\n"),
            Format::Paragraphs
        );
        assert_eq!(guess(""), Format::Lines);
        let options = InputOptions {
            text_fields: vec!["summary".into()],
            ..Default::default()
        };
        assert_eq!(sniff(b"key,summary\n1,x\n", &options), Format::Csv);
    }

    #[test]
    fn utf16_is_recognised() {
        let le: Vec<u8> = "id,text\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = "id,text\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(utf16(&le), Some("UTF-16LE"));
        assert_eq!(utf16(&be), Some("UTF-16BE"));
        assert_eq!(utf16(&[0xFF, 0xFE, b'a', 0]), Some("UTF-16LE"));
        assert_eq!(utf16(b"id,text\n1,a\n"), None);
        assert_eq!(utf16("é,ü,ö,ä".as_bytes()), None);
    }

    #[test]
    fn the_head_is_not_lost() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (head, mut rest) = read_head(Cursor::new(data.clone()), HEAD_LINES).unwrap();
        assert!(!head.is_empty() && head.len() <= HEAD_BYTES + 8192);
        let mut all = Vec::new();
        rest.read_to_end(&mut all).unwrap();
        assert_eq!(all, data);
    }
}
