//! One fetched discovery document, read: a feed (RSS 2.0, RSS 1.0/RDF,
//! Atom, JSON Feed, by feed-rs), a sitemap or sitemap index (quick-xml,
//! [`super::sitemap`]), or a site's HTML page, from which its feeds are
//! found (`<link rel="alternate" type="application/rss+xml">` and kin).
//! The document's kind is sniffed from its bytes, not trusted from the
//! server's `Content-Type`: feeds are served as `text/xml`, `text/html`
//! and worse.

use chrono::{DateTime, NaiveDate, Utc};
use url::Url;

use super::error::DiscoverError;
use super::sitemap;
use super::source::Kind;

/// An article URL a document lists, with what the document says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// As written in the document, resolved against its URL.
    pub url: String,
    pub title: Option<String>,
    /// The publication (or last modification) date, as RFC 3339.
    pub published: Option<DateTime<Utc>>,
    /// The feed's own id for the item (RSS guid, Atom id), when it gives one.
    pub id: Option<String>,
}

/// What a document holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Contents {
    /// Article URLs, from a feed or a `<urlset>`; `format` names the kind
    /// (`rss`, `atom`, `json_feed`, `sitemap`, `news_sitemap`).
    Entries {
        format: &'static str,
        entries: Vec<Entry>,
        /// Entries past the limit, not kept.
        dropped: usize,
    },
    /// A sitemap index: the sitemaps it lists.
    Index(Vec<Url>),
    /// An HTML page: the feeds it links to.
    Site(Vec<Url>),
}

/// What the bytes look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Feed,
    Sitemap,
    Html,
    Unknown,
}

/// Reads `body`, fetched from `base`, expected to be of `kind`; at most
/// `max_entries` entries are kept (the rest are counted in `dropped`).
pub fn read(
    body: &[u8],
    base: &Url,
    kind: Kind,
    max_entries: usize,
) -> Result<Contents, DiscoverError> {
    let sniffed = sniff(body);
    match (kind, sniffed) {
        (Kind::Auto | Kind::Feed, Sniffed::Feed) => read_feed(body, base, max_entries),
        (Kind::Auto | Kind::Sitemap, Sniffed::Sitemap) => read_sitemap(body, base, max_entries),
        (Kind::Auto | Kind::Site, Sniffed::Html) => Ok(Contents::Site(feed_links(body, base))),
        _ => Err(DiscoverError::WrongKind {
            expected: kind.name(),
            found: sniffed.name(),
        }),
    }
}

impl Sniffed {
    /// The kind found, for error messages.
    fn name(self) -> &'static str {
        match self {
            Sniffed::Feed => "a feed",
            Sniffed::Sitemap => "a sitemap",
            Sniffed::Html => "an HTML page",
            Sniffed::Unknown => "neither XML, JSON nor HTML",
        }
    }
}

/// The kind of document, from its first bytes: JSON is a JSON Feed; an
/// HTML doctype or `<html>` is a page; otherwise the XML root element's
/// name decides.
fn sniff(body: &[u8]) -> Sniffed {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 2048)];
    if head.starts_with(b"{") {
        return Sniffed::Feed;
    }
    if !head.starts_with(b"<") {
        return Sniffed::Unknown;
    }
    let lower = head.to_ascii_lowercase();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if has(b"<!doctype html") || has(b"<html") {
        return Sniffed::Html;
    }
    let mut reader = quick_xml::Reader::from_reader(&body[start..]);
    // The root element is in the first few events (declaration, comments,
    // processing instructions, a doctype).
    for _ in 0..32 {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                return match e.local_name().as_ref() {
                    "rss" | "RDF" | "feed" => Sniffed::Feed,
                    "urlset" | "sitemapindex" => Sniffed::Sitemap,
                    "html" | "HTML" => Sniffed::Html,
                    _ => Sniffed::Unknown,
                };
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return Sniffed::Unknown,
            Ok(_) => {}
        }
    }
    Sniffed::Unknown
}

fn read_feed(body: &[u8], base: &Url, max_entries: usize) -> Result<Contents, DiscoverError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        // No made-up ids: an item without one is known by its URL.
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(body)
        .map_err(|e| DiscoverError::Malformed(format!("feed: {e}")))?;
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom",
        feed_rs::model::FeedType::JSON => "json_feed",
        feed_rs::model::FeedType::RSS1 => "rss1",
        _ => "rss",
    };
    let total = feed.entries.len();
    let entries: Vec<Entry> = feed
        .entries
        .into_iter()
        .take(max_entries)
        .filter_map(|item| {
            let link = item
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(item.links.first())?;
            let url = base.join(link.href.trim()).ok()?;
            Some(Entry {
                url: url.to_string(),
                title: item
                    .title
                    .map(|t| t.content.trim().to_owned())
                    .filter(|t| !t.is_empty()),
                published: item.published.or(item.updated),
                id: Some(item.id).filter(|id| !id.is_empty()),
            })
        })
        .collect();
    Ok(Contents::Entries {
        format,
        entries,
        dropped: total.saturating_sub(max_entries),
    })
}

fn read_sitemap(body: &[u8], base: &Url, max_entries: usize) -> Result<Contents, DiscoverError> {
    let map = sitemap::parse(body, max_entries)
        .map_err(|e| DiscoverError::Malformed(format!("sitemap: {e}")))?;
    if map.index {
        let children = map
            .sitemaps
            .iter()
            .filter_map(|loc| base.join(loc).ok())
            .collect();
        return Ok(Contents::Index(children));
    }
    let format = if map.news { "news_sitemap" } else { "sitemap" };
    let entries = map
        .urls
        .into_iter()
        .filter_map(|u| {
            let url = base.join(&u.loc).ok()?;
            let published = u
                .publication_date
                .as_deref()
                .or(u.lastmod.as_deref())
                .and_then(w3c_datetime);
            Some(Entry {
                url: url.to_string(),
                title: u.title,
                published,
                id: None,
            })
        })
        .collect();
    Ok(Contents::Entries {
        format,
        entries,
        dropped: map.dropped,
    })
}

/// A W3C datetime as sitemaps write it: a day, or a time with an offset,
/// with or without seconds.
pub fn w3c_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z") {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// Media types of feeds a page may link to.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
];

/// Most feeds taken from one page: sites link a feed per section and per
/// comment thread; the first few are the site's own.
pub const MAX_PAGE_FEEDS: usize = 8;

/// The feeds an HTML page links to with `<link rel="alternate">`.
fn feed_links(body: &[u8], base: &Url) -> Vec<Url> {
    let text = String::from_utf8_lossy(body);
    let page = scraper::Html::parse_document(&text);
    let Ok(links) = scraper::Selector::parse("link[rel][href][type]") else {
        return Vec::new();
    };
    let mut feeds: Vec<Url> = Vec::new();
    for link in page.select(&links) {
        let element = link.value();
        let rel = element.attr("rel").unwrap_or_default();
        let media = element.attr("type").unwrap_or_default().trim();
        let is_alternate = rel
            .split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("alternate"));
        if !is_alternate || !FEED_TYPES.iter().any(|t| media.eq_ignore_ascii_case(t)) {
            continue;
        }
        if let Some(url) = element
            .attr("href")
            .and_then(|href| base.join(href.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            && !feeds.contains(&url)
        {
            feeds.push(url);
        }
        if feeds.len() == MAX_PAGE_FEEDS {
            break;
        }
    }
    feeds
}

/// The `Sitemap:` lines of a robots.txt, resolved against it.
pub fn robots_sitemaps(robots: &[u8], base: &Url, max: usize) -> Vec<Url> {
    String::from_utf8_lossy(robots)
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case("sitemap")
                .then(|| base.join(value.trim()).ok())
                .flatten()
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .take(max)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/feeds/main").unwrap()
    }

    #[test]
    fn kinds_are_sniffed_from_the_bytes() {
        assert_eq!(
            sniff(b"\xef\xbb\xbf  <?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Sniffed::Feed
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><!-- x --><feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Sniffed::Feed
        );
        assert_eq!(sniff(b"<rdf:RDF xmlns:rdf=\"x\">"), Sniffed::Feed);
        assert_eq!(
            sniff(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            Sniffed::Feed
        );
        assert_eq!(sniff(b"<urlset xmlns=\"x\">"), Sniffed::Sitemap);
        assert_eq!(sniff(b"<sitemapindex>"), Sniffed::Sitemap);
        assert_eq!(sniff(b"<!DOCTYPE html><html><head>"), Sniffed::Html);
        assert_eq!(sniff(b"<svg/>"), Sniffed::Unknown);
        assert_eq!(sniff(b"\x1f\x8b\x08binary"), Sniffed::Unknown);
    }

    #[test]
    fn a_page_served_for_a_feed_is_refused_by_name() {
        let e = read(b"<!doctype html><title>x</title>", &base(), Kind::Feed, 10).unwrap_err();
        assert_eq!(e.class(), "wrong_kind");
        assert!(e.to_string().contains("an HTML page"), "{e}");
    }

    #[test]
    fn pages_name_their_feeds() {
        let html = br#"<html><head>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="Alternate" type="application/atom+xml" href="https://news.example/atom">
<link rel="alternate" type="text/html" hreflang="de" href="/de/">
<link rel="stylesheet" type="text/css" href="/a.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body></body></html>"#;
        let Contents::Site(feeds) = read(html, &base(), Kind::Auto, 10).unwrap() else {
            panic!("not a site");
        };
        let feeds: Vec<&str> = feeds.iter().map(Url::as_str).collect();
        assert_eq!(
            feeds,
            ["https://news.example/rss.xml", "https://news.example/atom"]
        );
    }

    #[test]
    fn sitemap_dates_in_w3c_forms() {
        for (text, want) in [
            ("2026-11-30", "2026-11-30T00:00:00+00:00"),
            ("2026-11-30T08:15+01:00", "2026-11-30T07:15:00+00:00"),
            ("2026-11-30T08:15:30Z", "2026-11-30T08:15:30+00:00"),
            (
                "2026-11-30T08:15:30.5+02:00",
                "2026-11-30T06:15:30.500+00:00",
            ),
        ] {
            assert_eq!(w3c_datetime(text).unwrap().to_rfc3339(), want, "{text}");
        }
        assert_eq!(w3c_datetime("yesterday"), None);
    }

    #[test]
    fn robots_txt_sitemap_lines() {
        let robots = b"User-agent: *\nDisallow: /private\nSitemap: https://news.example/sitemap.xml\nsitemap:/news.xml\nSitemap: ftp://x/y\n";
        let found: Vec<String> = robots_sitemaps(robots, &base(), 10)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            found,
            [
                "https://news.example/sitemap.xml",
                "https://news.example/news.xml"
            ]
        );
    }
}
