//! Article metadata from the page's markup: JSON-LD first (publishers fill it
//! for search engines, so it is the most curated), then OpenGraph and other
//! meta tags, then the document itself (`<title>`, `<h1>`, `<time>`, the URL).

use std::collections::HashMap;

use serde_json::Value;
use url::Url;

use super::dates::{self, PageDate};
use super::dom::{self, Dom};

/// Metadata found in the page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published_at: Option<PageDate>,
    pub modified_at: Option<PageDate>,
    pub site_name: Option<String>,
    /// The language the markup declares (primary subtag, lower case).
    pub language: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    /// The date in the image's path (`/uploads/2020/10/13/photo.jpg`),
    /// read before the path is resolved: a relative path has it too.
    pub image_date: Option<PageDate>,
    pub canonical_url: Option<String>,
    pub is_accessible_for_free: Option<bool>,
    /// The page's main heading, which the text should not repeat.
    pub h1: Option<String>,
}

/// Raw signals gathered in one pass over the document.
#[derive(Default)]
struct Signals {
    lang: Option<String>,
    title: Option<String>,
    h1: Option<String>,
    meta: HashMap<String, Vec<String>>,
    canonical: Option<String>,
    json_ld: Vec<Value>,
    /// The first `<time datetime>`.
    time: Option<String>,
    /// A `<time>` or `<abbr>` marked as the publication (`itemprop`,
    /// `pubdate`, a "published" class), and the modification.
    marked_published: Option<String>,
    marked_modified: Option<String>,
    author_links: Vec<String>,
    /// "By Jane Doe" lines in byline or author containers.
    bylines: Vec<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNews",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "WebPage",
];

/// Extracts metadata. `base` resolves relative URLs.
pub fn extract(dom: &Dom<'_>, base: Option<&Url>) -> Metadata {
    let signals = gather(dom);
    let ld = pick_json_ld(&signals.json_ld);
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| {
                signals
                    .meta
                    .get(*k)
                    .and_then(|v| v.iter().find(|s| !s.trim().is_empty()))
            })
            .map(|s| clean_space(s))
    };
    let ld_str = |key: &str| ld.and_then(|o| o.get(key)).and_then(value_text);

    let site_name = meta(&["og:site_name", "application-name", "twitter:site"])
        .map(|s| s.trim_start_matches('@').to_owned())
        .or_else(|| {
            ld.and_then(|o| o.get("publisher"))
                .and_then(|p| p.get("name").or(Some(p)))
                .and_then(value_text)
        });
    let raw_title = meta(&["og:title", "twitter:title"])
        .or_else(|| ld_str("headline"))
        .or_else(|| signals.title.clone())
        .or_else(|| signals.h1.clone());
    let title =
        raw_title.map(|t| strip_site_suffix(&t, site_name.as_deref(), signals.h1.as_deref()));

    let mut authors = ld
        .and_then(|o| o.get("author").or_else(|| o.get("creator")))
        .map(author_names)
        .unwrap_or_default();
    if authors.is_empty() {
        for key in [
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "byl",
        ] {
            if let Some(values) = signals.meta.get(key) {
                for v in values {
                    authors.extend(split_authors(v));
                }
            }
            if !authors.is_empty() {
                break;
            }
        }
    }
    if authors.is_empty() {
        for a in &signals.author_links {
            authors.extend(split_authors(a));
        }
    }
    if authors.is_empty()
        && let Some(line) = signals.bylines.first()
    {
        authors.extend(split_authors(line));
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));

    let machine = |raw: Option<String>| raw.as_deref().and_then(dates::parse);
    // A wiki serves a revision, not the article first written: its
    // `datePublished` is when the page was created (years before), its
    // `dateModified` when the text a reader sees was published.
    let revision = signals
        .meta
        .get("generator")
        .and_then(|v| v.first())
        .is_some_and(|g| g.trim_start().starts_with("MediaWiki"))
        .then(|| machine(ld_str("dateModified")))
        .flatten();
    let published_at = revision
        .or_else(|| {
            earlier(
                machine(ld_str("datePublished")),
                machine(meta(&[
                    "article:published_time",
                    "og:published_time",
                    "og:article:published_time",
                    "datepublished",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "publish_date",
                    "publication_date",
                    "parsely-pub-date",
                    "sailthru.date",
                    "dc.date",
                    "dc.date.issued",
                    "dc.date.created",
                    "dcterms.created",
                    "dcterms.date",
                    "dcterms.issued",
                    "date",
                    "article.published",
                    "published_time",
                    "release_date",
                    "cxenseparse:recs:publishtime",
                    "article:published",
                    "citation_publication_date",
                    "citation_online_date",
                    "citation_date",
                    "originalpublicationdate",
                    "original-publish-date",
                    "publication-date",
                    "published-date",
                    "date_published",
                ])),
            )
        })
        .or_else(|| machine(signals.marked_published.clone()))
        .or_else(|| machine(signals.time.clone()))
        .or_else(|| machine(ld_str("dateCreated")))
        .or_else(|| machine(meta(&["datecreated"])))
        .or_else(|| base.and_then(|u| dates::from_url(u.as_str())));
    let modified_at = machine(ld_str("dateModified"))
        .or_else(|| {
            machine(meta(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dcterms.modified",
                "last-modified",
            ]))
        })
        .or_else(|| machine(signals.marked_modified.clone()));

    let first_meta = |key: &str| {
        signals
            .meta
            .get(key)
            .and_then(|v| v.first())
            .map(String::as_str)
    };
    let language = signals
        .lang
        .as_deref()
        .or_else(|| first_meta("og:locale"))
        .or_else(|| first_meta("content-language"))
        .or_else(|| first_meta("language"))
        .and_then(crate::language::primary);

    let description = meta(&["og:description", "description", "twitter:description"])
        .or_else(|| ld_str("description"));
    let image = meta(&[
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    ])
    .or_else(|| ld.and_then(|o| o.get("image")).and_then(image_url));
    let image_date = image.as_deref().and_then(dates::from_url);
    let image = image.and_then(|u| resolve(base, &u));
    let canonical_url = signals
        .canonical
        .clone()
        .or_else(|| meta(&["og:url"]))
        .and_then(|u| resolve(base, &u));
    let is_accessible_for_free =
        ld.and_then(|o| o.get("isAccessibleForFree"))
            .and_then(|v| match v {
                Value::Bool(b) => Some(*b),
                Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" => Some(true),
                    "false" | "no" => Some(false),
                    _ => None,
                },
                _ => None,
            });

    Metadata {
        title,
        authors,
        published_at,
        modified_at,
        site_name,
        language,
        description,
        image,
        image_date,
        canonical_url,
        is_accessible_for_free,
        h1: signals.h1,
    }
}

fn gather(dom: &Dom<'_>) -> Signals {
    let mut s = Signals::default();
    for node in &dom.nodes {
        let Some(el) = node.element() else { continue };
        match el.value().name() {
            "html" => {
                s.lang = s.lang.take().or_else(|| {
                    dom::attr(el.value(), "lang")
                        .or_else(|| dom::attr(el.value(), "xml:lang"))
                        .map(str::to_owned)
                });
            }
            "title" if s.title.is_none() => {
                s.title =
                    Some(clean_space(&el.text().collect::<String>())).filter(|t| !t.is_empty());
            }
            "h1" if s.h1.is_none() => {
                s.h1 = Some(clean_space(&el.text().collect::<String>())).filter(|t| !t.is_empty());
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| dom::attr(el.value(), "name"))
                    .or_else(|| dom::attr(el.value(), "itemprop"))
                    .or_else(|| dom::attr(el.value(), "http-equiv"));
                if let (Some(key), Some(content)) = (key, dom::attr(el.value(), "content")) {
                    s.meta
                        .entry(key.trim().to_ascii_lowercase())
                        .or_default()
                        .push(content.to_owned());
                }
            }
            "link" => {
                let rel = dom::attr(el.value(), "rel").unwrap_or("");
                if s.canonical.is_none()
                    && rel
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    s.canonical = dom::attr(el.value(), "href").map(str::to_owned);
                }
            }
            "script"
                if dom::attr(el.value(), "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = el.text().collect();
                if let Some(value) = parse_json_ld(&text) {
                    s.json_ld.push(value);
                }
            }
            "time" | "abbr" | "span" | "div" | "p" => {
                let value = el.value();
                // Most spans, divs and paragraphs carry neither dates nor
                // bylines: skip them before any allocation.
                let class_raw = dom::attr(value, "class").unwrap_or("");
                let worth_reading = matches!(value.name(), "time" | "abbr")
                    || dom::attr(value, "itemprop").is_some()
                    || dom::attr(value, "rel").is_some()
                    || dom::attr(value, "pubdate").is_some()
                    || ["publish", "updated", "dtstart", "byline", "author"]
                        .iter()
                        .any(|needle| contains_ignore_case(class_raw, needle));
                if !worth_reading {
                    continue;
                }
                let stated = dom::attr(value, "datetime")
                    .or_else(|| dom::attr(value, "content"))
                    .or_else(|| {
                        (value.name() == "abbr")
                            .then(|| dom::attr(value, "title"))
                            .flatten()
                    })
                    .map(str::to_owned);
                let itemprop = dom::attr(value, "itemprop").unwrap_or("");
                let class = class_raw.to_ascii_lowercase();
                let published = itemprop.eq_ignore_ascii_case("datePublished")
                    || dom::attr(value, "pubdate").is_some()
                    || (value.name() != "span" && class.contains("publish"))
                    || class
                        .split_whitespace()
                        .any(|c| c == "published" || c == "dtstart");
                let modified = itemprop.eq_ignore_ascii_case("dateModified")
                    || class.split_whitespace().any(|c| c == "updated");
                let stated = stated.or_else(|| {
                    (published || modified)
                        .then(|| clean_space(&el.text().collect::<String>()))
                        .filter(|t| !t.is_empty() && t.len() < 60)
                });
                if let Some(stated) = stated {
                    if published && s.marked_published.is_none() {
                        s.marked_published = Some(stated.clone());
                    } else if modified && s.marked_modified.is_none() {
                        s.marked_modified = Some(stated.clone());
                    }
                    if value.name() == "time" && s.time.is_none() {
                        s.time = Some(stated);
                    }
                }
                if matches!(value.name(), "span" | "div" | "p")
                    && s.bylines.len() < 3
                    && class.contains("byline") | class.contains("author")
                {
                    let line = clean_space(&el.text().collect::<String>());
                    if line.len() < 80 && super::authors::has_by_prefix(&line) {
                        s.bylines.push(line);
                    }
                }
                if matches!(value.name(), "span" | "div" | "p")
                    && s.author_links.len() < 5
                    && (dom::attr(value, "itemprop") == Some("author")
                        || dom::attr(value, "rel") == Some("author"))
                {
                    let name = clean_space(&el.text().collect::<String>());
                    if !name.is_empty() && name.len() < 80 {
                        s.author_links.push(name);
                    }
                }
            }
            "a" if s.author_links.len() < 5
                && (dom::attr(el.value(), "rel") == Some("author")
                    || dom::attr(el.value(), "itemprop") == Some("author")) =>
            {
                let name = clean_space(&el.text().collect::<String>());
                if !name.is_empty() && name.len() < 80 {
                    s.author_links.push(name);
                }
            }
            _ => {}
        }
    }
    s
}

/// Whether `hay` contains the lower-case ASCII `needle`, ignoring case.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Parses a JSON-LD block. Many sites write raw line breaks and tabs inside
/// its strings, which JSON forbids; as spaces they change nothing a reader
/// of the metadata needs.
/// Of two statements of the publication (JSON-LD and a meta tag), the
/// earlier: when they disagree, the later is a re-publication or an
/// update that a CMS wrote in one place and not the other (an original
/// "2020-04-24T21:25:06+00:00" beside "2020-04-25T07:25:06Z").
fn earlier(a: Option<PageDate>, b: Option<PageDate>) -> Option<PageDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.is_before(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn parse_json_ld(text: &str) -> Option<Value> {
    let text = text.trim();
    serde_json::from_str::<Value>(text).ok().or_else(|| {
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str::<Value>(&cleaned).ok()
    })
}

/// The JSON-LD object that describes the article, searching `@graph` and arrays.
fn pick_json_ld(values: &[Value]) -> Option<&serde_json::Map<String, Value>> {
    let mut objects: Vec<&serde_json::Map<String, Value>> = Vec::new();
    let mut stack: Vec<&Value> = values.iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                objects.push(map);
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
            }
            _ => {}
        }
    }
    let type_rank = |map: &serde_json::Map<String, Value>| -> Option<usize> {
        let types: Vec<&str> = match map.get("@type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        types
            .iter()
            .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
            .min()
    };
    objects
        .into_iter()
        .filter_map(|m| type_rank(m).map(|r| (r, m)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, m)| m)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(clean_space(s)).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(value_text),
        Value::Object(map) => map
            .get("name")
            .or_else(|| map.get("@value"))
            .and_then(value_text),
        _ => None,
    }
}

fn image_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(image_url),
        Value::Object(map) => map
            .get("url")
            .or_else(|| map.get("contentUrl"))
            .and_then(image_url),
        _ => None,
    }
}

fn author_names(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => split_authors(s),
        Value::Array(items) => items.iter().flat_map(author_names).collect(),
        Value::Object(map) => map.get("name").map(author_names).unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub use super::authors::split_authors;

const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", " : ",
];

/// "Summit ends | Example News" -> "Summit ends"; "Summit ends | World |
/// Example News" -> "Summit ends": the site's name and the sections after
/// it, whichever the separator, and a site name put first.
pub fn strip_site_suffix(title: &str, site_name: Option<&str>, h1: Option<&str>) -> String {
    let mut title = clean_space(title);
    if let Some(h1) = h1
        && h1.len() > 10
        && title.starts_with(h1)
    {
        return h1.to_owned();
    }
    // Each pass takes one part off: a site and a section or two; after
    // the first, only a site's name or a label of one or two words.
    for pass in 0..3 {
        match strip_one_part(&title, site_name, pass == 0) {
            Some(shorter) => title = shorter,
            None => break,
        }
    }
    title
}

/// `title` without its last part when that part is the site's name or a
/// short label after a longer headline, or without its first part when
/// that is the site's name.
fn strip_one_part(title: &str, site_name: Option<&str>, first: bool) -> Option<String> {
    let site = site_name
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    for sep in TITLE_SEPARATORS {
        if let Some(pos) = title.rfind(sep) {
            let head = title[..pos].trim();
            let tail = title[pos + sep.len()..].trim();
            let tail_lower = tail.to_lowercase();
            let site_matches = site
                .as_ref()
                .is_some_and(|s| tail_lower.contains(s.as_str()) || s.contains(&tail_lower));
            let (tail_words, head_words) = (
                tail.split_whitespace().count(),
                head.split_whitespace().count(),
            );
            let tail_is_short = if first {
                tail_words <= 4 && head_words >= 3
            } else {
                tail_words <= 2 && head_words >= 4
            };
            if !head.is_empty() && (site_matches || tail_is_short) {
                return Some(head.to_owned());
            }
        }
        // "Example News | Summit ends": site name first.
        if let Some(pos) = title.find(sep) {
            let first = title[..pos].trim().to_lowercase();
            if site.as_ref().is_some_and(|s| first == *s) {
                return Some(title[pos + sep.len()..].trim().to_owned());
            }
        }
    }
    None
}

/// An absolute http(s) URL for `href`, resolved against the page's URL:
/// `javascript:`, `data:` and other schemes are not where an article or
/// its image lives.
fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match Url::parse(href) {
        Ok(u) => u,
        Err(_) => base.and_then(|b| b.join(href).ok())?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

pub fn clean_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn meta_of(html: &str, url: Option<&str>) -> Metadata {
        let doc = Html::parse_document(html);
        let dom = Dom::build(&doc);
        let base = url.and_then(|u| Url::parse(u).ok());
        extract(&dom, base.as_ref())
    }

    #[test]
    fn the_earlier_of_json_ld_and_meta_publication_wins() {
        let page = |ld: &str, og: &str| {
            meta_of(
                &format!(
                    r#"<html><head><meta property="article:published_time" content="{og}">
                    <script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"{ld}"}}</script>
                    </head><body></body></html>"#
                ),
                None,
            )
            .published_at
            .unwrap()
            .to_rfc3339()
        };
        // A re-publication in one place, the original in the other.
        assert_eq!(
            page("2020-04-25T07:25:06Z", "2020-04-24T21:25:06+00:00"),
            "2020-04-24T21:25:06Z"
        );
        assert_eq!(page("2020-04-24", "2020-04-25T01:00:00Z"), "2020-04-24");
        // One moment written in two offsets: JSON-LD's, the page's day.
        assert_eq!(
            page("2020-12-25T01:59:50+02:00", "2020-12-24T23:59:50+00:00"),
            "2020-12-25T01:59:50+02:00"
        );
    }

    #[test]
    fn json_ld_news_article_in_a_graph() {
        let m = meta_of(
            r#"<html lang="en-GB"><head><title>Ignored | Site</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Example"},
              {"@type":"NewsArticle","headline":"Summit ends","datePublished":"2023-07-12T18:30:00+03:00",
               "dateModified":"2023-07-13T08:00:00Z","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],
               "isAccessibleForFree":"False","publisher":{"@type":"Organization","name":"Example News"},
               "image":{"@type":"ImageObject","url":"/img/a.jpg"}}]}</script></head><body></body></html>"#,
            Some("https://news.example.com/world/summit"),
        );
        assert_eq!(m.authors, vec!["Jane Doe", "John Roe"]);
        // The page's own offset is kept: its day is the 12th wherever read.
        assert_eq!(
            m.published_at.unwrap().to_rfc3339(),
            "2023-07-12T18:30:00+03:00"
        );
        assert_eq!(m.modified_at.unwrap().to_rfc3339(), "2023-07-13T08:00:00Z");
        assert_eq!(m.is_accessible_for_free, Some(false));
        assert_eq!(m.site_name.as_deref(), Some("Example News"));
        assert_eq!(m.language.as_deref(), Some("en"));
        assert_eq!(
            m.image.as_deref(),
            Some("https://news.example.com/img/a.jpg")
        );
        assert_eq!(m.title.as_deref(), Some("Summit ends"));
    }

    #[test]
    fn open_graph_and_meta_tags() {
        let m = meta_of(
            r#"<html><head><meta property="og:title" content="Ukraine gets guarantees - Le Monde">
            <meta property="og:site_name" content="Le Monde">
            <meta name="author" content="By Anne Martin, Paul Durand">
            <meta property="article:published_time" content="2023-07-12T10:00:00Z">
            <meta name="description" content="A summary.">
            <link rel="canonical" href="/international/article/2023/07/12/x.html">
            </head><body><h1>Ukraine gets guarantees</h1></body></html>"#,
            Some("https://www.lemonde.fr/international/article/2023/07/12/x.html?utm_source=a"),
        );
        assert_eq!(m.title.as_deref(), Some("Ukraine gets guarantees"));
        assert_eq!(m.authors, vec!["Anne Martin", "Paul Durand"]);
        assert_eq!(m.description.as_deref(), Some("A summary."));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://www.lemonde.fr/international/article/2023/07/12/x.html")
        );
        assert!(m.published_at.is_some());
    }

    #[test]
    fn byline_containers_give_authors() {
        let m = meta_of(
            r#"<body><p class="article__byline">Par Sophie Laurent et Marc Petit</p></body>"#,
            None,
        );
        assert_eq!(m.authors, vec!["Sophie Laurent", "Marc Petit"]);
        let m = meta_of(
            r#"<body><div class="byline">Updated yesterday</div></body>"#,
            None,
        );
        assert!(m.authors.is_empty());
    }

    #[test]
    fn only_web_urls_are_canonical_urls_and_images() {
        let m = meta_of(
            r#"<head><link rel="canonical" href="javascript:void(0)"><meta property="og:image" content="data:image/png;base64,AAAA"><meta property="og:url" content="javascript:alert(1)"></head><body></body>"#,
            Some("https://news.example.com/a"),
        );
        assert_eq!(m.canonical_url, None);
        assert_eq!(m.image, None);
        let m = meta_of(
            r#"<head><link rel="canonical" href="/world/a"><meta property="og:image" content="//cdn.example.com/a.jpg"></head><body></body>"#,
            Some("https://news.example.com/x"),
        );
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://news.example.com/world/a")
        );
        assert_eq!(m.image.as_deref(), Some("https://cdn.example.com/a.jpg"));
    }

    #[test]
    fn a_wiki_page_is_dated_by_the_revision_it_shows() {
        let page = |generator: &str| {
            meta_of(
                &format!(
                    r#"<html><head><meta name="generator" content="{generator}">
                    <script type="application/ld+json">{{"@type":"Article","headline":"Park Ye Jin",
                    "datePublished":"2005-07-26T16:22:26-07:00","dateModified":"2020-04-07T12:33:32-07:00"}}</script>
                    </head><body></body></html>"#
                ),
                None,
            )
        };
        let wiki = page("MediaWiki 1.31.0");
        assert_eq!(
            wiki.published_at.unwrap().to_rfc3339(),
            "2020-04-07T12:33:32-07:00"
        );
        // Anywhere else the update stays an update.
        let news = page("WordPress 6.4");
        assert_eq!(
            news.published_at.unwrap().to_rfc3339(),
            "2005-07-26T16:22:26-07:00"
        );
        assert_eq!(
            news.modified_at.unwrap().to_rfc3339(),
            "2020-04-07T12:33:32-07:00"
        );
    }

    #[test]
    fn time_element_and_url_dates() {
        let m = meta_of(
            r#"<body><time datetime="2019-11-19">Nov 19</time></body>"#,
            None,
        );
        // A day stays a day.
        assert_eq!(m.published_at.unwrap().to_rfc3339(), "2019-11-19");
        let m = meta_of(
            "<body><p>x</p></body>",
            Some("https://example.com/2023/07/12/nato/"),
        );
        assert_eq!(m.published_at.unwrap().to_rfc3339(), "2023-07-12");
    }

    #[test]
    fn title_suffixes_are_stripped() {
        assert_eq!(
            strip_site_suffix("Big news today | CNN", Some("CNN"), None),
            "Big news today"
        );
        assert_eq!(
            strip_site_suffix("Big news today in Vilnius - The Guardian", None, None),
            "Big news today in Vilnius"
        );
        assert_eq!(
            strip_site_suffix("Reuters | Big news today", Some("Reuters"), None),
            "Big news today"
        );
        assert_eq!(
            strip_site_suffix("War and Peace", None, None),
            "War and Peace"
        );
        assert_eq!(
            strip_site_suffix(
                "Gipfel in Vilnius endet | Politik | SPIEGEL",
                Some("DER SPIEGEL"),
                None
            ),
            "Gipfel in Vilnius endet"
        );
        assert_eq!(
            strip_site_suffix(
                "Sommet de l'OTAN : ce qu'il faut retenir - Monde - Le Monde.fr",
                Some("Le Monde"),
                None
            ),
            "Sommet de l'OTAN : ce qu'il faut retenir"
        );
        assert_eq!(
            strip_site_suffix(
                "Biden meets Zelensky - live updates | CNN",
                Some("CNN"),
                None
            ),
            "Biden meets Zelensky - live updates"
        );
    }

    #[test]
    fn dates_in_many_formats() {
        for raw in [
            "2023-07-12T10:00:00Z",
            "2023-07-12T10:00:00+0200",
            "2023-07-12 10:00:00",
            "Wed, 12 Jul 2023 10:00:00 GMT",
            "2023-07-12",
            "1689156000",
        ] {
            assert!(dates::parse(raw).is_some(), "{raw}");
        }
        assert!(dates::parse("yesterday").is_none());
    }
}
