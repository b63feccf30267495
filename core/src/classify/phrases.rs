//! Word-level phrase matching shared by the topic matcher, the gazetteer and
//! the actors list.
//!
//! Text and phrases go through the same tokenizer (lower case, words split at
//! anything but letters, digits and hyphens), so "NATO's" finds `nato` and
//! "livraisons d'armes" finds `livraison* d'armes`. One trie of keys per
//! index ([`super::trie`]), built once, is walked from each word's start,
//! so the cost is the few bytes each word shares with some phrase, however
//! many phrases there are.

use rustc_hash::FxHashSet;

use super::script::{is_optional_mark, is_unspaced, is_word_char};
use super::trie::{KeyTrie, KeyTrieBuilder};

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
    /// Written all in capitals, as acronyms are ("UN", not the French "un");
    /// for a compound, its part before the first hyphen ("UN-Mission").
    pub all_caps: bool,
    /// First word of a sentence, where a capital says nothing.
    pub sentence_start: bool,
}

/// An article's words, lower-cased once into one buffer (" word word ... "):
/// one allocation per article rather than one per word, and one string for
/// the phrase index to walk.
#[derive(Debug, Default)]
pub struct Tokens {
    buffer: String,
    list: Vec<Token>,
}

impl Tokens {
    /// The title's words, then the body's.
    pub fn new(title: &str, body: &str) -> Tokens {
        let mut tokens = Tokens {
            buffer: String::with_capacity(title.len() + body.len() + 8),
            list: Vec::with_capacity((title.len() + body.len()) / 5),
        };
        tokens.buffer.push(' ');
        tokens.push_text(title, true);
        // No phrase runs from the title into the body: no key holds a '\n'.
        tokens.buffer.push_str("\n ");
        tokens.push_text(body, false);
        tokens
    }

    fn push_text(&mut self, text: &str, in_title: bool) {
        let bytes = text.as_bytes();
        // A sentence ends at . ! ? : or a line break (or an opening quote)
        // before the next word.
        let mut starts_sentence = true;
        let mut word_start: Option<usize> = None;
        // The next word starts a sentence; the flag is spent on it.
        let push = |this: &mut Tokens, word: &str, starts_sentence: &mut bool| {
            let word = word.trim_end_matches('-');
            if !word.is_empty() {
                this.push_word(word, in_title, std::mem::take(starts_sentence));
            }
        };
        let mut i = 0;
        while i <= bytes.len() {
            // ASCII, most of most news text, is classified without decoding.
            let (c, width) = match bytes.get(i) {
                None => (' ', 1),
                Some(&b) if b.is_ascii() => (char::from(b), 1),
                Some(_) => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c, c.len_utf8())
                }
            };
            // Scripts written without spaces between words (Chinese,
            // Japanese): each character is a word of its own, and a name is
            // the run of characters that spells it.
            if !c.is_ascii() && is_unspaced(c) {
                if let Some(from) = word_start.take() {
                    push(self, &text[from..i], &mut starts_sentence);
                }
                push(self, &text[i..i + width], &mut starts_sentence);
                i += width;
                continue;
            }
            let in_word = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                is_word_char(c) || is_optional_mark(c)
            };
            // "US$" and "R$" are currencies, one word: not the country "US".
            if in_word || (matches!(c, '-' | '$') && word_start.is_some()) {
                if word_start.is_none() {
                    word_start = Some(i);
                }
                i += width;
                continue;
            }
            if let Some(from) = word_start.take() {
                push(self, &text[from..i], &mut starts_sentence);
            }
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | '¿' | '¡' | ':' | '"' | '“' | '«' | '。' | '！' | '？'
            ) {
                starts_sentence = true;
            }
            i += width;
        }
    }

    fn push_word(&mut self, word: &str, in_title: bool, sentence_start: bool) {
        let start = self.buffer.len();
        let first = word.chars().next().unwrap_or(' ');
        // A script without case (Arabic, Devanagari, Hangul) writes every
        // word as a proper name is written.
        let capitalized = first.is_uppercase() || (first.is_alphabetic() && !is_cased(first));
        let (has_upper, has_lower) = if word.is_ascii() {
            (
                word.bytes().any(|b| b.is_ascii_uppercase()),
                word.bytes().any(|b| b.is_ascii_lowercase()),
            )
        } else {
            (
                word.chars().any(char::is_uppercase),
                word.chars().any(char::is_lowercase),
            )
        };
        // A compound's head decides: "US-Präsident" starts with an acronym.
        let all_caps = capitalized
            && match word.split_once('-') {
                Some((head, _)) => !head.chars().any(char::is_lowercase),
                None => !has_lower,
            };
        if !has_upper && (word.is_ascii() || !word.contains(is_optional_mark)) {
            self.buffer.push_str(word);
        } else if word.is_ascii() {
            self.buffer
                .extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            self.buffer.extend(
                word.chars()
                    .flat_map(char::to_lowercase)
                    .filter(|&c| !is_optional_mark(c)),
            );
        }
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.buffer.len())) else {
            // Articles over 4 GiB are cut off at the limit rather than mis-indexed.
            self.buffer.truncate(start);
            return;
        };
        self.buffer.push(' ');
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

    /// The index of the body's first word (the title's words come first).
    pub fn body_start(&self) -> usize {
        self.list.partition_point(|t| t.in_title)
    }

    /// The `i`th word's lower-case text.
    pub fn text(&self, i: usize) -> &str {
        let t = &self.list[i];
        &self.buffer[t.start as usize..t.end as usize]
    }

    /// The lower-case text from the `start`th word to the one before `end`,
    /// with what separates them ("north korea", "russland-ukraine").
    pub fn span(&self, start: usize, end: usize) -> &str {
        let (Some(first), Some(last)) = (
            self.list.get(start),
            end.checked_sub(1).and_then(|e| self.list.get(e)),
        ) else {
            return "";
        };
        self.buffer
            .get(first.start as usize..last.end as usize)
            .unwrap_or("")
    }

    /// The buffer from the byte before the `i`th word on, when that byte is
    /// the space every phrase key starts with.
    fn rest_with_space_before(&self, i: usize) -> Option<&[u8]> {
        let at = (self.list[i].start as usize).checked_sub(1)?;
        let rest = self.buffer.as_bytes().get(at..)?;
        (rest.first() == Some(&b' ')).then_some(rest)
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

/// Whether `c` has an upper and a lower case form.
fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase() || c.to_uppercase().ne(c.to_lowercase())
}

/// Splits text into lower-case words of letters, digits and inner hyphens,
/// as [`Tokens`] does (a character of an unspaced script is a word).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    raw_words(text).map(|w| {
        let lower = w.to_lowercase();
        if lower.contains(is_optional_mark) {
            lower.replace(is_optional_mark, "")
        } else {
            lower
        }
    })
}

/// The first of [`words`], as written: for checks that need no copy.
pub fn first_word(text: &str) -> Option<&str> {
    raw_words(text).next()
}

fn raw_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !(is_word_char(c) || c == '-' || is_optional_mark(c)))
        .flat_map(unspaced_apart)
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
}

/// `word` with each character of an unspaced script as a word of its own.
fn unspaced_apart(word: &str) -> UnspacedApart<'_> {
    UnspacedApart { rest: word }
}

/// The pieces of [`unspaced_apart`], found as they are asked for.
struct UnspacedApart<'a> {
    rest: &'a str,
}

impl<'a> Iterator for UnspacedApart<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let first = self.rest.chars().next()?;
        let end = if is_unspaced(first) {
            first.len_utf8()
        } else if self.rest.is_ascii() {
            self.rest.len()
        } else {
            self.rest
                .char_indices()
                .find(|&(_, c)| is_unspaced(c))
                .map_or(self.rest.len(), |(at, _)| at)
        };
        let (piece, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(piece)
    }
}

/// A phrase written as space-separated words with optional trailing `*`
/// stems, tokenized the way text is ("d'armes" is "d" "armes"; the stem mark
/// stays on the last piece of a word).
pub fn phrase<S: AsRef<str>>(
    words_and_stems: impl IntoIterator<Item = (S, bool)>,
) -> Vec<PhraseWord> {
    let mut out = Vec::new();
    for (word, stem) in words_and_stems {
        let mut pieces = words(word.as_ref()).peekable();
        while let Some(piece) = pieces.next() {
            let last = pieces.peek().is_none();
            out.push((piece, stem && last));
        }
    }
    out
}

/// What the trie holds for a phrase: the phrase's words up to its first stem,
/// space-separated, as [`Tokens`]' buffer writes them. A leading space
/// anchors the first word's start; a trailing one (no stem) its end.
fn search_key(phrase: &[PhraseWord]) -> String {
    let mut key = String::from(" ");
    for (word, stem) in phrase {
        key.push_str(word);
        if *stem {
            return key;
        }
        key.push(' ');
    }
    key
}

/// Most words of a text whose terms and names are drafted for it alone
/// ([`ShortText`]) while its language's index is not built: a one-line
/// page would otherwise pay for the index of every term and name of
/// its language (or of all languages), most of a one-page run's start-up.
pub const SHORT_TEXT_TOKENS: usize = 64;

/// Characters of a word's beginning that a phrase's first word is checked
/// against: every form of a name keeps at least its first three (stems
/// keep four or more).
pub const PREFIX_CHARS: usize = 3;

/// Languages that write compounds closed ("Präsidentschaftskandidat",
/// "presidentskandidaat"): a compound's head is a word of its own there,
/// and one-word terms are looked for as heads too
/// ([`PhraseIndex::find_heads`]).
pub const CLOSED_COMPOUNDS: [&str; 2] = ["de", "nl"];

/// The shortest head looked for: shorter words hide in too many
/// compounds of other meaning ("Aus|wahl" is a choice, "Ab|gas" exhaust).
pub const HEAD_MIN_CHARS: usize = 5;

/// The shortest part before a head: a compound's modifier is a word.
pub const MODIFIER_MIN_CHARS: usize = 3;

/// Verbal prefixes of German and Dutch: before a word they make a verb or
/// its noun ("ver|anschlagt", "aus|rüstung", "bei|spiel", "uit|spraak"),
/// not a compound of two words.
const PREFIXES: [&str; 21] = [
    "aus", "auf", "bei", "ent", "ver", "zer", "miss", "nach", "über", "unter", "durch", "wider",
    "her", "hin", "ont", "uit", "aan", "mee", "toe", "door", "weg",
];

/// Where a word's heads may start: byte offsets of the characters after
/// at least [`MODIFIER_MIN_CHARS`] that leave at least [`HEAD_MIN_CHARS`],
/// not at a hyphen nor after a bare verbal prefix.
fn head_starts(word: &str) -> impl Iterator<Item = usize> + '_ {
    (MODIFIER_MIN_CHARS..word.len()).filter(move |&start| is_head_start(word, start))
}

/// Whether a head may start at byte `start` of `word` ([`head_starts`]).
fn is_head_start(word: &str, start: usize) -> bool {
    word.is_char_boundary(start)
        && word.as_bytes()[start] != b'-'
        && word[..start].chars().count() >= MODIFIER_MIN_CHARS
        && word[start..].chars().count() >= HEAD_MIN_CHARS
        && !(start <= LONGEST_PREFIX && PREFIXES.contains(&&word[..start]))
}

/// Bytes of the longest of [`PREFIXES`]: modifiers past it are words.
const LONGEST_PREFIX: usize = 5;

/// The beginnings of a short text's words.
pub struct ShortText {
    prefixes: FxHashSet<String>,
}

impl ShortText {
    pub fn new(tokens: &Tokens) -> ShortText {
        let mut prefixes = FxHashSet::default();
        for i in 0..tokens.len() {
            // A hyphenated compound's parts are looked up too
            // ("Russia-Ukraine war" names Ukraine).
            for part in std::iter::once(tokens.text(i)).chain(tokens.text(i).split('-').skip(1)) {
                let mut end = 0;
                for c in part.chars().take(PREFIX_CHARS) {
                    end += c.len_utf8();
                    prefixes.insert(part[..end].to_owned());
                }
            }
        }
        ShortText { prefixes }
    }

    /// Also the beginnings of every head the words could have
    /// ([`PhraseIndex::find_heads`]).
    pub fn with_heads(tokens: &Tokens) -> ShortText {
        let mut short = ShortText::new(tokens);
        for i in 0..tokens.len() {
            let word = tokens.text(i);
            for at in head_starts(word) {
                let head = &word[at..];
                let end = head
                    .char_indices()
                    .nth(PREFIX_CHARS)
                    .map_or(head.len(), |(i, _)| i);
                short.prefixes.insert(head[..end].to_owned());
            }
        }
        short
    }

    /// Whether some word of the text begins as `word` does: a phrase whose
    /// first word fails this matches nowhere in the text, whether the word
    /// is matched whole or as a stem. `word` may be cut to its first
    /// [`PREFIX_CHARS`] characters.
    pub fn could_match(&self, word: &str) -> bool {
        let end = word
            .char_indices()
            .nth(PREFIX_CHARS)
            .map_or(word.len(), |(i, _)| i);
        self.prefixes.contains(&word[..end])
    }
}

/// An index of phrases, each identified by its position in the list it was
/// built from. One trie of all their search keys is walked from each word
/// of the article; each phrase found is then checked word by word.
pub struct PhraseIndex {
    phrases: Vec<Vec<PhraseWord>>,
    keys: KeyTrie,
    /// Phrase ids by key: one key may stand for several phrases
    /// ("dostaw* broni" and "dostaw* amunicji").
    ids_by_key: Vec<Vec<usize>>,
    /// The one-word phrases' first three bytes, for [`PhraseIndex::find_heads`];
    /// made on its first call (only topic indexes of some languages use it).
    head_starts: std::sync::OnceLock<HeadStarts>,
}

/// A set of three-byte beginnings, hashed into 65,536 bits (8 KiB, which
/// stays in cache): most places inside a word begin no term, and this
/// says so without walking the trie, whose tables for the second and
/// third byte are scattered over memory.
struct HeadStarts {
    bits: Box<[u64]>,
}

impl HeadStarts {
    const BITS: usize = 1 << 16;

    fn slot(bytes: &[u8]) -> Option<usize> {
        let [a, b, c, ..] = *bytes else {
            return None;
        };
        let x = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        Some((x.wrapping_mul(0x9E37_79B1) >> 16) as usize % Self::BITS)
    }

    fn new(phrases: &[Vec<PhraseWord>]) -> HeadStarts {
        let mut bits = vec![0u64; Self::BITS / 64].into_boxed_slice();
        for phrase in phrases {
            // A head has HEAD_MIN_CHARS characters: a term of fewer than
            // three bytes can be no head.
            if let [(word, _)] = phrase.as_slice()
                && let Some(slot) = Self::slot(word.as_bytes())
            {
                bits[slot / 64] |= 1 << (slot % 64);
            }
        }
        HeadStarts { bits }
    }

    fn may_begin(&self, bytes: &[u8]) -> bool {
        Self::slot(bytes).is_some_and(|slot| self.bits[slot / 64] & (1 << (slot % 64)) != 0)
    }
}

impl PhraseIndex {
    /// Compiles the phrases, once per index.
    pub fn build(phrases: Vec<Vec<PhraseWord>>) -> PhraseIndex {
        let mut keys = KeyTrieBuilder::default();
        let mut ids_by_key: Vec<Vec<usize>> = Vec::new();
        for (id, phrase) in phrases.iter().enumerate() {
            if phrase.is_empty() {
                continue;
            }
            let key = keys.insert(search_key(phrase).as_bytes());
            if key == ids_by_key.len() {
                ids_by_key.push(Vec::new());
            }
            ids_by_key[key].push(id);
        }
        PhraseIndex {
            phrases,
            keys: keys.build(),
            ids_by_key,
            head_starts: std::sync::OnceLock::new(),
        }
    }

    /// Every occurrence: (phrase id, first token, one past the last token),
    /// in text order.
    ///
    /// Every key starts at a word, so the trie is walked from the space
    /// before each word until no key continues: most words end the walk
    /// within a byte or two, where an unanchored scan of the whole buffer
    /// followed failure links at every byte (a twentieth of the whole
    /// command's time for the three indexes an article goes through).
    pub fn find_all(&self, tokens: &Tokens) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        for at in 0..tokens.len() {
            let Some(rest) = tokens.rest_with_space_before(at) else {
                continue;
            };
            self.walk(KeyTrie::ROOT, rest.iter().copied(), |_, ids| {
                for &id in ids {
                    if let Some(end) = self.match_at(&self.phrases[id], tokens, at) {
                        found.push((id, at, end));
                    }
                }
            });
        }
        found.sort_unstable_by_key(|&(id, at, _)| (at, id));
        found
    }

    /// One-word phrases found as the head of a longer word, a closed
    /// compound's last part ("Präsidentschafts|kandidat",
    /// "Korruptions|affäre" for "affäre*"): (phrase id, token, token + 1),
    /// in text order. Only for [`CLOSED_COMPOUNDS`] languages: elsewhere a
    /// word's end is an inflection or another word ("Tunisia" is not
    /// "Asia").
    pub fn find_heads(&self, tokens: &Tokens) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let Some(space) = self.keys.step(KeyTrie::ROOT, b' ') else {
            return found;
        };
        let starts = self
            .head_starts
            .get_or_init(|| HeadStarts::new(&self.phrases));
        for at in 0..tokens.len() {
            let word = tokens.text(at);
            if word.len() < MODIFIER_MIN_CHARS + HEAD_MIN_CHARS {
                continue;
            }
            let bytes = word.as_bytes();
            // Every byte where a head could start, cheapest test first: a
            // head's first three bytes must begin some term (most places
            // fail here), and only then are the character counts and the
            // prefix rule of `is_head_start` checked.
            for start in MODIFIER_MIN_CHARS..=bytes.len() - HEAD_MIN_CHARS {
                let head = &bytes[start..];
                if !starts.may_begin(head) || !is_head_start(word, start) {
                    continue;
                }
                self.one_word_terms(space, head, at, &mut found);
            }
        }
        found
    }

    /// One-word phrases found as a part of a hyphenated word
    /// ("Hamas-Trainingslager", "повстанцы-хуситы", "NATO-led"): (phrase
    /// id, token, token + 1), in text order. A hyphen joins words that
    /// each keep their meaning, in every language; [`find_all`] sees only
    /// the whole word and the first part's stems.
    ///
    /// [`find_all`]: PhraseIndex::find_all
    pub fn find_parts(&self, tokens: &Tokens) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let Some(space) = self.keys.step(KeyTrie::ROOT, b' ') else {
            return found;
        };
        for at in 0..tokens.len() {
            let word = tokens.text(at);
            if !word.contains('-') {
                continue;
            }
            for part in word.split('-').filter(|p| !p.is_empty()) {
                self.one_word_terms(space, part.as_bytes(), at, &mut found);
            }
        }
        found
    }

    /// Pushes `(phrase id, at, at + 1)` for each one-word phrase that
    /// `text`, a piece of token `at`, is (a word) or begins (a stem),
    /// walking from `space`, the trie's node for a key's leading space.
    fn one_word_terms(
        &self,
        space: u32,
        text: &[u8],
        at: usize,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        // The space after the text ends a whole-word key.
        let bytes = text.iter().copied().chain([b' ']);
        self.walk(space, bytes, |walked, ids| {
            for &id in ids {
                // A stem's key ends within the text; a word's key only
                // with the space after all of it.
                if let [(_, stem)] = self.phrases[id].as_slice()
                    && (*stem || walked == text.len())
                {
                    found.push((id, at, at + 1));
                }
            }
        });
    }

    /// Walks the trie from `node` along `bytes` until no key continues,
    /// handing each key passed to `on_key` with the bytes walked before its
    /// last one and its phrase ids.
    fn walk(
        &self,
        mut node: u32,
        bytes: impl Iterator<Item = u8>,
        mut on_key: impl FnMut(usize, &[usize]),
    ) {
        for (walked, byte) in bytes.enumerate() {
            let Some(next) = self.keys.step(node, byte) else {
                break;
            };
            node = next;
            if let Some(key) = self.keys.key_at(node) {
                on_key(walked, &self.ids_by_key[key]);
            }
        }
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
    fn unspaced_scripts_are_a_word_per_character_in_text_and_terms() {
        let tokens = Tokens::new("", "Xi在北京會見了Biden。下一句");
        let texts: Vec<&str> = (0..tokens.len()).map(|i| tokens.text(i)).collect();
        assert_eq!(
            texts,
            [
                "xi", "在", "北", "京", "會", "見", "了", "biden", "下", "一", "句"
            ]
        );
        assert!(tokens[8].sentence_start, "a sentence begins after '。'");
        assert_eq!(words("北京abc").collect::<Vec<_>>(), ["北", "京", "abc"]);
    }

    #[test]
    fn the_longest_prefix_is_as_long_as_it_says() {
        assert_eq!(PREFIXES.iter().map(|p| p.len()).max(), Some(LONGEST_PREFIX));
    }

    #[test]
    fn heads_are_found_after_a_modifier_and_not_after_a_prefix() {
        let index = PhraseIndex::build(vec![
            phrase([("anschlag".to_owned(), true)]),
            phrase([("krieg".to_owned(), false)]),
            phrase([("wahl".to_owned(), false)]),
            phrase([("krieg".to_owned(), false), ("gegen".to_owned(), false)]),
        ]);
        let heads = |text: &str| -> Vec<(usize, usize)> {
            index
                .find_heads(&Tokens::new("", text))
                .into_iter()
                .map(|(id, at, _)| (id, at))
                .collect()
        };
        // A stem continues past the head's start; a word ends with it.
        assert_eq!(
            heads("Terroranschläge nach Bombenanschlag im Bürgerkrieg"),
            [(0, 2), (1, 4)]
        );
        assert_eq!(heads("Bürgerkriegs"), [], "a word ends where its term does");
        // Too short a head, too short a modifier, a verbal prefix, a whole
        // word (find_all's), a phrase of several words.
        assert_eq!(heads("Auswahl Skrieg veranschlagt Krieg"), []);
        assert_eq!(heads("Handels-Krieg"), [(1, 0)], "after a hyphen too");
        // Not a four-letter head inside a closed word ("Auswahl" above,
        // "Vorwahl"); after a hyphen the part is found by `find_parts`.
        assert_eq!(heads("Vorwahl Landtag-Wahlen"), []);
    }

    #[test]
    fn every_part_of_a_hyphenated_word_is_looked_up() {
        let index = PhraseIndex::build(vec![
            phrase([("hamas".to_owned(), false)]),
            phrase([("wahl".to_owned(), false)]),
            phrase([("повстанц".to_owned(), true)]),
            phrase([("war".to_owned(), false)]),
        ]);
        let parts = |text: &str| -> Vec<(usize, usize)> {
            index
                .find_parts(&Tokens::new("", text))
                .into_iter()
                .map(|(id, at, _)| (id, at))
                .collect()
        };
        // A whole part as a word, any part as a stem, a part of four letters
        // too (the hyphen marks where it begins).
        assert_eq!(
            parts("Hamas-Trainingslager Wien-Wahl повстанцы-хуситы"),
            [(0, 0), (1, 1), (2, 2)]
        );
        // Only hyphenated words (find_all's are whole), and a part must be
        // the word, not begin it.
        assert_eq!(parts("war Wahlen-Ergebnis warfare-state"), []);
    }

    #[test]
    fn phrases_match_words_stems_and_not_across_title_and_body() {
        let phrases = vec![
            phrase([("nato".to_owned(), false)]),
            phrase([
                ("livraison".to_owned(), true),
                ("d'armes".to_owned(), false),
            ]),
            phrase([("vilnius".to_owned(), false), ("summit".to_owned(), false)]),
            phrase([("dostaw".to_owned(), true), ("broni".to_owned(), false)]),
        ];
        let index = PhraseIndex::build(phrases);
        let (nato, arms, summit, weapons) = (0, 1, 2, 3);
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
        // A stem inside a phrase, and words that only start like a key.
        let toks = Tokens::new("", "Dostawy broni; dostawa amunicji; natostrike; nato");
        let found: Vec<(usize, usize, usize)> = index.find_all(&toks);
        assert_eq!(found, vec![(weapons, 0, 2), (nato, 5, 6)]);
    }

    #[test]
    fn every_phrase_at_every_word_once() {
        // Phrases that begin alike, one that ends another ("summit" in
        // "nato summit"), and a phrase that repeats its own word.
        let phrases = vec![
            phrase([("nato".to_owned(), false)]),
            phrase([("nato".to_owned(), false), ("summit".to_owned(), false)]),
            phrase([("summit".to_owned(), false)]),
            phrase([("bla".to_owned(), false), ("bla".to_owned(), false)]),
            phrase([("bla".to_owned(), false)]),
        ];
        let index = PhraseIndex::build(phrases);
        let toks = Tokens::new("NATO summit", "bla bla bla summit");
        assert_eq!(
            index.find_all(&toks),
            vec![
                (0, 0, 1),
                (1, 0, 2),
                (2, 1, 2),
                (3, 2, 4),
                (4, 2, 3),
                (3, 3, 5),
                (4, 3, 4),
                (4, 4, 5),
                (2, 5, 6),
            ]
        );
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
