//! A forum's record page as printed: station, title, kind, date and time, place, host, the
//! agenda, teams, volunteers with check-in / check-out and counted hours (a flagged one
//! marked 不计入), villagers present, concerns and where each stands, notes, the
//! satisfaction figure; and its stamp. Owns the choice of what the page prints; never
//! formats labels (the client's locales) and never reads a store.

use super::stamp::{Kind, Part, Stamp};
use super::{clock, date, hours, s, Library};
use crate::attendance::service;
use crate::survey::forum::figure;
use crate::Segment;
use serde::Serialize;
use serde_json::Value;

/// One volunteer on a record page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VolunteerLine {
    /// Name (the id when the volunteer is not on this phone).
    pub name: String,
    /// Role code (`service`, …) or text as recorded.
    pub role: String,
    /// `HH:MM`.
    pub check_in: String,
    /// `HH:MM`, empty when missing.
    pub check_out: String,
    /// Service minutes (`attendance::service`).
    pub minutes: u64,
    /// Whether they count (a missing check-out not yet confirmed does not: 不计入).
    pub counted: bool,
}

/// One concern on a record page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernLine {
    /// What was asked.
    pub text: String,
    /// Category code.
    pub category: String,
    /// Status code (`open` … `rated`).
    pub status: String,
    /// The team dispatched (name), if any.
    pub team: String,
}

/// The satisfaction figure as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Satisfaction {
    /// Responses collected at the forum.
    pub responses: u64,
    /// 满意 + 基本满意 in whole percent, when anyone answered.
    pub rate: Option<u64>,
}

/// What the page prints about the activity itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Info {
    /// Station code.
    pub station: String,
    /// Title.
    pub title: String,
    /// Kind code.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    /// Place.
    pub place: String,
    /// Host.
    pub host: String,
    /// Villagers present.
    pub villagers: u64,
    /// Notes.
    pub notes: String,
}

/// A forum's record page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForumRecord {
    /// The activity id.
    pub id: String,
    /// The activity.
    pub info: Info,
    /// The agenda parts.
    pub agenda: Vec<Segment>,
    /// Team names.
    pub teams: Vec<String>,
    /// Volunteers by check-in.
    pub volunteers: Vec<VolunteerLine>,
    /// Counted minutes, all volunteers.
    pub counted_minutes: u64,
    /// Concerns raised there, by time.
    pub concerns: Vec<ConcernLine>,
    /// The satisfaction figure, when a survey was answered there.
    pub satisfaction: Option<Satisfaction>,
}

impl Library<'_> {
    /// The record page of activity `id`, if it is here.
    pub fn forum(&self, id: &str) -> Option<ForumRecord> {
        let a = self.get(id).filter(|a| s(a, "type") == "activity")?;
        let end = Some(s(a, "end")).filter(|e| !e.is_empty());
        let mut att: Vec<&Value> = self.attendance.get(id).cloned().unwrap_or_default();
        att.sort_by_key(|x| {
            (
                super::start_key_of(s(x, "check_in")),
                s(x, "_id").to_owned(),
            )
        });
        let volunteers: Vec<VolunteerLine> = att
            .iter()
            .map(|x| {
                let sv = service(x, end).ok();
                VolunteerLine {
                    name: self.name_of(s(x, "volunteer_id")),
                    role: s(x, "role").to_owned(),
                    check_in: clock(s(x, "check_in")),
                    check_out: clock(s(x, "check_out")),
                    minutes: sv.map_or(0, |v| v.minutes),
                    counted: sv.is_some_and(|v| v.counted),
                }
            })
            .collect();
        let counted_minutes = volunteers
            .iter()
            .filter(|v| v.counted)
            .map(|v| v.minutes)
            .sum();
        let mut cs: Vec<&Value> = self.concerns.get(id).cloned().unwrap_or_default();
        cs.sort_by_key(|c| {
            (
                super::start_key_of(s(c, "created_at")),
                s(c, "_id").to_owned(),
            )
        });
        let concerns = cs
            .iter()
            .map(|c| ConcernLine {
                text: s(c, "text").to_owned(),
                category: s(c, "category").to_owned(),
                status: s(c, "status").to_owned(),
                team: Some(s(c, "assigned_team"))
                    .filter(|t| !t.is_empty())
                    .map(|t| self.name_of(t))
                    .unwrap_or_default(),
            })
            .collect();
        let teams = a
            .get("teams")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|t| self.name_of(t))
            .collect();
        let satisfaction = figure(&self.surveys, &self.responses, id).map(|f| Satisfaction {
            responses: f.responses,
            rate: f.rate,
        });
        Some(ForumRecord {
            id: id.to_owned(),
            info: Info {
                station: s(a, "station").to_owned(),
                title: s(a, "title").to_owned(),
                kind: s(a, "kind").to_owned(),
                date: date(s(a, "start")),
                start: clock(s(a, "start")),
                end: clock(s(a, "end")),
                place: s(a, "place").to_owned(),
                host: s(a, "host").to_owned(),
                villagers: a
                    .get("villagers_present")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
                notes: s(a, "notes").to_owned(),
            },
            agenda: serde_json::from_value(a["agenda"].clone()).unwrap_or_default(),
            teams,
            volunteers,
            counted_minutes,
            concerns,
            satisfaction,
        })
    }
}

impl ForumRecord {
    /// Counted hours, as printed.
    pub fn hours(&self) -> String {
        hours(self.counted_minutes)
    }

    /// The satisfaction figure as the stamp holds it: `<responses>/<rate>%`, `-` for none.
    pub fn satisfaction_figure(&self) -> String {
        match self.satisfaction {
            Some(Satisfaction {
                responses,
                rate: Some(r),
            }) => format!("{responses}/{r}%"),
            Some(Satisfaction { responses, .. }) => format!("{responses}/-"),
            None => "-".into(),
        }
    }

    /// The page's sections, as the stamp compares them.
    pub fn parts(&self) -> Vec<Part> {
        vec![
            Part::digest("info", &self.info),
            Part::digest("agenda", &self.agenda),
            Part::digest("teams", &self.teams),
            Part::digest("volunteers", &self.volunteers),
            Part::figure("hours", self.hours()),
            Part::digest("concerns", &self.concerns),
            Part::figure("satisfaction", self.satisfaction_figure()),
        ]
    }

    /// The page's stamp, printed at `printed_at` (RFC 3339, UTC+8).
    pub fn stamp(&self, printed_at: &str) -> Stamp {
        Stamp {
            kind: Kind::Forum,
            subject: self.id.clone(),
            printed_at: super::stamp::compact_time(printed_at),
            parts: self.parts(),
        }
    }
}
