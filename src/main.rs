//! The `aitag` binary: parses arguments, calls the library, renders errors
//! once and maps results to exit codes (0 tagged or clean, 1 nothing tagged,
//! 2 error), like grep and ripgrep.

mod batch_command;
mod cli;

use aitag::eval::{EvalSetup, Evaluation, Gold};
use aitag::input;
use aitag::output::{eval_report, human};
use aitag::{ClassifyOptions, Engine, Error, Taxonomy};
use clap::{CommandFactory, Parser};
use cli::{ClassifyFormat, Cli, ColorChoice, Command, EvalArgs, EvalFormat};
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;

const TAGGED: u8 = 0;
/// A batch that finished without a bad record or file, tagged or not.
const CLEAN: u8 = 0;
const UNTAGGED: u8 = 1;
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if stdout_was_closed() {
        // Writing into the runtime's /dev/null would lose every record and exit 0.
        let _ = writeln!(
            io::stderr(),
            "aitag: stdout is closed: nothing can be written"
        );
        return ExitCode::from(FAILURE);
    }
    set_colour(cli.global.color);
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`aitag … | head`) is the reader's choice, not an error.
        Err(AppError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(TAGGED),
        Err(e) => {
            // Nothing more can be said when stderr fails too (a full disk).
            let _ = writeln!(io::stderr(), "aitag: {e}");
            ExitCode::from(FAILURE)
        }
    }
}

/// Whether the process was started with stdout closed (`>&-`). The Rust
/// runtime then opens /dev/null read-write on it, where a shell's
/// `>/dev/null` opens it write-only, so that is what tells them apart.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    // SAFETY: fstat and fcntl only read the state of descriptor 1 into
    // memory we own.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let mut null: libc::stat = std::mem::zeroed();
        if libc::fstat(1, &mut st) != 0 {
            return true;
        }
        let flags = libc::fcntl(1, libc::F_GETFL);
        flags >= 0
            && flags & libc::O_ACCMODE == libc::O_RDWR
            && (st.st_mode & libc::S_IFMT) == libc::S_IFCHR
            && libc::stat(c"/dev/null".as_ptr(), &mut null) == 0
            && st.st_rdev == null.st_rdev
    }
}

#[cfg(not(unix))]
fn stdout_was_closed() -> bool {
    false
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
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // These describe the command line itself and need no taxonomy.
    match &cli.command {
        Command::Completions(args) => {
            let mut command = Cli::command();
            // generate() panics when a write fails (/dev/full): write it here.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "aitag", &mut script);
            out.write_all(&script)?;
            out.flush()?;
            return Ok(CLEAN);
        }
        Command::Man(args) => {
            write_man_page(&mut out, args.command.as_deref())?;
            out.flush()?;
            return Ok(CLEAN);
        }
        _ => {}
    }
    let taxonomy = load_taxonomy(&cli.global)?;
    let code = match cli.command {
        Command::Batch(args) => batch_command::run(args, taxonomy, &mut out)?,
        Command::Completions(_) | Command::Man(_) => unreachable!("handled above"),
        Command::Classify(args) => {
            let engine = Engine::new(taxonomy)?;
            let text = if args.text.is_empty() || args.text == ["-"] {
                read_stdin_text()?
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
        Command::Eval(args) => run_eval(args, taxonomy, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}

/// The text on stdin, which holds one record: as long as any reader accepts
/// (a larger one would be held whole in memory).
fn read_stdin_text() -> Result<String, Error> {
    let max = input::MAX_RECORD_BYTES;
    let mut bytes = Vec::new();
    io::stdin()
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Input(format!("cannot read stdin: {e}")))?;
    if bytes.len() > max {
        let mib = max / (1024 * 1024);
        return Err(Error::Input(format!(
            "stdin holds more than {mib} MiB, the most one text may have (aitag batch reads many)"
        )));
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::Input(format!("cannot read stdin as UTF-8 text: {e}")))
}

/// The man page of aitag, or of one of its subcommands (`aitag-batch(1)`).
fn write_man_page(out: &mut dyn Write, subcommand: Option<&str>) -> Result<(), AppError> {
    let mut command = Cli::command();
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => {
            let sub = command
                .find_subcommand(name)
                .ok_or_else(|| Error::Input(format!("no subcommand `{name}`")))?;
            sub.clone().name(format!("aitag-{name}"))
        }
    };
    clap_mangen::Man::new(page).render(out)?;
    Ok(())
}

/// Classifies the data records that have gold labels and writes the report.
/// Bad records are reported here, once, and counted in the report; the
/// evaluation runs on (exit 0) unless the gold file, an option or a data file
/// as a whole is unusable (exit 2).
fn run_eval(args: EvalArgs, taxonomy: Taxonomy, out: &mut dyn Write) -> Result<u8, AppError> {
    let engine = Engine::new(taxonomy)?;
    let tag_ids: Vec<&str> = engine
        .taxonomy()
        .tags
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let gold = Gold::from_path(&args.gold, &tag_ids)?;
    let mut setup = EvalSetup::from_taxonomy(engine.taxonomy()).with_worst(args.worst);
    if !args.tags.is_empty() {
        let tags: Vec<String> = args.tags.iter().map(|t| t.trim().to_string()).collect();
        setup = setup.with_headline(&tags)?;
    }
    let input_options = args.input.options();
    let options = ClassifyOptions {
        min_confidence: args.min_confidence,
        explain: false,
    };
    let mut evaluation = Evaluation::new(&engine, &gold, options);
    for path in &args.data {
        for item in input::open(path, &input_options)? {
            match item {
                Ok(record) => evaluation.add(&record.id, &record.text, &record.source.to_string()),
                Err(e) => {
                    let _ = writeln!(io::stderr(), "aitag: {e}");
                    evaluation.add_error();
                }
            }
        }
    }
    let report = evaluation.finish(&setup);
    let missing = &report.coverage.missing;
    if !missing.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "aitag: {} gold id(s) not found in the data: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    match args.output {
        EvalFormat::Human => eval_report::write_human(out, &report)?,
        EvalFormat::Markdown => eval_report::write_markdown(out, &report)?,
        EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(TAGGED)
}

/// Freeing a compiled engine (thousands of small allocations) cost as much as
/// a tenth of a short `aitag classify`; the process is about to exit, so the
/// operating system reclaims the memory instead.
fn leave_to_exit(engine: Engine) {
    std::mem::forget(engine);
}
