//! Query-string parameters as CouchDB reads them: booleans `true`/`false`, integers,
//! and JSON-encoded keys; anything else is a 400. Also the checks on names that every
//! handler shares (database names, document ids). Pure: no I/O.

use super::CouchError;
use serde_json::Value;

/// A parsed query string.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `a=1&b=2` (percent-decoded).
    pub fn parse(raw: &str) -> Result<Self, CouchError> {
        serde_urlencoded::from_str(raw)
            .map(Query)
            .map_err(|e| CouchError::BadRequest(format!("bad query string: {e}")))
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (`true`/`false`), `default` if absent.
    pub fn bool(&self, key: &str, default: bool) -> Result<bool, CouchError> {
        match self.get(key) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(v) => Err(CouchError::BadRequest(format!(
                "Invalid boolean parameter {key}: {v:?}"
            ))),
        }
    }

    /// A non-negative integer parameter.
    pub fn u64(&self, key: &str) -> Result<Option<u64>, CouchError> {
        self.get(key)
            .map(|v| {
                v.trim_matches('"').parse::<u64>().map_err(|_| {
                    CouchError::BadRequest(format!(
                        "Invalid value for {key}: expected a non-negative integer"
                    ))
                })
            })
            .transpose()
    }

    /// A JSON-encoded parameter (keys, `open_revs`, `doc_ids`).
    pub fn json(&self, key: &str) -> Result<Option<Value>, CouchError> {
        self.get(key)
            .map(|v| {
                serde_json::from_str(v).map_err(|_| {
                    CouchError::BadRequest(format!("Invalid JSON in query parameter {key}"))
                })
            })
            .transpose()
    }

    /// A JSON-encoded string parameter under any of `keys` (e.g. `startkey`, `start_key`).
    pub fn json_string(&self, keys: &[&str]) -> Result<Option<String>, CouchError> {
        for key in keys {
            match self.json(key)? {
                None => continue,
                Some(Value::String(s)) => return Ok(Some(s)),
                Some(Value::Null) => return Ok(None),
                Some(_) => {
                    return Err(CouchError::BadRequest(format!(
                        "{key} must be a JSON string (document ids are strings)"
                    )))
                }
            }
        }
        Ok(None)
    }
}

/// 400 unless `name` is a database name CouchDB accepts.
pub fn check_db_name(name: &str) -> Result<(), CouchError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c));
    if first_ok && rest_ok && name.len() <= 238 {
        Ok(())
    } else {
        Err(CouchError::IllegalDbName(name.to_owned()))
    }
}

/// 400 unless `id` may name a document: not empty, and starting with `_` only for
/// design documents.
pub fn check_doc_id(id: &str) -> Result<(), CouchError> {
    if id.is_empty() {
        return Err(CouchError::IllegalDocId(
            "Document id must not be empty".into(),
        ));
    }
    if id.starts_with('_') && !id.starts_with("_design/") {
        return Err(CouchError::IllegalDocId(
            "Only reserved document ids may start with underscore.".into(),
        ));
    }
    Ok(())
}

/// A sequence parameter (`since`): an integer, an integer in a string, or `now`.
pub fn parse_since(raw: Option<&str>, now: u64) -> Result<u64, CouchError> {
    let Some(raw) = raw else { return Ok(0) };
    let raw = raw.trim_matches('"');
    if raw == "now" {
        return Ok(now);
    }
    // CouchDB's opaque sequences start with the integer; PouchDB echoes ours as is.
    let digits = raw.split('-').next().unwrap_or_default();
    match digits.parse::<u64>() {
        // SQLite's integers are signed: a larger sequence never existed here.
        Ok(n) if n <= i64::MAX as u64 => Ok(n),
        _ => Err(CouchError::BadRequest(format!(
            "Malformed sequence supplied in 'since' parameter: {raw:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids() {
        assert!(check_db_name("station_330106001").is_ok());
        assert!(check_db_name("Station").is_err());
        assert!(check_db_name("_users").is_err());
        assert!(check_db_name("").is_err());
        assert!(check_doc_id("夜话-1").is_ok());
        assert!(check_doc_id("_design/x").is_ok());
        assert!(check_doc_id("_x").is_err());
        assert!(check_doc_id("").is_err());
    }

    #[test]
    fn query_values() {
        let q = Query::parse("since=5&include_docs=true&keys=%5B%22a%22%5D&limit=x").unwrap();
        assert_eq!(parse_since(q.get("since"), 9).unwrap(), 5);
        assert_eq!(parse_since(Some("now"), 9).unwrap(), 9);
        assert!(parse_since(Some("abc"), 9).is_err());
        assert!(parse_since(Some("18446744073709551615"), 9).is_err());
        assert_eq!(
            parse_since(Some("9223372036854775807"), 9).unwrap(),
            i64::MAX as u64
        );
        assert!(q.bool("include_docs", false).unwrap());
        assert!(q.u64("limit").is_err());
        assert_eq!(q.json("keys").unwrap(), Some(serde_json::json!(["a"])));
    }
}
