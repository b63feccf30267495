//! The whole classification of one article: topics, countries, people and
//! organizations, from one tokenization of its text.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::actors::{Actors, ActorsError, OrganizationMention, PersonMention};
use super::countries::{CountriesFound, CountryMention, Gazetteer, GazetteerError, OfficeHolder};
use super::model::{ArticleContext, FEATURE_COUNT, ModelError, TopicModel};
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
    /// Countries named only in passing, after the first
    /// [`READING_WORDS`](super::countries::READING_WORDS) words of the body.
    #[serde(default)]
    pub countries_in_passing: Vec<CountryMention>,
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
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// A data file's text and the name errors give it (its path).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub text: &'a str,
    pub origin: &'a str,
}

/// Every matcher, compiled once at start-up and shared by all articles.
pub struct Classifier {
    topics: TopicMatcher,
    model: TopicModel,
    gazetteer: Gazetteer,
    actors: Actors,
}

/// One candidate topic of an article as the trainer sees it.
#[derive(Debug, Clone)]
pub struct CandidateFeatures {
    /// Index into the taxonomy's topics.
    pub topic: usize,
    pub features: [f64; FEATURE_COUNT],
}

impl Classifier {
    /// The classifier from the files built into the binary.
    pub fn built_in() -> Result<Classifier, ClassifierError> {
        let taxonomy = Taxonomy::built_in()?;
        let model = TopicModel::built_in(&taxonomy)?;
        Classifier::new(taxonomy, model, Gazetteer::built_in()?, Actors::built_in()?)
    }

    /// Builds now what is otherwise built on first use: the indexes of
    /// country names and of topic terms per article language.
    pub fn build_indexes(&self) {
        self.gazetteer.build_indexes();
        self.topics.build_indexes();
    }

    /// The built-in classifier with the taxonomy `taxonomy` instead, and
    /// the weights `weights` (or the built-in ones, which must then know
    /// the taxonomy's topic ids). Each comes as text with the name errors
    /// give it (a file's path): reading files is the caller's business.
    pub fn with_sources(
        taxonomy: Option<Source<'_>>,
        weights: Option<Source<'_>>,
    ) -> Result<Classifier, ClassifierError> {
        let taxonomy = match taxonomy {
            Some(s) => Taxonomy::parse(s.text, s.origin)?,
            None => Taxonomy::built_in()?,
        };
        let model = match weights {
            Some(s) => TopicModel::parse(s.text, s.origin, &taxonomy)?,
            None => TopicModel::built_in(&taxonomy)?,
        };
        Classifier::new(taxonomy, model, Gazetteer::built_in()?, Actors::built_in()?)
    }

    pub fn new(
        taxonomy: Taxonomy,
        model: TopicModel,
        gazetteer: Gazetteer,
        actors: Actors,
    ) -> Result<Classifier, ClassifierError> {
        crate::language::warm_up();
        Ok(Classifier {
            topics: TopicMatcher::new(taxonomy)?,
            model,
            gazetteer,
            actors,
        })
    }

    /// Reports topics at and above `threshold` instead of the weights
    /// file's.
    pub fn with_threshold(mut self, threshold: f64) -> Classifier {
        self.model.threshold = threshold;
        self
    }

    pub fn topic_matcher(&self) -> &TopicMatcher {
        &self.topics
    }

    pub fn model(&self) -> &TopicModel {
        &self.model
    }

    /// Every candidate topic of an article with its features, and the
    /// language used (detected when `language` is `None`): what the trainer
    /// fits the weights to.
    pub fn candidate_features(
        &self,
        title: &str,
        body: &str,
        language: Option<&str>,
    ) -> (Option<String>, Vec<CandidateFeatures>) {
        let tokens = Tokens::new(title, body);
        let language = match normalize_language(language) {
            Some(l) => Some(l),
            None => crate::language::detect_in(&tokens, body).map(str::to_owned),
        };
        let analysis = self.analyse(&tokens, language.as_deref());
        let features = analysis
            .candidates
            .iter()
            .filter(|c| self.topics.reported(c.topic))
            .map(|c| CandidateFeatures {
                topic: c.topic,
                features: super::model::features(c, &analysis.context),
            })
            .collect();
        (language, features)
    }

    /// Detects the article's language, then classifies it: for text
    /// without a language from its markup.
    pub fn classify_text(&self, title: &str, body: &str) -> (Option<&'static str>, Geo) {
        let tokens = Tokens::new(title, body);
        let language = crate::language::detect_in(&tokens, body);
        (language, self.classify_tokens(&tokens, language))
    }

    /// An extracted article's topics, countries and actors: its title, its
    /// text, and the language the extractor found.
    ///
    /// `page_url` is where the page was fetched: with the page's own
    /// canonical URL, it places a story that names no country
    /// ([`Classifier::place_by_domain`]).
    pub fn classify_article(
        &self,
        article: &crate::extract::Article,
        page_url: Option<&str>,
    ) -> Geo {
        let mut geo = self.classify(
            article.title.as_deref().unwrap_or(""),
            &article.text,
            article.language.as_deref(),
        );
        self.place_by_domain(&mut geo, article.canonical_url.as_deref().or(page_url));
        geo
    }

    /// A local story names its town, its council and its people, not its
    /// country ("Orenburg officials", "the mayor of Pilar"), and a reader
    /// knows where they are. When the text names no country (or only in
    /// passing, past [`READING_WORDS`](super::countries::READING_WORDS)),
    /// the publisher's country-code domain stands for it (`.ru`,
    /// `.com.ar`), cited as the evidence `domain .ru` with no mention in
    /// the text. A story that names a country is left as its text places
    /// it: a domain says where the publisher is, not what the story is
    /// about.
    pub fn place_by_domain(&self, geo: &mut Geo, url: Option<&str>) {
        if !geo.countries.is_empty() {
            return;
        }
        let Some(url) = url.and_then(|u| url::Url::parse(u).ok()) else {
            return;
        };
        let Some(host) = url.host_str() else {
            return;
        };
        let Some((code, name)) = self.gazetteer.country_of_host(host) else {
            return;
        };
        let domain = host.rsplit('.').next().unwrap_or(host).to_ascii_lowercase();
        geo.countries.push(CountryMention {
            code,
            name,
            mentions: 0,
            salience: 1.0,
            evidence: vec![super::topics::Evidence {
                term: format!("domain .{domain}"),
                count: 1,
                in_title: false,
            }],
        });
    }

    /// Classifies an article. `language` (ISO 639-1, as the extractor
    /// detects it) picks which languages' terms apply; `None` applies all.
    pub fn classify(&self, title: &str, body: &str, language: Option<&str>) -> Geo {
        let language = normalize_language(language);
        self.classify_tokens(&Tokens::new(title, body), language.as_deref())
    }

    /// What the matchers find in an article, before the model weighs it.
    fn analyse(&self, tokens: &Tokens, language: Option<&str>) -> Analysis {
        let candidates = self.topics.candidates(tokens, language);
        let (people, organizations) = self.actors.find_in(tokens);
        let office_holders: Vec<OfficeHolder> = people
            .iter()
            .filter(|p| p.holds_state_office)
            .map(|p| OfficeHolder {
                country: &p.country,
                name: &p.name,
                mentions: p.mentions,
                first_token: p.first_token,
            })
            .collect();
        let countries = self.gazetteer.find_in(tokens, language, &office_holders);
        let body_words = tokens.len().saturating_sub(tokens.body_start());
        let mut context = ArticleContext::new(
            candidates.iter().filter(|c| self.topics.reported(c.topic)),
            body_words,
            self.topics.taxonomy().threshold,
        );
        context.countries = countries.countries.len();
        context.actors = people.len() + organizations.len();
        context.other_subjects = candidates
            .iter()
            .filter(|c| !self.topics.reported(c.topic))
            .map(|c| c.hits.mentions())
            .sum();
        Analysis {
            candidates,
            context,
            countries,
            people,
            organizations,
        }
    }

    fn classify_tokens(&self, tokens: &Tokens, language: Option<&str>) -> Geo {
        let analysis = self.analyse(tokens, language);
        let taxonomy = self.topics.taxonomy();
        let mut topics: Vec<TopicScore> = Vec::new();
        for candidate in analysis.candidates {
            if !self.topics.reported(candidate.topic) {
                continue;
            }
            let (probability, features, reportable) =
                self.model.predict(&candidate, &analysis.context);
            if !reportable || probability < self.model.threshold {
                continue;
            }
            let topic = &taxonomy.topics[candidate.topic];
            topics.push(TopicScore {
                id: topic.id.clone(),
                label: topic.label.clone(),
                score: (probability * 1000.0).round() / 1000.0,
                evidence: candidate.evidence,
                features,
            });
        }
        topics.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        Geo {
            topics,
            countries: analysis.countries.countries,
            countries_in_passing: analysis.countries.in_passing,
            people: analysis.people,
            organizations: analysis.organizations,
            taxonomy_version: taxonomy.version.clone(),
        }
    }
}

/// Everything the matchers found in one article.
struct Analysis {
    candidates: Vec<super::topics::Candidate>,
    context: ArticleContext,
    countries: CountriesFound,
    people: Vec<PersonMention>,
    organizations: Vec<OrganizationMention>,
}

/// "en-GB" and "EN" are English too: the taxonomy's terms are grouped by
/// ISO 639-1 code.
pub fn normalize_language(language: Option<&str>) -> Option<String> {
    language.and_then(crate::language::primary)
}
