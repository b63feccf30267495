//! Author names from what pages put in their author fields and bylines:
//! "By Jane Doe and John Roe, Senior Correspondents | 12 July 2023" is two
//! names. What surrounds a name is taken off by kind, in the languages of
//! the taxonomy: the "By" word, roles, agencies in brackets, dates and
//! times, social handles, e-mail addresses and links; then what is left is
//! split into names and kept only if it looks like one.

use std::sync::LazyLock;

use regex::Regex;

/// The most words one name has ("María de los Ángeles García López").
const MAX_NAME_WORDS: usize = 6;
/// The most characters one name has.
const MAX_NAME_CHARS: usize = 60;

/// "By", "Von", "Par", "Por", "Di", "Przez", "Door", "Автор"... with or
/// without a colon, at the start of a byline.
static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:written by|posted by|reported by|story by|text by|by|von|text|texte|tekst|par|por|di|przez|door|af|av|autor|autorin|autorka|autora|auteur|author|authors|autore|autori|автор|авторы|автори|від)(?:\s*:\s*|\s+)",
    )
    .unwrap_or_else(|err| panic!("bad by-prefix pattern: {err}"))
});

/// Where a byline lists several names.
static NAME_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:&|\+|(?i:\band\b|\bund\b|\bet\b|\boraz\b)|\ben\b|\bта\b)\s*")
        .unwrap_or_else(|err| panic!("bad name-split pattern: {err}"))
});

/// One-letter "and"s (es, pl, pt, it, ru, uk), in lower case only so
/// initials stay; they split only between two names of two words or more,
/// since compound surnames use them too ("José Volta e Pinto").
static SHORT_AND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:y|i|e|и|і)\s+").unwrap_or_else(|err| panic!("bad short-and pattern: {err}"))
});

/// Credits for the site, not for the article.
static SITE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:created|developed|designed|powered|maintained|hosted)\s+by\b")
        .unwrap_or_else(|err| panic!("bad site-credit pattern: {err}"))
});

/// Where a byline moves on to something else: a date, a section, a role.
static SEGMENT_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:\||•|·|/|\s[-–—]\s|\n)\s*")
        .unwrap_or_else(|err| panic!("bad segment pattern: {err}"))
});

/// Links, e-mail addresses and social handles.
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|www\.)\S+|\S+@\S+\.\S+|(?:^|\s)@\w+")
        .unwrap_or_else(|err| panic!("bad contact pattern: {err}"))
});

/// Bracketed asides: "(Reuters)", "[dpa]", "(Vilnius)".
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\([^)]*\)|\[[^\]]*\]").unwrap_or_else(|err| panic!("bad bracket pattern: {err}"))
});

/// Words of roles and of date stamps: a piece holding one is not a name.
const NOT_NAME_WORDS: &[&str] = &[
    // roles
    "correspondent",
    "correspondents",
    "reporter",
    "reporters",
    "editor",
    "editors",
    "writer",
    "writers",
    "staff",
    "contributor",
    "columnist",
    "journalist",
    "photographer",
    "producer",
    "analyst",
    "korrespondent",
    "korrespondentin",
    "redakteur",
    "redakteurin",
    "redaktion",
    "reporterin",
    "autorin",
    "correspondant",
    "correspondante",
    "journaliste",
    "rédacteur",
    "rédactrice",
    "rédaction",
    "envoyé",
    "envoyée",
    "spécial",
    "corresponsal",
    "periodista",
    "redactor",
    "redactora",
    "redacción",
    "enviado",
    "enviada",
    "correspondente",
    "jornalista",
    "redação",
    "inviato",
    "inviata",
    "giornalista",
    "redattore",
    "redazione",
    "dziennikarz",
    "dziennikarka",
    "redaktor",
    "redakcja",
    "korespondent",
    "korespondentka",
    "verslaggever",
    "redacteur",
    "redactie",
    "correspondent",
    "корреспондент",
    "журналист",
    "редактор",
    "редакция",
    "кореспондент",
    "журналіст",
    "редакція",
    // date stamps
    "updated",
    "published",
    "posted",
    "ago",
    "min",
    "read",
    "aktualisiert",
    "veröffentlicht",
    "publié",
    "publiée",
    "mis",
    "actualizado",
    "publicado",
    "atualizado",
    "aggiornato",
    "pubblicato",
    "opublikowano",
    "aktualizacja",
    "bijgewerkt",
    "gepubliceerd",
    "обновлено",
    "опубликовано",
    "оновлено",
    "опубліковано",
    // calls to action
    "follow",
    "share",
    "email",
    "e-mail",
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "more",
    "articles",
];

/// The author names in one author field or byline, in order.
pub fn split_authors(raw: &str) -> Vec<String> {
    let text = decode_character_references(raw);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if SITE_CREDIT.is_match(&text) {
        return Vec::new();
    }
    let text = CONTACT.replace_all(&text, " ");
    let text = BRACKETED.replace_all(&text, " ");
    let mut names = Vec::new();
    // The names are in the first segment that has any; what follows a
    // "|" or a dash is the outlet, the section, the place or the date.
    for segment in SEGMENT_SPLIT.split(&text) {
        // A comma part naming a role or a date goes whole: "corresponsal
        // en Bruselas" holds no second name.
        for part in segment.split([',', ';']) {
            let part = strip_by(part.trim());
            if holds_a_non_name_word(part) {
                continue;
            }
            for piece in NAME_SPLIT.split(part) {
                for name in split_short_and(piece.trim()) {
                    if let Some(name) = as_name(strip_by(name)) {
                        names.push(name);
                    }
                }
            }
        }
        if !names.is_empty() {
            break;
        }
    }
    names
}

/// "Marco Rossi e Giulia Bianchi" is two names; "José Volta e Pinto" one.
fn split_short_and(piece: &str) -> Vec<&str> {
    let parts: Vec<&str> = SHORT_AND.split(piece).collect();
    if parts.len() > 1 && parts.iter().all(|p| p.split_whitespace().count() >= 2) {
        parts
    } else {
        vec![piece]
    }
}

/// Numeric character references left in a field that was escaped twice
/// ("Jos&#xE9;"), and the commonest named ones.
fn decode_character_references(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('&') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &after[..end];
            let c = match entity {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether a byline line starts with a "By" word (how bylines are found).
pub fn has_by_prefix(line: &str) -> bool {
    BY_PREFIX.is_match(line)
}

fn holds_a_non_name_word(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        NOT_NAME_WORDS.contains(&w.as_str())
    })
}

/// `text` without a leading "By" word (repeated: "Von: Autorin ...").
fn strip_by(mut text: &str) -> &str {
    while let Some(m) = BY_PREFIX.find(text) {
        if m.end() >= text.len() {
            break;
        }
        text = text[m.end()..].trim_start();
    }
    text
}

/// `piece` as a name, if it looks like one.
fn as_name(piece: &str) -> Option<String> {
    let piece = piece
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'')
        .trim_end_matches('.');
    let words: Vec<&str> = piece.split_whitespace().collect();
    if words.is_empty()
        || words.len() > MAX_NAME_WORDS
        || piece.chars().count() > MAX_NAME_CHARS
        || piece.chars().any(|c| c.is_ascii_digit())
        || !piece.chars().any(char::is_alphabetic)
    {
        return None;
    }
    // In scripts with case, a name has a capital: "min read", "and more"
    // are not names.
    let cased: Vec<char> = piece
        .chars()
        .filter(|c| c.is_lowercase() || c.is_uppercase())
        .collect();
    if !cased.is_empty() && !cased.iter().any(|c| c.is_uppercase()) {
        return None;
    }
    // "JANE DOE" -> "Jane Doe"; one word in capitals is an acronym or a
    // domain ("ANSA", "TIMESOFINDIA.COM") and stays.
    if words.len() >= 2 && cased.len() > 3 && cased.iter().all(|c| c.is_uppercase()) {
        return Some(
            words
                .iter()
                .map(|w| title_case(w))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Some(words.join(" "))
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(raw: &str) -> Vec<String> {
        split_authors(raw)
    }

    #[test]
    fn by_words_in_many_languages_go() {
        for (raw, want) in [
            ("By Jane Doe", "Jane Doe"),
            ("Von Anna Müller", "Anna Müller"),
            ("Von: Anna Müller", "Anna Müller"),
            ("Par Anne Martin", "Anne Martin"),
            ("Por María García", "María García"),
            ("Di Marco Rossi", "Marco Rossi"),
            ("Przez Jan Kowalski", "Jan Kowalski"),
            ("Door Piet de Vries", "Piet de Vries"),
            ("Автор: Иван Петров", "Иван Петров"),
            ("Від Олена Шевченко", "Олена Шевченко"),
            ("BY JANE DOE", "Jane Doe"),
        ] {
            assert_eq!(names(raw), [want], "{raw}");
        }
    }

    #[test]
    fn several_names_are_split() {
        assert_eq!(names("By Jane Doe and John Roe"), ["Jane Doe", "John Roe"]);
        assert_eq!(
            names("Anna Müller und Jan Schmidt"),
            ["Anna Müller", "Jan Schmidt"]
        );
        assert_eq!(
            names("Anne Martin et Paul Durand"),
            ["Anne Martin", "Paul Durand"]
        );
        assert_eq!(
            names("Jan Kowalski i Anna Nowak"),
            ["Jan Kowalski", "Anna Nowak"]
        );
        assert_eq!(
            names("Иван Петров и Ольга Смирнова"),
            ["Иван Петров", "Ольга Смирнова"]
        );
        assert_eq!(
            names("Jane Doe, John Roe; Ann Poe"),
            ["Jane Doe", "John Roe", "Ann Poe"]
        );
        assert_eq!(
            names("di Marco Rossi e Giulia Bianchi"),
            ["Marco Rossi", "Giulia Bianchi"]
        );
        assert_eq!(names("Jos&#xE9; Volta e Pinto"), ["José Volta e Pinto"]);
        assert_eq!(
            names("María García y Pedro López"),
            ["María García", "Pedro López"]
        );
    }

    #[test]
    fn roles_dates_agencies_and_handles_go() {
        assert_eq!(names("By Jane Doe, Senior Correspondent"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe (Reuters)"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe | 12 July 2023, 14:05"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe · Updated 3 hours ago"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe @janedoe"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe jane@example.com"), ["Jane Doe"]);
        assert_eq!(names("Jane Doe https://twitter.com/janedoe"), ["Jane Doe"]);
        assert_eq!(
            names("Anna Müller, Korrespondentin in Kiew"),
            ["Anna Müller"]
        );
        assert_eq!(
            names("Anne Martin, envoyée spéciale à Vilnius"),
            ["Anne Martin"]
        );
        assert_eq!(
            names("María García, corresponsal en Bruselas"),
            ["María García"]
        );
        assert_eq!(names("Jan Kowalski, dziennikarz"), ["Jan Kowalski"]);
        assert_eq!(names("Follow on Twitter"), Vec::<String>::new());
        assert_eq!(names("Nicholas Wu | USA TODAY"), ["Nicholas Wu"]);
        assert_eq!(
            names("Madeline Fry | November 18, 2019 12:01 PM"),
            ["Madeline Fry"]
        );
        assert_eq!(names("Sputnikhttps://sputniknews.com"), ["Sputnik"]);
        assert_eq!(names("Created by the W-Team"), Vec::<String>::new());
        assert_eq!(names("ТАСС"), ["ТАСС"]);
        assert_eq!(names("5 min read"), Vec::<String>::new());
        assert_eq!(
            names("https://example.com/authors/jane"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn names_with_particles_and_initials_stay_whole() {
        assert_eq!(names("Ludwig van Beethoven"), ["Ludwig van Beethoven"]);
        assert_eq!(names("J. E. Smith"), ["J. E. Smith"]);
        assert_eq!(names("Charles De Gaulle"), ["Charles De Gaulle"]);
        assert_eq!(names("J. R. R. Tolkien"), ["J. R. R. Tolkien"]);
        assert_eq!(names("Seán O'Brien"), ["Seán O'Brien"]);
        assert_eq!(names("Reuters"), ["Reuters"]);
    }
}
