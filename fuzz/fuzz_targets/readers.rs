//! Bytes -> records in every input format: no panic, and every item's line
//! comes after the one before (no record lost or repeated in place); in a
//! JSON array several elements may share a line (a compact array is one).
#![no_main]

use aitag::input::{self, Format, InputOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in Format::ALL {
        let options = InputOptions {
            format: Some(format),
            ..Default::default()
        };
        let records =
            match input::from_reader("fuzz", std::io::Cursor::new(data.to_vec()), &options) {
                Ok(records) => records,
                // One error for the whole file: UTF-16 text, or a CSV/TSV
                // header with no text column.
                Err(e) if e.to_string().contains("UTF-16") => continue,
                Err(e) if matches!(format, Format::Csv | Format::Tsv) => {
                    assert!(e.to_string().contains("column"), "{format}: {e}");
                    continue;
                }
                Err(e) => panic!("{format}: {e}"),
            };
        let mut last = 0;
        for item in records {
            let line = match &item {
                Ok(r) => r.source.line,
                Err(e) => e.source.line,
            };
            let in_order = if format == Format::Json {
                line >= last
            } else {
                line > last
            };
            assert!(in_order, "{format}: line {line} after {last}");
            last = line;
        }
    }
});
