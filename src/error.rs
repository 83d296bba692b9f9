//! Typed errors of the library. They are rendered once, by the binary.

use std::fmt;
use std::path::PathBuf;

/// Where in a taxonomy file something is. Line and column are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// A mistake in a taxonomy or rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for TaxonomyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A bad line in a gold-label file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for GoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Debug)]
pub enum Error {
    /// One or more problems in the taxonomy; all are reported, not only the first.
    Taxonomy(Vec<TaxonomyError>),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// One or more bad lines in a gold-label file; all are reported.
    Gold(Vec<GoldError>),
    /// Bad input that is not tied to one record (e.g. an unknown option value).
    Input(String),
    /// A model file that cannot be used: unreadable, malformed, or fit for
    /// another taxonomy.
    Model { origin: String, message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Taxonomy(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Model { origin, message } => write!(f, "{origin}: {message}"),
            Error::Gold(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            Error::Input(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
