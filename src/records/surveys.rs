//! Operations on surveys and responses: create a draft (blank or from a template), save the
//! builder's edits (a new version once responses exist), move the lifecycle, write one
//! response (at an activity), read a survey's responses, find or make the satisfaction
//! survey a forum hands round and read the forum's figure, and make the responses CSV.
//! Each is one function over [`Store`] that returns after IndexedDB committed; the rules
//! are `model::survey`'s.

use super::{new_base, now, RecordError};
use crate::profile::Profile;
use crate::store::{Relation, Store, StoreError};
use model::id::DocType;
use model::survey::templates::{self, Template};
use model::survey::{answer, edit, forum, Question, Response, Status, Survey};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Reads a stored survey.
pub async fn load(store: &Store, id: &str) -> Result<Survey, RecordError> {
    let doc = store.get(id).await?;
    Survey::from_doc(&doc).map_err(|e| StoreError::Corrupt(format!("{id}: {e}")).into())
}

/// Creates a draft survey, blank or from a built-in template; returns its id.
pub async fn create(
    store: &Store,
    profile: &Profile,
    template: Option<Template>,
) -> Result<String, RecordError> {
    insert(
        store,
        profile,
        template.map(templates::survey).unwrap_or_default(),
    )
    .await
}

/// Stores `survey` as a new document of this station; returns its id.
async fn insert(store: &Store, profile: &Profile, survey: Survey) -> Result<String, RecordError> {
    let mut doc = new_base(DocType::Survey, profile);
    let id = doc["_id"].as_str().unwrap_or_default().to_owned();
    if let (Some(d), Value::Object(body)) = (doc.as_object_mut(), survey.to_doc()) {
        d.extend(body);
        d.insert("updated_at".into(), json!(now()));
    }
    store.put(doc).await?;
    Ok(id)
}

/// Every survey in the store.
pub async fn all(store: &Store) -> Result<Vec<Survey>, StoreError> {
    let docs = store.all_of_type("survey", u32::MAX).await?;
    Ok(docs
        .iter()
        .filter_map(|d| Survey::from_doc(d).ok())
        .collect())
}

/// The open satisfaction survey forum `activity_id` hands round (`model::survey::forum::pick`);
/// with none, one is made from the template and stored already open, in one write. Returns
/// its id once IndexedDB committed. The survey is not linked to the forum: each response
/// carries the forum instead, so the next forum reuses it.
pub async fn for_forum(
    store: &Store,
    profile: &Profile,
    activity_id: &str,
) -> Result<String, RecordError> {
    let surveys = all(store).await?;
    if let Some(id) = forum::pick(&surveys, activity_id).and_then(Survey::id) {
        return Ok(id.to_owned());
    }
    let mut survey = templates::survey(Template::Satisfaction);
    edit::set_status(&mut survey, Status::Open)?;
    insert(store, profile, survey).await
}

/// Forum `activity_id`'s satisfaction figure, from the responses of every satisfaction
/// survey; `None` before its first response.
pub async fn forum_figure(
    store: &Store,
    activity_id: &str,
) -> Result<Option<forum::ForumFigure>, StoreError> {
    let surveys: Vec<Survey> = all(store)
        .await?
        .into_iter()
        .filter(Survey::is_satisfaction)
        .collect();
    let mut rs = Vec::new();
    for id in surveys.iter().filter_map(Survey::id) {
        rs.extend(responses(store, id).await?);
    }
    Ok(forum::figure(&surveys, &rs, activity_id))
}

/// What the builder edits besides the questions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heading {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The linked activity, if any.
    pub activity_id: Option<String>,
}

/// Saves the builder's edits to survey `id`. Refused (nothing written) when the definition
/// is invalid. Returns whether a new version was made (the survey had responses).
pub async fn save(
    store: &Store,
    id: &str,
    heading: &Heading,
    draft: &[Question],
) -> Result<bool, RecordError> {
    let mut survey = load(store, id).await?;
    survey.title = heading.title.trim().to_owned();
    survey.description = heading.description.trim().to_owned();
    survey.activity_id = heading.activity_id.clone().filter(|a| !a.is_empty());
    let has_responses = store.count_related(Relation::ResponsesBySurvey, id).await? > 0;
    let new_version = edit::save_questions(&mut survey, draft, has_responses)?;
    write(store, survey).await?;
    Ok(new_version)
}

/// Opens, closes or reopens survey `id` (opening checks the definition).
pub async fn set_status(store: &Store, id: &str, to: Status) -> Result<(), RecordError> {
    let mut survey = load(store, id).await?;
    edit::set_status(&mut survey, to)?;
    write(store, survey).await
}

async fn write(store: &Store, survey: Survey) -> Result<(), RecordError> {
    let mut doc = survey.to_doc();
    doc["updated_at"] = json!(now());
    model::validate::validate(&doc).map_err(|e| RecordError::Form(e.into()))?;
    store.put(doc).await?;
    Ok(())
}

/// Writes one villager's response to the current version of an open survey, collected at
/// `activity` (a forum handing the survey round) or else at the survey's own activity.
/// Answers are checked first (every refused question comes back with its error, nothing
/// written); questions hidden by a show-if rule are not saved. Returns the response id.
pub async fn submit(
    store: &Store,
    profile: &Profile,
    survey: &Survey,
    activity: Option<&str>,
    answers: &Map<String, Value>,
) -> Result<String, RecordError> {
    if survey.status != Status::Open {
        return Err(RecordError::SurveyNotOpen);
    }
    let clean = answer::check_answers(&survey.questions, answers).map_err(RecordError::Answers)?;
    let mut doc = new_base(DocType::Response, profile);
    let id = doc["_id"].as_str().unwrap_or_default().to_owned();
    let at = now();
    let fields = json!({"survey_id": survey.id(), "survey_version": survey.version,
        "activity_id": activity.or(survey.activity_id.as_deref()), "answers": clean, "collected_at": at,
        "collector": profile.cadre_name, "updated_at": at});
    if let (Some(d), Value::Object(f)) = (doc.as_object_mut(), fields) {
        d.extend(f.into_iter().filter(|(_, v)| !v.is_null()));
    }
    model::validate::validate(&doc).map_err(|e| RecordError::Form(e.into()))?;
    store.put(doc).await?;
    Ok(id)
}

/// Every response to survey `id`.
pub async fn responses(store: &Store, id: &str) -> Result<Vec<Response>, StoreError> {
    let docs = store
        .related(Relation::ResponsesBySurvey, id, u32::MAX)
        .await?;
    Ok(docs
        .iter()
        .filter_map(|d| Response::from_doc(d).ok())
        .collect())
}

/// Titles of the activities the responses were collected at.
pub async fn activity_titles(
    store: &Store,
    responses: &[Response],
) -> Result<HashMap<String, String>, StoreError> {
    let mut titles = HashMap::new();
    for a in responses.iter().filter_map(|r| r.activity_id.as_deref()) {
        if titles.contains_key(a) {
            continue;
        }
        titles.insert(a.to_owned(), activity_title(store, a).await?);
    }
    Ok(titles)
}

/// The title of activity `id` (the id itself when the activity is not on this phone).
pub async fn activity_title(store: &Store, id: &str) -> Result<String, StoreError> {
    match store.get(id).await {
        Ok(doc) => Ok(doc["title"].as_str().unwrap_or(id).to_owned()),
        Err(StoreError::NotFound(_)) => Ok(id.to_owned()),
        Err(e) => Err(e),
    }
}

/// The responses CSV of survey `survey` (UTF-8 with BOM, Chinese headers).
pub async fn csv(store: &Store, survey: &Survey) -> Result<String, StoreError> {
    let id = survey.id().unwrap_or_default();
    let all = responses(store, id).await?;
    let titles = activity_titles(store, &all).await?;
    Ok(model::survey::csv::responses_csv(survey, &all, &titles))
}
