//! `csv` and `tsv`: a header row, then one record per row.
//!
//! The parser is our own rather than the `csv` crate's, because every case
//! the crate got wrong was about lines, not fields: it counted `\r\n` as two
//! lines in its positions (every id and line one too low), a CR-only file as
//! one line (duplicate ids), held a row of any length in memory, and let an
//! unclosed quote swallow the rest of the file as one field.
//!
//! - Lines end at `\n`, `\r\n` or a lone `\r`, and each counts once.
//! - CSV fields follow RFC 4180: a field that starts with `"` is quoted, may
//!   hold delimiters, `""` and line breaks (kept as they were written); text
//!   after its closing quote is kept, as most readers do.
//! - TSV has no quoting (IANA text/tab-separated-values: a field cannot hold a
//!   tab or a line break), so a text that starts with `"` is read as written.
//! - A quote still open at the end of the input, or after
//!   [`MAX_RECORD_BYTES`], is an error record at the line where it opened,
//!   and reading starts again at the next line, so that every other row
//!   still comes out.
//! - A record over [`MAX_RECORD_BYTES`] is an error record; at most that much
//!   (plus one line) is held in memory.
//! - Blank lines between records are skipped, as CSV readers do (exported
//!   files often end with some).

use super::fields::{FieldSpec, Value};
use super::line_reader::is_blank;
use super::lines::{read_error, too_long};
use super::{InputOptions, MAX_RECORD_BYTES, RecordError, RecordResult, SourcePos};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead};

/// One physical line: its bytes without the line end, the line end as
/// written (kept inside quoted fields), its number, and whether it was cut
/// at the cap.
#[derive(Debug, Clone, Default)]
struct Line {
    bytes: Vec<u8>,
    ending: &'static [u8],
    number: u64,
    too_long: bool,
}

/// Splits a byte stream into lines at `\n`, `\r\n` and `\r`, keeping at most
/// `max` bytes of each.
struct Splitter<R> {
    inner: R,
    number: u64,
    max: usize,
    failed: bool,
    /// The last line ended with `\r` at the end of a buffer: a `\n` that
    /// starts the next one belongs to it.
    after_cr: bool,
}

impl<R: BufRead> Splitter<R> {
    fn next_line(&mut self) -> io::Result<Option<Line>> {
        if self.failed {
            return Ok(None);
        }
        let mut line = Line::default();
        let mut read_any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            };
            if available.is_empty() {
                break;
            }
            if std::mem::take(&mut self.after_cr) && available[0] == b'\n' {
                self.inner.consume(1);
                continue;
            }
            read_any = true;
            let found = memchr::memchr2(b'\n', b'\r', available);
            let chunk = &available[..found.unwrap_or(available.len())];
            let room = self.max.saturating_sub(line.bytes.len());
            if chunk.len() > room {
                line.too_long = true;
            }
            line.bytes
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
            let Some(at) = found else {
                let used = chunk.len();
                self.inner.consume(used);
                continue;
            };
            let (ending, used): (&'static [u8], usize) = match available[at] {
                b'\n' => (b"\n", 1),
                _ if available.get(at + 1) == Some(&b'\n') => (b"\r\n", 2),
                _ => {
                    // A `\n` may still follow in the next buffer.
                    self.after_cr = at + 1 == available.len();
                    (b"\r", 1)
                }
            };
            line.ending = ending;
            self.inner.consume(at + used);
            break;
        }
        if !read_any {
            return Ok(None);
        }
        self.number += 1;
        line.number = self.number;
        if line.number == 1 && line.bytes.starts_with(b"\xEF\xBB\xBF") {
            line.bytes.drain(..3);
        }
        Ok(Some(line))
    }
}

/// A row as parsed: its fields, and the line it starts on.
#[derive(Debug, Default)]
struct Row {
    fields: Vec<Vec<u8>>,
    line: u64,
}

/// What parsing one record gave.
enum Parsed {
    Row(Row),
    /// An error record; reading goes on.
    Bad(RecordError),
    /// The input failed; this is its last item.
    Failed(RecordError),
    End,
}

pub struct Delimited<R> {
    lines: Splitter<R>,
    /// Lines read once already, to parse again after an unclosed quote.
    replay: VecDeque<Line>,
    name: String,
    spec: FieldSpec,
    delimiter: u8,
    quoting: bool,
    header: Option<Vec<String>>,
    done: bool,
}

impl<R: BufRead> Delimited<R> {
    pub fn new(inner: R, name: String, delimiter: u8, options: &InputOptions) -> Delimited<R> {
        Delimited {
            lines: Splitter {
                inner,
                number: 0,
                max: MAX_RECORD_BYTES,
                failed: false,
                after_cr: false,
            },
            replay: VecDeque::new(),
            name,
            spec: FieldSpec::new(options),
            delimiter,
            // TSV has no quoting: see the module comment.
            quoting: delimiter != b'\t',
            header: None,
            done: false,
        }
    }

    fn pos(&self, line: u64) -> SourcePos {
        SourcePos {
            file: self.name.clone(),
            line,
        }
    }

    fn next_line(&mut self) -> io::Result<Option<Line>> {
        match self.replay.pop_front() {
            Some(line) => Ok(Some(line)),
            None => self.lines.next_line(),
        }
    }

    /// Parses the next record, skipping blank lines before it.
    fn parse(&mut self) -> Parsed {
        let first = loop {
            match self.next_line() {
                Ok(Some(line)) if !line.too_long && is_blank(&line.bytes) => continue,
                Ok(Some(line)) => break line,
                Ok(None) => return Parsed::End,
                Err(e) => {
                    let at = self.pos(self.lines.number + 1);
                    return Parsed::Failed(read_error(at, &e));
                }
            }
        };
        let mut row = Row {
            line: first.number,
            ..Row::default()
        };
        if first.too_long {
            return Parsed::Bad(too_long(self.pos(first.number)));
        }
        let mut field = Vec::new();
        let mut state = State::FieldStart;
        let mut size = 0usize;
        // The line where the last quote opened, and the lines of the record
        // before the current one.
        let mut quote_line = 0u64;
        let mut held: Vec<Line> = Vec::new();
        let mut line = first;
        loop {
            size += line.bytes.len() + line.ending.len();
            for &b in &line.bytes {
                let next = self.step(state, b, &mut field, &mut row.fields);
                if state == State::FieldStart && next == State::Quoted {
                    quote_line = line.number;
                }
                state = next;
            }
            if state != State::Quoted {
                row.fields.push(std::mem::take(&mut field));
                return Parsed::Row(row);
            }
            // The quoted field goes on: it keeps the line end as written.
            field.extend_from_slice(line.ending);
            let read = if size > MAX_RECORD_BYTES {
                Ok(None)
            } else {
                self.next_line()
            };
            let next = match read {
                Ok(Some(next)) if next.too_long => {
                    size = usize::MAX;
                    None
                }
                Ok(next) => next,
                Err(e) => {
                    let at = self.pos(self.lines.number + 1);
                    return Parsed::Failed(read_error(at, &e));
                }
            };
            match next {
                Some(next) => {
                    held.push(line);
                    line = next;
                }
                None => {
                    // The quote never closes: report it where it opened and
                    // read on from the line after.
                    held.push(line);
                    held.retain(|l| l.number > quote_line);
                    let message = if size > MAX_RECORD_BYTES {
                        format!(
                            "the quote opened on this line is not closed within {} MiB",
                            MAX_RECORD_BYTES / (1024 * 1024)
                        )
                    } else {
                        "the quote opened on this line is never closed".to_string()
                    };
                    for l in held.into_iter().rev() {
                        self.replay.push_front(l);
                    }
                    return Parsed::Bad(RecordError::new(self.pos(quote_line), message));
                }
            }
        }
    }

    /// One byte of the state machine.
    fn step(&self, state: State, b: u8, field: &mut Vec<u8>, fields: &mut Vec<Vec<u8>>) -> State {
        match state {
            State::FieldStart | State::Unquoted | State::AfterQuote if b == self.delimiter => {
                fields.push(std::mem::take(field));
                State::FieldStart
            }
            State::FieldStart if b == b'"' && self.quoting => State::Quoted,
            State::FieldStart | State::Unquoted => {
                field.push(b);
                State::Unquoted
            }
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => {
                field.push(b);
                State::Quoted
            }
            State::QuoteInQuoted if b == b'"' => {
                field.push(b'"');
                State::Quoted
            }
            State::QuoteInQuoted if b == self.delimiter => {
                fields.push(std::mem::take(field));
                State::FieldStart
            }
            State::QuoteInQuoted | State::AfterQuote => {
                field.push(b);
                State::AfterQuote
            }
        }
    }

    fn record(&self, header: &[String], row: Row) -> RecordResult {
        let source = self.pos(row.line);
        if row.fields.len() != header.len() {
            return Err(RecordError::new(
                source,
                format!(
                    "expected {} columns as in the header, found {}",
                    header.len(),
                    row.fields.len()
                ),
            ));
        }
        let mut fields: Vec<&str> = Vec::with_capacity(row.fields.len());
        for (i, bytes) in row.fields.iter().enumerate() {
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

/// Where the parser is within a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of it, or the first of `""`.
    QuoteInQuoted,
    /// Text after a quoted field's closing quote.
    AfterQuote,
}

impl<R: BufRead> Iterator for Delimited<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        if self.done {
            return None;
        }
        let parsed = self.parse();
        let row = match parsed {
            Parsed::Row(row) => row,
            Parsed::Bad(e) => return Some(Err(e)),
            Parsed::Failed(e) => {
                self.done = true;
                return Some(Err(e));
            }
            Parsed::End => {
                self.done = true;
                return None;
            }
        };
        let Some(header) = &self.header else {
            let names = row
                .fields
                .iter()
                .map(|h| String::from_utf8_lossy(h).trim().to_string())
                .collect();
            self.header = Some(names);
            return self.next();
        };
        Some(self.record(header, row))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions, MAX_RECORD_BYTES};

    fn csv() -> InputOptions {
        InputOptions {
            format: Some(Format::Csv),
            ..Default::default()
        }
    }

    fn tsv() -> InputOptions {
        InputOptions {
            format: Some(Format::Tsv),
            ..Default::default()
        }
    }

    /// (id or error, line) of every item.
    fn summary(data: &[u8], options: &InputOptions) -> Vec<(String, u64)> {
        read_all(data, options)
            .into_iter()
            .map(|r| match r {
                Ok(r) => (r.id, r.source.line),
                Err(e) => (format!("error: {}", e.message), e.source.line),
            })
            .collect()
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

    /// Issue #13, item 2: with `\r\n` every line and id was one too low.
    #[test]
    fn crlf_lines_count_once() {
        let data = b"text\r\nfirst\r\n\"two\r\nlines\"\r\nthird\r\n";
        let got = summary(data, &csv());
        assert_eq!(
            got,
            vec![("t:2".into(), 2), ("t:3".into(), 3), ("t:5".into(), 5)]
        );
        let r = read_all(data, &csv());
        assert_eq!(r[1].as_ref().unwrap().text, "two\r\nlines");
        assert_eq!(summary(b"text\r\na\r\nb\r\n", &tsv())[1], ("t:3".into(), 3));
    }

    /// Issue #13, item 2: a CR-only file gave every record the same id.
    #[test]
    fn cr_only_lines_are_lines() {
        let got = summary(b"id,text\r1,a\r2,b\r\r3,c", &csv());
        assert_eq!(got, vec![("1".into(), 2), ("2".into(), 3), ("3".into(), 5)]);
        let got = summary(b"text\ra\rb\r", &tsv());
        assert_eq!(got, vec![("t:2".into(), 2), ("t:3".into(), 3)]);
    }

    /// Issue #12, item 8: an unclosed quote swallowed the rest of the file.
    #[test]
    fn an_unclosed_quote_is_reported_where_it_opened_and_the_rest_still_comes_out() {
        let data = b"id,text\n1,one\n2,\"never closed\n3,three\n4,four\n";
        let got = summary(data, &csv());
        assert_eq!(
            got,
            vec![
                ("1".into(), 2),
                (
                    "error: the quote opened on this line is never closed".into(),
                    3
                ),
                ("3".into(), 4),
                ("4".into(), 5),
            ]
        );
    }

    /// TSV has no quoting: a text may start with a quote.
    #[test]
    fn tsv_quotes_are_text() {
        let data = b"id\ttext\n1\t\"Quoted\" words, said the bot\n2\t\"open\n3\tthree\n";
        let got = read_all(data, &tsv());
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0].as_ref().unwrap().text,
            "\"Quoted\" words, said the bot"
        );
        assert_eq!(got[1].as_ref().unwrap().text, "\"open");
        assert_eq!(got[2].as_ref().unwrap().text, "three");
    }

    /// Issue #12, item 10: blank lines (often at the end of exports) are no records.
    #[test]
    fn blank_and_white_space_lines_are_skipped() {
        let data = b"id,text\n\n1,one\n  \n\t\n2,two\n\n\n \n";
        assert_eq!(
            summary(data, &csv()),
            vec![("1".into(), 3), ("2".into(), 6)]
        );
        assert!(read_all("text\n\u{3000}\n\n".as_bytes(), &csv()).is_empty());
        assert_eq!(summary(b"id\ttext\n\n1\tone\n \n", &tsv()).len(), 1);
    }

    /// Issue #12, item 3: a row over the record limit was held whole and
    /// gave no error record.
    #[test]
    fn rows_over_the_limit_are_error_records() {
        let mut data = b"id,text\n1,".to_vec();
        data.resize(data.len() + MAX_RECORD_BYTES + 10, b'a');
        data.extend_from_slice(b"\n2,fine\n");
        let got = summary(&data, &csv());
        assert_eq!(got.len(), 2);
        assert!(got[0].0.contains("longer than 16 MiB"), "{:?}", got[0]);
        assert_eq!(got[1], ("2".into(), 3));
        // The same inside a quote spanning lines.
        let mut data = b"id,text\n1,\"".to_vec();
        for _ in 0..(MAX_RECORD_BYTES / 1000 + 2) {
            data.extend_from_slice(&[b'b'; 999]);
            data.push(b'\n');
        }
        let got = read_all(&data, &csv());
        assert!(!got.is_empty());
        let first = got[0].as_ref().unwrap_err();
        assert_eq!(first.source.line, 2);
        assert!(first.message.contains("not closed within 16 MiB"));
        // What follows is read again from the next line: as rows of one column.
        assert!(got[1..].iter().all(|r| r.is_err()));
    }

    #[test]
    fn quoted_fields_follow_rfc_4180() {
        let data = b"id,text\n1,\"say \"\"hi\"\", then go\"\n2,\"a\"b\n3,x\"y\n";
        let got = read_all(data, &csv());
        assert_eq!(got[0].as_ref().unwrap().text, "say \"hi\", then go");
        assert_eq!(got[1].as_ref().unwrap().text, "ab");
        assert_eq!(got[2].as_ref().unwrap().text, "x\"y");
    }
}
