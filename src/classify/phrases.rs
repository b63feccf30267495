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

/// One word of the text: a range of [`Tokens`]' lower-case buffer.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    start: u32,
    end: u32,
    pub in_title: bool,
    /// Written with a capital first letter: proper names are.
    pub capitalized: bool,
    /// Written all in capitals, as acronyms are ("UN", not the French "un").
    pub all_caps: bool,
    /// First word of a sentence, where a capital says nothing.
    pub sentence_start: bool,
}

/// An article's words, lower-cased once into one buffer: one allocation
/// per article, not one per word.
#[derive(Debug, Default)]
pub struct Tokens {
    buffer: String,
    list: Vec<Token>,
}

impl Tokens {
    /// The title's words, then the body's.
    pub fn new(title: &str, body: &str) -> Tokens {
        let mut tokens = Tokens {
            buffer: String::with_capacity(title.len() + body.len()),
            list: Vec::with_capacity((title.len() + body.len()) / 5),
        };
        tokens.push_text(title, true);
        tokens.push_text(body, false);
        tokens
    }

    fn push_text(&mut self, text: &str, in_title: bool) {
        let mut sentence_start = true;
        let mut word_start: Option<usize> = None;
        // A sentence ends at . ! ? or a line break followed by a word.
        let mut pending_break = false;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphanumeric() || (c == '-' && word_start.is_some()) {
                if word_start.is_none() {
                    word_start = Some(i);
                }
                continue;
            }
            if let Some(from) = word_start.take() {
                let word = text[from..i].trim_end_matches('-');
                if !word.is_empty() {
                    self.push_word(word, in_title, sentence_start || pending_break);
                    sentence_start = false;
                    pending_break = false;
                }
            }
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | '¿' | '¡' | ':' | '"' | '“' | '«'
            ) {
                pending_break = true;
            }
        }
    }

    fn push_word(&mut self, word: &str, in_title: bool, sentence_start: bool) {
        let start = self.buffer.len();
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let all_caps = capitalized && !word.chars().any(char::is_lowercase);
        if capitalized || word.chars().any(char::is_uppercase) {
            self.buffer
                .extend(word.chars().flat_map(char::to_lowercase));
        } else {
            self.buffer.push_str(word);
        }
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.buffer.len())) else {
            // Articles over 4 GiB are cut off at the limit rather than mis-indexed.
            self.buffer.truncate(start);
            return;
        };
        self.list.push(Token {
            start,
            end,
            in_title,
            capitalized,
            all_caps,
            sentence_start,
        });
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The `i`th word's lower-case text.
    pub fn text(&self, i: usize) -> &str {
        let t = &self.list[i];
        &self.buffer[t.start as usize..t.end as usize]
    }

    pub fn get(&self, i: usize) -> Option<&Token> {
        self.list.get(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Token> {
        self.list.iter()
    }
}

impl std::ops::Index<usize> for Tokens {
    type Output = Token;

    fn index(&self, i: usize) -> &Token {
        &self.list[i]
    }
}

/// Splits text into lower-case words of letters, digits and inner hyphens,
/// as [`Tokens`] does.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
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

/// The first [`STEM_KEY_CHARS`] chars of a word, if it has that many.
fn stem_key(word: &str) -> Option<&str> {
    let (end, _) = word.char_indices().nth(STEM_KEY_CHARS - 1)?;
    let width = word[end..].chars().next().map_or(0, char::len_utf8);
    Some(&word[..end + width])
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
                    self.by_stem_key.entry(key.to_owned()).or_default().push(id);
                }
            } else {
                self.by_word.entry(first.clone()).or_default().push(id);
            }
        }
        self.phrases.push(phrase);
        id
    }

    /// Every occurrence: (phrase id, first token, one past the last token).
    pub fn find_all(&self, tokens: &Tokens) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for at in 0..tokens.len() {
            let text = tokens.text(at);
            let exact = self.by_word.get(text).into_iter().flatten();
            let stems = stem_key(text)
                .and_then(|k| self.by_stem_key.get(k))
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

    fn match_at(&self, phrase: &[PhraseWord], tokens: &Tokens, at: usize) -> Option<usize> {
        let end = at + phrase.len();
        if end > tokens.len() {
            return None;
        }
        let in_title = tokens[at].in_title;
        // A phrase does not run from the title into the body.
        let matches = phrase.iter().enumerate().all(|(i, (word, stem))| {
            let text = tokens.text(at + i);
            tokens[at + i].in_title == in_title
                && if *stem {
                    text.starts_with(word.as_str())
                } else {
                    text == word
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
        let toks = Tokens::new(
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

    #[test]
    fn tokens_know_capitals_and_sentence_starts() {
        let toks = Tokens::new(
            "",
            "Turkey is roasted. The turkey, from Turkey; ÉLYSÉE-bound",
        );
        let words: Vec<&str> = (0..toks.len()).map(|i| toks.text(i)).collect();
        assert_eq!(
            words,
            [
                "turkey",
                "is",
                "roasted",
                "the",
                "turkey",
                "from",
                "turkey",
                "élysée-bound"
            ]
        );
        let flags: Vec<(bool, bool)> = toks
            .iter()
            .map(|t| (t.capitalized, t.sentence_start))
            .collect();
        assert_eq!(flags[0], (true, true));
        assert_eq!(flags[3], (true, true));
        assert_eq!(flags[4], (false, false));
        assert_eq!(flags[6], (true, false));
    }
}
