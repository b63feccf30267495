//! Text-level rules for the short lines publishers put inside articles:
//! newsletter and paywall prompts, "Advertisement" labels, share captions,
//! "Read more" teasers. Only short blocks are judged: a long paragraph that
//! happens to say "subscribe" is article text.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::boilerplate::Kind;

pub const MAX_PROMPT_CHARS: usize = 320;

/// Matched against the lower-cased text: a case-insensitive pattern costs
/// twice the compile time, paid by every process that meets a prompt.
static NEWSLETTER: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"\b(?:sign up|signup|subscribe|register|get|receive)\b(?:[^.]|\.\S){0,60}\bnewsletters?\b|",
        r"\bnewsletters? (?:sign[- ]?up|abonnieren)\b|",
        r"\bsign up (?:for|to) (?:our|the|free)\b|\b(?:enter|your) email address\b|",
        r"\bdelivered (?:straight |directly )?to your inbox\b|",
        r"\bdelivered (?:through your (?:letterbox|door)|(?:weekday|every|each) (?:morning|evening|day|week))|",
        r"\b(?:news|email) alerts\b|\bbreaking news emails\b|",
        r"\b(?:inscrivez-vous|abonnez-vous) à (?:notre|la) (?:newsletter|lettre)|",
        r"\bmelden sie sich (?:für|zu) (?:unseren|unserem) newsletter|",
        r"\b(?:suscríbete|suscribirse|apúntate) (?:a|al) (?:nuestro|nuestra)? ?(?:newsletter|boletín)|",
        r"\biscriviti alla (?:nostra )?newsletter\b|\bzapisz się (?:do|na) newsletter|",
        r"\b(?:assine|inscreva-se) (?:a|na) (?:nossa )?newsletter\b|",
        r"\bmeld je aan voor (?:onze|de) nieuwsbrief\b"
    ))
});

/// Matched against the lower-cased text, as [`NEWSLETTER`].
static PAYWALL: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"\balready (?:a subscriber|have an account|registered)\b|",
        r"\b(?:subscribe|log in|sign in) (?:now |today )?to (?:continue|keep) reading\b|",
        r"\bto continue reading\b|\bthis (?:article|content|story) is (?:only )?(?:for|available to|reserved for|exclusive to) (?:our )?(?:subscribers|members)\b|",
        r"\bcreate a free account\b|\bsubscribe (?:now|today) for\b|",
        r"\bunlimited (?:digital )?access\b|\byou have (?:\d+|one) free articles?\b|",
        r"\bsubscribe to \S+ (?:and|for|to)\b|\bfor as little as\b|\b\d+ issues for\b|",
        r"\b(?:réservé|réservée) aux abonnés\b|\bnur für abonnenten\b|\bjetzt abonnieren\b|",
        r"\bcontenido exclusivo para suscriptores\b|\briservato agli abbonati\b|",
        r"\btylko dla (?:prenumeratorów|subskrybentów)\b|\bexclusivo para assinantes\b|",
        r"\bpozostało \d+% (?:treści|tekstu|artykułu)\b|\bla suite est réservée aux abonnés\b|",
        r"\bexklusiv für (?:abonnenten|abonnentinnen)\b|\bmit (?:\S+ )?plus weiterlesen\b|",
        r"\b(?:solo|exclusivo) para suscriptores\b|\bcontenido (?:exclusivo )?para suscriptores\b|",
        r"\bwykup (?:dostęp|subskrypcję|prenumeratę)\b"
    ))
});

/// Whole-line labels that are never article text.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"^(?:advertisement|advertising|anzeige|publicité|publicidad|pubblicità|reklama|",
        r"publicidade|advertentie|sponsored(?: content)?|story continues below(?: advertisement)?|",
        r"continue reading (?:the )?(?:main story|below)|skip advertisement|",
        r"share(?: this)?(?: article| story| post)?|share on (?:facebook|twitter|linkedin)|",
        r"tweet|email|print|comments?|(?:\d+ )?comments?|read more|read next|related(?: articles| stories| posts)?|",
        r"see also|also read|more from \S+|recommended(?: for you)?|trending|",
        r"image|photo|video|watch|listen|click here|loading|follow us(?: on \S+)?|advert|ad|ads|",
        r"don'?t miss|you may also (?:like|be interested in)|more in \S+(?: \S+)?|sponsored links|",
        r"more stories|most (?:read|popular|viewed)|popular|latest news|top stories|text size|",
        r"explore further|related (?:news|content|coverage|links|topics)|more (?:great )?\S+ stories|by|",
        r"subscribe|subscribe now|sign up|sign in|log in|register|newsletter|",
        r"tell us what you think|leave a (?:comment|reply)|this slideshow requires javascript|",
        r"lesen sie auch|mehr zum thema|zum thema|à lire aussi|lire aussi|voir aussi|lee también|",
        r"leggi anche|czytaj (?:też|także|również)|zobacz (?:też|także)|leia (?:também|mais)|lees ook|",
        r"werbung|teilen|artikel teilen|partager|compartir|udostępnij|condividi|partilhar|delen|",
        r"kommentare|commentaires|comentarios|komentarze|commenti|reacties|",
        r"weiterlesen|jetzt weiterlesen|sigue leyendo|continuer la lecture|czytaj dalej|continua a leggere|",
        r"abonnieren|jetzt abonnieren|abonnez-vous|suscríbete|iscriviti|zaprenumeruj|assine|",
        r"auch interessant|das könnte sie auch interessieren|te puede interesar|vous aimerez aussi|polecamy)[\s.:!…]*$"
    ))
});

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|err| panic!("bad built-in pattern {pattern}: {err}"))
}

/// Lines that are page furniture around the article rather than its text:
/// publication stamps, bylines, contact lines, bare URLs, photo credits.
/// Each rule has a cheap literal test first; regexes run on few lines.
fn is_furniture(text: &str) -> bool {
    let lower_start: String = text.chars().take(24).flat_map(char::to_lowercase).collect();
    // "Posted: Fri 6:45 PM, Feb 16, 2018", not "Posted on social media by analysts...".
    if text.len() <= MAX_STAMP_BYTES
        && text.contains(|c: char| c.is_ascii_digit())
        && STAMP_WORDS.iter().any(|w| {
            lower_start.starts_with(w)
                && !lower_start[w.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
    {
        return true;
    }
    if (lower_start.starts_with("by ")
        || lower_start.starts_with("von ")
        || lower_start.starts_with("par "))
        && BYLINE.is_match(text)
    {
        return true;
    }
    if (lower_start.starts_with("http://")
        || lower_start.starts_with("https://")
        || lower_start.starts_with("www."))
        && !text.contains(char::is_whitespace)
    {
        return true;
    }
    if text.contains('@') && EMAIL.is_match(text) {
        return true;
    }
    PHOTO_CREDIT.is_match(text)
}

const MAX_STAMP_BYTES: usize = 120;

const STAMP_WORDS: &[&str] = &[
    "posted",
    "published",
    "updated",
    "last updated",
    "publicado",
    "publicada",
    "veröffentlicht",
    "aktualisiert",
    "mis à jour",
    "publié le",
    "opublikowano",
    "aktualizacja",
    "pubblicato",
    "aggiornato",
    "actualizado",
    "zuletzt aktualisiert",
    "stand",
    "data publikacji",
    "atualizado",
];

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?i:by|von|par) \p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,3}(?:\s*[|,–—-].*)?$")
});

/// An address in ASCII: Unicode's word class made this pattern cost as
/// much to compile as ten others.
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:[\w.+-])+@(?-u:[\w-])+\.(?-u:[\w.-])+"));

static PHOTO_CREDIT: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "getty images",
            "shutterstock",
            "afp via getty",
            "ap photo",
            "reuters/",
            "epa-efe",
            "imago images",
            "picture alliance",
            "photo credit",
            "image credit",
            "image source",
            "photograph:",
            "photo:",
            "foto:",
            "bild:",
            "zdjęcie:",
            "fot.",
        ])
        .unwrap_or_else(|err| panic!("bad photo credit patterns: {err}"))
});

/// Furniture lines are short.
const MAX_FURNITURE_CHARS: usize = 200;

/// Cheap keyword gates: the regexes run only on blocks that could match.
const NEWSLETTER_HINTS: &[&str] = &[
    "alerts",
    "delivered",
    "newsletter",
    "inbox",
    "email",
    "sign up",
    "nieuwsbrief",
    "boletín",
    "lettre",
];
const PAYWALL_HINTS: &[&str] = &[
    "pozostało",
    "réservée",
    "exklusiv",
    "weiterlesen",
    "suscriptores",
    "wykup",
    "little as",
    "issues for",
    "subscri",
    "account",
    "continue",
    "access",
    "free article",
    "abonn",
    "suscript",
    "abbonat",
    "prenumer",
    "subskryb",
    "assinant",
    "registered",
];

static HINTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(NEWSLETTER_HINTS.iter().chain(PAYWALL_HINTS))
        .unwrap_or_else(|err| panic!("bad prompt hints: {err}"))
});

/// Longest block judged a legal notice: a site's rights line and reuse
/// terms, or a list of banned organisations, run to a paragraph.
pub const MAX_NOTICE_CHARS: usize = 1200;

/// Phrases of the legal notices some templates put after the article's
/// last paragraph: the terms for reusing the site's material, and the
/// notice Russian law has sites print of the organisations banned there
/// (a list of militant groups that reads as a terrorism story). A rights
/// line alone ("© 2019 AP. All rights reserved.") is not judged here: it
/// is the wire copy's own last line, and benchmarks count it as the
/// article's.
const NOTICES: &[&str] = &[
    "допускается только с письменного разрешения",
    "допускается только при",
    "признаны экстремистскими и запрещены",
    "Признаны экстремистскими и запрещены",
    "признаны террористическими и запрещены",
    "Признаны террористическими и запрещены",
    "визнані екстремістськими",
    "визнані терористичними",
    "reproduction interdite",
    "nachdruck nur mit",
    "may not be reproduced without",
];

static NOTICE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(NOTICES)
        .unwrap_or_else(|err| panic!("bad notice phrases: {err}"))
});

/// Whether a block (at most [`MAX_NOTICE_CHARS`]) is a site's legal
/// notice rather than article text.
pub fn is_legal_notice(text: &str) -> bool {
    text.len() <= MAX_NOTICE_CHARS * 4
        && text.chars().count() <= MAX_NOTICE_CHARS
        && NOTICE.is_match(text)
}

/// Labels are a few words at most.
const MAX_LABEL_CHARS: usize = 60;

/// The kind of prompt a short text block is, if it is one.
pub fn prompt_kind(text: &str) -> Option<Kind> {
    if text.len() > MAX_PROMPT_CHARS * 4 || text.chars().count() > MAX_PROMPT_CHARS {
        return None;
    }
    if text.len() <= MAX_LABEL_CHARS * 2
        && text.chars().count() <= MAX_LABEL_CHARS
        && LABEL.is_match(&text.trim().to_lowercase())
    {
        return Some(label_kind(text));
    }
    if text.len() <= MAX_FURNITURE_CHARS * 2
        && text.chars().count() <= MAX_FURNITURE_CHARS
        && is_furniture(text.trim())
    {
        return Some(Kind::Meta);
    }
    let (mut newsletter, mut paywall) = (false, false);
    for m in HINTS.find_overlapping_iter(text) {
        if m.pattern().as_usize() < NEWSLETTER_HINTS.len() {
            newsletter = true;
        } else {
            paywall = true;
        }
    }
    if !newsletter && !paywall {
        return None;
    }
    let lower = text.to_lowercase();
    if newsletter && NEWSLETTER.is_match(&lower) {
        return Some(Kind::Newsletter);
    }
    if paywall && PAYWALL.is_match(&lower) {
        return Some(Kind::Paywall);
    }
    None
}

/// What a matched label announces: an ad, related links, comments, a
/// subscription, or (the rest) share and media buttons.
fn label_kind(text: &str) -> Kind {
    let lower = text.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if is_ad_label(text) {
        Kind::Ads
    } else if has(&[
        "comment",
        "kommentar",
        "komentarz",
        "reacties",
        "tell us",
        "leave a",
    ]) {
        Kind::Comments
    } else if has(&[
        "subscri",
        "sign up",
        "sign in",
        "log in",
        "register",
        "newsletter",
        "abonn",
        "suscr",
        "iscriv",
        "zaprenum",
        "assine",
    ]) {
        Kind::Newsletter
    } else if has(&[
        "also",
        "read",
        "more",
        "related",
        "recommend",
        "trending",
        "popular",
        "latest",
        "top stories",
        "explore",
        "miss",
        "see ",
        "lesen",
        "thema",
        "interess",
        "aussi",
        "también",
        "anche",
        "także",
        "też",
        "również",
        "zobacz",
        "polecamy",
        "leia",
        "lees",
        "weiter",
        "leyendo",
        "lecture",
        "dalej",
        "leggere",
    ]) {
        Kind::Related
    } else {
        Kind::Share
    }
}

fn is_ad_label(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    [
        "advert",
        "anzeige",
        "werbung",
        "publicit",
        "publicidad",
        "pubblicit",
        "reklama",
        "sponsored",
        "skip advertisement",
        "story continues",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_notices_and_not_the_articles_own_words() {
        for notice in [
            "Для читателей: в России признаны экстремистскими и запрещены организации «Свидетели Иеговы», «Правый сектор».",
            "Признаны террористическими и запрещены: «Движение Талибан», «Исламское государство» (ИГ, ИГИЛ).",
            "Использование материалов, опубликованных на сайте, допускается только с письменного разрешения правообладателя.",
            "Reproduction interdite sans autorisation.",
        ] {
            assert!(is_legal_notice(notice), "{notice}");
        }
        for text in [
            // A story's own clause about a banned group.
            "Боевики «Исламского государства» (запрещено в РФ) атаковали город.",
            // The wire copy's rights line, which benchmarks keep.
            "© 2019 Associated Press. All Rights Reserved. This material may not be published.",
            "Der Rat hat den Haushalt beschlossen.",
        ] {
            assert!(!is_legal_notice(text), "{text}");
        }
        let long = format!(
            "{} Признаны террористическими и запрещены.",
            "Текст. ".repeat(200)
        );
        assert!(!is_legal_notice(&long), "a long block is the article's");
    }

    #[test]
    fn prompts_are_classified() {
        assert_eq!(prompt_kind("Advertisement"), Some(Kind::Ads));
        assert_eq!(
            prompt_kind("Sign up for our daily newsletter to get the news in your inbox."),
            Some(Kind::Newsletter)
        );
        assert_eq!(
            prompt_kind("Already a subscriber? Log in to continue reading."),
            Some(Kind::Paywall)
        );
        assert_eq!(prompt_kind("Share this article"), Some(Kind::Share));
    }

    #[test]
    fn prompts_in_other_languages() {
        assert_eq!(prompt_kind("Lesen Sie auch:"), Some(Kind::Related));
        assert_eq!(prompt_kind("Werbung"), Some(Kind::Ads));
        assert_eq!(prompt_kind("Pozostało 75% treści"), Some(Kind::Paywall));
        assert_eq!(
            prompt_kind("La suite est réservée aux abonnés."),
            Some(Kind::Paywall)
        );
        assert_eq!(
            prompt_kind("Contenido exclusivo para suscriptores"),
            Some(Kind::Paywall)
        );
        assert_eq!(
            prompt_kind("Aktualisiert am 12.07.2023, 18:05 Uhr"),
            Some(Kind::Meta)
        );
        assert_eq!(prompt_kind("Czytaj także"), Some(Kind::Related));
        assert_eq!(prompt_kind("Kommentare"), Some(Kind::Comments));
        assert_eq!(prompt_kind("Jetzt abonnieren"), Some(Kind::Newsletter));
    }

    #[test]
    fn article_sentences_are_not_prompts() {
        assert_eq!(
            prompt_kind(
                "The minister said the newsletter scandal had damaged trust in the government."
            ),
            None
        );
        let long = "Readers who subscribe to the newsletter ".repeat(20);
        assert_eq!(prompt_kind(&long), None);
    }
}
