//! `csv` and `tsv`: a header row, then one record per row. Parsing (quotes,
//! embedded newlines and delimiters) is the `csv` crate's; rows are read as
//! bytes so that a bad byte spoils one row, and leniently (`flexible`) so that
//! a row with the wrong number of columns becomes one error record instead of
//! stopping the reader.

use super::fields::{FieldSpec, Value};
use super::lines::read_error;
use super::{InputOptions, RecordError, RecordResult, SourcePos};
use std::borrow::Cow;
use std::io::Read;

pub struct Delimited<R> {
    reader: csv::Reader<R>,
    name: String,
    spec: FieldSpec,
    header: Option<Vec<String>>,
    row: csv::ByteRecord,
    done: bool,
}

impl<R: Read> Delimited<R> {
    pub fn new(inner: R, name: String, delimiter: u8, options: &InputOptions) -> Delimited<R> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(inner);
        Delimited {
            reader,
            name,
            spec: FieldSpec::new(options),
            header: None,
            row: csv::ByteRecord::new(),
            done: false,
        }
    }

    fn pos(&self, line: u64) -> SourcePos {
        SourcePos {
            file: self.name.clone(),
            line,
        }
    }

    /// Reads the next row; `None` at the end, or an error that ends the input.
    fn read_row(&mut self) -> Option<Result<u64, RecordError>> {
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.row) {
            Ok(true) => Some(Ok(self.row.position().map_or(0, |p| p.line()))),
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                let line = e
                    .position()
                    .map_or(self.reader.position().line(), |p| p.line());
                let io = match e.into_kind() {
                    csv::ErrorKind::Io(io) => io,
                    other => std::io::Error::other(format!("{other:?}")),
                };
                Some(Err(read_error(self.pos(line), &io)))
            }
        }
    }

    fn record(&self, header: &[String], line: u64) -> RecordResult {
        let source = self.pos(line);
        if self.row.len() != header.len() {
            return Err(RecordError::new(
                source,
                format!(
                    "expected {} columns as in the header, found {}",
                    header.len(),
                    self.row.len()
                ),
            ));
        }
        let mut fields: Vec<&str> = Vec::with_capacity(self.row.len());
        for (i, bytes) in self.row.iter().enumerate() {
            match std::str::from_utf8(bytes) {
                Ok(s) => fields.push(s),
                Err(e) => {
                    let message = format!(
                        "invalid UTF-8 in column `{}` at byte {}",
                        header[i],
                        e.valid_up_to() + 1
                    );
                    return Err(RecordError::new(source, message));
                }
            }
        }
        self.spec
            .record(source, |name| match header.iter().position(|h| h == name) {
                Some(i) => Value::Text(Cow::Borrowed(fields[i])),
                None => Value::Missing,
            })
    }
}

impl<R: Read> Iterator for Delimited<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        if self.header.is_none() {
            if let Err(e) = self.read_row()? {
                return Some(Err(e));
            }
            let mut names: Vec<String> = self
                .row
                .iter()
                .map(|h| String::from_utf8_lossy(h).trim().to_string())
                .collect();
            if let Some(first) = names.first_mut() {
                if let Some(rest) = first.strip_prefix('\u{feff}') {
                    *first = rest.to_string();
                }
            }
            self.header = Some(names);
        }
        let line = match self.read_row()? {
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        let header = self.header.as_deref().unwrap_or_default();
        Some(self.record(header, line))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions};

    fn csv() -> InputOptions {
        InputOptions {
            format: Some(Format::Csv),
            ..Default::default()
        }
    }

    #[test]
    fn reads_quoted_fields_with_newlines_and_keeps_line_numbers() {
        let data =
            b"\xEF\xBB\xBFid,title,description\n1,\"Bot, again\",\"Two\nlines\"\n2,Second,Row\n";
        let got: Vec<_> = read_all(data, &csv())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].id.as_str(), got[0].text.as_str()),
            ("1", "Bot, again. Two\nlines")
        );
        assert_eq!(got[1].source.line, 4);
    }

    #[test]
    fn wrong_column_counts_and_bad_bytes_are_error_records() {
        let data = b"id,text\n1,fine\n2,too,many\n3\n4,bad \xff\n5,\n6,last\n";
        let got = read_all(data, &csv());
        assert_eq!(got.len(), 6);
        let messages: Vec<String> = got
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.message.clone()))
            .collect();
        assert_eq!(messages[0], "expected 2 columns as in the header, found 3");
        assert_eq!(messages[1], "expected 2 columns as in the header, found 1");
        assert!(
            messages[2].starts_with("invalid UTF-8 in column `text`"),
            "{}",
            messages[2]
        );
        assert_eq!(messages[3], "empty text in `text`");
        let e = got[4].as_ref().unwrap_err();
        assert_eq!((e.id.as_str(), e.source.line), ("5", 6));
        assert_eq!(got[5].as_ref().unwrap().text, "last");
    }

    #[test]
    fn tsv_and_explicit_fields() {
        let options = InputOptions {
            format: Some(Format::Tsv),
            text_fields: vec!["a".into(), "b".into()],
            id_field: Some("key".into()),
            keep: Vec::new(),
        };
        let got = read_all(b"key\ta\tb\nk1\tone, two\tthree\n", &options);
        let r = got[0].as_ref().unwrap();
        assert_eq!((r.id.as_str(), r.text.as_str()), ("k1", "one, two. three"));
    }

    #[test]
    fn header_only_or_empty_input_has_no_records() {
        assert!(read_all(b"id,text\n", &csv()).is_empty());
        assert!(read_all(b"", &csv()).is_empty());
    }
}
