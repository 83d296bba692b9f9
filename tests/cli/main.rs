//! The integration tests, as one crate: one binary to link instead of one
//! per file. `common` holds what the modules share; `cmd` runs the CLI cases
//! of tests/cmd/ (tests/cmd/README.md).

mod article_examples;
mod batch;
mod batch_memory;
mod classify;
mod cmd;
mod common;
mod conventions;
mod docs_tags;
mod eval;
mod eval_floor;
mod hostile_input;
mod hostile_taxonomy;
mod input;
mod lint_and_silence;
mod model;
mod negation;
mod properties;
mod readme_examples;
mod taxonomy_files;
mod terminal;
