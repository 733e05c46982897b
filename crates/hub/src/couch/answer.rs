//! Answers that list documents (`_changes`, `_all_docs`, `_bulk_get`, `open_revs`) are
//! written row by row into one buffer with a byte cap, so a request asking for the same
//! large document ten thousand times costs at most the cap, never the hub's memory: past
//! the cap the request fails with 413. Also how a document is shaped for an answer
//! (`revs`, `conflicts`, `meta`). Owns JSON output only; reads nothing from the store.

use super::{CouchError, Req};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use couch::{DocRecord, RevId};
use serde_json::{json, Value};

/// How `GET` and friends shape a document: the query options that change it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// `revs=true`: add `_revisions`.
    pub revs: bool,
    /// `conflicts=true` (or `meta`): add `_conflicts`.
    pub conflicts: bool,
    /// `deleted_conflicts=true` (or `meta`): add `_deleted_conflicts`.
    pub deleted_conflicts: bool,
}

impl Shape {
    /// The options of `req`.
    pub fn of(req: &Req) -> Result<Self, CouchError> {
        let meta = req.query.bool("meta", false)?;
        Ok(Self {
            revs: req.query.bool("revs", false)?,
            conflicts: req.query.bool("conflicts", false)? || meta,
            deleted_conflicts: req.query.bool("deleted_conflicts", false)? || meta,
        })
    }

    /// These options for a listing (`_all_docs`, `_changes` with `include_docs`), whose
    /// documents never carry `_revisions`.
    pub fn listed(self) -> Self {
        Self {
            revs: false,
            ..self
        }
    }

    /// The leaf `rev` of `record` shaped so, or None if it is not a leaf.
    pub fn doc(&self, record: &DocRecord, rev: &RevId) -> Option<Value> {
        let mut doc = if self.revs {
            record.doc_with_revisions(rev)
        } else {
            record.doc_at(rev)
        }?;
        let list =
            |revs: Vec<RevId>| json!(revs.iter().map(ToString::to_string).collect::<Vec<_>>());
        if self.conflicts {
            let c = record.tree.conflicts();
            if !c.is_empty() {
                doc["_conflicts"] = list(c);
            }
        }
        if self.deleted_conflicts {
            let c = record.tree.deleted_conflicts();
            if !c.is_empty() {
                doc["_deleted_conflicts"] = list(c);
            }
        }
        Some(doc)
    }
}

/// A JSON answer holding one array of rows, written as the rows come.
pub struct Rows {
    buf: Vec<u8>,
    cap: usize,
    empty: bool,
}

impl Rows {
    /// An answer that opens with `head` (e.g. `{"results":[`) and may grow to `cap` bytes.
    pub fn new(head: &str, cap: usize) -> Self {
        let mut buf = Vec::with_capacity(head.len() + 1024);
        buf.extend_from_slice(head.as_bytes());
        Self {
            buf,
            cap,
            empty: true,
        }
    }

    /// Adds a row; 413 once the answer would pass the cap.
    pub fn push(&mut self, row: &Value) -> Result<(), CouchError> {
        if !self.empty {
            self.buf.push(b',');
        }
        self.empty = false;
        serde_json::to_writer(&mut self.buf, row)
            .map_err(|e| CouchError::BadRequest(format!("cannot write the answer: {e}")))?;
        if self.buf.len() > self.cap {
            return Err(CouchError::AnswerTooLarge(self.cap));
        }
        Ok(())
    }

    /// Closes the array with `tail` (e.g. `],"last_seq":5}`) and answers 200.
    pub fn finish(mut self, tail: &str) -> Response {
        self.buf.extend_from_slice(tail.as_bytes());
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            self.buf,
        )
            .into_response()
    }
}

/// Removes repeated items, keeping the first of each (`key` says what makes two equal).
pub fn dedup<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

/// 400 if a request lists more than `max` items of `what`.
pub fn check_items(n: usize, max: usize, what: &str) -> Result<(), CouchError> {
    if n > max {
        return Err(CouchError::BadRequest(format!(
            "{what} lists {n} items; at most {max} per request"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stop_at_the_cap() {
        let mut r = Rows::new("[", 20);
        r.push(&json!("0123456789")).unwrap();
        assert!(matches!(
            r.push(&json!("0123456789")),
            Err(CouchError::AnswerTooLarge(20))
        ));
        let mut ok = Rows::new("{\"rows\":[", 100);
        ok.push(&json!(1)).unwrap();
        ok.push(&json!({"a": 2})).unwrap();
        assert_eq!(ok.buf, br#"{"rows":[1,{"a":2}"#);
    }

    #[test]
    fn dedup_keeps_first() {
        assert_eq!(dedup(vec![3, 1, 3, 2, 1], |x| *x), vec![3, 1, 2]);
    }
}
