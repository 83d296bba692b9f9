//! The `aitag` binary: parses arguments, calls the library, renders errors
//! once and maps results to exit codes (0 tagged or clean, 1 nothing tagged,
//! 2 error), like grep and ripgrep.

mod cli;

use aitag::output::human;
use aitag::{ClassifyOptions, Engine, Error, Taxonomy};
use clap::Parser;
use cli::{ClassifyFormat, Cli, ColorChoice, Command};
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

const TAGGED: u8 = 0;
const UNTAGGED: u8 = 1;
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    set_colour(cli.global.color);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`aitag … | head`) is the reader's choice, not an error.
        Err(AppError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(TAGGED),
        Err(e) => {
            eprintln!("aitag: {e}");
            ExitCode::from(FAILURE)
        }
    }
}

fn set_colour(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

enum AppError {
    Lib(Error),
    Io(io::Error),
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

fn load_taxonomy(cli: &cli::GlobalArgs) -> Result<Taxonomy, Error> {
    match &cli.taxonomy {
        Some(path) => Taxonomy::from_path(path),
        None => Taxonomy::embedded(),
    }
}

fn run(cli: Cli) -> Result<u8, AppError> {
    let taxonomy = load_taxonomy(&cli.global)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Classify(args) => {
            let engine = Engine::new(taxonomy)?;
            let text = if args.text.is_empty() || args.text == ["-"] {
                let mut s = String::new();
                io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Error::Input(format!("cannot read stdin as UTF-8 text: {e}")))?;
                s
            } else {
                args.text.join(" ")
            };
            let options = ClassifyOptions {
                min_confidence: args.min_confidence,
                explain: args.explain,
            };
            let c = engine.classify_with(&text, &options);
            match args.output {
                ClassifyFormat::Human => {
                    human::write_classification(&mut out, &text, &c, args.explain)?
                }
                ClassifyFormat::Json => {
                    serde_json::to_writer(&mut out, &c).map_err(io::Error::other)?;
                    writeln!(out)?;
                }
            }
            leave_to_exit(engine);
            if c.tags.is_empty() { UNTAGGED } else { TAGGED }
        }
        Command::Taxonomy(args) => {
            if args.patterns {
                let engine = Engine::new(taxonomy)?;
                for p in engine.patterns() {
                    writeln!(out, "{p}")?;
                }
                leave_to_exit(engine);
            } else {
                match args.output {
                    ClassifyFormat::Human => human::write_taxonomy(&mut out, &taxonomy)?,
                    ClassifyFormat::Json => {
                        serde_json::to_writer_pretty(
                            &mut out,
                            &aitag::taxonomy::summary(&taxonomy),
                        )
                        .map_err(io::Error::other)?;
                        writeln!(out)?;
                    }
                }
            }
            TAGGED
        }
        Command::Test(args) => {
            let engine = Engine::new(taxonomy)?;
            let report = aitag::examples_check::run(&engine);
            match args.output {
                ClassifyFormat::Human => human::write_example_report(&mut out, &report)?,
                ClassifyFormat::Json => {
                    serde_json::to_writer(&mut out, &report).map_err(io::Error::other)?;
                    writeln!(out)?;
                }
            }
            leave_to_exit(engine);
            if report.failed == 0 { TAGGED } else { UNTAGGED }
        }
    };
    out.flush()?;
    Ok(code)
}

/// Freeing a compiled engine (thousands of small allocations) cost as much as
/// a tenth of a short `aitag classify`; the process is about to exit, so the
/// operating system reclaims the memory instead.
fn leave_to_exit(engine: Engine) {
    std::mem::forget(engine);
}
