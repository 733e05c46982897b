//! Side-by-side comparison of a conflicted document's versions: the field rows the
//! conflict screen shows, each value as text, and whether the versions differ there.
//! Owns presentation-neutral comparison only; labels and layout belong to the page.

use serde_json::Value;

/// One field across every version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    /// The field name (`title`, `place`, …).
    pub field: String,
    /// The value in each version as text (empty when absent), in the versions' order.
    pub values: Vec<String>,
    /// Whether any two versions disagree here.
    pub differs: bool,
}

/// Fields never shown: revision bookkeeping, which always differs.
const HIDDEN: [&str; 4] = ["_id", "_rev", "_revisions", "_conflicts"];

/// Fields in the order a cadre reads a record; others follow alphabetically.
const READING_ORDER: [&str; 17] = [
    "title",
    "name",
    "kind",
    "start",
    "end",
    "place",
    "host",
    "villagers_present",
    "teams",
    "agenda",
    "text",
    "category",
    "status",
    "villager",
    "check_in",
    "check_out",
    "notes",
];

/// The rows for `versions` (full documents), in reading order, differing fields first so
/// that the screen shows what matters at the top of a small phone.
pub fn compare(versions: &[Value]) -> Vec<FieldRow> {
    let mut fields: Vec<&str> = Vec::new();
    for v in versions {
        if let Some(obj) = v.as_object() {
            for k in obj.keys() {
                if !HIDDEN.contains(&k.as_str()) && !fields.contains(&k.as_str()) {
                    fields.push(k);
                }
            }
        }
    }
    let mut rows: Vec<FieldRow> = fields
        .into_iter()
        .map(|f| {
            let raw: Vec<Option<&Value>> = versions.iter().map(|v| v.get(f)).collect();
            let differs = raw.windows(2).any(|w| w[0] != w[1]);
            FieldRow {
                field: f.to_owned(),
                values: raw.into_iter().map(text).collect(),
                differs,
            }
        })
        .collect();
    let rank = |f: &str| {
        READING_ORDER
            .iter()
            .position(|x| *x == f)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by(|a, b| {
        (!a.differs, rank(&a.field), &a.field).cmp(&(!b.differs, rank(&b.field), &b.field))
    });
    rows
}

/// A value as the cadre reads it: strings as they are, lists joined with 、, agenda-like
/// lists of objects one per line, anything else as compact JSON.
pub fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("、"),
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => items
            .iter()
            .map(|i| {
                i.as_object()
                    .map(|o| {
                        let mut keys: Vec<&String> = o.keys().collect();
                        keys.sort_by_key(|k| (rank_of(k), k.as_str()));
                        keys.into_iter()
                            .map(|k| text(o.get(k)))
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(other) => other.to_string(),
    }
}

/// Where a nested field (an agenda segment's) comes: title, then speaker, then the rest.
fn rank_of(key: &str) -> u8 {
    match key {
        "title" | "name" => 0,
        "speaker" => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differing_fields_come_first_and_bookkeeping_is_hidden() {
        let a = json!({"_id": "activity:1", "_rev": "2-a", "title": "秋收夜话", "place": "祠堂",
            "villagers_present": 40, "teams": ["农技队"]});
        let b = json!({"_id": "activity:1", "_rev": "2-b", "title": "秋收夜话", "place": "文化广场",
            "villagers_present": 45, "teams": ["农技队"], "notes": "加了一段"});
        let rows = compare(&[a, b]);
        let names: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(
            names,
            ["place", "villagers_present", "notes", "title", "teams"]
        );
        assert!(rows[..3].iter().all(|r| r.differs));
        assert!(rows[3..].iter().all(|r| !r.differs));
        assert_eq!(rows[0].values, ["祠堂", "文化广场"]);
        assert_eq!(rows[2].values, ["", "加了一段"]);
        assert_eq!(rows[4].values, ["农技队", "农技队"]);
    }

    #[test]
    fn an_agenda_reads_one_segment_per_line() {
        let agenda = json!([{"title": "文娱开场", "speaker": "文艺队", "minutes": 15},
            {"title": "主讲开题", "speaker": "", "minutes": 30}]);
        assert_eq!(text(Some(&agenda)), "文娱开场 · 文艺队 · 15\n主讲开题 · 30");
        assert_eq!(text(Some(&json!(true))), "true");
        assert_eq!(text(None), "");
    }

    #[test]
    fn identical_versions_differ_nowhere() {
        let a = json!({"_rev": "1-a", "title": "x"});
        let b = json!({"_rev": "1-b", "title": "x"});
        assert!(compare(&[a, b]).iter().all(|r| !r.differs));
    }
}
