//! Paper that can be checked against the data: what each printed page holds, built from
//! winning document bodies, and the verification stamp of exactly what it prints.
//!
//! - [`forum`]: a forum's record page (and the month's activity table);
//! - [`month`]: the month's 台账 (cover figures from `rollup`, never added up here) and
//!   the month's 公示 (resolved concerns, volunteers' counted hours, the notice period);
//! - [`certificate`]: a volunteer's 志愿服务记录证明 over a chosen period;
//! - [`points_book`]: a volunteer's 积分册 (every points entry and the balance);
//! - [`hours`]: the CSV 志愿服务时长（报送） for the national system and the 志愿者编号 rule;
//! - [`mask`]: masked names and starred-out telephone numbers;
//! - [`stamp`]: the QR payload and the answer a scan gives.
//!
//! Owns what is printed and its stamp; takes live winners and never reads a store or the
//! clock (print times are passed in). Labels are the client's (locales); this module holds
//! values and wire codes only.

pub mod certificate;
pub mod forum;
pub mod hours;
pub mod mask;
pub mod month;
pub mod points_book;
pub mod stamp;

use crate::survey::{Response, Survey};
use crate::time::{parse_millis, rfc3339_cst};
use serde_json::Value;
use std::collections::HashMap;

/// The documents a page is built from, indexed once.
pub struct Library<'a> {
    by_id: HashMap<&'a str, &'a Value>,
    attendance: HashMap<&'a str, Vec<&'a Value>>,
    concerns: HashMap<&'a str, Vec<&'a Value>>,
    activities: Vec<&'a Value>,
    surveys: Vec<Survey>,
    responses: Vec<Response>,
}

fn s<'a>(d: &'a Value, k: &str) -> &'a str {
    d.get(k).and_then(Value::as_str).unwrap_or_default()
}

impl<'a> Library<'a> {
    /// Indexes the live winners among `docs` (tombstones are left out).
    pub fn new(docs: &'a [Value]) -> Library<'a> {
        let mut lib = Library {
            by_id: HashMap::new(),
            attendance: HashMap::new(),
            concerns: HashMap::new(),
            activities: Vec::new(),
            surveys: Vec::new(),
            responses: Vec::new(),
        };
        for d in docs
            .iter()
            .filter(|d| d.get("_deleted") != Some(&Value::Bool(true)))
        {
            lib.by_id.insert(s(d, "_id"), d);
            match s(d, "type") {
                "activity" => lib.activities.push(d),
                "attendance" => lib
                    .attendance
                    .entry(s(d, "activity_id"))
                    .or_default()
                    .push(d),
                "concern" => lib.concerns.entry(s(d, "activity_id")).or_default().push(d),
                "survey" => lib.surveys.extend(Survey::from_doc(d).ok()),
                "response" => lib.responses.extend(Response::from_doc(d).ok()),
                _ => {}
            }
        }
        lib.activities.sort_by_key(|a| start_key(a));
        lib
    }

    /// A live document by id.
    pub fn get(&self, id: &str) -> Option<&'a Value> {
        self.by_id.get(id).copied()
    }

    /// A name field of a document by id (`name`), or the id when it is not here.
    fn name_of(&self, id: &str) -> String {
        self.get(id)
            .map(|d| s(d, "name").to_owned())
            .unwrap_or_else(|| id.to_owned())
    }

    /// The activities of `station` whose start is in `month` (UTC+8), by start time.
    pub fn activities_in(&self, station: &str, month: &str) -> Vec<&'a Value> {
        self.activities
            .iter()
            .copied()
            .filter(|a| s(a, "station") == station && local(s(a, "start")).starts_with(month))
            .collect()
    }

    /// Every attendance of `volunteer_id`, with its activity when here.
    fn attendance_of(&self, volunteer_id: &str) -> Vec<(&'a Value, Option<&'a Value>)> {
        let mut out: Vec<(&Value, Option<&Value>)> = self
            .attendance
            .values()
            .flatten()
            .filter(|a| s(a, "volunteer_id") == volunteer_id)
            .map(|a| (*a, self.get(s(a, "activity_id"))))
            .collect();
        out.sort_by_key(|(a, _)| start_key_of(s(a, "check_in")));
        out
    }
}

fn start_key(a: &Value) -> (i64, String) {
    (start_key_of(s(a, "start")), s(a, "_id").to_owned())
}

fn start_key_of(t: &str) -> i64 {
    parse_millis(t).unwrap_or(i64::MAX)
}

/// An RFC 3339 time at UTC+8 as `YYYY-MM-DDTHH:MM:SS+08:00` (empty if it is not a time).
fn local(t: &str) -> String {
    parse_millis(t)
        .ok()
        .and_then(|ms| rfc3339_cst(ms).ok())
        .unwrap_or_default()
}

/// The `YYYY-MM-DD` date at UTC+8.
fn date(t: &str) -> String {
    local(t).get(..10).unwrap_or_default().to_owned()
}

/// The `HH:MM` time at UTC+8.
fn clock(t: &str) -> String {
    local(t).get(11..16).unwrap_or_default().to_owned()
}

/// Minutes as hours to one decimal, rounded as `rollup` rounds (`Figures::service_hours`).
pub fn hours(minutes: u64) -> String {
    format!("{:.1}", (minutes as f64 / 6.0).round() / 10.0)
}

/// The parts a scanned `stamp`'s subject has now on this phone (`None`: not here), to
/// compare with [`stamp::verify`]. `docs` are the winners `lib` was built from.
pub fn current_parts(lib: &Library, docs: &[Value], st: &stamp::Stamp) -> Option<Vec<stamp::Part>> {
    use stamp::Kind;
    let month = || st.subject.split_once('/');
    match st.kind {
        Kind::Forum => lib.forum(&st.subject).map(|r| r.parts()),
        Kind::Ledger => month()
            .and_then(|(station, m)| lib.ledger(docs, station, m))
            .map(|l| l.parts()),
        Kind::Notice => month()
            .and_then(|(station, m)| lib.notice(station, m))
            .map(|n| n.parts()),
        Kind::Certificate => certificate::parse_subject(&st.subject)
            .and_then(|(id, from, to)| lib.certificate(id, from, to))
            .map(|c| c.parts()),
        Kind::PointsBook => lib.points_book(docs, &st.subject).map(|b| b.parts()),
    }
}

/// What a stamp's subject is called on this phone, for the person scanning: a forum's
/// title, a volunteer's name (with a certificate's period), a station code and month as
/// printed. `None` when the record is not here.
pub fn subject_title(lib: &Library, st: &stamp::Stamp) -> Option<String> {
    use stamp::Kind;
    let field = |id: &str, k: &str| lib.get(id).map(|d| s(d, k).to_owned());
    match st.kind {
        Kind::Forum => field(&st.subject, "title"),
        Kind::PointsBook => field(&st.subject, "name"),
        Kind::Certificate => certificate::parse_subject(&st.subject)
            .and_then(|(id, from, to)| Some(format!("{} {from}–{to}", field(id, "name")?))),
        Kind::Ledger | Kind::Notice => Some(st.subject.replace('/', " ")),
    }
}

#[cfg(test)]
mod tests;
