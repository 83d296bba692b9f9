//! Gold labels: one JSON object per line, `{"id": <int or string>, "tags": [...]}`.
//!
//! Ids are compared as strings, so `{"id": 17}` matches a data record whose id
//! is `"17"`. Every bad line is reported with its file and line, all at once,
//! because a gold file is usually fixed in one sitting.

use crate::error::{Error, GoldError, Location, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The labels of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldRecord {
    pub id: String,
    /// Distinct tags, in the order the gold file gives them.
    pub tags: Vec<String>,
    /// 1-based line in the gold file.
    pub line: usize,
}

/// A gold file, in file order, with an index by id.
#[derive(Debug, Clone)]
pub struct Gold {
    pub origin: String,
    pub records: Vec<GoldRecord>,
    index: HashMap<String, usize>,
}

impl Gold {
    /// Reads a gold file. `known_tags` are the taxonomy's tag ids: a tag outside
    /// them is a typo that would otherwise show up as a tag nobody can predict.
    pub fn from_path(path: &Path, known_tags: &[&str]) -> Result<Gold> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Gold::parse(&bytes, &path.display().to_string(), known_tags)
    }

    pub fn parse(bytes: &[u8], origin: &str, known_tags: &[&str]) -> Result<Gold> {
        let mut records: Vec<GoldRecord> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut errors = Vec::new();
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = i + 1;
            let fail = |message: String| GoldError {
                location: Location {
                    file: origin.to_string(),
                    line: Some(line),
                    column: None,
                },
                message,
            };
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let Ok(text) = std::str::from_utf8(raw) else {
                errors.push(fail("the line is not valid UTF-8".into()));
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match parse_line(text, known_tags) {
                Ok((id, tags)) => {
                    if let Some(&first) = index.get(&id) {
                        errors.push(fail(format!(
                            "id `{id}` is already labeled at line {}",
                            records[first].line
                        )));
                        continue;
                    }
                    index.insert(id.clone(), records.len());
                    records.push(GoldRecord { id, tags, line });
                }
                Err(message) => errors.push(fail(message)),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Gold(errors));
        }
        Ok(Gold {
            origin: origin.to_string(),
            records,
            index,
        })
    }

    pub fn get(&self, id: &str) -> Option<&GoldRecord> {
        self.index.get(id).map(|&i| &self.records[i])
    }

    /// Position of the record in the file, which the evaluation uses as a key.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

fn parse_line(
    text: &str,
    known_tags: &[&str],
) -> std::result::Result<(String, Vec<String>), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err(r#"expected an object like {"id": 1, "tags": ["competence"]}"#.into());
    };
    let id = match obj.get("id") {
        None => return Err("missing field `id`".into()),
        Some(Value::String(s)) if s.trim().is_empty() => return Err("`id` is empty".into()),
        Some(Value::String(s)) => s.clone(),
        // Integers only: a float id such as 1.0 would never equal the data's "1".
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(other) => return Err(format!("`id` must be an integer or a string, not {other}")),
    };
    let tags = match obj.get("tags") {
        None => {
            return Err(format!(
                "id `{id}`: missing field `tags` (use [] for a record with no tag)"
            ));
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(format!(
                "id `{id}`: `tags` must be a list of tag ids, not {other}"
            ));
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let Value::String(tag) = t else {
            return Err(format!("id `{id}`: tags must be strings, not {t}"));
        };
        if !known_tags.contains(&tag.as_str()) {
            return Err(format!(
                "id `{id}`: {}",
                crate::taxonomy::unknown_tag(tag, known_tags.iter().copied())
            ));
        }
        if !out.contains(tag) {
            out.push(tag.clone());
        }
    }
    Ok((id, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAGS: &[&str] = &["alignment", "outer-alignment", "competence", "governance"];

    fn errors(input: impl AsRef<[u8]>) -> Vec<String> {
        match Gold::parse(input.as_ref(), "gold.jsonl", TAGS) {
            Err(Error::Gold(errors)) => errors.iter().map(|e| e.to_string()).collect(),
            other => panic!("expected gold errors, got {other:?}"),
        }
    }

    #[test]
    fn integer_and_string_ids_become_strings() {
        let g = Gold::parse(
            b"{\"id\": 17, \"tags\": [\"competence\"]}\n\n{\"id\": \"x-2\", \"tags\": []}\n",
            "g",
            TAGS,
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.get("17").unwrap().tags, vec!["competence"]);
        assert_eq!(g.get("17").unwrap().line, 1);
        assert_eq!(g.get("x-2").unwrap().line, 3);
        assert!(g.get("x-2").unwrap().tags.is_empty());
        assert_eq!(g.position("x-2"), Some(1));
        assert!(g.get("18").is_none());
    }

    #[test]
    fn repeated_tags_count_once_and_crlf_is_accepted() {
        let g = Gold::parse(
            b"{\"id\": 1, \"tags\": [\"governance\", \"governance\"], \"note\": \"extra fields are fine\"}\r\n",
            "g",
            TAGS,
        )
        .unwrap();
        assert_eq!(g.get("1").unwrap().tags, vec!["governance"]);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_line() {
        let input = "{\"id\": 1, \"tags\": [\"competence\"]}\n\
                     not json\n\
                     {\"tags\": []}\n\
                     {\"id\": 1.5, \"tags\": []}\n\
                     {\"id\": 2}\n\
                     {\"id\": 3, \"tags\": \"competence\"}\n\
                     {\"id\": 4, \"tags\": [\"competance\"]}\n\
                     {\"id\": 1, \"tags\": []}\n\
                     [1, 2]\n\
                     {\"id\": 5, \"tags\": [7]}\n\
                     {\"id\": \" \", \"tags\": []}\n";
        let e = errors(input);
        assert_eq!(e.len(), 10, "{e:#?}");
        assert!(e[0].starts_with("gold.jsonl:2: not valid JSON"), "{}", e[0]);
        assert_eq!(e[1], "gold.jsonl:3: missing field `id`");
        assert!(
            e[2].starts_with("gold.jsonl:4: `id` must be an integer or a string"),
            "{}",
            e[2]
        );
        assert!(
            e[3].starts_with("gold.jsonl:5: id `2`: missing field `tags`"),
            "{}",
            e[3]
        );
        assert!(
            e[4].starts_with("gold.jsonl:6: id `3`: `tags` must be a list"),
            "{}",
            e[4]
        );
        assert!(
            e[5].starts_with("gold.jsonl:7: id `4`: unknown tag `competance`"),
            "{}",
            e[5]
        );
        assert_eq!(e[6], "gold.jsonl:8: id `1` is already labeled at line 1");
        assert!(
            e[7].starts_with("gold.jsonl:9: expected an object"),
            "{}",
            e[7]
        );
        assert!(
            e[8].starts_with("gold.jsonl:10: id `5`: tags must be strings"),
            "{}",
            e[8]
        );
        assert_eq!(e[9], "gold.jsonl:11: `id` is empty");
    }

    #[test]
    fn invalid_utf8_is_a_line_error_not_a_crash() {
        let e = errors(b"{\"id\": 1, \"tags\": []}\n\xff\xfe\n");
        assert_eq!(e, vec!["gold.jsonl:2: the line is not valid UTF-8"]);
    }
}
