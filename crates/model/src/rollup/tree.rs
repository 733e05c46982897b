//! The station tree as the headquarters console draws and edits it (the hub's
//! `stations` table, as `GET /_yehua/stations` lists it): the outline (each station under
//! its parent, children in code order, a station whose parent is not listed at the top),
//! the level a new station under another gets, and where a station may be moved. The
//! hub checks every change again; this only offers the choices that can succeed. No I/O.

use super::StationInfo;
use std::collections::{BTreeMap, HashSet};

/// The levels, lowest first.
pub const LEVELS: [&str; 4] = ["village", "township", "county", "city"];

fn rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// The stations in outline order with their depth (0 at the top). A loop in the parents
/// (which the hub refuses) cannot hang it: each station is listed once.
pub fn outline(stations: &[StationInfo]) -> Vec<(usize, StationInfo)> {
    let codes: HashSet<&str> = stations.iter().map(|s| s.code.as_str()).collect();
    let mut children: BTreeMap<Option<&str>, Vec<&StationInfo>> = BTreeMap::new();
    for s in stations {
        let parent = s.parent.as_deref().filter(|p| codes.contains(p));
        children.entry(parent).or_default().push(s);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(usize, &StationInfo)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|s| (0, *s)).collect())
        .unwrap_or_default();
    while let Some((depth, s)) = stack.pop() {
        if !seen.insert(s.code.as_str()) {
            continue;
        }
        out.push((depth, s.clone()));
        if let Some(kids) = children.get(&Some(s.code.as_str())) {
            stack.extend(kids.iter().rev().map(|k| (depth + 1, *k)));
        }
    }
    out
}

/// The level of a station added under one of `level` (None below a village).
pub fn child_level(level: &str) -> Option<&'static str> {
    rank(level)
        .and_then(|r| r.checked_sub(1))
        .map(|r| LEVELS[r])
}

/// Where station `code` may go: every station of a higher level that is neither it nor
/// below it, other than its present parent, in code order.
pub fn move_targets(stations: &[StationInfo], code: &str) -> Vec<StationInfo> {
    let Some(me) = stations.iter().find(|s| s.code == code) else {
        return Vec::new();
    };
    let mut below: HashSet<&str> = HashSet::from([code]);
    // Grow the subtree until it stops growing (the list is a few hundred stations).
    loop {
        let before = below.len();
        for s in stations {
            if s.parent.as_deref().is_some_and(|p| below.contains(p)) {
                below.insert(s.code.as_str());
            }
        }
        if below.len() == before {
            break;
        }
    }
    let mine = rank(&me.level);
    let mut out: Vec<StationInfo> = stations
        .iter()
        .filter(|s| !below.contains(s.code.as_str()))
        .filter(|s| Some(s.code.as_str()) != me.parent.as_deref())
        .filter(|s| matches!((rank(&s.level), mine), (Some(a), Some(b)) if a > b))
        .cloned()
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: &str, parent: Option<&str>, level: &str) -> StationInfo {
        StationInfo {
            code: code.into(),
            name: format!("站{code}"),
            level: level.into(),
            parent: parent.map(Into::into),
        }
    }

    fn tree() -> Vec<StationInfo> {
        vec![
            st("330102", Some("3301"), "village"),
            st("3301", Some("33"), "township"),
            st("33", None, "county"),
            st("330101", Some("3301"), "village"),
            st("3302", Some("33"), "township"),
            st("330201", Some("3302"), "village"),
        ]
    }

    #[test]
    fn the_outline_puts_each_station_under_its_parent_in_code_order() {
        let got: Vec<(usize, String)> = outline(&tree())
            .into_iter()
            .map(|(d, s)| (d, s.code))
            .collect();
        let want = [
            (0, "33"),
            (1, "3301"),
            (2, "330101"),
            (2, "330102"),
            (1, "3302"),
            (2, "330201"),
        ];
        assert_eq!(got, want.map(|(d, c)| (d, c.to_owned())));
        // An hq account's subtree: its township is at the top, its parent not listed.
        let sub: Vec<StationInfo> = tree()
            .into_iter()
            .filter(|s| s.code.starts_with("3301"))
            .collect();
        assert_eq!(outline(&sub)[0], (0, st("3301", Some("33"), "township")));
        // A loop lists each station once and never hangs.
        let looped = vec![
            st("1", Some("2"), "township"),
            st("2", Some("1"), "township"),
            st("3", None, "county"),
        ];
        assert_eq!(
            outline(&looped).len(),
            1,
            "only the reachable top; the loop is the hub's to refuse"
        );
    }

    #[test]
    fn a_new_station_is_one_level_down_and_a_move_never_goes_below_itself() {
        assert_eq!(child_level("township"), Some("village"));
        assert_eq!(child_level("city"), Some("county"));
        assert_eq!(child_level("village"), None);
        assert_eq!(child_level("hamlet"), None);
        let codes = |v: Vec<StationInfo>| v.into_iter().map(|s| s.code).collect::<Vec<_>>();
        assert_eq!(
            codes(move_targets(&tree(), "330101")),
            ["33", "3302"],
            "any higher level, as the hub allows"
        );
        assert_eq!(
            codes(move_targets(&tree(), "3301")),
            Vec::<String>::new(),
            "its county is its parent already"
        );
        let mut more = tree();
        more.push(st("34", None, "county"));
        assert_eq!(codes(move_targets(&more, "3301")), ["34"]);
        assert_eq!(codes(move_targets(&more, "33")), Vec::<String>::new());
        assert!(move_targets(&more, "nope").is_empty());
    }
}
