//! The schema-v1 article record: what every successful message becomes.
//! Documented in `docs/record.md`, validated by `docs/record.schema.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::classify::Geo;
use crate::extract::{Article, Embed};
use crate::urlnorm;

/// The value of the record's `schema` field.
pub const SCHEMA: &str = "newsworker.article.v1.4";

/// One article record (schema v1). Unknown values are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: String,
    /// Stable hex id: hash of the canonical URL, or of the text without a URL.
    pub id: String,
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub is_accessible_for_free: Option<bool>,
    pub text: String,
    pub word_count: usize,
    pub content_hash: String,
    pub credits: Vec<String>,
    pub embeds: Vec<Embed>,
    pub removed: BTreeMap<String, u32>,
    /// Which step of the extractor found the text: `main_content`,
    /// `densest_block` or `paragraphs` (see docs/record.md).
    pub extraction_method: String,
    /// Geopolitical classification: topics, countries, people, organizations.
    pub geo: Geo,
    /// Where the last redirect led (records made from URLs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// When the response was received, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The input message's `id`, `source` and `meta`, passed through (`run`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<serde_json::Value>,
}

impl Record {
    /// Builds the record for an article extracted from the page at `url`
    /// and classified as `geo`.
    pub fn from_article(article: Article, url: Option<&Url>, geo: Geo) -> Record {
        let canonical_request = url.map(urlnorm::canonicalize);
        let content_hash = hex(&Sha256::digest(article.text.as_bytes()));
        // Without a URL the id is the text's hash, shortened: the content
        // hash's first 32 digits, not a second pass over the text.
        let id = match &canonical_request {
            Some(u) => short_hash(u.as_str()),
            None => content_hash[..32].to_owned(),
        };
        Record {
            schema: SCHEMA.to_owned(),
            id,
            url: url.map(|u| u.to_string()),
            canonical_url: article.canonical_url,
            title: article.title,
            authors: article.authors,
            published_at: article.published_at.map(|d| d.to_rfc3339()),
            modified_at: article.modified_at.map(|d| d.to_rfc3339()),
            site_name: article.site_name,
            language: article.language,
            description: article.description,
            image: article.image,
            is_accessible_for_free: article.is_accessible_for_free,
            word_count: word_count(&article.text),
            content_hash,
            text: article.text,
            credits: article.credits,
            embeds: article.embeds,
            removed: article
                .removed
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            extraction_method: article.method.as_str().to_owned(),
            geo,
            final_url: None,
            fetched_at: None,
            http_status: None,
            content_type: None,
            request: None,
        }
    }
}

pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Words: runs of letters or digits.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word_char = crate::classify::script::is_word_char(c);
        count += usize::from(word_char && !in_word);
        in_word = word_char;
    }
    count
}

fn short_hash(input: &str) -> String {
    hex(&Sha256::digest(input.as_bytes())[..16])
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_hashes_the_canonical_url() {
        let a = Url::parse("https://example.com/x?utm_source=t#frag").unwrap();
        let b = Url::parse("https://EXAMPLE.com/x").unwrap();
        let ra = Record::from_article(
            Article {
                text: "one".into(),
                ..Default::default()
            },
            Some(&a),
            Geo::default(),
        );
        let rb = Record::from_article(
            Article {
                text: "two".into(),
                ..Default::default()
            },
            Some(&b),
            Geo::default(),
        );
        assert_eq!(ra.id, rb.id);
        assert_eq!(ra.id.len(), 32);
        let rc = Record::from_article(
            Article {
                text: "one".into(),
                ..Default::default()
            },
            None,
            Geo::default(),
        );
        assert_ne!(rc.id, ra.id);
        assert_eq!(ra.content_hash.len(), 64);
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(word_count("NATO's summit, in Vilnius — 2023."), 6);
    }
}
