//! Topic matching: every term of the taxonomy, in every language, found in
//! one pass over the article's words ([`super::phrases`]), scored, with the
//! evidence kept. The matcher is built once, at start-up.

use serde::{Deserialize, Serialize};

use super::phrases::{self, PhraseIndex, PhraseWord, Tokens};
use super::taxonomy::{Taxonomy, TaxonomyError, Term};

/// Weight of a term's second and later mentions, relative to its first.
const REPEAT_FACTOR: f32 = 0.5;

/// Texts shorter than this many words weigh each mention more...
const SHORT_TEXT_WORDS: f32 = 120.0;
/// ...by at most this factor.
const MAX_BREVITY: f32 = 2.5;

/// How a term occurred in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub term: String,
    pub count: u32,
    /// Whether any occurrence was in the title.
    pub in_title: bool,
}

/// A topic the article is about, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicScore {
    pub id: String,
    pub label: String,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Strong,
    Weak,
    Requires,
    Exclude,
}

struct Pattern {
    topic: usize,
    role: Role,
    words: Vec<PhraseWord>,
    display: String,
    /// Languages the term belongs to: "front" is a Polish and French term,
    /// and only a coincidence in English.
    languages: Vec<String>,
}

/// The compiled taxonomy.
pub struct TopicMatcher {
    taxonomy: Taxonomy,
    /// Indexed like `index`'s phrase ids.
    patterns: Vec<Pattern>,
    index: PhraseIndex,
}

impl TopicMatcher {
    /// Compiles the taxonomy's terms into one automaton.
    pub fn new(taxonomy: Taxonomy) -> Result<TopicMatcher, TaxonomyError> {
        let mut patterns = Vec::new();
        for (topic, t) in taxonomy.topics.iter().enumerate() {
            let roles = [
                (Role::Strong, &t.strong),
                (Role::Weak, &t.weak),
                (Role::Requires, &t.requires),
                (Role::Exclude, &t.exclude),
            ];
            for (role, terms) in roles {
                for term in terms {
                    let words = tokenize_term(term);
                    // The same spelling in two languages ("sanction*" in en
                    // and fr) is one pattern, so it is counted once.
                    let duplicate = patterns.iter_mut().find(|p: &&mut Pattern| {
                        p.topic == topic && p.role == role && p.words == words
                    });
                    match duplicate {
                        Some(p) => p.languages.push(term.language.clone()),
                        None if !words.is_empty() => patterns.push(Pattern {
                            topic,
                            role,
                            words,
                            display: term.display(),
                            languages: vec![term.language.clone()],
                        }),
                        None => {}
                    }
                }
            }
        }
        let index = PhraseIndex::build(patterns.iter().map(|p| p.words.clone()).collect())
            .map_err(|e| TaxonomyError::Matcher(e.to_string()))?;
        Ok(TopicMatcher {
            taxonomy,
            patterns,
            index,
        })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Scores every topic for an article in `language` (ISO 639-1; `None`
    /// uses the terms of every language); returns those at or above the
    /// threshold, best first.
    pub fn classify(&self, title: &str, body: &str, language: Option<&str>) -> Vec<TopicScore> {
        let mut scores = self.scores(title, body, language);
        scores.retain(|t| t.score >= f64::from(self.taxonomy.threshold));
        scores
    }

    /// Every topic with any evidence, scored, best first, whatever the
    /// threshold: for explaining why a topic was not reported.
    pub fn scores(&self, title: &str, body: &str, language: Option<&str>) -> Vec<TopicScore> {
        self.scores_in(&Tokens::new(title, body), language)
    }

    /// [`TopicMatcher::scores`] of an already tokenized article.
    pub fn scores_in(&self, tokens: &Tokens, language: Option<&str>) -> Vec<TopicScore> {
        let mut found = self.index.find_all(tokens);
        if let Some(language) = language {
            found.retain(|&(p, _, _)| self.patterns[p].languages.iter().any(|l| l == language));
        }
        self.score(tokens, &found, language)
    }

    fn score(
        &self,
        tokens: &Tokens,
        found: &[(usize, usize, usize)],
        language: Option<&str>,
    ) -> Vec<TopicScore> {
        let tax = &self.taxonomy;
        let topics = tax.topics.len();
        let mut required = vec![false; topics];
        let mut has_requires = vec![false; topics];
        for (i, t) in tax.topics.iter().enumerate() {
            // A language without co-terms for the topic does not gate its
            // weak terms: the English list cannot be met in a German text.
            has_requires[i] = t
                .requires
                .iter()
                .any(|r| language.is_none_or(|l| r.language == l));
        }
        // Token ranges each topic's exclusions cover.
        let mut excluded: Vec<Vec<(usize, usize)>> = vec![Vec::new(); topics];
        for &(p, start, end) in found {
            let pattern = &self.patterns[p];
            match pattern.role {
                Role::Requires => required[pattern.topic] = true,
                Role::Exclude => excluded[pattern.topic].push((start, end)),
                _ => {}
            }
        }
        // One stretch of text is one mention per topic: "impeachment" is not
        // also "impeach*", "the alliance" not also "alliance". Longest first.
        let mut ordered: Vec<(usize, usize, usize)> = found.to_vec();
        ordered.sort_by_key(|&(_, start, end)| (start, std::cmp::Reverse(end)));
        let mut covered_until = vec![0usize; topics];
        let mut strong_sums = vec![0f32; topics];
        let mut weak_sums = vec![0f32; topics];
        let mut has_strong = vec![false; topics];
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); topics];
        let lead_end = tokens.body_start() + tax.lead_words as usize;
        for (p, start, end) in ordered {
            let pattern = &self.patterns[p];
            let weight = match pattern.role {
                Role::Strong => tax.strong_weight,
                Role::Weak if !has_requires[pattern.topic] || required[pattern.topic] => {
                    tax.weak_weight
                }
                _ => continue,
            } * tax.topics[pattern.topic].weight;
            if start < covered_until[pattern.topic]
                || excluded[pattern.topic]
                    .iter()
                    .any(|&(s, e)| s <= start && end <= e)
            {
                continue;
            }
            covered_until[pattern.topic] = end;
            let in_title = tokens[start].in_title;
            let list = &mut evidence[pattern.topic];
            let seen_before = match list.iter_mut().find(|e| e.term == pattern.display) {
                Some(e) => {
                    e.count += 1;
                    e.in_title |= in_title;
                    true
                }
                None => {
                    list.push(Evidence {
                        term: pattern.display.clone(),
                        count: 1,
                        in_title,
                    });
                    false
                }
            };
            // A word repeated is less evidence than different words agreeing.
            let weight = if seen_before {
                weight * REPEAT_FACTOR
            } else {
                weight
            };
            let weight = if in_title {
                weight * tax.title_factor
            } else if start < lead_end {
                weight * tax.lead_factor
            } else {
                weight
            };
            if pattern.role == Role::Strong {
                has_strong[pattern.topic] = true;
                strong_sums[pattern.topic] += weight;
            } else {
                weak_sums[pattern.topic] += weight;
            }
        }
        // One mention in a news brief is its subject; in a long report it
        // is a passing word.
        let brevity = (SHORT_TEXT_WORDS / tokens.len().max(1) as f32).clamp(1.0, MAX_BREVITY);
        let mut out: Vec<TopicScore> = Vec::new();
        for (i, topic) in tax.topics.iter().enumerate() {
            // Weak terms ("security", "campaign", "military") only add to a
            // topic that a strong term opened.
            if !has_strong[i] {
                continue;
            }
            // Weak terms support strong evidence; they never outweigh it.
            let sum = (strong_sums[i] + weak_sums[i].min(strong_sums[i])) * brevity;
            let score = 1.0 - (-sum).exp();
            if score > 0.0 {
                let mut ev = std::mem::take(&mut evidence[i]);
                ev.sort_by(|a, b| b.count.cmp(&a.count).then(a.term.cmp(&b.term)));
                out.push(TopicScore {
                    id: topic.id.clone(),
                    label: topic.label.clone(),
                    score: f64::from((score * 1000.0).round()) / 1000.0,
                    evidence: ev,
                });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }
}

/// A taxonomy term as the text tokenizer sees it.
fn tokenize_term(term: &Term) -> Vec<PhraseWord> {
    phrases::phrase(term.words.iter().map(|w| (w.text.clone(), w.prefix)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> TopicMatcher {
        TopicMatcher::new(Taxonomy::built_in().unwrap()).unwrap()
    }

    fn ids(topics: &[TopicScore]) -> Vec<&str> {
        let mut ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn inflected_languages_match_through_stems() {
        let m = matcher();
        let pl = m.classify(
            "Szczyt NATO w Wilnie",
            "Polska zapowiedziała kolejne dostawy broni i amunicji dla Ukrainy. Sojusznicy rozmawiali o gwarancjach bezpieczeństwa.",
            Some("pl"),
        );
        let got = ids(&pl);
        assert!(got.contains(&"military_aid_arms"), "{got:?}");
        assert!(got.contains(&"alliances_security"), "{got:?}");
        let de = m.classify(
            "Waffenlieferungen an die Ukraine",
            "Die Bundesregierung kündigte weitere Waffenlieferungen und Militärhilfe an.",
            Some("de"),
        );
        assert!(ids(&de).contains(&"military_aid_arms"));
    }

    #[test]
    fn other_languages_terms_do_not_fire_in_english() {
        // "walki" (pl, fighting) is not "walk"; "front" (fr, pl) not a weather front.
        let topics = matcher().classify(
            "",
            "A cold front arrived; we took a long walk on the front beach.",
            Some("en"),
        );
        assert!(topics.is_empty(), "{topics:?}");
    }

    #[test]
    fn the_lead_weighs_like_the_headline() {
        let m = matcher();
        let lead = "The president withheld military aid to the country for weeks, officials said.";
        // Forty words of story that no topic claims.
        let filler = "The officials spoke to reporters at length about the schedule, \
            the weather and the long evening ahead, and they answered questions \
            about the new building, the garden and the staff who work there. "
            .repeat(4);
        let in_lead = m.classify("", &format!("{lead} {filler}"), Some("en"));
        assert!(ids(&in_lead).contains(&"military_aid_arms"), "{in_lead:?}");
        // The same sentence once, deep in the story, is a passing mention.
        let in_passing = m.scores("", &format!("{filler}{lead} {filler}"), Some("en"));
        let aid = in_passing
            .iter()
            .find(|t| t.id == "military_aid_arms")
            .unwrap();
        assert!(aid.score < 0.5, "{aid:?}");
        // The lead is the body's: a title does not push it further on.
        let titled = m.classify("Schedule", &format!("{lead} {filler}"), Some("en"));
        assert!(ids(&titled).contains(&"military_aid_arms"), "{titled:?}");
    }

    #[test]
    fn evidence_names_terms_counts_and_the_title() {
        let topics = matcher().classify(
            "Sanctions on Moscow",
            "The EU adopted new sanctions and an oil embargo.",
            None,
        );
        let s = topics.iter().find(|t| t.id == "sanctions_trade").unwrap();
        let sanctions = s.evidence.iter().find(|e| e.term == "sanction*").unwrap();
        assert_eq!(sanctions.count, 2);
        assert!(sanctions.in_title);
        assert!(s.score > 0.9 && s.score <= 1.0);
    }
}
