use super::*;
use serde_json::json;

fn activity() -> Value {
    json!({
        "_id": "activity:0190a0b0-0000-7000-8000-000000000001", "type": "activity",
        "station": "330106001", "created_at": "2026-11-22T18:00:00+08:00",
        "updated_at": "2026-11-22T18:00:00+08:00", "kind": "evening_forum", "title": "夜话·冬季防火",
        "start": "2026-11-22T19:00:00+08:00", "end": "2026-11-22T21:00:00+08:00", "villagers_present": 60
    })
}

fn with(mut doc: Value, key: &str, v: Value) -> Value {
    doc[key] = v;
    doc
}

#[test]
fn a_good_activity_passes() {
    assert_eq!(validate(&activity()), Ok(DocType::Activity));
}

#[test]
fn each_rule_names_its_field_in_chinese() {
    let cases = [
        (
            with(activity(), "title", json!("  ")),
            ValidationError::Field("title"),
            "“标题”未填写或格式不正确",
        ),
        (
            with(activity(), "kind", json!("party")),
            ValidationError::Field("kind"),
            "“活动类型”未填写或格式不正确",
        ),
        (
            with(activity(), "start", json!("今晚")),
            ValidationError::BadTime("start"),
            "“开始时间”不是有效的时间",
        ),
        (
            with(activity(), "end", json!("2026-11-22T18:59:00+08:00")),
            ValidationError::EndsBeforeStart("end"),
            "“结束时间”不能早于开始时间",
        ),
        (
            with(activity(), "villagers_present", json!(100_001)),
            ValidationError::TooManyVillagers(100_001),
            "到场群众 100001 人超过上限 100000 人",
        ),
        (
            with(activity(), "station", json!("")),
            ValidationError::Field("station"),
            "“站点”未填写或格式不正确",
        ),
    ];
    for (doc, err, zh) in cases {
        assert_eq!(validate(&doc), Err(err.clone()));
        assert_eq!(err.zh(), zh);
        assert!(!err.en().is_empty());
    }
}

#[test]
fn type_must_match_the_id() {
    let doc = with(activity(), "type", json!("concern"));
    assert!(matches!(
        validate(&doc),
        Err(ValidationError::TypeMismatch {
            expected: "activity",
            ..
        })
    ));
    assert!(matches!(
        validate(&json!([1])),
        Err(ValidationError::NotAnObject)
    ));
}

#[test]
fn attendance_id_must_name_its_activity_and_volunteer() {
    let act = "activity:0190a0b0-0000-7000-8000-000000000001";
    let vol = "volunteer:0190a0b0-0000-7000-8000-000000000002";
    let mut doc = json!({
        "_id": crate::id::attendance_id(act, vol), "type": "attendance", "station": "330106001",
        "created_at": "2026-11-22T18:00:00+08:00", "updated_at": "2026-11-22T18:00:00+08:00",
        "activity_id": act, "volunteer_id": vol, "check_in": "2026-11-22T18:30:00+08:00",
        "check_out": "2026-11-22T21:30:00+08:00"
    });
    assert_eq!(validate(&doc), Ok(DocType::Attendance));
    doc["check_out"] = json!("2026-11-22T18:00:00+08:00");
    assert_eq!(
        validate(&doc),
        Err(ValidationError::EndsBeforeStart("check_out"))
    );
    doc["volunteer_id"] = json!("volunteer:0190a0b0-0000-7000-8000-000000000003");
    assert_eq!(validate(&doc), Err(ValidationError::AttendanceIdMismatch));
}

#[test]
fn volunteers_need_a_name_and_a_real_mobile_number() {
    let mut v = json!({
        "_id": "volunteer:0190a0b0-0000-7000-8000-000000000002", "type": "volunteer",
        "station": "330106001", "created_at": "2026-11-22T18:00:00+08:00",
        "updated_at": "2026-11-22T18:00:00+08:00", "name": "张三", "phone": "13812345678"
    });
    assert_eq!(validate(&v), Ok(DocType::Volunteer));
    v["phone"] = json!("12345");
    assert_eq!(validate(&v), Err(ValidationError::Field("phone")));
    assert_eq!(
        ValidationError::Field("phone").zh(),
        "“手机号码”未填写或格式不正确"
    );
    v["phone"] = json!("");
    v["name"] = json!(" ");
    assert_eq!(validate(&v), Err(ValidationError::Field("name")));
}

#[test]
fn surveys_and_responses_must_be_readable() {
    let meta = |id: &str, ty: &str| {
        json!({"_id": id, "type": ty, "station": "330106001",
            "created_at": "2026-11-01T08:00:00+08:00", "updated_at": "2026-11-01T08:00:00+08:00"})
    };
    let mut s = meta("survey:0192e3a4-0000-7000-8000-000000000001", "survey");
    s["title"] = json!("草稿");
    assert!(validate(&s).is_ok(), "a draft without questions is fine");
    s["questions"] = json!([{"id": "q1", "kind": "slider", "label": "?"}]);
    assert_eq!(validate(&s), Err(ValidationError::Field("questions")));
    assert_eq!(
        ValidationError::Field("questions").zh(),
        "“问卷题目”未填写或格式不正确"
    );
    let mut r = meta("response:0192e3a4-0000-7000-8000-000000000002", "response");
    r["answers"] = json!({"q1": 3});
    assert_eq!(validate(&r), Err(ValidationError::Field("survey_id")));
    r["answers"] = json!(["q1"]);
    r["survey_id"] = json!("survey:0192e3a4-0000-7000-8000-000000000001");
    assert_eq!(validate(&r), Err(ValidationError::Field("answers")));
    r["answers"] = json!({"q1": 3});
    r["survey_id"] = json!("");
    assert_eq!(validate(&r), Err(ValidationError::Field("survey_id")));
    r["survey_id"] = json!("survey:0192e3a4-0000-7000-8000-000000000001");
    assert!(validate(&r).is_ok());
}

fn photo() -> Value {
    let jpeg = json!({"content_type": "image/jpeg", "digest": "md5-rL0Y20zC+Fzt72VPzMSk2A==",
        "length": 3, "revpos": 1, "stub": true});
    json!({
        "_id": "photo:0190a0b0-0000-7000-8000-000000000009", "type": "photo",
        "station": "330106001", "created_at": "2026-11-22T20:00:00+08:00",
        "updated_at": "2026-11-22T20:00:00+08:00", "taken_at": "2026-11-22T19:40:00+08:00",
        "activity_id": "activity:0190a0b0-0000-7000-8000-000000000001", "caption": "夜话现场",
        "_attachments": {"image.jpg": jpeg, "thumb.jpg": jpeg}
    })
}

#[test]
fn a_photo_names_one_activity_or_concern_and_carries_both_jpegs() {
    assert_eq!(validate(&photo()), Ok(DocType::Photo));
    let mut of_concern = photo();
    of_concern.as_object_mut().unwrap().remove("activity_id");
    of_concern["concern_id"] = json!("concern:0190a0b0-0000-7000-8000-000000000002");
    assert_eq!(validate(&of_concern), Ok(DocType::Photo));
    let mut both = of_concern.clone();
    both["activity_id"] = photo()["activity_id"].clone();
    assert_eq!(validate(&both), Err(ValidationError::Field("activity_id")));
    let mut neither = photo();
    neither.as_object_mut().unwrap().remove("activity_id");
    assert_eq!(
        validate(&neither),
        Err(ValidationError::Field("activity_id"))
    );
    let wrong_kind = with(photo(), "activity_id", of_concern["concern_id"].clone());
    assert_eq!(
        validate(&wrong_kind),
        Err(ValidationError::Field("activity_id"))
    );
    let bad_concern = with(of_concern, "concern_id", json!("concern:xyz"));
    assert_eq!(
        validate(&bad_concern),
        Err(ValidationError::Field("concern_id"))
    );
    assert_eq!(
        validate(&with(photo(), "taken_at", json!("昨晚"))),
        Err(ValidationError::BadTime("taken_at"))
    );
    let mut no_thumb = photo();
    no_thumb["_attachments"]
        .as_object_mut()
        .unwrap()
        .remove("thumb.jpg");
    let refused = validate(&no_thumb);
    assert_eq!(refused, Err(ValidationError::Field("_attachments")));
    assert_eq!(refused.unwrap_err().zh(), "“照片文件”未填写或格式不正确");
    let mut png = photo();
    png["_attachments"]["image.jpg"]["content_type"] = json!("image/png");
    assert_eq!(validate(&png), Err(ValidationError::Field("_attachments")));
}
