//! CouchDB attachments as a revision keeps them: a stub per name (`content_type`,
//! `length`, `digest`, `revpos`) — never the bytes. The bytes travel beside the document
//! ([`Blob`], keyed by digest) and each storage engine keeps them once per digest.
//!
//! - [`digest`]: CouchDB's digest, `md5-` + base64 (standard, padded) of the MD5 of the
//!   bytes (CouchDB's `couch_att`, PouchDB's `binaryMd5`).
//! - [`take_inline`]: turns every inline `data` (base64) entry of a document's
//!   `_attachments` into a stub and hands back the bytes, checking a declared `digest` and
//!   `length` against them; [`take_follows`] does the same for multipart parts.
//! - [`resolve`]: what a new revision's `_attachments` becomes, given its parent's stubs
//!   (CouchDB's rules: a `stub: true` entry keeps the earlier attachment and its `revpos`;
//!   new bytes get the new revision's generation as `revpos`).
//!
//! Pure: no I/O. Whether a digest's bytes are stored is the storage engine's question
//! (the hub refuses a stub whose bytes it does not hold).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// An attachment as a revision records it; serialized as CouchDB's stub (`stub: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stub {
    /// The MIME type (`application/octet-stream` when none was given).
    pub content_type: String,
    /// `md5-` + base64 of the MD5 of the bytes.
    pub digest: String,
    /// The number of bytes.
    pub length: u64,
    /// The generation of the revision that added these bytes.
    pub revpos: u64,
    /// Always true: the bytes are not here.
    #[serde(default = "yes")]
    pub stub: bool,
}

fn yes() -> bool {
    true
}

/// A revision's attachments by name.
pub type Attachments = BTreeMap<String, Stub>;

/// Attachment bytes taken out of a document, with their digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// `md5-…` of `bytes`.
    pub digest: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Blob {
    /// A blob of `bytes`, its digest computed.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self {
            digest: digest(&bytes),
            bytes,
        }
    }
}

/// Why a document's `_attachments` cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// `_attachments`, or one entry, is not a JSON object, or a field has the wrong type.
    #[error("attachment `{0}`: {1}")]
    Malformed(String, &'static str),
    /// `data` is not valid base64.
    #[error("attachment `{0}`: data is not valid base64")]
    BadBase64(String),
    /// The declared digest is not the bytes' digest.
    #[error("attachment `{name}`: digest {declared} does not match the data ({actual})")]
    DigestMismatch {
        /// The attachment.
        name: String,
        /// The digest the document declared.
        declared: String,
        /// The digest of the bytes received.
        actual: String,
    },
    /// The declared length is not the bytes' length.
    #[error("attachment `{name}`: length {declared} does not match the data ({actual} bytes)")]
    LengthMismatch {
        /// The attachment.
        name: String,
        /// The length the document declared.
        declared: u64,
        /// The length received.
        actual: u64,
    },
    /// A stub names an attachment the parent revision does not have (CouchDB's
    /// `missing_stub`), or a stub lacks what a replicated revision must say.
    #[error("attachment `{0}`: stub refers to an attachment that is not there")]
    MissingStub(String),
    /// An entry still holds `data` or `follows` where only stubs may be.
    #[error("attachment `{0}`: bytes must be taken out before the revision is stored")]
    BytesInline(String),
    /// More multipart parts than `follows` entries, or fewer.
    #[error("{0} attachment parts for {1} entries marked follows")]
    PartCount(usize, usize),
}

/// CouchDB's digest of `bytes`: `md5-` + base64 of their MD5.
pub fn digest(bytes: &[u8]) -> String {
    format!("md5-{}", STANDARD.encode(Md5::digest(bytes)))
}

/// Base64 (standard, padded) of `bytes`, as CouchDB writes `data`.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The `_attachments` object of `doc`, if it has one.
fn entries(doc: &mut Value) -> Result<Option<&mut Map<String, Value>>, AttachmentError> {
    match doc.get_mut("_attachments") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(AttachmentError::Malformed(
            "_attachments".into(),
            "must be an object",
        )),
    }
}

/// Replaces every inline `data` entry of `doc`'s `_attachments` by a stub without
/// `stub: true` (content type, digest, length; `revpos` kept if given) and returns the
/// bytes. A declared `digest` or `length` must match the bytes.
pub fn take_inline(doc: &mut Value) -> Result<Vec<Blob>, AttachmentError> {
    let Some(atts) = entries(doc)? else {
        return Ok(Vec::new());
    };
    let mut blobs = Vec::new();
    for (name, entry) in atts.iter_mut() {
        let Some(data) = entry.get("data") else {
            continue;
        };
        let text = data
            .as_str()
            .ok_or_else(|| AttachmentError::Malformed(name.clone(), "data must be a string"))?;
        let bytes = STANDARD
            .decode(text)
            .map_err(|_| AttachmentError::BadBase64(name.clone()))?;
        blobs.push(settle(name, entry, bytes)?);
    }
    Ok(blobs)
}

/// Binds multipart parts to the `follows: true` entries of `doc`'s `_attachments`, in the
/// order `order` lists the names (the order they appear in the JSON, as CouchDB sends
/// them), turning each into a stub as [`take_inline`] does.
pub fn take_follows(
    doc: &mut Value,
    order: &[String],
    parts: Vec<Vec<u8>>,
) -> Result<Vec<Blob>, AttachmentError> {
    let Some(atts) = entries(doc)? else {
        return match parts.len() {
            0 => Ok(Vec::new()),
            n => Err(AttachmentError::PartCount(n, 0)),
        };
    };
    let follows: Vec<&String> = order
        .iter()
        .filter(|n| atts.get(*n).and_then(|e| e.get("follows")) == Some(&Value::Bool(true)))
        .collect();
    let marked = atts
        .values()
        .filter(|e| e.get("follows") == Some(&Value::Bool(true)))
        .count();
    if follows.len() != parts.len() || marked != follows.len() {
        return Err(AttachmentError::PartCount(parts.len(), marked));
    }
    let mut blobs = Vec::new();
    for (name, bytes) in follows.into_iter().zip(parts) {
        let entry = atts.get_mut(name).expect("listed above");
        blobs.push(settle(name, entry, bytes)?);
    }
    Ok(blobs)
}

/// Checks `entry`'s declared digest and length against `bytes` and rewrites it as a stub.
fn settle(name: &str, entry: &mut Value, bytes: Vec<u8>) -> Result<Blob, AttachmentError> {
    let obj = entry
        .as_object()
        .ok_or_else(|| AttachmentError::Malformed(name.into(), "must be an object"))?;
    let blob = Blob::new(bytes);
    if let Some(d) = obj.get("digest") {
        let d = d
            .as_str()
            .ok_or_else(|| AttachmentError::Malformed(name.into(), "digest must be a string"))?;
        if d != blob.digest {
            return Err(AttachmentError::DigestMismatch {
                name: name.into(),
                declared: d.into(),
                actual: blob.digest,
            });
        }
    }
    let actual = blob.bytes.len() as u64;
    if let Some(l) = obj.get("length") {
        let l = l
            .as_u64()
            .ok_or_else(|| AttachmentError::Malformed(name.into(), "length must be a number"))?;
        if l != actual {
            return Err(AttachmentError::LengthMismatch {
                name: name.into(),
                declared: l,
                actual,
            });
        }
    }
    let mut out = Map::new();
    out.insert("content_type".into(), content_type(name, obj)?.into());
    out.insert("digest".into(), blob.digest.clone().into());
    out.insert("length".into(), actual.into());
    if let Some(p) = obj.get("revpos") {
        out.insert("revpos".into(), p.clone());
    }
    *entry = Value::Object(out);
    Ok(blob)
}

fn content_type(name: &str, obj: &Map<String, Value>) -> Result<String, AttachmentError> {
    match obj.get("content_type") {
        None | Some(Value::Null) => Ok("application/octet-stream".into()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(AttachmentError::Malformed(
            name.into(),
            "content_type must be a string",
        )),
    }
}

/// What a new revision at generation `pos` records as its attachments, given the entries
/// of its `_attachments` (bytes already taken out) and the attachments `known` from its
/// parent (a local edit) or from the record (a replicated revision).
///
/// - An entry without `stub: true` (new bytes) gets `revpos` = `pos`, unless `replicated`
///   and it names its own `revpos` (at most `pos`).
/// - A `stub: true` entry is the known attachment of that name (and digest, if it names
///   one); a replicated stub that names digest, length and revpos stands on its own.
///   Anything else is [`AttachmentError::MissingStub`].
pub fn resolve(
    raw: Option<&Value>,
    known: &Attachments,
    pos: u64,
    replicated: bool,
) -> Result<Attachments, AttachmentError> {
    let Some(raw) = raw.filter(|v| !v.is_null()) else {
        return Ok(Attachments::new());
    };
    let atts = raw
        .as_object()
        .ok_or_else(|| AttachmentError::Malformed("_attachments".into(), "must be an object"))?;
    let mut out = Attachments::new();
    for (name, entry) in atts {
        if name.is_empty() || name.starts_with('_') || name.chars().any(char::is_control) {
            return Err(AttachmentError::Malformed(
                name.clone(),
                "a name must not be empty, start with _ or hold control characters",
            ));
        }
        let obj = entry
            .as_object()
            .ok_or_else(|| AttachmentError::Malformed(name.clone(), "must be an object"))?;
        if obj.contains_key("data") || obj.contains_key("follows") {
            return Err(AttachmentError::BytesInline(name.clone()));
        }
        let digest = match obj.get("digest") {
            None => None,
            Some(Value::String(d)) => Some(d.clone()),
            Some(_) => {
                return Err(AttachmentError::Malformed(
                    name.clone(),
                    "digest must be a string",
                ))
            }
        };
        let revpos = match obj.get("revpos") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|p| (1..=pos).contains(p))
                    .ok_or_else(|| {
                        AttachmentError::Malformed(
                            name.clone(),
                            "revpos must be 1 to the _rev's generation",
                        )
                    })?,
            ),
        };
        let length = match obj.get("length") {
            None => None,
            Some(v) => Some(v.as_u64().ok_or_else(|| {
                AttachmentError::Malformed(name.clone(), "length must be a number")
            })?),
        };
        let is_stub = obj.get("stub") == Some(&Value::Bool(true));
        let stub = if !is_stub {
            Stub {
                content_type: content_type(name, obj)?,
                digest: digest
                    .ok_or_else(|| AttachmentError::Malformed(name.clone(), "has no data"))?,
                length: length
                    .ok_or_else(|| AttachmentError::Malformed(name.clone(), "has no data"))?,
                revpos: if replicated {
                    revpos.unwrap_or(pos)
                } else {
                    pos
                },
                stub: true,
            }
        } else if let Some(k) = known
            .get(name)
            .filter(|k| digest.as_ref().is_none_or(|d| *d == k.digest))
        {
            k.clone()
        } else if let (true, Some(digest), Some(length), Some(revpos)) =
            (replicated, digest, length, revpos)
        {
            Stub {
                content_type: content_type(name, obj)?,
                digest,
                length,
                revpos,
                stub: true,
            }
        } else {
            return Err(AttachmentError::MissingStub(name.clone()));
        };
        out.insert(name.clone(), stub);
    }
    Ok(out)
}

/// `atts` as CouchDB's `_attachments` object of stubs.
pub fn to_json(atts: &Attachments) -> Value {
    serde_json::to_value(atts).expect("stubs serialize")
}

#[cfg(test)]
mod tests;
