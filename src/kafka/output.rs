//! One produce request, owned: under exactly-once an output waits in the
//! offset tracker until every older message of its partition is done.

use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::FutureRecord;

use super::dead_letter::{Failure, Letter};
use crate::metrics::Metrics;
use crate::record::SCHEMA;

/// A record or a dead letter, ready to produce.
#[derive(Debug)]
pub struct Output {
    topic: String,
    key: Option<Vec<u8>>,
    payload: Option<Vec<u8>>,
    headers: OwnedHeaders,
    /// Why, for a dead letter; `None` for a record.
    failure: Option<Failure>,
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
            failure: None,
        }
    }

    /// A dead letter for `failure`.
    pub fn dead_letter(topic: &str, letter: &Letter, failure: &Failure) -> Output {
        Output {
            topic: topic.to_owned(),
            key: letter.key.clone(),
            payload: letter.value.clone(),
            headers: letter.kafka_headers(),
            failure: Some(failure.clone()),
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

    /// Why, for a dead letter.
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    pub fn is_record(&self) -> bool {
        self.failure.is_none()
    }

    /// Counts the output once the broker has it.
    pub fn count(&self, metrics: &Metrics) {
        match &self.failure {
            None => {
                metrics.produced.inc();
            }
            Some(failure) => metrics.dead_letter(&failure.class),
        }
    }
}
