//! What the worker and discovery tell operators: Prometheus metrics on
//! `/metrics`, liveness on `/healthz`, readiness on `/readyz` (the worker:
//! partitions assigned and the producer connected; discovery: the seen set
//! loaded), all on `metrics.listen`.

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

/// Which process the metrics describe: each registers its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Worker,
    Discovery,
}

/// Discovery's counters (`newsworker discover`).
#[derive(Default)]
pub struct DiscoveryMetrics {
    pub polls: Counter,
    pub not_modified: Counter,
    pub failures: Family<ClassLabel, Counter>,
    pub urls_found: Counter,
    pub urls_too_old: Counter,
    pub urls_published: Counter,
    pub seen: Gauge,
    /// The seen set is loaded and the sink is ready.
    pub ready: AtomicBool,
}

impl DiscoveryMetrics {
    fn register(&self, registry: &mut Registry) {
        registry.register(
            "discover_polls",
            "Polls of a source completed (each may fetch several documents)",
            self.polls.clone(),
        );
        registry.register(
            "discover_not_modified",
            "Documents the server answered 304 Not Modified",
            self.not_modified.clone(),
        );
        registry.register(
            "discover_failures",
            "Documents that could not be used, by error class",
            self.failures.clone(),
        );
        registry.register(
            "discover_urls_found",
            "Article URLs listed by the documents read",
            self.urls_found.clone(),
        );
        registry.register(
            "discover_urls_too_old",
            "Article URLs skipped as older than discover.max_age_secs",
            self.urls_too_old.clone(),
        );
        registry.register(
            "discover_urls_published",
            "New article URLs published (acknowledged)",
            self.urls_published.clone(),
        );
        registry.register(
            "discover_seen_urls",
            "Canonical URLs in the seen set",
            self.seen.clone(),
        );
    }

    pub fn failure(&self, class: &str) {
        self.failures
            .get_or_create(&ClassLabel {
                class: class.to_owned(),
            })
            .inc();
    }
}

/// Every metric, registered once.
pub struct Metrics {
    registry: Registry,
    role: Role,
    /// Discovery's metrics; registered only for [`Role::Discovery`].
    pub discovery: DiscoveryMetrics,
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
    /// The metrics of `newsworker discover`.
    pub fn for_discovery() -> Metrics {
        let mut metrics = Metrics::new();
        metrics.role = Role::Discovery;
        let mut registry = Registry::with_prefix("newsworker");
        metrics.discovery.register(&mut registry);
        metrics.registry = registry;
        metrics
    }

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
            role: Role::Worker,
            discovery: DiscoveryMetrics::default(),
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

    /// Ready: the worker has partitions assigned and its producer
    /// connected; discovery has its seen set loaded.
    pub fn ready(&self) -> bool {
        match self.role {
            Role::Worker => {
                self.assigned.load(Ordering::Relaxed) > 0
                    && self.producer_up.load(Ordering::Relaxed)
            }
            Role::Discovery => self.discovery.ready.load(Ordering::Relaxed),
        }
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

/// Most connections the endpoints serve at once; beyond it, new ones are
/// closed at once. Scrapers and probes need a handful.
pub const MAX_CONNECTIONS: usize = 64;
/// Time a client has to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Most time a connection stays open, idle or not: keep-alive scrapers
/// reconnect, slow or silent clients cannot hold a slot.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(20);

/// Serves the endpoints on a bound listener until the process ends. Each
/// connection has [`HEADER_TIMEOUT`] to send its headers and lives at most
/// [`CONNECTION_LIFETIME`]; at most [`MAX_CONNECTIONS`] are open, so slow
/// clients cannot exhaust the file descriptors the worker needs for its
/// broker and its fetches.
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
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: wait, do not spin.
                tracing::warn!(error = %e, "metrics endpoint cannot accept");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::debug!("metrics endpoint at its connection cap: connection closed");
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A timeout here only ends one connection.
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
            drop(slot);
        });
    }
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
            "not ready: no partitions assigned or producer not connected (discovery: seen set not loaded)\n",
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

    /// Silent and half-sent clients neither hold connections for ever nor
    /// take more than the cap; the endpoints answer afterwards.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_clients_are_capped_and_timed_out() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve_on(listener, Arc::new(Metrics::new())));
        let mut clients = Vec::new();
        for i in 0..MAX_CONNECTIONS + 36 {
            let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
            if i % 2 == 0 {
                c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x")
                    .await
                    .unwrap();
            }
            clients.push(c);
        }
        // Closed by the server: a read returns 0 bytes (or the connection
        // was reset) instead of waiting.
        async fn closed_within(c: &mut tokio::net::TcpStream, wait: Duration) -> bool {
            let mut buf = [0u8; 64];
            matches!(
                tokio::time::timeout(wait, c.read(&mut buf)).await,
                Ok(Ok(0) | Err(_))
            )
        }
        let mut over_cap = 0;
        for c in &mut clients {
            if closed_within(c, Duration::from_millis(20)).await {
                over_cap += 1;
            }
        }
        assert!(over_cap >= 36, "only {over_cap} refused over the cap");
        tokio::time::sleep(HEADER_TIMEOUT + Duration::from_secs(1)).await;
        for (i, c) in clients.iter_mut().enumerate() {
            assert!(
                closed_within(c, Duration::from_millis(100)).await,
                "client {i} still open after the header timeout"
            );
        }
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}
