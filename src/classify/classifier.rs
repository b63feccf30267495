//! The whole classification of one article: topics, countries, people and
//! organizations, from one tokenization of its text.

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::actors::{Actors, ActorsError, OrganizationMention, PersonMention};
use super::countries::{CountryMention, Gazetteer, GazetteerError};
use super::phrases::Tokens;
use super::taxonomy::{Taxonomy, TaxonomyError};
use super::topics::{TopicMatcher, TopicScore};

/// The record's `geo` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Geo {
    /// Topics at or above the taxonomy's threshold, best first.
    pub topics: Vec<TopicScore>,
    /// Countries referred to, most salient first.
    pub countries: Vec<CountryMention>,
    pub people: Vec<PersonMention>,
    pub organizations: Vec<OrganizationMention>,
    /// The taxonomy's `version`, so stored records say which rules made them.
    pub taxonomy_version: String,
}

/// Why the classifier could not be built.
#[derive(Debug, Error)]
pub enum ClassifierError {
    #[error(transparent)]
    Taxonomy(#[from] TaxonomyError),
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    #[error(transparent)]
    Actors(#[from] ActorsError),
}

/// Every matcher, compiled once at start-up and shared by all articles.
pub struct Classifier {
    topics: TopicMatcher,
    gazetteer: Gazetteer,
    actors: Actors,
}

impl Classifier {
    /// The classifier from the files built into the binary.
    pub fn built_in() -> Result<Classifier, ClassifierError> {
        Classifier::new(
            Taxonomy::built_in()?,
            Gazetteer::built_in()?,
            Actors::built_in()?,
        )
    }

    /// The built-in classifier with the taxonomy from `path` instead.
    pub fn with_taxonomy_file(path: &Path) -> Result<Classifier, ClassifierError> {
        Classifier::new(
            Taxonomy::load(path)?,
            Gazetteer::built_in()?,
            Actors::built_in()?,
        )
    }

    pub fn new(
        taxonomy: Taxonomy,
        gazetteer: Gazetteer,
        actors: Actors,
    ) -> Result<Classifier, ClassifierError> {
        super::language::warm_up();
        Ok(Classifier {
            topics: TopicMatcher::new(taxonomy)?,
            gazetteer,
            actors,
        })
    }

    pub fn topic_matcher(&self) -> &TopicMatcher {
        &self.topics
    }

    /// Detects the article's language, then classifies it: for text
    /// without a language from its markup.
    pub fn classify_text(&self, title: &str, body: &str) -> (Option<&'static str>, Geo) {
        let tokens = Tokens::new(title, body);
        let language = super::language::detect(&tokens, body);
        (language, self.classify_tokens(&tokens, language))
    }

    /// Classifies an article. `language` (ISO 639-1, as the extractor
    /// detects it) picks which languages' terms apply; `None` applies all.
    pub fn classify(&self, title: &str, body: &str, language: Option<&str>) -> Geo {
        // "en-GB" and "EN" are English too.
        let language = language
            .and_then(|l| l.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        self.classify_tokens(&Tokens::new(title, body), language.as_deref())
    }

    fn classify_tokens(&self, tokens: &Tokens, language: Option<&str>) -> Geo {
        let mut topics = self.topics.scores_in(tokens, language);
        topics.retain(|t| t.score >= f64::from(self.topics.taxonomy().threshold));
        let (people, organizations) = self.actors.find_in(tokens);
        Geo {
            topics,
            countries: self.gazetteer.find_in(tokens, language),
            people,
            organizations,
            taxonomy_version: self.topics.taxonomy().version.clone(),
        }
    }
}
