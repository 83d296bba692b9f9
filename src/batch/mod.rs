//! Classifying a stream of records on several threads, in input order, in
//! bounded memory.
//!
//! ```text
//!  reader thread ──chunks──► worker 1..N ──classified chunks──► caller (reorders, sink)
//!        ▲                                                          │
//!        └──────────────── one token back per chunk emitted ────────┘
//! ```
//! The reader cuts the input into chunks (at most [`CHUNK_RECORDS`] records or
//! [`CHUNK_BYTES`] of text) and must hold a token to send one. There are
//! `4 × jobs` tokens, and one comes back each time a chunk has been handed to
//! the sink and dropped, so at most that many chunks exist at any moment:
//! read, being classified, waiting to be put back in order, or spent. Memory
//! is therefore bounded whatever the input size, and a slow record cannot
//! make the reorder buffer grow without limit.
//!
//! A spent chunk goes back to the worker that classified it, to be dropped
//! there: glibc's malloc frees memory fastest in the thread that allocated
//! it, and freeing every classification in the caller's thread took a tenth
//! of the CPU time of a two-worker run.

mod summary;

use crate::classification::Classification;
use crate::engine::{ClassifyOptions, Engine};
use crate::input::{Record, RecordError};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, select};
use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use summary::Summary;

/// Most records in one chunk.
pub const CHUNK_RECORDS: usize = 256;
/// Most text in one chunk, in bytes (a chunk always holds at least one record).
pub const CHUNK_BYTES: usize = 1024 * 1024;
/// Chunks in flight per worker.
const CHUNKS_PER_JOB: usize = 4;

#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// Worker threads (at least one).
    pub jobs: NonZeroUsize,
    pub classify: ClassifyOptions,
    /// Most records in one chunk: [`CHUNK_RECORDS`], or 1 when someone types
    /// the input and wants each result at once.
    pub chunk_records: NonZeroUsize,
    /// When set (by a signal handler, say), `run` stops once the record being
    /// shown to the sink is done, even while the reader waits for input, and
    /// returns `Ok`: what the sink saw is then a prefix of the output.
    pub stop: Option<&'static AtomicBool>,
}

impl Default for BatchOptions {
    fn default() -> BatchOptions {
        BatchOptions {
            jobs: default_jobs(),
            classify: ClassifyOptions::default(),
            chunk_records: NonZeroUsize::new(CHUNK_RECORDS).expect("CHUNK_RECORDS is not zero"),
            stop: None,
        }
    }
}

/// All cores.
pub fn default_jobs() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// A record and what the engine made of it.
#[derive(Debug, Clone)]
pub struct Classified {
    pub record: Record,
    pub classification: Classification,
}

/// A chunk's place in the input and its items.
type Chunk<T> = (u64, Vec<T>);
/// A classified chunk: its place, the worker that classified it, its items.
type Done<T> = (u64, usize, Vec<T>);

/// Classifies every record of `input` and shows each result to `sink`, in
/// input order. Errors of the input (`E`: a bad record, an unreadable file)
/// are passed through in their place. A classifier panic on one record
/// becomes an error for that record, not the end of the run.
///
/// When `sink` fails, `run` stops and returns its error at once: the reader
/// thread may then still be blocked on its input (stdin waiting for a
/// keyboard) and is left behind, so that `aitag … | head` ends as soon as
/// `head` does.
pub fn run<I, E, X>(
    engine: &Engine,
    input: I,
    options: &BatchOptions,
    mut sink: impl FnMut(&Result<Classified, E>) -> Result<(), X>,
) -> Result<(), X>
where
    I: Iterator<Item = Result<Record, E>> + Send + 'static,
    E: From<RecordError> + Send + 'static,
{
    let jobs = options.jobs.get();
    let in_flight = jobs * CHUNKS_PER_JOB;
    let (token_tx, token_rx) = bounded::<()>(in_flight);
    for _ in 0..in_flight {
        token_tx
            .send(())
            .expect("the token channel has room for every token");
    }
    let (work_tx, work_rx) = bounded::<Chunk<Result<Record, E>>>(in_flight);
    let (done_tx, done_rx) = bounded::<Done<Result<Classified, E>>>(in_flight);
    // Room for every chunk, so that handing one back never waits.
    let (spent_tx, spent_rx): (Vec<_>, Vec<_>) = (0..jobs)
        .map(|_| bounded::<Vec<Result<Classified, E>>>(in_flight))
        .unzip();
    // Never sent on: dropping it tells idle workers to stop, which they would
    // otherwise not do while the reader is blocked on its input.
    let (stop_tx, stop_rx) = bounded::<()>(0);
    let reader = std::thread::Builder::new()
        .name("aitag-reader".into())
        .spawn({
            let chunk_records = options.chunk_records.get();
            move || read_chunks(input, chunk_records, &token_rx, &work_tx)
        })
        .expect("cannot start the reader thread");

    let outcome = std::thread::scope(|scope| {
        for (i, spent_rx) in spent_rx.into_iter().enumerate() {
            let worker = Worker {
                id: i,
                work: work_rx.clone(),
                done: done_tx.clone(),
                spent: spent_rx,
                tokens: token_tx.clone(),
                stop: stop_rx.clone(),
            };
            let classify = options.classify;
            std::thread::Builder::new()
                .name(format!("aitag-worker-{i}"))
                .spawn_scoped(scope, move || worker.run(engine, &classify))
                .expect("cannot start a worker thread");
        }
        // Only the workers may keep the channels open, so that they close
        // when the work is done.
        drop((work_rx, done_tx, stop_rx));
        let result = reorder(&done_rx, &spent_tx, &token_tx, options.stop, &mut sink);
        // On a sink error, closing these makes the workers and the reader stop.
        drop((done_rx, spent_tx, token_tx, stop_tx));
        result
    });
    let stopped = options.stop.is_some_and(|s| s.load(Ordering::SeqCst));
    match outcome {
        // The reader may be blocked on its input: it is left behind.
        Ok(()) if stopped => Ok(()),
        Ok(()) => {
            if let Err(panic) = reader.join() {
                panic::resume_unwind(panic);
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn read_chunks<I, E>(
    input: I,
    chunk_records: usize,
    tokens: &Receiver<()>,
    work: &Sender<Chunk<Result<Record, E>>>,
) where
    I: Iterator<Item = Result<Record, E>>,
{
    let mut input = input.peekable();
    let mut seq = 0u64;
    while input.peek().is_some() {
        // Wait for room before reading, so that at most `in_flight` chunks exist.
        if tokens.recv().is_err() {
            return;
        }
        let mut chunk = Vec::with_capacity(chunk_records);
        let mut bytes = 0;
        while chunk.len() < chunk_records && bytes < CHUNK_BYTES {
            let Some(item) = input.next() else { break };
            bytes += item.as_ref().map_or(0, |r| r.text.len());
            chunk.push(item);
        }
        if work.send((seq, chunk)).is_err() {
            return;
        }
        seq += 1;
    }
}

/// A worker thread's ends of the channels.
struct Worker<E> {
    id: usize,
    work: Receiver<Chunk<Result<Record, E>>>,
    done: Sender<Done<Result<Classified, E>>>,
    /// Chunks of this worker's that the sink has seen, to drop.
    spent: Receiver<Vec<Result<Classified, E>>>,
    tokens: Sender<()>,
    stop: Receiver<()>,
}

impl<E: From<RecordError>> Worker<E> {
    /// Drops a chunk the sink has seen and returns its token.
    fn release(&self, spent: Vec<Result<Classified, E>>) {
        drop(spent);
        // The reader may have finished and dropped its receiver: fine.
        let _ = self.tokens.send(());
    }

    fn run(self, engine: &Engine, options: &ClassifyOptions) {
        loop {
            // Spent chunks first: they hold memory and tokens.
            while let Ok(spent) = self.spent.try_recv() {
                self.release(spent);
            }
            let (seq, chunk) = select! {
                recv(self.spent) -> spent => {
                    if let Ok(spent) = spent {
                        self.release(spent);
                    }
                    continue;
                },
                recv(self.work) -> chunk => match chunk {
                    Ok(chunk) => chunk,
                    Err(_) => return,
                },
                recv(self.stop) -> _ => return,
            };
            let classified = chunk
                .into_iter()
                .map(|item| {
                    item.and_then(|record| classify_one(engine, options, record).map_err(E::from))
                })
                .collect();
            if self.done.send((seq, self.id, classified)).is_err() {
                return;
            }
        }
    }
}

fn classify_one(
    engine: &Engine,
    options: &ClassifyOptions,
    record: Record,
) -> Result<Classified, RecordError> {
    match panic::catch_unwind(AssertUnwindSafe(|| {
        engine.classify_with(&record.text, options)
    })) {
        Ok(classification) => Ok(Classified {
            record,
            classification,
        }),
        Err(_) => Err(RecordError {
            id: record.id,
            source: record.source,
            message: "internal error: the classifier failed on this record (please report it)"
                .into(),
        }),
    }
}

/// Puts classified chunks back in input order, shows them to the sink and
/// hands each back to its worker to drop (or drops it and returns its token
/// itself when that worker has gone).
fn reorder<E, X>(
    done: &Receiver<Done<Result<Classified, E>>>,
    spent: &[Sender<Vec<Result<Classified, E>>>],
    tokens: &Sender<()>,
    stop: Option<&'static AtomicBool>,
    sink: &mut impl FnMut(&Result<Classified, E>) -> Result<(), X>,
) -> Result<(), X> {
    let mut waiting: BTreeMap<u64, (usize, Vec<Result<Classified, E>>)> = BTreeMap::new();
    let mut next = 0u64;
    let stopped = || stop.is_some_and(|s| s.load(Ordering::SeqCst));
    loop {
        // Without a stop flag, wait as long as it takes; with one, look at it
        // now and then, since a signal does not interrupt the wait.
        let received = match stop {
            None => done.recv().ok(),
            Some(_) => match done.recv_timeout(STOP_POLL) {
                Ok(d) => Some(d),
                Err(RecvTimeoutError::Timeout) if stopped() => return Ok(()),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => None,
            },
        };
        let Some((seq, worker, chunk)) = received else {
            break;
        };
        waiting.insert(seq, (worker, chunk));
        while let Some((worker, chunk)) = waiting.remove(&next) {
            for item in &chunk {
                if stopped() {
                    return Ok(());
                }
                sink(item)?;
            }
            next += 1;
            if spent[worker].try_send(chunk).is_err() {
                // The reader may have finished and dropped its receiver: fine.
                let _ = tokens.send(());
            }
        }
    }
    Ok(())
}

/// How often a stop flag is looked at while no chunk comes.
const STOP_POLL: Duration = Duration::from_millis(50);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SourcePos;

    fn record(i: usize, text: &str) -> Result<Record, RecordError> {
        let source = SourcePos {
            file: "t".into(),
            line: i as u64 + 1,
        };
        Ok(Record {
            id: i.to_string(),
            text: text.into(),
            source,
            kept: Vec::new(),
        })
    }

    fn inputs(n: usize) -> Vec<Result<Record, RecordError>> {
        let texts = [
            "Hackers stole the model weights and leaked them online.",
            "The chatbot was jailbroken with a prompt injection.",
            "A quiet day.",
        ];
        (0..n)
            .map(|i| {
                if i % 97 == 5 {
                    Err(RecordError::new(
                        SourcePos {
                            file: "t".into(),
                            line: i as u64 + 1,
                        },
                        "bad",
                    ))
                } else {
                    record(i, texts[i % texts.len()])
                }
            })
            .collect()
    }

    fn collect(jobs: usize, n: usize) -> Vec<(String, Vec<String>)> {
        collect_in_chunks(jobs, CHUNK_RECORDS, n)
    }

    fn collect_in_chunks(jobs: usize, chunk: usize, n: usize) -> Vec<(String, Vec<String>)> {
        let engine = Engine::embedded().unwrap();
        let options = BatchOptions {
            jobs: NonZeroUsize::new(jobs).unwrap(),
            chunk_records: NonZeroUsize::new(chunk).unwrap(),
            ..Default::default()
        };
        let mut out = Vec::new();
        run(&engine, inputs(n).into_iter(), &options, |item| {
            out.push(match item {
                Ok(c) => (
                    c.record.id.clone(),
                    c.classification.tag_ids().map(String::from).collect(),
                ),
                Err(e) => (e.id.clone(), vec!["error".to_string()]),
            });
            Ok::<(), ()>(())
        })
        .unwrap();
        out
    }

    #[test]
    fn order_and_results_do_not_depend_on_the_number_of_threads() {
        let n = CHUNK_RECORDS * 5 + 17;
        let one = collect(1, n);
        let three = collect(3, n);
        assert_eq!(one.len(), n);
        assert_eq!(one, three);
        let ids: Vec<String> = one.iter().map(|(id, _)| id.clone()).collect();
        let expected: Vec<String> = (0..n)
            .map(|i| {
                if i % 97 == 5 {
                    format!("t:{}", i + 1)
                } else {
                    i.to_string()
                }
            })
            .collect();
        assert_eq!(ids, expected);
        assert!(one[0].1.contains(&"security".to_string()));
        assert_eq!(one[5].1, vec!["error".to_string()]);
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let engine = Engine::embedded().unwrap();
        let mut seen = 0;
        let result = run(
            &engine,
            inputs(5000).into_iter(),
            &BatchOptions::default(),
            |_| {
                seen += 1;
                if seen == 10 { Err("closed") } else { Ok(()) }
            },
        );
        assert_eq!(result, Err("closed"));
        assert_eq!(seen, 10);
    }

    #[test]
    fn chunks_of_one_record_give_the_same_output() {
        assert_eq!(collect_in_chunks(2, 1, 300), collect(2, 300));
    }

    #[test]
    fn empty_input() {
        assert!(collect(2, 0).is_empty());
    }
}
