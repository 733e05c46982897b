//! The 签到 roster of one activity as the roster screen shows it: every active volunteer
//! (and anyone already checked in), members of the activity's teams first, each group in
//! pinyin order, each with their attendance here if any. Reads only; the check-in and
//! check-out writes are in `people`.

use crate::collate::compare_names;
use crate::store::{Relation, Store, StoreError};
use model::{Activity, Attendance, Team, Volunteer};
use std::collections::HashMap;

/// One volunteer on the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The volunteer.
    pub volunteer: Volunteer,
    /// Their attendance at this activity, if they checked in.
    pub attendance: Option<Attendance>,
    /// Whether they belong to one of the activity's teams.
    pub member: bool,
}

/// The activity and its roster (`NotFound` when the activity is not on this phone).
pub async fn roster(store: &Store, activity_id: &str) -> Result<(Activity, Vec<Line>), StoreError> {
    let activity = super::find::<Activity>(store, activity_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(activity_id.to_owned()))?;
    // An activity names its teams by id (picked, synced) or by name (typed by an old build).
    let teams: Vec<String> = store
        .all_as::<Team>()
        .await?
        .into_iter()
        .filter(|t| {
            activity
                .teams
                .iter()
                .any(|n| *n == t.meta.id || *n == t.name)
        })
        .map(|t| t.meta.id)
        .collect();
    let mut present: HashMap<String, Attendance> = store
        .related_as::<Attendance>(Relation::AttendanceByActivity, activity_id)
        .await?
        .into_iter()
        .map(|a| (a.volunteer_id.clone(), a))
        .collect();
    let mut lines: Vec<Line> = Vec::new();
    for v in store.all_as::<Volunteer>().await? {
        let attendance = present.remove(&v.meta.id);
        if v.is_active() || attendance.is_some() {
            lines.push(Line {
                attendance,
                member: v.teams.iter().any(|t| teams.contains(t)),
                volunteer: v,
            });
        }
    }
    lines.sort_by(|a, b| {
        b.member
            .cmp(&a.member)
            .then_with(|| compare_names(&a.volunteer.name, &b.volunteer.name))
    });
    Ok((activity, lines))
}
