//! Running one function over many indices on several threads, results in
//! index order. Threads take small runs of indices from a shared counter, so
//! a slow text holds up one run, not a fixed share of the input.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Indices a thread takes at a time: small enough to balance, large enough
/// that the counter is not contended on short texts.
const RUN: usize = 8;

/// `f(0)`, …, `f(n - 1)` on at most `jobs` threads, in index order. One job
/// (or one run of work) runs on the caller's thread.
pub fn map<T: Send>(n: usize, jobs: NonZeroUsize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = jobs.get().min(n.div_ceil(RUN));
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, T)> = Vec::new();
        loop {
            let start = next.fetch_add(RUN, Ordering::Relaxed);
            if start >= n {
                return done;
            }
            done.extend((start..(start + RUN).min(n)).map(|i| (i, f(i))));
        }
    };
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(n).collect();
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = vec![work()];
        for handle in others {
            match handle.join() {
                Ok(part) => parts.push(part),
                // A panic in one text is a bug in the engine: pass it on.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        for (i, value) in parts.into_iter().flatten() {
            slots[i] = Some(value);
        }
    });
    slots
        .into_iter()
        .map(|v| v.expect("every index was taken by one thread"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_index_order_whatever_the_threads() {
        for jobs in [1, 2, 3, 8] {
            for n in [0, 1, 7, 8, 9, 100] {
                let got = map(n, NonZeroUsize::new(jobs).unwrap(), |i| i * 3);
                assert_eq!(
                    got,
                    (0..n).map(|i| i * 3).collect::<Vec<_>>(),
                    "jobs {jobs} n {n}"
                );
            }
        }
    }
}
