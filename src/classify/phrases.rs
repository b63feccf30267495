//! Word-level phrase matching shared by the topic matcher and the gazetteer.
//!
//! Text and phrases go through the same tokenizer (lower case, words split at
//! anything but letters, digits and hyphens), so "NATO's" finds `nato` and
//! "livraisons d'armes" finds `livraison* d'armes`. Phrases are indexed by
//! their first word: exact first words in a hash map, stems by their first
//! three letters, so each word of the text costs one or two look-ups however
//! many phrases there are. Indexes are built once, at start-up.

use std::collections::HashMap;

/// Stems are indexed by this many leading chars (the shortest stem allowed).
pub const STEM_KEY_CHARS: usize = 3;

/// One word of a phrase: its lower-case text and whether it is a stem.
pub type PhraseWord = (String, bool);

/// One word of the text.
pub struct Token {
    pub text: String,
    pub in_title: bool,
}

/// Splits text into lower-case words of letters, digits and inner hyphens.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The title's words, then the body's.
pub fn tokens(title: &str, body: &str) -> Vec<Token> {
    words(title)
        .map(|text| Token {
            text,
            in_title: true,
        })
        .chain(words(body).map(|text| Token {
            text,
            in_title: false,
        }))
        .collect()
}

/// A phrase written as space-separated words with optional trailing `*`
/// stems, tokenized the way text is ("d'armes" is "d" "armes"; the stem mark
/// stays on the last piece of a word).
pub fn phrase(words_and_stems: impl IntoIterator<Item = (String, bool)>) -> Vec<PhraseWord> {
    let mut out = Vec::new();
    for (word, stem) in words_and_stems {
        let pieces: Vec<String> = words(&word).collect();
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.into_iter().enumerate() {
            out.push((piece, stem && i == last));
        }
    }
    out
}

fn stem_key(word: &str) -> Option<String> {
    let key: String = word.chars().take(STEM_KEY_CHARS).collect();
    (key.chars().count() == STEM_KEY_CHARS).then_some(key)
}

/// An index of phrases, each identified by its position in `phrases`.
#[derive(Default)]
pub struct PhraseIndex {
    phrases: Vec<Vec<PhraseWord>>,
    by_word: HashMap<String, Vec<usize>>,
    by_stem_key: HashMap<String, Vec<usize>>,
}

impl PhraseIndex {
    /// Adds a phrase; returns its id.
    pub fn add(&mut self, phrase: Vec<PhraseWord>) -> usize {
        let id = self.phrases.len();
        if let Some((first, stem)) = phrase.first() {
            if *stem {
                if let Some(key) = stem_key(first) {
                    self.by_stem_key.entry(key).or_default().push(id);
                }
            } else {
                self.by_word.entry(first.clone()).or_default().push(id);
            }
        }
        self.phrases.push(phrase);
        id
    }

    /// Every occurrence: (phrase id, first token, one past the last token).
    pub fn find_all(&self, tokens: &[Token]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            let exact = self.by_word.get(&token.text).into_iter().flatten();
            let stems = stem_key(&token.text)
                .and_then(|k| self.by_stem_key.get(&k))
                .into_iter()
                .flatten();
            for &id in exact.chain(stems) {
                if let Some(end) = self.match_at(&self.phrases[id], tokens, at) {
                    found.push((id, at, end));
                }
            }
        }
        found
    }

    fn match_at(&self, phrase: &[PhraseWord], tokens: &[Token], at: usize) -> Option<usize> {
        let end = at + phrase.len();
        let window = tokens.get(at..end)?;
        // A phrase does not run from the title into the body.
        if window.iter().any(|t| t.in_title != window[0].in_title) {
            return None;
        }
        let matches = window.iter().zip(phrase).all(|(token, (word, stem))| {
            if *stem {
                token.text.starts_with(word.as_str())
            } else {
                token.text == *word
            }
        });
        matches.then_some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_words_stems_and_not_across_title_and_body() {
        let mut index = PhraseIndex::default();
        let nato = index.add(phrase([("nato".to_owned(), false)]));
        let arms = index.add(phrase([
            ("livraison".to_owned(), true),
            ("d'armes".to_owned(), false),
        ]));
        let summit = index.add(phrase([
            ("vilnius".to_owned(), false),
            ("summit".to_owned(), false),
        ]));
        let toks = tokens(
            "NATO's Vilnius",
            "summit: des livraisons d'armes à l'Ukraine",
        );
        let found: Vec<usize> = index
            .find_all(&toks)
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        assert_eq!(found, vec![nato, arms]);
        assert!(!found.contains(&summit));
    }
}
