//! Dead letters: the original key and value, unchanged, with headers that
//! say why (the Kafka Connect convention: the error, the stage, and where
//! the message came from), so an operator can count, inspect and replay.

use rdkafka::message::{Header, OwnedHeaders};

/// Why a message could not become a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub class: String,
    pub message: String,
    /// `decode`, `fetch`, `extract`, `classify` or `produce`.
    pub stage: &'static str,
    pub attempts: u32,
}

/// Where the message was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Source<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
}

/// The dead letter's headers.
pub fn headers(failure: &Failure, source: &Source<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("error.class", failure.class.clone()),
        ("error.message", failure.message.clone()),
        ("error.stage", failure.stage.to_owned()),
        ("source.topic", source.topic.to_owned()),
        ("source.partition", source.partition.to_string()),
        ("source.offset", source.offset.to_string()),
        ("attempts", failure.attempts.to_string()),
        ("worker.version", env!("CARGO_PKG_VERSION").to_owned()),
    ]
}

/// The same, as Kafka headers.
pub fn kafka_headers(failure: &Failure, source: &Source<'_>) -> OwnedHeaders {
    headers(failure, source)
        .into_iter()
        .fold(OwnedHeaders::new(), |h, (key, value)| {
            h.insert(Header {
                key,
                value: Some(value.as_bytes()),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_the_error_and_the_source() {
        let h = headers(
            &Failure {
                class: "http_status".to_owned(),
                message: "HTTP status 404".to_owned(),
                stage: "fetch",
                attempts: 1,
            },
            &Source {
                topic: "news.urls",
                partition: 2,
                offset: 41,
            },
        );
        let get = |k: &str| h.iter().find(|(key, _)| *key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("error.class"), Some("http_status"));
        assert_eq!(get("error.stage"), Some("fetch"));
        assert_eq!(get("source.topic"), Some("news.urls"));
        assert_eq!(get("source.partition"), Some("2"));
        assert_eq!(get("source.offset"), Some("41"));
        assert_eq!(get("attempts"), Some("1"));
        assert_eq!(get("worker.version"), Some(env!("CARGO_PKG_VERSION")));
    }
}
