//! Where discovered URLs go: the worker's input topic as the JSON request
//! it reads (`{"url", "id", "source", "meta"}`, keyed by host), or
//! standard output as JSON lines.

use std::io::Write;
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};

use super::poll::Found;
use super::source::Source;
use crate::kafka::message::Request;

/// The request for a found URL: the URL as the document gave it, the
/// feed's id, the source, and in `meta` the document it was found in,
/// its format, the item's title and published date.
pub fn request(found: &Found, source: &Source, discovered_at: &str) -> Request {
    let mut meta = serde_json::Map::new();
    meta.insert("found_in".into(), found.document.as_str().into());
    meta.insert("format".into(), found.format.into());
    if let Some(title) = &found.title {
        meta.insert("title".into(), title.as_str().into());
    }
    if let Some(published) = found.published {
        meta.insert(
            "published".into(),
            published
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                .into(),
        );
    }
    meta.insert("discovered_at".into(), discovered_at.into());
    Request {
        url: found.target.requested.to_string(),
        id: found.id.clone().map(serde_json::Value::String),
        source: Some(source.url().as_str().into()),
        meta: Some(serde_json::Value::Object(meta)),
    }
}

/// Where requests are published.
pub enum Sink {
    /// The worker's input topic, keyed by host.
    Kafka {
        producer: FutureProducer,
        topic: String,
    },
    /// JSON lines on standard output.
    Stdout,
}

impl Sink {
    /// Publishes `requests` (with the host of each as the Kafka key) and
    /// returns once all are acknowledged; any failure fails the batch,
    /// whose URLs are then not remembered and are tried at the next poll.
    pub async fn publish(&self, requests: &[(String, Request)]) -> Result<(), String> {
        match self {
            Sink::Kafka { producer, topic } => {
                let payloads: Vec<(String, Vec<u8>)> = requests
                    .iter()
                    .map(|(host, r)| Ok((host.clone(), serde_json::to_vec(r)?)))
                    .collect::<Result<_, serde_json::Error>>()
                    .map_err(|e| e.to_string())?;
                let sends: Vec<_> = payloads
                    .iter()
                    .map(|(key, payload)| {
                        producer.send(
                            FutureRecord::to(topic).key(key).payload(payload),
                            Duration::from_secs(30),
                        )
                    })
                    .collect();
                for sent in futures_util::future::join_all(sends).await {
                    sent.map_err(|(e, _): (KafkaError, _)| e.to_string())?;
                }
                Ok(())
            }
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                for (_, request) in requests {
                    let line = serde_json::to_string(request).map_err(|e| e.to_string())?;
                    writeln!(out, "{line}").map_err(|e| format!("standard output: {e}"))?;
                }
                out.flush().map_err(|e| format!("standard output: {e}"))
            }
        }
    }
}
