//! `aitag batch` streams: a 50 MB input is processed in bounded memory. The
//! peak resident set size of the child is read with `wait4`, so no external
//! tool is needed. (scripts/memory.sh measures the release binary on larger
//! inputs with /usr/bin/time.)

use crate::common::{AIID, process, tempdir};
use serde_json::{Value, json};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The bound README.md states for peak RSS of `aitag batch`, whatever the
/// input size. A debug build measures about 50 MiB here (the taxonomy and the
/// embedded model are most of it). It is below the input size plus the ~15 MiB
/// a run needs anyway, so reading the input whole could not pass.
const PEAK_RSS_BOUND: u64 = 64 * 1024 * 1024;
const INPUT_BYTES: u64 = 50 * 1024 * 1024;

/// Runs the command to its end and returns its exit code and peak RSS in bytes.
// The child is reaped by wait4 (which also gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: Command) -> (i32, u64) {
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, and wait4 reaps exactly our child, which
    // `Child` never waits for afterwards.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status),
        "aitag did not exit normally: status {status}"
    );
    // Linux reports ru_maxrss in KiB.
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64 * 1024)
}

/// Writes at least INPUT_BYTES of JSONL: the AIID incidents over and over,
/// each with a long `report` field that the reader parses but that is not
/// classified (it keeps the test fast in a debug build; scripts/memory.sh
/// classifies every byte).
fn generate(path: &Path) -> u64 {
    let incidents: Vec<Value> = BufReader::new(File::open(AIID).unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    let mut out = BufWriter::new(File::create(path).unwrap());
    let (mut bytes, mut records) = (0u64, 0u64);
    while bytes < INPUT_BYTES {
        for incident in &incidents {
            let description = incident["description"].as_str().unwrap();
            let report = description.repeat(1 + 1600 / (description.len() + 1));
            let line = json!({
                "id": records,
                "title": incident["title"],
                "description": description,
                "report": report,
            })
            .to_string();
            writeln!(out, "{line}").unwrap();
            bytes += line.len() as u64 + 1;
            records += 1;
        }
    }
    out.flush().unwrap();
    records
}

#[test]
fn a_50_mb_input_is_streamed_in_bounded_memory() {
    let dir = tempdir();
    let input = dir.path().join("big.jsonl");
    let records = generate(&input);
    let size = std::fs::metadata(&input).unwrap().len();
    assert!(size >= INPUT_BYTES);

    let output = dir.path().join("out.jsonl");
    let mut cmd = process();
    cmd.args(["batch", "-j", "2", "-o", "jsonl"])
        .arg(&input)
        .stdout(File::create(&output).unwrap())
        .stderr(Stdio::null());
    let (code, peak) = run_measured(cmd);
    assert_eq!(code, 0);

    let mut lines = 0u64;
    for (i, line) in BufReader::new(File::open(&output).unwrap())
        .lines()
        .enumerate()
    {
        if i % 1000 == 0 {
            let v: Value = serde_json::from_str(&line.unwrap()).unwrap();
            assert_eq!(
                v["id"].as_str(),
                Some(i.to_string().as_str()),
                "output in input order"
            );
        }
        lines += 1;
    }
    assert_eq!(lines, records, "one output record per input record");

    eprintln!(
        "input {:.1} MiB, {records} records: peak RSS {:.1} MiB",
        size as f64 / 1048576.0,
        peak as f64 / 1048576.0
    );
    assert!(
        peak < PEAK_RSS_BOUND,
        "peak RSS {} MiB exceeds the bound",
        peak / 1048576
    );
}
