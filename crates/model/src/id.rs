//! Document ids: `<type>:<uuid v7>` (time-ordered), and the deterministic
//! `attendance:<activity uuid>:<volunteer uuid>` that lets two phones checking in the same
//! volunteer converge on one document. Owns id syntax only; never generates entropy.

use uuid::Uuid;

/// The document types Yehua replicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocType {
    /// A practice station (村站, 乡镇所, 县中心).
    Station,
    /// A volunteer service team (志愿服务队).
    Team,
    /// A volunteer.
    Volunteer,
    /// An evening forum or other activity.
    Activity,
    /// A villager's concern (急难愁盼) raised at an activity.
    Concern,
    /// A volunteer's attendance at an activity.
    Attendance,
    /// A survey definition.
    Survey,
    /// One villager's answers to a survey (append-only).
    Response,
    /// One dated version of a station's 志愿积分 rules.
    PointsRules,
    /// A cadre's 奖励 / 扣减 of a volunteer's points, with the reason.
    PointsAdjustment,
    /// An item of the station's 积分超市.
    ShopItem,
    /// Points a volunteer spent at the shop (append-only).
    Redemption,
    /// A photo of an activity or a resolved concern, its JPEGs as attachments.
    Photo,
    /// Headquarters' review (审核) of an activity: `review:<activity id>`.
    Review,
}

impl DocType {
    /// Every type, in dependency order (a type only refers to types before it).
    pub const ALL: [DocType; 14] = [
        DocType::Station,
        DocType::Team,
        DocType::Volunteer,
        DocType::Activity,
        DocType::Concern,
        DocType::Attendance,
        DocType::Survey,
        DocType::Response,
        DocType::PointsRules,
        DocType::PointsAdjustment,
        DocType::ShopItem,
        DocType::Redemption,
        DocType::Photo,
        DocType::Review,
    ];

    /// The `type` field and id prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Station => "station",
            DocType::Team => "team",
            DocType::Volunteer => "volunteer",
            DocType::Activity => "activity",
            DocType::Concern => "concern",
            DocType::Attendance => "attendance",
            DocType::Survey => "survey",
            DocType::Response => "response",
            DocType::PointsRules => "points_rules",
            DocType::PointsAdjustment => "points_adjustment",
            DocType::ShopItem => "shop_item",
            DocType::Redemption => "redemption",
            DocType::Photo => "photo",
            DocType::Review => "review",
        }
    }

    /// Parses the `type` field.
    pub fn parse(s: &str) -> Option<DocType> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Why a string is not a valid Yehua document id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// No `<type>:` prefix.
    #[error("document id {0:?} has no `<type>:` prefix")]
    NoPrefix(String),
    /// The prefix is not a known type.
    #[error("document id {0:?} has an unknown type prefix")]
    UnknownType(String),
    /// The part after the prefix is not a UUID (or, for attendance, two UUIDs).
    #[error("document id {0:?} does not end in a UUID")]
    BadUuid(String),
}

/// Builds a UUID v7 from a Unix time in milliseconds and 10 bytes of entropy supplied by
/// the caller (the browser's `crypto.getRandomValues`, or the demo generator's PRNG).
pub fn uuid_v7(unix_millis: u64, entropy: [u8; 10]) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(unix_millis, &entropy).into_uuid()
}

/// The id of a new document of type `ty`.
pub fn new_id(ty: DocType, uuid: Uuid) -> String {
    format!("{}:{}", ty.as_str(), uuid.hyphenated())
}

/// The id prefix of headquarters' reviews (`DocType::Review`'s): what the hub's access
/// rule tells apart.
pub const REVIEW_PREFIX: &str = "review:";

/// The id of headquarters' review of `activity_id` (a full document id): one per activity,
/// so every review of it is a revision of the same document.
pub fn review_id(activity_id: &str) -> String {
    format!("{REVIEW_PREFIX}{activity_id}")
}

/// The one attendance id for `volunteer_id` at `activity_id` (both full document ids).
pub fn attendance_id(activity_id: &str, volunteer_id: &str) -> String {
    let tail = |id: &str| id.split_once(':').map_or(id, |(_, t)| t).to_owned();
    format!("attendance:{}:{}", tail(activity_id), tail(volunteer_id))
}

/// The type of a document id, checking its syntax.
pub fn parse_id(id: &str) -> Result<DocType, IdError> {
    let (prefix, rest) = id
        .split_once(':')
        .ok_or_else(|| IdError::NoPrefix(id.into()))?;
    let ty = DocType::parse(prefix).ok_or_else(|| IdError::UnknownType(id.into()))?;
    if ty == DocType::Review {
        // `review:<activity id>`: one review per activity, whoever writes it.
        return match parse_id(rest) {
            Ok(DocType::Activity) => Ok(ty),
            _ => Err(IdError::BadUuid(id.into())),
        };
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let want = if ty == DocType::Attendance { 2 } else { 1 };
    if parts.len() != want || parts.iter().any(|p| Uuid::parse_str(p).is_err()) {
        return Err(IdError::BadUuid(id.into()));
    }
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_parse_back() {
        let a = new_id(DocType::Activity, uuid_v7(1_700_000_000_000, [9; 10]));
        let b = new_id(DocType::Activity, uuid_v7(1_700_000_000_001, [0; 10]));
        assert!(a < b, "{a} < {b}");
        assert_eq!(parse_id(&a), Ok(DocType::Activity));
        assert_eq!(uuid::Uuid::parse_str(&a[9..]).unwrap().get_version_num(), 7);
    }

    #[test]
    fn attendance_id_is_the_same_on_every_phone() {
        let act = new_id(DocType::Activity, uuid_v7(1, [1; 10]));
        let vol = new_id(DocType::Volunteer, uuid_v7(2, [2; 10]));
        let id = attendance_id(&act, &vol);
        assert_eq!(id, attendance_id(&act, &vol));
        assert_eq!(parse_id(&id), Ok(DocType::Attendance));
        assert!(id.starts_with("attendance:") && id.ends_with(&vol[10..]));
    }

    #[test]
    fn a_review_id_names_an_activity() {
        let act = new_id(DocType::Activity, uuid_v7(1, [1; 10]));
        assert_eq!(parse_id(&review_id(&act)), Ok(DocType::Review));
        assert_eq!(REVIEW_PREFIX, format!("{}:", DocType::Review.as_str()));
        let vol = new_id(DocType::Volunteer, uuid_v7(2, [2; 10]));
        assert!(matches!(
            parse_id(&review_id(&vol)),
            Err(IdError::BadUuid(_))
        ));
        assert!(matches!(parse_id("review:xyz"), Err(IdError::BadUuid(_))));
    }

    #[test]
    fn bad_ids_are_named() {
        assert!(matches!(parse_id("nocolon"), Err(IdError::NoPrefix(_))));
        assert!(matches!(parse_id("cat:0190"), Err(IdError::UnknownType(_))));
        assert!(matches!(parse_id("activity:xyz"), Err(IdError::BadUuid(_))));
        assert!(matches!(
            parse_id("attendance:xyz"),
            Err(IdError::BadUuid(_))
        ));
    }
}
