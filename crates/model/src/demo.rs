//! A deterministic demo data set: a year of a village station's forums, with teams,
//! volunteers, attendance, concerns at every stage, and a survey with responses.
//! Same config, same documents, byte for byte (a seeded splitmix64, no clock), so tests
//! and benchmarks can rely on it. Owns data generation only; never stores anything.
//!
//! Demo data must never count as a station's work. Every generated document carries the
//! marker `"demo": true` ([`DEMO_MARKER`]) unless a config turns it off (the test seed
//! files, which stand for a real station's year). Documents an earlier build generated
//! carry no marker, but that button always used the default seed, counts and end date,
//! whose ids do not depend on the station or the cadre: [`is_demo`] recognises them by id
//! ([`legacy_ids`]), so a phone can offer to remove them and the dashboard leaves them out.

use crate::doc::{ActivityKind, ConcernCategory, ConcernStatus, Segment};
use crate::id::{attendance_id, new_id, uuid_v7, DocType};
use crate::survey::templates::{self, Template};
use crate::survey::{Status, SATISFACTION_QUESTION};
use crate::time::rfc3339_cst;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The field that marks a generated document: `"demo": true`.
pub const DEMO_MARKER: &str = "demo";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// PRNG seed.
    pub seed: u64,
    /// Station code every document belongs to.
    pub station: String,
    /// `created_by` on every document.
    pub cadre: String,
    /// Number of activities (about two thirds are evening forums).
    pub activities: usize,
    /// Number of volunteers.
    pub volunteers: usize,
    /// Number of survey responses.
    pub responses: usize,
    /// The latest activity starts this many Unix milliseconds (the data set's "now").
    pub until_millis: i64,
    /// Whether every document carries [`DEMO_MARKER`] (off only for test seed files).
    pub marked: bool,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 2026,
            station: "330106001".into(),
            cadre: "示范村书记".into(),
            activities: 120,
            volunteers: 40,
            responses: 60,
            // 2026-11-20T12:00:00Z.
            until_millis: 1_795_176_000_000,
            marked: true,
        }
    }
}

/// splitmix64: tiny, fast, good enough to pick names (and for tests that want
/// reproducible random data).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn bytes(&mut self) -> [u8; 10] {
        let (a, b) = (self.next_u64().to_le_bytes(), self.next_u64().to_le_bytes());
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "胡",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "志强", "海燕", "红梅", "德明", "春生", "丽华", "永福", "晓东", "玉珍",
];
const TEAMS: &[(&str, &str)] = &[
    ("党员先锋志愿服务队", "policy"),
    ("农技服务队", "agritech"),
    ("乡村医生服务队", "medical"),
    ("文艺宣传队", "arts"),
    ("平安巡逻队", "legal"),
];
const TOPICS: &[&str] = &[
    "秋收秋种",
    "冬季防火",
    "医保缴费",
    "垃圾分类",
    "移风易俗",
    "乡村振兴",
    "反诈宣传",
    "养老服务",
];
const PLACES: &[&str] = &[
    "村文化广场",
    "村委会议室",
    "祠堂前空地",
    "村小学操场",
    "老年活动中心",
];
const CONCERNS: &[(&str, ConcernCategory)] = &[
    (
        "村口路灯坏了，晚上看不清路",
        ConcernCategory::Infrastructure,
    ),
    ("想学电商卖自家茶叶", ConcernCategory::Employment),
    ("柑橘黄龙病怎么防治", ConcernCategory::Agritech),
    ("老人看病报销手续不清楚", ConcernCategory::Medical),
    ("孩子放学后没人照看", ConcernCategory::Education),
    ("独居老人吃饭难", ConcernCategory::Elderly),
    ("邻里宅基地边界有争议", ConcernCategory::Dispute),
    ("新农合缴费标准是多少", ConcernCategory::Policy),
];

fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// The generator's running state: rng, clock and the fields every document shares.
struct Gen<'a> {
    cfg: &'a DemoConfig,
    rng: Rng,
    docs: Vec<Value>,
}

impl Gen<'_> {
    /// A new document of `ty` created at `millis`, with the common fields filled in.
    fn doc(&mut self, ty: DocType, millis: i64, id: Option<String>, body: Value) -> String {
        let id = id.unwrap_or_else(|| new_id(ty, uuid_v7(millis.max(0) as u64, self.rng.bytes())));
        let at = rfc3339_cst(millis).unwrap_or_default();
        let mut doc = json!({"_id": id, "type": ty.as_str(), "station": self.cfg.station,
            "created_at": at, "updated_at": at, "created_by": self.cfg.cadre});
        if let (Some(d), Value::Object(b)) = (doc.as_object_mut(), body) {
            d.extend(b);
            if self.cfg.marked {
                d.insert(DEMO_MARKER.into(), Value::Bool(true));
            }
        }
        self.docs.push(doc);
        id
    }
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The ids of the data set the demo button wrote before documents were marked (the
/// default config: the same ids whatever the station and cadre), in the order written.
fn legacy_order() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        generate(&DemoConfig::default())
            .iter()
            .filter_map(|d| d["_id"].as_str().map(str::to_owned))
            .collect()
    })
}

/// The ids of the data set the unmarked demo button wrote (see [`legacy_order`]).
pub fn legacy_ids() -> &'static HashSet<String> {
    static IDS: OnceLock<HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| legacy_order().iter().cloned().collect())
}

/// The first documents the unmarked demo button wrote: its teams. It wrote the whole set
/// in one transaction, so a store that holds none of these (live or deleted) holds none
/// of the set, and the rest need not be looked for.
pub fn legacy_sample() -> &'static [String] {
    &legacy_order()[..TEAMS.len()]
}

/// Whether `doc` is demo data: it carries the marker, or its id is one the unmarked demo
/// button wrote.
pub fn is_demo(doc: &Value) -> bool {
    doc.get(DEMO_MARKER) == Some(&Value::Bool(true))
        || doc
            .get("_id")
            .and_then(Value::as_str)
            .is_some_and(|id| legacy_ids().contains(id))
}

/// Generates the demo documents, parents before children.
pub fn generate(cfg: &DemoConfig) -> Vec<Value> {
    let mut g = Gen {
        cfg,
        rng: Rng(cfg.seed),
        docs: Vec::new(),
    };
    let origin = cfg.until_millis - 400 * DAY;
    let teams: Vec<String> = TEAMS
        .iter()
        .map(|(team, specialty)| {
            let leader = name(&mut g.rng);
            g.doc(
                DocType::Team,
                origin,
                None,
                json!({"name": team, "specialty": specialty, "leader": leader}),
            )
        })
        .collect();
    let volunteers: Vec<String> = (0..cfg.volunteers)
        .map(|i| {
            let (n, team) = (name(&mut g.rng), teams[i % teams.len()].clone());
            let phone = format!("13{:09}", g.rng.next_u64() % 1_000_000_000);
            let body = json!({"name": n, "phone": phone, "teams": [team], "skills": [],
                "party_member": i % 3 == 0, "active": true});
            g.doc(DocType::Volunteer, origin + i as i64 * 1000, None, body)
        })
        .collect();
    let step = 365 * DAY / cfg.activities.max(1) as i64;
    for i in 0..cfg.activities {
        let start = cfg.until_millis - (cfg.activities - 1 - i) as i64 * step;
        activity(&mut g, start, i, &teams, &volunteers);
    }
    survey(&mut g, cfg.until_millis - 30 * DAY);
    g.docs
}

fn activity(g: &mut Gen, start: i64, i: usize, teams: &[String], volunteers: &[String]) {
    let kind = match i % 6 {
        0..=3 => ActivityKind::EveningForum,
        4 => ActivityKind::PolicyTalk,
        _ => *g.rng.pick(&[
            ActivityKind::Service,
            ActivityKind::Culture,
            ActivityKind::Other,
        ]),
    };
    let topic = *g.rng.pick(TOPICS);
    let title = match kind {
        ActivityKind::EveningForum => format!("村夜话·{topic}"),
        _ => format!("{topic}活动"),
    };
    let mut agenda = if kind == ActivityKind::EveningForum {
        Segment::forum_agenda()
    } else {
        Vec::new()
    };
    for s in &mut agenda {
        s.speaker = name(&mut g.rng);
    }
    let team = teams[g.rng.below(teams.len())].clone();
    let (place, host, villagers) = (
        *g.rng.pick(PLACES),
        name(&mut g.rng),
        20 + g.rng.below(80) as u32,
    );
    let body = json!({"kind": kind.as_str(), "title": title, "place": place, "host": host,
        "start": rfc3339_cst(start).unwrap_or_default(), "end": rfc3339_cst(start + 2 * HOUR).unwrap_or_default(),
        "villagers_present": villagers, "teams": [team], "agenda": agenda, "notes": ""});
    let act = g.doc(DocType::Activity, start - HOUR, None, body);
    for k in 0..3 + g.rng.below(5) {
        let vol = &volunteers[(i * 7 + k * 3) % volunteers.len().max(1)];
        let out = start + 2 * HOUR + (g.rng.below(60) as i64) * 60_000;
        let body = json!({"activity_id": act, "volunteer_id": vol, "role": "服务",
            "check_in": rfc3339_cst(start - 30 * 60_000).unwrap_or_default(),
            "check_out": rfc3339_cst(out).unwrap_or_default()});
        g.doc(
            DocType::Attendance,
            start,
            Some(attendance_id(&act, vol)),
            body,
        );
    }
    if kind == ActivityKind::EveningForum {
        for _ in 0..g.rng.below(4) {
            concern(g, &act, start + HOUR, teams);
        }
    }
}

fn concern(g: &mut Gen, act: &str, at: i64, teams: &[String]) {
    let (text, category) = *g.rng.pick(CONCERNS);
    let villager = name(&mut g.rng);
    // Older forums' concerns are further along the loop.
    let age = g.cfg.until_millis - at;
    let status = match (age / (30 * DAY), g.rng.below(4)) {
        (0, _) => ConcernStatus::Open,
        (1, 0) => ConcernStatus::Open,
        (1, _) => ConcernStatus::Assigned,
        (_, 0) => ConcernStatus::Resolved,
        _ => ConcernStatus::Rated,
    };
    let mut body = json!({"activity_id": act, "text": text, "category": category.as_str(),
        "status": status.as_str(), "villager": villager});
    if status != ConcernStatus::Open {
        body["assigned_team"] = json!(teams[g.rng.below(teams.len())]);
        body["assigned_at"] = json!(rfc3339_cst(at + DAY).unwrap_or_default());
    }
    if matches!(status, ConcernStatus::Resolved | ConcernStatus::Rated) {
        body["resolution"] = json!("已上门处理并回访");
        body["resolved_at"] = json!(rfc3339_cst(at + 10 * DAY).unwrap_or_default());
    }
    if status == ConcernStatus::Rated {
        body["rating"] = json!(*g.rng.pick(&[
            "satisfied",
            "satisfied",
            "satisfied",
            "basically_satisfied",
            "unsatisfied"
        ]));
    }
    g.doc(DocType::Concern, at, None, body);
}

fn survey(g: &mut Gen, at: i64) {
    let mut def = templates::survey(Template::Satisfaction);
    def.status = Status::Open;
    let body = def.to_doc();
    let survey = g.doc(DocType::Survey, at, None, body);
    let topics = ["政策解读", "农业技术", "健康知识", "法律常识", "文艺活动"];
    for i in 0..g.cfg.responses {
        let verdict = *g.rng.pick(&["满意", "满意", "满意", "基本满意", "不满意"]);
        let mut answers = json!({
            SATISFACTION_QUESTION: verdict,
            "q1": 2 + g.rng.below(4),
            "q2": [topics[g.rng.below(5)]],
        });
        if verdict == "不满意" {
            answers["q3"] = json!("时间太晚了");
        }
        if g.rng.below(4) == 0 {
            answers["q4"] = json!("希望多讲讲医保政策");
        }
        let when = at + i as i64 * HOUR;
        let body = json!({"survey_id": survey, "survey_version": 1, "answers": answers,
            "collected_at": rfc3339_cst(when).unwrap_or_default(), "collector": g.cfg.cadre});
        g.doc(DocType::Response, when, None, body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate;

    #[test]
    fn is_deterministic_valid_and_unique() {
        let cfg = DemoConfig::default();
        let docs = generate(&cfg);
        assert_eq!(docs, generate(&cfg));
        let mut ids = HashSet::new();
        for d in &docs {
            validate(d).unwrap_or_else(|e| panic!("{e}: {d}"));
            assert!(
                ids.insert(d["_id"].as_str().unwrap().to_owned()),
                "duplicate id {}",
                d["_id"]
            );
            assert_eq!(d["station"], "330106001");
        }
        let count = |t: &str| docs.iter().filter(|d| d["type"] == t).count();
        assert_eq!(count("activity"), 120);
        assert_eq!(count("volunteer"), 40);
        assert_eq!(count("response"), 60);
        assert!(count("concern") > 20, "concerns: {}", count("concern"));
        assert!(count("attendance") >= 360);
        let forum = docs.iter().find(|d| d["kind"] == "evening_forum").unwrap();
        assert_eq!(forum["agenda"][0]["title"], "文娱开场");
    }

    #[test]
    fn a_different_seed_gives_different_data() {
        let other = DemoConfig {
            seed: 7,
            ..DemoConfig::default()
        };
        assert_ne!(generate(&DemoConfig::default()), generate(&other));
    }

    #[test]
    fn concerns_reach_every_stage() {
        let docs = generate(&DemoConfig::default());
        for s in ConcernStatus::ALL {
            assert!(
                docs.iter().any(|d| d["status"] == s.as_str()),
                "no {s:?} concern"
            );
        }
    }

    #[test]
    fn every_document_is_marked_unless_turned_off() {
        let docs = generate(&DemoConfig::default());
        assert!(docs.iter().all(|d| d[DEMO_MARKER] == true && is_demo(d)));
        let seed = DemoConfig {
            seed: 7,
            marked: false,
            ..DemoConfig::default()
        };
        let docs = generate(&seed);
        assert!(docs.iter().all(|d| d.get(DEMO_MARKER).is_none()));
        assert!(
            docs.iter().all(|d| !is_demo(d)),
            "another seed's ids are not legacy ids"
        );
    }

    #[test]
    fn old_unmarked_demo_documents_are_recognised_by_id_for_any_station() {
        let old = DemoConfig {
            station: "441481105201".into(),
            cadre: "李书记".into(),
            marked: false,
            ..DemoConfig::default()
        };
        let docs = generate(&old);
        assert_eq!(legacy_ids().len(), docs.len());
        let teams: Vec<&str> = docs
            .iter()
            .filter(|d| d["type"] == "team")
            .map(|d| d["_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            legacy_sample(),
            teams.as_slice(),
            "the sample is the teams, written first"
        );
        for d in &docs {
            assert!(d.get(DEMO_MARKER).is_none());
            assert!(is_demo(d), "{}", d["_id"]);
        }
        let real =
            json!({"_id": "activity:0199ece4-0000-7000-8000-000000000000", "type": "activity"});
        assert!(!is_demo(&real));
    }
}
