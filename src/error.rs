//! Typed errors of the extraction core and of the whole pipeline.
//!
//! Every error has a stable `class` string: it lands in JSON error lines and,
//! later, in dead-letter headers, so operators can count failures by kind.

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

/// Why one URL did not become a record: the pipeline's error, with the
/// stage it failed in, for error lines and dead letters.
#[derive(Debug, Error)]
pub enum ProcessError {
    #[error("{error}")]
    Fetch {
        error: crate::fetch::FetchError,
        attempts: u32,
    },
    #[error(transparent)]
    Extract(#[from] ExtractError),
}

impl ProcessError {
    pub fn class(&self) -> &'static str {
        match self {
            ProcessError::Fetch { error, .. } => error.class(),
            ProcessError::Extract(e) => e.class(),
        }
    }

    /// Whether the URL may succeed if tried again later.
    pub fn retryable(&self) -> bool {
        match self {
            ProcessError::Fetch { error, .. } => error.retryable(),
            ProcessError::Extract(_) => false,
        }
    }

    /// `fetch` or `extract`.
    pub fn stage(&self) -> &'static str {
        match self {
            ProcessError::Fetch { .. } => "fetch",
            ProcessError::Extract(_) => "extract",
        }
    }

    /// Requests made before giving up.
    pub fn attempts(&self) -> u32 {
        match self {
            ProcessError::Fetch { attempts, .. } => *attempts,
            ProcessError::Extract(_) => 1,
        }
    }
}

impl From<crate::fetch::Failed> for ProcessError {
    fn from(failed: crate::fetch::Failed) -> ProcessError {
        ProcessError::Fetch {
            error: failed.error,
            attempts: failed.attempts,
        }
    }
}
