//! Typed views of the people documents: a volunteer service team (志愿服务队) and a
//! volunteer. Like the other views in `doc`, each keeps the fields it does not know in
//! `extra`, so a round trip through this version changes nothing. Shapes only.

use super::Meta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A volunteer service team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// e.g. 农技服务队.
    pub name: String,
    /// What it does (`agritech`, `medical`, …; `other` when not given).
    #[serde(default = "other")]
    pub specialty: String,
    /// The leader's name.
    #[serde(default)]
    pub leader: String,
    /// Fields this version does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn other() -> String {
    "other".into()
}

/// A volunteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Volunteer {
    /// Common fields.
    #[serde(flatten)]
    pub meta: Meta,
    /// Full name.
    pub name: String,
    /// Mobile number, or empty.
    #[serde(default)]
    pub phone: String,
    /// 志愿者编号 in the national volunteer system, or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer_number: Option<String>,
    /// The teams (document ids) the volunteer belongs to.
    #[serde(default)]
    pub teams: Vec<String>,
    /// What the volunteer can do.
    #[serde(default)]
    pub skills: Vec<String>,
    /// 党员.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_member: Option<bool>,
    /// Whether the volunteer still serves; absent means yes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Fields this version does not know, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Volunteer {
    /// Whether the volunteer still serves (an absent `active` means yes).
    pub fn is_active(&self) -> bool {
        self.active != Some(false)
    }

    /// Whether the volunteer belongs to the team `team_id`.
    pub fn in_team(&self, team_id: &str) -> bool {
        self.teams.iter().any(|t| t == team_id)
    }
}
