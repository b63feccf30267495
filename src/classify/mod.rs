//! Geopolitical classification: pure functions of the article text.
//!
//! The taxonomy is data (`config/taxonomy.toml`), validated at start-up.

pub mod countries;
pub mod phrases;
pub mod taxonomy;
pub mod topics;

pub use countries::{CountryMention, Gazetteer};
pub use taxonomy::{Taxonomy, TaxonomyError};
pub use topics::{Evidence, TopicMatcher, TopicScore};
