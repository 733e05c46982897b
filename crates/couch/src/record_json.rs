//! A record's JSON written by hand, so that the body of a leaf just made by a local edit
//! is not serialized a second time: its canonical text, already written for the revision
//! hash, is copied in. The bytes are those `serde_json` writes for the record (its
//! derive: `id`, `tree`, `bodies`, `attachments` if any), since a body's canonical text is
//! its `serde_json` text (keys in order, the same escaping and numbers). Owns nothing else
//! of the record: merging is `record.rs`.

use crate::record::DocRecord;
use crate::rev::RevId;
use std::io;

/// A leaf just written by [`DocRecord::update_fresh`]: its revision, and its body's JSON
/// text (what the revision's hash covered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fresh {
    /// The new revision.
    pub rev: RevId,
    pub(crate) text: Vec<u8>,
}

impl DocRecord {
    /// Writes the record as JSON into `out`, the body of `fresh`'s leaf (if it is still
    /// one of this record's) copied from its text rather than serialized again.
    pub fn write_json<W: io::Write>(&self, out: &mut W, fresh: Option<&Fresh>) -> io::Result<()> {
        out.write_all(b"{\"id\":")?;
        serde_json::to_writer(&mut *out, &self.id)?;
        out.write_all(b",\"tree\":")?;
        serde_json::to_writer(&mut *out, &self.tree)?;
        out.write_all(b",\"bodies\":{")?;
        for (i, (rev, body)) in self.bodies.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, rev)?;
            out.write_all(b":")?;
            match fresh {
                Some(f) if f.rev.is(rev) => out.write_all(&f.text)?,
                _ => serde_json::to_writer(&mut *out, body)?,
            }
        }
        out.write_all(b"}")?;
        if !self.attachments.is_empty() {
            out.write_all(b",\"attachments\":")?;
            serde_json::to_writer(&mut *out, &self.attachments)?;
        }
        out.write_all(b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(record: &DocRecord, fresh: Option<&Fresh>) -> Vec<u8> {
        let mut out = Vec::new();
        record.write_json(&mut out, fresh).unwrap();
        out
    }

    #[test]
    fn the_bytes_are_serde_jsons_for_new_edited_conflicted_and_photo_records() {
        let mut rec = DocRecord::new("activity:a".into());
        let fresh = rec
            .update_fresh(
                json!({"_id": "activity:a", "type": "activity", "title": "夜话 \"一\"\n",
                "n": 3.5, "z": [1, {"b": null, "a": true}], "start": "2026-11-22T19:00:00+08:00"}),
            )
            .unwrap();
        assert_eq!(
            written(&rec, Some(&fresh)),
            serde_json::to_vec(&rec).unwrap()
        );
        assert_eq!(written(&rec, None), serde_json::to_vec(&rec).unwrap());
        let edit = rec
            .update_fresh(json!({"_id": "activity:a", "_rev": fresh.rev.to_string(),
                "type": "activity", "title": "改"}))
            .unwrap();
        assert_eq!(
            written(&rec, Some(&edit)),
            serde_json::to_vec(&rec).unwrap()
        );
        // A stale fresh leaf (no longer in the record) is not copied in.
        assert_eq!(
            written(&rec, Some(&fresh)),
            serde_json::to_vec(&rec).unwrap()
        );
        rec.put_replicated(
            json!({"_id": "activity:a", "_rev": "2-ffffffffffffffffffffffffffffffff",
            "_revisions": {"start": 2, "ids": ["ffffffffffffffffffffffffffffffff", fresh.rev.hash]},
            "type": "activity", "title": "另一台手机"}),
        )
        .unwrap();
        assert_eq!(rec.bodies.len(), 2, "two leaves, two bodies");
        assert_eq!(
            written(&rec, Some(&edit)),
            serde_json::to_vec(&rec).unwrap()
        );

        let mut photo = DocRecord::new("photo:p".into());
        let stub = json!({"content_type": "image/jpeg", "digest": "md5-AAAAAAAAAAAAAAAAAAAAAA==",
            "length": 3});
        let made = photo
            .update_fresh(
                json!({"_id": "photo:p", "type": "photo", "activity_id": "activity:a",
                "_attachments": {"image.jpg": stub}}),
            )
            .unwrap();
        assert!(!photo.attachments.is_empty());
        assert_eq!(
            written(&photo, Some(&made)),
            serde_json::to_vec(&photo).unwrap()
        );
        let back: DocRecord = serde_json::from_slice(&written(&photo, Some(&made))).unwrap();
        assert_eq!(back, photo);
    }

    #[test]
    fn a_revision_is_compared_with_its_text_exactly() {
        let rev = RevId::new(12, "abc");
        assert!(rev.is("12-abc"));
        for other in [
            "12-abd", "1-abc", "012-abc", "+12-abc", "12abc", "12-abc-", "-abc", "",
        ] {
            assert!(!rev.is(other), "{other}");
        }
    }
}
