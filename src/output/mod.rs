//! Renderers. They write to any `io::Write`; the binary chooses where.
//! Colour is applied with `colored`, whose global switch the binary sets once
//! from `--color` and the terminal.

pub mod batch;
pub mod eval_report;
pub mod fit_report;
pub mod human;
mod learned;
pub mod record;
mod snippet;
pub mod summary;
