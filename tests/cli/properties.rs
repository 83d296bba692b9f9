//! Properties over arbitrary input (issue #12, item 11): no panic, every
//! evidence offset points at its text on character boundaries, the output
//! does not depend on the number of workers or on the other records of a
//! batch, and the readers give one item per record for any bytes. Case
//! counts keep the whole file under a few seconds in a debug build.

use aitag::batch::{self, BatchOptions};
use aitag::input::{self, Format, InputOptions, Record, RecordError, SourcePos};
use aitag::{ClassifyOptions, Engine};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::num::NonZeroUsize;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}

/// Text made of what breaks tokenizers and context scopes: trigger words,
/// evidence words, control characters, combining marks, right-to-left text,
/// long words, odd white space, and any character at all.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("not ".to_string()),
        Just("no. ".to_string()),
        Just("but ".to_string()),
        Just("allegedly ".to_string()),
        Just("model weights ".to_string()),
        Just("stole ".to_string()),
        Just("prompt injection ".to_string()),
        Just("reward hacking ".to_string()),
        Just("\u{0301}\u{0308}".to_string()),
        Just("\u{202E}\u{05D0}\u{05D1} ".to_string()),
        Just("\u{3000}\u{2028}\r\n\t".to_string()),
        Just("\0\u{7}\u{1b}[0m".to_string()),
        Just("…—–'’\"".to_string()),
        "[a-z]{30,80}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
        "\\PC{0,8}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Failures are kept beside this file, in properties.proptest-regressions.
/// Proptest's default would look for a `main.rs` above this file, find the
/// crate's, and read tests/proptest-regressions/properties.txt instead.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

fn explain() -> ClassifyOptions {
    ClassifyOptions {
        explain: true,
        ..Default::default()
    }
}

fn record(i: usize, text: &str) -> Result<Record, RecordError> {
    Ok(Record {
        id: i.to_string(),
        text: text.to_string(),
        source: SourcePos {
            file: "p".into(),
            line: i as u64 + 1,
        },
        kept: Vec::new(),
    })
}

/// The JSON of every classification of a batch, in order.
fn batch_json(texts: &[String], jobs: usize) -> Vec<String> {
    let options = BatchOptions {
        jobs: NonZeroUsize::new(jobs).unwrap(),
        chunk_records: NonZeroUsize::new(2).unwrap(),
        classify: explain(),
        ..Default::default()
    };
    let input: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| record(i, t))
        .collect();
    let mut out = Vec::new();
    batch::run(engine(), input.into_iter(), &options, |item| {
        let c = item.as_ref().unwrap();
        out.push(serde_json::to_string(&c.classification).unwrap());
        Ok::<(), ()>(())
    })
    .unwrap();
    out
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn evidence_points_at_its_text_on_character_boundaries(text in hostile_text()) {
        let c = engine().classify_with(&text, &explain());
        let spans = c.tags.iter().flat_map(|t| c.reasons_of(t)).flat_map(|r| {
            r.evidence.iter().chain(r.hedged_by.as_ref())
        });
        let negated = c.negated.iter().flat_map(|s| &s.negated).flat_map(|n| [&n.evidence, &n.trigger]);
        for e in spans.chain(negated) {
            prop_assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            prop_assert!(e.start < e.end && e.end <= text.len());
            prop_assert_eq!(&text[e.start..e.end], e.text.as_str());
            prop_assert_eq!(e.text.trim(), e.text.as_str());
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn output_is_the_same_for_any_worker_count_and_alone(texts in prop::collection::vec(hostile_text(), 1..8)) {
        let one = batch_json(&texts, 1);
        let three = batch_json(&texts, 3);
        prop_assert_eq!(&one, &three);
        for (text, in_batch) in texts.iter().zip(&one) {
            let alone = serde_json::to_string(&engine().classify_with(text, &explain())).unwrap();
            prop_assert_eq!(&alone, in_batch);
        }
    }

    #[test]
    fn readers_give_one_item_per_record_for_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        // Lines and JSONL: one item per line that is not blank.
        let lines = bytes.split(|&b| b == b'\n').collect::<Vec<_>>();
        let lines = if bytes.ends_with(b"\n") { &lines[..lines.len() - 1] } else { &lines[..] };
        let blank = |l: &[u8]| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            std::str::from_utf8(l).is_ok_and(|s| s.chars().all(char::is_whitespace))
        };
        let expected = lines.iter().enumerate().filter(|(i, l)| {
            let l = if *i == 0 { l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l) } else { l };
            !blank(l)
        }).count();
        for format in [Format::Lines, Format::Jsonl] {
            let options = InputOptions { format: Some(format), ..Default::default() };
            let items: Vec<_> = input::from_reader("p", std::io::Cursor::new(bytes.clone()), &options).unwrap().collect();
            prop_assert_eq!(items.len(), expected, "{}", format);
        }
        // Every format: no panic, and lines only go forward.
        if let Err(e) = lines_go_forward(&bytes) {
            return Err(TestCaseError::fail(e));
        }
    }
}

/// Reads `bytes` in every format: no panic, and each item's line is after
/// the one before (elements of a compact JSON array share a line). UTF-16
/// text, and a CSV or TSV header with no text column, are one error for the
/// file.
fn lines_go_forward(bytes: &[u8]) -> Result<(), String> {
    for format in Format::ALL {
        let options = InputOptions {
            format: Some(format),
            ..Default::default()
        };
        let items = match input::from_reader("p", std::io::Cursor::new(bytes.to_vec()), &options) {
            Ok(items) => items,
            // One error for the whole file: UTF-16 text, or a CSV/TSV header
            // with no text column.
            Err(e) if e.to_string().contains("UTF-16") => continue,
            Err(e)
                if matches!(format, Format::Csv | Format::Tsv)
                    && e.to_string().contains("column") =>
            {
                continue;
            }
            Err(e) => return Err(format!("{format}: {e}")),
        };
        let mut last = 0;
        for item in items {
            let line = match &item {
                Ok(r) => r.source.line,
                Err(e) => e.source.line,
            };
            let forward = if format == Format::Json {
                line >= last
            } else {
                line > last
            };
            if !forward {
                return Err(format!("{format}: line {line} after {last}"));
            }
            last = line;
        }
    }
    Ok(())
}

/// Inputs the fuzzer found (scripts/fuzz.sh), kept so that they stay fixed.
#[test]
fn inputs_the_fuzzer_found_read_in_order() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        lines_go_forward(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        n += 1;
    }
    assert!(n > 0, "no inputs in {dir}");
}
