//! Reading lines as bytes with a length cap, the base of the line-based
//! readers. `BufRead::read_until` would hold a line of any length in memory;
//! this keeps at most [`MAX_RECORD_BYTES`](super::MAX_RECORD_BYTES) of it and
//! skips the rest.

use std::io::{self, BufRead};

/// What one call to [`LineReader::next_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo {
    /// 1-based line number.
    pub number: u64,
    /// The line was longer than the cap; the buffer holds only its start.
    pub too_long: bool,
}

pub struct LineReader<R> {
    inner: R,
    number: u64,
    max: usize,
    failed: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max: usize) -> LineReader<R> {
        LineReader {
            inner,
            number: 0,
            max,
            failed: false,
        }
    }

    /// The number of the last line read.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Reads the next line into `buf` (cleared first) without its `\n` or
    /// `\r\n`, and without a UTF-8 byte-order mark on the first line.
    /// `Ok(None)` at the end; after an I/O error, always `Ok(None)`.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineInfo>> {
        buf.clear();
        if self.failed {
            return Ok(None);
        }
        let mut too_long = false;
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
            read_any = true;
            let (chunk, found_newline) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], true),
                None => (available, false),
            };
            let room = self.max.saturating_sub(buf.len());
            if chunk.len() > room {
                too_long = true;
            }
            buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let used = chunk.len() + usize::from(found_newline);
            self.inner.consume(used);
            if found_newline {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        self.number += 1;
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if self.number == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        Ok(Some(LineInfo {
            number: self.number,
            too_long,
        }))
    }
}

/// Whether a line holds nothing but white space, Unicode's included (a line
/// of U+3000 is as blank as one of spaces), so that every format skips the
/// same lines. A line that is not valid UTF-8 is not blank.
pub fn is_blank(line: &[u8]) -> bool {
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return true;
    }
    std::str::from_utf8(line).is_ok_and(|s| s.chars().all(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn lines(data: &[u8], max: usize, capacity: usize) -> Vec<(Vec<u8>, LineInfo)> {
        let mut r = LineReader::new(
            BufReader::with_capacity(capacity, Cursor::new(data.to_vec())),
            max,
        );
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(info) = r.next_line(&mut buf).unwrap() {
            out.push((buf.clone(), info));
        }
        out
    }

    #[test]
    fn splits_lines_and_strips_endings_and_bom() {
        let got = lines(b"\xEF\xBB\xBFone\r\ntwo\n\nlast", 100, 4);
        let texts: Vec<&[u8]> = got.iter().map(|(b, _)| b.as_slice()).collect();
        assert_eq!(texts, vec![&b"one"[..], b"two", b"", b"last"]);
        assert_eq!(
            got.iter().map(|(_, i)| i.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn a_line_over_the_cap_is_cut_and_flagged_and_the_next_one_is_whole() {
        let got = lines(b"abcdefghij\nok\n", 4, 3);
        assert_eq!(got[0].0, b"abcd");
        assert!(got[0].1.too_long);
        assert_eq!(got[1].0, b"ok");
        assert!(!got[1].1.too_long);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_final_newline_does_not_make_an_extra_line() {
        assert_eq!(lines(b"a\n", 10, 8).len(), 1);
        assert_eq!(lines(b"", 10, 8).len(), 0);
    }
}
