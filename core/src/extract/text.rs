//! Rendering the chosen containers to text blocks: one block per paragraph,
//! heading, list item or quote, with whitespace collapsed the way a browser
//! collapses it.

use super::content::{Analysis, text_weight};
use super::dom::{Dom, Tag};

/// What a block of text is, which decides how it is joined to its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Quote,
    Preformatted,
}

/// One rendered block.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// Non-whitespace chars, and how many of them were inside links.
    pub chars: u32,
    pub link_chars: u32,
    /// The dom index of the element that produced the block.
    pub source: usize,
}

struct Renderer<'d> {
    blocks: Vec<Block>,
    current: String,
    chars: u32,
    link_chars: u32,
    kind: BlockKind,
    source: usize,
    pending_space: bool,
    _marker: std::marker::PhantomData<&'d ()>,
}

impl Renderer<'_> {
    fn flush(&mut self) {
        let text = self.current.trim();
        if !text.is_empty() {
            self.blocks.push(Block {
                kind: self.kind,
                text: text.to_owned(),
                chars: self.chars,
                link_chars: self.link_chars,
                source: self.source,
            });
        }
        self.current.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.pending_space = false;
    }

    fn push_text(&mut self, text: &str, in_link: bool, preformatted: bool) {
        let (chars, _) = text_weight(text);
        self.chars += chars;
        if in_link {
            self.link_chars += chars;
        }
        if preformatted {
            self.current.push_str(text);
            return;
        }
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        for word in text.split_whitespace() {
            if self.pending_space && !self.current.is_empty() && !self.current.ends_with('\n') {
                self.current.push(' ');
            }
            self.current.push_str(word);
            self.pending_space = true;
        }
        self.pending_space =
            text.ends_with(char::is_whitespace) || text.trim().is_empty() && self.pending_space;
    }
}

/// Renders the subtrees at `roots` (document order), skipping removed parts.
pub fn render(dom: &Dom<'_>, a: &Analysis, roots: &[usize]) -> Vec<Block> {
    let nodes = &dom.nodes;
    let mut r = Renderer {
        blocks: Vec::new(),
        current: String::new(),
        chars: 0,
        link_chars: 0,
        kind: BlockKind::Paragraph,
        source: 0,
        pending_space: false,
        _marker: std::marker::PhantomData,
    };
    for &root in roots {
        // Open block elements: (end index, kind to restore when it closes).
        let mut open: Vec<(usize, BlockKind, usize)> = Vec::new();
        let mut pre_depth = 0usize;
        let mut pre_ends: Vec<usize> = Vec::new();
        let end = nodes[root].end as usize;
        let mut i = root;
        r.flush();
        r.kind = BlockKind::Paragraph;
        r.source = root;
        while i < end {
            while let Some(&(close, kind, source)) = open.last() {
                if close > i {
                    break;
                }
                open.pop();
                r.flush();
                r.kind = kind;
                r.source = source;
            }
            while let Some(&close) = pre_ends.last() {
                if close > i {
                    break;
                }
                pre_ends.pop();
                pre_depth -= 1;
            }
            let node = &nodes[i];
            if a.removed[i].is_some() || a.void[i] {
                i = node.end as usize;
                continue;
            }
            match node.tag {
                Tag::Text => {
                    if let Some(text) = node.text() {
                        r.push_text(text, a.in_link[i], pre_depth > 0);
                    }
                }
                Tag::Br => {
                    r.current.push('\n');
                    r.pending_space = false;
                }
                tag if tag.is_block() => {
                    r.flush();
                    open.push((node.end as usize, r.kind, r.source));
                    r.source = i;
                    r.kind = match tag {
                        Tag::Heading(_) => BlockKind::Heading,
                        Tag::Li => BlockKind::ListItem,
                        Tag::Blockquote => BlockKind::Quote,
                        Tag::Pre => BlockKind::Preformatted,
                        Tag::P | Tag::Td => BlockKind::Paragraph,
                        _ => r.kind,
                    };
                    if tag == Tag::Pre {
                        pre_depth += 1;
                        pre_ends.push(node.end as usize);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        r.flush();
    }
    // Lines inside a block: trim each, drop empty ones.
    for block in &mut r.blocks {
        if block.text.contains('\n') && block.kind != BlockKind::Preformatted {
            block.text = block
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    r.blocks
}

/// Joins blocks: paragraphs apart by a blank line, list items on their own lines.
pub fn join(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous: Option<BlockKind> = None;
    for block in blocks {
        if let Some(prev) = previous {
            if prev == BlockKind::ListItem && block.kind == BlockKind::ListItem {
                out.push('\n');
            } else {
                out.push_str("\n\n");
            }
        }
        out.push_str(&block.text);
        previous = Some(block.kind);
    }
    out
}
