//! The one way a stored document becomes a typed record: [`Record`] names a type's
//! `DocType` and its id, and [`Record::decode`] decodes a body (any fields the type does
//! not know go to its `extra`). A body that does not have the type's shape is a
//! [`ShapeError`] naming the document and the field, never a blank on a screen.

use super::people::{Team, Volunteer};
use super::shop::ShopItem;
use super::{Activity, Attendance, Concern, Photo};
use crate::id::DocType;
use crate::review::Review;
use crate::survey::{Response, Survey};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A document body that does not decode as its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("document {id} is not a valid {doc_type}: {reason}")]
pub struct ShapeError {
    /// The document's `_id`, or empty.
    pub id: String,
    /// The type it was read as.
    pub doc_type: &'static str,
    /// What serde said.
    pub reason: String,
}

/// A typed view of one document type.
pub trait Record: DeserializeOwned + Clone + 'static {
    /// The documents of this type.
    const TYPE: DocType;

    /// The document's `_id`.
    fn id(&self) -> &str;

    /// Decodes a stored body.
    fn decode(doc: Value) -> Result<Self, ShapeError> {
        let id = doc
            .get("_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        serde_json::from_value(doc).map_err(|e| ShapeError {
            id,
            doc_type: Self::TYPE.as_str(),
            reason: e.to_string(),
        })
    }
}

macro_rules! record_with_meta {
    ($($t:ty => $ty:ident),+ $(,)?) => {$(
        impl Record for $t {
            const TYPE: DocType = DocType::$ty;
            fn id(&self) -> &str {
                &self.meta.id
            }
        }
    )+};
}

record_with_meta!(
    Activity => Activity,
    Concern => Concern,
    Attendance => Attendance,
    Team => Team,
    Volunteer => Volunteer,
    ShopItem => ShopItem,
    Photo => Photo,
    Review => Review,
);

macro_rules! record_with_extra_id {
    ($($t:ty => $ty:ident),+ $(,)?) => {$(
        impl Record for $t {
            const TYPE: DocType = DocType::$ty;
            fn id(&self) -> &str {
                self.extra.get("_id").and_then(Value::as_str).unwrap_or_default()
            }
        }
    )+};
}

record_with_extra_id!(Survey => Survey, Response => Response);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(id: &str, ty: &str) -> Value {
        json!({"_id": id, "_rev": "1-a", "type": ty, "station": "330106001",
            "created_at": "2026-11-22T19:00:00+08:00", "updated_at": "2026-11-22T19:00:00+08:00", "created_by": "王书记"})
    }

    #[test]
    fn a_volunteer_round_trips_with_unknown_fields() {
        let mut doc = meta("volunteer:1", "volunteer");
        doc["name"] = json!("张三");
        doc["teams"] = json!(["team:1"]);
        doc["phone"] = json!("");
        doc["skills"] = json!(["农技"]);
        doc["from_the_future"] = json!(7);
        let v = Volunteer::decode(doc.clone()).unwrap();
        assert_eq!(v.id(), "volunteer:1");
        assert!(v.is_active() && v.in_team("team:1") && !v.in_team("team:2"));
        assert_eq!(serde_json::to_value(&v).unwrap(), doc);
        doc["active"] = json!(false);
        assert!(!Volunteer::decode(doc).unwrap().is_active());
    }

    #[test]
    fn a_team_without_specialty_is_other() {
        let mut doc = meta("team:1", "team");
        doc["name"] = json!("农技服务队");
        let t = Team::decode(doc).unwrap();
        assert_eq!((t.specialty.as_str(), t.leader.as_str()), ("other", ""));
    }

    #[test]
    fn a_body_of_the_wrong_shape_names_the_document() {
        let mut doc = meta("activity:9", "activity");
        doc["title"] = json!("夜话");
        let e = Activity::decode(doc).unwrap_err();
        assert_eq!((e.id.as_str(), e.doc_type), ("activity:9", "activity"));
        assert!(e.reason.contains("kind"), "{}", e.reason);
    }

    #[test]
    fn a_survey_names_its_id_from_its_body() {
        let mut doc = meta("survey:1", "survey");
        doc["title"] = json!("满意度");
        assert_eq!(Record::id(&Survey::decode(doc).unwrap()), "survey:1");
    }
}
