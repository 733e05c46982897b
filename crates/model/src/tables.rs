//! The CSV files beside an export, for Excel and WPS: activities, attendance with service
//! hours, concerns with their status — UTF-8 with BOM, Chinese headers, local times
//! (UTC+8). Survey responses are the survey module's. Owns column choice and Chinese
//! labels; takes winning bodies (tombstones skipped) and never reads a store.

use crate::attendance::service;
use crate::concern::Rating;
use crate::csv::table;
use crate::time::{parse_millis, rfc3339_cst};
use crate::{ActivityKind, ConcernCategory, ConcernStatus};
use serde_json::Value;
use std::collections::HashMap;

fn s<'a>(d: &'a Value, k: &str) -> &'a str {
    d.get(k).and_then(Value::as_str).unwrap_or_default()
}

fn live<'a>(docs: &'a [Value], ty: &str) -> Vec<&'a Value> {
    docs.iter()
        .filter(|d| s(d, "type") == ty && d.get("_deleted") != Some(&Value::Bool(true)))
        .collect()
}

/// `YYYY-MM-DD HH:MM` at UTC+8, or the text as it was if it is not a time.
fn local(t: &str) -> String {
    match parse_millis(t).ok().and_then(|ms| rfc3339_cst(ms).ok()) {
        Some(l) => format!("{} {}", &l[..10], &l[11..16]),
        None => t.to_owned(),
    }
}

fn kind_zh(k: &str) -> &str {
    ActivityKind::parse(k).map_or(k, |v| v.zh())
}

fn status_zh(st: &str) -> &str {
    ConcernStatus::parse(st).map_or(st, |v| v.zh())
}

fn category_zh(c: &str) -> &str {
    ConcernCategory::parse(c).map_or(c, |v| v.zh())
}

fn rating_zh(r: &str) -> &str {
    Rating::parse(r).map_or(r, |v| v.zh())
}

/// Activities by start time.
pub fn activities_csv(docs: &[Value]) -> String {
    let mut acts = live(docs, "activity");
    acts.sort_by_key(|a| parse_millis(s(a, "start")).unwrap_or(i64::MAX));
    let rows: Vec<Vec<String>> = acts
        .iter()
        .map(|a| {
            vec![
                local(s(a, "start")),
                local(s(a, "end")),
                kind_zh(s(a, "kind")).to_owned(),
                s(a, "title").to_owned(),
                s(a, "place").to_owned(),
                s(a, "host").to_owned(),
                a.get("villagers_present")
                    .and_then(Value::as_u64)
                    .unwrap_or(0)
                    .to_string(),
                s(a, "notes").to_owned(),
            ]
        })
        .collect();
    let header = [
        "开始",
        "结束",
        "类型",
        "标题",
        "地点",
        "主持人",
        "受众人数",
        "备注",
    ];
    table(&header, &rows)
}

/// Attendance by check-in, with the activity's title, the volunteer's name and the hours
/// that count (a missing check-out is flagged and counts nothing until confirmed).
pub fn attendance_csv(docs: &[Value]) -> String {
    let by_id: HashMap<&str, &Value> = docs.iter().map(|d| (s(d, "_id"), d)).collect();
    let mut rows_in = live(docs, "attendance");
    rows_in.sort_by_key(|a| parse_millis(s(a, "check_in")).unwrap_or(i64::MAX));
    let rows: Vec<Vec<String>> = rows_in
        .iter()
        .map(|a| {
            let act = by_id.get(s(a, "activity_id"));
            let vol = by_id.get(s(a, "volunteer_id"));
            let sv = service(a, act.map(|x| s(x, "end")).filter(|e| !e.is_empty()));
            let (hours, counted) = match sv {
                Ok(sv) if sv.counted => (format!("{:.1}", sv.minutes as f64 / 60.0), "是"),
                Ok(_) => ("0.0".to_owned(), "否（未签退）"),
                Err(_) => ("0.0".to_owned(), "否（时间有误）"),
            };
            vec![
                act.map_or_else(
                    || s(a, "activity_id").to_owned(),
                    |x| s(x, "title").to_owned(),
                ),
                vol.map_or_else(
                    || s(a, "volunteer_id").to_owned(),
                    |x| s(x, "name").to_owned(),
                ),
                s(a, "role").to_owned(),
                local(s(a, "check_in")),
                local(s(a, "check_out")),
                hours,
                counted.to_owned(),
            ]
        })
        .collect();
    let header = [
        "活动",
        "志愿者",
        "角色",
        "签到",
        "签退",
        "服务时长(小时)",
        "是否计入",
    ];
    table(&header, &rows)
}

/// Concerns by the time they were raised, with Chinese status, category and rating.
pub fn concerns_csv(docs: &[Value]) -> String {
    let by_id: HashMap<&str, &Value> = docs.iter().map(|d| (s(d, "_id"), d)).collect();
    let mut cs = live(docs, "concern");
    cs.sort_by_key(|c| parse_millis(s(c, "created_at")).unwrap_or(i64::MAX));
    let rows: Vec<Vec<String>> = cs
        .iter()
        .map(|c| {
            let act = by_id.get(s(c, "activity_id"));
            let team = by_id.get(s(c, "assigned_team"));
            vec![
                local(s(c, "created_at")),
                act.map_or_else(String::new, |a| s(a, "title").to_owned()),
                s(c, "villager").to_owned(),
                s(c, "text").to_owned(),
                category_zh(s(c, "category")).to_owned(),
                status_zh(s(c, "status")).to_owned(),
                team.map_or_else(
                    || s(c, "assigned_team").to_owned(),
                    |t| s(t, "name").to_owned(),
                ),
                s(c, "resolution").to_owned(),
                local(s(c, "resolved_at")),
                rating_zh(s(c, "rating")).to_owned(),
            ]
        })
        .collect();
    let header = [
        "提出时间",
        "活动",
        "村民",
        "诉求",
        "类别",
        "状态",
        "承办队伍",
        "办理结果",
        "办结时间",
        "评价",
    ];
    table(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoConfig};
    use serde_json::json;

    fn lines(csv: &str) -> Vec<String> {
        assert!(csv.starts_with('\u{feff}'));
        csv.trim_start_matches('\u{feff}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn attendance_shows_hours_and_flags_a_missing_check_out() {
        let docs = vec![
            json!({"_id": "activity:1", "type": "activity", "title": "村夜话, 秋收",
                "end": "2026-11-22T21:00:00+08:00"}),
            json!({"_id": "volunteer:1", "type": "volunteer", "name": "王建国"}),
            json!({"_id": "attendance:1:1", "type": "attendance", "activity_id": "activity:1",
                "volunteer_id": "volunteer:1", "role": "服务", "check_in": "2026-11-22T10:30:00Z",
                "check_out": "2026-11-22T21:00:00+08:00"}),
            json!({"_id": "attendance:1:2", "type": "attendance", "activity_id": "activity:1",
                "volunteer_id": "volunteer:2", "check_in": "2026-11-22T19:00:00+08:00"}),
            json!({"_id": "attendance:1:3", "type": "attendance", "_deleted": true}),
        ];
        let l = lines(&attendance_csv(&docs));
        assert_eq!(l[0], "活动,志愿者,角色,签到,签退,服务时长(小时),是否计入");
        assert_eq!(
            l[1],
            "\"村夜话, 秋收\",王建国,服务,2026-11-22 18:30,2026-11-22 21:00,2.5,是"
        );
        assert_eq!(
            l[2],
            "\"村夜话, 秋收\",volunteer:2,,2026-11-22 19:00,,0.0,否（未签退）"
        );
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn concerns_and_activities_of_the_demo_in_chinese() {
        let docs = generate(&DemoConfig::default());
        let count = |t: &str| docs.iter().filter(|d| d["type"] == t).count();
        let c = lines(&concerns_csv(&docs));
        assert_eq!(c.len(), 1 + count("concern"));
        assert!(c[0].starts_with("提出时间,活动,村民,诉求,类别,状态"));
        for st in ["待派单", "已派单", "已办结", "已评价"] {
            assert!(c.iter().any(|l| l.contains(st)), "{st}");
        }
        assert!(c.iter().any(|l| l.contains("队")), "team names, not ids");
        let a = lines(&activities_csv(&docs));
        assert_eq!(a.len(), 1 + count("activity"));
        assert!(a[1] < a[a.len() - 1], "sorted by start");
        assert!(a.iter().skip(1).all(|l| !l.contains("+08:00")));
    }
}
