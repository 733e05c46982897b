//! A document's revision tree, stored flat: every known revision with its parent (if
//! known) and, for leaves, whether it is deleted. A revision's parent never changes (its
//! hash covers the parent), so merging is a union and its result does not depend on the
//! order or the number of times paths are merged.
//!
//! Cost: beside the nodes the tree keeps how many children each revision has (rebuilt
//! when a stored tree is read, never stored), so a leaf test is a lookup and merging a
//! path of length P costs O(P log N); [`RevTree::leaves`], [`RevTree::winner`] and
//! [`RevTree::stem`] are one pass over the N nodes. Merging K revisions and stemming once
//! is therefore O((K·P + N) log N), never quadratic in K.

use crate::rev::RevId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, VecDeque};

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

/// The revision tree of one document. Serialized as the map of nodes only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevTree {
    nodes: BTreeMap<RevId, Node>,
    /// How many nodes name each revision as their parent (absent: none, a leaf).
    children: BTreeMap<RevId, u32>,
}

impl Serialize for RevTree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.nodes.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RevTree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let nodes = BTreeMap::<RevId, Node>::deserialize(d)?;
        Ok(Self::from_nodes(nodes))
    }
}

impl RevTree {
    /// An empty tree (a document never written).
    pub fn new() -> Self {
        Self::default()
    }

    fn from_nodes(nodes: BTreeMap<RevId, Node>) -> Self {
        let mut children: BTreeMap<RevId, u32> = BTreeMap::new();
        for p in nodes.values().filter_map(|n| n.parent.as_ref()) {
            *children.entry(p.clone()).or_default() += 1;
        }
        Self { nodes, children }
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
            if !self.nodes.contains_key(rev) {
                let node = Node {
                    parent: None,
                    deleted: false,
                };
                self.nodes.insert(rev.clone(), node);
            }
            let Some(node) = self.nodes.get_mut(rev) else {
                continue;
            };
            if i == 0 && deleted {
                node.deleted = true;
            }
            if let (None, Some(p)) = (&node.parent, path.get(i + 1)) {
                node.parent = Some(p.clone());
                match self.children.get_mut(p) {
                    Some(n) => *n += 1,
                    None => {
                        self.children.insert(p.clone(), 1);
                    }
                }
            }
        }
    }

    /// The leaves, in revision order.
    pub fn leaves(&self) -> Vec<Leaf> {
        self.leaf_refs()
            .map(|(rev, deleted)| Leaf {
                rev: rev.clone(),
                deleted,
            })
            .collect()
    }

    /// The leaves as they are in the tree (nothing copied), each with whether it is
    /// deleted, in revision order.
    pub fn leaf_refs(&self) -> impl Iterator<Item = (&RevId, bool)> + '_ {
        self.nodes
            .iter()
            .filter(|(rev, _)| !self.children.contains_key(*rev))
            .map(|(rev, n)| (rev, n.deleted))
    }

    /// True if `rev` is a leaf.
    pub fn is_leaf(&self, rev: &RevId) -> bool {
        self.contains(rev) && !self.children.contains_key(rev)
    }

    /// True if `rev` is a deleted leaf.
    pub fn is_deleted_leaf(&self, rev: &RevId) -> bool {
        self.is_leaf(rev) && self.nodes.get(rev).is_some_and(|n| n.deleted)
    }

    /// The winning revision, by CouchDB's rule: non-deleted leaves before deleted ones,
    /// then the highest generation, then the highest revision hash.
    pub fn winner(&self) -> Option<Leaf> {
        self.winner_ref().map(|(rev, deleted)| Leaf {
            rev: rev.clone(),
            deleted,
        })
    }

    /// [`RevTree::winner`] without copying it: its revision and whether it is deleted.
    pub fn winner_ref(&self) -> Option<(&RevId, bool)> {
        self.leaf_refs()
            .max_by(|a, b| (!a.1, a.0).cmp(&(!b.1, b.0)))
    }

    /// Whether [`RevTree::conflicts`] is not empty: two leaves or more are live (the
    /// winner is live whenever any leaf is).
    pub fn has_conflicts(&self) -> bool {
        self.leaf_refs()
            .filter(|(_, deleted)| !deleted)
            .nth(1)
            .is_some()
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
    /// Leaves are never dropped. One pass: a breadth-first walk up from every leaf at
    /// once gives each revision its distance to the nearest leaf below it.
    pub fn stem(&mut self, limit: usize) {
        let limit = limit.max(1);
        if self.nodes.len() <= limit {
            return;
        }
        let mut near: BTreeMap<&RevId, usize> = BTreeMap::new();
        let mut queue: VecDeque<(&RevId, usize)> = VecDeque::new();
        for (rev, _) in self
            .nodes
            .iter()
            .filter(|(r, _)| !self.children.contains_key(*r))
        {
            near.insert(rev, 0);
            queue.push_back((rev, 0));
        }
        while let Some((rev, d)) = queue.pop_front() {
            if d + 1 >= limit {
                continue;
            }
            let Some(parent) = self.nodes.get(rev).and_then(|n| n.parent.as_ref()) else {
                continue;
            };
            if !near.contains_key(parent) {
                near.insert(parent, d + 1);
                queue.push_back((parent, d + 1));
            }
        }
        if near.len() == self.nodes.len() {
            return;
        }
        let keep: std::collections::BTreeSet<RevId> = near.into_keys().cloned().collect();
        let mut nodes = std::mem::take(&mut self.nodes);
        nodes.retain(|rev, _| keep.contains(rev));
        for node in nodes.values_mut() {
            if node.parent.as_ref().is_some_and(|p| !keep.contains(p)) {
                node.parent = None;
            }
        }
        *self = Self::from_nodes(nodes);
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
        assert_eq!(t.winner_ref(), Some((&r("2-b"), false)));
        assert_eq!(t.conflicts(), vec![r("2-a")]);
        assert!(t.has_conflicts());
        t.merge(&path(&["3-z", "2-b", "1-x"]), true);
        assert_eq!(
            t.winner().unwrap().rev,
            r("2-a"),
            "a live leaf beats a deeper tombstone"
        );
        assert_eq!(t.deleted_conflicts(), vec![r("3-z")]);
        assert!(t.conflicts().is_empty());
        assert!(
            !t.has_conflicts(),
            "one live leaf and a tombstone do not conflict"
        );
        t.merge(&path(&["3-y", "2-a", "1-x"]), true);
        assert_eq!(
            t.winner().unwrap(),
            Leaf {
                rev: r("3-z"),
                deleted: true
            }
        );
        assert!(!t.has_conflicts(), "no live leaf, no conflict");
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
