//! Why a page could not be turned into an article, with a stable `class`
//! string for JSON error lines and dead-letter headers.

use thiserror::Error;

/// Why a page could not be turned into an article.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// The page (after decompression) is bigger than the configured limit.
    #[error("page is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },

    /// The bytes could not be decoded: a broken gzip stream or binary content.
    #[error("cannot decode page: {0}")]
    Decode(String),

    /// The page parsed, but no article text was found in it.
    #[error("no article text found in the page")]
    EmptyExtraction,
}

impl ExtractError {
    /// The stable machine-readable class of this error.
    pub fn class(&self) -> &'static str {
        match self {
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Decode(_) => "decode",
            ExtractError::EmptyExtraction => "empty_extraction",
        }
    }
}
