//! Bytes -> records in every input format: no panic, and every item's line
//! comes after the one before (no record lost or repeated in place).
#![no_main]

use aitag::input::{self, Format, InputOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in Format::ALL {
        let options = InputOptions {
            format: Some(format),
            ..Default::default()
        };
        let records = input::from_reader("fuzz", std::io::Cursor::new(data.to_vec()), &options)
            .expect("a cursor always opens");
        let mut last = 0;
        for item in records {
            let line = match &item {
                Ok(r) => r.source.line,
                Err(e) => e.source.line,
            };
            assert!(line > last, "{format}: line {line} after {last}");
            last = line;
        }
    }
});
