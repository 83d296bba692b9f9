//! Lists the taxonomy files to embed (every `*.yaml` under `taxonomy/`) and
//! converts the embedded taxonomy from YAML to JSON at build time, with the
//! lines its rules and lexicons stand on (indexing every file's lines at
//! start-up was a fifteenth of an `aitag classify` process).
//!
//! Parsing the YAML was half of the instructions of an `aitag classify`
//! process; serde_json reads the same data several times faster. The YAML
//! stays embedded as well: it is what users read and copy, and rule locations
//! in messages point into it. A file that does not parse is left out here, so
//! the binary parses its YAML at run time and reports the mistake at its line
//! instead of failing the build with a panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/taxonomy/schema.rs"]
mod schema;

#[allow(dead_code)]
#[path = "src/taxonomy/lines.rs"]
mod lines;

#[allow(dead_code)]
#[path = "src/taxonomy/lazy.rs"]
mod lazy;

#[allow(dead_code)]
#[path = "src/text/inflect.rs"]
mod inflect;

#[allow(dead_code)]
#[path = "src/text/word_key.rs"]
mod word_key;

fn main() {
    println!("cargo::rerun-if-changed=taxonomy");
    println!("cargo::rerun-if-changed=src/taxonomy/schema.rs");
    println!("cargo::rerun-if-changed=src/taxonomy/lines.rs");
    println!("cargo::rerun-if-changed=src/text/inflect.rs");
    println!("cargo::rerun-if-changed=src/text/word_key.rs");
    let mut files = Vec::new();
    yaml_files(Path::new("taxonomy"), &mut files);
    files.sort();
    let mut parsed: BTreeMap<String, schema::EmbeddedFile> = BTreeMap::new();
    let mut listing = String::from("pub const FILES: &[(&str, &str)] = &[\n");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set");
    for path in &files {
        let name = path.to_str().expect("UTF-8 path").replace('\\', "/");
        listing.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            format!("{root}/{name}")
        ));
    }
    listing.push_str("];\n");
    let mut fingerprint = Fingerprint::default();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("taxonomy file is readable");
        let name = path.to_str().expect("UTF-8 path").replace('\\', "/");
        fingerprint.add(name.as_bytes());
        fingerprint.add(text.as_bytes());
        let file = if text.trim().is_empty() {
            Ok(schema::FileDef::default())
        } else {
            serde_yaml::from_str::<schema::FileDef>(&text)
        };
        match file {
            Ok(file) => {
                let lines = locations(&text, &file);
                parsed.insert(name, schema::EmbeddedFile { file, lines });
            }
            Err(e) => println!("cargo::warning={name}: {e} (it will be parsed at run time)"),
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set"));
    let json = serde_json::to_string(&parsed).expect("the schema serialises");
    std::fs::write(out.join("taxonomy.json"), json).expect("OUT_DIR is writable");
    std::fs::write(out.join("files.rs"), listing).expect("OUT_DIR is writable");
    println!("cargo::rerun-if-changed=models/default.json");
    let model = std::fs::read_to_string("models/default.json").expect("models/default.json");
    fingerprint.add(model.as_bytes());
    compact_model(&out, model);
    println!("cargo::rerun-if-changed=models/default.snapshot");
    let code = format!("pub const FINGERPRINT: u64 = {:#018x};\n", fingerprint.0);
    std::fs::write(out.join("snapshot-fingerprint.rs"), code).expect("OUT_DIR is writable");
    std::fs::write(out.join("keys.rs"), match_keys(&parsed)).expect("OUT_DIR is writable");
}

/// The match keys of the words of the embedded taxonomy's phrases (and of
/// the agent and `-ion` nouns and closed compounds start-up keys too), as a
/// sorted Rust table: stemming them at start-up was most of a cold
/// `aitag classify`. Start-up stems a word that is not here.
fn match_keys(parsed: &BTreeMap<String, schema::EmbeddedFile>) -> String {
    fn cond_phrases<'a>(c: &'a schema::CondDef, out: &mut Vec<&'a str>) {
        if let Some(p) = &c.phrase {
            out.extend(p.items().iter().map(String::as_str));
        }
        for child in c.children() {
            cond_phrases(child, out);
        }
    }
    let mut phrases: Vec<&str> = Vec::new();
    for f in parsed.values() {
        let file = &f.file;
        for entries in file.lexicons.values() {
            for e in entries {
                if let schema::LexiconEntry::Phrase(p) = e {
                    phrases.push(p);
                }
            }
        }
        for rule in &file.rules {
            cond_phrases(&rule.when, &mut phrases);
        }
        if let Some(c) = &file.context {
            for list in [&c.pre_negation, &c.post_negation, &c.pseudo, &c.terminators] {
                phrases.extend(list.iter().map(String::as_str));
            }
            for list in [&c.hedges, &c.post_hedges, &c.instructions] {
                phrases.extend(list.iter().map(String::as_str));
            }
        }
    }
    let mut words: std::collections::BTreeSet<String> = Default::default();
    for p in phrases {
        let lower = p.to_lowercase();
        let parts: Vec<&str> = lower
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        // A word, and the agent and `-ion` nouns start-up derives from it.
        let mut with_nouns = |w: &str| {
            words.insert(w.to_string());
            inflect::for_each_form(w, |f| {
                if f.len() > w.len() && (f.ends_with("er") || f.ends_with("ion")) {
                    words.insert(f.to_string());
                }
            });
        };
        for (i, w) in parts.iter().enumerate() {
            with_nouns(w);
            if let Some(next) = parts.get(i + 1) {
                if w.len() <= 5 {
                    with_nouns(&format!("{w}{next}"));
                }
            }
        }
    }
    // One text and a table of offsets into it, not a table of `&str`:
    // each of those is two pointers the loader relocates at every start,
    // tens of thousands of relocations and a copy-on-write page fault for
    // every 4 KiB of the table.
    let mut text = String::new();
    let mut index = String::from("pub(crate) static MATCH_KEYS: &[[u32; 4]] = &[\n");
    for w in &words {
        let key = word_key::match_key(w);
        let (w_at, key_at) = (text.len(), text.len() + w.len());
        text.push_str(w);
        text.push_str(&key);
        index.push_str(&format!(
            "    [{w_at}, {}, {key_at}, {}],\n",
            w.len(),
            key.len()
        ));
    }
    index.push_str("];\n");
    format!("pub(crate) static MATCH_KEYS_TEXT: &str = {text:?};\n{index}")
}

/// Where the file's rule ids and lexicon names are, by the text of their line
/// (the first such line), as run-time loading would find them.
fn locations(text: &str, file: &schema::FileDef) -> BTreeMap<String, (usize, usize)> {
    let mut wanted: BTreeMap<String, Option<(usize, usize)>> = BTreeMap::new();
    for rule in &file.rules {
        wanted.insert(lines::id_line(&rule.id), None);
    }
    for name in file.lexicons.keys() {
        wanted.insert(lines::lexicon_line(name), None);
    }
    for (content, line, col) in lines::key_lines(text) {
        if let Some(slot @ None) = wanted.get_mut(content) {
            *slot = Some((line, col));
        }
    }
    wanted
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("taxonomy/ exists") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// What the start-up snapshot (`models/default.snapshot`, see
/// src/engine/snapshot.rs) must have been made from to be used: FNV-1a over
/// every embedded taxonomy file (name and text) and the built-in model, each
/// closed by a 0xff byte. Hashing them here keeps the check out of start-up.
struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().chain([0xffu8].iter()) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The built-in model (models/default.json) in a compact form: parsing its
/// JSON was most of what loading it cost, so the file is split into its head
/// (JSON without the features), the feature names (one per line) and their
/// numbers (idf, then one weight per tag, little-endian f32). A file that
/// does not parse is passed on whole, so that loading reports it.
fn compact_model(out: &Path, text: String) {
    let mut names = String::new();
    let mut numbers: Vec<u8> = Vec::new();
    let head = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(mut file)) => {
            let features = file.remove("features");
            for f in features
                .as_ref()
                .and_then(|f| f.as_array())
                .into_iter()
                .flatten()
            {
                let name = f[0].as_str().unwrap_or_default();
                names.push_str(name);
                names.push('\n');
                let idf = f[1].as_f64().unwrap_or_default() as f32;
                numbers.extend(idf.to_le_bytes());
                for w in f[2].as_array().into_iter().flatten() {
                    numbers.extend((w.as_f64().unwrap_or_default() as f32).to_le_bytes());
                }
            }
            serde_json::to_string(&file).expect("a JSON object serialises")
        }
        _ => text,
    };
    std::fs::write(out.join("model-head.json"), head).expect("OUT_DIR is writable");
    std::fs::write(out.join("model-names.txt"), names).expect("OUT_DIR is writable");
    std::fs::write(out.join("model-numbers.bin"), numbers).expect("OUT_DIR is writable");
}
