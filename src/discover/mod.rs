//! Discovery: where the URLs come from. `newsworker discover` watches
//! feeds, sitemaps and sites ([`source`]), polls each on its own interval
//! with jitter and conditional requests through the worker's own
//! [`Fetcher`] ([`poll`]), reads what they list ([`document`],
//! [`sitemap`]), and publishes every new article URL once ([`seen`]) as
//! the request the worker reads ([`publish`]).
//!
//! Top-down, one poll: source -> fetch (304 stops here) -> read -> follow
//! (indexes, a page's feeds) -> entries -> too old? seen? -> publish ->
//! remember. A URL is remembered only after the broker acknowledged it:
//! a crash in between publishes it again (at least once; the worker's
//! dedup window absorbs the repeat), never loses it.

pub mod document;
pub mod error;
pub mod poll;
pub mod publish;
pub mod seen;
pub mod sitemap;
pub mod source;

use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use rdkafka::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::producer::FutureProducer;

pub use error::{DiscoverError, DocumentError};
pub use poll::{Discoverer, Found, Limits, Polled};
pub use publish::Sink;
pub use seen::SeenSet;
pub use source::{Kind, Source, SourceSpec};

use crate::config::{Config, DiscoverConfig};
use crate::fetch::Fetcher;
use crate::metrics::Metrics;

/// Where the seen set lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenStore {
    /// This process only: every run starts empty.
    Memory,
    /// The compacted `discover.seen_topic`: read at start-up, followed
    /// while running, written after each publication.
    Kafka,
}

/// Where discovered requests go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `kafka.input_topic`, keyed by host.
    Kafka,
    /// JSON lines on standard output.
    Stdout,
}

/// What one poll of one source did.
#[derive(Debug, Default)]
pub struct PollReport {
    pub source: String,
    pub found: usize,
    pub too_old: usize,
    pub published: usize,
    pub fetched: u32,
    pub not_modified: u32,
    pub errors: Vec<DocumentError>,
}

/// Why discovery could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("Kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("seen topic {topic}: {error}")]
    SeenTopic { topic: String, error: KafkaError },
    #[error("{0}")]
    Fetcher(#[from] crate::fetch::BuildError),
}

/// The running parts: the discoverer, the sink, the seen set and its
/// topic.
pub struct Discovery {
    discoverer: Discoverer,
    sink: Sink,
    seen: Arc<Mutex<SeenSet>>,
    /// The producer and topic for seen markers, when the set is in Kafka.
    marks: Option<(FutureProducer, String)>,
    follower: Option<tokio::task::JoinHandle<()>>,
    metrics: Arc<Metrics>,
    config: DiscoverConfig,
}

impl Drop for Discovery {
    fn drop(&mut self) {
        if let Some(follower) = &self.follower {
            follower.abort();
        }
    }
}

/// The librdkafka settings every discovery client shares.
fn kafka_client(config: &Config) -> ClientConfig {
    let mut client = ClientConfig::new();
    client.set("bootstrap.servers", &config.kafka.brokers);
    for (key, value) in &config.kafka.properties {
        client.set(key, value);
    }
    client
}

impl Discovery {
    /// Builds discovery as `config` says, publishing to `output`, with the
    /// seen set in `store`; a Kafka seen set is read to its end before this
    /// returns.
    pub async fn start(
        config: &Config,
        output: Output,
        store: SeenStore,
        metrics: Arc<Metrics>,
    ) -> Result<Discovery, StartError> {
        let d = &config.discover;
        let fetcher = Arc::new(Fetcher::new(&config.fetch)?);
        let discoverer = Discoverer::new(fetcher, d.limits());
        let needs_producer = output == Output::Kafka || store == SeenStore::Kafka;
        let producer: Option<FutureProducer> = if needs_producer {
            Some(
                kafka_client(config)
                    .set("enable.idempotence", "true")
                    .set("compression.type", "lz4")
                    .set("linger.ms", "20")
                    .create()?,
            )
        } else {
            None
        };
        let sink = match (&producer, output) {
            (Some(producer), Output::Kafka) => Sink::Kafka {
                producer: producer.clone(),
                topic: config.kafka.input_topic.clone(),
            },
            _ => Sink::Stdout,
        };
        let seen = Arc::new(Mutex::new(SeenSet::new(d.seen_capacity)));
        let mut follower = None;
        let mut marks = None;
        if store == SeenStore::Kafka {
            let topic = d.seen_topic.clone();
            let named = |error| StartError::SeenTopic {
                topic: topic.clone(),
                error,
            };
            let reader = seen::SeenTopic::open(&kafka_client(config), &topic)
                .await
                .map_err(named)?;
            let loaded = reader.load(&seen).await.map_err(named)?;
            tracing::info!(topic = %topic, urls = loaded, "seen set loaded");
            follower = Some(tokio::spawn(reader.follow(Arc::clone(&seen))));
            marks = producer.map(|p| (p, topic));
        }
        metrics
            .discovery
            .seen
            .set(seen.lock().unwrap_or_else(|e| e.into_inner()).len() as i64);
        metrics.discovery.ready.store(true, Ordering::Relaxed);
        Ok(Discovery {
            discoverer,
            sink,
            seen,
            marks,
            follower,
            metrics,
            config: d.clone(),
        })
    }

    /// Polls one source and publishes what is new in it, a document at a
    /// time.
    pub async fn poll_source(&self, source: &Source) -> PollReport {
        let m = &self.metrics.discovery;
        let mut report = PollReport {
            source: source.url().to_string(),
            ..PollReport::default()
        };
        let mut poll = self.discoverer.start_poll(source);
        while let Some(found) = poll.next_document().await {
            m.urls_found.inc_by(found.len() as u64);
            report.found += found.len();
            let now = Utc::now();
            let fresh = self.fresh(found, now, &mut report);
            if fresh.is_empty() {
                continue;
            }
            match self.publish(source, &fresh, now).await {
                Ok(()) => report.published += fresh.len(),
                Err(e) => poll.errors.push(DocumentError {
                    document: source.url().to_string(),
                    error: e,
                }),
            }
        }
        report.fetched = poll.fetched;
        report.not_modified = poll.not_modified;
        report.errors = poll.errors;
        m.polls.inc();
        m.not_modified.inc_by(u64::from(report.not_modified));
        m.urls_too_old.inc_by(report.too_old as u64);
        m.urls_published.inc_by(report.published as u64);
        for e in &report.errors {
            m.failure(e.error.class());
            tracing::warn!(
                source = %report.source,
                document = %e.document,
                class = e.error.class(),
                error = %e.error,
                "discovery document failed"
            );
        }
        tracing::info!(
            source = %report.source,
            found = report.found,
            published = report.published,
            too_old = report.too_old,
            not_modified = report.not_modified,
            errors = report.errors.len(),
            "source polled"
        );
        report
    }

    /// The URLs not seen before, not older than `discover.max_age_secs`,
    /// each once; they are reserved in the seen set at once, so a source
    /// polled at the same time does not publish them too.
    fn fresh(&self, found: Vec<Found>, now: DateTime<Utc>, report: &mut PollReport) -> Vec<Found> {
        // An age past what a date can express is no limit.
        let oldest = (self.config.max_age_secs > 0)
            .then(|| {
                let age =
                    chrono::Duration::try_seconds(i64::try_from(self.config.max_age_secs).ok()?)?;
                now.checked_sub_signed(age)
            })
            .flatten();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut fresh = Vec::new();
        for f in found {
            if let (Some(oldest), Some(published)) = (oldest, f.published)
                && published < oldest
            {
                report.too_old += 1;
                continue;
            }
            if seen.insert(f.target.canonical.as_str()) {
                fresh.push(f);
            }
        }
        fresh
    }

    /// Publishes `fresh` (reserved in the seen set), then writes its seen
    /// markers; a batch that cannot be published is forgotten again, to
    /// be tried at the next poll.
    async fn publish(
        &self,
        source: &Source,
        fresh: &[Found],
        now: DateTime<Utc>,
    ) -> Result<(), DiscoverError> {
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let requests: Vec<(String, crate::kafka::message::Request)> = fresh
            .iter()
            .map(|f| {
                let host = f.target.canonical.host_str().unwrap_or_default().to_owned();
                (host, publish::request(f, source, &at))
            })
            .collect();
        self.sink
            .publish(&requests)
            .await
            .map_err(DiscoverError::Publish)?;
        let canonical: Vec<String> = fresh
            .iter()
            .map(|f| f.target.canonical.to_string())
            .collect();
        {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            for url in &canonical {
                seen.insert(url);
            }
            self.metrics.discovery.seen.set(seen.len() as i64);
        }
        if let Some((producer, topic)) = &self.marks
            && let Err(e) = seen::mark(producer, topic, &canonical, &at).await
        {
            // Published but not marked: a restart would publish these again.
            tracing::warn!(topic = %topic, urls = canonical.len(), error = %e, "cannot write seen markers");
        }
        Ok(())
    }

    /// Polls every source once, `discover.concurrency` at a time.
    pub async fn poll_all(&self, sources: &[Source]) -> Vec<PollReport> {
        futures_util::stream::iter(sources)
            .map(|s| self.poll_source(s))
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await
    }

    /// Polls every source on its own interval, with jitter, backing off
    /// after failures, until `shutdown` completes.
    pub async fn run(self: Arc<Self>, sources: Vec<Source>, shutdown: impl Future<Output = ()>) {
        let slots = Arc::new(tokio::sync::Semaphore::new(self.config.concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for source in sources {
            let discovery = Arc::clone(&self);
            let slots = Arc::clone(&slots);
            tasks.spawn(async move {
                let mut failures: u32 = 0;
                loop {
                    let report = {
                        let Ok(_slot) = slots.acquire().await else {
                            return;
                        };
                        discovery.poll_source(&source).await
                    };
                    failures = if report.errors.is_empty() {
                        0
                    } else {
                        failures.saturating_add(1)
                    };
                    tokio::time::sleep(discovery.next_wait(source.interval, failures)).await;
                }
            });
        }
        shutdown.await;
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }

    fn next_wait(&self, interval: Duration, failures: u32) -> Duration {
        next_wait(
            interval,
            failures,
            Duration::from_secs(self.config.max_backoff_secs),
            self.config.jitter,
            fastrand::f64(),
        )
    }

    /// Stops following the seen topic and waits until its reader is gone,
    /// so that no client outlives the broker it talks to.
    pub async fn close(mut self) {
        if let Some(follower) = self.follower.take() {
            follower.abort();
            let _ = follower.await;
        }
    }

    /// URLs in the seen set.
    pub fn seen_len(&self) -> usize {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The wait before a source's next poll: its interval, doubled per
/// consecutive failed poll up to `max_backoff` (never below the interval),
/// spread by `jitter` either way (`random` in [0, 1)) so sources started
/// together drift apart.
fn next_wait(
    interval: Duration,
    failures: u32,
    max_backoff: Duration,
    jitter: f64,
    random: f64,
) -> Duration {
    let base = if failures == 0 {
        interval
    } else {
        interval
            .saturating_mul(1u32 << failures.min(16))
            .min(max_backoff.max(interval))
    };
    let factor = 1.0 + jitter.clamp(0.0, 1.0) * (random * 2.0 - 1.0);
    base.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_back_off_after_failures_and_are_spread() {
        let minute = Duration::from_secs(60);
        let hour = Duration::from_secs(3600);
        let wait = |failures, random| next_wait(minute, failures, hour, 0.1, random);
        assert_eq!(wait(0, 0.5), minute);
        assert_eq!(wait(1, 0.5), 2 * minute);
        assert_eq!(wait(3, 0.5), 8 * minute);
        assert_eq!(wait(10, 0.5), hour);
        assert_eq!(wait(u32::MAX, 0.5), hour);
        assert_eq!(wait(0, 0.0), Duration::from_secs(54));
        assert_eq!(wait(0, 1.0), Duration::from_secs(66));
        // A backoff shorter than the interval never shortens it.
        assert_eq!(next_wait(hour, 2, minute, 0.0, 0.5), hour);
    }
}
