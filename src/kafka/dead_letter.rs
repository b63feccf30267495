//! Dead letters: the original key and value with headers that say why (the
//! Kafka Connect convention: the error, the stage, and where the message
//! came from), so an operator can count, inspect and replay.
//!
//! A dead letter must always be writable: one the broker refuses leaves its
//! input offset uncommitted, and the partition replays it for ever. So what
//! a dead letter carries is capped (the value, the key and each header,
//! with headers that say what was cut and how big it was), and when the
//! broker refuses it all the same, [`minimal`] is a last one with no value
//! at all.

use rdkafka::message::{Header, OwnedHeaders};

/// The most of the original value a dead letter keeps. Requests are a URL
/// and a little JSON (a URL over 8 KiB is refused anyway), so anything
/// bigger is junk whose head is enough to see what it was.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
/// The most of the original key a dead letter keeps.
pub const MAX_KEY_BYTES: usize = 1024;
/// The most of one header value (the error message, which can quote a
/// hostile server's redirect chain).
pub const MAX_HEADER_BYTES: usize = 2048;
/// What a minimal dead letter keeps of the key.
const MINIMAL_KEY_BYTES: usize = 256;

/// Why a message could not become a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub class: String,
    pub message: String,
    /// `decode`, `fetch`, `extract`, `classify`, `produce`, or `process`
    /// (the work panicked).
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

/// A dead letter's key, value and headers, each within its cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(&'static str, String)>,
}

impl Letter {
    /// The headers as Kafka headers.
    pub fn kafka_headers(&self) -> OwnedHeaders {
        self.headers
            .iter()
            .fold(OwnedHeaders::new(), |h, (key, value)| {
                h.insert(Header {
                    key,
                    value: Some(value.as_bytes()),
                })
            })
    }
}

/// The dead letter for a message with `key` and `value` that failed so.
pub fn letter(
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    failure: &Failure,
    source: &Source<'_>,
) -> Letter {
    let mut headers = common_headers(failure, source);
    headers.insert(1, ("error.message", cap_text(&failure.message)));
    let (key, key_cut) = cap_bytes(key, MAX_KEY_BYTES);
    let (value, value_cut) = cap_bytes(value, MAX_VALUE_BYTES);
    if let Some(original) = key_cut {
        headers.push(("truncated.key.bytes", original.to_string()));
    }
    if let Some(original) = value_cut {
        headers.push(("truncated.value.bytes", original.to_string()));
    }
    Letter {
        key,
        value,
        headers,
    }
}

/// The last resort when the broker refused [`letter`]'s: no value, a short
/// key, and the headers that let an operator find the original (its topic,
/// partition and offset) and see why both failed.
pub fn minimal(
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    failure: &Failure,
    source: &Source<'_>,
    refused: &str,
) -> Letter {
    let mut headers = common_headers(failure, source);
    headers.insert(1, ("error.message", cap(&failure.message, 256)));
    headers.push(("dead_letter.minimal", cap(refused, 256)));
    let (key, key_cut) = cap_bytes(key, MINIMAL_KEY_BYTES);
    if let Some(original) = key_cut {
        headers.push(("truncated.key.bytes", original.to_string()));
    }
    headers.push((
        "truncated.value.bytes",
        value.map_or(0, <[u8]>::len).to_string(),
    ));
    Letter {
        key,
        value: None,
        headers,
    }
}

/// The headers every dead letter has, short by construction.
fn common_headers(failure: &Failure, source: &Source<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("error.class", cap(&failure.class, 64)),
        ("error.stage", failure.stage.to_owned()),
        ("source.topic", source.topic.to_owned()),
        ("source.partition", source.partition.to_string()),
        ("source.offset", source.offset.to_string()),
        ("attempts", failure.attempts.to_string()),
        ("worker.version", env!("CARGO_PKG_VERSION").to_owned()),
    ]
}

/// `text` within [`MAX_HEADER_BYTES`].
fn cap_text(text: &str) -> String {
    cap(text, MAX_HEADER_BYTES)
}

/// `text` cut at a character boundary to at most `limit` bytes, with a
/// marker that says how long it was.
pub fn cap(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let marker = format!(" [... truncated, {} bytes]", text.len());
    let mut end = limit.saturating_sub(marker.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{marker}", &text[..end])
}

/// The first `limit` bytes, and the original length when it was cut.
fn cap_bytes(bytes: Option<&[u8]>, limit: usize) -> (Option<Vec<u8>>, Option<usize>) {
    match bytes {
        None => (None, None),
        Some(b) if b.len() <= limit => (Some(b.to_vec()), None),
        Some(b) => (Some(b[..limit].to_vec()), Some(b.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str) -> Failure {
        Failure {
            class: "http_status".to_owned(),
            message: message.to_owned(),
            stage: "fetch",
            attempts: 1,
        }
    }

    const SOURCE: Source<'static> = Source {
        topic: "news.urls",
        partition: 2,
        offset: 41,
    };

    fn get<'a>(letter: &'a Letter, key: &str) -> Option<&'a str> {
        letter
            .headers
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn headers_name_the_error_and_the_source() {
        let l = letter(Some(b"k"), Some(b"v"), &failure("HTTP status 404"), &SOURCE);
        assert_eq!(get(&l, "error.class"), Some("http_status"));
        assert_eq!(get(&l, "error.message"), Some("HTTP status 404"));
        assert_eq!(get(&l, "error.stage"), Some("fetch"));
        assert_eq!(get(&l, "source.topic"), Some("news.urls"));
        assert_eq!(get(&l, "source.partition"), Some("2"));
        assert_eq!(get(&l, "source.offset"), Some("41"));
        assert_eq!(get(&l, "attempts"), Some("1"));
        assert_eq!(get(&l, "worker.version"), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(l.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(l.value.as_deref(), Some(&b"v"[..]), "value unchanged");
        assert_eq!(get(&l, "truncated.value.bytes"), None);
    }

    #[test]
    fn a_huge_value_key_and_message_are_cut_with_their_sizes() {
        let value = vec![b'x'; 999_800];
        let key = vec![b'k'; 5000];
        let message = "é".repeat(1_000_000);
        let l = letter(Some(&key), Some(&value), &failure(&message), &SOURCE);
        assert_eq!(l.value.as_ref().map(Vec::len), Some(MAX_VALUE_BYTES));
        assert_eq!(l.key.as_ref().map(Vec::len), Some(MAX_KEY_BYTES));
        assert_eq!(get(&l, "truncated.value.bytes"), Some("999800"));
        assert_eq!(get(&l, "truncated.key.bytes"), Some("5000"));
        let shown = get(&l, "error.message").unwrap();
        assert!(shown.len() <= MAX_HEADER_BYTES, "{}", shown.len());
        assert!(shown.ends_with("[... truncated, 2000000 bytes]"), "{shown}");
        let total: usize = l.headers.iter().map(|(k, v)| k.len() + v.len()).sum();
        assert!(total < 4 * 1024, "headers {total} bytes");
    }

    #[test]
    fn a_minimal_letter_has_no_value_and_says_why() {
        let value = vec![b'x'; 500];
        let l = minimal(
            Some(b"key"),
            Some(&value),
            &failure("HTTP status 404"),
            &SOURCE,
            "Message production error: MessageSizeTooLarge",
        );
        assert_eq!(l.value, None);
        assert_eq!(get(&l, "truncated.value.bytes"), Some("500"));
        assert_eq!(get(&l, "source.offset"), Some("41"));
        assert!(
            get(&l, "dead_letter.minimal")
                .unwrap()
                .contains("MessageSizeTooLarge")
        );
    }

    #[test]
    fn cap_keeps_short_text_and_cuts_at_a_character_boundary() {
        assert_eq!(cap("short", 10), "short");
        let cut = cap(&"ж".repeat(100), 40);
        assert!(cut.len() <= 40);
        assert!(cut.ends_with("[... truncated, 200 bytes]"), "{cut}");
    }
}
