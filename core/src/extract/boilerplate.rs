//! Element-level boilerplate rules: which containers are navigation, ads,
//! share bars, related links, comments, newsletter boxes, consent banners...
//!
//! Decided from the tag, ARIA role, `id` and `class` only. Names are split
//! into words at spaces, hyphens and underscores (so `ad` never matches
//! `header` or `shadow`), and each word, and each pair of neighbouring words
//! run together (`read-more` -> `readmore`), is looked up in word tables
//! built once. Substring rules (consent platforms, article markers) run as
//! one Aho-Corasick automaton. Whether a match is obeyed is decided later,
//! with the text statistics in hand: a container that holds most of the
//! page's text is never dropped because of a class name.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::dom::Tag;

/// What cleaning removed, by kind: the keys of the record's `removed` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Consent,
    Nav,
    Footer,
    Ads,
    Share,
    Related,
    Comments,
    Newsletter,
    Paywall,
    Sidebar,
    Meta,
    Caption,
    Hidden,
    Embeds,
    Credits,
    Form,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Consent => "consent",
            Kind::Nav => "nav",
            Kind::Footer => "footer",
            Kind::Ads => "ads",
            Kind::Share => "share",
            Kind::Related => "related",
            Kind::Comments => "comments",
            Kind::Newsletter => "newsletter",
            Kind::Paywall => "paywall",
            Kind::Sidebar => "sidebar",
            Kind::Meta => "meta",
            Kind::Caption => "caption",
            Kind::Hidden => "hidden",
            Kind::Embeds => "embeds",
            Kind::Credits => "credits",
            Kind::Form => "form",
        }
    }
}

/// The boilerplate verdict and content weight for one element.
#[derive(Debug, Clone, Copy, Default)]
pub struct Verdict {
    pub kind: Option<Kind>,
    /// Readability-style class weight: positive for article-ish names.
    pub weight: f32,
    /// Names such as `articleBody` or `entry-content` that mark the main text.
    pub article_marker: bool,
}

/// Word rules per kind, in priority order: (kind, exact words, word prefixes).
const WORD_RULES: &[(Kind, &[&str], &[&str])] = &[
    (
        Kind::Share,
        &[
            "teilen",
            "partage",
            "partager",
            "compartir",
            "condividi",
            "udostepnij",
            "partilhar",
            "delen",
            "sharing",
            "sharedaddy",
            "addtoany",
            "printbutton",
            "emailshare",
            "followus",
            "socials",
            "sociallinks",
        ],
        &["share", "social", "addthis", "a2a"],
    ),
    (
        Kind::Related,
        &[
            "verwandte",
            "weitere",
            "relacionadas",
            "relacionados",
            "relacionada",
            "correlati",
            "lireaussi",
            "podobne",
            "powiazane",
            "gerelateerd",
            "zobacztez",
            "leesook",
            "mehrzumthema",
            "zumthema",
            "articleslies",
            "voiraussi",
            "leggianche",
            "leiatambem",
            "morestories",
            "morearticles",
            "readmore",
            "alsoread",
            "seealso",
            "popular",
            "mostread",
            "mostpopular",
            "mostviewed",
            "mostshared",
            "nextpost",
            "prevpost",
            "previouspost",
            "postnavigation",
            "navlinks",
            "furtherreading",
            "latestnews",
            "latestposts",
            "latestarticles",
            "lateststories",
            "topstories",
            "moreon",
        ],
        &[
            "related",
            "recommend",
            "trending",
            "recirc",
            "yarpp",
            "taboola",
            "outbrain",
            "zergnet",
            "youmay",
            "morefrom",
        ],
    ),
    (
        Kind::Comments,
        &[
            "kommentare",
            "kommentar",
            "commentaires",
            "comentarios",
            "commenti",
            "komentarze",
            "reacties",
            "comment",
            "comments",
            "commentlist",
            "respond",
            "discussion",
            "responses",
        ],
        &["comment", "disqus"],
    ),
    (
        Kind::Newsletter,
        &[
            "abonnieren",
            "abonnement",
            "suscripcion",
            "suscribete",
            "iscriviti",
            "prenumerata",
            "nieuwsbrief",
            "inscription",
            "signup",
            "mailchimp",
            "optin",
            "emailsignup",
            "inlinesignup",
        ],
        &["newsletter", "subscribe", "subscription", "mc4wp", "optin"],
    ),
    (
        Kind::Ads,
        &[
            "werbung",
            "anzeige",
            "anzeigen",
            "publicidad",
            "publicite",
            "pubblicita",
            "reklama",
            "reklamy",
            "publicidade",
            "advertentie",
            "advertenties",
            "ad",
            "ads",
            "adv",
            "advertisement",
            "adsense",
            "adsbygoogle",
            "adslot",
            "adunit",
            "adcontainer",
            "adwrapper",
            "dfp",
            "gpt",
            "gptad",
            "googlead",
            "googleads",
            "doubleclick",
            "promo",
            "promos",
            "commercial",
            "billboard",
            "leaderboard",
            "skyscraper",
            "bannerad",
        ],
        &[
            "advert",
            "adslot",
            "adunit",
            "dfp",
            "sponsor",
            "promotion",
            "gptad",
        ],
    ),
    (
        Kind::Nav,
        &[
            "nav",
            "navbar",
            "navigation",
            "breadcrumb",
            "breadcrumbs",
            "masthead",
            "topbar",
            "pagination",
            "pager",
            "toolbar",
            "skiplink",
            "skiplinks",
            "siteheader",
            "pageheader",
            "globalheader",
            "mainheader",
            "headernav",
        ],
        &["menu", "skiplink"],
    ),
    (
        Kind::Footer,
        &[
            "fusszeile",
            "stopka",
            "rodape",
            "sitefooter",
            "colophon",
            "copyright",
        ],
        &["footer"],
    ),
    (
        Kind::Sidebar,
        &[
            "seitenleiste",
            "barralateral",
            "rail",
            "rightrail",
            "leftrail",
        ],
        &["sidebar", "widget"],
    ),
    (
        Kind::Meta,
        &[
            "autor",
            "autore",
            "auteur",
            "fecha",
            "datum",
            "autorin",
            "dateline",
            "postmeta",
            "entrymeta",
            "articlemeta",
            "metadata",
            "timestamp",
            "postedon",
            "tags",
            "taglist",
            "categories",
            "categorylist",
            "entryheader",
            "articleheader",
            "postheader",
            "storyheader",
            "entrytitle",
            "posttitle",
            "articletitle",
            "storytitle",
            "kicker",
            "date",
            "pubdate",
            "publishdate",
        ],
        &["byline", "author", "headline"],
    ),
    (
        Kind::Caption,
        &[
            "credit",
            "imagecredit",
            "photocredit",
            "mediacredit",
            "imgcredit",
        ],
        &["caption"],
    ),
];

/// Word suffixes, with the rank in [`WORD_RULES`] of their kind.
const SUFFIXES: [(&str, usize); 3] = [("caption", 9), ("related", 1), ("sharing", 0)];

const HIDDEN_WORDS: &[&str] = &[
    "hidden",
    "hide",
    "dnone",
    "sronly",
    "screenreader",
    "screenreadertext",
    "readertext",
    "visuallyhidden",
    "offscreen",
    "printonly",
    "invisible",
    "elementinvisible",
    "tooltip",
    "popover",
    "hovercard",
    "rollover",
];

/// Substrings that name a consent platform or plugin anywhere in a name.
const CONSENT_PLATFORMS: &[&str] = &[
    "onetrust",
    "optanon",
    "cybotcookiebot",
    "cookiebot",
    "qc-cmp",
    "didomi",
    "truste",
    "trustarc",
    "usercentrics",
    "sp_message_container",
    "sp_privacy_manager",
    "osano",
    "cookieconsent",
    "iubenda",
    "termly",
    "klaro",
    "borlabs",
    "brlbs",
    "moove_gdpr",
    "cookiescript",
    "cookiefirst",
    "cmpbox",
    "fc-consent",
    "axeptio",
    "tarteaucitron",
    "coioverlay",
    "cookie-information",
    "lanyard_root",
    "ketch-",
    "transcend-consent",
    "ch2-container",
    "_evidon",
    "sliding-popup",
    "pea_cook",
    "catapult-cookie",
    "wpgdprc",
    "cookielawinfo",
    "cookie-law-info",
    "cli-modal",
    "cli-popupbar",
    "cky-",
    "cmplz",
    "cn-notice",
    "cookie-notice",
    "eu-cookie",
    "cc-window",
    "cc-banner",
    "cc_banner",
    "cc--main",
    "cc-main",
    "js-consent-banner",
    "cookie_hdr",
    "hs-eu-cookie",
    "ez-cookie",
    "sd-cmp",
    "pubtech-cmp",
    "cl-consent",
    "already-visited",
    "privacy-consent",
    "privacy-banner",
    "privacy-notice",
    "privacy-popup",
];

/// Names that mark the article body in common publishing systems.
const ARTICLE_MARKERS: &[&str] = &[
    "articlebody",
    "article-body",
    "article__body",
    "article_body",
    "articletext",
    "article-text",
    "article__text",
    "article-content",
    "article__content",
    "articlecontent",
    "entry-content",
    "entry__content",
    "entrycontent",
    "post-content",
    "postcontent",
    "post-body",
    "postbody",
    "post-entry",
    "story-body",
    "storybody",
    "story__body",
    "story-content",
    "story-text",
    "storytext",
    "body-text",
    "bodytext",
    "text-body",
    "news-content",
    "news-text",
    "main-content",
    "maincontent",
    "content-body",
    "c-entry-content",
    "rich-text",
    "richtext",
    "field-body",
    "field-name-body",
    "article-entry",
    "entry-body",
    "single-content",
    "the-content",
    "blog-content",
    "post-text",
    "text-content",
    "caas-body",
];

/// Readability's class weights: names that lean towards content or away from it.
const POSITIVE_WEIGHT: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story",
];
const NEGATIVE_WEIGHT: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
];

#[derive(Clone, Copy)]
enum Substring {
    Consent,
    Marker,
    Positive,
    Negative,
}

struct Tables {
    substrings: AhoCorasick,
    substring_kind: Vec<Substring>,
    exact: HashMap<&'static str, u16, BuildFnv>,
    /// Word prefixes, bucketed by first byte: (prefix, rule rank).
    prefixes: Vec<Vec<(&'static str, usize)>>,
}

/// FNV-1a: the word table is looked up for every word of every class name,
/// and SipHash's DoS resistance buys nothing for a fixed built-in table.
#[derive(Default, Clone, Copy)]
struct BuildFnv;

struct Fnv(u64);

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Bit of `exact` values that says "hidden".
const HIDDEN_BIT: u16 = 1 << 15;

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut substring_kind = Vec::new();
    for (list, kind) in [
        (CONSENT_PLATFORMS, Substring::Consent),
        (ARTICLE_MARKERS, Substring::Marker),
        (POSITIVE_WEIGHT, Substring::Positive),
        (NEGATIVE_WEIGHT, Substring::Negative),
    ] {
        patterns.extend_from_slice(list);
        substring_kind.extend(std::iter::repeat_n(kind, list.len()));
    }
    // The patterns are constants; failing to build them is a programming error.
    // A contiguous NFA: cheap to build, and over whole runs no slower than
    // a DFA on these short class names.
    let substrings = AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(&patterns)
        .unwrap_or_else(|err| panic!("bad built-in patterns: {err}"));
    let mut exact: HashMap<&'static str, u16, BuildFnv> = HashMap::default();
    let mut prefixes = vec![Vec::new(); 256];
    for (rank, (_, words, prefs)) in WORD_RULES.iter().enumerate() {
        for w in *words {
            *exact.entry(w).or_default() |= 1 << rank;
        }
        for p in *prefs {
            prefixes[usize::from(p.as_bytes()[0])].push((*p, rank));
        }
    }
    for w in HIDDEN_WORDS {
        *exact.entry(w).or_default() |= HIDDEN_BIT;
    }
    Tables {
        substrings,
        substring_kind,
        exact,
        prefixes,
    }
});

/// What one `id` or class token says. Tokens combine by union, so a page's
/// verdicts can be cached per token (`col-md-9`, `row` and friends repeat
/// hundreds of times per page).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NameVerdict {
    consent: bool,
    article_marker: bool,
    positive: bool,
    negative: bool,
    /// Bits of [`WORD_RULES`] ranks, plus [`HIDDEN_BIT`].
    kinds: u16,
}

impl NameVerdict {
    /// The verdict of several tokens together.
    pub fn union(self, other: NameVerdict) -> NameVerdict {
        NameVerdict {
            consent: self.consent || other.consent,
            article_marker: self.article_marker || other.article_marker,
            positive: self.positive || other.positive,
            negative: self.negative || other.negative,
            kinds: self.kinds | other.kinds,
        }
    }

    fn hidden(&self) -> bool {
        self.kinds & HIDDEN_BIT != 0
    }

    fn kind(&self) -> Option<Kind> {
        let rules = self.kinds & !HIDDEN_BIT;
        (rules != 0).then(|| WORD_RULES[rules.trailing_zeros() as usize].0)
    }

    fn weight(&self) -> f32 {
        let positive = if self.positive { 25.0 } else { 0.0 };
        let negative = if self.negative { 25.0 } else { 0.0 };
        positive - negative
    }
}

fn is_consent_word(word: &str) -> bool {
    word.starts_with("cookie")
        || word.starts_with("gdpr")
        || word.starts_with("gprd")
        || word.starts_with("consent")
        || (word.starts_with("cmp") && word[3..].bytes().all(|b| b.is_ascii_digit()))
}

/// Judges lower-cased names (one token, or several joined by spaces).
pub fn judge_names(names: &str) -> NameVerdict {
    let mut verdict = NameVerdict::default();
    if names.is_empty() {
        return verdict;
    }
    let tables = &*TABLES;
    for m in tables.substrings.find_overlapping_iter(names) {
        match tables.substring_kind[m.pattern().as_usize()] {
            // Platform prefixes such as `cky-` must start a word (not `sticky-nav`).
            Substring::Consent => {
                verdict.consent |=
                    m.start() == 0 || matches!(names.as_bytes()[m.start() - 1], b' ' | b'_' | b'-')
            }
            Substring::Marker => verdict.article_marker = true,
            Substring::Positive => verdict.positive = true,
            Substring::Negative => verdict.negative = true,
        }
    }
    let mut previous: Option<&str> = None;
    let mut joined = String::new();
    for word in names.split([' ', '_', '-']).filter(|w| !w.is_empty()) {
        let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
        if word.is_empty() {
            continue;
        }
        verdict.consent |= is_consent_word(word);
        verdict.kinds |= lookup(tables, word);
        // Compounds in the tables are short: only short pairs can match.
        if let Some(prev) = previous.filter(|p| p.len() + word.len() <= MAX_COMPOUND) {
            joined.clear();
            joined.push_str(prev);
            joined.push_str(word);
            verdict.kinds |= lookup(tables, &joined);
        }
        previous = Some(word);
    }
    verdict
}

/// The longest run-together word in the tables ("previouspost", "furtherreading"...).
const MAX_COMPOUND: usize = 16;

/// A page's cache of token verdicts, keyed by the tokens as they appear in
/// the document (borrowed, so a hit allocates nothing).
#[derive(Default)]
pub struct NameCache<'a> {
    /// Whole attribute values ("col-md-9 col-sm-12" repeats as a unit).
    values: HashMap<&'a str, NameVerdict, BuildFnv>,
    tokens: HashMap<&'a str, NameVerdict, BuildFnv>,
    lower: String,
}

impl<'a> NameCache<'a> {
    /// The verdict of an `id` or `class` attribute value.
    pub fn judge(&mut self, value: &'a str) -> NameVerdict {
        if let Some(v) = self.values.get(value) {
            return *v;
        }
        let verdict = self.judge_tokens(value);
        self.values.insert(value, verdict);
        verdict
    }

    fn judge_tokens(&mut self, value: &'a str) -> NameVerdict {
        let mut verdict = NameVerdict::default();
        for token in value.split_ascii_whitespace() {
            let judged = match self.tokens.get(token) {
                Some(v) => *v,
                None => {
                    let v = if token.bytes().any(|b| b.is_ascii_uppercase()) {
                        self.lower.clear();
                        self.lower.push_str(token);
                        self.lower.make_ascii_lowercase();
                        judge_names(&self.lower)
                    } else {
                        judge_names(token)
                    };
                    self.tokens.insert(token, v);
                    v
                }
            };
            verdict = verdict.union(judged);
        }
        verdict
    }
}

fn lookup(tables: &Tables, word: &str) -> u16 {
    let mut bits = tables.exact.get(word).copied().unwrap_or(0);
    let first = word.as_bytes().first().copied().unwrap_or(0);
    for (prefix, rank) in &tables.prefixes[usize::from(first)] {
        if word.starts_with(prefix) {
            bits |= 1 << rank;
        }
    }
    // Run-together names such as `newsCaption` or `storyRelated`.
    for (suffix, rank) in SUFFIXES {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            bits |= 1 << rank;
        }
    }
    bits
}

/// Classifies one element from its tag, its judged names, and its raw `role`
/// and `style` attributes.
pub fn classify(tag: Tag, names: NameVerdict, role: Option<&str>, style: Option<&str>) -> Verdict {
    let structural = matches!(tag, Tag::Body | Tag::Main);
    let mut verdict = Verdict {
        kind: None,
        weight: names.weight(),
        article_marker: names.article_marker,
    };
    if names.consent && !structural {
        verdict.kind = Some(Kind::Consent);
        return verdict;
    }
    if let Some(style) = style
        && is_hidden_style(style)
    {
        verdict.kind = Some(Kind::Hidden);
    }
    verdict.kind = verdict.kind.or(match tag {
        Tag::Nav => Some(Kind::Nav),
        Tag::Footer => Some(Kind::Footer),
        Tag::Aside => Some(Kind::Sidebar),
        Tag::Figcaption | Tag::Figure => Some(Kind::Caption),
        Tag::Form => Some(Kind::Form),
        _ => None,
    });
    if let Some(role) = role {
        verdict.kind = verdict.kind.or(match role {
            "navigation" | "menubar" | "menu" => Some(Kind::Nav),
            "contentinfo" => Some(Kind::Footer),
            "complementary" => Some(Kind::Sidebar),
            "banner" => Some(Kind::Nav),
            _ => None,
        });
    }
    if structural || verdict.kind.is_some() {
        return verdict;
    }
    if names.hidden() {
        verdict.kind = Some(Kind::Hidden);
    } else if !names.article_marker {
        verdict.kind = names.kind();
    }
    verdict
}

fn is_hidden_style(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(names: &str) -> Option<Kind> {
        classify(Tag::Block, judge_names(names), None, None).kind
    }

    #[test]
    fn words_do_not_match_inside_other_words() {
        assert_eq!(kind("header shadow loaded"), None);
        assert_eq!(kind("ad-slot"), Some(Kind::Ads));
        assert_eq!(kind("top ads"), Some(Kind::Ads));
    }

    #[test]
    fn consent_platforms_are_recognised() {
        for names in [
            "cookie-law-info-bar",
            "onetrust-banner-sdk",
            "cmplz-cookiebanner-container",
            "borlabscookiebox",
            "cookies__banner",
            "penci-wrap-gprd-law",
            "dk_gdpr",
            "qc-cmp2-container",
            "pea_cook_wrapper",
            "basel-cookies-popup",
        ] {
            assert_eq!(kind(names), Some(Kind::Consent), "{names}");
        }
    }

    #[test]
    fn class_words_in_other_languages() {
        assert_eq!(kind("artikel-teilen"), Some(Kind::Share));
        assert_eq!(kind("mehr-zum-thema"), Some(Kind::Related));
        assert_eq!(kind("noticias-relacionadas"), Some(Kind::Related));
        assert_eq!(kind("komentarze"), Some(Kind::Comments));
        assert_eq!(kind("bloc-publicite"), Some(Kind::Ads));
        assert_eq!(kind("werbung-top"), Some(Kind::Ads));
        assert_eq!(kind("a-lire-aussi"), Some(Kind::Related));
    }

    #[test]
    fn body_classes_are_never_removed() {
        let v = classify(Tag::Body, judge_names("home cookies-not-set"), None, None);
        assert_eq!(v.kind, None);
    }

    #[test]
    fn article_markers_win_over_boilerplate_words() {
        let v = classify(
            Tag::Block,
            judge_names("article-body share-enabled"),
            None,
            None,
        );
        assert!(v.article_marker);
        assert_eq!(v.kind, None);
    }

    #[test]
    fn hidden_styles_are_seen() {
        let v = classify(Tag::Block, judge_names(""), None, Some("DISPLAY: none"));
        assert_eq!(v.kind, Some(Kind::Hidden));
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn suffix_ranks_point_at_their_kinds() {
        assert_eq!(WORD_RULES[9].0, Kind::Caption);
        assert_eq!(WORD_RULES[1].0, Kind::Related);
        assert_eq!(WORD_RULES[0].0, Kind::Share);
        assert_eq!(judge_names("newscaption").kind(), Some(Kind::Caption));
    }
}
