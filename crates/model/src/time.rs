//! Times as Yehua stores them: RFC 3339 strings with the China Standard Time offset
//! (`+08:00`), which sort lexicographically in time order within one offset.
//! Owns formatting and parsing only; never reads the clock.

use ::time::format_description::well_known::Rfc3339;
use ::time::{OffsetDateTime, UtcOffset};

/// China Standard Time, UTC+8 — the offset every time is recorded in.
pub const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("UTC+8 is a valid offset"),
};

/// Why a time string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not RFC 3339.
    #[error("{0:?} is not an RFC 3339 time")]
    Unparsable(String),
    /// Out of the representable range.
    #[error("unix time {0} ms is out of range")]
    OutOfRange(i64),
}

/// Formats a Unix time in milliseconds as RFC 3339 at UTC+8, to the second.
pub fn rfc3339_cst(unix_millis: i64) -> Result<String, TimeError> {
    let t = OffsetDateTime::from_unix_timestamp(unix_millis.div_euclid(1000))
        .map_err(|_| TimeError::OutOfRange(unix_millis))?
        .to_offset(CST);
    t.format(&Rfc3339)
        .map_err(|_| TimeError::OutOfRange(unix_millis))
}

/// Parses an RFC 3339 time (any offset) into Unix milliseconds.
pub fn parse_millis(s: &str) -> Result<i64, TimeError> {
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| TimeError::Unparsable(s.into()))?;
    Ok((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The `YYYY-MM` month of an RFC 3339 time as recorded (its own offset).
pub fn month_of(s: &str) -> Option<&str> {
    s.get(..7).filter(|m| m.as_bytes().get(4) == Some(&b'-'))
}

/// The local date `YYYY-MM-DD` at UTC+8 of an RFC 3339 time in any offset.
pub fn date_cst(s: &str) -> Option<String> {
    let ms = parse_millis(s).ok()?;
    let local = rfc3339_cst(ms).ok()?;
    local.get(..10).map(str::to_owned)
}

/// The month `YYYY-MM` at UTC+8 of an RFC 3339 time in any offset.
pub fn month_cst(s: &str) -> Option<String> {
    date_cst(s).map(|d| d[..7].to_owned())
}

/// An `<input type="datetime-local">` value (`YYYY-MM-DDTHH:MM`, China time) as RFC 3339.
pub fn from_local_input(s: &str) -> Result<String, TimeError> {
    let full = format!("{}:00+08:00", s.trim());
    rfc3339_cst(parse_millis(&full)?)
}

/// An RFC 3339 time (any offset) as a `datetime-local` value in China time.
pub fn to_local_input(s: &str) -> Option<String> {
    let local = rfc3339_cst(parse_millis(s).ok()?).ok()?;
    local.get(..16).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_inputs_round_trip_in_china_time() {
        assert_eq!(
            from_local_input("2026-11-22T19:30").as_deref(),
            Ok("2026-11-22T19:30:00+08:00")
        );
        // Written back in the one stored form, whatever separator the browser used.
        assert_eq!(
            from_local_input("2026-11-22 19:30").as_deref(),
            Ok("2026-11-22T19:30:00+08:00")
        );
        assert!(from_local_input("19:30").is_err());
        assert!(from_local_input("").is_err());
        // A time recorded in UTC shows as village time.
        assert_eq!(
            to_local_input("2026-11-22T12:00:00Z").as_deref(),
            Some("2026-11-22T20:00")
        );
        assert_eq!(to_local_input("nonsense"), None);
    }

    #[test]
    fn formats_in_china_time_and_parses_back() {
        // 2026-11-22T12:00:00Z is 20:00 in the village.
        let ms = 1_795_348_800_000;
        let s = rfc3339_cst(ms).unwrap();
        assert_eq!(s, "2026-11-22T20:00:00+08:00");
        assert_eq!(parse_millis(&s), Ok(ms));
        assert_eq!(parse_millis("2026-11-22T12:00:00Z"), Ok(ms));
        assert_eq!(month_of(&s), Some("2026-11"));
        // 16:30 UTC on the last day of November is already December in the village.
        assert_eq!(
            month_cst("2026-11-30T16:30:00Z").as_deref(),
            Some("2026-12")
        );
        assert_eq!(
            date_cst("2026-11-30T16:30:00Z").as_deref(),
            Some("2026-12-01")
        );
        assert_eq!(month_cst("昨天"), None);
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(
            parse_millis("昨天晚上"),
            Err(TimeError::Unparsable(_))
        ));
        assert_eq!(month_of("11"), None);
    }
}
