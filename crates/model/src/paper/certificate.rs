//! A volunteer's 志愿服务记录证明 over a chosen period: name, 志愿者编号 when known, the
//! station, each activity with its date, counted hours and role, the total; and its stamp.
//! Owns what the certificate prints; never formats labels and never reads a store.
//!
//! Rules: an attendance is in the period when its activity's start (else its check-in)
//! falls on a date from `from` to `to` inclusive (UTC+8). Only counted time is certified
//! (`attendance::service`): a missing check-out not yet confirmed is left out, as the
//! national rules count only time actually served and signed off.

use super::stamp::{compact_time, Kind, Part, Stamp};
use super::{date, hours, s, Library};
use crate::attendance::service;
use serde::Serialize;

/// One certified activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The activity's title.
    pub title: String,
    /// Role code or text as recorded.
    pub role: String,
    /// Counted minutes.
    pub minutes: u64,
}

/// Who the certificate is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Name.
    pub name: String,
    /// 志愿者编号, empty when not known.
    pub number: String,
    /// The volunteer's station code.
    pub station: String,
}

/// A 志愿服务记录证明.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The volunteer id.
    pub volunteer_id: String,
    /// The volunteer.
    pub person: Person,
    /// First date, `YYYY-MM-DD`.
    pub from: String,
    /// Last date, `YYYY-MM-DD`.
    pub to: String,
    /// The activities, by date.
    pub entries: Vec<Entry>,
}

impl Certificate {
    /// Total counted minutes.
    pub fn total_minutes(&self) -> u64 {
        self.entries.iter().map(|e| e.minutes).sum()
    }

    /// The certificate's sections, as the stamp compares them.
    pub fn parts(&self) -> Vec<Part> {
        vec![
            Part::digest("person", &self.person),
            Part::digest("entries", &self.entries),
            Part::figure("count", self.entries.len()),
            Part::figure("hours", hours(self.total_minutes())),
        ]
    }

    /// The certificate's stamp.
    pub fn stamp(&self, printed_at: &str) -> Stamp {
        Stamp {
            kind: Kind::Certificate,
            subject: format!("{}/{}/{}", self.volunteer_id, self.from, self.to),
            printed_at: compact_time(printed_at),
            parts: self.parts(),
        }
    }
}

impl Library<'_> {
    /// The certificate of `volunteer_id` from `from` to `to` (`YYYY-MM-DD`, inclusive);
    /// `None` when the volunteer is not here.
    pub fn certificate(&self, volunteer_id: &str, from: &str, to: &str) -> Option<Certificate> {
        let v = self
            .get(volunteer_id)
            .filter(|v| s(v, "type") == "volunteer")?;
        let mut entries = Vec::new();
        for (a, act) in self.attendance_of(volunteer_id) {
            let day = act
                .map(|x| date(s(x, "start")))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| date(s(a, "check_in")));
            if day.as_str() < from || day.as_str() > to {
                continue;
            }
            let end = act.map(|x| s(x, "end")).filter(|e| !e.is_empty());
            match service(a, end) {
                Ok(sv) if sv.counted => entries.push(Entry {
                    date: day,
                    title: act.map(|x| s(x, "title")).unwrap_or_default().to_owned(),
                    role: s(a, "role").to_owned(),
                    minutes: sv.minutes,
                }),
                _ => {}
            }
        }
        Some(Certificate {
            volunteer_id: volunteer_id.to_owned(),
            person: Person {
                name: s(v, "name").to_owned(),
                number: s(v, "volunteer_number").to_owned(),
                station: s(v, "station").to_owned(),
            },
            from: from.to_owned(),
            to: to.to_owned(),
            entries,
        })
    }
}

/// Splits a certificate subject `<volunteer id>/<from>/<to>`.
pub fn parse_subject(subject: &str) -> Option<(&str, &str, &str)> {
    let mut it = subject.rsplitn(3, '/');
    let to = it.next()?;
    let from = it.next()?;
    let id = it.next()?;
    Some((id, from, to))
}
