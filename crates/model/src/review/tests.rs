use super::*;
use crate::doc::Record;
use serde_json::json;

const ACT: &str = "activity:0190a0e0-0000-7000-8000-000000000001";
const AT: &str = "2026-11-30T20:00:00+08:00";

fn decision(verdict: Verdict, reason: &str) -> Decision<'static> {
    Decision {
        activity: ACT,
        activity_rev: "2-abc",
        station: "330106001001",
        verdict,
        reason: if reason.is_empty() {
            ""
        } else {
            "照片不清楚"
        },
        by: "zhen",
        at: AT,
    }
}

fn review(verdict: Verdict) -> Review {
    let d = decision(
        verdict,
        if verdict == Verdict::Returned {
            "x"
        } else {
            ""
        },
    );
    Review::decode(d.to_doc().unwrap()).unwrap()
}

#[test]
fn no_review_is_pending() {
    assert_eq!(state("2-abc", None), ReviewState::Pending);
    assert!(state("2-abc", None).awaits_review());
}

#[test]
fn an_approval_holds_only_for_the_revision_it_saw() {
    let r = review(Verdict::Approved);
    assert_eq!(state("2-abc", Some(&r)), ReviewState::Approved);
    // The cadre edits after approval: back to 待审核 (已修改), never 已审核 of a later text.
    assert_eq!(state("3-def", Some(&r)), ReviewState::Changed);
    assert!(state("3-def", Some(&r)).awaits_review());
}

#[test]
fn a_returned_forum_edited_goes_back_to_headquarters() {
    let r = review(Verdict::Returned);
    assert_eq!(
        state("2-abc", Some(&r)),
        ReviewState::Returned("照片不清楚".into())
    );
    assert_eq!(state("3-def", Some(&r)), ReviewState::Changed);
}

#[test]
fn to_fix_lists_returned_forums_not_yet_edited() {
    let act = |id: &str, rev: &str| {
        Activity::decode(
            json!({"_id": id, "_rev": rev, "type": "activity", "kind": "evening_forum",
            "title": "夜话", "station": "330106001001"}),
        )
        .unwrap()
    };
    let other = "activity:0190a0e0-0000-7000-8000-000000000002";
    let acts = vec![act(ACT, "2-abc"), act(other, "1-aaa")];
    let returned = review(Verdict::Returned);
    let list = to_fix(&acts, |id| (id == ACT).then_some(&returned));
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].0.meta.id.as_str(), list[0].1.as_str()),
        (ACT, "照片不清楚")
    );
    let edited = vec![act(ACT, "3-def")];
    assert!(to_fix(&edited, |_| Some(&returned)).is_empty());
}

#[test]
fn approves_reads_raw_bodies_at_the_current_revision() {
    let doc = decision(Verdict::Approved, "").to_doc().unwrap();
    assert!(approves(&doc, Some("2-abc")));
    assert!(!approves(&doc, Some("3-def")));
    assert!(!approves(&doc, None));
    let returned = decision(Verdict::Returned, "x").to_doc().unwrap();
    assert!(!approves(&returned, Some("2-abc")));
}

#[test]
fn a_return_without_a_reason_is_refused() {
    let e = decision(Verdict::Returned, "").to_doc().unwrap_err();
    assert_eq!(e, ValidationError::Field("reason"));
    let mut blank = decision(Verdict::Returned, "x").to_doc().unwrap();
    blank["reason"] = json!("   ");
    assert_eq!(check(&blank).unwrap_err(), ValidationError::Field("reason"));
}

#[test]
fn malformed_reviews_are_named() {
    let good = decision(Verdict::Approved, "").to_doc().unwrap();
    assert_eq!(crate::validate::validate(&good), Ok(DocType::Review));
    let bad = |k: &str, v: Value| {
        let mut d = good.clone();
        d[k] = v;
        check(&d).unwrap_err()
    };
    assert_eq!(
        bad("verdict", json!("maybe")),
        ValidationError::Field("verdict")
    );
    assert_eq!(
        bad("activity_rev", json!("abc")),
        ValidationError::Field("activity_rev")
    );
    assert_eq!(bad("by", json!(" ")), ValidationError::Field("by"));
    assert_eq!(
        bad("at", json!("yesterday")),
        ValidationError::BadTime("at")
    );
    // The id names another activity than the body does.
    let other = "activity:0190a0e0-0000-7000-8000-000000000009";
    assert_eq!(
        bad("activity", json!(other)),
        ValidationError::Field("activity")
    );
    let mut no_station = good.clone();
    no_station["station"] = json!("");
    assert!(crate::validate::validate(&no_station).is_err());
}

#[test]
fn the_month_board_joins_each_activity_to_its_review() {
    let act = |id: &str, rev: &str, start: &str| {
        Activity::decode(
            json!({"_id": id, "_rev": rev, "type": "activity", "kind": "evening_forum",
            "title": "夜话", "station": "330106001001", "start": start}),
        )
        .unwrap()
    };
    let other = "activity:0190a0e0-0000-7000-8000-000000000002";
    let december = "activity:0190a0e0-0000-7000-8000-000000000003";
    let acts = vec![
        act(other, "1-aaa", "2026-11-20T19:00:00+08:00"),
        act(ACT, "3-def", "2026-11-05T19:00:00+08:00"),
        // 1 December at 00:30 in China is still 30 November in UTC: December here.
        act(december, "1-bbb", "2026-12-01T00:30:00+08:00"),
    ];
    let board = month_board(acts, vec![review(Verdict::Approved)], "2026-11");
    let ids: Vec<&str> = board.iter().map(|i| i.activity.meta.id.as_str()).collect();
    assert_eq!(ids, [ACT, other], "by start, November only");
    assert_eq!(
        board[0].state,
        ReviewState::Changed,
        "edited after approval"
    );
    assert!(board[0].review.is_some());
    assert_eq!(
        (board[1].state.clone(), board[1].review.is_none()),
        (ReviewState::Pending, true)
    );
}
