//! Geopolitical classification: pure functions of the article text.
//!
//! The taxonomy (`config/taxonomy.toml`), the gazetteer supplement
//! (`config/gazetteer.toml`) and the actors list (`config/actors.toml`) are
//! data, validated at start-up; [`Classifier`] compiles them once.

pub mod actors;
pub mod classifier;
pub mod countries;
pub mod language;
pub mod phrases;
pub mod taxonomy;
pub mod topics;

pub use actors::{Actors, OrganizationMention, PersonMention};
pub use classifier::{Classifier, ClassifierError, Geo};
pub use countries::{CountryMention, Gazetteer};
pub use taxonomy::{Taxonomy, TaxonomyError};
pub use topics::{Evidence, TopicMatcher, TopicScore};
