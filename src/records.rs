//! The operations the screens perform on records — create and save an activity, keep and
//! restore its draft, add a concern and move it along its loop, delete with undo — each one
//! function over [`Store`], each ending only when IndexedDB has committed.
//!
//! Owns stamping documents (ids, `station`, times, `created_by`); the rules themselves live
//! in `crates/model`. Must not render anything or hold UI state.
//!
//! [`people`]: teams, volunteers, attendance; [`roster`]: one activity's 签到 list;
//! [`exchange`]: export files, CSV tables and
//! import for headquarters; [`dashboard`]: the 统计 figures through `model::rollup`;
//! [`paper`]: the printed pages and the check of a scanned page; [`photos`]: 活动照片;
//! [`reviews`]: 审核 as the cadre sees it (已审核 / 退回, 待修改).

pub mod dashboard;
pub mod exchange;
pub mod paper;
pub mod people;
pub mod photos;
pub mod points;
pub mod reviews;
pub mod roster;
pub mod surveys;
pub mod training;

use crate::profile::Profile;
use crate::store::{Relation, Store, StoreError};
use model::concern::{Step, StepError};
use model::form::{ActivityForm, FormError};
use model::id::{new_id, uuid_v7, DocType};
use model::{Concern, ConcernStatus};
use serde_json::{json, Value};

/// Why an operation on a record failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    /// The store refused or failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The activity form is not valid yet.
    #[error(transparent)]
    Form(#[from] FormError),
    /// The concern step is not allowed.
    #[error(transparent)]
    Step(#[from] StepError),
    /// A concern needs text.
    #[error("concern text is empty")]
    EmptyConcern,
    /// Edited attendance times are refused.
    #[error(transparent)]
    Attendance(#[from] model::attendance::AttendanceError),
    /// The survey definition is refused.
    #[error(transparent)]
    Survey(#[from] model::survey::check::SurveyError),
    /// The survey cannot move to that status.
    #[error(transparent)]
    SurveyStatus(#[from] model::survey::edit::StatusError),
    /// Only an open survey takes responses.
    #[error("survey is not open")]
    SurveyNotOpen,
    /// A redemption is refused (balance or stock), nothing written.
    #[error(transparent)]
    Points(#[from] model::points::PointsError),
    /// The 志愿者编号 is refused.
    #[error(transparent)]
    VolunteerNumber(#[from] model::paper::hours::NumberError),
    /// Some answers are refused (question id and why), nothing written.
    #[error("{} answers refused", .0.len())]
    Answers(Vec<(String, model::survey::answer::AnswerError)>),
    /// The browser could not read or re-encode a picture.
    #[error(transparent)]
    Photo(#[from] crate::pwa::PwaError),
    /// Only the thumbnail is on this phone and there is no server to fetch the photo from.
    #[error("the full photo is not on this phone and no server is set")]
    NotOnPhone,
    /// Fetching a full photo from the server failed.
    #[error(transparent)]
    Sync(crate::sync::SyncError),
}

/// The current time, RFC 3339 at UTC+8.
pub fn now() -> String {
    model::time::rfc3339_cst(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The record `id` as `T`, or `None` when it is not on this phone (never found, or
/// deleted); any other store failure is an error, so a screen can tell "not here" from
/// "broken", and a body without `T`'s shape is [`StoreError::Shape`].
pub async fn find<T: model::Record>(store: &Store, id: &str) -> Result<Option<T>, StoreError> {
    store.find_as(id).await
}

/// Today's date at UTC+8, `YYYY-MM-DD`.
pub fn today() -> String {
    now().chars().take(10).collect()
}

/// A fresh `<type>:<uuid v7>` id from the clock and the browser's CSPRNG.
pub fn fresh_id(ty: DocType) -> String {
    let mut entropy = [0u8; 10];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut entropy);
    }
    new_id(ty, uuid_v7(js_sys::Date::now() as u64, entropy))
}

/// The common fields of a new document of `ty` recorded by this phone's cadre.
pub fn new_base(ty: DocType, profile: &Profile) -> Value {
    json!({"_id": fresh_id(ty), "type": ty.as_str(), "station": profile.station_code,
        "created_at": now(), "created_by": profile.cadre_name})
}

/// The local-record key of the draft of `id` (or of a new activity).
pub fn draft_key(id: Option<&str>) -> String {
    format!("draft:{}", id.unwrap_or("activity:new"))
}

/// The saved draft, if any.
pub async fn load_draft(store: &Store, key: &str) -> Result<Option<ActivityForm>, StoreError> {
    store.get_local(key).await
}

/// Keeps what is typed (valid or not) so a reload or a killed tab loses nothing.
pub async fn save_draft(store: &Store, key: &str, form: &ActivityForm) -> Result<(), StoreError> {
    store.put_local(key, form).await
}

/// The stored activity `id` as its form holds it, for editing.
pub async fn activity_form(store: &Store, id: &str) -> Result<ActivityForm, StoreError> {
    Ok(ActivityForm::from_doc(&store.get(id).await?))
}

/// Saves the form as a new revision of its activity (or a new activity) and drops the
/// draft. Returns the activity's id.
pub async fn save_activity(
    store: &Store,
    profile: &Profile,
    form: &ActivityForm,
) -> Result<String, RecordError> {
    let base = match (&form.id, &form.rev) {
        (Some(id), Some(rev)) => {
            let mut current = store.get(id).await?;
            current["_rev"] = json!(rev);
            current
        }
        _ => new_base(DocType::Activity, profile),
    };
    let doc = form.to_doc(&base, &now())?;
    let id = doc["_id"].as_str().unwrap_or_default().to_owned();
    store.put(doc).await?;
    store.delete_local(&draft_key(form.id.as_deref())).await?;
    Ok(id)
}

/// Records a villager's concern raised at `activity_id`, in one step.
pub async fn add_concern(
    store: &Store,
    profile: &Profile,
    activity_id: &str,
    text: &str,
    category: &str,
    villager: &str,
) -> Result<(), RecordError> {
    if text.trim().is_empty() {
        return Err(RecordError::EmptyConcern);
    }
    let mut doc = new_base(DocType::Concern, profile);
    let fields = json!({"activity_id": activity_id, "text": text.trim(), "category": category,
        "status": "open", "villager": villager.trim(), "updated_at": now()});
    if let (Some(d), Value::Object(f)) = (doc.as_object_mut(), fields) {
        d.extend(f);
    }
    model::validate::validate(&doc).map_err(|e| RecordError::Form(e.into()))?;
    store.put(doc).await?;
    Ok(())
}

/// Moves a concern one step along its loop (as stored now).
pub async fn step_concern(store: &Store, id: &str, step: &Step) -> Result<(), RecordError> {
    let mut doc = store.get(id).await?;
    step.apply(&mut doc, &now())?;
    store.put(doc).await?;
    Ok(())
}

/// Concerns still to report back (open or dispatched), oldest first.
pub async fn pending_concerns(store: &Store) -> Result<Vec<Concern>, StoreError> {
    let mut all = Vec::new();
    for status in [ConcernStatus::Open, ConcernStatus::Assigned] {
        all.extend(
            store
                .related_as::<Concern>(Relation::ConcernsByStatus, status.as_str())
                .await?,
        );
    }
    all.retain(Concern::is_pending);
    all.sort_by(|a, b| a.meta.created_at.cmp(&b.meta.created_at));
    Ok(all)
}

/// What a delete leaves for its undo: the deleted body and the tombstone's revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Deleted {
    /// The body as it was.
    pub body: Value,
    /// The tombstone's revision.
    pub tomb_rev: String,
}

/// Deletes a record (a tombstone, so the deletion replicates).
pub async fn delete(store: &Store, id: &str) -> Result<Deleted, RecordError> {
    let body = store.get(id).await?;
    let rev = body["_rev"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .map_err(|_| StoreError::NotFound(id.into()))?;
    let tomb = store.delete(id, &rev).await?;
    Ok(Deleted {
        body,
        tomb_rev: tomb.to_string(),
    })
}

/// Undoes a delete: the old body becomes a new revision on top of the tombstone.
pub async fn undo_delete(store: &Store, deleted: &Deleted) -> Result<(), RecordError> {
    let mut body = deleted.body.clone();
    body["_rev"] = json!(deleted.tomb_rev);
    body["updated_at"] = json!(now());
    store.put(body).await?;
    Ok(())
}
