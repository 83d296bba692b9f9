//! Hostile taxonomies (issue #12, items 4 and 7): each fails fast with a
//! located error, and none hangs, aborts or is accepted silently. That many
//! bad ids are reported in linear time is timed in tests/linear_time.rs.

use crate::common::{EVAL_TAXONOMY, aitag, tempdir};
use std::path::Path;
use std::time::{Duration, Instant};

fn load(path: &Path) -> (Option<i32>, String, Duration) {
    let t = Instant::now();
    let out = aitag()
        .args(["classify", "--taxonomy", path.to_str().unwrap(), "x"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        t.elapsed(),
    )
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn an_alias_bomb_is_refused_where_the_alias_is() {
    let dir = tempdir();
    let mut yaml = format!("big: &b \"{}\"\nrules:\n", "x".repeat(1 << 20));
    for i in 0..20_000 {
        yaml.push_str(&format!("  - {{id: r{i}, because: *b}}\n"));
    }
    let (code, err, _) = load(&file(dir.path(), "bomb.yaml", yaml.as_bytes()));
    assert_eq!(code, Some(2));
    assert!(err.contains("bomb.yaml:3:"), "{err}");
    assert!(err.contains("aliases"), "{err}");
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let dir = tempdir();
    let p = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(100 << 20).unwrap();
    let (code, err, _) = load(&p);
    assert_eq!(code, Some(2));
    assert!(err.contains("larger than 8 MiB"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_fifos_do_not_hang_the_walk() {
    let dir = tempdir();
    let base = dir.path();
    std::fs::copy(EVAL_TAXONOMY, base.join("t.yaml")).unwrap();
    std::fs::create_dir(base.join("a")).unwrap();
    std::fs::create_dir(base.join("b")).unwrap();
    std::os::unix::fs::symlink(base.join("b"), base.join("a/to-b")).unwrap();
    std::os::unix::fs::symlink(base.join("a"), base.join("b/to-a")).unwrap();
    std::os::unix::fs::symlink(base, base.join("a/to-top")).unwrap();
    let (code, err, _) = load(base);
    assert_ne!(code, Some(2), "{err}");
    let fifo = base.join("pipe.yaml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let (code, err, took) = load(base);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("pipe.yaml") && err.contains("not a regular file"),
        "{err}"
    );
    assert!(took < Duration::from_secs(30));
}

#[test]
fn duplicate_keys_name_both_lines() {
    let dir = tempdir();
    let yaml = "lexicons:\n  words:\n    - stolen\n  words:\n    - leaked\n";
    let (code, err, _) = load(&file(dir.path(), "dup.yaml", yaml.as_bytes()));
    assert_eq!(code, Some(2));
    assert!(err.contains("dup.yaml:4:3"), "{err}");
    assert!(err.contains("line 2 and on line 4"), "{err}");
}

#[test]
fn encodings_and_documents_are_located() {
    let dir = tempdir();
    let (_, err, _) = load(&file(dir.path(), "u16.yaml", b"\xff\xfer\x00u\x00"));
    assert!(
        err.contains("u16.yaml:1:1") && err.contains("UTF-16"),
        "{err}"
    );
    let (_, err, _) = load(&file(
        dir.path(),
        "bad.yaml",
        b"tags: []\nrules:\n  - id: a\xff\n",
    ));
    assert!(
        err.contains("bad.yaml:3:10") && err.contains("UTF-8"),
        "{err}"
    );
    let (_, err, _) = load(&file(dir.path(), "two.yaml", b"tags: []\n---\nrules: []\n"));
    assert!(
        err.contains("two.yaml:2:1") && err.contains("document"),
        "{err}"
    );
}

#[test]
fn a_phrase_that_folds_to_nothing_is_an_error() {
    let original = std::fs::read_to_string(EVAL_TAXONOMY).unwrap();
    for phrase in ["'", "—", "…"] {
        let dir = tempdir();
        let yaml = format!("{original}\nlexicons:\n  nothing:\n    - \"{phrase}\"\n");
        let (code, err, _) = load(&file(dir.path(), "t.yaml", yaml.as_bytes()));
        assert_eq!(code, Some(2), "{phrase}: {err}");
        assert!(err.contains("can never match"), "{phrase}: {err}");
    }
}
