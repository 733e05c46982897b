//! The station tree a phone can know without the hub's `stations` table: its own profile,
//! any `station` documents it holds, and the codes its documents carry. Owns the grouping
//! rule of the phone's dashboard; the sums stay in [`super::roll_up`].
//!
//! The rule, in order:
//! 1. The phone's own station (from its profile) is known with its name and level.
//! 2. A live `station` document names a station: `code` (else the id after `station:`),
//!    `name`, `level`, `parent`. For the phone's own station it only adds the parent.
//! 3. Every other station code found in the documents is a `village` named by its code.
//! 4. A station with no parent gets the longest other known code that is a proper prefix
//!    of its own (administrative codes nest: 330106 → 330106001), else stays a group of
//!    its own. A station is never put under a code that does not prefix it, so a file
//!    from another township never swells this township's totals.

use super::StationInfo;
use serde_json::Value;
use std::collections::BTreeMap;

fn text(d: &Value, k: &str) -> Option<String> {
    d.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The stations the dashboard groups by, following the rule in the module doc.
/// `station_docs` may hold any documents (only live `station` ones are read); `codes` are
/// the station codes the counted documents carry.
pub fn known_stations<'a>(
    own: &StationInfo,
    station_docs: impl IntoIterator<Item = &'a Value>,
    codes: impl IntoIterator<Item = &'a str>,
) -> Vec<StationInfo> {
    let mut known: BTreeMap<String, StationInfo> = BTreeMap::new();
    known.insert(own.code.clone(), own.clone());
    for d in station_docs {
        if text(d, "type").as_deref() != Some("station") || d.get("_deleted") == Some(&true.into())
        {
            continue;
        }
        let id_code = text(d, "_id").and_then(|id| id.strip_prefix("station:").map(str::to_owned));
        let Some(code) = text(d, "code").or(id_code) else {
            continue;
        };
        let parent = text(d, "parent").filter(|p| *p != code);
        if code == own.code {
            let me = known.get_mut(&code).expect("own station is known");
            me.parent = me.parent.take().or(parent);
            continue;
        }
        known.insert(
            code.clone(),
            StationInfo {
                name: text(d, "name").unwrap_or_else(|| code.clone()),
                level: text(d, "level").unwrap_or_default(),
                parent,
                code,
            },
        );
    }
    for code in codes {
        known.entry(code.to_owned()).or_insert_with(|| StationInfo {
            code: code.to_owned(),
            name: code.to_owned(),
            level: "village".into(),
            parent: None,
        });
    }
    let all: Vec<String> = known.keys().cloned().collect();
    for s in known.values_mut().filter(|s| s.parent.is_none()) {
        s.parent = all
            .iter()
            .filter(|c| c.len() < s.code.len() && s.code.starts_with(c.as_str()))
            .max_by_key(|c| c.len())
            .cloned();
    }
    known.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn info(code: &str, level: &str) -> StationInfo {
        StationInfo {
            code: code.into(),
            name: format!("站{code}"),
            level: level.into(),
            parent: None,
        }
    }

    fn parents(list: &[StationInfo]) -> Vec<(&str, Option<&str>, &str)> {
        list.iter()
            .map(|s| (s.code.as_str(), s.parent.as_deref(), s.level.as_str()))
            .collect()
    }

    #[test]
    fn a_village_phone_knows_only_itself() {
        let got = known_stations(&info("330106001", "village"), [], ["330106001"]);
        assert_eq!(got, [info("330106001", "village")]);
    }

    #[test]
    fn a_township_groups_the_villages_its_code_prefixes() {
        let own = info("330106", "township");
        let got = known_stations(&own, [], ["330106001", "330106002", "330107001"]);
        assert_eq!(
            parents(&got),
            [
                ("330106", None, "township"),
                ("330106001", Some("330106"), "village"),
                ("330106002", Some("330106"), "village"),
                // Another township's village is a group of its own, never added here.
                ("330107001", None, "village"),
            ]
        );
        assert_eq!(got[1].name, "330106001");
    }

    #[test]
    fn station_documents_name_stations_and_give_parents() {
        let own = info("3301", "city");
        let docs = [
            json!({"_id": "station:330106", "type": "station", "name": "某镇实践所",
                "level": "township", "parent": "3301"}),
            json!({"_id": "station:x", "type": "station", "code": "330106009",
                "name": "九村", "level": "village", "parent": "330106"}),
            json!({"_id": "station:3301", "type": "station", "parent": "33"}),
            json!({"_id": "station:330199", "type": "station", "_deleted": true}),
            json!({"_id": "activity:1", "type": "activity", "station": "330106001"}),
        ];
        let got = known_stations(&own, &docs, ["330106001", "330106009"]);
        assert_eq!(
            parents(&got),
            [
                ("3301", Some("33"), "city"),
                ("330106", Some("3301"), "township"),
                // Unnamed village: under the longest known prefix, the township.
                ("330106001", Some("330106"), "village"),
                ("330106009", Some("330106"), "village"),
            ]
        );
        assert_eq!(got[0].name, "站3301", "the profile's name wins");
        assert_eq!(got[1].name, "某镇实践所");
        assert_eq!(got[3].name, "九村");
    }

    #[test]
    fn the_rollup_sums_a_township_from_its_villages() {
        let own = info("330106", "township");
        let docs = [
            json!({"_id": "activity:1", "type": "activity", "station": "330106001",
                "kind": "evening_forum", "start": "2026-11-02T19:00:00+08:00", "villagers_present": 30}),
            json!({"_id": "activity:2", "type": "activity", "station": "330106002",
                "kind": "evening_forum", "start": "2026-11-05T19:00:00+08:00", "villagers_present": 12}),
        ];
        let base = super::super::per_station_month(&docs, super::super::Demo::LeaveOut);
        let codes: Vec<&str> = base.keys().map(|(c, _)| c.as_str()).collect();
        let stations = known_stations(&own, [], codes);
        let rows = super::super::roll_up(&base, &stations);
        let town = rows.iter().find(|r| r.code == "330106").unwrap();
        assert_eq!((town.figures.forums, town.figures.villagers), (2, 42));
        assert_eq!(town.level, "township");
        assert_eq!(rows.len(), 3);
    }
}
