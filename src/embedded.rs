//! The embedded default: everything `newsworker run --embedded` needs on
//! one machine with no Kafka install and no network. An in-process
//! Kafka-protocol broker (librdkafka's mock cluster) on 127.0.0.1, the
//! bundled example pages served over HTTP on 127.0.0.1 with an RSS feed of
//! them (`/feed.xml`), which discovery, running in the same process, turns
//! into requests on the input topic; plus one poison message, to show a
//! dead letter. `kcat -b <printed address> -t news.articles -C` reads along.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rdkafka::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord};

use crate::config::KafkaConfig;

/// The pages served, as (path, body): built into the binary, so the demo
/// runs from any directory.
const PAGES: &[(&str, &str)] = &[
    (
        "nato-vilnius-2023.html",
        include_str!("../examples/pages/nato-vilnius-2023.html"),
    ),
    (
        "de-bundestag-ukraine-hilfe.html",
        include_str!("../examples/pages/de-bundestag-ukraine-hilfe.html"),
    ),
    (
        "fr-sommet-otan-vilnius.html",
        include_str!("../examples/pages/fr-sommet-otan-vilnius.html"),
    ),
    (
        "es-cumbre-otan-vilna.html",
        include_str!("../examples/pages/es-cumbre-otan-vilna.html"),
    ),
    (
        "pl-szczyt-nato-wilno.html",
        include_str!("../examples/pages/pl-szczyt-nato-wilno.html"),
    ),
];

/// Why the embedded setup failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("embedded broker: {0}")]
    Kafka(#[from] KafkaError),
    #[error("embedded page server: {0}")]
    Io(#[from] std::io::Error),
}

/// A running embedded setup; the broker lives as long as this value.
pub struct Embedded {
    _cluster: MockCluster<'static, DefaultProducerContext>,
    pub brokers: String,
    pub pages_url: String,
    /// The RSS feed of the bundled pages.
    pub feed_url: String,
    /// Pages the feed lists.
    pub pages: usize,
}

impl Embedded {
    /// Starts the broker and the page server, creates the topics of
    /// `kafka` and discovery's `seen_topic`, and puts one poison message in the input topic (the pages'
    /// URLs come from discovery reading the feed).
    pub async fn start(kafka: &KafkaConfig, seen_topic: &str) -> Result<Embedded, EmbeddedError> {
        let cluster = MockCluster::new(1)?;
        let brokers = cluster.bootstrap_servers();
        cluster.create_topic(&kafka.input_topic, 3, 1)?;
        cluster.create_topic(&kafka.output_topic, 1, 1)?;
        cluster.create_topic(&kafka.dlq_topic, 1, 1)?;
        // The mock cluster has no admin API to create it compacted.
        cluster.create_topic(seen_topic, 1, 1)?;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr: SocketAddr = listener.local_addr()?;
        let app = Router::new()
            .route("/feed.xml", get(feed))
            .route("/{page}", get(page));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "embedded page server stopped");
            }
        });
        let pages_url = format!("http://{addr}");

        let producer: FutureProducer = ClientConfig::new()
            .set("bootstrap.servers", &brokers)
            .create()?;
        producer
            .send(
                FutureRecord::to(&kafka.input_topic)
                    .key("poison")
                    .payload("{\"link\": \"not a request\"}"),
                Duration::from_secs(10),
            )
            .await
            .map_err(|(e, _)| e)?;
        Ok(Embedded {
            _cluster: cluster,
            brokers,
            feed_url: format!("{pages_url}/feed.xml"),
            pages_url,
            pages: PAGES.len(),
        })
    }
}

/// An RSS 2.0 feed of the bundled pages, as a news site serves one.
async fn feed(headers: axum::http::HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let mut items = String::new();
    for (path, body) in PAGES {
        let title = body
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map_or(*path, |(title, _)| title.trim());
        items.push_str(&format!(
            "<item><title>{}</title><link>http://{host}/{path}</link><guid>{path}</guid></item>\n",
            escape_xml(title)
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>newsworker examples</title><link>http://{host}/</link>\
         <description>The bundled example pages</description>\n{items}</channel></rss>\n"
    );
    ([(header::CONTENT_TYPE, "application/rss+xml")], xml).into_response()
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn page(Path(name): Path<String>) -> Response {
    match PAGES.iter().find(|(path, _)| *path == name) {
        Some((_, body)) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], *body).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Prints every record and dead letter as it is produced: records as their
/// JSON line, dead letters as `{"dead_letter": {headers}, "value": ...}`.
pub async fn print_outputs(brokers: String, kafka: KafkaConfig) -> Result<(), KafkaError> {
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::message::{Headers, Message};
    use std::io::Write;

    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", "newsworker-embedded-printer")
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()?;
    consumer.subscribe(&[&kafka.output_topic, &kafka.dlq_topic])?;
    loop {
        let message = consumer.recv().await?;
        let value = String::from_utf8_lossy(message.payload().unwrap_or_default()).into_owned();
        let line = if message.topic() == kafka.dlq_topic {
            let headers: serde_json::Map<String, serde_json::Value> = message
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| {
                            let v = String::from_utf8_lossy(h.value.unwrap_or_default());
                            (h.key.to_owned(), serde_json::Value::String(v.into_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            serde_json::json!({ "dead_letter": headers, "value": value }).to_string()
        } else {
            value
        };
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            // stdout closed (a pipe to `head`): nothing more to print.
            return Ok(());
        }
    }
}
