//! Hours for the national volunteer system: the CSV 志愿服务时长（报送） and the
//! 志愿者编号 rule. Owns the columns and their order and the number's check; never reads a
//! store.
//!
//! The CSV (UTF-8 with BOM, `csv::table`): one row per volunteer per activity with counted
//! time in the period, by date then name, in the order batch entry asks for them — 姓名,
//! 志愿者编号, 活动名称, 服务日期, 开始时间, 结束时间, 服务时长（小时）, 组织单位. Start and
//! end are the check-in and check-out (or the confirmed activity end). Time flagged
//! 不计入 (a missing check-out not confirmed) is left out of the rows and listed after an
//! empty line under 以下时长未计入, with the hours cell saying 不计入, so nobody enters it
//! by mistake and nobody forgets to confirm it.
//!
//! 志愿者编号: the number the national volunteer information system shows a registered
//! volunteer. Its length is not published as a fixed figure and has differed between
//! provinces and years, so Yehua accepts what such a number is made of: digits only, 8 to
//! 20 of them, spaces and dashes as typed ignored. It is never required.

use super::{clock, date, hours, s, Library};
use crate::attendance::service;
use crate::csv;

/// The CSV's header, in column order.
pub const HEADER: [&str; 8] = [
    "姓名",
    "志愿者编号",
    "活动名称",
    "服务日期",
    "开始时间",
    "结束时间",
    "服务时长（小时）",
    "组织单位",
];

/// The line that opens the list of time left out.
pub const LEFT_OUT: &str = "以下时长未计入（未签退，待确认）";

/// Fewest digits in a 志愿者编号.
pub const NUMBER_MIN: usize = 8;
/// Most digits in a 志愿者编号.
pub const NUMBER_MAX: usize = 20;

/// Why a 志愿者编号 is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Something other than digits.
    #[error("a volunteer number has digits only")]
    NotDigits,
    /// Too short or too long.
    #[error("a volunteer number has {NUMBER_MIN} to {NUMBER_MAX} digits, not {0}")]
    Length(usize),
}

impl NumberError {
    /// The message the cadre sees, in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Self::NotDigits => "志愿者编号只能是数字".into(),
            Self::Length(n) => {
                format!("志愿者编号应为 {NUMBER_MIN}–{NUMBER_MAX} 位数字（现在 {n} 位）")
            }
        }
    }
}

/// Checks a typed 志愿者编号: `Ok(None)` when left empty, the digits when valid.
pub fn volunteer_number(input: &str) -> Result<Option<String>, NumberError> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError::NotDigits);
    }
    if !(NUMBER_MIN..=NUMBER_MAX).contains(&digits.len()) {
        return Err(NumberError::Length(digits.len()));
    }
    Ok(Some(digits))
}

struct Line {
    key: (String, String, String),
    cells: Vec<String>,
}

impl Library<'_> {
    /// The CSV of `station`'s volunteer hours from `from` to `to` (`YYYY-MM-DD`, inclusive,
    /// the activity's date at UTC+8); `organiser` names the station (组织单位).
    pub fn hours_csv(&self, station: &str, from: &str, to: &str, organiser: &str) -> String {
        let (mut counted, mut left_out) = (Vec::new(), Vec::new());
        for a in &self.activities {
            let day = date(s(a, "start"));
            if s(a, "station") != station || day.as_str() < from || day.as_str() > to {
                continue;
            }
            let end = Some(s(a, "end")).filter(|e| !e.is_empty());
            for x in self.attendance.get(s(a, "_id")).into_iter().flatten() {
                let Ok(sv) = service(x, end) else { continue };
                let v = self.get(s(x, "volunteer_id"));
                let name = v.map_or_else(|| s(x, "volunteer_id"), |v| s(v, "name"));
                let out = match s(x, "check_out") {
                    "" => clock(end.unwrap_or_default()),
                    t => clock(t),
                };
                let mut cells = vec![
                    name.to_owned(),
                    v.map(|v| s(v, "volunteer_number"))
                        .unwrap_or_default()
                        .to_owned(),
                    s(a, "title").to_owned(),
                    day.clone(),
                    clock(s(x, "check_in")),
                    out,
                    hours(sv.minutes),
                    organiser.to_owned(),
                ];
                let key = (day.clone(), name.to_owned(), s(x, "_id").to_owned());
                if sv.counted {
                    counted.push(Line { key, cells });
                } else {
                    cells[5] = String::new();
                    cells[6] = "不计入".into();
                    left_out.push(Line { key, cells });
                }
            }
        }
        counted.sort_by(|a, b| a.key.cmp(&b.key));
        left_out.sort_by(|a, b| a.key.cmp(&b.key));
        let mut rows: Vec<Vec<String>> = counted.into_iter().map(|l| l.cells).collect();
        if !left_out.is_empty() {
            rows.push(Vec::new());
            rows.push(vec![LEFT_OUT.to_owned()]);
            rows.extend(left_out.into_iter().map(|l| l.cells));
        }
        csv::table(&HEADER, &rows)
    }
}
