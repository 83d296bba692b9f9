//! `aitag batch` as users run it: every input format, every output format,
//! bad input, filters, summary, exit codes, completions and man page.

use crate::common::{AIID, aitag, assert_exit_0, jsonl, process, quoted, tempdir};
use predicates::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// An absolute path, so that the records' `source.file` is one a test can
/// compare with the file it read.
fn data(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .to_str()
        .unwrap()
        .to_string()
}

fn aiid() -> String {
    data(AIID)
}

fn tag_ids(record: &Value) -> Vec<String> {
    record["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap().to_string())
        .collect()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

const TAXONOMY_TAGS: [&str; 8] = [
    "alignment",
    "outer-alignment",
    "inner-alignment",
    "moral-philosophy",
    "competence",
    "governance",
    "resilience",
    "security",
];

#[test]
fn aiid_gives_one_record_per_incident_in_input_order_whatever_the_threads() {
    let one = aitag()
        .args(["batch", "-j", "1", "-o", "jsonl", &aiid()])
        .output()
        .unwrap();
    let four = aitag()
        .args(["batch", "-j", "4", "-o", "jsonl", &aiid()])
        .output()
        .unwrap();
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(four.status.code(), Some(0));
    assert!(one.stderr.is_empty() && four.stderr.is_empty());
    assert_eq!(
        one.stdout, four.stdout,
        "output differs between -j 1 and -j 4"
    );

    let input_ids: Vec<String> = std::fs::read_to_string(aiid())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(input_ids.len(), 1367);
    let records = jsonl(&one.stdout);
    assert_eq!(records.len(), 1367);
    for (i, (record, id)) in records.iter().zip(&input_ids).enumerate() {
        assert_eq!(record["id"].as_str(), Some(id.as_str()));
        assert_eq!(record["source"]["line"].as_u64(), Some(i as u64 + 1));
        assert_eq!(record["source"]["file"].as_str(), Some(aiid().as_str()));
        assert!(record["overlaps"].is_array());
        for tag in record["tags"].as_array().unwrap() {
            let conf = tag["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&conf));
            assert!(!tag["rules"].as_array().unwrap().is_empty());
            assert!(
                tag.get("reasons").is_none(),
                "compact records carry no reasons without --explain"
            );
        }
    }
    let tagged = records.iter().filter(|r| !tag_ids(r).is_empty()).count();
    assert!(tagged > 500, "only {tagged} of 1367 AIID incidents tagged");
}

#[test]
fn json_output_is_one_array_of_the_jsonl_records() {
    let lines = aitag()
        .args(["batch", "-o", "jsonl", &aiid()])
        .output()
        .unwrap();
    let array = aitag()
        .args(["batch", "-o", "json", &aiid()])
        .output()
        .unwrap();
    assert_eq!(array.status.code(), Some(0));
    let parsed: Value = serde_json::from_slice(&array.stdout).unwrap();
    assert_eq!(parsed.as_array().unwrap(), &jsonl(&lines.stdout));
}

#[test]
fn csv_and_tsv_round_trip_through_a_csv_parser() {
    let records = jsonl(
        &aitag()
            .args(["batch", "-o", "jsonl", &aiid()])
            .output()
            .unwrap()
            .stdout,
    );
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        for explain in [false, true] {
            let mut cmd = aitag();
            cmd.args(["batch", "-o", format, &aiid()]);
            if explain {
                cmd.arg("--explain");
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(0));
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .from_reader(out.stdout.as_slice());
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let mut expected: Vec<&str> = vec!["id", "tags"];
            expected.extend(TAXONOMY_TAGS);
            expected.extend(["rules", "error", "file", "line"]);
            if explain {
                expected.extend(["reasons", "text"]);
            }
            assert_eq!(header, expected, "{format} header");
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), 1367, "{format}: one row per input record");
            for (row, record) in rows.iter().zip(&records) {
                assert_eq!(&row[0], record["id"].as_str().unwrap());
                let tags: Vec<&str> = row[1].split(';').filter(|t| !t.is_empty()).collect();
                assert_eq!(tags, tag_ids(record));
                for tag in &tags {
                    let column = header.iter().position(|h| h == tag).unwrap();
                    let confidence: f64 = row[column].parse().unwrap();
                    let json = record["tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|t| t["tag"] == *tag)
                        .unwrap();
                    assert!((confidence - json["confidence"].as_f64().unwrap()).abs() < 1e-3);
                }
                for column in 2..2 + TAXONOMY_TAGS.len() {
                    let x: f64 = row[column].parse().unwrap();
                    assert!((0.0..=1.0).contains(&x));
                }
                assert_eq!(&row[11], "", "no error");
                assert_eq!(&row[13], record["source"]["line"].to_string());
                if explain {
                    let reasons: Value = serde_json::from_str(&row[14]).unwrap();
                    let rules: Vec<&str> = row[10].split(';').filter(|r| !r.is_empty()).collect();
                    for reason in reasons.as_array().unwrap() {
                        assert!(rules.contains(&reason["rule"].as_str().unwrap()));
                        assert!(reason["evidence"].is_array());
                    }
                }
            }
        }
    }
}

#[test]
fn explain_puts_reasons_with_evidence_offsets_into_json() {
    let text = "Hackers stole the model weights and leaked them online.";
    let input = format!(
        "{{\"id\": \"a\", \"text\": {}}}\n",
        serde_json::to_string(text).unwrap()
    );
    let out = aitag()
        .args(["batch", "--explain", "-o", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    let record = &jsonl(&out.stdout)[0];
    let mut checked = 0;
    for tag in record["tags"].as_array().unwrap() {
        for reason in tag["reasons"].as_array().unwrap() {
            for ev in reason["evidence"].as_array().unwrap() {
                quoted(text, ev);
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    assert_eq!(record["overlaps"], Value::Array(vec![]));
}

/// A good record of each format, for mixing bad ones into.
fn good(format: &str, n: usize) -> String {
    let text = "Hackers stole the model weights and leaked them online.";
    match format {
        "jsonl" => format!("{{\"id\": \"g{n}\", \"text\": \"{text}\"}}\n"),
        "csv" => format!("g{n},\"{text}\"\n"),
        "tsv" => format!("g{n}\t{text}\n"),
        _ => format!("{text}\n"),
    }
}

#[test]
fn each_bad_record_becomes_an_error_record_and_the_run_goes_on() {
    struct Case {
        name: &'static str,
        ext: &'static str,
        bad: &'static [u8],
        message: &'static str,
        id: Option<&'static str>,
    }
    let cases = [
        Case {
            name: "invalid JSON",
            ext: "jsonl",
            bad: b"{\"id\": \"b\", \"text\": \n",
            message: "invalid JSON",
            id: None,
        },
        Case {
            name: "JSON not an object",
            ext: "jsonl",
            bad: b"[\"text\"]\n",
            message: "expected a JSON object",
            id: None,
        },
        Case {
            name: "invalid UTF-8 in JSONL",
            ext: "jsonl",
            bad: b"{\"id\": \"b\", \"text\": \"caf\xe9\"}\n",
            message: "invalid UTF-8",
            id: None,
        },
        Case {
            name: "invalid UTF-8 in lines",
            ext: "txt",
            bad: b"caf\xe9 robot\n",
            message: "invalid UTF-8",
            id: None,
        },
        Case {
            name: "missing text field",
            ext: "jsonl",
            bad: b"{\"id\": \"b\", \"body\": \"x\"}\n",
            message: "missing text field",
            id: Some("b"),
        },
        Case {
            name: "empty text",
            ext: "jsonl",
            bad: b"{\"id\": \"b\", \"text\": \"  \"}\n",
            message: "empty text",
            id: Some("b"),
        },
        Case {
            name: "too many columns",
            ext: "csv",
            bad: b"b,text,extra\n",
            message: "expected 2 columns",
            id: None,
        },
        Case {
            name: "too few columns",
            ext: "tsv",
            bad: b"b\n",
            message: "expected 2 columns",
            id: None,
        },
        Case {
            name: "empty CSV text",
            ext: "csv",
            bad: b"b,\n",
            message: "empty text",
            id: Some("b"),
        },
        Case {
            name: "invalid UTF-8 in CSV",
            ext: "csv",
            bad: b"b,caf\xe9\n",
            message: "invalid UTF-8",
            id: None,
        },
    ];
    let dir = tempdir();
    for case in &cases {
        let format = case.ext;
        let mut content: Vec<u8> = match format {
            "csv" => b"id,text\n".to_vec(),
            "tsv" => b"id\ttext\n".to_vec(),
            _ => Vec::new(),
        };
        let header_lines = content.len().min(1) as u64;
        content.extend(good(format, 1).as_bytes());
        content.extend(good(format, 2).as_bytes());
        content.extend(case.bad);
        content.extend(good(format, 3).as_bytes());
        let file = write(dir.path(), &format!("in.{format}"), &content);
        let bad_line = header_lines + 3;
        let out = aitag()
            .args(["batch", "-o", "jsonl", &file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}: exit code", case.name);
        let records = jsonl(&out.stdout);
        assert_eq!(
            records.len(),
            4,
            "{}: one output record per input record",
            case.name
        );
        let error = &records[2];
        let keys: Vec<&str> = error
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["error", "id", "source"], "{}", case.name);
        assert!(
            error["error"].as_str().unwrap().contains(case.message),
            "{}: {}",
            case.name,
            error["error"]
        );
        assert_eq!(
            error["source"]["line"].as_u64(),
            Some(bad_line),
            "{}",
            case.name
        );
        let expected_id = case.id.map_or(format!("{file}:{bad_line}"), String::from);
        assert_eq!(
            error["id"].as_str(),
            Some(expected_id.as_str()),
            "{}",
            case.name
        );
        assert!(
            tag_ids(&records[3]).contains(&"security".to_string()),
            "{}: the record after is read",
            case.name
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("{file}:{bad_line}: ")),
            "{}: stderr names file and line: {stderr}",
            case.name
        );
        assert!(stderr.contains(case.message), "{}: {stderr}", case.name);
        assert_eq!(
            stderr.lines().count(),
            1,
            "{}: one message: {stderr}",
            case.name
        );

        // The same in CSV: the row is there, with its error column.
        let out = aitag()
            .args(["batch", "-o", "csv", &file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4, "{}: csv rows", case.name);
        assert!(
            rows[2][11].contains(case.message),
            "{}: error column",
            case.name
        );
        assert_eq!(&rows[2][1], "");
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, r)| i == 2 || r[11].is_empty())
        );
    }
}

#[test]
fn a_missing_or_unreadable_file_is_reported_and_the_others_are_still_read() {
    let dir = tempdir();
    let first = write(dir.path(), "first.jsonl", good("jsonl", 1).as_bytes());
    let last = write(dir.path(), "last.txt", good("lines", 2).as_bytes());
    let missing = dir
        .path()
        .join("missing.jsonl")
        .to_str()
        .unwrap()
        .to_string();
    let subdir = dir.path().join("a-directory");
    std::fs::create_dir(&subdir).unwrap();
    let subdir = subdir.to_str().unwrap().to_string();
    let out = aitag()
        .args(["batch", "-o", "jsonl", &first, &missing, &subdir, &last])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "g1");
    assert_eq!(records[1]["source"]["file"].as_str(), Some(last.as_str()));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&format!("{missing}: ")), "{stderr}");
    assert!(
        stderr.contains(&format!("{subdir}: ")) && stderr.contains("directory"),
        "{stderr}"
    );
}

#[test]
fn empty_input_gives_no_records_and_exit_0() {
    for input in ["", "\n\n  \n"] {
        let out = aitag()
            .args(["batch", "-o", "jsonl"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty() && out.stderr.is_empty());
    }
    // `-o json` and `-o csv` of no input: tests/cmd/batch-empty-{json,csv}.toml.
    let dir = tempdir();
    for name in ["empty.jsonl", "empty.csv", "empty.tsv", "empty.txt"] {
        let file = write(dir.path(), name, b"");
        aitag()
            .args(["batch", "-o", "jsonl", &file])
            .assert()
            .code(0)
            .stdout("");
    }
}

#[test]
fn a_closed_output_pipe_ends_quietly_with_exit_0() {
    // Enough output to fill the pipe, so that aitag is still writing when it closes.
    let mut child = process()
        .args(["batch", "-o", "jsonl", &aiid(), &aiid(), &aiid()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"id\":\"1\""), "{first}");
    // The reader was dropped: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn only_keeps_records_with_the_tag_and_min_confidence_drops_weak_tags() {
    let all = jsonl(
        &aitag()
            .args(["batch", "-o", "jsonl", &aiid()])
            .output()
            .unwrap()
            .stdout,
    );
    let with_security: Vec<&Value> = all
        .iter()
        .filter(|r| tag_ids(r).contains(&"security".into()))
        .collect();
    let out = aitag()
        .args(["batch", "-o", "jsonl", "--only", "security", &aiid()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let only = jsonl(&out.stdout);
    assert!(!only.is_empty());
    assert_eq!(only.iter().collect::<Vec<_>>(), with_security);

    let either = jsonl(
        &aitag()
            .args([
                "batch",
                "-o",
                "jsonl",
                "--only",
                "security",
                "--only",
                "resilience",
                &aiid(),
            ])
            .output()
            .unwrap()
            .stdout,
    );
    let expected = all.iter().filter(|r| {
        let t = tag_ids(r);
        t.contains(&"security".into()) || t.contains(&"resilience".into())
    });
    assert_eq!(either.len(), expected.count());
    assert!(either.len() > only.len());

    // An unknown --only tag: tests/cmd/batch-only-unknown-tag.toml.
    let strict = jsonl(
        &aitag()
            .args(["batch", "-o", "jsonl", "--min-confidence", "0.9", &aiid()])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(strict.len(), 1367);
    let tags: Vec<f64> = strict
        .iter()
        .flat_map(|r| {
            r["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["confidence"].as_f64().unwrap())
        })
        .collect();
    assert!(!tags.is_empty() && tags.iter().all(|&c| c >= 0.9));
    let fewer: usize = strict.iter().map(|r| tag_ids(r).len()).sum();
    let more: usize = all.iter().map(|r| tag_ids(r).len()).sum();
    assert!(fewer < more);
}

#[test]
fn summary_counts_match_the_records() {
    let out = aitag()
        .args(["batch", "-o", "jsonl", "--summary", &aiid()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let records = jsonl(&out.stdout);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let untagged = records.iter().filter(|r| tag_ids(r).is_empty()).count();
    assert!(
        stderr.starts_with(&format!(
            "1367 records: {} tagged, {untagged} untagged, 0 errors\n",
            1367 - untagged
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains('█'),
        "no bars when stderr is not a terminal"
    );
    for tag in TAXONOMY_TAGS {
        let count = records
            .iter()
            .filter(|r| tag_ids(r).contains(&tag.to_string()))
            .count();
        let line = stderr
            .lines()
            .find(|l| l.split_whitespace().next() == Some(tag))
            .unwrap();
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(count.to_string().as_str()),
            "{line}"
        );
    }
    let both = records
        .iter()
        .filter(|r| {
            let t = tag_ids(r);
            t.contains(&"governance".into()) && t.contains(&"resilience".into())
        })
        .count();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("governance + resilience"))
        .unwrap();
    assert_eq!(
        line.split_whitespace().nth(3),
        Some(both.to_string().as_str()),
        "{line}"
    );
    assert!(!stderr.contains("alignment + outer-alignment"));
}

#[test]
fn every_input_format_reads_the_same_reports() {
    let tags_of = |args: &[&str], stdin: Option<&[u8]>| -> Vec<Value> {
        let mut cmd = aitag();
        cmd.arg("batch").args(["-o", "jsonl"]).args(args);
        if let Some(s) = stdin {
            cmd.write_stdin(s.to_vec());
        }
        let out = cmd.output().unwrap();
        assert_exit_0(&out, &format!("{args:?}"));
        jsonl(&out.stdout)
    };
    let reference = tags_of(&[&data("examples/reports.jsonl")], None);
    assert_eq!(reference.len(), 9);
    let expected: Vec<Vec<String>> = reference.iter().map(tag_ids).collect();
    assert!(expected.iter().filter(|t| !t.is_empty()).count() >= 6);
    for file in [
        "reports.txt",
        "reports-wrapped.txt",
        "reports.csv",
        "reports.tsv",
    ] {
        let records = tags_of(&[&data(&format!("examples/{file}"))], None);
        assert_eq!(
            records.iter().map(tag_ids).collect::<Vec<_>>(),
            expected,
            "{file}"
        );
    }
    let ids: Vec<&str> = reference
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9"]);
    let lines = tags_of(&[&data("examples/reports.txt")], None);
    assert_eq!(
        lines[1]["id"].as_str(),
        Some(format!("{}:2", data("examples/reports.txt")).as_str())
    );
    let paragraphs = tags_of(&[&data("examples/reports-wrapped.txt")], None);
    assert_eq!(paragraphs[1]["source"]["line"].as_u64(), Some(4));

    // stdin: sniffed, or named with --input; `-` is stdin too.
    for file in [
        "reports.jsonl",
        "reports.csv",
        "reports.tsv",
        "reports-wrapped.txt",
    ] {
        let content = std::fs::read(data(&format!("examples/{file}"))).unwrap();
        let sniffed = tags_of(&["-"], Some(&content));
        assert_eq!(
            sniffed.iter().map(tag_ids).collect::<Vec<_>>(),
            expected,
            "stdin {file}"
        );
        assert_eq!(sniffed[0]["source"]["file"].as_str(), Some("<stdin>"));
    }
    let content = std::fs::read(data("examples/reports.txt")).unwrap();
    let forced = tags_of(&["--input", "paragraphs"], Some(&content));
    assert_eq!(forced.len(), 1, "no blank lines: one paragraph");
    let csv = std::fs::read(data("examples/reports.csv")).unwrap();
    let as_lines = tags_of(&["--input", "lines"], Some(&csv));
    assert_eq!(as_lines.len(), 10, "header and rows read as text lines");
}

#[test]
fn text_and_id_fields_are_chosen_by_name() {
    let input = concat!(
        "{\"key\": \"k1\", \"headline\": \"Model weights stolen\", \"body\": \"Hackers leaked them online.\", \"text\": \"nothing\"}\n",
        "{\"key\": \"k2\", \"headline\": \"No body here\"}\n",
    );
    let out = aitag()
        .args([
            "batch",
            "-o",
            "jsonl",
            "--text-field",
            "headline",
            "--text-field",
            "body",
            "--id-field",
            "key",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let records = jsonl(&out.stdout);
    assert_eq!(records[0]["id"], "k1");
    assert!(tag_ids(&records[0]).contains(&"security".to_string()));
    assert_eq!(records[1]["id"], "k2");
    assert_eq!(records[1]["error"], "missing text field `body`");

    let csv = "ref;ignored\nkey,summary,notes\nc1,Hackers stole the model weights.,x\n";
    let out = aitag()
        .args([
            "--no-model",
            "batch",
            "-o",
            "jsonl",
            "-i",
            "csv",
            "--text-field",
            "summary",
            "--id-field",
            "key",
        ])
        .write_stdin(csv.split_once('\n').unwrap().1)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let records = jsonl(&out.stdout);
    assert_eq!(records[0]["id"], "c1");
    assert_eq!(tag_ids(&records[0]), ["security"]);
}

#[test]
fn human_output_has_one_line_per_record_and_shows_errors() {
    let mut bytes = format!("{}The bakery sells bread.\n", good("lines", 0)).into_bytes();
    bytes.extend(b"bad \xff\n");
    let out = aitag()
        .args(["--color", "never", "batch", "-o", "human"])
        .write_stdin(bytes.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("<stdin>:1"), "{}", lines[0]);
    let mut words = lines[0]
        .split_whitespace()
        .skip_while(|w| *w != "security")
        .skip(1);
    let confidence: f64 = words.next().and_then(|c| c.parse().ok()).unwrap_or(-1.0);
    assert!(
        (0.5..=1.0).contains(&confidence),
        "tag then confidence: {}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("<stdin>:2") && lines[1].trim_end().ends_with(" -"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("<stdin>:3") && lines[2].contains("error: invalid UTF-8"),
        "{}",
        lines[2]
    );
    assert!(!stdout.contains('\u{1b}'));
    let coloured = aitag()
        .args(["--color", "always", "batch", "-o", "human"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert!(coloured.stdout.contains(&0x1b));
    // Machine formats never carry colour.
    let json = aitag()
        .args(["--color", "always", "batch", "-o", "jsonl"])
        .write_stdin(good("lines", 0))
        .output()
        .unwrap();
    assert!(!json.stdout.contains(&0x1b));
}

#[test]
fn stdout_not_a_terminal_defaults_to_jsonl() {
    let out = aitag()
        .arg("batch")
        .write_stdin(good("lines", 0))
        .output()
        .unwrap();
    assert_eq!(jsonl(&out.stdout).len(), 1);
}

#[test]
fn completions_for_bash_zsh_and_fish_and_a_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = aitag().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("aitag"), "{shell}");
        assert!(
            script.contains("batch")
                && script.contains("text-field")
                && script.contains("min-confidence"),
            "{shell}"
        );
    }
    aitag()
        .args(["man"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH aitag 1"))
        .stdout(predicate::str::contains("batch"));
    aitag()
        .args(["man", "batch"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH aitag-batch"))
        .stdout(predicate::str::contains("only"));
    // An unknown shell or page: tests/cmd/completions-unknown-shell.toml, man-unknown-page.toml.
}

#[test]
fn batch_without_anything_tagged_is_still_clean() {
    aitag()
        .args(["batch", "-o", "jsonl"])
        .write_stdin("The bakery sells bread.\n")
        .assert()
        .code(0);
}
