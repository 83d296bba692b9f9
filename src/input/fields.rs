//! Choosing the id and the text of a record with named fields (JSONL
//! objects, CSV/TSV rows), the same way for every such format.

use super::{InputOptions, Record, RecordError, SourcePos};
use std::borrow::Cow;

/// What a record holds under one field name.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Missing,
    Null,
    /// A string, or a number or boolean written as text.
    Text(Cow<'a, str>),
    /// An array or object: no text, but it can still name a record
    /// (rendered as JSON). The first item is its kind, for messages.
    Other(&'static str, String),
}

/// Fields used when `--text-field` is not given: `text`, else these two.
const DEFAULT_TEXT: &str = "text";
const DEFAULT_TITLE: &str = "title";
const DEFAULT_DESCRIPTION: &str = "description";
const DEFAULT_ID: &str = "id";

/// The field choices of [`InputOptions`], resolved once per input.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    text_fields: Vec<String>,
    id_field: String,
    keep: Vec<String>,
}

impl FieldSpec {
    pub fn new(options: &InputOptions) -> FieldSpec {
        FieldSpec {
            text_fields: options.text_fields.clone(),
            id_field: options
                .id_field
                .clone()
                .unwrap_or_else(|| DEFAULT_ID.to_string()),
            keep: options.keep.clone(),
        }
    }

    /// Builds the record from a field lookup, or says why it cannot be used.
    pub fn record<'a>(
        &self,
        source: SourcePos,
        get: impl Fn(&str) -> Value<'a>,
    ) -> Result<Record, RecordError> {
        let id = match get(&self.id_field) {
            Value::Text(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Other(_, json) => Some(json),
            _ => None,
        };
        let fail =
            |message: String| Err(RecordError::new(source.clone(), message).with_id(id.clone()));
        let mut parts: Vec<Cow<'a, str>> = Vec::new();
        let mut used: Vec<&str> = Vec::new();
        if !self.text_fields.is_empty() {
            for name in &self.text_fields {
                match get(name) {
                    Value::Missing => return fail(format!("missing text field `{name}`")),
                    Value::Null => {}
                    Value::Text(s) => parts.push(s),
                    Value::Other(kind, _) => {
                        return fail(format!("text field `{name}` holds an {kind}, not text"));
                    }
                }
                used.push(name);
            }
        } else {
            let names: &[&str] = match get(DEFAULT_TEXT) {
                Value::Missing => &[DEFAULT_TITLE, DEFAULT_DESCRIPTION],
                _ => &[DEFAULT_TEXT],
            };
            for &name in names {
                match get(name) {
                    Value::Missing => continue,
                    Value::Null => {}
                    Value::Text(s) => parts.push(s),
                    Value::Other(kind, _) => {
                        return fail(format!("text field `{name}` holds an {kind}, not text"));
                    }
                }
                used.push(name);
            }
            if used.is_empty() {
                return fail(format!(
                    "missing text field: no `{DEFAULT_TEXT}`, `{DEFAULT_TITLE}` or `{DEFAULT_DESCRIPTION}` \
                     (choose fields with --text-field)"
                ));
            }
        }
        let text = join(&parts);
        if text.is_empty() {
            let fields: Vec<String> = used.iter().map(|n| format!("`{n}`")).collect();
            return fail(format!("empty text in {}", fields.join(" and ")));
        }
        let kept = self
            .keep
            .iter()
            .map(|name| match get(name) {
                Value::Missing | Value::Null => None,
                Value::Text(s) => Some(s.into_owned()),
                Value::Other(_, json) => Some(json),
            })
            .collect();
        Ok(Record {
            id: id.unwrap_or_else(|| source.default_id()),
            text,
            source,
            kept,
        })
    }
}

/// Checks a CSV/TSV header once for the whole file: an error when no
/// column can give the text (every row would fail the same way), naming the
/// columns found; warnings for `--id-field` and `--keep` columns it lacks.
pub fn check_columns(columns: &[String], options: &InputOptions) -> Result<Vec<String>, String> {
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let has = |name: &str| columns.iter().any(|c| c == name);
    let listed = shown_columns(columns);
    let missing: Vec<&str> = if options.text_fields.is_empty() {
        if has(DEFAULT_TEXT) || has(DEFAULT_TITLE) || has(DEFAULT_DESCRIPTION) {
            Vec::new()
        } else {
            vec![DEFAULT_TEXT]
        }
    } else {
        options
            .text_fields
            .iter()
            .map(String::as_str)
            .filter(|f| !has(f))
            .collect()
    };
    if !missing.is_empty() {
        let what = if options.text_fields.is_empty() {
            format!("no `{DEFAULT_TEXT}`, `{DEFAULT_TITLE}` or `{DEFAULT_DESCRIPTION}` column")
        } else {
            let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            format!("no column {}", names.join(", "))
        };
        let id = options.id_field.as_deref().unwrap_or(DEFAULT_ID);
        let suggestion = columns
            .iter()
            .rev()
            .find(|c| c.as_str() != id && !c.is_empty())
            .filter(|c| plain_name(c))
            .map(|c| format!("; use --text-field {c}"))
            .unwrap_or_default();
        return Err(format!("{what}; columns: {listed}{suggestion}"));
    }
    let mut warnings = Vec::new();
    if let Some(id) = options.id_field.as_deref().filter(|id| !has(id)) {
        warnings.push(format!(
            "--id-field: no column `{id}` (columns: {listed}); records are named FILE:LINE"
        ));
    }
    for k in options.keep.iter().filter(|k| !has(k)) {
        warnings.push(format!("--keep: no column `{k}` (columns: {listed})"));
    }
    Ok(warnings)
}

/// The most columns, and the most characters of one, a message lists: a file
/// that is no CSV at all (binary data, one huge line) has a "header" of
/// megabytes, which must not become a message of megabytes.
const SHOWN_COLUMNS: usize = 12;
const SHOWN_NAME_CHARS: usize = 40;

/// A column name a user could type as `--text-field`.
fn plain_name(name: &str) -> bool {
    name.chars().count() <= SHOWN_NAME_CHARS && !name.chars().any(char::is_control)
}

/// The header's columns for a message: control characters escaped, long
/// names cut, and at most [`SHOWN_COLUMNS`] of them.
fn shown_columns(columns: &[String]) -> String {
    let mut shown: Vec<String> = columns
        .iter()
        .take(SHOWN_COLUMNS)
        .map(|c| {
            let escaped: String = c.chars().flat_map(char::escape_debug).collect();
            match escaped.char_indices().nth(SHOWN_NAME_CHARS) {
                Some((cut, _)) => format!("{}…", &escaped[..cut]),
                None => escaped,
            }
        })
        .collect();
    if columns.len() > SHOWN_COLUMNS {
        shown.push(format!("… {} more", columns.len() - SHOWN_COLUMNS));
    }
    shown.join(", ")
}

/// The text of a record's parts. One part with text is the text as given,
/// white space and all, so that evidence offsets count in the field the user
/// wrote. Several are trimmed and joined with ". ", or only a space after a
/// part that already ends a sentence, so that a title and a description read
/// as two sentences to the sentence splitter (`--explain` output carries the
/// joined text, which offsets then count in). Only white space: empty.
pub fn join(parts: &[Cow<'_, str>]) -> String {
    let mut with_text = parts.iter().filter(|p| !p.trim().is_empty());
    match (with_text.next(), with_text.next()) {
        (None, _) => return String::new(),
        (Some(only), None) => return only.to_string(),
        _ => {}
    }
    let mut text = String::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !text.is_empty() {
            let ends_sentence = text.ends_with(['.', '!', '?', ':', ';', '…']);
            text.push_str(if ends_sentence { " " } else { ". " });
        }
        text.push_str(part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn record(
        options: &InputOptions,
        fields: &[(&str, Value<'static>)],
    ) -> Result<Record, RecordError> {
        let map: HashMap<&str, Value<'static>> = fields.iter().cloned().collect();
        let source = SourcePos {
            file: "f".into(),
            line: 3,
        };
        FieldSpec::new(options).record(source, |n| map.get(n).cloned().unwrap_or(Value::Missing))
    }

    fn text(s: &'static str) -> Value<'static> {
        Value::Text(Cow::Borrowed(s))
    }

    #[test]
    fn text_field_wins_over_title_and_description() {
        let r = record(
            &InputOptions::default(),
            &[("text", text("T")), ("title", text("X"))],
        )
        .unwrap();
        assert_eq!(r.text, "T");
        assert_eq!(r.id, "f:3");
    }

    #[test]
    fn title_and_description_are_joined_as_sentences() {
        let r = record(
            &InputOptions::default(),
            &[
                ("id", text("7")),
                ("title", text("Bot leaks data")),
                ("description", text("It did.")),
            ],
        )
        .unwrap();
        assert_eq!(
            (r.id.as_str(), r.text.as_str()),
            ("7", "Bot leaks data. It did.")
        );
        let r = record(
            &InputOptions::default(),
            &[("title", text("Why?")), ("description", text("Because"))],
        )
        .unwrap();
        assert_eq!(r.text, "Why? Because");
        let r = record(
            &InputOptions::default(),
            &[
                ("title", text("Only a title")),
                ("description", Value::Null),
            ],
        )
        .unwrap();
        assert_eq!(r.text, "Only a title");
    }

    #[test]
    fn explicit_fields_must_exist() {
        let options = InputOptions {
            text_fields: vec!["summary".into()],
            ..Default::default()
        };
        let e = record(&options, &[("id", text("9")), ("text", text("x"))]).unwrap_err();
        assert_eq!(e.id, "9");
        assert_eq!(e.message, "missing text field `summary`");
    }

    #[test]
    fn no_usable_text_is_an_error() {
        let e = record(
            &InputOptions::default(),
            &[("id", text("1")), ("body", text("x"))],
        )
        .unwrap_err();
        assert!(e.message.starts_with("missing text field"), "{}", e.message);
        let e = record(&InputOptions::default(), &[("text", text("   "))]).unwrap_err();
        assert_eq!(e.message, "empty text in `text`");
        assert_eq!(e.id, "f:3");
        let e = record(
            &InputOptions::default(),
            &[("text", Value::Other("array", "[1]".into()))],
        )
        .unwrap_err();
        assert!(e.message.contains("holds an array"), "{}", e.message);
    }

    /// Issue #12, item 9: offsets counted from the trimmed field.
    #[test]
    fn one_field_is_the_text_as_given() {
        let r = record(
            &InputOptions::default(),
            &[("text", text("  Bot leaked data.\n"))],
        )
        .unwrap();
        assert_eq!(r.text, "  Bot leaked data.\n");
        let r = record(
            &InputOptions::default(),
            &[("title", text("  Only title ")), ("description", text(" "))],
        )
        .unwrap();
        assert_eq!(r.text, "  Only title ");
        let r = record(
            &InputOptions::default(),
            &[("title", text(" A ")), ("description", text(" B "))],
        )
        .unwrap();
        assert_eq!(r.text, "A. B");
    }

    #[test]
    fn kept_fields_are_copied_in_order() {
        let options = InputOptions {
            keep: vec!["date".into(), "title".into(), "nope".into()],
            ..Default::default()
        };
        let r = record(
            &options,
            &[
                ("text", text("t")),
                ("title", text("A title")),
                ("date", text("2024-01-02")),
            ],
        )
        .unwrap();
        assert_eq!(
            r.kept,
            vec![Some("2024-01-02".into()), Some("A title".into()), None]
        );
    }

    #[test]
    fn a_header_of_binary_data_gives_a_short_message() {
        let huge = vec!["\0".repeat(1 << 20), "x".repeat(100)];
        let message = check_columns(&huge, &InputOptions::default()).unwrap_err();
        assert!(message.len() < 400, "{} bytes", message.len());
        assert!(
            message.contains("\\0\\0") && message.contains("xxx…"),
            "{message}"
        );
        assert!(!message.contains("--text-field"), "{message}");
        let many: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
        let message = check_columns(&many, &InputOptions::default()).unwrap_err();
        assert!(message.contains("c11, … 88 more"), "{message}");
    }

    #[test]
    fn a_header_without_text_is_one_error_naming_the_columns() {
        let columns: Vec<String> = ["incident_id", "summary"].map(String::from).to_vec();
        let e = check_columns(&columns, &InputOptions::default()).unwrap_err();
        assert!(e.contains("columns: incident_id, summary"), "{e}");
        assert!(e.ends_with("use --text-field summary"), "{e}");
        let options = InputOptions {
            text_fields: vec!["summary".into()],
            id_field: Some("key".into()),
            ..Default::default()
        };
        let w = check_columns(&columns, &options).unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("--id-field: no column `key`"), "{}", w[0]);
    }

    #[test]
    fn custom_id_field() {
        let options = InputOptions {
            id_field: Some("key".into()),
            ..Default::default()
        };
        let r = record(
            &options,
            &[
                ("key", text(" k1 ")),
                ("id", text("no")),
                ("text", text("t")),
            ],
        )
        .unwrap();
        assert_eq!(r.id, "k1");
    }
}
