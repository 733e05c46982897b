//! Why a file was refused: one variant per problem, each naming where it is (line and
//! column, field, document index and id). `Display` is the precise English for the log;
//! [`ImportError::zh`] is the sentence the cadre reads; [`ImportError::code`] a stable
//! name for tests and the app.

use couch::{DocError, ReplicatedError};

/// What is wrong with one entry of `docs`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocProblem {
    /// The entry is not a JSON object.
    #[error("is not a JSON object")]
    NotAnObject,
    /// No `_id`, or not a string.
    #[error("has no string _id")]
    MissingId,
    /// `_id` is not `<type>:<rest>`.
    #[error("_id is not of the form <type>:<id>")]
    BadId,
    /// The id's type is not a Yehua type.
    #[error("_id names the unknown type `{0}`")]
    UnknownType(String),
    /// `type` differs from the id's prefix.
    #[error("type `{found}` does not match the _id prefix `{expected}`")]
    TypeMismatch {
        /// The `type` field (empty if missing).
        found: String,
        /// The id's prefix.
        expected: String,
    },
    /// `station` differs from the file's station.
    #[error("station `{found}` is not the file's station `{expected}`")]
    WrongStation {
        /// The document's station (empty if missing).
        found: String,
        /// The file's station.
        expected: String,
    },
    /// Not a valid replicated revision (`_rev`, `_revisions`, reserved `_` fields): the
    /// same rules the hub and the phone apply, from `couch::check_replicated`.
    #[error(transparent)]
    Replicated(#[from] ReplicatedError),
    /// `_deleted` is not a boolean.
    #[error("_deleted must be true or false")]
    BadDeleted,
    /// The same id and revision appeared before.
    #[error("repeats revision `{rev}` of entry {first}")]
    Duplicate {
        /// The earlier entry's index.
        first: usize,
        /// The revision.
        rev: String,
    },
    /// The revision tree refused it (should not happen after validation).
    #[error("cannot be merged: {0}")]
    Merge(DocError),
    /// A redemption whose `points` or `quantity` is not a positive whole number.
    #[error("a redemption's {0} must be a whole number above 0")]
    NotPositive(&'static str),
    /// A redemption names a volunteer the file does not hold (it carries volunteers).
    #[error("volunteer_id `{0}` names no volunteer in the file")]
    UnknownVolunteer(String),
    /// An attachment entry has the wrong shape.
    #[error("attachment `{name}`: {why}")]
    BadAttachment {
        /// The attachment's name.
        name: String,
        /// What is wrong.
        why: &'static str,
    },
    /// An attachment's `data` is not its `digest` or `length` (or not base64): corrupted.
    #[error("attachment `{name}`: data does not match its digest and length")]
    AttachmentCorrupt {
        /// The attachment's name.
        name: String,
    },
    /// A stub whose bytes no entry of the file carries.
    #[error("attachment `{name}` is a stub whose bytes the file does not carry")]
    AttachmentMissing {
        /// The attachment's name.
        name: String,
    },
}

impl DocProblem {
    /// The field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NotAnObject | Self::Duplicate { .. } | Self::Merge(_) => "",
            Self::MissingId | Self::BadId | Self::UnknownType(_) => "_id",
            Self::TypeMismatch { .. } => "type",
            Self::WrongStation { .. } => "station",
            Self::Replicated(e) => match e {
                ReplicatedError::MissingRev | ReplicatedError::BadRev(_) => "_rev",
                ReplicatedError::MissingRevisions | ReplicatedError::BadRevisions(_) => {
                    "_revisions"
                }
                ReplicatedError::StartMismatch { .. } => "_revisions.start",
                ReplicatedError::HashMismatch { .. } => "_revisions.ids",
                ReplicatedError::ReservedField(_) => "_",
            },
            Self::BadDeleted => "_deleted",
            Self::NotPositive(field) => field,
            Self::UnknownVolunteer(_) => "volunteer_id",
            Self::BadAttachment { .. }
            | Self::AttachmentCorrupt { .. }
            | Self::AttachmentMissing { .. } => "_attachments",
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotAnObject => "doc_not_object",
            Self::MissingId => "missing_id",
            Self::BadId => "bad_id",
            Self::UnknownType(_) => "unknown_type",
            Self::TypeMismatch { .. } => "type_mismatch",
            Self::WrongStation { .. } => "wrong_station",
            Self::Replicated(e) => match e {
                ReplicatedError::MissingRev => "missing_rev",
                ReplicatedError::BadRev(_) => "bad_rev",
                ReplicatedError::MissingRevisions => "missing_revisions",
                ReplicatedError::BadRevisions(_) => "bad_revisions",
                ReplicatedError::StartMismatch { .. } => "start_mismatch",
                ReplicatedError::HashMismatch { .. } => "hash_mismatch",
                ReplicatedError::ReservedField(_) => "reserved_field",
            },
            Self::BadDeleted => "bad_deleted",
            Self::Duplicate { .. } => "duplicate",
            Self::Merge(_) => "merge",
            Self::NotPositive(_) => "not_positive",
            Self::UnknownVolunteer(_) => "unknown_volunteer",
            Self::BadAttachment { .. } => "bad_attachment",
            Self::AttachmentCorrupt { .. } => "attachment_corrupt",
            Self::AttachmentMissing { .. } => "attachment_missing",
        }
    }

    fn zh(&self) -> String {
        match self {
            Self::NotAnObject => "不是一条记录（应为 JSON 对象）".into(),
            Self::MissingId => "缺少编号 _id".into(),
            Self::BadId => "编号 _id 格式不对（应为 类型:编号）".into(),
            Self::UnknownType(t) => format!("编号里的类型“{t}”不是夜话的记录类型"),
            Self::TypeMismatch { found, expected } => {
                format!("类型“{found}”与编号的类型“{expected}”不一致")
            }
            Self::WrongStation { found, expected } => {
                format!("属于站点“{found}”，不是本文件的站点“{expected}”")
            }
            Self::Replicated(e) => match e {
                ReplicatedError::MissingRev => "缺少版本号 _rev".into(),
                ReplicatedError::BadRev(r) => format!("版本号“{r}”格式不对"),
                ReplicatedError::MissingRevisions => "缺少版本历史 _revisions".into(),
                ReplicatedError::BadRevisions(_) => "版本历史 _revisions 格式不对".into(),
                ReplicatedError::StartMismatch { .. } => "版本历史的起始代数与版本号不一致".into(),
                ReplicatedError::HashMismatch { .. } => "版本历史与版本号不一致".into(),
                ReplicatedError::ReservedField(f) => format!("含有不允许的字段“{f}”"),
            },
            Self::BadDeleted => "删除标记 _deleted 应为 true 或 false".into(),
            Self::Duplicate { first, .. } => format!("与第 {} 条记录重复", first + 1),
            Self::Merge(_) => "无法合并到已有记录".into(),
            Self::NotPositive("quantity") => "积分兑换的数量必须大于 0".into(),
            Self::NotPositive(_) => "积分兑换的积分必须大于 0".into(),
            Self::UnknownVolunteer(v) => format!("积分兑换的志愿者“{v}”不在本文件中"),
            Self::BadAttachment { name, .. } => format!("照片附件“{name}”格式不对"),
            Self::AttachmentCorrupt { name } => {
                format!("照片附件“{name}”已损坏（内容与校验值不符），请让对方重新导出")
            }
            Self::AttachmentMissing { name } => {
                format!("照片附件“{name}”缺少照片内容，请让对方导出时选择含照片")
            }
        }
    }
}

/// Why an export file was refused. Nothing is written when any file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not UTF-8.
    #[error("the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The file is empty (or only white space).
    #[error("the file is empty")]
    Empty,
    /// The JSON ends early: the file was cut off (a failed transfer).
    #[error("the file ends early at line {line}, column {column}: it was cut off")]
    Truncated {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Not JSON.
    #[error("not JSON at line {line}, column {column}: {reason}")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's reason.
        reason: String,
    },
    /// The top level is not an object.
    #[error("the file is a JSON {found}, not an object")]
    NotAnObject {
        /// `array`, `string`, …
        found: &'static str,
    },
    /// `format` is not `yehua-export`: another app's file.
    #[error("format is {found:?}, not \"yehua-export\": this is not a Yehua export file")]
    OtherFormat {
        /// The `format` value, if it was a string.
        found: Option<String>,
    },
    /// A newer file version than this build reads.
    #[error("file version {found} is newer than version 1 that this build reads")]
    NewerVersion {
        /// The version.
        found: u64,
    },
    /// `version` is not a positive integer this build knows.
    #[error("version {found} is not a supported file version")]
    BadVersion {
        /// The value as JSON.
        found: String,
    },
    /// A required top-level field is missing.
    #[error("the field `{field}` is missing")]
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// A top-level field has the wrong shape.
    #[error("the field `{field}` must be {expected}")]
    BadField {
        /// The field.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// One document is wrong.
    #[error("docs[{index}] (_id {id:?}) {problem}")]
    Doc {
        /// 0-based index in `docs`.
        index: usize,
        /// Its `_id`, if it had a string one.
        id: Option<String>,
        /// What is wrong.
        problem: DocProblem,
    },
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "exported_at" => "导出时间",
        "app_version" => "应用版本",
        "station" => "站点",
        "range" => "日期范围",
        "types" => "记录类型",
        "docs" => "记录列表",
        "version" => "版本",
        _ => "字段",
    }
}

impl ImportError {
    /// A stable snake_case name of the problem (the variant, or the document problem).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotUtf8 { .. } => "not_utf8",
            Self::Empty => "empty",
            Self::Truncated { .. } => "truncated",
            Self::NotJson { .. } => "not_json",
            Self::NotAnObject { .. } => "not_object",
            Self::OtherFormat { .. } => "other_format",
            Self::NewerVersion { .. } => "newer_version",
            Self::BadVersion { .. } => "bad_version",
            Self::MissingField { .. } => "missing_field",
            Self::BadField { .. } => "bad_field",
            Self::Doc { problem, .. } => problem.code(),
        }
    }

    /// What the cadre reads.
    pub fn zh(&self) -> String {
        match self {
            Self::NotUtf8 { .. } => "文件不是 UTF-8 文本，可能不是夜话导出的文件".into(),
            Self::Empty => "文件是空的".into(),
            Self::Truncated { line, .. } => {
                format!("文件不完整（在第 {line} 行中断），请让对方重新发送")
            }
            Self::NotJson { line, column, .. } => {
                format!("文件内容有误（第 {line} 行第 {column} 列），不是夜话导出的文件")
            }
            Self::NotAnObject { .. } => "这不是夜话导出的文件（内容不是一个 JSON 对象）".into(),
            Self::OtherFormat { found: Some(f) } => {
                format!("这不是夜话导出的文件，可能来自其他应用（格式为“{f}”）")
            }
            Self::OtherFormat { found: None } => {
                "这不是夜话导出的文件，可能来自其他应用（没有格式标记）".into()
            }
            Self::NewerVersion { found } => {
                format!("文件来自更新版本的夜话（格式版本 {found}），请升级应用后再导入")
            }
            Self::BadVersion { .. } => "文件的格式版本无法识别".into(),
            Self::MissingField { field } => format!("文件缺少{}", field_zh(field)),
            Self::BadField { field, .. } => format!("文件的{}格式不对", field_zh(field)),
            Self::Doc { index, id, problem } => format!(
                "第 {} 条记录{}{}",
                index + 1,
                id.as_deref()
                    .map(|i| format!("（{i}）"))
                    .unwrap_or_default(),
                problem.zh()
            ),
        }
    }
}
