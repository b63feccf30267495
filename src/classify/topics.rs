//! Topic matching: every term of the taxonomy, in every language, found in
//! one pass over the article's words, with the evidence kept.
//!
//! Text and terms go through the same tokenizer (lower case, words split at
//! anything but letters, digits and hyphens), so "NATO's" finds `nato` and
//! "livraisons d'armes" finds `livraison* d'armes`. Terms are indexed by
//! their first word: exact first words in a hash map, stems by their first
//! three letters, so each word of the text costs one or two look-ups however
//! large the taxonomy grows. The matcher is built once, at start-up.

use std::collections::HashMap;

use serde::Serialize;

use super::taxonomy::{Taxonomy, Term};

/// Stems are indexed by this many leading chars (the taxonomy's minimum).
const STEM_KEY_CHARS: usize = 3;

/// How a term occurred in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub term: String,
    pub count: u32,
    /// Whether any occurrence was in the title.
    pub in_title: bool,
}

/// A topic the article is about, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicScore {
    pub id: String,
    pub label: String,
    pub score: f32,
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
    /// Words after tokenizing: (text, is a stem).
    words: Vec<(String, bool)>,
    display: String,
}

/// The compiled taxonomy.
pub struct TopicMatcher {
    taxonomy: Taxonomy,
    patterns: Vec<Pattern>,
    by_word: HashMap<String, Vec<usize>>,
    by_stem_key: HashMap<String, Vec<usize>>,
}

/// One word of the text, lower-cased, and where it stands.
struct Token {
    text: String,
    in_title: bool,
}

/// Splits text into lower-case words of letters, digits and inner hyphens.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn stem_key(word: &str) -> Option<String> {
    let key: String = word.chars().take(STEM_KEY_CHARS).collect();
    (key.chars().count() == STEM_KEY_CHARS).then_some(key)
}

impl TopicMatcher {
    pub fn new(taxonomy: Taxonomy) -> TopicMatcher {
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
                    let duplicate = patterns
                        .iter()
                        .any(|p: &Pattern| p.topic == topic && p.role == role && p.words == words);
                    if !duplicate && !words.is_empty() {
                        patterns.push(Pattern {
                            topic,
                            role,
                            words,
                            display: term.display(),
                        });
                    }
                }
            }
        }
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_stem_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            let Some((first, stem)) = p.words.first() else {
                continue;
            };
            if *stem {
                if let Some(key) = stem_key(first) {
                    by_stem_key.entry(key).or_default().push(i);
                }
            } else {
                by_word.entry(first.clone()).or_default().push(i);
            }
        }
        TopicMatcher {
            taxonomy,
            patterns,
            by_word,
            by_stem_key,
        }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Scores every topic for an article; returns those at or above the
    /// threshold, best first.
    pub fn classify(&self, title: &str, body: &str) -> Vec<TopicScore> {
        let tokens: Vec<Token> = words(title)
            .map(|text| Token {
                text,
                in_title: true,
            })
            .chain(words(body).map(|text| Token {
                text,
                in_title: false,
            }))
            .collect();
        // Matches: (pattern, first token, end token).
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            let exact = self.by_word.get(&token.text).into_iter().flatten();
            let stems = stem_key(&token.text)
                .and_then(|k| self.by_stem_key.get(&k))
                .into_iter()
                .flatten();
            for &p in exact.chain(stems) {
                if let Some(end) = self.match_at(&self.patterns[p], &tokens, at) {
                    found.push((p, at, end));
                }
            }
        }
        self.score(&tokens, &found)
    }

    fn match_at(&self, pattern: &Pattern, tokens: &[Token], at: usize) -> Option<usize> {
        let end = at + pattern.words.len();
        let window = tokens.get(at..end)?;
        // A phrase does not run from the title into the body.
        if window.iter().any(|t| t.in_title != window[0].in_title) {
            return None;
        }
        let matches = window
            .iter()
            .zip(&pattern.words)
            .all(|(token, (word, stem))| {
                if *stem {
                    token.text.starts_with(word.as_str())
                } else {
                    token.text == *word
                }
            });
        matches.then_some(end)
    }

    fn score(&self, tokens: &[Token], found: &[(usize, usize, usize)]) -> Vec<TopicScore> {
        let tax = &self.taxonomy;
        let topics = tax.topics.len();
        let mut required = vec![false; topics];
        let mut has_requires = vec![false; topics];
        for (i, t) in tax.topics.iter().enumerate() {
            has_requires[i] = !t.requires.is_empty();
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
        let mut sums = vec![0f32; topics];
        let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); topics];
        for &(p, start, end) in found {
            let pattern = &self.patterns[p];
            let weight = match pattern.role {
                Role::Strong => tax.strong_weight,
                Role::Weak if !has_requires[pattern.topic] || required[pattern.topic] => {
                    tax.weak_weight
                }
                _ => continue,
            };
            if excluded[pattern.topic]
                .iter()
                .any(|&(s, e)| s <= start && end <= e)
            {
                continue;
            }
            let in_title = tokens[start].in_title;
            sums[pattern.topic] += if in_title {
                weight * tax.title_factor
            } else {
                weight
            };
            let list = &mut evidence[pattern.topic];
            match list.iter_mut().find(|e| e.term == pattern.display) {
                Some(e) => {
                    e.count += 1;
                    e.in_title |= in_title;
                }
                None => list.push(Evidence {
                    term: pattern.display.clone(),
                    count: 1,
                    in_title,
                }),
            }
        }
        let mut out: Vec<TopicScore> = Vec::new();
        for (i, topic) in tax.topics.iter().enumerate() {
            let score = 1.0 - (-sums[i]).exp();
            if score >= tax.threshold {
                let mut ev = std::mem::take(&mut evidence[i]);
                ev.sort_by(|a, b| b.count.cmp(&a.count).then(a.term.cmp(&b.term)));
                out.push(TopicScore {
                    id: topic.id.clone(),
                    label: topic.label.clone(),
                    score: (score * 1000.0).round() / 1000.0,
                    evidence: ev,
                });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out
    }
}

/// A taxonomy term as the text tokenizer would see it; the stem mark stays
/// on the last piece of a word ("d'armes" is "d" "armes").
fn tokenize_term(term: &Term) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for word in &term.words {
        let pieces: Vec<String> = words(&word.text).collect();
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.into_iter().enumerate() {
            out.push((piece, word.prefix && i == last));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> TopicMatcher {
        TopicMatcher::new(Taxonomy::built_in().unwrap())
    }

    fn ids(topics: &[TopicScore]) -> Vec<&str> {
        let mut ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids
    }

    #[test]
    fn the_seed_gets_its_five_topics() {
        let seed = include_str!("../../examples/pages/seed-paragraphs.txt");
        let topics = matcher().classify(
            "NATO summit: in the absence of membership, Ukraine obtains new security guarantees",
            seed,
        );
        let got = ids(&topics);
        for id in [
            "alliances_security",
            "armed_conflict",
            "diplomacy_summits",
            "military_aid_arms",
            "nuclear_wmd",
        ] {
            assert!(got.contains(&id), "{id} missing from {got:?}");
        }
        let alliances = topics
            .iter()
            .find(|t| t.id == "alliances_security")
            .unwrap();
        assert!(
            alliances
                .evidence
                .iter()
                .any(|e| e.term == "nato" && e.in_title && e.count > 5)
        );
    }

    #[test]
    fn metaphors_are_not_wars() {
        let m = matcher();
        for text in [
            "The console wars heat up as the new consoles launch; a price war looms over the holiday season.",
            "The culture war over the school curriculum reached the state legislature this week.",
        ] {
            let topics = m.classify("", text);
            assert!(
                !ids(&topics).contains(&"armed_conflict"),
                "{text}: {topics:?}"
            );
        }
        let trade = m.classify(
            "Trade war escalates",
            "Washington raised tariffs on Chinese goods again.",
        );
        assert!(ids(&trade).contains(&"sanctions_trade"));
    }

    #[test]
    fn sport_and_gadgets_get_no_topics() {
        let m = matcher();
        for (title, body) in [
            (
                "Argentina wins Davis Cup opener",
                "Argentina beat Chile 2-1 in the opening tie of the Davis Cup finals in Madrid on Monday, with Diego Schwartzman winning the decisive match.",
            ),
            (
                "New phone review",
                "The new phone has a brighter screen, a faster chip and a battery that lasts two days. The camera is the best we have tested this year.",
            ),
        ] {
            assert!(m.classify(title, body).is_empty(), "{title}");
        }
    }

    #[test]
    fn inflected_languages_match_through_stems() {
        let m = matcher();
        let pl = m.classify(
            "Szczyt NATO w Wilnie",
            "Polska zapowiedziała kolejne dostawy broni i amunicji dla Ukrainy. Sojusznicy rozmawiali o gwarancjach bezpieczeństwa.",
        );
        let got = ids(&pl);
        assert!(got.contains(&"military_aid_arms"), "{got:?}");
        assert!(got.contains(&"alliances_security"), "{got:?}");
        let de = m.classify(
            "Waffenlieferungen an die Ukraine",
            "Die Bundesregierung kündigte weitere Waffenlieferungen und Militärhilfe an.",
        );
        assert!(ids(&de).contains(&"military_aid_arms"));
    }

    #[test]
    fn evidence_names_terms_counts_and_the_title() {
        let topics = matcher().classify(
            "Sanctions on Moscow",
            "The EU adopted new sanctions and an oil embargo.",
        );
        let s = topics.iter().find(|t| t.id == "sanctions_trade").unwrap();
        let sanctions = s.evidence.iter().find(|e| e.term == "sanction*").unwrap();
        assert_eq!(sanctions.count, 2);
        assert!(sanctions.in_title);
        assert!(s.score > 0.9 && s.score <= 1.0);
    }
}
