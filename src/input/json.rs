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
    state: State,
    pending: Option<u8>,
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
    /// [`MAX_RECORD_BYTES`] are kept; `None` if it was longer.
    fn element(&mut self, first: u8) -> io::Result<Option<Vec<u8>>> {
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
        Ok((!too_long).then_some(buf))
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
            let line = self.line;
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
                Ok(Some(bytes)) => parse_object(&self.spec, source, bytes),
                Ok(None) => Err(RecordError::new(
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
}
