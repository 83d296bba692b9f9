//! Checks a taxonomy file's YAML before serde sees it, for what serde
//! either accepts silently or cannot bound:
//!
//! - aliases (`*name`): each expands to a copy of its anchor's node, so one
//!   1 MB string aliased 20,000 times asked for 20 GB and aborted the
//!   process. Taxonomy files need no aliases; they are refused.
//! - duplicate keys in one mapping (a lexicon defined twice in a file):
//!   serde keeps the last one without a word. Both lines are named.
//! - more than one document: serde's error carries no location.
//!
//! The file is scanned with libyaml's scanner (the one yaml_serde parses
//! with, so both read the same tokens); a syntax error stops the scan and
//! is left to serde, which reports it with its place.

use libyaml_rs as y;
use std::collections::HashMap;

/// A problem found, at 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

enum Frame {
    /// Each key seen so far, with its line.
    Mapping(HashMap<String, usize>),
    Sequence,
}

/// The first problem of `text`, if any.
pub fn check(text: &str) -> Option<Problem> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut documents = 0usize;
    let mut content_seen = false;
    let mut key_pending: Option<(usize, usize)> = None;
    let mut found = None;
    // SAFETY: the parser is initialised before use and deleted once; it
    // reads `text`, which outlives it; every token is deleted after use and
    // its data read only as the variant its type says.
    unsafe {
        let mut parser = std::mem::MaybeUninit::<y::yaml_parser_t>::zeroed();
        if y::yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return None;
        }
        let parser = parser.as_mut_ptr();
        y::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as _);
        loop {
            let mut token = std::mem::MaybeUninit::<y::yaml_token_t>::zeroed();
            if y::yaml_parser_scan(parser, token.as_mut_ptr()).fail {
                break;
            }
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            let mark = (*token).start_mark;
            let (line, column) = (mark.line as usize + 1, mark.column as usize + 1);
            let is_key = key_pending.take();
            match kind {
                y::YAML_STREAM_END_TOKEN => {
                    y::yaml_token_delete(token);
                    break;
                }
                y::YAML_DOCUMENT_START_TOKEN => {
                    documents += 1;
                    if documents > 1 || content_seen {
                        found = Some(Problem {
                            line,
                            column,
                            message: "a second YAML document: a taxonomy file holds one".into(),
                        });
                    }
                }
                y::YAML_ALIAS_TOKEN => {
                    found = Some(Problem {
                        line,
                        column,
                        message: "YAML aliases (`*name`) are not allowed in taxonomy files: \
                                  write the value out"
                            .into(),
                    });
                }
                y::YAML_BLOCK_MAPPING_START_TOKEN | y::YAML_FLOW_MAPPING_START_TOKEN => {
                    content_seen = true;
                    frames.push(Frame::Mapping(HashMap::new()));
                }
                y::YAML_BLOCK_SEQUENCE_START_TOKEN | y::YAML_FLOW_SEQUENCE_START_TOKEN => {
                    content_seen = true;
                    frames.push(Frame::Sequence);
                }
                y::YAML_BLOCK_END_TOKEN
                | y::YAML_FLOW_MAPPING_END_TOKEN
                | y::YAML_FLOW_SEQUENCE_END_TOKEN => {
                    frames.pop();
                }
                y::YAML_KEY_TOKEN => key_pending = Some((line, column)),
                y::YAML_SCALAR_TOKEN => {
                    content_seen = true;
                    if let (Some((key_line, key_column)), Some(Frame::Mapping(keys))) =
                        (is_key, frames.last_mut())
                    {
                        let s = (*token).data.scalar;
                        let bytes = std::slice::from_raw_parts(s.value, s.length as usize);
                        let key = String::from_utf8_lossy(bytes).into_owned();
                        if let Some(first) = keys.get(&key) {
                            found = Some(Problem {
                                line: key_line,
                                column: key_column,
                                message: format!(
                                    "key `{key}` appears twice in one mapping: \
                                     on line {first} and on line {key_line}"
                                ),
                            });
                        } else {
                            keys.insert(key, key_line);
                        }
                    }
                }
                _ => {}
            }
            y::yaml_token_delete(token);
            if found.is_some() {
                break;
            }
        }
        y::yaml_parser_delete(parser);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn aliases_duplicate_keys_and_second_documents_are_found() {
        let p = check("a: &x big\nb: *x\n").unwrap();
        assert_eq!((p.line, p.column), (2, 4));
        assert!(p.message.contains("aliases"));
        let p = check("lexicons:\n  words:\n    - a\n  other: [b]\n  words:\n    - c\n").unwrap();
        assert_eq!(p.line, 5);
        assert!(p.message.contains("line 2 and on line 5"), "{}", p.message);
        let p = check("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(p.line, 2);
        assert!(p.message.contains("second YAML document"));
    }

    #[test]
    fn ordinary_files_pass() {
        assert_eq!(
            check("---\nrules:\n  - id: a\n    when: {phrase: '*x'}\n  - id: b\n"),
            None
        );
        assert_eq!(check("a: [1, {k: v, j: w}]\nb:\n- k: 1\n- k: 2\n"), None);
        assert_eq!(check(""), None);
        // Syntax errors are serde's to report.
        assert_eq!(check("a: [\n"), None);
        for file in crate::taxonomy::embedded::FILES {
            assert_eq!(check(file.1), None, "{}", file.0);
        }
    }
}
