//! Behaviour on a terminal, run under a pseudo-terminal made by util-linux
//! `script` (stdout, stderr and stdin all the terminal, as for a user).
//! Skipped where `script` is not installed.

use crate::common::{tempdir, unset_env};
use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> String {
    crate::common::bin().display().to_string()
}

/// Runs `shell` in a 60-column pseudo-terminal, feeding it `input`; `None`
/// when `script` is missing.
fn on_terminal(shell: &str, input: &str) -> Option<String> {
    Command::new("script").arg("--version").output().ok()?;
    let mut child = unset_env(&mut Command::new("script"))
        .args([
            "-qec",
            &format!("stty rows 24 cols 60; {shell}"),
            "/dev/null",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn human_output_wraps_to_the_terminal_width_with_indented_quote_lines() {
    let text = "Hackers stole the model weights and leaked them online, then the attackers \
                sold the stolen weights to others.";
    let Some(out) = on_terminal(&format!("{} --color never classify '{text}'", bin()), "") else {
        return;
    };
    assert!(out.contains("security"), "{out}");
    for line in out.lines() {
        assert!(line.chars().count() <= 60, "{line:?} in\n{out}");
    }
    let quote = out
        .lines()
        .position(|l| l.trim_start().starts_with('»'))
        .unwrap();
    let next = out.lines().nth(quote + 1).unwrap();
    assert!(
        next.starts_with("      ") && !next.trim().is_empty(),
        "{out}"
    );
}

#[test]
fn classify_says_it_reads_stdin_from_a_terminal() {
    let Some(out) = on_terminal(
        &format!("{} classify", bin()),
        "Hackers stole the model weights.\n",
    ) else {
        return;
    };
    assert!(
        out.contains("reading the incident from stdin; Ctrl-D ends it"),
        "{out}"
    );
}

#[test]
fn a_bad_record_is_reported_once_on_a_terminal() {
    let shell = format!(
        "printf '{{\"text\": \"ok\"}}\\n{{\"text\": \\n' | {} batch --input jsonl",
        bin()
    );
    let Some(out) = on_terminal(&shell, "") else {
        return;
    };
    assert_eq!(out.matches("invalid JSON").count(), 1, "{out}");
}

/// Ctrl-C during a batch run on a terminal: the run stops with 130 and the
/// progress bar's last frame is erased, not left in the scrollback.
#[test]
fn an_interrupt_clears_the_progress_bar() {
    let dir = tempdir();
    let big = dir.path().join("big.jsonl");
    let incidents = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aiid/incidents.jsonl"
    ))
    .unwrap();
    // Long enough that the bar (shown after a second) is up when the signal
    // comes, on a fast machine too.
    std::fs::write(&big, incidents.repeat(40)).unwrap();
    let shell = format!(
        "{} batch -j 1 {} > /dev/null & pid=$!; sleep 2.5; kill -INT $pid; wait $pid; echo \"exit $?\"",
        bin(),
        big.display()
    );
    let Some(out) = on_terminal(&shell, "") else {
        return;
    };
    let at = out.find("exit 130").unwrap_or_else(|| panic!("{out:?}"));
    let before = &out[..at];
    assert!(before.contains("records/s"), "no bar was drawn: {out:?}");
    // What the terminal shows on the last line: everything after the last
    // erase of the line.
    let last_line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let shown = last_line.rsplit("\x1b[2K").next().unwrap_or(last_line);
    assert!(
        !shown.contains("records"),
        "the bar's last frame is left: {shown:?}"
    );
}
