//! The cases of issue #12 that the binary as a whole must get right: no
//! record lost, no panic, no exit 0 after losing output, and a signal that
//! leaves a valid prefix.

use crate::common::{aitag, bin, jsonl, process, quoted, tempdir, unset_env};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const TEXT: &str = "Hackers stole the model weights and leaked them online.";

/// Item 8: 11 records in, 6 out, exit 0 and nothing on stderr.
#[test]
fn an_unclosed_csv_quote_loses_no_other_record() {
    let mut csv = String::from("id,text\n");
    for i in 1..=11 {
        if i == 5 {
            csv.push_str("5,\"an open quote and no end\n");
        } else {
            csv.push_str(&format!("{i},{TEXT}\n"));
        }
    }
    let dir = tempdir();
    let path = dir.path().join("q.csv");
    std::fs::write(&path, csv).unwrap();
    let out = aitag()
        .args(["batch", "-o", "jsonl", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 11);
    assert_eq!(records[4]["source"]["line"], 6);
    assert!(records[4]["error"].as_str().unwrap().contains("quote"));
    assert_eq!(records[5]["id"], "6");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("q.csv:6:"), "{stderr}");
}

/// Item 10: a CSV of blank lines gave an error record per line.
#[test]
fn blank_csv_lines_are_no_records() {
    let out = aitag()
        .args(["batch", "-i", "csv", "-o", "jsonl"])
        .write_stdin(format!("id,text\n1,{TEXT}\n\n  \n\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(jsonl(&out.stdout).len(), 1);
}

/// Item 10: `lines` classified a line of Unicode white space.
#[test]
fn a_line_of_unicode_white_space_is_blank_in_every_format() {
    let out = aitag()
        .args(["batch", "-i", "lines", "-o", "jsonl"])
        .write_stdin(format!("{TEXT}\n\u{3000}\u{2003}\n{TEXT}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["source"]["line"], 3);
}

/// Item 9: offsets count in the field as the user wrote it, and evidence
/// takes in no white space; joined fields carry their joined text.
#[test]
fn evidence_offsets_point_into_what_the_user_gave() {
    let field = format!("   {TEXT}   ");
    let input = format!(
        "{{\"id\":\"a\",\"text\":{}}}\n{{\"id\":\"b\",\"title\":\" Weights stolen \",\"description\":\"{TEXT}\"}}\n",
        serde_json::to_string(&field).unwrap()
    );
    let out = aitag()
        .args(["batch", "--explain", "-i", "jsonl", "-o", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    let records = jsonl(&out.stdout);
    assert_eq!(records[0]["text"], field.as_str());
    assert_eq!(
        records[1]["text"],
        format!("Weights stolen. {TEXT}").as_str()
    );
    for record in &records {
        let text = record["text"].as_str().unwrap();
        let mut checked = 0;
        for tag in record["tags"].as_array().unwrap() {
            for reason in tag["reasons"].as_array().unwrap() {
                for ev in reason["evidence"].as_array().unwrap() {
                    let quoted = quoted(text, ev);
                    assert_eq!(quoted.trim(), quoted);
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }
    // At the very end of a text, before its newline.
    let out = aitag()
        .args(["classify", "-o", "json"])
        .write_stdin("Attackers stole the model weights\n")
        .output()
        .unwrap();
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = c.to_string();
    assert!(all.contains("\"model weights\""), "{all}");
    assert!(!all.contains("weights\\n"), "{all}");
}

/// Item 5: with stdout closed, batch and classify exited 0 having written
/// nothing.
#[test]
fn a_closed_stdout_is_an_error() {
    for args in [&["batch", "-i", "lines"][..], &["classify"]] {
        let out = unset_env(&mut std::process::Command::new("sh"))
            .arg("-c")
            .arg(format!("echo '{TEXT}' | \"$0\" {} >&-", args.join(" ")))
            .arg(bin())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("stdout is closed"));
    }
}

/// Item 5: `completions bash > /dev/full` panicked; stderr on /dev/full made
/// batch exit 101 or 0.
#[test]
fn a_full_disk_is_exit_2_not_a_panic() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let run = |args: &[&str], input: &str, stdout: Stdio, stderr: Stdio| {
        let mut child = process()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["completions", "bash"], "", full().into(), Stdio::piped());
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let lines = ["batch", "-i", "lines", "-o", "jsonl"];
    let out = run(&lines, &format!("{TEXT}\n"), full().into(), Stdio::piped());
    assert_eq!(out.status.code(), Some(2));
    let bad = ["batch", "-i", "jsonl", "-o", "jsonl"];
    let out = run(&bad, "not json\n", Stdio::piped(), full().into());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(jsonl(&out.stdout).len(), 1);
}

/// Item 6: SIGTERM killed the process mid-line. Now it stops reading,
/// finishes the record being written, flushes and exits 128 + 15, also while
/// it waits for input.
#[test]
fn sigterm_leaves_whole_records_and_exits_143() {
    for format in ["jsonl", "csv", "json"] {
        let mut child = process()
            .args(["batch", "-i", "lines", "-o", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // More than a chunk, so that some output comes before the signal;
        // stdin stays open, so the reader is blocked when it comes.
        for _ in 0..300 {
            writeln!(stdin, "{TEXT}").unwrap();
        }
        stdin.flush().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill only sends a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "{format}: no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(stdin);
        assert_eq!(status.code(), Some(143), "{format}");
        let all = first + &rest;
        assert!(all.ends_with('\n'), "{format}: {all:?}");
        match format {
            "jsonl" => assert!(!jsonl(all.as_bytes()).is_empty()),
            "json" => {
                let v: Value = serde_json::from_str(&all).unwrap();
                assert!(!v.as_array().unwrap().is_empty());
            }
            _ => {
                let mut r = csv::Reader::from_reader(all.as_bytes());
                let rows: Vec<_> = r.records().map(Result::unwrap).collect();
                assert!(rows.iter().all(|row| row.len() == rows[0].len()));
            }
        }
    }
}

/// Item 10: `classify` on stdin had no size cap (100 MB took 905 MiB).
#[test]
fn classify_refuses_more_than_one_record_of_stdin() {
    let big = "a".repeat(aitag::input::MAX_RECORD_BYTES + 1);
    let out = aitag().arg("classify").write_stdin(big).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 16 MiB"));
}
