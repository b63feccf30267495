//! Geopolitical classification: pure functions of the article text.
//!
//! The taxonomy (`config/taxonomy.toml`), the gazetteer supplement
//! (`config/gazetteer.toml`) and the actors list (`config/actors.toml`) are
//! data, validated at start-up; [`Classifier`] compiles them once.

pub mod actors;
pub mod classifier;
pub mod countries;
pub mod model;
pub mod phrases;
pub(crate) mod script;
pub mod taxonomy;
pub mod topics;
pub mod train;
mod trie;

pub use actors::{Actors, OrganizationMention, PersonMention};
pub use classifier::{CandidateFeatures, Classifier, ClassifierError, Geo, Source};
pub use countries::{CountryMention, Gazetteer};
pub use model::{ModelError, TopicModel};
pub use taxonomy::{Taxonomy, TaxonomyError};
pub use topics::{Evidence, FeatureWeight, TopicMatcher, TopicScore};
