//! Input readers: turn a file or stdin into a stream of [`Record`]s.
//!
//! Every reader streams through a `BufReader`: records are read one at a
//! time, as bytes, and each is checked for UTF-8 on its own, so a bad byte
//! spoils one record (which becomes a [`RecordError`]) and not the run. A
//! record that cannot be used never ends the stream; only a failing read of
//! the file itself does, after one last error item.
//!
//! ```no_run
//! use aitag::input::{self, InputOptions};
//! let options = InputOptions { text_fields: vec!["title".into(), "description".into()], ..Default::default() };
//! for item in input::open("incidents.jsonl", &options)? {
//!     match item {
//!         Ok(record) => println!("{}: {}", record.id, record.text),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok::<(), aitag::Error>(())
//! ```

mod delimited;
mod detect;
pub(crate) mod fields;
mod json;
mod jsonl;
mod line_reader;
mod lines;
mod paragraphs;

use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use detect::{detect_by_extension, sniff};
pub use fields::{FieldSpec, Value};

/// The name stdin gets in sources and record ids.
pub const STDIN_NAME: &str = "<stdin>";

/// The longest record a line-based reader keeps, in bytes. A longer one
/// becomes an error record and is skipped without being held in memory, so
/// that one huge line cannot exhaust memory.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// How records are laid out in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One incident per line; blank lines are skipped.
    Lines,
    /// Incidents separated by blank lines.
    Paragraphs,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects (or objects one after another), pretty or compact.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Lines,
        Format::Paragraphs,
        Format::Jsonl,
        Format::Json,
        Format::Csv,
        Format::Tsv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Lines => "lines",
            Format::Paragraphs => "paragraphs",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format by its name, case-insensitive (the Python binding's `format=`).
impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown input format `{s}` (expected lines, paragraphs, jsonl, json, csv or tsv)"
                )
            })
    }
}

/// How to read an input; shared by every command that reads records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// `None`: from the file's extension, else from its first lines.
    pub format: Option<Format>,
    /// Fields (JSONL) or columns (CSV/TSV) whose values, joined with ". ",
    /// are the text. Empty: `text`, else `title` and `description`.
    pub text_fields: Vec<String>,
    /// Field or column holding the record's id. `None`: `id`.
    pub id_field: Option<String>,
    /// Fields or columns copied into each output record (`--keep`), in this order.
    pub keep: Vec<String>,
}

/// Where a record starts: the file as named by the user (`<stdin>` for
/// stdin) and the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourcePos {
    pub file: String,
    pub line: u64,
}

impl SourcePos {
    /// The id of a record that has none of its own: `FILE:LINE`.
    pub fn default_id(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One incident to classify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub text: String,
    pub source: SourcePos,
    /// The values of [`InputOptions::keep`], in its order (`None` where the
    /// record has no such field or it is null); empty for text formats.
    pub kept: Vec<Option<String>>,
}

/// A record that could not be used. It still has an id (its own if it could
/// be read, else `FILE:LINE`) so that it can stand in the output in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub id: String,
    pub source: SourcePos,
    pub message: String,
}

impl RecordError {
    pub fn new(source: SourcePos, message: impl Into<String>) -> RecordError {
        RecordError {
            id: source.default_id(),
            source,
            message: message.into(),
        }
    }

    pub fn with_id(mut self, id: Option<String>) -> RecordError {
        if let Some(id) = id {
            self.id = id;
        }
        self
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

impl std::error::Error for RecordError {}

pub type RecordResult = std::result::Result<Record, RecordError>;

/// The records of one input, in order. The format is known once the input
/// is open (detected if it was not given).
pub struct Records {
    format: Format,
    warnings: Vec<String>,
    inner: Box<dyn Iterator<Item = RecordResult> + Send>,
}

impl Records {
    pub fn format(&self) -> Format {
        self.format
    }

    /// Problems of the input as a whole that still let it be read (e.g. an
    /// `--id-field` the header lacks), each once, for the caller to show.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The warnings as notices about the file at `path`.
    pub fn file_warnings<'a>(&'a self, path: &'a str) -> impl Iterator<Item = Notice> + 'a {
        self.warnings.iter().map(move |w| Notice::Warning {
            file: display_name(path).to_string(),
            message: w.clone(),
        })
    }
}

impl Iterator for Records {
    type Item = RecordResult;
    fn next(&mut self) -> Option<RecordResult> {
        self.inner.next()
    }
}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// What reading data files had to say besides the records, in the order
/// it came (eval and fit pass it on; batch has its own error records).
#[derive(Debug)]
pub enum Notice {
    /// About a file as a whole (e.g. an `--id-field` column it lacks).
    Warning { file: String, message: String },
    /// A record that could not be used; it is counted in the report.
    BadRecord(RecordError),
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Warning { file, message } => write!(f, "{file}: warning: {message}"),
            Notice::BadRecord(e) => write!(f, "{e}"),
        }
    }
}

/// The name a path gets in sources and ids: as given, or `<stdin>` for `-`.
pub fn display_name(path: &str) -> &str {
    if path == "-" { STDIN_NAME } else { path }
}

/// Opens a file (or stdin for `-`) for reading. A directory is refused here,
/// where its name is known, rather than failing on the first read.
pub fn open_source(path: &str) -> Result<Box<dyn Read + Send>> {
    if path == "-" {
        return Ok(Box::new(io::stdin()));
    }
    let io_err = |source| Error::Io {
        path: path.into(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    if file.metadata().map_err(io_err)?.is_dir() {
        return Err(io_err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        )));
    }
    Ok(Box::new(file))
}

/// The one text on stdin (what `aitag classify` reads): at most
/// [`MAX_RECORD_BYTES`], the most any reader accepts for one record, since a
/// larger one would be held whole in memory; UTF-8.
pub fn read_text(stdin: impl Read) -> Result<String> {
    let max = MAX_RECORD_BYTES;
    let mut bytes = Vec::new();
    stdin
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Input(format!("cannot read stdin: {e}")))?;
    if bytes.len() > max {
        let mib = max / (1024 * 1024);
        return Err(Error::Input(format!(
            "stdin holds more than {mib} MiB, the most one text may have (aitag batch reads many)"
        )));
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::Input(format!("cannot read stdin as UTF-8 text: {e}")))
}

/// The records of a file, or of stdin when `path` is `-`.
pub fn open(path: &str, options: &InputOptions) -> Result<Records> {
    from_reader(display_name(path), open_source(path)?, options)
}

/// The records of any reader. `name` is used in sources and ids, and its
/// extension (if any) to choose the format when `options.format` is `None`.
pub fn from_reader(
    name: &str,
    reader: impl Read + Send + 'static,
    options: &InputOptions,
) -> Result<Records> {
    let io_err = |source| Error::Io {
        path: name.into(),
        source,
    };
    let chosen = options.format.or_else(|| detect_by_extension(name));
    // A chosen format needs only the first line (the header, the encoding),
    // which also keeps a slow pipe from waiting for more lines.
    let head_lines = if chosen.is_some() {
        1
    } else {
        detect::HEAD_LINES
    };
    let (head, reader) = detect::read_head(reader, head_lines).map_err(io_err)?;
    if let Some(encoding) = detect::utf16(&head) {
        return Err(io_err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "this file is {encoding} text (what Excel saves as \"Unicode text\"), not UTF-8; \
                 save it as \"CSV UTF-8\" or convert it with `iconv -f UTF-16 -t UTF-8`"
            ),
        )));
    }
    let format = chosen.unwrap_or_else(|| sniff(&head, options));
    let mut warnings = Vec::new();
    if let Some(delimiter) = match format {
        Format::Csv => Some(b','),
        Format::Tsv => Some(b'\t'),
        _ => None,
    } {
        let columns = detect::header_columns(&head, delimiter);
        match fields::check_columns(&columns, options) {
            Ok(w) => warnings.extend(w),
            Err(message) => {
                return Err(io_err(io::Error::new(io::ErrorKind::InvalidData, message)));
            }
        }
    }
    let buffered = BufReader::with_capacity(64 * 1024, reader);
    let name = name.to_string();
    let inner: Box<dyn Iterator<Item = RecordResult> + Send> = match format {
        Format::Lines => Box::new(lines::Lines::new(buffered, name)),
        Format::Paragraphs => Box::new(paragraphs::Paragraphs::new(buffered, name)),
        Format::Jsonl => Box::new(jsonl::Jsonl::new(buffered, name, options)),
        Format::Json => Box::new(json::JsonArray::new(buffered, name, options)),
        Format::Csv => Box::new(delimited::Delimited::new(buffered, name, b',', options)),
        Format::Tsv => Box::new(delimited::Delimited::new(buffered, name, b'\t', options)),
    };
    Ok(Records {
        format,
        warnings,
        inner,
    })
}

/// Wraps a reader and adds the bytes read to a shared counter, so that a
/// progress display can follow a reader that lives on another thread.
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    pub fn new(inner: R, count: Arc<AtomicU64>) -> CountingReader<R> {
        CountingReader { inner, count }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Decodes one record's bytes, naming the first bad byte.
pub(crate) fn decode(bytes: Vec<u8>) -> std::result::Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("invalid UTF-8 at byte {} of the record", at + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn read_all(data: &[u8], options: &InputOptions) -> Vec<RecordResult> {
        from_reader("t", io::Cursor::new(data.to_vec()), options)
            .unwrap()
            .collect()
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn counting_reader_counts_every_byte() {
        let count = Arc::new(AtomicU64::new(0));
        let mut r = CountingReader::new(io::Cursor::new(vec![7u8; 1000]), count.clone());
        let mut sink = Vec::new();
        r.read_to_end(&mut sink).unwrap();
        assert_eq!(count.load(Ordering::Relaxed), 1000);
    }

    #[test]
    fn detected_format_is_reported() {
        let r = from_reader(
            "x.csv",
            io::Cursor::new(b"id,text\n1,a\n".to_vec()),
            &InputOptions::default(),
        )
        .unwrap();
        assert_eq!(r.format(), Format::Csv);
        let r = from_reader(
            "x",
            io::Cursor::new(b"{\"text\":\"a\"}\n".to_vec()),
            &InputOptions::default(),
        )
        .unwrap();
        assert_eq!(r.format(), Format::Jsonl);
    }

    #[test]
    fn directories_and_missing_files_are_io_errors() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            open(dir.to_str().unwrap(), &InputOptions::default()),
            Err(Error::Io { .. })
        ));
        assert!(matches!(
            open("/no/such/file.jsonl", &InputOptions::default()),
            Err(Error::Io { .. })
        ));
    }
}
