//! Behaviour on a terminal, run under a pseudo-terminal made by util-linux
//! `script` (stdout, stderr and stdin all the terminal, as for a user).
//! Skipped where `script` is not installed.

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> String {
    assert_cmd::cargo::cargo_bin("aitag").display().to_string()
}

/// Runs `shell` in a 60-column pseudo-terminal, feeding it `input`; `None`
/// when `script` is missing.
fn on_terminal(shell: &str, input: &str) -> Option<String> {
    Command::new("script").arg("--version").output().ok()?;
    let mut child = Command::new("script")
        .args([
            "-qec",
            &format!("stty rows 24 cols 60; {shell}"),
            "/dev/null",
        ])
        .env_remove("NO_COLOR")
        .env_remove("AITAG_TAXONOMY")
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
