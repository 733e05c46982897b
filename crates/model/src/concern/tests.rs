use super::*;
use ConcernStatus::*;

const TEAM: &str = "team:0199ece4-7b1a-7000-8000-00000000a001";

fn dispatch() -> Step {
    Step::Dispatch {
        team: TEAM.into(),
        due: "2026-11-30".into(),
    }
}
fn resolve() -> Step {
    Step::Resolve {
        resolution: "已修好路灯".into(),
    }
}
fn rate() -> Step {
    Step::Rate {
        rating: Rating::Satisfied,
        comment: "很及时".into(),
    }
}

#[test]
fn every_move_is_allowed_or_refused_as_the_loop_says() {
    let table = [
        (dispatch(), [Some(Assigned), Some(Assigned), None, None]),
        (resolve(), [None, Some(Resolved), None, None]),
        (rate(), [None, None, Some(Rated), None]),
        (Step::Reopen, [None, None, Some(Open), Some(Open)]),
    ];
    for (step, outcomes) in table {
        for (from, want) in [Open, Assigned, Resolved, Rated].into_iter().zip(outcomes) {
            match want {
                Some(to) => assert_eq!(step.next(from), Ok(to), "{step:?} from {from:?}"),
                None => assert_eq!(
                    step.next(from),
                    Err(StepError::NotAllowed {
                        from,
                        step: step.name()
                    }),
                    "{step:?} from {from:?}"
                ),
            }
        }
    }
}

#[test]
fn the_whole_loop_writes_each_stage() {
    let mut doc = serde_json::json!({"_id": "concern:1", "type": "concern", "status": "open", "text": "路灯坏了"});
    assert_eq!(
        dispatch().apply(&mut doc, "2026-11-22T20:00:00+08:00"),
        Ok(Assigned)
    );
    assert_eq!(doc["assigned_team"], TEAM);
    assert_eq!(doc["due"], "2026-11-30");
    assert_eq!(
        resolve().apply(&mut doc, "2026-11-25T10:00:00+08:00"),
        Ok(Resolved)
    );
    assert_eq!(doc["resolved_at"], "2026-11-25T10:00:00+08:00");
    assert_eq!(
        rate().apply(&mut doc, "2026-11-26T10:00:00+08:00"),
        Ok(Rated)
    );
    assert_eq!(doc["rating"], "satisfied");
    assert_eq!(doc["status"], "rated");
    assert_eq!(doc["updated_at"], "2026-11-26T10:00:00+08:00");
    assert_eq!(doc["text"], "路灯坏了");
}

#[test]
fn a_refused_step_changes_nothing() {
    let mut doc = serde_json::json!({"status": "open", "text": "x"});
    let before = doc.clone();
    assert!(rate().apply(&mut doc, "t").is_err());
    let empty = Step::Dispatch {
        team: "  ".into(),
        due: String::new(),
    };
    assert_eq!(empty.apply(&mut doc, "t"), Err(StepError::Empty("team")));
    assert_eq!(
        empty.apply(&mut doc, "t").unwrap_err().zh(),
        "请选择承办队伍"
    );
    assert_eq!(doc, before);
    let mut bad = serde_json::json!({"status": "lost"});
    assert_eq!(dispatch().apply(&mut bad, "t"), Err(StepError::NoStatus));
}

#[test]
fn pending_means_open_or_dispatched() {
    assert!(is_pending("open") && is_pending("assigned"));
    assert!(!is_pending("resolved") && !is_pending("rated") && !is_pending("?"));
}

#[test]
fn a_due_date_is_stored_as_a_date_or_refused() {
    let mut doc = serde_json::json!({"status": "open", "text": "x"});
    let typed = |due: &str| Step::Dispatch {
        team: TEAM.into(),
        due: due.into(),
    };
    let before = doc.clone();
    let err = typed("12/05/2026").apply(&mut doc, "t").unwrap_err();
    assert!(matches!(err, StepError::Due(_)), "{err:?}");
    assert!(err.zh().contains("年-月-日"), "{}", err.zh());
    assert_eq!(doc, before, "a refused due date changes nothing");
    assert_eq!(typed("2026年12月5日").apply(&mut doc, "t"), Ok(Assigned));
    assert_eq!(doc["due"], "2026-12-05");
    assert_eq!(typed("").apply(&mut doc, "t"), Ok(Assigned), "no due date");
    assert_eq!(doc["due"], "");
}

#[test]
fn overdue_only_after_the_due_day_and_while_not_resolved() {
    let at = |status: &str, due: &str| serde_json::json!({"status": status, "due": due});
    assert!(is_overdue(&at("assigned", "2026-12-05"), "2026-12-06"));
    assert!(
        is_overdue(&at("open", "2026-12-05"), "2027-01-01"),
        "reopened and late"
    );
    assert!(
        !is_overdue(&at("assigned", "2026-12-05"), "2026-12-05"),
        "due today"
    );
    assert!(!is_overdue(&at("assigned", "2026-12-05"), "2026-12-04"));
    assert!(!is_overdue(&at("resolved", "2026-12-05"), "2026-12-06"));
    assert!(!is_overdue(&at("rated", "2026-12-05"), "2026-12-06"));
    assert!(
        !is_overdue(&at("assigned", ""), "2026-12-06"),
        "no due date"
    );
    assert!(!is_overdue(
        &serde_json::json!({"status": "assigned"}),
        "2026-12-06"
    ));
}

#[test]
fn dispatch_takes_a_team_id_and_nothing_typed() {
    let mut doc = serde_json::json!({"status": "open", "text": "路灯坏了"});
    let before = doc.clone();
    let typed = Step::Dispatch {
        team: "农技服务对".into(),
        due: String::new(),
    };
    let err = typed.apply(&mut doc, "t").unwrap_err();
    assert_eq!(err, StepError::NotATeam("农技服务对".into()));
    assert_eq!(err.zh(), "请从本站的服务队中选择承办队伍");
    let volunteer = Step::Dispatch {
        team: "volunteer:0199ece4-7b1a-7000-8000-00000000a001".into(),
        due: String::new(),
    };
    assert!(matches!(
        volunteer.apply(&mut doc, "t"),
        Err(StepError::NotATeam(_))
    ));
    assert_eq!(doc, before);
    assert_eq!(dispatch().apply(&mut doc, "t"), Ok(Assigned));
    assert_eq!(doc["assigned_team"], TEAM);
    assert_eq!(unlinked_team(&doc), None);
}

#[test]
fn a_typed_team_is_flagged_and_linked_in_any_status_keeping_what_was_written() {
    for status in ["assigned", "resolved", "rated"] {
        let mut doc = serde_json::json!({"status": status, "assigned_team": " 农技服务队 ",
            "due": "2026-12-01", "updated_at": "before"});
        assert_eq!(unlinked_team(&doc), Some("农技服务队"));
        let link = Step::LinkTeam { team: TEAM.into() };
        let to = link.apply(&mut doc, "now").unwrap();
        assert_eq!(to.as_str(), status, "the status stays");
        assert_eq!(doc["assigned_team"], TEAM);
        assert_eq!(doc["assigned_team_text"], "农技服务队");
        assert_eq!(doc["due"], "2026-12-01");
        assert_eq!(unlinked_team(&doc), None);
        // Linked once: a second link is refused and changes nothing.
        let linked = doc.clone();
        assert_eq!(link.apply(&mut doc, "later"), Err(StepError::NothingToLink));
        assert_eq!(doc, linked);
    }
    let mut none = serde_json::json!({"status": "open"});
    let link = Step::LinkTeam { team: TEAM.into() };
    assert_eq!(link.apply(&mut none, "t"), Err(StepError::NothingToLink));
    let mut typed = serde_json::json!({"status": "assigned", "assigned_team": "农技服务队"});
    let bad = Step::LinkTeam {
        team: "农技服务队".into(),
    };
    assert!(matches!(
        bad.apply(&mut typed, "t"),
        Err(StepError::NotATeam(_))
    ));
}

#[test]
fn the_typed_concern_agrees_with_the_body() {
    for (status, due, team) in [
        (
            "assigned",
            "2026-12-05",
            "team:0199ece4-0000-7000-8000-000000000001",
        ),
        ("open", "", "农技队"),
        ("resolved", "2026-12-01", ""),
        ("assigned", "2026-12-07", " 卫生队 "),
    ] {
        let doc = serde_json::json!({
            "_id": "concern:1", "type": "concern", "station": "330106001",
            "created_at": "2026-11-22T19:00:00+08:00", "updated_at": "2026-11-22T19:00:00+08:00",
            "activity_id": "activity:1", "text": "路灯坏了", "category": "infrastructure",
            "status": status, "due": due, "assigned_team": team
        });
        let typed: crate::Concern = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(
            typed.is_overdue("2026-12-06"),
            is_overdue(&doc, "2026-12-06")
        );
        assert_eq!(typed.unlinked_team(), unlinked_team(&doc));
        assert_eq!(typed.is_pending(), is_pending(status));
        assert_eq!(typed.due(), due);
    }
}
