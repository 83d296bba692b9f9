//! `jsonl`: one JSON object per line (JSON Lines). Blank lines are skipped;
//! any other line that is not a JSON object is an error record.

use super::fields::{FieldSpec, Value};
use super::line_reader::{LineReader, is_blank};
use super::lines::{read_error, too_long};
use super::{InputOptions, MAX_RECORD_BYTES, RecordError, RecordResult, SourcePos, decode};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::io::BufRead;

pub struct Jsonl<R> {
    reader: LineReader<R>,
    name: String,
    spec: FieldSpec,
    buf: Vec<u8>,
}

impl<R: BufRead> Jsonl<R> {
    pub fn new(inner: R, name: String, options: &InputOptions) -> Jsonl<R> {
        Jsonl {
            reader: LineReader::new(inner, MAX_RECORD_BYTES),
            name,
            spec: FieldSpec::new(options),
            buf: Vec::new(),
        }
    }

    fn pos(&self, line: u64) -> SourcePos {
        SourcePos {
            file: self.name.clone(),
            line,
        }
    }

    fn parse(&mut self, source: SourcePos) -> RecordResult {
        parse_object(&self.spec, source, std::mem::take(&mut self.buf), None)
    }
}

/// One JSON object's bytes as a record (also used by the `json` reader).
/// `origin` is the line and column of
/// the object's first byte when it is part of a larger file (a JSON array),
/// so that a syntax error names its place in the file, not in the element.
pub(super) fn parse_object(
    spec: &FieldSpec,
    source: SourcePos,
    bytes: Vec<u8>,
    origin: Option<(u64, u64)>,
) -> RecordResult {
    let line = decode(bytes).map_err(|m| RecordError::new(source.clone(), m))?;
    let fields = match serde_json::from_str::<Object<'_>>(&line) {
        Ok(Object::Fields(fields)) => fields,
        Ok(Object::Not(kind)) => {
            return Err(RecordError::new(
                source,
                format!("expected a JSON object, found {kind}"),
            ));
        }
        Err(e) => return Err(RecordError::new(source, json_message(&e, origin))),
    };
    // The last of repeated keys counts, as in serde_json's own map.
    spec.record(source, |name| {
        match fields.iter().rev().find(|(k, _)| k == name) {
            None => Value::Missing,
            Some((_, Field::Text(s))) => Value::Text(Cow::Borrowed(s)),
            Some((_, Field::Json(Json::Null))) => Value::Null,
            Some((_, Field::Json(Json::String(s)))) => Value::Text(Cow::Borrowed(s)),
            Some((_, Field::Json(Json::Number(n)))) => Value::Text(Cow::Owned(n.to_string())),
            Some((_, Field::Json(Json::Bool(b)))) => Value::Text(Cow::Owned(b.to_string())),
            Some((_, Field::Json(v @ Json::Array(_)))) => Value::Other("array", v.to_string()),
            Some((_, Field::Json(v @ Json::Object(_)))) => Value::Other("object", v.to_string()),
        }
    })
}

/// A record's JSON: its fields, or the kind of value it is instead of an
/// object. String fields borrow from the line where they hold no escapes,
/// so the text is copied once, into the record (a `serde_json::Value` would
/// copy every string first).
enum Object<'a> {
    Fields(Vec<(Cow<'a, str>, Field<'a>)>),
    Not(&'static str),
}

/// One field's value: a string, or any other JSON value.
enum Field<'a> {
    Text(Cow<'a, str>),
    Json(Json),
}

impl<'de> serde::Deserialize<'de> for Object<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectVisitor)
    }
}

struct ObjectVisitor;

/// A map is a record's fields; any other value (read as a field value
/// would be) says what the line holds instead.
impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
    type Value = Object<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            fields.push((key.0, map.next_value::<Field<'de>>()?));
        }
        Ok(Object::Fields(fields))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Object<'de>, A::Error> {
        TextVisitor.visit_seq(seq).map(Object::not)
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Object<'de>, E> {
        TextVisitor.visit_str(s).map(Object::not)
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Object<'de>, E> {
        TextVisitor.visit_bool(b).map(Object::not)
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Object<'de>, E> {
        TextVisitor.visit_u64(n).map(Object::not)
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Object<'de>, E> {
        TextVisitor.visit_i64(n).map(Object::not)
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Object<'de>, E> {
        TextVisitor.visit_f64(n).map(Object::not)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Object<'de>, E> {
        TextVisitor.visit_unit().map(Object::not)
    }
}

impl Object<'_> {
    /// A line that holds `value` instead of an object.
    fn not(value: Field<'_>) -> Object<'static> {
        Object::Not(match value {
            Field::Text(_) => kind_of(&Json::String(String::new())),
            Field::Json(v) => kind_of(&v),
        })
    }
}

/// A key, borrowed where it holds no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor).map(|f| match f {
            Field::Text(s) => Key(s),
            Field::Json(_) => unreachable!("a key visits a string"),
        })
    }
}

impl<'de> serde::Deserialize<'de> for Field<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// Strings as text (borrowed where possible); every other value through
/// serde_json's own `Value`, so numbers and nested values read as before.
struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Field<'de>, E> {
        Ok(Field::Text(Cow::Owned(s)))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Json(Json::Bool(b)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Field<'de>, E> {
        Ok(Field::Json(Json::from(n)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Field<'de>, E> {
        Ok(Field::Json(Json::from(n)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Field<'de>, E> {
        Ok(Field::Json(Json::from(n)))
    }

    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Json(Json::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Field<'de>, A::Error> {
        use serde::Deserialize;
        Json::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Field::Json)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Field<'de>, A::Error> {
        use serde::Deserialize;
        Json::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Field::Json)
    }
}

impl<R: BufRead> Iterator for Jsonl<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        loop {
            let info = match self.reader.next_line(&mut self.buf) {
                Ok(Some(info)) => info,
                Ok(None) => return None,
                Err(e) => return Some(Err(read_error(self.pos(self.reader.number() + 1), &e))),
            };
            let source = self.pos(info.number);
            if info.too_long {
                return Some(Err(too_long(source)));
            }
            if is_blank(&self.buf) {
                continue;
            }
            return Some(self.parse(source));
        }
    }
}

pub(super) fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// serde_json's message says "at line 1 column N"; within one line only the
/// column means anything.
fn json_message(e: &serde_json::Error, origin: Option<(u64, u64)>) -> String {
    let full = e.to_string();
    let what = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    match origin {
        None => format!("invalid JSON at column {}: {what}", e.column()),
        Some((line, column)) => {
            // serde counts from the element's first byte (line 1, column 1).
            let (line, column) = if e.line() <= 1 {
                (line, column + (e.column() as u64).saturating_sub(1))
            } else {
                (line + e.line() as u64 - 1, e.column() as u64)
            };
            format!("invalid JSON at line {line}, column {column}: {what}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions};

    fn opts() -> InputOptions {
        InputOptions {
            format: Some(Format::Jsonl),
            ..Default::default()
        }
    }

    #[test]
    fn reads_ids_and_texts_and_skips_blank_lines() {
        let data = b"{\"id\": 12, \"title\": \"A\", \"description\": \"B\"}\n\n{\"text\": \"C\"}\n";
        let got: Vec<_> = read_all(data, &opts())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].id.as_str(), got[0].text.as_str()), ("12", "A. B"));
        assert_eq!((got[1].id.as_str(), got[1].source.line), ("t:3", 3));
    }

    #[test]
    fn each_bad_line_is_one_error_and_the_rest_is_read() {
        let data = b"{\"text\": \"ok\"}\n{\"text\": \nnot json\n[1,2]\n{\"id\": \"x\", \"text\": \"\xff\"}\n{\"id\": 5}\n{\"text\": \"end\"}\n";
        let got = read_all(data, &opts());
        assert_eq!(got.len(), 7);
        let errors: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 5);
        assert!(
            errors[0].message.starts_with("invalid JSON at column"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[2].message, "expected a JSON object, found an array");
        assert!(
            errors[3].message.contains("invalid UTF-8"),
            "{}",
            errors[3].message
        );
        assert_eq!(errors[4].id, "5");
        assert!(errors[4].message.starts_with("missing text field"));
        assert_eq!(got[6].as_ref().unwrap().text, "end");
    }
}
