//! The topic taxonomy as data: `config/taxonomy.toml`, loaded and validated
//! at start-up so a user can extend a topic or add one without recompiling.
//!
//! A broken file is refused with an error that names the line and the
//! problem; nothing is silently skipped.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

/// Why a taxonomy could not be loaded.
#[derive(Debug, Error, PartialEq)]
pub enum TaxonomyError {
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
}

/// One word of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-case text to look for.
    pub text: String,
    /// `wojn*` matches "wojna", "wojny", "wojnie": a stem for inflected languages.
    pub prefix: bool,
}

/// How a term matches the text: its words in sequence, each whole or a stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub words: Vec<Word>,
    /// ISO 639-1 code of the language the term belongs to.
    pub language: String,
}

impl Term {
    /// The term as written in the taxonomy ("dostaw* broni").
    pub fn display(&self) -> String {
        self.words
            .iter()
            .map(|w| {
                if w.prefix {
                    format!("{}*", w.text)
                } else {
                    w.text.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One topic, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: String,
    pub label: String,
    /// One mention is strong evidence.
    pub strong: Vec<Term>,
    /// Mentions that need company.
    pub weak: Vec<Term>,
    /// When non-empty, weak terms count only if one of these occurs too.
    pub requires: Vec<Term>,
    /// Phrases that cancel a term inside them ("price war", "culture war").
    pub exclude: Vec<Term>,
    /// Weak terms that are strong evidence in a sentence that also names
    /// one of `partners`: corruption is a weak word (a firm's, a football
    /// federation's), corruption in a sentence with a minister or a deputy
    /// is the labelling guide's government-level corruption.
    pub paired: Vec<Term>,
    /// The company that makes a paired term strong; no evidence alone.
    pub partners: Vec<Term>,
    /// Multiplies the topic's term weights: one mention of nuclear war
    /// matters more than one mention of a summit.
    pub weight: f32,
    /// False for a context topic (`report = false`): its terms name a
    /// subject outside geopolitics (sport, culture, science, markets), it is
    /// never reported, and the learned model counts its mentions against
    /// the reported topics.
    pub reported: bool,
}

/// The whole taxonomy, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub version: String,
    /// Score at or above which a topic is reported.
    pub threshold: f32,
    /// Weight of one strong and one weak mention; title mentions count `title_factor` times.
    pub strong_weight: f32,
    pub weak_weight: f32,
    pub title_factor: f32,
    /// Mentions in the body's first `lead_words` words count `lead_factor`
    /// times: a news lead states what the story is about, as the headline does.
    pub lead_words: u32,
    pub lead_factor: f32,
    pub topics: Vec<Topic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Spanned<String>,
    #[serde(default)]
    threshold: Option<Spanned<f32>>,
    #[serde(default)]
    strong_weight: Option<Spanned<f32>>,
    #[serde(default)]
    weak_weight: Option<Spanned<f32>>,
    #[serde(default)]
    title_factor: Option<Spanned<f32>>,
    #[serde(default)]
    lead_words: Option<Spanned<u32>>,
    #[serde(default)]
    lead_factor: Option<Spanned<f32>>,
    #[serde(default)]
    topic: Vec<Spanned<TopicFile>>,
}

type Terms = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    id: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    strong: Terms,
    #[serde(default)]
    weak: Terms,
    #[serde(default)]
    requires: Terms,
    #[serde(default)]
    exclude: Terms,
    #[serde(default)]
    paired: Terms,
    #[serde(default)]
    partners: Terms,
    #[serde(default)]
    weight: Option<Spanned<f32>>,
    #[serde(default)]
    report: Option<bool>,
}

/// About two sentences: the lead of a news story.
const DEFAULT_LEAD_WORDS: u32 = 50;
/// Beyond this the "lead" is the article.
const MAX_LEAD_WORDS: u32 = 1000;

/// The taxonomy shipped with newsworker (`config/taxonomy.toml`).
pub const BUILT_IN: &str = include_str!("../../../config/taxonomy.toml");

impl Taxonomy {
    /// The built-in taxonomy.
    pub fn built_in() -> Result<Taxonomy, TaxonomyError> {
        Taxonomy::parse(BUILT_IN, "config/taxonomy.toml")
    }

    /// Parses and validates taxonomy text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let at = |span: Range<usize>, message: String| TaxonomyError::Invalid {
            origin: origin.to_owned(),
            line: line_of(text, span.start),
            message,
        };
        let file: File = toml::from_str(text).map_err(|err| {
            let message = err.message().trim().to_owned();
            at(err.span().unwrap_or(0..0), message)
        })?;
        let weight = |value: &Option<Spanned<f32>>,
                      name: &str,
                      default: f32,
                      max: f32|
         -> Result<f32, TaxonomyError> {
            match value {
                None => Ok(default),
                Some(v) if v.get_ref().is_finite() && *v.get_ref() > 0.0 && *v.get_ref() <= max => {
                    Ok(*v.get_ref())
                }
                Some(v) => Err(at(
                    v.span(),
                    format!(
                        "`{name}` must be a number in (0, {max}], not {}",
                        v.get_ref()
                    ),
                )),
            }
        };
        let threshold = weight(&file.threshold, "threshold", 0.5, 1.0)?;
        let strong_weight = weight(&file.strong_weight, "strong_weight", 1.0, 100.0)?;
        let weak_weight = weight(&file.weak_weight, "weak_weight", 0.35, 100.0)?;
        let title_factor = weight(&file.title_factor, "title_factor", 2.0, 100.0)?;
        let lead_factor = weight(&file.lead_factor, "lead_factor", 2.0, 100.0)?;
        let lead_words = match &file.lead_words {
            None => DEFAULT_LEAD_WORDS,
            Some(v) if *v.get_ref() <= MAX_LEAD_WORDS => *v.get_ref(),
            Some(v) => {
                return Err(at(
                    v.span(),
                    format!(
                        "`lead_words` must be at most {MAX_LEAD_WORDS}, not {}",
                        v.get_ref()
                    ),
                ));
            }
        };
        if file.version.get_ref().trim().is_empty() {
            return Err(at(
                file.version.span(),
                "`version` must not be empty".to_owned(),
            ));
        }
        if file.topic.is_empty() {
            return Err(at(0..0, "the taxonomy defines no [[topic]]".to_owned()));
        }

        let mut ids = HashSet::new();
        let mut topics = Vec::with_capacity(file.topic.len());
        for spanned in &file.topic {
            let t = spanned.get_ref();
            let id = t.id.get_ref();
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(at(
                    t.id.span(),
                    format!("topic id {id:?} must be lower-case letters, digits and '_'"),
                ));
            }
            if !ids.insert(id.clone()) {
                return Err(at(t.id.span(), format!("topic id {id:?} is defined twice")));
            }
            if t.label.get_ref().trim().is_empty() {
                return Err(at(
                    t.label.span(),
                    format!("topic {id:?} has an empty label"),
                ));
            }
            let terms = |map: &Terms| -> Result<Vec<Term>, TaxonomyError> {
                let mut out = Vec::new();
                for (language, list) in map {
                    let code = language.get_ref();
                    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
                        return Err(at(
                            language.span(),
                            format!("{code:?} is not an ISO 639-1 language code"),
                        ));
                    }
                    for term in list {
                        out.push(
                            validate_term(term.get_ref(), code).map_err(|m| at(term.span(), m))?,
                        );
                    }
                }
                Ok(out)
            };
            let topic = Topic {
                id: id.clone(),
                label: t.label.get_ref().trim().to_owned(),
                strong: terms(&t.strong)?,
                weak: terms(&t.weak)?,
                requires: terms(&t.requires)?,
                exclude: terms(&t.exclude)?,
                paired: terms(&t.paired)?,
                partners: terms(&t.partners)?,
                weight: weight(&t.weight, "weight", 1.0, 100.0)?,
                reported: t.report.unwrap_or(true),
            };
            // A paired term with no partner in its language could never be
            // strong: a slip in the file, not a choice.
            for language in t.paired.keys() {
                if !t.partners.keys().any(|k| k.get_ref() == language.get_ref()) {
                    return Err(at(
                        language.span(),
                        format!(
                            "topic {id:?} has paired.{code} terms but no partners.{code}",
                            code = language.get_ref()
                        ),
                    ));
                }
            }
            if topic.strong.is_empty() && topic.weak.is_empty() {
                return Err(at(
                    spanned.span(),
                    format!("topic {id:?} has no strong or weak terms"),
                ));
            }
            topics.push(topic);
        }
        Ok(Taxonomy {
            version: file.version.get_ref().trim().to_owned(),
            threshold,
            strong_weight,
            weak_weight,
            title_factor,
            lead_words,
            lead_factor,
            topics,
        })
    }
}

fn validate_term(raw: &str, language: &str) -> Result<Term, String> {
    if raw.trim() != raw || raw.is_empty() {
        return Err(format!("term {raw:?} is empty or has surrounding spaces"));
    }
    if raw.chars().any(char::is_uppercase) {
        return Err(format!(
            "term {raw:?} must be lower case (matching ignores case)"
        ));
    }
    let mut words = Vec::new();
    for part in raw.split(' ') {
        let prefix = part.ends_with('*');
        let text = part.trim_end_matches('*');
        if text.is_empty() {
            return Err(format!(
                "term {raw:?} has an empty word (two spaces, or a lone '*')"
            ));
        }
        if text.contains('*') {
            return Err(format!(
                "term {raw:?}: '*' is only allowed at the end of a word"
            ));
        }
        if prefix && text.chars().count() < 3 {
            return Err(format!("stem {part:?} in {raw:?} is too short to be safe"));
        }
        words.push(Word {
            text: text.to_owned(),
            prefix,
        });
    }
    Ok(Term {
        words,
        language: language.to_owned(),
    })
}

/// The 1-based line of byte `offset` in `text`, for errors that name it.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_taxonomy_is_valid_and_has_the_13_topics() {
        let t = Taxonomy::built_in().unwrap();
        let ids: Vec<&str> = t
            .topics
            .iter()
            .filter(|t| t.reported)
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "armed_conflict",
                "military_aid_arms",
                "alliances_security",
                "diplomacy_summits",
                "sanctions_trade",
                "nuclear_wmd",
                "terrorism_insurgency",
                "territorial_disputes",
                "governance_elections",
                "energy_security",
                "migration_refugees",
                "cyber_hybrid",
                "humanitarian_rights",
            ]
        );
        assert_eq!(t.threshold, 0.5);
        for topic in &t.topics {
            let languages: HashSet<&str> = topic
                .strong
                .iter()
                .chain(&topic.weak)
                .map(|t| t.language.as_str())
                .collect();
            for lang in ["en", "de", "fr", "es", "pl"] {
                assert!(languages.contains(lang), "{} has no {lang} terms", topic.id);
            }
        }
    }

    fn error_of(text: &str) -> TaxonomyError {
        Taxonomy::parse(text, "t.toml").unwrap_err()
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let base = "version = \"v1\"\n\n[[topic]]\nid = \"war\"\nlabel = \"War\"\n";
        let cases = [
            (format!("{base}strong = {{ en = [\"War\"] }}\n"), 6, "lower case"),
            (format!("{base}strong = {{ english = [\"war\"] }}\n"), 6, "ISO 639-1"),
            (format!("{base}strong = {{ en = [\"w*\"] }}\n"), 6, "too short"),
            (format!("{base}strong = {{ en = [\"w*ar\"] }}\n"), 6, "end of a word"),
            (format!("{base}colour = \"red\"\n"), 6, "unknown field"),
            (format!("{base}strong = {{ en = [\"war\"] }}\n[[topic]]\nid = \"war\"\nlabel = \"Again\"\nweak = {{ en = [\"x\"] }}\n"), 8, "defined twice"),
            (format!("{base}\n"), 3, "no strong or weak terms"),
            (format!("{base}strong = {{ en = [\"war\"] }}\npaired.de = [\"krieg\"]\npartners.en = [\"army\"]\n"), 7, "no partners.de"),
            ("version = \"v1\"\nthreshold = 2.0\n[[topic]]\nid = \"a\"\nlabel = \"A\"\nweak = { en = [\"a\"] }\n".to_owned(), 2, "threshold"),
            ("version = \"v1\"\nlead_words = 5000\n[[topic]]\nid = \"a\"\nlabel = \"A\"\nweak = { en = [\"a\"] }\n".to_owned(), 2, "lead_words"),
            ("version = \"v1\"\nlead_words = -1\n".to_owned(), 2, ""),
            ("version = \"v1\"\n[[topic]\n".to_owned(), 2, ""),
        ];
        for (text, line, needle) in cases {
            let TaxonomyError::Invalid {
                line: got, message, ..
            } = error_of(&text);
            assert_eq!(got, line, "{text}\n{message}");
            assert!(message.contains(needle), "{message} lacks {needle:?}");
        }
    }

    #[test]
    fn a_user_can_add_a_topic() {
        let mut text = BUILT_IN.to_owned();
        text.push_str("\n[[topic]]\nid = \"space_race\"\nlabel = \"Space race\"\nstrong = { en = [\"moon landing\", \"lunar base*\"] }\n");
        let t = Taxonomy::parse(&text, "custom.toml").unwrap();
        let added = t.topics.last().unwrap();
        assert_eq!(added.id, "space_race");
        assert!(added.strong[1].words[1].prefix);
        assert_eq!(added.strong[1].display(), "lunar base*");
    }
}
