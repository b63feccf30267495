//! Wire-agency credit lines ("AFP and Reuters", "(c) dpa", "Źródło: PAP").
//!
//! A block that is nothing but a credit leaves the text and its agencies go
//! to `credits`; a dateline credit that opens a paragraph ("PARIS (AFP) -")
//! stays in the text and is recorded too.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

/// Agency names as written in credit lines, with the name we record.
const AGENCIES: &[(&str, &str)] = &[
    ("agence france-presse", "AFP"),
    ("agence france presse", "AFP"),
    ("afp", "AFP"),
    ("reuters", "Reuters"),
    ("thomson reuters", "Reuters"),
    ("associated press", "AP"),
    ("the associated press", "AP"),
    ("ap", "AP"),
    ("dpa", "dpa"),
    ("deutsche presse-agentur", "dpa"),
    ("efe", "EFE"),
    ("agencia efe", "EFE"),
    ("ansa", "ANSA"),
    ("pap", "PAP"),
    ("polska agencja prasowa", "PAP"),
    ("xinhua", "Xinhua"),
    ("kyodo", "Kyodo"),
    ("kyodo news", "Kyodo"),
    ("bloomberg", "Bloomberg"),
    ("tass", "TASS"),
    ("ria novosti", "RIA Novosti"),
    ("interfax", "Interfax"),
    ("ukrinform", "Ukrinform"),
    ("anadolu", "Anadolu"),
    ("anadolu agency", "Anadolu"),
    ("apa", "APA"),
    ("kna", "KNA"),
    ("epd", "epd"),
    ("belga", "Belga"),
    ("anp", "ANP"),
    ("ctk", "ČTK"),
    ("čtk", "ČTK"),
    ("mti", "MTI"),
    ("agerpres", "Agerpres"),
    ("yonhap", "Yonhap"),
    ("pti", "PTI"),
    ("ians", "IANS"),
    ("aap", "AAP"),
    ("europa press", "Europa Press"),
    ("lusa", "Lusa"),
    ("sda", "SDA"),
    ("ats", "ATS"),
    ("ntb", "NTB"),
    ("ritzau", "Ritzau"),
    ("the canadian press", "CP"),
    ("canadian press", "CP"),
    ("press association", "PA"),
    ("pa media", "PA"),
    ("agencies", ""),
    ("wires", ""),
    ("wire services", ""),
    ("news agencies", ""),
];

static AGENCY_ALTERNATION: LazyLock<String> =
    LazyLock::new(|| alternation(AGENCIES.iter().map(|(name, _)| *name)));

/// Names as a regex alternation, longest first, so "agence france-presse"
/// wins over "afp"-like prefixes.
fn alternation<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let a = AGENCY_ALTERNATION.as_str();
    let pattern = format!(
        concat!(
            r"(?i)^[\s(\[—–-]*(?:(?:source|sources|quelle|quellen|źródło|źródła|fuente|fuentes|fonte|fontes|bron|",
            r"with|avec|mit|con|com|z|par|by|from|text|texto|©|\(c\)|copyright)\s*:?\s*)?",
            r"(?:{a})(?:\s*(?:,|and|&|/|\+|;|et|und|y|e|i|en|og|with|avec|mit|con|com|z)\s*(?:{a}))*",
            r"(?:\s+(?:contributed(?: reporting)? to this (?:report|story|article)))?",
            r"[\s.)\]]*$"
        ),
        a = a
    );
    Regex::new(&pattern).unwrap_or_else(|err| panic!("bad credit pattern: {err}"))
});

/// Most characters of a dateline's place before the agency: "PARIS", "SAN
/// FRANCISCO, Calif.".
const MAX_PLACE_CHARS: usize = 41;

/// A dateline's place: letters, spaces and `.,'-`. Its length is counted
/// in code: a counted repetition (`{0,40}`) of this Unicode class compiled
/// forty copies of it, most of a one-page run's start-up.
static DATELINE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\p{Lu}][\p{Lu}\p{L} .,'-]*$")
        .unwrap_or_else(|err| panic!("bad dateline place pattern: {err}"))
});

/// What follows the place: "(AFP) -", "(Reuters/dpa):".
static DATELINE_AGENCIES: LazyLock<Regex> = LazyLock::new(|| {
    let a = AGENCY_ALTERNATION.as_str();
    let pattern = format!(r"(?i)^\(({a})(?:\s*[/,]\s*({a}))?\)\s*[—–:-]");
    Regex::new(&pattern).unwrap_or_else(|err| panic!("bad dateline pattern: {err}"))
});

/// An agency's name as a word. The word boundaries are ASCII ones: a
/// Unicode `\b` sends every text with a non-ASCII letter (most of them)
/// from the fast engine to a backtracking one, twenty times slower. A name
/// that begins with a non-ASCII letter ("čtk") has no boundary before it.
static AGENCY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    let (ascii_start, other): (Vec<&str>, Vec<&str>) = AGENCIES
        .iter()
        .map(|(name, _)| *name)
        .partition(|n| n.starts_with(|c: char| c.is_ascii()));
    let mut pattern = format!(
        r"(?i)(?:(?-u:\b)(?:{})",
        alternation(ascii_start.into_iter())
    );
    if !other.is_empty() {
        pattern.push_str(&format!("|{}", alternation(other.into_iter())));
    }
    pattern.push_str(r")(?-u:\b)");
    Regex::new(&pattern).unwrap_or_else(|err| panic!("bad agency pattern: {err}"))
});

fn canonical(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    AGENCIES
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, canon)| *canon)
        .filter(|c| !c.is_empty())
}

/// Any agency's name anywhere, in any case: a gate that builds in a
/// fraction of a millisecond, so the patterns below are compiled only by a
/// process that meets a text naming an agency.
static AGENCY_HINTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let names = AGENCIES.iter().map(|(name, _)| *name);
    // ASCII case folding leaves "č" alone: its capital is listed too.
    let capitals = AGENCIES
        .iter()
        .filter(|(name, _)| !name.is_ascii())
        .map(|(name, _)| name.to_uppercase());
    let patterns: Vec<String> = names.map(str::to_owned).chain(capitals).collect();
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(patterns)
        .unwrap_or_else(|err| panic!("bad agency names: {err}"))
});

/// Credit lines are short.
pub const MAX_CREDIT_CHARS: usize = 90;

/// If the whole block is a credit line, the agencies it names.
pub fn credit_line(text: &str) -> Option<Vec<&'static str>> {
    let text = text.trim();
    if text.is_empty()
        || text.len() > 360
        || text.chars().count() > MAX_CREDIT_CHARS
        || !AGENCY_HINTS.is_match(text)
        || !AGENCY_WORD.is_match(text)
        || !CREDIT_LINE.is_match(text)
    {
        return None;
    }
    let agencies = AGENCY_WORD
        .find_iter(text)
        .filter_map(|m| canonical(m.as_str()))
        .collect();
    Some(agencies)
}

/// Agencies credited in a dateline that opens a paragraph: "PARIS (AFP) -".
pub fn dateline_credits(text: &str) -> Vec<&'static str> {
    // The place ends at the first parenthesis, which its class excludes.
    let Some((open, _)) = text
        .char_indices()
        .take(MAX_PLACE_CHARS + 1)
        .find(|(_, c)| *c == '(')
    else {
        return Vec::new();
    };
    if !DATELINE_PLACE.is_match(&text[..open]) {
        return Vec::new();
    }
    DATELINE_AGENCIES
        .captures(&text[open..])
        .map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .filter_map(|m| canonical(m.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_lines_are_recognised() {
        assert_eq!(credit_line("AFP and Reuters"), Some(vec!["AFP", "Reuters"]));
        assert_eq!(credit_line("(c) dpa"), Some(vec!["dpa"]));
        assert_eq!(credit_line("Źródło: PAP"), Some(vec!["PAP"]));
        assert_eq!(credit_line("With AFP"), Some(vec!["AFP"]));
        assert_eq!(credit_line("EFE"), Some(vec!["EFE"]));
        // A name that begins with a non-ASCII letter, and one in a line of
        // non-ASCII text.
        assert_eq!(credit_line("Zdroj: ČTK"), None);
        assert_eq!(credit_line("Źródło: PAP, ČTK"), Some(vec!["PAP", "ČTK"]));
        assert_eq!(credit_line("«AFP»"), None);
        assert_eq!(
            credit_line("The Associated Press contributed to this report."),
            Some(vec!["AP"])
        );
    }

    #[test]
    fn sentences_naming_agencies_are_not_credit_lines() {
        assert_eq!(
            credit_line("Reuters reported that the talks had stalled."),
            None
        );
        assert_eq!(credit_line("AP"), Some(vec!["AP"]));
        assert_eq!(credit_line("Apple and Google"), None);
    }

    #[test]
    fn datelines_credit_agencies() {
        assert_eq!(
            dateline_credits("VILNIUS (Reuters) - NATO leaders agreed on Tuesday"),
            vec!["Reuters"]
        );
        assert_eq!(dateline_credits("PARIS (AFP) – France said"), vec!["AFP"]);
        assert!(dateline_credits("The summit (in Vilnius) - a success").is_empty());
    }
}
