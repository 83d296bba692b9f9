//! `paragraphs`: incidents separated by one or more blank lines, so that a
//! hard-wrapped text file reads as one record per paragraph. The lines of a
//! paragraph are kept as they are, joined by `\n`; its source is its first
//! line.

use super::line_reader::{LineReader, is_blank};
use super::lines::{read_error, too_long};
use super::{MAX_RECORD_BYTES, Record, RecordError, RecordResult, SourcePos, decode};
use std::io::BufRead;

pub struct Paragraphs<R> {
    reader: LineReader<R>,
    name: String,
    buf: Vec<u8>,
}

impl<R: BufRead> Paragraphs<R> {
    pub fn new(inner: R, name: String) -> Paragraphs<R> {
        Paragraphs {
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

impl<R: BufRead> Iterator for Paragraphs<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        let mut text: Vec<u8> = Vec::new();
        let mut first_line = None;
        let mut oversized = false;
        loop {
            match self.reader.next_line(&mut self.buf) {
                Ok(Some(info)) => {
                    if is_blank(&self.buf) {
                        if first_line.is_some() {
                            break;
                        }
                        continue;
                    }
                    first_line.get_or_insert(info.number);
                    if info.too_long || text.len() + 1 + self.buf.len() > MAX_RECORD_BYTES {
                        // Keep reading to the paragraph's end, holding nothing.
                        oversized = true;
                        text = Vec::new();
                    }
                    if !oversized {
                        if !text.is_empty() {
                            text.push(b'\n');
                        }
                        text.extend_from_slice(&self.buf);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let line = first_line.unwrap_or(self.reader.number() + 1);
                    return Some(Err(read_error(self.pos(line), &e)));
                }
            }
        }
        let source = self.pos(first_line?);
        if oversized {
            return Some(Err(too_long(source)));
        }
        Some(match decode(text) {
            Ok(text) => Ok(Record {
                id: source.default_id(),
                text,
                source,
                kept: Vec::new(),
            }),
            Err(message) => Err(RecordError::new(source, message)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions};

    fn opts() -> InputOptions {
        InputOptions {
            format: Some(Format::Paragraphs),
            ..Default::default()
        }
    }

    #[test]
    fn blank_lines_separate_records_and_wrapped_lines_stay_together() {
        let got = read_all(
            b"\nA chatbot was\njailbroken.\n\n\n  \nA robot\r\nfell over.\n",
            &opts(),
        );
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        assert_eq!(first.text, "A chatbot was\njailbroken.");
        assert_eq!(first.id, "t:2");
        let second = got[1].as_ref().unwrap();
        assert_eq!(second.text, "A robot\nfell over.");
        assert_eq!(second.source.line, 7);
    }

    #[test]
    fn a_bad_byte_spoils_its_paragraph_only() {
        let got = read_all(b"one\n\ntwo \xc3\x28\nstill two\n\nthree", &opts());
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].as_ref().unwrap_err().id, "t:3");
        assert_eq!(got[2].as_ref().unwrap().text, "three");
    }
}
