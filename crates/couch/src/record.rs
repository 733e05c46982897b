//! A stored document: its revision tree plus the body of every leaf. Local edits
//! (`new_edits: true`) and replicated revisions (`new_edits: false`) both land here,
//! so the client store, the hub and the export importer share one set of rules.

use crate::attachment::{self, AttachmentError, Attachments};
use crate::rev::{new_rev_text, RevId, RevParseError};
use crate::tree::{RevTree, DEFAULT_REVS_LIMIT};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub use crate::record_json::Fresh;

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// The document has no `_id` (or an empty one).
    #[error("document has no _id")]
    MissingId,
    /// The body's `_id` is not the record's.
    #[error("document _id `{found}` does not match `{expected}`")]
    IdMismatch {
        /// The record's id.
        expected: String,
        /// The id in the body.
        found: String,
    },
    /// The body is not a JSON object.
    #[error("document body must be a JSON object")]
    NotAnObject,
    /// `_rev` is not the current leaf being edited (CouchDB's 409 `conflict`).
    #[error("document update conflict")]
    Conflict,
    /// A `_rev` or `_revisions` entry is malformed.
    #[error("bad revision: {0}")]
    BadRev(#[from] RevParseError),
    /// A replicated document has no `_rev`.
    #[error("replicated document has no _rev")]
    MissingRev,
    /// `_revisions` does not describe a path ending at `_rev`.
    #[error("_revisions does not match _rev `{0}`")]
    BadRevisions(String),
    /// A top-level field starts with `_` but is not CouchDB metadata.
    #[error("field `{0}` is reserved: top-level names must not start with _")]
    ReservedField(String),
    /// The body nests objects and arrays deeper than [`MAX_DEPTH`].
    #[error("document nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// `_attachments` is malformed, or a stub names an attachment that is not there
    /// (boxed: it names the attachment and two digests, and every `Result` carries it).
    #[error("{0}")]
    Attachment(Box<AttachmentError>),
}

impl From<AttachmentError> for DocError {
    fn from(e: AttachmentError) -> Self {
        DocError::Attachment(Box::new(e))
    }
}

/// The deepest nesting of objects and arrays a document body may have. Far beyond any
/// real record, and low enough that a stored record (which wraps each body a few levels
/// deeper) always reads back within serde_json's recursion limit of 128.
pub const MAX_DEPTH: usize = 64;

/// How deeply `v` nests objects and arrays (a scalar is 0), stopping once past `cap`.
fn depth(v: &Value, cap: usize) -> usize {
    if cap == 0 {
        return 1;
    }
    match v {
        Value::Array(a) => 1 + a.iter().map(|x| depth(x, cap - 1)).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(|x| depth(x, cap - 1)).max().unwrap_or(0),
        _ => 0,
    }
}

/// What merging a replicated revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The revision was known already; nothing changed.
    AlreadyPresent,
    /// The revision extended an existing branch (or started the document).
    Extended,
    /// The revision opened a new branch: the document now has a conflict.
    NewBranch,
}

/// CouchDB's `_revisions`: a revision path as a start generation and hashes, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    /// The generation of `ids[0]`.
    pub start: u64,
    /// Hashes, newest first, each the parent of the one before.
    pub ids: Vec<String>,
}

impl Revisions {
    /// The path as revision ids, newest first, at most [`DEFAULT_REVS_LIMIT`] of them
    /// (older ones would be stemmed at once). Every hash must be a non-empty string, as in
    /// `_rev`, and the generations must stay positive.
    pub fn to_path(&self) -> Result<Vec<RevId>, DocError> {
        if self.start < self.ids.len() as u64 || self.start > crate::rev::MAX_GENERATION {
            return Err(DocError::BadRevisions(format!(
                "start {} with {} ids",
                self.start,
                self.ids.len()
            )));
        }
        self.ids
            .iter()
            .take(DEFAULT_REVS_LIMIT)
            .enumerate()
            .map(|(i, h)| {
                if h.is_empty() {
                    return Err(DocError::BadRevisions("an empty revision hash".into()));
                }
                Ok(RevId::new(self.start - i as u64, h.clone()))
            })
            .collect()
    }
}

/// A document as a database keeps it: id, revision tree, and leaf bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    /// The document id.
    pub id: String,
    /// All known revisions.
    pub tree: RevTree,
    /// The body of every leaf, keyed by revision string, without metadata fields.
    pub bodies: BTreeMap<String, Value>,
    /// The attachment stubs of every leaf that has attachments, keyed like `bodies`
    /// (absent from the JSON of a record without any, so such records read and write
    /// exactly as before attachments existed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attachments: BTreeMap<String, Attachments>,
}

impl DocRecord {
    /// A record for a document never written.
    pub fn new(id: String) -> Self {
        Self {
            id,
            tree: RevTree::new(),
            bodies: BTreeMap::new(),
            attachments: BTreeMap::new(),
        }
    }

    /// Applies a local edit (`new_edits: true`) and returns the new revision.
    ///
    /// `_rev` must name a current leaf; without `_rev` the document must be new or its
    /// winner deleted (re-creation). Same edit, same revision (see [`new_rev`]).
    ///
    /// Attachments (bytes taken out first, see [`attachment::take_inline`]): a `stub`
    /// entry keeps the parent's attachment of that name, new bytes get the new
    /// generation as `revpos`, and an attachment left out is dropped, as in CouchDB.
    pub fn update(&mut self, doc: Value) -> Result<RevId, DocError> {
        self.update_fresh(doc).map(|fresh| fresh.rev)
    }

    /// [`DocRecord::update`], handing back the new leaf with its body's JSON text, for
    /// a writer that stores the record's JSON next ([`DocRecord::write_json`]).
    pub fn update_fresh(&mut self, doc: Value) -> Result<Fresh, DocError> {
        // `_rev` is taken before the body is split off (which drops `_` fields), so the
        // document is moved, never copied.
        let given_rev = doc.get("_rev").cloned();
        let (body, deleted, raw_atts) = self.split(doc)?;
        let parent = match given_rev.as_ref() {
            Some(Value::String(s)) => {
                let rev: RevId = s.parse()?;
                if !self.tree.is_leaf(&rev) {
                    return Err(DocError::Conflict);
                }
                Some(rev)
            }
            Some(Value::Null) | None => match self.tree.winner_ref() {
                None => None,
                Some((rev, true)) => Some(rev.clone()),
                Some(_) => return Err(DocError::Conflict),
            },
            Some(_) => return Err(DocError::BadRevisions("_rev must be a string".into())),
        };
        let pos = parent.as_ref().map_or(1, |p| p.pos + 1);
        let known = parent
            .as_ref()
            .and_then(|p| self.attachments.get(&p.to_string()))
            .cloned()
            .unwrap_or_default();
        let atts = attachment::resolve(raw_atts.as_ref(), &known, pos, false)?;
        let (rev, text) = new_rev_text(parent.as_ref(), &body, deleted, &atts);
        let mut path = vec![rev.clone()];
        path.extend(parent);
        self.tree.merge(&path, deleted);
        self.set_attachments(&rev, atts);
        self.bodies.insert(rev.to_string(), body);
        self.finish();
        Ok(Fresh { rev, text })
    }

    /// Merges a replicated revision (`new_edits: false`): `_rev` with its optional
    /// `_revisions` ancestry. Merging a known revision changes nothing.
    pub fn put_replicated(&mut self, doc: Value) -> Result<MergeOutcome, DocError> {
        let outcome = self.merge_replicated(doc)?;
        if outcome != MergeOutcome::AlreadyPresent {
            self.finish();
        }
        Ok(outcome)
    }

    /// [`DocRecord::put_replicated`] for many revisions of this document at once: each is
    /// merged, then the tree is stemmed and the bodies pruned once, so K revisions cost
    /// about K merges, not K passes over a growing tree. Stops at the first bad revision
    /// (the record may then hold part of the batch: callers discard it).
    pub fn put_replicated_all(
        &mut self,
        docs: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<MergeOutcome>, DocError> {
        let outcomes = docs
            .into_iter()
            .map(|doc| self.merge_replicated(doc))
            .collect::<Result<Vec<_>, _>>()?;
        if outcomes.iter().any(|o| *o != MergeOutcome::AlreadyPresent) {
            self.finish();
        }
        Ok(outcomes)
    }

    fn merge_replicated(&mut self, doc: Value) -> Result<MergeOutcome, DocError> {
        let rev: RevId = match doc.get("_rev") {
            Some(Value::String(s)) => s.parse()?,
            _ => return Err(DocError::MissingRev),
        };
        let path = match doc.get("_revisions") {
            None | Some(Value::Null) => vec![rev.clone()],
            Some(v) => {
                let revs: Revisions = serde_json::from_value(v.clone())
                    .map_err(|e| DocError::BadRevisions(e.to_string()))?;
                let path = revs.to_path()?;
                if path.first() != Some(&rev) {
                    return Err(DocError::BadRevisions(rev.to_string()));
                }
                path
            }
        };
        let (body, deleted, raw_atts) = self.split(doc)?;
        if self.tree.contains(&rev) {
            return Ok(MergeOutcome::AlreadyPresent);
        }
        let parent_leaf = path[1..].iter().find(|r| self.tree.is_leaf(r));
        let known = self.known_attachments(parent_leaf);
        let atts = attachment::resolve(raw_atts.as_ref(), &known, rev.pos, true)?;
        let extends = parent_leaf.is_some() || self.tree.is_empty();
        self.tree.merge(&path, deleted);
        self.set_attachments(&rev, atts);
        self.bodies.insert(rev.to_string(), body);
        Ok(if extends {
            MergeOutcome::Extended
        } else {
            MergeOutcome::NewBranch
        })
    }

    /// Keeps at most `limit` revisions per branch.
    pub fn stem(&mut self, limit: usize) {
        self.tree.stem(limit);
        self.prune_bodies();
    }

    /// The winning revision and its body as stored (no metadata fields), borrowed: what a
    /// caller reads a few fields of without copying the document.
    pub fn winner_body(&self) -> Option<(&RevId, &Value)> {
        let (rev, _) = self.tree.winner_ref()?;
        let body = self.bodies.get(&rev.to_string())?;
        Some((rev, body))
    }

    /// The winning revision as a full document (`_id`, `_rev`, `_deleted` if so, body).
    pub fn winner_doc(&self) -> Option<Value> {
        self.doc_at(&self.tree.winner()?.rev)
    }

    /// The leaf `rev` as a full document, if it is a leaf of this record.
    pub fn doc_at(&self, rev: &RevId) -> Option<Value> {
        let body = self.bodies.get(&rev.to_string())?;
        let deleted = self.tree.is_deleted_leaf(rev);
        let mut out = Map::new();
        out.insert("_id".into(), Value::String(self.id.clone()));
        out.insert("_rev".into(), Value::String(rev.to_string()));
        if deleted {
            out.insert("_deleted".into(), Value::Bool(true));
        }
        if let Value::Object(fields) = body {
            out.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(atts) = self.attachments.get(&rev.to_string()) {
            out.insert("_attachments".into(), attachment::to_json(atts));
        }
        Some(Value::Object(out))
    }

    /// The attachment stubs of the leaf `rev` (empty if it has none or is not a leaf).
    pub fn attachments_at(&self, rev: &RevId) -> Attachments {
        self.attachments
            .get(&rev.to_string())
            .cloned()
            .unwrap_or_default()
    }

    /// Every digest a leaf of this record refers to: the bytes a store must hold for it.
    pub fn digests(&self) -> std::collections::BTreeSet<&str> {
        self.attachments
            .values()
            .flat_map(|atts| atts.values().map(|s| s.digest.as_str()))
            .collect()
    }

    /// The stubs a replicated revision's `stub` entries may refer to: those of the leaf it
    /// extends, else those of every leaf (the first of each name, in revision order).
    fn known_attachments(&self, parent_leaf: Option<&RevId>) -> Attachments {
        if let Some(atts) = parent_leaf.and_then(|p| self.attachments.get(&p.to_string())) {
            return atts.clone();
        }
        let mut known = Attachments::new();
        for atts in self.attachments.values() {
            for (name, stub) in atts {
                known.entry(name.clone()).or_insert_with(|| stub.clone());
            }
        }
        known
    }

    fn set_attachments(&mut self, rev: &RevId, atts: Attachments) {
        if atts.is_empty() {
            self.attachments.remove(&rev.to_string());
        } else {
            self.attachments.insert(rev.to_string(), atts);
        }
    }

    /// The leaf `rev` with its `_revisions` ancestry — what replication sends.
    pub fn doc_with_revisions(&self, rev: &RevId) -> Option<Value> {
        let mut doc = self.doc_at(rev)?;
        let revs = self.revisions(rev)?;
        doc["_revisions"] = serde_json::to_value(revs).expect("revisions serialize");
        Some(doc)
    }

    /// The known ancestry of `rev` as CouchDB's `_revisions`.
    pub fn revisions(&self, rev: &RevId) -> Option<Revisions> {
        let path = self.tree.path(rev);
        (!path.is_empty()).then(|| Revisions {
            start: rev.pos,
            ids: path.into_iter().map(|r| r.hash).collect(),
        })
    }

    /// True if the document is deleted (its winner is a tombstone) or was never written.
    pub fn is_deleted(&self) -> bool {
        self.tree.winner_ref().is_none_or(|(_, deleted)| deleted)
    }

    /// The winning revision.
    pub fn winner_rev(&self) -> Option<RevId> {
        self.tree.winner().map(|w| w.rev)
    }

    /// The body without metadata, whether it is a tombstone, and its `_attachments`.
    fn split(&self, doc: Value) -> Result<(Value, bool, Option<Value>), DocError> {
        let Value::Object(mut map) = doc else {
            return Err(DocError::NotAnObject);
        };
        match map.get("_id") {
            Some(Value::String(id)) if id == &self.id => {}
            Some(Value::String(id)) if !id.is_empty() => {
                return Err(DocError::IdMismatch {
                    expected: self.id.clone(),
                    found: id.clone(),
                })
            }
            _ => return Err(DocError::MissingId),
        }
        if let Some(k) = crate::replicated::reserved_field(&map) {
            return Err(DocError::ReservedField(k.to_owned()));
        }
        if map.values().any(|v| depth(v, MAX_DEPTH) >= MAX_DEPTH) {
            return Err(DocError::TooDeep);
        }
        let deleted = map.get("_deleted") == Some(&Value::Bool(true));
        let atts = map.remove("_attachments");
        map.retain(|k, _| !k.starts_with('_'));
        Ok((Value::Object(map), deleted, atts))
    }

    fn finish(&mut self) {
        self.tree.stem(DEFAULT_REVS_LIMIT);
        self.prune_bodies();
    }

    fn prune_bodies(&mut self) {
        // Most documents have one leaf: compare with it in place rather than write it out;
        // only a tree of many leaves gets a set of their texts.
        let leaves: Vec<&RevId> = self.tree.leaf_refs().map(|(rev, _)| rev).collect();
        let many: Option<std::collections::BTreeSet<String>> =
            (leaves.len() > 4).then(|| leaves.iter().map(|l| l.to_string()).collect());
        let is_leaf = |key: &String| match &many {
            Some(set) => set.contains(key),
            None => leaves.iter().any(|l| l.is(key)),
        };
        self.bodies.retain(|rev, _| is_leaf(rev));
        self.attachments.retain(|rev, _| is_leaf(rev));
    }
}

#[cfg(test)]
mod tests;
