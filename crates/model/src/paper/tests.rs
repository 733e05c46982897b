use super::hours::{volunteer_number, NumberError, HEADER, LEFT_OUT};
use super::mask::{has_phone, mask_name, scrub_phones};
use super::month::notice_period;
use super::stamp::{verify, Kind, Stamp, StampError, Verdict};
use super::*;
use crate::demo::{generate, DemoConfig};
use crate::rollup::{rollup, StationInfo};
use serde_json::{json, Value};

const ST: &str = "330106001";

/// A small hand-made month: one forum with three volunteers (2 h, 1.5 h, and a missing
/// check-out), one concern resolved in the month, one volunteer with a number.
fn small() -> Vec<Value> {
    let base = |id: &str, ty: &str| {
        json!({"_id": id, "type": ty, "station": ST, "created_at": "2026-11-01T10:00:00+08:00",
            "updated_at": "2026-11-01T10:00:00+08:00", "created_by": "王书记"})
    };
    let mut docs = Vec::new();
    let mut a = base("activity:1", "activity");
    a.as_object_mut().unwrap().extend(
        json!({"kind": "evening_forum", "title": "村夜话·秋收", "place": "文化广场",
            "host": "王书记", "start": "2026-11-22T19:00:00+08:00",
            "end": "2026-11-22T21:00:00+08:00", "villagers_present": 42, "teams": ["team:1"],
            "agenda": crate::Segment::forum_agenda(), "notes": "顺利"})
        .as_object()
        .unwrap()
        .clone(),
    );
    docs.push(a);
    let mut t = base("team:1", "team");
    t["name"] = json!("农技服务队");
    docs.push(t);
    for (i, name, number) in [
        (1, "王建国", "44030012345678"),
        (2, "欧阳明华", ""),
        (3, "李四", ""),
    ] {
        let mut v = base(&format!("volunteer:{i}"), "volunteer");
        v["name"] = json!(name);
        v["phone"] = json!(format!("1381234567{i}"));
        if !number.is_empty() {
            v["volunteer_number"] = json!(number);
        }
        docs.push(v);
    }
    let att = |v: u32, out: Option<&str>| {
        let mut x = base(
            &format!("attendance:activity:1:volunteer:{v}"),
            "attendance",
        );
        x["activity_id"] = json!("activity:1");
        x["volunteer_id"] = json!(format!("volunteer:{v}"));
        x["role"] = json!("service");
        x["check_in"] = json!("2026-11-22T19:00:00+08:00");
        if let Some(o) = out {
            x["check_out"] = json!(o);
        }
        x
    };
    docs.push(att(1, Some("2026-11-22T21:00:00+08:00")));
    docs.push(att(2, Some("2026-11-22T20:30:00+08:00")));
    docs.push(att(3, None));
    let mut c = base("concern:1", "concern");
    c.as_object_mut().unwrap().extend(
        json!({"activity_id": "activity:1", "text": "路灯坏了，请打13912345678",
            "category": "infrastructure", "status": "rated", "villager": "张小红",
            "assigned_team": "team:1", "resolution": "已修好", "resolved_at":
            "2026-11-25T10:00:00+08:00", "rating": "satisfied"})
        .as_object()
        .unwrap()
        .clone(),
    );
    docs.push(c);
    docs
}

#[test]
fn names_are_masked_by_the_rules() {
    for (name, masked) in [
        ("王明", "王*"),
        ("王小明", "王*明"),
        ("王小明华", "王**华"),
        ("欧阳明", "欧阳*"),
        ("欧阳明华", "欧阳*华"),
        ("司马光", "司马*"),
        ("诸葛亮", "诸葛*"),
        ("欧阳", "欧*"),
        ("王", "王*"),
        (" 李四 ", "李*"),
        ("", ""),
    ] {
        assert_eq!(mask_name(name), masked, "{name}");
    }
}

#[test]
fn telephone_numbers_are_starred_and_dates_stay() {
    assert_eq!(scrub_phones("请打13912345678"), "请打***********");
    assert_eq!(scrub_phones("138 1234 5678 找我"), "*** **** **** 找我");
    assert_eq!(scrub_phones("座机0571-8888888"), "座机****-*******");
    assert_eq!(
        scrub_phones("2026-11-22 修好3盏灯，花费120元"),
        "2026-11-22 修好3盏灯，花费120元"
    );
    assert!(has_phone("13912345678") && !has_phone("第3组 12户"));
}

#[test]
fn the_ledger_cover_is_rollup_for_the_same_data() {
    let docs = generate(&station_year());
    let lib = Library::new(&docs);
    let own = StationInfo {
        code: ST.into(),
        name: "示范村".into(),
        level: "village".into(),
        parent: None,
    };
    let rows = rollup(&docs, &[own]);
    assert!(rows.len() > 3);
    for r in rows.iter().filter(|r| r.code == ST) {
        let ledger = lib
            .ledger(&docs, ST, &r.month)
            .expect("a month with figures");
        assert_eq!(ledger.cover, r.figures, "{}", r.month);
        assert_eq!(ledger.records.len(), ledger.table.len());
        assert_eq!(ledger.table.len() as u64, r.figures.activities);
    }
    assert!(lib.ledger(&docs, ST, "1999-01").is_none());
}

#[test]
fn a_forum_record_prints_every_part_and_counted_hours() {
    let docs = small();
    let r = Library::new(&docs).forum("activity:1").unwrap();
    assert_eq!(r.agenda.len(), 4);
    assert_eq!(r.teams, ["农技服务队"]);
    assert_eq!(r.volunteers.len(), 3);
    assert_eq!(r.counted_minutes, 210);
    assert_eq!(r.hours(), "3.5");
    let flagged = r.volunteers.iter().find(|v| v.name == "李四").unwrap();
    assert!(!flagged.counted && flagged.check_out.is_empty());
    assert_eq!(r.concerns[0].team, "农技服务队");
    assert_eq!(
        (r.info.date.as_str(), r.info.start.as_str()),
        ("2026-11-22", "19:00")
    );
    assert_eq!(r.satisfaction_figure(), "-");
}

#[test]
fn a_forum_stamp_changes_with_what_is_printed_and_only_then() {
    let docs = small();
    let printed = Library::new(&docs).forum("activity:1").unwrap();
    let stamp = printed.stamp("2026-11-23T09:15:00+08:00");
    let again = |docs: &[Value]| {
        Library::new(docs)
            .forum("activity:1")
            .unwrap()
            .stamp("2026-11-24T10:00:00+08:00")
    };
    // Same data, later print: the parts are the same, only the time differs.
    assert_eq!(again(&docs).parts, stamp.parts);
    // A field the page does not print, and updated_at, change nothing.
    let mut quiet = docs.clone();
    quiet[0]["updated_at"] = json!("2026-11-30T10:00:00+08:00");
    quiet[0]["from_the_future"] = json!(1);
    quiet[2]["phone"] = json!("13800000000");
    assert_eq!(again(&quiet).parts, stamp.parts);
    assert_eq!(verify(&stamp, Some(&again(&quiet).parts)), Verdict::Same);
    // Each printed change moves its own part.
    let changed = |f: &dyn Fn(&mut Vec<Value>), keys: &[&str]| {
        let mut d = docs.clone();
        f(&mut d);
        let now = again(&d).parts;
        match verify(&stamp, Some(&now)) {
            Verdict::Changed(diffs) => {
                assert_eq!(diffs.iter().map(|x| x.key).collect::<Vec<_>>(), keys)
            }
            v => panic!("{keys:?}: {v:?}"),
        }
    };
    changed(&|d| d[0]["title"] = json!("村夜话·冬储"), &["info"]);
    changed(
        &|d| d[0]["agenda"][1]["speaker"] = json!("李医生"),
        &["agenda"],
    );
    changed(
        &|d| d[1]["name"] = json!("水利服务队"),
        &["teams", "concerns"],
    );
    changed(&|d| d[2]["name"] = json!("王建军"), &["volunteers"]);
    changed(&|d| d[8]["status"] = json!("resolved"), &["concerns"]);
    // Confirming the missing check-out changes the volunteers and the hours.
    let mut d = docs.clone();
    d[7]["end_confirmed"] = json!(true);
    let Verdict::Changed(diffs) = verify(&stamp, Some(&again(&d).parts)) else {
        panic!()
    };
    let hours = diffs.iter().find(|x| x.key == "hours").unwrap();
    assert_eq!(
        (hours.printed.as_str(), hours.now.as_deref(), hours.figure),
        ("3.5", Some("5.5"), true)
    );
    assert_eq!(verify(&stamp, None), Verdict::Unknown);
}

#[test]
fn the_payload_reads_back_and_refuses_what_is_not_ours() {
    let docs = small();
    let lib = Library::new(&docs);
    let stamps = [
        lib.forum("activity:1")
            .unwrap()
            .stamp("2026-11-23T09:15:00+08:00"),
        lib.ledger(&docs, ST, "2026-11")
            .unwrap()
            .stamp("2026-11-30T18:00:00+08:00"),
        lib.notice(ST, "2026-11")
            .unwrap()
            .stamp("2026-11-30T18:00:00+08:00"),
        lib.certificate("volunteer:1", "2026-01-01", "2026-12-31")
            .unwrap()
            .stamp("2026-12-01T08:00:00+08:00"),
    ];
    for st in &stamps {
        let text = st.encode();
        assert!(text.len() < 200, "{text}");
        let back = Stamp::decode(&text).unwrap();
        assert_eq!(&back, st);
        assert_eq!(
            current_parts(&lib, &docs, &back).as_deref(),
            Some(st.parts.as_slice())
        );
        assert!(crate::qr::encode(&text).is_ok());
    }
    assert_eq!(stamps[0].printed_at, "202611230915");
    assert_eq!(stamp::readable_time("202611230915"), "2026-11-23 09:15");
    assert_eq!(
        Stamp::decode("yehua:v1:volunteer:1"),
        Err(StampError::Foreign)
    );
    assert_eq!(
        Stamp::decode("yehua:p1|x|a|202611230915|hours=1"),
        Err(StampError::Malformed)
    );
    assert_eq!(
        Stamp::decode("yehua:p1|f|a|202611230915|nope=1"),
        Err(StampError::Malformed)
    );
    assert_eq!(
        Stamp::decode("yehua:p1|f|a|2026|hours=1"),
        Err(StampError::Malformed)
    );
    let gone = Stamp::decode("yehua:p1|f|activity:9|202611230915|hours=1.0").unwrap();
    assert_eq!(gone.kind, Kind::Forum);
    assert_eq!(current_parts(&lib, &docs, &gone), None);
}

#[test]
fn the_notice_masks_villagers_and_shows_no_phone_number() {
    let docs = small();
    let n = Library::new(&docs).notice(ST, "2026-11").unwrap();
    assert_eq!(n.concerns.len(), 1);
    assert_eq!(n.concerns[0].villager, "张*红");
    assert_eq!(n.concerns[0].team, "农技服务队");
    assert!(!has_phone(&n.concerns[0].text), "{}", n.concerns[0].text);
    let names: Vec<&str> = n.volunteers.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["王建国", "欧阳明华"],
        "flagged time leaves 李四 out"
    );
    assert_eq!(n.total_minutes(), 210);
    assert_eq!(Library::new(&docs).notice(ST, "2026-10"), None);
    // Every concern of the demo: no phone number survives anywhere on the notice.
    let demo = generate(&station_year());
    let lib = Library::new(&demo);
    for month in ["2026-09", "2026-10", "2026-11"] {
        if let Some(n) = lib.notice(ST, month) {
            for c in &n.concerns {
                assert!(!has_phone(&c.text) && !has_phone(&c.result));
                assert!(c.villager.is_empty() || c.villager.contains('*'));
            }
        }
    }
}

#[test]
fn the_notice_period_counts_working_days() {
    // 2026-11-20 is a Friday: Friday, Monday, Tuesday.
    assert_eq!(
        notice_period("2026-11-20", 3),
        Some(("2026-11-20".into(), "2026-11-24".into()))
    );
    // From a Saturday: Monday to Wednesday.
    assert_eq!(
        notice_period("2026-11-21", 3),
        Some(("2026-11-21".into(), "2026-11-25".into()))
    );
    assert_eq!(
        notice_period("2026-11-23", 1),
        Some(("2026-11-23".into(), "2026-11-23".into()))
    );
    assert_eq!(notice_period("2026-02-30", 3), None);
}

#[test]
fn a_certificate_holds_counted_time_in_its_period() {
    let docs = small();
    let lib = Library::new(&docs);
    let c = lib
        .certificate("volunteer:1", "2026-11-01", "2026-11-30")
        .unwrap();
    assert_eq!(c.person.number, "44030012345678");
    assert_eq!(c.entries.len(), 1);
    assert_eq!(
        (c.entries[0].minutes, c.entries[0].title.as_str()),
        (120, "村夜话·秋收")
    );
    let flagged = lib
        .certificate("volunteer:3", "2026-11-01", "2026-11-30")
        .unwrap();
    assert!(
        flagged.entries.is_empty(),
        "a missing check-out is not certified"
    );
    let outside = lib
        .certificate("volunteer:1", "2026-12-01", "2026-12-31")
        .unwrap();
    assert!(outside.entries.is_empty());
    assert!(lib
        .certificate("volunteer:9", "2026-01-01", "2026-12-31")
        .is_none());
    assert_eq!(
        certificate::parse_subject("volunteer:1/2026-11-01/2026-11-30"),
        Some(("volunteer:1", "2026-11-01", "2026-11-30"))
    );
}

#[test]
fn the_hours_csv_matches_a_hand_count() {
    let docs = small();
    let csv =
        Library::new(&docs).hours_csv(ST, "2026-11-01", "2026-11-30", "示范村新时代文明实践站");
    assert!(csv.starts_with('\u{feff}'), "BOM");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(lines[0], HEADER.join(","));
    assert_eq!(
        lines[1],
        "欧阳明华,,村夜话·秋收,2026-11-22,19:00,20:30,1.5,示范村新时代文明实践站"
    );
    assert_eq!(
        lines[2],
        "王建国,44030012345678,村夜话·秋收,2026-11-22,19:00,21:00,2.0,示范村新时代文明实践站"
    );
    assert_eq!(lines[3], "");
    assert_eq!(lines[4], LEFT_OUT);
    assert_eq!(
        lines[5],
        "李四,,村夜话·秋收,2026-11-22,19:00,,不计入,示范村新时代文明实践站"
    );
    assert_eq!(lines.len(), 7, "and the final CRLF");
    // Hand count: 2.0 + 1.5 counted; 李四's flagged two hours are not in any counted row.
    let counted: f64 = lines[1..3]
        .iter()
        .map(|l| l.split(',').nth(6).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(counted, 3.5);
    let empty = Library::new(&docs).hours_csv(ST, "2026-12-01", "2026-12-31", "站");
    assert_eq!(
        empty.trim_start_matches('\u{feff}'),
        format!("{}\r\n", HEADER.join(","))
    );
}

#[test]
fn volunteer_numbers_are_optional_digits_of_the_right_length() {
    assert_eq!(volunteer_number(""), Ok(None));
    assert_eq!(volunteer_number("  "), Ok(None));
    assert_eq!(
        volunteer_number("4403 0012-3456 78"),
        Ok(Some("44030012345678".into()))
    );
    assert_eq!(volunteer_number("12345678"), Ok(Some("12345678".into())));
    assert_eq!(volunteer_number("1234567"), Err(NumberError::Length(7)));
    assert_eq!(
        volunteer_number(&"1".repeat(21)),
        Err(NumberError::Length(21))
    );
    assert_eq!(
        volunteer_number("4403A0012345"),
        Err(NumberError::NotDigits)
    );
    assert!(NumberError::Length(7).zh().contains("7"));
}

/// A station's year as the demo generator makes it, unmarked (real work to the count).
fn station_year() -> DemoConfig {
    DemoConfig {
        marked: false,
        seed: 7,
        ..DemoConfig::default()
    }
}

#[test]
fn a_stamp_subject_is_named_not_shown_as_an_id() {
    use super::stamp::{Kind, Stamp};
    let docs = vec![
        json!({"_id": "activity:1", "type": "activity", "title": "村夜话·秋收"}),
        json!({"_id": "volunteer:1", "type": "volunteer", "name": "王建国"}),
    ];
    let lib = Library::new(&docs);
    let st = |kind, subject: &str| Stamp {
        kind,
        subject: subject.into(),
        printed_at: String::new(),
        parts: Vec::new(),
    };
    let title = |kind, subject| subject_title(&lib, &st(kind, subject));
    assert_eq!(
        title(Kind::Forum, "activity:1").as_deref(),
        Some("村夜话·秋收")
    );
    assert_eq!(
        title(Kind::PointsBook, "volunteer:1").as_deref(),
        Some("王建国")
    );
    assert_eq!(
        title(Kind::Certificate, "volunteer:1/2026-01-01/2026-11-30").as_deref(),
        Some("王建国 2026-01-01–2026-11-30")
    );
    assert_eq!(
        title(Kind::Ledger, "330106001/2026-11").as_deref(),
        Some("330106001 2026-11")
    );
    assert_eq!(title(Kind::Forum, "activity:9"), None);
}
