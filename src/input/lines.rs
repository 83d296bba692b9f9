//! `lines`: one incident per line. Blank lines separate nothing and are no
//! records; the id of each record is `FILE:LINE`.

use super::line_reader::{LineReader, is_blank};
use super::{MAX_RECORD_BYTES, Record, RecordError, RecordResult, SourcePos, decode};
use std::io::BufRead;

pub struct Lines<R> {
    reader: LineReader<R>,
    name: String,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(inner: R, name: String) -> Lines<R> {
        Lines {
            reader: LineReader::new(inner, MAX_RECORD_BYTES),
            name,
            buf: Vec::new(),
        }
    }

    fn pos(&self, line: u64) -> SourcePos {
        SourcePos {
            file: self.name.clone(),
            line,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
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
            return Some(match decode(std::mem::take(&mut self.buf)) {
                Ok(text) => Ok(Record {
                    id: source.default_id(),
                    text,
                    source,
                    kept: Vec::new(),
                }),
                Err(message) => Err(RecordError::new(source, message)),
            });
        }
    }
}

pub(super) fn read_error(source: SourcePos, e: &std::io::Error) -> RecordError {
    RecordError::new(
        source,
        format!("read error, the rest of the input is lost: {e}"),
    )
}

pub(super) fn too_long(source: SourcePos) -> RecordError {
    RecordError::new(
        source,
        format!(
            "record longer than {} MiB, skipped",
            MAX_RECORD_BYTES / (1024 * 1024)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions};

    fn opts() -> InputOptions {
        InputOptions {
            format: Some(Format::Lines),
            ..Default::default()
        }
    }

    #[test]
    fn one_record_per_non_blank_line_named_by_file_and_line() {
        let got = read_all(b"first incident\n\n  \nsecond incident\r\n", &opts());
        assert_eq!(got.len(), 2);
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.text, "second incident");
        assert_eq!(second.id, "t:4");
        assert_eq!(second.source.line, 4);
    }

    #[test]
    fn invalid_utf8_spoils_only_its_line() {
        let got = read_all(b"good one\nbad \xff byte\ngood two\n", &opts());
        assert_eq!(got.len(), 3);
        let err = got[1].as_ref().unwrap_err();
        assert_eq!(err.id, "t:2");
        assert!(
            err.message.contains("invalid UTF-8 at byte 5"),
            "{}",
            err.message
        );
        assert_eq!(got[2].as_ref().unwrap().text, "good two");
    }
}
