//! Typed views of Yehua's documents. Each type keeps the fields it does not know in
//! `extra` (`#[serde(flatten)]`), so a document written by a newer app version, or edited
//! at headquarters, survives a round trip through an older phone unchanged.
//! Owns shapes and wire names only: validation lives in `validate`, ids in `id`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod people;
mod record;
mod shop;

pub use people::{Team, Volunteer};
pub use record::{Record, ShapeError};
pub use shop::ShopItem;

/// Fields every document carries (docs/design.md, "Everything is a CouchDB document").
/// `validate` requires them; a view of a body from elsewhere reads a missing one as empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Meta {
    /// `<type>:<uuid v7>`.
    #[serde(rename = "_id")]
    pub id: String,
    /// The revision this body was read at; absent on a new document.
    #[serde(rename = "_rev", default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The document type (`activity`, …).
    #[serde(rename = "type", default)]
    pub doc_type: String,
    /// The station code the document belongs to.
    #[serde(default)]
    pub station: String,
    /// RFC 3339, UTC+8.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339, UTC+8.
    #[serde(default)]
    pub updated_at: String,
    /// The cadre who created it.
    #[serde(default)]
    pub created_by: String,
}

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),+ }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The wire name.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
            /// Parses the wire name.
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.as_str() == s) }
        }
    };
}

wire_enum!(
    /// What kind of activity.
    ActivityKind {
        /// 夜话 — the evening forum.
        EveningForum = "evening_forum",
        /// 宣讲 — a policy talk.
        PolicyTalk = "policy_talk",
        /// 志愿服务 — volunteer service.
        Service = "service",
        /// 文体 — culture and sport.
        Culture = "culture",
        /// 其他.
        Other = "other",
    }
);

wire_enum!(
    /// Where a concern is in the 四单闭环 loop.
    ConcernStatus {
        /// Raised, nobody assigned yet.
        Open = "open",
        /// 已派单 — dispatched to a team.
        Assigned = "assigned",
        /// 已办结 — done.
        Resolved = "resolved",
        /// 已评价 — the villager rated the result.
        Rated = "rated",
    }
);

wire_enum!(
    /// The kind of need a concern is about.
    ConcernCategory {
        /// 就业.
        Employment = "employment",
        /// 农技.
        Agritech = "agritech",
        /// 医疗.
        Medical = "medical",
        /// 教育.
        Education = "education",
        /// 养老.
        Elderly = "elderly",
        /// 基础设施.
        Infrastructure = "infrastructure",
        /// 矛盾纠纷.
        Dispute = "dispute",
        /// 政策咨询.
        Policy = "policy",
        /// 其他.
        Other = "other",
    }
);

// The Chinese labels, as the CSV tables for headquarters print them; the screens say the
// same words through `locales/` (a test in tests/labels.rs keeps the two equal).
impl ActivityKind {
    /// The label in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::EveningForum => "夜话",
            Self::PolicyTalk => "宣讲",
            Self::Service => "志愿服务",
            Self::Culture => "文体",
            Self::Other => "其他",
        }
    }
}

impl ConcernStatus {
    /// The label in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Open => "待派单",
            Self::Assigned => "已派单",
            Self::Resolved => "已办结",
            Self::Rated => "已评价",
        }
    }
}

impl ConcernCategory {
    /// The label in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Self::Employment => "就业",
            Self::Agritech => "农技",
            Self::Medical => "医疗",
            Self::Education => "教育",
            Self::Elderly => "养老",
            Self::Infrastructure => "基础设施",
            Self::Dispute => "矛盾纠纷",
            Self::Policy => "政策咨询",
            Self::Other => "其他",
        }
    }
}

/// One segment of an activity's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Segment {
    /// e.g. 文娱开场.
    pub title: String,
    /// Free text, or a volunteer's / team's name.
    #[serde(default)]
    pub speaker: String,
    /// Planned minutes.
    #[serde(default)]
    pub minutes: u32,
}

impl Segment {
    /// The four segments of an evening forum, as the source material describes it.
    pub fn forum_agenda() -> Vec<Segment> {
        [
            ("文娱开场", 15),
            ("主讲开题", 30),
            ("群众畅谈", 45),
            ("欢快收尾", 15),
        ]
        .into_iter()
        .map(|(title, minutes)| Segment {
            title: title.into(),
            speaker: String::new(),
            minutes,
        })
        .collect()
    }

    /// The segment on one line, its parts joined by " · " and an empty part left out:
    /// 主讲开题 · 李医生 · 30′, 文娱开场 · 15′ (no speaker), 群众畅谈 (no minutes).
    pub fn line(&self) -> String {
        let minutes = (self.minutes > 0).then(|| format!("{}′", self.minutes));
        [
            self.title.trim(),
            self.speaker.trim(),
            minutes.as_deref().unwrap_or_default(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// An evening forum or other activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// What kind.
    pub kind: ActivityKind,
    /// Title (required by `validate`; a view of a foreign body reads a missing one as empty).
    #[serde(default)]
    pub title: String,
    /// Where, e.g. 村文化广场.
    #[serde(default)]
    pub place: String,
    /// Who hosted.
    #[serde(default)]
    pub host: String,
    /// RFC 3339, UTC+8 (required by `validate`).
    #[serde(default)]
    pub start: String,
    /// RFC 3339, UTC+8; not before `start` (required by `validate`).
    #[serde(default)]
    pub end: String,
    /// Villagers present (人数).
    #[serde(default)]
    pub villagers_present: u32,
    /// Team document ids.
    #[serde(default)]
    pub teams: Vec<String>,
    /// The agenda.
    #[serde(default)]
    pub agenda: Vec<Segment>,
    /// Minutes and notes.
    #[serde(default)]
    pub notes: String,
    /// Fields this version does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A villager's concern (急难愁盼).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concern {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// The activity it was raised at (required by `validate`).
    #[serde(default)]
    pub activity_id: String,
    /// What the villager asked for (required by `validate`).
    #[serde(default)]
    pub text: String,
    /// Category.
    pub category: ConcernCategory,
    /// Status.
    pub status: ConcernStatus,
    /// The villager's name, if given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub villager: String,
    /// Fields this version does not know (and the later stages' fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Concern {
    fn stage(&self, key: &str) -> &str {
        self.extra
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The team it was dispatched to: a `team:` id, or a name typed by an earlier build.
    pub fn assigned_team(&self) -> &str {
        self.stage("assigned_team")
    }

    /// The due date (`YYYY-MM-DD`) set at 派单, or empty.
    pub fn due(&self) -> &str {
        self.stage("due")
    }

    /// What was done (办结), or empty.
    pub fn resolution(&self) -> &str {
        self.stage("resolution")
    }

    /// The villager's rating (`satisfied`, …), or empty.
    pub fn rating(&self) -> &str {
        self.stage("rating")
    }

    /// The villager's comment with the rating, or empty.
    pub fn rating_comment(&self) -> &str {
        self.stage("rating_comment")
    }
}

/// A volunteer's attendance at an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    /// Common fields (`_id` is `attendance:<activity>:<volunteer>`).
    #[serde(flatten)]
    pub meta: Meta,
    /// The activity.
    pub activity_id: String,
    /// The volunteer.
    pub volunteer_id: String,
    /// RFC 3339, UTC+8.
    pub check_in: String,
    /// RFC 3339, UTC+8; absent while still present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Attendance {
    /// The volunteer's role at the activity (`service` when not given).
    pub fn role(&self) -> &str {
        match self.extra.get("role").and_then(Value::as_str) {
            Some(r) if !r.is_empty() => r,
            _ => "service",
        }
    }
}

/// A photo (活动照片): of an activity, or of a concern as evidence of its resolution.
/// The JPEGs are the document's attachments [`PHOTO_IMAGE`] and [`PHOTO_THUMB`]; the
/// body holds only what is said about them, so a photo is its own document and two
/// phones adding photos to one forum never conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// The activity it shows (exactly one of `activity_id` and `concern_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// The concern whose resolution it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concern_id: Option<String>,
    /// When it was taken (RFC 3339, UTC+8), from the camera or the file (read leniently,
    /// like every typed view's times; `validate` requires it).
    #[serde(default)]
    pub taken_at: String,
    /// An optional caption.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The attachment holding a photo's full-size JPEG (longest side 1600 px).
pub const PHOTO_IMAGE: &str = "image.jpg";
/// The attachment holding a photo's thumbnail (about 320 px).
pub const PHOTO_THUMB: &str = "thumb.jpg";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_segment_line_leaves_out_what_is_empty() {
        let seg = |title: &str, speaker: &str, minutes| Segment {
            title: title.into(),
            speaker: speaker.into(),
            minutes,
        };
        assert_eq!(
            seg("主讲开题", "李医生", 30).line(),
            "主讲开题 · 李医生 · 30′"
        );
        assert_eq!(seg("文娱开场", "", 15).line(), "文娱开场 · 15′");
        assert_eq!(seg("文娱开场", "  ", 15).line(), "文娱开场 · 15′");
        assert_eq!(seg("群众畅谈", "", 0).line(), "群众畅谈");
        assert_eq!(seg("", "", 0).line(), "");
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let doc = json!({
            "_id": "activity:0190", "_rev": "1-abc", "type": "activity", "station": "330106001",
            "created_at": "2026-11-22T19:00:00+08:00", "updated_at": "2026-11-22T19:00:00+08:00",
            "created_by": "王书记", "kind": "evening_forum", "title": "夜话·秋收",
            "start": "2026-11-22T19:00:00+08:00", "end": "2026-11-22T21:00:00+08:00",
            "from_the_future": {"x": [1, 2]}, "villagers_present": 42
        });
        let a: Activity = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(a.kind, ActivityKind::EveningForum);
        assert_eq!(a.extra["from_the_future"], json!({"x": [1, 2]}));
        let back = serde_json::to_value(&a).unwrap();
        for (k, v) in doc.as_object().unwrap() {
            assert_eq!(&back[k], v, "field {k}");
        }
    }

    #[test]
    fn wire_names_parse_back() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(
            ConcernStatus::parse("assigned"),
            Some(ConcernStatus::Assigned)
        );
        assert_eq!(ConcernCategory::parse("nope"), None);
        assert_eq!(Segment::forum_agenda()[2].title, "群众畅谈");
    }
}
