//! Discovery's figures for the README: the memory the seen set takes per
//! URL, and the URLs per second one poll publishes.
//!
//! ```sh
//! cargo run --release --example discover_throughput -- [URLS] [--brokers HOST:PORT]
//! ```
//!
//! First a seen set is filled with a million canonical URLs in this fresh
//! process and its resident-memory growth is read from /proc. Then a
//! sitemap index of `URLS` URLs (default 1,000,000, in sitemaps of 50,000)
//! is served on 127.0.0.1 and polled once by discovery publishing into
//! Kafka (librdkafka's mock cluster, or the broker given) with the seen set
//! in the seen topic; the wall time and the process's CPU time of that poll
//! are printed.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use newsworker::config::{Config, DiscoverConfig, FetchConfig};
use newsworker::discover::{Discovery, Output, SeenSet, SeenStore, SourceSpec, source};
use newsworker::metrics::Metrics;

const PER_SITEMAP: usize = 50_000;

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn url(i: usize) -> String {
    format!("https://news.example/world/2026/11/30/story-number-{i}")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let total: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let brokers = args
        .iter()
        .position(|a| a == "--brokers")
        .and_then(|i| args.get(i + 1).cloned());

    let before = resident_bytes();
    let mut seen = SeenSet::new(10_000_000);
    for i in 0..1_000_000 {
        seen.insert(&url(i));
    }
    let after = resident_bytes();
    println!(
        "seen set: 1,000,000 URLs, resident memory +{:.1} MB ({:.1} bytes a URL)",
        (after - before) as f64 / 1e6,
        (after - before) as f64 / 1e6
    );
    drop(seen);

    let sitemaps = total.div_ceil(PER_SITEMAP);
    let app = Router::new()
        .route(
            "/index.xml",
            get(move || async move {
                let mut xml = String::from("<sitemapindex>");
                for s in 0..sitemaps {
                    xml.push_str(&format!("<sitemap><loc>/sitemap-{s}.xml</loc></sitemap>"));
                }
                xml + "</sitemapindex>"
            }),
        )
        .route(
            "/{name}",
            get(move |Path(name): Path<String>| async move {
                let s: usize = name
                    .trim_start_matches("sitemap-")
                    .trim_end_matches(".xml")
                    .parse()
                    .unwrap_or(0);
                let mut xml = String::from("<urlset>");
                for i in s * PER_SITEMAP..((s + 1) * PER_SITEMAP).min(total) {
                    xml.push_str(&format!("<url><loc>{}</loc></url>", url(i)));
                }
                xml + "</urlset>"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let cluster;
    let brokers = match brokers {
        Some(b) => {
            use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
            let admin: AdminClient<rdkafka::client::DefaultClientContext> =
                rdkafka::ClientConfig::new()
                    .set("bootstrap.servers", &b)
                    .create()
                    .unwrap();
            let topic = NewTopic::new("news.urls", 6, TopicReplication::Fixed(1));
            // Already there on a second run: fine.
            let _ = admin.create_topics([&topic], &AdminOptions::new()).await;
            b
        }
        None => {
            cluster = rdkafka::mocking::MockCluster::new(1).unwrap();
            cluster.create_topic("news.urls", 6, 1).unwrap();
            cluster.create_topic("news.seen", 3, 1).unwrap();
            cluster.bootstrap_servers()
        }
    };
    let mut config = Config {
        fetch: FetchConfig {
            allow_private_networks: true,
            per_host_delay_ms: 0,
            ..FetchConfig::default()
        },
        discover: DiscoverConfig {
            max_documents_per_poll: sitemaps + 1,
            ..DiscoverConfig::default()
        },
        ..Config::default()
    };
    config.kafka.brokers = brokers.clone();
    let started = Instant::now();
    let discovery = Discovery::start(
        &config,
        Output::Kafka,
        SeenStore::Kafka,
        Arc::new(Metrics::for_discovery()),
    )
    .await
    .unwrap();
    println!(
        "start-up: the seen topic read into {} URLs in {:.2} s",
        discovery.seen_len(),
        started.elapsed().as_secs_f64()
    );
    let sources = source::collect(
        &[(
            "bench".to_owned(),
            SourceSpec::Url(format!("http://127.0.0.1:{port}/index.xml")),
        )],
        None,
        std::time::Duration::from_secs(300),
    )
    .unwrap();
    let (wall, cpu) = (Instant::now(), newsworker::eval::process_cpu_seconds());
    let reports = discovery.poll_all(&sources).await;
    let (wall, cpu) = (
        wall.elapsed().as_secs_f64(),
        newsworker::eval::process_cpu_seconds() - cpu,
    );
    let r = &reports[0];
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    println!(
        "poll: {} sitemaps, {} URLs published (and marked seen) to {brokers} in {wall:.2} s wall, \
         {cpu:.2} s CPU (server and Kafka client included): {:.0} URLs per second, {:.0} per CPU-second; \
         resident memory {:.0} MB",
        r.fetched,
        r.published,
        r.published as f64 / wall,
        r.published as f64 / cpu,
        resident_bytes() as f64 / 1e6
    );
    discovery.close().await;
}
