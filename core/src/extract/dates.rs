//! Publication dates as the page states them.
//!
//! A date is kept in the page's own terms: the day a reader sees, the time
//! if the page gives one, and its UTC offset if it gives one. Converting a
//! local evening to UTC moves it to the next day, and the record's day
//! would no longer be the page's (`2023-07-12T23:30:00-05:00` is the 12th).
//!
//! Where dates come from, most trusted first: JSON-LD, meta tags and
//! microdata (`itemprop="datePublished"`), `<time datetime>` and `<abbr
//! title>` marked as the publication, the URL, and last the visible text
//! near the title and byline (numeric forms with the language deciding
//! day/month order, and written months in the taxonomy's ten languages),
//! outside comments, related lists, sidebars, footers and copyright lines.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

/// A date as a page states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDate {
    /// The day in the page's own time zone.
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// The page's UTC offset, when it gives one with the time.
    pub offset: Option<FixedOffset>,
}

/// Dates before this year are not publication dates of web pages.
pub const FIRST_YEAR: i32 = 1995;

impl PageDate {
    pub fn day(date: NaiveDate) -> PageDate {
        PageDate {
            date,
            time: None,
            offset: None,
        }
    }

    /// RFC 3339 with the page's offset (`2023-07-12T23:30:00-05:00`, `Z` for
    /// UTC); a local time without an offset has none
    /// (`2023-07-12T23:30:00`); a day alone stays a day (`2023-07-12`).
    pub fn to_rfc3339(&self) -> String {
        match (self.time, self.offset) {
            (None, _) => self.date.format("%Y-%m-%d").to_string(),
            (Some(time), None) => self
                .date
                .and_time(time)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string(),
            (Some(time), Some(offset)) => match self.date.and_time(time).and_local_timezone(offset)
            {
                chrono::LocalResult::Single(dt) => {
                    dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                }
                _ => self.date.format("%Y-%m-%d").to_string(),
            },
        }
    }

    /// Whether this is an earlier moment than `other`: as instants when
    /// both state a time with an offset, else by the day each states.
    pub fn is_before(&self, other: &PageDate) -> bool {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => a < b,
            _ => self.date < other.date,
        }
    }

    fn instant(&self) -> Option<DateTime<FixedOffset>> {
        let (time, offset) = (self.time?, self.offset?);
        self.date.and_time(time).and_local_timezone(offset).single()
    }

    /// Whether the date can be a publication date seen at `now` (UTC):
    /// not before the web, and not more than a day ahead (clock skew and
    /// time zones).
    pub fn plausible(&self, now: Option<DateTime<chrono::Utc>>) -> bool {
        if self.date.year() < FIRST_YEAR {
            return false;
        }
        match now {
            Some(now) => self.date <= now.date_naive() + chrono::Days::new(1),
            None => true,
        }
    }
}

fn from_fixed(dt: DateTime<FixedOffset>) -> PageDate {
    PageDate {
        date: dt.date_naive(),
        time: Some(dt.time()),
        offset: Some(*dt.offset()),
    }
}

fn from_naive(dt: NaiveDateTime) -> PageDate {
    PageDate {
        date: dt.date(),
        time: Some(dt.time()),
        offset: None,
    }
}

/// Parses a machine-readable date (ISO 8601 and relatives, RFC 2822, Unix
/// seconds or milliseconds), keeping the offset it states.
pub fn parse(raw: &str) -> Option<PageDate> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(from_fixed(d));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y%m%dT%H%M%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(from_fixed(d));
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(from_fixed(d));
    }
    // "2023-07-12T10:00:00Z" variants with a zone name chrono does not read
    // ("2023-07-12 10:00:00 UTC", "... GMT"): the clock time is UTC.
    for suffix in [" UTC", " GMT", "Z"] {
        if let Some(head) = s.strip_suffix(suffix)
            && let Some(naive) = parse_naive(head.trim())
        {
            return Some(PageDate {
                offset: Some(FixedOffset::east_opt(0)?),
                ..naive
            });
        }
    }
    if let Some(naive) = parse_naive(s) {
        return Some(naive);
    }
    if s.len() >= 10 && s.len() <= 13 && s.bytes().all(|b| b.is_ascii_digit()) {
        // Unix seconds or milliseconds: an instant, so UTC.
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() >= 13 { n / 1000 } else { n };
        return DateTime::from_timestamp(secs, 0).map(|d| from_fixed(d.fixed_offset()));
    }
    // Written forms in machine fields ("Tue, Sep 15 2020 10:01:41",
    // "04:25:06 PM IST Apr 08, 2020"): read as a reader would.
    in_text(s, None)
}

fn parse_naive(s: &str) -> Option<PageDate> {
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(from_naive(d));
        }
    }
    let head = s.get(..10).unwrap_or(s);
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(head, fmt) {
            return Some(PageDate::day(d));
        }
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d")
            .ok()
            .map(PageDate::day);
    }
    None
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\.|$)")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// A date in the URL path, as in `/2023/07/12/nato-summit` or `/20230712/`.
pub fn from_url(url: &str) -> Option<PageDate> {
    let c = URL_DATE.captures(url)?;
    let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d).map(PageDate::day)
}

/// Month names and their abbreviations in the taxonomy's ten languages (and
/// a few neighbours), lower case, with the month's number. Genitive and
/// other declined forms are listed where a date uses them ("12 lipca",
/// "12 июля", "12 липня").
const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("jän", 1),
    ("mär", 3),
    ("mrz", 3),
    ("okt", 10),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("janv", 1),
    ("févr", 2),
    ("avr", 4),
    ("juil", 7),
    ("déc", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("ene", 1),
    ("dic", 12),
    ("abr", 4),
    ("ago", 8),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    ("fev", 2),
    ("out", 10),
    ("set", 9),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("gen", 1),
    ("mag", 5),
    ("giu", 6),
    ("lug", 7),
    ("ott", 10),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("okt", 10),
    // Polish (nominative and genitive)
    ("styczeń", 1),
    ("stycznia", 1),
    ("luty", 2),
    ("lutego", 2),
    ("marzec", 3),
    ("marca", 3),
    ("kwiecień", 4),
    ("kwietnia", 4),
    ("maj", 5),
    ("maja", 5),
    ("czerwiec", 6),
    ("czerwca", 6),
    ("lipiec", 7),
    ("lipca", 7),
    ("sierpień", 8),
    ("sierpnia", 8),
    ("wrzesień", 9),
    ("września", 9),
    ("październik", 10),
    ("października", 10),
    ("listopad", 11),
    ("listopada", 11),
    ("grudzień", 12),
    ("grudnia", 12),
    // Russian (nominative and genitive)
    ("январь", 1),
    ("января", 1),
    ("февраль", 2),
    ("февраля", 2),
    ("март", 3),
    ("марта", 3),
    ("апрель", 4),
    ("апреля", 4),
    ("май", 5),
    ("мая", 5),
    ("июнь", 6),
    ("июня", 6),
    ("июль", 7),
    ("июля", 7),
    ("август", 8),
    ("августа", 8),
    ("сентябрь", 9),
    ("сентября", 9),
    ("октябрь", 10),
    ("октября", 10),
    ("ноябрь", 11),
    ("ноября", 11),
    ("декабрь", 12),
    ("декабря", 12),
    // Ukrainian (nominative and genitive)
    ("січень", 1),
    ("січня", 1),
    ("лютий", 2),
    ("лютого", 2),
    ("березень", 3),
    ("березня", 3),
    ("квітень", 4),
    ("квітня", 4),
    ("травень", 5),
    ("травня", 5),
    ("червень", 6),
    ("червня", 6),
    ("липень", 7),
    ("липня", 7),
    ("серпень", 8),
    ("серпня", 8),
    ("вересень", 9),
    ("вересня", 9),
    ("жовтень", 10),
    ("жовтня", 10),
    ("листопад", 11),
    ("листопада", 11),
    ("грудень", 12),
    ("грудня", 12),
    // Arabic (Egyptian and Levantine names).
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يوليو", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
    ("تشرين الأول", 10),
    ("تشرين الثاني", 11),
    ("كانون الأول", 12),
    // Turkish, Romanian, Czech: neighbours whose pages the dev set has.
    ("ocak", 1),
    ("şubat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayıs", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("ağustos", 8),
    ("eylül", 9),
    ("ekim", 10),
    ("kasım", 11),
    ("aralık", 12),
    ("ianuarie", 1),
    ("februarie", 2),
    ("martie", 3),
    ("aprilie", 4),
    ("iunie", 6),
    ("iulie", 7),
    ("septembrie", 9),
    ("octombrie", 10),
    ("noiembrie", 11),
    ("decembrie", 12),
];

/// The month a word names. The date patterns take any run of letters as the
/// month word and leave the naming to this lookup: a counted repetition of
/// Unicode's letter class (`\p{L}{3,12}`) compiled a copy of the class per
/// count, milliseconds of every process's CPU.
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(name, _)| *name == w).map(|(_, n)| *n)
}

static WRITTEN_DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    // "12 July 2023", "12. Juli 2023", "12 de julio de 2023", "12 июля 2023 г.",
    // and the Levantine and Egyptian names side by side ("24 نيسان / أبريل 2020").
    // Only the literal words are case-insensitive: folding the letter class
    // too cost a third of the pattern's compile time, for nothing.
    Regex::new(r"\b(\d{1,2})(?i:\.|º|er)?\s+(?i:de\s+)?(\p{L}+)\.?(?:\s*/\s*\p{L}+)?,?\s+(?i:de\s+|del\s+)?((?:19|20)\d{2})\b")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static WRITTEN_MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    // "July 12, 2023", "Jul. 12 2023"
    Regex::new(r"\b(\p{L}+)\.?\s+(\d{1,2})(?i:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    // 2023-07-12, 2023/07/12, 12.07.2023, 12/07/2023, 07/12/2023, 12-07-2023
    Regex::new(r"\b(?:((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2}))\b")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static CJK: LazyLock<Regex> = LazyLock::new(|| {
    // 2020年07月03日, 2020년 7월 3일
    Regex::new(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[,\s|–-]*(?:à|um|a las|às|alle|om|o|в|о|at|kl\.?)?\s*(\d{1,2})[:h.](\d{2})(?::\d{2})?(?:\s*(?i:(a\.m\.|am\b)|(p\.m\.|pm\b))|\s*(صباحًا|صباحا)|\s*(مساءً|مساء)|\b)")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// Whether `language` writes numeric dates month first (07/12/2023).
fn month_first(language: Option<&str>) -> bool {
    matches!(language, Some("en")) // en-US and en pages without a region
}

/// The first date a reader sees in `text`, with the clock time that
/// follows it if any; a date labelled as an update ("Aktualisiert am",
/// "updated") only when no other date follows: the original publication
/// wins over an update stated before it.
pub fn in_text(text: &str, language: Option<&str>) -> Option<PageDate> {
    dates_in_text(text, language).first()
}

/// What the visible text states: the publication, and an update labelled
/// as such ("Aktualisiert: 16.04.2020, 09:00 | Erstellt: 15.04.2020").
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TextDates {
    pub published: Option<PageDate>,
    pub updated: Option<PageDate>,
}

impl TextDates {
    /// The page's date: the publication, else the update (the only date
    /// there is).
    pub fn first(&self) -> Option<PageDate> {
        self.published.or(self.updated)
    }

    /// Notes a date found, as the update or as the publication (the first
    /// of each stands); whether both are now known.
    fn note(&mut self, date: PageDate, update: bool) -> bool {
        if update {
            self.updated.get_or_insert(date);
        } else if self.published.is_none() {
            self.published = Some(date);
        }
        self.published.is_some() && self.updated.is_some()
    }
}

/// How far past the publication's date an update's is looked for: a
/// byline states both together.
const UPDATE_AFTER_BYTES: usize = 200;

/// The publication date and the update date stated in `text` (see
/// [`in_text`]); an update is a date labelled so, before the publication
/// or soon after it.
///
/// Every form has a four-digit year, so the patterns run only around each
/// year in turn (a cheap byte scan finds them), not over the whole text:
/// Unicode word boundaries keep these patterns off the fast regex engines.
/// Two-digit years ("15.04.20") are looked for only when no other date is.
pub fn dates_in_text(text: &str, language: Option<&str>) -> TextDates {
    let bytes = text.as_bytes();
    let mut found = TextDates::default();
    // Where the next date may start: past the last one found, so the
    // windows of later years do not find it again.
    let mut from = 0;
    let mut published_end = None;
    let mut at = 0;
    while at + 4 <= bytes.len() {
        if published_end.is_some_and(|end| at > end + UPDATE_AFTER_BYTES) {
            break;
        }
        let b = &bytes[at..at + 4];
        let year_like = (b[..2] == *b"19" || b[..2] == *b"20")
            && b[2].is_ascii_digit()
            && b[3].is_ascii_digit()
            && (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 4).is_none_or(|c| !c.is_ascii_digit());
        if !year_like || at < from {
            at += 1;
            continue;
        }
        let start = floor_boundary(text, at.saturating_sub(AROUND_YEAR).max(from));
        let end = floor_boundary(text, (at + 4 + AROUND_YEAR).min(text.len()));
        if let Some((found_at, found_end, date)) = in_slice(&text[start..end], language) {
            let label = &text[floor_boundary(
                text,
                (start + found_at).saturating_sub(LABEL_BYTES).max(from),
            )..start + found_at];
            from = start + found_end;
            let update = is_update_label(label);
            if !update && found.published.is_none() {
                published_end = Some(from);
            }
            if found.note(date, update) {
                break;
            }
        }
        at += 4;
    }
    if found == TextDates::default() {
        return short_year(text);
    }
    found
}

/// "15.04.20": a dotted date with a two-digit year, as German pages write
/// it ("Erstellt: 15.04.20, 14:30 Uhr"). Without its century it could be a
/// score or a version, so it counts only labelled as a date or followed by
/// a clock time.
static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{1,2})\.(\d{1,2})\.(\d{2})(?:[^.\d]|$)")
        .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// Words that label the date after them as the page's (or its update's).
const DATE_LABELS: &[&str] = &[
    "erstellt",
    "veröffentlicht",
    "stand",
    "datum",
    "vom",
    "publiziert",
    "published",
    "posted",
    "publié",
    "publicado",
    "pubblicato",
    "opublikowano",
    "gepubliceerd",
    "опубликовано",
];

/// The first labelled or timed two-digit-year dates in `text`.
fn short_year(text: &str) -> TextDates {
    let mut found = TextDates::default();
    // Labels are read back to the previous date at most.
    let mut from = 0;
    for c in SHORT_YEAR.captures_iter(text) {
        let (Some(whole), Some(year)) = (c.get(0), c.get(3)) else {
            continue;
        };
        let label_start = floor_boundary(text, whole.start().saturating_sub(LABEL_BYTES)).max(from);
        let before = &text[label_start..whole.start()];
        from = year.end();
        let lower = before.to_lowercase();
        // A label is a word of its own: "Stand:", not "Endstand".
        let labelled = DATE_LABELS.iter().any(|label| {
            lower.match_indices(label).any(|(i, _)| {
                !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic)
            })
        });
        let time = TIME_AFTER
            .captures(&text[year.end()..])
            .and_then(|t| NaiveTime::from_hms_opt(t[1].parse().ok()?, t[2].parse().ok()?, 0));
        let updated = is_update_label(before);
        if !(labelled || updated || time.is_some()) {
            continue;
        }
        let day = (|| {
            NaiveDate::from_ymd_opt(
                2000 + c[3].parse::<i32>().ok()?,
                c[2].parse().ok()?,
                c[1].parse().ok()?,
            )
        })();
        let Some(day) = day else { continue };
        let date = PageDate {
            date: day,
            time,
            offset: None,
        };
        if found.note(date, updated) {
            break;
        }
    }
    found
}

/// Bytes before a date searched for its label ("Aktualisiert am").
const LABEL_BYTES: usize = 32;

/// Whether the text before a date labels it as an update.
fn is_update_label(before: &str) -> bool {
    let lower = before.to_lowercase();
    [
        "updated",
        "update:",
        "modified",
        "aktualisiert",
        "geändert",
        "mis à jour",
        "modifié",
        "actualizado",
        "actualización",
        "aggiornato",
        "aggiornamento",
        "zaktualizowano",
        "aktualizacja",
        "bijgewerkt",
        "gewijzigd",
        "atualizado",
        "atualização",
        "обновлено",
        "обновлён",
        "оновлено",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// Bytes on each side of a year that a date around it can take
/// ("Wednesday, 12 de septiembre de 2023, 23:30").
const AROUND_YEAR: usize = 48;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A day joined to another by a dash ("11-12 July 2020", "2020/7/11-12",
/// "11.–12. Juli"): the span of an event the page is about, never the day
/// it was published. `at..end` is the matched date, `day_end` where its day
/// number ends when the day comes last.
/// (Not a time's minutes: "14:05 - 12.07.2020" is a byline.)
static RANGE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\d:])\d{1,2}\.?\s*[-–—]\s*$").expect("valid regex"));
static RANGE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[-–—~]\s*\d{1,2}(?:[^\d:.]|\.\D|$)").expect("valid regex"));

fn is_range(text: &str, at: usize, day_end: Option<usize>) -> bool {
    let before = &text[floor_boundary(text, at.saturating_sub(8))..at];
    RANGE_BEFORE.is_match(before) || day_end.is_some_and(|end| RANGE_AFTER.is_match(&text[end..]))
}

/// The earliest date in `text`: where it starts, where it (and the time
/// after it) ends, and the date.
fn in_slice(text: &str, language: Option<&str>) -> Option<(usize, usize, PageDate)> {
    let mut best: Option<(usize, usize, PageDate)> = None;
    let mut consider = |at: usize, date: Option<NaiveDate>, end: usize| {
        let Some(date) = date else { return };
        if best.is_some_and(|(b, _, _)| b <= at) {
            return;
        }
        let time_match = TIME_AFTER.captures(&text[end..]);
        let through = end
            + time_match
                .as_ref()
                .and_then(|c| c.get(0))
                .map_or(0, |m| m.end());
        let time = time_match.and_then(|c| {
            let hour: u32 = c[1].parse().ok()?;
            // A 12-hour clock: "11:30 PM" is 23:30, "12:05 AM" is 00:05.
            let morning = c.get(3).or(c.get(5)).is_some();
            let evening = c.get(4).or(c.get(6)).is_some();
            let hour = match (morning, evening) {
                (true, _) if hour == 12 => 0,
                (_, true) if hour < 12 => hour + 12,
                _ => hour,
            };
            NaiveTime::from_hms_opt(hour, c[2].parse().ok()?, 0)
        });
        best = Some((
            at,
            through,
            PageDate {
                date,
                time,
                offset: None,
            },
        ));
    };
    let number = |m: regex::Match<'_>| m.as_str().parse::<u32>().ok();
    for c in WRITTEN_DAY_FIRST.captures_iter(text) {
        let (Some(day), Some(month), Some(year)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        let at = c.get(0).map_or(0, |m| m.start());
        let date = month_number(month.as_str())
            .and_then(|m| {
                NaiveDate::from_ymd_opt(i32::try_from(number(year)?).ok()?, m, number(day)?)
            })
            .filter(|_| !is_range(text, at, None));
        if date.is_some() {
            consider(at, date, year.end());
            break;
        }
    }
    for c in WRITTEN_MONTH_FIRST.captures_iter(text) {
        let (Some(month), Some(day), Some(year)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        let date = month_number(month.as_str())
            .and_then(|m| {
                NaiveDate::from_ymd_opt(i32::try_from(number(year)?).ok()?, m, number(day)?)
            })
            .filter(|_| !is_range(text, day.start(), Some(day.end())));
        if date.is_some() {
            consider(c.get(0).map_or(0, |m| m.start()), date, year.end());
            break;
        }
    }
    if let Some(c) = CJK.captures(text) {
        let date = (|| {
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
        })();
        let m = c.get(0);
        consider(m.map_or(0, |m| m.start()), date, m.map_or(0, |m| m.end()));
    }
    // The first numeric date that is not one end of a range.
    let numeric = NUMERIC.captures_iter(text).find(|c| {
        let whole = c.get(0);
        let at = whole.map_or(0, |m| m.start());
        let day_end = c.get(3).map(|d| d.end());
        !is_range(text, at, day_end)
    });
    if let Some(c) = numeric {
        let at = c.get(0).map_or(0, |m| m.start());
        let end = c.get(0).map_or(0, |m| m.end());
        let date = if let (Some(y), Some(m), Some(d)) = (c.get(1), c.get(2), c.get(3)) {
            NaiveDate::from_ymd_opt(
                y.as_str().parse().ok()?,
                m.as_str().parse().ok()?,
                d.as_str().parse().ok()?,
            )
        } else {
            let (a, b, y) = (
                c[4].parse::<u32>().ok()?,
                c[5].parse::<u32>().ok()?,
                c[6].parse().ok()?,
            );
            // The language decides 07/12 unless one of the two cannot be a month.
            // A number over 12 is the day; else dotted dates are day
            // first everywhere, and the language decides slashes.
            let dotted = c[0].as_bytes().get(c[4].len()) == Some(&b'.');
            let day_first = if a > 12 {
                true
            } else if b > 12 {
                false
            } else {
                dotted || !month_first(language)
            };
            let (day, month) = if day_first { (a, b) } else { (b, a) };
            NaiveDate::from_ymd_opt(y, month, day)
        };
        consider(at, date, end);
    }
    best
}

/// Lines that state other dates than the publication: copyright lines, and
/// a photo's caption or credit ("FILE PHOTO: ... January 16, 2020.
/// REUTERS/Name"), whose date is the day the photo was taken.
pub fn is_other_date_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "©",
        "copyright",
        "(c) ",
        "all rights reserved",
        "alle rechte",
        "todos los derechos",
        "file photo",
        "reuters/",
        "via reuters",
        "ap photo",
        "afp photo",
        "getty images",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_page_offset_is_kept_so_the_day_is_the_pages() {
        let d = parse("2023-07-12T23:30:00-05:00").unwrap();
        assert_eq!(d.date, ymd(2023, 7, 12));
        assert_eq!(d.to_rfc3339(), "2023-07-12T23:30:00-05:00");
        assert_eq!(
            parse("2023-07-12T10:00:00Z").unwrap().to_rfc3339(),
            "2023-07-12T10:00:00Z"
        );
        assert_eq!(parse("2023-07-12").unwrap().to_rfc3339(), "2023-07-12");
        assert_eq!(
            parse("2023-07-12 10:00").unwrap().to_rfc3339(),
            "2023-07-12T10:00:00"
        );
        assert_eq!(
            parse("Wed, 12 Jul 2023 23:30:00 +0200")
                .unwrap()
                .to_rfc3339(),
            "2023-07-12T23:30:00+02:00"
        );
        assert_eq!(parse("1689199200").unwrap().date, ymd(2023, 7, 12));
        assert_eq!(
            parse("Tue, Sep 15 2020 10:01:41").unwrap().date,
            ymd(2020, 9, 15)
        );
        assert_eq!(
            parse("04:25:06 PM IST Apr 08, 2020").unwrap().date,
            ymd(2020, 4, 8)
        );
    }

    #[test]
    fn written_months_in_ten_languages() {
        for (text, language) in [
            ("Published July 12, 2023 at 10:00", "en"),
            ("12 July 2023", "en"),
            ("Veröffentlicht am 12. Juli 2023, 10:00 Uhr", "de"),
            ("Publié le 12 juillet 2023 à 10h00", "fr"),
            ("12 de julio de 2023", "es"),
            ("12 de julho de 2023", "pt"),
            ("12 luglio 2023", "it"),
            ("12 juli 2023", "nl"),
            ("Opublikowano: 12 lipca 2023", "pl"),
            ("12 июля 2023 г.", "ru"),
            ("Mi., 12. Jul. 2023", "de"),
            ("12 липня 2023 року", "uk"),
            ("2023年07月12日", "ja"),
            // Levantine and Egyptian month names side by side.
            ("الأربعاء 12 تموز / يوليو 2023", "ar"),
        ] {
            let d = in_text(text, Some(language)).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.date, ymd(2023, 7, 12), "{text}");
        }
    }

    #[test]
    fn an_events_span_is_not_a_publication_date() {
        // Ranges are skipped; the first date that is not one wins.
        for (text, language) in [
            ("Sale winners (2020/7/11-12) posted 2023/07/12", "ja"),
            ("Festival 10-11 July 2020. Published 12 July 2023", "en"),
            (
                "Tagung am 10.–11. Juli 2020, veröffentlicht am 12. Juli 2023",
                "de",
            ),
            ("Races July 10-11, 2020; posted July 12, 2023", "en"),
        ] {
            let d = in_text(text, Some(language)).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.date, ymd(2023, 7, 12), "{text}");
        }
        assert!(in_text("Summit on 11-12 July 2023", Some("en")).is_none());
        // A time before a dash is a byline, not a range.
        let d = in_text("14:05 - 12.07.2023", Some("de")).unwrap();
        assert_eq!(d.date, ymd(2023, 7, 12));
        let d = in_text("Posted 2023-07-12 - 10:30", Some("en")).unwrap();
        assert_eq!(d.date, ymd(2023, 7, 12));
    }

    #[test]
    fn numeric_dates_follow_the_language() {
        assert_eq!(
            in_text("12.07.2023", Some("de")).unwrap().date,
            ymd(2023, 7, 12)
        );
        assert_eq!(in_text("2023-07-12", None).unwrap().date, ymd(2023, 7, 12));
        assert_eq!(
            in_text("07/12/2023", Some("en")).unwrap().date,
            ymd(2023, 7, 12)
        );
        assert_eq!(
            in_text("12/07/2023", Some("fr")).unwrap().date,
            ymd(2023, 7, 12)
        );
        // A day over 12 settles the order whatever the language.
        assert_eq!(
            in_text("25/07/2023", Some("en")).unwrap().date,
            ymd(2023, 7, 25)
        );
        let with_time = in_text("12.07.2023, 23:30", Some("de")).unwrap();
        assert_eq!(with_time.to_rfc3339(), "2023-07-12T23:30:00");
        // A 12-hour clock is read as one.
        for (text, written) in [
            ("July 12, 2023, 11:30 PM", "2023-07-12T23:30:00"),
            ("July 12, 2023 at 12:05 a.m.", "2023-07-12T00:05:00"),
            ("July 12, 2023 9:15am", "2023-07-12T09:15:00"),
            ("12 تموز / يوليو 2023 09:22 مساءً", "2023-07-12T21:22:00"),
        ] {
            let d = in_text(text, None).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.to_rfc3339(), written, "{text}");
        }
    }

    #[test]
    fn implausible_dates_are_refused() {
        let now = DateTime::parse_from_rfc3339("2023-07-12T12:00:00Z")
            .unwrap()
            .to_utc();
        assert!(PageDate::day(ymd(2023, 7, 13)).plausible(Some(now)));
        assert!(!PageDate::day(ymd(2023, 7, 15)).plausible(Some(now)));
        assert!(!PageDate::day(ymd(1990, 1, 1)).plausible(Some(now)));
    }

    #[test]
    fn urls_give_dates() {
        assert_eq!(
            from_url("https://x.com/2023/07/12/story").unwrap().date,
            ymd(2023, 7, 12)
        );
        assert_eq!(
            from_url("https://x.com/news/20230712/story").unwrap().date,
            ymd(2023, 7, 12)
        );
        assert!(from_url("https://x.com/news/story-2023").is_none());
    }
}
