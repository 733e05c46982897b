//! Validation of documents before they are saved or imported. Each refusal is a typed
//! `ValidationError` that says, in zh-CN for the cadre and en for the log, what is wrong.
//! Owns the rules only; never touches storage.

use crate::doc::{Activity, Attendance, Concern, Photo, PHOTO_IMAGE, PHOTO_THUMB};
use crate::id::{self, DocType, IdError};
use crate::time::parse_millis;
use serde_json::Value;

/// The most villagers one activity can plausibly record.
pub const MAX_VILLAGERS: u32 = 100_000;

/// Why a document is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// Not a JSON object.
    #[error("document is not a JSON object")]
    NotAnObject,
    /// The `_id` is malformed.
    #[error(transparent)]
    BadId(#[from] IdError),
    /// `type` disagrees with the id prefix.
    #[error("type {found:?} does not match id prefix {expected:?}")]
    TypeMismatch {
        /// The id's prefix.
        expected: &'static str,
        /// The `type` field.
        found: String,
    },
    /// A required field is missing, empty or of the wrong shape.
    #[error("field `{0}` is missing or malformed")]
    Field(&'static str),
    /// A time field is not RFC 3339.
    #[error("field `{0}` is not an RFC 3339 time")]
    BadTime(&'static str),
    /// The activity ends before it starts (or a check-out before its check-in).
    #[error("`{0}` is earlier than its start")]
    EndsBeforeStart(&'static str),
    /// More villagers than plausible.
    #[error("villagers_present {0} exceeds {MAX_VILLAGERS}")]
    TooManyVillagers(u32),
    /// An attendance id that does not name its activity and volunteer.
    #[error("attendance id does not match its activity_id and volunteer_id")]
    AttendanceIdMismatch,
}

impl ValidationError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::NotAnObject => "记录格式不正确".into(),
            Self::BadId(_) => "记录编号格式不正确".into(),
            Self::TypeMismatch { .. } => "记录类型与编号不符".into(),
            Self::Field(f) => format!("“{}”未填写或格式不正确", field_zh(f)),
            Self::BadTime(f) => format!("“{}”不是有效的时间", field_zh(f)),
            Self::EndsBeforeStart(f) => format!("“{}”不能早于开始时间", field_zh(f)),
            Self::TooManyVillagers(n) => format!("到场群众 {n} 人超过上限 {MAX_VILLAGERS} 人"),
            Self::AttendanceIdMismatch => "签到记录编号与活动、志愿者不符".into(),
        }
    }

    /// The message in English (the UI's en locale and the log).
    pub fn en(&self) -> String {
        self.to_string()
    }
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "station" => "站点",
        "created_at" => "创建时间",
        "updated_at" => "更新时间",
        "title" => "标题",
        "kind" => "活动类型",
        "start" => "开始时间",
        "end" => "结束时间",
        "text" => "问题内容",
        "category" => "问题类别",
        "status" => "办理状态",
        "activity_id" => "所属活动",
        "volunteer_id" => "志愿者",
        "check_in" => "签到时间",
        "check_out" => "签退时间",
        "name" => "姓名或名称",
        "phone" => "手机号码",
        "questions" => "问卷题目",
        "answers" => "答卷内容",
        "survey_id" => "所属问卷",
        "taken_at" => "拍摄时间",
        "concern_id" => "所属诉求",
        "_attachments" => "照片文件",
        "activity" => "所审活动",
        "activity_rev" => "所审版本",
        "verdict" => "审核结论",
        "reason" => "退回理由",
        "by" => "审核人",
        "at" => "审核时间",
        _ => "字段",
    }
}

fn time_field(doc: &Value, field: &'static str) -> Result<i64, ValidationError> {
    let s = doc
        .get(field)
        .and_then(Value::as_str)
        .ok_or(ValidationError::Field(field))?;
    parse_millis(s).map_err(|_| ValidationError::BadTime(field))
}

fn non_empty(s: &str, field: &'static str) -> Result<(), ValidationError> {
    if s.trim().is_empty() {
        Err(ValidationError::Field(field))
    } else {
        Ok(())
    }
}

/// Checks a document (a live body, not a tombstone) against Yehua's rules.
pub fn validate(doc: &Value) -> Result<DocType, ValidationError> {
    let obj = doc.as_object().ok_or(ValidationError::NotAnObject)?;
    let id = obj
        .get("_id")
        .and_then(Value::as_str)
        .ok_or(ValidationError::Field("_id"))?;
    let ty = id::parse_id(id)?;
    let found = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    if found != ty.as_str() {
        return Err(ValidationError::TypeMismatch {
            expected: ty.as_str(),
            found: found.into(),
        });
    }
    non_empty(
        obj.get("station")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        "station",
    )?;
    time_field(doc, "created_at")?;
    time_field(doc, "updated_at")?;
    let typed = |field: &'static str| ValidationError::Field(field);
    match ty {
        DocType::Activity => {
            let a: Activity = serde_json::from_value(doc.clone())
                .map_err(|e| typed(shape_field(&e, ACTIVITY)))?;
            non_empty(&a.title, "title")?;
            let (start, end) = (time_field(doc, "start")?, time_field(doc, "end")?);
            if end < start {
                return Err(ValidationError::EndsBeforeStart("end"));
            }
            if a.villagers_present > MAX_VILLAGERS {
                return Err(ValidationError::TooManyVillagers(a.villagers_present));
            }
        }
        DocType::Concern => {
            let c: Concern =
                serde_json::from_value(doc.clone()).map_err(|e| typed(shape_field(&e, CONCERN)))?;
            non_empty(&c.text, "text")?;
            id::parse_id(&c.activity_id).map_err(|_| typed("activity_id"))?;
        }
        DocType::Attendance => {
            let a: Attendance = serde_json::from_value(doc.clone())
                .map_err(|e| typed(shape_field(&e, ATTENDANCE)))?;
            if id::attendance_id(&a.activity_id, &a.volunteer_id) != id {
                return Err(ValidationError::AttendanceIdMismatch);
            }
            let start = time_field(doc, "check_in")?;
            if a.check_out.is_some() && time_field(doc, "check_out")? < start {
                return Err(ValidationError::EndsBeforeStart("check_out"));
            }
        }
        DocType::Team => non_empty(
            obj.get("name").and_then(Value::as_str).unwrap_or_default(),
            "name",
        )?,
        DocType::Volunteer => {
            non_empty(
                obj.get("name").and_then(Value::as_str).unwrap_or_default(),
                "name",
            )?;
            match obj.get("phone").and_then(Value::as_str) {
                None | Some("") => {}
                Some(p) if crate::attendance::normalize_mobile(p).is_some() => {}
                Some(_) => return Err(ValidationError::Field("phone")),
            }
        }
        // A draft may still lack questions (`survey::check` guards opening), but its shape
        // must be readable; a response must name its survey.
        DocType::Survey => {
            crate::survey::Survey::from_doc(doc)
                .map_err(|_| ValidationError::Field("questions"))?;
        }
        DocType::Response => {
            let r = crate::survey::Response::from_doc(doc)
                .map_err(|_| ValidationError::Field("answers"))?;
            non_empty(&r.survey_id, "survey_id")?;
        }
        DocType::PointsRules
        | DocType::PointsAdjustment
        | DocType::ShopItem
        | DocType::Redemption => {
            crate::points::doc::check(ty, doc).map_err(ValidationError::Field)?
        }
        DocType::Photo => photo(doc)?,
        DocType::Review => {
            crate::review::check(doc)?;
        }
        DocType::Station => {}
    }
    Ok(ty)
}

/// A photo names exactly one activity or concern, was taken at a valid time and carries
/// its two JPEGs (as stubs or inline data: the attachments' bytes are checked by `couch`).
fn photo(doc: &Value) -> Result<(), ValidationError> {
    let p: Photo = serde_json::from_value(doc.clone())
        .map_err(|e| ValidationError::Field(shape_field(&e, PHOTO)))?;
    time_field(doc, "taken_at")?;
    match (&p.activity_id, &p.concern_id) {
        (Some(a), None) if id::parse_id(a) == Ok(DocType::Activity) => {}
        (None, Some(c)) if id::parse_id(c) == Ok(DocType::Concern) => {}
        (_, Some(_)) if p.activity_id.is_none() => {
            return Err(ValidationError::Field("concern_id"))
        }
        _ => return Err(ValidationError::Field("activity_id")),
    }
    let atts = doc.get("_attachments").and_then(Value::as_object);
    let jpeg = |name: &str| {
        atts.and_then(|a| a.get(name))
            .and_then(|a| a.get("content_type"))
            .and_then(Value::as_str)
            == Some("image/jpeg")
    };
    if !(jpeg(PHOTO_IMAGE) && jpeg(PHOTO_THUMB)) {
        return Err(ValidationError::Field("_attachments"));
    }
    Ok(())
}

const ACTIVITY: &[&str] = &["kind", "title", "start", "end", "villagers_present"];
const CONCERN: &[&str] = &["activity_id", "text", "category", "status"];
const ATTENDANCE: &[&str] = &["activity_id", "volunteer_id", "check_in", "check_out"];
const PHOTO: &[&str] = &["taken_at", "activity_id", "concern_id", "caption"];

/// Which of `fields` a serde error is about (serde names the field in its message).
fn shape_field(e: &serde_json::Error, fields: &[&'static str]) -> &'static str {
    let msg = e.to_string();
    fields
        .iter()
        .copied()
        .find(|f| msg.contains(&format!("`{f}`")))
        .unwrap_or(fields[0])
}

#[cfg(test)]
mod tests;
