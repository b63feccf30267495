//! Why a URL could not be fetched, with a stable class and whether trying
//! again later may help. Documented in `docs/record.md`.

use std::net::IpAddr;

use thiserror::Error;

/// A failed fetch.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum FetchError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),

    /// The SSRF guard refused the address (loopback, private, link-local...).
    #[error("refused to connect to {host}: {reason}")]
    BlockedAddress { host: String, reason: String },

    /// robots.txt disallows the URL for our agent, or could not be read
    /// (RFC 9309: an unreachable robots.txt means "disallow all" for now).
    #[error("robots.txt of {origin} {reason}")]
    RobotsDisallowed {
        origin: String,
        reason: String,
        retryable: bool,
    },

    #[error("cannot resolve {host}: {message}")]
    Dns { host: String, message: String },

    #[error("cannot connect: {0}")]
    Connect(String),

    /// The connection broke during the response (reset, closed early, a
    /// body shorter than its Content-Length): the network's fault, worth
    /// another try.
    #[error("connection lost during the response: {0}")]
    ConnectionLost(String),

    /// The server's answer is not HTTP (an invalid status line, HTTP/0.9
    /// garbage, malformed headers): trying again gets the same.
    #[error("the answer is not valid HTTP: {0}")]
    Protocol(String),

    #[error("timed out: {0}")]
    Timeout(String),

    #[error("HTTP status {status}")]
    HttpStatus { status: u16 },

    #[error("body is over the limit of {limit} bytes (after decompression)")]
    TooLarge { limit: u64 },

    #[error("{0}")]
    TooManyRedirects(String),

    #[error("content type {0:?} is not HTML")]
    UnsupportedContentType(String),

    /// The body could not be decompressed (a broken gzip or brotli stream).
    #[error("cannot decode the body: {0}")]
    Decode(String),
}

impl FetchError {
    /// The stable machine-readable class.
    pub fn class(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid_url",
            FetchError::BlockedAddress { .. } => "blocked_address",
            FetchError::RobotsDisallowed { .. } => "robots_disallowed",
            FetchError::Dns { .. } => "dns",
            FetchError::Connect(_) => "connect",
            FetchError::ConnectionLost(_) => "connection_lost",
            FetchError::Protocol(_) => "protocol",
            FetchError::Timeout(_) => "timeout",
            FetchError::HttpStatus { .. } => "http_status",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::TooManyRedirects(_) => "too_many_redirects",
            FetchError::UnsupportedContentType(_) => "unsupported_content_type",
            FetchError::Decode(_) => "decode",
        }
    }

    /// Whether the same URL may succeed later: the fetcher retries these
    /// itself, and the worker may again once its retries are spent.
    pub fn retryable(&self) -> bool {
        match self {
            FetchError::Timeout(_) | FetchError::Connect(_) | FetchError::ConnectionLost(_) => true,
            FetchError::HttpStatus { status } => {
                matches!(status, 408 | 425 | 429) || (500..=599).contains(status)
            }
            FetchError::RobotsDisallowed { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// The HTTP status behind an `http_status` error.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::HttpStatus { status } => Some(*status),
            _ => None,
        }
    }
}

/// The resolver's failure to find any address, found again in reqwest's
/// error chain: class `dns`, whatever the system's message says.
#[derive(Debug, Error)]
#[error("{host}: {reason}")]
pub struct ResolveFailed {
    pub host: String,
    pub reason: String,
}

/// The resolver's refusal, found again in reqwest's error chain.
#[derive(Debug, Error)]
#[error("{host} resolves only to blocked addresses ({addresses})")]
pub struct BlockedByResolver {
    pub host: String,
    pub addresses: String,
}

impl BlockedByResolver {
    pub fn new(host: &str, addresses: &[IpAddr]) -> BlockedByResolver {
        BlockedByResolver {
            host: host.to_owned(),
            addresses: addresses
                .iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}
