//! Volunteer service time: check-in to check-out, with a missing check-out closed at the
//! activity's end and flagged (不计入 until a cadre confirms it), and the check on edited
//! times. Also the Chinese mobile number rule for volunteers. Owns arithmetic and rules;
//! never stores anything and never reads the clock.

use crate::time::{from_local_input, parse_millis};
use serde_json::Value;

/// Minutes of service one attendance record is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Whole minutes between check-in and check-out (or the activity's end).
    pub minutes: u64,
    /// The check-out was missing and the activity's end was used; counts only once a cadre
    /// confirms it (`end_confirmed: true` on the attendance document).
    pub flagged: bool,
    /// Whether the minutes count towards totals.
    pub counted: bool,
}

/// Why an attendance time is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    /// A time is not RFC 3339.
    #[error("`{0}` is not an RFC 3339 time")]
    BadTime(&'static str),
    /// Check-out before check-in.
    #[error("check-out is earlier than check-in")]
    OutBeforeIn,
}

impl AttendanceError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::BadTime(_) => "签到或签退时间无效".into(),
            Self::OutBeforeIn => "签退时间不能早于签到时间".into(),
        }
    }
}

fn millis(doc: &Value, field: &'static str) -> Result<Option<i64>, AttendanceError> {
    time_of(doc.get(field).and_then(Value::as_str), field)
}

fn time_of(text: Option<&str>, field: &'static str) -> Result<Option<i64>, AttendanceError> {
    match text {
        None | Some("") => Ok(None),
        Some(s) => parse_millis(s)
            .map(Some)
            .map_err(|_| AttendanceError::BadTime(field)),
    }
}

/// The service an attendance document is worth; `activity_end` closes a missing check-out.
pub fn service(attendance: &Value, activity_end: Option<&str>) -> Result<Service, AttendanceError> {
    let check_in = millis(attendance, "check_in")?;
    let check_out = millis(attendance, "check_out")?;
    let confirmed = attendance.get("end_confirmed").and_then(Value::as_bool) == Some(true);
    worth(check_in, check_out, confirmed, activity_end)
}

impl crate::Attendance {
    /// [`service`] of the typed record.
    pub fn service(&self, activity_end: Option<&str>) -> Result<Service, AttendanceError> {
        let check_in = time_of(Some(&self.check_in), "check_in")?;
        let check_out = time_of(self.check_out.as_deref(), "check_out")?;
        let confirmed = self.extra.get("end_confirmed").and_then(Value::as_bool) == Some(true);
        worth(check_in, check_out, confirmed, activity_end)
    }
}

fn worth(
    check_in: Option<i64>,
    check_out: Option<i64>,
    confirmed: bool,
    activity_end: Option<&str>,
) -> Result<Service, AttendanceError> {
    let check_in = check_in.ok_or(AttendanceError::BadTime("check_in"))?;
    let (out, flagged) = match check_out {
        Some(out) => (out, false),
        None => match activity_end.map(parse_millis) {
            Some(Ok(end)) => (end.max(check_in), true),
            Some(Err(_)) => return Err(AttendanceError::BadTime("end")),
            None => (check_in, true),
        },
    };
    if out < check_in {
        return Err(AttendanceError::OutBeforeIn);
    }
    Ok(Service {
        minutes: ((out - check_in) / 60_000) as u64,
        flagged,
        counted: !flagged || confirmed,
    })
}

/// Checks a check-in / check-out pair as typed or edited (RFC 3339).
pub fn check_times(check_in: &str, check_out: Option<&str>) -> Result<(), AttendanceError> {
    let a = parse_millis(check_in).map_err(|_| AttendanceError::BadTime("check_in"))?;
    if let Some(out) = check_out {
        let b = parse_millis(out).map_err(|_| AttendanceError::BadTime("check_out"))?;
        if b < a {
            return Err(AttendanceError::OutBeforeIn);
        }
    }
    Ok(())
}

/// The attendance `doc` with check-in / check-out edited after the fact, from
/// `datetime-local` inputs (China time); an empty check-out removes it (still here).
/// Refuses a bad time or a check-out before the check-in and then changes nothing. An
/// explicit check-out replaces a confirmed activity end. The store keeps the old values as
/// the previous revision.
pub fn edit_times(
    doc: &Value,
    check_in: &str,
    check_out: &str,
    updated_at: &str,
) -> Result<Value, AttendanceError> {
    let check_in = from_local_input(check_in).map_err(|_| AttendanceError::BadTime("check_in"))?;
    let check_out = match check_out.trim() {
        "" => None,
        s => Some(from_local_input(s).map_err(|_| AttendanceError::BadTime("check_out"))?),
    };
    check_times(&check_in, check_out.as_deref())?;
    let mut out = doc.clone();
    out["check_in"] = Value::from(check_in);
    match check_out {
        Some(c) => {
            out["check_out"] = Value::from(c);
            if let Some(o) = out.as_object_mut() {
                o.remove("end_confirmed");
            }
        }
        None => {
            if let Some(o) = out.as_object_mut() {
                o.remove("check_out");
            }
        }
    }
    out["updated_at"] = Value::from(updated_at);
    Ok(out)
}

/// The attendance `doc` with its missing check-out confirmed: the activity's end counts.
pub fn confirm_end(doc: &Value, updated_at: &str) -> Value {
    let mut out = doc.clone();
    out["end_confirmed"] = Value::Bool(true);
    out["updated_at"] = Value::from(updated_at);
    out
}

/// A mainland Chinese mobile number: 11 digits starting 13–19. Spaces and dashes are
/// ignored; returns the digits, or `None` if it is not one.
pub fn normalize_mobile(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    ok.then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const END: &str = "2026-11-22T21:00:00+08:00";

    #[test]
    fn edited_times_change_the_hours_and_a_bad_edit_changes_nothing() {
        let doc = json!({"_id": "attendance:a:v", "check_in": "2026-11-22T19:00:00+08:00"});
        let flagged = service(&doc, Some(END)).unwrap();
        assert!(flagged.flagged && !flagged.counted);
        let edited = edit_times(&doc, "2026-11-22T19:10", "2026-11-22T20:40", "t1").unwrap();
        let s = service(&edited, Some(END)).unwrap();
        assert_eq!((s.minutes, s.flagged, s.counted), (90, false, true));
        assert_eq!(edited["updated_at"], "t1");
        assert_eq!(
            edit_times(&doc, "2026-11-22T19:10", "2026-11-22T19:00", "t"),
            Err(AttendanceError::OutBeforeIn)
        );
        assert_eq!(
            edit_times(&doc, "19:10", "", "t"),
            Err(AttendanceError::BadTime("check_in"))
        );
        // Clearing the check-out: still here, flagged again at the end.
        let cleared = edit_times(&edited, "2026-11-22T19:10", " ", "t2").unwrap();
        assert!(cleared.get("check_out").is_none());
        assert!(service(&cleared, Some(END)).unwrap().flagged);
    }

    #[test]
    fn confirming_the_end_counts_a_missing_check_out() {
        let doc = json!({"check_in": "2026-11-22T19:00:00+08:00"});
        let s = service(&confirm_end(&doc, "t"), Some(END)).unwrap();
        assert_eq!((s.minutes, s.flagged, s.counted), (120, true, true));
        // An explicit check-out later replaces the confirmation.
        let edited = edit_times(
            &confirm_end(&doc, "t"),
            "2026-11-22T19:00",
            "2026-11-22T20:00",
            "t",
        )
        .unwrap();
        assert!(edited.get("end_confirmed").is_none());
        assert_eq!(service(&edited, Some(END)).unwrap().minutes, 60);
    }

    #[test]
    fn hours_normal_midnight_missing_and_edited() {
        let normal = json!({"check_in": "2026-11-22T19:00:00+08:00", "check_out": "2026-11-22T21:30:00+08:00"});
        assert_eq!(
            service(&normal, None),
            Ok(Service {
                minutes: 150,
                flagged: false,
                counted: true
            })
        );
        let midnight = json!({"check_in": "2026-11-22T22:30:00+08:00", "check_out": "2026-11-23T01:15:00+08:00"});
        assert_eq!(service(&midnight, None).unwrap().minutes, 165);
        let missing = json!({"check_in": "2026-11-22T19:00:00+08:00"});
        let s = service(&missing, Some("2026-11-22T21:00:00+08:00")).unwrap();
        assert_eq!(
            s,
            Service {
                minutes: 120,
                flagged: true,
                counted: false
            }
        );
        let confirmed = json!({"check_in": "2026-11-22T19:00:00+08:00", "end_confirmed": true});
        assert!(
            service(&confirmed, Some("2026-11-22T21:00:00+08:00"))
                .unwrap()
                .counted
        );
        let edited = json!({"check_in": "2026-11-22T19:00:00+08:00", "check_out": "2026-11-22T18:00:00+08:00"});
        assert_eq!(service(&edited, None), Err(AttendanceError::OutBeforeIn));
        assert_eq!(
            AttendanceError::OutBeforeIn.zh(),
            "签退时间不能早于签到时间"
        );
    }

    #[test]
    fn edited_times_are_checked() {
        assert_eq!(
            check_times(
                "2026-11-22T19:00:00+08:00",
                Some("2026-11-22T19:00:00+08:00")
            ),
            Ok(())
        );
        assert_eq!(
            check_times(
                "2026-11-22T19:00:00+08:00",
                Some("2026-11-22T18:59:00+08:00")
            ),
            Err(AttendanceError::OutBeforeIn)
        );
        assert_eq!(
            check_times("晚上七点", None),
            Err(AttendanceError::BadTime("check_in"))
        );
    }

    #[test]
    fn chinese_mobile_numbers() {
        assert_eq!(
            normalize_mobile("138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalize_mobile("199-0000-1111").as_deref(),
            Some("19900001111")
        );
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "23812345678",
            "1381234567a",
            "",
        ] {
            assert_eq!(normalize_mobile(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_typed_attendance_is_worth_what_its_body_is() {
        let base = serde_json::json!({
            "_id": "attendance:activity:1:volunteer:1", "type": "attendance", "station": "330106001",
            "created_at": "2026-11-22T18:00:00+08:00", "updated_at": "2026-11-22T18:00:00+08:00",
            "activity_id": "activity:1", "volunteer_id": "volunteer:1",
            "check_in": "2026-11-22T18:30:00+08:00"
        });
        let mut out = base.clone();
        out["check_out"] = serde_json::json!("2026-11-22T20:00:00+08:00");
        let mut confirmed = base.clone();
        confirmed["end_confirmed"] = serde_json::json!(true);
        for doc in [base, out, confirmed] {
            let typed: crate::Attendance = serde_json::from_value(doc.clone()).unwrap();
            for end in [None, Some(END), Some("nonsense")] {
                assert_eq!(typed.service(end), service(&doc, end), "{doc} {end:?}");
            }
        }
    }
}
