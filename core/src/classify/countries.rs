//! The country gazetteer: which countries an article refers to.
//!
//! Names come from the `keshvar` crate, read at build time (`build.rs`):
//! ISO short names, unofficial names, translations in the languages we
//! match. Demonyms beyond English,
//! capitals and seats of government used as metonyms, and cities come from
//! `config/gazetteer.toml`. Names in inflected languages (Polish, Russian,
//! Ukrainian, German) also match in their declined forms ("Ukrainy", "Rosji",
//! "Russlands"). The United States' states name the US.
//! Ambiguous names (Georgia, Jordan, Chad, Turkey...) count only when the
//! same country is named another way too.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::phrases::{
    self, PREFIX_CHARS, PhraseIndex, PhraseWord, SHORT_TEXT_TOKENS, ShortText, Tokens,
};
use super::topics::Evidence;

/// Languages whose nouns decline: their names also match declined.
const INFLECTED: &[&str] = &["de", "pl", "ru", "uk", "ko", "fi", "hu", "lt"];
/// Endings dropped before declining ("Ukraina" -> "Ukrain" + "y").
const STEM_ENDINGS: &[char] = &[
    'a', 'e', 'i', 'o', 'u', 'y', 'ą', 'ę', 'а', 'е', 'и', 'і', 'о', 'у', 'ы', 'ь', 'й', 'я', 'ї',
    'є',
];
/// Bases shorter than this are declined from the whole word.
const MIN_STEM_CHARS: usize = 4;

/// The built-in supplement (`config/gazetteer.toml`).
pub const BUILT_IN: &str = include_str!("../../../config/gazetteer.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Supplement {
    #[serde(default)]
    ambiguous: Vec<AmbiguousEntry>,
    #[serde(default)]
    countries: BTreeMap<String, CountryEntry>,
    /// Terms of one language (demonym nouns, irregular declined forms,
    /// declined cities), by article language, then country: they apply
    /// to articles in that language only.
    #[serde(default)]
    by_language: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Set phrases that hold a place's name and refer to no country ("Paris
    /// Agreement", "New York Times"): matched like names, counted for none.
    #[serde(default)]
    not_places: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmbiguousEntry {
    code: String,
    terms: Vec<String>,
    /// Whether the name's other meanings are no places (a person, a
    /// bird): then after a locative preposition ("in Washington", "nach
    /// Sofia") it is the place.
    #[serde(default)]
    place_after_preposition: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryEntry {
    /// The name records show: required for codes the crate lacks (Kosovo,
    /// XK), otherwise overrides the crate's English name.
    #[serde(default)]
    name: Option<String>,
    terms: Vec<String>,
}

/// Country-code domains sold to anyone as generic ones (`.io`, `.tv`,
/// `.fm`, `.co`, `.me`...): a site under one says nothing of where it is.
pub const GENERIC_COUNTRY_DOMAINS: [&str; 27] = [
    "ac", "ad", "ag", "ai", "am", "cc", "cf", "co", "fm", "ga", "gg", "gq", "im", "io", "la", "ly",
    "me", "ml", "nu", "sh", "so", "st", "sx", "tk", "to", "tv", "ws",
];

/// A country the article refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryMention {
    /// ISO 3166-1 alpha-2 (Kosovo is XK).
    pub code: String,
    pub name: String,
    pub mentions: u32,
    /// Share of all country mentions, title mentions counted double.
    pub salience: f64,
    /// The article's words that named it (lower case: a name, demonym,
    /// capital, province, or an office holder's name), most frequent
    /// first: what an analyst checks a country against.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// A named holder of a state's office: naming them refers to the state
/// ("Trump said" is the US).
pub struct OfficeHolder<'a> {
    pub country: &'a str,
    pub name: &'a str,
    pub mentions: u32,
    /// The token of their first mention ([`Tokens`] index).
    pub first_token: usize,
}

/// The countries an article names: those a reader meets while reading it,
/// and those only named in passing further down.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountriesFound {
    /// Named in the title or the first [`READING_WORDS`] words of the body,
    /// most salient first.
    pub countries: Vec<CountryMention>,
    /// Named only after them, most salient first.
    pub in_passing: Vec<CountryMention>,
}

/// How far into a body a country counts as one the article refers to.
/// One named only after this many words is a passing mention (the fortieth
/// paragraph's "as in France"): an analyst asking where a story is reads
/// its first screens, not its tail, and geo-dev-v2's annotators read 600
/// words (its guide: "read whole, cut at 600 words"). Whole-text country
/// lists there scored 0.915 against 0.936 with passing mentions apart
/// (5-fold cross-validated). They are kept in the record apart, so nothing
/// the text names is lost.
pub const READING_WORDS: usize = 600;

/// How many of a country's distinct naming words a record lists.
const MAX_EVIDENCE: usize = 5;

struct Entry {
    code: String,
    ambiguous: bool,
    /// An ambiguous name that is the place after a locative preposition
    /// ([`AmbiguousEntry`]).
    place_after_preposition: bool,
    /// A proper name: the text must capitalize it ("Poles", not "poles";
    /// "Island" is Iceland only in German, and a noun).
    proper: bool,
    /// An acronym: the text must write it in capitals ("US", not the
    /// English "us").
    acronym: bool,
    /// Languages whose articles use the name; `None` for all. The German
    /// "Island" (Iceland) is an English island.
    languages: Option<Vec<&'static str>>,
    /// Only a subdivision's name (a state, province, region): weaker
    /// evidence than the country's own names, since many are also people's
    /// names or words ("Nelson", "Latina", "Victoria").
    subdivision: bool,
}

/// The code of [`Supplement::not_places`]' entries: no country's.
const NOT_A_PLACE: &str = "";

/// Words after a hyphen that make a compound a currency ("US-Dollar"), not
/// a reference to the country.
const CURRENCY_TAILS: &[&str] = &["dollar", "dollars", "cent", "cents"];

/// Fewest characters of a compound's last part looked up as a name: the
/// token's case is its first part's, so a short proper name there ("Rom"
/// in "CD-Rom") cannot be told from a word.
const MIN_TAIL_CHARS: usize = 4;

/// Compound heads that negate what follows ("nicht-deutscher": not German).
const NEGATING_HEADS: &[&str] = &["nicht", "non", "niet", "nie", "no", "не"];

/// Mentions of a country's subdivisions that make it one of the article's
/// countries when nothing else names it (one in the title also does).
const MIN_SUBDIVISION_MENTIONS: u32 = 2;

/// What an article says of one country.
struct Count {
    mentions: u32,
    in_title: u32,
    /// Named by a name of its own that is not ambiguous, or ambiguous and
    /// used as a state ("Jordan's king", "Washington said").
    named: bool,
    subdivision_mentions: u32,
    subdivision_in_title: bool,
    evidence: Vec<Evidence>,
    /// The token of the first mention.
    first_token: usize,
}

impl Default for Count {
    fn default() -> Count {
        Count {
            mentions: 0,
            in_title: 0,
            named: false,
            subdivision_mentions: 0,
            subdivision_in_title: false,
            evidence: Vec::new(),
            first_token: usize::MAX,
        }
    }
}

impl Count {
    fn cite(&mut self, term: &str, count: u32, in_title: bool) {
        match self.evidence.iter_mut().find(|e| e.term == term) {
            Some(e) => {
                e.count += count;
                e.in_title |= in_title;
            }
            None => self.evidence.push(Evidence {
                term: term.to_owned(),
                count,
                in_title,
            }),
        }
    }
}

/// Prepositions of place in the gazetteer's languages, after which an
/// ambiguous name whose other meanings are no places is the place.
const LOCATIVE_PREPOSITIONS: &[&str] = &[
    // Not "to", "a", "da", "para": they also mark a person ("passed to
    // Jordan", "dijo a Washington", "scritto da Sofia").
    "in", "from", "at", "near", "nach", "aus", "bei", "nahe", "naar", "uit", "en", "à", "em",
    "desde", "w", "we", "в", "во", "из",
];

/// Verbs after which an ambiguous place name is a government speaking
/// ("Washington said").
const METONYM_VERBS: &[&str] = &[
    "said",
    "says",
    "warned",
    "warns",
    "announced",
    "accused",
    "insisted",
    "demanded",
    "responded",
    "rejected",
    "criticised",
    "criticized",
    "welcomed",
    "imposed",
    "threatened",
];

/// The US states by name, but Georgia and Washington (a country and a
/// capital first). Written here rather than read from keshvar's
/// subdivisions: that feature compiles every country's subdivisions into
/// the binary (most of its 44 MB of code) and builds them all at start-up.
const US_STATES: &[&str] = &[
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
];

/// What the gazetteer takes of one country in keshvar's data, written by
/// `build.rs` into [`COUNTRIES`].
pub struct CountryNames {
    code: &'static str,
    iso_short_name: &'static str,
    unofficial: &'static [&'static str],
    nationality: Option<&'static str>,
    population: u64,
    /// The languages spoken there (ISO 639-1).
    languages: &'static [&'static str],
    /// In [`TRANSLATED_LANGUAGES`] (`build.rs`), in their order.
    translations: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// A gazetteer being assembled from its sources.
#[derive(Default)]
struct Draft {
    entries: Vec<Entry>,
    phrases: Vec<Vec<PhraseWord>>,
}

/// The gazetteer: its sources are read at start-up; the names an article's
/// language can use, and the index that finds them, on first use.
pub struct Gazetteer {
    supplement: Supplement,
    /// (country, spelling): a few, looked through for each name drafted.
    /// Code, phrase, and whether a locative preposition makes it the place.
    ambiguous: Vec<(String, Vec<PhraseWord>, bool)>,
    /// A nationality shared by territories ("American" for Guam, Puerto
    /// Rico...) belongs to the most populous country that has it.
    nationality_owner: FxHashMap<&'static str, &'static str>,
    /// By [`index_slot`]: one per language of [`INDEX_LANGUAGES`], one for
    /// any other language, one for articles of unknown language.
    indexes: [OnceLock<LanguageIndex>; INDEX_LANGUAGES.len() + 2],
    names: HashMap<String, String>,
}

/// The names an article in one language can use, and their index: all
/// 13,700 names and declined forms cost most of a one-page run's start-up,
/// and most of them (Polish, Russian, Ukrainian declensions) never apply
/// to the article at hand.
struct LanguageIndex {
    entries: Vec<Entry>,
    index: PhraseIndex,
    /// The entries of one whole word, by that word: a hyphenated
    /// compound's head or last part names a country too ("US-Präsident",
    /// "Ukraine-Krieg", "Russia-Ukraine"), which the index, matching
    /// whole words, misses.
    single_words: FxHashMap<String, Vec<usize>>,
}

impl LanguageIndex {
    fn new(draft: Draft) -> LanguageIndex {
        let mut single_words: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (id, phrase) in draft.phrases.iter().enumerate() {
            if let [(word, false)] = phrase.as_slice() {
                single_words.entry(word.clone()).or_default().push(id);
            }
        }
        LanguageIndex {
            index: PhraseIndex::build(draft.phrases),
            entries: draft.entries,
            single_words,
        }
    }

    /// Every match of a name in `tokens`, with compounds' parts: (entry,
    /// first token, end token, part of a compound).
    fn find_all(&self, tokens: &Tokens) -> Vec<(usize, usize, usize, bool)> {
        let mut found: Vec<(usize, usize, usize, bool)> = self
            .index
            .find_all(tokens)
            .into_iter()
            .map(|(id, start, end)| (id, start, end, false))
            .collect();
        for i in 0..tokens.len() {
            let Some((head, tail)) = tokens.text(i).split_once('-') else {
                continue;
            };
            if CURRENCY_TAILS.contains(&tail) {
                continue;
            }
            if let Some(ids) = self.single_words.get(head) {
                found.extend(ids.iter().map(|&id| (id, i, i + 1, true)));
            }
            // And its last part: "Russia-Ukraine war", "US-China talks",
            // "Vichy-Frankreich"; not after a negation ("nicht-deutscher"),
            // nor a short one whose case cannot be checked ("CD-Rom").
            let last = tail.rsplit('-').next().unwrap_or(tail);
            if last.chars().count() >= MIN_TAIL_CHARS
                && !NEGATING_HEADS.contains(&head)
                && let Some(ids) = self.single_words.get(last)
            {
                found.extend(ids.iter().map(|&id| (id, i, i + 1, true)));
            }
        }
        found
    }
}

/// Languages with an index of their own: those the gazetteer has names in.
const INDEX_LANGUAGES: [&str; TRANSLATED_LANGUAGES.len()] = TRANSLATED_LANGUAGES;

/// The index slot for an article's language.
fn index_slot(language: Option<&str>) -> usize {
    match language {
        Some(l) => INDEX_LANGUAGES
            .iter()
            .position(|known| *known == l)
            .unwrap_or(INDEX_LANGUAGES.len()),
        None => INDEX_LANGUAGES.len() + 1,
    }
}

/// Why the gazetteer supplement could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("gazetteer supplement: {0}")]
pub struct GazetteerError(String);

impl Gazetteer {
    /// The gazetteer from keshvar's data and the built-in supplement.
    pub fn built_in() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::with_supplement(BUILT_IN)
    }

    /// Reads and checks the sources; the names are drafted per language on
    /// first use ([`Gazetteer::build_indexes`] drafts them all).
    pub fn with_supplement(toml_text: &str) -> Result<Gazetteer, GazetteerError> {
        let supplement: Supplement =
            toml::from_str(toml_text).map_err(|e| GazetteerError(e.to_string()))?;
        // Start-up cost matters (every `newsworker extract` pays it): Fx
        // hashing, keshvar's data read at build time, no key clones.
        let mut ambiguous: Vec<(String, Vec<PhraseWord>, bool)> = Vec::new();
        for a in &supplement.ambiguous {
            for t in &a.terms {
                ambiguous.push((a.code.clone(), parse_term(t), a.place_after_preposition));
            }
        }
        let mut owners: FxHashMap<&'static str, (u64, &'static str)> = FxHashMap::default();
        for country in COUNTRIES {
            if let Some(n) = country.nationality {
                let owner = owners.entry(n).or_insert((0, ""));
                if country.population >= owner.0 {
                    *owner = (country.population, country.code);
                }
            }
        }
        let mut names: HashMap<String, String> = HashMap::new();
        for country in COUNTRIES {
            // "United Kingdom", not "United Kingdom of Great Britain and
            // Northern Ireland"; ISO's "Korea (Republic of)" reads badly.
            let display = country
                .translations
                .iter()
                .find(|(lang, _)| *lang == "en")
                .map(|(_, n)| *n)
                .filter(|n| !n.contains(['(', ',']))
                .unwrap_or(country.iso_short_name);
            names.insert(country.code.to_owned(), display.to_owned());
        }
        for (code, entry) in &supplement.countries {
            match &entry.name {
                Some(name) => {
                    names.insert(code.clone(), name.clone());
                }
                None if !names.contains_key(code) => {
                    return Err(GazetteerError(format!(
                        "unknown country code {code:?} needs a name"
                    )));
                }
                None => {}
            }
        }
        for (language, countries) in &supplement.by_language {
            if !INDEX_LANGUAGES.contains(&language.as_str()) {
                return Err(GazetteerError(format!(
                    "by_language.{language}: not one of the gazetteer's languages ({})",
                    INDEX_LANGUAGES.join(", ")
                )));
            }
            if let Some(code) = countries.keys().find(|code| !names.contains_key(*code)) {
                return Err(GazetteerError(format!(
                    "by_language.{language}: unknown country code {code:?}"
                )));
            }
        }
        Ok(Gazetteer {
            supplement,
            ambiguous,
            nationality_owner: owners.into_iter().map(|(n, (_, code))| (n, code)).collect(),
            indexes: std::array::from_fn(|_| OnceLock::new()),
            names,
        })
    }

    /// The names an article in `language` can use (all of them for an
    /// unknown language). A name from a source of another language is left
    /// out: it would never apply, and where the same spelling also comes
    /// from a source of this language or of all, leaving it out changes
    /// nothing (every per-language source gives proper names, and only
    /// those of all languages can lower that).
    ///
    /// For a `short` text, a name whose first word none of its words
    /// begins as is left out with all its forms (see
    /// [`ShortText::could_match`]); without one, every name is drafted.
    fn draft(&self, language: Option<&str>, short: Option<&ShortText>) -> Draft {
        let could_match = |word: &str| short.is_none_or(|s| s.could_match(word));
        // The same, from a name as written, without copying it.
        let could_begin = |name: &str| short.is_none_or(|s| beginning_could_match(name, s));
        let wanted = |lang: Option<&str>| language.is_none() || lang.is_none() || lang == language;
        let mut g = Draft::default();
        // Entries by the hash of their (country, spelling), each chained to
        // the previous entry of the same hash: no copy of the key is kept.
        let mut last_of_hash: FxHashMap<u64, usize> = FxHashMap::default();
        let mut same_hash: Vec<usize> = Vec::new();
        let mut add = |g: &mut Draft,
                       code: &str,
                       phrase: Vec<PhraseWord>,
                       (proper, acronym): (bool, bool),
                       language: Option<&'static str>,
                       subdivision: bool| {
            if phrase.is_empty() || !could_match(&phrase[0].0) {
                return;
            }
            // One spelling from several sources: the laxest rule wins.
            let hash = {
                let mut h = rustc_hash::FxHasher::default();
                (code, &phrase).hash(&mut h);
                h.finish()
            };
            let mut candidate = last_of_hash.get(&hash).copied();
            while let Some(id) = candidate
                && (g.entries[id].code != code || g.phrases[id] != phrase)
            {
                candidate = Some(same_hash[id]).filter(|&i| i != usize::MAX);
            }
            if let Some(id) = candidate {
                let entry: &mut Entry = &mut g.entries[id];
                entry.proper &= proper;
                entry.acronym &= acronym;
                entry.subdivision &= subdivision;
                match (&mut entry.languages, language) {
                    (Some(list), Some(l)) if !list.contains(&l) => list.push(l),
                    (languages, None) => *languages = None,
                    _ => {}
                }
                return;
            }
            let ambiguity = self
                .ambiguous
                .iter()
                .find(|(c, p, _)| c == code && *p == phrase);
            let id = g.entries.len();
            same_hash.push(last_of_hash.insert(hash, id).unwrap_or(usize::MAX));
            g.phrases.push(phrase);
            g.entries.push(Entry {
                code: code.to_owned(),
                ambiguous: ambiguity.is_some(),
                place_after_preposition: ambiguity.is_some_and(|a| a.2),
                proper,
                acronym,
                languages: language.map(|l| vec![l]),
                subdivision,
            });
        };
        for country in COUNTRIES {
            let code = country.code;
            // English names are used in every language's press.
            let mut names: Vec<(Option<&'static str>, &str)> = vec![(None, country.iso_short_name)];
            names.extend(country.unofficial.iter().map(|n| (None, *n)));
            if let Some(n) = country.nationality
                && self.nationality_owner.get(n) == Some(&code)
            {
                names.push((None, n));
            }
            for (lang, n) in country.translations {
                names.push((Some(*lang), n));
            }
            for (lang, name) in names {
                // Another language's name gives nothing below (neither the
                // name nor its declined forms): skipped before any work.
                if lang.is_some() && !wanted(lang) {
                    continue;
                }
                // "Korea (Republic of)" and "Virgin Islands, U.S." are not how
                // news writes; of an Arabic-script official name ("إيران،
                // الجمهورية الإسلامية...") the part before the comma is.
                let name = match name.split_once('،') {
                    Some((head, _)) => head.trim(),
                    None => name,
                };
                if name.contains(['(', ',']) || name.chars().count() < min_name_chars(name) {
                    continue;
                }
                // Every form of a name (declined, stemmed) begins as its
                // first word does: none can match where that cannot. Most
                // names are refused so by a short text's words, before any
                // copy; only Arabic's forms with a joined word begin
                // otherwise (below).
                let begins = could_begin(name);
                if !begins && lang != Some("ar") {
                    continue;
                }
                let lower = name.to_lowercase();
                // Arabic writes "and", "in", "for" joined to the name
                // ("وتركيا", "بسوريا", "للولايات المتحدة"): each form is
                // drafted.
                if lang == Some("ar") && wanted(lang) {
                    for form in with_proclitics(&lower, &could_match) {
                        add(&mut g, code, form, (true, false), lang, false);
                    }
                }
                if !begins {
                    continue;
                }
                if wanted(lang) {
                    add(
                        &mut g,
                        code,
                        phrases::phrase(lower.split(' ').map(|w| (w, false))),
                        (true, false),
                        lang,
                        false,
                    );
                }
                // Unofficial names carry no language; a Cyrillic one
                // ("Россия", "Великобритания") declines as its script says.
                let inflection = lang.or_else(|| cyrillic_language(&lower));
                if let Some(lang) = inflection.filter(|l| INFLECTED.contains(l) && wanted(Some(l)))
                {
                    for form in declined(&lower, lang) {
                        add(&mut g, code, form, (true, false), Some(lang), false);
                    }
                }
                // German genitive of an unofficial Latin-script name
                // ("Russlands"); German translations declined above.
                if lang.is_none() && wanted(Some("de")) && !lower.contains(' ') && lower.is_ascii()
                {
                    for form in declined(&lower, "de") {
                        add(&mut g, code, form, (true, false), Some("de"), false);
                    }
                }
            }
        }
        // News names US states more often than the country ("a Texas
        // court"), and local news the province or state it happens in.
        for state in US_STATES {
            add(
                &mut g,
                "US",
                phrases::phrase(
                    state
                        .to_lowercase()
                        .split(' ')
                        .map(|w| (w.to_owned(), false)),
                ),
                (true, false),
                None,
                false,
            );
        }
        // Written in lower case by build.rs.
        for &(code, name, languages) in SUBDIVISION_NAMES {
            if !could_begin(name) {
                continue;
            }
            let mut phrase = None;
            for (bit, lang) in TRANSLATED_LANGUAGES.iter().enumerate() {
                if languages >> bit & 1 == 1 && wanted(Some(lang)) {
                    let phrase = phrase.get_or_insert_with(|| {
                        phrases::phrase(name.split(' ').map(|w| (w, false)))
                    });
                    add(
                        &mut g,
                        code,
                        phrase.clone(),
                        (true, false),
                        Some(lang),
                        true,
                    );
                }
            }
        }
        for (code, entry) in &self.supplement.countries {
            for t in entry.terms.iter().filter(|t| could_begin(t)) {
                add(
                    &mut g,
                    code,
                    parse_term(&t.to_lowercase()),
                    case_of(t),
                    None,
                    false,
                );
            }
        }
        for (language, countries) in &self.supplement.by_language {
            // Checked against this list at load.
            let Some(language) = INDEX_LANGUAGES.iter().copied().find(|l| l == language) else {
                continue;
            };
            if !wanted(Some(language)) {
                continue;
            }
            for (code, terms) in countries {
                for t in terms.iter().filter(|t| could_begin(t)) {
                    add(
                        &mut g,
                        code,
                        parse_term(&t.to_lowercase()),
                        case_of(t),
                        Some(language),
                        false,
                    );
                }
            }
        }
        for t in self.supplement.not_places.iter().filter(|t| could_begin(t)) {
            add(
                &mut g,
                NOT_A_PLACE,
                parse_term(&t.to_lowercase()),
                case_of(t),
                None,
                false,
            );
        }
        g
    }

    /// The country whose country-code domain `host` is under (`.ru`,
    /// `.com.br`, `.co.uk`), with its name; none for generic domains and
    /// for country codes sold as generic ones ([`GENERIC_COUNTRY_DOMAINS`]).
    pub fn country_of_host(&self, host: &str) -> Option<(String, String)> {
        let tld = host.trim_end_matches('.').rsplit('.').next()?;
        if tld.len() != 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let tld = tld.to_ascii_lowercase();
        if GENERIC_COUNTRY_DOMAINS.contains(&tld.as_str()) {
            return None;
        }
        let code = if tld == "uk" {
            "GB".to_owned()
        } else {
            tld.to_ascii_uppercase()
        };
        let name = self.names.get(&code)?.clone();
        Some((code, name))
    }

    /// The countries an article refers to (not those it names only in
    /// passing), most salient first; `language` (ISO 639-1) limits
    /// foreign-language names to their own language.
    pub fn find(&self, title: &str, body: &str, language: Option<&str>) -> Vec<CountryMention> {
        self.find_in(&Tokens::new(title, body), language, &[])
            .countries
    }

    /// [`Gazetteer::find`] on an already tokenized article, with the
    /// leaders and officials it names: a head of state named refers to the
    /// state ("Trump said").
    pub fn find_in(
        &self,
        tokens: &Tokens,
        language: Option<&str>,
        office_holders: &[OfficeHolder],
    ) -> CountriesFound {
        // Only names that can apply to the language are looked for: a name
        // of another language would be skipped below anyway, and never
        // blocks a shorter name it overlaps.
        // A short text (a one-line page) would pay for its language's whole
        // index, or every language's when its own is unknown: unless that
        // index is built, only the names its words could begin are
        // drafted, for it alone.
        let slot = &self.indexes[index_slot(language)];
        let own;
        let chosen = if slot.get().is_none() && tokens.len() <= SHORT_TEXT_TOKENS {
            let short = ShortText::new(tokens);
            own = LanguageIndex::new(self.draft(language, Some(&short)));
            &own
        } else {
            self.index_for(language)
        };
        let entries = &chosen.entries;
        let found = chosen.find_all(tokens);
        // Longest match wins where matches overlap ("North Korea" over "Korea").
        let mut taken = vec![false; tokens.len()];
        let mut ordered = found;
        // Of one span's names, the country's own beat a subdivision's
        // ("Santiago" the capital of Chile, not the Dominican province).
        ordered.sort_by_key(|&(id, start, end, _)| {
            (
                std::cmp::Reverse(end - start),
                start,
                entries[id].subdivision,
            )
        });
        // A name seen as part of a person's name ("Michael Jordan", "Brock
        // Nelson") is that person everywhere in the article ("Jordan said").
        let person_names: HashSet<usize> = ordered
            .iter()
            .filter(|&&(id, start, end, _)| {
                (entries[id].ambiguous && part_of_longer_name(tokens, start, end))
                    || (entries[id].subdivision && after_a_first_name(tokens, start))
            })
            .map(|&(id, _, _, _)| id)
            .collect();
        let mut counts: BTreeMap<&str, Count> = BTreeMap::new();
        for (id, start, end, compound_part) in ordered {
            let entry = &entries[id];
            if taken[start..end].iter().any(|t| *t)
                || person_names.contains(&id)
                // A subdivision's name within a longer one: "Porto Velho".
                || (entry.subdivision && part_of_longer_name(tokens, start, end))
                || !self.applies(entry, tokens, start, language)
            {
                continue;
            }
            // A compound's parts each name their country ("Russia-Ukraine"),
            // within a word no whole name took.
            if !compound_part {
                taken[start..end].iter_mut().for_each(|t| *t = true);
            }
            if entry.code == NOT_A_PLACE {
                continue;
            }
            let c = counts.entry(entry.code.as_str()).or_default();
            c.mentions += 1;
            c.first_token = c.first_token.min(start);
            if tokens[start].in_title {
                c.in_title += 1;
            }
            c.cite(tokens.span(start, end), 1, tokens[start].in_title);
            if entry.subdivision {
                c.subdivision_mentions += 1;
                c.subdivision_in_title |= tokens[start].in_title;
                continue;
            }
            // "Washington said": a government speaking, whoever else is named.
            let speaks = tokens
                .get(end)
                .is_some_and(|_| METONYM_VERBS.contains(&tokens.text(end)));
            // "in Washington", "nach Sofia": the place, not the person.
            let placed = entry.place_after_preposition
                && start.checked_sub(1).is_some_and(|before| {
                    tokens[before].in_title == tokens[start].in_title
                        && LOCATIVE_PREPOSITIONS.contains(&tokens.text(before))
                });
            c.named |= !entry.ambiguous || speaks || placed || has_state_role(tokens, start, end);
        }
        for holder in office_holders {
            if let Some(code) = self
                .names
                .get_key_value(holder.country)
                .map(|(k, _)| k.as_str())
            {
                let c = counts.entry(code).or_default();
                c.mentions += holder.mentions;
                c.first_token = c.first_token.min(holder.first_token);
                c.named = true;
                c.cite(&holder.name.to_lowercase(), holder.mentions, false);
            }
        }
        // Ambiguous names alone do not make a country; a subdivision's
        // name does in the country's own press (local news names the
        // province, not the country), where the article dwells on it or
        // heads with it.
        counts.retain(|code, c| {
            c.named
                || ((c.subdivision_in_title || c.subdivision_mentions >= MIN_SUBDIVISION_MENTIONS)
                    && language.is_some_and(|l| spoken_in(code, l)))
        });
        let total: u32 = counts.values().map(|c| c.mentions + c.in_title).sum();
        let reading_ends = tokens.body_start() + READING_WORDS;
        let mut found = CountriesFound::default();
        for (code, mut c) in counts {
            let read = c.first_token < reading_ends;
            let mention = CountryMention {
                code: code.to_owned(),
                name: self.names.get(code).cloned().unwrap_or_default(),
                mentions: c.mentions,
                evidence: {
                    c.evidence
                        .sort_by(|a, b| b.count.cmp(&a.count).then(a.term.cmp(&b.term)));
                    c.evidence.truncate(MAX_EVIDENCE);
                    c.evidence
                },
                salience: (f64::from(c.mentions + c.in_title) / f64::from(total.max(1)) * 1000.0)
                    .round()
                    / 1000.0,
            };
            if read {
                found.countries.push(mention);
            } else {
                found.in_passing.push(mention);
            }
        }
        for list in [&mut found.countries, &mut found.in_passing] {
            list.sort_by(|a, b| b.salience.total_cmp(&a.salience).then(a.code.cmp(&b.code)));
        }
        found
    }

    /// Builds every language's index now rather than on first use: for a
    /// long-running process, whose first articles should not pay it, and
    /// for timings of articles alone.
    pub fn build_indexes(&self) {
        for language in INDEX_LANGUAGES
            .iter()
            .map(|l| Some(*l))
            .chain([Some("xx"), None])
        {
            self.index_for(language);
        }
    }

    /// The names `language` can use and their index, built on first use.
    fn index_for(&self, language: Option<&str>) -> &LanguageIndex {
        self.indexes[index_slot(language)]
            .get_or_init(|| LanguageIndex::new(self.draft(language, None)))
    }

    /// Whether a match of `entry` at `start` can name the country: the
    /// article's language uses the name, and proper names are capitalized.
    fn applies(
        &self,
        entry: &Entry,
        tokens: &Tokens,
        start: usize,
        language: Option<&str>,
    ) -> bool {
        if let (Some(languages), Some(language)) = (&entry.languages, language)
            && !languages.contains(&language)
        {
            return false;
        }
        let token = &tokens[start];
        // German writes a country's adjective in lower case; capitalized
        // and bare inside a sentence it is the language ("auf
        // Französisch", "spricht Spanisch"), not the country.
        let german_language_name = language == Some("de")
            && token.capitalized
            && !token.sentence_start
            && tokens.text(start).ends_with("isch");
        // Beside a word for language, an adjective names the language:
        // "die deutsche Sprache", "the English language", "la langue
        // française", "w języku polskim", "на русском языке".
        let is_language_noun =
            |i: usize| i < tokens.len() && LANGUAGE_NOUNS.contains(&tokens.text(i));
        let language_adjective =
            start.checked_sub(1).is_some_and(is_language_noun) || is_language_noun(start + 1);
        (!entry.proper || token.capitalized)
            && (!entry.acronym || token.all_caps)
            && !german_language_name
            && !language_adjective
    }
}

/// Words for "language" in the gazetteer's languages, as [`Tokens`] write
/// them: a demonym beside one names a language, not a country.
const LANGUAGE_NOUNS: &[&str] = &[
    "language",
    "languages",
    "sprache",
    "sprachen",
    "langue",
    "langues",
    "lengua",
    "lenguas",
    "idioma",
    "lingua",
    "lingue",
    "língua",
    "taal",
    "język",
    "języka",
    "języku",
    "językiem",
    "язык",
    "языка",
    "языке",
    "языком",
    "языку",
    "мова",
    "мови",
    "мовою",
];

/// Arabic's one-letter words written joined to the next ("و" and, "ب"
/// in, "ل" for, "ف" so, "ك" like), alone and in pairs.
const PROCLITICS: &[&str] = &["و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل", "وك"];

/// An Arabic name with a proclitic joined to its first word; "ل" and the
/// article "ال" make "لل" ("للولايات المتحدة").
/// Only the forms whose first word `could_match` are built.
fn with_proclitics(name: &str, could_match: &dyn Fn(&str) -> bool) -> Vec<Vec<PhraseWord>> {
    let (first, rest) = name.split_once(' ').unwrap_or((name, ""));
    if first.chars().count() < 3 {
        return Vec::new();
    }
    let mut firsts: Vec<String> = PROCLITICS.iter().map(|p| format!("{p}{first}")).collect();
    if let Some(after_article) = first.strip_prefix("ال") {
        firsts.extend(["لل", "ولل", "فلل"].map(|p| format!("{p}{after_article}")));
    }
    firsts
        .into_iter()
        .filter(|f| could_match(f))
        .map(|f| {
            let joined = if rest.is_empty() {
                f
            } else {
                format!("{f} {rest}")
            };
            phrases::phrase(joined.split(' ').map(|w| (w, false)))
        })
        .collect()
}

/// Whether some word of the `short` text begins as `name`'s first word
/// does, as [`phrases::words`] writes it (lower case, no optional marks;
/// "ё" also as "е"), copying no more than that beginning:
/// [`ShortText::could_match`] looks at no more than the first
/// [`PREFIX_CHARS`] characters, and this runs for every name known.
fn beginning_could_match(name: &str, short: &ShortText) -> bool {
    let Some(first) = phrases::first_word(name) else {
        return false;
    };
    let beginning: String = first
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !super::script::is_optional_mark(*c))
        .take(PREFIX_CHARS)
        .collect();
    short.could_match(&beginning)
        || (beginning.contains('ё') && short.could_match(&beginning.replace('ё', "е")))
}

/// Fewest characters of a usable name: two in scripts whose characters are
/// syllables or words (미국, 日本), three in alphabets (shorter ones are
/// codes: "UK" and "US" are listed as acronyms).
fn min_name_chars(name: &str) -> usize {
    if name.chars().next().is_some_and(super::script::is_syllabic) {
        2
    } else {
        3
    }
}

/// Whether `language` is spoken in the country `code`.
fn spoken_in(code: &str, language: &str) -> bool {
    COUNTRIES
        .iter()
        .find(|c| c.code == code)
        .is_some_and(|c| c.languages.contains(&language))
}

/// How a supplement term must be written in the text: a capital first
/// letter marks a proper name ("Poles", not "poles"), capitals only an
/// acronym ("US", not "us").
fn case_of(term: &str) -> (bool, bool) {
    let proper = term.chars().next().is_some_and(char::is_uppercase);
    let letters = term.chars().filter(|c| c.is_alphabetic()).count();
    let acronym = letters >= 2 && !term.chars().any(char::is_lowercase);
    (proper, acronym)
}

/// Offices and organs only a state has, next to a name: "the president of
/// Niger", "Jordan's king", "Chad's army" are the countries, whatever else
/// the name can mean.
const STATE_ROLES: &[&str] = &[
    "president",
    "government",
    "minister",
    "ministry",
    "leader",
    "army",
    "military",
    "embassy",
    "ambassador",
    "parliament",
    "junta",
    "king",
    "capital",
    "authorities",
];

/// Whether the name at `start..end` is "ROLE of NAME" or "NAME's ROLE".
fn has_state_role(tokens: &Tokens, start: usize, end: usize) -> bool {
    let role = |i: usize| i < tokens.len() && STATE_ROLES.contains(&tokens.text(i));
    let before = start >= 2 && tokens.text(start - 1) == "of" && role(start - 2);
    let after = end + 1 < tokens.len() && tokens.text(end) == "s" && role(end + 1);
    before || after
}

/// A capitalized word right before or after, in the same sentence: "Michael
/// Jordan", "George Washington", "Washington Post", "Georgia Tech".
/// Titles capitalize every word, so they say nothing.
fn part_of_longer_name(tokens: &Tokens, start: usize, end: usize) -> bool {
    after_a_name(tokens, start) || before_a_name(tokens, start, end)
}

/// A capitalized word right before, in the same sentence: "Willie Nelson",
/// "Queen Victoria".
fn after_a_name(tokens: &Tokens, start: usize) -> bool {
    let first = &tokens[start];
    !first.in_title && start > 0 && {
        let t = &tokens[start - 1];
        t.capitalized && !first.sentence_start && t.in_title == first.in_title
    }
}

/// [`after_a_name`] where that word is not the sentence's first, which is
/// capitalized whatever it is ("Olay, Samsun'un..." names no one): a
/// person's name for sure ("forward Brock Nelson scored").
fn after_a_first_name(tokens: &Tokens, start: usize) -> bool {
    after_a_name(tokens, start) && !tokens[start - 1].sentence_start
}

/// A capitalized word right after, in the same sentence.
fn before_a_name(tokens: &Tokens, start: usize, end: usize) -> bool {
    let first = &tokens[start];
    !first.in_title
        && tokens
            .get(end)
            .is_some_and(|t| t.capitalized && !t.sentence_start && t.in_title == first.in_title)
}

fn parse_term(term: &str) -> Vec<PhraseWord> {
    phrases::phrase(term.split(' ').map(|w| {
        let stem = w.ends_with('*');
        (w.trim_end_matches('*'), stem)
    }))
}

/// Case endings for the last word of a name in a declining language
/// ("Ukraina" -> "Ukrainy", "Ukrainie"; "Russland" -> "Russlands"). Listing
/// forms instead of matching stems keeps "Chile" from matching "children".
fn declined(name: &str, language: &str) -> Vec<Vec<PhraseWord>> {
    let endings: &[&str] = match language {
        "pl" => &[
            "y", "i", "ie", "ę", "ą", "o", "u", "ii", "ji", "a", "ów", "om", "ach", "em", "ami",
        ],
        "ru" => &[
            "а", "ы", "е", "у", "ой", "и", "ю", "ом", "ии", "ию", "ей", "я", "ем", "ах", "ам",
            "ами",
        ],
        "uk" => &[
            "а", "и", "і", "у", "ою", "ї", "ію", "ом", "я", "ю", "єю", "єм", "ах", "ам", "ами",
        ],
        "de" => &["s", "es"],
        // Finnish cases join the whole name ("Kiinassa", "Venäjän",
        // "Ranskaan"), both vowel-harmony spellings listed.
        "fi" => &[
            "n", "ssa", "ssä", "sta", "stä", "an", "ään", "hin", "lla", "llä", "lta", "ltä", "lle",
            "ksi", "na", "nä", "a", "ä",
        ],
        // Hungarian too ("Oroszországban", "Kínában", "Ukrajnának").
        "hu" => &[
            "ban", "ben", "ba", "be", "ból", "ből", "on", "en", "ön", "ra", "re", "ról", "ről",
            "nak", "nek", "hoz", "hez", "höz", "tól", "től", "val", "vel", "t", "ot", "et", "i",
        ],
        // Lithuanian replaces the final vowel ("Rusija" -> "Rusijos",
        // "Rusijoje", "Rusijai").
        "lt" => &["os", "oje", "ai", "ą", "a", "ose"],
        // Korean particles written joined to the noun ("미국은", "일본의",
        // "중국과"), and "-인" (a national), "-산" (made in).
        "ko" => &[
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "에서",
            "와",
            "과",
            "도",
            "로",
            "으로",
            "과의",
            "와의",
            "에서는",
            "에서의",
            "까지",
            "보다",
            "인",
            "산",
            "측",
        ],
        _ => &[],
    };
    let name = name.trim();
    let mut forms: Vec<Vec<PhraseWord>> = Vec::new();
    // "Соединённые штаты" is written "Соединенные" as often as not.
    let spellings = if language == "ru" && name.contains('ё') {
        vec![name.to_owned(), name.replace('ё', "е")]
    } else {
        vec![name.to_owned()]
    };
    for name in &spellings {
        let (head, last) = match name.rsplit_once(' ') {
            Some((h, l)) => (Some(h), l),
            None => (None, name.as_str()),
        };
        // German, Korean, Finnish and Hungarian add to the whole word;
        // Finnish joins a consonant with "i" ("Iranissa"), Hungarian
        // lengthens a final "a" or "e" ("Kína" -> "Kínában").
        let joins_whole = matches!(language, "de" | "ko" | "fi" | "hu");
        let ends_in_vowel = last.ends_with(|c: char| "aeiouyäöáéíóúőű".contains(c));
        let base: std::borrow::Cow<'_, str> = match language {
            "fi" if !ends_in_vowel => format!("{last}i").into(),
            "hu" if last.ends_with('a') => format!("{}á", &last[..last.len() - 1]).into(),
            "hu" if last.ends_with('e') => format!("{}é", &last[..last.len() - 1]).into(),
            _ if joins_whole => last.into(),
            _ => stem(last).unwrap_or(last).into(),
        };
        let last_endings = if indeclinable(last, language) {
            &[][..]
        } else {
            endings
        };
        for ending in last_endings {
            let word = format!("{base}{ending}");
            let full = match head {
                Some(h) => format!("{h} {word}"),
                None => word,
            };
            forms.push(phrases::phrase(
                full.split(' ').map(|w| (w.to_owned(), false)),
            ));
        }
        // Adjective and noun both decline ("Wielka Brytania" ->
        // "Wielką Brytanią", "Stany Zjednoczone" -> "Stanów Zjednoczonych"):
        // every word as a stem.
        if head.is_some() && !joins_whole {
            let stems: Option<Vec<(String, bool)>> = name
                .split(' ')
                .map(|w| phrase_stem(w).map(|s| (s.to_owned(), true)))
                .collect();
            if let Some(stems) = stems {
                forms.push(phrases::phrase(stems));
            }
        }
    }
    forms
}

/// A word without its one final vowel or soft sign, when what is left is
/// long enough to stand for the word ("Франция" -> "Франци", "Chiny" ->
/// "Chin"); `None` for short words.
fn stem(word: &str) -> Option<&str> {
    let base = match word.chars().last() {
        Some(c) if STEM_ENDINGS.contains(&c) => &word[..word.len() - c.len_utf8()],
        _ => word,
    };
    (base.chars().count() >= MIN_STEM_CHARS).then_some(base)
}

/// Whether a name keeps one form in every case: in Polish (below), and in
/// Russian and Ukrainian foreign names ending in -о, -е, -и, -у, -ю, -і
/// ("Того", "Перу", "Чили") or in a vowel and -а ("Самоа"); declining them
/// anyway makes words ("Самое", "the most").
fn indeclinable(word: &str, language: &str) -> bool {
    // Polish leaves foreign names in -i, -e and -u as they are ("w Malawi",
    // "z Chile", "do Peru"): their "declined" forms are other words and
    // places ("Malawa", "chili"). Plurals in -ie decline ("Indie",
    // "w Indiach").
    if language == "pl" {
        return word.ends_with(['i', 'u']) || (word.ends_with('e') && !word.ends_with("ie"));
    }
    if !matches!(language, "ru" | "uk") {
        return false;
    }
    let mut rev = word.chars().rev();
    let (last, before) = (rev.next(), rev.next());
    let vowel = |c: char| "аеёиіїоуыэюяє".contains(c);
    match last {
        Some(c) if "оеиуюі".contains(c) => true,
        Some('а') => before.is_some_and(|b| vowel(b) && !matches!(b, 'и' | 'і')),
        _ => false,
    }
}

/// A word of a declined phrase without all its final vowels, so that an
/// adjective's two-letter endings go too ("Северная" -> "Северн", matching
/// "Северной"), or without one when all would leave too little ("Корея" ->
/// "Коре").
fn phrase_stem(word: &str) -> Option<&str> {
    let base = word.trim_end_matches(STEM_ENDINGS);
    if base.chars().count() >= MIN_STEM_CHARS {
        Some(base)
    } else {
        stem(word)
    }
}

/// The language whose declension a Cyrillic name follows: Ukrainian when
/// it has a letter Russian lacks.
fn cyrillic_language(name: &str) -> Option<&'static str> {
    if !name.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c)) {
        return None;
    }
    Some(
        if name.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ')) {
            "uk"
        } else {
            "ru"
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_find_what_the_full_index_finds() {
        let every_name = Gazetteer::built_in().unwrap();
        every_name.build_indexes();
        let short = Gazetteer::built_in().unwrap();
        let texts = [
            "NATO leaders met in Vilnius; Ukraine, Poland and the United States signed.",
            "Rząd Ukrainy i władze Rosji rozmawiały z Wielką Brytanią oraz Stanami Zjednoczonymi.",
            "Президент России встретился с лидерами Украины, США и Китая в Москве.",
            "Переговори між Україною та Росією, Сполученими Штатами і Францією.",
            "Russlands Präsident und die Regierung Deutschlands, der Bundestag in Berlin.",
            "Michael Jordan said Jordan would play; the president of Niger spoke.",
            "Georgia's capital Tbilisi and Atlanta, Georgia, hosted talks.",
            "La Côte d'Ivoire et le Kremlin; l'Élysée a répondu à Downing Street.",
            "Los españoles y los mexicanos; Brasil e Portugal; os brasileiros.",
            "Turkey and Chad, Guinea-Bissau and Papua New Guinea, Timor-Leste.",
            "The Poles and the French; poles and french fries.",
            "Соединённые Штаты и Соединенные Штаты, Великобритания.",
            "Sejm, Nationalrat, ÖVP, Tweede Kamer, Lok Sabha, the White House.",
            "Island und Grönland; an island near Greenland.",
            "Japan, South Korea and North Korea; Korea's leaders.",
            "İzmir ve Samsun'da; Türkiye ile Yunanistan görüştü.",
            "وتركيا وسوريا والعراق، للولايات المتحدة وروسيا.",
            "日本と中国、韓国の首脳が東京で会談した。",
            "미국은 일본의 중국과 회담했다.",
            "Coronavirus in Bihar and Uttar Pradesh; the Paris Agreement.",
            "The Russia-Ukraine war; Vichy-Frankreich; US-Präsident; nicht-deutscher.",
            "One line of text.",
            "",
        ];
        let languages = [
            None,
            Some("en"),
            Some("de"),
            Some("fr"),
            Some("es"),
            Some("pl"),
            Some("ru"),
            Some("uk"),
            Some("tr"),
            Some("ar"),
            Some("ja"),
            Some("zh"),
            Some("ko"),
            Some("hi"),
            Some("xx"),
        ];
        let mut found = 0;
        for text in texts {
            let tokens = Tokens::new("", text);
            assert!(tokens.len() <= SHORT_TEXT_TOKENS, "{text}");
            for language in languages {
                found += every_name.find("", text, language).len();
                assert_eq!(
                    short.find("", text, language),
                    every_name.find("", text, language),
                    "{language:?}: {text}"
                );
                assert_eq!(
                    short.find(text, "", language),
                    every_name.find(text, "", language),
                    "{language:?}, title: {text}"
                );
            }
        }
        assert!(found >= 200, "{found} countries in all");
        // The short path built nothing to keep.
        assert!(short.indexes.iter().all(|slot| slot.get().is_none()));
    }

    #[test]
    fn every_language_index_builds_and_holds_its_names() {
        let g = Gazetteer::built_in().unwrap();
        let mut sizes = Vec::new();
        for language in INDEX_LANGUAGES
            .iter()
            .map(|l| Some(*l))
            .chain([Some("zu"), None])
        {
            let index = g.index_for(language);
            sizes.push(index.entries.len());
        }
        // Unknown language: every name; another language: the names every
        // language uses, which each language's index also holds.
        let all = sizes[sizes.len() - 1];
        let shared = sizes[sizes.len() - 2];
        assert!(all > 13_000, "{all}");
        assert!(
            sizes[..INDEX_LANGUAGES.len()]
                .iter()
                .all(|&n| n >= shared && n < all),
            "{sizes:?}"
        );
        // Polish, Russian and Ukrainian declensions are in their own only.
        for inflected in ["pl", "ru", "uk"] {
            assert!(sizes[index_slot(Some(inflected))] > shared * 2, "{sizes:?}");
        }
    }

    /// The codes found, sorted.
    fn sorted_codes(found: Vec<CountryMention>) -> Vec<String> {
        let mut c: Vec<String> = found.into_iter().map(|m| m.code).collect();
        c.sort();
        c
    }

    fn codes(g: &Gazetteer, title: &str, body: &str) -> Vec<String> {
        sorted_codes(g.find(title, body, None))
    }

    fn codes_in(g: &Gazetteer, body: &str, language: &str) -> Vec<String> {
        sorted_codes(g.find("", body, Some(language)))
    }

    #[test]
    fn names_demonyms_capitals_in_many_languages() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes(&g, "", "Der Kreml warnte vor den ukrainischen Angriffen."),
            ["RU", "UA"]
        );
        assert_eq!(
            codes(
                &g,
                "",
                "Polska przekaże Ukrainie czołgi, a Rosji grozi nowe sankcje."
            ),
            ["PL", "RU", "UA"]
        );
        assert_eq!(
            codes(
                &g,
                "",
                "Downing Street and the Elysee welcomed the Vilnius summit."
            ),
            ["FR", "GB", "LT"]
        );
        assert_eq!(
            codes(
                &g,
                "",
                "Pékin et Washington ont repris le dialogue avec Berlin."
            ),
            ["CN", "DE"]
        );
    }

    #[test]
    fn ambiguous_names_need_corroboration() {
        let g = Gazetteer::built_in().unwrap();
        // Atlanta is a US city; Georgia beside it is the state, not GE.
        assert_eq!(
            codes(&g, "", "Atlanta, Georgia: the governor signed the bill."),
            ["US"]
        );
        assert!(codes(&g, "", "Michael Jordan scored 30 points.").is_empty());
        assert!(codes(&g, "", "Roast the turkey for three hours.").is_empty());
        assert_eq!(
            codes(&g, "", "Georgia's parliament in Tbilisi voted on the bill."),
            ["GE"]
        );
        // After a preposition of place a name whose other meanings are no
        // places is the place; one that is also a place stays ambiguous.
        assert_eq!(
            codes_in(&g, "Das Schiedsgericht in Washington entschied.", "de"),
            ["US"]
        );
        assert_eq!(codes(&g, "", "Refugees arrived from Turkey."), ["TR"]);
        assert!(codes(&g, "", "Pippen passed to Jordan, who scored.").is_empty());
        assert!(codes(&g, "", "The rally in Georgia drew thousands.").is_empty());
        // Given names and surnames that are also places' names.
        assert!(codes_in(&g, "Mauricio Macri visitó la provincia.", "es").is_empty());
        assert!(codes_in(&g, "Nelson Mandela was freed in 1990.", "en").is_empty());
        assert!(codes_in(&g, "O deputado Paulo Lima votou contra.", "pt").is_empty());
        assert_eq!(codes_in(&g, "La cumbre se celebró en Lima.", "es"), ["PE"]);
        assert_eq!(codes_in(&g, "Turistas llegaron en Mauricio.", "es"), ["MU"]);
    }

    #[test]
    fn polish_leaves_foreign_names_in_i_e_u_undeclined() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "Pomoc dla Malawi i Chile.", "pl"),
            ["CL", "MW"]
        );
        // "Malawa" is a village, "chili" a pepper: not forms of the names.
        assert!(codes_in(&g, "Samolot spadł koło miejscowości Malawa.", "pl").is_empty());
        assert!(codes_in(&g, "Dodaj sos chili i czosnek.", "pl").is_empty());
        // Plurals in -ie decline.
        assert_eq!(codes_in(&g, "Wybory w Indiach trwają.", "pl"), ["IN"]);
    }

    #[test]
    fn dutch_adjectives_of_nationality_must_be_capitalized() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "De Poolse regering en de Finse premier.", "nl"),
            ["FI", "PL"]
        );
        assert!(codes_in(&g, "The hotel has two heated pools.", "en").is_empty());
        assert!(codes_in(&g, "Três fins de semana, sem fins lucrativos.", "pt").is_empty());
    }

    #[test]
    fn the_congos_long_name_is_the_democratic_republic() {
        let g = Gazetteer::built_in().unwrap();
        for (text, language) in [
            ("Kämpfe in der Demokratischen Republik Kongo.", "de"),
            ("Walki w Demokratycznej Republice Konga.", "pl"),
            ("Combates en la República Democrática del Congo.", "es"),
        ] {
            assert_eq!(codes_in(&g, text, language), ["CD"], "{text}");
        }
    }

    #[test]
    fn each_country_cites_the_words_that_named_it() {
        let g = Gazetteer::built_in().unwrap();
        let found = g.find(
            "Kyiv asks for air defence",
            "Ukraine's president spoke in Kyiv. Ukrainian troops held. Ukraine waits.",
            Some("en"),
        );
        assert_eq!(found.len(), 1);
        let terms: Vec<(&str, u32, bool)> = found[0]
            .evidence
            .iter()
            .map(|e| (e.term.as_str(), e.count, e.in_title))
            .collect();
        assert_eq!(
            terms,
            [
                ("kyiv", 2, true),
                ("ukraine", 2, false),
                ("ukrainian", 1, false)
            ]
        );
        assert_eq!(found[0].mentions, 5);
        // A compound cites the word it is in; a two-word name both words.
        let found = g.find(
            "",
            "Die Russland-Ukraine-Gespräche in Nordkorea",
            Some("de"),
        );
        let cited: Vec<&str> = found
            .iter()
            .flat_map(|m| m.evidence.iter().map(|e| e.term.as_str()))
            .collect();
        assert!(cited.contains(&"russland-ukraine-gespräche"), "{cited:?}");
        let found = g.find("", "Talks with North Korea resumed.", Some("en"));
        assert_eq!(found[0].evidence[0].term, "north korea");
    }

    #[test]
    fn the_seed_names_its_eleven_countries() {
        let g = Gazetteer::built_in().unwrap();
        let seed = include_str!("../../../examples/pages/seed-paragraphs.txt");
        let title =
            "NATO summit: in the absence of membership, Ukraine obtains new security guarantees";
        let found = g.find(title, seed, Some("en"));
        let got: Vec<&str> = {
            let mut v: Vec<&str> = found.iter().map(|m| m.code.as_str()).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(
            got,
            [
                "CA", "DE", "FI", "FR", "GB", "IT", "JP", "LT", "RU", "UA", "US"
            ]
        );
        assert_eq!(found[0].code, "UA");
    }

    #[test]
    fn demonym_nouns_and_irregular_forms_apply_in_their_language_only() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(
                &g,
                "Der Österreicher schlug den Briten und zwei Franzosen.",
                "de"
            ),
            ["AT", "FR", "GB"]
        );
        assert_eq!(
            codes_in(&g, "De Duitser en twee Belgen reden naar huis.", "nl"),
            ["BE", "DE"]
        );
        assert_eq!(
            codes_in(&g, "Francuzi i Węgrzy grali w Polsce i we Włoszech.", "pl"),
            ["FR", "HU", "IT", "PL"]
        );
        assert_eq!(
            codes_in(
                &g,
                "Немцы и поляки приехали в Красноярск, сообщает Минобороны РФ.",
                "ru"
            ),
            ["DE", "PL", "RU"]
        );
        // "Pole" is a Pole in German, a stick in English.
        assert_eq!(codes_in(&g, "Der Pole gewann.", "de"), ["PL"]);
        assert!(codes_in(&g, "The Pole Star was bright.", "en").is_empty());
    }

    #[test]
    fn capitals_as_each_language_writes_them() {
        let g = Gazetteer::built_in().unwrap();
        let codes = |text: &str, language: &str| codes_in(&g, text, language);
        assert_eq!(
            codes("Il vertice sul clima a Parigi e a Londra.", "it"),
            ["FR", "GB"]
        );
        assert_eq!(codes("De top in Londen en Kopenhagen.", "nl"), ["DK", "GB"]);
        assert_eq!(
            codes("Spotkanie w Warszawie i w Wiedniu.", "pl"),
            ["AT", "PL"]
        );
        assert_eq!(codes("Der Papst in Rom.", "de"), ["IT"]);
        // Towns of a dateline ("Wels –"), the way German and Austrian news open.
        assert_eq!(codes("Wels – Die Polizei ermittelt.", "de"), ["AT"]);
        assert_eq!(
            codes("Mainz – Die Staatsanwaltschaft sieht ab.", "de"),
            ["DE"]
        );
        assert_eq!(codes("Встреча в Вене и в Москве.", "ru"), ["AT", "RU"]);
        // Where the word is another one, it is left to its language.
        assert_eq!(codes("Sinti und Roma feiern.", "de"), Vec::<String>::new());
        assert_eq!(codes("Il est seul à Lyon.", "fr"), ["FR"]);
        assert_eq!(codes("Die Göttin Athene.", "de"), Vec::<String>::new());
        assert_eq!(codes("Het overleg in Athene.", "nl"), ["GR"]);
        // A first name as well as Geneva: Geneva only with Switzerland named.
        assert_eq!(
            codes("Ginevra Elkann ha parlato.", "it"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_subdivision_makes_its_country_in_that_countrys_own_press() {
        let g = Gazetteer::built_in().unwrap();
        let with_title = |title: &str, body: &str, language: &str| {
            sorted_codes(g.find(title, body, Some(language)))
        };
        // Local news names the state, not the country: in the title, or
        // twice in the text.
        assert_eq!(
            with_title(
                "Coronavirus in Bihar: record cases",
                "The state announced a lockdown.",
                "en"
            ),
            ["IN"]
        );
        assert_eq!(
            codes_in(&g, "A flood in Rondônia. Rondônia asked for help.", "pt"),
            ["BR"]
        );
        assert_eq!(
            with_title(
                "Samsun'da iki çocuk hastanelik oldu",
                "Olay, Samsun'un ilçesinde.",
                "tr"
            ),
            ["TR"]
        );
        // Once in passing is not enough.
        assert_eq!(
            codes_in(&g, "Ein Gast aus Tucumán war da.", "es"),
            Vec::<String>::new()
        );
        // Another country's press names the country itself: a German
        // article's "Misiones" alone is no evidence of Argentina.
        assert_eq!(
            codes_in(&g, "Misiones. In Misiones regnet es.", "de"),
            Vec::<String>::new()
        );
        // Part of a person's or a town's name: "Brock Nelson", "Porto
        // Velho" (Porto is a Portuguese district).
        assert_eq!(
            codes_in(
                &g,
                "Forward Brock Nelson scored. Nelson said it was luck.",
                "en"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            codes_in(
                &g,
                "Em Porto Velho, a polícia. Depois, em Porto Velho.",
                "pt"
            ),
            Vec::<String>::new()
        );
        // A subdivision that holds its country's name names the country.
        assert_eq!(
            codes_in(
                &g,
                "Researchers at the University of South Australia.",
                "en"
            ),
            ["AU"]
        );
    }

    #[test]
    fn short_forms_and_feminine_nouns_of_demonyms() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(codes_in(&g, "Het klimaat in Brittannië.", "nl"), ["GB"]);
        assert_eq!(
            codes_in(&g, "Braziliaanse boeren protesteren.", "nl"),
            ["BR"]
        );
        assert_eq!(codes_in(&g, "Brytyjka zdobyła medal.", "pl"), ["GB"]);
        assert_eq!(codes_in(&g, "Rozmowy w Waszyngtonie.", "pl"), ["US"]);
        assert_eq!(codes_in(&g, "El productor brasilero.", "es"), ["BR"]);
    }

    #[test]
    fn finnish_hungarian_and_lithuanian_names_take_their_case_endings() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(
                &g,
                "Tapaaminen Kiinassa ja Venäjän kanssa, sitten Iranissa.",
                "fi"
            ),
            ["CN", "IR", "RU"]
        );
        assert_eq!(
            codes_in(&g, "Tárgyalások Oroszországban és Kínában.", "hu"),
            ["CN", "RU"]
        );
        assert_eq!(
            codes_in(&g, "Rusijos ir Lenkijos vadovai susitiko Ukrainoje.", "lt"),
            ["PL", "RU", "UA"]
        );
        // Not in another language's text.
        assert_eq!(codes_in(&g, "Kiinassa", "de"), Vec::<String>::new());
    }

    #[test]
    fn both_ends_of_a_hyphenated_compound_name_countries() {
        let g = Gazetteer::built_in().unwrap();
        let none = Vec::<String>::new();
        assert_eq!(codes_in(&g, "The Russia-Ukraine war.", "en"), ["RU", "UA"]);
        assert_eq!(
            codes_in(&g, "Der Film über Vichy-Frankreich.", "de"),
            ["FR"]
        );
        // Not after a negation, not a short last part ("Rom" in "CD-Rom"),
        // not a continent ("Noord-Amerika").
        assert_eq!(codes_in(&g, "Kinder nicht-deutscher Herkunft.", "de"), none);
        assert_eq!(codes_in(&g, "Eine alte CD-Rom.", "de"), none);
        assert_eq!(codes_in(&g, "Reizen door Noord-Amerika.", "nl"), none);
        // The dative plural of a plural name.
        assert_eq!(codes_in(&g, "Er kommt aus den Niederlanden.", "de"), ["NL"]);
    }

    #[test]
    fn set_phrases_verbs_and_currencies_name_no_country() {
        let g = Gazetteer::built_in().unwrap();
        let none = Vec::<String>::new();
        // A treaty or a newspaper named after a city.
        assert_eq!(
            codes_in(&g, "Gli obiettivi dell'accordo di Parigi.", "it"),
            none
        );
        assert_eq!(codes_in(&g, "Nach dem Pariser Abkommen.", "de"), none);
        assert_eq!(codes_in(&g, "The New York Times reported it.", "en"), none);
        assert_eq!(codes_in(&g, "Der Gipfel in Paris.", "de"), ["FR"]);
        // The EU's asylum rules named after Dublin, in their compounds.
        assert_eq!(
            codes_in(
                &g,
                "Das Dublin-Verfahren und die Dublin-III-Verordnung.",
                "de"
            ),
            none
        );
        assert_eq!(codes_in(&g, "Under the Dublin regulation.", "en"), none);
        assert_eq!(codes_in(&g, "Der Gipfel in Dublin.", "de"), ["IE"]);
        // Italian and Portuguese "usa" is "uses"; "Usa" is the country.
        assert_eq!(codes_in(&g, "Evitano la plastica usa e getta.", "it"), none);
        assert_eq!(codes_in(&g, "Il presidente degli Usa.", "it"), ["US"]);
        // "America" is the US, a continent's name is not.
        assert_eq!(codes_in(&g, "Trade with America fell.", "en"), ["US"]);
        assert_eq!(codes_in(&g, "Growth in Latin America fell.", "en"), none);
        assert_eq!(codes_in(&g, "Ein Fest in Lateinamerika.", "de"), none);
        // A price in US dollars.
        assert_eq!(
            codes_in(&g, "Der Preis stieg auf 80 US-Dollar.", "de"),
            none
        );
        assert_eq!(codes_in(&g, "Der US-Präsident sprach.", "de"), ["US"]);
    }

    #[test]
    fn arabic_names_without_vowel_marks_and_with_joined_words() {
        let g = Gazetteer::built_in().unwrap();
        // The dictionary's "تركيّا" (shadda) is news's "تركيا"; Iran's
        // official name holds a comma; "و" (and) is joined to the name.
        assert_eq!(codes_in(&g, "زيارة إلى تركيا", "ar"), ["TR"]);
        assert_eq!(codes_in(&g, "الرئيس في إيران", "ar"), ["IR"]);
        assert_eq!(codes_in(&g, "بين سوريا وتركيا", "ar"), ["SY", "TR"]);
        assert_eq!(codes_in(&g, "رسالة للولايات المتحدة", "ar"), ["US"]);
        // The common names news uses where the official ones are listed.
        assert_eq!(codes_in(&g, "روسيا وبريطانيا", "ar"), ["GB", "RU"]);
    }

    #[test]
    fn chinese_and_japanese_names_are_runs_of_characters() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "美國與中國的貿易戰持續升溫。", "zh"),
            ["CN", "US"]
        );
        assert_eq!(
            codes_in(&g, "日本と韓国の首脳会談が開かれた。", "ja"),
            ["JP", "KR"]
        );
        // A katakana run is one word: Indonesia is not India, a title
        // (タイトル) is not Thailand (タイ).
        assert_eq!(codes_in(&g, "インドネシアの首都", "ja"), ["ID"]);
        assert_eq!(codes_in(&g, "記事のタイトル", "ja"), Vec::<String>::new());
        assert_eq!(codes_in(&g, "タイの首相", "ja"), ["TH"]);
        // The longer name takes its characters: Indonesia, not India.
        assert_eq!(codes_in(&g, "印度尼西亚总统", "zh"), ["ID"]);
    }

    #[test]
    fn korean_names_with_their_particles() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "미국은 일본의 입장을 지지했다.", "ko"),
            ["JP", "US"]
        );
        assert_eq!(
            codes_in(&g, "한국과 북한은 회담을 열었다.", "ko"),
            ["KP", "KR"]
        );
    }

    #[test]
    fn turkish_dotted_capital_i_matches_names_written_with_i() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "İzmir'de deprem. İstanbul'da da hissedildi.", "tr"),
            ["TR"]
        );
        assert_eq!(phrases::words("İzmir").collect::<Vec<_>>(), ["izmir"]);
    }

    #[test]
    fn names_in_scripts_without_case_apply_in_their_language() {
        let g = Gazetteer::built_in().unwrap();
        // Arabic, Persian and Hindi have no capitals: every word is written
        // as a name is.
        let codes = |text: &str, language: &str| codes_in(&g, text, language);
        assert_eq!(codes("مصر تسجل 30 إصابة جديدة", "ar"), ["EG"]);
        assert_eq!(codes("جنوری میں بھارت کی برآمدات", "ur"), ["IN"]);
        assert_eq!(codes("जनवरी में भारत का निर्यात गिरा", "hi"), ["IN"]);
        assert_eq!(
            codes("Coronavirus rammer trafikken i Danmark", "da"),
            ["DK"]
        );
        // "Financial" in Persian is written as Mali is: not Mali alone.
        assert_eq!(codes("تحلیل مالی بورس تهران و ایران", "fa"), ["IR"]);
    }

    #[test]
    fn acronyms_must_be_written_in_capitals() {
        let g = Gazetteer::built_in().unwrap();
        assert_eq!(
            codes_in(&g, "Der US-Präsident sprach mit der UK-Regierung.", "de"),
            ["GB", "US"]
        );
        assert_eq!(
            codes_in(&g, "The US and the UK signed.", "en"),
            ["GB", "US"]
        );
        assert!(codes_in(&g, "Tell us what you think, they asked us.", "en").is_empty());
        // A price in US dollars is not the country.
        assert!(codes_in(&g, "A empresa recebeu US$ 130 milhões.", "pt").is_empty());
    }

    #[test]
    fn austrias_government_needs_germany_named_to_be_germanys() {
        let g = Gazetteer::built_in().unwrap();
        assert!(codes_in(&g, "Die Bundesregierung beschloss das Budget.", "de").is_empty());
        assert_eq!(
            codes_in(
                &g,
                "Die Bundesregierung in Berlin beschloss das Budget.",
                "de"
            ),
            ["DE"]
        );
        // A language, and compounds of it, are not the country; nor is a
        // first name ("Francesco", the Dutch "Frans").
        assert!(codes_in(&g, "Sie spricht Französisch und Spanisch.", "de").is_empty());
        // Beside a word for language, the adjective is the language.
        assert!(codes_in(&g, "Ein Gefühl für die deutsche Sprache.", "de").is_empty());
        assert!(codes_in(&g, "Der Film läuft auf Englisch.", "de").is_empty());
        assert_eq!(
            codes_in(&g, "Er spielt in der englischen Liga.", "de"),
            ["GB"]
        );
        assert!(codes_in(&g, "Courses in the English language.", "en").is_empty());
        assert!(codes_in(&g, "Книга вышла на русском языке.", "ru").is_empty());
        assert!(codes_in(&g, "Kurs języka polskiego, w języku polskim.", "pl").is_empty());
        assert_eq!(
            codes_in(&g, "Die deutsche Regierung widersprach.", "de"),
            ["DE"]
        );
        assert_eq!(codes_in(&g, "Französische Truppen landeten.", "de"), ["FR"]);
        assert!(codes_in(&g, "Papa Francesco ha parlato.", "it").is_empty());
        assert!(codes_in(&g, "Frans de Waal schreef een boek.", "nl").is_empty());
        assert!(
            codes_in(
                &g,
                "Der Kurs ist auf Deutsch, Deutschkenntnisse helfen.",
                "de"
            )
            .is_empty()
        );
    }

    #[test]
    fn terms_of_an_unknown_language_or_country_are_refused() {
        let base = "[by_language.xx]\nAT = [\"Österreicher*\"]\n";
        let err = Gazetteer::with_supplement(base).err().unwrap().to_string();
        assert!(err.contains("by_language.xx"), "{err}");
        let err = Gazetteer::with_supplement("[by_language.de]\nQQ = [\"Quux\"]\n")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("QQ"), "{err}");
    }
}
