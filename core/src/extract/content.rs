//! Finding the main content: text statistics, boilerplate removal with its
//! guard, and Readability-style container scoring.
//!
//! Everything here is a linear pass over the flat [`Dom`]: forward passes
//! carry flags down (inside a link, inside a removed subtree), backward passes
//! sum statistics up.

use super::boilerplate::{self, Kind, NameCache, NameVerdict, Verdict};
use super::dom::{Dom, Tag};

/// Captions longer than this are kept as text.
const MAX_CAPTION_CHARS: u32 = 250;
/// How many best candidates are compared, and how many must share an ancestor.
const TOP_CANDIDATES: usize = 5;
const MIN_ALTERNATIVES: usize = 3;
/// Paragraph text this long (chars) counts towards a container's score.
const MIN_SCORED_TEXT: u32 = 25;
/// A block this long with few links is "good" text for the removal guard.
const GOOD_BLOCK_TEXT: u32 = 60;
/// A boilerplate match that holds more than this share of the page's good
/// text is not obeyed: class names lie more often than text does.
const GUARD_SHARE: f32 = 0.5;

/// Boilerplate that is never more than a line or two of prose...
const SMALL_KINDS: [Kind; 4] = [Kind::Share, Kind::Ads, Kind::Newsletter, Kind::Meta];
/// ...so an element named so that holds this much good text is content.
const MAX_SMALL_KIND_PROSE: u32 = 400;

/// Whether a link's `href` goes somewhere: `javascript:` pseudo-links and
/// anchors without a target are script hooks and wrappers, and text inside
/// them is not link text.
fn navigates(href: Option<&str>) -> bool {
    href.map(str::trim).is_some_and(|h| {
        !h.is_empty()
            && !h
                .get(..11)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("javascript:"))
    })
}

/// Per-node facts about the document, indexed like [`Dom::nodes`].
pub struct Analysis {
    pub verdicts: Vec<Verdict>,
    /// Why the subtree rooted here is dropped, if it is.
    pub removed: Vec<Option<Kind>>,
    /// Subtrees that never hold text (script, style, forms controls...).
    pub void: Vec<bool>,
    pub in_link: Vec<bool>,
    /// Text chars in the subtree, removed parts excluded.
    pub text_len: Vec<u32>,
    /// Of those, chars inside links.
    pub link_len: Vec<u32>,
    /// Inline text attributed to this block element directly.
    pub own_text: Vec<u32>,
    pub own_link: Vec<u32>,
    pub score: Vec<f32>,
}

impl Analysis {
    pub fn link_density(&self, i: usize) -> f32 {
        if self.text_len[i] == 0 {
            0.0
        } else {
            self.link_len[i] as f32 / self.text_len[i] as f32
        }
    }
}

/// Counts the chars that matter in a text node (whitespace is layout) and
/// its commas, in one branch-free pass over the bytes (every char has one
/// non-continuation byte). CJK and Arabic commas only cost a second look
/// when the text is not ASCII.
pub fn text_weight(text: &str) -> (u32, u32) {
    let (mut chars, mut commas, mut high) = (0u32, 0u32, 0u8);
    for &b in text.as_bytes() {
        let space = matches!(b, b' ' | b'\n' | b'\t' | b'\r' | 0x0c);
        chars += u32::from((b & 0xC0 != 0x80) & !space);
        commas += u32::from(b == b',');
        high |= b;
    }
    if high >= 0x80 {
        commas += text.matches(['，', '、', '،']).count() as u32;
    }
    (chars, commas)
}

/// Runs the statistics and the removal decisions over the document.
/// `unhide` ignores verdicts that an element is hidden (by its names,
/// style or attributes): the last resort for pages whose body a script
/// reveals.
pub fn analyse(dom: &Dom<'_>, forced: &[Option<Kind>], unhide: bool) -> Analysis {
    let n = dom.len();
    let nodes = &dom.nodes;

    // Forward: links, void subtrees, nearest block owner of inline text.
    let mut in_link = vec![false; n];
    let mut void = vec![false; n];
    let mut owner = vec![0u32; n];
    for i in 1..n {
        let p = nodes[i].parent as usize;
        in_link[i] = in_link[p] || (nodes[i].tag == Tag::A && navigates(nodes[i].attr("href")));
        void[i] = void[p] || nodes[i].tag == Tag::Void;
        owner[i] = if nodes[p].tag.is_block() {
            p as u32
        } else {
            owner[p]
        };
    }

    // Raw own text per block, for the guard.
    let mut own_text = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut own_commas = vec![0u32; n];
    // Chars per text node, counted once and reused by the second sum.
    let mut text_chars = vec![0u32; n];
    for i in 0..n {
        if void[i] {
            continue;
        }
        if let Some(text) = nodes[i].text() {
            let (chars, commas) = text_weight(text);
            text_chars[i] = chars;
            let o = owner[i] as usize;
            own_text[o] += chars;
            own_commas[o] += commas;
            if in_link[i] {
                own_link[o] += chars;
            }
        }
    }
    let mut good = vec![0u32; n];
    let mut raw = vec![0u32; n];
    for i in (1..n).rev() {
        if !void[i] && own_text[i] >= GOOD_BLOCK_TEXT && own_link[i] * 10 < own_text[i] * 3 {
            good[i] += own_text[i];
        }
        raw[i] += text_chars[i];
        let p = nodes[i].parent as usize;
        good[p] += good[i];
        raw[p] += raw[i];
    }
    let page_good = good[0].max(1) as f32;
    let verdicts = classify_all(dom, &raw);
    let semantic = semantic_article(dom, &good);

    // Forward: obey the boilerplate verdicts unless the guard says no.
    let mut removed: Vec<Option<Kind>> = vec![None; n];
    let mut i = 1;
    while i < n {
        let kind = forced[i].or_else(|| {
            verdicts[i]
                .kind
                .filter(|_| (good[i] as f32) < GUARD_SHARE * page_good || good[i] == 0)
                // The page's own article element is not boilerplate, whatever
                // its class says ("author-sarah", "tag-news"): a short post
                // under a long comment thread would otherwise lose the guard.
                .filter(|&k| Some(i) != semantic || k == Kind::Hidden)
                .filter(|&k| !(unhide && k == Kind::Hidden))
                // Share bars, ads, sign-up boxes and bylines are a line or
                // two: one holding paragraphs of prose was misnamed.
                .filter(|&k| !(SMALL_KINDS.contains(&k) && good[i] >= MAX_SMALL_KIND_PROSE))
                // A caption is a line or two; a long "caption" describes a video and is text.
                .filter(|&k| k != Kind::Caption || raw[i] <= MAX_CAPTION_CHARS)
        });
        if let Some(kind) = kind {
            removed[i] = Some(kind);
            i = nodes[i].end as usize;
        } else {
            i += 1;
        }
    }
    // Mark descendants of removed subtrees as dead, so sums skip them.
    let mut dead = vec![false; n];
    for i in 1..n {
        dead[i] = dead[nodes[i].parent as usize] || removed[i].is_some() || void[i];
    }

    let mut text_len = vec![0u32; n];
    let mut link_len = vec![0u32; n];
    let mut alive_own = vec![0u32; n];
    let mut alive_own_link = vec![0u32; n];
    for i in (1..n).rev() {
        if dead[i] {
            continue;
        }
        if nodes[i].tag == Tag::Text {
            let chars = text_chars[i];
            text_len[i] = chars;
            if in_link[i] {
                link_len[i] = chars;
            }
            let o = owner[i] as usize;
            alive_own[o] += chars;
            if in_link[i] {
                alive_own_link[o] += chars;
            }
        }
        let p = nodes[i].parent as usize;
        text_len[p] += text_len[i];
        link_len[p] += link_len[i];
    }

    let mut analysis = Analysis {
        verdicts,
        removed,
        void,
        in_link,
        text_len,
        link_len,
        own_text: alive_own,
        own_link: alive_own_link,
        score: vec![0.0; n],
    };
    score_candidates(dom, &mut analysis, &dead, &own_commas);
    analysis
}

/// The element that says it is the article (`<article>`, or
/// `itemprop="articleBody"`) holding the most good text, when it holds some.
fn semantic_article(dom: &Dom<'_>, good: &[u32]) -> Option<usize> {
    dom.nodes
        .iter()
        .enumerate()
        .filter(|(i, n)| {
            good[*i] >= 2 * GOOD_BLOCK_TEXT
                && (n.tag == Tag::Article || n.attr("itemprop") == Some("articleBody"))
        })
        .max_by_key(|(i, _)| good[*i])
        .map(|(i, _)| i)
}

/// Readability's scoring: each paragraph gives its ancestors points for
/// length and commas; containers keep their class weight and lose what links take.
fn score_candidates(dom: &Dom<'_>, a: &mut Analysis, dead: &[bool], commas: &[u32]) {
    let nodes = &dom.nodes;
    let mut initialised = vec![false; nodes.len()];
    for i in 1..nodes.len() {
        if dead[i] || a.own_text[i] < MIN_SCORED_TEXT {
            continue;
        }
        if !matches!(
            nodes[i].tag,
            Tag::P | Tag::Pre | Tag::Td | Tag::Blockquote | Tag::Block
        ) {
            continue;
        }
        let own = a.own_text[i];
        // Link lists are not paragraphs.
        if a.own_link[i] * 2 > own {
            continue;
        }
        let content = 1.0 + commas[i].min(own / 10) as f32 + (own / 100).min(3) as f32;
        // A div's own inline text is a paragraph whose container is the div
        // itself (Readability wraps such text in a <p> first).
        let own_container = (nodes[i].tag == Tag::Block).then_some(i);
        for (level, anc) in own_container
            .into_iter()
            .chain(dom.ancestors(i))
            .take(5)
            .enumerate()
        {
            if !initialised[anc] {
                initialised[anc] = true;
                a.score[anc] += base_score(nodes[anc].tag) + a.verdicts[anc].weight;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            a.score[anc] += content / divider;
        }
    }
    for (i, _) in initialised.iter().enumerate().filter(|(_, done)| **done) {
        a.score[i] *= 1.0 - a.link_density(i);
    }
}

fn base_score(tag: Tag) -> f32 {
    match tag {
        Tag::Block | Tag::Article | Tag::Main => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Ul | Tag::Li | Tag::Form => -3.0,
        Tag::Heading(_) => -5.0,
        _ => 0.0,
    }
}

/// Picks the main content: the roots whose rendered text is the article,
/// in document order.
pub fn select(dom: &Dom<'_>, a: &Analysis) -> Vec<usize> {
    let nodes = &dom.nodes;
    let Some(mut top) = (1..nodes.len())
        .filter(|&i| a.score[i] > 0.0 && !matches!(nodes[i].tag, Tag::Body))
        .max_by(|&x, &y| a.score[x].total_cmp(&a.score[y]))
    else {
        return body_index(dom).into_iter().collect();
    };

    let best = top;
    // When several near-best candidates share an ancestor (paragraphs split
    // into cards or sections), that ancestor is the container.
    let mut ranked: Vec<usize> = (1..nodes.len()).filter(|&i| a.score[i] > 0.0).collect();
    ranked.sort_by(|&x, &y| a.score[y].total_cmp(&a.score[x]));
    let alternatives: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(TOP_CANDIDATES - 1)
        .copied()
        .filter(|&i| a.score[i] >= 0.75 * a.score[top])
        .collect();
    if alternatives.len() >= MIN_ALTERNATIVES {
        let mut ancestor = nodes[top].parent as usize;
        while ancestor != 0 && nodes[ancestor].tag != Tag::Body {
            let containing = alternatives
                .iter()
                .filter(|&&alt| ancestor < alt && alt < nodes[ancestor].end as usize)
                .count();
            if containing >= MIN_ALTERNATIVES {
                top = ancestor;
                break;
            }
            ancestor = nodes[ancestor].parent as usize;
        }
    }

    // A data table wins on its many cells, but it is a part of an article
    // that also has prose around it: the table's container is the article.
    top = container_of_table(dom, a, top);

    // A parent that scores better than its best child is the real container.
    let mut last = a.score[top];
    let mut parent = nodes[top].parent as usize;
    while parent != 0 && nodes[parent].tag != Tag::Body {
        let s = a.score[parent];
        if s == 0.0 {
            parent = nodes[parent].parent as usize;
            continue;
        }
        if s < last / 3.0 {
            break;
        }
        if s > last {
            top = parent;
            break;
        }
        last = s;
        parent = nodes[parent].parent as usize;
    }
    // Climb out of wrappers that hold nothing else.
    loop {
        let p = nodes[top].parent as usize;
        if p == 0 || nodes[p].tag == Tag::Body || a.text_len[p] != a.text_len[top] {
            break;
        }
        top = p;
    }

    let p = nodes[top].parent as usize;
    let threshold = (a.score[top] * 0.2).max(10.0);
    let top_class = nodes[top].attr("class").unwrap_or("");
    let mut roots = Vec::new();
    let mut child = p + 1;
    while child < nodes[p].end as usize {
        let i = child;
        child = nodes[i].end as usize;
        if i == top {
            roots.push(i);
            continue;
        }
        if a.removed[i].is_some() || a.void[i] || a.text_len[i] == 0 {
            continue;
        }
        let bonus = if !top_class.is_empty() && nodes[i].attr("class") == Some(top_class) {
            a.score[top] * 0.2
        } else {
            0.0
        };
        let keep = if a.score[i] + bonus >= threshold && a.link_density(i) < 0.33 {
            true
        } else if nodes[i].tag == Tag::P {
            let len = a.text_len[i];
            let ld = a.link_density(i);
            (len > 80 && ld < 0.25)
                || (len > 0 && len <= 80 && ld == 0.0 && ends_sentence(nodes[i].html))
        } else {
            false
        };
        if keep {
            roots.push(i);
        }
    }
    add_split_parts(dom, a, best, &mut roots);
    roots
}

/// The table's container when `top` is a whole table (or its body) set in
/// prose of its own; `top` otherwise.
fn container_of_table(dom: &Dom<'_>, a: &Analysis, top: usize) -> usize {
    let nodes = &dom.nodes;
    let name = |i: usize| nodes[i].element().map(|e| e.value().name());
    let mut table = top;
    if matches!(name(table), Some("tbody" | "thead" | "tfoot")) {
        table = nodes[table].parent as usize;
    }
    if nodes[table].tag != Tag::Table {
        return top;
    }
    let parent = nodes[table].parent as usize;
    let around = a.text_len[parent].saturating_sub(a.text_len[table]);
    let is_body = matches!(nodes[parent].tag, Tag::Body) || parent == 0;
    if !is_body && around >= MIN_TABLE_SURROUNDING_PROSE && a.link_density(parent) < 0.5 {
        parent
    } else {
        top
    }
}

/// Prose around a table that makes it part of an article (chars).
const MIN_TABLE_SURROUNDING_PROSE: u32 = 300;

/// Articles split into sections elsewhere in the page (around a pull quote,
/// a video, an ad slot) repeat the best container's tag and class: the other
/// parts are added, in document order.
fn add_split_parts(dom: &Dom<'_>, a: &Analysis, best: usize, roots: &mut Vec<usize>) {
    let nodes = &dom.nodes;
    let Some(class) = nodes[best].attr("class").filter(|c| !c.trim().is_empty()) else {
        return;
    };
    let tag = nodes[best].tag;
    let min_score = a.score[best] * 0.1;
    let mut i = 1;
    while i < nodes.len() {
        let covered = roots.iter().any(|&r| r <= i && i < nodes[r].end as usize);
        if covered {
            i += 1;
            continue;
        }
        if a.removed[i].is_some() || a.void[i] {
            i = nodes[i].end as usize;
            continue;
        }
        let same = nodes[i].tag == tag && nodes[i].attr("class") == Some(class);
        if same && a.score[i] >= min_score && a.text_len[i] > 0 && a.link_density(i) < 0.3 {
            roots.push(i);
            roots.sort_unstable();
            i = nodes[i].end as usize;
        } else {
            i += 1;
        }
    }
}

fn ends_sentence(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    let text: String = node
        .descendants()
        .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
        .collect();
    let trimmed = text.trim_end();
    trimmed.ends_with('.') || trimmed.ends_with('!') || trimmed.ends_with('?')
}

pub fn body_index(dom: &Dom<'_>) -> Option<usize> {
    dom.nodes.iter().position(|n| n.tag == Tag::Body)
}

/// The verdicts for every node, from [`boilerplate::classify`]. Elements
/// without text (icons, empty ad slots, image wrappers) cannot change the
/// article, so their names are not even looked at.
pub fn classify_all(dom: &Dom<'_>, raw_text: &[u32]) -> Vec<Verdict> {
    let mut cache = NameCache::default();
    dom.nodes
        .iter()
        .zip(raw_text)
        .map(|(node, &text)| {
            if text == 0 {
                return Verdict::default();
            }
            let Some(el) = node.element() else {
                return Verdict::default();
            };
            let (mut role, mut style, mut hidden) = (None, None, false);
            let mut judged = NameVerdict::default();
            for (name, value) in el.value().attrs.iter() {
                match &*name.local {
                    // "sharing-with-a-single-developer" is a heading made
                    // into an anchor, not the name of a share bar.
                    "id" if is_heading_slug(value) => {}
                    "id" | "class" => judged = judged.union(cache.judge(value)),
                    "role" => role = Some(&**value),
                    "style" => style = Some(&**value),
                    "hidden" => hidden = true,
                    "aria-hidden" => hidden |= &**value == "true",
                    _ => {}
                }
            }
            let mut verdict = boilerplate::classify(node.tag, judged, role, style);
            if hidden {
                verdict.kind = verdict.kind.or(Some(Kind::Hidden));
            }
            verdict
        })
        .collect()
}

/// An id of four or more words joined by hyphens or underscores: documentation
/// generators and editors make them from section headings.
fn is_heading_slug(id: &str) -> bool {
    id.split(['-', '_'])
        .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .count()
        >= 4
        && !id.contains(' ')
}

/// How the article's text was found, from the main-content decision to the
/// last resort; the record says which (`extraction_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The best-scoring container and its siblings ([`select`]).
    #[default]
    MainContent,
    /// The smallest container holding most of the page's prose, when the
    /// main-content decision found nothing or far less than the page has.
    DensestBlock,
    /// Every paragraph of prose outside the boilerplate, in page order.
    Paragraphs,
    /// Nothing was visible, so the steps above ran again with hidden
    /// regions counted as visible (a script reveals the body).
    Unhidden,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::MainContent => "main_content",
            Method::DensestBlock => "densest_block",
            Method::Paragraphs => "paragraphs",
            Method::Unhidden => "unhidden",
        }
    }
}

/// A block's own text counts as prose from this many chars...
const MIN_PROSE_CHARS: u32 = 40;
/// ...when at most this share of it is link text.
const MAX_PROSE_LINK_SHARE: f32 = 0.3;
/// A container holding this share of its parent's prose is where it is.
const DENSEST_SHARE: f32 = 0.7;

/// Prose chars per subtree: the own text of blocks that read as sentences
/// rather than links, outside removed boilerplate.
pub fn prose(dom: &Dom<'_>, a: &Analysis) -> Vec<u32> {
    let nodes = &dom.nodes;
    let mut prose = vec![0u32; nodes.len()];
    for i in (1..nodes.len()).rev() {
        let own = a.own_text[i];
        if own >= MIN_PROSE_CHARS && (a.own_link[i] as f32) <= MAX_PROSE_LINK_SHARE * own as f32 {
            prose[i] += own;
        }
        let p = nodes[i].parent as usize;
        prose[p] += prose[i];
    }
    prose
}

/// The smallest container that holds most of the page's prose: from the
/// body down, into the child that holds [`DENSEST_SHARE`] of it, while one does.
pub fn densest_block(dom: &Dom<'_>, a: &Analysis, prose: &[u32]) -> Option<usize> {
    let nodes = &dom.nodes;
    let mut at = body_index(dom)?;
    if prose[at] == 0 {
        return None;
    }
    loop {
        let mut best: Option<usize> = None;
        let mut child = at + 1;
        while child < nodes[at].end as usize {
            if a.removed[child].is_none()
                && !a.void[child]
                && best.is_none_or(|b| prose[child] > prose[b])
            {
                best = Some(child);
            }
            child = nodes[child].end as usize;
        }
        match best {
            Some(b) if prose[b] as f32 >= DENSEST_SHARE * prose[at] as f32 => at = b,
            _ => return Some(at),
        }
    }
}

/// Every block of prose outside the boilerplate, outermost first, in page
/// order: the last resort before declaring a page empty.
pub fn prose_blocks(dom: &Dom<'_>, a: &Analysis, prose: &[u32]) -> Vec<usize> {
    let nodes = &dom.nodes;
    let mut roots = Vec::new();
    let mut i = 1;
    while i < nodes.len() {
        if a.removed[i].is_some() || a.void[i] || prose[i] == 0 {
            i = nodes[i].end as usize;
            continue;
        }
        let own = a.own_text[i];
        if nodes[i].tag.is_block()
            && own >= MIN_PROSE_CHARS
            && (a.own_link[i] as f32) <= MAX_PROSE_LINK_SHARE * own as f32
        {
            roots.push(i);
            i = nodes[i].end as usize;
        } else {
            i += 1;
        }
    }
    roots
}
