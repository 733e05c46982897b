use super::answer::{check_answers, parse_number, progress, visible, AnswerError};
use super::check::{check, SurveyError};
use super::csv::responses_csv;
use super::edit::{self, set_status, StatusError};
use super::results::{per_version, results, Filter};
use super::templates::{self, Template};
use super::*;
use crate::demo::{generate, DemoConfig};
use serde_json::json;
use std::collections::HashMap;

fn q(id: &str, kind: Kind) -> Question {
    let mut q = Question::new(id.into(), kind);
    q.label = format!("题目 {id}");
    if kind.has_options() {
        q.options = vec!["甲".into(), "乙".into(), "丙".into()];
    }
    q
}

/// All six kinds, q6 shown only if q5 (yes/no) is yes.
fn six() -> Survey {
    let mut n = q("q4", Kind::Number);
    n.min = Some(0.0);
    n.max = Some(120.0);
    n.required = true;
    let mut gated = q("q6", Kind::Text);
    gated.show_if = Some(ShowIf {
        question: "q5".into(),
        equals: json!(true),
    });
    gated.required = true;
    let mut single = q("q1", Kind::Single);
    single.required = true;
    Survey {
        title: "六种题型".into(),
        questions: vec![
            single,
            q("q2", Kind::Multiple),
            q("q3", Kind::Rating),
            n,
            q("q5", Kind::YesNo),
            gated,
            q("q7", Kind::Text),
        ],
        extra: json!({"_id": "survey:t"}).as_object().unwrap().clone(),
        ..Survey::default()
    }
}

fn answers(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn response(version: u32, a: Value, at: &str, activity: Option<&str>) -> Response {
    Response {
        survey_id: "survey:t".into(),
        survey_version: version,
        activity_id: activity.map(str::to_owned),
        answers: answers(a),
        collected_at: at.into(),
        ..Response::default()
    }
}

#[test]
fn definitions_are_refused_with_the_question_named() {
    assert_eq!(check(&six()), Ok(()));
    let mut s = six();
    s.title = "  ".into();
    assert_eq!(check(&s), Err(SurveyError::NoTitle));
    s = six();
    s.questions.clear();
    assert_eq!(check(&s), Err(SurveyError::NoQuestions));
    assert_eq!(SurveyError::NoQuestions.zh(), "问卷至少需要一个题目");
    s = six();
    s.questions[1].options = vec!["甲".into(), " ".into()];
    assert_eq!(check(&s), Err(SurveyError::TooFewOptions(2)));
    assert!(SurveyError::TooFewOptions(2).zh().contains("第 2 题"));
    s = six();
    s.questions[1].options = vec!["甲".into(), "甲 ".into()];
    assert_eq!(check(&s), Err(SurveyError::RepeatedOption(2, "甲".into())));
    s = six();
    s.questions[3].min = Some(10.0);
    s.questions[3].max = Some(5.0);
    assert_eq!(check(&s), Err(SurveyError::MinAboveMax(4, 10.0, 5.0)));
    assert_eq!(
        SurveyError::MinAboveMax(4, 10.0, 5.0).zh(),
        "第 4 题的最小值 10 不能大于最大值 5"
    );
    s = six();
    s.questions[2].label = String::new();
    assert_eq!(check(&s), Err(SurveyError::NoLabel(3)));
    s = six();
    s.questions[2].id = "q1".into();
    assert_eq!(check(&s), Err(SurveyError::RepeatedId(3, "q1".into())));
}

#[test]
fn show_if_must_point_back_to_a_gate_with_a_possible_answer() {
    let mut s = six();
    s.questions.swap(4, 5); // the rule now names a later question
    assert_eq!(check(&s), Err(SurveyError::BadShowIfQuestion(5)));
    s = six();
    s.questions[5].show_if = Some(ShowIf {
        question: "q3".into(), // a rating cannot gate
        equals: json!(5),
    });
    assert_eq!(check(&s), Err(SurveyError::BadShowIfQuestion(6)));
    s = six();
    s.questions[5].show_if = Some(ShowIf {
        question: "q1".into(),
        equals: json!("丁"),
    });
    assert_eq!(check(&s), Err(SurveyError::BadShowIfAnswer(6, json!("丁"))));
    s.questions[5].show_if.as_mut().unwrap().equals = json!("乙");
    assert_eq!(check(&s), Ok(()));
}

#[test]
fn show_if_hides_and_hidden_answers_are_not_saved() {
    let s = six();
    let no = answers(json!({"q1": "甲", "q4": "30", "q5": false, "q6": "不该保存"}));
    assert!(!visible(&s.questions, &no)[5]);
    let saved = check_answers(&s.questions, &no).unwrap();
    assert!(!saved.contains_key("q6"), "hidden answers are dropped");
    assert_eq!(saved["q4"], json!(30.0));
    let yes = answers(json!({"q1": "甲", "q4": 30, "q5": true}));
    assert!(visible(&s.questions, &yes)[5]);
    assert_eq!(
        check_answers(&s.questions, &yes),
        Err(vec![("q6".into(), AnswerError::Required)])
    );
    // A question gated by a hidden question is hidden too.
    let mut chain = six();
    let mut q8 = q("q8", Kind::Text);
    q8.show_if = Some(ShowIf {
        question: "q6".into(),
        equals: json!("x"),
    });
    chain.questions[5].kind = Kind::Single;
    chain.questions[5].options = vec!["x".into(), "y".into()];
    chain.questions.push(q8);
    let a = answers(json!({"q5": false, "q6": "x"}));
    assert!(!visible(&chain.questions, &a)[7]);
}

#[test]
fn answers_are_checked_at_their_question() {
    let s = six();
    let bad = answers(json!({"q2": ["甲", "戊"], "q3": 6, "q4": "200", "q5": "是"}));
    assert_eq!(
        check_answers(&s.questions, &bad),
        Err(vec![
            ("q1".into(), AnswerError::Required),
            ("q2".into(), AnswerError::NotAnOption),
            ("q3".into(), AnswerError::BadRating),
            ("q4".into(), AnswerError::AboveMax(120.0)),
            ("q5".into(), AnswerError::WrongShape),
        ])
    );
    assert_eq!(AnswerError::AboveMax(120.0).zh(), "不能大于 120");
    let low = answers(json!({"q1": "甲", "q4": "-1"}));
    assert_eq!(
        check_answers(&s.questions, &low),
        Err(vec![("q4".into(), AnswerError::BelowMin(0.0))])
    );
    let nan = answers(json!({"q1": "甲", "q4": "十"}));
    assert_eq!(
        check_answers(&s.questions, &nan),
        Err(vec![("q4".into(), AnswerError::NotANumber)])
    );
    assert_eq!(parse_number("１２．５"), Some(12.5));
    // Multiple choices are stored in option order; text trimmed; blanks left out.
    let ok = answers(json!({"q1": "乙", "q2": ["丙", "甲"], "q4": 7, "q7": "  好  ", "q3": null}));
    let saved = check_answers(&s.questions, &ok).unwrap();
    assert_eq!(saved["q2"], json!(["甲", "丙"]));
    assert_eq!(saved["q7"], json!("好"));
    assert!(!saved.contains_key("q3"));
    assert_eq!(progress(&s.questions, &ok), (4, 6));
}

#[test]
fn editing_after_responses_makes_a_new_version_and_ties_old_answers() {
    let mut s = six();
    let mut draft = s.questions.clone();
    draft[0].label = "改过的题目".into();
    // No responses yet: edited in place.
    assert_eq!(edit::save_questions(&mut s, &draft, false), Ok(false));
    assert_eq!((s.version, s.versions.len()), (1, 0));
    // With responses: version 2, version 1 kept.
    edit::delete(&mut draft, 4); // q5 goes, and q6's rule with it
    assert!(draft[4].show_if.is_none());
    edit::add(&s, &mut draft, Kind::Rating);
    assert_eq!(
        draft.last().unwrap().id,
        "q8",
        "never reuses an id of any version"
    );
    draft.last_mut().unwrap().label = "新题".into();
    assert_eq!(edit::save_questions(&mut s, &draft, true), Ok(true));
    assert_eq!(s.version, 2);
    assert_eq!(s.questions_of(1).unwrap().len(), 7);
    assert_eq!(s.questions_of(2).unwrap().len(), 7);
    assert!(s.questions_of(3).is_none());
    // Saving the same questions again makes nothing new.
    assert_eq!(edit::save_questions(&mut s, &draft, true), Ok(false));
    // Round trip through the stored document.
    let back = Survey::from_doc(&s.to_doc()).unwrap();
    assert_eq!(back, s);
    let rs = vec![
        response(
            1,
            json!({"q1": "甲", "q5": true}),
            "2026-11-01T20:00:00+08:00",
            None,
        ),
        response(
            2,
            json!({"q1": "乙", "q8": 4}),
            "2026-11-02T20:00:00+08:00",
            None,
        ),
    ];
    assert_eq!(per_version(&s, &rs), vec![(2, 1), (1, 1)]);
    let v1 = results(&s, 1, &rs, &Filter::default());
    assert_eq!(v1.responses, 1);
    assert_eq!(
        v1.questions[4].options[0].count, 1,
        "v1's q5 is counted in v1"
    );
    let v2 = results(&s, 2, &rs, &Filter::default());
    assert_eq!(v2.questions[6].average, Some(4.0));
    // The CSV has every question of every version; the v1 row has its yes/no as 是.
    let csv = responses_csv(&s, &rs, &HashMap::new());
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("序号,提交时间,问卷版本,活动,改过的题目"));
    assert!(lines[0].contains("题目 q5") && lines[0].contains("新题"));
    assert!(lines[1].contains(",是,") || lines[1].ends_with(",是"));
}

#[test]
fn lifecycle_opens_only_a_valid_survey_and_never_goes_back_to_draft() {
    let mut s = six();
    s.questions[1].options.truncate(1);
    assert_eq!(
        set_status(&mut s, Status::Open),
        Err(StatusError::Invalid(SurveyError::TooFewOptions(2)))
    );
    s = six();
    assert_eq!(set_status(&mut s, Status::Open), Ok(()));
    assert_eq!(set_status(&mut s, Status::Closed), Ok(()));
    assert!(set_status(&mut s, Status::Draft).is_err());
    assert_eq!(set_status(&mut s, Status::Open), Ok(()));
    let mut d = six();
    assert!(set_status(&mut d, Status::Closed).is_err());
}

#[test]
fn results_count_percent_and_average_what_was_entered() {
    let s = six();
    let rs = vec![
        response(
            1,
            json!({"q1": "甲", "q2": ["甲", "乙"], "q3": 5, "q4": 10, "q5": true, "q6": "修路"}),
            "2026-11-01T20:00:00+08:00",
            Some("activity:a"),
        ),
        response(
            1,
            json!({"q1": "甲", "q2": ["乙"], "q3": 4, "q4": 20, "q5": false}),
            "2026-11-01T21:00:00+08:00",
            Some("activity:a"),
        ),
        response(
            1,
            json!({"q1": "乙", "q3": 4, "q4": 30.5, "q7": "很好"}),
            "2026-11-03T20:00:00+08:00",
            Some("activity:b"),
        ),
    ];
    let r = results(&s, 1, &rs, &Filter::default());
    assert_eq!(r.responses, 3);
    let single = &r.questions[0];
    assert_eq!(single.answered, 3);
    assert_eq!(
        (single.options[0].count, single.options[0].percent),
        (2, 67)
    );
    assert_eq!(
        (single.options[1].count, single.options[1].percent),
        (1, 33)
    );
    let multi = &r.questions[1];
    assert_eq!(multi.answered, 2);
    assert_eq!((multi.options[1].count, multi.options[1].percent), (2, 100));
    let rating = &r.questions[2];
    assert_eq!(rating.options.len(), 5);
    assert_eq!(rating.options[3].count, 2);
    assert_eq!(rating.options[4].label, "★★★★★");
    assert!((rating.average.unwrap() - 13.0 / 3.0).abs() < 1e-9);
    assert!((r.questions[3].average.unwrap() - 60.5 / 3.0).abs() < 1e-9);
    assert_eq!(r.questions[4].options[0].label, "是");
    assert_eq!(r.questions[4].options[0].percent, 50);
    assert_eq!(r.questions[5].texts, vec!["修路".to_owned()]);
    assert_eq!(r.satisfaction, None, "not the satisfaction template");
    let at_a = Filter {
        activity_id: Some("activity:a".into()),
        ..Filter::default()
    };
    assert_eq!(results(&s, 1, &rs, &at_a).responses, 2);
    let on_3rd = Filter {
        from: Some("2026-11-02".into()),
        until: Some("2026-11-03".into()),
        ..Filter::default()
    };
    assert_eq!(results(&s, 1, &rs, &on_3rd).responses, 1);
}

#[test]
fn demo_satisfaction_rate_matches_a_hand_count() {
    let docs = generate(&DemoConfig::default());
    let survey = Survey::from_doc(docs.iter().find(|d| d["type"] == "survey").unwrap()).unwrap();
    assert!(survey.is_satisfaction());
    assert_eq!(check(&survey), Ok(()));
    let responses: Vec<Response> = docs
        .iter()
        .filter(|d| d["type"] == "response")
        .map(|d| Response::from_doc(d).unwrap())
        .collect();
    let (mut happy, mut all) = (0, 0);
    for r in &responses {
        let v = r.answers["satisfaction"].as_str().unwrap();
        all += 1;
        happy += u64::from(v != "不满意");
        // Every demo response passes the filling screen's checks unchanged.
        assert_eq!(
            check_answers(&survey.questions, &r.answers).as_ref(),
            Ok(&r.answers)
        );
    }
    let r = results(&survey, 1, &responses, &Filter::default());
    assert_eq!(r.responses, 60);
    assert_eq!(r.satisfaction, Some((happy * 100 + all / 2) / all));
    let counted: u64 = r.questions[0].options.iter().map(|o| o.count).sum();
    assert_eq!(counted, 60);
}

#[test]
fn templates_are_valid_and_anonymous_unless_asked() {
    for t in Template::ALL {
        let s = templates::survey(t);
        assert_eq!(check(&s), Ok(()), "{t:?}");
        assert_eq!(s.status, Status::Draft);
    }
    let sat = templates::survey(Template::Satisfaction);
    assert_eq!(sat.questions[0].id, SATISFACTION_QUESTION);
    assert_eq!(sat.questions[0].options, SATISFACTION_OPTIONS);
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let doc = json!({"_id": "survey:x", "type": "survey", "title": "t", "status": "open",
        "questions": [{"id": "q1", "kind": "yes_no", "label": "?", "future": 1}], "future": true});
    let s = Survey::from_doc(&doc).unwrap();
    assert_eq!(s.version, 1);
    assert_eq!(s.to_doc()["future"], json!(true));
    assert_eq!(s.to_doc()["questions"][0]["future"], json!(1));
}
