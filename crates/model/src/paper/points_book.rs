//! A volunteer's printed 积分册 (points book): every entry of their points ledger from
//! the first (earned at which activity under which rules version, 奖励 / 扣减 and why,
//! 兑换 of which item), the running balance, and the stamp. The ledger is
//! `points::ledger` over the station's documents, never recounted here; a book shows the
//! whole history, so its stamp changes with any entry, added or changed.
//! Owns what the book prints; never formats labels and never reads a store.

use super::certificate::Person;
use super::stamp::{compact_time, Kind, Part, Stamp};
use super::{date, s, Library};
use crate::points::roll::earned_all;
use crate::points::{ledger, Entry};
use serde::Serialize;
use serde_json::Value;

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookLine {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `earned`, `adjustment` or `redemption`.
    pub kind: &'static str,
    /// The activity's title, the adjustment's reason or the item's name.
    pub what: String,
    /// The rules version's date an earned line was counted under (empty otherwise, or
    /// when nothing was earned).
    pub rule_from: String,
    /// The change to the balance.
    pub delta: i64,
    /// The balance after this line.
    pub balance: i64,
}

/// A 积分册.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsBook {
    /// The volunteer id.
    pub volunteer_id: String,
    /// The volunteer.
    pub person: Person,
    /// Every entry, oldest first.
    pub lines: Vec<BookLine>,
    /// The balance after the last line.
    pub balance: i64,
    /// Whether the balance went below zero (积分透支, for a person to settle).
    pub overdrawn: bool,
}

impl PointsBook {
    /// The book's sections, as the stamp compares them.
    pub fn parts(&self) -> Vec<Part> {
        vec![
            Part::digest("person", &self.person),
            Part::digest("entries", &self.lines),
            Part::figure("count", self.lines.len()),
            Part::figure("balance", self.balance),
        ]
    }

    /// The book's stamp.
    pub fn stamp(&self, printed_at: &str) -> Stamp {
        Stamp {
            kind: Kind::PointsBook,
            subject: self.volunteer_id.clone(),
            printed_at: compact_time(printed_at),
            parts: self.parts(),
        }
    }
}

impl Library<'_> {
    /// The points book of `volunteer_id` from `docs` (the winners this library was built
    /// from: the rules, adjustments and redemptions are read there); `None` when the
    /// volunteer is not here.
    pub fn points_book(&self, docs: &[Value], volunteer_id: &str) -> Option<PointsBook> {
        let v = self
            .get(volunteer_id)
            .filter(|v| s(v, "type") == "volunteer")?;
        let of = |t: &str| -> Vec<Value> {
            docs.iter()
                .filter(|d| s(d, "type") == t && d.get("_deleted") != Some(&Value::Bool(true)))
                .cloned()
                .collect()
        };
        let (adjustments, redemptions) = (of("points_adjustment"), of("redemption"));
        let book = ledger(volunteer_id, &earned_all(docs), &adjustments, &redemptions);
        let item = |id: &str| {
            redemptions
                .iter()
                .find(|r| s(r, "_id") == id)
                .map(|r| s(r, "item_name").to_owned())
                .unwrap_or_default()
        };
        let mut balance = 0;
        let lines = book
            .entries
            .iter()
            .map(|e| {
                balance += e.delta();
                let (at, kind, what, rule_from) = match e {
                    Entry::Earned(x) => (
                        x.at.as_str(),
                        "earned",
                        self.get(&x.activity_id)
                            .map(|a| s(a, "title").to_owned())
                            .unwrap_or_default(),
                        x.rule_from
                            .clone()
                            .filter(|_| x.points > 0)
                            .unwrap_or_default(),
                    ),
                    Entry::Adjustment { at, reason, .. } => {
                        (at.as_str(), "adjustment", reason.clone(), String::new())
                    }
                    Entry::Redemption { id, at, .. } => {
                        (at.as_str(), "redemption", item(id), String::new())
                    }
                };
                BookLine {
                    date: date(at),
                    kind,
                    what,
                    rule_from,
                    delta: e.delta(),
                    balance,
                }
            })
            .collect();
        Some(PointsBook {
            volunteer_id: volunteer_id.to_owned(),
            person: Person {
                name: s(v, "name").to_owned(),
                number: s(v, "volunteer_number").to_owned(),
                station: s(v, "station").to_owned(),
            },
            lines,
            balance: book.balance,
            overdrawn: !book.overdrawn.is_empty(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs() -> Vec<Value> {
        let (start, end) = ("2026-11-10T19:00:00+08:00", "2026-11-10T21:00:00+08:00");
        vec![
            json!({"_id": "volunteer:1", "type": "volunteer", "station": "s", "name": "王建国"}),
            json!({"_id": "points_rules:1", "type": "points_rules", "station": "s",
                "from": "2026-01-01", "per_attendance": 5, "per_hour": 10}),
            json!({"_id": "activity:1", "type": "activity", "station": "s", "title": "村夜话",
                "start": start, "end": end}),
            json!({"_id": "attendance:1", "type": "attendance", "station": "s",
                "activity_id": "activity:1", "volunteer_id": "volunteer:1",
                "check_in": start, "check_out": end}),
            json!({"_id": "points_adjustment:1", "type": "points_adjustment", "station": "s",
                "volunteer_id": "volunteer:1", "points": -5, "reason": "迟到",
                "at": "2026-11-11T09:00:00+08:00"}),
            json!({"_id": "redemption:1", "type": "redemption", "station": "s",
                "volunteer_id": "volunteer:1", "item_id": "shop_item:1", "item_name": "香皂",
                "quantity": 1, "points": 10, "at": "2026-11-12T09:00:00+08:00"}),
        ]
    }

    #[test]
    fn the_book_lists_every_entry_with_its_source_and_running_balance() {
        let docs = docs();
        let book = Library::new(&docs)
            .points_book(&docs, "volunteer:1")
            .unwrap();
        let lines: Vec<(&str, &str, &str, i64, i64)> = book
            .lines
            .iter()
            .map(|l| {
                (
                    l.kind,
                    l.what.as_str(),
                    l.rule_from.as_str(),
                    l.delta,
                    l.balance,
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                ("earned", "村夜话", "2026-01-01", 25, 25),
                ("adjustment", "迟到", "", -5, 20),
                ("redemption", "香皂", "", -10, 10),
            ]
        );
        assert_eq!((book.balance, book.overdrawn), (10, false));
        assert!(Library::new(&docs)
            .points_book(&docs, "volunteer:9")
            .is_none());
    }

    #[test]
    fn the_stamp_changes_with_an_entry_and_not_with_the_print_time() {
        let docs = docs();
        let book = Library::new(&docs)
            .points_book(&docs, "volunteer:1")
            .unwrap();
        let a = book.stamp("2026-11-20T10:00:00+08:00");
        let b = book.stamp("2026-11-21T10:00:00+08:00");
        assert_eq!(a.parts, b.parts);
        let mut more = docs.clone();
        more[4]["points"] = json!(-6);
        let changed = Library::new(&more)
            .points_book(&more, "volunteer:1")
            .unwrap();
        assert_ne!(changed.stamp("2026-11-20T10:00:00+08:00").parts, a.parts);
    }
}
