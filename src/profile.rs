//! The cadre's profile: which station this phone records for, and who the cadre is.
//! A local-only record (never replicated), set on first start. Pure: tested natively.

use serde::{Deserialize, Serialize};

/// The local-record key the profile is stored under.
pub const PROFILE_KEY: &str = "profile";

/// A station's place in the practice network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 村（社区）新时代文明实践站.
    #[default]
    Village,
    /// 乡镇（街道）实践所.
    Township,
    /// 县（区）实践中心.
    County,
    /// 市级.
    City,
}

impl Level {
    /// All levels, smallest first.
    pub const ALL: [Level; 4] = [Level::Village, Level::Township, Level::County, Level::City];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Village => "village",
            Level::Township => "township",
            Level::County => "county",
            Level::City => "city",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The profile as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Administrative code of the station (6–12 digits).
    pub station_code: String,
    /// Station name, e.g. 示范村新时代文明实践站.
    pub station_name: String,
    /// Station level.
    pub level: Level,
    /// The cadre's name, recorded as `created_by`.
    pub cadre_name: String,
}

/// Which field of the profile form is wrong, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The station code is not 6–12 digits.
    #[error("station code must be 6 to 12 digits")]
    StationCode,
    /// The station name is empty.
    #[error("station name is required")]
    StationName,
    /// The cadre name is empty.
    #[error("cadre name is required")]
    CadreName,
}

impl Profile {
    /// Builds a profile from the form's raw text, trimming it, or names the first bad field.
    pub fn from_form(
        code: &str,
        name: &str,
        level: Level,
        cadre: &str,
    ) -> Result<Self, ProfileError> {
        let code = code.trim();
        if !(6..=12).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ProfileError::StationCode);
        }
        if name.trim().is_empty() {
            return Err(ProfileError::StationName);
        }
        if cadre.trim().is_empty() {
            return Err(ProfileError::CadreName);
        }
        Ok(Self {
            station_code: code.to_owned(),
            station_name: name.trim().to_owned(),
            level,
            cadre_name: cadre.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, name: &str, cadre: &str, expect: Result<(), ProfileError>) {
        let got = Profile::from_form(code, name, Level::Village, cadre).map(|_| ());
        assert_eq!(got, expect, "{code:?} {name:?} {cadre:?}");
    }

    #[test]
    fn form_validation() {
        check("330106001", "示范村", "王书记", Ok(()));
        check(" 330106001 ", " 示范村 ", "王书记", Ok(()));
        check("33010", "示范村", "王书记", Err(ProfileError::StationCode));
        check(
            "3301060011111",
            "示范村",
            "王书记",
            Err(ProfileError::StationCode),
        );
        check(
            "33a106001",
            "示范村",
            "王书记",
            Err(ProfileError::StationCode),
        );
        check("330106001", "  ", "王书记", Err(ProfileError::StationName));
        check("330106001", "示范村", "", Err(ProfileError::CadreName));
    }

    #[test]
    fn round_trips_with_chinese_text() {
        let p = Profile::from_form("330106001", "示范村实践站", Level::Township, "李红").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"level\":\"township\""));
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), p);
    }
}
