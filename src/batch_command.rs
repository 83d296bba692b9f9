//! `aitag batch`: wires the input readers, the parallel pipeline and the
//! printers together, reports bad records and files on stderr, and draws the
//! progress bar. All the logic lives in the library; this is plumbing.

use crate::cli::BatchArgs;
use crate::exit::{AppError, Outcome};
use aitag::batch::{self, BatchOptions, Summary};
use aitag::input::{self, CountingReader, Record, RecordError};
use aitag::output::batch::{BatchFormat, Item, printer_keeping};
use aitag::output::summary::write_summary;
use aitag::{ClassifyOptions, Engine, Error};
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

pub fn run(args: BatchArgs, engine: Engine, out: &mut dyn Write) -> Result<Outcome, AppError> {
    let index = engine.taxonomy().tag_index();
    if let Some(tag) = args.only.iter().find(|t| index.position(t).is_none()) {
        return Err(Error::Input(format!("--only: {}", index.unknown(tag))).into());
    }
    let format = match args.output {
        Some(f) => f.into(),
        None if io::stdout().is_terminal() => BatchFormat::Human,
        None => BatchFormat::Jsonl,
    };
    if matches!(format, BatchFormat::Csv | BatchFormat::Tsv) {
        let columns = ["id", "tags", "rules", "error", "file", "line", "reasons"];
        if let Some(name) = args
            .keep
            .iter()
            .find(|k| columns.contains(&k.as_str()) || engine.taxonomy().tag(k).is_some())
        {
            let message = format!("--keep: `{name}` is also a column of the output");
            return Err(Error::Input(message).into());
        }
    }
    let files = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files
    };
    let mut input_options = args.input.options();
    input_options.keep = args.keep.clone();
    let mut options = BatchOptions {
        jobs: args
            .jobs
            .and_then(NonZeroUsize::new)
            .unwrap_or_else(batch::default_jobs),
        classify: ClassifyOptions {
            min_confidence: args.min_confidence,
            explain: args.explain,
            ..ClassifyOptions::default()
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
    let stdout_tty = io::stdout().is_terminal();
    let mut progress = Progress::new(total_size(&files), bytes_read.clone());
    progress.enabled &= !(args.quiet || args.no_progress);
    // The human line already shows the error on the same screen.
    let errors_on_stderr = errors_on_stderr(format, stdout_tty, args.quiet);
    // Records go to the terminal the bar is drawn on: hide the bar while
    // each is printed, or its frames stay behind in the scrollback.
    let output_under_bar = stdout_tty;
    let count_language = args.summary;
    let input = open_all(files, input_options, bytes_read);

    let mut printer = printer_keeping(
        format,
        Box::new(&mut *out),
        engine.taxonomy(),
        args.explain,
        args.keep.clone(),
    )?;
    let mut summary = Summary::new(engine.taxonomy());
    let mut failed = false;
    let mut stderr_failed = false;
    let only = &args.only;
    let mut repeats = Repeats::default();
    batch::run(&engine, input, &options, |item| {
        progress.record();
        match item {
            Ok(c) => {
                summary.add(&c.classification);
                if count_language && aitag::text::looks_non_english(&c.record.text) {
                    summary.non_english += 1;
                }
                if only.is_empty() || only.iter().any(|t| c.classification.has(t)) {
                    summary.emitted += 1;
                    progress
                        .suspend_if(output_under_bar, || printer.record(Item::Classified(c)))?;
                }
            }
            Err(BatchError::Record(e)) => {
                failed = true;
                summary.add_error();
                summary.emitted += 1;
                if errors_on_stderr && repeats.show(&e.message) {
                    stderr_failed |= !progress.suspend_if(true, || warn(&e));
                }
                progress.suspend_if(output_under_bar, || printer.record(Item::Error(e)))?;
            }
            Err(BatchError::File(e)) => {
                failed = true;
                stderr_failed |= !progress.suspend_if(true, || warn(&e));
            }
        }
        Ok::<(), io::Error>(())
    })?;
    // Also after a signal: the output so far is then whole (a JSON array closed).
    printer.finish()?;
    progress.finish();
    if let Some(signal) = signals.caught() {
        return Ok(Outcome::Signalled(signal));
    }
    for (message, n) in repeats.unshown() {
        let _ = writeln!(
            io::stderr(),
            "aitag: … and {n} more records with the same error: {message}"
        );
    }
    if args.summary {
        let stderr = io::stderr();
        write_summary(&mut stderr.lock(), &summary, stderr.is_terminal())?;
    }
    Ok(if failed || stderr_failed {
        Outcome::BadRecords
    } else {
        Outcome::Done
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

    /// The signal that stopped the run, if one did.
    fn caught(&self) -> Option<i32> {
        if self.terminate.load(Ordering::SeqCst) {
            Some(signal_hook::consts::SIGTERM)
        } else if self.interrupt.load(Ordering::SeqCst) {
            Some(signal_hook::consts::SIGINT)
        } else {
            None
        }
    }
}

/// Whether a bad record is also reported on stderr. On a terminal that
/// shows the human output, the error line in the output says it already.
fn errors_on_stderr(format: BatchFormat, stdout_tty: bool, quiet: bool) -> bool {
    let shown_in_output = format == BatchFormat::Human && stdout_tty;
    !(quiet || shown_in_output)
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
            Ok(records) => {
                let name = input::display_name(&path).to_string();
                for w in records.warnings() {
                    warn(&format_args!("{name}: warning: {w}"));
                }
                // Whether any record had an id, or a text, of its own is known
                // only at the end of the file: say it then, once.
                let counts = FieldCount::default();
                let counted = counts.clone();
                let records = records.map(move |r| {
                    counted.add(&r);
                    r.map_err(BatchError::Record)
                });
                let id_field = options.id_field.clone();
                let text_fields = options.text_fields.clone();
                let check = std::iter::from_fn(move || {
                    let warnings = [
                        id_field.as_deref().and_then(|f| counts.id_warning(f)),
                        counts.text_warning(&text_fields),
                    ];
                    for w in warnings.into_iter().flatten() {
                        warn(&format_args!("{name}: warning: {w}"));
                    }
                    None
                });
                Box::new(records.chain(check))
            }
            Err(e) => Box::new(std::iter::once(Err(BatchError::File(e)))),
        }
    }))
}

/// Per file: records read, records that had an id of their own, and records
/// without the text field, for the warnings about an `--id-field` or a text
/// field that no record of a file has.
#[derive(Clone, Default)]
struct FieldCount(Arc<Counts>);

#[derive(Default)]
struct Counts {
    read: AtomicU64,
    own_id: AtomicU64,
    no_text: AtomicU64,
    errors: AtomicU64,
}

impl FieldCount {
    fn add(&self, record: &Result<Record, RecordError>) {
        let bump = |n: &AtomicU64| n.fetch_add(1, Ordering::Relaxed);
        let c = &self.0;
        match record {
            Ok(record) => {
                bump(&c.read);
                if record.id != record.source.default_id() {
                    bump(&c.own_id);
                }
            }
            Err(e) => {
                bump(&c.errors);
                if e.message.starts_with("missing text field") {
                    bump(&c.no_text);
                }
            }
        }
    }

    fn id_warning(&self, field: &str) -> Option<String> {
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        (get(&self.0.read) > 0 && get(&self.0.own_id) == 0).then(|| {
            format!("--id-field: no record has a field `{field}`; records are named FILE:LINE")
        })
    }

    /// When every record of the file lacked the text, the fields asked for
    /// are the problem, not the records: one warning says so.
    fn text_warning(&self, text_fields: &[String]) -> Option<String> {
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        let missing = get(&self.0.no_text);
        (missing > 0 && get(&self.0.read) == 0 && missing == get(&self.0.errors)).then(|| {
            let asked = if text_fields.is_empty() {
                "a `text`, `title` or `description` field".to_string()
            } else {
                let names: Vec<String> = text_fields.iter().map(|f| format!("`{f}`")).collect();
                format!("the field {}", names.join(", "))
            };
            format!(
                "no record has {asked} ({missing} error records); choose the text with --text-field"
            )
        })
    }
}

/// Counts the messages of bad records, so that the same problem in many
/// records (a field that none of them has) is said a few times, not once per
/// record; the rest is summed up at the end.
#[derive(Default)]
struct Repeats {
    seen: std::collections::HashMap<String, u64>,
    order: Vec<String>,
}

/// How many times the same message is printed before it is only counted.
const REPEATS_SHOWN: u64 = 3;

impl Repeats {
    /// Whether this occurrence of `message` is to be printed.
    fn show(&mut self, message: &str) -> bool {
        let n = self.seen.entry(message.to_string()).or_insert_with(|| {
            self.order.push(message.to_string());
            0
        });
        *n += 1;
        *n <= REPEATS_SHOWN
    }

    /// The messages that were left unprinted, and how many times each.
    fn unshown(&self) -> impl Iterator<Item = (&str, u64)> {
        self.order.iter().filter_map(|m| {
            let n = self.seen[m];
            (n > REPEATS_SHOWN).then(|| (m.as_str(), n - REPEATS_SHOWN))
        })
    }
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
            let mut message = format!("{} records, {rate:.0} records/s", self.records);
            match self.total {
                Some(total) => {
                    let read = self.bytes_read.load(Ordering::Relaxed);
                    if let Some(left) = eta(elapsed, read, total) {
                        message.push_str(&format!(", ETA {}", format_duration(left)));
                    }
                    bar.set_message(message);
                    bar.set_position(read);
                }
                None => {
                    bar.set_message(message);
                    bar.tick();
                }
            }
        }
    }

    fn make_bar(&self) -> ProgressBar {
        let target = ProgressDrawTarget::stderr();
        let (bar, template) = match self.total {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), target),
                "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes}, {msg}",
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

    /// Runs `f` with the bar hidden (when `hide` and there is one).
    fn suspend_if<R>(&self, hide: bool, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if hide => bar.suspend(f),
            _ => f(),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A run that ends early (an error, an interrupt that unwinds) must not
/// leave the last frame on the terminal either.
impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The time left, from the share of bytes read so far. indicatif's own
/// estimate starts when the bar appears, a second into the run, and saw the
/// bytes of that second arrive at once: it read 0 s at a quarter.
fn eta(elapsed: Duration, read: u64, total: u64) -> Option<Duration> {
    if read == 0 || read > total {
        return None;
    }
    let left = (total - read) as f64 / read as f64;
    Some(Duration::from_secs_f64(elapsed.as_secs_f64() * left))
}

fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_comes_from_the_share_of_bytes_read() {
        let quarter = eta(Duration::from_secs(10), 250, 1000).unwrap();
        assert_eq!(quarter, Duration::from_secs(30));
        assert_eq!(eta(Duration::from_secs(10), 0, 1000), None);
        assert_eq!(format_duration(Duration::from_secs(95)), "1m35s");
    }

    #[test]
    fn the_same_error_is_shown_a_few_times_then_counted() {
        let mut r = Repeats::default();
        let shown = (0..10).filter(|_| r.show("missing text field `x`")).count();
        assert_eq!(shown as u64, REPEATS_SHOWN);
        assert!(r.show("another"));
        assert_eq!(
            r.unshown().collect::<Vec<_>>(),
            [("missing text field `x`", 7)]
        );
    }

    #[test]
    fn a_bad_record_is_reported_once_on_a_terminal() {
        assert!(!errors_on_stderr(BatchFormat::Human, true, false));
        assert!(errors_on_stderr(BatchFormat::Human, false, false));
        assert!(errors_on_stderr(BatchFormat::Jsonl, true, false));
        assert!(!errors_on_stderr(BatchFormat::Jsonl, false, true));
    }
}
