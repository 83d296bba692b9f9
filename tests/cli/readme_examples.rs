//! The README's examples are what the binary prints, so that they cannot
//! drift when rules, weights or messages change.
//!
//! Every ```console block of README.md whose first line starts with
//! `$ aitag` is run: each `$ ` line is a command (run by `sh` in the
//! repository, with the built `aitag` first on the PATH, stderr after
//! stdout), and the lines up to the next `$ ` line are its expected output.
//!
//! When the output changes on purpose, regenerate the blocks with
//! `scripts/readme-examples.sh --update` (which runs this test with
//! `AITAG_README_UPDATE=1`) and review the diff.

use crate::common::{bin, unset_env};
use std::path::Path;
use std::process::Command;

const README: &str = "README.md";
const UPDATE: &str = "AITAG_README_UPDATE";

/// One `$ command` and what it printed, as lines of the README.
struct Example {
    command: String,
    /// Index of the first output line in the README's lines.
    first: usize,
    /// One past the last output line.
    end: usize,
}

fn examples(lines: &[&str]) -> Vec<Example> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let opens = lines[i].trim_end() == "```console"
            && lines.get(i + 1).is_some_and(|l| l.starts_with("$ aitag"));
        if !opens {
            i += 1;
            continue;
        }
        i += 1;
        while i < lines.len() && !lines[i].starts_with("```") {
            let command = lines[i].strip_prefix("$ ").expect("a command").to_string();
            let first = i + 1;
            let mut end = first;
            while end < lines.len()
                && !lines[end].starts_with("$ ")
                && !lines[end].starts_with("```")
            {
                end += 1;
            }
            out.push(Example {
                command,
                first,
                end,
            });
            i = end;
        }
        i += 1;
    }
    out
}

fn run(command: &str) -> String {
    let bin = bin();
    let dir = bin.parent().expect("the binary's directory");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = unset_env(&mut Command::new("sh"))
        .arg("-c")
        .arg(format!("{command} 2>&1"))
        .env("PATH", path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("sh runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    // Absolute paths of temporary files would differ between machines.
    text.trim_end().to_string()
}

#[test]
fn readme_console_examples_are_what_aitag_prints() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(README);
    let readme = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let found = examples(&lines);
    assert!(
        found.len() >= 3,
        "only {} README examples found",
        found.len()
    );
    let update = std::env::var_os(UPDATE).is_some();
    let mut rewritten: Vec<String> = Vec::new();
    let mut copied_to = 0;
    let mut stale = Vec::new();
    for ex in &found {
        let actual = run(&ex.command);
        let expected = lines[ex.first..ex.end].join("\n");
        if actual != expected.trim_end() {
            stale.push(format!(
                "$ {}\n--- README.md\n{expected}\n--- aitag prints\n{actual}",
                ex.command
            ));
        }
        rewritten.extend(lines[copied_to..ex.first].iter().map(|l| l.to_string()));
        rewritten.extend(actual.lines().map(str::to_string));
        copied_to = ex.end;
    }
    rewritten.extend(lines[copied_to..].iter().map(|l| l.to_string()));
    if update {
        let mut text = rewritten.join("\n");
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README examples differ from the binary's output; if the change is intended, run \
         `scripts/readme-examples.sh --update` and review the diff:\n\n{}",
        stale.join("\n\n")
    );
}
