use super::*;

fn base() -> Value {
    json!({"_id": "activity:0190a0b0-0000-7000-8000-000000000001", "type": "activity",
        "station": "330106001", "created_at": "2026-11-22T18:00:00+08:00", "created_by": "王书记",
        "photo_ids": ["kept"]})
}

#[test]
fn a_new_forum_has_the_four_segments_and_saves() {
    let mut f = ActivityForm::new_forum("2026-11-22");
    assert_eq!(
        f.agenda
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>(),
        ["文娱开场", "主讲开题", "群众畅谈", "欢快收尾"]
    );
    f.title = "村夜话·冬季防火".into();
    f.place = "村文化广场".into();
    f.villagers = "58".into();
    f.teams = "文艺宣传队，平安巡逻队".into();
    let doc = f.to_doc(&base(), "2026-11-22T21:40:00+08:00").unwrap();
    assert_eq!(doc["start"], "2026-11-22T19:30:00+08:00");
    assert_eq!(doc["end"], "2026-11-22T21:30:00+08:00");
    assert_eq!(doc["villagers_present"], 58);
    assert_eq!(doc["teams"], json!(["文艺宣传队", "平安巡逻队"]));
    assert_eq!(doc["photo_ids"], json!(["kept"]));
    assert_eq!(doc["agenda"][3]["title"], "欢快收尾");
    assert_eq!(
        ActivityForm::from_doc(&doc)
            .to_doc(&doc, "2026-11-22T21:40:00+08:00")
            .unwrap(),
        doc
    );
}

const NOW: &str = "2026-11-22T21:40:00+08:00";

#[test]
fn bad_input_is_named_in_chinese() {
    let mut f = ActivityForm::new_forum("2026-11-22");
    assert_eq!(
        f.to_doc(&base(), NOW).unwrap_err().zh(),
        "“标题”未填写或格式不正确"
    );
    f.title = "夜话".into();
    f.villagers = "五十".into();
    assert_eq!(
        f.to_doc(&base(), NOW),
        Err(FormError::Villagers("五十".into()))
    );
    f.villagers = "50".into();
    f.end = "18:00".into();
    assert_eq!(
        f.to_doc(&base(), "2026-11-22T21:40:00+08:00")
            .unwrap_err()
            .zh(),
        "“结束时间”不能早于开始时间"
    );
    f.end = "21:00".into();
    f.date = "".into();
    assert_eq!(
        f.to_doc(&base(), "2026-11-22T21:40:00+08:00")
            .unwrap_err()
            .zh(),
        "“开始时间”不是有效的时间"
    );
}

#[test]
fn agenda_reorders_and_kind_switch_prefills() {
    let mut f = ActivityForm {
        kind: "service".into(),
        ..ActivityForm::default()
    };
    assert!(f.agenda.is_empty());
    f.set_kind("evening_forum");
    assert_eq!(f.agenda.len(), 4);
    f.move_up(2);
    assert_eq!(f.agenda[1].title, "群众畅谈");
    f.move_up(0);
    f.move_up(9);
    assert_eq!(f.agenda[0].title, "文娱开场");
}

#[test]
fn a_draft_round_trips_through_json_even_when_invalid() {
    let f = ActivityForm {
        title: "半截".into(),
        villagers: "abc".into(),
        ..ActivityForm::new_forum("2026-11-22")
    };
    let text = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<ActivityForm>(&text).unwrap(), f);
    assert_eq!(
        serde_json::from_str::<ActivityForm>("{}").unwrap(),
        ActivityForm::default()
    );
}
