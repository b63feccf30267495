//! A flat, pre-order view of the parsed document.
//!
//! The parser's tree is walked once into an arena where every subtree is a
//! contiguous index range `[i, end)`. Statistics then accumulate bottom-up by
//! iterating backwards, and removed subtrees are skipped by jumping to `end`:
//! no recursion (100k nested `<div>`s cannot overflow the stack) and no
//! quadratic walks.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node as HtmlNode};

/// What the extractor needs to know about a tag, decided once per element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Paragraph-like blocks whose text is scored.
    P,
    Heading(u8),
    Li,
    Pre,
    Blockquote,
    Td,
    Br,
    A,
    Time,
    Figure,
    Figcaption,
    Iframe,
    Article,
    Main,
    Body,
    Nav,
    Footer,
    Header,
    Aside,
    Form,
    Table,
    Tr,
    Ul,
    /// Elements whose content is never text: script, style, svg, inputs...
    Void,
    /// Other block-level elements (div, section, dl...).
    Block,
    /// Other inline elements (span, em, strong, b...).
    Inline,
    Text,
    Other,
}

impl Tag {
    pub fn from_name(name: &str) -> Tag {
        match name {
            "p" => Tag::P,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "li" | "dt" | "dd" => Tag::Li,
            "pre" => Tag::Pre,
            "blockquote" => Tag::Blockquote,
            "td" | "th" => Tag::Td,
            "br" => Tag::Br,
            "a" => Tag::A,
            "time" => Tag::Time,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "iframe" => Tag::Iframe,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "body" => Tag::Body,
            "nav" => Tag::Nav,
            "footer" => Tag::Footer,
            "header" => Tag::Header,
            "aside" => Tag::Aside,
            "form" => Tag::Form,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "ul" | "ol" | "dl" | "menu" => Tag::Ul,
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "canvas" | "object"
            | "embed" | "head" | "title" | "button" | "select" | "option" | "input"
            | "textarea" | "label" | "video" | "audio" | "picture" | "img" | "map" | "meta"
            | "link" | "source" | "dialog" => Tag::Void,
            "div" | "section" | "address" | "center" | "details" | "summary" | "fieldset"
            | "hgroup" | "caption" | "tbody" | "thead" | "tfoot" | "hr" | "html" | "legend" => {
                Tag::Block
            }
            _ => Tag::Inline,
        }
    }

    /// Whether the tag starts a new line of text.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Time | Tag::Inline | Tag::Text | Tag::Other | Tag::Void
        )
    }
}

/// One node of the flat document.
pub struct Node<'a> {
    pub html: ego_tree::NodeRef<'a, HtmlNode>,
    pub tag: Tag,
    pub parent: u32,
    /// Index one past the last node of this subtree.
    pub end: u32,
    pub depth: u32,
}

impl<'a> Node<'a> {
    pub fn element(&self) -> Option<ElementRef<'a>> {
        ElementRef::wrap(self.html)
    }

    pub fn text(&self) -> Option<&'a str> {
        match self.html.value() {
            HtmlNode::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn attr(&self, name: &str) -> Option<&'a str> {
        match self.html.value() {
            HtmlNode::Element(e) => attr(e, name),
            _ => None,
        }
    }
}

/// An attribute's value. Unlike `Element::attr`, this does not intern the
/// name in the global atom table, which costs a lock and a hash per call.
pub fn attr<'e>(element: &'e scraper::node::Element, name: &str) -> Option<&'e str> {
    element
        .attrs
        .iter()
        .find(|(qual, _)| &*qual.local == name)
        .map(|(_, value)| &**value)
}

/// The whole document, flattened in pre-order. Index 0 is the document root.
pub struct Dom<'a> {
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    pub fn build(html: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::new();
        let mut open: Vec<u32> = Vec::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    let tag = match node.value() {
                        HtmlNode::Element(e) => Tag::from_name(e.name()),
                        HtmlNode::Text(_) => Tag::Text,
                        _ => Tag::Other,
                    };
                    let index = nodes.len() as u32;
                    let parent = open.last().copied().unwrap_or(0);
                    nodes.push(Node {
                        html: node,
                        tag,
                        parent,
                        end: index + 1,
                        depth: open.len() as u32,
                    });
                    open.push(index);
                }
                Edge::Close(_) => {
                    if let Some(index) = open.pop() {
                        nodes[index as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
        Dom { nodes }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Ancestors of `index`, nearest first, excluding the document root.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = index;
        std::iter::from_fn(move || {
            if current == 0 {
                return None;
            }
            current = self.nodes[current].parent as usize;
            (current != 0).then_some(current)
        })
    }
}
