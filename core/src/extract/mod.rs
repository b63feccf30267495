//! The extraction engine: page bytes in, clean article out.
//!
//! Pure: no network, no clock, no global state but compiled patterns. The
//! document is parsed once, flattened once ([`dom`]), and every later step is
//! a linear pass over that flat view.

pub mod authors;
pub mod boilerplate;
pub mod consent;
pub mod content;
pub mod credits;
pub mod dates;
pub mod decode;
pub mod dom;
pub mod embeds;
pub mod error;
pub mod metadata;
pub mod prescan;
pub mod prompts;
pub mod text;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use scraper::Html;
use url::Url;

use boilerplate::Kind;
use dom::{Dom, Tag};
pub use embeds::Embed;
pub use error::ExtractError;
use text::{Block, BlockKind};

/// Pages bigger than this (after decompression) are refused by default.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// Knobs for one extraction.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest page accepted, in bytes, after gzip decompression.
    pub max_bytes: u64,
    /// The time of extraction, given by the caller (the core reads no
    /// clock): dates more than a day after it are not publication dates.
    /// `None` skips that check.
    pub now: Option<DateTime<Utc>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            now: None,
        }
    }
}

/// The page to extract from.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub bytes: &'a [u8],
    /// The page's URL, to resolve relative links and read dates from the path.
    pub url: Option<&'a Url>,
    /// A charset label from the transport (HTTP `Content-Type`), if any.
    pub charset: Option<&'a str>,
}

/// What the engine found in a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// As the page states it: its own day, time and offset ([`dates`]).
    pub published_at: Option<dates::PageDate>,
    pub modified_at: Option<dates::PageDate>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub canonical_url: Option<String>,
    pub is_accessible_for_free: Option<bool>,
    /// Paragraphs apart by a blank line; headings and list items on their own lines.
    pub text: String,
    pub credits: Vec<String>,
    pub embeds: Vec<Embed>,
    /// What cleaning removed, counted by kind.
    pub removed: BTreeMap<&'static str, u32>,
    /// Which step found the text.
    pub method: content::Method,
}

/// Regions whose dates are not the article's: comments, related lists,
/// sidebars, footers, navigation, ads, share bars, sign-up boxes, banners,
/// embedded posts, captions and forms.
const NOT_THE_ARTICLES_DATES: [Kind; 12] = [
    Kind::Comments,
    Kind::Related,
    Kind::Sidebar,
    Kind::Footer,
    Kind::Nav,
    Kind::Ads,
    Kind::Share,
    Kind::Newsletter,
    Kind::Consent,
    Kind::Embeds,
    Kind::Caption,
    Kind::Form,
];

/// Most text before the headline, in its container, that is searched for
/// a visible date: a dateline or kicker above the title.
const MAX_TEXT_ABOVE_HEADLINE: usize = 300;

/// How much text after the headline is searched for a visible date.
const DATE_SEARCH_CHARS: usize = 3000;

/// The date a reader sees near the headline and byline: the first one in
/// the text from the headline (or the article's start) on, skipping the
/// regions whose dates are not the article's, copyright lines and photo
/// captions.
fn visible_date(
    dom: &Dom<'_>,
    analysis: &content::Analysis,
    roots: &[usize],
    title: Option<&str>,
    language: Option<&str>,
) -> dates::TextDates {
    let nodes = &dom.nodes;
    let excluded = excluded_nodes(dom, analysis, &NOT_THE_ARTICLES_DATES);
    let heading = |level: &str| {
        nodes
            .iter()
            .position(|n| n.element().is_some_and(|e| e.value().name() == level))
    };
    let first_root = roots.first().copied();
    // The headline: the heading that states the page's title (a site's <h1>
    // is often its section or its name), else the page's <h1>, else the
    // last <h2> before the article.
    let headline = title_heading(dom, title)
        .or_else(|| heading("h1"))
        .or_else(|| {
            let before = first_root?;
            (0..before)
                .rev()
                .find(|&i| nodes[i].element().is_some_and(|e| e.value().name() == "h2"))
        });
    // From the headline's own container when little precedes the headline
    // in it (a date or kicker above the title), not from a root that also
    // holds the masthead: a site shows today's date there.
    let start = match headline {
        Some(h) => {
            let container = nodes[h].parent as usize;
            let before: usize = (container + 1..h)
                .filter_map(|i| nodes[i].text())
                .map(|t| t.trim().len())
                .sum();
            if container > 0 && before <= MAX_TEXT_ABOVE_HEADLINE {
                container
            } else {
                h
            }
        }
        None => match first_root {
            Some(root) => root,
            None => return dates::TextDates::default(),
        },
    };
    dates_from(dom, &excluded, start, language)
}

/// The first dates in the text from node `start` on, skipping `excluded`
/// nodes and lines that state other dates (copyright, photo credits).
fn dates_from(
    dom: &Dom<'_>,
    excluded: &[bool],
    start: usize,
    language: Option<&str>,
) -> dates::TextDates {
    let nodes = &dom.nodes;
    let mut window = String::new();
    for i in start..nodes.len() {
        if excluded[i] {
            continue;
        }
        let Some(text) = nodes[i].text() else {
            continue;
        };
        if dates::is_other_date_line(text) {
            continue;
        }
        window.push_str(text.trim());
        window.push_str(" \n ");
        if window.len() >= DATE_SEARCH_CHARS {
            break;
        }
    }
    // `language` is already a primary subtag (markup through
    // `language::primary`, or detection's code).
    dates::dates_in_text(&window, language)
}

/// Nodes whose dates are not searched: void ones, those of the regions of
/// `kinds`, and everything inside them.
fn excluded_nodes(dom: &Dom<'_>, analysis: &content::Analysis, kinds: &[Kind]) -> Vec<bool> {
    let nodes = &dom.nodes;
    let mut excluded = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        excluded[i] = excluded[nodes[i].parent as usize]
            || analysis.void[i]
            || analysis.removed[i].is_some_and(|k| kinds.contains(&k));
    }
    excluded
}

/// The last resort, for a page that states its date nowhere near the
/// article: the first date anywhere in its text, a masthead's or a
/// header's too, but not a comment's, a related story's, a sidebar's, a
/// footer's or an ad's. A news page is read on the day it is published.
fn page_date(
    dom: &Dom<'_>,
    analysis: &content::Analysis,
    language: Option<&str>,
) -> Option<dates::PageDate> {
    let excluded = excluded_nodes(dom, analysis, &ELSEWHERE);
    dates_from(dom, &excluded, 0, language).published
}

/// Longest inline script whose date is taken as written where it stands.
const MAX_WRITING_SCRIPT_BYTES: usize = 200;

/// The very last resort: a date that a short inline script in the body
/// writes where it stands (`<script>showDate("2020/04/17 01:43:09")
/// </script>` beside the byline), for pages whose only date is so written.
/// Scripts are dropped before parsing, so the page's source is searched;
/// long scripts (trackers, data layers, apps) are not read.
fn written_by_script(html: &str, language: Option<&str>) -> Option<dates::PageDate> {
    let lower = html.to_ascii_lowercase();
    let mut at = lower.find("<body")?;
    while let Some(found) = lower[at..].find("<script") {
        let open = at + found;
        let tag_end = open + lower[open..].find('>')?;
        let body_end = tag_end + lower[tag_end..].find("</script")?;
        at = body_end;
        let tag = &lower[open..tag_end];
        let body = &html[tag_end + 1..body_end];
        if tag.contains("src=") || body.len() > MAX_WRITING_SCRIPT_BYTES {
            continue;
        }
        if let Some(date) = dates::in_text(body, language) {
            return Some(date);
        }
    }
    None
}

/// Regions whose dates belong to other stories or to no story.
const ELSEWHERE: [Kind; 6] = [
    Kind::Comments,
    Kind::Related,
    Kind::Sidebar,
    Kind::Footer,
    Kind::Ads,
    Kind::Embeds,
];

/// The first `<h1>`..`<h3>` whose text is the page's title, or most of
/// it: the title in the page's metadata, without the site's name, is the
/// headline's wording.
fn title_heading(dom: &Dom<'_>, title: Option<&str>) -> Option<usize> {
    let squeeze = |text: &str| -> String {
        text.chars()
            .filter(|c| crate::classify::script::is_word_char(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let title = squeeze(title?);
    // A title of a word or two would match section names.
    if title.chars().count() < MIN_TITLE_CHARS {
        return None;
    }
    let nodes = &dom.nodes;
    (0..nodes.len()).find(|&i| {
        let is_heading = nodes[i]
            .element()
            .is_some_and(|e| matches!(e.value().name(), "h1" | "h2" | "h3"));
        if !is_heading {
            return false;
        }
        let text: String = (i + 1..nodes[i].end as usize)
            .filter_map(|j| nodes[j].text())
            .map(squeeze)
            .collect();
        text.chars().count() >= MIN_TITLE_CHARS
            && (text.contains(&title) || (title.contains(&text) && 2 * text.len() >= title.len()))
    })
}

/// Letters and digits a title needs before a heading is matched to it.
const MIN_TITLE_CHARS: usize = 12;

/// The page's text is far from found when the main-content decision gives
/// less than this share of the page's prose.
const MIN_SHARE_OF_PROSE: f32 = 0.3;

/// The article's blocks and the roots they came from: the main-content
/// decision, or, when it finds nothing or far less than the page's prose,
/// the densest block of prose, and last every paragraph of prose.
fn main_text(
    dom: &Dom<'_>,
    analysis: &content::Analysis,
    meta: &metadata::Metadata,
) -> (Vec<usize>, Vec<Block>, content::Method, u32) {
    let roots = content::select(dom, analysis);
    let blocks = text::render(dom, analysis, &roots);
    let prose = content::prose(dom, analysis);
    let page_prose = content::body_index(dom).map_or(0, |b| prose[b]);
    let found = |blocks: &[Block]| -> u32 {
        // Titles and bylines repeated in the text do not count as found.
        let mut ignored = BTreeMap::new();
        let mut credits = Vec::new();
        filter_blocks(blocks.to_vec(), meta, &mut ignored, &mut credits)
            .iter()
            .map(|b| content::text_weight(&b.text).0)
            .sum()
    };
    // The rendered text bounds what filtering leaves: when even that is
    // enough, the careful count is not needed.
    let enough =
        |chars: u32| page_prose == 0 || chars as f32 >= MIN_SHARE_OF_PROSE * page_prose as f32;
    let rendered: u32 = blocks.iter().map(|b| content::text_weight(&b.text).0).sum();
    if page_prose > 0 && enough(rendered / 2) {
        // Filtering takes titles, bylines and prompts: never half the text.
        return (roots, blocks, content::Method::MainContent, rendered);
    }
    let primary = found(&blocks);
    if enough(primary) {
        return (roots, blocks, content::Method::MainContent, primary);
    }
    let mut best = (roots, blocks, content::Method::MainContent, primary);
    if let Some(densest) = content::densest_block(dom, analysis, &prose) {
        let roots = vec![densest];
        let blocks = text::render(dom, analysis, &roots);
        let chars = found(&blocks);
        if chars > best.3 {
            best = (roots, blocks, content::Method::DensestBlock, chars);
        }
    }
    if best.3 == 0 {
        let roots = content::prose_blocks(dom, analysis, &prose);
        let blocks = text::render(dom, analysis, &roots);
        let chars = found(&blocks);
        if chars > 0 {
            best = (roots, blocks, content::Method::Paragraphs, chars);
        }
    }
    best
}

/// Extracts the article from a page.
pub fn extract(page: Page<'_>, options: &Options) -> Result<Article, ExtractError> {
    let bytes = decode::gunzip_if_needed(page.bytes, options.max_bytes)?;
    let decoded = decode::decode_html(&bytes, page.charset)?;
    let html = parse(prescan::prepare(&decoded.text));
    let dom = Dom::build(&html);
    let meta = metadata::extract(&dom, page.url);

    let (forced, found) = find_embeds(&dom);
    let mut analysis = content::analyse(&dom, &forced, false);
    let (mut roots, mut blocks, mut method, chars) = main_text(&dom, &analysis, &meta);
    if chars == 0 {
        // Nothing visible: metering and paywall scripts hide the body under
        // a "hide" class until they decide. Last resort: hidden regions
        // count as visible.
        let relaxed = content::analyse(&dom, &forced, true);
        let (r, b, _, relaxed_chars) = main_text(&dom, &relaxed, &meta);
        if relaxed_chars > 0 {
            (analysis, roots, blocks, method) = (relaxed, r, b, content::Method::Unhidden);
        }
    }
    // Only the article's own embeds: a video in the sidebar is not part of it.
    let mut embeds: Vec<Embed> = found
        .into_iter()
        .filter(|(at, _)| {
            roots
                .iter()
                .any(|&r| r <= *at && *at < dom.nodes[r].end as usize)
        })
        .map(|(_, embed)| embed)
        .collect();

    let mut removed: BTreeMap<&'static str, u32> = BTreeMap::new();
    count_removed(&dom, &analysis.removed, &mut removed);
    let mut credits: Vec<String> = Vec::new();
    let blocks = filter_blocks(blocks, &meta, &mut removed, &mut credits);
    embeds.dedup();

    let text = text::join(&blocks);
    if text.trim().is_empty() {
        return Err(ExtractError::EmptyExtraction);
    }
    let language = match meta.language.as_deref() {
        Some(declared) => Some(crate::language::markup_or_vote(declared, &text).to_owned()),
        None => crate::language::detect(&text).map(str::to_owned),
    };
    let plausible = |d: Option<dates::PageDate>| d.filter(|d| d.plausible(options.now));
    // Searched only when needed (most pages state the date in markup), and
    // once: an update found on the way is the page's modification.
    let visible_dates = std::cell::OnceCell::new();
    let visible = || {
        visible_dates
            .get_or_init(|| {
                let found = visible_date(
                    &dom,
                    &analysis,
                    &roots,
                    meta.title.as_deref(),
                    language.as_deref(),
                );
                dates::TextDates {
                    published: plausible(found.published),
                    updated: plausible(found.updated),
                }
            })
            .first()
    };
    let stated_modified = plausible(meta.modified_at);
    let published_at = match plausible(meta.published_at) {
        // A UTC timestamp says nothing of the page's zone: the day a
        // reader sees by the headline, when it is within a day, is the
        // page's day (an evening in New York is the next day in UTC).
        Some(stated)
            if stated.time.is_some() && stated.offset.is_some_and(|o| o.local_minus_utc() == 0) =>
        {
            match visible() {
                Some(v)
                    if v.date != stated.date && (v.date - stated.date).num_days().abs() <= 1 =>
                {
                    Some(v)
                }
                _ => Some(stated),
            }
        }
        Some(stated) => Some(stated),
        // Last, the path of the article's image (`/2023/07/12/photo.jpg`):
        // uploaded for the article, on its day.
        None => visible()
            .or_else(|| plausible(meta.image_date))
            // A page that states only when it was modified dates itself by
            // that, as one whose byline states only an update does.
            .or(stated_modified)
            .or_else(|| plausible(page_date(&dom, &analysis, language.as_deref())))
            .or_else(|| plausible(written_by_script(&decoded.text, language.as_deref()))),
    };
    let modified_at =
        stated_modified.or_else(|| visible_dates.get().and_then(|found| found.updated));
    Ok(Article {
        method,
        title: meta.title,
        authors: meta.authors,
        published_at,
        modified_at,
        site_name: meta.site_name,
        language,
        description: meta.description,
        image: meta.image,
        canonical_url: meta.canonical_url,
        is_accessible_for_free: meta.is_accessible_for_free,
        text,
        credits,
        embeds,
        removed,
    })
}

/// Parses a document the way `scraper::Html::parse_document` does, but takes
/// the text as a tendril so the parser does not copy it again.
pub fn parse(text: html5ever::tendril::StrTendril) -> Html {
    use html5ever::tendril::TendrilSink;
    html5ever::driver::parse_document(
        scraper::HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    )
    .one(text)
}

/// Finds embedded posts and videos, with their positions; their subtrees
/// are forced out of the text.
pub fn find_embeds(dom: &Dom<'_>) -> (Vec<Option<Kind>>, Vec<(usize, Embed)>) {
    let mut forced = vec![None; dom.len()];
    let mut found = Vec::new();
    let mut i = 1;
    while i < dom.len() {
        let node = &dom.nodes[i];
        let Some(el) = node.element() else {
            i += 1;
            continue;
        };
        let name = el.value().name();
        // The tag decides first; only a few elements need their attributes read.
        let candidate = match node.tag {
            Tag::Blockquote | Tag::Iframe | Tag::Block => true,
            Tag::Void | Tag::Inline => name == "embed" || name.starts_with("amp-"),
            _ => false,
        };
        let class = if candidate {
            dom::attr(el.value(), "class").unwrap_or("")
        } else {
            ""
        };
        if !candidate || (node.tag == Tag::Block && !class.contains("fb-")) {
            i += 1;
            continue;
        }
        let markup = embeds::recognise(el.value().name(), class, |name| {
            dom::attr(el.value(), name).map(str::to_owned)
        });
        let embed = match markup {
            Some(embeds::EmbedMarkup::External { kind, url }) => Some(Embed {
                kind: kind.to_owned(),
                url: Some(url),
                author: None,
                text: None,
            }),
            Some(embeds::EmbedMarkup::Quoted { kind, url }) => {
                let (text, links) = subtree_text_and_links(dom, i);
                let links: Vec<&str> = links.iter().map(String::as_str).collect();
                Some(embeds::from_quote(kind, url, &text, &links))
            }
            None if node.tag == Tag::Blockquote => {
                let (text, links) = subtree_text_and_links(dom, i);
                let links: Vec<&str> = links.iter().map(String::as_str).collect();
                embeds::looks_like_tweet(&text, &links)
                    .then(|| embeds::from_quote("tweet", None, &text, &links))
            }
            None => None,
        };
        match embed {
            Some(embed) => {
                forced[i] = Some(Kind::Embeds);
                found.push((i, embed));
                i = node.end as usize;
            }
            None => i += 1,
        }
    }
    (forced, found)
}

fn subtree_text_and_links(dom: &Dom<'_>, root: usize) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut links = Vec::new();
    for node in &dom.nodes[root..dom.nodes[root].end as usize] {
        if let Some(t) = node.text() {
            text.push_str(t);
        } else if node.tag == Tag::A {
            if let Some(href) = node.attr("href") {
                links.push(href.to_owned());
            }
        } else if node.tag.is_block() && !text.ends_with(' ') {
            text.push(' ');
        }
    }
    (metadata::clean_space(&text), links)
}

/// Counts removed subtrees that held text (or were embeds).
pub fn count_removed(
    dom: &Dom<'_>,
    removed: &[Option<Kind>],
    counts: &mut BTreeMap<&'static str, u32>,
) {
    let mut i = 1;
    while i < dom.len() {
        match removed[i] {
            Some(kind) => {
                let end = dom.nodes[i].end as usize;
                let has_text = kind == Kind::Embeds
                    || dom.nodes[i..end]
                        .iter()
                        .any(|n| n.text().is_some_and(|t| !t.trim().is_empty()));
                if has_text && kind != Kind::Hidden {
                    *counts.entry(kind.as_str()).or_default() += 1;
                }
                i = end;
            }
            None => i += 1,
        }
    }
}

/// Block-level cleaning: the title repeated, consent and prompt paragraphs,
/// credit lines, link lists.
pub fn filter_blocks(
    blocks: Vec<Block>,
    meta: &metadata::Metadata,
    removed: &mut BTreeMap<&'static str, u32>,
    credits: &mut Vec<String>,
) -> Vec<Block> {
    let title_lens: Vec<usize> = [meta.title.as_deref(), meta.h1.as_deref()]
        .into_iter()
        .flatten()
        .map(str::len)
        .collect();
    let title_keys: Vec<String> = [meta.title.as_deref(), meta.h1.as_deref()]
        .into_iter()
        .flatten()
        .map(word_key)
        .filter(|k| !k.is_empty())
        .collect();
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut last_was_consent = false;
    for (index, block) in blocks.into_iter().enumerate() {
        let mut verdict: Option<Kind> = None;
        let title_sized = title_lens
            .iter()
            .any(|&n| block.text.len() <= n + 8 && n <= block.text.len() + 8);
        // The headline repeated above the text belongs to `title`: not a removal.
        if index < 4 && title_sized && title_keys.contains(&word_key(&block.text)) {
            continue;
        } else if (short(&block, consent::MAX_BANNER_CHARS) && consent::is_banner_text(&block.text))
            || (last_was_consent && consent::is_button_residue(&block.text))
        {
            verdict = Some(Kind::Consent);
        } else if let Some(kind) = short(&block, prompts::MAX_PROMPT_CHARS)
            .then(|| prompts::prompt_kind(&block.text))
            .flatten()
        {
            verdict = Some(kind);
        } else if short(&block, prompts::MAX_NOTICE_CHARS) && prompts::is_legal_notice(&block.text)
        {
            verdict = Some(Kind::Footer);
        } else if let Some(agencies) = short(&block, credits::MAX_CREDIT_CHARS)
            .then(|| credits::credit_line(&block.text))
            .flatten()
        {
            for a in agencies {
                push_unique(credits, a);
            }
            verdict = Some(Kind::Credits);
        } else if block.kind != BlockKind::Preformatted
            && block.link_chars * 10 > block.chars * 7
            && block.chars < 300
        {
            verdict = Some(Kind::Related);
        }
        last_was_consent = verdict == Some(Kind::Consent);
        match verdict {
            Some(kind) => *removed.entry(kind.as_str()).or_default() += 1,
            None => {
                if kept.is_empty() {
                    for a in credits::dateline_credits(&block.text) {
                        push_unique(credits, a);
                    }
                }
                kept.push(block);
            }
        }
    }
    // Button captions can also precede the banner text they belong to.
    while kept
        .last()
        .is_some_and(|b| consent::is_button_residue(&b.text) && removed.contains_key("consent"))
    {
        kept.pop();
    }
    kept
}

/// Whether a block is short enough for a rule about short lines: a cheap
/// test on the count the renderer already made, before any pattern runs.
fn short(block: &Block, max_chars: usize) -> bool {
    (block.chars as usize) <= max_chars
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_owned());
    }
}

/// Words only, lower case: for comparing headings with the title.
fn word_key(text: &str) -> String {
    text.split(|c: char| !crate::classify::script::is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
