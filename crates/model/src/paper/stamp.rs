//! The verification QR every printed page carries, and what a scan of it answers. Owns the
//! payload format and the comparison; never reads a store, the clock or a camera.
//!
//! Payload: `yehua:p1|<kind>|<subject>|<printed at>|<key>=<value>;…` where
//! - kind is `f` (a forum's record), `l` (the month's 台账), `n` (the month's 公示) or `c`
//!   (a volunteer's certificate);
//! - subject names what was printed: the activity id, `<station>/<YYYY-MM>`, or
//!   `<volunteer id>/<from>/<to>`;
//! - printed at is `YYYYMMDDHHMM` (UTC+8), shown on the answer, never compared;
//! - each part is one section of the page: a figure as printed (`hours=12.5`) or the first
//!   8 hex digits of the md5 of exactly the section's printed values (`agenda=1f0c…`).
//!
//! So the payload changes when anything printed changes and not otherwise (an edit that
//! changes only `updated_at`, or a field the page does not print, leaves it alone). A scan
//! rebuilds the parts from this phone's data and compares them part by part: all equal is
//! 与系统数据一致; a missing subject is 本机无此记录; otherwise the parts that differ.

use md5::{Digest, Md5};
use serde::Serialize;

const PREFIX: &str = "yehua:p1";

/// What kind of paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A forum's record page.
    Forum,
    /// The month's 台账.
    Ledger,
    /// The month's 公示.
    Notice,
    /// A volunteer's 志愿服务记录证明.
    Certificate,
    /// A volunteer's 积分册.
    PointsBook,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Forum => "f",
            Kind::Ledger => "l",
            Kind::Notice => "n",
            Kind::Certificate => "c",
            Kind::PointsBook => "b",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Forum,
            Kind::Ledger,
            Kind::Notice,
            Kind::Certificate,
            Kind::PointsBook,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// One section of a printed page: its key and value (a figure or a digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Short key (`info`, `agenda`, `hours`, …), the same on every page of a kind.
    pub key: &'static str,
    /// The printed figure, or the digest of the section.
    pub value: String,
}

impl Part {
    /// A figure as printed.
    pub fn figure(key: &'static str, value: impl ToString) -> Part {
        Part {
            key,
            value: value.to_string(),
        }
    }

    /// The digest of a section's printed values (serialized as JSON, in field order).
    pub fn digest(key: &'static str, section: &impl Serialize) -> Part {
        let json = serde_json::to_string(section).unwrap_or_default();
        let sum = Md5::digest(json.as_bytes());
        Part {
            key,
            value: sum.iter().take(4).map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// What a printed page's QR says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// What kind of paper.
    pub kind: Kind,
    /// What was printed (see the module doc).
    pub subject: String,
    /// When, `YYYYMMDDHHMM` at UTC+8.
    pub printed_at: String,
    /// The sections as printed.
    pub parts: Vec<Part>,
}

/// Why a scanned text is not a Yehua paper stamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StampError {
    /// Not our prefix (another QR code, or a volunteer card).
    #[error("not a Yehua paper code")]
    Foreign,
    /// Our prefix but not our layout.
    #[error("the paper code is damaged")]
    Malformed,
}

impl StampError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::Foreign => "这不是夜话打印的核验码".into(),
            Self::Malformed => "核验码不完整，无法核对".into(),
        }
    }
}

/// `2026-11-22T19:30:05+08:00` → `202611221930`.
pub fn compact_time(rfc3339_cst: &str) -> String {
    rfc3339_cst
        .chars()
        .filter(char::is_ascii_digit)
        .take(12)
        .collect()
}

/// `202611221930` → `2026-11-22 19:30` (the text as it is if it is not 12 digits).
pub fn readable_time(compact: &str) -> String {
    if compact.len() != 12 || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return compact.to_owned();
    }
    let c = compact;
    format!(
        "{}-{}-{} {}:{}",
        &c[..4],
        &c[4..6],
        &c[6..8],
        &c[8..10],
        &c[10..12]
    )
}

impl Stamp {
    /// The QR payload.
    pub fn encode(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| format!("{}={}", p.key, p.value))
            .collect();
        format!(
            "{PREFIX}|{}|{}|{}|{}",
            self.kind.code(),
            self.subject,
            self.printed_at,
            parts.join(";")
        )
    }

    /// Reads a scanned payload back. The parts' keys are checked against `known` (every
    /// key a page of that kind prints), so a damaged code is refused, not half-compared.
    pub fn decode(text: &str) -> Result<Stamp, StampError> {
        let rest = text
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_prefix('|'))
            .ok_or(StampError::Foreign)?;
        let fields: Vec<&str> = rest.split('|').collect();
        let [kind, subject, printed_at, parts] = fields[..] else {
            return Err(StampError::Malformed);
        };
        let kind = Kind::parse(kind).ok_or(StampError::Malformed)?;
        if subject.is_empty() || printed_at.len() != 12 {
            return Err(StampError::Malformed);
        }
        let known = keys(kind);
        let parts = parts
            .split(';')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').ok_or(StampError::Malformed)?;
                let key = known
                    .iter()
                    .find(|x| **x == k)
                    .ok_or(StampError::Malformed)?;
                Ok(Part {
                    key,
                    value: v.to_owned(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if parts.is_empty() {
            return Err(StampError::Malformed);
        }
        Ok(Stamp {
            kind,
            subject: subject.to_owned(),
            printed_at: printed_at.to_owned(),
            parts,
        })
    }
}

/// Every part key a page of `kind` prints, in page order.
pub fn keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Forum => &[
            "info",
            "agenda",
            "teams",
            "volunteers",
            "hours",
            "concerns",
            "satisfaction",
        ],
        Kind::Ledger => &[
            "forums",
            "villagers",
            "turnout",
            "hours",
            "raised",
            "resolved",
            "rating",
            "table",
            "records",
        ],
        Kind::Notice => &["concerns", "resolved", "volunteers", "hours"],
        Kind::Certificate => &["person", "entries", "count", "hours"],
        Kind::PointsBook => &["person", "entries", "count", "balance"],
    }
}

/// One part that differs between the paper and the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The part's key.
    pub key: &'static str,
    /// As printed.
    pub printed: String,
    /// As the data says now (`None`: the data has no such part any more).
    pub now: Option<String>,
    /// Whether the values are figures a person can read (else digests).
    pub figure: bool,
}

/// What a scan answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 与系统数据一致.
    Same,
    /// 数据已修改（打印后有变动）, with what differs.
    Changed(Vec<Difference>),
    /// 本机无此记录.
    Unknown,
}

/// Compares a scanned stamp with the parts rebuilt from this phone's data (`None` when the
/// subject is not on this phone).
pub fn verify(stamp: &Stamp, now: Option<&[Part]>) -> Verdict {
    let Some(now) = now else {
        return Verdict::Unknown;
    };
    let diffs: Vec<Difference> = stamp
        .parts
        .iter()
        .filter_map(|p| {
            let current = now.iter().find(|n| n.key == p.key).map(|n| n.value.clone());
            (current.as_deref() != Some(p.value.as_str())).then(|| Difference {
                key: p.key,
                printed: p.value.clone(),
                figure: FIGURES.contains(&p.key),
                now: current,
            })
        })
        .collect();
    if diffs.is_empty() {
        Verdict::Same
    } else {
        Verdict::Changed(diffs)
    }
}

/// The keys whose value is a figure a person can read; every other key is a digest.
pub const FIGURES: &[&str] = &[
    "hours",
    "forums",
    "villagers",
    "turnout",
    "raised",
    "resolved",
    "rating",
    "count",
    "satisfaction",
];
