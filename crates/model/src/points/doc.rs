//! The 志愿积分 documents as stored, and what makes each one valid:
//! - `points_rules:<uuid>` — one dated version of the station's rules (`from`, `per_hour`,
//!   `per_attendance`, `min_share_percent`, `resolve_bonus`, `satisfied_bonus`). Every
//!   version is its own document, so two phones adding versions offline never conflict;
//!   two versions with the same `from` are settled by the later `updated_at`, then the
//!   larger id ([`rules_from_docs`]).
//! - `points_adjustment:<uuid>` — 奖励 (positive) or 扣减 (negative) `points` for
//!   `volunteer_id`, with a `reason` and the time `at`.
//! - `shop_item:<uuid>` — an item of the 积分超市: `name`, price `points`, optional
//!   `stock` (absent: unlimited), `active`.
//! - `redemption:<uuid>` — append-only: `volunteer_id`, `item_id`, `item_name` (as it was
//!   then), `quantity`, total `points`, `at`.
//!
//! Stock left is the item's `stock` minus the quantities of its redemptions; like the
//! balance, it may go below zero only through redemptions made offline on two phones,
//! and is then shown for a person to settle. Owns shapes and checks; never stores.

use super::{PointsRules, RuleVersion};
use crate::date_input::{normalize, FieldKind};
use crate::id::{parse_id, DocType};
use crate::time::parse_millis;
use serde_json::Value;

/// The most points one rule, price or adjustment may name (a typo guard).
pub const MAX_POINTS: u64 = 100_000;

fn text<'a>(doc: &'a Value, field: &str) -> &'a str {
    doc.get(field).and_then(Value::as_str).unwrap_or_default()
}

fn id_of(doc: &Value, field: &'static str, ty: DocType) -> Result<(), &'static str> {
    match parse_id(text(doc, field)) {
        Ok(t) if t == ty => Ok(()),
        _ => Err(field),
    }
}

fn count(doc: &Value, field: &'static str, min: u64) -> Result<u64, &'static str> {
    match doc.get(field).and_then(Value::as_u64) {
        Some(n) if (min..=MAX_POINTS).contains(&n) => Ok(n),
        _ => Err(field),
    }
}

fn optional_count(doc: &Value, field: &'static str) -> Result<(), &'static str> {
    match doc.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(_) => count(doc, field, 0).map(|_| ()),
    }
}

fn time(doc: &Value, field: &'static str) -> Result<(), &'static str> {
    parse_millis(text(doc, field))
        .map(|_| ())
        .map_err(|_| field)
}

/// Checks a points document of type `ty`; the error names the field that is wrong.
pub fn check(ty: DocType, doc: &Value) -> Result<(), &'static str> {
    match ty {
        DocType::PointsRules => {
            let from = text(doc, "from");
            if normalize(FieldKind::Date, from).ok().as_deref() != Some(from) {
                return Err("from");
            }
            for f in [
                "per_hour",
                "per_attendance",
                "resolve_bonus",
                "satisfied_bonus",
            ] {
                optional_count(doc, f)?;
            }
            match doc.get("min_share_percent").map(Value::as_u64) {
                None | Some(Some(0..=100)) => Ok(()),
                _ => Err("min_share_percent"),
            }
        }
        DocType::PointsAdjustment => {
            id_of(doc, "volunteer_id", DocType::Volunteer)?;
            match doc.get("points").and_then(Value::as_i64) {
                Some(p) if p != 0 && p.unsigned_abs() <= MAX_POINTS => {}
                _ => return Err("points"),
            }
            if text(doc, "reason").trim().is_empty() {
                return Err("reason");
            }
            time(doc, "at")
        }
        DocType::ShopItem => {
            if text(doc, "name").trim().is_empty() {
                return Err("name");
            }
            count(doc, "points", 1)?;
            optional_count(doc, "stock")
        }
        DocType::Redemption => {
            id_of(doc, "volunteer_id", DocType::Volunteer)?;
            id_of(doc, "item_id", DocType::ShopItem)?;
            count(doc, "quantity", 1)?;
            count(doc, "points", 1)?;
            time(doc, "at")
        }
        _ => Ok(()),
    }
}

/// The station's rules from its live `points_rules` documents (rule versions by `from`;
/// the same `from` twice: the later `updated_at`, then the larger id).
pub fn rules_from_docs<'a>(docs: impl IntoIterator<Item = &'a Value>) -> PointsRules {
    let mut chosen: Vec<(&str, &str, RuleVersion)> = Vec::new();
    for d in docs {
        if text(d, "type") != "points_rules" || d.get("_deleted") == Some(&Value::Bool(true)) {
            continue;
        }
        let Ok(v) = serde_json::from_value::<RuleVersion>(d.clone()) else {
            continue;
        };
        let key = (text(d, "updated_at"), text(d, "_id"));
        match chosen.iter_mut().find(|(_, _, c)| c.from == v.from) {
            Some(c) if (c.0, c.1) < key => *c = (key.0, key.1, v),
            Some(_) => {}
            None => chosen.push((key.0, key.1, v)),
        }
    }
    PointsRules {
        versions: chosen.into_iter().map(|(_, _, v)| v).collect(),
    }
}

/// What is left of `item`'s stock after `redemptions` (any item's; others are left out),
/// or `None` for an item without a stock limit. Below zero only after an offline overdraw.
pub fn stock_left(item: &crate::ShopItem, redemptions: &[Value]) -> Option<i64> {
    let stock = item.stock?;
    let id = item.meta.id.as_str();
    let taken: u64 = redemptions
        .iter()
        .filter(|r| text(r, "item_id") == id && r.get("_deleted") != Some(&Value::Bool(true)))
        .filter_map(|r| r.get("quantity").and_then(Value::as_u64))
        .sum();
    Some(stock as i64 - taken as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VOL: &str = "volunteer:0199ece4-7b1a-7000-8000-00000000a001";
    const ITEM: &str = "shop_item:0199ece4-7b1a-7000-8000-00000000b001";

    #[test]
    fn each_document_is_checked_field_by_field() {
        let rules = json!({"from": "2026-11-01", "per_hour": 10, "min_share_percent": 60});
        assert_eq!(check(DocType::PointsRules, &rules), Ok(()));
        let bad_date = json!({"from": "2026-11-31"});
        assert_eq!(check(DocType::PointsRules, &bad_date), Err("from"));
        let bad_share = json!({"from": "2026-11-01", "min_share_percent": 101});
        assert_eq!(
            check(DocType::PointsRules, &bad_share),
            Err("min_share_percent")
        );
        let adj = json!({"volunteer_id": VOL, "points": -5, "reason": "迟到", "at": "2026-11-20T20:00:00+08:00"});
        assert_eq!(check(DocType::PointsAdjustment, &adj), Ok(()));
        let zero = json!({"volunteer_id": VOL, "points": 0, "reason": "x", "at": "2026-11-20T20:00:00+08:00"});
        assert_eq!(check(DocType::PointsAdjustment, &zero), Err("points"));
        let no_reason = json!({"volunteer_id": VOL, "points": 5, "reason": " ", "at": "2026-11-20T20:00:00+08:00"});
        assert_eq!(check(DocType::PointsAdjustment, &no_reason), Err("reason"));
        let item = json!({"name": "洗衣粉", "points": 48, "stock": 10});
        assert_eq!(check(DocType::ShopItem, &item), Ok(()));
        assert_eq!(
            check(DocType::ShopItem, &json!({"name": "皂", "points": 0})),
            Err("points")
        );
        let red = json!({"volunteer_id": VOL, "item_id": ITEM, "quantity": 1, "points": 48,
            "at": "2026-11-20T20:00:00+08:00"});
        assert_eq!(check(DocType::Redemption, &red), Ok(()));
        let mut negative = red.clone();
        negative["points"] = json!(-48);
        assert_eq!(check(DocType::Redemption, &negative), Err("points"));
        let mut stranger = red.clone();
        stranger["volunteer_id"] = json!("王大妈");
        assert_eq!(check(DocType::Redemption, &stranger), Err("volunteer_id"));
    }

    #[test]
    fn versions_from_documents_settle_a_date_written_twice_by_the_later_edit() {
        let docs = vec![
            json!({"_id": "points_rules:a", "type": "points_rules", "from": "2026-01-01", "per_hour": 10, "updated_at": "2026-01-01T08:00:00+08:00"}),
            json!({"_id": "points_rules:b", "type": "points_rules", "from": "2026-06-01", "per_hour": 20, "updated_at": "2026-06-01T08:00:00+08:00"}),
            json!({"_id": "points_rules:c", "type": "points_rules", "from": "2026-06-01", "per_hour": 30, "updated_at": "2026-06-02T08:00:00+08:00"}),
            json!({"_id": "points_rules:d", "type": "points_rules", "from": "2026-09-01", "per_hour": 99, "_deleted": true}),
        ];
        let rules = rules_from_docs(&docs);
        assert_eq!(rules.versions.len(), 2);
        assert_eq!(rules.in_force("2026-05-31").unwrap().per_hour, 10);
        assert_eq!(rules.in_force("2026-10-01").unwrap().per_hour, 30);
    }

    #[test]
    fn stock_counts_down_by_quantity_and_shows_an_offline_overdraw() {
        let item: crate::ShopItem =
            serde_json::from_value(json!({"_id": ITEM, "type": "shop_item",
            "station": "330106001", "created_at": "2026-11-01T08:00:00+08:00",
            "updated_at": "2026-11-01T08:00:00+08:00", "name": "洗衣粉", "points": 20, "stock": 3}))
            .unwrap();
        let red = |q: u64| json!({"item_id": ITEM, "quantity": q});
        assert_eq!(stock_left(&item, &[]), Some(3));
        assert_eq!(stock_left(&item, &[red(1), red(2)]), Some(0));
        assert_eq!(stock_left(&item, &[red(2), red(2)]), Some(-1));
        let mut unlimited = item.clone();
        unlimited.stock = None;
        assert_eq!(stock_left(&unlimited, &[red(5)]), None);
        use crate::points::{can_take, PointsError};
        assert_eq!(can_take(Some(2), 2), Ok(()));
        assert_eq!(
            can_take(Some(1), 2),
            Err(PointsError::OutOfStock { left: 1, wanted: 2 })
        );
        assert_eq!(
            can_take(Some(-1), 1).unwrap_err().zh(),
            "库存不足：还剩 0 件，要兑换 1 件"
        );
        assert_eq!(can_take(None, 1000), Ok(()));
    }
}
