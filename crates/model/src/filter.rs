//! Which activities a list shows: by kind, by month, by "has pending concerns", and a
//! Chinese substring search over title, place, host and speakers. Owns matching only.

use serde_json::Value;
use std::collections::HashSet;

/// The list's filter, as set by the cadre.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityFilter {
    /// Kind wire name, or empty for all.
    pub kind: String,
    /// `YYYY-MM`, or empty for all.
    pub month: String,
    /// Only activities with pending (open or dispatched) concerns.
    pub pending_only: bool,
    /// Search text (substring, case-insensitive for Latin letters).
    pub text: String,
}

impl ActivityFilter {
    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
            && self.month.is_empty()
            && !self.pending_only
            && self.text.trim().is_empty()
    }

    /// Whether `doc` passes; `pending` holds the ids of activities with pending concerns.
    pub fn matches(&self, doc: &Value, pending: &HashSet<String>) -> bool {
        let s = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or_default();
        if !self.kind.is_empty() && s("kind") != self.kind {
            return false;
        }
        if !self.month.is_empty() && !s("start").starts_with(self.month.as_str()) {
            return false;
        }
        if self.pending_only && !pending.contains(s("_id")) {
            return false;
        }
        let needle = self.text.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let speakers = doc
            .get("agenda")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        ["title", "place", "host"]
            .into_iter()
            .map(s)
            .chain(speakers.filter_map(|seg| seg.get("speaker").and_then(Value::as_str)))
            .any(|hay| hay.to_lowercase().contains(&needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn forum() -> Value {
        json!({"_id": "activity:1", "kind": "evening_forum", "title": "村夜话·冬季防火",
            "place": "祠堂前空地", "host": "王书记", "start": "2026-11-22T19:30:00+08:00",
            "agenda": [{"title": "主讲开题", "speaker": "李医生"}]})
    }

    #[test]
    fn searches_chinese_substrings_in_every_field() {
        let none = HashSet::new();
        for text in ["祠堂", "防火", "王书", "李医生", "  夜话 "] {
            let f = ActivityFilter {
                text: text.into(),
                ..Default::default()
            };
            assert!(f.matches(&forum(), &none), "{text}");
        }
        let f = ActivityFilter {
            text: "广场".into(),
            ..Default::default()
        };
        assert!(!f.matches(&forum(), &none));
    }

    #[test]
    fn kind_month_and_pending_narrow_the_list() {
        let mut pending = HashSet::new();
        let by = |f: ActivityFilter, p: &HashSet<String>| f.matches(&forum(), p);
        assert!(by(
            ActivityFilter {
                kind: "evening_forum".into(),
                ..Default::default()
            },
            &pending
        ));
        assert!(!by(
            ActivityFilter {
                kind: "service".into(),
                ..Default::default()
            },
            &pending
        ));
        assert!(by(
            ActivityFilter {
                month: "2026-11".into(),
                ..Default::default()
            },
            &pending
        ));
        assert!(!by(
            ActivityFilter {
                month: "2026-10".into(),
                ..Default::default()
            },
            &pending
        ));
        let f = ActivityFilter {
            pending_only: true,
            ..Default::default()
        };
        assert!(!by(f.clone(), &pending));
        pending.insert("activity:1".into());
        assert!(by(f, &pending));
        assert!(ActivityFilter::default().is_empty());
    }
}
