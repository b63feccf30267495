//! What the worker tells operators: Prometheus metrics on `/metrics`,
//! liveness on `/healthz`, readiness on `/readyz` (partitions assigned and
//! the producer connected), all on `metrics.listen`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// A dead letter's error class.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ClassLabel {
    pub class: String,
}

/// A topic partition.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PartitionLabel {
    pub topic: String,
    pub partition: i64,
}

/// Every metric, registered once.
pub struct Metrics {
    registry: Registry,
    pub consumed: Counter,
    pub produced: Counter,
    pub dead_letters: Family<ClassLabel, Counter>,
    pub skipped_duplicates: Counter,
    pub in_flight: Gauge,
    pub fetch_seconds: Histogram,
    pub extract_seconds: Histogram,
    pub consumer_lag: Family<PartitionLabel, Gauge>,
    /// Outputs that could not be written: not committed, replayed later.
    pub lost_outputs: Counter,
    /// Messages whose work panicked (each became an `internal` dead letter).
    pub panics: Counter,
    /// Partitions currently assigned to this worker.
    pub assigned: AtomicI64,
    /// The producer reached a broker lately.
    pub producer_up: AtomicBool,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("newsworker");
        let consumed = Counter::default();
        let produced = Counter::default();
        let dead_letters = Family::<ClassLabel, Counter>::default();
        let skipped_duplicates = Counter::default();
        let in_flight = Gauge::default();
        // 10 ms to about 80 s.
        let fetch_seconds = Histogram::new(exponential_buckets(0.01, 2.0, 14));
        // 0.1 ms to about 0.8 s.
        let extract_seconds = Histogram::new(exponential_buckets(0.0001, 2.0, 14));
        let consumer_lag = Family::<PartitionLabel, Gauge>::default();
        let lost_outputs = Counter::default();
        let panics = Counter::default();
        registry.register(
            "panics",
            "Messages whose work panicked: each became a dead letter of class internal",
            panics.clone(),
        );
        registry.register(
            "unwritten_outputs",
            "Messages whose record and dead letter both failed: left uncommitted, replayed later",
            lost_outputs.clone(),
        );
        registry.register(
            "messages_consumed",
            "Input messages taken",
            consumed.clone(),
        );
        registry.register(
            "records_produced",
            "Records acknowledged by the broker",
            produced.clone(),
        );
        registry.register(
            "dead_letters",
            "Dead letters acknowledged by the broker, by error class",
            dead_letters.clone(),
        );
        registry.register(
            "skipped_duplicates",
            "Messages whose canonical URL was seen within worker.dedup_ttl_secs",
            skipped_duplicates.clone(),
        );
        registry.register("in_flight", "Messages being worked on", in_flight.clone());
        registry.register(
            "fetch_duration_seconds",
            "Time to fetch a page, retries included",
            fetch_seconds.clone(),
        );
        registry.register(
            "extract_duration_seconds",
            "Time to extract and classify a page",
            extract_seconds.clone(),
        );
        registry.register(
            "consumer_lag",
            "Messages behind the partition's end (librdkafka statistics)",
            consumer_lag.clone(),
        );
        Metrics {
            registry,
            consumed,
            produced,
            dead_letters,
            skipped_duplicates,
            in_flight,
            fetch_seconds,
            extract_seconds,
            consumer_lag,
            lost_outputs,
            panics,
            assigned: AtomicI64::new(0),
            producer_up: AtomicBool::new(false),
        }
    }

    pub fn dead_letter(&self, class: &str) {
        self.dead_letters
            .get_or_create(&ClassLabel {
                class: class.to_owned(),
            })
            .inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            out = format!("# cannot encode metrics: {e}\n");
        }
        out
    }

    /// Ready: partitions assigned and the producer connected.
    pub fn ready(&self) -> bool {
        self.assigned.load(Ordering::Relaxed) > 0 && self.producer_up.load(Ordering::Relaxed)
    }

    /// Records librdkafka's statistics: consumer lag per partition.
    pub fn record_statistics(&self, stats: &rdkafka::Statistics) {
        for (topic, t) in &stats.topics {
            for (partition, p) in &t.partitions {
                // -1 is librdkafka's "internal" partition; lag -1 is unknown.
                if *partition < 0 || p.consumer_lag < 0 {
                    continue;
                }
                self.consumer_lag
                    .get_or_create(&PartitionLabel {
                        topic: topic.clone(),
                        partition: i64::from(*partition),
                    })
                    .set(p.consumer_lag);
            }
        }
    }
}

/// Serves `/metrics`, `/healthz` and `/readyz` on `listen` until the
/// process ends.
pub async fn serve(listen: SocketAddr, metrics: Arc<Metrics>) -> std::io::Result<()> {
    serve_on(bind(listen).await?, metrics).await
}

/// Binds the endpoints' address: done before the worker starts, so an
/// address in use stops the process with its name instead of leaving a
/// worker without health endpoints.
pub async fn bind(listen: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot listen on {listen} (metrics.listen): {e}"),
        )
    })
}

/// Serves the endpoints on a bound listener until the process ends.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    metrics: Arc<Metrics>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/metrics", get(render))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(metrics);
    tracing::info!(listen = %listener.local_addr()?, "metrics and health endpoints");
    axum::serve(listener, app).await
}

async fn render(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.render(),
    )
}

async fn ready(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    if metrics.ready() {
        (StatusCode::OK, "ready\n")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: no partitions assigned or producer not connected\n",
        )
    }
}

/// How often the producer's connection is checked for `/readyz`.
pub const PRODUCER_CHECK_EVERY: Duration = Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_metric() {
        let m = Metrics::new();
        m.consumed.inc();
        m.dead_letter("http_status");
        m.fetch_seconds.observe(0.2);
        let text = m.render();
        for name in [
            "newsworker_messages_consumed_total 1",
            "newsworker_dead_letters_total{class=\"http_status\"} 1",
            "newsworker_fetch_duration_seconds_bucket",
            "newsworker_in_flight",
            "newsworker_records_produced_total",
            "newsworker_skipped_duplicates_total",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
        assert!(!m.ready());
        m.assigned.store(2, Ordering::Relaxed);
        m.producer_up.store(true, Ordering::Relaxed);
        assert!(m.ready());
    }
}
