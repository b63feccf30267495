//! One produce request, owned: under exactly-once an output waits in the
//! offset tracker until every older message of its partition is done.

use rdkafka::message::{Header, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::FutureRecord;

use super::dead_letter::{self, Failure, Source};
use crate::metrics::Metrics;
use crate::record::SCHEMA;

/// A record or a dead letter, ready to produce.
#[derive(Debug)]
pub struct Output {
    topic: String,
    key: Option<Vec<u8>>,
    payload: Option<Vec<u8>>,
    headers: OwnedHeaders,
    /// The error class of a dead letter; `None` for a record.
    dead_letter_class: Option<String>,
}

impl Output {
    /// A record, keyed by its id so a compacted topic keeps the latest.
    pub fn record(topic: &str, id: &str, payload: Vec<u8>) -> Output {
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: "content-type",
                value: Some("application/json"),
            })
            .insert(Header {
                key: "schema",
                value: Some(SCHEMA),
            });
        Output {
            topic: topic.to_owned(),
            key: Some(id.as_bytes().to_vec()),
            payload: Some(payload),
            headers,
            dead_letter_class: None,
        }
    }

    /// The original key and value with headers that say why.
    pub fn dead_letter(
        topic: &str,
        message: &OwnedMessage,
        failure: &Failure,
        source: &Source<'_>,
    ) -> Output {
        Output {
            topic: topic.to_owned(),
            key: message.key().map(<[u8]>::to_vec),
            payload: message.payload().map(<[u8]>::to_vec),
            headers: dead_letter::kafka_headers(failure, source),
            dead_letter_class: Some(failure.class.clone()),
        }
    }

    pub fn to_record(&self) -> FutureRecord<'_, [u8], [u8]> {
        let mut record = FutureRecord::to(&self.topic).headers(self.headers.clone());
        if let Some(key) = &self.key {
            record = record.key(key.as_slice());
        }
        if let Some(payload) = &self.payload {
            record = record.payload(payload.as_slice());
        }
        record
    }

    pub fn is_record(&self) -> bool {
        self.dead_letter_class.is_none()
    }

    /// Counts the output once the broker has it.
    pub fn count(&self, metrics: &Metrics) {
        match &self.dead_letter_class {
            None => {
                metrics.produced.inc();
            }
            Some(class) => metrics.dead_letter(class),
        }
    }
}
