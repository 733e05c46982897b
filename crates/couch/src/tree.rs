//! A document's revision tree, stored flat: every known revision with its parent (if
//! known) and, for leaves, whether it is deleted. A revision's parent never changes (its
//! hash covers the parent), so merging is a union and its result does not depend on the
//! order or the number of times paths are merged.

use crate::rev::RevId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// CouchDB's default `_revs_limit`.
pub const DEFAULT_REVS_LIMIT: usize = 1000;

/// One known revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Node {
    /// The parent revision, or None for a root (the first revision or a stemmed branch).
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    parent: Option<RevId>,
    /// Whether this revision is a deletion (a tombstone).
    #[serde(rename = "d", default, skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
}

/// A leaf of the tree: a revision no other revision descends from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    /// The leaf's revision.
    pub rev: RevId,
    /// Whether it is a tombstone.
    pub deleted: bool,
}

/// The revision tree of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevTree {
    nodes: BTreeMap<RevId, Node>,
}

impl RevTree {
    /// An empty tree (a document never written).
    pub fn new() -> Self {
        Self::default()
    }

    /// True if no revision is known.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// True if `rev` is in the tree (as a leaf or an ancestor).
    pub fn contains(&self, rev: &RevId) -> bool {
        self.nodes.contains_key(rev)
    }

    /// Merges a revision path, newest first (`path[0]` is the leaf, `path[i+1]` the parent
    /// of `path[i]`), marking the leaf deleted or not. This is what `_bulk_docs` with
    /// `new_edits: false` does. The generations in a path must decrease by one.
    pub fn merge(&mut self, path: &[RevId], deleted: bool) {
        for (i, rev) in path.iter().enumerate() {
            let parent = path.get(i + 1).cloned();
            let node = self.nodes.entry(rev.clone()).or_insert(Node {
                parent: None,
                deleted: false,
            });
            if node.parent.is_none() {
                node.parent = parent;
            }
            if i == 0 && deleted {
                node.deleted = true;
            }
        }
    }

    /// The leaves, in revision order.
    pub fn leaves(&self) -> Vec<Leaf> {
        let parents: BTreeSet<&RevId> = self
            .nodes
            .values()
            .filter_map(|n| n.parent.as_ref())
            .collect();
        self.nodes
            .iter()
            .filter(|(rev, _)| !parents.contains(rev))
            .map(|(rev, n)| Leaf {
                rev: rev.clone(),
                deleted: n.deleted,
            })
            .collect()
    }

    /// True if `rev` is a leaf.
    pub fn is_leaf(&self, rev: &RevId) -> bool {
        self.contains(rev) && !self.nodes.values().any(|n| n.parent.as_ref() == Some(rev))
    }

    /// The winning revision, by CouchDB's rule: non-deleted leaves before deleted ones,
    /// then the highest generation, then the highest revision hash.
    pub fn winner(&self) -> Option<Leaf> {
        self.leaves()
            .into_iter()
            .max_by(|a, b| (!a.deleted, &a.rev).cmp(&(!b.deleted, &b.rev)))
    }

    /// The non-deleted leaves other than the winner (CouchDB's `_conflicts`), newest first.
    pub fn conflicts(&self) -> Vec<RevId> {
        self.losing_leaves(false)
    }

    /// The deleted leaves other than the winner (CouchDB's `_deleted_conflicts`).
    pub fn deleted_conflicts(&self) -> Vec<RevId> {
        self.losing_leaves(true)
    }

    fn losing_leaves(&self, deleted: bool) -> Vec<RevId> {
        let winner = self.winner().map(|w| w.rev);
        let mut out: Vec<RevId> = self
            .leaves()
            .into_iter()
            .filter(|l| l.deleted == deleted && Some(&l.rev) != winner.as_ref())
            .map(|l| l.rev)
            .collect();
        out.reverse();
        out
    }

    /// The known ancestry of `rev`, newest first, starting with `rev` itself; empty if
    /// `rev` is unknown.
    pub fn path(&self, rev: &RevId) -> Vec<RevId> {
        let mut out = Vec::new();
        let mut at = Some(rev.clone());
        while let Some(r) = at {
            let Some(node) = self.nodes.get(&r) else {
                break;
            };
            at = node.parent.clone();
            out.push(r);
        }
        out
    }

    /// Of `revs`, those this tree does not have (the `missing` of `_revs_diff`).
    pub fn revs_diff(&self, revs: &[RevId]) -> Vec<RevId> {
        let mut missing: Vec<RevId> = revs.iter().filter(|r| !self.contains(r)).cloned().collect();
        missing.dedup();
        missing
    }

    /// Keeps at most `limit` revisions of every leaf's ancestry and forgets the rest.
    /// Leaves are never dropped.
    pub fn stem(&mut self, limit: usize) {
        let limit = limit.max(1);
        let mut keep: BTreeSet<RevId> = BTreeSet::new();
        for leaf in self.leaves() {
            keep.extend(self.path(&leaf.rev).into_iter().take(limit));
        }
        self.nodes.retain(|rev, _| keep.contains(rev));
        for node in self.nodes.values_mut() {
            if node.parent.as_ref().is_some_and(|p| !keep.contains(p)) {
                node.parent = None;
            }
        }
    }

    /// The number of known revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> RevId {
        s.parse().unwrap()
    }

    fn path(revs: &[&str]) -> Vec<RevId> {
        revs.iter().map(|s| r(s)).collect()
    }

    #[test]
    fn linear_history_has_one_leaf() {
        let mut t = RevTree::new();
        t.merge(&path(&["1-a"]), false);
        t.merge(&path(&["3-c", "2-b", "1-a"]), false);
        assert_eq!(
            t.leaves(),
            vec![Leaf {
                rev: r("3-c"),
                deleted: false
            }]
        );
        assert_eq!(t.path(&r("3-c")), path(&["3-c", "2-b", "1-a"]));
        assert!(t.is_leaf(&r("3-c")) && !t.is_leaf(&r("2-b")));
    }

    #[test]
    fn winner_prefers_live_then_generation_then_hash() {
        let mut t = RevTree::new();
        t.merge(&path(&["2-a", "1-x"]), false);
        t.merge(&path(&["2-b", "1-x"]), false);
        assert_eq!(t.winner().unwrap().rev, r("2-b"));
        assert_eq!(t.conflicts(), vec![r("2-a")]);
        t.merge(&path(&["3-z", "2-b", "1-x"]), true);
        assert_eq!(
            t.winner().unwrap().rev,
            r("2-a"),
            "a live leaf beats a deeper tombstone"
        );
        assert_eq!(t.deleted_conflicts(), vec![r("3-z")]);
        assert!(t.conflicts().is_empty());
        t.merge(&path(&["3-y", "2-a", "1-x"]), true);
        assert_eq!(
            t.winner().unwrap(),
            Leaf {
                rev: r("3-z"),
                deleted: true
            }
        );
    }

    #[test]
    fn revs_diff_lists_unknown() {
        let mut t = RevTree::new();
        t.merge(&path(&["2-b", "1-a"]), false);
        assert_eq!(
            t.revs_diff(&path(&["1-a", "2-c", "3-d"])),
            path(&["2-c", "3-d"])
        );
    }

    #[test]
    fn stemming_keeps_leaves_and_limit() {
        let mut t = RevTree::new();
        t.merge(&path(&["4-d", "3-c", "2-b", "1-a"]), false);
        t.merge(&path(&["2-x", "1-a"]), false);
        t.stem(2);
        assert_eq!(t.path(&r("4-d")), path(&["4-d", "3-c"]));
        assert_eq!(t.path(&r("2-x")), path(&["2-x", "1-a"]));
        assert_eq!(t.leaves().len(), 2);
        t.merge(&path(&["5-e", "4-d", "3-c", "2-b"]), false);
        assert_eq!(
            t.path(&r("5-e")).len(),
            4,
            "a longer path re-attaches history"
        );
    }
}
