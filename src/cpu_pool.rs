//! A fixed set of threads for the pipeline's CPU-bound half (extraction
//! and classification), fed from one queue.
//!
//! Why not tokio's blocking pool: it starts a thread for every task that
//! finds none idle, so a worker with 64 messages in flight ran up to 64
//! extractions at once on two cores, each holding its page's DOM, in
//! threads of their own (each with its own allocator arena): more memory
//! (peak RSS 257-275 MiB against 185-190 MiB with one thread per core, same
//! run) and fewer records per second. Capping it with a semaphore instead
//! left the cores idle between tasks (each next task waited for an async
//! wake-up); threads that take the next job off a queue as they finish one
//! do not.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use thiserror::Error;

/// The pool could not start its threads.
#[derive(Debug, Error)]
#[error("cannot start {threads} extraction threads: {source}")]
pub struct PoolError {
    threads: usize,
    source: rayon::ThreadPoolBuildError,
}

/// A job's result was lost: the pool shut down under it.
#[derive(Debug, Error)]
#[error("the extraction thread pool shut down before the job finished")]
pub struct PoolClosed;

/// Threads that run jobs from one queue, one job each at a time.
pub struct CpuPool {
    pool: rayon::ThreadPool,
}

impl CpuPool {
    /// `threads` threads; 0 for one per core the process may use (the
    /// container's CPU quota counts).
    pub fn new(threads: usize) -> Result<CpuPool, PoolError> {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            n => n,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("extract-{i}"))
            .build()
            .map_err(|source| PoolError { threads, source })?;
        Ok(CpuPool { pool })
    }

    /// How many threads run jobs.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `job` on a pool thread once one is free; the returned future
    /// resolves with its result. A job that panics does not take its thread
    /// with it: the panic resumes in the task awaiting the result, where
    /// the worker turns a panic into a dead letter.
    pub fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> impl Future<Output = Result<R, PoolClosed>> + Send + 'static {
        let (done, result) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            // The caller may have stopped waiting (shutdown): nothing to do.
            let _ = done.send(catch_unwind(AssertUnwindSafe(job)));
        });
        async move {
            match result.await {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(panic)) => resume_unwind(panic),
                Err(_) => Err(PoolClosed),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn jobs_run_at_most_one_per_thread_and_all_finish() {
        let pool = CpuPool::new(2).unwrap();
        assert_eq!(pool.threads(), 2);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..12)
            .map(|i| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * 10
                })
            })
            .collect();
        let mut results = Vec::new();
        for job in jobs {
            results.push(job.await.unwrap());
        }
        assert_eq!(results, (0..12).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 2, "two threads, two at once");
    }

    #[tokio::test]
    async fn a_panicking_job_panics_its_awaiter_and_the_pool_goes_on() {
        let pool = CpuPool::new(1).unwrap();
        let failing = pool.run(|| -> u32 { panic!("bad page") });
        let awaited = tokio::spawn(failing).await;
        let panic = awaited.expect_err("the panic reaches the awaiting task");
        assert!(panic.is_panic());
        let message = panic.into_panic();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"bad page"));
        // The one thread survived it.
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }

    #[test]
    fn zero_threads_means_one_per_core() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        assert_eq!(CpuPool::new(0).unwrap().threads(), cores);
    }
}
