//! How a command ended, and the exit status the process reports for it. The
//! commands return an [`Outcome`] or an [`AppError`]; [`status`] is the one
//! place that turns either into a number, as ripgrep's `main` does.

use aitag::Error;
use std::io;

/// What a command that ran to its end found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what was asked: text tagged, a batch without a bad record, a
    /// report written.
    Done,
    /// `classify` gave no tag (grep's "no match").
    NothingTagged,
    /// `test` or `lint` found failing examples or lint findings.
    ChecksFailed,
    /// A batch run went through, but some records or files could not be
    /// used (or stderr could not take the messages about them).
    BadRecords,
    /// SIGINT or SIGTERM stopped a batch run after a whole record.
    Signalled(i32),
}

/// A problem that stops a command: the library's typed errors, and I/O on
/// the output.
pub enum AppError {
    Lib(Error),
    Io(io::Error),
}

impl AppError {
    /// A closed output pipe (`aitag … | head`): the reader's choice, so
    /// quiet and exit 0.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, AppError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Lib(e) => write!(f, "{e}"),
            AppError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Lib(e)
    }
}

impl From<io::Error> for AppError {
    fn from(e: io::Error) -> Self {
        AppError::Io(e)
    }
}

/// The status for an error that stopped a command (a usage error, an input
/// or taxonomy that cannot be used, a write that failed).
pub const FAILURE: u8 = 2;

/// The exit status of a command's result: 0 done, 1 nothing tagged or checks
/// failed, 2 bad records or an error, 128 + N after signal N, 0 for a closed
/// output pipe.
pub fn status(result: &Result<Outcome, AppError>) -> u8 {
    match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::NothingTagged | Outcome::ChecksFailed) => 1,
        Ok(Outcome::BadRecords) => FAILURE,
        Ok(Outcome::Signalled(signal)) => 128 + *signal as u8,
        Err(e) if e.is_closed_pipe() => 0,
        Err(_) => FAILURE,
    }
}
