//! The learned topic model: how much each kind of evidence counts.
//!
//! The taxonomy's terms say what to look for; a hand-set formula of how much
//! a title mention, a lead mention or a weak word is worth was fitted to 28
//! articles and did not hold on news nobody tuned it on. So the matcher's
//! findings for each (article, topic) pair become a small vector of
//! features ([`features`]) and a logistic regression, fitted to labelled
//! articles by `newsworker train classification` ([`super::train`]), turns
//! them into a probability. The weights are data (`config/weights.toml`),
//! validated at start-up like the taxonomy, so a user can retrain on their
//! own labels without recompiling.
//!
//! The features are the same for every topic (plus one bias per topic), so
//! a topic with five labelled articles borrows what the others taught: a
//! title mention counts the same for sanctions as for elections.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use super::taxonomy::{Taxonomy, line_of};
use super::topics::{Candidate, FeatureWeight};

/// The file format this build reads and writes.
pub const FORMAT: u32 = 1;

/// The weights shipped with newsworker (`config/weights.toml`).
pub const BUILT_IN: &str = include_str!("../../../config/weights.toml");

/// The features of one (article, topic) pair, in this order. Counts enter
/// as `ln(1 + n)`: the second mention says less than the first.
pub const FEATURES: [&str; 21] = [
    // Strong-term mentions by place.
    "strong_title",
    "strong_lead",
    "strong_body",
    // Weak-term mentions by place.
    "weak_title",
    "weak_lead",
    "weak_body",
    // 1 when a strong term is in the title or the lead: the labelling
    // guide's own test of a substantive subject.
    "strong_up_front",
    // Different terms agreeing.
    "strong_terms",
    "weak_terms",
    // Mentions per thousand words of body, ln(1 + x).
    "strong_density",
    "weak_density",
    // 1 when no strong term was found: weak words alone.
    "weak_only",
    // Where the first mention is: 0 the title or first word, 1 the end.
    "first_mention",
    // ln of the article's words over 100: long stories mention much in passing.
    "length",
    // This topic's share of all topical evidence in the article.
    "share",
    // 1 when no other topic has more evidence.
    "top_topic",
    // ln(1 + different countries named): geopolitics names states.
    "countries",
    // The hand-weighted taxonomy score (title and lead factors, brevity).
    "rule_score",
    // 1 when that score reaches the taxonomy's threshold with a strong
    // term: the hand rule's own decision.
    "rule_passes",
    // ln(1 + mentions of non-political subjects per thousand words):
    // sport, culture, science, markets. Topic words in a match report or a
    // concert review are metaphors or background.
    "other_subjects",
    // ln(1 + people and organizations of state named).
    "actors",
];

/// How many features a pair has.
pub const FEATURE_COUNT: usize = FEATURES.len();

/// Where `weak_only` is in [`FEATURES`].
const WEAK_ONLY: usize = 11;

/// Whether a candidate with features `x` may be reported at all: named by
/// at least one of its topic's strong terms. Weak words corroborate a
/// subject and do not make one ("Verhandlungen" in a transfer story,
/// "Bundestag" and "Opposition" in a debate on aid): the labels make 40
/// of geo-dev-v2's 1,278 weak-only candidates a topic, and reporting none
/// of them was slightly better in cross-validation than weighing them
/// (micro-F1 0.771 -> 0.773, precision 0.865 -> 0.871, recall the same).
pub fn reportable(x: &[f64; FEATURE_COUNT]) -> bool {
    x[WEAK_ONLY] == 0.0
}

/// What the model knows about the whole article, beside one topic's hits.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleContext {
    /// Words of the body.
    pub body_words: usize,
    /// Sum of every candidate topic's weighted evidence.
    pub total_weighted: f32,
    /// The largest single candidate's weighted evidence.
    pub max_weighted: f32,
    /// Different countries named.
    pub countries: usize,
    /// Mentions of non-political subjects (sport, culture, science, markets).
    pub other_subjects: u32,
    /// People and organizations of state named.
    pub actors: usize,
    /// The taxonomy's threshold for its hand-weighted score.
    pub rule_threshold: f32,
}

impl ArticleContext {
    /// The context of an article from its candidates; the caller fills in
    /// what the matcher does not know (countries, actors, other subjects).
    pub fn new<'a>(
        candidates: impl IntoIterator<Item = &'a Candidate>,
        body_words: usize,
        rule_threshold: f32,
    ) -> ArticleContext {
        let (mut total_weighted, mut max_weighted) = (0.0, 0.0f32);
        for c in candidates {
            total_weighted += c.weighted;
            max_weighted = max_weighted.max(c.weighted);
        }
        ArticleContext {
            body_words,
            rule_threshold,
            total_weighted,
            max_weighted,
            ..ArticleContext::default()
        }
    }
}

/// The feature vector of one candidate topic in its article.
pub fn features(candidate: &Candidate, context: &ArticleContext) -> [f64; FEATURE_COUNT] {
    let count = |n: u32| f64::from(n).ln_1p();
    let h = &candidate.hits;
    let thousand_words = (context.body_words.max(1) as f64) / 1000.0;
    let density = |n: u32| (f64::from(n) / thousand_words).ln_1p();
    let share = if context.total_weighted > 0.0 {
        f64::from(candidate.weighted / context.total_weighted)
    } else {
        0.0
    };
    [
        count(h.strong[0]),
        count(h.strong[1]),
        count(h.strong[2]),
        count(h.weak[0]),
        count(h.weak[1]),
        count(h.weak[2]),
        f64::from(u8::from(h.strong[0] + h.strong[1] > 0)),
        count(h.strong_terms),
        count(h.weak_terms),
        density(h.strong_mentions()),
        density(h.weak_mentions()),
        // weak_only, at WEAK_ONLY
        f64::from(u8::from(h.strong_mentions() == 0)),
        f64::from(h.first_mention.unwrap_or(1.0)),
        (context.body_words.max(1) as f64 / 100.0).ln(),
        share,
        f64::from(u8::from(candidate.weighted >= context.max_weighted)),
        (context.countries as f64).ln_1p(),
        f64::from(candidate.rule_score),
        f64::from(u8::from(
            candidate.rule_score >= context.rule_threshold && h.strong_mentions() > 0,
        )),
        density(context.other_subjects),
        (context.actors as f64).ln_1p(),
    ]
}

/// Why a weights file could not be used.
#[derive(Debug, Error, PartialEq)]
pub enum ModelError {
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
}

/// A fitted model: one weight per feature, one bias per topic.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicModel {
    /// Probability at and above which a topic is reported.
    pub threshold: f64,
    /// What it was trained on, for the record's readers.
    pub trained_on: String,
    /// Indexed like [`FEATURES`].
    pub weights: [f64; FEATURE_COUNT],
    /// The intercept shared by all topics.
    pub intercept: f64,
    /// Indexed like the taxonomy's topics; 0 for a topic the file omits.
    pub topic_bias: Vec<f64>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: Spanned<u32>,
    threshold: Spanned<f64>,
    #[serde(default)]
    trained_on: String,
    intercept: Spanned<f64>,
    weights: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    topic_bias: BTreeMap<Spanned<String>, Spanned<f64>>,
}

/// A weight beyond this is a broken file, not a fit.
const MAX_WEIGHT: f64 = 1000.0;

impl TopicModel {
    /// The built-in weights, for the built-in taxonomy or one with the same
    /// topic ids.
    /// A user's taxonomy may lack some built-in topics: their biases are
    /// dropped, and its new topics get none.
    pub fn built_in(taxonomy: &Taxonomy) -> Result<TopicModel, ModelError> {
        TopicModel::read(BUILT_IN, "config/weights.toml", taxonomy, false)
    }

    /// Parses and validates weights text; `origin` names it in errors.
    /// Every feature must have a weight, and every topic bias must name a
    /// topic of `taxonomy`.
    pub fn parse(text: &str, origin: &str, taxonomy: &Taxonomy) -> Result<TopicModel, ModelError> {
        TopicModel::read(text, origin, taxonomy, true)
    }

    fn read(
        text: &str,
        origin: &str,
        taxonomy: &Taxonomy,
        strict: bool,
    ) -> Result<TopicModel, ModelError> {
        let at = |span: Range<usize>, message: String| ModelError::Invalid {
            origin: origin.to_owned(),
            line: line_of(text, span.start),
            message,
        };
        let file: File = toml::from_str(text).map_err(|err| {
            let message = err.message().trim().to_owned();
            at(err.span().unwrap_or(0..0), message)
        })?;
        if *file.format.get_ref() != FORMAT {
            return Err(at(
                file.format.span(),
                format!(
                    "weights format {} is not the format this build reads ({FORMAT}): retrain with `newsworker train classification`",
                    file.format.get_ref()
                ),
            ));
        }
        let threshold = *file.threshold.get_ref();
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(at(
                file.threshold.span(),
                format!("`threshold` must be a probability in (0, 1), not {threshold}"),
            ));
        }
        let finite = |v: &Spanned<f64>, name: &str| -> Result<f64, ModelError> {
            let x = *v.get_ref();
            if x.is_finite() && x.abs() <= MAX_WEIGHT {
                Ok(x)
            } else {
                Err(at(
                    v.span(),
                    format!("`{name}` must be a finite number within ±{MAX_WEIGHT}, not {x}"),
                ))
            }
        };
        let intercept = finite(&file.intercept, "intercept")?;
        let mut weights = [f64::NAN; FEATURE_COUNT];
        for (name, value) in &file.weights {
            let Some(i) = FEATURES.iter().position(|f| f == name.get_ref()) else {
                return Err(at(
                    name.span(),
                    format!(
                        "unknown feature `{}` (this build knows: {})",
                        name.get_ref(),
                        FEATURES.join(", ")
                    ),
                ));
            };
            weights[i] = finite(value, name.get_ref())?;
        }
        if let Some(i) = weights.iter().position(|w| w.is_nan()) {
            return Err(ModelError::Invalid {
                origin: origin.to_owned(),
                line: line_of(text, text.find("[weights]").unwrap_or(0)),
                message: format!("no weight for feature `{}`", FEATURES[i]),
            });
        }
        let mut topic_bias = vec![0.0; taxonomy.topics.len()];
        for (id, value) in &file.topic_bias {
            let Some(i) = taxonomy.topics.iter().position(|t| &t.id == id.get_ref()) else {
                if !strict {
                    continue;
                }
                return Err(at(
                    id.span(),
                    format!(
                        "`{}` is not a topic of taxonomy {}",
                        id.get_ref(),
                        taxonomy.version
                    ),
                ));
            };
            topic_bias[i] = finite(value, id.get_ref())?;
        }
        Ok(TopicModel {
            threshold,
            trained_on: file.trained_on,
            weights,
            intercept,
            topic_bias,
        })
    }

    /// The weights file's text, as `parse` reads it.
    pub fn to_toml(&self, taxonomy: &Taxonomy) -> String {
        let mut out = String::new();
        out.push_str(
            "# Learned topic weights: written by `newsworker train classification`;\n\
             # see README (Classification) for how to retrain. Each weight multiplies\n\
             # one feature of an (article, topic) pair (core/src/classify/model.rs says\n\
             # what each is); the sum plus the intercept and the topic's bias is the\n\
             # log-odds that the topic is a subject of the article.\n\n",
        );
        out.push_str(&format!("format = {FORMAT}\n"));
        out.push_str(&format!("threshold = {:?}\n", round(self.threshold)));
        out.push_str(&format!(
            "trained_on = {}\n",
            toml::Value::String(self.trained_on.clone())
        ));
        out.push_str(&format!(
            "intercept = {:?}\n\n[weights]\n",
            round(self.intercept)
        ));
        for (name, w) in FEATURES.iter().zip(&self.weights) {
            out.push_str(&format!("{name} = {:?}\n", round(*w)));
        }
        out.push_str("\n[topic_bias]\n");
        for (topic, b) in taxonomy.topics.iter().zip(&self.topic_bias) {
            out.push_str(&format!("{} = {:?}\n", topic.id, round(*b)));
        }
        out
    }

    /// The log-odds of a candidate and what each feature added to it.
    pub fn log_odds(&self, topic: usize, x: &[f64; FEATURE_COUNT]) -> (f64, [f64; FEATURE_COUNT]) {
        let mut parts = [0.0; FEATURE_COUNT];
        for (i, part) in parts.iter_mut().enumerate() {
            *part = self.weights[i] * x[i];
        }
        let bias = self.intercept + self.topic_bias.get(topic).copied().unwrap_or(0.0);
        (bias + parts.iter().sum::<f64>(), parts)
    }

    /// The probability that topic `topic` is a subject of an article with
    /// features `x`.
    pub fn probability(&self, topic: usize, x: &[f64; FEATURE_COUNT]) -> f64 {
        sigmoid(self.log_odds(topic, x).0)
    }

    /// The probability that the candidate's topic is a subject of its
    /// article, with the features that weighed most (largest first), and
    /// whether it may be reported at all ([`reportable`]).
    pub fn predict(
        &self,
        candidate: &Candidate,
        context: &ArticleContext,
    ) -> (f64, Vec<FeatureWeight>, bool) {
        let x = features(candidate, context);
        let (_, parts) = self.log_odds(candidate.topic, &x);
        let mut named: Vec<FeatureWeight> = FEATURES
            .iter()
            .zip(parts)
            .filter(|(_, w)| w.abs() >= 0.05)
            .map(|(name, w)| FeatureWeight {
                name: (*name).to_owned(),
                weight: (w * 100.0).round() / 100.0,
            })
            .collect();
        named.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        named.truncate(5);
        (self.probability(candidate.topic, &x), named, reportable(&x))
    }
}

/// The logistic function, stable for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Six significant decimals: the file stays readable and diffs stay small.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_candidates_named_by_a_strong_term_are_reportable() {
        assert_eq!(FEATURES[WEAK_ONLY], "weak_only");
        let mut x = [0.0; FEATURE_COUNT];
        assert!(reportable(&x));
        x[WEAK_ONLY] = 1.0;
        assert!(!reportable(&x));
    }

    use super::*;
    use crate::classify::Classifier;

    fn taxonomy() -> Taxonomy {
        Taxonomy::built_in().unwrap()
    }

    #[test]
    fn the_built_in_weights_load_and_round_trip() {
        let t = taxonomy();
        let model = TopicModel::built_in(&t).unwrap();
        let again = TopicModel::parse(&model.to_toml(&t), "again", &t).unwrap();
        assert_eq!(model, again);
    }

    fn broken(edit: impl Fn(String) -> String) -> ModelError {
        let t = taxonomy();
        let text = edit(TopicModel::built_in(&t).unwrap().to_toml(&t));
        TopicModel::parse(&text, "w.toml", &t).unwrap_err()
    }

    fn line_of_error(e: &ModelError) -> (usize, String) {
        let ModelError::Invalid { line, message, .. } = e;
        (*line, message.clone())
    }

    #[test]
    fn a_broken_weights_file_names_the_line() {
        let t = taxonomy();
        let text = TopicModel::built_in(&t).unwrap().to_toml(&t);
        let line_with = |needle: &str| {
            text.lines()
                .position(|l| l.starts_with(needle))
                .map(|i| i + 1)
                .unwrap()
        };
        let (line, message) =
            line_of_error(&broken(|s| s.replace("strong_lead =", "strong_leed =")));
        assert_eq!(line, line_with("strong_lead"));
        assert!(
            message.contains("unknown feature `strong_leed`"),
            "{message}"
        );

        let (line, message) = line_of_error(&broken(|s| {
            s.replace("threshold = 0.4", "threshold = 1.5")
                .replace("threshold = 0.5", "threshold = 1.5")
        }));
        assert_eq!(line, line_with("threshold"));
        assert!(message.contains("probability"), "{message}");

        let (line, message) = line_of_error(&broken(|s| s.replace("armed_conflict =", "armed =")));
        assert_eq!(line, line_with("armed_conflict"));
        assert!(message.contains("not a topic"), "{message}");

        let (line, message) = line_of_error(&broken(|s| s.replace("format = 1", "format = 9")));
        assert_eq!(line, line_with("format"));
        assert!(message.contains("retrain"), "{message}");

        let (_, message) = line_of_error(&broken(|s| {
            s.lines()
                .filter(|l| !l.starts_with("share ="))
                .collect::<Vec<_>>()
                .join("\n")
        }));
        assert!(
            message.contains("no weight for feature `share`"),
            "{message}"
        );

        let (line, _) = line_of_error(&broken(|s| s.replace("length =", "length = = ")));
        assert_eq!(line, line_with("length"));
    }

    /// The features of one topic in a hand-made article.
    fn features_of(title: &str, body: &str, language: &str, topic: &str) -> [f64; FEATURE_COUNT] {
        let c = Classifier::built_in().unwrap();
        let index = c
            .topic_matcher()
            .taxonomy()
            .topics
            .iter()
            .position(|t| t.id == topic)
            .unwrap();
        let (_, candidates) = c.candidate_features(title, body, Some(language));
        candidates
            .into_iter()
            .find(|f| f.topic == index)
            .unwrap_or_else(|| panic!("no {topic} candidate"))
            .features
    }

    fn value(x: &[f64; FEATURE_COUNT], name: &str) -> f64 {
        x[FEATURES.iter().position(|f| *f == name).unwrap()]
    }

    #[test]
    fn features_see_title_lead_and_body_in_several_languages() {
        let ln2 = 2f64.ln();
        // German: a strong compound in the title, again in the lead.
        let de = features_of(
            "Neue Sanktionen gegen Russland",
            "Die EU hat neue Sanktionen gegen Russland beschlossen.",
            "de",
            "sanctions_trade",
        );
        assert_eq!(value(&de, "strong_title"), ln2);
        assert_eq!(value(&de, "strong_lead"), ln2);
        assert_eq!(value(&de, "strong_body"), 0.0);
        assert_eq!(value(&de, "first_mention"), 0.0);
        assert_eq!(value(&de, "share"), 1.0);
        assert_eq!(value(&de, "top_topic"), 1.0);
        assert!(value(&de, "countries") > 0.0);
        // Polish, inflected: the stem finds "pomocy wojskowej" in the lead.
        let pl = features_of(
            "",
            "Rząd zapowiedział pakiet pomocy wojskowej dla Ukrainy.",
            "pl",
            "military_aid_arms",
        );
        assert_eq!(value(&pl, "strong_title"), 0.0);
        assert_eq!(value(&pl, "strong_lead"), ln2);
        assert_eq!(value(&pl, "weak_only"), 0.0);
        // Spanish, a weak word alone deep in a match report.
        let filler = "El equipo jugó bien y el entrenador habló de la temporada. ".repeat(12);
        let es = features_of(
            "",
            &format!("{filler} Fue una guerra en el campo."),
            "es",
            "armed_conflict",
        );
        assert_eq!(value(&es, "weak_only"), 1.0);
        assert_eq!(value(&es, "strong_terms"), 0.0);
        assert!(value(&es, "first_mention") > 0.9);
        assert!(value(&es, "other_subjects") > 0.0, "{es:?}");
    }

    #[test]
    fn topics_carry_their_probability_terms_and_features() {
        let c = Classifier::built_in().unwrap();
        let geo = c.classify(
            "Russia and Ukraine agree ceasefire",
            "Russia and Ukraine agreed a ceasefire after weeks of shelling along the front line, \
             officials in Kyiv and Moscow said.",
            Some("en"),
        );
        let t = geo
            .topics
            .iter()
            .find(|t| t.id == "armed_conflict")
            .unwrap();
        assert!(t.score >= c.model().threshold && t.score <= 1.0, "{t:?}");
        assert!(
            t.evidence
                .iter()
                .any(|e| e.term == "ceasefire" && e.in_title)
        );
        assert!(!t.features.is_empty() && t.features.len() <= 5, "{t:?}");
        // The features are the strongest contributions, strongest first,
        // and a term-evidence feature is among them.
        let weights: Vec<f64> = t.features.iter().map(|f| f.weight.abs()).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{t:?}");
        assert!(
            t.features.iter().any(|f| f.name.starts_with("strong_")),
            "{t:?}"
        );
    }
}
