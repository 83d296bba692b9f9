//! The phrases as a trie over phrase words, built once and walked from each
//! token that is a phrase word.

use super::grouped::Grouped;
use super::hit::AtomId;
use rustc_hash::FxHashMap;

pub(super) type WordId = u32;
pub(super) type NodeId = u32;

/// Separator id 0 is the single space that folding leaves between words.
pub(super) const SPACE: u32 = 0;

/// The trie of phrase words, stored flat: a node's children ((separator
/// before the word, word) -> child, sorted) and the phrases that end at it
/// are each one `Grouped` by node.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct Trie {
    /// The root's child for each word (0 for none): every token looks its
    /// words up here, so a direct index replaces a binary search over the
    /// root's thousands of children, for 4 bytes a phrase word.
    #[serde(with = "super::flat")]
    pub(super) root: Vec<NodeId>,
    pub(super) children: Grouped<((u32, WordId), NodeId)>,
    pub(super) ends: Grouped<AtomId>,
}

impl Trie {
    /// From the edges (parent, separator, word) -> child and the (node,
    /// phrase) pairs of a trie of `nodes` nodes.
    pub(super) fn new(
        nodes: usize,
        words: usize,
        edges: FxHashMap<(NodeId, u32, WordId), NodeId>,
        ends: Vec<(NodeId, AtomId)>,
    ) -> Trie {
        // A phrase's first word has no separator before it.
        let mut root = vec![0; words];
        for (&(parent, sep, word), &child) in &edges {
            if parent == 0 && sep == SPACE {
                root[word as usize] = child;
            }
        }
        let mut children = Grouped::new(
            nodes,
            edges
                .iter()
                .map(|(&(parent, sep, word), &child)| (parent as usize, ((sep, word), child))),
        );
        children.sort_each();
        Trie {
            root,
            children,
            // A node's phrases keep the order they were added in.
            ends: Grouped::new(
                nodes,
                ends.iter().map(|&(node, atom)| (node as usize, atom)),
            ),
        }
    }

    pub(super) fn children(&self, node: NodeId) -> &[((u32, WordId), NodeId)] {
        self.children.get(node as usize)
    }

    pub(super) fn child(&self, node: NodeId, key: (u32, WordId)) -> Option<NodeId> {
        if node == 0 && key.0 == SPACE {
            return Some(self.root[key.1 as usize]).filter(|&c| c != 0);
        }
        let children = self.children(node);
        children
            .binary_search_by_key(&key, |c| c.0)
            .ok()
            .map(|i| children[i].1)
    }

    pub(super) fn atoms(&self, node: NodeId) -> &[AtomId] {
        self.ends.get(node as usize)
    }
}
