//! Why a discovery document could not be used, each with a class for the
//! metrics and logs. An error belongs to one document of one source: the
//! other documents and sources go on.

use crate::fetch::FetchError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoverError {
    /// The fetcher's own error (network, status, size, robots, guard).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("not a readable document: {0}")]
    Malformed(String),
    #[error("expected {expected}, got {found}")]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
    #[error("lists {found} entries, over the limit of {limit}; the first {limit} were taken")]
    TooManyEntries { found: usize, limit: usize },
    #[error("sitemap loop: {0} was already read in this poll")]
    SitemapLoop(String),
    #[error("sitemap indexes nested deeper than {0}: not followed")]
    TooDeep(u32),
    #[error("more than {0} documents in one poll: the rest are left for the next")]
    TooManyDocuments(usize),
    #[error("an HTML page that links no feed, and whose robots.txt names no sitemap")]
    NoFeeds,
    #[error("compressed document: {0}")]
    Decompress(String),
    #[error("cannot publish: {0}")]
    Publish(String),
}

impl DiscoverError {
    /// A short stable name for metrics labels and logs.
    pub fn class(&self) -> &'static str {
        match self {
            DiscoverError::Fetch(e) => e.class(),
            DiscoverError::Malformed(_) => "malformed",
            DiscoverError::WrongKind { .. } => "wrong_kind",
            DiscoverError::TooManyEntries { .. } => "too_many_entries",
            DiscoverError::SitemapLoop(_) => "sitemap_loop",
            DiscoverError::TooDeep(_) => "too_deep",
            DiscoverError::TooManyDocuments(_) => "too_many_documents",
            DiscoverError::NoFeeds => "no_feeds",
            DiscoverError::Decompress(_) => "decompress",
            DiscoverError::Publish(_) => "publish",
        }
    }
}

/// An error with the document it concerns.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{document}: {error}")]
pub struct DocumentError {
    pub document: String,
    pub error: DiscoverError,
}
