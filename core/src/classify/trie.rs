//! The byte trie that phrase search keys are looked up in.
//!
//! Every walk starts at a word's beginning and stops where no key
//! continues, so neither failure links nor suffix matches are needed: a
//! plain trie finds every key that begins there. Numbered breadth first
//! once built, so that a node's children are consecutive and their bytes
//! one sorted slice. A general Aho-Corasick automaton (the `aho-corasick`
//! crate's) computed failure links and copied suffix matches for every
//! key: most of the cost of each language's index, which a one-shot
//! `newsworker extract` pays for every language its pages are in.

/// A node: where its children are, and whether a key ends there. Eight
/// bytes: the walk's time goes in fetching nodes, so the key's number is
/// kept apart ([`KeyTrie::keys`]) and read only where one ends.
#[derive(Clone, Copy)]
struct Node {
    first_child: u32,
    children: u16,
    ends_key: bool,
}

/// No key ends at the node.
const NO_KEY: u32 = u32::MAX;

/// Children beyond this many are binary searched, fewer scanned.
const LINEAR_CHILDREN: usize = 8;

/// Byte strings, each found by the number [`KeyTrieBuilder::insert`]
/// gave it.
pub struct KeyTrie {
    nodes: Vec<Node>,
    /// The number of the key ending at each node ([`NO_KEY`] if none).
    keys: Vec<u32>,
    /// The byte leading into each node from its parent.
    bytes: Vec<u8>,
    /// Every child by byte of the first nodes (those up to
    /// [`DENSE_DEPTH`], numbered first): every walk goes through them, and
    /// they have the most children (a phrase key's space, its first letter,
    /// its second).
    dense: Vec<[u32; 256]>,
}

/// Nodes this near the root look their children up in a table: a
/// kilobyte each, some fifty per index (42 for English country names, 57
/// for every language's). At depth 2 rather than 1,
/// classifying a 5 KB article went from 9,600 to 13,000 per second
/// (`cargo bench --bench classify`): most walks end at the second or third
/// letter, and a binary search there was most of their time.
const DENSE_DEPTH: usize = 2;

/// A trie being built: nodes in creation order, each node's children a
/// list in byte order.
pub struct KeyTrieBuilder {
    bytes: Vec<u8>,
    first_child: Vec<u32>,
    next_sibling: Vec<u32>,
    key_of: Vec<u32>,
    keys: u32,
}

/// No such node (while building).
const NO_NODE: u32 = u32::MAX;

impl Default for KeyTrieBuilder {
    fn default() -> Self {
        KeyTrieBuilder {
            bytes: vec![0],
            first_child: vec![NO_NODE],
            next_sibling: vec![NO_NODE],
            key_of: vec![NO_KEY],
            keys: 0,
        }
    }
}

impl KeyTrieBuilder {
    /// Adds `key` and returns its number: the next one for a new key, the
    /// number it was given for a key added before.
    pub fn insert(&mut self, key: &[u8]) -> usize {
        let mut node = KeyTrie::ROOT as usize;
        for &byte in key {
            node = self.child(node, byte) as usize;
        }
        if self.key_of[node] == NO_KEY {
            self.key_of[node] = self.keys;
            self.keys += 1;
        }
        self.key_of[node] as usize
    }

    /// `parent`'s child for `byte`, added in its place if there is none.
    fn child(&mut self, parent: usize, byte: u8) -> u32 {
        let mut before = NO_NODE;
        let mut at = self.first_child[parent];
        while at != NO_NODE && self.bytes[at as usize] < byte {
            before = at;
            at = self.next_sibling[at as usize];
        }
        if at != NO_NODE && self.bytes[at as usize] == byte {
            return at;
        }
        let node = self.bytes.len() as u32;
        self.bytes.push(byte);
        self.first_child.push(NO_NODE);
        self.next_sibling.push(at);
        self.key_of.push(NO_KEY);
        match before {
            NO_NODE => self.first_child[parent] = node,
            before => self.next_sibling[before as usize] = node,
        }
        node
    }

    /// The trie, numbered breadth first: each node's children get
    /// consecutive numbers, in byte order.
    pub fn build(self) -> KeyTrie {
        let count = self.bytes.len();
        let mut order: Vec<u32> = Vec::with_capacity(count);
        order.push(KeyTrie::ROOT);
        let mut nodes: Vec<Node> = Vec::with_capacity(count);
        let mut keys: Vec<u32> = Vec::with_capacity(count);
        let mut bytes: Vec<u8> = Vec::with_capacity(count);
        let mut depth_ends = vec![1];
        let mut at = 0;
        while at < order.len() {
            if at == depth_ends[depth_ends.len() - 1] {
                depth_ends.push(order.len());
            }
            let old = order[at] as usize;
            let first = order.len() as u32;
            let mut child = self.first_child[old];
            while child != NO_NODE {
                order.push(child);
                child = self.next_sibling[child as usize];
            }
            nodes.push(Node {
                first_child: first,
                // At most one child per byte value.
                children: (order.len() as u32 - first) as u16,
                ends_key: self.key_of[old] != NO_KEY,
            });
            keys.push(self.key_of[old]);
            bytes.push(self.bytes[old]);
            at += 1;
        }
        // Nodes are numbered by depth: those up to DENSE_DEPTH first.
        let dense_nodes = depth_ends.get(DENSE_DEPTH).copied().unwrap_or(nodes.len());
        let dense = nodes[..dense_nodes]
            .iter()
            .map(|n| {
                let mut table = [NO_NODE; 256];
                for child in n.first_child..n.first_child + u32::from(n.children) {
                    table[bytes[child as usize] as usize] = child;
                }
                table
            })
            .collect();
        KeyTrie {
            nodes,
            keys,
            bytes,
            dense,
        }
    }
}

impl KeyTrie {
    /// The node every walk starts from: the empty prefix.
    pub const ROOT: u32 = 0;

    /// The node reached from `node` by `byte`, if some key continues so.
    #[inline]
    pub fn step(&self, node: u32, byte: u8) -> Option<u32> {
        if let Some(table) = self.dense.get(node as usize) {
            return Some(table[byte as usize]).filter(|&child| child != NO_NODE);
        }
        let n = self.nodes[node as usize];
        let first = n.first_child as usize;
        let children = &self.bytes[first..first + n.children as usize];
        let found = if children.len() <= LINEAR_CHILDREN {
            children.iter().position(|&b| b == byte)
        } else {
            children.binary_search(&byte).ok()
        };
        found.map(|i| (first + i) as u32)
    }

    /// The number of the key that ends at `node`, if one does.
    #[inline]
    pub fn key_at(&self, node: u32) -> Option<usize> {
        let node = node as usize;
        self.nodes[node].ends_key.then(|| self.keys[node] as usize)
    }

    /// Nodes in the trie, the root included.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the trie has no key (only its root).
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trie(keys: &[&str]) -> KeyTrie {
        let mut builder = KeyTrieBuilder::default();
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(builder.insert(key.as_bytes()), n, "{key}");
        }
        builder.build()
    }

    /// Every key found by walking `text` from its start.
    fn walk(trie: &KeyTrie, text: &str) -> Vec<usize> {
        let mut node = KeyTrie::ROOT;
        let mut found = Vec::new();
        for &byte in text.as_bytes() {
            match trie.step(node, byte) {
                Some(next) => node = next,
                None => break,
            }
            found.extend(trie.key_at(node));
        }
        found
    }

    #[test]
    fn a_walk_finds_every_key_that_begins_where_it_starts() {
        // Out of order on purpose: keys are numbered as added.
        let keys = [
            " ukraine ",
            " nato summit ",
            " nato ",
            " natur",
            " ukrain",
            " ü",
        ];
        let trie = trie(&keys);
        assert_eq!(walk(&trie, " nato summit in"), [2, 1]);
        assert_eq!(walk(&trie, " natural"), [3]);
        assert_eq!(walk(&trie, " ukraine war"), [4, 0]);
        assert_eq!(walk(&trie, " übung"), [5]);
        // Not a key that only ends inside the walk ("summit" is not a key
        // of its own), and nothing off the keys' paths.
        assert_eq!(walk(&trie, " summit "), Vec::<usize>::new());
        assert_eq!(walk(&trie, "nato "), Vec::<usize>::new());
        // The root, then a node per byte no earlier key shares:
        // " ukraine ", "nato summit ", "ur", "ü" (two bytes).
        assert_eq!(trie.len(), 1 + 9 + 12 + 2 + 2);
    }

    #[test]
    fn many_children_are_searched_as_few_are() {
        // More children than the linear scan takes, added out of order.
        let keys: Vec<String> = (b'a'..=b'z')
            .rev()
            .map(|b| format!(" {}x", b as char))
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let trie = trie(&keys);
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(walk(&trie, key), [n], "{key}");
        }
        assert_eq!(walk(&trie, " {x"), Vec::<usize>::new());
    }

    #[test]
    fn a_key_added_again_keeps_its_number() {
        let mut builder = KeyTrieBuilder::default();
        assert_eq!(builder.insert(b" a"), 0);
        assert_eq!(builder.insert(b" b"), 1);
        assert_eq!(builder.insert(b" a"), 0);
        assert_eq!(builder.insert(b" ab"), 2);
        let trie = builder.build();
        assert_eq!(walk(&trie, " ab"), [0, 2]);
        assert!(KeyTrieBuilder::default().build().is_empty());
    }
}
