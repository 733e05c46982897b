//! Operations on teams, volunteers and attendance: save a team or a volunteer, warn about a
//! duplicate phone number, check a volunteer in and out of an activity (the deterministic
//! `attendance:<activity>:<volunteer>` id, so two phones converge on one record), check
//! everyone out, set a role, confirm a flagged missing check-out; and the teams to pick
//! from and the teams screen's rows. Each is one function over [`Store`]; writes return
//! after IndexedDB committed, reads return the store's error rather than an empty list.

use super::{new_base, now, RecordError};
use crate::collate::sort_by_name;
use crate::profile::Profile;
use crate::store::{Relation, Store, StoreError};
use model::attendance::normalize_mobile;
use model::concern::team::{team_figures, TeamFigures};
use model::id::{attendance_id, DocType};
use model::points::team_points;
use model::{Team, Volunteer};
use serde_json::{json, Value};

/// Team specialties (wire name, zh-CN label is in the locales as `spec_<name>`).
pub const SPECIALTIES: [&str; 8] = [
    "agritech",
    "medical",
    "legal",
    "arts",
    "policy",
    "sanitation",
    "elderly",
    "other",
];

/// A record as a picker offers it: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The record's id (what `assigned_team` or `volunteer_id` holds).
    pub id: String,
    /// Its name.
    pub name: String,
}

/// Records to choose from, by name in pinyin order.
fn choices(named: impl Iterator<Item = (String, String)>) -> Vec<Choice> {
    let mut out: Vec<Choice> = named.map(|(id, name)| Choice { id, name }).collect();
    sort_by_name(&mut out, |c| &c.name);
    out
}

/// The station's teams to choose from, in pinyin order.
pub async fn team_choices(store: &Store) -> Result<Vec<Choice>, StoreError> {
    let teams = store.all_as::<Team>().await?;
    Ok(choices(teams.into_iter().map(|t| (t.meta.id, t.name))))
}

/// The station's volunteers to choose from, in pinyin order.
pub async fn volunteer_choices(store: &Store) -> Result<Vec<Choice>, StoreError> {
    let vols = store.all_as::<Volunteer>().await?;
    Ok(choices(vols.into_iter().map(|v| (v.meta.id, v.name))))
}

/// A row of the teams screen: the team, its members and their turnout, and its concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    /// The team.
    pub team: Team,
    /// Volunteers who list the team.
    pub members: usize,
    /// Their attendance records.
    pub turnout: u32,
    /// The concerns dispatched to it (`model::concern::team`), on `today`.
    pub figures: TeamFigures,
    /// The team's honour points from resolved concerns (`model::points::team_points`).
    pub points: u32,
}

/// Every team with its figures, in pinyin order.
pub async fn team_rows(store: &Store, today: &str) -> Result<Vec<TeamRow>, StoreError> {
    let mut teams = store.all_as::<Team>().await?;
    sort_by_name(&mut teams, |t| &t.name);
    let vols = store.all_as::<Volunteer>().await?;
    let concerns = store.all_of_type("concern", u32::MAX).await?;
    let points = team_points(&concerns, &super::points::rules(store).await?);
    let mut out = Vec::with_capacity(teams.len());
    for team in teams {
        let tid = team.meta.id.clone();
        let members: Vec<&Volunteer> = vols.iter().filter(|v| v.in_team(&tid)).collect();
        let mut turnout = 0u32;
        for m in &members {
            turnout += store
                .count_related(Relation::AttendanceByVolunteer, &m.meta.id)
                .await?;
        }
        out.push(TeamRow {
            members: members.len(),
            turnout,
            figures: team_figures(&concerns, &tid, today),
            points: points.get(&tid).copied().unwrap_or(0),
            team,
        });
    }
    Ok(out)
}

/// Attendance roles.
pub const ROLES: [&str; 5] = ["speaker", "service", "organizer", "performer", "other"];

pub(super) fn merged(base: Value, fields: Value) -> Value {
    let mut doc = base;
    if let (Some(d), Value::Object(f)) = (doc.as_object_mut(), fields) {
        d.extend(f);
    }
    doc
}

pub(super) async fn save(store: &Store, doc: Value) -> Result<String, RecordError> {
    model::validate::validate(&doc).map_err(|e| RecordError::Form(e.into()))?;
    let id = doc["_id"].as_str().unwrap_or_default().to_owned();
    store.put(doc).await?;
    Ok(id)
}

/// Saves a team: the stored team `existing` edited, or a new one when `None`.
pub async fn save_team(
    store: &Store,
    profile: &Profile,
    existing: Option<&str>,
    name: &str,
    specialty: &str,
    leader: &str,
) -> Result<String, RecordError> {
    let base = match existing {
        Some(id) => store.get(id).await?,
        None => new_base(DocType::Team, profile),
    };
    let fields = json!({"name": name.trim(), "specialty": specialty, "leader": leader.trim(), "updated_at": now()});
    save(store, merged(base, fields)).await
}

/// A volunteer as the form holds it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolunteerInput {
    /// Name.
    pub name: String,
    /// Mobile number as typed.
    pub phone: String,
    /// 志愿者编号 as typed (optional; `model::paper::hours::volunteer_number`).
    pub number: String,
    /// Team ids.
    pub teams: Vec<String>,
    /// Skills, comma separated.
    pub skills: String,
    /// 党员.
    pub party_member: bool,
    /// Still serving.
    pub active: bool,
}

impl From<Volunteer> for VolunteerInput {
    fn from(v: Volunteer) -> Self {
        VolunteerInput {
            active: v.is_active(),
            party_member: v.party_member == Some(true),
            number: v.volunteer_number.unwrap_or_default(),
            skills: v.skills.join("，"),
            name: v.name,
            phone: v.phone,
            teams: v.teams,
        }
    }
}

/// Saves a volunteer: the stored volunteer `existing` edited, or a new one when `None`.
/// The phone is stored normalized, the 志愿者编号 as its digits (left empty, the field is
/// removed); a bad number refuses the save.
pub async fn save_volunteer(
    store: &Store,
    profile: &Profile,
    existing: Option<&str>,
    v: &VolunteerInput,
) -> Result<String, RecordError> {
    let number = model::paper::hours::volunteer_number(&v.number)?;
    let mut base = match existing {
        Some(id) => store.get(id).await?,
        None => new_base(DocType::Volunteer, profile),
    };
    if let (None, Some(o)) = (&number, base.as_object_mut()) {
        o.remove("volunteer_number");
    }
    let phone = normalize_mobile(&v.phone).unwrap_or_else(|| v.phone.trim().to_owned());
    let skills: Vec<&str> = v
        .skills
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut fields = json!({"name": v.name.trim(), "phone": phone, "teams": v.teams, "skills": skills,
        "party_member": v.party_member, "active": v.active, "updated_at": now()});
    if let Some(n) = number {
        fields["volunteer_number"] = Value::from(n);
    }
    save(store, merged(base, fields)).await
}

/// The name of another volunteer with the same mobile number, if any.
pub async fn duplicate_phone(
    store: &Store,
    phone: &str,
    except: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let Some(phone) = normalize_mobile(phone) else {
        return Ok(None);
    };
    let all = store.all_of_type("volunteer", u32::MAX).await?;
    Ok(all
        .iter()
        .find(|v| v["phone"].as_str() == Some(phone.as_str()) && v["_id"].as_str() != except)
        .and_then(|v| v["name"].as_str().map(str::to_owned)))
}

/// Checks `volunteer_id` in to `activity_id` now; checking in twice keeps the first time.
pub async fn check_in(
    store: &Store,
    profile: &Profile,
    activity_id: &str,
    volunteer_id: &str,
    role: &str,
) -> Result<(), RecordError> {
    let id = attendance_id(activity_id, volunteer_id);
    let at = now();
    let mut doc = match store.get(&id).await {
        Ok(live) if live.get("check_in").is_some() => return Ok(()),
        Ok(live) => live,
        Err(StoreError::NotFound(_)) => match store.get_record(&id).await? {
            // Checked in, deleted, checked in again: continue the same document's history.
            Some(record) if record.is_deleted() => {
                let mut base = new_base(DocType::Attendance, profile);
                base["_rev"] = json!(record.winner_rev().map(|r| r.to_string()));
                base
            }
            _ => new_base(DocType::Attendance, profile),
        },
        Err(e) => return Err(e.into()),
    };
    doc["_id"] = json!(id);
    let fields = json!({"activity_id": activity_id, "volunteer_id": volunteer_id, "role": role,
        "check_in": at, "updated_at": at});
    doc = merged(doc, fields);
    save(store, doc).await.map(|_| ())
}

/// Checks one attendance out now (no-op if already out).
pub async fn check_out(store: &Store, attendance_id: &str) -> Result<(), RecordError> {
    let doc = store.get(attendance_id).await?;
    if doc.get("check_out").and_then(Value::as_str).is_some() {
        return Ok(());
    }
    let at = now();
    save(
        store,
        merged(doc, json!({"check_out": at, "updated_at": at})),
    )
    .await
    .map(|_| ())
}

/// 全部签退: checks out everyone still here, in one transaction. Returns how many.
pub async fn check_out_all(store: &Store, activity_id: &str) -> Result<usize, RecordError> {
    let at = now();
    let here: Vec<Value> = store
        .related(Relation::AttendanceByActivity, activity_id, u32::MAX)
        .await?
        .into_iter()
        .filter(|a| a.get("check_out").and_then(Value::as_str).is_none())
        .map(|a| merged(a, json!({"check_out": at, "updated_at": at})))
        .collect();
    let n = here.len();
    for r in store.bulk_put(here).await? {
        r?;
    }
    Ok(n)
}

/// Sets the role of an attendance.
pub async fn set_role(store: &Store, attendance_id: &str, role: &str) -> Result<(), RecordError> {
    let doc = store.get(attendance_id).await?;
    save(
        store,
        merged(doc, json!({"role": role, "updated_at": now()})),
    )
    .await
    .map(|_| ())
}

/// Edits an attendance's check-in / check-out (`datetime-local` values, China time; an
/// empty check-out means still here). A refused edit writes nothing; an accepted one is a
/// new revision, so the times before stay in the document's history.
pub async fn edit_attendance_times(
    store: &Store,
    attendance_id: &str,
    check_in: &str,
    check_out: &str,
) -> Result<(), RecordError> {
    let doc = store.get(attendance_id).await?;
    let edited = model::attendance::edit_times(&doc, check_in, check_out, &now())?;
    save(store, edited).await.map(|_| ())
}

/// Confirms a missing check-out: the activity's end time counts as served.
pub async fn confirm_check_out(store: &Store, attendance_id: &str) -> Result<(), RecordError> {
    let doc = store.get(attendance_id).await?;
    save(store, model::attendance::confirm_end(&doc, &now()))
        .await
        .map(|_| ())
}

/// The name of team `team_id` (`None`: the team is not on this phone, or deleted).
pub async fn team_name(store: &Store, team_id: &str) -> Result<Option<String>, StoreError> {
    let team = super::find::<model::Team>(store, team_id).await?;
    Ok(team.map(|t| t.name))
}
