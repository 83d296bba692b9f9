//! `aitag batch`: wires the input readers, the parallel pipeline and the
//! printers together, reports bad records and files on stderr, and draws the
//! progress bar. All the logic lives in the library; this is plumbing.

use crate::cli::BatchArgs;
use crate::{AppError, CLEAN, FAILURE};
use aitag::batch::{self, BatchOptions, Summary};
use aitag::input::{self, CountingReader, Record, RecordError};
use aitag::output::batch::{BatchFormat, Item, printer};
use aitag::output::summary::write_summary;
use aitag::{ClassifyOptions, Engine, Error, Taxonomy};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What can stand in a record's place: a record that cannot be used, or a
/// file that cannot be read at all.
enum BatchError {
    Record(RecordError),
    File(Error),
}

impl From<RecordError> for BatchError {
    fn from(e: RecordError) -> Self {
        BatchError::Record(e)
    }
}

type Input = Box<dyn Iterator<Item = Result<Record, BatchError>> + Send>;

pub fn run(args: BatchArgs, taxonomy: Taxonomy, out: &mut dyn Write) -> Result<u8, AppError> {
    let engine = Engine::new(taxonomy)?;
    for tag in &args.only {
        if engine.taxonomy().tag(tag).is_none() {
            let known: Vec<&str> = engine
                .taxonomy()
                .tags
                .iter()
                .map(|t| t.id.as_str())
                .collect();
            let message = format!("--only: unknown tag `{tag}` (tags: {})", known.join(", "));
            return Err(Error::Input(message).into());
        }
    }
    let format = match args.output {
        Some(f) => f.into(),
        None if io::stdout().is_terminal() => BatchFormat::Human,
        None => BatchFormat::Jsonl,
    };
    let files = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files
    };
    let mut input_options = args.input.options();
    let mut options = BatchOptions {
        jobs: args.jobs.unwrap_or_else(batch::default_jobs),
        classify: ClassifyOptions {
            min_confidence: args.min_confidence,
            explain: args.explain,
        },
        ..BatchOptions::default()
    };
    if files.iter().any(|f| f == "-") && io::stdin().is_terminal() {
        // Someone is typing: answer each line at once, and do not wait for
        // lines to guess the format from.
        options.chunk_records = NonZeroUsize::MIN;
        input_options.format.get_or_insert(input::Format::Lines);
    }
    let signals = Signals::catch()?;
    options.stop = Some(signals.stop);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut progress = Progress::new(total_size(&files), bytes_read.clone());
    let input = open_all(files, input_options, bytes_read);

    let mut printer = printer(format, Box::new(&mut *out), engine.taxonomy(), args.explain)?;
    let mut summary = Summary::new(engine.taxonomy());
    let mut failed = false;
    let mut stderr_failed = false;
    let only = &args.only;
    batch::run(&engine, input, &options, |item| {
        progress.record();
        match item {
            Ok(c) => {
                summary.add(&c.classification);
                if only.is_empty() || only.iter().any(|t| c.classification.has(t)) {
                    summary.emitted += 1;
                    printer.record(Item::Classified(c))?;
                }
            }
            Err(BatchError::Record(e)) => {
                failed = true;
                summary.add_error();
                summary.emitted += 1;
                stderr_failed |= !progress.suspend(|| warn(&e));
                printer.record(Item::Error(e))?;
            }
            Err(BatchError::File(e)) => {
                failed = true;
                stderr_failed |= !progress.suspend(|| warn(&e));
            }
        }
        Ok::<(), io::Error>(())
    })?;
    // Also after a signal: the output so far is then whole (a JSON array closed).
    printer.finish()?;
    progress.finish();
    if let Some(code) = signals.exit_code() {
        return Ok(code);
    }
    if args.summary {
        let stderr = io::stderr();
        write_summary(&mut stderr.lock(), &summary, stderr.is_terminal())?;
    }
    Ok(if failed || stderr_failed {
        FAILURE
    } else {
        CLEAN
    })
}

/// Writes a message on stderr; false when it could not be written (stderr
/// on a full disk), which must not panic as `eprintln!` does.
fn warn(message: &dyn std::fmt::Display) -> bool {
    writeln!(io::stderr().lock(), "aitag: {message}").is_ok()
}

/// SIGINT and SIGTERM, caught for the length of a batch run: either stops
/// the run after the record being written (batch::BatchOptions::stop), and
/// the process then exits with the signal's conventional status (128 + its
/// number), its output a whole prefix of what it would have written.
struct Signals {
    stop: &'static AtomicBool,
    interrupt: Arc<AtomicBool>,
    terminate: Arc<AtomicBool>,
}

impl Signals {
    fn catch() -> io::Result<Signals> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        // One flag for the whole process, which lives until it exits.
        let stop: &'static Arc<AtomicBool> = Box::leak(Box::new(Arc::new(AtomicBool::new(false))));
        let interrupt = Arc::new(AtomicBool::new(false));
        let terminate = Arc::new(AtomicBool::new(false));
        for (signal, which) in [(SIGINT, &interrupt), (SIGTERM, &terminate)] {
            signal_hook::flag::register(signal, Arc::clone(which))?;
            signal_hook::flag::register(signal, Arc::clone(stop))?;
        }
        Ok(Signals {
            stop,
            interrupt,
            terminate,
        })
    }

    fn exit_code(&self) -> Option<u8> {
        if self.terminate.load(Ordering::SeqCst) {
            Some(128 + signal_hook::consts::SIGTERM as u8)
        } else if self.interrupt.load(Ordering::SeqCst) {
            Some(128 + signal_hook::consts::SIGINT as u8)
        } else {
            None
        }
    }
}

/// The records of every file in turn, each file opened only when its turn
/// comes; a file that cannot be opened becomes one error in its place.
fn open_all(files: Vec<String>, options: input::InputOptions, bytes_read: Arc<AtomicU64>) -> Input {
    Box::new(files.into_iter().flat_map(move |path| -> Input {
        let opened = input::open_source(&path).and_then(|reader| {
            let reader = CountingReader::new(reader, bytes_read.clone());
            input::from_reader(input::display_name(&path), reader, &options)
        });
        match opened {
            Ok(records) => Box::new(records.map(|r| r.map_err(BatchError::Record))),
            Err(e) => Box::new(std::iter::once(Err(BatchError::File(e)))),
        }
    }))
}

/// The total size of the inputs when all are regular files, for the ETA.
fn total_size(files: &[String]) -> Option<u64> {
    files
        .iter()
        .map(|f| {
            if f == "-" {
                None
            } else {
                std::fs::metadata(f)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
            }
        })
        .sum()
}

/// A progress bar on stderr, only when stderr is a terminal and only once a
/// run has taken more than a second (a short run should not flicker).
struct Progress {
    enabled: bool,
    start: Instant,
    total: Option<u64>,
    bytes_read: Arc<AtomicU64>,
    bar: Option<ProgressBar>,
    records: u64,
}

const SHOW_AFTER: Duration = Duration::from_secs(1);

impl Progress {
    fn new(total: Option<u64>, bytes_read: Arc<AtomicU64>) -> Progress {
        Progress {
            enabled: io::stderr().is_terminal(),
            start: Instant::now(),
            total,
            bytes_read,
            bar: None,
            records: 0,
        }
    }

    fn record(&mut self) {
        self.records += 1;
        if !self.enabled || self.records % 64 != 0 {
            return;
        }
        let elapsed = self.start.elapsed();
        if self.bar.is_none() && elapsed >= SHOW_AFTER {
            self.bar = Some(self.make_bar());
        }
        if let Some(bar) = &self.bar {
            let rate = self.records as f64 / elapsed.as_secs_f64().max(1e-9);
            bar.set_message(format!("{} records, {rate:.0} records/s", self.records));
            if self.total.is_some() {
                bar.set_position(self.bytes_read.load(Ordering::Relaxed));
            } else {
                bar.tick();
            }
        }
    }

    fn make_bar(&self) -> ProgressBar {
        let target = ProgressDrawTarget::stderr();
        let (bar, template) = match self.total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), target),
                "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes}, {msg}, ETA {eta}",
            ),
            None => (
                ProgressBar::with_draw_target(None, target),
                "{spinner} {elapsed_precise} {msg}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
