//! aitag: tags free-text descriptions of AI failure incidents with the
//! AI-safety subfields that address them (alignment, outer- and
//! inner-alignment, moral philosophy, competence, governance, resilience,
//! security), after Adam Jones, "What is AI alignment?" (2024).
//!
//! The library never prints: it returns values and typed errors, and the
//! binary renders them.
//!
//! The pipeline, and where each stage lives:
//! - [`taxonomy`]: the YAML rules, lexicons and tags, loaded and checked
//!   ([`Taxonomy`]);
//! - [`input`]: records from JSONL, JSON, CSV/TSV, lines and paragraphs
//!   ([`Record`], or a [`RecordError`] naming the file and line);
//! - [`text`]: folding with an offset map, words and sentences;
//! - [`engine`]: matching, context (negation, hedges), the rules and scoring
//!   ([`Engine`], giving a [`Classification`]);
//! - [`model`]: the learned layer beside the rules, and `aitag fit`;
//! - [`batch`]: many records in parallel, in input order;
//! - [`output`]: the printers of every format;
//! - [`eval`], [`examples_check`], [`lint`]: `aitag eval`, `aitag test` and
//!   `aitag lint`.
//!
//! ```
//! let engine = aitag::Engine::embedded().unwrap();
//! let c = engine.classify("Hackers stole the model weights.");
//! assert!(c.has("security"));
//! let reason = c.reasons_of(&c.tags[0]).next().unwrap();
//! assert!(!reason.evidence.is_empty());
//! ```

pub mod batch;
pub mod classification;
pub mod engine;
pub mod error;
pub mod eval;
pub mod examples_check;
pub mod input;
pub mod lint;
pub mod model;
pub mod output;
pub mod taxonomy;
pub mod text;

pub use batch::BatchOptions;
pub use classification::Classification;
pub use engine::{ClassifyOptions, Engine};
pub use error::{Error, Result};
pub use input::{Format, InputOptions, Record, RecordError, SourcePos};
pub use taxonomy::Taxonomy;
