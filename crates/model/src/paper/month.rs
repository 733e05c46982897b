//! The month's paper for one station: the 台账 (a cover of the month's figures, a table of
//! every activity, then each activity's record page) and the 公示 (resolved concerns with
//! masked villager names, each volunteer's counted hours, the notice period). Owns what
//! they print and their stamps. The cover's figures are `rollup`'s for the station and
//! month, taken as they are: nothing here adds figures up.
//!
//! Rules:
//! - An activity is in the month of its `start` (UTC+8), as in `rollup`.
//! - A concern is on the 公示 when it is resolved or rated and its resolution month
//!   (`resolved_at`, else `updated_at`) is the month, as `rollup` counts 当月办结.
//! - A volunteer's hours on the 公示 are the counted minutes (`attendance::service`) of
//!   their attendance at the month's activities; a volunteer with none counted is left out.
//! - The notice period starts on the print date and lasts `days` working days (Monday to
//!   Friday; public holidays are not known to the phone, so a cadre printing before one
//!   should lengthen it).

use super::forum::ForumRecord;
use super::mask::{mask_name, scrub_phones};
use super::stamp::{compact_time, Kind, Part, Stamp};
use super::{date, hours, s, Library};
use crate::attendance::service;
use crate::rollup::{per_station_month, Demo, Figures};
use crate::time::month_cst;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One row of the 台账's activity table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    /// Activity id.
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`–`HH:MM`.
    pub time: String,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Villagers present.
    pub villagers: u64,
    /// Volunteers who came.
    pub volunteers: usize,
    /// Counted hours, as printed.
    pub hours: String,
}

/// The month's 台账.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Station code.
    pub station: String,
    /// `YYYY-MM`.
    pub month: String,
    /// The cover: `rollup`'s figures of the station in the month.
    pub cover: Figures,
    /// Every activity of the month.
    pub table: Vec<ActivityRow>,
    /// Each activity's record page, in table order.
    pub records: Vec<ForumRecord>,
}

fn pct(p: Option<u64>) -> String {
    p.map_or_else(|| "-".into(), |p| format!("{p}%"))
}

impl Ledger {
    /// The 台账's sections, as the stamp compares them.
    pub fn parts(&self) -> Vec<Part> {
        let c = &self.cover;
        let records: Vec<Vec<Part>> = self.records.iter().map(ForumRecord::parts).collect();
        let records: Vec<Vec<(&str, &str)>> = records
            .iter()
            .map(|r| r.iter().map(|p| (p.key, p.value.as_str())).collect())
            .collect();
        vec![
            Part::figure("forums", c.forums),
            Part::figure("villagers", c.villagers),
            Part::figure("turnout", c.turnout),
            Part::figure("hours", format!("{:.1}", c.service_hours())),
            Part::figure("raised", c.raised),
            Part::figure("resolved", c.resolved),
            Part::figure("rating", pct(c.rating_percent())),
            Part::digest("table", &self.table),
            Part::digest("records", &records),
        ]
    }

    /// The stamp every page of the 台账 carries.
    pub fn stamp(&self, printed_at: &str) -> Stamp {
        month_stamp(
            Kind::Ledger,
            &self.station,
            &self.month,
            printed_at,
            self.parts(),
        )
    }
}

fn month_stamp(kind: Kind, station: &str, month: &str, at: &str, parts: Vec<Part>) -> Stamp {
    Stamp {
        kind,
        subject: format!("{station}/{month}"),
        printed_at: compact_time(at),
        parts,
    }
}

/// A resolved concern on the 公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeConcern {
    /// What was asked, telephone numbers starred out.
    pub text: String,
    /// The villager, masked (王*明); empty when not given.
    pub villager: String,
    /// The team that handled it (name).
    pub team: String,
    /// The result, telephone numbers starred out.
    pub result: String,
    /// Rating code, empty when not rated.
    pub rating: String,
}

/// A volunteer's counted hours on the 公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeHours {
    /// Name.
    pub name: String,
    /// Activities with counted time.
    pub activities: usize,
    /// Counted minutes.
    pub minutes: u64,
}

/// The month's 公示.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Station code.
    pub station: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Concerns resolved in the month.
    pub concerns: Vec<NoticeConcern>,
    /// Volunteers with counted hours, by name order as stored (the client collates).
    pub volunteers: Vec<NoticeHours>,
}

impl Notice {
    /// Counted minutes of every volunteer.
    pub fn total_minutes(&self) -> u64 {
        self.volunteers.iter().map(|v| v.minutes).sum()
    }

    /// The 公示's sections, as the stamp compares them.
    pub fn parts(&self) -> Vec<Part> {
        vec![
            Part::digest("concerns", &self.concerns),
            Part::figure("resolved", self.concerns.len()),
            Part::digest("volunteers", &self.volunteers),
            Part::figure("hours", hours(self.total_minutes())),
        ]
    }

    /// The stamp every page of the 公示 carries.
    pub fn stamp(&self, printed_at: &str) -> Stamp {
        month_stamp(
            Kind::Notice,
            &self.station,
            &self.month,
            printed_at,
            self.parts(),
        )
    }
}

impl Library<'_> {
    /// The 台账 of `station` in `month` (`YYYY-MM`); `None` when the station has no
    /// figures that month on this phone.
    pub fn ledger(&self, docs: &[Value], station: &str, month: &str) -> Option<Ledger> {
        // Everything given counts: the caller leaves demo data out of a real station's paper.
        let cover =
            *per_station_month(docs, Demo::Count).get(&(station.to_owned(), month.to_owned()))?;
        let acts = self.activities_in(station, month);
        let records: Vec<ForumRecord> = acts
            .iter()
            .filter_map(|a| self.forum(s(a, "_id")))
            .collect();
        let table = records
            .iter()
            .map(|r| ActivityRow {
                id: r.id.clone(),
                date: r.info.date.clone(),
                time: format!("{}–{}", r.info.start, r.info.end),
                kind: r.info.kind.clone(),
                title: r.info.title.clone(),
                place: r.info.place.clone(),
                villagers: r.info.villagers,
                volunteers: r.volunteers.len(),
                hours: r.hours(),
            })
            .collect();
        Some(Ledger {
            station: station.to_owned(),
            month: month.to_owned(),
            cover,
            table,
            records,
        })
    }

    /// The 公示 of `station` in `month`; `None` when nothing of the station is here that
    /// month (no activity and no resolved concern).
    pub fn notice(&self, station: &str, month: &str) -> Option<Notice> {
        let mut resolved: Vec<&Value> = self
            .concerns
            .values()
            .flatten()
            .copied()
            .filter(|c| s(c, "station") == station)
            .filter(|c| matches!(s(c, "status"), "resolved" | "rated"))
            .filter(|c| {
                let at = Some(s(c, "resolved_at")).filter(|t| !t.is_empty());
                at.or(Some(s(c, "updated_at")))
                    .and_then(month_cst)
                    .is_some_and(|m| m == month)
            })
            .collect();
        resolved.sort_by_key(|c| (date(s(c, "resolved_at")), s(c, "_id").to_owned()));
        let concerns: Vec<NoticeConcern> = resolved
            .iter()
            .map(|c| NoticeConcern {
                text: scrub_phones(s(c, "text")),
                villager: mask_name(s(c, "villager")),
                team: Some(s(c, "assigned_team"))
                    .filter(|t| !t.is_empty())
                    .map(|t| self.name_of(t))
                    .unwrap_or_default(),
                result: scrub_phones(s(c, "resolution")),
                rating: s(c, "rating").to_owned(),
            })
            .collect();
        let acts = self.activities_in(station, month);
        let mut by_volunteer: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for a in &acts {
            let end = Some(s(a, "end")).filter(|e| !e.is_empty());
            for x in self.attendance.get(s(a, "_id")).into_iter().flatten() {
                if let Ok(sv) = service(x, end).map(|v| (v.counted, v.minutes)) {
                    if sv.0 {
                        let e = by_volunteer.entry(s(x, "volunteer_id")).or_default();
                        e.0 += 1;
                        e.1 += sv.1;
                    }
                }
            }
        }
        if acts.is_empty() && concerns.is_empty() {
            return None;
        }
        let volunteers = by_volunteer
            .into_iter()
            .map(|(id, (activities, minutes))| NoticeHours {
                name: self.name_of(id),
                activities,
                minutes,
            })
            .collect();
        Some(Notice {
            station: station.to_owned(),
            month: month.to_owned(),
            concerns,
            volunteers,
        })
    }
}

/// The notice period: from `print_date` (`YYYY-MM-DD`) through the `days`-th working day
/// counting the print date when it is one. `None` for a date that is not in the calendar.
pub fn notice_period(print_date: &str, days: u32) -> Option<(String, String)> {
    use time::{format_description::well_known::Iso8601, Date, Duration, Weekday};
    let d = Date::parse(print_date, &Iso8601::DATE).ok()?;
    let working = |d: Date| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
    let mut end = d;
    let mut left = days.max(1);
    loop {
        if working(end) {
            left -= 1;
            if left == 0 {
                break;
            }
        }
        end = end.checked_add(Duration::days(1))?;
    }
    let fmt = |d: Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    Some((fmt(d), fmt(end)))
}
