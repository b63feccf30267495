//! One URL through the whole pipeline: fetch -> extract -> classify ->
//! record. The I/O is the first step only; the rest is the pure core, run
//! off the async threads because it is CPU work.

use std::sync::Arc;
use std::time::Instant;

use crate::classify::Classifier;
use crate::cpu_pool::{CpuPool, PoolError};
use crate::extract::ExtractError;
use crate::extract::{self, Options, Page};
use crate::fetch::{Fetched, Fetcher, Target};
use crate::metrics::Metrics;
use crate::record::{self, Record};

/// Everything one URL needs, built once at start-up and shared.
pub struct Pipeline {
    fetcher: Fetcher,
    classifier: Arc<Classifier>,
    options: Options,
    metrics: Option<Arc<Metrics>>,
    /// Where pages are extracted and classified: CPU work, off the async
    /// threads, as many at once as there are threads in it.
    extractors: CpuPool,
}

impl Pipeline {
    /// Pages are extracted and classified on `extract_threads` threads
    /// (0: one per core the process may use).
    pub fn new(
        fetcher: Fetcher,
        classifier: Arc<Classifier>,
        options: Options,
        extract_threads: usize,
    ) -> Result<Pipeline, PoolError> {
        Ok(Pipeline {
            fetcher,
            classifier,
            options,
            metrics: None,
            extractors: CpuPool::new(extract_threads)?,
        })
    }

    /// Records fetch and extraction latencies in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Pipeline {
        self.metrics = Some(metrics);
        self
    }

    /// Fetches, extracts and classifies `url`.
    pub async fn process(&self, url: &str) -> Result<Record, ProcessError> {
        let target =
            Target::parse(url).map_err(|error| ProcessError::Fetch { error, attempts: 0 })?;
        self.process_target(&target).await
    }

    /// The same for a URL already parsed (the worker's, parsed once).
    pub async fn process_target(&self, target: &Target) -> Result<Record, ProcessError> {
        let started = Instant::now();
        let fetched = self.fetcher.fetch_target(target).await;
        if let Some(m) = &self.metrics {
            m.fetch_seconds.observe(started.elapsed().as_secs_f64());
        }
        let fetched = fetched?;
        let classifier = Arc::clone(&self.classifier);
        let options = self.options.clone();
        let metrics = self.metrics.clone();
        self.extractors
            .run(move || {
                let started = Instant::now();
                let record = build_record(&fetched, &options, &classifier);
                if let Some(m) = metrics {
                    m.extract_seconds.observe(started.elapsed().as_secs_f64());
                }
                record
            })
            .await
            .map_err(|e| ProcessError::Extract(ExtractError::Decode(e.to_string())))?
    }
}

/// The pure half: a fetched page to its record.
pub fn build_record(
    fetched: &Fetched,
    options: &Options,
    classifier: &Classifier,
) -> Result<Record, ProcessError> {
    // A page cannot have been published after it was fetched.
    let options = Options {
        now: Some(fetched.fetched_at),
        ..options.clone()
    };
    let article = extract::extract(
        Page {
            bytes: &fetched.body,
            url: Some(&fetched.final_url),
            charset: fetched.charset.as_deref(),
        },
        &options,
    )?;
    let geo = classifier.classify_article(&article, Some(fetched.final_url.as_str()));
    let mut record = Record::from_article(article, Some(&fetched.url), geo);
    record.final_url = Some(fetched.final_url.to_string());
    record.fetched_at = Some(record::rfc3339(fetched.fetched_at));
    record.http_status = Some(fetched.status);
    record.content_type = fetched.content_type.clone();
    Ok(record)
}

/// Why one URL did not become a record: the pipeline's error, with the
/// stage it failed in, for error lines and dead letters.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("{error}")]
    Fetch {
        error: crate::fetch::FetchError,
        attempts: u32,
    },
    #[error(transparent)]
    Extract(#[from] ExtractError),
}

impl ProcessError {
    pub fn class(&self) -> &'static str {
        match self {
            ProcessError::Fetch { error, .. } => error.class(),
            ProcessError::Extract(e) => e.class(),
        }
    }

    /// Whether the URL may succeed if tried again later.
    pub fn retryable(&self) -> bool {
        match self {
            ProcessError::Fetch { error, .. } => error.retryable(),
            ProcessError::Extract(_) => false,
        }
    }

    /// `fetch` or `extract`.
    pub fn stage(&self) -> &'static str {
        match self {
            ProcessError::Fetch { .. } => "fetch",
            ProcessError::Extract(_) => "extract",
        }
    }

    /// Requests made before giving up.
    pub fn attempts(&self) -> u32 {
        match self {
            ProcessError::Fetch { attempts, .. } => *attempts,
            ProcessError::Extract(_) => 1,
        }
    }
}

impl From<crate::fetch::Failed> for ProcessError {
    fn from(failed: crate::fetch::Failed) -> ProcessError {
        ProcessError::Fetch {
            error: failed.error,
            attempts: failed.attempts,
        }
    }
}
