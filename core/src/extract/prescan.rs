//! One quick scan of the markup before it is parsed, for two reasons.
//!
//! **Work the extractor never reads.** About half the bytes of a news page
//! are the bodies of `<script>`, `<style>` and `<noscript>` elements (53% on
//! the ScrapingHub benchmark; inline `<svg>` drawings and comments add 5%).
//! None of it is article text, yet the tokenizer walks it char by char and
//! the tree builder makes nodes of it. Those bodies are dropped (JSON-LD
//! scripts are kept: metadata reads them), so the parser sees the same tree
//! with empty scripts, styles and drawings. Attributes no part of the
//! extractor reads (`data-*`, `srcset`, `onclick`...) are dropped too: in
//! what remains, start tags are 70% of the bytes and those attributes a
//! fifth of that.
//!
//! **Pathological depth.** html5ever checks "is an element in scope" by
//! scanning its stack of open elements, so 100,000 nested `<div>`s cost time
//! quadratic in the depth: minutes of CPU for a few hundred kilobytes.
//! Browsers cap the depth (Chromium at 512); a document deeper than
//! [`MAX_DEPTH`] is rewritten with the tags beyond that depth dropped (their
//! text stays).

use std::ops::Range;

use html5ever::tendril::StrTendril;

/// Deeper nesting than this is flattened. Real pages stay far below it.
pub const MAX_DEPTH: usize = 512;

/// Elements whose content is raw text up to the matching end tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"noscript",
    b"iframe",
];

/// One lexical token; names are borrowed from the document, in any case.
enum Token<'a> {
    Open {
        name: &'a [u8],
        end: usize,
        self_closed: bool,
    },
    Close {
        name: &'a [u8],
        end: usize,
    },
    Other {
        end: usize,
    },
    Text {
        end: usize,
    },
}

fn tag_name(bytes: &[u8], from: usize) -> (&[u8], usize) {
    let mut i = from;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b':' | b'_'))
    {
        i += 1;
    }
    (&bytes[from..i], i)
}

/// Script, style and friends: their content is not markup.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(name.len(), 3..=8)
        && matches!(name[0] | 0x20, b's' | b't' | b'x' | b'n' | b'i')
        && one_of(name, RAW_TEXT)
}

fn one_of(name: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Where the end tag `</name` of a raw-text element starts: `</name`
/// followed by whitespace, `/` or `>` (or the end of the input).
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(p) = find(bytes, at, b"</") {
        let rest = &bytes[p + 2..];
        if rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && rest
                .get(name.len())
                .is_none_or(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
        {
            return p;
        }
        at = p + 2;
    }
    bytes.len()
}

/// Bodies worth dropping: scripts (but JSON-LD), styles, noscript fallbacks.
fn droppable_body(name: &[u8], start_tag: &[u8]) -> bool {
    if name.eq_ignore_ascii_case(b"style") || name.eq_ignore_ascii_case(b"noscript") {
        return true;
    }
    name.eq_ignore_ascii_case(b"script") && find(start_tag, 0, b"ld+json").is_none()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut at = from;
    while let Some(p) = memchr(first, hay, at) {
        if hay.len() - p >= needle.len() && hay[p..p + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

/// The token starting at `at` (which holds a `<`, or text up to the next one).
fn next_token(bytes: &[u8], at: usize) -> Token<'_> {
    if bytes[at] != b'<' {
        let end = memchr(b'<', bytes, at).unwrap_or(bytes.len());
        return Token::Text { end };
    }
    let after = at + 1;
    match bytes.get(after) {
        Some(b'!') => {
            let end = if bytes[after..].starts_with(b"!--") {
                find(bytes, after + 3, b"-->").map_or(bytes.len(), |p| p + 3)
            } else {
                memchr(b'>', bytes, after).map_or(bytes.len(), |p| p + 1)
            };
            Token::Other { end }
        }
        Some(b'/') => {
            let (name, i) = tag_name(bytes, after + 1);
            let end = memchr(b'>', bytes, i).map_or(bytes.len(), |p| p + 1);
            Token::Close { name, end }
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let (name, i) = tag_name(bytes, after);
            let close = tag_end(bytes, i);
            let self_closed = close >= 2 && bytes[close - 2] == b'/';
            let mut end = close;
            if !self_closed && is_raw_text(name) {
                end = raw_text_end(bytes, close, name);
            }
            Token::Open {
                name,
                end,
                self_closed,
            }
        }
        _ => Token::Text {
            end: memchr(b'<', bytes, after).unwrap_or(bytes.len()),
        },
    }
}

/// Index just past the `>` that ends a start tag, honouring quoted attributes.
fn tag_end(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn memchr(needle: u8, hay: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(needle, hay.get(from..)?).map(|p| from + p)
}

fn nests(name: &[u8], self_closed: bool) -> bool {
    if self_closed || name.len() > 8 {
        return !self_closed;
    }
    let mut lower = [0u8; 8];
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    !matches!(
        &lower[..name.len()],
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"tbody"
            | b"thead"
            | b"tfoot"
    )
}

/// Walks the tags once: the estimated nesting depth (elements with optional
/// end tags and void elements do not nest) and the byte ranges the parser
/// need not see, in order.
fn scan(html: &str) -> (usize, Vec<Range<usize>>) {
    let bytes = html.as_bytes();
    let mut drops = Vec::new();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    while let Some(p) = memchr(b'<', bytes, at) {
        at = p + 1;
        match bytes.get(p + 1) {
            Some(b'/') => {
                let (name, i) = tag_name(bytes, p + 2);
                if nests(name, false) {
                    depth = depth.saturating_sub(1);
                }
                at = i;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, i) = tag_name(bytes, p + 1);
                let close = memchr(b'>', bytes, i).map_or(bytes.len(), |q| q + 1);
                let self_closed = close >= 2 && bytes[close - 2] == b'/';
                if is_raw_text(name) {
                    if self_closed {
                        at = close;
                        continue;
                    }
                    let end = raw_text_end(bytes, close, name);
                    // An escaped `<!--` can hide a `</script>`: such bodies are kept.
                    let body = &bytes[close..end];
                    if droppable_body(name, &bytes[p..close]) && find(body, 0, b"<!--").is_none() {
                        drops.push(close..end);
                    }
                    at = end;
                } else if nests(name, self_closed) {
                    unread_attributes(bytes, i, close, &mut drops);
                    at = close;
                    if name.eq_ignore_ascii_case(b"svg") {
                        // Icons and drawings: many nodes, no article text.
                        let end = find(bytes, close, b"</svg").unwrap_or(bytes.len());
                        drops.push(close..end);
                        at = end;
                    }
                    depth += 1;
                    max = max.max(depth);
                } else {
                    unread_attributes(bytes, i, close, &mut drops);
                    at = close;
                }
            }
            Some(b'!') if bytes[p + 1..].starts_with(b"!--") => {
                at = find(bytes, p + 4, b"-->").map_or(bytes.len(), |q| q + 3);
                // Comments are never text; the parser need not build them.
                drops.push(p..at);
            }
            _ => {}
        }
    }
    (max, drops)
}

/// Attributes the extractor reads (`content.rs`, `metadata.rs`,
/// `embeds.rs`, `dates`, the language and charset) or that change how the
/// parser builds the tree or what a reader sees. Any other attribute
/// (`data-*` state, `srcset`, event handlers, tracking ids) is dropped
/// before parsing: on the ScrapingHub pages they are 15% of the bytes
/// the parser would otherwise tokenize. Code that reads a new attribute
/// must list it here, or it will never see it.
const READ_ATTRIBUTES: &[&[u8]] = &[
    b"id",
    b"class",
    b"role",
    b"style",
    b"hidden",
    b"aria-hidden",
    b"href",
    b"src",
    b"data-src",
    b"data-href",
    b"data-instgrm-permalink",
    b"cite",
    b"title",
    b"alt",
    b"itemprop",
    b"itemtype",
    b"itemscope",
    b"property",
    b"name",
    b"content",
    b"http-equiv",
    b"charset",
    b"rel",
    b"type",
    b"lang",
    b"xml:lang",
    b"datetime",
    b"pubdate",
    b"dir",
    b"colspan",
    b"rowspan",
    b"value",
    b"open",
];

/// Pushes onto `drops` the attributes of the start tag whose name ends at
/// `from` and which closes before `close` that the extractor never reads
/// ([`READ_ATTRIBUTES`]), each with the whitespace before it. A value
/// whose quote is not closed inside the tag stops the search: what the
/// tokenizer will make of the rest is left to it.
fn unread_attributes(bytes: &[u8], from: usize, close: usize, drops: &mut Vec<Range<usize>>) {
    // The `>` (and a self-closing `/`) stay.
    let end = close.saturating_sub(1).min(bytes.len());
    let mut at = from;
    while at < end {
        let start = at;
        while at < end && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        let name_start = at;
        while at < end && !bytes[at].is_ascii_whitespace() && !matches!(bytes[at], b'=' | b'/') {
            at += 1;
        }
        if at == name_start {
            return;
        }
        let name = &bytes[name_start..at];
        let mut value_end = at;
        while value_end < end && bytes[value_end].is_ascii_whitespace() {
            value_end += 1;
        }
        if value_end < end && bytes[value_end] == b'=' {
            value_end += 1;
            while value_end < end && bytes[value_end].is_ascii_whitespace() {
                value_end += 1;
            }
            match bytes.get(value_end) {
                Some(&q @ (b'"' | b'\'')) if value_end < end => {
                    match memchr(q, &bytes[..end], value_end + 1) {
                        Some(closing) => value_end = closing + 1,
                        None => return,
                    }
                }
                _ => {
                    while value_end < end && !bytes[value_end].is_ascii_whitespace() {
                        value_end += 1;
                    }
                }
            }
            at = value_end;
        }
        // Only a name preceded by whitespace (or the tag's name) is an
        // attribute's; and only an unread one is dropped.
        if !one_of(name, READ_ATTRIBUTES) && start < name_start {
            drops.push(start..at);
        }
    }
}

/// The document's nesting depth, estimated from its tags in one quick pass.
pub fn estimated_depth(html: &str) -> usize {
    scan(html).0
}

/// The text the parser should see: `html` with raw-text, SVG and comment
/// bodies dropped and, if it nests deeper than [`MAX_DEPTH`], flattened.
pub fn prepare(html: &str) -> StrTendril {
    let (depth, drops) = scan(html);
    let mut out = StrTendril::new();
    let mut copied = 0;
    for drop in drops {
        // Range ends sit on ASCII bytes ('>', '<'), so on char boundaries.
        out.push_slice(html.get(copied..drop.start).unwrap_or(""));
        copied = drop.end;
    }
    out.push_slice(html.get(copied..).unwrap_or(""));
    if depth > MAX_DEPTH {
        return StrTendril::from_slice(&flatten(&out));
    }
    out
}

/// Returns the document with tags beyond [`MAX_DEPTH`] dropped, or `None`
/// when it is not that deep. [`prepare`] flattens inline; this is for tests.
#[cfg(test)]
fn flatten_if_too_deep(html: &str) -> Option<String> {
    (estimated_depth(html) > MAX_DEPTH).then(|| flatten(html))
}

/// `html` with the tags beyond [`MAX_DEPTH`] dropped.
fn flatten(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // Open elements: name, and whether its tags were dropped.
    let mut open: Vec<(&[u8], bool)> = Vec::new();
    let mut kept_open = 0usize;
    let mut at = 0usize;
    while at < bytes.len() {
        let (keep, end) = match next_token(bytes, at) {
            Token::Open {
                name,
                end,
                self_closed,
            } => {
                if nests(name, self_closed) {
                    let dropped = kept_open >= MAX_DEPTH;
                    kept_open += usize::from(!dropped);
                    open.push((name, dropped));
                    (!dropped, end)
                } else {
                    (true, end)
                }
            }
            Token::Close { name, end } => {
                match open.iter().rposition(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    Some(k) => {
                        let dropped = open[k].1;
                        kept_open -= open[k..].iter().filter(|(_, d)| !d).count();
                        open.truncate(k);
                        (!dropped, end)
                    }
                    None => (true, end),
                }
            }
            Token::Other { end } | Token::Text { end } => (true, end),
        };
        let end = end.max(at + 1).min(bytes.len());
        if keep {
            // Token boundaries are ASCII bytes, so these are char boundaries.
            out.push_str(html.get(at..end).unwrap_or(""));
        }
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_left_alone() {
        let page =
            "<html><body><div><p>One<p>Two<ul><li>a<li>b</ul><br><img src=x></div></body></html>";
        assert_eq!(estimated_depth(page), 4);
        assert!(flatten_if_too_deep(page).is_none());
    }

    #[test]
    fn raw_text_is_skipped() {
        let page = "<script>if (a < b) { x = '<div><div><div>'; }</script><div>x</div>";
        assert_eq!(estimated_depth(page), 1);
    }

    #[test]
    fn every_attribute_the_extractor_reads_survives_the_prescan() {
        let sources = [
            include_str!("authors.rs"),
            include_str!("boilerplate.rs"),
            include_str!("consent.rs"),
            include_str!("content.rs"),
            include_str!("credits.rs"),
            include_str!("dates.rs"),
            include_str!("dom.rs"),
            include_str!("embeds.rs"),
            include_str!("metadata.rs"),
            include_str!("mod.rs"),
            include_str!("prompts.rs"),
            include_str!("text.rs"),
        ];
        // `attr("name")` and `attr(element, "name")` calls.
        let call = regex::Regex::new(r#"attr\((?:[\w.()]+,\s*)?"([\w:-]+)"\)"#).unwrap();
        let mut names: Vec<&str> = sources
            .iter()
            .flat_map(|s| call.captures_iter(s))
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        assert!(names.contains(&"itemprop"), "{names:?}");
        // The names `content::classify_all` matches while iterating
        // attributes.
        names.extend(["id", "class", "role", "style", "hidden", "aria-hidden"]);
        for name in names {
            assert!(
                one_of(name.as_bytes(), READ_ATTRIBUTES),
                "{name} is read but the prescan drops it"
            );
        }
    }

    #[test]
    fn attributes_the_extractor_never_reads_are_dropped() {
        let page = concat!(
            "<html lang=\"de\"><body onload=\"init()\">",
            "<div id=\"main\" data-track='{\"a\": 1}' class=\"story\" data-lazy>",
            "<img src=\"a.jpg\" srcset=\"a.jpg 1x, b.jpg 2x\" alt=\"Map\" loading=\"lazy\"/>",
            "<time datetime=\"2023-07-12\" data-x=\"y\">12 July</time>",
            "<a href=\"/x\" title=\"x > y\" data-after=\"kept: the tag's end is unclear\">x</a>",
            "</div></body></html>"
        );
        let prepared = prepare(page);
        assert_eq!(
            &*prepared,
            concat!(
                "<html lang=\"de\"><body>",
                "<div id=\"main\" class=\"story\">",
                "<img src=\"a.jpg\" alt=\"Map\"/>",
                "<time datetime=\"2023-07-12\">12 July</time>",
                "<a href=\"/x\" title=\"x > y\" data-after=\"kept: the tag's end is unclear\">x</a>",
                "</div></body></html>"
            )
        );
    }

    #[test]
    fn raw_text_bodies_svg_and_comments_are_dropped() {
        let page = concat!(
            "<head><script>var a = '<p>not text</p>';</script>",
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>",
            "<style>p { color: red }</style></head><body><!-- a comment -->",
            "<p>Kept <svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><text>icon</text></svg> text.</p>",
            "<script><!-- document.write('</script>') --></script></body>"
        );
        let prepared = prepare(page);
        assert!(!prepared.contains("not text"));
        assert!(!prepared.contains("color: red"));
        assert!(!prepared.contains("a comment"));
        assert!(!prepared.contains("icon"));
        assert!(
            prepared.contains("{\"@type\":\"NewsArticle\"}"),
            "JSON-LD kept"
        );
        assert!(
            prepared.contains("<p>Kept <svg></svg> text.</p>"),
            "{}",
            &*prepared
        );
        assert!(
            prepared.contains("document.write"),
            "escaped script bodies are kept"
        );
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let page = format!(
            "<body>{}deep text{}</body>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let flat = flatten_if_too_deep(&page).unwrap();
        assert!(estimated_depth(&flat) <= MAX_DEPTH + 1);
        assert!(flat.contains("deep text"));
    }
}
