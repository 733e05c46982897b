use super::*;
use crate::demo::{generate, DemoConfig};
use crate::time::parse_millis;
use serde_json::json;

fn station(code: &str, level: &str, parent: Option<&str>) -> StationInfo {
    StationInfo {
        code: code.into(),
        name: format!("站{code}"),
        level: level.into(),
        parent: parent.map(Into::into),
    }
}

fn doc(id: &str, station: &str, created: &str, body: Value) -> Value {
    let ty = id.split(':').next().unwrap();
    let mut d = json!({"_id": id, "type": ty, "station": station,
        "created_at": created, "updated_at": created});
    d.as_object_mut()
        .unwrap()
        .extend(body.as_object().unwrap().clone());
    d
}

/// Two villages under one township, and a station nobody registered.
fn fixture() -> (Vec<Value>, Vec<StationInfo>) {
    let (v1, v2) = ("330106001", "330106002");
    let nov = "2026-11-05T18:00:00+08:00";
    let docs = vec![
        doc(
            "activity:a1",
            v1,
            nov,
            json!({"kind": "evening_forum", "start": "2026-11-05T19:00:00+08:00",
            "end": "2026-11-05T21:00:00+08:00", "villagers_present": 40}),
        ),
        doc(
            "activity:a2",
            v1,
            nov,
            json!({"kind": "policy_talk", "start": "2026-11-30T23:30:00+08:00",
            "end": "2026-12-01T01:00:00+08:00", "villagers_present": 10}),
        ),
        // 16:30 UTC on 30 November is 00:30 on 1 December in the village.
        doc(
            "activity:a3",
            v1,
            nov,
            json!({"kind": "evening_forum", "start": "2026-11-30T16:30:00Z",
            "end": "2026-11-30T18:30:00Z", "villagers_present": 5}),
        ),
        doc(
            "attendance:a1:x",
            v1,
            nov,
            json!({"activity_id": "activity:a1",
            "check_in": "2026-11-05T18:30:00+08:00", "check_out": "2026-11-05T21:00:00+08:00"}),
        ),
        doc(
            "attendance:a1:y",
            v1,
            nov,
            json!({"activity_id": "activity:a1",
            "check_in": "2026-11-05T18:30:00+08:00"}),
        ),
        // Checked in on 30 November, but the activity is December's.
        doc(
            "attendance:a3:x",
            v1,
            nov,
            json!({"activity_id": "activity:a3",
            "check_in": "2026-11-30T23:50:00+08:00", "check_out": "2026-12-01T01:20:00+08:00"}),
        ),
        doc("concern:c1", v1, nov, json!({"status": "open"})),
        doc(
            "concern:c2",
            v1,
            nov,
            json!({"status": "rated", "rating": "satisfied",
            "resolved_at": "2026-12-02T10:00:00+08:00", "rated_at": "2026-12-03T10:00:00+08:00"}),
        ),
        doc(
            "concern:c3",
            v1,
            nov,
            json!({"status": "resolved", "_deleted": true}),
        ),
        doc(
            "activity:a4",
            v2,
            nov,
            json!({"kind": "evening_forum", "start": "2026-11-10T19:00:00+08:00",
            "end": "2026-11-10T21:00:00+08:00", "villagers_present": 60}),
        ),
        doc(
            "attendance:a4:z",
            v2,
            nov,
            json!({"activity_id": "activity:a4",
            "check_in": "2026-11-10T19:00:00+08:00", "check_out": "2026-11-10T20:00:00+08:00"}),
        ),
        doc(
            "concern:c4",
            v2,
            "2026-11-10T20:00:00+08:00",
            json!({"status": "resolved"}),
        ),
        doc("survey:s1", v2, nov, json!({"template": "satisfaction"})),
        doc("survey:s2", v2, nov, json!({"title": "其他问卷"})),
        doc(
            "response:r1",
            v2,
            nov,
            json!({"survey_id": "survey:s1", "answers": {"satisfaction": "满意"},
            "collected_at": "2026-11-11T20:00:00+08:00"}),
        ),
        doc(
            "response:r2",
            v2,
            nov,
            json!({"survey_id": "survey:s1", "answers": {"satisfaction": "不满意"},
            "collected_at": "2026-11-12T20:00:00+08:00"}),
        ),
        doc(
            "response:r3",
            v2,
            nov,
            json!({"survey_id": "survey:s1", "answers": {"satisfaction": "基本满意"},
            "collected_at": "2026-11-12T20:00:00+08:00"}),
        ),
        doc(
            "response:r4",
            v2,
            nov,
            json!({"survey_id": "survey:s2", "answers": {"satisfaction": "满意"},
            "collected_at": "2026-11-12T20:00:00+08:00"}),
        ),
        doc(
            "response:r5",
            v2,
            nov,
            json!({"survey_id": "survey:s1", "answers": {},
            "collected_at": "2026-11-12T20:00:00+08:00"}),
        ),
        doc(
            "activity:a9",
            "999",
            nov,
            json!({"kind": "evening_forum", "start": "2026-11-20T19:00:00+08:00",
            "end": "2026-11-20T21:00:00+08:00", "villagers_present": 7}),
        ),
    ];
    let mut docs = docs;
    // c4 was resolved on 20 November (no resolved_at: its updated_at counts).
    docs[11]["updated_at"] = json!("2026-11-20T09:00:00+08:00");
    let stations = vec![
        station("330106", "township", None),
        station(v1, "village", Some("330106")),
        station(v2, "village", Some("330106")),
    ];
    (docs, stations)
}

#[test]
fn hand_computed_figures_for_two_villages_under_one_township() {
    let (docs, stations) = fixture();
    let rows = rollup(&docs, &stations);
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.month.as_str(), r.code.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("2026-11", "330106"),
            ("2026-11", "330106001"),
            ("2026-11", "330106002"),
            ("2026-11", "999"),
            ("2026-12", "330106"),
            ("2026-12", "330106001"),
        ]
    );
    let v1_nov = Figures {
        activities: 2,
        forums: 1,
        villagers: 50,
        turnout: 2,
        service_minutes: 150,
        flagged: 1,
        raised: 2,
        raised_resolved: 1,
        ..Figures::default()
    };
    let v2_nov = Figures {
        activities: 1,
        forums: 1,
        villagers: 60,
        turnout: 1,
        service_minutes: 60,
        raised: 1,
        raised_resolved: 1,
        resolved: 1,
        survey_answers: 3,
        survey_satisfied: 2,
        ..Figures::default()
    };
    let township_nov = Figures {
        activities: 3,
        forums: 2,
        villagers: 110,
        turnout: 3,
        service_minutes: 210,
        flagged: 1,
        raised: 3,
        raised_resolved: 2,
        resolved: 1,
        survey_answers: 3,
        survey_satisfied: 2,
        ..Figures::default()
    };
    let v1_dec = Figures {
        activities: 1,
        forums: 1,
        villagers: 5,
        turnout: 1,
        service_minutes: 90,
        resolved: 1,
        satisfied: 1,
        ..Figures::default()
    };
    assert_eq!(rows[0].figures, township_nov);
    assert_eq!(rows[0].level, "township");
    assert_eq!(rows[1].figures, v1_nov);
    assert_eq!(rows[2].figures, v2_nov);
    assert_eq!((rows[3].level.as_str(), rows[3].name.as_str()), ("", "999"));
    assert_eq!(rows[3].figures.villagers, 7);
    assert_eq!(rows[4].figures, v1_dec);
    assert_eq!(rows[5].figures, v1_dec);
    assert_eq!(township_nov.resolution_percent(), Some(67));
    assert_eq!(township_nov.survey_percent(), Some(67));
    assert_eq!(township_nov.service_hours(), 3.5);
    assert_eq!(v1_dec.rating_percent(), Some(100));
    assert_eq!(v1_nov.rating_percent(), None);
}

#[test]
fn the_csv_has_a_bom_chinese_headers_and_one_line_per_row() {
    let (docs, stations) = fixture();
    let text = to_csv(&rollup(&docs, &stations));
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 7);
    assert!(lines[0]
        .starts_with("月份,级别,单位代码,单位,场次,活动总数,受众人次,志愿者人次,服务时长(小时)"));
    assert_eq!(
        lines[1],
        "2026-11,乡镇,330106,站330106,2,3,110,3,3.5,1,3,1,67%,0,0,0,,67%,0,0,0,0,0"
    );
}

#[test]
fn a_cycle_in_the_station_list_does_not_loop() {
    let stations = vec![
        station("a", "village", Some("b")),
        station("b", "township", Some("a")),
    ];
    let docs = vec![doc(
        "activity:x",
        "a",
        "2026-11-01T08:00:00+08:00",
        json!({"kind": "evening_forum", "start": "2026-11-01T19:00:00+08:00", "villagers_present": 3}),
    )];
    let rows = rollup(&docs, &stations);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.figures.villagers == 3));
}

/// A year of a station as the demo generator makes it, unmarked and with ids of its own
/// (what a real station's data looks like to the count); its survey is the satisfaction
/// template.
fn demo_with_satisfaction() -> Vec<Value> {
    let docs = generate(&DemoConfig {
        seed: 7,
        marked: false,
        ..DemoConfig::default()
    });
    assert!(docs.iter().any(|d| d["template"] == "satisfaction"));
    docs
}

#[test]
fn demo_data_matches_a_straightforward_count() {
    let docs = demo_with_satisfaction();
    let stations = vec![
        station("330106", "township", None),
        station("330106001", "village", Some("330106")),
    ];
    let rows = rollup(&docs, &stations);
    // The same figures by a plain loop over every month the demo data touches.
    let month = |s: &Value| s.as_str().unwrap()[..7].to_owned();
    let mut months: Vec<String> = docs
        .iter()
        .filter_map(|d| d.get("start").map(month))
        .collect();
    months.sort();
    months.dedup();
    assert!(months.len() >= 12);
    let mut total_forums = 0;
    for m in &months {
        let mut want = Figures::default();
        for a in docs.iter().filter(|d| d["type"] == "activity") {
            if month(&a["start"]) != *m {
                continue;
            }
            want.activities += 1;
            want.forums += u64::from(a["kind"] == "evening_forum");
            want.villagers += a["villagers_present"].as_u64().unwrap();
            for t in docs
                .iter()
                .filter(|d| d["activity_id"] == a["_id"] && d["type"] == "attendance")
            {
                want.turnout += 1;
                let ms = |k: &str| parse_millis(t[k].as_str().unwrap()).unwrap();
                want.service_minutes += ((ms("check_out") - ms("check_in")) / 60_000) as u64;
            }
        }
        for c in docs.iter().filter(|d| d["type"] == "concern") {
            let done = c["status"] == "resolved" || c["status"] == "rated";
            if month(&c["created_at"]) == *m {
                want.raised += 1;
                want.raised_resolved += u64::from(done);
            }
            if done && month(&c["resolved_at"]) == *m {
                want.resolved += 1;
                match c["rating"].as_str() {
                    Some("satisfied") => want.satisfied += 1,
                    Some("basically_satisfied") => want.basically_satisfied += 1,
                    Some("unsatisfied") => want.unsatisfied += 1,
                    _ => {}
                }
            }
        }
        for r in docs.iter().filter(|d| d["type"] == "response") {
            if month(&r["collected_at"]) == *m {
                want.survey_answers += 1;
                let verdict = r["answers"]["satisfaction"].as_str().unwrap();
                want.survey_satisfied += u64::from(verdict == "满意" || verdict == "基本满意");
            }
        }
        total_forums += want.forums;
        let got: Vec<&Row> = rows.iter().filter(|r| &r.month == m).collect();
        assert_eq!(got.len(), 2, "{m}: township and village");
        for r in got {
            assert_eq!(r.figures, want, "{m} {}", r.code);
        }
    }
    assert_eq!(total_forums, 80);
}

#[test]
fn demo_data_is_left_out_of_every_figure_and_counted_apart() {
    let real = demo_with_satisfaction();
    let demo = generate(&DemoConfig::default());
    let stations = vec![
        station("330106", "township", None),
        station("330106001", "village", Some("330106")),
    ];
    let alone = rollup(&real, &stations);
    let both: Vec<Value> = real.iter().chain(&demo).cloned().collect();
    let mixed = rollup(&both, &stations);
    let mut left_out = 0;
    for m in &mixed {
        // Months only the demo data touches have rows of zeros beside the demo count.
        let a = alone
            .iter()
            .find(|a| (&a.month, &a.code) == (&m.month, &m.code))
            .map_or_else(Figures::default, |a| a.figures);
        assert_eq!(a.demo, 0);
        let counted = Figures {
            demo: 0,
            ..m.figures
        };
        assert_eq!(counted, a, "{} {}", m.month, m.code);
        if m.code == "330106001" {
            left_out += m.figures.demo;
        }
    }
    assert_eq!(
        left_out,
        demo.len() as u64,
        "every demo document counted apart once"
    );
    assert_eq!(cells(&mixed[0]).len(), HEADERS.len());
    assert_eq!(
        cells(&mixed[0]).last(),
        Some(&mixed[0].figures.demo.to_string())
    );

    // A training store counts its demo data as work.
    let training = per_station_month(&demo, Demo::Count);
    let forums: u64 = training.values().map(|f| f.forums).sum();
    assert_eq!(forums, 80);
    assert!(training.values().all(|f| f.demo == 0));
}

#[test]
fn points_earned_and_redeemed_count_per_station_and_month_under_each_stations_rules() {
    // A two-hour forum at `station` that volunteer `n` served from start to end.
    let served = |station: &str, n: u32| {
        let (start, end) = ("2026-11-10T19:00:00+08:00", "2026-11-10T21:00:00+08:00");
        [
            json!({"_id": format!("activity:{n}"), "type": "activity", "station": station,
                "start": start, "end": end}),
            json!({"_id": format!("attendance:{n}"), "type": "attendance", "station": station,
                "activity_id": format!("activity:{n}"), "volunteer_id": format!("volunteer:{n}"),
                "check_in": start, "check_out": end}),
        ]
    };
    let mut docs = vec![
        json!({"_id": "points_rules:1", "type": "points_rules", "station": "330106001",
            "from": "2026-01-01", "per_attendance": 5, "per_hour": 10}),
        json!({"_id": "redemption:1", "type": "redemption", "station": "330106001",
            "volunteer_id": "volunteer:1", "item_id": "shop_item:1", "quantity": 1, "points": 10,
            "at": "2026-12-01T09:00:00+08:00"}),
    ];
    docs.extend(served("330106001", 1));
    // Another station without rules earns nothing for the same service.
    docs.extend(served("330106002", 2));
    let stations = vec![
        station("330106", "township", None),
        station("330106001", "village", Some("330106")),
        station("330106002", "village", Some("330106")),
    ];
    let rows = rollup(&docs, &stations);
    let fig = |m: &str, c: &str| {
        rows.iter()
            .find(|r| r.month == m && r.code == c)
            .map(|r| r.figures)
    };
    assert_eq!(fig("2026-11", "330106001").unwrap().points_earned, 25);
    assert_eq!(fig("2026-11", "330106002").unwrap().points_earned, 0);
    assert_eq!(fig("2026-11", "330106").unwrap().points_earned, 25);
    assert_eq!(fig("2026-12", "330106001").unwrap().points_redeemed, 10);
    assert_eq!(fig("2026-12", "330106").unwrap().points_redeemed, 10);
}

#[test]
fn an_activity_with_photos_counts_once_in_its_own_month_and_station() {
    let (v1, nov) = ("330106001", "2026-11-05T18:00:00+08:00");
    let act = |id: &str, start: &str| {
        doc(
            id,
            v1,
            nov,
            json!({"kind": "evening_forum", "start": start,
            "end": "2026-12-31T23:00:00+08:00", "villagers_present": 1}),
        )
    };
    let photo = |id: &str, of: Value, created: &str| {
        let mut body = json!({"taken_at": created});
        body.as_object_mut()
            .unwrap()
            .extend(of.as_object().unwrap().clone());
        // A photo filed under another station still counts for its activity's station.
        doc(id, "330106099", created, body)
    };
    let docs = vec![
        act("activity:nov", "2026-11-05T19:00:00+08:00"),
        act("activity:dec", "2026-12-02T19:00:00+08:00"),
        act("activity:none", "2026-11-06T19:00:00+08:00"),
        // Three photos of one November forum, taken into December: counted once, in November.
        photo("photo:1", json!({"activity_id": "activity:nov"}), nov),
        photo(
            "photo:2",
            json!({"activity_id": "activity:nov"}),
            "2026-12-01T08:00:00+08:00",
        ),
        photo("photo:3", json!({"activity_id": "activity:nov"}), nov),
        // A deleted photo, a demo photo, a concern's photo and an unknown activity: nothing.
        json!({"_id": "photo:4", "type": "photo", "_deleted": true, "activity_id": "activity:dec"}),
        {
            let mut d = photo("photo:5", json!({"activity_id": "activity:dec"}), nov);
            d["demo"] = json!(true);
            d
        },
        photo("photo:6", json!({"concern_id": "concern:x"}), nov),
        photo("photo:7", json!({"activity_id": "activity:gone"}), nov),
    ];
    let stations = [
        station(v1, "village", Some("330106")),
        station("330106", "township", None),
    ];
    let rows = rollup(&docs, &stations);
    let fig = |month: &str, code: &str| {
        rows.iter()
            .find(|r| r.month == month && r.code == code)
            .map(|r| r.figures)
            .unwrap_or_default()
    };
    assert_eq!(fig("2026-11", v1).activities, 2);
    assert_eq!(fig("2026-11", v1).activities_with_photos, 1);
    assert_eq!(
        fig("2026-11", "330106").activities_with_photos,
        1,
        "summed up once"
    );
    assert_eq!(fig("2026-12", v1).activities_with_photos, 0);
    assert_eq!(fig("2026-11", "330106099").activities_with_photos, 0);
    assert_eq!(fig("2026-11", "330106099").demo, 1);
    let header = HEADERS.iter().position(|h| *h == "有照片的活动").unwrap();
    let nov_row = rows
        .iter()
        .find(|r| r.month == "2026-11" && r.code == v1)
        .unwrap();
    assert_eq!(cells(nov_row)[header], "1");
}

#[test]
fn an_approved_activity_counts_as_reviewed_only_at_the_revision_approved() {
    let (v1, nov) = ("330106001", "2026-11-05T18:00:00+08:00");
    let act = |id: &str, rev: &str| {
        let mut d = doc(
            id,
            v1,
            nov,
            json!({"kind": "evening_forum", "start": "2026-11-05T19:00:00+08:00",
            "end": "2026-11-05T21:00:00+08:00", "villagers_present": 1}),
        );
        d["_rev"] = json!(rev);
        d
    };
    let review = |act: &str, rev: &str, verdict: &str| {
        doc(
            &format!("review:{act}"),
            v1,
            "2026-12-03T09:00:00+08:00",
            json!({"activity": act, "activity_rev": rev, "verdict": verdict,
            "reason": "x", "by": "zhen", "at": "2026-12-03T09:00:00+08:00"}),
        )
    };
    let docs = vec![
        act("activity:ok", "2-a"),
        review("activity:ok", "2-a", "approved"),
        // Approved, then edited by the cadre: 待审核 again, not counted.
        act("activity:edited", "3-b"),
        review("activity:edited", "2-b", "approved"),
        act("activity:returned", "1-c"),
        review("activity:returned", "1-c", "returned"),
        act("activity:none", "1-d"),
        // A review of an activity not in the data counts nowhere.
        review("activity:gone", "1-e", "approved"),
    ];
    let stations = [
        station(v1, "village", Some("330106")),
        station("330106", "township", None),
    ];
    let rows = rollup(&docs, &stations);
    let fig = |code: &str| {
        rows.iter()
            .find(|r| r.month == "2026-11" && r.code == code)
            .map(|r| r.figures)
            .unwrap()
    };
    assert_eq!((fig(v1).activities, fig(v1).reviewed), (4, 1));
    assert_eq!(fig("330106").reviewed, 1, "summed up once");
    assert!(
        rows.iter().all(|r| r.month == "2026-11"),
        "reviews count in no month"
    );
    let header = HEADERS.iter().position(|h| *h == "已审核活动").unwrap();
    let row = rows.iter().find(|r| r.code == v1).unwrap();
    assert_eq!(cells(row)[header], "1");
}
