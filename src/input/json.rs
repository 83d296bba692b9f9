//! `json`: a top-level JSON array of objects, the usual export of pandas
//! (`to_json(orient="records")`) and jq (`jq -s`), pretty or compact; also
//! objects one after another (what `jq` prints without `-s`).
//!
//! The file is not parsed as one document, which would hold all of it in
//! memory: a small scanner finds where each element of the array starts and
//! ends (minding strings and nesting) and hands one element at a time to
//! serde_json. An element that is not a usable object becomes one error
//! record; the scanner goes on with the next one.

use super::fields::FieldSpec;
use super::jsonl::parse_object;
use super::lines::read_error;
use super::{InputOptions, MAX_RECORD_BYTES, RecordError, RecordResult, SourcePos};
use std::io::{self, BufRead};

pub struct JsonArray<R> {
    inner: R,
    name: String,
    spec: FieldSpec,
    /// 1-based line of the next byte.
    line: u64,
    /// Bytes read of the current line: the 1-based column of the last byte.
    column: u64,
    state: State,
    pending: Option<u8>,
}

/// What [`JsonArray::element`] read.
enum Element {
    Whole(Vec<u8>),
    /// Longer than [`MAX_RECORD_BYTES`].
    TooLong,
    /// A string ran into a line break at the end of this line.
    Broken(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first non-blank byte.
    Start,
    /// Inside `[ … ]`.
    Array,
    /// Objects one after another, no brackets.
    Sequence,
    Done,
}

impl<R: BufRead> JsonArray<R> {
    pub fn new(inner: R, name: String, options: &InputOptions) -> JsonArray<R> {
        JsonArray {
            inner,
            name,
            spec: FieldSpec::new(options),
            line: 1,
            column: 0,
            state: State::Start,
            pending: None,
        }
    }

    fn pos(&self, line: u64) -> SourcePos {
        SourcePos {
            file: self.name.clone(),
            line,
        }
    }

    fn byte(&mut self) -> io::Result<Option<u8>> {
        if let Some(b) = self.pending.take() {
            return Ok(Some(b));
        }
        let b = loop {
            match self.inner.fill_buf() {
                Ok([]) => return Ok(None),
                Ok(buf) => break buf[0],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.inner.consume(1);
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Ok(Some(b))
    }

    /// The next byte that is not white space (nor a UTF-8 byte-order mark).
    fn significant(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.byte()? {
                Some(b' ' | b'\t' | b'\r' | b'\n' | 0xEF | 0xBB | 0xBF) => continue,
                other => return Ok(other),
            }
        }
    }

    /// Reads one element that starts with `first`, up to where it ends; the
    /// byte after a scalar (`,` or `]`) is kept for the caller. At most
    /// [`MAX_RECORD_BYTES`] are kept.
    fn element(&mut self, first: u8) -> io::Result<Element> {
        let mut buf = vec![first];
        let mut too_long = false;
        let mut push = |buf: &mut Vec<u8>, b: u8| {
            if buf.len() < MAX_RECORD_BYTES {
                buf.push(b);
            } else {
                too_long = true;
            }
        };
        let nested = matches!(first, b'{' | b'[');
        let mut depth = usize::from(nested);
        let mut in_string = first == b'"';
        let mut escaped = false;
        while depth > 0 || in_string || !nested {
            let Some(b) = self.byte()? else { break };
            if in_string && b == b'\n' {
                // A JSON string cannot hold a line break: the quote was never
                // closed, and reading on would swallow the elements after it.
                return Ok(Element::Broken(self.line - 1));
            }
            if in_string {
                push(&mut buf, b);
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' | b'}' if !nested => {
                    self.pending = Some(b);
                    break;
                }
                _ => {}
            }
            push(&mut buf, b);
        }
        Ok(if too_long {
            Element::TooLong
        } else {
            Element::Whole(buf)
        })
    }

    /// After a broken element that started at `column`: skips to the next
    /// line whose first byte (after indentation) starts an element at that
    /// column or further left (`{`), or closes the array further left (`]`),
    /// and keeps that byte for the caller. Pretty-printed arrays (pandas,
    /// jq) start every element on a line of its own, so the elements after
    /// the broken one still come out.
    fn resync(&mut self, column: u64) -> io::Result<()> {
        let mut line_start = true;
        while let Some(b) = self.byte()? {
            match b {
                b'\n' => line_start = true,
                b' ' | b'\t' | b'\r' => {}
                b'{' if line_start && self.column <= column => {
                    self.pending = Some(b);
                    return Ok(());
                }
                b']' if line_start && self.column < column => {
                    self.pending = Some(b);
                    return Ok(());
                }
                _ => line_start = false,
            }
        }
        Ok(())
    }

    fn fail(&mut self, line: u64, message: String) -> Option<RecordResult> {
        self.state = State::Done;
        Some(Err(RecordError::new(self.pos(line), message)))
    }
}

impl<R: BufRead> Iterator for JsonArray<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        loop {
            if self.state == State::Done {
                return None;
            }
            let b = match self.significant() {
                Ok(b) => b,
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(read_error(self.pos(self.line), &e)));
                }
            };
            let (line, column) = (self.line, self.column);
            let first = match (self.state, b) {
                (_, None) if self.state == State::Array => {
                    return self.fail(line, "the JSON array is not closed (no `]`)".into());
                }
                (_, None) => return None,
                (State::Start, Some(b'[')) => {
                    self.state = State::Array;
                    continue;
                }
                (State::Start, Some(b)) => {
                    self.state = State::Sequence;
                    b
                }
                (State::Array, Some(b',')) => continue,
                (State::Array, Some(b']')) => {
                    self.state = State::Done;
                    continue;
                }
                (_, Some(b)) => b,
            };
            let source = self.pos(line);
            return Some(match self.element(first) {
                Ok(Element::Whole(bytes)) => {
                    parse_object(&self.spec, source, bytes, Some((line, column)))
                }
                Ok(Element::Broken(at)) => {
                    let resynced = self.resync(column);
                    if let Err(e) = resynced {
                        self.state = State::Done;
                        return Some(Err(read_error(source, &e)));
                    }
                    Err(RecordError::new(
                        source,
                        format!(
                            "invalid JSON at line {at}: a string is not closed before the line \
                             ends; reading on at the next element"
                        ),
                    ))
                }
                Ok(Element::TooLong) => Err(RecordError::new(
                    source,
                    format!(
                        "record longer than {} MiB",
                        MAX_RECORD_BYTES / (1024 * 1024)
                    ),
                )),
                Err(e) => {
                    self.state = State::Done;
                    Err(read_error(source, &e))
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::read_all;
    use super::super::{Format, InputOptions};

    fn opts() -> InputOptions {
        InputOptions {
            format: Some(Format::Json),
            ..Default::default()
        }
    }

    #[test]
    fn pretty_and_compact_arrays_give_one_record_per_object() {
        let pretty = b"[\n  {\n    \"id\": \"R1\",\n    \"text\": \"a [b], {c} \\\"d\\\"\"\n  },\n  {\n    \"id\": 2,\n    \"title\": \"T\",\n    \"description\": \"D\"\n  }\n]\n";
        let got: Vec<_> = read_all(pretty, &opts())
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].id, "R1");
        assert_eq!(got[0].text, "a [b], {c} \"d\"");
        assert_eq!(got[0].source.line, 2);
        assert_eq!((got[1].id.as_str(), got[1].text.as_str()), ("2", "T. D"));
        assert_eq!(got[1].source.line, 6);

        let compact = b"[{\"text\":\"x\"},{\"text\":\"y\"}]";
        let got = read_all(compact, &opts());
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].as_ref().unwrap().text, "y");
    }

    #[test]
    fn objects_one_after_another_and_bad_elements() {
        let seq = b"{\n \"text\": \"a\"\n}\n{\n \"text\": \"b\"\n}\n";
        let got = read_all(seq, &opts());
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].as_ref().unwrap().source.line, 4);

        let bad = b"[{\"text\":\"ok\"}, 3, \"s\", {\"id\": 5}, {\"text\":\"end\"}]";
        let got = read_all(bad, &opts());
        assert_eq!(got.len(), 5);
        assert!(
            got[1]
                .as_ref()
                .unwrap_err()
                .message
                .contains("found a number")
        );
        assert!(
            got[2]
                .as_ref()
                .unwrap_err()
                .message
                .contains("found a string")
        );
        assert!(
            got[3]
                .as_ref()
                .unwrap_err()
                .message
                .starts_with("missing text field")
        );
        assert_eq!(got[4].as_ref().unwrap().text, "end");

        let open = b"[{\"text\":\"ok\"},";
        let got = read_all(open, &opts());
        assert!(got[1].as_ref().unwrap_err().message.contains("not closed"));
        assert!(read_all(b"[]", &opts()).is_empty());
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column_in_the_file() {
        let compact =
            b"[{\"id\": 1, \"text\": \"ok\"}, {\"id\": 2, \"text\": tru}, {\"text\": \"x\"}]";
        let got = read_all(compact, &opts());
        assert_eq!(got.len(), 3);
        let e = got[1].as_ref().unwrap_err();
        assert!(
            e.message.starts_with("invalid JSON at line 1, column 48"),
            "{}",
            e.message
        );
        let pretty = b"[\n  {\"text\": \"a\"},\n  {\n    \"text\": \"b\",\n    \"id\": x\n  }\n]\n";
        let got = read_all(pretty, &opts());
        let e = got[1].as_ref().unwrap_err();
        assert_eq!(e.source.line, 3);
        assert!(
            e.message.starts_with("invalid JSON at line 5, column 11"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_unclosed_string_loses_only_its_own_element() {
        let pretty = b"[\n  {\"id\": 1, \"text\": \"ok\"},\n  {\"id\": 2, \"text\": \"broken\n  {\"id\": 3, \"text\": \"three\"},\n  {\n    \"id\": 4,\n    \"text\": \"four\"\n  }\n]\n";
        let got = read_all(pretty, &opts());
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().id, "1");
        let e = got[1].as_ref().unwrap_err();
        assert_eq!(e.source.line, 3);
        assert!(
            e.message.contains("not closed before the line ends"),
            "{}",
            e.message
        );
        assert_eq!(got[2].as_ref().unwrap().text, "three");
        assert_eq!(got[3].as_ref().unwrap().text, "four");
    }
}
