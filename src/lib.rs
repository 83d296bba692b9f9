//! aitag: tags free-text descriptions of AI failure incidents with the
//! AI-safety subfields that address them (alignment, outer- and
//! inner-alignment, moral philosophy, competence, governance, resilience,
//! security), after Adam Jones, "What is AI alignment?" (2024).
//!
//! The library never prints: it returns values and typed errors, and the
//! binary renders them.

pub mod batch;
pub mod classification;
pub mod engine;
pub mod error;
pub mod eval;
pub mod taxonomy;
pub mod text;

pub use classification::Classification;
pub use engine::{ClassifyOptions, Engine};
pub use error::{Error, Result};
pub use taxonomy::Taxonomy;
pub mod examples_check;
pub mod input;
pub mod lint;
pub mod model;
pub mod output;
