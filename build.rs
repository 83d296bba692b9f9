//! Converts the embedded taxonomy from YAML to JSON at build time.
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

fn main() {
    println!("cargo::rerun-if-changed=taxonomy");
    println!("cargo::rerun-if-changed=src/taxonomy/schema.rs");
    let mut files = Vec::new();
    yaml_files(Path::new("taxonomy"), &mut files);
    files.sort();
    let mut parsed: BTreeMap<String, schema::FileDef> = BTreeMap::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("taxonomy file is readable");
        let name = path.to_str().expect("UTF-8 path").replace('\\', "/");
        let file = if text.trim().is_empty() {
            Ok(schema::FileDef::default())
        } else {
            serde_yaml::from_str::<schema::FileDef>(&text)
        };
        match file {
            Ok(file) => {
                parsed.insert(name, file);
            }
            Err(e) => println!("cargo::warning={name}: {e} (it will be parsed at run time)"),
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set"));
    let json = serde_json::to_string(&parsed).expect("the schema serialises");
    std::fs::write(out.join("taxonomy.json"), json).expect("OUT_DIR is writable");
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
