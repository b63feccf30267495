//! What an input message asks for: a bare URL, or JSON
//! `{"url", "id"?, "source"?, "meta"?}`. Anything else is a poison message,
//! which goes to the dead-letter topic at once and never blocks its partition.

use serde::{Deserialize, Serialize};

use crate::fetch::MAX_URL_BYTES;

/// A well-formed request: the URL and what passes through into the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Request {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

/// Why a message is poison.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Poison {
    #[error("empty message")]
    Empty,
    #[error("message is not UTF-8 text")]
    Binary,
    #[error("message is not a URL and not valid JSON: {0}")]
    BadJson(String),
    #[error("JSON message has no string field \"url\"")]
    NoUrl,
    #[error("url is {0} bytes, over the limit of 8192")]
    UrlTooLong(usize),
}

impl Poison {
    pub fn class(&self) -> &'static str {
        match self {
            Poison::Empty => "empty_message",
            Poison::Binary => "binary_message",
            Poison::BadJson(_) => "bad_json",
            Poison::NoUrl => "no_url",
            Poison::UrlTooLong(_) => "url_too_long",
        }
    }
}

#[derive(Deserialize)]
struct Incoming {
    url: Option<serde_json::Value>,
    id: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
    meta: Option<serde_json::Value>,
}

/// Decodes a message value. A value that starts with `{` is JSON; anything
/// else is taken as a bare URL (whose validity the fetcher judges).
pub fn decode(payload: Option<&[u8]>) -> Result<Request, Poison> {
    let bytes = payload.unwrap_or_default();
    let text = std::str::from_utf8(bytes).map_err(|_| Poison::Binary)?;
    if text.contains('\0') {
        return Err(Poison::Binary);
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(Poison::Empty);
    }
    let request = if text.starts_with('{') {
        let incoming: Incoming =
            serde_json::from_str(text).map_err(|e| Poison::BadJson(e.to_string()))?;
        let Some(serde_json::Value::String(url)) = incoming.url else {
            return Err(Poison::NoUrl);
        };
        Request {
            url,
            id: incoming.id,
            source: incoming.source,
            meta: incoming.meta,
        }
    } else if text.contains(char::is_whitespace) {
        return Err(Poison::BadJson(format!(
            "{:?} is neither a URL nor a JSON object",
            truncate(text, 80)
        )));
    } else {
        Request {
            url: text.to_owned(),
            ..Request::default()
        }
    };
    if request.url.trim().is_empty() {
        return Err(Poison::NoUrl);
    }
    if request.url.len() > MAX_URL_BYTES {
        return Err(Poison::UrlTooLong(request.url.len()));
    }
    Ok(request)
}

fn truncate(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_and_json_requests() {
        assert_eq!(
            decode(Some(b" https://news.example/a \n")).unwrap().url,
            "https://news.example/a"
        );
        let r = decode(Some(
            br#"{"url":"https://news.example/b","id":"x-1","source":"feed","meta":{"k":1}}"#,
        ))
        .unwrap();
        assert_eq!(r.url, "https://news.example/b");
        assert_eq!(r.id, Some(serde_json::json!("x-1")));
        assert_eq!(r.meta, Some(serde_json::json!({"k": 1})));
    }

    #[test]
    fn poison_is_named() {
        let cases: [(&[u8], &str); 7] = [
            (b"", "empty_message"),
            (b"   ", "empty_message"),
            (b"\xff\xfe\x00binary", "binary_message"),
            (b"{\"url\": ", "bad_json"),
            (b"{\"link\": \"https://x\"}", "no_url"),
            (b"{\"url\": 42}", "no_url"),
            (b"hello world, not a url", "bad_json"),
        ];
        for (payload, class) in cases {
            assert_eq!(
                decode(Some(payload)).unwrap_err().class(),
                class,
                "{payload:?}"
            );
        }
        assert_eq!(decode(None).unwrap_err().class(), "empty_message");
        let long = format!("https://x.example/{}", "a".repeat(9000));
        assert_eq!(
            decode(Some(long.as_bytes())).unwrap_err().class(),
            "url_too_long"
        );
    }
}
