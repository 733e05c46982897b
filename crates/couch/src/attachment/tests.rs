use super::*;
use crate::{DocError, DocRecord, MergeOutcome, RevId};
use serde_json::json;

/// Digests CouchDB and PouchDB give these bytes (`md5-` + base64 of the MD5): the empty
/// attachment and "foo", as PouchDB's attachment tests and CouchDB's stubs show them.
#[test]
fn digest_is_couchdbs() {
    assert_eq!(digest(b""), "md5-1B2M2Y8AsgTpgAmY7PhCfg==");
    assert_eq!(digest(b"foo"), "md5-rL0Y20zC+Fzt72VPzMSk2A==");
    // "Hello, World!": MD5 65a8e27d8879283831b664bd8b7f0ad4.
    assert_eq!(digest(b"Hello, World!"), "md5-ZajifYh5KDgxtmS9i38K1A==");
}

fn with_data(id: &str, rev: Option<&str>, name: &str, bytes: &[u8]) -> Value {
    let mut doc = json!({"_id": id, "type": "photo", "_attachments": {
        name: {"content_type": "image/jpeg", "data": encode(bytes)}
    }});
    if let Some(r) = rev {
        doc["_rev"] = json!(r);
    }
    doc
}

#[test]
fn inline_data_becomes_a_stub_and_its_bytes() {
    let mut doc = with_data("photo:1", None, "image.jpg", b"jpeg bytes");
    let blobs = take_inline(&mut doc).unwrap();
    assert_eq!(blobs, vec![Blob::new(b"jpeg bytes".to_vec())]);
    assert_eq!(
        doc["_attachments"]["image.jpg"],
        json!({"content_type": "image/jpeg", "digest": digest(b"jpeg bytes"), "length": 10})
    );
    let mut rec = DocRecord::new("photo:1".into());
    let r1 = rec.update(doc).unwrap();
    let w = rec.winner_doc().unwrap();
    assert_eq!(
        w["_attachments"]["image.jpg"],
        json!({"content_type": "image/jpeg", "digest": digest(b"jpeg bytes"),
               "length": 10, "revpos": 1, "stub": true})
    );
    assert_eq!(
        rec.digests().into_iter().collect::<Vec<_>>(),
        [digest(b"jpeg bytes")]
    );
    assert_eq!(r1.pos, 1);
}

#[test]
fn a_wrong_digest_or_length_is_refused() {
    let mut doc = with_data("photo:1", None, "image.jpg", b"abc");
    doc["_attachments"]["image.jpg"]["digest"] = json!(digest(b"abd"));
    assert!(matches!(
        take_inline(&mut doc),
        Err(AttachmentError::DigestMismatch { .. })
    ));
    let mut doc = with_data("photo:1", None, "image.jpg", b"abc");
    doc["_attachments"]["image.jpg"]["length"] = json!(4);
    assert_eq!(
        take_inline(&mut doc),
        Err(AttachmentError::LengthMismatch {
            name: "image.jpg".into(),
            declared: 4,
            actual: 3
        })
    );
    let mut doc = with_data("photo:1", None, "image.jpg", b"abc");
    doc["_attachments"]["image.jpg"]["data"] = json!("not base64!");
    assert_eq!(
        take_inline(&mut doc),
        Err(AttachmentError::BadBase64("image.jpg".into()))
    );
    // Bytes left inline never reach a record.
    let mut rec = DocRecord::new("photo:1".into());
    let raw = with_data("photo:1", None, "image.jpg", b"abc");
    assert_eq!(
        rec.update(raw),
        Err(DocError::from(AttachmentError::BytesInline(
            "image.jpg".into()
        )))
    );
    assert!(rec.tree.is_empty());
}

#[test]
fn a_stub_keeps_the_earlier_bytes_and_revpos_through_edits() {
    let mut rec = DocRecord::new("photo:1".into());
    let mut doc = with_data("photo:1", None, "image.jpg", b"big");
    doc["_attachments"]["thumb.jpg"] =
        json!({"content_type": "image/jpeg", "data": encode(b"small")});
    take_inline(&mut doc).unwrap();
    let r1 = rec.update(doc).unwrap();
    // Revision 2 changes the caption only: both stubs keep revpos 1.
    let r2 = rec
        .update(json!({"_id": "photo:1", "_rev": r1.to_string(), "caption": "夜话",
            "_attachments": {"image.jpg": {"stub": true}, "thumb.jpg": {"stub": true, "revpos": 1}}}))
        .unwrap();
    let atts = rec.attachments_at(&r2);
    assert_eq!(atts["image.jpg"].revpos, 1);
    assert_eq!(atts["image.jpg"].digest, digest(b"big"));
    assert_eq!(atts["thumb.jpg"].length, 5);
    // Revision 3 replaces the thumbnail: its revpos is 3; leaving image.jpg out drops it.
    let mut doc = json!({"_id": "photo:1", "_rev": r2.to_string(),
        "_attachments": {"thumb.jpg": {"content_type": "image/jpeg", "data": encode(b"smaller")}}});
    take_inline(&mut doc).unwrap();
    let r3 = rec.update(doc).unwrap();
    let atts = rec.attachments_at(&r3);
    assert_eq!(atts.len(), 1);
    assert_eq!(atts["thumb.jpg"].revpos, 3);
    assert_eq!(rec.attachments.len(), 1, "only leaves keep stubs");
    // A stub the parent does not have is CouchDB's missing_stub; nothing changes.
    let before = rec.clone();
    let bad = rec.update(json!({"_id": "photo:1", "_rev": r3.to_string(),
        "_attachments": {"image.jpg": {"stub": true}}}));
    assert_eq!(
        bad,
        Err(DocError::from(AttachmentError::MissingStub(
            "image.jpg".into()
        )))
    );
    assert_eq!(rec, before);
}

#[test]
fn attachments_count_in_the_revision_hash() {
    let mut a = DocRecord::new("photo:1".into());
    let mut b = DocRecord::new("photo:1".into());
    let mut plain = DocRecord::new("photo:1".into());
    let mut da = with_data("photo:1", None, "image.jpg", b"one");
    let mut db = with_data("photo:1", None, "image.jpg", b"two");
    take_inline(&mut da).unwrap();
    take_inline(&mut db).unwrap();
    let ra = a.update(da).unwrap();
    let rb = b.update(db).unwrap();
    let rp = plain
        .update(json!({"_id": "photo:1", "type": "photo"}))
        .unwrap();
    assert_ne!(ra, rb);
    assert_ne!(ra, rp);
    assert_eq!(rp, crate::new_rev(None, &json!({"type": "photo"}), false));
}

#[test]
fn replicated_stubs_merge_and_branch() {
    let mut phone = DocRecord::new("photo:1".into());
    let mut doc = with_data("photo:1", None, "image.jpg", b"bytes");
    take_inline(&mut doc).unwrap();
    let r1 = phone.update(doc).unwrap();
    let r2 = phone
        .update(
            json!({"_id": "photo:1", "_rev": r1.to_string(), "caption": "a",
            "_attachments": {"image.jpg": {"stub": true}}}),
        )
        .unwrap();
    // The hub receives revision 2 as stubs (digest, length, revpos: it holds the bytes).
    let mut hub = DocRecord::new("photo:1".into());
    let sent = phone.doc_with_revisions(&r2).unwrap();
    assert_eq!(sent["_attachments"]["image.jpg"]["stub"], true);
    assert_eq!(hub.put_replicated(sent.clone()), Ok(MergeOutcome::Extended));
    assert_eq!(hub.winner_doc(), phone.winner_doc());
    assert_eq!(hub.put_replicated(sent), Ok(MergeOutcome::AlreadyPresent));
    // Another branch from revision 1 on a second phone: its bare stub (no digest) finds
    // the attachment of the same name the record knows; revpos stays 1.
    let other = RevId::new(2, "b".repeat(32));
    let outcome = hub.put_replicated(json!({"_id": "photo:1", "_rev": other.to_string(),
        "_revisions": {"start": 2, "ids": ["b".repeat(32), r1.hash.clone()]},
        "caption": "b", "_attachments": {"image.jpg": {"stub": true}}}));
    assert_eq!(outcome, Ok(MergeOutcome::NewBranch));
    assert_eq!(hub.attachments_at(&other)["image.jpg"].revpos, 1);
    // A bare stub nobody knows is refused.
    let mut empty = DocRecord::new("photo:2".into());
    let refused = empty.put_replicated(json!({"_id": "photo:2", "_rev": "1-abc",
        "_attachments": {"x.jpg": {"stub": true}}}));
    assert_eq!(
        refused,
        Err(DocError::from(AttachmentError::MissingStub("x.jpg".into())))
    );
    // A revpos past the revision's generation is malformed.
    let late = empty.put_replicated(json!({"_id": "photo:2", "_rev": "1-abc",
        "_attachments": {"x.jpg": {"stub": true, "digest": digest(b""), "length": 0, "revpos": 2}}}));
    assert!(
        matches!(late, Err(DocError::Attachment(e)) if matches!(*e, AttachmentError::Malformed(..)))
    );
    assert!(empty.tree.is_empty());
}

#[test]
fn a_record_without_attachments_serializes_as_before() {
    let mut rec = DocRecord::new("x".into());
    rec.update(json!({"_id": "x", "n": 1})).unwrap();
    let text = serde_json::to_string(&rec).unwrap();
    assert!(!text.contains("attachments"), "{text}");
    let back: DocRecord = serde_json::from_str(&text).unwrap();
    assert_eq!(back, rec);
}

#[test]
fn multipart_parts_bind_to_follows_entries_in_order() {
    let mut doc = json!({"_id": "photo:1", "_rev": "1-abc", "_attachments": {
        "image.jpg": {"content_type": "image/jpeg", "follows": true, "length": 3, "revpos": 1,
                      "digest": digest(b"big")},
        "thumb.jpg": {"content_type": "image/jpeg", "follows": true, "length": 1, "revpos": 1}
    }});
    let order = vec!["image.jpg".to_string(), "thumb.jpg".to_string()];
    let blobs = take_follows(&mut doc.clone(), &order, vec![b"big".to_vec()]);
    assert_eq!(blobs, Err(AttachmentError::PartCount(1, 2)));
    let swapped = take_follows(
        &mut doc.clone(),
        &order,
        vec![b"s".to_vec(), b"big".to_vec()],
    );
    assert!(matches!(
        swapped,
        Err(AttachmentError::DigestMismatch { .. })
    ));
    let blobs = take_follows(&mut doc, &order, vec![b"big".to_vec(), b"s".to_vec()]).unwrap();
    assert_eq!(blobs.len(), 2);
    let mut rec = DocRecord::new("photo:1".into());
    rec.put_replicated(doc).unwrap();
    let atts = rec.attachments_at(&"1-abc".parse().unwrap());
    assert_eq!(atts["thumb.jpg"].digest, digest(b"s"));
}

#[test]
fn hostile_names_are_refused() {
    for name in ["", "_design", "a\r\nContent-Type: text/html"] {
        let mut rec = DocRecord::new("photo:1".into());
        let mut doc = with_data("photo:1", None, name, b"x");
        take_inline(&mut doc).unwrap();
        let refused = rec.update(doc);
        assert!(
            matches!(&refused, Err(DocError::Attachment(e)) if matches!(**e, AttachmentError::Malformed(..))),
            "{name:?}: {refused:?}"
        );
    }
}
