//! Dates and times as a cadre types them, always in the app's own order — `yyyy-mm-dd`,
//! `yyyy-mm`, `hh:mm` (24 hours) — whatever language the browser speaks (a browser's own
//! `<input type=date>` shows mm/dd/yyyy in English and 12-hour times). Owns reading what
//! was typed into the one stored form and showing it back; never reads the clock.
//!
//! What is read: digit groups between separators (`-` `/` `.` `:` `：` space, `T`, 年 月
//! 日 号 点 时 分), or the digits alone (`20261205`, `1930`, on a phone's number pad);
//! full-width digits and separators count as their ASCII. Anything else, or a day that is not in the
//! calendar, is refused.

use std::fmt;

/// Which value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM`.
    Month,
    /// `HH:MM`, 24 hours.
    Time,
    /// `YYYY-MM-DDTHH:MM` (what `time::from_local_input` reads), shown with a space.
    DateTime,
}

impl FieldKind {
    /// The browser's own input type for the same value (its picker writes this form).
    pub fn native_type(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Month => "month",
            Self::Time => "time",
            Self::DateTime => "datetime-local",
        }
    }

    /// The longest text a field of this kind needs (its `maxlength`, with room for 年月日).
    pub fn max_len(self) -> usize {
        match self {
            Self::Date => 12,
            Self::Month => 9,
            Self::Time => 6,
            Self::DateTime => 20,
        }
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Date => "yyyy-mm-dd",
            Self::Month => "yyyy-mm",
            Self::Time => "hh:mm",
            Self::DateTime => "yyyy-mm-dd hh:mm",
        })
    }
}

/// What was typed cannot be read as the field's kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not {kind}")]
pub struct DateInputError {
    /// The field's kind.
    pub kind: FieldKind,
    /// What was typed.
    pub text: String,
}

/// Reads `typed` as a value of `kind` in its stored form; empty (or blank) is `""`.
pub fn normalize(kind: FieldKind, typed: &str) -> Result<String, DateInputError> {
    let err = || DateInputError {
        kind,
        text: typed.into(),
    };
    let groups = groups(typed).ok_or_else(err)?;
    if groups.is_empty() {
        return Ok(String::new());
    }
    let mut rest = groups.as_slice();
    let out = match kind {
        FieldKind::Date => date(&mut rest),
        FieldKind::Month => month(&mut rest).map(|(y, m)| format!("{y:04}-{m:02}")),
        FieldKind::Time => time(&mut rest),
        FieldKind::DateTime => {
            date(&mut rest).and_then(|d| Some(format!("{d}T{}", time(&mut rest)?)))
        }
    };
    out.filter(|_| rest.is_empty()).ok_or_else(err)
}

/// A stored value as the field shows it (`2026-11-22T19:00` → `2026-11-22 19:00`).
pub fn display(kind: FieldKind, stored: &str) -> String {
    match kind {
        FieldKind::DateTime => stored.replacen('T', " ", 1),
        _ => stored.to_owned(),
    }
}

/// The runs of digits in `s`, or `None` when it holds a character that is neither a digit
/// nor a separator.
fn groups(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        // Full-width forms (a Chinese keyboard's ２０２６－１２) read as their ASCII.
        let c = match c {
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0)?,
            c => c,
        };
        if c.is_ascii_digit() {
            cur.push(c);
            continue;
        }
        if !(c.is_whitespace() || "-/.:Tt年月日号点时分".contains(c)) {
            return None;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Some(out)
}

/// Takes a year and month: `2026`, `11` or `202611` (or the first six of `20261122`).
fn month(rest: &mut &[String]) -> Option<(u32, u32)> {
    let (y, m) = match rest {
        [y, m, ..] if y.len() == 4 && (1..=2).contains(&m.len()) => {
            let out = (y.parse().ok()?, m.parse().ok()?);
            *rest = &rest[2..];
            out
        }
        [ym, ..] if ym.len() == 6 => {
            let out = (ym[..4].parse().ok()?, ym[4..].parse().ok()?);
            *rest = &rest[1..];
            out
        }
        _ => return None,
    };
    (1..=12).contains(&m).then_some((y, m))
}

/// Takes a calendar date: `2026`, `12`, `5` or `20261205`.
fn date(rest: &mut &[String]) -> Option<String> {
    let (y, m, d) = match rest {
        [ymd, ..] if ymd.len() == 8 => {
            let p = |r: std::ops::Range<usize>| ymd[r].parse::<u32>().ok();
            let out = (p(0..4)?, p(4..6)?, p(6..8)?);
            *rest = &rest[1..];
            out
        }
        _ => {
            let (y, m) = month(rest)?;
            let [d, ..] = rest else { return None };
            if !(1..=2).contains(&d.len()) {
                return None;
            }
            let d = d.parse().ok()?;
            *rest = &rest[1..];
            (y, m, d)
        }
    };
    let month = ::time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    ::time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Takes a time of day: `19`, `30` or `1930` / `930`.
fn time(rest: &mut &[String]) -> Option<String> {
    let (h, m): (u32, u32) = match rest {
        [h, m, ..] if (1..=2).contains(&h.len()) && m.len() == 2 => {
            let out = (h.parse().ok()?, m.parse().ok()?);
            *rest = &rest[2..];
            out
        }
        [hm, ..] if (3..=4).contains(&hm.len()) => {
            let split = hm.len() - 2;
            let out = (hm[..split].parse().ok()?, hm[split..].parse().ok()?);
            *rest = &rest[1..];
            out
        }
        _ => return None,
    };
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use FieldKind::*;

    fn ok(kind: FieldKind, typed: &str) -> String {
        normalize(kind, typed).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn dates_in_every_way_a_cadre_types_them() {
        for typed in [
            "2026-12-05",
            "2026-12-5",
            "2026/12/5",
            "2026.12.05",
            "2026年12月5日",
            "2026年12月5号",
            "20261205",
            " 2026 12 05 ",
            "２０２６－１２－０５",
        ] {
            assert_eq!(ok(Date, typed), "2026-12-05", "{typed}");
        }
        assert_eq!(ok(Date, "2028-2-29"), "2028-02-29", "a leap day");
        assert_eq!(ok(Date, "  "), "", "blank is empty");
    }

    #[test]
    fn refuses_what_is_not_a_calendar_date() {
        for typed in [
            "2026-13-01",
            "2026-02-29",
            "2026-11-31",
            "12/05/2026",
            "05.12.2026",
            "2026-12",
            "2026-12-05-1",
            "2026-12-005",
            "26-12-05",
            "2026-12-05x",
            "明天",
            "2026121",
        ] {
            let e = normalize(Date, typed).unwrap_err();
            assert_eq!(e.text, typed);
            assert_eq!(e.to_string(), format!("{typed:?} is not yyyy-mm-dd"));
        }
    }

    #[test]
    fn months_times_and_both() {
        assert_eq!(ok(Month, "2026-11"), "2026-11");
        assert_eq!(ok(Month, "2026年3月"), "2026-03");
        assert_eq!(ok(Month, "202603"), "2026-03");
        assert!(normalize(Month, "2026-13").is_err());
        assert!(normalize(Month, "2026-11-02").is_err());

        assert_eq!(ok(Time, "19:30"), "19:30");
        assert_eq!(ok(Time, "7:05"), "07:05");
        assert_eq!(ok(Time, "1930"), "19:30");
        assert_eq!(ok(Time, "930"), "09:30");
        assert_eq!(ok(Time, "19：30"), "19:30");
        assert_eq!(ok(Time, "19点30分"), "19:30");
        for bad in ["24:00", "19:60", "7", "7:5", "7:30 PM", "19:30:00"] {
            assert!(normalize(Time, bad).is_err(), "{bad}");
        }

        assert_eq!(ok(DateTime, "2026-11-22T19:00"), "2026-11-22T19:00");
        assert_eq!(ok(DateTime, "2026-11-22 19:00"), "2026-11-22T19:00");
        assert_eq!(ok(DateTime, "2026/11/22 7:00"), "2026-11-22T07:00");
        assert_eq!(ok(DateTime, "20261122 1900"), "2026-11-22T19:00");
        assert!(normalize(DateTime, "2026-11-22").is_err());
        assert!(normalize(DateTime, "2026-11-22 25:00").is_err());
    }

    #[test]
    fn shows_the_stored_form_back_and_reads_it_again() {
        for (kind, stored) in [
            (Date, "2026-12-05"),
            (Month, "2026-12"),
            (Time, "19:30"),
            (DateTime, "2026-11-22T19:00"),
        ] {
            let shown = display(kind, stored);
            assert!(shown.chars().count() <= kind.max_len(), "{shown}");
            assert_eq!(ok(kind, &shown), stored);
            assert_eq!(
                ok(kind, stored),
                stored,
                "the browser picker's value reads too"
            );
        }
        assert_eq!(display(DateTime, "2026-11-22T19:00"), "2026-11-22 19:00");
        assert_eq!(ok(Date, "2026年12月05日").chars().count(), 10);
        assert!("2026年12月05日".chars().count() <= Date.max_len());
    }
}
