//! The activity form as the cadre types it — strings for every field, a local date and
//! local times (UTC+8) — and its conversion to and from an `activity` document. A draft is
//! this struct serialized, so whatever was typed, valid or not, survives a reload.
//! Owns the conversion only; never stores and never reads the clock.

use crate::doc::{ActivityKind, Segment};
use crate::validate::{validate, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What the activity form holds while it is being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ActivityForm {
    /// The document being edited (`None` for a new one).
    pub id: Option<String>,
    /// Its revision when the form was opened.
    pub rev: Option<String>,
    /// Title.
    pub title: String,
    /// Activity kind (wire name).
    pub kind: String,
    /// `YYYY-MM-DD`, local.
    pub date: String,
    /// `HH:MM`, local.
    pub start: String,
    /// `HH:MM`, local.
    pub end: String,
    /// Place.
    pub place: String,
    /// Host.
    pub host: String,
    /// Villagers present, as typed.
    pub villagers: String,
    /// Team names or ids, comma separated as typed.
    pub teams: String,
    /// Notes / minutes.
    pub notes: String,
    /// Agenda.
    pub agenda: Vec<Segment>,
}

/// Why the form cannot be saved yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The villager count is not a whole number.
    #[error("villagers present {0:?} is not a whole number")]
    Villagers(String),
    /// The resulting document breaks a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
}

impl FormError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::Villagers(_) => "到场群众人数应为整数".into(),
            Self::Invalid(e) => e.zh(),
        }
    }
}

impl ActivityForm {
    /// A new evening forum on `date` from 19:30 to 21:30 with the four segments.
    pub fn new_forum(date: &str) -> Self {
        Self {
            kind: ActivityKind::EveningForum.as_str().into(),
            date: date.into(),
            start: "19:30".into(),
            end: "21:30".into(),
            agenda: Segment::forum_agenda(),
            ..Self::default()
        }
    }

    /// Switches the kind; a 夜话 with an empty agenda gets the four segments.
    pub fn set_kind(&mut self, kind: &str) {
        self.kind = kind.into();
        if kind == ActivityKind::EveningForum.as_str() && self.agenda.is_empty() {
            self.agenda = Segment::forum_agenda();
        }
    }

    /// Moves agenda segment `i` up by one (towards the start); out of range does nothing.
    pub fn move_up(&mut self, i: usize) {
        if i > 0 && i < self.agenda.len() {
            self.agenda.swap(i - 1, i);
        }
    }

    /// Fills the form from a stored activity.
    pub fn from_doc(doc: &Value) -> Self {
        let s = |k: &str| {
            doc.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (start, end) = (s("start"), s("end"));
        let teams: Vec<String> = serde_json::from_value(doc["teams"].clone()).unwrap_or_default();
        Self {
            id: doc.get("_id").and_then(Value::as_str).map(str::to_owned),
            rev: doc.get("_rev").and_then(Value::as_str).map(str::to_owned),
            title: s("title"),
            kind: s("kind"),
            date: start.get(..10).unwrap_or_default().into(),
            start: start.get(11..16).unwrap_or_default().into(),
            end: end.get(11..16).unwrap_or_default().into(),
            place: s("place"),
            host: s("host"),
            villagers: doc
                .get("villagers_present")
                .and_then(Value::as_u64)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            teams: teams.join("，"),
            notes: s("notes"),
            agenda: serde_json::from_value(doc["agenda"].clone()).unwrap_or_default(),
        }
    }

    /// Builds the document to save over `base` (the stored document, or the common fields
    /// of a new one: `_id`, `type`, `station`, `created_at`, `created_by`), at `now`.
    /// Fields of `base` the form does not know are kept.
    pub fn to_doc(&self, base: &Value, now: &str) -> Result<Value, FormError> {
        let villagers = match self.villagers.trim() {
            "" => 0,
            v => v
                .parse::<u32>()
                .map_err(|_| FormError::Villagers(v.into()))?,
        };
        let at = |hm: &str| format!("{}T{}:00+08:00", self.date.trim(), hm.trim());
        let teams: Vec<&str> = self
            .teams
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let agenda: Vec<&Segment> = self
            .agenda
            .iter()
            .filter(|s| !s.title.trim().is_empty())
            .collect();
        let mut doc = base.clone();
        let fields = json!({
            "title": self.title.trim(), "kind": self.kind, "start": at(&self.start), "end": at(&self.end),
            "place": self.place.trim(), "host": self.host.trim(), "villagers_present": villagers,
            "teams": teams, "notes": self.notes, "agenda": agenda, "updated_at": now,
        });
        if let (Some(d), Value::Object(f)) = (doc.as_object_mut(), fields) {
            d.extend(f);
            if !d.contains_key("created_at") {
                d.insert("created_at".into(), json!(now));
            }
        }
        validate(&doc)?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests;
