use super::*;
use serde_json::json;

fn rules() -> PointsRules {
    serde_json::from_value(json!({"versions": [
        {"from": "2026-11-01", "per_hour": 20, "per_attendance": 5, "resolve_bonus": 8, "satisfied_bonus": 2},
        {"from": "2026-01-01", "per_hour": 10, "per_attendance": 2, "min_share_percent": 50},
    ]}))
    .unwrap()
}

fn activity(start: &str, end: &str) -> Value {
    json!({"_id": "activity:1", "start": start, "end": end})
}

fn attendance(vol: &str, check_in: &str, check_out: Option<&str>) -> Value {
    let mut a = json!({"_id": format!("attendance:1:{vol}"), "activity_id": "activity:1",
        "volunteer_id": vol, "check_in": check_in});
    if let Some(out) = check_out {
        a["check_out"] = json!(out);
    }
    a
}

#[test]
fn the_rules_in_force_are_the_latest_version_on_or_before_the_date() {
    let r = rules();
    assert_eq!(r.in_force("2025-12-31"), None);
    assert_eq!(r.in_force("2026-01-01").unwrap().per_hour, 10);
    assert_eq!(r.in_force("2026-10-31").unwrap().per_hour, 10);
    assert_eq!(r.in_force("2026-11-01").unwrap().per_hour, 20);
    // A version written without a share asks the default 60 %.
    assert_eq!(r.in_force("2026-12-01").unwrap().min_share_percent, 60);
}

#[test]
fn sixty_percent_of_the_activity_counts_and_a_minute_less_does_not() {
    let act = activity("2026-11-22T19:00:00+08:00", "2026-11-22T21:00:00+08:00");
    let at_share = earned(
        &attendance(
            "v1",
            "2026-11-22T19:00:00+08:00",
            Some("2026-11-22T20:12:00+08:00"),
        ),
        &act,
        &rules(),
    );
    assert_eq!((at_share.minutes, at_share.not_counted.clone()), (72, None));
    // 5 per attendance + 20 an hour × 72 min = 5 + 24.
    assert_eq!(at_share.points, 29);
    assert_eq!(at_share.rule_from.as_deref(), Some("2026-11-01"));
    let short = earned(
        &attendance(
            "v1",
            "2026-11-22T19:00:00+08:00",
            Some("2026-11-22T20:11:00+08:00"),
        ),
        &act,
        &rules(),
    );
    assert_eq!(
        short.not_counted,
        Some(NotCounted::TooShort {
            share: 59,
            asked: 60
        })
    );
    assert_eq!(short.points, 0);
}

#[test]
fn a_missing_check_out_counts_only_once_confirmed() {
    let act = activity("2026-11-22T19:00:00+08:00", "2026-11-22T21:00:00+08:00");
    let open = attendance("v1", "2026-11-22T19:00:00+08:00", None);
    assert_eq!(
        earned(&open, &act, &rules()).not_counted,
        Some(NotCounted::Unconfirmed)
    );
    let mut confirmed = open;
    confirmed["end_confirmed"] = json!(true);
    let e = earned(&confirmed, &act, &rules());
    assert_eq!((e.minutes, e.points, e.not_counted), (120, 45, None));
}

#[test]
fn an_activity_across_midnight_counts_by_its_start_date() {
    // 2026-10-31 22:00 → 11-01 01:00: the October rules (50 %, 10 an hour, 2 each).
    let act = activity("2026-10-31T22:00:00+08:00", "2026-11-01T01:00:00+08:00");
    let e = earned(
        &attendance(
            "v1",
            "2026-10-31T22:30:00+08:00",
            Some("2026-11-01T00:00:00+08:00"),
        ),
        &act,
        &rules(),
    );
    assert_eq!((e.minutes, e.points), (90, 2 + 15));
    assert_eq!(e.rule_from.as_deref(), Some("2026-01-01"));
}

#[test]
fn before_any_rules_nothing_is_earned_and_bad_times_say_so() {
    let act = activity("2025-06-01T19:00:00+08:00", "2025-06-01T21:00:00+08:00");
    let a = attendance(
        "v1",
        "2025-06-01T19:00:00+08:00",
        Some("2025-06-01T21:00:00+08:00"),
    );
    assert_eq!(
        earned(&a, &act, &rules()).not_counted,
        Some(NotCounted::NoRules)
    );
    let broken = activity("yesterday", "2025-06-01T21:00:00+08:00");
    assert_eq!(
        earned(&a, &broken, &rules()).not_counted,
        Some(NotCounted::BadTimes)
    );
}

#[test]
fn correcting_a_check_out_corrects_the_points() {
    let act = activity("2026-11-22T19:00:00+08:00", "2026-11-22T21:00:00+08:00");
    let mut a = attendance(
        "v1",
        "2026-11-22T19:00:00+08:00",
        Some("2026-11-22T19:30:00+08:00"),
    );
    assert_eq!(earned(&a, &act, &rules()).points, 0);
    a["check_out"] = json!("2026-11-22T21:00:00+08:00");
    assert_eq!(earned(&a, &act, &rules()).points, 45);
}

fn redemption(id: &str, at: &str, points: u32) -> Value {
    json!({"_id": id, "volunteer_id": "v1", "item_id": "item:soap", "points": points, "at": at})
}

#[test]
fn the_balance_adds_earnings_and_adjustments_and_takes_redemptions() {
    let act = activity("2026-11-22T19:00:00+08:00", "2026-11-22T21:00:00+08:00");
    let lines = [
        earned(
            &attendance(
                "v1",
                "2026-11-22T19:00:00+08:00",
                Some("2026-11-22T21:00:00+08:00"),
            ),
            &act,
            &rules(),
        ),
        earned(
            &attendance(
                "v2",
                "2026-11-22T19:00:00+08:00",
                Some("2026-11-22T21:00:00+08:00"),
            ),
            &act,
            &rules(),
        ),
    ];
    let adjustments = [
        json!({"_id": "adj:1", "volunteer_id": "v1", "points": 10, "reason": "带头清扫", "at": "2026-11-23T09:00:00+08:00"}),
        json!({"_id": "adj:2", "volunteer_id": "v1", "points": -3, "reason": "重复签到", "at": "2026-11-23T10:00:00+08:00"}),
    ];
    let l = ledger(
        "v1",
        &lines,
        &adjustments,
        &[redemption("red:1", "2026-11-24T10:00:00+08:00", 48)],
    );
    assert_eq!(l.balance, 45 + 10 - 3 - 48);
    assert_eq!(l.entries.len(), 4, "v2's attendance is not v1's");
    assert!(l.overdrawn.is_empty());
    assert!(matches!(
        l.entries.last(),
        Some(Entry::Redemption { points: 48, .. })
    ));
}

#[test]
fn two_offline_redemptions_that_overdraw_are_both_kept_and_named() {
    let act = activity("2026-11-22T19:00:00+08:00", "2026-11-22T21:00:00+08:00");
    let lines = [earned(
        &attendance(
            "v1",
            "2026-11-22T19:00:00+08:00",
            Some("2026-11-22T21:00:00+08:00"),
        ),
        &act,
        &rules(),
    )];
    // Each phone saw 45 points and let 40 go; together they take 80.
    let a = redemption("red:a", "2026-11-24T10:00:00+08:00", 40);
    let b = redemption("red:b", "2026-11-24T10:05:00+08:00", 40);
    let l = ledger("v1", &lines, &[], &[b.clone(), a.clone()]);
    assert_eq!(l.balance, -35);
    assert_eq!(l.overdrawn, vec!["red:a".to_owned(), "red:b".to_owned()]);
    // Points earned between them: only the redemption after that credit is in question.
    let later = activity("2026-11-24T10:01:00+08:00", "2026-11-24T10:03:00+08:00");
    let mut l2 = lines.to_vec();
    l2.push(earned(
        &attendance(
            "v1",
            "2026-11-24T10:01:00+08:00",
            Some("2026-11-24T10:03:00+08:00"),
        ),
        &later,
        &rules(),
    ));
    let l = ledger("v1", &l2, &[], &[a, b]);
    assert_eq!(l.balance, 45 + 5 - 80);
    assert_eq!(l.overdrawn, vec!["red:b".to_owned()]);
}

#[test]
fn a_redemption_beyond_the_balance_is_refused_with_the_balance() {
    assert_eq!(can_redeem(45, 45), Ok(()));
    let e = can_redeem(45, 48).unwrap_err();
    assert_eq!(
        e,
        PointsError::Insufficient {
            balance: 45,
            needed: 48
        }
    );
    assert_eq!(e.zh(), "积分不足：现有 45 分，兑换需要 48 分");
    assert_eq!(can_redeem(45, 0), Err(PointsError::NotPositive));
}

#[test]
fn teams_earn_for_resolved_concerns_under_the_rules_of_that_day() {
    let concerns = [
        json!({"status": "rated", "assigned_team": "team:a", "resolved_at": "2026-11-10T09:00:00+08:00", "rating": "satisfied"}),
        json!({"status": "resolved", "assigned_team": "team:a", "resolved_at": "2026-11-11T09:00:00+08:00"}),
        json!({"status": "assigned", "assigned_team": "team:b"}),
        // October's rules give no bonus.
        json!({"status": "resolved", "assigned_team": "team:c", "resolved_at": "2026-10-11T09:00:00+08:00"}),
    ];
    let t = team_points(&concerns, &rules());
    assert_eq!(t.get("team:a"), Some(&(8 + 2 + 8)));
    assert_eq!(t.get("team:b"), None);
    assert_eq!(t.get("team:c"), Some(&0));
}
