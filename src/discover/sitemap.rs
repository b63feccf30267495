//! XML sitemaps (sitemaps.org 0.9) and Google News sitemaps, read with
//! quick-xml as a stream of events: a `<urlset>` gives article URLs with
//! their `<lastmod>` and, for news sitemaps, `news:publication_date` and
//! `news:title`; a `<sitemapindex>` gives the sitemaps it lists. Elements
//! are matched by local name, so any namespace prefix works.

use quick_xml::Reader;
use quick_xml::events::Event;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sitemap {
    /// `<sitemapindex>`: the sitemaps it points at (`<sitemap><loc>`).
    pub sitemaps: Vec<String>,
    /// `<urlset>`: the pages it lists.
    pub urls: Vec<SitemapUrl>,
    /// Entries past the limit, not kept.
    pub dropped: usize,
    /// True for a Google News sitemap (any `<news:news>` entry).
    pub news: bool,
    /// The root is `<sitemapindex>`.
    pub index: bool,
}

/// One `<url>` of a `<urlset>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SitemapUrl {
    pub loc: String,
    /// `<lastmod>`, as written (W3C datetime).
    pub lastmod: Option<String>,
    /// `<news:publication_date>`, as written.
    pub publication_date: Option<String>,
    /// `<news:title>`.
    pub title: Option<String>,
}

/// Why a sitemap could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SitemapError {
    #[error("malformed XML at byte {position}: {message}")]
    Malformed { position: u64, message: String },
    #[error("the root element is <{0}>, not <urlset> or <sitemapindex>")]
    NotASitemap(String),
}

/// The element whose text is being read.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Loc,
    Lastmod,
    PublicationDate,
    Title,
}

/// Reads a sitemap or sitemap index, keeping at most `max_entries` entries.
pub fn parse(xml: &[u8], max_entries: usize) -> Result<Sitemap, SitemapError> {
    // Text is trimmed per element, not per piece: a piece ends at every
    // entity reference ("Summit &amp; Co").
    let mut reader = Reader::from_reader(xml);
    let mut out = Sitemap::default();
    let mut root: Option<String> = None;
    let mut entry: Option<SitemapUrl> = None;
    let mut in_sitemap = false;
    let mut field = Field::None;
    let mut text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| SitemapError::Malformed {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if root.is_none() {
                    let tag = name.to_owned();
                    if tag != "urlset" && tag != "sitemapindex" {
                        return Err(SitemapError::NotASitemap(tag));
                    }
                    out.index = tag == "sitemapindex";
                    root = Some(tag);
                    continue;
                }
                match name {
                    "url" => entry = Some(SitemapUrl::default()),
                    "sitemap" => in_sitemap = true,
                    "news" => out.news = true,
                    "loc" => field = Field::Loc,
                    "lastmod" => field = Field::Lastmod,
                    "publication_date" => field = Field::PublicationDate,
                    "title" => field = Field::Title,
                    _ => field = Field::None,
                }
                text.clear();
            }
            Event::Empty(e) if root.is_none() => {
                let tag = e.local_name().as_ref().to_owned();
                if tag == "urlset" || tag == "sitemapindex" {
                    out.index = tag == "sitemapindex";
                    return Ok(out);
                }
                return Err(SitemapError::NotASitemap(tag));
            }
            Event::Text(t) if field != Field::None => text.push_str(&t.xml10_content()),
            Event::CData(t) if field != Field::None => {
                text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if field != Field::None => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    text.push_str(s);
                }
            }
            Event::End(e) => {
                let value = text.trim();
                match (e.local_name().as_ref(), field) {
                    ("loc", Field::Loc) if in_sitemap => {
                        keep(
                            &mut out.sitemaps,
                            value.to_owned(),
                            &mut out.dropped,
                            max_entries,
                        );
                    }
                    ("loc", Field::Loc) => {
                        if let Some(entry) = entry.as_mut() {
                            entry.loc = value.to_owned();
                        }
                    }
                    ("lastmod", Field::Lastmod) => {
                        if let Some(entry) = entry.as_mut() {
                            entry.lastmod = nonempty(value);
                        }
                    }
                    ("publication_date", Field::PublicationDate) => {
                        if let Some(entry) = entry.as_mut() {
                            entry.publication_date = nonempty(value);
                        }
                    }
                    ("title", Field::Title) => {
                        if let Some(entry) = entry.as_mut() {
                            entry.title = nonempty(value);
                        }
                    }
                    ("url", _) => {
                        if let Some(done) = entry.take().filter(|u| !u.loc.is_empty()) {
                            keep(&mut out.urls, done, &mut out.dropped, max_entries);
                        }
                    }
                    ("sitemap", _) => in_sitemap = false,
                    _ => {}
                }
                field = Field::None;
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match root {
        Some(_) => Ok(out),
        None => Err(SitemapError::Malformed {
            position: 0,
            message: "no root element".to_owned(),
        }),
    }
}

fn keep<T>(list: &mut Vec<T>, item: T, dropped: &mut usize, max: usize) {
    if list.len() < max {
        list.push(item);
    } else {
        *dropped += 1;
    }
}

fn nonempty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlsets_news_sitemaps_and_indexes() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/a?x=1&amp;y=2</loc><lastmod>2026-11-29</lastmod></url>
  <url>
    <loc><![CDATA[https://news.example/b]]></loc>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-30T08:00:00+01:00</news:publication_date>
      <news:title>Summit &#8211; day two</news:title>
    </news:news>
  </url>
  <url><lastmod>2026-11-29</lastmod></url>
</urlset>"#;
        let s = parse(xml, 100).unwrap();
        assert!(s.news);
        assert_eq!(s.urls.len(), 2);
        assert_eq!(s.urls[0].loc, "https://news.example/a?x=1&y=2");
        assert_eq!(s.urls[0].lastmod.as_deref(), Some("2026-11-29"));
        assert_eq!(s.urls[1].loc, "https://news.example/b");
        assert_eq!(
            s.urls[1].publication_date.as_deref(),
            Some("2026-11-30T08:00:00+01:00")
        );
        assert_eq!(s.urls[1].title.as_deref(), Some("Summit \u{2013} day two"));

        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-11-30</lastmod></sitemap>
  <sitemap><loc>https://news.example/s2.xml.gz</loc></sitemap>
</sitemapindex>"#;
        let s = parse(index, 100).unwrap();
        assert_eq!(
            s.sitemaps,
            [
                "https://news.example/s1.xml",
                "https://news.example/s2.xml.gz"
            ]
        );
        assert!(s.urls.is_empty());
    }

    #[test]
    fn limits_and_bad_documents() {
        let mut xml = String::from("<urlset>");
        for i in 0..10 {
            xml.push_str(&format!("<url><loc>https://x.example/{i}</loc></url>"));
        }
        xml.push_str("</urlset>");
        let s = parse(xml.as_bytes(), 4).unwrap();
        assert_eq!((s.urls.len(), s.dropped), (4, 6));

        assert!(matches!(
            parse(b"<rss version=\"2.0\"><channel/></rss>", 10),
            Err(SitemapError::NotASitemap(tag)) if tag == "rss"
        ));
        assert!(matches!(
            parse(b"<urlset><url><loc>x</lo></url>", 10),
            Err(SitemapError::Malformed { .. })
        ));
        assert!(matches!(
            parse(b"", 10),
            Err(SitemapError::Malformed { .. })
        ));
    }
}
